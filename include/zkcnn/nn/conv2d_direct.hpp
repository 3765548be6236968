#pragma once
// A 2-D convolution proven directly, without the FFT (docs/protocol.md sections 4 and 5): the
// structured alternative to nn/conv2d_fft.hpp, cheaper for small kernels and spatial sizes.
// Geometry and layouts as in nn/conv2d_shape.hpp: inputs 0: X (batch, in_ch, H, W),
// 1: K (out_ch, in_ch, k, k); output Y (batch, out_ch, outH, outW);
//   Y[b][o][y][x] = sum_{i,a,c} K[o][i][a][c] Xpad[b][i][y*s + a][x*s + c],
// Xpad the input with `pad` zero rows and columns on every side, s the stride.
//
// Protocol. Write the claim's point as (r_b, r_o, r_y, r_x), one sub-point per output
// dimension. Every index below ranges over its real values only (b < batch, i < in_ch,
// a, c < k, y < outH, x < outW, 0 <= h < H, 0 <= w < W), which is what makes padding inert.
//
// 1. Kernel sumcheck, over (i, a, c) (in_bits + 2 k_bits variables, degree 2):
//      Y~(r) = sum_{i,a,c} K~(r_o, i, a, c) T(i, a, c),
//      T(i, a, c) = sum_{b,y,x} eq(r_b, b) eq(r_y, y) eq(r_x, x) Xpad[b][i][y*s + a][x*s + c].
//    At its final point (e_i, e_a, e_c) the prover sends K~(r_o, e_i, e_a, e_c) and
//    T~(e_i, e_a, e_c); the verifier checks the subclaim against their product. The first is a
//    claim on K, the second is reduced by step 2.
// 2. Input sumcheck, over X's variables (degree 2):
//      T~(e_i, e_a, e_c) = sum_{b,i,h,w} X[b][i][h][w] G(b, i, h, w),
//      G = eq(r_b, b) eq(e_i, i) W_h(h) W_w(w),
//      W_h(h) = sum_{y, a : y*s + a - pad = h} eq(r_y, y) eq(e_a, a)   (W_w likewise with x, c).
//    At its final point (t_b, t_i, t_h, t_w) the prover sends X~(t); the verifier checks the
//    subclaim against X~(t) G~(t), evaluating the separable wiring itself:
//      G~(t) = E_batch(r_b, t_b) E_in(e_i, t_i) W_h~(t_h) W_w~(t_w),
//    E_n(p, q) = sum_{j < n} eq(p, j) eq(q, j) in O(log n) (eq_product_prefix_sum below), and
//    W_h~(t_h) = sum_{y,a} eq(r_y, y) eq(e_a, a) eq(t_h, y*s + a - pad) from the table W_h.
// The layer leaves the claims X~(t) (input 0) and K~(e_c, e_a, e_i, r_o) (input 1).
//
// Zero knowledge (docs/protocol.md section 8): both steps are masked (gkr/sumcheck_step.hpp). Step 1
// discharges the output claim's mask terms; the sent T~(e) is masked and becomes step 2's
// claimed sum with its mask term, which step 2 discharges; the claims on X and K carry the mask
// terms of the values steps 2 and 1 send. The final checks are unchanged: they take the sent
// (masked) values, which the masked sumchecks are consistent with.
//
// Padding. With the real-range restrictions, the real outputs depend only on the real entries
// of X and K, whatever their padding holds (K's padding output channels reach only Y's padding).
//
// Costs (n = in_ch, m = out_ch, B = batch; |X|, |K| the stored table sizes):
//   prover    O(|K|) to bind K at r_o; T in O(|X| + n k outH W + n k^2 outW) by contracting
//             batch, rows and columns one after another (never one term per multiply-add:
//             the forward pass's O(B m n k^2 outH outW) is conv2d_forward's alone); G and the
//             input sumcheck O(|X|); the kernel sumcheck O(n k^2).
//   verifier  O(k (outH + outW) + H + W + log(B n)) field operations beyond the sumcheck rounds.
//   proof     2 (n_bits + 2 k_bits) + 2 + 2 num_vars(X) + 1 field elements.
// Soundness error: 2 (n_bits + 2 k_bits + num_vars(X)) / |F| (the two sumchecks).

