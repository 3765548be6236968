#pragma once
// The public description of a quantized CNN (docs/protocol.md sections 1 and 6): the input's shape
// and scale, then its layers in a topological order, with their shapes, scales and bit widths,
// each reading earlier tensors (the model's input or earlier layers' outputs): a chain, or a
// graph with branches such as a residual network's shortcuts. Everything here is public; the
// weights are not. The description has one canonical byte encoding and
// its SHA-256 digest is bound into every proof's transcript, so a proof never verifies
// against another architecture.
//
// Integer semantics (what the proof is about, exactly):
//   Conv2d / Dense   accumulator = sum of weight * input + bias (all integers);
//                    its scale is the input's plus weight_scale_bits.
//   RescaleRelu      ReLU(floor(accumulator / 2^shift)); the accumulator must lie in
//                    [-2^(bits-1), 2^(bits-1)) or witness generation fails naming the layer.
//   MaxPool          the maximum over each window; it must follow a RescaleRelu, and is
//                    proven on the accumulators before it (equal results: both are monotone).
//   AvgPool          the sum over each window: the average at a scale 2 * log2(window) bits
//                    higher, so the division is exact and folds into the next rescale.
//   Flatten          (C, H, W) -> (C * H * W), C-major as in PyTorch; free in the proof.
//   Add              the sum of two tensors of one shape, the one of lower scale multiplied by
//                    2^(difference) first, so that both have the higher scale (a residual
//                    connection; exact, so the alignment costs the proof nothing).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "zkcnn/detail/bits.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/transcript/sha256.hpp"

namespace zkcnn::nn {

/// How a convolution is proven: through the FFT (the paper's method) or directly.
enum class ConvAlgorithm : std::uint8_t { fft = 0, direct = 1 };

struct Conv2dSpec {
  std::size_t out_channels = 1;
  std::size_t kernel = 1;
  std::size_t padding = 0;
  std::size_t stride = 1;
  std::size_t weight_scale_bits = 0;
  ConvAlgorithm algorithm = ConvAlgorithm::fft;
  friend bool operator==(const Conv2dSpec&, const Conv2dSpec&) = default;
};

struct DenseSpec {
  std::size_t out_features = 1;
  std::size_t weight_scale_bits = 0;
  friend bool operator==(const DenseSpec&, const DenseSpec&) = default;
};

struct RescaleReluSpec {
  std::size_t bits = 16;
  std::size_t shift = 0;
  friend bool operator==(const RescaleReluSpec&, const RescaleReluSpec&) = default;
};

struct MaxPoolSpec {
  std::size_t window = 2;
  friend bool operator==(const MaxPoolSpec&, const MaxPoolSpec&) = default;
};

struct AvgPoolSpec {
  std::size_t window = 2;
  friend bool operator==(const AvgPoolSpec&, const AvgPoolSpec&) = default;
};

struct FlattenSpec {
  friend bool operator==(const FlattenSpec&, const FlattenSpec&) = default;
};

struct AddSpec {
  friend bool operator==(const AddSpec&, const AddSpec&) = default;
};

using LayerSpec = std::variant<Conv2dSpec, DenseSpec, RescaleReluSpec, MaxPoolSpec, AvgPoolSpec, FlattenSpec, AddSpec>;

/// How many tensors a layer of this kind reads.
inline std::size_t input_count(const LayerSpec& spec) { return std::holds_alternative<AddSpec>(spec) ? 2 : 1; }

/// A tensor's logical shape between layers: an image (channels, height, width) or a flat
/// vector (height = width = 1, `flat`), with its scale: values are real numbers times
/// 2^scale_bits (negative when a rescale shifts by more than the accumulator's scale). `flattened_from` keeps the image a flat vector came from, whose padded layout
/// the vector keeps (so flattening costs nothing in the proof).
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

/// A layer's name for messages: its kind and position.
inline std::string layer_name(const LayerSpec& spec, std::size_t index) {
  static constexpr const char* names[] = {"conv2d", "dense", "rescale-relu", "maxpool", "avgpool", "flatten", "add"};
  return "layer " + std::to_string(index) + " (" + names[spec.index()] + ")";
}

struct Architecture {
  std::string name;
  std::size_t in_channels = 1;
  std::size_t height = 1;
  std::size_t width = 1;
  std::size_t input_scale_bits = 0;
  std::vector<LayerSpec> layers;
  /// The tensors each layer reads, by index: 0 is the model's input and j + 1 is layer j's
  /// output, so layer k reads indices up to k. Empty for a chain, where layer k reads tensor k
  /// (the previous layer's output); otherwise one list per layer, of its kind's input_count.
  /// The model's output is the last layer's.
  std::vector<std::vector<std::size_t>> reads;

