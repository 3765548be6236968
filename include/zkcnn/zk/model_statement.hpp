#pragma once
// The statement of a model proof and what carries it (docs/protocol.md sections 1 and 9): the
// model's public commitment and its owner's secret, the commitment itself (commit_model), the
// proof's bytes and options, and the statement every proof binds before its first challenge,
// the same function for prover and verifier (absorb_statement): the protocol's version and
// mode, the architecture's digest, the scheme's parameters, the model commitment, the inputs,
// and the outputs or the labels and the number classified as labelled.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zkcnn/concepts/model_commitment.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/detail/profile.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/quantized_model.hpp"
#include "zkcnn/zk/model_circuit.hpp"

namespace zkcnn::zk {

/// The public commitment to a model's weights, published once.
template <ModelCommitmentScheme P>
struct ModelCommitment {
  typename P::Commitment weights;

  std::vector<std::uint8_t> serialize() const { return P::encode_commitment(weights); }
  static Result<ModelCommitment> deserialize(std::span<const std::uint8_t> bytes) {
    auto weights = P::decode_commitment(bytes);
    if (!weights) return weights.error();
    return ModelCommitment{std::move(*weights)};
  }
};

/// The model owner's secret: the weights' table and the commitment's blinding. The table's
/// entries are kept as the integers they are (ModelCircuit::weights_integers): VGG-16's 2^25
/// entries take 0.27 GB so, against 1.07 GB as field elements.
template <ModelCommitmentScheme P>
struct ModelProverState {
  std::vector<std::int64_t> weights;
  typename P::Opening opening;
};

/// Reports progress: the work done so far and in all. A proof's units are the table entries
/// its parts read (each layer's tables, the range check's auxiliary witness, the openings'
/// matrices), which roughly track time; a commitment's are the rows of its matrix.
using ProgressReport = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Commits to a model's weights. `rng` must be a cryptographic generator (OsRng). `progress`,
/// if given, hears of every row committed (a VGG-sized model's commitment takes seconds to
/// minutes).
template <ModelCommitmentScheme P, CryptoRng Rng, nn::ModelArchitecture Arch>
Result<std::pair<ModelCommitment<P>, ModelProverState<P>>> commit_model(const P& pcs, const nn::BasicQuantizedModel<Arch>& model,
                                                                       Rng& rng, const ProgressReport& progress = {}) {
  if (auto valid = model.validate(); !valid) return valid.error();
  auto circuit = ModelCircuit<typename P::Challenge, Arch>::compile(model.architecture, 1);
  if (!circuit) return circuit.error();
  std::vector<std::int64_t> weights = circuit->weights_integers(model);
  auto [commitment, opening] =
      pcs.commit_model(std::span<const std::int64_t>(weights), circuit->weights_layout().num_vars(), rng, progress);
  return std::pair{ModelCommitment<P>{std::move(commitment)}, ModelProverState<P>{std::move(weights), std::move(opening)}};
}

/// Version 4 binds the commitment key (its domain and size) into the transcript; version 5
/// looks up the digits of real entries only, with the fraction tree pairing neighbouring leaves.
inline constexpr std::uint8_t model_proof_version = 5;

/// How a proof is made. Zero knowledge hides the weights and every activation; turning it off
/// is for benchmarks and debugging only.
struct ProverOptions {
  bool zero_knowledge = true;
  /// Called as the proof advances (command-line progress bars); may be empty.
  ProgressReport progress = {};
};

namespace detail {

template <EncodableField F, class T>
void absorb_samples(T& transcript, std::string_view label, std::span<const std::vector<std::int64_t>> samples) {
  transcript.absorb_u64(label, samples.size());
  for (const auto& sample : samples) {
    std::vector<F> values;
    values.reserve(sample.size());
    for (std::int64_t v : sample) values.push_back(F::from_i64(v));
    transcript.absorb_fields(label, std::span<const F>(values));
  }
}

/// What a proof claims of its batch beyond the inputs: the outputs, or the labels and how many
/// samples the model classifies as labelled.
struct ClaimedResult {
  Conclusion conclusion = Conclusion::outputs;
  std::span<const std::vector<std::int64_t>> outputs;  // Conclusion::outputs
  std::span<const std::size_t> labels;                 // Conclusion::accuracy
  std::size_t correct = 0;                             // Conclusion::accuracy
};

/// The statement, bound before any challenge: the same function for prover and verifier.
template <ModelCommitmentScheme P, class T, nn::ModelArchitecture Arch>
void absorb_statement(T& transcript, const P& pcs, const Arch& architecture,
                      const ModelCommitment<P>& commitment, std::span<const std::vector<std::int64_t>> inputs,
                      const ClaimedResult& result, bool zero_knowledge) {
  // Inputs and outputs are integers: bound as the committed tables' field elements.
  using F = typename P::Scalar;
  transcript.absorb_u64("zkcnn/proof_version", model_proof_version);
  transcript.absorb_u64("zkcnn/zero_knowledge", zero_knowledge ? 1 : 0);
  const auto digest = architecture.digest();
  transcript.absorb_bytes("zkcnn/architecture", digest);
  pcs.absorb_parameters(transcript);
  P::absorb_commitment(transcript, commitment.weights);
  absorb_samples<F>(transcript, "zkcnn/inputs", inputs);
  transcript.absorb_u64("zkcnn/conclusion", static_cast<std::uint64_t>(result.conclusion));
  if (result.conclusion == Conclusion::outputs) {
    absorb_samples<F>(transcript, "zkcnn/outputs", result.outputs);
  } else {
    for (std::size_t label : result.labels) transcript.absorb_u64("zkcnn/label", label);
    transcript.absorb_u64("zkcnn/correct", result.correct);
  }
}

template <class Encoded>
void write_blob(io::ByteWriter& out, const Encoded& bytes) {
  out.write_u32(static_cast<std::uint32_t>(bytes.size()));
  out.write_bytes(bytes);
}

inline Result<std::span<const std::uint8_t>> read_blob(io::ByteReader& in, std::string_view what) {
  auto size = in.read_u32(what);
  if (!size) return size.error();
  return in.read_bytes(*size, what);
}

}  // namespace detail

/// A model proof: its bytes (the format is described at the top of zk/model_proof.hpp).
struct ModelProof {
  std::vector<std::uint8_t> bytes;
};

/// Whether a proof declares itself zero-knowledge (its mode byte; verification checks it is
/// bound). False for bytes too short to say.
inline bool is_zero_knowledge(const ModelProof& proof) { return proof.bytes.size() >= 2 && proof.bytes[1] == 1; }

/// Where a prover's time went, by kind of work (detail/profile.hpp).
using zkcnn::ProverProfile;
using zkcnn::ProverPhase;

template <ModelCommitmentScheme P>
struct ProvenBatch {
  /// The model's outputs, one vector per sample.
  std::vector<std::vector<std::int64_t>> outputs;
  ModelProof proof;
  ProverProfile profile;
};

}  // namespace zkcnn::zk
