// Field arithmetic: multiplication as a dependent chain (latency, the figure that bounds
// sequential code), addition, inversion and batch inversion, for every shipped field.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include <zkcnn/zkcnn.hpp>

namespace {

template <class F>
void BM_MulLatency(benchmark::State& state) {
  std::mt19937_64 rng(1);
  F x = F::random(rng);
  const F y = F::random(rng);
  for (auto _ : state) {
    // 64 dependent multiplications per iteration keep the loop overhead out of the figure.
    for (int i = 0; i < 64; ++i) x *= y;
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations() * 64);
}

template <class F>
void BM_AddLatency(benchmark::State& state) {
  std::mt19937_64 rng(2);
  F x = F::random(rng);
  const F y = F::random(rng);
  for (auto _ : state) {
    for (int i = 0; i < 64; ++i) x += y;
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations() * 64);
}

template <class F>
void BM_Inverse(benchmark::State& state) {
  std::mt19937_64 rng(3);
  F x = F::random(rng);
  for (auto _ : state) {
    x = *x.inverse() + F::one();
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class F>
void BM_InverseVartime(benchmark::State& state) {
  std::mt19937_64 rng(3);
  F x = F::random(rng);
  for (auto _ : state) {
    x = *zkcnn::inverse_vartime(x) + F::one();
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class F>
void BM_BatchInverse(benchmark::State& state) {
  std::mt19937_64 rng(4);
  std::vector<F> values(static_cast<std::size_t>(state.range(0)));
  for (auto& v : values) v = F::random(rng);
  for (auto _ : state) {
    zkcnn::batch_inverse<F>(values);
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

#define ZKCNN_FIELD_BENCHMARKS(F)                      \
  BENCHMARK_TEMPLATE(BM_MulLatency, F);                \
  BENCHMARK_TEMPLATE(BM_AddLatency, F);                \
  BENCHMARK_TEMPLATE(BM_Inverse, F);                   \
  BENCHMARK_TEMPLATE(BM_InverseVartime, F);            \
  BENCHMARK_TEMPLATE(BM_BatchInverse, F)->Arg(1 << 16)

ZKCNN_FIELD_BENCHMARKS(zkcnn::bn254::Fr);
ZKCNN_FIELD_BENCHMARKS(zkcnn::bn254::Fq);
ZKCNN_FIELD_BENCHMARKS(zkcnn::bls12_381::Fr);
ZKCNN_FIELD_BENCHMARKS(zkcnn::bls12_381::Fq);
ZKCNN_FIELD_BENCHMARKS(zkcnn::Goldilocks);
ZKCNN_FIELD_BENCHMARKS(zkcnn::GoldilocksExt2);

}  // namespace

BENCHMARK_MAIN();
