#pragma once
// Rescale and ReLU with one digit decomposition (docs/protocol.md section 6; zkCNN section 5).
//
// The accumulator A of a convolution or dense layer, a tensor of signed integers in
// [-2^(Q-1), 2^(Q-1)), is shifted to A + 2^(Q-1) in [0, 2^Q) (two's complement with the sign
// bit flipped) and split into three parts: the remainder of the rescale (the s low bits), the
// magnitude M (the next Q - s - 1 bits) and the sign bit b, so that b = 1 exactly when A >= 0
// and
//   R = ReLU(floor(A / 2^s)) = b * M.
// The parts' digits are committed by the prover (the auxiliary witness, nn/digits.hpp), one
// table D[j][x] (the digit index j in the highest variables); the model proof checks every
// digit's range (zk/range_check.hpp), and the exact part widths make the decomposition unique.
// This layer reduces a claim R~(r) = v by one degree-3 sumcheck, sum_x eq(r, x) b(x) M(x),
// after which the prover sends the digits' values d_j~(u) (below). Several claims R~(r_k) = v_k
// (R read by several layers) are combined in the same sumcheck with random alpha_k, eq(r, x)
// becoming sum_k alpha_k eq(r_k, x) (gkr::combination_coefficients), so they need no merge. The verifier recombines
// them into
//   a claim on D at (u, rho), rho random: D~(u, rho) = sum_j eq(rho, j) d_j~(u), and
//   a claim on A at u:                    A~(u) = sum_j 2^(offset_j) d_j~(u) - 2^(Q-1).
// The second ties the digits to the accumulator the previous layer proves. Padding entries of
// A are zero, so their digits encode 2^(Q-1).
//
// The sumcheck's factors are eq(r, .) and one table per digit, the sign digit b among them,
// with the magnitude M = sum_j 2^(offset_j - offset_m) d_j in the place of its lowest digit d_m,
// so that the values the prover sends are the step's own factor values (gkr/sumcheck_step.hpp):
// every d_j~(u), except M~(u) in d_m's place. The verifier checks the subclaim against
// eq(r, u) b~(u) M~(u) and recovers d_m~(u) = M~(u) - sum_{j > m} 2^(offset_j - offset_m) d_j~(u)
// over the magnitude's other digits. With a one-digit magnitude M is d_m.
//
// Zero knowledge (docs/protocol.md section 8): the step is masked; the sent values are masked
// factor values, which the final check takes as they are (the masked sumcheck is consistent
// with them), and d_m and the two claims are linear combinations of them that carry their mask
// terms. (Writing M out as one term eq * b * d_j per magnitude digit would keep every sent value
// a digit, at the prover's cost of one term per magnitude digit instead of one in all.)

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/claim_merge.hpp"
#include "zkcnn/gkr/layer.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/digits.hpp"
#include "zkcnn/nn/integer.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::nn {

template <EncodableField F>
class RescaleReluLayer {
 public:
  struct Proof {
    gkr::SumcheckStep<F> product;  // sends d_j~(u) for every digit j

    friend bool operator==(const Proof&, const Proof&) = default;
  };

  /// A and R have `num_vars` variables; A's values lie in [-2^(bits-1), 2^(bits-1)), and the
  /// output is ReLU(floor(A / 2^shift)). Digits have at most `digit_bits` bits.
  RescaleReluLayer(std::size_t num_vars, std::size_t bits, std::size_t shift, std::size_t digit_bits)
      : num_vars_(num_vars), digits_(layout(bits, shift, digit_bits)), shift_(shift) {}

  std::size_t input_count() const { return 2; }
  /// Input 0 is the accumulator A, input 1 the digit table D.
  std::size_t input_num_vars(std::size_t input) const {
    if (input > 1) throw std::out_of_range("RescaleReluLayer has two inputs");
    return input == 0 ? num_vars_ : num_vars_ + digits_.row_vars();
  }
  std::size_t output_num_vars() const { return num_vars_; }
  std::size_t bits() const { return digits_.total_bits(); }
  std::size_t shift() const { return shift_; }
  const DigitLayout& digits() const { return digits_; }
  /// The same layer with digits of at most `digit_bits` bits.
  RescaleReluLayer with_digit_bits(std::size_t digit_bits) const { return {num_vars_, bits(), shift_, digit_bits}; }

