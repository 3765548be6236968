// nn::Architecture::deserialize: the public description of a model that commitment files carry
// and every proof's transcript binds (by its digest). Decoding validates the layer grammar and
// every shape. The encoding is canonical (distinct architectures have distinct encodings, and
// the digest relies on it), so an accepted architecture must re-encode to its bytes.

#include <zkcnn/nn/architecture.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = zkcnn_fuzz::input(data, size);
  if (auto architecture = zkcnn::nn::Architecture::deserialize(bytes)) {
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(architecture->serialize(), bytes), "architecture round trip");
  }
  return 0;
}
