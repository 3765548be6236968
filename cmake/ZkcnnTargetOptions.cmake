# zkcnn_target_options(<target>)
#
# Options for zkcnn's OWN executables (tests, examples, benchmarks): warnings, standard C++
# without extensions, and the opt-in ZKCNN_MARCH / ZKCNN_NATIVE / ZKCNN_SANITIZE flags. Everything is
# PRIVATE to <target>; nothing here touches global flags or the exported zkcnn::zkcnn target,
# so users of the library never inherit these flags.
include_guard(GLOBAL)

function(zkcnn_target_options target)
  if(NOT TARGET "${target}")
    message(FATAL_ERROR "zkcnn_target_options: '${target}' is not a target")
  endif()

  # -std=c++20 rather than -std=gnu++20, so -Wpedantic reports what other compilers reject.
  set_target_properties("${target}" PROPERTIES CXX_EXTENSIONS OFF)

  set(_gnu_like "$<OR:$<CXX_COMPILER_ID:GNU>,$<CXX_COMPILER_ID:Clang>,$<CXX_COMPILER_ID:AppleClang>>")

  # Lists inside a generator expression are ;-separated and the argument must be quoted.
  target_compile_options("${target}" PRIVATE
    "$<${_gnu_like}:-Wall;-Wextra;-Wpedantic>"
    "$<$<CXX_COMPILER_ID:MSVC>:/W4;/permissive->")

  if(ZKCNN_MARCH)
    target_compile_options("${target}" PRIVATE "$<${_gnu_like}:-march=${ZKCNN_MARCH}>")
  elseif(ZKCNN_NATIVE)
    target_compile_options("${target}" PRIVATE "$<${_gnu_like}:-march=native>")
  endif()

  if(ZKCNN_SANITIZE)
    set(_san -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_compile_options("${target}" PRIVATE "$<${_gnu_like}:${_san}>")
    target_link_options("${target}" PRIVATE "$<${_gnu_like}:${_san}>")
  endif()
endfunction()
