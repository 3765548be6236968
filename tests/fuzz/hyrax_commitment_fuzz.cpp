// Hyrax commitments (Hyrax::decode_commitment over BN254 G1): the version, the declared shape
// (at most 2^24 rows, checked against the length before anything is allocated) and every row's
// point. Accepted commitments must re-encode to their bytes.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/pcs/hyrax.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;
  const auto bytes = zkcnn_fuzz::input(data, size);
  if (auto decoded = Pcs::decode_commitment(bytes)) {
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(Pcs::encode_commitment(*decoded), bytes), "hyrax commitment round trip");
  }
  return 0;
}
