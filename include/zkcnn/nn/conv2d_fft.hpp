#pragma once
// 2-D convolution proven through the FFT (docs/protocol.md section 5; zkCNN, Liu-Xie-Zhang CCS 2021,
// eprint 2021/673: convolution as FFT, Hadamard product and IFFT, and its improvement (3), one
// IFFT per output channel because the sum over input channels is taken in the frequency domain).
//
// Geometry. Each input channel (H x W, zero padding `pad` on every side, stride s, k x k kernel)
// is flattened into a vector of N = 2^n entries with row stride S = W + pad:
//   input   X[h][w] at m_in(h, w) = (h + pad) S + (w + pad),
//   kernel  K[a][c] at m_k(a, c)  = (k - 1 - a) S + (k - 1 - c)     (flipped),
//   output  Y[y][x] at m(y, x)    = (y s + k - 1) S + (x s + k - 1).
// The linear convolution of the two vectors at m(y, x) is exactly Y[y][x]: a pair of entries
// meets there when their rows and columns add up separately, because the column sum differs
// from x s + k - 1 by less than S (columns of X lie in [pad, pad + W), of the kernel in [0, k),
// and x s + k - 1 < W + 2 pad); the left padding of one row is the right padding of the row
// before, which is why S = W + pad and not W + 2 pad suffices. The argument is about each
// product X[h][w] K[a][c], so it holds when positions coincide (a kernel wider than S: the
// placed vector sums the entries that share a position; two outputs that share a position
// have the same value). The cyclic convolution of length N equals the linear one at every
// m(y, x) when N exceeds both the largest input position and the largest output position (an
// alias m + N would need an input position beyond m + N - max m_k >= N, as min m = max m_k).
// So with w of order N,
//   Y_{b,o}[y][x] = IFFT_N( sum_i FFT(X_{b,i}) . FFT(K_{o,i}) )[m(y, x)].
//
// The proof of a claim Y~(r_b, r_o, r_y, r_x) = v, output to input. Writing, for the batch
// and output channel folded at the claim's coordinates (X_b = sum_b eq(r_b, b) X[b], and K_o
// likewise, by linearity of every step),
//   XF(i, j) = FFT(X_b[i] placed)[j],  KF(i, j) = FFT(K_o[i] placed)[j],
//   G(j) = (1/N) sum_{y < outH, x < outW} eq(r_y, y) eq(r_x, x) w^(-j m(y, x)):
//
// 1. Selection, IFFT, Hadamard product and channel sum in one sumcheck over (i, j)
//    (n + log C variables, log C = ceil(log2 C) as in the padded layout; degree 3):
//      v = sum_{i, j} G(j) [i < C] XF(i, j) KF(i, j).
//    docs/protocol.md lists selection, IFFT and Hadamard product as a chain; here the selection-
//    and-IFFT wiring G multiplies the product directly, which saves the n rounds of a separate
//    sumcheck over j and one sent value. The indicator [i < C] makes the padded input channels of X and K
//    irrelevant to the statement. At the final point (c_j, c_i) the prover sends XF~ and KF~;
//    the verifier computes G~(c_j) = (1/N) sum_{y,x} eq eq F_{w^-1}(c_j, m(y, x)) (the
//    selection's extension is zero outside y < outH, x < outW, which is how Y's padding is
//    pinned to zero) and prefix_indicator(c_i, C).
//    Prover: C NTTs of X_b's channels, C NTTs of K_o's channels (the kernel folded by
//    eq(r_o, .) first: never out_ch * in_ch transforms), one inverse NTT of the sparse
//    selection vector for G, and an O(C N) sumcheck.
// 2. Input FFT with padding and flattening merged (nh + nw variables, degree 2):
//      XF~(c_i, c_j) = sum_{h, w} F_w(c_j, m_in(h, w)) [h < H, w < W] X~(r_b, c_i, h, w).
//    Leaves the claim on X at (e_w, e_h, c_i, r_b).
// 3. Kernel FFT with flip and placement merged (2 log k variables, degree 2):
//      KF~(c_i, c_j) = sum_{a, c} F_w(c_j, m_k(a, c)) [a, c < k] K~(r_o, c_i, a, c).
//    Leaves the claim on K at (e'_c, e'_a, c_i, r_o).
// The prover builds F_w(c_j, .) once, by the product tree of gkr/fft.hpp. The verifier
// evaluates each wiring extension as a weighted sum of F(t, .) over a grid of positions, from
// the O(N) table or, when the grid is small (the kernel's k^2 positions), from the O(n)
// product per position: O(N + outH outW + H W + k^2 n) in all.
//
// Costs: prover O(|X| + |K| + C N log N); proof 3 (n + log C) + 2 (nh + nw + 2 log k) + 4 field
// elements. Soundness error (3 (n + log C) + 2 (nh + nw + 2 log k)) / |F| from the sumchecks.
//
// Zero knowledge (docs/protocol.md section 8): every step is masked (gkr/sumcheck_step.hpp). Step 1
// discharges the output claim's mask terms; the sent XF~ and KF~ are masked, and each becomes
// the claimed sum of its transform step with its mask term, which that step discharges; the
// claims left on X and K carry the mask terms of the values steps 2 and 3 send.
//
// Padding. The statement is Y[b][o][y][x] = sum_{i < C, a, c < k} K[o][i][a][c] Xpad[b][i][..]
// for y < outH, x < outW and zero elsewhere, for every b and o of the padded tables: the batch
// and output channel pass through, so in padded b (o) the output is the convolution of X's
// (K's) padded entries, which the layout's convention (docs/protocol.md section 2) makes zero, as
// conv2d_forward assumes. Spatial and input-channel padding of the inputs is ignored by the
// statement (the wiring is zero there, and [i < C]), and the prover completes whatever it holds.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/detail/profile.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/ntt.hpp"
#include "zkcnn/field/pow.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/layer.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/conv2d_shape.hpp"
#include "zkcnn/nn/tensor_shape.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/gkr/fft.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::nn {

