#pragma once
// Rescale and ReLU with one bit decomposition (PROTOCOL.md section 6; zkCNN section 5).
//
// The accumulator A of a convolution or dense layer, a tensor of signed integers in
// [-2^(Q-1), 2^(Q-1)), is decomposed into the bits b_0..b_{Q-1} of A + 2^(Q-1) (two's
// complement with the sign bit flipped). Then b_{Q-1} = 1 exactly when A >= 0, and
//   R = ReLU(floor(A / 2^s)) = b_{Q-1} * sum_{k=s}^{Q-2} 2^(k-s) b_k.
// The bits are committed by the prover (the auxiliary witness), stored as one table
// B[k][x] (k in the highest variables). This layer reduces a claim R~(r) = v by one degree-3
// sumcheck, sum_x eq(r, x) b_{Q-1}(x) L(x) with L = sum_{k=s}^{Q-2} 2^(k-s) b_k, after which the
// prover sends every b_k~(u). The verifier recombines them into
//   a claim on B at (u, rho), rho random: B~(u, rho) = sum_k eq(rho, k) b_k~(u), and
//   a claim on A at u:                    A~(u) = sum_k 2^k b_k~(u) - 2^(Q-1).
// The second ties the bits to the accumulator the previous layer proves; that the bits are
// bits (b(b - 1) = 0) is one zero-check over the whole auxiliary witness, done by the model
// proof, not per layer. Padding entries of A are zero, so their bits encode 2^(Q-1).

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/layer.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/integer.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::nn {

/// Bit decompositions of integer tensors: the auxiliary witness of range checks.
template <EncodableField F>
struct BitDecomposition {
  /// The table B[k][x] of the bits of values[x] + 2^(bits-1), k in the highest variables
  /// (bits padded to a power of two with zero rows); entries of `values` past its end, up to
  /// 2^num_vars, are decomposed as zeros. Fails, naming the position and the value, when a
  /// value is outside [-2^(bits-1), 2^(bits-1)).
  static Result<std::vector<F>> of(std::span<const F> values, std::size_t num_vars, std::size_t bits) {
    return decompose(values, num_vars, bits, true);
  }

  /// The same for values in [0, 2^bits), decomposed as they are.
  static Result<std::vector<F>> of_unsigned(std::span<const F> values, std::size_t num_vars, std::size_t bits) {
    return decompose(values, num_vars, bits, false);
  }

 private:
  static Result<std::vector<F>> decompose(std::span<const F> values, std::size_t num_vars, std::size_t bits,
                                          bool is_signed) {
    const std::size_t length = std::size_t{1} << num_vars;
    std::vector<F> table((std::size_t{1} << zkcnn::detail::ceil_log2(bits)) * length, F::zero());
    const std::int64_t offset = is_signed ? std::int64_t{1} << (bits - 1) : 0;
    const std::int64_t lowest = -offset, highest = (std::int64_t{1} << bits) - offset;
    for (std::size_t x = 0; x < length; ++x) {
      std::int64_t value = 0;
      if (x < values.size()) {
        const auto integer = to_small_integer(values[x]);
        if (!integer || *integer < lowest || *integer >= highest) {
          return make_error(Errc::invalid_argument,
                            "value " + (integer ? std::to_string(*integer) : std::string("(not a small integer)")) +
                                " at position " + std::to_string(x) + " is outside the " + std::to_string(bits) +
                                "-bit range [" + std::to_string(lowest) + ", " + std::to_string(highest) + ")");
        }
        value = *integer;
      }
      const auto shifted = static_cast<std::uint64_t>(value + offset);
      for (std::size_t k = 0; k < bits; ++k) {
        if ((shifted >> k) & 1) table[k * length + x] = F::one();
      }
    }
    return table;
  }
};

template <EncodableField F>
class RescaleReluLayer {
 public:
  struct Proof {
    gkr::SumcheckStep<F> product;  // sends b_k~(u) for k = 0..Q-1

    friend bool operator==(const Proof&, const Proof&) = default;
  };

  /// A and R have `num_vars` variables; A's values lie in [-2^(bits-1), 2^(bits-1)), and the
  /// output is ReLU(floor(A / 2^shift)).
  RescaleReluLayer(std::size_t num_vars, std::size_t bits, std::size_t shift)
      : num_vars_(num_vars), bits_(bits), shift_(shift), bit_index_vars_(zkcnn::detail::ceil_log2(bits)) {
    if (bits < 2 || bits > 62) throw std::invalid_argument("RescaleReluLayer: the bit width must be in [2, 62]");
    if (shift > bits - 2) throw std::invalid_argument("RescaleReluLayer: the shift must leave at least one value bit");
  }

  std::size_t input_count() const { return 2; }
  /// Input 0 is the accumulator A, input 1 the bit table B.
  std::size_t input_num_vars(std::size_t input) const {
    if (input > 1) throw std::out_of_range("RescaleReluLayer has two inputs");
    return input == 0 ? num_vars_ : num_vars_ + bit_index_vars_;
  }
  std::size_t output_num_vars() const { return num_vars_; }
  std::size_t bits() const { return bits_; }
  std::size_t shift() const { return shift_; }

  /// R from the bits (what the proof is about); with B = BitDecomposition::of(A), this is
  /// ReLU(floor(A / 2^shift)).
  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    check_inputs(inputs);
    const auto [sign, magnitude] = product_tables(inputs[1]);
    std::vector<F> output(sign.size());
    for (std::size_t x = 0; x < output.size(); ++x) output[x] = sign[x] * magnitude[x];
    return output;
  }

  template <class T>
  gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs, const gkr::Claim<F>& claim,
                                         T& transcript) const {
    check_inputs(inputs);
    check_claim(claim);
    gkr::absorb_claim(transcript, claim);
    auto [sign, magnitude] = product_tables(inputs[1]);
    sumcheck::SumOfProducts<F> g(num_vars_, {eq_table(std::span<const F>(claim.point)), std::move(sign), std::move(magnitude)},
                                 {{F::one(), {0, 1, 2}}});
    auto proven = sumcheck::prove(std::move(g), claim.value, transcript);
    gkr::LayerProverOutput<Proof, F> out;
    out.proof.product.sumcheck = std::move(proven.proof);
    const std::size_t length = std::size_t{1} << num_vars_;
    for (std::size_t k = 0; k < bits_; ++k) {
      out.proof.product.evaluations.push_back(
          evaluate_multilinear(bit_row(inputs[1], k, length), std::span<const F>(proven.point)));
    }
    gkr::absorb_evaluations(transcript, std::span<const F>(out.proof.product.evaluations));
    out.input_claims = input_claims(proven.point, out.proof.product.evaluations, transcript);
    return out;
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(const gkr::Claim<F>& claim, const Proof& proof, T& transcript) const {
    check_claim(claim);
    gkr::absorb_claim(transcript, claim);
    auto subclaim = gkr::verify_step(claim.value, num_vars_, 3, bits_, proof.product, transcript);
    if (!subclaim) return subclaim.error();
    const auto& b = proof.product.evaluations;
    F magnitude = F::zero();
    for (std::size_t k = shift_; k + 1 < bits_; ++k) magnitude += power_of_two<F>(k - shift_) * b[k];
    const F expected = eq_eval(std::span<const F>(claim.point), std::span<const F>(subclaim->point)) * b[bits_ - 1] * magnitude;
    if (auto ok = gkr::check_step(*subclaim, expected, "rescale-ReLU"); !ok) return ok.error();
    return input_claims(subclaim->point, b, transcript);
  }

  void write_proof(const Proof& proof, io::ByteWriter& out) const { gkr::write_step(out, proof.product); }

  Result<Proof> read_proof(io::ByteReader& in) const {
    auto step = gkr::read_step<F>(in, num_vars_, 3, bits_);
    if (!step) return step.error();
    return Proof{std::move(*step)};
  }

 private:
  void check_inputs(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != 2) throw std::invalid_argument("RescaleReluLayer: expected the accumulator and its bits");
    if (inputs[0].size() > (std::size_t{1} << num_vars_) ||
        inputs[1].size() > (std::size_t{1} << (num_vars_ + bit_index_vars_))) {
      throw std::invalid_argument("RescaleReluLayer: an input is longer than its shape");
    }
  }
  void check_claim(const gkr::Claim<F>& claim) const {
    gkr::require_dimension(claim, num_vars_, "RescaleReluLayer");
  }

  static std::span<const F> bit_row(std::span<const F> bits, std::size_t k, std::size_t length) {
    const std::size_t begin = std::min(bits.size(), k * length);
    return bits.subspan(begin, std::min(length, bits.size() - begin));
  }

  // The sign bit b_{Q-1} and L = sum_{k=s}^{Q-2} 2^(k-s) b_k, over the whole hypercube.
  std::pair<std::vector<F>, std::vector<F>> product_tables(std::span<const F> bits) const {
    const std::size_t length = std::size_t{1} << num_vars_;
    std::vector<F> sign(length, F::zero()), magnitude(length, F::zero());
    const auto top = bit_row(bits, bits_ - 1, length);
    std::copy(top.begin(), top.end(), sign.begin());
    for (std::size_t k = shift_; k + 1 < bits_; ++k) {
      const auto row = bit_row(bits, k, length);
      const F weight = power_of_two<F>(k - shift_);
      for (std::size_t x = 0; x < row.size(); ++x) magnitude[x] += weight * row[x];
    }
    return {std::move(sign), std::move(magnitude)};
  }

  // From the bits' values at u: the claim on B at (u, rho) and the claim on A at u.
  template <class T>
  std::vector<gkr::InputClaim<F>> input_claims(std::span<const F> u, std::span<const F> b, T& transcript) const {
    const std::vector<F> rho = transcript.template challenges<F>("nn/relu/bit_index", bit_index_vars_);
    const std::vector<F> rho_weights = eq_table(std::span<const F>(rho));
    F bits_value = F::zero(), accumulator = -power_of_two<F>(bits_ - 1);
    for (std::size_t k = 0; k < bits_; ++k) {
      bits_value += rho_weights[k] * b[k];
      accumulator += power_of_two<F>(k) * b[k];
    }
    std::vector<F> bits_point(u.begin(), u.end());
    bits_point.insert(bits_point.end(), rho.begin(), rho.end());
    return {{0, {std::vector<F>(u.begin(), u.end()), accumulator}}, {1, {std::move(bits_point), bits_value}}};
  }

  std::size_t num_vars_;
  std::size_t bits_;
  std::size_t shift_;
  std::size_t bit_index_vars_;
};

}  // namespace zkcnn::nn
