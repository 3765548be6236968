#pragma once
// Pooling over non-overlapping square windows of side 2^t (stride = window), the pooling of
// LeNet and VGG (docs/protocol.md sections 5 and 6). The input is a tensor (..., H, W) with H and W
// multiples of the window; the output is (..., H / w, W / w). Then an output position's
// window is its index with t more low bits on the row and on the column, so the padded layouts
// line up: entry o of the output and entry (o, t) of the input differ only in those bits.
//
// Sum pooling (average pooling before its rescale, which the next rescale-ReLU applies): a
// multilinear f satisfies sum_{z in {0,1}^m} f(z) = 2^m f(1/2, ..., 1/2), so
// S~(r) = w^2 A~(r with every window coordinate 1/2). The claim on S becomes one claim on A;
// nothing is sent (a masked claim passes its mask terms on, scaled by 1 / w^2).
//
// Max pooling, applied to accumulators before the rescale-ReLU (both are monotone, so
// max(ReLU(floor(a / 2^s))) = ReLU(floor(max(a) / 2^s)) and one digit decomposition serves both):
// the prover commits the digits of D = M_up - A, M_up the maximum repeated over its window,
// with D in [0, 2^Q) (nn/digits.hpp; the model proof checks the digits' ranges). The layer
// proves
//   (1) M~(r) = A~(r, z) + D~(r, z) for random window coordinates z: if A + D were not constant
//       on every window its extension would depend on z, and the claim, fixed before z, would
//       fail except with probability 2t / |F| (the digits are committed before any challenge);
//   (2) prod_{t in window} D_t(o) = 0 for every output o, by a zero-check sumcheck
//       sum_o eq(tau, o) prod_t D_t(o) = 0 of degree w^2 + 1, D_t the entries at offset t,
//       after which the prover sends the D_t~(u); they merge into one value
//       D~(u, z') = sum_t eq(z', t) D_t~(u) at random window coordinates z'.
// With D >= 0 these say M is at least every entry and equal to one of them: the maximum.
// The two claims on A + D and D, (1) and the merged value, are one sumcheck over the input
// positions x and the digit rows j (degree 2), for a random beta:
//   M~(r) + beta D~(u, z') = sum_{x, j} E1(x, j) A(x) + E2(x, j) Dig(x, j),
//   E1(x, j) = eq((r, z), x) [j = 0],  E2(x, j) = (eq((r, z), x) + beta eq((u, z'), x)) 2^(o_j)
// (o_j digit j's offset, zero weight on the padding rows), A constant in j. The prover sends
// A~ and the digit table's extension at the final point (s_x, s_j); the verifier computes
// E1~ and E2~ itself (O(n + rows)), and the sent values become the claims on A at s_x and on
// the digits at (s_x, s_j). No value is compared outside a sumcheck's final check, so the layer
// is zero-knowledge when its steps are masked (gkr/sumcheck_step.hpp): the merged value is a
// combination of masked sent values and carries their mask terms into the last step's claimed
// sum, with the output claim's. (Checking (1) and the merge by comparing sent values directly,
// as an earlier version did, cannot work in zero knowledge: sent values are masked.)
// Proof: (n_out (w^2 + 1) + w^2) + (2 (n + log rows) + 2) field elements, n_out and n the
// output's and the input's variables (the entries step's tables hold rows |A| entries each).
// Soundness error ((w^2 + 2) n_out + 2 (n + log rows) + 4t + 1) / |F|.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/one_half.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/layer.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/digits.hpp"
#include "zkcnn/nn/integer.hpp"
#include "zkcnn/nn/tensor_shape.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/prover.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::nn {

/// The window arithmetic shared by both poolings.
class PoolGeometry {
 public:
  PoolGeometry(TensorShape input, std::size_t window) : input_(std::move(input)), window_(window), output_(pooled(input_, window)) {
    window_bits_ = zkcnn::detail::ceil_log2(window);
    const auto bits = input_.dimension_bits();
    width_bits_ = bits[bits.size() - 1];
    height_bits_ = bits[bits.size() - 2];
  }

