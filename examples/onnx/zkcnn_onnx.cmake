# The libraries behind examples/onnx, included from there and from tests/onnx (whichever comes
# first defines them, so the tests build even with the examples off):
#   zkcnn_idx   the data readers: IDX / Fashion-MNIST and NumPy's .npy, when zlib is found
#               (Debian: zlib1g-dev);
#   zkcnn_onnx  the ONNX importer, when Protobuf and ONNX are found (Debian: libprotobuf-dev,
#               protobuf-compiler, libonnx-dev).
# Both stay optional: the header-only library itself depends on the standard library alone.
include_guard(GLOBAL)

find_package(ZLIB QUIET)
if(ZLIB_FOUND)
  add_library(zkcnn_idx STATIC "${CMAKE_CURRENT_LIST_DIR}/idx.cpp" "${CMAKE_CURRENT_LIST_DIR}/npy.cpp")
  target_include_directories(zkcnn_idx PUBLIC "${CMAKE_CURRENT_LIST_DIR}")
  target_link_libraries(zkcnn_idx PUBLIC zkcnn::zkcnn PRIVATE ZLIB::ZLIB)
  set_target_properties(zkcnn_idx PROPERTIES POSITION_INDEPENDENT_CODE ON)  # for the Python module
  zkcnn_target_options(zkcnn_idx)
else()
  message(STATUS "zkcnn: zlib not found; the IDX reader (examples/onnx) is not built")
endif()

# ONNX's CMake package refers to protobuf::libprotobuf, so Protobuf must be found first.
find_package(Protobuf QUIET)
if(Protobuf_FOUND)
  find_package(ONNX QUIET CONFIG)
endif()
if(ONNX_FOUND AND TARGET onnx_proto)
  add_library(zkcnn_onnx STATIC "${CMAKE_CURRENT_LIST_DIR}/onnx_import.cpp")
  target_include_directories(zkcnn_onnx PUBLIC "${CMAKE_CURRENT_LIST_DIR}")
  target_link_libraries(zkcnn_onnx PUBLIC zkcnn::zkcnn PRIVATE onnx_proto)
  set_target_properties(zkcnn_onnx PROPERTIES POSITION_INDEPENDENT_CODE ON)  # for the Python module
  zkcnn_target_options(zkcnn_onnx)
else()
  message(STATUS "zkcnn: Protobuf or ONNX not found; the ONNX importer (examples/onnx) is not built")
endif()
