#pragma once
// The convolution layer kind (nn/layer_kind.hpp): accumulator = sum of weight * input + bias,
// at the input's scale plus weight_scale_bits; proven through the FFT (the paper's method,
// section 3) or directly, then the committed bias.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "zkcnn/detail/bits.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/detail/saturating.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/nn/bias.hpp"
#include "zkcnn/nn/conv2d_direct.hpp"
#include "zkcnn/nn/conv2d_fft.hpp"
#include "zkcnn/nn/conv2d_shape.hpp"
#include "zkcnn/nn/kinds/accumulators.hpp"
#include "zkcnn/nn/kinds/bias_step.hpp"
#include "zkcnn/nn/layer_kind.hpp"
#include "zkcnn/nn/tensor_shape.hpp"

namespace zkcnn::nn {

/// How a convolution is proven: through the FFT (the paper's method) or directly.
enum class ConvAlgorithm : std::uint8_t { fft = 0, direct = 1 };

struct Conv2dSpec {
  std::size_t out_channels = 1;
  std::size_t kernel = 1;
  std::size_t padding = 0;
  std::size_t stride = 1;
  std::size_t weight_scale_bits = 0;
  ConvAlgorithm algorithm = ConvAlgorithm::fft;
  friend bool operator==(const Conv2dSpec&, const Conv2dSpec&) = default;

  static constexpr std::uint8_t code = 0;
  static constexpr std::string_view name = "conv2d";
  static constexpr bool accumulates = true;
  static constexpr std::size_t parameter_count = 6;
  template <class F>
  using circuit_layers = std::tuple<Conv2dFftLayer<F>, Conv2dDirectLayer<F>, BiasLayer<F>>;

  std::vector<std::size_t> parameters() const {
    return {out_channels, kernel, padding, stride, weight_scale_bits, static_cast<std::size_t>(algorithm)};
  }
  static Result<Conv2dSpec> from_parameters(std::span<const std::size_t> p) {
    if (p[5] > 1) return make_error(Errc::invalid_encoding, "architecture: unknown convolution algorithm");
    return Conv2dSpec{p[0], p[1], p[2], p[3], p[4], static_cast<ConvAlgorithm>(p[5])};
  }

  Result<ActivationShape> output_shape(const ShapeContext& context) const {
    const ActivationShape& in = context.input(0);
    if (weight_scale_bits > max_scale_bits) return context.fail("the weight scale is beyond 2^" + std::to_string(max_scale_bits));
    if (in.flat) return context.fail("a convolution needs an image input");
    if (out_channels == 0 || kernel == 0 || stride == 0) return context.fail("sizes must be positive");
    if (in.height + 2 * padding < kernel || in.width + 2 * padding < kernel) {
      return context.fail("the kernel is larger than the padded input");
    }
    ActivationShape s = in;
    s.channels = out_channels;
    s.height = (in.height + 2 * padding - kernel) / stride + 1;
    s.width = (in.width + 2 * padding - kernel) / stride + 1;
    s.scale_bits += static_cast<std::int64_t>(weight_scale_bits);
    s.source_channels = s.channels, s.source_height = s.height, s.source_width = s.width;
    return s;
  }

  WeightSizes weight_sizes(const ActivationShape& in, const ActivationShape& out) const {
    return {out.channels * in.channels * kernel * kernel, out.channels};
  }

  Result<std::vector<std::int64_t>> infer(const InferenceContext& context) const {
    using zkcnn::detail::int128;
    const ActivationShape& in = context.input_shapes[0];
    const ActivationShape& out = context.output;
    const LayerWeights& w = context.weights;
    const std::span<const std::int64_t> x = context.inputs[0];
    const std::size_t k = kernel, terms = in.channels * k * k;
    if (zkcnn::detail::fits_in_32_bits(w, x, terms)) return convolve<std::int16_t, std::int32_t>(context);
    if (zkcnn::detail::fits_in_64_bits(w, x, terms)) return convolve<std::int64_t, std::int64_t>(context);
    std::vector<std::int64_t> y(out.element_count());
    for (std::size_t o = 0; o < out.channels; ++o) {
      for (std::size_t r = 0; r < out.height; ++r) {
        for (std::size_t c = 0; c < out.width; ++c) {
          int128 sum = w.bias[o];
          for (std::size_t i = 0; i < in.channels; ++i) {
            for (std::size_t a = 0; a < k; ++a) {
              const std::size_t row = r * stride + a;
              if (row < padding || row >= padding + in.height) continue;
              for (std::size_t b = 0; b < k; ++b) {
                const std::size_t col = c * stride + b;
                if (col < padding || col >= padding + in.width) continue;
                sum += int128{w.kernel[((o * in.channels + i) * k + a) * k + b]} *
                       x[(i * in.height + row - padding) * in.width + col - padding];
              }
            }
          }
          auto value = context.narrow(sum);
          if (!value) return value.error();
          y[(o * out.height + r) * out.width + c] = *value;
        }
      }
    }
    return y;
  }