#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/layer.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/conv2d_shape.hpp"
#include "zkcnn/nn/tensor_shape.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::nn {

namespace detail {

/// sum_{j < count} eq(x, bits(j)) eq(y, bits(j)) in O(x.size()): the multilinear extension, in
/// y, of the table eq(x, .) cut to its first `count` entries. Like prefix_indicator, with bit k
/// weighing (1 - x_k)(1 - y_k) when 0 and x_k y_k when 1 instead of 1 - y_k and y_k.
template <Field F>
F eq_product_prefix_sum(std::span<const F> x, std::span<const F> y, std::size_t count) {
  const std::size_t n = x.size();
  if (y.size() != n) throw std::invalid_argument("eq_product_prefix_sum: points of different dimensions");
  std::vector<F> zero_weight(n), one_weight(n), below(n + 1);
  below[0] = F::one();  // below[k] = prod_{l < k} (zero_weight[l] + one_weight[l]): all of bits 0..k-1 free
  for (std::size_t k = 0; k < n; ++k) {
    one_weight[k] = x[k] * y[k];
    zero_weight[k] = F::one() - x[k] - y[k] + one_weight[k];
    below[k + 1] = below[k] * (zero_weight[k] + one_weight[k]);
  }
  if (n >= 64 || count >= (std::size_t{1} << n)) {
    if (n < 64 && count > (std::size_t{1} << n)) throw std::invalid_argument("eq_product_prefix_sum: count exceeds 2^n");
    return below[n];
  }
  // From the top bit down: where count has a 1, every j with a 0 there and count's higher bits
  // is below count, with its lower bits free.
  F result = F::zero();
  F prefix = F::one();
  for (std::size_t k = n; k-- > 0;) {
    if ((count >> k) & 1) {
      result += prefix * zero_weight[k] * below[k];
      prefix *= one_weight[k];
    } else {
      prefix *= zero_weight[k];
    }
  }
  return result;
}

/// The table W(h) = sum_{y < outputs, a < kernel, y*stride + a - padding = h} eq_y[y] eq_a[a]
/// for h < size: the wiring of one spatial axis (rows or columns), O(outputs * kernel + size).
template <Field F>
std::vector<F> axis_wiring(std::span<const F> eq_y, std::span<const F> eq_a, std::size_t outputs, std::size_t kernel,
                           std::size_t stride, std::size_t padding, std::size_t size) {
  std::vector<F> table(size, F::zero());
  for (std::size_t y = 0; y < outputs; ++y) {
    for (std::size_t a = 0; a < kernel; ++a) {
      const std::size_t padded = y * stride + a;
      if (padded < padding || padded - padding >= size) continue;
      table[padded - padding] += eq_y[y] * eq_a[a];
    }
  }
  return table;
}

}  // namespace detail

template <EncodableField F>
struct Conv2dDirectProof {
  gkr::SumcheckStep<F> kernel_step;  ///< over (i, a, c); sends K~(r_o, e), T~(e)
  gkr::SumcheckStep<F> input_step;   ///< over X's variables; sends X~(t)

  friend bool operator==(const Conv2dDirectProof&, const Conv2dDirectProof&) = default;
};

template <EncodableField F>
class Conv2dDirectLayer {
 public:
  using Proof = Conv2dDirectProof<F>;

  explicit Conv2dDirectLayer(Conv2dShape shape) : shape_(shape) { shape_.validate(); }

  const Conv2dShape& shape() const { return shape_; }