namespace detail {

/// The positions base + row * row_step + col * col_step (mod N) of a rows x cols grid in the
/// flattened vector; steps may be "negative" (wrapped unsigned), as the flipped kernel's are.
struct PositionGrid {
  std::size_t rows;
  std::size_t cols;
  std::size_t base;
  std::size_t row_step;
  std::size_t col_step;

  std::size_t at(std::size_t row, std::size_t col, std::size_t mask) const {
    return (base + row * row_step + col * col_step) & mask;
  }
};

/// The prover's wiring table over a tensor's (row, col) bits: entry row * 2^col_bits + col is
/// fourier[position(row, col)] inside the grid, zero in the padding.
template <Field F>
std::vector<F> gather_grid(std::span<const F> fourier, const PositionGrid& grid, std::size_t col_bits) {
  const std::size_t mask = fourier.size() - 1;
  const std::size_t row_size = std::size_t{1} << col_bits;
  std::vector<F> out(grid.rows * row_size, F::zero());
  for (std::size_t row = 0; row < grid.rows; ++row) {
    for (std::size_t col = 0; col < grid.cols; ++col) out[row * row_size + col] = fourier[grid.at(row, col, mask)];
  }
  return out;
}

/// The verifier's wiring value sum_{row, col} row_weights[row] col_weights[col] F_root(t, pos)
/// over the grid: from the O(N) product-tree table when the grid is large, else from the O(n)
/// product at each position (positions' powers of the root found incrementally).
template <Field F>
F grid_fourier_sum(std::span<const F> t, const F& root, const PositionGrid& grid, std::span<const F> row_weights,
                   std::span<const F> col_weights) {
  const std::size_t size = std::size_t{1} << t.size();
  const std::size_t mask = size - 1;
  const std::size_t points = grid.rows * grid.cols;
  F total = F::zero();
  if (points * (3 * t.size() + 1) <= 4 * size) {
    const F row_step = pow(root, std::uint64_t{grid.row_step & mask});
    const F col_step = pow(root, std::uint64_t{grid.col_step & mask});
    F row_start = pow(root, std::uint64_t{grid.base & mask});
    for (std::size_t row = 0; row < grid.rows; ++row, row_start *= row_step) {
      F z = row_start;
      F row_sum = F::zero();
      for (std::size_t col = 0; col < grid.cols; ++col, z *= col_step) {
        row_sum += col_weights[col] * fft::fourier_at(t, z);
      }
      total += row_weights[row] * row_sum;
    }
    return total;
  }
  const std::vector<F> table = fft::fourier_table(t, root);
  for (std::size_t row = 0; row < grid.rows; ++row) {
    F row_sum = F::zero();
    for (std::size_t col = 0; col < grid.cols; ++col) row_sum += col_weights[col] * table[grid.at(row, col, mask)];
    total += row_weights[row] * row_sum;
  }
  return total;
}

}  // namespace detail

