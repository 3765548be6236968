// Sumcheck prover and verifier for the product of 2 and of 3 multilinear polynomials,
// 2^16 to 2^22 terms, over BN254's scalar field with the SHA-256 transcript.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include <zkcnn/zkcnn.hpp>

namespace {

using F = zkcnn::bn254::Fr;

zkcnn::sumcheck::SumOfProducts<F> product_instance(std::size_t num_vars, std::size_t factors) {
  std::mt19937_64 rng(10 + num_vars);
  std::vector<std::vector<F>> tables(factors, std::vector<F>(std::size_t{1} << num_vars));
  for (auto& table : tables) {
    for (auto& v : table) v = F::random(rng);
  }
  std::vector<std::size_t> all(factors);
  for (std::size_t i = 0; i < factors; ++i) all[i] = i;
  return {num_vars, std::move(tables), {{F::one(), all}}};
}

void BM_SumcheckProve(benchmark::State& state) {
  const auto num_vars = static_cast<std::size_t>(state.range(0));
  const auto factors = static_cast<std::size_t>(state.range(1));
  const auto instance = product_instance(num_vars, factors);
  const F sum = instance.sum_over_hypercube();
  for (auto _ : state) {
    state.PauseTiming();
    auto copy = instance;  // the prover consumes its tables
    zkcnn::Sha256Transcript transcript("bench");
    state.ResumeTiming();
    auto out = zkcnn::sumcheck::prove(std::move(copy), sum, transcript);
    benchmark::DoNotOptimize(out.point.data());
  }
}

void BM_SumcheckVerify(benchmark::State& state) {
  const auto num_vars = static_cast<std::size_t>(state.range(0));
  const auto factors = static_cast<std::size_t>(state.range(1));
  auto instance = product_instance(num_vars, factors);
  const F sum = instance.sum_over_hypercube();
  zkcnn::Sha256Transcript prover_transcript("bench");
  const auto out = zkcnn::sumcheck::prove(std::move(instance), sum, prover_transcript);
  for (auto _ : state) {
    zkcnn::Sha256Transcript transcript("bench");
    auto subclaim = zkcnn::sumcheck::verify(sum, num_vars, factors, out.proof, transcript);
    benchmark::DoNotOptimize(subclaim);
  }
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int factors : {2, 3}) {
    for (int num_vars = 16; num_vars <= 22; num_vars += 2) b->Args({num_vars, factors});
  }
  b->ArgNames({"log_n", "factors"});
}

BENCHMARK(BM_SumcheckProve)->Apply(sizes)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_SumcheckVerify)->Apply(sizes)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