  template <class Compiler>
  void compile(Compiler& b) const {
    using F = typename Compiler::Field;
    const ActivationShape& in = b.input_shape(0);
    const ActivationShape& out = b.output_shape();
    const Conv2dShape shape{b.batch(), in.channels, out.channels, in.height, in.width, kernel, padding, stride};
    // The kernel's block in the layout of Conv2dShape::kernel_shape, from (out, in, row, column).
    const auto kernel_block =
        b.add_weights(shape.kernel_shape().num_vars(), [shape](const LayerWeights& weights, std::span<std::int64_t> block) {
          const TensorShape layout = shape.kernel_shape();
          std::size_t n = 0;
          for (std::size_t o = 0; o < shape.out_channels; ++o)
            for (std::size_t i = 0; i < shape.in_channels; ++i)
              for (std::size_t a = 0; a < shape.kernel; ++a)
                for (std::size_t c = 0; c < shape.kernel; ++c) block[layout.offset({o, i, a, c})] = weights.kernel[n++];
        });
    const std::size_t products = b.new_tensor(out);
    if (algorithm == ConvAlgorithm::fft && shape.fft_fits(F::two_adicity)) {
      b.add_step(Conv2dFftLayer<F>(shape), {b.table_ref(b.input(0)), kernel_block}, products);
    } else {
      b.add_step(Conv2dDirectLayer<F>(shape), {b.table_ref(b.input(0)), kernel_block}, products);
    }
    detail::compile_bias(b, products);
  }

  /// The verifier's wiring: the FFT's grid sums, or the direct convolution's axis tables.
  template <class Cost>
  void verifier_cost(Cost& cost) const {
    using zkcnn::detail::padded;
    using zkcnn::detail::saturating_add;
    using zkcnn::detail::saturating_mul;
    const ActivationShape& in = cost.input_shape(0);
    const ActivationShape& out = cost.output_shape();
    const Conv2dShape shape{cost.batch(), in.channels, out_channels, in.height, in.width, kernel, padding, stride};
    const std::size_t k = kernel;
    const std::size_t out_points = saturating_mul(out.height, out.width);
    if (algorithm == ConvAlgorithm::fft && shape.fft_fits(cost.two_adicity())) {
      const std::size_t log_n = shape.fft_transform_vars();  // below 60: sizes are at most 2^28
      cost.fft_grid_sum(out_points, log_n);                         // the output grid
      cost.fft_grid_sum(saturating_mul(in.height, in.width), log_n);  // the input grid
      cost.fft_grid_sum(saturating_mul(k, k), log_n);                 // the kernel grid
      cost.degree(3);
    } else {
      // Eq tables over the output's rows and columns and the kernel's, and one table per input
      // axis filled over every (output, tap) pair.
      const std::size_t entries =
          saturating_add(saturating_add(in.height, in.width),
                         saturating_add(saturating_add(padded(out.height), padded(out.width)), 2 * padded(k)));
      cost.hold(entries);
      cost.spend(saturating_add(saturating_mul(k, saturating_add(out.height, out.width)), 2 * entries));
      cost.degree(2);
    }
  }

 private:
  // The convolution in Operand and Accumulator arithmetic, exact when the bounds allow it, one
  // output channel per task.
  template <class Operand, class Accumulator>
  std::vector<std::int64_t> convolve(const InferenceContext& context) const {
    const std::span<const std::int64_t> x = context.inputs[0];
    // The inputs as operands: narrowed once on the 16-bit path, read in place on the 64-bit one.
    std::vector<Operand> narrowed;
    std::span<const Operand> inputs;
    if constexpr (std::is_same_v<Operand, std::int64_t>) {
      inputs = x;
    } else {
      narrowed.assign(x.begin(), x.end());
      inputs = narrowed;
    }
    std::vector<Accumulator> y = stride == 1 ? convolve_padded<Operand, Accumulator>(context, inputs)
                                             : convolve_rows<Operand, Accumulator>(context, inputs);
    if constexpr (std::is_same_v<Accumulator, std::int64_t>) {
      return y;
    } else {
      return std::vector<std::int64_t>(y.begin(), y.end());
    }
  }