  const TensorShape& input() const { return input_; }
  const TensorShape& output() const { return output_; }
  std::size_t window() const { return window_; }
  /// t: the window is 2^t x 2^t.
  std::size_t window_bits() const { return window_bits_; }
  /// The 2^(2t) offsets inside a window.
  std::size_t window_size() const { return window_ * window_; }

  /// The input position of output position o at window offset (dy, dx), offset = dy * w + dx.
  std::size_t input_index(std::size_t o, std::size_t offset) const {
    const std::size_t t = window_bits_;
    const std::size_t out_width_bits = width_bits_ - t, out_height_bits = height_bits_ - t;
    const std::size_t x = o & ((std::size_t{1} << out_width_bits) - 1);
    const std::size_t y = (o >> out_width_bits) & ((std::size_t{1} << out_height_bits) - 1);
    const std::size_t lead = o >> (out_width_bits + out_height_bits);
    const std::size_t dx = offset & (window_ - 1), dy = offset >> t;
    return (((lead << height_bits_) | (y << t) | dy) << width_bits_) | (x << t) | dx;
  }

  /// The input point of output point r with window coordinates (zy, zx), t each.
  template <Field F>
  std::vector<F> input_point(std::span<const F> r, std::span<const F> zy, std::span<const F> zx) const {
    const std::size_t t = window_bits_;
    const std::size_t out_width_bits = width_bits_ - t;
    std::vector<F> point;
    point.reserve(r.size() + 2 * t);
    point.insert(point.end(), zx.begin(), zx.end());
    point.insert(point.end(), r.begin(), r.begin() + out_width_bits);
    point.insert(point.end(), zy.begin(), zy.end());
    point.insert(point.end(), r.begin() + out_width_bits, r.end());
    return point;
  }

  /// The table of input entries at one window offset, over the output positions.
  template <Field F>
  std::vector<F> offset_table(std::span<const F> values, std::size_t offset) const {
    std::vector<F> out(output_.padded_size());
    for (std::size_t o = 0; o < out.size(); ++o) {
      const std::size_t i = input_index(o, offset);
      out[o] = i < values.size() ? values[i] : F::zero();
    }
    return out;
  }

 private:
  static TensorShape pooled(const TensorShape& input, std::size_t window) {
    const auto dims = input.dims();
    if (dims.size() < 2) throw std::invalid_argument("pooling: the input needs a height and a width");
    if (window < 2 || (window & (window - 1)) != 0) throw std::invalid_argument("pooling: the window must be a power of two, at least 2");
    const std::size_t height = dims[dims.size() - 2], width = dims[dims.size() - 1];
    if (height % window != 0 || width % window != 0) {
      throw std::invalid_argument("pooling: the height and width must be multiples of the window");
    }
    std::vector<std::size_t> out(dims.begin(), dims.end());
    out[out.size() - 2] = height / window;
    out[out.size() - 1] = width / window;
    return TensorShape(std::move(out));
  }

  TensorShape input_;
  std::size_t window_;
  TensorShape output_;
  std::size_t window_bits_ = 0;
  std::size_t width_bits_ = 0;
  std::size_t height_bits_ = 0;
};

/// Sum over each window (average pooling without its division).
template <EncodableField F>
class SumPoolLayer {
 public:
  struct Proof {
    friend bool operator==(const Proof&, const Proof&) = default;
  };

  SumPoolLayer(TensorShape input, std::size_t window) : geometry_(std::move(input), window) {}

