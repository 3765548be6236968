// Compiled against an installed zkcnn only (see tests/install). Including the umbrella header
// checks that every header it pulls in was installed and compiles outside the source tree.
#include <zkcnn/version.hpp>
#include <zkcnn/zkcnn.hpp>

#include <string>
#include <string_view>

#ifndef ZKCNN_CONSUMER_EXPECTED_VERSION
#error "ZKCNN_CONSUMER_EXPECTED_VERSION must be defined by the consumer's CMakeLists.txt"
#endif

// The headers and the CMake package (zkcnnConfigVersion.cmake) must agree on the version.
static_assert(std::string_view{ZKCNN_VERSION_STRING} ==
                  std::string_view{ZKCNN_CONSUMER_EXPECTED_VERSION},
              "installed zkcnn headers and CMake package disagree on the version");

int main() {
    // The numeric macros must spell the version string too.
    const std::string composed = std::to_string(ZKCNN_VERSION_MAJOR) + "." +
                                 std::to_string(ZKCNN_VERSION_MINOR) + "." +
                                 std::to_string(ZKCNN_VERSION_PATCH);
    return composed == ZKCNN_VERSION_STRING ? 0 : 1;
}
