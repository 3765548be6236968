#pragma once
// The public description of a quantized CNN (docs/protocol.md sections 1 and 6): the input's shape
// and scale, then its layers in a topological order, with their shapes, scales and bit widths,
// each reading earlier tensors (the model's input or earlier layers' outputs): a chain, or a
// graph with branches such as a residual network's shortcuts. Everything here is public; the
// weights are not. The description has one canonical byte encoding and
// its SHA-256 digest is bound into every proof's transcript, so a proof never verifies
// against another architecture.
//
// An architecture is generic over the kinds of layer it may hold (nn/layer_kind.hpp): the
// built-in ones (nn::Architecture) are conv2d, dense, rescale-relu, maxpool, avgpool, flatten
// and add, each in its own header of nn/kinds/ with its integer semantics (what the proof is
// about, exactly); nn::ArchitectureWith<K...> adds a user's kinds to them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "zkcnn/error.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/kinds/add.hpp"
#include "zkcnn/nn/kinds/avg_pool.hpp"
#include "zkcnn/nn/kinds/conv2d.hpp"
#include "zkcnn/nn/kinds/dense.hpp"
#include "zkcnn/nn/kinds/flatten.hpp"
#include "zkcnn/nn/kinds/rescale_relu.hpp"
#include "zkcnn/nn/layer_kind.hpp"
#include "zkcnn/transcript/sha256.hpp"

namespace zkcnn::nn {

/// A layer's name for messages: its kind and position.
template <class... Kinds>
std::string layer_name(const std::variant<Kinds...>& spec, std::size_t index) {
  return std::visit([&](const auto& s) { return layer_label(index, std::decay_t<decltype(s)>::name); }, spec);
}

/// How many tensors a layer of this kind reads.
template <class... Kinds>
std::size_t input_count(const std::variant<Kinds...>& spec) {
  return std::visit([](const auto& s) { return kind_arity<std::decay_t<decltype(s)>>(); }, spec);
}

/// An architecture over the layer kinds Kinds (nn/layer_kind.hpp), each with its own code.
template <LayerKind... Kinds>
struct BasicArchitecture {
  static_assert(sizeof...(Kinds) > 0, "an architecture needs at least one layer kind");
  static_assert(((kind_arity<Kinds>() > 0) && ...), "a layer kind reads at least one tensor");
  static_assert(
      [] {
        constexpr std::array<std::uint8_t, sizeof...(Kinds)> codes{Kinds::code...};
        for (std::size_t i = 0; i < codes.size(); ++i)
          for (std::size_t j = i + 1; j < codes.size(); ++j)
            if (codes[i] == codes[j]) return false;
        return true;
      }(),
      "two layer kinds of an architecture share a code");

  /// One layer: its kind and parameters.
  using LayerSpec = std::variant<Kinds...>;

  std::string name;
  std::size_t in_channels = 1;
  std::size_t height = 1;
  std::size_t width = 1;
  std::size_t input_scale_bits = 0;
  std::vector<LayerSpec> layers;
  /// The tensors each layer reads, by index: 0 is the model's input and j + 1 is layer j's
  /// output, so layer k reads indices up to k. Empty for a chain, where layer k reads tensor k
  /// (the previous layer's output); otherwise one list per layer, of its kind's arity.
  /// The model's output is the last layer's.
  std::vector<std::vector<std::size_t>> reads;

  /// Equal architectures compute the same thing: a chain is equal to itself written as a graph.
  friend bool operator==(const BasicArchitecture& a, const BasicArchitecture& b) {
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
  inline static constexpr std::size_t max_elements = max_tensor_elements;
  inline static constexpr std::size_t max_bits = max_scale_bits;

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
      if (auto encodable = check_parameters(layers[i], where); !encodable) return encodable.error();
      std::vector<LayerInput> inputs;
      for (std::size_t t : layer_inputs(i)) {
        const std::optional<std::size_t> source = producer(t);
        inputs.push_back({out[t], source ? std::optional<std::uint8_t>(code(layers[*source])) : std::nullopt,
                          source && accumulates(layers[*source]), readers[t]});
      }
      auto next = std::visit([&](const auto& spec) { return spec.output_shape(ShapeContext{inputs}); }, layers[i]);
      if (!next) return make_error(Errc::invalid_argument, where + next.error().message);
      if (next->element_count() > max_elements) return fail_size(where);
      // Far beyond any network's, and far from overflowing what kinds compute from scales.
      if (next->scale_bits > max_scale_magnitude || next->scale_bits < -max_scale_magnitude) {
        return make_error(Errc::invalid_argument, where + "its output's scale is beyond 2^(+-2^30)");
      }
      out.push_back(*next);
    }
    return out;
  }

