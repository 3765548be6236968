#pragma once
// A fully connected layer with a batch dimension, proven by the matrix-multiplication sumcheck
// (docs/protocol.md section 5; Thaler, "Proofs, Arguments, and Zero-Knowledge", section 4.4).
//
// Inputs 0: W (out, in), 1: X (batch, in); output Y (batch, out),
//   Y[b][o] = sum_{i < in} W[o][i] X[b][i],
// each tensor in the padded layout of nn/tensor_shape.hpp (batch highest, last dimension lowest).
//
// Protocol. The claim Y~(r_b, r_o) = v (r_o the low out-bits of the point, r_b the high
// batch-bits) is, by multilinearity in the output indices,
//   v = sum_{i in {0,1}^n_in} W~(r_o, i) X~(r_b, i) [i real]
// where the features have a shape of their own (a vector of `in` entries, or the (C, H, W) of
// a flattened image, which keeps its padded layout) and n_in is that shape's number of
// variables.
// One sumcheck over i proves it: degree 2 when the layout has no padding (the indicator is 1),
// and degree 3 with the shape's real-entry indicator as a third factor otherwise. At its final
// point u the prover sends W~(r_o, u) and X~(r_b, u); the verifier checks the subclaim against
// their product times the indicator's extension at u (TensorShape::indicator, closed form) and
// leaves the claims W~(u, r_o), X~(u, r_b).
//
// Why the indicator: the contraction index must not reach padding. Padding is zero for honest
// tables, but a committed weight table is the prover's choice; with the indicator, the real
// outputs Y[b < batch][o < out] depend only on the real entries of W and X whatever the padding
// holds (the padding of Y may then be non-zero, and every layer's contraction ignores it in turn).
//
// Costs (|W| = out * in, |X| = batch * in, entries actually stored):
//   prover    O(|W| + |X|): binding the high variables of W at r_o and of X at r_b (one
//             multiply-add per entry), then a sumcheck over 2^n_in entries;
//   verifier  O(n_in + n_out + n_batch): the sumcheck rounds and one prefix_indicator;
//   proof     n_in * d + 2 field elements, d = 2 or 3 as above.
// Soundness error: a false output claim leaves two true input claims with probability at most
// d * n_in / |F| (the sumcheck; the final check itself is exact).

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
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
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::nn {

template <EncodableField F>
class DenseLayer {
 public:
  /// The sumcheck over the input index and the values W~(u, r_o), X~(u, r_b) after it.
  using Proof = gkr::SumcheckStep<F>;

  DenseLayer(std::size_t batch, std::size_t out_features, std::size_t in_features)
      : DenseLayer(batch, out_features, TensorShape{in_features}) {}

  /// Input features with a shape of their own: a flattened image (C, H, W) keeps its padded
  /// layout, and the contraction runs over its real entries only.
  DenseLayer(std::size_t batch, std::size_t out_features, TensorShape features)
      : batch_(batch), out_(out_features), features_(std::move(features)), in_(features_.element_count()) {
    if (batch == 0 || out_features == 0) throw std::invalid_argument("DenseLayer: every size must be positive");
  }

  std::size_t batch() const { return batch_; }
  std::size_t out_features() const { return out_; }
  std::size_t in_features() const { return in_; }
  const TensorShape& feature_shape() const { return features_; }
  TensorShape weight_shape() const { return TensorShape{out_, row_length()}; }
  TensorShape input_shape() const { return TensorShape{batch_, row_length()}; }
  TensorShape output_shape() const { return TensorShape{batch_, out_}; }

  std::size_t input_count() const { return 2; }
  std::size_t input_num_vars(std::size_t index) const {
    if (index == 0) return weight_shape().num_vars();
    if (index == 1) return input_shape().num_vars();
    throw std::invalid_argument("DenseLayer: input index out of range");
  }
  std::size_t output_num_vars() const { return output_shape().num_vars(); }

  /// Y[b][o] = sum_i W[o][i] X[b][i] over the real feature entries; the padding of Y is zero.
  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    check_inputs(inputs);
    const std::span<const F> w = inputs[0], x = inputs[1];
    const std::size_t row = row_length();
    const std::vector<F> real = real_entries();
    const TensorShape out_shape = output_shape();
    std::vector<F> y(out_shape.padded_size(), F::zero());
    auto at = [](std::span<const F> table, std::size_t i) { return i < table.size() ? table[i] : F::zero(); };
    for (std::size_t b = 0; b < batch_; ++b) {
      for (std::size_t o = 0; o < out_; ++o) {
        F sum = F::zero();
        for (std::size_t i = 0; i < row; ++i) {
          if (real[i] != F::zero()) sum += at(w, o * row + i) * at(x, b * row + i);
        }
        y[out_shape.offset({b, o})] = sum;
      }
    }
    return y;
  }

  /// Proves a true claim on Y~; leaves claims on W~ (input 0) and X~ (input 1).
  template <class T>
  gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs, const gkr::Claim<F>& claim,
                                         T& transcript) const {
    check_inputs(inputs);
    check_claim(claim);
    absorb_statement(transcript, claim);
    const auto parts = output_shape().split(std::span<const F>(claim.point));
    const std::span<const F> r_b = parts[0], r_o = parts[1];
    std::vector<std::vector<F>> tables;
    tables.push_back(bind_high_variables(inputs[0], in_bits(), r_o));
    tables.push_back(bind_high_variables(inputs[1], in_bits(), r_b));
    std::vector<std::size_t> factors{0, 1};
    if (!features_full()) {
      tables.push_back(real_entries());
      factors.push_back(2);
    }
    sumcheck::SumOfProducts<F> g(in_bits(), std::move(tables), {{F::one(), std::move(factors)}});
    const std::size_t sent[] = {0, 1};
    auto proven = gkr::prove_step(std::move(g), claim.masked_value(), std::span<const std::size_t>(sent), transcript);
    auto claims = input_claims(proven.point, {proven.sent(0), proven.sent(1)}, r_b, r_o);
    return {std::move(proven.step), std::move(claims)};
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(const gkr::Claim<F>& claim, const Proof& proof, T& transcript) const {
    check_claim(claim);
    absorb_statement(transcript, claim);
    auto subclaim = gkr::verify_step(claim.masked_value(), in_bits(), degree(), 2, proof, transcript);
    if (!subclaim) return subclaim.error();
    const std::span<const F> u(subclaim->point);
    F expected = proof.evaluations[0] * proof.evaluations[1];
    if (!features_full()) expected *= features_.indicator(u);
    if (auto ok = gkr::check_step(*subclaim, expected, "dense layer"); !ok) return ok.error();
    const auto parts = output_shape().split(std::span<const F>(claim.point));
    return input_claims(subclaim->point, {gkr::sent_value(proof, *subclaim, 0), gkr::sent_value(proof, *subclaim, 1)},
                        parts[0], parts[1]);
  }

  void write_proof(const Proof& proof, io::ByteWriter& out) const { gkr::write_step(out, proof); }
  Result<Proof> read_proof(io::ByteReader& in) const { return gkr::read_step<F>(in, in_bits(), degree(), 2); }

 private:
  std::size_t in_bits() const { return features_.num_vars(); }
  std::size_t row_length() const { return features_.padded_size(); }
  /// Whether every entry of the padded feature layout is a real one (no indicator needed).
  bool features_full() const { return in_ == row_length(); }
  std::size_t degree() const { return features_full() ? 2 : 3; }

  // 1 at the real feature entries of the padded layout, 0 in its padding.
  std::vector<F> real_entries() const {
    std::vector<F> mask(row_length(), F::zero());
    const auto dims = features_.dims();
    std::vector<std::size_t> index(dims.size(), 0);
    for (std::size_t n = 0; n < in_; ++n) {
      std::size_t rest = n;
      for (std::size_t d = dims.size(); d-- > 0;) {
        index[d] = rest % dims[d];
        rest /= dims[d];
      }
      mask[features_.offset(std::span<const std::size_t>(index))] = F::one();
    }
    return mask;
  }

  void check_inputs(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != 2) throw std::invalid_argument("DenseLayer: expected two inputs (W, X)");
    if (inputs[0].size() > weight_shape().padded_size() || inputs[1].size() > input_shape().padded_size()) {
      throw std::invalid_argument("DenseLayer: an input is larger than its padded shape");
    }
  }
  void check_claim(const gkr::Claim<F>& claim) const {
    gkr::require_dimension(claim, output_num_vars(), "DenseLayer");
  }

  /// The layer's public shape and the claim, before any challenge; both sides call this.
  template <class T>
  void absorb_statement(T& transcript, const gkr::Claim<F>& claim) const {
    transcript.absorb_string("nn/layer", "dense");
    transcript.absorb_u64("nn/dense/batch", batch_);
    transcript.absorb_u64("nn/dense/out", out_);
    transcript.absorb_u64("nn/dense/in", in_);
    for (std::size_t d : features_.dims()) transcript.absorb_u64("nn/dense/feature_dim", d);
    gkr::absorb_claim(transcript, claim);
  }

  static std::vector<gkr::InputClaim<F>> input_claims(std::span<const F> u, std::array<gkr::MaskedValue<F>, 2> values,
                                                      std::span<const F> r_b, std::span<const F> r_o) {
    auto concat = [&](std::span<const F> high) {
      std::vector<F> point(u.begin(), u.end());
      point.insert(point.end(), high.begin(), high.end());
      return point;
    };
    std::vector<gkr::InputClaim<F>> claims;
    claims.push_back({0, gkr::make_claim(concat(r_o), std::move(values[0]))});
    claims.push_back({1, gkr::make_claim(concat(r_b), std::move(values[1]))});
    return claims;
  }

  std::size_t batch_;
  std::size_t out_;
  TensorShape features_;
  std::size_t in_;
};

}  // namespace zkcnn::nn
