#pragma once
// Prediction proofs (docs/protocol.md section 1): "the model committed to in C_model, with the public
// architecture A, maps the public input x to the public output y". A batch of one sample of
// the model proof (zk/model_proof.hpp), under the names a user looks for.

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
struct Prediction {
  /// The model's output on the input (its logits, for a classifier).
  std::vector<std::int64_t> output;
  ModelProof proof;
  ProverProfile profile;
};

/// Runs the model on `input` and proves the output. `rng` must be a cryptographic generator
/// (OsRng) outside tests.
template <ModelCommitmentScheme P, CryptoRng Rng, nn::ModelArchitecture Arch>
Result<Prediction<P>> prove_prediction(const P& pcs, const nn::BasicQuantizedModel<Arch>& model, const ModelProverState<P>& state,
                                       const ModelCommitment<P>& commitment, std::span<const std::int64_t> input, Rng& rng,
                                       const ProverOptions& options = {}) {
  const std::vector<std::vector<std::int64_t>> inputs{{input.begin(), input.end()}};
  auto proven = prove_model(pcs, model, state, commitment, std::span<const std::vector<std::int64_t>>(inputs), rng, options);
  if (!proven) return proven.error();
  return Prediction<P>{std::move(proven->outputs.front()), std::move(proven->proof), proven->profile};
}

/// Accepts, or says why the proof does not show that the committed model maps input to output,
/// against a circuit compiled for one sample (compile_for_verifier).
template <ModelCommitmentScheme P, nn::ModelArchitecture Arch>
Status verify_prediction(const P& pcs, const ModelCircuit<typename P::Challenge, Arch>& circuit,
                         const ModelCommitment<P>& commitment, std::span<const std::int64_t> input,
                         std::span<const std::int64_t> output, const ModelProof& proof) {
  const std::vector<std::vector<std::int64_t>> inputs{{input.begin(), input.end()}};
  const std::vector<std::vector<std::int64_t>> outputs{{output.begin(), output.end()}};
  return verify_model(pcs, circuit, commitment, std::span<const std::vector<std::int64_t>>(inputs),
                      std::span<const std::vector<std::int64_t>>(outputs), proof);
}

/// The same from the architecture, whose circuit is compiled only if verifying it stays
/// within `limits`.
template <ModelCommitmentScheme P, nn::ModelArchitecture Arch>
Status verify_prediction(const P& pcs, const Arch& architecture, const ModelCommitment<P>& commitment,
                         std::span<const std::int64_t> input, std::span<const std::int64_t> output,
                         const ModelProof& proof, const VerifierLimits& limits = {}) {
  auto circuit = compile_for_verifier<typename P::Challenge>(architecture, 1, Conclusion::outputs, limits);
  if (!circuit) return circuit.error();
  return verify_prediction(pcs, *circuit, commitment, input, output, proof);
}

}  // namespace zkcnn::zk
