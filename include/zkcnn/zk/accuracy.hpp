#pragma once
// Accuracy proofs (docs/protocol.md section 1): "the model committed to in C_model, with the public
// architecture A, classifies k of the n public samples as their public labels". One model
// proof over the whole batch (every layer's sumchecks run once over the batch dimension, with
// the same committed weights for every sample), ending in the argmax gadget (zk/argmax.hpp)
// instead of public outputs: the predictions stay with the prover. A sample's predicted class
// is the first class of largest score.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "zkcnn/concepts/random.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/nn/architecture.hpp"
#include "zkcnn/nn/quantized_model.hpp"
#include "zkcnn/zk/model_proof.hpp"

namespace zkcnn::zk {

template <ModelCommitmentScheme P>
struct AccuracyProof {
  /// k: the samples whose predicted class is their label.
  std::size_t correct = 0;
  ModelProof proof;
  ProverProfile profile;
};

/// Classifies every sample and proves how many match their labels. `rng` must be a
/// cryptographic generator (OsRng) outside tests.
template <ModelCommitmentScheme P, CryptoRng Rng, nn::ModelArchitecture Arch>
Result<AccuracyProof<P>> prove_accuracy(const P& pcs, const nn::BasicQuantizedModel<Arch>& model, const ModelProverState<P>& state,
                                        const ModelCommitment<P>& commitment,
                                        std::span<const std::vector<std::int64_t>> samples,
                                        std::span<const std::size_t> labels, Rng& rng,
                                        const ProverOptions& options = {}) {
  using F = typename P::Challenge;
  ProverProfile profile;
  auto circuit = ModelCircuit<F, Arch>::compile(model.architecture, samples.size(), Conclusion::accuracy);
  if (!circuit) return circuit.error();
  if (auto ok = circuit->argmax().check_labels(labels); !ok) return ok.error();
  if (auto ok = detail::check_prover_state(*circuit, state); !ok) return ok.error();
  if (auto ok = detail::check_commitment(pcs, *circuit, commitment, options); !ok) return ok.error();
  auto witness = [&] {
    zkcnn::detail::ProfileSession session(profile, ProverPhase::witness);
    return circuit->witness(model, samples, labels);
  }();
  if (!witness) return witness.error();
  const std::size_t correct = witness->correct;
  ModelProof proof = detail::prove_with_witness(pcs, *circuit, state, commitment, samples, std::move(*witness), labels,
                                                profile, rng, options);
  return AccuracyProof<P>{correct, std::move(proof), profile};
}

/// Accepts, or says why the proof does not show that the committed model classifies exactly
/// `correct` of the samples as labelled, against a circuit compiled for the batch
/// (compile_for_verifier).
template <ModelCommitmentScheme P, nn::ModelArchitecture Arch>
Status verify_accuracy(const P& pcs, const ModelCircuit<typename P::Challenge, Arch>& circuit, const ModelCommitment<P>& commitment,
                       std::span<const std::vector<std::int64_t>> samples, std::span<const std::size_t> labels,
                       std::size_t correct, const ModelProof& proof) {
  if (correct > samples.size()) return make_error(Errc::verification_failed, "accuracy: more correct samples than samples");
  return detail::verify_statement(pcs, circuit, commitment, samples, {Conclusion::accuracy, {}, labels, correct}, proof);
}

/// The same from the architecture, whose circuit is compiled only if verifying it stays
/// within `limits`.
template <ModelCommitmentScheme P, nn::ModelArchitecture Arch>
Status verify_accuracy(const P& pcs, const Arch& architecture, const ModelCommitment<P>& commitment,
                       std::span<const std::vector<std::int64_t>> samples, std::span<const std::size_t> labels,
                       std::size_t correct, const ModelProof& proof, const VerifierLimits& limits = {}) {
  auto circuit = compile_for_verifier<typename P::Challenge>(architecture, samples.size(), Conclusion::accuracy, limits);
  if (!circuit) return circuit.error();
  return verify_accuracy(pcs, *circuit, commitment, samples, labels, correct, proof);
}

}  // namespace zkcnn::zk