  /// Equal architectures compute the same thing: a chain is equal to itself written as a graph.
  friend bool operator==(const Architecture& a, const Architecture& b) {
    if (std::tie(a.name, a.in_channels, a.height, a.width, a.input_scale_bits, a.layers) !=
        std::tie(b.name, b.in_channels, b.height, b.width, b.input_scale_bits, b.layers)) {
      return false;
    }
    if (!a.lists_every_layer() || !b.lists_every_layer()) return a.reads == b.reads;
    for (std::size_t k = 0; k < a.layers.size(); ++k) {
      if (a.layer_inputs(k) != b.layer_inputs(k)) return false;
    }
    return true;
  }

  /// Appends a layer reading the tensors `inputs` (indices as in `reads`) and returns the index
  /// of its output tensor.
  std::size_t add(LayerSpec spec, std::vector<std::size_t> inputs) {
    const bool stays_chain = reads.empty() && inputs == std::vector<std::size_t>{layers.size()};
    if (!stays_chain) {
      // The chain so far written out, then this layer's inputs.
      for (std::size_t k = reads.size(); k < layers.size(); ++k) reads.push_back({k});
      reads.push_back(std::move(inputs));
    }
    layers.push_back(spec);
    return layers.size();
  }
  /// Appends a layer reading the previous layer's output (the model's input for the first).
  std::size_t add(LayerSpec spec) { return add(spec, {layers.size()}); }

  /// The tensors layer k reads.
  std::vector<std::size_t> layer_inputs(std::size_t k) const {
    return reads.empty() ? std::vector<std::size_t>{k} : reads.at(k);
  }

  /// Whether `reads` is empty or has one list per layer.
  bool lists_every_layer() const { return reads.empty() || reads.size() == layers.size(); }

  /// Whether every layer reads the previous layer's output only.
  bool is_chain() const {
    for (std::size_t k = 0; k < reads.size(); ++k) {
      if (reads[k] != std::vector<std::size_t>{k}) return false;
    }
    return true;
  }

  /// How many layer inputs read each tensor (index as in `reads`); for a well-formed graph.
  std::vector<std::size_t> reader_counts() const {
    std::vector<std::size_t> readers(layers.size() + 1, 0);
    for (std::size_t k = 0; k < layers.size(); ++k) {
      for (std::size_t t : layer_inputs(k)) ++readers.at(t);
    }
    return readers;
  }

  /// The index of the layer whose output tensor `t` is, if it is not the model's input.
  std::optional<std::size_t> producer(std::size_t t) const {
    return t == 0 ? std::nullopt : std::optional<std::size_t>(t - 1);
  }

  /// Bounds that keep every size computation far from overflow.
  inline static constexpr std::size_t max_elements = std::size_t{1} << 28;
  inline static constexpr std::size_t max_bits = 48;

  /// The shape of every tensor: the input first, then each layer's output. Fails, naming the
  /// layer, if a layer does not fit the shapes it receives or the graph is malformed.
  Result<std::vector<ActivationShape>> shapes() const {
    if (in_channels == 0 || height == 0 || width == 0) return make_error(Errc::invalid_argument, "architecture: empty input");
    if (in_channels > max_elements || height > max_elements || width > max_elements ||
        in_channels * height * width > max_elements) {
      return fail_size("architecture: input: ");
    }
    if (input_scale_bits > max_bits) {
      return make_error(Errc::invalid_argument, "architecture: the input scale of 2^" + std::to_string(input_scale_bits) +
                                                    " is beyond 2^" + std::to_string(max_bits));
    }
    if (layers.empty()) return make_error(Errc::invalid_argument, "architecture: no layers");
    if (auto ok = check_graph(); !ok) return ok.error();
    const std::vector<std::size_t> readers = reader_counts();
    std::vector<ActivationShape> out{{in_channels, height, width, false, static_cast<std::int64_t>(input_scale_bits),
                                      in_channels, height, width}};
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const std::string where = "architecture: " + layer_name(layers[i], i) + ": ";
      for (std::size_t v : std::visit([](const auto& spec) { return parameters(spec); }, layers[i])) {
        if (v > max_elements) return fail_size(where);
      }
      auto next = output_shape(i, out, readers);
      if (!next) return make_error(Errc::invalid_argument, where + next.error().message);
      if (next->element_count() > max_elements) return fail_size(where);
      out.push_back(*next);
    }
    return out;
  }