  const PoolGeometry& geometry() const { return geometry_; }
  std::size_t input_count() const { return 1; }
  std::size_t input_num_vars(std::size_t input) const {
    if (input != 0) throw std::out_of_range("SumPoolLayer has one input");
    return geometry_.input().num_vars();
  }
  std::size_t output_num_vars() const { return geometry_.output().num_vars(); }

  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != 1 || inputs[0].size() > geometry_.input().padded_size()) {
      throw std::invalid_argument("SumPoolLayer: expected one input of the input shape");
    }
    std::vector<F> output(geometry_.output().padded_size(), F::zero());
    for (std::size_t offset = 0; offset < geometry_.window_size(); ++offset) {
      const auto part = geometry_.offset_table(inputs[0], offset);
      for (std::size_t o = 0; o < output.size(); ++o) output[o] += part[o];
    }
    return output;
  }

  template <class T>
  gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>>, const gkr::Claim<F>& claim,
                                         T& transcript) const {
    return {Proof{}, input_claims(claim, transcript)};
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(const gkr::Claim<F>& claim, const Proof&, T& transcript) const {
    return input_claims(claim, transcript);
  }

  void write_proof(const Proof&, io::ByteWriter&) const {}
  Result<Proof> read_proof(io::ByteReader&) const { return Proof{}; }

 private:
  template <class T>
  std::vector<gkr::InputClaim<F>> input_claims(const gkr::Claim<F>& claim, T& transcript) const {
    gkr::require_dimension(claim, output_num_vars(), "SumPoolLayer");
    gkr::absorb_claim(transcript, claim);
    const std::vector<F> half(geometry_.window_bits(), one_half<F>());
    const F scale = F::from_u64(geometry_.window_size()).inverse().value();
    gkr::MaskedValue<F> value{F::zero()};
    value.add(scale, claim.masked_value());
    return {{0, gkr::make_claim(geometry_.input_point(std::span<const F>(claim.point), std::span<const F>(half),
                                                      std::span<const F>(half)),
                                std::move(value))}};
  }

  PoolGeometry geometry_;
};

/// Maximum over each window, of accumulators in [-2^(bits-1), 2^(bits-1)).
template <EncodableField F>
class MaxPoolLayer {
 public:
  struct Proof {
    /// The zero-check; sends D_t~(u) for every window offset t.
    gkr::SumcheckStep<F> zero_check;
    /// A + D at the window point of the claim and D at the merged point, in one sumcheck over
    /// the input positions and the digit rows; sends A~ and the digit table's extension.
    gkr::SumcheckStep<F> entries;

    friend bool operator==(const Proof&, const Proof&) = default;
  };

  /// Inputs: 0 the accumulators A (`input` shape), 1 the digit table of D = M_up - A, as
  /// witness() makes it, with D in [0, 2^bits) and digits of at most `digit_bits` bits.
  MaxPoolLayer(TensorShape input, std::size_t window, std::size_t bits, std::size_t digit_bits)
      : geometry_(std::move(input), window), digits_(layout(bits, digit_bits)) {}

  const PoolGeometry& geometry() const { return geometry_; }
  std::size_t bits() const { return digits_.total_bits(); }
  const DigitLayout& digits() const { return digits_; }
  /// The same layer with digits of at most `digit_bits` bits.
  MaxPoolLayer with_digit_bits(std::size_t digit_bits) const {
    return {geometry_.input(), geometry_.window(), bits(), digit_bits};
  }
  std::size_t input_count() const { return 2; }
  std::size_t input_num_vars(std::size_t input) const {
    if (input > 1) throw std::out_of_range("MaxPoolLayer has two inputs");
    return geometry_.input().num_vars() + (input == 1 ? digits_.row_vars() : 0);
  }
  std::size_t output_num_vars() const { return geometry_.output().num_vars(); }

  /// The digits witness() gives a window of zeros, as in the padding: zeros.
  std::vector<std::uint64_t> padding_digits() const { return digits_.digits_of(0); }

