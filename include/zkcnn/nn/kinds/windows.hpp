#pragma once
// Integer inference over non-overlapping square windows (stride equal to the window), shared by
// the pooling kinds.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "zkcnn/nn/layer_kind.hpp"

namespace zkcnn::nn::detail {

/// Each window of input 0 folded with `combine`, in the output's (channel, row, column) order.
template <class Combine>
std::vector<std::int64_t> fold_windows(const InferenceContext& context, std::size_t window, Combine combine) {
  const ActivationShape& in = context.input_shapes[0];
  const ActivationShape& out = context.output;
  const auto& x = context.inputs[0];
  std::vector<std::int64_t> y(out.element_count());
  for (std::size_t c = 0; c < out.channels; ++c) {
    for (std::size_t r = 0; r < out.height; ++r) {
      for (std::size_t col = 0; col < out.width; ++col) {
        std::int64_t value = x[(c * in.height + r * window) * in.width + col * window];
        for (std::size_t t = 1; t < window * window; ++t) {
          value = combine(value, x[(c * in.height + r * window + t / window) * in.width + col * window + t % window]);
        }
        y[(c * out.height + r) * out.width + col] = value;
      }
    }
  }
  return y;
}

/// The checks every pooling's output_shape makes, and the pooled shape before any scale change.
inline Result<ActivationShape> pooled_shape(const ShapeContext& context, std::size_t window) {
  const ActivationShape& in = context.input(0);
  if (in.flat) return context.fail("pooling needs an image input");
  if (window < 2 || (window & (window - 1)) != 0) {
    return context.fail("the window must be a power of two, at least 2 (stride equal to the window)");
  }
  if (in.height % window != 0 || in.width % window != 0) return context.fail("the height and width must be multiples of the window");
  ActivationShape s = in;
  s.height /= window;
  s.width /= window;
  s.source_channels = s.channels, s.source_height = s.height, s.source_width = s.width;
  return s;
}

}  // namespace zkcnn::nn::detail