  /// Version 2 writes every size at 64 bits (version 1 truncated them to 32, so that two
  /// architectures could share an encoding and a digest); it encodes chains. Version 3 adds
  /// the tensors each layer reads, and encodes every other graph.
  inline static constexpr std::uint8_t chain_format_version = 2;
  inline static constexpr std::uint8_t graph_format_version = 3;

  /// The canonical encoding: version, name, input, then each layer's kind and parameters
  /// (and, in a graph, the tensors it reads), every size and count at full width: distinct
  /// architectures have distinct encodings, and equal ones the same.
  std::vector<std::uint8_t> serialize() const {
    const bool chain = is_chain();
    io::ByteWriter out;
    out.write_u8(chain ? chain_format_version : graph_format_version);
    out.write_u64(name.size());
    out.write_bytes({reinterpret_cast<const std::uint8_t*>(name.data()), name.size()});
    for (std::size_t v : {in_channels, height, width, input_scale_bits}) out.write_u64(v);
    out.write_u64(layers.size());
    for (std::size_t k = 0; k < layers.size(); ++k) {
      out.write_u8(static_cast<std::uint8_t>(layers[k].index()));
      std::visit(
          [&](const auto& spec) {
            for (std::size_t v : parameters(spec)) out.write_u64(v);
          },
          layers[k]);
      if (!chain) {
        for (std::size_t t : reads.at(k)) out.write_u64(t);
      }
    }
    return std::move(out).take();
  }

  static Result<Architecture> deserialize(std::span<const std::uint8_t> bytes) {
    io::ByteReader in(bytes);
    auto version = in.read_u8("architecture version");
    if (!version) return version.error();
    if (*version != chain_format_version && *version != graph_format_version) {
      return make_error(Errc::invalid_encoding, "architecture: unsupported format version " + std::to_string(*version));
    }
    const bool graph = *version == graph_format_version;
    auto name_size = in.read_u64("architecture name length");
    if (!name_size) return name_size.error();
    auto name_bytes = in.read_bytes(*name_size, "architecture name");
    if (!name_bytes) return name_bytes.error();
    Architecture arch;
    arch.name.assign(name_bytes->begin(), name_bytes->end());
    for (std::size_t* field : {&arch.in_channels, &arch.height, &arch.width, &arch.input_scale_bits}) {
      auto v = in.read_u64("architecture input shape");
      if (!v) return v.error();
      *field = *v;
    }
    auto count = in.read_u64("architecture layer count");
    if (!count) return count.error();
    if (*count > in.remaining()) return make_error(Errc::invalid_encoding, "architecture: truncated layer list");
    for (std::uint64_t i = 0; i < *count; ++i) {
      auto kind = in.read_u8("layer kind");
      if (!kind) return kind.error();
      auto layer = read_layer(in, *kind);
      if (!layer) return layer.error();
      arch.layers.push_back(*layer);
      if (!graph) continue;
      std::vector<std::size_t> inputs(input_count(*layer));
      for (std::size_t& t : inputs) {
        auto index = in.read_u64("layer input");
        if (!index) return index.error();
        t = *index;
      }
      arch.reads.push_back(std::move(inputs));
    }
    if (auto end = in.expect_end("architecture"); !end) return end.error();
    if (graph && arch.is_chain()) {
      return make_error(Errc::invalid_encoding, "architecture: a chain encoded as a graph (not the canonical encoding)");
    }
    if (auto valid = arch.shapes(); !valid) return valid.error();
    return arch;
  }

  /// SHA-256 of the canonical encoding.
  Sha256::Digest digest() const {
    Sha256 h;
    const auto bytes = serialize();
    h.update(bytes);
    return h.finalize();
  }

