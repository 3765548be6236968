#pragma once
// A quantized CNN: its public architecture and its private integer weights, with the
// integer-only inference the proofs are about (the semantics are in nn/architecture.hpp).
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

#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/nn/architecture.hpp"

namespace zkcnn::nn {

/// The weights of one convolution or dense layer (empty for the other layers).
struct LayerWeights {
  std::vector<std::int64_t> kernel;
  std::vector<std::int64_t> bias;
  friend bool operator==(const LayerWeights&, const LayerWeights&) = default;
};

/// Values whose magnitude stays below 2^62, so that they have one meaning in every field the
/// library ships and sums of a few of them cannot overflow 64 bits.
inline constexpr std::int64_t max_magnitude = std::int64_t{1} << 62;

struct QuantizedModel {
  Architecture architecture;
  /// One entry per layer of the architecture.
  std::vector<LayerWeights> weights;

  /// The number of kernel and bias entries each layer needs.
  static Result<std::vector<std::pair<std::size_t, std::size_t>>> weight_sizes(const Architecture& architecture) {
    auto shapes = architecture.shapes();
    if (!shapes) return shapes.error();
    std::vector<std::pair<std::size_t, std::size_t>> sizes;
    for (std::size_t i = 0; i < architecture.layers.size(); ++i) {
      const auto& in = (*shapes)[architecture.layer_inputs(i)[0]];
      const auto& out = (*shapes)[i + 1];
      if (const auto* conv = std::get_if<Conv2dSpec>(&architecture.layers[i])) {
        sizes.emplace_back(out.channels * in.channels * conv->kernel * conv->kernel, out.channels);
      } else if (std::holds_alternative<DenseSpec>(architecture.layers[i])) {
        sizes.emplace_back(out.channels * in.element_count(), out.channels);
      } else {
        sizes.emplace_back(0, 0);
      }
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

}  // namespace zkcnn::nn

namespace zkcnn::detail {

__extension__ using int128 = __int128;
using namespace zkcnn::nn;  // the layer specs and shapes this interpreter dispatches on

// Every activation, the input first; accumulators are checked against 2^62.
class IntegerInference {
 public:
  IntegerInference(const QuantizedModel& model, std::vector<ActivationShape> shapes)
      : model_(model), shapes_(std::move(shapes)) {}

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
    std::vector<std::vector<std::int64_t>> activations{{input.begin(), input.end()}};
    for (std::size_t i = 0; i < std::min(layer_count, model_.architecture.layers.size()); ++i) {
      const auto inputs = model_.architecture.layer_inputs(i);
      auto next = std::visit(
          [&](const auto& spec) {
            if constexpr (std::is_same_v<std::decay_t<decltype(spec)>, AddSpec>) {
              return add(i, activations[inputs[0]], activations[inputs[1]]);
            } else {
              return apply(spec, i, activations[inputs[0]]);
            }
          },
          model_.architecture.layers[i]);
      if (!next) return next.error();
      activations.push_back(std::move(*next));
    }
    return activations;
  }

 private:
  using Values = std::vector<std::int64_t>;

  // The shape of the (first) tensor layer `layer` reads.
  const ActivationShape& input_shape(std::size_t layer) const { return shapes_[model_.architecture.layer_inputs(layer)[0]]; }

  Error overflow(std::size_t layer, const std::string& what) const {
    return Error{Errc::invalid_argument, "inference: " + layer_name(model_.architecture.layers[layer], layer) + ": " + what};
  }

  Result<std::int64_t> narrow(int128 value, std::size_t layer) const {
    if (value <= -max_magnitude || value >= max_magnitude) return overflow(layer, "an accumulator exceeds 2^62");
    return static_cast<std::int64_t>(value);
  }

  static std::int64_t largest_magnitude(std::span<const std::int64_t> values) {
    std::int64_t largest = 0;
    for (std::int64_t v : values) largest = std::max(largest, v < 0 ? -v : v);
    return largest;
  }

  // The largest partial sum of `terms` products of a weight and an input, plus a bias.
  static int128 accumulator_bound(const LayerWeights& w, std::span<const std::int64_t> x, std::size_t terms) {
    return int128{largest_magnitude(w.kernel)} * largest_magnitude(x) * static_cast<int128>(terms) +
           largest_magnitude(w.bias);
  }

  // Whether no partial sum can reach 2^62: then 64-bit accumulators are exact and nothing needs
  // checking.
  static bool fits_in_64_bits(const LayerWeights& w, std::span<const std::int64_t> x, std::size_t terms) {
    return accumulator_bound(w, x, terms) < max_magnitude;
  }

  // Whether weights and inputs fit in 16 bits and no partial sum reaches 2^31: then 32-bit
  // accumulators of 16-bit products are exact, and compilers vectorize them in any x86-64 build
  // (SSE2 multiplies eight 16-bit lanes at once), where 64-bit products stay scalar.
  static bool fits_in_32_bits(const LayerWeights& w, std::span<const std::int64_t> x, std::size_t terms) {
    constexpr std::int64_t operand_limit = std::int64_t{1} << 15;
    return largest_magnitude(w.kernel) < operand_limit && largest_magnitude(x) < operand_limit &&
           accumulator_bound(w, x, terms) < (int128{1} << 31);
  }

  Result<Values> apply(const Conv2dSpec& spec, std::size_t layer, const Values& x) const {
    const auto& in = input_shape(layer);
    const auto& out = shapes_[layer + 1];
    const auto& w = model_.weights[layer];
    const std::size_t k = spec.kernel, terms = in.channels * k * k;
    if (fits_in_32_bits(w, x, terms)) return convolve<std::int16_t, std::int32_t>(spec, layer, x);
    if (fits_in_64_bits(w, x, terms)) return convolve<std::int64_t, std::int64_t>(spec, layer, x);
    Values y(out.element_count());
    for (std::size_t o = 0; o < out.channels; ++o) {
      for (std::size_t r = 0; r < out.height; ++r) {
        for (std::size_t c = 0; c < out.width; ++c) {
          int128 sum = w.bias[o];
          for (std::size_t i = 0; i < in.channels; ++i) {
            for (std::size_t a = 0; a < k; ++a) {
              const std::size_t row = r * spec.stride + a;
              if (row < spec.padding || row >= spec.padding + in.height) continue;
              for (std::size_t b = 0; b < k; ++b) {
                const std::size_t col = c * spec.stride + b;
                if (col < spec.padding || col >= spec.padding + in.width) continue;
                sum += int128{w.kernel[((o * in.channels + i) * k + a) * k + b]} *
                       x[(i * in.height + row - spec.padding) * in.width + col - spec.padding];
              }
            }
          }
          auto value = narrow(sum, layer);
          if (!value) return value.error();
          y[(o * out.height + r) * out.width + c] = *value;
        }
      }
    }
    return y;
  }

  // The convolution in Operand and Accumulator arithmetic, exact when the bounds above allow
  // it, one output channel per task: for each kernel tap, a multiply-add over the output
  // columns of each row whose input column lies inside the image (computed once per tap, so
  // the inner loop has no branch and vectorizes).
  template <class Operand, class Accumulator>
  Values convolve(const Conv2dSpec& spec, std::size_t layer, const Values& x) const {
    const auto& in = input_shape(layer);
    const auto& out = shapes_[layer + 1];
    const auto& w = model_.weights[layer];
    const std::size_t k = spec.kernel, plane = out.height * out.width, stride = spec.stride, padding = spec.padding;
    // The inputs as operands: narrowed once on the 16-bit path, read in place on the 64-bit one.
    std::vector<Operand> narrowed;
    std::span<const Operand> inputs;
    if constexpr (std::is_same_v<Operand, std::int64_t>) {
      inputs = x;
    } else {
      narrowed.assign(x.begin(), x.end());
      inputs = narrowed;
    }
    // The output columns [first, last) of kernel column b, whose input column c stride + b -
    // padding lies in [0, in.width).
    std::vector<std::pair<std::size_t, std::size_t>> columns(k);
    for (std::size_t b = 0; b < k; ++b) {
      const std::size_t first = b >= padding ? 0 : (padding - b + stride - 1) / stride;
      const std::size_t last = padding + in.width > b ? std::min(out.width, (padding + in.width - 1 - b) / stride + 1) : 0;
      columns[b] = {first, std::max(first, last)};
    }
    std::vector<Accumulator> y(out.element_count());
    parallel_for(0, out.channels, [&](std::size_t first_channel, std::size_t last_channel) {
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
                if (stride == 1) {
                  for (std::size_t n = 0; n < count; ++n) {
                    target[n] += static_cast<Accumulator>(weight) * static_cast<Accumulator>(source[n]);
                  }
                } else {
                  for (std::size_t n = 0; n < count; ++n) {
                    target[n] += static_cast<Accumulator>(weight) * static_cast<Accumulator>(source[n * stride]);
                  }
                }
              }
            }
          }
        }
      }
    });
    if constexpr (std::is_same_v<Accumulator, std::int64_t>) {
      return y;
    } else {
      return Values(y.begin(), y.end());
    }
  }

  Result<Values> apply(const DenseSpec&, std::size_t layer, const Values& x) const {
    const auto& w = model_.weights[layer];
    const std::size_t outputs = shapes_[layer + 1].channels, inputs = x.size();
    if (fits_in_64_bits(w, x, inputs)) {
      Values y(outputs);
      parallel_for(0, outputs, [&](std::size_t first, std::size_t last) {
        for (std::size_t o = first; o < last; ++o) {
          std::int64_t sum = w.bias[o];
          for (std::size_t i = 0; i < inputs; ++i) sum += w.kernel[o * inputs + i] * x[i];
          y[o] = sum;
        }
      });
      return y;
    }
    Values y(outputs);
    for (std::size_t o = 0; o < outputs; ++o) {
      int128 sum = w.bias[o];
      for (std::size_t i = 0; i < inputs; ++i) sum += int128{w.kernel[o * inputs + i]} * x[i];
      auto value = narrow(sum, layer);
      if (!value) return value.error();
      y[o] = *value;
    }
    return y;
  }

  Result<Values> apply(const RescaleReluSpec& spec, std::size_t layer, const Values& x) const {
    const std::int64_t half = std::int64_t{1} << (spec.bits - 1);
    Values y(x.size());
    for (std::size_t j = 0; j < x.size(); ++j) {
      if (x[j] < -half || x[j] >= half) {
        return overflow(layer, "accumulator " + std::to_string(x[j]) + " at index " + std::to_string(j) +
                                   " is outside the " + std::to_string(spec.bits) + "-bit range [-2^" +
                                   std::to_string(spec.bits - 1) + ", 2^" + std::to_string(spec.bits - 1) + ")");
      }
      y[j] = std::max<std::int64_t>(0, x[j] >> spec.shift);  // >> of a negative value is floor division
    }
    return y;
  }

  template <class Pool>
  Result<Values> pool(std::size_t window, std::size_t layer, const Values& x, Pool combine) const {
    const auto& in = input_shape(layer);
    const auto& out = shapes_[layer + 1];
    Values y(out.element_count());
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

  Result<Values> apply(const MaxPoolSpec& spec, std::size_t layer, const Values& x) const {
    return pool(spec.window, layer, x, [](std::int64_t a, std::int64_t b) { return std::max(a, b); });
  }

  Result<Values> apply(const AvgPoolSpec& spec, std::size_t layer, const Values& x) const {
    // Inputs are ReLU outputs or pooled sums below 2^62 / window^2 in practice; check anyway.
    const auto sum = pool(spec.window, layer, x, [](std::int64_t a, std::int64_t b) { return a + b; });
    if (!sum) return sum;
    for (std::int64_t v : *sum) {
      if (v <= -max_magnitude || v >= max_magnitude) return overflow(layer, "a window sum exceeds 2^62");
    }
    return sum;
  }

  Result<Values> apply(const FlattenSpec&, std::size_t, const Values& x) const { return x; }

  // Both terms at the higher of the two scales: the other multiplied by 2^(difference).
  Result<Values> add(std::size_t layer, const Values& a, const Values& b) const {
    const auto inputs = model_.architecture.layer_inputs(layer);
    const std::int64_t scale = shapes_[layer + 1].scale_bits;
    const auto a_shift = static_cast<unsigned>(scale - shapes_[inputs[0]].scale_bits);
    const auto b_shift = static_cast<unsigned>(scale - shapes_[inputs[1]].scale_bits);
    Values y(a.size());
    for (std::size_t j = 0; j < y.size(); ++j) {
      // The shifts are at most 48 bits and the values below 2^62: the sum fits in 128 bits.
      auto value = narrow(int128{a[j]} * (int128{1} << a_shift) + int128{b[j]} * (int128{1} << b_shift), layer);
      if (!value) return value.error();
      y[j] = *value;
    }
    return y;
  }

  const QuantizedModel& model_;
  std::vector<ActivationShape> shapes_;
};

