// The command-line tool's prediction statements (cli::decode_statement, examples/cli/files.hpp):
// the input, the output and the predicted class.
// Every reader of the tool's files checks the frame (magic, version, payload length) and
// bounds every count before allocating. The formats are canonical, so an accepted file must
// re-encode to its bytes.

#include "files.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = zkcnn_fuzz::input(data, size);
  if (auto file = zkcnn::cli::decode_statement(bytes)) {
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(zkcnn::cli::encode(*file), bytes), "statement file round trip");
  }
  return 0;
}
