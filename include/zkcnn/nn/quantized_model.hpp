#pragma once
// A quantized CNN: its public architecture and its private integer weights, with the
// integer-only inference the proofs are about (each kind's semantics are in its header,
// nn/kinds/ for the built-in ones).
//
// Layouts are the logical ones a user writes: an image is (channel, row, column) row-major,
// a convolution kernel (out, in, row, column), a dense matrix (out, in) with `in` running
// over the flattened input in PyTorch's order.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "zkcnn/error.hpp"
#include "zkcnn/nn/architecture.hpp"

namespace zkcnn::nn {

template <ModelArchitecture Arch>
struct BasicQuantizedModel {
  using Architecture = Arch;

  Arch architecture;
  /// One entry per layer of the architecture (empty for a layer that commits to nothing).
  std::vector<LayerWeights> weights;

  /// The number of kernel and bias entries each layer needs.
  static Result<std::vector<std::pair<std::size_t, std::size_t>>> weight_sizes(const Arch& architecture) {
    auto shapes = architecture.shapes();
    if (!shapes) return shapes.error();
    std::vector<std::pair<std::size_t, std::size_t>> sizes;
    for (std::size_t i = 0; i < architecture.layers.size(); ++i) {
      const auto& in = (*shapes)[architecture.layer_inputs(i)[0]];
      const auto& out = (*shapes)[i + 1];
      const WeightSizes size = std::visit([&](const auto& spec) { return weight_sizes_of(spec, in, out); }, architecture.layers[i]);
      sizes.emplace_back(size.kernel, size.bias);
    }
    return sizes;
  }

  /// Fails, naming the layer, unless every layer has weights of the right sizes and
  /// magnitudes.
  Status validate() const {
    auto sizes = weight_sizes(architecture);
    if (!sizes) return sizes.error();
    if (weights.size() != architecture.layers.size()) {
      return make_error(Errc::invalid_argument, "model: expected weights for " + std::to_string(architecture.layers.size()) +
                                                    " layers, got " + std::to_string(weights.size()));
    }
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const auto [kernel, bias] = (*sizes)[i];
      const std::string where = "model: " + layer_name(architecture.layers[i], i) + ": ";
      if (weights[i].kernel.size() != kernel || weights[i].bias.size() != bias) {
        return make_error(Errc::invalid_argument, where + "expected " + std::to_string(kernel) + " weights and " +
                                                      std::to_string(bias) + " biases, got " +
                                                      std::to_string(weights[i].kernel.size()) + " and " +
                                                      std::to_string(weights[i].bias.size()));
      }
      for (const auto* values : {&weights[i].kernel, &weights[i].bias}) {
        for (std::int64_t w : *values) {
          if (w <= -max_magnitude || w >= max_magnitude) return make_error(Errc::invalid_argument, where + "a weight is too large");
        }
      }
    }
    return {};
  }
};

/// A model of the built-in layer kinds.
using QuantizedModel = BasicQuantizedModel<Architecture>;

}  // namespace zkcnn::nn

namespace zkcnn::detail {

// Every activation, the input first, each layer's by its kind's infer.
template <class Model>
class IntegerInference {
 public:
  IntegerInference(const Model& model, std::vector<nn::ActivationShape> shapes) : model_(model), shapes_(std::move(shapes)) {}

  /// Fails unless `input` has the model's input size and every value is below 2^40.
  Status check_input(std::span<const std::int64_t> input) const {
    if (input.size() != shapes_.front().element_count()) {
      return make_error(Errc::invalid_argument, "inference: the input has " + std::to_string(input.size()) +
                                                    " values, expected " + std::to_string(shapes_.front().element_count()));
    }
    for (std::int64_t v : input) {
      if (v <= -(std::int64_t{1} << 40) || v >= (std::int64_t{1} << 40)) {
        return make_error(Errc::invalid_argument, "inference: an input value exceeds 2^40");
      }
    }
    return {};
  }

  /// The input and the outputs of the first `layer_count` layers (all by default).
  Result<std::vector<std::vector<std::int64_t>>> run(std::span<const std::int64_t> input,
                                                      std::size_t layer_count = static_cast<std::size_t>(-1)) const {
    const auto& architecture = model_.architecture;
    std::vector<std::vector<std::int64_t>> activations{{input.begin(), input.end()}};
    for (std::size_t i = 0; i < std::min(layer_count, architecture.layers.size()); ++i) {
      std::vector<std::span<const std::int64_t>> inputs;
      std::vector<nn::ActivationShape> input_shapes;
      for (std::size_t t : architecture.layer_inputs(i)) {
        inputs.emplace_back(activations[t]);
        input_shapes.push_back(shapes_[t]);
      }
      auto next = std::visit(
          [&](const auto& spec) {
            using K = std::decay_t<decltype(spec)>;
            return spec.infer(nn::InferenceContext{inputs, input_shapes, shapes_[i + 1], model_.weights[i], i, K::name});
          },
          architecture.layers[i]);
      if (!next) return next.error();
      activations.push_back(std::move(*next));
    }
    return activations;
  }

 private:
  const Model& model_;
  std::vector<nn::ActivationShape> shapes_;
};

// The interpreter of a model whose weights and shapes are checked.
template <class Arch>
Result<IntegerInference<nn::BasicQuantizedModel<Arch>>> checked_inference(const nn::BasicQuantizedModel<Arch>& model) {
  if (auto valid = model.validate(); !valid) return valid.error();
  auto shapes = model.architecture.shapes();
  if (!shapes) return shapes.error();
  return IntegerInference<nn::BasicQuantizedModel<Arch>>(model, std::move(*shapes));
}

}  // namespace zkcnn::detail

namespace zkcnn::nn {

/// The input and the outputs of the model's first `layer_count` layers only: what a rescale is
/// calibrated on, before the layers after it are (nn::zoo, the ONNX importer).
template <class Arch>
Result<std::vector<std::vector<std::int64_t>>> infer(const BasicQuantizedModel<Arch>& model, std::span<const std::int64_t> input,
                                                     std::size_t layer_count) {
  auto inference = zkcnn::detail::checked_inference(model);
  if (!inference) return inference.error();
  if (auto ok = inference->check_input(input); !ok) return ok.error();
  return inference->run(input, layer_count);
}

/// Integer-only inference: every activation, the input first and the model's output last.
/// Fails, naming the layer and the value, when an accumulator leaves its bit width.
template <class Arch>
Result<std::vector<std::vector<std::int64_t>>> infer(const BasicQuantizedModel<Arch>& model, std::span<const std::int64_t> input) {
  return infer(model, input, model.architecture.layers.size());
}

/// The same on each input, the model checked once.
template <class Arch>
Result<std::vector<std::vector<std::vector<std::int64_t>>>> infer_each(const BasicQuantizedModel<Arch>& model,
                                                                       std::span<const std::vector<std::int64_t>> inputs) {
  auto inference = zkcnn::detail::checked_inference(model);
  if (!inference) return inference.error();
  std::vector<std::vector<std::vector<std::int64_t>>> traces;
  for (const auto& input : inputs) {
    if (auto ok = inference->check_input(input); !ok) return ok.error();
    auto trace = inference->run(input);
    if (!trace) return trace.error();
    traces.push_back(std::move(*trace));
  }
  return traces;
}

}  // namespace zkcnn::nn