  std::size_t input_count() const { return 2; }
  std::size_t input_num_vars(std::size_t index) const {
    if (index == 0) return shape_.input_shape().num_vars();
    if (index == 1) return shape_.kernel_shape().num_vars();
    throw std::invalid_argument("Conv2dDirectLayer: input index out of range");
  }
  std::size_t output_num_vars() const { return shape_.output_shape().num_vars(); }

  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    check_inputs(inputs);
    return conv2d_forward<F>(shape_, inputs[0], inputs[1]);
  }

  template <class T>
  gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs, const gkr::Claim<F>& claim,
                                         T& transcript) const {
    check_inputs(inputs);
    check_claim(claim);
    absorb_statement(transcript, claim);
    const std::span<const F> x_table = inputs[0], k_table = inputs[1];
    const auto r = shape_.output_shape().split(std::span<const F>(claim.point));
    const std::span<const F> r_b = r[0], r_o = r[1], r_y = r[2], r_x = r[3];

    // Step 1: sum_{i,a,c} K~(r_o, i, a, c) T(i, a, c).
    std::vector<F> kernel_bound = bind_high_variables(k_table, kernel_step_vars(), r_o);
    std::vector<F> t = contract_input(x_table, r_b, r_y, r_x);
    sumcheck::SumOfProducts<F> g1(kernel_step_vars(), {std::move(kernel_bound), std::move(t)}, {{F::one(), {0, 1}}});
    const std::size_t sent1[] = {0, 1};
    auto step1 =
        gkr::prove_step(std::move(g1), claim.masked_value(), std::span<const std::size_t>(sent1), transcript);

    // Step 2: T~(e) = sum_{b,i,h,w} X[b][i][h][w] G(b, i, h, w).
    std::vector<F> g = input_wiring_table(std::span<const F>(step1.point), r_b, r_y, r_x);
    std::vector<F> x_copy(x_table.begin(), x_table.end());
    sumcheck::SumOfProducts<F> g2(shape_.input_shape().num_vars(), {std::move(x_copy), std::move(g)},
                                  {{F::one(), {0, 1}}});
    const std::size_t sent2[] = {0};
    auto step2 = gkr::prove_step(std::move(g2), step1.sent(1), std::span<const std::size_t>(sent2), transcript);

    auto claims = input_claims(step2.point, step2.sent(0), step1.point, step1.sent(0), r_o);
    return {Proof{std::move(step1.step), std::move(step2.step)}, std::move(claims)};
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(const gkr::Claim<F>& claim, const Proof& proof, T& transcript) const {
    check_claim(claim);
    absorb_statement(transcript, claim);
    const auto r = shape_.output_shape().split(std::span<const F>(claim.point));
    const std::span<const F> r_b = r[0], r_o = r[1], r_y = r[2], r_x = r[3];

    auto sub1 = gkr::verify_step(claim.masked_value(), kernel_step_vars(), 2, 2, proof.kernel_step, transcript);
    if (!sub1) return sub1.error();
    const F k_value = proof.kernel_step.evaluations[0];
    const F t_value = proof.kernel_step.evaluations[1];
    if (auto ok = gkr::check_step(*sub1, k_value * t_value, "direct convolution (kernel sumcheck)"); !ok) {
      return ok.error();
    }

    const TensorShape in = shape_.input_shape();
    // Step 2's claimed sum is step 1's sent T~(e), with its mask terms.
    auto sub2 = gkr::verify_step(gkr::sent_value(proof.kernel_step, *sub1, 1), in.num_vars(), 2, 1, proof.input_step,
                                 transcript);
    if (!sub2) return sub2.error();
    const F x_value = proof.input_step.evaluations[0];
    const auto t = in.split(std::span<const F>(sub2->point));
    const auto e = split_kernel_point(std::span<const F>(sub1->point));
    const std::vector<F> eq_y = eq_table(r_y), eq_x = eq_table(r_x), eq_a = eq_table(e.a), eq_c = eq_table(e.c);
    const std::vector<F> rows = detail::axis_wiring<F>(eq_y, eq_a, shape_.out_height(), shape_.kernel, shape_.stride,
                                                       shape_.padding, shape_.height);
    const std::vector<F> cols = detail::axis_wiring<F>(eq_x, eq_c, shape_.out_width(), shape_.kernel, shape_.stride,
                                                       shape_.padding, shape_.width);
    const F wiring = detail::eq_product_prefix_sum(r_b, t[0], shape_.batch) *
                     detail::eq_product_prefix_sum(e.i, t[1], shape_.in_channels) *
                     evaluate_multilinear(std::span<const F>(rows), t[2]) *
                     evaluate_multilinear(std::span<const F>(cols), t[3]);
    if (auto ok = gkr::check_step(*sub2, x_value * wiring, "direct convolution (input sumcheck)"); !ok) {
      return ok.error();
    }
    return input_claims(sub2->point, gkr::sent_value(proof.input_step, *sub2, 0), sub1->point,
                        gkr::sent_value(proof.kernel_step, *sub1, 0), r_o);
  }

  void write_proof(const Proof& proof, io::ByteWriter& out) const {
    gkr::write_step(out, proof.kernel_step);
    gkr::write_step(out, proof.input_step);
  }
  Result<Proof> read_proof(io::ByteReader& in) const {
    auto kernel_step = gkr::read_step<F>(in, kernel_step_vars(), 2, 2);
    if (!kernel_step) return kernel_step.error();
    auto input_step = gkr::read_step<F>(in, shape_.input_shape().num_vars(), 2, 1);
    if (!input_step) return input_step.error();
    return Proof{std::move(*kernel_step), std::move(*input_step)};
  }

 private:
  struct KernelPoint {
    std::span<const F> i, a, c;
  };

  std::size_t kernel_bits() const { return zkcnn::detail::ceil_log2(shape_.kernel); }
  std::size_t in_bits() const { return zkcnn::detail::ceil_log2(shape_.in_channels); }
  /// Variables of the kernel sumcheck: K's variables below the output channel.
  std::size_t kernel_step_vars() const { return in_bits() + 2 * kernel_bits(); }

  KernelPoint split_kernel_point(std::span<const F> e) const {
    const std::size_t kb = kernel_bits();
    return {e.subspan(2 * kb), e.subspan(kb, kb), e.subspan(0, kb)};
  }

  void check_inputs(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != 2) throw std::invalid_argument("Conv2dDirectLayer: expected two inputs (X, K)");
    if (inputs[0].size() > shape_.input_shape().padded_size() ||
        inputs[1].size() > shape_.kernel_shape().padded_size()) {
      throw std::invalid_argument("Conv2dDirectLayer: an input is larger than its padded shape");
    }
  }
  void check_claim(const gkr::Claim<F>& claim) const {
    gkr::require_dimension(claim, output_num_vars(), "Conv2dDirectLayer");
  }

  template <class T>
  void absorb_statement(T& transcript, const gkr::Claim<F>& claim) const {
    transcript.absorb_string("nn/layer", "conv2d_direct");
    const std::size_t dims[] = {shape_.batch,  shape_.in_channels, shape_.out_channels, shape_.height,
                                shape_.width,  shape_.kernel,      shape_.padding,      shape_.stride};
    for (std::size_t d : dims) transcript.absorb_u64("nn/conv2d/shape", d);
    gkr::absorb_claim(transcript, claim);
  }

  /// T(i, a, c) = sum_{b,y,x} eq(r_b, b) eq(r_y, y) eq(r_x, x) Xpad[b][i][y*s + a][x*s + c], in
  /// the layout (i, a, c) of K's low variables: batch first (O(|X|)), then rows
  /// (O(n k outH W)), then columns (O(n k^2 outW)).
  std::vector<F> contract_input(std::span<const F> x, std::span<const F> r_b, std::span<const F> r_y,
                                std::span<const F> r_x) const {
    const TensorShape in = shape_.input_shape();
    const std::size_t n = shape_.in_channels, h_size = shape_.height, w_size = shape_.width, k = shape_.kernel;
    const std::size_t s = shape_.stride, pad = shape_.padding;
    const std::vector<F> eq_b = eq_table(r_b), eq_y = eq_table(r_y), eq_x = eq_table(r_x);

    // xb[i][h][w] = sum_b eq(r_b, b) X[b][i][h][w]
    std::vector<F> xb(n * h_size * w_size, F::zero());
    for (std::size_t b = 0; b < shape_.batch; ++b) {
      const F& weight = eq_b[b];
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t h = 0; h < h_size; ++h) {
          const std::size_t begin = in.offset({b, i, h, 0});
          if (begin >= x.size()) break;
          const std::size_t count = std::min(w_size, x.size() - begin);
          F* dst = xb.data() + (i * h_size + h) * w_size;
          for (std::size_t w = 0; w < count; ++w) dst[w] += weight * x[begin + w];
        }
      }
    }
    // rows[i][a][w] = sum_y eq(r_y, y) xb[i][y*s + a - pad][w]
    std::vector<F> rows(n * k * w_size, F::zero());
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t a = 0; a < k; ++a) {
        F* dst = rows.data() + (i * k + a) * w_size;
        for (std::size_t y = 0; y < shape_.out_height(); ++y) {
          const std::size_t padded = y * s + a;
          if (padded < pad || padded - pad >= h_size) continue;
          const F& weight = eq_y[y];
          const F* src = xb.data() + (i * h_size + (padded - pad)) * w_size;
          for (std::size_t w = 0; w < w_size; ++w) dst[w] += weight * src[w];
        }
      }
    }
    // t[i][a][c] = sum_x eq(r_x, x) rows[i][a][x*s + c - pad]
    const std::size_t kb = kernel_bits();
    std::vector<F> t(std::size_t{1} << kernel_step_vars(), F::zero());
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t a = 0; a < k; ++a) {
        const F* src = rows.data() + (i * k + a) * w_size;
        for (std::size_t c = 0; c < k; ++c) {
          F sum = F::zero();
          for (std::size_t xo = 0; xo < shape_.out_width(); ++xo) {
            const std::size_t padded = xo * s + c;
            if (padded < pad || padded - pad >= w_size) continue;
            sum += eq_x[xo] * src[padded - pad];
          }
          t[(((i << kb) | a) << kb) | c] = sum;
        }
      }
    }
    return t;
  }

  /// G(b, i, h, w) = eq(r_b, b) eq(e_i, i) W_h(h) W_w(w) over the real entries, in X's layout,
  /// up to X's last real entry.
  std::vector<F> input_wiring_table(std::span<const F> e, std::span<const F> r_b, std::span<const F> r_y,
                                    std::span<const F> r_x) const {
    const TensorShape in = shape_.input_shape();
    const auto ep = split_kernel_point(e);
    const std::vector<F> eq_b = eq_table(r_b), eq_i = eq_table(ep.i);
    const std::vector<F> eq_y = eq_table(r_y), eq_x = eq_table(r_x), eq_a = eq_table(ep.a), eq_c = eq_table(ep.c);
    const std::vector<F> rows = detail::axis_wiring<F>(eq_y, eq_a, shape_.out_height(), shape_.kernel, shape_.stride,
                                                       shape_.padding, shape_.height);
    const std::vector<F> cols = detail::axis_wiring<F>(eq_x, eq_c, shape_.out_width(), shape_.kernel, shape_.stride,
                                                       shape_.padding, shape_.width);
    const std::size_t h_size = shape_.height, w_size = shape_.width;
    std::vector<F> spatial(h_size * w_size);
    for (std::size_t h = 0; h < h_size; ++h) {
      for (std::size_t w = 0; w < w_size; ++w) spatial[h * w_size + w] = rows[h] * cols[w];
    }
    std::vector<F> g(in.offset({shape_.batch - 1, shape_.in_channels - 1, h_size - 1, w_size - 1}) + 1, F::zero());
    for (std::size_t b = 0; b < shape_.batch; ++b) {
      for (std::size_t i = 0; i < shape_.in_channels; ++i) {
        const F weight = eq_b[b] * eq_i[i];
        for (std::size_t h = 0; h < h_size; ++h) {
          F* dst = g.data() + in.offset({b, i, h, 0});
          const F* src = spatial.data() + h * w_size;
          for (std::size_t w = 0; w < w_size; ++w) dst[w] = weight * src[w];
        }
      }
    }
    return g;
  }

  std::vector<gkr::InputClaim<F>> input_claims(std::span<const F> x_point, gkr::MaskedValue<F> x_value,
                                               std::span<const F> kernel_point, gkr::MaskedValue<F> k_value,
                                               std::span<const F> r_o) const {
    std::vector<F> k_point(kernel_point.begin(), kernel_point.end());
    k_point.insert(k_point.end(), r_o.begin(), r_o.end());
    std::vector<gkr::InputClaim<F>> claims;
    claims.push_back({0, gkr::make_claim(std::vector<F>(x_point.begin(), x_point.end()), std::move(x_value))});
    claims.push_back({1, gkr::make_claim(std::move(k_point), std::move(k_value))});
    return claims;
  }

  Conv2dShape shape_;
};

}  // namespace zkcnn::nn