// The interpreter of a model whose weights and shapes are checked.
inline Result<IntegerInference> checked_inference(const QuantizedModel& model) {
  if (auto valid = model.validate(); !valid) return valid.error();
  auto shapes = model.architecture.shapes();
  if (!shapes) return shapes.error();
  return IntegerInference(model, std::move(*shapes));
}

}  // namespace zkcnn::detail

namespace zkcnn::nn {

/// The input and the outputs of the model's first `layer_count` layers only: what a rescale is
/// calibrated on, before the layers after it are (nn::zoo, the ONNX importer).
inline Result<std::vector<std::vector<std::int64_t>>> infer(const QuantizedModel& model, std::span<const std::int64_t> input,
                                                            std::size_t layer_count) {
  auto inference = zkcnn::detail::checked_inference(model);
  if (!inference) return inference.error();
  if (auto ok = inference->check_input(input); !ok) return ok.error();
  return inference->run(input, layer_count);
}

/// Integer-only inference: every activation, the input first and the model's output last.
/// Fails, naming the layer and the value, when an accumulator leaves its bit width.
inline Result<std::vector<std::vector<std::int64_t>>> infer(const QuantizedModel& model, std::span<const std::int64_t> input) {
  return infer(model, input, model.architecture.layers.size());
}

/// The same on each input, the model checked once.
inline Result<std::vector<std::vector<std::vector<std::int64_t>>>> infer_each(
    const QuantizedModel& model, std::span<const std::vector<std::int64_t>> inputs) {
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
