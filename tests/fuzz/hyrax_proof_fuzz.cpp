// Hyrax evaluation proofs (Hyrax::decode_proof over BN254 G1): the version, the value-commitment
// flag and point, and the inner-product argument (round count bounded, then its points and
// scalars). Accepted proofs must re-encode to their bytes.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/pcs/hyrax.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;
  const auto bytes = zkcnn_fuzz::input(data, size);
  if (auto decoded = Pcs::decode_proof(bytes)) {
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(Pcs::encode_proof(*decoded), bytes), "hyrax proof round trip");
  }
  return 0;
}
