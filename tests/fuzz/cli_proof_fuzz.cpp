// The command-line tool's proof files (cli::decode_proof, examples/cli/files.hpp): the frame
// around a model proof's bytes (which the model_proof harness fuzzes).
// Every reader of the tool's files checks the frame (magic, version, payload length) and
// bounds every count before allocating. The formats are canonical, so an accepted file must
// re-encode to its bytes.

#include "files.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = zkcnn_fuzz::input(data, size);
  if (auto file = zkcnn::cli::decode_proof(bytes)) {
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(zkcnn::cli::encode(*file), bytes), "proof file round trip");
  }
  return 0;
}
