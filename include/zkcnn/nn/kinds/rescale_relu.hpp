#pragma once
// The rescale-ReLU and max pooling layer kinds (nn/layer_kind.hpp), compiled together: a max
// pooling reads a rescale-ReLU that nothing else reads, and is proven on the accumulators
// before it, in the ReLU's place (both are monotone, so the result is the same; the paper,
// section 4), each with its digits in the auxiliary witness's range check.
//
//   RescaleRelu  ReLU(floor(accumulator / 2^shift)); the accumulator must lie in
//                [-2^(bits-1), 2^(bits-1)) or witness generation fails naming the layer.
//   MaxPool      the maximum over each window.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "zkcnn/detail/bits.hpp"
#include "zkcnn/detail/saturating.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/nn/digits.hpp"
#include "zkcnn/nn/kinds/windows.hpp"
#include "zkcnn/nn/layer_kind.hpp"
#include "zkcnn/nn/pooling.hpp"
#include "zkcnn/nn/relu.hpp"

namespace zkcnn::nn {

struct MaxPoolSpec;

struct RescaleReluSpec {
  std::size_t bits = 16;
  std::size_t shift = 0;
  friend bool operator==(const RescaleReluSpec&, const RescaleReluSpec&) = default;

  static constexpr std::uint8_t code = 2;
  static constexpr std::string_view name = "rescale-relu";
  static constexpr std::size_t parameter_count = 2;
  template <class F>
  using circuit_layers = std::tuple<RescaleReluLayer<F>, MaxPoolLayer<F>>;

  std::vector<std::size_t> parameters() const { return {bits, shift}; }
  static Result<RescaleReluSpec> from_parameters(std::span<const std::size_t> p) { return RescaleReluSpec{p[0], p[1]}; }

  Result<ActivationShape> output_shape(const ShapeContext& context) const {
    if (bits < 2 || bits > max_scale_bits) {
      return context.fail("the accumulator bit width must be in [2, " + std::to_string(max_scale_bits) + "]");
    }
    if (shift > bits - 2) return context.fail("the shift must leave at least one value bit");
    if (!context.inputs[0].accumulates) return context.fail("a rescale-ReLU must read a convolution, a dense layer or an addition");
    ActivationShape s = context.input(0);
    s.scale_bits -= static_cast<std::int64_t>(shift);
    return s;
  }

  Result<std::vector<std::int64_t>> infer(const InferenceContext& context) const {
    const std::int64_t half = std::int64_t{1} << (bits - 1);
    const auto& x = context.inputs[0];
    std::vector<std::int64_t> y(x.size());
    for (std::size_t j = 0; j < x.size(); ++j) {
      if (x[j] < -half || x[j] >= half) {
        return context.error("accumulator " + std::to_string(x[j]) + " at index " + std::to_string(j) + " is outside the " +
                             std::to_string(bits) + "-bit range [-2^" + std::to_string(bits - 1) + ", 2^" +
                             std::to_string(bits - 1) + ")");
      }
      y[j] = std::max<std::int64_t>(0, x[j] >> shift);  // >> of a negative value is floor division
    }
    return y;
  }

  template <class Compiler>
  void compile(Compiler& b) const;

  /// Degree 3, plus one per digit sent in zero knowledge (at most a digit per bit).
  template <class Cost>
  void verifier_cost(Cost& cost) const {
    cost.degree(zkcnn::detail::saturating_add(bits, 4));
  }
};

struct MaxPoolSpec {
  std::size_t window = 2;
  friend bool operator==(const MaxPoolSpec&, const MaxPoolSpec&) = default;

  static constexpr std::uint8_t code = 3;
  static constexpr std::string_view name = "maxpool";
  static constexpr std::size_t parameter_count = 1;
  template <class F>
  using circuit_layers = std::tuple<>;

  std::vector<std::size_t> parameters() const { return {window}; }
  static Result<MaxPoolSpec> from_parameters(std::span<const std::size_t> p) { return MaxPoolSpec{p[0]}; }

  Result<ActivationShape> output_shape(const ShapeContext& context) const {
    auto s = detail::pooled_shape(context, window);
    if (!s) return s;
    // Proven on the accumulators before the rescale-ReLU, in its place (RescaleReluSpec::compile).
    if (!context.reads_output_of<RescaleReluSpec>(0) || context.inputs[0].readers != 1) {
      return context.fail("max pooling must read a rescale-ReLU that nothing else reads");
    }
    return s;
  }

  Result<std::vector<std::int64_t>> infer(const InferenceContext& context) const {
    return detail::fold_windows(context, window, [](std::int64_t a, std::int64_t b) { return std::max(a, b); });
  }

  /// Compiled by the rescale-ReLU it reads.
  template <class Compiler>
  void compile(Compiler& b) const {
    if (!b.output_bound()) throw std::logic_error("a max pooling without its rescale-ReLU");
  }

  /// The zero-check: degree window^2 + 1, and twice that plus one in zero knowledge (the
  /// mask's last round), with an eq table over the window.
  template <class Cost>
  void verifier_cost(Cost& cost) const {
    const std::size_t window_size = zkcnn::detail::saturating_mul(window, window);
    cost.degree(zkcnn::detail::saturating_add(zkcnn::detail::saturating_mul(2, window_size), 1));
    cost.hold(window_size);
  }
};

template <class Compiler>
void RescaleReluSpec::compile(Compiler& b) const {
  using F = typename Compiler::Field;
  // A max pooling reading this layer (then its only reader) runs first, on the accumulators,
  // and the ReLU on the pooled accumulators gives the pooling's output.
  const std::optional<std::size_t> reader = b.sole_reader();
  const MaxPoolSpec* pool = nullptr;
  if (reader) {
    std::visit(
        [&](const auto& spec) {
          if constexpr (std::is_same_v<std::decay_t<decltype(spec)>, MaxPoolSpec>) pool = &spec;
        },
        b.architecture().layers[*reader]);
  }
  std::size_t accumulators = b.input(0);
  if (pool) {
    MaxPoolLayer<F> layer(b.layout(accumulators).physical, pool->window, bits, max_digit_bits);
    ActivationShape pooled = b.shape(*reader + 1);
    pooled.scale_bits = b.input_shape(0).scale_bits;
    const std::size_t maxima = b.new_tensor(pooled);
    b.add_range_checked_step(std::move(layer), {b.table_ref(accumulators)}, maxima, b.by_forward(), *reader);
    accumulators = maxima;
  }
  const std::size_t result = pool ? b.output_tensor(*reader) : b.output_tensor();
  b.add_range_checked_step(RescaleReluLayer<F>(b.layout(accumulators).physical.num_vars(), bits, shift, max_digit_bits),
                           {b.table_ref(accumulators)}, result);
}

}  // namespace zkcnn::nn
