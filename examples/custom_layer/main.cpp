// Layer kinds of the user's own, proven in committed, zero-knowledge model proofs without
// editing the library (zkcnn/nn/layer_kind.hpp):
//  - SquareSpec, the element-wise square activation y = x^2 (the activation of CryptoNets and of
//    many networks built for proofs, where it is cheaper than a ReLU), proven by a layer of its
//    own: square_layer.hpp's SquareLayer<F>, a gkr::Layer that reduces a claim on the squares'
//    extension to a claim on the input's by one sumcheck;
//  - OffsetReluSpec, ReLU(floor((x + offset) / 2^shift)) with a committed offset per channel: a
//    kind with committed parameters and digits in the range check, built from the library's
//    bias and rescale-ReLU layers.
// Each kind gives its encoding, output shape, integer inference and how it compiles into the
// proof. nn::ArchitectureWith<SquareSpec, OffsetReluSpec> is then an architecture that may hold
// them beside the built-in kinds, and every function of the library (commitment, prediction
// and accuracy proofs, the verifier and its cost limits) takes it as it takes the built-in
// nn::Architecture.
//
// The program builds a small network with a square, commits to its weights, proves one
// prediction and an accuracy over a batch, verifies both as a verifier would (from public data
// only), and checks that a tampered proof and a changed output are rejected. Exits non-zero if
// any step fails or a forgery is accepted.

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <zkcnn/zkcnn.hpp>

#include "square_layer.hpp"

namespace nn = zkcnn::nn;

/// The square activation: y = x^2 entry by entry, at twice the input's scale. Its output is an
/// accumulator a rescale-ReLU may read and bring back to a small scale. The proof shows that
/// the output is the square of the input in the field; like the convolutions', the square's
/// input is not range-checked itself: the ReLU that reads the squares checks their range.
struct SquareSpec {
  friend bool operator==(const SquareSpec&, const SquareSpec&) = default;

  // The kind's identity: its byte in the architecture's encoding (user kinds take 128 and up)
  // and its name in messages.
  static constexpr std::uint8_t code = 128;
  static constexpr std::string_view name = "square";
  static constexpr bool accumulates = true;
  static constexpr std::size_t parameter_count = 0;
  template <class F>
  using circuit_layers = std::tuple<custom_layer::SquareLayer<F>>;

  std::vector<std::size_t> parameters() const { return {}; }
  static zkcnn::Result<SquareSpec> from_parameters(std::span<const std::size_t>) { return SquareSpec{}; }

  zkcnn::Result<nn::ActivationShape> output_shape(const nn::ShapeContext& context) const {
    nn::ActivationShape shape = context.input(0);
    shape.scale_bits *= 2;  // at most 2^31 in magnitude: the architecture bounds scales by 2^30
    return shape;
  }

  // Inputs whose square would reach 2^62 are refused, naming the layer: the proof's values must
  // keep one meaning in every field.
  zkcnn::Result<std::vector<std::int64_t>> infer(const nn::InferenceContext& context) const {
    std::vector<std::int64_t> squares;
    squares.reserve(context.inputs[0].size());
    for (std::int64_t x : context.inputs[0]) {
      if (x <= -(std::int64_t{1} << 31) || x >= (std::int64_t{1} << 31)) return context.error("a value to square exceeds 2^31");
      squares.push_back(x * x);
    }
    return squares;
  }

  // One step: the square of the input's table, into the layer's output table. The padding is
  // zero and its square too, so the table's layout is the input's.
  template <class Compiler>
  void compile(Compiler& b) const {
    using F = typename Compiler::Field;
    const std::size_t input = b.input(0);
    b.add_step(custom_layer::SquareLayer<F>(b.layout(input).physical.num_vars()), {b.table_ref(input)}, b.output_tensor());
  }
  // No verifier_cost: the verifier replays the sumcheck, in time linear in the proof's size.
};

/// ReLU(floor((x + offset_c) / 2^shift)), x an accumulator in [-2^(bits-1), 2^(bits-1)) once
/// offset, with one committed offset per channel. Two steps of the library's layers: the
/// offsets added (nn::BiasLayer, reading a block of the committed weights), then the
/// rescale-ReLU, whose digits join the proof's range check.
struct OffsetReluSpec {
  std::size_t bits = 16;
  std::size_t shift = 0;
  friend bool operator==(const OffsetReluSpec&, const OffsetReluSpec&) = default;

  static constexpr std::uint8_t code = 129;
  static constexpr std::string_view name = "offset-relu";
  static constexpr std::size_t parameter_count = 2;
  template <class F>
  using circuit_layers = std::tuple<nn::BiasLayer<F>, nn::RescaleReluLayer<F>>;

