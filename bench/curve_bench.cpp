// Elliptic-curve group operations for the shipped G1s: addition (Jacobian + Jacobian), mixed
// addition (Jacobian + affine), doubling, scalar multiplication by a full-size scalar,
// encoding (one inversion), decoding (square root and subgroup check), hash_to_group, and
// batch normalization (one shared inversion).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include <zkcnn/ec/bls12_381_g1.hpp>
#include <zkcnn/ec/bn254_g1.hpp>

namespace {

template <class G>
G random_point(std::mt19937_64& rng) {
  return G::generator() * G::Scalar::random(rng);
}

template <class G>
void BM_Add(benchmark::State& state) {
  std::mt19937_64 rng(1);
  G x = random_point<G>(rng);
  const G y = random_point<G>(rng);
  for (auto _ : state) {
    x = x + y;  // both operands with Z != 1: the general formula
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class G>
void BM_MixedAdd(benchmark::State& state) {
  std::mt19937_64 rng(2);
  G x = random_point<G>(rng);
  const auto y = random_point<G>(rng).to_affine();
  for (auto _ : state) {
    x = x + y;
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class G>
void BM_Double(benchmark::State& state) {
  std::mt19937_64 rng(3);
  G x = random_point<G>(rng);
  for (auto _ : state) {
    x = x.doubled();
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class G>
void BM_ScalarMul(benchmark::State& state) {
  std::mt19937_64 rng(4);
  G x = random_point<G>(rng);
  const auto k = G::Scalar::random(rng);
  for (auto _ : state) {
    x = x * k;
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class G>
void BM_Encode(benchmark::State& state) {
  std::mt19937_64 rng(5);
  const G x = random_point<G>(rng);
  for (auto _ : state) {
    auto bytes = x.encode();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class G>
void BM_Decode(benchmark::State& state) {
  std::mt19937_64 rng(6);
  const auto bytes = random_point<G>(rng).encode();
  for (auto _ : state) {
    auto decoded = G::decode(bytes);
    benchmark::DoNotOptimize(decoded);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class G>
void BM_SubgroupCheck(benchmark::State& state) {
  std::mt19937_64 rng(7);
  const G x(random_point<G>(rng).to_affine());
  for (auto _ : state) {
    bool in = state.range(0) == 0 ? x.is_in_prime_subgroup() : x.is_in_prime_subgroup_generic();
    benchmark::DoNotOptimize(in);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class G>
void BM_HashToGroup(benchmark::State& state) {
  std::uint64_t index = 0;
  for (auto _ : state) {
    auto p = G::hash_to_group("zkcnn bench", index++);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class G>
void BM_BatchNormalize(benchmark::State& state) {
  std::mt19937_64 rng(8);
  std::vector<G> points(static_cast<std::size_t>(state.range(0)));
  G p = random_point<G>(rng);
  const G step = random_point<G>(rng);
  for (auto& q : points) q = (p += step);  // Z != 1
  for (auto _ : state) {
    state.PauseTiming();
    auto copy = points;
    state.ResumeTiming();
    G::batch_normalize(copy);
    benchmark::DoNotOptimize(copy.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

#define ZKCNN_CURVE_BENCHMARKS(G)                               \
  BENCHMARK_TEMPLATE(BM_Add, G);                                \
  BENCHMARK_TEMPLATE(BM_MixedAdd, G);                           \
  BENCHMARK_TEMPLATE(BM_Double, G);                             \
  BENCHMARK_TEMPLATE(BM_ScalarMul, G);                          \
  BENCHMARK_TEMPLATE(BM_Encode, G);                             \
  BENCHMARK_TEMPLATE(BM_Decode, G);                             \
  BENCHMARK_TEMPLATE(BM_SubgroupCheck, G)->Arg(0)->Arg(1);      \
  BENCHMARK_TEMPLATE(BM_HashToGroup, G);                        \
  BENCHMARK_TEMPLATE(BM_BatchNormalize, G)->Arg(1 << 12)

ZKCNN_CURVE_BENCHMARKS(zkcnn::bn254::G1);
ZKCNN_CURVE_BENCHMARKS(zkcnn::bls12_381::G1);

}  // namespace

BENCHMARK_MAIN();
