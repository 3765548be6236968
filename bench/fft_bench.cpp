// The FFT sumcheck (gkr/fft.hpp) and the convolution through it (nn/conv2d_fft.hpp), BN254
// Fr, one thread, SHA-256 transcript.
//  - BM_FftTable/n: the wiring table F(r, .) by the product tree.
//  - BM_FftProve/n: the FFT layer's prover (table, then the degree-2 sumcheck) for a claim on
//    the transform of 2^n random values; its counter ntt_ratio is this prover's time divided by
//    that of BM_Ntt/n (the ntt of the same vector), measured in the same run.
//  - BM_Ntt/n: zkcnn::ntt of the same vector, for comparison.
//  - BM_FftVerify/n: the FFT layer's verifier (O(N): it builds the table too).
//  - BM_Conv2dFft{Prove,Verify}: a VGG-16 layer, 64 -> 64 channels, 32x32, kernel 3, padding
//    1, stride 1, batch 1; counter proof_bytes.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/ntt.hpp>
#include <zkcnn/gkr/claim.hpp>
#include <zkcnn/io/byte_stream.hpp>
#include <zkcnn/nn/conv2d_fft.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/gkr/fft.hpp>
#include <zkcnn/transcript/transcript.hpp>

namespace {

using F = zkcnn::bn254::Fr;

std::vector<F> random_values(std::mt19937_64& rng, std::size_t size) {
  std::vector<F> out(size);
  for (auto& v : out) v = F::random(rng);
  return out;
}

// Seconds per ntt of 2^log_n values, the median-free mean of a few runs.
double ntt_seconds(std::size_t log_n) {
  std::mt19937_64 rng(7);
  auto values = random_values(rng, std::size_t{1} << log_n);
  const int runs = log_n >= 18 ? 3 : 20;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i) {
    zkcnn::ntt<F>(values);
    benchmark::DoNotOptimize(values.data());
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / runs;
}

struct FftInstance {
  std::vector<F> values;
  zkcnn::gkr::Claim<F> claim;
};

FftInstance fft_instance(std::size_t log_n) {
  std::mt19937_64 rng(11 + log_n);
  FftInstance instance{random_values(rng, std::size_t{1} << log_n), {random_values(rng, log_n), F::zero()}};
  auto spectrum = instance.values;
  zkcnn::ntt<F>(spectrum);
  instance.claim.value =
      zkcnn::evaluate_multilinear(std::span<const F>(spectrum), std::span<const F>(instance.claim.point));
  return instance;
}

void BM_FftTable(benchmark::State& state) {
  const auto log_n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(3);
  const auto r = random_values(rng, log_n);
  const F root = zkcnn::fft::transform_root<F>(log_n, zkcnn::fft::Direction::forward);
  for (auto _ : state) {
    auto table = zkcnn::fft::fourier_table(std::span<const F>(r), root);
    benchmark::DoNotOptimize(table.data());
  }
  state.SetItemsProcessed(state.iterations() * (std::int64_t{1} << log_n));
}

void BM_FftProve(benchmark::State& state) {
  const auto log_n = static_cast<std::size_t>(state.range(0));
  const FftInstance instance = fft_instance(log_n);
  const zkcnn::fft::FftLayer<F> layer(log_n);
  const std::span<const F> input(instance.values);
  double seconds = 0;
  for (auto _ : state) {
    zkcnn::Sha256Transcript transcript("bench");
    const auto start = std::chrono::steady_clock::now();
    auto out = layer.prove(std::span<const std::span<const F>>(&input, 1), instance.claim, transcript);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    benchmark::DoNotOptimize(out.proof.step.evaluations.data());
  }
  state.counters["ntt_ratio"] = seconds / static_cast<double>(state.iterations()) / ntt_seconds(log_n);
  state.SetItemsProcessed(state.iterations() * (std::int64_t{1} << log_n));
}

void BM_Ntt(benchmark::State& state) {
  const auto log_n = static_cast<std::size_t>(state.range(0));
  auto values = fft_instance(log_n).values;
  for (auto _ : state) {
    zkcnn::ntt<F>(values);
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations() * (std::int64_t{1} << log_n));
}

void BM_FftVerify(benchmark::State& state) {
  const auto log_n = static_cast<std::size_t>(state.range(0));
  const FftInstance instance = fft_instance(log_n);
  const zkcnn::fft::FftLayer<F> layer(log_n);
  const std::span<const F> input(instance.values);
  zkcnn::Sha256Transcript prover_transcript("bench");
  const auto proven = layer.prove(std::span<const std::span<const F>>(&input, 1), instance.claim, prover_transcript);
  for (auto _ : state) {
    zkcnn::Sha256Transcript transcript("bench");
    auto claims = layer.verify(instance.claim, proven.proof, transcript);
    if (!claims) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(claims);
  }
}

BENCHMARK(BM_FftTable)->DenseRange(12, 20, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FftProve)->DenseRange(12, 20, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Ntt)->DenseRange(12, 20, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FftVerify)->DenseRange(12, 20, 2)->Unit(benchmark::kMillisecond);

// VGG-16's second layer on CIFAR-sized inputs.
const zkcnn::nn::Conv2dShape vgg_shape{1, 64, 64, 32, 32, 3, 1, 1};

struct ConvInstance {
  zkcnn::nn::Conv2dFftLayer<F> layer{vgg_shape};
  std::vector<std::vector<F>> inputs;
  zkcnn::gkr::Claim<F> claim;