  std::vector<std::size_t> parameters() const { return {bits, shift}; }
  static zkcnn::Result<OffsetReluSpec> from_parameters(std::span<const std::size_t> p) { return OffsetReluSpec{p[0], p[1]}; }

  zkcnn::Result<nn::ActivationShape> output_shape(const nn::ShapeContext& context) const {
    if (bits < 2 || bits > nn::max_scale_bits || shift > bits - 2) return context.fail("bits in [2, 48] and a shift below them");
    if (!context.inputs[0].accumulates) return context.fail("an offset ReLU reads an accumulator");
    // One offset per channel of an image, or per entry of a vector: a flattened image keeps its
    // channels in its layout, where the offsets would run per channel, not per entry.
    nn::ActivationShape shape = context.input(0);
    if (shape.flat && shape.source_channels != shape.channels) return context.fail("an offset ReLU cannot read a flattened image");
    shape.scale_bits -= static_cast<std::int64_t>(shift);
    return shape;
  }

  nn::WeightSizes weight_sizes(const nn::ActivationShape& in, const nn::ActivationShape&) const { return {0, in.channels}; }

  zkcnn::Result<std::vector<std::int64_t>> infer(const nn::InferenceContext& context) const {
    const nn::ActivationShape& in = context.input_shapes[0];
    const std::int64_t half = std::int64_t{1} << (bits - 1);
    std::vector<std::int64_t> y;
    y.reserve(context.inputs[0].size());
    for (std::size_t j = 0; j < context.inputs[0].size(); ++j) {
      // Both terms are below 2^62: their sum fits in 64 bits.
      const std::int64_t a = context.inputs[0][j] + context.weights.bias[j / (in.height * in.width)];
      if (a < -half || a >= half) return context.error("an offset accumulator leaves its " + std::to_string(bits) + " bits");
      y.push_back(std::max<std::int64_t>(0, a >> shift));
    }
    return y;
  }

  template <class Compiler>
  void compile(Compiler& b) const {
    using F = typename Compiler::Field;
    const std::size_t input = b.input(0);
    const nn::TensorShape shape = b.layout(input).physical;  // (batch, channels, ...)
    const auto offsets = b.add_weights(zkcnn::detail::ceil_log2(b.input_shape(0).channels),
                                       [](const nn::LayerWeights& weights, std::span<std::int64_t> block) {
                                         std::copy(weights.bias.begin(), weights.bias.end(), block.begin());
                                       });
    // The offset accumulators are no activation of the model: the step's fill computes them.
    const std::size_t offset = b.new_tensor(b.input_shape(0));
    b.add_step(nn::BiasLayer<F>(shape, 1), {b.table_ref(input), offsets}, offset,
               [](const auto& step, std::span<std::vector<F>> tables, const nn::LayerWeights& weights) -> zkcnn::Status {
                 const std::vector<F> values = nn::to_field<F>(weights.bias);
                 const std::span<const F> inputs[] = {tables[step.inputs[0].index], values};
                 tables[step.output] = std::get<nn::BiasLayer<F>>(step.layer).forward(inputs);
                 return {};
               });
    b.add_range_checked_step(nn::RescaleReluLayer<F>(shape.num_vars(), bits, shift, nn::max_digit_bits),
                             {b.table_ref(offset)}, b.output_tensor());
  }

  /// The ReLU's sumcheck: degree 3, plus one per digit sent in zero knowledge.
  template <class Cost>
  void verifier_cost(Cost& cost) const {
    cost.degree(bits + 4);
  }
};

static_assert(nn::LayerKind<SquareSpec> && nn::LayerKind<OffsetReluSpec>);

using Architecture = nn::ArchitectureWith<SquareSpec, OffsetReluSpec>;
using Model = nn::BasicQuantizedModel<Architecture>;

