// A layer kind of the user's own, proven in a committed, zero-knowledge model proof without
// editing the library: the element-wise square activation y = x^2 (the activation of CryptoNets
// and of many networks built for proofs, where it is cheaper than a ReLU).
//
// Two pieces, both in this directory:
//  - square_layer.hpp: SquareLayer<F>, a gkr::Layer that reduces a claim on the squares'
//    extension to a claim on the input's, by one sumcheck;
//  - SquareSpec below: the layer kind (zkcnn/nn/layer_kind.hpp), the kind's encoding, output
//    shape, integer inference, and how it compiles into the proof (one SquareLayer step).
// nn::ArchitectureWith<SquareSpec> is then an architecture that may hold squares beside the
// built-in kinds, and every function of the library (commitment, prediction and accuracy proofs,
// the verifier and its cost limits) takes it as it takes the built-in nn::Architecture.
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

static_assert(nn::LayerKind<SquareSpec>);

using Architecture = nn::ArchitectureWith<SquareSpec>;
using Model = nn::BasicQuantizedModel<Architecture>;

namespace {

// 1x8x8 images: a convolution, its square rescaled by a ReLU, and a dense layer of 4 classes.
Architecture square_net() {
  Architecture a;
  a.name = "square-net";
  a.in_channels = 1, a.height = 8, a.width = 8;
  a.add(nn::Conv2dSpec{.out_channels = 2, .kernel = 3, .padding = 1});  // 9 taps of at most 15 * 8: 11 bits
  a.add(SquareSpec{});                                                 // squares below 2^21
  a.add(nn::RescaleReluSpec{.bits = 23, .shift = 14});                 // back to 7 bits
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
