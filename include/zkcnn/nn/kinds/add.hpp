#pragma once
// The residual addition layer kind (nn/layer_kind.hpp): the sum of two tensors of one shape,
// the one of lower scale multiplied by 2^(difference) first, so that both have the higher
// scale (exact, so the alignment costs the proof nothing; nn/residual_add.hpp).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "zkcnn/error.hpp"
#include "zkcnn/nn/kinds/accumulators.hpp"
#include "zkcnn/nn/layer_kind.hpp"
#include "zkcnn/nn/residual_add.hpp"
#include "zkcnn/nn/tensor_shape.hpp"

namespace zkcnn::nn {

struct AddSpec {
  friend bool operator==(const AddSpec&, const AddSpec&) = default;

  static constexpr std::uint8_t code = 6;
  static constexpr std::string_view name = "add";
  static constexpr std::size_t arity = 2;
  static constexpr bool accumulates = true;
  static constexpr std::size_t parameter_count = 0;
  template <class F>
  using circuit_layers = std::tuple<ResidualAddLayer<F>>;

  std::vector<std::size_t> parameters() const { return {}; }
  static Result<AddSpec> from_parameters(std::span<const std::size_t>) { return AddSpec{}; }

  Result<ActivationShape> output_shape(const ShapeContext& context) const {
    const ActivationShape& first = context.input(0);
    const ActivationShape& second = context.input(1);
    auto without_scale = [](ActivationShape a) {
      a.scale_bits = 0;
      return a;
    };
    if (without_scale(first) != without_scale(second)) return context.fail("the two tensors added have different shapes");
    const std::int64_t difference = first.scale_bits - second.scale_bits;
    if (difference > static_cast<std::int64_t>(max_scale_bits) || -difference > static_cast<std::int64_t>(max_scale_bits)) {
      return context.fail("the two scales differ by more than " + std::to_string(max_scale_bits) + " bits");
    }
    ActivationShape s = first;
    s.scale_bits = std::max(first.scale_bits, second.scale_bits);
    return s;
  }

  // Both terms at the higher of the two scales: the other multiplied by 2^(difference).
  Result<std::vector<std::int64_t>> infer(const InferenceContext& context) const {
    using zkcnn::detail::int128;
    const auto& a = context.inputs[0];
    const auto& b = context.inputs[1];
    const auto a_shift = static_cast<unsigned>(context.output.scale_bits - context.input_shapes[0].scale_bits);
    const auto b_shift = static_cast<unsigned>(context.output.scale_bits - context.input_shapes[1].scale_bits);
    std::vector<std::int64_t> y(a.size());
    for (std::size_t j = 0; j < y.size(); ++j) {
      // The shifts are at most 48 bits and the values below 2^62: the sum fits in 128 bits.
      auto value = context.narrow(int128{a[j]} * (int128{1} << a_shift) + int128{b[j]} * (int128{1} << b_shift));
      if (!value) return value.error();
      y[j] = *value;
    }
    return y;
  }

  template <class Compiler>
  void compile(Compiler& b) const {
    using F = typename Compiler::Field;
    const std::size_t first = b.input(0), second = b.input(1);
    if (!same_layout(b.layout(first).physical, b.layout(second).physical)) {
      throw std::invalid_argument("the terms of an addition are laid out differently (a flattened image and a vector)");
    }
    // Each term multiplied by 2^(the output's scale - its own): exact alignment.
    const auto shift = [&](std::size_t i) {
      return static_cast<std::size_t>(b.output_shape().scale_bits - b.input_shape(i).scale_bits);
    };
    b.add_step(ResidualAddLayer<F>(b.layout(first).physical, shift(0), shift(1)), {b.table_ref(first), b.table_ref(second)},
               b.output_tensor());
  }

 private:
  // Whether two tables put every entry at the same position: the same dimensions once those
  // of size 1 (which take no bits) are left out, as a flattened C x 1 x 1 image and a vector of
  // C entries.
  static bool same_layout(const TensorShape& a, const TensorShape& b) {
    auto sized = [](const TensorShape& shape) {
      std::vector<std::size_t> dims;
      for (std::size_t d : shape.dims()) {
        if (d != 1) dims.push_back(d);
      }
      return dims;
    };
    return sized(a) == sized(b);
  }
};

}  // namespace zkcnn::nn
