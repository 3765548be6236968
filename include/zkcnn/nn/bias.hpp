#pragma once
// Adding a per-channel bias (docs/protocol.md section 5): Y = Z + broadcast(bias), where Z has shape
// (d_0, ..., d_m) in the padded layout of nn/tensor_shape.hpp and `bias` has shape (d_c) for one
// chosen dimension c, added at every entry whose other indices are inside their real ranges:
//   Y[j] = Z[j] + bias[j_c] * prod_{d != c} [j_d < d_d].
// Inputs 0: Z, 1: bias; output Y, of Z's shape.
//
// Protocol (no sumcheck). The broadcast is separable, so for a claim Y~(r) = v,
//   Y~(r) = Z~(r) + bias~(r_c) * prod_{d != c} prefix_indicator(r_d, d_d),
// with r_d the sub-point of dimension d. The prover sends z = Z~(r) and beta = bias~(r_c)
// (bound into the transcript with absorb_evaluations); the verifier checks
// v == z + beta * prod_d prefix_indicator(r_d, d_d) and leaves the claims Z~(r) = z and
// bias~(r_c) = beta. If both hold, v is the true Y~(r); so a false claim leaves a false input
// claim with certainty (no soundness error of its own).
//
// Padding: the entries j with j_c >= d_c (and every other index real) receive bias[j_c], the
// bias table's padding (zero for an honest table). Only the padding of Y depends on it.
//
// Zero knowledge (docs/protocol.md section 8). With a mask commitment on the transcript
// (gkr::masks_of) the prover draws two fresh committed lines and sends z' = z + S_z and
// beta' = beta + S_b (S = R(0) + R(1) for a line R, gkr/claim.hpp), uniformly random; the claims
// it leaves carry the mask terms (1, line) for the layers that prove them to discharge. The
// equation can no longer be checked on the sent values: it holds of the true values,
//   v - sum_t kappa_t S_t = (z' - S_z) + B (beta' - S_b),   B = prod_d prefix_indicator(r_d, d_d),
// with kappa_t S_t the output claim's mask terms, and is linear in the committed entries, so both
// sides record it as a claim on the mask commitment (gkr::LinearClaim), opened with the others at
// the end of the proof. The proof keeps its two field elements.
//
// Costs: prover O(|Z| + d_c) (two multilinear evaluations), verifier O(num_vars(Z)),
// proof 2 field elements.

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/layer.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/tensor_shape.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"

namespace zkcnn::nn {

template <EncodableField F>
struct BiasProof {
  F input_value;  ///< Z~(r)
  F bias_value;   ///< bias~(r_c)

  friend bool operator==(const BiasProof&, const BiasProof&) = default;
};

template <EncodableField F>
class BiasLayer {
 public:
  using Proof = BiasProof<F>;

  /// `shape` is Z's (and Y's) shape; the bias runs along dimension `channel_dim` of it.
  BiasLayer(TensorShape shape, std::size_t channel_dim)
      : shape_(std::move(shape)), channel_dim_(channel_dim), bias_shape_{channel_size(shape_, channel_dim)} {}

  const TensorShape& shape() const { return shape_; }
  std::size_t channel_dim() const { return channel_dim_; }
  const TensorShape& bias_shape() const { return bias_shape_; }

  std::size_t input_count() const { return 2; }
  std::size_t input_num_vars(std::size_t index) const {
    if (index == 0) return shape_.num_vars();
    if (index == 1) return bias_shape_.num_vars();
    throw std::invalid_argument("BiasLayer: input index out of range");
  }
  std::size_t output_num_vars() const { return shape_.num_vars(); }

