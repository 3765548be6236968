// Structured CNN layers over BN254's scalar field, one thread, SHA-256 transcript:
//  - dense: a 4096 x 4096 weight matrix times one input vector (batch 1), prove and verify;
//  - direct convolution: 64 -> 64 channels, 32 x 32, kernel 3, padding 1, stride 1, batch 1,
//    prove and verify.
// Each prover benchmark reports the proof's size in bytes as the counter proof_bytes. Setup
// (random tables, the forward pass, the true output claim) is outside the timed loop.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <random>
#include <span>
#include <vector>

#include <zkcnn/field/bn254.hpp>
#include <zkcnn/gkr/claim.hpp>
#include <zkcnn/io/byte_stream.hpp>
#include <zkcnn/nn/conv2d_direct.hpp>
#include <zkcnn/nn/dense.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>

namespace {

using F = zkcnn::bn254::Fr;

std::vector<F> random_table(zkcnn::testing::DeterministicRng& rng, std::size_t size) {
  std::vector<F> out(size);
  for (auto& v : out) v = F::random(rng);
  return out;
}

/// A layer with its inputs and a true claim on its output at a random point.
template <class Layer>
struct Instance {
  Layer layer;
  std::vector<std::vector<F>> inputs;
  zkcnn::gkr::Claim<F> claim;

  std::vector<std::span<const F>> views() const { return {inputs.begin(), inputs.end()}; }
};

template <class Layer>
Instance<Layer> make_instance(Layer layer, std::vector<std::vector<F>> inputs, zkcnn::testing::DeterministicRng& rng) {
  Instance<Layer> out{std::move(layer), std::move(inputs), {}};
  const auto views = out.views();
  const std::vector<F> y = out.layer.forward(std::span<const std::span<const F>>(views));
  out.claim.point = random_table(rng, out.layer.output_num_vars());
  out.claim.value = zkcnn::evaluate_multilinear(std::span<const F>(y), std::span<const F>(out.claim.point));
  return out;
}

const Instance<zkcnn::nn::DenseLayer<F>>& dense_instance() {
  static const auto instance = [] {
    zkcnn::testing::DeterministicRng rng(4096);
    const std::size_t n = 4096;
    zkcnn::nn::DenseLayer<F> layer(1, n, n);
    return make_instance(layer, {random_table(rng, n * n), random_table(rng, n)}, rng);
  }();
  return instance;
}

const Instance<zkcnn::nn::Conv2dDirectLayer<F>>& conv_instance() {
  static const auto instance = [] {
    zkcnn::testing::DeterministicRng rng(64);
    const zkcnn::nn::Conv2dShape shape{1, 64, 64, 32, 32, 3, 1, 1};
    zkcnn::nn::Conv2dDirectLayer<F> layer(shape);
    // Zero padding in the kernel's (k = 3 -> 4) rows and columns.
    std::vector<F> kernel(shape.kernel_shape().padded_size(), F::zero());
    for (std::size_t o = 0; o < 64; ++o) {
      for (std::size_t i = 0; i < 64; ++i) {
        for (std::size_t a = 0; a < 3; ++a) {
          for (std::size_t c = 0; c < 3; ++c) kernel[shape.kernel_shape().offset({o, i, a, c})] = F::random(rng);
        }
      }
    }
    return make_instance(layer, {random_table(rng, shape.input_shape().padded_size()), std::move(kernel)}, rng);
  }();
  return instance;
}

template <class Layer>
void prove_benchmark(benchmark::State& state, const Instance<Layer>& instance) {
  const auto views = instance.views();
  const std::span<const std::span<const F>> inputs(views);
  std::size_t proof_bytes = 0;
  for (auto _ : state) {
    zkcnn::Sha256Transcript transcript("layer bench");
    auto out = instance.layer.prove(inputs, instance.claim, transcript);
    benchmark::DoNotOptimize(out.input_claims.data());
    state.PauseTiming();
    zkcnn::io::ByteWriter writer;
    instance.layer.write_proof(out.proof, writer);
    proof_bytes = std::move(writer).take().size();
    state.ResumeTiming();
  }
  state.counters["proof_bytes"] = static_cast<double>(proof_bytes);
}

template <class Layer>
void verify_benchmark(benchmark::State& state, const Instance<Layer>& instance) {
  const auto views = instance.views();
  zkcnn::Sha256Transcript prover_transcript("layer bench");
  const auto proven =
      instance.layer.prove(std::span<const std::span<const F>>(views), instance.claim, prover_transcript);
  for (auto _ : state) {
    zkcnn::Sha256Transcript transcript("layer bench");
    auto claims = instance.layer.verify(instance.claim, proven.proof, transcript);
    if (!claims) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(claims);
  }
}

void BM_DenseProve_4096x4096(benchmark::State& state) { prove_benchmark(state, dense_instance()); }
void BM_DenseVerify_4096x4096(benchmark::State& state) { verify_benchmark(state, dense_instance()); }
void BM_Conv2dDirectProve_64x64_32x32_k3(benchmark::State& state) { prove_benchmark(state, conv_instance()); }
void BM_Conv2dDirectVerify_64x64_32x32_k3(benchmark::State& state) { verify_benchmark(state, conv_instance()); }

BENCHMARK(BM_DenseProve_4096x4096)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DenseVerify_4096x4096)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Conv2dDirectProve_64x64_32x32_k3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Conv2dDirectVerify_64x64_32x32_k3)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
