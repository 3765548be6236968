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
// Zero knowledge (docs/protocol.md section 8): the two values are sent masked and the equation
// is recorded as a claim on the mask commitment (gkr/linear_relation.hpp). The proof keeps its
// two field elements.
//
// Costs: prover O(|Z| + d_c) (two multilinear evaluations), verifier O(num_vars(Z)),
// proof 2 field elements.

#include <algorithm>
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
#include "zkcnn/gkr/linear_relation.hpp"
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
    F values[] = {evaluate_multilinear(inputs[0], std::span<const F>(claim.point)), evaluate_multilinear(inputs[1], parts[channel_dim_])};
    const F coefficients[] = {F::one(), broadcast(claim)};
    auto masks = gkr::send_linear_relation(claim, std::span<const F>(coefficients), std::span<F>(values), transcript);
    Proof proof{values[0], values[1]};
    auto claims = input_claims(claim, proof, masks);
    return {std::move(proof), std::move(claims)};
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(const gkr::Claim<F>& claim, const Proof& proof, T& transcript) const {
    check_claim(claim);
    absorb_statement(transcript, claim);
    const F values[] = {proof.input_value, proof.bias_value};
    const F coefficients[] = {F::one(), broadcast(claim)};
    auto masks = gkr::receive_linear_relation(claim, std::span<const F>(coefficients), std::span<const F>(values), transcript,
                                              "bias layer: the output claim is not Z~(r) + bias~(r_c)");
    if (!masks) return masks.error();
    return input_claims(claim, proof, *masks);
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
  // B = prod_{d != c} prefix_indicator(r_d, d_d): the broadcast's weight at the claim's point.
  F broadcast(const gkr::Claim<F>& claim) const {
    const auto parts = shape_.split(std::span<const F>(claim.point));
    F value = F::one();
    for (std::size_t d = 0; d < parts.size(); ++d) {
      if (d != channel_dim_) value *= prefix_indicator(parts[d], shape_.dim(d));
    }
    return value;
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
  std::vector<gkr::InputClaim<F>> input_claims(const gkr::Claim<F>& claim, const Proof& proof,
                                               const gkr::SentMasks<F>& sent_masks) const {
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