  /// Y[j] = Z[j] + bias[j_c] where every index but j_c is real, Y[j] = Z[j] elsewhere.
  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    check_inputs(inputs);
    const std::span<const F> z = inputs[0], bias = inputs[1];
    std::vector<F> y(shape_.padded_size(), F::zero());
    std::copy(z.begin(), z.end(), y.begin());
    const auto dims = shape_.dims();
    const auto bits = shape_.dimension_bits();
    // Bits of the dimensions below c (the "inner" block) and above it.
    std::size_t inner_bits = 0;
    for (std::size_t d = channel_dim_ + 1; d < dims.size(); ++d) inner_bits += bits[d];
    const std::size_t channel_bits = bits[channel_dim_];
    // Walk the real multi-indices of the dimensions other than c, and every padded channel.
    std::vector<std::size_t> index(dims.size(), 0);
    const std::size_t channels = std::size_t{1} << channel_bits;
    while (true) {
      std::size_t position = shape_.offset(std::span<const std::size_t>(index));
      for (std::size_t ch = 0; ch < channels && ch < bias.size(); ++ch) {
        y[position + (ch << inner_bits)] += bias[ch];
      }
      // Next multi-index over the dimensions other than c (last dimension fastest).
      std::size_t d = dims.size();
      while (d-- > 0) {
        if (d == channel_dim_) continue;
        if (++index[d] < dims[d]) break;
        index[d] = 0;
      }
      if (d == static_cast<std::size_t>(-1)) break;
    }
    return y;
  }

