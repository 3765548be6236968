#pragma once
// The average pooling layer kind (nn/layer_kind.hpp): the sum over each window, which is the
// average at a scale 2 log2(window) bits higher, so the division is exact and folds into the
// next rescale. Proven by the sum pooling layer (nn/pooling.hpp).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <tuple>
#include <vector>

#include "zkcnn/detail/bits.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/nn/kinds/windows.hpp"
#include "zkcnn/nn/layer_kind.hpp"
#include "zkcnn/nn/pooling.hpp"

namespace zkcnn::nn {

struct AvgPoolSpec {
  std::size_t window = 2;
  friend bool operator==(const AvgPoolSpec&, const AvgPoolSpec&) = default;

  static constexpr std::uint8_t code = 4;
  static constexpr std::string_view name = "avgpool";
  static constexpr std::size_t parameter_count = 1;
  template <class F>
  using circuit_layers = std::tuple<SumPoolLayer<F>>;

  std::vector<std::size_t> parameters() const { return {window}; }
  static Result<AvgPoolSpec> from_parameters(std::span<const std::size_t> p) { return AvgPoolSpec{p[0]}; }

  Result<ActivationShape> output_shape(const ShapeContext& context) const {
    auto s = detail::pooled_shape(context, window);
    if (s) s->scale_bits += static_cast<std::int64_t>(2 * zkcnn::detail::ceil_log2(window));
    return s;
  }

  Result<std::vector<std::int64_t>> infer(const InferenceContext& context) const {
    // Inputs are ReLU outputs or pooled sums below 2^62 / window^2 in practice; check anyway.
    auto sum = detail::fold_windows(context, window, [](std::int64_t a, std::int64_t b) { return a + b; });
    for (std::int64_t v : sum) {
      if (v <= -max_magnitude || v >= max_magnitude) return context.error("a window sum exceeds 2^62");
    }
    return sum;
  }

  template <class Compiler>
  void compile(Compiler& b) const {
    using F = typename Compiler::Field;
    b.add_step(SumPoolLayer<F>(b.layout(b.input(0)).physical, window), {b.table_ref(b.input(0))}, b.output_tensor());
  }
};

}  // namespace zkcnn::nn
