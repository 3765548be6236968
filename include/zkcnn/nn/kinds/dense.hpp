#pragma once
// The dense layer kind (nn/layer_kind.hpp): accumulator = W x + bias, at the input's scale
// plus weight_scale_bits; proven by the matrix-multiplication sumcheck (nn/dense.hpp), then
// the committed bias.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "zkcnn/detail/bits.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/nn/bias.hpp"
#include "zkcnn/nn/dense.hpp"
#include "zkcnn/nn/kinds/accumulators.hpp"
#include "zkcnn/nn/kinds/bias_step.hpp"
#include "zkcnn/nn/layer_kind.hpp"
#include "zkcnn/nn/tensor_shape.hpp"

namespace zkcnn::nn {

struct DenseSpec {
  std::size_t out_features = 1;
  std::size_t weight_scale_bits = 0;
  friend bool operator==(const DenseSpec&, const DenseSpec&) = default;

  static constexpr std::uint8_t code = 1;
  static constexpr std::string_view name = "dense";
  static constexpr bool accumulates = true;
  static constexpr std::size_t parameter_count = 2;
  template <class F>
  using circuit_layers = std::tuple<DenseLayer<F>, BiasLayer<F>>;

  std::vector<std::size_t> parameters() const { return {out_features, weight_scale_bits}; }
  static Result<DenseSpec> from_parameters(std::span<const std::size_t> p) { return DenseSpec{p[0], p[1]}; }

  Result<ActivationShape> output_shape(const ShapeContext& context) const {
    const ActivationShape& in = context.input(0);
    if (weight_scale_bits > max_scale_bits) return context.fail("the weight scale is beyond 2^" + std::to_string(max_scale_bits));
    if (!in.flat) return context.fail("a dense layer needs a flat input (add a flatten layer)");
    if (out_features == 0) return context.fail("sizes must be positive");
    return ActivationShape{out_features, 1, 1, true, in.scale_bits + static_cast<std::int64_t>(weight_scale_bits),
                           out_features, 1, 1};
  }

  WeightSizes weight_sizes(const ActivationShape& in, const ActivationShape& out) const {
    return {out.channels * in.element_count(), out.channels};
  }

  Result<std::vector<std::int64_t>> infer(const InferenceContext& context) const {
    const LayerWeights& w = context.weights;
    const std::span<const std::int64_t> x = context.inputs[0];
    const std::size_t outputs = context.output.channels, inputs = x.size();
    std::vector<std::int64_t> y(outputs);
    if (zkcnn::detail::fits_in_64_bits(w, x, inputs)) {
      zkcnn::detail::parallel_for(0, outputs, [&](std::size_t first, std::size_t last) {
        for (std::size_t o = first; o < last; ++o) {
          std::int64_t sum = w.bias[o];
          for (std::size_t i = 0; i < inputs; ++i) sum += w.kernel[o * inputs + i] * x[i];
          y[o] = sum;
        }
      });
      return y;
    }
    for (std::size_t o = 0; o < outputs; ++o) {
      zkcnn::detail::int128 sum = w.bias[o];
      for (std::size_t i = 0; i < inputs; ++i) sum += zkcnn::detail::int128{w.kernel[o * inputs + i]} * x[i];
      auto value = context.narrow(sum);
      if (!value) return value.error();
      y[o] = *value;
    }
    return y;
  }

  template <class Compiler>
  void compile(Compiler& b) const {
    using F = typename Compiler::Field;
    // The features keep the layout of the tensor they come from: (C, H, W) for a flattened
    // image, (N) for a vector; the layer contracts over their real entries only, and column j
    // of the logical matrix is input entry j, wherever the input's layout puts it.
    const auto input = b.layout(b.input(0));
    const auto input_dims = input.physical.dims();
    const TensorShape features(std::vector<std::size_t>(input_dims.begin() + 1, input_dims.end()));
    const std::size_t outputs = b.output_shape().channels, inputs = b.input_shape(0).element_count();
    const auto kernel =
        b.add_weights(zkcnn::detail::ceil_log2(outputs) + features.num_vars(),
                      [input, outputs, inputs](const LayerWeights& weights, std::span<std::int64_t> block) {
                        const std::size_t in_bits = input.physical.num_vars() - input.physical.dimension_bits()[0];
                        for (std::size_t o = 0; o < outputs; ++o) {
                          for (std::size_t j = 0; j < inputs; ++j) {
                            block[(o << in_bits) | input.position(0, j)] = weights.kernel[o * inputs + j];
                          }
                        }
                      });
    const std::size_t products = b.new_tensor(b.output_shape());
    b.add_step(DenseLayer<F>(b.batch(), outputs, features), {kernel, b.table_ref(b.input(0))}, products);
    detail::compile_bias(b, products);
  }
};

}  // namespace zkcnn::nn