 private:
  // Every layer's inputs (its list in `reads`, or in a chain the previous layer's output) are
  // its kind's arity and name earlier tensors; every tensor but the output is read (a layer
  // nothing reads would be computed but never proven).
  Status check_graph() const {
    if (!lists_every_layer()) {
      return make_error(Errc::invalid_argument, "architecture: the graph lists the inputs of " + std::to_string(reads.size()) +
                                                    " layers, it has " + std::to_string(layers.size()));
    }
    // A chain's layers read one tensor each, so a kind that reads two needs the lists.
    for (std::size_t k = 0; k < layers.size(); ++k) {
      const std::string where = "architecture: " + layer_name(layers[k], k) + ": ";
      const std::vector<std::size_t> inputs = layer_inputs(k);
      if (inputs.size() != input_count(layers[k])) {
        return make_error(Errc::invalid_argument, where + "reads " + std::to_string(inputs.size()) +
                                                      " tensors, its kind reads " + std::to_string(input_count(layers[k])));
      }
      for (std::size_t t : inputs) {
        if (t > k) {
          return make_error(Errc::invalid_argument,
                            where + "reads tensor " + std::to_string(t) + ", which is not computed before it");
        }
      }
    }
    const std::vector<std::size_t> readers = reader_counts();
    for (std::size_t t = 0; t < layers.size(); ++t) {
      if (readers[t] == 0) {
        return make_error(Errc::invalid_argument, "architecture: " +
                                                      (t == 0 ? std::string("the input") : layer_name(layers[t - 1], t - 1)) +
                                                      ": its output is never read (only the last layer's is the model's)");
      }
    }
    return {};
  }

  // Layer i's output shape, given the shapes before it.
  Result<ActivationShape> output_shape(std::size_t i, std::span<const ActivationShape> shapes,
                                       std::span<const std::size_t> readers) const {
    auto fail = [](const std::string& why) -> Result<ActivationShape> { return make_error(Errc::invalid_argument, why); };
    const std::vector<std::size_t> inputs = layer_inputs(i);
    const ActivationShape& current = shapes[inputs[0]];
    const std::optional<std::size_t> source = producer(inputs[0]);
    auto source_is = [&](auto... kinds) {
      return source && (std::holds_alternative<decltype(kinds)>(layers[*source]) || ...);
    };
    return std::visit(
        [&](const auto& spec) -> Result<ActivationShape> {
          using S = std::decay_t<decltype(spec)>;
          ActivationShape s = current;
          if constexpr (std::is_same_v<S, Conv2dSpec> || std::is_same_v<S, DenseSpec>) {
            if (spec.weight_scale_bits > max_bits) return fail("the weight scale is beyond 2^" + std::to_string(max_bits));
          }
          if constexpr (std::is_same_v<S, Conv2dSpec>) {
            if (current.flat) return fail("a convolution needs an image input");
            if (spec.out_channels == 0 || spec.kernel == 0 || spec.stride == 0) return fail("sizes must be positive");
            if (current.height + 2 * spec.padding < spec.kernel || current.width + 2 * spec.padding < spec.kernel) {
              return fail("the kernel is larger than the padded input");
            }
            s.channels = spec.out_channels;
            s.height = (current.height + 2 * spec.padding - spec.kernel) / spec.stride + 1;
            s.width = (current.width + 2 * spec.padding - spec.kernel) / spec.stride + 1;
            s.scale_bits += static_cast<std::int64_t>(spec.weight_scale_bits);
            s.source_channels = s.channels, s.source_height = s.height, s.source_width = s.width;
          } else if constexpr (std::is_same_v<S, DenseSpec>) {
            if (!current.flat) return fail("a dense layer needs a flat input (add a flatten layer)");
            if (spec.out_features == 0) return fail("sizes must be positive");
            s = ActivationShape{spec.out_features, 1, 1, true,
                                current.scale_bits + static_cast<std::int64_t>(spec.weight_scale_bits), spec.out_features,
                                1, 1};
          } else if constexpr (std::is_same_v<S, RescaleReluSpec>) {
            if (spec.bits < 2 || spec.bits > max_bits) {
              return fail("the accumulator bit width must be in [2, " + std::to_string(max_bits) + "]");
            }
            if (spec.shift > spec.bits - 2) return fail("the shift must leave at least one value bit");
            if (!source_is(Conv2dSpec{}, DenseSpec{}, AddSpec{})) {
              return fail("a rescale-ReLU must read a convolution, a dense layer or an addition");
            }
            s.scale_bits -= static_cast<std::int64_t>(spec.shift);
          } else if constexpr (std::is_same_v<S, MaxPoolSpec> || std::is_same_v<S, AvgPoolSpec>) {
            if (current.flat) return fail("pooling needs an image input");
            if (spec.window < 2 || (spec.window & (spec.window - 1)) != 0) {
              return fail("the window must be a power of two, at least 2 (stride equal to the window)");
            }
            if (current.height % spec.window != 0 || current.width % spec.window != 0) {
              return fail("the height and width must be multiples of the window");
            }
            if constexpr (std::is_same_v<S, MaxPoolSpec>) {
              // Proven on the accumulators before the rescale-ReLU, in its place (zk/model_circuit.hpp).
              if (!source_is(RescaleReluSpec{}) || readers[inputs[0]] != 1) {
                return fail("max pooling must read a rescale-ReLU that nothing else reads");
              }
            } else {
              s.scale_bits += static_cast<std::int64_t>(2 * zkcnn::detail::ceil_log2(spec.window));
            }
            s.height /= spec.window;
            s.width /= spec.window;
            s.source_channels = s.channels, s.source_height = s.height, s.source_width = s.width;
          } else if constexpr (std::is_same_v<S, FlattenSpec>) {
            if (current.flat) return fail("the input is already flat");
            // Flattening reads the same table as a vector, so no other layer may read it as an image.
            if (readers[inputs[0]] != 1) return fail("flattening must be the only reader of its input");
            s.channels = current.element_count();
            s.height = s.width = 1;
            s.flat = true;
          } else {
            const ActivationShape& other = shapes[inputs[1]];
            auto without_scale = [](ActivationShape a) {
              a.scale_bits = 0;
              return a;
            };
            if (without_scale(current) != without_scale(other)) return fail("the two tensors added have different shapes");
            const std::int64_t difference = current.scale_bits - other.scale_bits;
            if (difference > static_cast<std::int64_t>(max_bits) || -difference > static_cast<std::int64_t>(max_bits)) {
              return fail("the two scales differ by more than " + std::to_string(max_bits) + " bits");
            }
            s.scale_bits = std::max(current.scale_bits, other.scale_bits);
          }
          return s;
        },
        layers[i]);
  }

