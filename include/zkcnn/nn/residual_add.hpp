#pragma once
// A residual connection (docs/protocol.md section 5): Y = 2^a X_0 + 2^b X_1 for two tensors of
// one shape, the powers of two aligning their quantization scales (nn/architecture.hpp, Add).
// Inputs 0: X_0, 1: X_1; output Y, of their shape.
//
// Protocol (no sumcheck): Y~ is linear in the inputs' extensions, so for a claim Y~(r) = v the
// prover sends x_0 = X_0~(r) and x_1 = X_1~(r), the verifier checks v == 2^a x_0 + 2^b x_1 and
// keeps the claims X_t~(r) = x_t (gkr/linear_relation.hpp, which also masks them in zero
// knowledge). A false v leaves a false input claim with certainty. Padding entries add as real
// ones do: zero where both inputs' padding is zero.
//
// Costs: prover O(|Y|) (two multilinear evaluations), verifier O(1) beyond the transcript,
// proof 2 field elements.

#include <cstddef>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/layer.hpp"
#include "zkcnn/gkr/linear_relation.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/tensor_shape.hpp"
#include "zkcnn/poly/multilinear.hpp"

namespace zkcnn::nn {

template <EncodableField F>
struct ResidualAddProof {
  F values[2];  ///< X_0~(r), X_1~(r)

  friend bool operator==(const ResidualAddProof&, const ResidualAddProof&) = default;
};

template <EncodableField F>
class ResidualAddLayer {
 public:
  using Proof = ResidualAddProof<F>;

  /// Both inputs and the output have `shape`; input t is multiplied by 2^shifts[t].
  ResidualAddLayer(TensorShape shape, std::size_t shift_0, std::size_t shift_1)
      : shape_(std::move(shape)), shifts_{shift_0, shift_1} {
    if (shift_0 >= 64 || shift_1 >= 64) throw std::invalid_argument("ResidualAddLayer: a shift beyond 63 bits");
  }

  const TensorShape& shape() const { return shape_; }
  std::size_t shift(std::size_t input) const { return shifts_[input]; }

  std::size_t input_count() const { return 2; }
  std::size_t input_num_vars(std::size_t index) const {
    if (index >= 2) throw std::invalid_argument("ResidualAddLayer: input index out of range");
    return shape_.num_vars();
  }
  std::size_t output_num_vars() const { return shape_.num_vars(); }

  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    check_inputs(inputs);
    const F c0 = coefficient(0), c1 = coefficient(1);
    std::vector<F> y(shape_.padded_size(), F::zero());
    for (std::size_t j = 0; j < inputs[0].size(); ++j) y[j] = c0 * inputs[0][j];
    for (std::size_t j = 0; j < inputs[1].size(); ++j) y[j] += c1 * inputs[1][j];
    return y;
  }

  template <class T>
  gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs, const gkr::Claim<F>& claim,
                                         T& transcript) const {
    check_inputs(inputs);
    gkr::require_dimension(claim, output_num_vars(), "ResidualAddLayer");
    absorb_statement(transcript, claim);
    const std::span<const F> point(claim.point);
    Proof proof{{evaluate_multilinear(inputs[0], point), evaluate_multilinear(inputs[1], point)}};
    const F coefficients[] = {coefficient(0), coefficient(1)};
    auto masks = gkr::send_linear_relation(claim, std::span<const F>(coefficients), std::span<F>(proof.values), transcript);
    auto claims = input_claims(claim, proof, masks);
    return {std::move(proof), std::move(claims)};
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(const gkr::Claim<F>& claim, const Proof& proof, T& transcript) const {
    gkr::require_dimension(claim, output_num_vars(), "ResidualAddLayer");
    absorb_statement(transcript, claim);
    const F coefficients[] = {coefficient(0), coefficient(1)};
    auto masks = gkr::receive_linear_relation(claim, std::span<const F>(coefficients), std::span<const F>(proof.values),
                                              transcript, "residual addition: the output claim is not 2^a X_0~(r) + 2^b X_1~(r)");
    if (!masks) return masks.error();
    return input_claims(claim, proof, *masks);
  }

  void write_proof(const Proof& proof, io::ByteWriter& out) const {
    for (const F& v : proof.values) out.write_field(v);
  }
  Result<Proof> read_proof(io::ByteReader& in) const {
    Proof proof;
    for (F& v : proof.values) {
      auto value = in.read_field<F>("residual addition value");
      if (!value) return value.error();
      v = *value;
    }
    return proof;
  }

 private:
  F coefficient(std::size_t input) const { return F::from_u64(std::uint64_t{1} << shifts_[input]); }

  void check_inputs(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != 2) throw std::invalid_argument("ResidualAddLayer: expected two inputs");
    if (inputs[0].size() > shape_.padded_size() || inputs[1].size() > shape_.padded_size()) {
      throw std::invalid_argument("ResidualAddLayer: an input is larger than its padded shape");
    }
  }

  template <class T>
  void absorb_statement(T& transcript, const gkr::Claim<F>& claim) const {
    transcript.absorb_string("nn/layer", "residual_add");
    transcript.absorb_u64("nn/residual_add/num_vars", shape_.num_vars());
    for (std::size_t s : shifts_) transcript.absorb_u64("nn/residual_add/shift", s);
    gkr::absorb_claim(transcript, claim);
  }

  std::vector<gkr::InputClaim<F>> input_claims(const gkr::Claim<F>& claim, const Proof& proof,
                                               const gkr::SentMasks<F>& masks) const {
    std::vector<gkr::InputClaim<F>> claims;
    for (std::size_t t = 0; t < 2; ++t) claims.push_back({t, gkr::make_claim(claim.point, {proof.values[t], masks[t]})});
    return claims;
  }

  TensorShape shape_;
  std::size_t shifts_[2];
};

}  // namespace zkcnn::nn