  /// The auxiliary witness: the digit table of the accumulators. Fails, naming the position,
  /// if an accumulator is outside [-2^(bits-1), 2^(bits-1)).
  Result<std::vector<F>> witness(std::span<const F> accumulators) const {
    return digit_table(digits_, accumulators, num_vars_, sign_offset());
  }

  /// The digits witness() gives an accumulator of zero, as in the padding: those of 2^(Q-1).
  std::vector<std::uint64_t> padding_digits() const { return digits_.digits_of(static_cast<std::uint64_t>(sign_offset())); }

  /// R from the digits (what the proof is about); with D = witness(A), this is
  /// ReLU(floor(A / 2^shift)).
  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    check_inputs(inputs);
    const std::size_t length = std::size_t{1} << num_vars_;
    const auto sign = digit_row(inputs[1], digits_.part_rows(sign_part).first, length);
    std::vector<F> output = magnitude_table(inputs[1]);
    for (std::size_t x = 0; x < output.size(); ++x) output[x] *= x < sign.size() ? sign[x] : F::zero();
    return output;
  }

  template <class T>
  gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs, const gkr::Claim<F>& claim,
                                         T& transcript) const {
    return prove(inputs, std::span<const gkr::Claim<F>>(&claim, 1), transcript);
  }

  /// Several claims on R (a tensor several layers read, such as a residual block's input):
  /// combined inside the sumcheck, sum_x (sum_k alpha_k eq(r_k, x)) b(x) M(x), with no merge
  /// before it (gkr::CombinesClaims). One claim is proven as above.
  template <class T>
  gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs, std::span<const gkr::Claim<F>> claims,
                                         T& transcript) const {
    check_inputs(inputs);
    for (const auto& claim : claims) check_claim(claim);
    const std::vector<F> alpha = gkr::combination_coefficients(claims, transcript);
    // Factors: 0 is sum_k alpha_k eq(r_k, .), 1 + j is digit row j, or M for j the magnitude's
    // lowest digit.
    const std::size_t length = std::size_t{1} << num_vars_;
    const std::size_t count = digits_.digit_count();
    const std::size_t m = digits_.part_rows(magnitude_part).first;
    std::vector<std::vector<F>> tables;
    tables.reserve(1 + count);
    tables.push_back(gkr::combined_eq_table(claims, std::span<const F>(alpha)));
    for (std::size_t j = 0; j < count; ++j) {
      if (j == m) {
        tables.push_back(magnitude_table(inputs[1]));
      } else {
        const auto row = digit_row(inputs[1], j, length);
        tables.emplace_back(row.begin(), row.end());
      }
    }
    sumcheck::SumOfProducts<F> g(num_vars_, std::move(tables),
                                 {{F::one(), {0, 1 + digits_.part_rows(sign_part).first, 1 + m}}});
    std::vector<std::size_t> sent(count);
    for (std::size_t j = 0; j < count; ++j) sent[j] = 1 + j;
    auto proven = gkr::prove_step(std::move(g), gkr::combined_value(claims, std::span<const F>(alpha)),
                                  std::span<const std::size_t>(sent), transcript);
    std::vector<gkr::MaskedValue<F>> values;
    values.reserve(count);
    for (std::size_t j = 0; j < count; ++j) values.push_back(proven.sent(j));
    gkr::LayerProverOutput<Proof, F> out;
    out.input_claims = input_claims(proven.point, digit_values(std::move(values)), transcript);
    out.proof.product = std::move(proven.step);
    return out;
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(const gkr::Claim<F>& claim, const Proof& proof, T& transcript) const {
    return verify(std::span<const gkr::Claim<F>>(&claim, 1), proof, transcript);
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(std::span<const gkr::Claim<F>> claims, const Proof& proof,
                                                 T& transcript) const {
    for (const auto& claim : claims) check_claim(claim);
    const std::vector<F> alpha = gkr::combination_coefficients(claims, transcript);
    auto subclaim = gkr::verify_step(gkr::combined_value(claims, std::span<const F>(alpha)), num_vars_, 3,
                                     digits_.digit_count(), proof.product, transcript);
    if (!subclaim) return subclaim.error();
    const std::span<const F> sent(proof.product.evaluations);
    const F expected = gkr::combined_weight(claims, std::span<const F>(alpha), std::span<const F>(subclaim->point)) *
                       sent[digits_.part_rows(sign_part).first] * sent[digits_.part_rows(magnitude_part).first];
    if (auto ok = gkr::check_step(*subclaim, expected, "rescale-ReLU"); !ok) return ok.error();
    std::vector<gkr::MaskedValue<F>> values;
    values.reserve(sent.size());
    for (std::size_t j = 0; j < sent.size(); ++j) values.push_back(gkr::sent_value(proof.product, *subclaim, j));
    return input_claims(subclaim->point, digit_values(std::move(values)), transcript);
  }

  void write_proof(const Proof& proof, io::ByteWriter& out) const { gkr::write_step(out, proof.product); }

  Result<Proof> read_proof(io::ByteReader& in) const {
    auto step = gkr::read_step<F>(in, num_vars_, 3, digits_.digit_count());
    if (!step) return step.error();
    return Proof{std::move(*step)};
  }

 private:
  // The parts of A + 2^(Q-1): remainder, magnitude, sign.
  static constexpr std::size_t magnitude_part = 1, sign_part = 2;

  static DigitLayout layout(std::size_t bits, std::size_t shift, std::size_t digit_bits) {
    if (bits < 2 || bits > 62) throw std::invalid_argument("RescaleReluLayer: the bit width must be in [2, 62]");
    if (shift > bits - 2) throw std::invalid_argument("RescaleReluLayer: the shift must leave at least one value bit");
    return DigitLayout({shift, bits - shift - 1, 1}, digit_bits);
  }

  std::int64_t sign_offset() const { return std::int64_t{1} << (digits_.total_bits() - 1); }

  void check_inputs(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != 2) throw std::invalid_argument("RescaleReluLayer: expected the accumulator and its digits");
    if (inputs[0].size() > (std::size_t{1} << num_vars_) ||
        inputs[1].size() > (std::size_t{1} << (num_vars_ + digits_.row_vars()))) {
      throw std::invalid_argument("RescaleReluLayer: an input is longer than its shape");
    }
  }
  void check_claim(const gkr::Claim<F>& claim) const {
    gkr::require_dimension(claim, num_vars_, "RescaleReluLayer");
  }

  // The magnitude M, over the whole hypercube.
  std::vector<F> magnitude_table(std::span<const F> digits) const {
    const std::size_t length = std::size_t{1} << num_vars_;
    std::vector<F> magnitude(length, F::zero());
    const auto [first, last] = digits_.part_rows(magnitude_part);
    for (std::size_t j = first; j < last; ++j) {
      const auto row = digit_row(digits, j, length);
      const F weight = power_of_two<F>(digits_.offset(j) - digits_.offset(first));
      for (std::size_t x = 0; x < row.size(); ++x) magnitude[x] += weight * row[x];
    }
    return magnitude;
  }

  // The digits' values at u from the sent values: d_m = M - sum_{j > m} 2^(offset_j - offset_m)
  // d_j in the place of M, mask terms included.
  std::vector<gkr::MaskedValue<F>> digit_values(std::vector<gkr::MaskedValue<F>> sent) const {
    const auto [first, last] = digits_.part_rows(magnitude_part);
    for (std::size_t j = first + 1; j < last; ++j) {
      sent[first].add(-power_of_two<F>(digits_.offset(j) - digits_.offset(first)), sent[j]);
    }
    return sent;
  }

  // From the digits' values at u (with their mask terms): the claim on D at (u, rho) and the
  // claim on A at u, linear combinations of them.
  template <class T>
  std::vector<gkr::InputClaim<F>> input_claims(std::span<const F> u, std::span<const gkr::MaskedValue<F>> d,
                                               T& transcript) const {
    const std::vector<F> rho = transcript.template challenges<F>("nn/relu/digit_index", digits_.row_vars());
    const std::vector<F> rho_weights = eq_table(std::span<const F>(rho));
    digits_.require_integer_width();
    gkr::MaskedValue<F> digits_value{F::zero()}, accumulator{-F::from_i64(sign_offset())};
    for (std::size_t j = 0; j < digits_.digit_count(); ++j) {
      digits_value.add(rho_weights[j], d[j]);
      accumulator.add(power_of_two<F>(digits_.offset(j)), d[j]);
    }
    std::vector<F> digits_point(u.begin(), u.end());
    digits_point.insert(digits_point.end(), rho.begin(), rho.end());
    return {{0, gkr::make_claim(std::vector<F>(u.begin(), u.end()), std::move(accumulator))},
            {1, gkr::make_claim(std::move(digits_point), std::move(digits_value))}};
  }

  std::size_t num_vars_;
  DigitLayout digits_;
  std::size_t shift_;
};

}  // namespace zkcnn::nn
