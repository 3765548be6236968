// Radix-2 NTT at 2^16 to 2^20.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include <zkcnn/zkcnn.hpp>

namespace {

template <class F>
void BM_Ntt(benchmark::State& state) {
  std::mt19937_64 rng(5);
  std::vector<F> values(std::size_t{1} << state.range(0));
  for (auto& v : values) v = F::random(rng);
  for (auto _ : state) {
    zkcnn::ntt<F>(values);
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(values.size()));
}

BENCHMARK_TEMPLATE(BM_Ntt, zkcnn::bn254::Fr)->DenseRange(16, 20, 2)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_Ntt, zkcnn::Goldilocks)->DenseRange(16, 20, 2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
