#pragma once
// The extension point of the model compiler: a layer kind (docs/architecture.md, "Layer
// kinds"). Every kind of layer an architecture holds, built-in or a user's, is one type that
// says everything the library needs of it, so that the architecture, integer inference, the
// circuit compiler and the verifier's cost model dispatch on the kinds an architecture is
// instantiated with (nn::BasicArchitecture<Kinds...>) and know none of them by name.
//
// A kind K is its layer's parameters (a regular value type) with these members:
//   static constexpr std::uint8_t code         its byte in the architecture's encoding, unique
//                                              among the architecture's kinds (built-in kinds
//                                              take 0-6; user kinds should take 128 and up)
//   static constexpr std::string_view name     for messages ("layer 3 (square)")
//   static constexpr std::size_t parameter_count
//   std::vector<std::size_t> parameters() const                  the encoding's words
//   static Result<K> from_parameters(std::span<const std::size_t>) decoding; refuses values
//                                              that no parameters() can produce
//   Result<ActivationShape> output_shape(const ShapeContext&) const   the output's shape and
//                                              scale, or why the inputs do not fit
//   Result<std::vector<std::int64_t>> infer(const InferenceContext&) const   integer inference
//                                              (what the proof is about, exactly)
//   template <class F> using circuit_layers = std::tuple<...>   the gkr::Layer types over
//                                              F that compile adds as steps
//   template <class Compiler> void compile(Compiler&) const       the layer's steps in the
//                                              proof (zk::LayerCompiler: tables, committed
//                                              weight blocks, gkr::Layer steps, steps whose
//                                              digits join the range check), in forward
//                                              order; throws std::invalid_argument when the
//                                              field or the layouts cannot hold it. The
//                                              circuit keeps the fills and weight placers it
//                                              is given: they capture values, never the
//                                              compiler, the kind (`this`) or a reference
//                                              into a layout. The compiler checks the steps'
//                                              wiring (zk::ModelCircuit::check_wiring).
// and optionally:
//   static constexpr std::size_t arity          tensors read (default 1)
//   static constexpr bool accumulates           its output is an accumulator a rescale-ReLU
//                                              may read (default false)
//   WeightSizes weight_sizes(const ActivationShape& in, const ActivationShape& out) const
//                                              committed parameters: kernel and bias entries
//                                              of the layer's nn::LayerWeights (default none)
//   template <class Cost> void verifier_cost(Cost&) const   work the verifier does beyond
//                                              reading the layer's proof (zk/verifier_cost.hpp;
//                                              default none: a layer whose verifier only
//                                              replays sumchecks of a fixed degree and
//                                              evaluates closed-form wiring in time linear in
//                                              its proof's size; whatever the parameters
//                                              scale, work, tables or degree, goes here)
// Parameters must survive their encoding (from_parameters(parameters()) is the kind again,
// with parameter_count words, each at most 2^28: nn::BasicArchitecture::shapes checks it), and
// a kind reads at least one tensor.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zkcnn/error.hpp"

namespace zkcnn::detail {
__extension__ using int128 = __int128;
}  // namespace zkcnn::detail

namespace zkcnn::nn {

/// Bounds that keep every size computation far from overflow: entries of a tensor, and bits
/// of a scale or a bit width.
inline constexpr std::size_t max_tensor_elements = std::size_t{1} << 28;
inline constexpr std::size_t max_scale_bits = 48;

/// Values whose magnitude stays below 2^62, so that they have one meaning in every field the
/// library ships and sums of a few of them cannot overflow 64 bits.
inline constexpr std::int64_t max_magnitude = std::int64_t{1} << 62;

/// A tensor's logical shape between layers: an image (channels, height, width) or a flat
/// vector (height = width = 1, `flat`), with its scale: values are real numbers times
/// 2^scale_bits (negative when a rescale shifts by more than the accumulator's scale).
/// The source_ sizes keep the image a flat vector came from, whose padded layout the vector
/// keeps (so flattening costs nothing in the proof).
struct ActivationShape {
  std::size_t channels = 1;
  std::size_t height = 1;
  std::size_t width = 1;
  bool flat = false;
  std::int64_t scale_bits = 0;
  /// For a flattened image: its (channels, height, width); otherwise equal to the shape.
  std::size_t source_channels = 1, source_height = 1, source_width = 1;