  // Stride 1: the input copied once into zero-padded planes, and each output plane computed in
  // rows as wide as a padded row (out.width columns kept, the k - 1 after them discarded), so
  // that a kernel tap is one multiply-add over the whole plane. Row by row, the small images of
  // a network's last blocks (2x2, 4x4) left loops of two to four entries per row.
  template <class Operand, class Accumulator>
  std::vector<Accumulator> convolve_padded(const InferenceContext& context, std::span<const Operand> inputs) const {
    const ActivationShape& in = context.input_shapes[0];
    const ActivationShape& out = context.output;
    const LayerWeights& w = context.weights;
    const std::size_t k = kernel, plane = out.height * out.width;
    const std::size_t padded_width = in.width + 2 * padding, padded_plane = padded_width * (in.height + 2 * padding);
    std::vector<Operand> padded(in.channels * padded_plane, Operand{0});
    for (std::size_t i = 0; i < in.channels; ++i) {
      for (std::size_t row = 0; row < in.height; ++row) {
        std::copy_n(inputs.data() + (i * in.height + row) * in.width, in.width,
                    padded.data() + i * padded_plane + (row + padding) * padded_width + padding);
      }
    }
    // Output (r, c) is wide entry r padded_width + c; tap (a, b) reads padded entry
    // (r + a, c + b), at offset a padded_width + b from it. The last wide entry read,
    // (out.height - 1 + k - 1) padded_width + out.width - 1 + k - 1, ends the padded plane.
    const std::size_t wide = (out.height - 1) * padded_width + out.width;
    std::vector<Accumulator> y(out.element_count());
    zkcnn::detail::parallel_for(0, out.channels, [&](std::size_t first_channel, std::size_t last_channel) {
      std::vector<Accumulator> sums(wide);
      for (std::size_t o = first_channel; o < last_channel; ++o) {
        std::fill(sums.begin(), sums.end(), static_cast<Accumulator>(w.bias[o]));
        for (std::size_t i = 0; i < in.channels; ++i) {
          for (std::size_t a = 0; a < k; ++a) {
            for (std::size_t b = 0; b < k; ++b) {
              const auto weight = static_cast<Accumulator>(w.kernel[((o * in.channels + i) * k + a) * k + b]);
              if (weight == 0) continue;
              const Operand* source = padded.data() + i * padded_plane + a * padded_width + b;
              for (std::size_t n = 0; n < wide; ++n) sums[n] += weight * static_cast<Accumulator>(source[n]);
            }
          }
        }
        for (std::size_t r = 0; r < out.height; ++r) {
          std::copy_n(sums.data() + r * padded_width, out.width, y.data() + o * plane + r * out.width);
        }
      }
    });
    return y;
  }

  // Any stride: for each kernel tap, a multiply-add over the output columns of each row whose
  // input column lies inside the image (computed once per tap, so the inner loop has no branch
  // and vectorizes).
  template <class Operand, class Accumulator>
  std::vector<Accumulator> convolve_rows(const InferenceContext& context, std::span<const Operand> inputs) const {
    const ActivationShape& in = context.input_shapes[0];
    const ActivationShape& out = context.output;
    const LayerWeights& w = context.weights;
    const std::size_t k = kernel, plane = out.height * out.width;
    // The output columns [first, last) of kernel column b, whose input column c stride + b -
    // padding lies in [0, in.width).
    std::vector<std::pair<std::size_t, std::size_t>> columns(k);
    for (std::size_t b = 0; b < k; ++b) {
      const std::size_t first = b >= padding ? 0 : (padding - b + stride - 1) / stride;
      const std::size_t last = padding + in.width > b ? std::min(out.width, (padding + in.width - 1 - b) / stride + 1) : 0;
      columns[b] = {first, std::max(first, last)};
    }
    std::vector<Accumulator> y(out.element_count());
    zkcnn::detail::parallel_for(0, out.channels, [&](std::size_t first_channel, std::size_t last_channel) {
      for (std::size_t o = first_channel; o < last_channel; ++o) {
        Accumulator* y_plane = y.data() + o * plane;
        std::fill(y_plane, y_plane + plane, static_cast<Accumulator>(w.bias[o]));
        for (std::size_t i = 0; i < in.channels; ++i) {
          for (std::size_t a = 0; a < k; ++a) {
            for (std::size_t b = 0; b < k; ++b) {
              const auto weight = static_cast<Operand>(w.kernel[((o * in.channels + i) * k + a) * k + b]);
              const auto [first, last] = columns[b];
              if (weight == 0 || first == last) continue;
              for (std::size_t r = 0; r < out.height; ++r) {
                const std::size_t row = r * stride + a;
                if (row < padding || row >= padding + in.height) continue;
                // Output column first + n reads input column (first + n) stride + b - padding.
                const Operand* source =
                    inputs.data() + (i * in.height + row - padding) * in.width + (first * stride + b - padding);
                Accumulator* target = y_plane + r * out.width + first;
                const std::size_t count = last - first;
                for (std::size_t n = 0; n < count; ++n) {
                  target[n] += static_cast<Accumulator>(weight) * static_cast<Accumulator>(source[n * stride]);
                }
              }
            }
          }
        }
      }
    });
    return y;
  }
};

}  // namespace zkcnn::nn
