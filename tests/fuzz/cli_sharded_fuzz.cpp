// The command-line tool's sharded accuracy files (cli::decode_sharded_statement and
// cli::decode_sharded_proof, examples/cli/files.hpp; zk/sharded_accuracy.hpp): the dataset's
// digest, its size, every shard's range and count, and the shards' proofs. Both decoders get
// every input: each checks the frame and bounds its counts by the bytes before allocating, and
// an accepted file must re-encode to its bytes.

#include "files.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = zkcnn_fuzz::input(data, size);
  if (auto statement = zkcnn::cli::decode_sharded_statement(bytes)) {
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(zkcnn::cli::encode(*statement), bytes), "sharded statement round trip");
  }
  if (auto proof = zkcnn::cli::decode_sharded_proof(bytes)) {
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(zkcnn::cli::encode(*proof), bytes), "sharded proof round trip");
  }
  return 0;
}
