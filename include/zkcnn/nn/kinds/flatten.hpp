#pragma once
// The flatten layer kind (nn/layer_kind.hpp): (C, H, W) -> (C * H * W), C-major as in
// PyTorch. Free in the proof: the flat vector is the image's table read as a vector, keeping
// its padded layout (the dense layer's weight columns are laid out to match), so flattening
// must be the only reader of its image.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <tuple>
#include <vector>

#include "zkcnn/error.hpp"
#include "zkcnn/nn/layer_kind.hpp"

namespace zkcnn::nn {

struct FlattenSpec {
  friend bool operator==(const FlattenSpec&, const FlattenSpec&) = default;

  static constexpr std::uint8_t code = 5;
  static constexpr std::string_view name = "flatten";
  static constexpr std::size_t parameter_count = 0;
  template <class F>
  using circuit_layers = std::tuple<>;

  std::vector<std::size_t> parameters() const { return {}; }
  static Result<FlattenSpec> from_parameters(std::span<const std::size_t>) { return FlattenSpec{}; }

  Result<ActivationShape> output_shape(const ShapeContext& context) const {
    const ActivationShape& in = context.input(0);
    if (in.flat) return context.fail("the input is already flat");
    if (context.inputs[0].readers != 1) return context.fail("flattening must be the only reader of its input");
    ActivationShape s = in;
    s.channels = in.element_count();
    s.height = s.width = 1;
    s.flat = true;
    return s;
  }

  Result<std::vector<std::int64_t>> infer(const InferenceContext& context) const {
    return std::vector<std::int64_t>(context.inputs[0].begin(), context.inputs[0].end());
  }

  template <class Compiler>
  void compile(Compiler& b) const {
    b.layout(b.input(0)).logical.flat = true;
    b.bind_output(b.input(0));
  }
};

}  // namespace zkcnn::nn
