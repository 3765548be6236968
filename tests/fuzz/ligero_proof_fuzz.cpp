// Evaluation proofs of the hash-based scheme (Ligero::decode_proof over Goldilocks with
// Goldilocks^2 challenges): the mask root, then vectors of field elements, salts and digests,
// each count bounded by the bytes left before anything is allocated. Accepted proofs must
// re-encode to their bytes.

#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/pcs/ligero.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using Pcs = zkcnn::pcs::Ligero<zkcnn::Goldilocks, zkcnn::GoldilocksExt2>;
  const auto bytes = zkcnn_fuzz::input(data, size);
  if (auto decoded = Pcs::decode_proof(bytes)) {
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(Pcs::encode_proof(*decoded), bytes), "ligero proof round trip");
  }
  return 0;
}