  /// Version 2 writes every size at 64 bits (version 1 truncated them to 32, so that two
  /// architectures could share an encoding and a digest); it encodes chains. Version 3 adds
  /// the tensors each layer reads, and encodes every other graph.
  inline static constexpr std::uint8_t chain_format_version = 2;
  inline static constexpr std::uint8_t graph_format_version = 3;

  /// The canonical encoding: version, name, input, then each layer's kind code and parameters
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
      out.write_u8(code(layers[k]));
      for (std::size_t v : std::visit([](const auto& spec) { return spec.parameters(); }, layers[k])) out.write_u64(v);
      if (!chain) {
        for (std::size_t t : reads.at(k)) out.write_u64(t);
      }
    }
    return std::move(out).take();
  }

  static Result<BasicArchitecture> deserialize(std::span<const std::uint8_t> bytes) {
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
    BasicArchitecture arch;
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
  static std::uint8_t code(const LayerSpec& spec) {
    return std::visit([](const auto& s) { return static_cast<std::uint8_t>(std::decay_t<decltype(s)>::code); }, spec);
  }
  static bool accumulates(const LayerSpec& spec) {
    return std::visit([](const auto& s) { return kind_accumulates<std::decay_t<decltype(s)>>(); }, spec);
  }

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

  inline static constexpr std::int64_t max_scale_magnitude = std::int64_t{1} << 30;

  // A layer's parameters, which the canonical encoding writes: as many words as its kind
  // declares, each at most 2^28, and decoded back to the same layer.
  static Status check_parameters(const LayerSpec& spec, const std::string& where) {
    return std::visit(
        [&](const auto& layer) -> Status {
          using K = std::decay_t<decltype(layer)>;
          const std::vector<std::size_t> words = layer.parameters();
          for (std::size_t v : words) {
            if (v > max_elements) return fail_size(where);
          }
          if (words.size() != K::parameter_count) {
            return make_error(Errc::invalid_argument, where + "its kind writes " + std::to_string(words.size()) +
                                                          " parameters and declares " + std::to_string(K::parameter_count));
          }
          auto decoded = K::from_parameters(std::span<const std::size_t>(words));
          if (!decoded || !(*decoded == layer)) {
            return make_error(Errc::invalid_argument, where + "its parameters do not survive their encoding" +
                                                          (decoded ? std::string() : " (" + decoded.error().message + ")"));
          }
          return {};
        },
        spec);
  }

  static Error fail_size(const std::string& where) {
    return Error{Errc::invalid_argument, where + "a tensor has more than 2^28 entries"};
  }

  // The layer of kind `code`, its parameters read from `in`.
  static Result<LayerSpec> read_layer(io::ByteReader& in, std::uint8_t code) {
    std::optional<Result<LayerSpec>> layer;
    auto try_kind = [&]<class K>() {
      if (layer || code != K::code) return;
      std::vector<std::size_t> words(K::parameter_count);
      for (std::size_t& word : words) {
        auto v = in.read_u64("layer parameter");
        if (!v) {
          layer.emplace(v.error());
          return;
        }
        word = *v;
      }
      auto spec = K::from_parameters(std::span<const std::size_t>(words));
      if (spec) {
        layer.emplace(LayerSpec{std::move(*spec)});
      } else {
        layer.emplace(spec.error());
      }
    };
    (try_kind.template operator()<Kinds>(), ...);
    if (!layer) return make_error(Errc::invalid_encoding, "architecture: unknown layer kind " + std::to_string(code));
    return std::move(*layer);
  }
};

/// The architectures of the built-in layer kinds, and of those with a user's kinds added.
template <LayerKind... Extra>
using ArchitectureWith = BasicArchitecture<Conv2dSpec, DenseSpec, RescaleReluSpec, MaxPoolSpec, AvgPoolSpec, FlattenSpec,
                                           AddSpec, Extra...>;
using Architecture = ArchitectureWith<>;
using LayerSpec = Architecture::LayerSpec;

/// Whether A is an architecture (a BasicArchitecture over some kinds).
template <class A>
inline constexpr bool is_architecture = false;
template <class... Kinds>
inline constexpr bool is_architecture<BasicArchitecture<Kinds...>> = true;
template <class A>
concept ModelArchitecture = is_architecture<A>;

}  // namespace zkcnn::nn
