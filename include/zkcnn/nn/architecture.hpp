#pragma once
// The public description of a quantized CNN (docs/protocol.md sections 1 and 6): the input's shape
// and scale, then a sequence of layers with their shapes, scales and bit widths. Everything
// here is public; the weights are not. The description has one canonical byte encoding and
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

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
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

using LayerSpec = std::variant<Conv2dSpec, DenseSpec, RescaleReluSpec, MaxPoolSpec, AvgPoolSpec, FlattenSpec>;

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
  static constexpr const char* names[] = {"conv2d", "dense", "rescale-relu", "maxpool", "avgpool", "flatten"};
  return "layer " + std::to_string(index) + " (" + names[spec.index()] + ")";
}

struct Architecture {
  std::string name;
  std::size_t in_channels = 1;
  std::size_t height = 1;
  std::size_t width = 1;
  std::size_t input_scale_bits = 0;
  std::vector<LayerSpec> layers;

  friend bool operator==(const Architecture&, const Architecture&) = default;

  /// Bounds that keep every size computation far from overflow.
  inline static constexpr std::size_t max_elements = std::size_t{1} << 28;
  inline static constexpr std::size_t max_bits = 48;

  /// The shape of every activation: the input first, then each layer's output. Fails, naming
  /// the layer, if a layer does not fit the shape it receives.
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
    ActivationShape current{in_channels, height, width, false, static_cast<std::int64_t>(input_scale_bits),
                            in_channels, height, width};
    std::vector<ActivationShape> out{current};
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const std::string where = "architecture: " + layer_name(layers[i], i) + ": ";
      auto fail = [&](const std::string& why) { return make_error(Errc::invalid_argument, where + why); };
      for (std::size_t v : std::visit([](const auto& spec) { return parameters(spec); }, layers[i])) {
        if (v > max_elements) return fail_size(where);
      }
      auto next = std::visit(
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
              if (i == 0 || !(std::holds_alternative<Conv2dSpec>(layers[i - 1]) ||
                              std::holds_alternative<DenseSpec>(layers[i - 1]))) {
                return fail("a rescale-ReLU must follow a convolution or a dense layer");
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
                if (i == 0 || !std::holds_alternative<RescaleReluSpec>(layers[i - 1])) {
                  return fail("max pooling must follow a rescale-ReLU");
                }
              } else {
                s.scale_bits += static_cast<std::int64_t>(2 * zkcnn::detail::ceil_log2(spec.window));
              }
              s.height /= spec.window;
              s.width /= spec.window;
              s.source_channels = s.channels, s.source_height = s.height, s.source_width = s.width;
            } else {
              if (current.flat) return fail("the input is already flat");
              s.channels = current.element_count();
              s.height = s.width = 1;
              s.flat = true;
            }
            return s;
          },
          layers[i]);
      if (!next) return next.error();
      if (next->element_count() > max_elements) return fail_size(where);
      current = *next;
      out.push_back(current);
    }
    if (layers.empty()) return make_error(Errc::invalid_argument, "architecture: no layers");
    return out;
  }

  /// Version 2 writes every size at 64 bits (version 1 truncated them to 32, so that two
  /// architectures could share an encoding and a digest).
  inline static constexpr std::uint8_t format_version = 2;

  /// The canonical encoding: version, name, input, then each layer's kind and parameters,
  /// every size and count at full width: distinct architectures have distinct encodings.
  std::vector<std::uint8_t> serialize() const {
    io::ByteWriter out;
    out.write_u8(format_version);
    out.write_u64(name.size());
    out.write_bytes({reinterpret_cast<const std::uint8_t*>(name.data()), name.size()});
    for (std::size_t v : {in_channels, height, width, input_scale_bits}) out.write_u64(v);
    out.write_u64(layers.size());
    for (const auto& layer : layers) {
      out.write_u8(static_cast<std::uint8_t>(layer.index()));
      std::visit(
          [&](const auto& spec) {
            for (std::size_t v : parameters(spec)) out.write_u64(v);
          },
          layer);
    }
    return std::move(out).take();
  }

  static Result<Architecture> deserialize(std::span<const std::uint8_t> bytes) {
    io::ByteReader in(bytes);
    auto version = in.read_u8("architecture version");
    if (!version) return version.error();
    if (*version != format_version) {
      return make_error(Errc::invalid_encoding, "architecture: unsupported format version " + std::to_string(*version));
    }
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
    }
    if (auto end = in.expect_end("architecture"); !end) return end.error();
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
      default:
        return make_error(Errc::invalid_encoding, "architecture: unknown layer kind " + std::to_string(kind));
    }
  }
};

}  // namespace zkcnn::nn
