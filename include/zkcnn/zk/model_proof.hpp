#pragma once
// The proof that a committed model maps a batch of public inputs to public outputs (docs/protocol.md
// sections 1, 4-7 and 9). One transcript binds, before any challenge, the protocol's domain,
// the architecture's digest, the model commitment, the batch's inputs and what is claimed of
// them: the outputs, or (accuracy proofs, zk/accuracy.hpp) the labels and the number of samples
// classified as labelled. Then the prover commits the auxiliary witness (every digit
// decomposition and the range check's multiplicities) and the proof runs:
//   1. a random point on the outputs' extension, whose value the verifier computes itself, or
//      the argmax gadget (zk/argmax.hpp), which leaves claims on the outputs' extension;
//   2. the layers from the output to the input, each reducing the claims on its output (merged
//      into one when there are several, or combined in the layer's own sumcheck when it takes
//      several: gkr::CombinesClaims) to claims on its inputs: activations (the next layers
//      to prove), blocks of the committed weights, blocks of the committed auxiliary witness,
//      or the public input (checked by the verifier directly);
//   3. all claims on the weights opened at once against the model commitment;
//   4. the range check of every digit of the auxiliary witness, and all claims on it opened at
//      once against its commitment (zk/range_check.hpp).
// The proof is its byte string: the prover appends each message as it produces it and the
// verifier reads each one just before checking it, so there is one encoding and one decoder.
//
// Zero knowledge (on by default; docs/protocol.md section 8, docs/zero-knowledge.md): every
// sumcheck step is masked with randomness committed by the scheme (gkr/sumcheck_step.hpp),
// whose commitments the proof carries right after the auxiliary commitment; claims on the
// public input are proven rather than checked; the range check sends no block value; and steps
// 3 and 4 become the scheme's zero-knowledge opening of every claim on the weights, the
// auxiliary witness and the masks (concepts/model_commitment.hpp).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "zkcnn/concepts/model_commitment.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/detail/profile.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/claim_merge.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/quantized_model.hpp"
#include "zkcnn/pcs/batch_opening.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/transcript/transcript.hpp"
#include "zkcnn/zk/argmax.hpp"
#include "zkcnn/zk/claim_book.hpp"
#include "zkcnn/zk/masking_transcript.hpp"
#include "zkcnn/zk/model_circuit.hpp"
#include "zkcnn/zk/model_statement.hpp"
#include "zkcnn/zk/range_check.hpp"
#include "zkcnn/zk/verifier_cost.hpp"