namespace {

// 1x8x8 images: a convolution, its square rescaled by an offset ReLU, and a dense layer of 4
// classes.
Architecture square_net() {
  Architecture a;
  a.name = "square-net";
  a.in_channels = 1, a.height = 8, a.width = 8;
  a.add(nn::Conv2dSpec{.out_channels = 2, .kernel = 3, .padding = 1});  // 9 taps of at most 15 * 8: 11 bits
  a.add(SquareSpec{});                                                 // squares below 2^21
  a.add(OffsetReluSpec{.bits = 23, .shift = 14});                      // back to 7 bits
  a.add(nn::FlattenSpec{});
  a.add(nn::DenseSpec{.out_features = 4});
  return a;
}

// Small integer weights in [-8, 8) from a fixed pattern, standing in for trained ones.
Model square_model() {
  Model model{square_net(), {}};
  std::uint64_t state = 0x9e3779b97f4a7c15;
  auto pattern = [&] {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return static_cast<std::int64_t>(state >> 60) - 8;
  };
  const auto sizes = Model::weight_sizes(model.architecture).value();
  for (const auto& [kernel, bias] : sizes) {
    nn::LayerWeights w;
    for (std::size_t i = 0; i < kernel; ++i) w.kernel.push_back(pattern());
    for (std::size_t i = 0; i < bias; ++i) w.bias.push_back(pattern());
    model.weights.push_back(std::move(w));
  }
  return model;
}

std::vector<std::int64_t> image(std::uint64_t seed) {
  std::vector<std::int64_t> pixels(64);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::int64_t>((seed * 31 + i * i * 7) % 16);
  return pixels;
}

template <class T>
bool fail(const char* what, const T& error) {
  fmt::print(stderr, "{}: {}\n", what, error.message);
  return false;
}

template <zkcnn::ModelCommitmentScheme Pcs>
bool run(const Pcs& pcs, const Model& model) {
  zkcnn::OsRng rng;
  auto committed = zkcnn::zk::commit_model(pcs, model, rng);
  if (!committed) return fail("commit", committed.error());
  const auto& [commitment, state] = *committed;

  // A prediction, verified from the architecture, the commitment, the input and the output.
  const std::vector<std::int64_t> input = image(1);
  auto proven = zkcnn::zk::prove_prediction(pcs, model, state, commitment, input, rng);
  if (!proven) return fail("prove", proven.error());
  fmt::print("square-net on image 1: scores {}, proof {} bytes\n", proven->output, proven->proof.bytes.size());
  if (auto ok = zkcnn::zk::verify_prediction(pcs, model.architecture, commitment, input, proven->output, proven->proof); !ok) {
    return fail("verify", ok.error());
  }
  fmt::print("the prediction verifies\n");

  // A changed score is rejected, and so is the proof with any of a dozen of its bytes changed.
  std::vector<std::int64_t> forged = proven->output;
  forged[0] += 1;
  if (zkcnn::zk::verify_prediction(pcs, model.architecture, commitment, input, forged, proven->proof)) {
    fmt::print(stderr, "a changed score was ACCEPTED\n");
    return false;
  }
  std::size_t rejected = 0, tampered = 0;
  for (std::size_t at = proven->proof.bytes.size() / 4; at < proven->proof.bytes.size(); at += proven->proof.bytes.size() / 16) {
    zkcnn::zk::ModelProof changed = proven->proof;
    changed.bytes[at] ^= 0x01;
    ++tampered;
    if (!zkcnn::zk::verify_prediction(pcs, model.architecture, commitment, input, proven->output, changed)) ++rejected;
  }
  fmt::print("{} of {} proofs with a changed byte are rejected\n", rejected, tampered);
  if (rejected != tampered) return false;

  // The accuracy of the model on 8 images against labels: the predictions stay with the prover.
  std::vector<std::vector<std::int64_t>> samples;
  std::vector<std::size_t> labels;
  for (std::uint64_t seed = 0; seed < 8; ++seed) {
    samples.push_back(image(seed));
    labels.push_back(seed % 4);
  }
  auto accuracy = zkcnn::zk::prove_accuracy(pcs, model, state, commitment, samples, labels, rng);
  if (!accuracy) return fail("prove accuracy", accuracy.error());
  if (auto ok = zkcnn::zk::verify_accuracy(pcs, model.architecture, commitment, samples, labels, accuracy->correct,
                                           accuracy->proof);
      !ok) {
    return fail("verify accuracy", ok.error());
  }
  fmt::print("{} of {} images classified as labelled: verified\n", accuracy->correct, samples.size());
  if (zkcnn::zk::verify_accuracy(pcs, model.architecture, commitment, samples, labels, accuracy->correct + 1,
                                 accuracy->proof)) {
    fmt::print(stderr, "a changed count was ACCEPTED\n");
    return false;
  }
  return true;
}

}  // namespace

int main() {
  const Model model = square_model();
  if (auto valid = model.validate(); !valid) {
    fail("model", valid.error());
    return EXIT_FAILURE;
  }
  // The architecture, with its square, travels as bytes like any other and decodes with the
  // kind's code.
  const auto decoded = Architecture::deserialize(model.architecture.serialize());
  if (!decoded || *decoded != model.architecture) {
    fmt::print(stderr, "the architecture does not round-trip\n");
    return EXIT_FAILURE;
  }
  const bool ok = run(zkcnn::Hyrax<zkcnn::bn254::G1>("zkcnn custom_layer example", 8), model) &&
                  run(zkcnn::pcs::Ligero<zkcnn::Goldilocks, zkcnn::GoldilocksExt2>(zkcnn::pcs::LigeroParameters{}), model);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
