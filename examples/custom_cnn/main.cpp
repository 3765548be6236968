// A custom CNN with a residual block, end to end: describe the network, give it integer
// weights, commit to them, prove one prediction and check the proof as a verifier would,
// holding only public data (the architecture, the commitment, the input, the claimed output
// and the proof's bytes). Last,
// the same proof is offered for a changed output and must be rejected. All of it runs in each
// shipped configuration, which is one line each in main: Hyrax over BN254 and over BLS12-381,
// and the transparent hash-based scheme over Goldilocks with Goldilocks^2 challenges. Exits
// non-zero if any step fails or a changed output is accepted.

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <zkcnn/zkcnn.hpp>

namespace {

namespace nn = zkcnn::nn;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The whole network is public: shapes, bit widths and rescales are part of the statement (the
// proof binds the architecture's digest), only the weights stay secret. Layers read earlier
// tensors by index (0 the input, k + 1 layer k's output), so the network may be a graph: here a
// residual block adds its input to its convolution's output.
nn::Architecture tiny_net() {
  nn::Architecture a;
  a.name = "tiny-digits";
  a.in_channels = 1, a.height = 16, a.width = 16;  // one 16x16 image with 4-bit pixels
  // 4 filters of 3x3, padding 1: 4x16x16. Accumulators fit in 12 signed bits (9 taps of at
  // most 15 * 2); the rescale divides by 2^2 before the ReLU, which keeps activations small.
  a.add(nn::Conv2dSpec{.out_channels = 4, .kernel = 3, .padding = 1});
  a.add(nn::RescaleReluSpec{.bits = 12, .shift = 2});
  const std::size_t pooled = a.add(nn::MaxPoolSpec{.window = 2});  // 4x8x8, values below 2^7
  // A residual block: 36 taps of at most 2^7 * 8 plus the shortcut, at the same scale, fit in 17
  // signed bits.
  const std::size_t conv = a.add(nn::Conv2dSpec{.out_channels = 4, .kernel = 3, .padding = 1}, {pooled});
  const std::size_t sum = a.add(nn::AddSpec{}, {conv, pooled});
  a.add(nn::RescaleReluSpec{.bits = 17, .shift = 6}, {sum});
  // 36 taps of at most 2^10 * 8: 20 bits hold the accumulators.
  a.add(nn::Conv2dSpec{.out_channels = 8, .kernel = 3, .padding = 1});
  a.add(nn::RescaleReluSpec{.bits = 20, .shift = 8});
  a.add(nn::MaxPoolSpec{.window = 2});          // 8x4x4
  a.add(nn::FlattenSpec{});                     // 128 features
  a.add(nn::DenseSpec{.out_features = 10});     // the logits: the last layer needs no range check
  return a;
}

// Weights as training would leave them after quantization: small integers. The first layer's
// filters are written out (edge detectors); the others are a fixed pattern in [-8, 8) standing
// in for trained values, so the predicted class means nothing: what the proof shows is that the
// committed weights compute it.
nn::QuantizedModel tiny_model() {
  nn::QuantizedModel model{tiny_net(), {}};
  const auto sizes = nn::QuantizedModel::weight_sizes(model.architecture).value();
  std::uint64_t state = 0x2545f4914f6cdd1d;
  auto pattern = [&] {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return static_cast<std::int64_t>(state >> 60) - 8;
  };
  for (const auto& [kernel, bias] : sizes) {
    nn::LayerWeights w;
    for (std::size_t i = 0; i < kernel; ++i) w.kernel.push_back(pattern());
    for (std::size_t i = 0; i < bias; ++i) w.bias.push_back(pattern());
    model.weights.push_back(std::move(w));
  }
  model.weights[0].kernel = {
      -1, 0, 1, -2, 0, 2, -1, 0, 1,   // vertical edges
      -1, -2, -1, 0, 0, 0, 1, 2, 1,   // horizontal edges
      0, 1, 2, -1, 0, 1, -2, -1, 0,   // one diagonal
      2, 1, 0, 1, 0, -1, 0, -1, -2,   // the other
  };
  model.weights[0].bias = {0, 0, 0, 0};
  return model;
}

// A hand-drawn "7": '#' is full intensity (15), '+' half (8).
std::vector<std::int64_t> seven() {
  const std::array<const char*, 16> rows = {
      "................", "................", "..############..", "..############..",
      "...........+##..", "..........+##+..", ".........+##+...", "........+##+....",
      ".......+##+.....", "......+##+......", "......###.......", ".....+##+.......",
      ".....###........", ".....###........", "................", "................",
  };
  std::vector<std::int64_t> image;
  for (const char* row : rows) {
    for (const char* c = row; *c != '\0'; ++c) image.push_back(*c == '#' ? 15 : *c == '+' ? 8 : 0);
  }
  return image;
}

// Commits, proves, verifies and rejects a forgery with the commitment scheme `pcs`.
template <zkcnn::ModelCommitmentScheme Pcs>
bool run(const char* configuration, const Pcs& pcs, const nn::QuantizedModel& model) {
  fmt::print("-- {}\n", configuration);
  // Blinding factors must be unpredictable, or the commitment and proof leak the weights.
  zkcnn::OsRng rng;

  // The model owner commits once and publishes the commitment's bytes.
  auto start = Clock::now();
  auto committed = zkcnn::zk::commit_model(pcs, model, rng);
  if (!committed) {
    fmt::print(stderr, "commit: {}\n", committed.error().message);
    return false;
  }
  const auto& [commitment, prover_state] = *committed;
  const std::vector<std::uint8_t> published = commitment.serialize();
  fmt::print("committed to {} ({} layers) in {:.1f} ms: {} bytes\n", model.architecture.name,
             model.architecture.layers.size(), ms_since(start), published.size());

  // Prove the prediction on one public input (zk::prove_model proves a batch at once).
  const std::vector<std::int64_t> input = seven();
  start = Clock::now();
  auto proven = zkcnn::zk::prove_prediction(pcs, model, prover_state, commitment, input, rng);
  if (!proven) {
    // For instance an accumulator outside its layer's bit width on this input, named here.
    fmt::print(stderr, "prove: {}\n", proven.error().message);
    return false;
  }
  const double prove_ms = ms_since(start);
  const std::vector<std::int64_t>& logits = proven->output;
  const auto predicted = std::max_element(logits.begin(), logits.end()) - logits.begin();
  fmt::print("prediction: class {}, logits {}\n", predicted, logits);
  fmt::print("proof: {} bytes, proven in {:.1f} ms\n", proven->proof.bytes.size(), prove_ms);

  // The verifier decodes the published commitment; it never sees the weights.
  const auto received = zkcnn::zk::ModelCommitment<Pcs>::deserialize(published);
  if (!received) {
    fmt::print(stderr, "commitment: {}\n", received.error().message);
    return false;
  }
  start = Clock::now();
  const auto verdict = zkcnn::zk::verify_prediction(pcs, model.architecture, *received, input, logits, proven->proof);
  const double verify_ms = ms_since(start);
  if (!verdict) {
    fmt::print(stderr, "verify: rejected: {}\n", verdict.error().message);
    return false;
  }
  fmt::print("verified in {:.1f} ms\n", verify_ms);

  // Claim another output with the same proof: the statement is bound into every challenge,
  // so the proof no longer fits it.
  std::vector<std::int64_t> forged = logits;
  forged[static_cast<std::size_t>(predicted)] += 1;
  const auto forged_verdict =
      zkcnn::zk::verify_prediction(pcs, model.architecture, *received, input, forged, proven->proof);
  if (forged_verdict) {
    fmt::print(stderr, "a changed output was ACCEPTED\n");
    return false;
  }
  fmt::print("a changed logit is rejected: {}\n", forged_verdict.error().message);
  return true;
}

}  // namespace

int main() {
  const nn::QuantizedModel model = tiny_model();
  if (auto valid = model.validate(); !valid) {
    fmt::print(stderr, "invalid model: {}\n", valid.error().message);
    return EXIT_FAILURE;
  }
  // Public parameters. Hyrax's generators are hashed from a domain string, so no one knows
  // relations between them; rows of up to 2^8 entries suffice here (a larger model would
  // still fit, with more rows). The hash-based scheme has no key: its parameters are a
  // security level, a code rate and the number of proofs a model commitment stays hidden
  // through.
  const bool ok =
      run("Hyrax over BN254", zkcnn::Hyrax<zkcnn::bn254::G1>("zkcnn custom_cnn example", 8), model) &&
      run("Hyrax over BLS12-381", zkcnn::Hyrax<zkcnn::bls12_381::G1>("zkcnn custom_cnn example", 8), model) &&
      run("Ligero over Goldilocks, Goldilocks^2 challenges",
          zkcnn::pcs::Ligero<zkcnn::Goldilocks, zkcnn::GoldilocksExt2>(zkcnn::pcs::LigeroParameters{}), model);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
