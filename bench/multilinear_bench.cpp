// Multilinear extensions at 2^20: binding the lowest variable, building an eq table, and a
// full evaluation.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include <zkcnn/zkcnn.hpp>

namespace {

using F = zkcnn::bn254::Fr;

std::vector<F> random_vector(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<F> out(n);
  for (auto& v : out) v = F::random(rng);
  return out;
}

void BM_BindLowestVariable(benchmark::State& state) {
  const auto num_vars = static_cast<std::size_t>(state.range(0));
  const auto table = random_vector(std::size_t{1} << num_vars, 6);
  const F r = F::from_u64(123456789);
  for (auto _ : state) {
    state.PauseTiming();
    zkcnn::MultilinearPolynomial<F> poly(num_vars, table);
    state.ResumeTiming();
    poly.fix_lowest_variable(r);
    benchmark::DoNotOptimize(poly.evaluations().data());
  }
}

void BM_EqTable(benchmark::State& state) {
  const auto point = random_vector(static_cast<std::size_t>(state.range(0)), 7);
  for (auto _ : state) benchmark::DoNotOptimize(zkcnn::eq_table<F>(point).data());
}

void BM_Evaluate(benchmark::State& state) {
  const auto num_vars = static_cast<std::size_t>(state.range(0));
  const auto table = random_vector(std::size_t{1} << num_vars, 8);
  const auto point = random_vector(num_vars, 9);
  for (auto _ : state) benchmark::DoNotOptimize(zkcnn::evaluate_multilinear<F>(table, point));
}

BENCHMARK(BM_BindLowestVariable)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EqTable)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Evaluate)->Arg(20)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
