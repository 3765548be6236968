// Elliptic-curve group operations for the shipped G1s: addition (Jacobian + Jacobian), mixed
// addition (Jacobian + affine), doubling, scalar multiplication by a full-size scalar,
// encoding (one inversion), decoding (square root and subgroup check), hash_to_group, and
// batch normalization (one shared inversion).
//
// Where libsecp256k1 is installed (Debian's libsecp256k1-dev), the same machine's anchors on
// another 256-bit curve through its public API: a mixed addition (secp256k1_ec_pubkey_combine
// of 1,024 keys: one Jacobian + affine addition per key and one normalization, reported per
// key), a variable-base scalar multiplication (secp256k1_ec_pubkey_tweak_mul, constant time,
// GLV) and a fixed-base one (secp256k1_ec_pubkey_create). Its multi-scalar multiplication is
// not public.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include <zkcnn/ec/bls12_381_g1.hpp>
#include <zkcnn/ec/bn254_g1.hpp>

#ifdef ZKCNN_BENCH_SECP256K1
#include <secp256k1.h>
#endif

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

#ifdef ZKCNN_BENCH_SECP256K1
// A valid secret key: 32 random big-endian bytes, the top one 0x7f (below the group order).
std::array<unsigned char, 32> secp256k1_secret(std::mt19937_64& rng) {
  std::array<unsigned char, 32> key{};
  for (auto& byte : key) byte = static_cast<unsigned char>(rng());
  key[0] = 0x7f;
  return key;
}

secp256k1_pubkey secp256k1_random_key(const secp256k1_context* context, std::mt19937_64& rng) {
  secp256k1_pubkey key;
  if (!secp256k1_ec_pubkey_create(context, &key, secp256k1_secret(rng).data())) std::abort();
  return key;
}

void BM_Secp256k1CombinePerKey(benchmark::State& state) {
  secp256k1_context* context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  std::mt19937_64 rng(20);
  std::vector<secp256k1_pubkey> keys;
  for (int i = 0; i < state.range(0); ++i) keys.push_back(secp256k1_random_key(context, rng));
  std::vector<const secp256k1_pubkey*> inputs;
  for (const auto& key : keys) inputs.push_back(&key);
  for (auto _ : state) {
    secp256k1_pubkey sum;
    if (!secp256k1_ec_pubkey_combine(context, &sum, inputs.data(), inputs.size())) state.SkipWithError("combine failed");
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  secp256k1_context_destroy(context);
}

void BM_Secp256k1TweakMul(benchmark::State& state) {
  secp256k1_context* context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  std::mt19937_64 rng(21);
  secp256k1_pubkey key = secp256k1_random_key(context, rng);
  const auto tweak = secp256k1_secret(rng);
  for (auto _ : state) {
    if (!secp256k1_ec_pubkey_tweak_mul(context, &key, tweak.data())) state.SkipWithError("tweak_mul failed");
    benchmark::DoNotOptimize(key);
  }
  state.SetItemsProcessed(state.iterations());
  secp256k1_context_destroy(context);
}

void BM_Secp256k1Create(benchmark::State& state) {
  secp256k1_context* context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  std::mt19937_64 rng(22);
  const auto secret = secp256k1_secret(rng);
  for (auto _ : state) {
    secp256k1_pubkey key;
    if (!secp256k1_ec_pubkey_create(context, &key, secret.data())) state.SkipWithError("create failed");
    benchmark::DoNotOptimize(key);
  }
  state.SetItemsProcessed(state.iterations());
  secp256k1_context_destroy(context);
}

BENCHMARK(BM_Secp256k1CombinePerKey)->Arg(1024);
BENCHMARK(BM_Secp256k1TweakMul);
BENCHMARK(BM_Secp256k1Create);
#endif

}  // namespace

BENCHMARK_MAIN();
