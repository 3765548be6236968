// Commitments of the hash-based scheme (Ligero::decode_commitment over Goldilocks): the root and
// the shape, bounded by the scheme's limits before anything depends on them. Accepted
// commitments must re-encode to their bytes.

#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/pcs/ligero.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using Pcs = zkcnn::pcs::Ligero<zkcnn::Goldilocks, zkcnn::GoldilocksExt2>;
  const auto bytes = zkcnn_fuzz::input(data, size);
  if (auto decoded = Pcs::decode_commitment(bytes)) {
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(Pcs::encode_commitment(*decoded), bytes), "ligero commitment round trip");
  }
  return 0;
}