/// Y = conv2d(X, K) proven through the FFT; input 0 is X (batch, in_ch, H, W), input 1 is K
/// (out_ch, in_ch, k, k), the output Y (batch, out_ch, outH, outW), all in the padded layouts
/// of Conv2dShape. See the header comment for the protocol.
template <TwoAdicField F>
  requires EncodableField<F>
class Conv2dFftLayer {
 public:
  struct Proof {
    /// Selection, IFFT, Hadamard product and channel sum; sends XF~, KF~.
    gkr::SumcheckStep<F> product;
    /// The input's FFT; sends X~ at the input claim's point.
    gkr::SumcheckStep<F> input;
    /// The kernel's FFT; sends K~ at the kernel claim's point.
    gkr::SumcheckStep<F> kernel;

    friend bool operator==(const Proof&, const Proof&) = default;
  };

  explicit Conv2dFftLayer(const Conv2dShape& shape)
      : shape_(validated(shape)),
        input_(shape.input_shape()),
        kernel_(shape.kernel_shape()),
        output_(shape.output_shape()),
        stride_(shape.fft_row_stride()) {
    const std::size_t k = shape.kernel, s = shape.stride, pad = shape.padding;
    log_n_ = shape.fft_transform_vars();
    root_ = fft::transform_root<F>(log_n_, fft::Direction::forward);  // throws beyond the two-adicity
    inverse_root_ = *root_.inverse();
    n_inverse_ = *F::from_u64(std::uint64_t{1} << log_n_).inverse();
    const std::size_t mask = (std::size_t{1} << log_n_) - 1;
    output_grid_ = {shape.out_height(), shape.out_width(), (k - 1) * stride_ + k - 1, s * stride_, s};
    input_grid_ = {shape.height, shape.width, pad * stride_ + pad, stride_, 1};
    kernel_grid_ = {k, k, (k - 1) * stride_ + k - 1, (0 - stride_) & mask, mask};
  }

  const Conv2dShape& shape() const { return shape_; }
  /// log2 of the transform length N.
  std::size_t transform_num_vars() const { return log_n_; }
  /// The row stride S of the flattened channels.
  std::size_t row_stride() const { return stride_; }

