#pragma once
// The interface every layer of a proven computation models (docs/protocol.md section 4).
//
// A layer computes one output table from its input tables (forward), and, given a claim on
// the multilinear extension of its output, proves it: a proof plus claims on its inputs, which
// the layers that produced those inputs (or a commitment opening) discharge in turn. The
// verifier replays the proof from the same claim, evaluating the layer's wiring itself, and
// obtains the same input claims. Tables are laid out as docs/protocol.md section 2 fixes: every
// tensor dimension padded to a power of two, the last dimension in the lowest bits, padding
// zero.
//
// The generic gate-list layer (gkr/gate_layer.hpp) is one model of this concept; the
// structured layers in nn/ (convolution, dense, bias) are others, with wiring the verifier
// evaluates in closed form instead of gate by gate.

#include <concepts>
#include <cstddef>
#include <span>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/io/byte_stream.hpp"

namespace zkcnn::gkr {

/// What a layer's prover returns: the proof and the claims on its inputs that it leaves.
template <class Proof, Field F>
struct LayerProverOutput {
  Proof proof;
  std::vector<InputClaim<F>> input_claims;
};

/// L is a layer over the field F, proven with transcripts of type T.
///  - input_count(), input_num_vars(i), output_num_vars(): the tables' sizes, as numbers of
///    variables of their multilinear extensions;
///  - forward(inputs): the output table (inputs in input order, each of at most
///    2^input_num_vars(i) entries, missing entries read as zero);
///  - prove(inputs, claim, transcript): the claim is on the output's extension and true;
///  - verify(claim, proof, transcript): the same input claims as the prover's, or why the
///    proof is rejected;
///  - write_proof / read_proof: the proof's bytes; read_proof takes its expected shape from
///    the layer, so hostile bytes cannot request large allocations.
template <class L, class F, class T>
concept Layer = Field<F> && requires(const L& layer, std::span<const std::span<const F>> inputs,
                                     const Claim<F>& claim, T& transcript, const typename L::Proof& proof,
                                     io::ByteWriter& writer, io::ByteReader& reader, std::size_t index) {
  { layer.input_count() } -> std::same_as<std::size_t>;
  { layer.input_num_vars(index) } -> std::same_as<std::size_t>;
  { layer.output_num_vars() } -> std::same_as<std::size_t>;
  { layer.forward(inputs) } -> std::same_as<std::vector<F>>;
  { layer.prove(inputs, claim, transcript) } -> std::same_as<LayerProverOutput<typename L::Proof, F>>;
  { layer.verify(claim, proof, transcript) } -> std::same_as<Result<std::vector<InputClaim<F>>>>;
  layer.write_proof(proof, writer);
  { layer.read_proof(reader) } -> std::same_as<Result<typename L::Proof>>;
};

/// A layer that takes every claim on its output at once and combines them inside its own
/// sumcheck (gkr::combination_coefficients), so a tensor several layers read needs no merge
/// before its layer: prove(inputs, claims, transcript) and verify(claims, proof, transcript),
/// with one claim the same as the single-claim members.
template <class L, class F, class T>
concept CombinesClaims = Layer<L, F, T> && requires(const L& layer, std::span<const std::span<const F>> inputs,
                                                    std::span<const Claim<F>> claims, T& transcript,
                                                    const typename L::Proof& proof) {
  { layer.prove(inputs, claims, transcript) } -> std::same_as<LayerProverOutput<typename L::Proof, F>>;
  { layer.verify(claims, proof, transcript) } -> std::same_as<Result<std::vector<InputClaim<F>>>>;
};

}  // namespace zkcnn::gkr