  std::size_t element_count() const { return channels * height * width; }
  friend bool operator==(const ActivationShape&, const ActivationShape&) = default;
};

/// The committed parameters of one layer (empty for a layer without any).
struct LayerWeights {
  std::vector<std::int64_t> kernel;
  std::vector<std::int64_t> bias;
  friend bool operator==(const LayerWeights&, const LayerWeights&) = default;
};

/// How many kernel and bias entries a layer commits to.
struct WeightSizes {
  std::size_t kernel = 0;
  std::size_t bias = 0;
};

/// A tensor a layer reads, as its kind sees it when computing the output's shape.
struct LayerInput {
  ActivationShape shape;
  /// The code of the kind that computes it; empty for the model's input.
  std::optional<std::uint8_t> producer;
  /// Whether that kind declares its output an accumulator.
  bool accumulates = false;
  /// How many layer inputs read it, this one included.
  std::size_t readers = 0;
};

/// What a kind's output_shape sees: the tensors the layer reads, in order.
struct ShapeContext {
  std::span<const LayerInput> inputs;

  const ActivationShape& input(std::size_t i) const { return inputs[i].shape; }
  /// Whether input i is the output of a layer of one of the kinds Ks.
  template <class... Ks>
  bool reads_output_of(std::size_t i) const {
    return inputs[i].producer && ((*inputs[i].producer == Ks::code) || ...);
  }
  static Error fail(const std::string& why) { return Error{Errc::invalid_argument, why}; }
};

/// A layer's name for messages: its position and kind ("layer 3 (conv2d)").
inline std::string layer_label(std::size_t index, std::string_view kind) {
  return "layer " + std::to_string(index) + " (" + std::string(kind) + ")";
}

/// What a kind's infer sees: the values of the tensors the layer reads (logical layouts:
/// an image (channel, row, column) row-major), their shapes, the output's, and the layer's
/// weights.
struct InferenceContext {
  std::span<const std::span<const std::int64_t>> inputs;
  std::span<const ActivationShape> input_shapes;
  const ActivationShape& output;
  const LayerWeights& weights;
  /// The layer's position and its kind's name, for messages (named only when one fails: inference
  /// runs every layer on every sample).
  std::size_t index;
  std::string_view kind;

  /// An error naming the layer: inference refuses values the proof could not carry.
  Error error(const std::string& what) const {
    return Error{Errc::invalid_argument, "inference: " + layer_label(index, kind) + ": " + what};
  }
  /// The value, unless its magnitude reaches 2^62.
  Result<std::int64_t> narrow(zkcnn::detail::int128 value) const {
    if (value <= -max_magnitude || value >= max_magnitude) return error("an accumulator exceeds 2^62");
    return static_cast<std::int64_t>(value);
  }
};

/// The members every kind has (the compile member is checked where a circuit is compiled,
/// zk::CompilableKind, since it is a template over the compiler).
template <class K>
concept LayerKind = std::regular<K> && requires(const K& spec, std::span<const std::size_t> words, const ShapeContext& shape,
                                                const InferenceContext& inference) {
  { K::code } -> std::convertible_to<std::uint8_t>;
  { K::name } -> std::convertible_to<std::string_view>;
  { K::parameter_count } -> std::convertible_to<std::size_t>;
  { spec.parameters() } -> std::same_as<std::vector<std::size_t>>;
  { K::from_parameters(words) } -> std::same_as<Result<K>>;
  { spec.output_shape(shape) } -> std::same_as<Result<ActivationShape>>;
  { spec.infer(inference) } -> std::same_as<Result<std::vector<std::int64_t>>>;
};

/// How many tensors a layer of kind K reads.
template <LayerKind K>
constexpr std::size_t kind_arity() {
  if constexpr (requires { K::arity; }) {
    return K::arity;
  } else {
    return 1;
  }
}

/// Whether a kind's output is an accumulator.
template <LayerKind K>
constexpr bool kind_accumulates() {
  if constexpr (requires { K::accumulates; }) {
    return K::accumulates;
  } else {
    return false;
  }
}

/// The committed entries of a layer of kind K.
template <LayerKind K>
WeightSizes weight_sizes_of(const K& spec, const ActivationShape& in, const ActivationShape& out) {
  if constexpr (requires { spec.weight_sizes(in, out); }) {
    return spec.weight_sizes(in, out);
  } else {
    return {};
  }
}

}  // namespace zkcnn::nn
