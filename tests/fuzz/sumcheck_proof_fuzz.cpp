// sumcheck::deserialize_proof over BN254's scalar field: the version, the declared shape
// (bounded before anything is allocated), the length and every value's canonical encoding. An
// accepted proof must re-encode to its bytes, and is then checked against a fixed sum
// (sumcheck_instance.hpp): the verifier's shape checks run on hostile shapes, and a proof it
// accepts must be the honest one, since any other would convince it of a false statement or
// show that it ignores part of the proof.

#include "fuzz_support.hpp"
#include "sumcheck_instance.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = zkcnn_fuzz::input(data, size);
  auto proof = zkcnn::sumcheck::deserialize_proof<zkcnn_fuzz::SumcheckField>(bytes);
  if (!proof) return 0;
  zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(zkcnn::sumcheck::serialize(*proof), bytes), "sumcheck proof round trip");
  if (zkcnn_fuzz::sumcheck_accepts(*proof)) {
    static const auto honest = zkcnn_fuzz::honest_sumcheck_proof();
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(honest, bytes), "the verifier accepts only the honest proof");
  }
  return 0;
}
