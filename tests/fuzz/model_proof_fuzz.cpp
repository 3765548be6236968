// Model proofs (zk::verify_prediction, zk::verify_accuracy) on hostile bytes, against the
// fixed statements of model_fixture.hpp. Each input is checked as a proof of the prediction
// statement and as a proof of the accuracy statement; their auxiliary commitments differ in
// shape, so the check of the wrong kind stops at the first blob. Everything a verifier reads
// runs on hostile bytes: the header, the auxiliary and mask commitments, the argmax gadget,
// every layer's proof reader and verifier, claim merging, the input claims, the range check,
// the fraction-sum tree and the openings (hiding or batch). None may crash, and a proof that
// verifies must be one of the fixture's honest proofs: a verifier that accepts other bytes
// ignores part of what it reads, or accepts what no honest prover sent.

#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/prediction.hpp>

#include "fuzz_support.hpp"
#include "model_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& f = zkcnn_fuzz::model_fixture();
  const zkcnn::zk::ModelProof proof{{data, data + size}};
  if (zkcnn::zk::verify_prediction(f.pcs, f.model.architecture, f.commitment, std::span<const std::int64_t>(f.input),
                                   std::span<const std::int64_t>(f.output), proof)) {
    zkcnn_fuzz::require(proof.bytes == f.prediction_zk.bytes || proof.bytes == f.prediction_plain.bytes,
                        "a prediction proof that verifies is an honest one");
  }
  if (zkcnn::zk::verify_accuracy(f.pcs, f.model.architecture, f.commitment,
                                 std::span<const std::vector<std::int64_t>>(f.samples), std::span<const std::size_t>(f.labels),
                                 f.correct, proof)) {
    zkcnn_fuzz::require(proof.bytes == f.accuracy_zk.bytes || proof.bytes == f.accuracy_plain.bytes,
                        "an accuracy proof that verifies is an honest one");
  }
  return 0;
}