  static Error fail_size(const std::string& where) {
    return Error{Errc::invalid_argument, where + "a tensor has more than 2^28 entries"};
  }

  static std::vector<std::size_t> parameters(const Conv2dSpec& s) {
    return {s.out_channels, s.kernel, s.padding, s.stride, s.weight_scale_bits, static_cast<std::size_t>(s.algorithm)};
  }
  static std::vector<std::size_t> parameters(const DenseSpec& s) { return {s.out_features, s.weight_scale_bits}; }
  static std::vector<std::size_t> parameters(const RescaleReluSpec& s) { return {s.bits, s.shift}; }
  static std::vector<std::size_t> parameters(const MaxPoolSpec& s) { return {s.window}; }
  static std::vector<std::size_t> parameters(const AvgPoolSpec& s) { return {s.window}; }
  static std::vector<std::size_t> parameters(const FlattenSpec&) { return {}; }
  static std::vector<std::size_t> parameters(const AddSpec&) { return {}; }

  static Result<LayerSpec> read_layer(io::ByteReader& in, std::uint8_t kind) {
    auto read = [&](std::size_t count) -> Result<std::vector<std::size_t>> {
      std::vector<std::size_t> values;
      for (std::size_t i = 0; i < count; ++i) {
        auto v = in.read_u64("layer parameter");
        if (!v) return v.error();
        values.push_back(*v);
      }
      return values;
    };
    switch (kind) {
      case 0: {
        auto p = read(6);
        if (!p) return p.error();
        if ((*p)[5] > 1) return make_error(Errc::invalid_encoding, "architecture: unknown convolution algorithm");
        return LayerSpec{Conv2dSpec{(*p)[0], (*p)[1], (*p)[2], (*p)[3], (*p)[4], static_cast<ConvAlgorithm>((*p)[5])}};
      }
      case 1: {
        auto p = read(2);
        if (!p) return p.error();
        return LayerSpec{DenseSpec{(*p)[0], (*p)[1]}};
      }
      case 2: {
        auto p = read(2);
        if (!p) return p.error();
        return LayerSpec{RescaleReluSpec{(*p)[0], (*p)[1]}};
      }
      case 3: {
        auto p = read(1);
        if (!p) return p.error();
        return LayerSpec{MaxPoolSpec{(*p)[0]}};
      }
      case 4: {
        auto p = read(1);
        if (!p) return p.error();
        return LayerSpec{AvgPoolSpec{(*p)[0]}};
      }
      case 5:
        return LayerSpec{FlattenSpec{}};
      case 6:
        return LayerSpec{AddSpec{}};
      default:
        return make_error(Errc::invalid_encoding, "architecture: unknown layer kind " + std::to_string(kind));
    }
  }
};

}  // namespace zkcnn::nn
