#pragma once
// The geometry of a 2-D convolution layer, shared by its FFT and direct proofs: a batch of
// multi-channel images X (batch, in_channels, height, width), a square kernel
// K (out_channels, in_channels, k, k), zero padding on every side and a stride; the output
// Y (batch, out_channels, out_height, out_width) is the cross-correlation CNNs compute,
//   Y[b][o][y][x] = sum_{i,a,c} K[o][i][a][c] * Xpad[b][i][y*stride + a][x*stride + c].

#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/nn/tensor_shape.hpp"

namespace zkcnn::nn {

struct Conv2dShape {
  std::size_t batch = 1;
  std::size_t in_channels = 1;
  std::size_t out_channels = 1;
  std::size_t height = 1;
  std::size_t width = 1;
  std::size_t kernel = 1;
  std::size_t padding = 0;
  std::size_t stride = 1;

  /// Throws std::invalid_argument unless the shape is a valid convolution.
  void validate() const {
    if (batch == 0 || in_channels == 0 || out_channels == 0 || height == 0 || width == 0 || kernel == 0 ||
        stride == 0) {
      throw std::invalid_argument("Conv2dShape: every size and the stride must be positive");
    }
    if (height + 2 * padding < kernel || width + 2 * padding < kernel) {
      throw std::invalid_argument("Conv2dShape: the kernel is larger than the padded input");
    }
  }
  std::size_t padded_height() const { return height + 2 * padding; }
  std::size_t padded_width() const { return width + 2 * padding; }
  std::size_t out_height() const { return (padded_height() - kernel) / stride + 1; }
  std::size_t out_width() const { return (padded_width() - kernel) / stride + 1; }

  /// The FFT convolution's row stride: a padded row of the input, laid out end to end.
  std::size_t fft_row_stride() const { return width + padding; }
  /// log2 of the FFT convolution's transform length: the last input and output positions,
  /// with rows fft_row_stride() apart, must fit (nn/conv2d_fft.hpp).
  std::size_t fft_transform_vars() const {
    const std::size_t row = fft_row_stride();
    const std::size_t last_input = (height - 1 + padding) * row + width - 1 + padding;
    const std::size_t last_output = ((out_height() - 1) * stride + kernel - 1) * row + (out_width() - 1) * stride + kernel - 1;
    return zkcnn::detail::ceil_log2(std::max(last_input, last_output) + 1);
  }
  /// Whether the FFT convolution's transform fits a field of the given two-adicity (whose
  /// largest power-of-two subgroup has order 2^two_adicity). Where it does not, the layer is
  /// proven directly: the prover, the verifier and the verifier's cost all ask this.
  bool fft_fits(std::size_t two_adicity) const { return fft_transform_vars() <= two_adicity; }

  TensorShape input_shape() const { return TensorShape{batch, in_channels, height, width}; }
  TensorShape kernel_shape() const { return TensorShape{out_channels, in_channels, kernel, kernel}; }
  TensorShape output_shape() const { return TensorShape{batch, out_channels, out_height(), out_width()}; }

  friend bool operator==(const Conv2dShape&, const Conv2dShape&) = default;
};

/// The convolution computed directly, in the padded layouts: the reference both proofs are
/// tested against, and the forward pass of the layers over a field.
template <Field F>
std::vector<F> conv2d_forward(const Conv2dShape& shape, std::span<const F> input, std::span<const F> kernel) {
  shape.validate();
  const TensorShape in = shape.input_shape(), ker = shape.kernel_shape(), out = shape.output_shape();
  if (input.size() > in.padded_size() || kernel.size() > ker.padded_size()) {
    throw std::invalid_argument("conv2d_forward: a table is larger than its padded shape");
  }
  auto at = [](std::span<const F> table, std::size_t position) { return position < table.size() ? table[position] : F::zero(); };
  std::vector<F> output(out.padded_size(), F::zero());
  for (std::size_t b = 0; b < shape.batch; ++b) {
    for (std::size_t o = 0; o < shape.out_channels; ++o) {
      for (std::size_t y = 0; y < shape.out_height(); ++y) {
        for (std::size_t x = 0; x < shape.out_width(); ++x) {
          F sum = F::zero();
          for (std::size_t i = 0; i < shape.in_channels; ++i) {
            for (std::size_t a = 0; a < shape.kernel; ++a) {
              const std::size_t row = y * shape.stride + a;
              if (row < shape.padding || row >= shape.padding + shape.height) continue;
              for (std::size_t c = 0; c < shape.kernel; ++c) {
                const std::size_t col = x * shape.stride + c;
                if (col < shape.padding || col >= shape.padding + shape.width) continue;
                sum += at(kernel, ker.offset({o, i, a, c})) *
                       at(input, in.offset({b, i, row - shape.padding, col - shape.padding}));
              }
            }
          }
          output[out.offset({b, o, y, x})] = sum;
        }
      }
    }
  }
  return output;
}

}  // namespace zkcnn::nn
