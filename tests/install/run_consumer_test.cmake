# cmake -P script behind the install.consumer test (see CMakeLists.txt beside it).
#
# Required -D arguments:
#   ZKCNN_BUILD_DIR       top-level zkcnn build directory to install from
#   ZKCNN_PREFIX          scratch install prefix (wiped first)
#   CONSUMER_SOURCE_DIR   the consumer project (tests/install/consumer)
#   CONSUMER_BINARY_DIR   scratch build directory for it (wiped first)
#   CONSUMER_CXX_COMPILER the C++ compiler zkcnn was configured with
#   ZKCNN_EXPECTED_VERSION zkcnn's version, e.g. 0.1.0
# Optional: CONSUMER_GENERATOR, CONSUMER_MAKE_PROGRAM, CONSUMER_CONFIG (build configuration).
cmake_minimum_required(VERSION 3.20)

foreach(_var IN ITEMS ZKCNN_BUILD_DIR ZKCNN_PREFIX CONSUMER_SOURCE_DIR CONSUMER_BINARY_DIR
                      CONSUMER_CXX_COMPILER ZKCNN_EXPECTED_VERSION)
  if(NOT DEFINED ${_var} OR "${${_var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer_test.cmake: -D${_var}=... is required")
  endif()
endforeach()

if(NOT ZKCNN_EXPECTED_VERSION MATCHES "^([0-9]+)\\.([0-9]+)")
  message(FATAL_ERROR "run_consumer_test.cmake: bad ZKCNN_EXPECTED_VERSION '${ZKCNN_EXPECTED_VERSION}'")
endif()
set(_required_version "${CMAKE_MATCH_1}.${CMAKE_MATCH_2}")

set(_config_args "")
set(_build_type_arg "")
if(NOT "${CONSUMER_CONFIG}" STREQUAL "")
  set(_config_args --config "${CONSUMER_CONFIG}")
  set(_build_type_arg "-DCMAKE_BUILD_TYPE=${CONSUMER_CONFIG}")
endif()
set(_generator_args "")
if(NOT "${CONSUMER_GENERATOR}" STREQUAL "")
  list(APPEND _generator_args -G "${CONSUMER_GENERATOR}")
endif()
if(NOT "${CONSUMER_MAKE_PROGRAM}" STREQUAL "")
  list(APPEND _generator_args "-DCMAKE_MAKE_PROGRAM=${CONSUMER_MAKE_PROGRAM}")
endif()

# Start from nothing, so stale headers or a stale cache cannot make the test pass.
file(REMOVE_RECURSE "${ZKCNN_PREFIX}" "${CONSUMER_BINARY_DIR}")

message(STATUS "[install.consumer] (a) installing ${ZKCNN_BUILD_DIR} into ${ZKCNN_PREFIX}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" --install "${ZKCNN_BUILD_DIR}" --prefix "${ZKCNN_PREFIX}" ${_config_args}
  COMMAND_ERROR_IS_FATAL ANY)

foreach(_f IN ITEMS include/zkcnn/version.hpp include/zkcnn/zkcnn.hpp)
  if(NOT EXISTS "${ZKCNN_PREFIX}/${_f}")
    message(FATAL_ERROR "[install.consumer] ${_f} was not installed into ${ZKCNN_PREFIX}")
  endif()
endforeach()

message(STATUS "[install.consumer] (b) configuring the consumer project")
execute_process(
  COMMAND "${CMAKE_COMMAND}"
    -S "${CONSUMER_SOURCE_DIR}"
    -B "${CONSUMER_BINARY_DIR}"
    ${_generator_args}
    "-DCMAKE_CXX_COMPILER=${CONSUMER_CXX_COMPILER}"
    "-DCMAKE_PREFIX_PATH=${ZKCNN_PREFIX}"
    # Only the scratch prefix may provide zkcnn: no user/system package registry.
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
    "-DZKCNN_REQUIRED_VERSION=${_required_version}"
    "-DZKCNN_EXPECTED_VERSION=${ZKCNN_EXPECTED_VERSION}"
    ${_build_type_arg}
  COMMAND_ERROR_IS_FATAL ANY)

# The package must have come from the scratch prefix, not from some other installed zkcnn.
file(STRINGS "${CONSUMER_BINARY_DIR}/CMakeCache.txt" _zkcnn_dir_line REGEX "^zkcnn_DIR:")
string(REGEX REPLACE "^zkcnn_DIR:[A-Z]+=" "" _zkcnn_dir "${_zkcnn_dir_line}")
file(REAL_PATH "${ZKCNN_PREFIX}" _prefix_real)
file(REAL_PATH "${_zkcnn_dir}" _zkcnn_dir_real)
string(FIND "${_zkcnn_dir_real}/" "${_prefix_real}/" _pos)
if(NOT _pos EQUAL 0)
  message(FATAL_ERROR "[install.consumer] zkcnn was found in '${_zkcnn_dir}', "
                      "not under the test prefix '${ZKCNN_PREFIX}'")
endif()

message(STATUS "[install.consumer] (c) building the consumer project")
execute_process(
  COMMAND "${CMAKE_COMMAND}" --build "${CONSUMER_BINARY_DIR}" ${_config_args}
  COMMAND_ERROR_IS_FATAL ANY)

# Single-config generators put executables at the top; multi-config ones in <config>/.
set(_programs zkcnn_consumer)
if(ZKCNN_EXPECT_PRECOMPILED)
  list(APPEND _programs zkcnn_consumer_precompiled)
endif()
foreach(_program IN LISTS _programs)
  set(_exe_name "${_program}${CMAKE_EXECUTABLE_SUFFIX}")
  set(_exe "")
  foreach(_candidate IN ITEMS "${CONSUMER_BINARY_DIR}/${_exe_name}"
                             "${CONSUMER_BINARY_DIR}/${CONSUMER_CONFIG}/${_exe_name}")
    if(EXISTS "${_candidate}" AND NOT IS_DIRECTORY "${_candidate}")
      set(_exe "${_candidate}")
      break()
    endif()
  endforeach()
  if(_exe STREQUAL "")
    message(FATAL_ERROR "[install.consumer] no ${_exe_name} was built in ${CONSUMER_BINARY_DIR}")
  endif()

  message(STATUS "[install.consumer] (d) running ${_exe}")
  execute_process(COMMAND "${_exe}" COMMAND_ERROR_IS_FATAL ANY)
endforeach()

message(STATUS "[install.consumer] passed")