namespace zkcnn::zk {

namespace detail {

// The profile phase each kind of layer's proof is charged to (bias layers, residual additions
// and the layers of user kinds count as wiring).
template <class L> constexpr ProverPhase layer_phase(const L&) { return ProverPhase::wiring; }
template <class F> constexpr ProverPhase layer_phase(const nn::Conv2dFftLayer<F>&) { return ProverPhase::convolution; }
template <class F> constexpr ProverPhase layer_phase(const nn::Conv2dDirectLayer<F>&) { return ProverPhase::convolution; }
template <class F> constexpr ProverPhase layer_phase(const nn::DenseLayer<F>&) { return ProverPhase::dense; }
template <class F> constexpr ProverPhase layer_phase(const nn::RescaleReluLayer<F>&) { return ProverPhase::relu; }
template <class F> constexpr ProverPhase layer_phase(const nn::MaxPoolLayer<F>&) { return ProverPhase::pooling; }
template <class F> constexpr ProverPhase layer_phase(const nn::SumPoolLayer<F>&) { return ProverPhase::pooling; }

// Whether a layer combines the claims on its output in its own sumcheck (gkr::CombinesClaims),
// asked with one transcript type on both sides so that prover and verifier take the same branch.
template <class L, class F>
inline constexpr bool combines_claims = gkr::CombinesClaims<L, F, Sha256Transcript>;

}  // namespace detail

namespace detail {

/// The prover after witness generation: proves that `witness` (tables computed by whatever
/// means) gives `witness.outputs`. prove_model is the honest caller; tests call it with
/// tables a cheating prover might use. Each activation's table is freed once its layer is
/// proven, which keeps a large batch's peak memory down.
template <ModelCommitmentScheme P, CryptoRng Rng, nn::ModelArchitecture Arch>
ModelProof prove_with_witness(const P& pcs, const ModelCircuit<typename P::Challenge, Arch>& circuit,
                              const ModelProverState<P>& state, const ModelCommitment<P>& commitment,
                              std::span<const std::vector<std::int64_t>> inputs,
                              typename ModelCircuit<typename P::Challenge, Arch>::Witness witness,
                              std::span<const std::size_t> labels, ProverProfile& profile, Rng& rng,
                              const ProverOptions& options = {},
                              std::function<void(TableRef::Source, std::size_t, std::span<const typename P::Challenge>)>
                                  observer = {}) {
  using F = typename P::Challenge;
  using Base = typename P::Scalar;
  const bool zk = options.zero_knowledge;
  zkcnn::detail::ProfileSession session(profile, ProverPhase::wiring);
  const auto aux_entries = base_entries<Base>(std::span<const F>(witness.aux));
  auto [aux_commitment, aux_opening] = [&] {
    zkcnn::detail::PhaseScope scope(ProverPhase::commitments);
    return pcs.commit_witness(std::span<const Base>(aux_entries), circuit.aux_layout().num_vars(), commitment.weights, zk, rng);
  }();
  auto masks = pcs.mask_prover(aux_commitment, rng);
  MaskingTranscript<decltype(masks)> transcript("zkcnn/model", zk ? &masks : nullptr);
  const ClaimedResult result{circuit.conclusion(), std::span(witness.outputs), labels, witness.correct};
  absorb_statement<P>(transcript, pcs, circuit.architecture(), commitment, inputs, result, zk);
  io::ByteWriter out;
  out.write_u8(model_proof_version);
  out.write_u8(zk ? 1 : 0);
  P::absorb_commitment(transcript, aux_commitment);
  write_blob(out, P::encode_commitment(aux_commitment));

  // Progress, in entries of the tables each part reads: a layer's inputs and output, the
  // public input, the auxiliary witness (range check), then every committed table (openings).
  auto table_entries = [&](const TableRef& ref) -> std::uint64_t {
    if (ref.source == TableRef::Source::tensor) return std::uint64_t{1} << circuit.tensor(ref.index).physical.num_vars();
    const BlockLayout& layout = ref.source == TableRef::Source::weights ? circuit.weights_layout() : circuit.aux_layout();
    return std::uint64_t{1} << layout.block_num_vars(ref.index);
  };
  auto step_entries = [&](const auto& step) {
    std::uint64_t entries = std::uint64_t{1} << circuit.tensor(step.output).physical.num_vars();
    for (const TableRef& ref : step.inputs) entries += table_entries(ref);
    return entries;
  };
  const std::uint64_t input_entries = std::uint64_t{1} << circuit.tensor(circuit.input_tensor()).physical.num_vars();
  const std::uint64_t range_entries = witness.aux.size();
  const std::uint64_t opening_entries = witness.aux.size() + state.weights.size();
  std::uint64_t progress_total = input_entries + range_entries + opening_entries;
  for (const auto& step : circuit.steps()) progress_total += step_entries(step);
  std::uint64_t progress_done = 0;
  auto advance = [&](std::uint64_t entries) {
    progress_done += entries;
    if (options.progress) options.progress(progress_done, progress_total);
  };

  io::ByteWriter body;  // after the mask rows, which are known only at the end
  ClaimBook<F> book;
  book.tensors.resize(circuit.tensor_count());
  book.observer = std::move(observer);
  const std::size_t output = circuit.output_tensor();
  if (circuit.conclusion() == Conclusion::outputs) {
    auto point = transcript.template challenges<F>("zkcnn/output_point", circuit.tensor(output).physical.num_vars());
    const F value = evaluate_multilinear(std::span<const F>(witness.tensors[output]), std::span<const F>(point));
    book.tensors[output].push_back({std::move(point), value});
  } else {
    const auto& layout = circuit.aux_layout();
    auto block = [&](std::size_t index) {
      return std::span<const F>(witness.aux).subspan(layout.offset(index), std::size_t{1} << layout.block_num_vars(index));
    };
    auto [argmax, claims] = circuit.argmax().prove(std::span<const F>(witness.tensors[output]), block(circuit.choice_block()),
                                                   block(circuit.difference_block()), labels, witness.correct, transcript);
    circuit.argmax().write_proof(argmax, body);
    book.route(circuit, claims);
  }
  // Each step's blocks of the weights as field elements, converted into buffers kept from step
  // to step (fresh memory for every block cost a VGG-16 prediction proof half a second).
  std::vector<std::vector<F>> weight_buffers;
  for (std::size_t s = circuit.steps().size(); s-- > 0;) {
    const auto& step = circuit.steps()[s];
    const std::span<const gkr::Claim<F>> output_claims(book.tensors[step.output]);
    std::vector<std::span<const F>> inputs_view;
    std::size_t weight_inputs = 0;
    for (const TableRef& ref : step.inputs) {
      if (ref.source == TableRef::Source::tensor) {
        inputs_view.emplace_back(witness.tensors[ref.index]);
        continue;
      }
      const bool is_weights = ref.source == TableRef::Source::weights;
      const BlockLayout& layout = is_weights ? circuit.weights_layout() : circuit.aux_layout();
      const std::size_t offset = layout.offset(ref.index), size = std::size_t{1} << layout.block_num_vars(ref.index);
      if (is_weights) {
        if (weight_buffers.size() == weight_inputs) weight_buffers.emplace_back();
        std::vector<F>& buffer = weight_buffers[weight_inputs++];
        if (buffer.size() < size) buffer.resize(size);
        const std::span<F> block = std::span<F>(buffer).first(size);
        nn::to_field(std::span<const std::int64_t>(state.weights).subspan(offset, size), block);
        inputs_view.emplace_back(block);
      } else {
        inputs_view.emplace_back(std::span<const F>(witness.aux).subspan(offset, size));
      }
    }
    std::visit(
        [&](const auto& layer) {
          const std::span<const std::span<const F>> inputs(inputs_view);
          // A layer combines the claims on its output in its own sumcheck, or they are merged
          // into one first (docs/protocol.md section 4).
          auto proven = [&] {
            if constexpr (combines_claims<std::decay_t<decltype(layer)>, F>) {
              zkcnn::detail::PhaseScope scope(layer_phase(layer));
              return layer.prove(inputs, output_claims, transcript);
            } else {
              auto merged = gkr::prove_merge(std::span<const F>(witness.tensors[step.output]),
                                             circuit.tensor(step.output).physical.num_vars(), output_claims, transcript);
              for (const auto& merge : merged.proof) gkr::write_step(body, merge);
              book.observe(TableRef::Source::tensor, step.output, std::span<const F>(merged.claim.point));
              zkcnn::detail::PhaseScope scope(layer_phase(layer));
              return layer.prove(inputs, merged.claim, transcript);
            }
          }();
          zkcnn::detail::PhaseScope scope(layer_phase(layer));
          layer.write_proof(proven.proof, body);
          book.route(circuit, step, std::span<const gkr::InputClaim<F>>(proven.input_claims));
        },
        step.layer);
    // The steps that read this tensor are proven (they come after it), so its table is freed.
    std::vector<F>().swap(witness.tensors[step.output]);
    advance(step_entries(step));
  }
  // The claims on the public input: proven in zero knowledge (their values are masked).
  {
    const std::size_t input = circuit.input_tensor();
    for (const auto& step : gkr::prove_public_claims(std::span<const F>(witness.tensors[input]),
                                                     circuit.tensor(input).physical.num_vars(),
                                                     std::span<const gkr::Claim<F>>(book.tensors[input]), transcript)) {
      gkr::write_step(body, step);
    }
    advance(input_entries);
  }

  if (zk) {
    // The range check, then one opening of every claim on the weights, the auxiliary witness
    // and the masks.
    {
      zkcnn::detail::PhaseScope scope(ProverPhase::range_check);
      auto [lookup, range_claims] = prove_masked_range_check(circuit.aux_layout(), circuit.range_layout(),
                                                             std::span<const F>(witness.aux), table_matrix, transcript);
      gkr::write_fraction_sum(body, lookup);
      for (auto& claim : range_claims) book.add_committed(book.aux, TableRef::Source::aux, std::move(claim));
    }
    advance(range_entries);
    zkcnn::detail::PhaseScope scope(ProverPhase::openings);
    pcs.prove_hidden_claims({commitment.weights, state.opening, state.weights},
                            {aux_commitment, aux_opening, std::span<const Base>(aux_entries)}, masks, std::move(book.weights),
                            std::move(book.aux), transcript, rng, body);
    // The masks' commitments go before the body: the verifier needs them from the first step on.
    P::write_masks(out, masks);
  } else {
    {
      zkcnn::detail::PhaseScope scope(ProverPhase::openings);
      const auto weights_claims = plain_claims(book.weights);
      auto weights_opening = pcs.prove_batch(std::span<const Base>(nn::to_field<Base>(state.weights)), state.opening, commitment.weights,
                                             std::span<const EvaluationClaim<F>>(weights_claims), transcript, rng);
      write_blob(body, P::encode_batch_proof(weights_opening));
    }
    // The auxiliary witness: its digits' ranges, then all its claims in one opening (counted
    // as the range check: plain proofs do both in one argument).
    zkcnn::detail::PhaseScope scope(ProverPhase::range_check);
    auto range_check = prove_range_check(pcs, circuit.aux_layout(), circuit.range_layout(), std::span<const F>(witness.aux),
                                         std::span<const Base>(aux_entries), aux_opening, aux_commitment,
                                         plain_claims(book.aux), transcript, rng);
    write_range_check(body, range_check);
    advance(range_entries);
  }
  advance(opening_entries);
  const auto body_bytes = std::move(body).take();
  out.write_bytes(body_bytes);
  return ModelProof{std::move(out).take()};
}

}  // namespace detail

namespace detail {

/// The owner's state must hold the weights' table of this architecture (a state made for
/// another model is refused before any work).
template <ModelCommitmentScheme P, nn::ModelArchitecture Arch>
Status check_prover_state(const ModelCircuit<typename P::Challenge, Arch>& circuit, const ModelProverState<P>& state) {
  if (state.weights.size() != circuit.weights_layout().size()) {
    return make_error(Errc::invalid_argument, "prove: the prover state holds " + std::to_string(state.weights.size()) +
                                                  " weight entries, the architecture's table " +
                                                  std::to_string(circuit.weights_layout().size()));
  }
  return {};
}

/// The model commitment must fit the architecture, and in zero knowledge the scheme's openings
/// must be able to hide (Hyrax: a key that holds each opening's columns and mask).
template <ModelCommitmentScheme P, nn::ModelArchitecture Arch>
Status check_commitment(const P& pcs, const ModelCircuit<typename P::Challenge, Arch>& circuit,
                        const ModelCommitment<P>& commitment, const ProverOptions& options) {
  if (auto ok = pcs.check_model_commitment(commitment.weights, circuit.weights_layout().num_vars()); !ok) {
    return make_error(ok.error().code, "prove: " + ok.error().message);
  }
  if (!options.zero_knowledge) return {};
  if (auto ok = pcs.check_zero_knowledge(commitment.weights, circuit.aux_layout().num_vars()); !ok) {
    return make_error(ok.error().code, "prove: " + ok.error().message);
  }
  return {};
}

}  // namespace detail

/// Proves the model's outputs on a batch of public inputs. Fails, naming the layer, when the
/// model does not fit its architecture's bit widths on these inputs.
template <ModelCommitmentScheme P, CryptoRng Rng, nn::ModelArchitecture Arch>
Result<ProvenBatch<P>> prove_model(const P& pcs, const nn::BasicQuantizedModel<Arch>& model, const ModelProverState<P>& state,
                                   const ModelCommitment<P>& commitment, std::span<const std::vector<std::int64_t>> inputs,
                                   Rng& rng, const ProverOptions& options = {}) {
  using F = typename P::Challenge;
  ProverProfile profile;
  auto circuit = ModelCircuit<F, Arch>::compile(model.architecture, inputs.size());
  if (!circuit) return circuit.error();
  if (auto ok = detail::check_prover_state(*circuit, state); !ok) return ok.error();
  if (auto ok = detail::check_commitment(pcs, *circuit, commitment, options); !ok) return ok.error();
  auto witness = [&] {
    zkcnn::detail::ProfileSession session(profile, ProverPhase::witness);
    return circuit->witness(model, inputs);
  }();
  if (!witness) return witness.error();
  auto outputs = witness->outputs;
  ModelProof proof =
      detail::prove_with_witness(pcs, *circuit, state, commitment, inputs, std::move(*witness), {}, profile, rng, options);
  return ProvenBatch<P>{std::move(outputs), std::move(proof), profile};
}

namespace detail {

/// The verifier's side of one step: the claims on the layer's output combined in its own
/// sumcheck, or merged first (the merge proof precedes the layer's in the bytes); returns the
/// claims on its inputs.
template <class L, class F, class T>
Result<std::vector<gkr::InputClaim<F>>> verify_layer(const L& layer, std::span<const gkr::Claim<F>> claims,
                                                     std::size_t num_vars, io::ByteReader& in, T& transcript) {
  if constexpr (combines_claims<L, F>) {
    auto layer_proof = layer.read_proof(in);
    if (!layer_proof) return layer_proof.error();
    return layer.verify(claims, *layer_proof, transcript);
  } else {
    std::vector<gkr::SumcheckStep<F>> merge_proof;
    if (claims.size() > 1) {
      auto merge = gkr::read_step<F>(in, num_vars, 2, 1);
      if (!merge) return merge.error();
      merge_proof.push_back(std::move(*merge));
    }
    auto merged = gkr::verify_merge(num_vars, claims, std::span<const gkr::SumcheckStep<F>>(merge_proof), transcript);
    if (!merged) return merged.error();
    auto layer_proof = layer.read_proof(in);
    if (!layer_proof) return layer_proof.error();
    return layer.verify(*merged, *layer_proof, transcript);
  }
}

/// Checks a model proof of `result` on a batch of public inputs, against the circuit compiled
/// for that batch and conclusion; returns why it is rejected, if it is.
template <ModelCommitmentScheme P, nn::ModelArchitecture Arch>
Status verify_statement(const P& pcs, const ModelCircuit<typename P::Challenge, Arch>& circuit,
                        const ModelCommitment<P>& commitment, std::span<const std::vector<std::int64_t>> inputs,
                        const ClaimedResult& result, const ModelProof& proof) {
  using F = typename P::Challenge;
  if (circuit.batch() != inputs.size() || circuit.conclusion() != result.conclusion) {
    return make_error(Errc::invalid_argument, "verify: the circuit was compiled for another batch or conclusion");
  }
  const Arch& architecture = circuit.architecture();
  const std::size_t input_size = circuit.tensor(circuit.input_tensor()).logical.element_count();
  const std::size_t output_size = circuit.tensor(circuit.output_tensor()).logical.element_count();
  auto check_values = [](std::span<const std::int64_t> values) -> Status {
    for (std::int64_t v : values) {
      if (v <= -nn::max_magnitude || v >= nn::max_magnitude) return make_error(Errc::invalid_argument, "verify: a value exceeds 2^62");
    }
    return {};
  };
  for (const auto& input : inputs) {
    if (input.size() != input_size) return make_error(Errc::invalid_argument, "verify: an input has the wrong size");
    if (auto ok = check_values(input); !ok) return ok;
  }
  if (result.conclusion == Conclusion::outputs) {
    if (result.outputs.size() != inputs.size()) return make_error(Errc::invalid_argument, "verify: one output per input expected");
    for (const auto& output : result.outputs) {
      if (output.size() != output_size) return make_error(Errc::invalid_argument, "verify: an output has the wrong size");
      if (auto ok = check_values(output); !ok) return ok;
    }
  } else if (auto ok = circuit.argmax().check_labels(result.labels); !ok) {
    return ok;
  }

  io::ByteReader in(proof.bytes);
  auto version = in.read_u8("model proof version");
  if (!version) return version.error();
  if (*version != model_proof_version) {
    return make_error(Errc::invalid_encoding, "model proof: unsupported version " + std::to_string(*version));
  }
  auto mode = in.read_u8("model proof mode");
  if (!mode) return mode.error();
  if (*mode > 1) return make_error(Errc::invalid_encoding, "model proof: unknown mode " + std::to_string(*mode));
  const bool zk = *mode == 1;
  in.set_zero_knowledge(zk);
  if (auto ok = pcs.check_model_commitment(commitment.weights, circuit.weights_layout().num_vars()); !ok) {
    return make_error(ok.error().code, "model commitment: " + ok.error().message);
  }
  auto aux_blob = read_blob(in, "auxiliary commitment");
  if (!aux_blob) return aux_blob.error();
  auto aux_commitment = P::decode_commitment(*aux_blob);
  if (!aux_commitment) return aux_commitment.error();
  if (auto ok = pcs.check_witness_commitment(*aux_commitment, circuit.aux_layout().num_vars(), commitment.weights, zk); !ok) {
    return make_error(ok.error().code, "model proof: " + ok.error().message);
  }
  std::optional<typename P::MaskVerifier> masks;
  if (zk) {
    auto read = pcs.read_masks(in, *aux_commitment);
    if (!read) return read.error();
    masks.emplace(std::move(*read));
  }
  MaskingTranscript<typename P::MaskVerifier> transcript("zkcnn/model", masks ? &*masks : nullptr);
  absorb_statement<P>(transcript, pcs, architecture, commitment, inputs, result, zk);
  P::absorb_commitment(transcript, *aux_commitment);

  ClaimBook<F> book;
  book.tensors.resize(circuit.tensor_count());
  const std::size_t output = circuit.output_tensor();
  if (result.conclusion == Conclusion::outputs) {
    auto point = transcript.template challenges<F>("zkcnn/output_point", circuit.tensor(output).physical.num_vars());
    const std::vector<F> table = circuit.tensor_table(output, result.outputs);
    const F value = evaluate_multilinear(std::span<const F>(table), std::span<const F>(point));
    book.tensors[output].push_back({std::move(point), value});
  } else {
    auto argmax = circuit.argmax().read_proof(in);
    if (!argmax) return argmax.error();
    auto claims = circuit.argmax().verify(result.labels, result.correct, *argmax, transcript);
    if (!claims) return make_error(claims.error().code, "accuracy: " + claims.error().message);
    book.route(circuit, *claims);
  }
  for (std::size_t s = circuit.steps().size(); s-- > 0;) {
    const auto& step = circuit.steps()[s];
    const std::size_t num_vars = circuit.tensor(step.output).physical.num_vars();
    const std::span<const gkr::Claim<F>> claims(book.tensors[step.output]);
    auto status = std::visit(
        [&](const auto& layer) -> Status {
          auto input_claims = verify_layer(layer, claims, num_vars, in, transcript);
          if (!input_claims) return input_claims.error();
          book.route(circuit, step, std::span<const gkr::InputClaim<F>>(*input_claims));
          return {};
        },
        step.layer);
    if (!status) {
      return make_error(status.error().code,
                        nn::layer_name(architecture.layers[step.spec], step.spec) + ": " + status.error().message);
    }
  }
  // The claims left on the public input.
  {
    const std::size_t input = circuit.input_tensor();
    const std::size_t num_vars = circuit.tensor(input).physical.num_vars();
    const auto& claims = book.tensors[input];
    std::vector<gkr::SumcheckStep<F>> input_proof;
    if (gkr::public_claims_need_proof(std::span<const gkr::Claim<F>>(claims))) {
      auto step = gkr::read_step<F>(in, num_vars, 2, 0);
      if (!step) return step.error();
      input_proof.push_back(std::move(*step));
    }
    const std::vector<F> table = circuit.tensor_table(input, inputs);
    if (auto ok = gkr::verify_public_claims(std::span<const F>(table), num_vars, std::span<const gkr::Claim<F>>(claims),
                                            std::span<const gkr::SumcheckStep<F>>(input_proof), transcript);
        !ok) {
      return make_error(ok.error().code, "model proof: the claims on the input do not hold");
    }
  }
  if (zk) {
    auto lookup = gkr::read_fraction_sum<F>(in, circuit.aux_layout().num_vars());
    if (!lookup) return lookup.error();
    auto range_claims = verify_masked_range_check(circuit.aux_layout(), circuit.range_layout(), table_matrix, *lookup, transcript);
    if (!range_claims) return make_error(range_claims.error().code, "auxiliary witness: " + range_claims.error().message);
    book.aux.insert(book.aux.end(), range_claims->begin(), range_claims->end());
    if (auto ok = pcs.verify_hidden_claims(commitment.weights, *aux_commitment, *masks, std::move(book.weights),
                                           std::move(book.aux), transcript, in);
        !ok) {
      return ok;
    }
    return in.expect_end("model proof");
  }
  auto weights_blob = read_blob(in, "weights opening");
  if (!weights_blob) return weights_blob.error();
  auto weights_opening = P::decode_batch_proof(*weights_blob);
  if (!weights_opening) return weights_opening.error();
  const auto weights_claims = plain_claims(book.weights);
  if (auto ok = pcs.verify_batch(commitment.weights, std::span<const EvaluationClaim<F>>(weights_claims), *weights_opening,
                                 transcript);
      !ok) {
    return make_error(ok.error().code, "model weights: " + ok.error().message);
  }
  auto range_check = read_range_check<P>(in, circuit.aux_layout(), circuit.range_layout());
  if (!range_check) return range_check.error();
  if (auto ok = verify_range_check(pcs, circuit.aux_layout(), circuit.range_layout(), *aux_commitment,
                                   plain_claims(book.aux), *range_check, transcript);
      !ok) {
    return make_error(ok.error().code, "auxiliary witness: " + ok.error().message);
  }
  return in.expect_end("model proof");
}

}  // namespace detail

/// Checks a model proof for a batch of public inputs and claimed outputs, against a circuit
/// compiled for that batch (compile_for_verifier); returns why it is rejected, if it is.
template <ModelCommitmentScheme P, nn::ModelArchitecture Arch>
Status verify_model(const P& pcs, const ModelCircuit<typename P::Challenge, Arch>& circuit, const ModelCommitment<P>& commitment,
                    std::span<const std::vector<std::int64_t>> inputs, std::span<const std::vector<std::int64_t>> outputs,
                    const ModelProof& proof) {
  return detail::verify_statement(pcs, circuit, commitment, inputs, {Conclusion::outputs, outputs, {}, 0}, proof);
}

/// The same from the architecture, whose circuit is compiled only if verifying it stays
/// within `limits`.
template <ModelCommitmentScheme P, nn::ModelArchitecture Arch>
Status verify_model(const P& pcs, const Arch& architecture, const ModelCommitment<P>& commitment,
                    std::span<const std::vector<std::int64_t>> inputs, std::span<const std::vector<std::int64_t>> outputs,
                    const ModelProof& proof, const VerifierLimits& limits = {}) {
  auto circuit = compile_for_verifier<typename P::Challenge>(architecture, inputs.size(), Conclusion::outputs, limits);
  if (!circuit) return circuit.error();
  return verify_model(pcs, *circuit, commitment, inputs, outputs, proof);
}

}  // namespace zkcnn::zk
