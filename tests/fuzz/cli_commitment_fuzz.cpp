// The command-line tool's commitment files (cli::decode_commitment, examples/cli/files.hpp): the
// backend, the key size, the architecture and the model's commitment in that backend; then the
// proofs an accepted commitment hides (cli::proof_budget, which inspect reports of any file).
// Every reader of the tool's files checks the frame (magic, version, payload length) and
// bounds every count before allocating. The formats are canonical, so an accepted file must
// re-encode to its bytes.

#include "files.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = zkcnn_fuzz::input(data, size);
  if (auto file = zkcnn::cli::decode_commitment(bytes)) {
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(zkcnn::cli::encode(*file), bytes), "commitment file round trip");
    (void)zkcnn::cli::proof_budget(*file);
  }
  return 0;
}