  std::vector<std::span<const F>> views() const { return {inputs.begin(), inputs.end()}; }
};

ConvInstance conv_instance() {
  std::mt19937_64 rng(17);
  ConvInstance instance;
  std::uniform_int_distribution<std::int64_t> small(-128, 127);
  for (const auto& layout : {vgg_shape.input_shape(), vgg_shape.kernel_shape()}) {
    std::vector<F> table(layout.padded_size(), F::zero());
    const auto dims = layout.dims();
    for (std::size_t a = 0; a < dims[0]; ++a) {
      for (std::size_t b = 0; b < dims[1]; ++b) {
        for (std::size_t c = 0; c < dims[2]; ++c) {
          for (std::size_t d = 0; d < dims[3]; ++d) table[layout.offset({a, b, c, d})] = F::from_i64(small(rng));
        }
      }
    }
    instance.inputs.push_back(std::move(table));
  }
  const auto views = instance.views();
  const auto output = instance.layer.forward(views);
  instance.claim.point = random_values(rng, instance.layer.output_num_vars());
  instance.claim.value =
      zkcnn::evaluate_multilinear(std::span<const F>(output), std::span<const F>(instance.claim.point));
  return instance;
}

void BM_Conv2dFftProve(benchmark::State& state) {
  const ConvInstance instance = conv_instance();
  const auto views = instance.views();
  std::size_t bytes = 0;
  for (auto _ : state) {
    zkcnn::Sha256Transcript transcript("bench");
    auto out = instance.layer.prove(views, instance.claim, transcript);
    zkcnn::io::ByteWriter writer;
    instance.layer.write_proof(out.proof, writer);
    bytes = std::move(writer).take().size();
  }
  state.counters["proof_bytes"] = static_cast<double>(bytes);
}

void BM_Conv2dFftVerify(benchmark::State& state) {
  const ConvInstance instance = conv_instance();
  zkcnn::Sha256Transcript prover_transcript("bench");
  const auto proven = instance.layer.prove(instance.views(), instance.claim, prover_transcript);
  zkcnn::io::ByteWriter writer;
  instance.layer.write_proof(proven.proof, writer);
  for (auto _ : state) {
    zkcnn::Sha256Transcript transcript("bench");
    auto claims = instance.layer.verify(instance.claim, proven.proof, transcript);
    if (!claims) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(claims);
  }
  state.counters["proof_bytes"] = static_cast<double>(std::move(writer).take().size());
}

BENCHMARK(BM_Conv2dFftProve)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Conv2dFftVerify)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