  std::size_t input_count() const { return 2; }
  std::size_t input_num_vars(std::size_t input) const {
    if (input > 1) throw std::invalid_argument("Conv2dFftLayer: it has two inputs");
    return input == 0 ? input_.num_vars() : kernel_.num_vars();
  }
  std::size_t output_num_vars() const { return output_.num_vars(); }

  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    check_inputs(inputs);
    return conv2d_forward<F>(shape_, inputs[0], inputs[1]);
  }

  template <class T>
  gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs, const gkr::Claim<F>& claim,
                                         T& transcript) const {
    check_inputs(inputs);
    check_claim(claim);
    gkr::absorb_claim(transcript, claim);
    const auto out_point = output_.split(std::span<const F>(claim.point));  // r_b, r_o, r_y, r_x
    const std::size_t size = std::size_t{1} << log_n_;
    const std::size_t channels = shape_.in_channels;
    const std::size_t image_vars = input_.dimension_bits()[2] + input_.dimension_bits()[3];
    const std::size_t patch_vars = kernel_.dimension_bits()[2] + kernel_.dimension_bits()[3];

    // The batch and the output channel folded at the claim's coordinates.
    const std::vector<F> x_folded =
        bind_high_variables(inputs[0], input_.num_vars() - input_.dimension_bits()[0], out_point[0]);
    const std::vector<F> k_folded =
        bind_high_variables(inputs[1], kernel_.num_vars() - kernel_.dimension_bits()[0], out_point[1]);

    // Step 1: G(j) [i < C] XF(i, j) KF(i, j) over (i, j).
    std::vector<F> selection(size, F::zero());
    {
      const std::vector<F> eq_y = eq_table(out_point[2]);
      const std::vector<F> eq_x = eq_table(out_point[3]);
      for (std::size_t y = 0; y < output_grid_.rows; ++y) {
        for (std::size_t x = 0; x < output_grid_.cols; ++x) {
          selection[output_grid_.at(y, x, size - 1)] += eq_y[y] * eq_x[x];
        }
      }
    }
    std::vector<F> wiring(channels * size);
    std::vector<F> x_freq, k_freq;
    {
      zkcnn::detail::PhaseScope scope(ProverPhase::fft);
      inverse_ntt(std::span<F>(selection));
      for (std::size_t i = 0; i < channels; ++i) {
        std::copy(selection.begin(), selection.end(), wiring.begin() + static_cast<std::ptrdiff_t>(i * size));
      }
      x_freq = transform_channels(x_folded, input_grid_, image_vars, input_.dimension_bits()[3]);
      k_freq = transform_channels(k_folded, kernel_grid_, patch_vars, kernel_.dimension_bits()[3]);
    }
    sumcheck::SumOfProducts<F> product(log_n_ + input_.dimension_bits()[1],
                                       {std::move(wiring), std::move(x_freq), std::move(k_freq)},
                                       {{F::one(), {0, 1, 2}}});
    const std::size_t product_sent[] = {1, 2};
    auto proven = gkr::prove_step(std::move(product), claim.masked_value(), std::span<const std::size_t>(product_sent),
                                  transcript);
    const gkr::MaskedValue<F> x_freq_value = proven.sent(0), k_freq_value = proven.sent(1);
    gkr::LayerProverOutput<Proof, F> out;
    out.proof.product = std::move(proven.step);
    const std::span<const F> c_j = std::span<const F>(proven.point).first(log_n_);
    const std::span<const F> c_i = std::span<const F>(proven.point).subspan(log_n_);

    // Steps 2 and 3: the transforms of the input and the kernel at (c_i, c_j), the FFT sumchecks.
    zkcnn::detail::PhaseScope scope(ProverPhase::fft);
    const std::vector<F> fourier = fft::fourier_table(c_j, root_);
    out.input_claims.push_back(prove_transform(0, std::span<const F>(fourier), x_folded, image_vars, input_grid_,
                                               input_.dimension_bits()[3], c_i, out_point[0], x_freq_value,
                                               out.proof.input, transcript));
    out.input_claims.push_back(prove_transform(1, std::span<const F>(fourier), k_folded, patch_vars, kernel_grid_,
                                               kernel_.dimension_bits()[3], c_i, out_point[1], k_freq_value,
                                               out.proof.kernel, transcript));
    return out;
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(const gkr::Claim<F>& claim, const Proof& proof, T& transcript) const {
    check_claim(claim);
    gkr::absorb_claim(transcript, claim);
    const auto out_point = output_.split(std::span<const F>(claim.point));
    const std::size_t image_vars = input_.dimension_bits()[2] + input_.dimension_bits()[3];
    const std::size_t patch_vars = kernel_.dimension_bits()[2] + kernel_.dimension_bits()[3];

    auto product =
        gkr::verify_step(claim.masked_value(), log_n_ + input_.dimension_bits()[1], 3, 2, proof.product, transcript);
    if (!product) return product.error();
    const std::span<const F> c_j = std::span<const F>(product->point).first(log_n_);
    const std::span<const F> c_i = std::span<const F>(product->point).subspan(log_n_);
    const F x_freq = proof.product.evaluations[0];
    const F k_freq = proof.product.evaluations[1];
    const F selection = n_inverse_ * prefix_indicator(c_i, shape_.in_channels) *
                        weighted_grid_sum(c_j, inverse_root_, output_grid_, out_point[2], out_point[3]);
    if (auto ok = gkr::check_step(*product, selection * x_freq * k_freq, "conv2d fft: product"); !ok) return ok.error();

    std::vector<gkr::InputClaim<F>> claims;
    for (std::size_t input = 0; input < 2; ++input) {
      const bool is_input = input == 0;
      const gkr::SumcheckStep<F>& step = is_input ? proof.input : proof.kernel;
      // The transform's claimed sum is the product step's sent value, with its mask terms.
      auto transform = gkr::verify_step(gkr::sent_value(proof.product, *product, input),
                                        is_input ? image_vars : patch_vars, 2, 1, step, transcript);
      if (!transform) return transform.error();
      const TensorShape& layout = is_input ? input_ : kernel_;
      const auto e = split_point(std::span<const F>(transform->point), layout.dimension_bits().subspan(2));
      const F wiring = weighted_grid_sum(c_j, root_, is_input ? input_grid_ : kernel_grid_, e[0], e[1]);
      const F value = step.evaluations[0];
      if (auto ok = gkr::check_step(*transform, wiring * value,
                                    is_input ? "conv2d fft: input transform" : "conv2d fft: kernel transform");
          !ok) {
        return ok.error();
      }
      claims.push_back({input, gkr::make_claim(claim_point(transform->point, c_i, out_point[is_input ? 0 : 1]),
                                               gkr::sent_value(step, *transform, 0))});
    }
    return claims;
  }

  void write_proof(const Proof& proof, io::ByteWriter& out) const {
    gkr::write_step(out, proof.product);
    gkr::write_step(out, proof.input);
    gkr::write_step(out, proof.kernel);
  }

  Result<Proof> read_proof(io::ByteReader& in) const {
    Proof proof;
    auto product = gkr::read_step<F>(in, log_n_ + input_.dimension_bits()[1], 3, 2);
    if (!product) return product.error();
    proof.product = std::move(*product);
    auto input = gkr::read_step<F>(in, input_.dimension_bits()[2] + input_.dimension_bits()[3], 2, 1);
    if (!input) return input.error();
    proof.input = std::move(*input);
    auto kernel = gkr::read_step<F>(in, kernel_.dimension_bits()[2] + kernel_.dimension_bits()[3], 2, 1);
    if (!kernel) return kernel.error();
    proof.kernel = std::move(*kernel);
    return proof;
  }

 private:
  static Conv2dShape validated(const Conv2dShape& shape) {
    shape.validate();
    return shape;
  }

  void check_inputs(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != 2) throw std::invalid_argument("Conv2dFftLayer: expected two inputs (X, K)");
    if (inputs[0].size() > input_.padded_size() || inputs[1].size() > kernel_.padded_size()) {
      throw std::invalid_argument("Conv2dFftLayer: an input is larger than its padded shape");
    }
  }

  void check_claim(const gkr::Claim<F>& claim) const {
    gkr::require_dimension(claim, output_.num_vars(), "Conv2dFftLayer");
  }

  // The transforms of the channels of `folded` (channel-major, 2^spatial_vars entries per
  // channel, rows of 2^col_bits), each placed on its grid in a vector of N: one row of N per
  // channel. Entries that share a position add up: a kernel wider than the row stride S
  // overlaps itself, and the placed vector is still the sum of K[a][c] at m_k(a, c), which is
  // what the convolution argument and the verifier's wiring sum over. The C real channels are
  // always transformed; a padded channel only up to the last one with a non-zero entry inside
  // the grid (none, for zero padding), so that the sent XF~ and KF~ are the extensions of the
  // transforms of the whole padded tables, which steps 2 and 3 reduce to.
  std::vector<F> transform_channels(std::span<const F> folded, const detail::PositionGrid& grid,
                                    std::size_t spatial_vars, std::size_t col_bits) const {
    const std::size_t size = std::size_t{1} << log_n_;
    const std::size_t mask = size - 1;
    const std::size_t channel_size = std::size_t{1} << spatial_vars;
    auto entry = [&](std::size_t i, std::size_t a, std::size_t c) {
      return folded[i * channel_size + (a << col_bits) + c];
    };
    std::size_t channels = shape_.in_channels;
    for (std::size_t i = folded.size() / channel_size; i-- > channels;) {
      bool zero = true;
      for (std::size_t a = 0; a < grid.rows && zero; ++a) {
        for (std::size_t c = 0; c < grid.cols && zero; ++c) zero = entry(i, a, c).is_zero();
      }
      if (!zero) channels = i + 1;
    }
    std::vector<F> out(channels * size, F::zero());
    zkcnn::detail::parallel_for(0, channels, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) {
        F* row = out.data() + i * size;
        for (std::size_t a = 0; a < grid.rows; ++a) {
          for (std::size_t c = 0; c < grid.cols; ++c) row[grid.at(a, c, mask)] += entry(i, a, c);
        }
        ntt(std::span<F>(row, size));
      }
    }, zkcnn::detail::threads_for(channels * size, std::size_t{1} << 14));
    return out;
  }

  // Steps 2 and 3: proves transform~(c_i, c_j) = sum_{(a, c)} F(c_j, pos(a, c)) T~(c_i, a, c)
  // for T = `folded` (one fold of the leading dimension done), and returns the claim on the
  // input table at (e, c_i, leading).
  template <class T>
  gkr::InputClaim<F> prove_transform(std::size_t input, std::span<const F> fourier, std::span<const F> folded,
                                     std::size_t spatial_vars, const detail::PositionGrid& grid, std::size_t col_bits,
                                     std::span<const F> c_i, std::span<const F> leading,
                                     const gkr::MaskedValue<F>& claimed, gkr::SumcheckStep<F>& step,
                                     T& transcript) const {
    std::vector<F> wiring = detail::gather_grid(fourier, grid, col_bits);
    std::vector<F> values = bind_high_variables(folded, spatial_vars, c_i);
    sumcheck::SumOfProducts<F> g(spatial_vars, {std::move(wiring), std::move(values)}, {{F::one(), {0, 1}}});
    const std::size_t sent[] = {1};
    auto proven = gkr::prove_step(std::move(g), claimed, std::span<const std::size_t>(sent), transcript);
    gkr::InputClaim<F> out{input, gkr::make_claim(claim_point(proven.point, c_i, leading), proven.sent(0))};
    step = std::move(proven.step);
    return out;
  }

  // sum_{row, col} eq(row_point, row) eq(col_point, col) F_root(t, pos(row, col)).
  F weighted_grid_sum(std::span<const F> t, const F& root, const detail::PositionGrid& grid,
                      std::span<const F> row_point, std::span<const F> col_point) const {
    const std::vector<F> rows = eq_table(row_point);
    const std::vector<F> cols = eq_table(col_point);
    return detail::grid_fourier_sum(t, root, grid, std::span<const F>(rows), std::span<const F>(cols));
  }

  // A point on an input table (leading dimension, channel, rows, columns) from its parts, low
  // variables first.
  static std::vector<F> claim_point(std::span<const F> spatial, std::span<const F> channel,
                                    std::span<const F> leading) {
    std::vector<F> point(spatial.begin(), spatial.end());
    point.insert(point.end(), channel.begin(), channel.end());
    point.insert(point.end(), leading.begin(), leading.end());
    return point;
  }

  Conv2dShape shape_;
  TensorShape input_;
  TensorShape kernel_;
  TensorShape output_;
  std::size_t stride_;  // S, the row stride of the flattening
  std::size_t log_n_ = 0;
  F root_;
  F inverse_root_;
  F n_inverse_;
  detail::PositionGrid output_grid_{};
  detail::PositionGrid input_grid_{};
  detail::PositionGrid kernel_grid_{};
};

}  // namespace zkcnn::nn