  template <class T>
  gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs, const gkr::Claim<F>& claim,
                                         T& transcript) const {
    check_inputs(inputs);
    check_claim(claim);
    absorb_statement(transcript, claim);
    const auto parts = shape_.split(std::span<const F>(claim.point));
    Proof proof{evaluate_multilinear(inputs[0], std::span<const F>(claim.point)),
                evaluate_multilinear(inputs[1], parts[channel_dim_])};
    SentMasks sent_masks;
    auto* masks = gkr::masks_of(transcript);
    if constexpr (!std::is_same_v<decltype(masks), void*>) {
      if (masks != nullptr) {
        const std::size_t first = masks->draw(2 * line_entries, transcript);
        sent_masks = line_masks(first);
        proof.input_value += gkr::line_sum(*masks, first);
        proof.bias_value += gkr::line_sum(*masks, first + line_entries);
      }
    }
    absorb_proof(transcript, proof);
    if constexpr (!std::is_same_v<decltype(masks), void*>) {
      if (masks != nullptr) masks->claim(relation_claim(claim, proof, sent_masks));
    }
    auto claims = input_claims(claim, proof, sent_masks);
    return {std::move(proof), std::move(claims)};
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(const gkr::Claim<F>& claim, const Proof& proof, T& transcript) const {
    check_claim(claim);
    absorb_statement(transcript, claim);
    SentMasks sent_masks;
    auto* masks = gkr::masks_of(transcript);
    if constexpr (!std::is_same_v<decltype(masks), void*>) {
      if (masks != nullptr) {
        auto first = masks->draw(2 * line_entries, transcript);
        if (!first) return first.error();
        sent_masks = line_masks(*first);
      }
    }
    absorb_proof(transcript, proof);
    const bool masked = !sent_masks[0].empty();
    if (!masked) {
      if (!claim.masks.empty()) throw std::logic_error("BiasLayer: a masked claim outside a zero-knowledge proof");
      if (claim.value != proof.input_value + proof.bias_value * broadcast(claim)) {
        return make_error(Errc::verification_failed, "bias layer: the output claim is not Z~(r) + bias~(r_c)");
      }
    }
    if constexpr (!std::is_same_v<decltype(masks), void*>) {
      if (masked) masks->claim(relation_claim(claim, proof, sent_masks));
    }
    return input_claims(claim, proof, sent_masks);
  }

  void write_proof(const Proof& proof, io::ByteWriter& out) const {
    out.write_field(proof.input_value);
    out.write_field(proof.bias_value);
  }
  Result<Proof> read_proof(io::ByteReader& in) const {
    auto z = in.read_field<F>("bias layer input value");
    if (!z) return z.error();
    auto b = in.read_field<F>("bias layer bias value");
    if (!b) return b.error();
    return Proof{*z, *b};
  }

 private:
  // A committed line R(w) = c + d w takes two entries (gkr::MaskTerm); the prover draws one per
  // sent value.
  static constexpr std::size_t line_entries = 2;

  // The mask terms of the sent values (Z~(r), bias~(r_c)): none outside zero knowledge.
  using SentMasks = std::array<std::vector<gkr::MaskTerm<F>>, 2>;

  static SentMasks line_masks(std::size_t first) {
    return {std::vector<gkr::MaskTerm<F>>{{F::one(), first}},
            std::vector<gkr::MaskTerm<F>>{{F::one(), first + line_entries}}};
  }

  // B = prod_{d != c} prefix_indicator(r_d, d_d): the broadcast's weight at the claim's point.
  F broadcast(const gkr::Claim<F>& claim) const {
    const auto parts = shape_.split(std::span<const F>(claim.point));
    F value = F::one();
    for (std::size_t d = 0; d < parts.size(); ++d) {
      if (d != channel_dim_) value *= prefix_indicator(parts[d], shape_.dim(d));
    }
    return value;
  }

  // The equation v = z + B beta on masked values: v' - z' - B beta' equals the same combination
  // of the mask terms, a claim on the committed entries (2 c + d per term's line).
  gkr::LinearClaim<F> relation_claim(const gkr::Claim<F>& claim, const Proof& proof,
                                     const SentMasks& sent_masks) const {
    gkr::MaskedValue<F> residual = claim.masked_value();
    residual.add(-F::one(), {proof.input_value, sent_masks[0]});
    residual.add(-broadcast(claim), {proof.bias_value, sent_masks[1]});
    gkr::LinearClaim<F> out{{}, residual.value};
    for (const auto& term : residual.masks) out.add_line(term.mask, term.coefficient);
    return out;
  }

  static std::size_t channel_size(const TensorShape& shape, std::size_t channel_dim) {
    if (channel_dim >= shape.dims().size()) throw std::invalid_argument("BiasLayer: channel dimension out of range");
    return shape.dim(channel_dim);
  }

  void check_inputs(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != 2) throw std::invalid_argument("BiasLayer: expected two inputs (Z, bias)");
    if (inputs[0].size() > shape_.padded_size() || inputs[1].size() > bias_shape_.padded_size()) {
      throw std::invalid_argument("BiasLayer: an input is larger than its padded shape");
    }
  }
  void check_claim(const gkr::Claim<F>& claim) const {
    gkr::require_dimension(claim, output_num_vars(), "BiasLayer");
  }

  template <class T>
  void absorb_statement(T& transcript, const gkr::Claim<F>& claim) const {
    transcript.absorb_string("nn/layer", "bias");
    transcript.absorb_u64("nn/bias/rank", shape_.dims().size());
    for (std::size_t d : shape_.dims()) transcript.absorb_u64("nn/bias/dim", d);
    transcript.absorb_u64("nn/bias/channel_dim", channel_dim_);
    gkr::absorb_claim(transcript, claim);
  }
  template <class T>
  static void absorb_proof(T& transcript, const Proof& proof) {
    const F values[] = {proof.input_value, proof.bias_value};
    gkr::absorb_evaluations(transcript, std::span<const F>(values));
  }

  std::vector<gkr::InputClaim<F>> input_claims(const gkr::Claim<F>& claim, const Proof& proof,
                                               const SentMasks& sent_masks) const {
    const auto parts = shape_.split(std::span<const F>(claim.point));
    const auto r_c = parts[channel_dim_];
    std::vector<gkr::InputClaim<F>> claims;
    claims.push_back({0, gkr::make_claim(claim.point, {proof.input_value, sent_masks[0]})});
    claims.push_back({1, gkr::make_claim(std::vector<F>(r_c.begin(), r_c.end()), {proof.bias_value, sent_masks[1]})});
    return claims;
  }

  TensorShape shape_;
  std::size_t channel_dim_;
  TensorShape bias_shape_;
};

}  // namespace zkcnn::nn