  /// The auxiliary witness: the digits of D = M_up - A in [0, 2^bits). Fails, naming the
  /// position, if a difference needs more bits.
  Result<std::vector<F>> witness(std::span<const F> accumulators) const {
    const std::size_t length = geometry_.input().padded_size();
    const auto entries = small_integers(accumulators);
    if (!entries) return entries.error();
    const auto maxima = window_maxima(*entries);
    std::vector<F> differences(length, F::zero());
    zkcnn::detail::parallel_for(0, maxima.size(), [&](std::size_t first, std::size_t last) {
      for (std::size_t o = first; o < last; ++o) {
        for (std::size_t offset = 0; offset < geometry_.window_size(); ++offset) {
          const std::size_t i = geometry_.input_index(o, offset);
          differences[i] = F::from_i64(maxima[o] - (*entries)[i]);
        }
      }
    }, zkcnn::detail::threads_for(maxima.size(), std::size_t{1} << 12));
    auto digits = digit_table(digits_, std::span<const F>(differences), geometry_.input().num_vars(), 0);
    if (!digits) return make_error(digits.error().code, "max pooling: a difference from the window maximum: " + digits.error().message);
    return digits;
  }

  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    check_inputs(inputs);
    const auto entries = small_integers(inputs[0]);
    if (!entries) throw std::invalid_argument("MaxPoolLayer: " + entries.error().message);
    const auto maxima = window_maxima(*entries);
    std::vector<F> output(maxima.size());
    for (std::size_t o = 0; o < maxima.size(); ++o) output[o] = F::from_i64(maxima[o]);
    return output;
  }

  template <class T>
  gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs, const gkr::Claim<F>& claim,
                                         T& transcript) const {
    check_inputs(inputs);
    check_claim(claim);
    gkr::absorb_claim(transcript, claim);
    const std::span<const F> accumulators = inputs[0], digits = inputs[1];
    const std::size_t length = geometry_.input().padded_size();
    gkr::LayerProverOutput<Proof, F> out;

    // (1) The window point of the claim on M.
    const std::vector<F> upsampled_point = window_point(claim.point, transcript);

    // (2) The zero-check over the output positions, on the differences D.
    std::vector<F> differences = recompose(digits, length);
    const std::vector<F> tau = transcript.template challenges<F>("nn/maxpool/zero_check", output_num_vars());
    std::vector<std::vector<F>> tables{eq_table(std::span<const F>(tau))};
    std::vector<std::size_t> product{0};
    for (std::size_t offset = 0; offset < geometry_.window_size(); ++offset) {
      tables.push_back(geometry_.offset_table(std::span<const F>(differences), offset));
      product.push_back(offset + 1);
    }
    sumcheck::SumOfProducts<F> g(output_num_vars(), std::move(tables), {{F::one(), std::move(product)}});
    std::vector<std::size_t> sent(geometry_.window_size());
    for (std::size_t offset = 0; offset < sent.size(); ++offset) sent[offset] = offset + 1;
    auto zero_check = gkr::prove_step(std::move(g), F::zero(), std::span<const std::size_t>(sent), transcript);
    std::vector<gkr::MaskedValue<F>> offset_values;
    for (std::size_t offset = 0; offset < sent.size(); ++offset) offset_values.push_back(zero_check.sent(offset));
    out.proof.zero_check = std::move(zero_check.step);

    // (3) D at the merged point, and both claims in one sumcheck over (x, j):
    //   sum_{x, j} E1(x) [j = 0] A(x) + (E1 + beta E2)(x) 2^(offset_j) d_j(x).
    const std::vector<F> merged_point = window_point(zero_check.point, transcript);
    const F beta = transcript.template challenge<F>("nn/maxpool/combine");
    gkr::MaskedValue<F> claimed = claim.masked_value();
    claimed.add(beta, merged_difference(merged_point, offset_values));
    out.proof.entries = prove_entries(accumulators, digits, std::move(differences), upsampled_point, merged_point,
                                      beta, claimed, transcript, out.input_claims);
    return out;
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(const gkr::Claim<F>& claim, const Proof& proof, T& transcript) const {
    check_claim(claim);
    gkr::absorb_claim(transcript, claim);
    // (1) The window point of the claim on M.
    const std::vector<F> upsampled_point = window_point(claim.point, transcript);
    // (2) The zero-check.
    const std::vector<F> tau = transcript.template challenges<F>("nn/maxpool/zero_check", output_num_vars());
    const std::size_t window_size = geometry_.window_size();
    auto zero_check =
        gkr::verify_step(F::zero(), output_num_vars(), window_size + 1, window_size, proof.zero_check, transcript);
    if (!zero_check) return zero_check.error();
    F product = eq_eval(std::span<const F>(tau), std::span<const F>(zero_check->point));
    for (const F& d : proof.zero_check.evaluations) product *= d;
    if (auto ok = gkr::check_step(*zero_check, product, "max pooling zero-check"); !ok) return ok.error();
    std::vector<gkr::MaskedValue<F>> offset_values;
    for (std::size_t offset = 0; offset < window_size; ++offset) {
      offset_values.push_back(gkr::sent_value(proof.zero_check, *zero_check, offset));
    }
    // (3) A + D at the window point and D at the merged point.
    const std::vector<F> merged_point = window_point(zero_check->point, transcript);
    const F beta = transcript.template challenge<F>("nn/maxpool/combine");
    gkr::MaskedValue<F> claimed = claim.masked_value();
    claimed.add(beta, merged_difference(merged_point, offset_values));
    auto entries = gkr::verify_step(claimed, input_num_vars(1), 2, 2, proof.entries, transcript);
    if (!entries) return entries.error();
    const std::size_t n = geometry_.input().num_vars();
    const std::span<const F> s(entries->point);
    const std::span<const F> s_x = s.first(n), s_j = s.subspan(n);
    const F eq_first = eq_eval(std::span<const F>(upsampled_point), s_x);
    const F eq_second = eq_eval(std::span<const F>(merged_point), s_x);
    F first_row = F::one();  // eq(s_j, 0)
    for (const F& c : s_j) first_row *= F::one() - c;
    const std::vector<F> row_weights = eq_table(s_j);
    F weight = F::zero();
    for (std::size_t j = 0; j < digits_.digit_count(); ++j) {
      weight += row_weights[j] * power_of_two<F>(digits_.offset(j));
    }
    const F expected = eq_first * first_row * proof.entries.evaluations[0] +
                       (eq_first + beta * eq_second) * weight * proof.entries.evaluations[1];
    if (auto ok = gkr::check_step(*entries, expected, "max pooling entries"); !ok) return ok.error();
    return input_claims(entries->point, gkr::sent_value(proof.entries, *entries, 0),
                        gkr::sent_value(proof.entries, *entries, 1));
  }

  void write_proof(const Proof& proof, io::ByteWriter& out) const {
    gkr::write_step(out, proof.zero_check);
    gkr::write_step(out, proof.entries);
  }

  Result<Proof> read_proof(io::ByteReader& in) const {
    Proof proof;
    auto zero_check = gkr::read_step<F>(in, output_num_vars(), geometry_.window_size() + 1, geometry_.window_size());
    if (!zero_check) return zero_check.error();
    proof.zero_check = std::move(*zero_check);
    auto entries = gkr::read_step<F>(in, input_num_vars(1), 2, 2);
    if (!entries) return entries.error();
    proof.entries = std::move(*entries);
    return proof;
  }

 private:
  static DigitLayout layout(std::size_t bits, std::size_t digit_bits) {
    if (bits < 2 || bits > 62) throw std::invalid_argument("MaxPoolLayer: the bit width must be in [2, 62]");
    return DigitLayout({bits}, digit_bits);
  }

  // Step (3) of prove: the sumcheck over the input positions x and the digit rows j.
  template <class T>
  gkr::SumcheckStep<F> prove_entries(std::span<const F> accumulators, std::span<const F> digits,
                                     std::vector<F> differences, std::span<const F> upsampled_point,
                                     std::span<const F> merged_point, const F& beta,
                                     const gkr::MaskedValue<F>& claimed, T& transcript,
                                     std::vector<gkr::InputClaim<F>>& claims) const {
    const std::size_t length = geometry_.input().padded_size();
    const std::size_t rows = digits_.row_count();
    std::vector<F> first = eq_table(upsampled_point);  // E1, zero beyond row 0
    std::vector<F> combined = eq_table(merged_point);   // E1 + beta E2
    zkcnn::detail::parallel_for(0, length, [&](std::size_t begin, std::size_t end) {
      for (std::size_t x = begin; x < end; ++x) combined[x] = first[x] + beta * combined[x];
    }, zkcnn::detail::threads_for(length, std::size_t{1} << 14));
    // The x rounds on tables of one row: summed over j, the first term is E1 A and the second
    // (E1 + beta E2) D with D = sum_j 2^(offset_j) d_j, the recomposed differences. The row
    // rounds then run on the tables restricted to the x point: E1(s_x) [j = 0], A(s_x),
    // 2^(offset_j) (E1 + beta E2)(s_x) and d_j(s_x).
    std::vector<std::vector<F>> stand_ins{std::move(first), {accumulators.begin(), accumulators.end()},
                                          std::move(combined), std::move(differences)};
    if (rows == 1) {  // no row rounds: the digit row itself, with its weight
      const F weight = power_of_two<F>(digits_.offset(0));
      for (F& value : stand_ins[2]) value *= weight;
      stand_ins[3].assign(digits.begin(), digits.end());
    }
    sumcheck::SumOfProducts<F> entries(input_num_vars(1), std::move(stand_ins), {{F::one(), {0, 1}}, {F::one(), {2, 3}}});
    sumcheck::TableSwitch<F> to_rows{geometry_.input().num_vars(), [&](std::vector<std::vector<F>> bound,
                                                                       std::span<const F> s_x) {
      std::vector<std::vector<F>> restricted{{bound[0][0]}, std::vector<F>(rows, bound[1][0]), std::vector<F>(rows, F::zero()),
                                             std::vector<F>(rows, F::zero())};
      for (std::size_t j = 0; j < digits_.digit_count(); ++j) {
        restricted[2][j] = power_of_two<F>(digits_.offset(j)) * bound[2][0];
        restricted[3][j] = evaluate_multilinear(digit_row(digits, j, length), s_x);
      }
      return restricted;
    }};
    const std::size_t entries_sent[] = {1, 3};
    auto proven = gkr::prove_step_with(entries.shape(), claimed, std::span<const std::size_t>(entries_sent), transcript,
                                       [&](const F& sum, const sumcheck::Masking<F>& masking) {
                                         return sumcheck::prove(std::move(entries), sum, transcript, masking,
                                                                rows == 1 ? nullptr : &to_rows);
                                       });
    claims = input_claims(proven.point, proven.sent(0), proven.sent(1));
    return std::move(proven.step);
  }

  void check_inputs(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != 2 || inputs[0].size() > geometry_.input().padded_size() ||
        inputs[1].size() > (geometry_.input().padded_size() << digits_.row_vars())) {
      throw std::invalid_argument("MaxPoolLayer: expected the accumulators and the digits of the differences");
    }
  }
  void check_claim(const gkr::Claim<F>& claim) const {
    gkr::require_dimension(claim, output_num_vars(), "MaxPoolLayer");
  }

  // The accumulators as integers over the whole padded input (zero past the stored ones),
  // converted once, on all threads. Fails, naming the entry, on one that is not a small integer.
  Result<std::vector<std::int64_t>> small_integers(std::span<const F> accumulators) const {
    std::vector<std::int64_t> out(geometry_.input().padded_size(), 0);
    const std::size_t stored = std::min(accumulators.size(), out.size());
    std::vector<std::size_t> bad;  // the first entry that is not a small integer, per thread's range
    std::mutex bad_mutex;
    zkcnn::detail::parallel_for(0, stored, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) {
        const auto integer = to_small_integer(accumulators[i]);
        if (!integer) {
          const std::lock_guard lock(bad_mutex);
          bad.push_back(i);
          return;
        }
        out[i] = *integer;
      }
    }, zkcnn::detail::threads_for(stored, std::size_t{1} << 14));
    if (!bad.empty()) {
      return make_error(Errc::invalid_argument,
                        "max pooling: entry " + std::to_string(*std::min_element(bad.begin(), bad.end())) +
                            " is not a small integer");
    }
    return out;
  }

  std::vector<std::int64_t> window_maxima(std::span<const std::int64_t> entries) const {
    std::vector<std::int64_t> maxima(geometry_.output().padded_size(), 0);
    zkcnn::detail::parallel_for(0, maxima.size(), [&](std::size_t first, std::size_t last) {
      for (std::size_t o = first; o < last; ++o) {
        std::int64_t maximum = entries[geometry_.input_index(o, 0)];
        for (std::size_t offset = 1; offset < geometry_.window_size(); ++offset) {
          maximum = std::max(maximum, entries[geometry_.input_index(o, offset)]);
        }
        maxima[o] = maximum;
      }
    }, zkcnn::detail::threads_for(maxima.size(), std::size_t{1} << 12));
    return maxima;
  }

  // D = sum_j 2^(offset_j) d_j, entry by entry.
  std::vector<F> recompose(std::span<const F> digits, std::size_t length) const {
    std::vector<F> out(length, F::zero());
    zkcnn::detail::parallel_for(0, length, [&](std::size_t first, std::size_t last) {
      for (std::size_t j = 0; j < digits_.digit_count(); ++j) {
        const auto row = digit_row(digits, j, length);
        const F weight = power_of_two<F>(digits_.offset(j));
        for (std::size_t x = first; x < std::min(last, row.size()); ++x) out[x] += weight * row[x];
      }
    }, zkcnn::detail::threads_for(length * digits_.digit_count(), std::size_t{1} << 14));
    return out;
  }

  // The input point of output point r at fresh random window coordinates.
  template <class T>
  std::vector<F> window_point(std::span<const F> r, T& transcript) const {
    const std::vector<F> z = transcript.template challenges<F>("nn/maxpool/window", 2 * geometry_.window_bits());
    const std::span<const F> zs(z);
    const std::size_t t = geometry_.window_bits();
    return geometry_.input_point(r, zs.subspan(t, t), zs.first(t));
  }

  // sum_t eq(z, t) D_t~(u): D~ at the merged point, from the (masked) values at each offset.
  gkr::MaskedValue<F> merged_difference(std::span<const F> merged_point,
                                        std::span<const gkr::MaskedValue<F>> offset_values) const {
    const std::size_t t = geometry_.window_bits();
    const std::size_t out_width_bits = geometry_.output().dimension_bits().back();
    // The window coordinates sit at [0, t) (column) and [t + out_width_bits, 2t + out_width_bits) (row).
    std::vector<F> z(merged_point.begin(), merged_point.begin() + static_cast<std::ptrdiff_t>(t));
    z.insert(z.end(), merged_point.begin() + static_cast<std::ptrdiff_t>(t + out_width_bits),
             merged_point.begin() + static_cast<std::ptrdiff_t>(2 * t + out_width_bits));
    const std::vector<F> weights = eq_table(std::span<const F>(z));  // index dx + (dy << t)
    gkr::MaskedValue<F> value{F::zero()};
    for (std::size_t offset = 0; offset < offset_values.size(); ++offset) {
      value.add(weights[offset], offset_values[offset]);
    }
    return value;
  }

  // The claims on A at s_x and on the digit table at s = (s_x, s_j).
  std::vector<gkr::InputClaim<F>> input_claims(std::span<const F> s, gkr::MaskedValue<F> accumulator,
                                               gkr::MaskedValue<F> digits) const {
    const std::size_t n = geometry_.input().num_vars();
    std::vector<gkr::InputClaim<F>> claims;
    claims.push_back({0, gkr::make_claim(std::vector<F>(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(n)),
                                         std::move(accumulator))});
    claims.push_back({1, gkr::make_claim(std::vector<F>(s.begin(), s.end()), std::move(digits))});
    return claims;
  }

  PoolGeometry geometry_;
  DigitLayout digits_;
};

}  // namespace zkcnn::nn
