// GKR over layered circuits of generalized gates: prover and verifier on a circuit of
// inner-product layers (each output the dot product of 4 pairs of entries of the layer two
// below, plus an entry of the layer just below, so layers read two earlier layers), 2^12 to
// 2^18 gates per layer, over BN254's scalar field with the SHA-256 transcript.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/zkcnn.hpp>

namespace {

using F = zkcnn::bn254::Fr;
using zkcnn::gkr::Circuit;

constexpr std::size_t layers = 4;

// Layer i (1-based) has 2^(n - i) outputs; output g is sum_{t<4} V_{i-2}[a] V_{i-2}[b] + V_{i-1}[g]
// with pseudo-random a, b. Returns the circuit and its number of gates.
std::pair<Circuit<F>, std::size_t> inner_product_circuit(std::size_t n) {
  zkcnn::testing::DeterministicRng rng(n);
  Circuit<F> circuit(n);
  std::size_t gates = 0;
  for (std::size_t i = 1; i <= layers; ++i) {
    const std::size_t below = circuit.layer_count() - 1, two_below = below == 0 ? 0 : below - 1;
    const std::size_t outputs = std::size_t{1} << (n - i);
    const std::size_t range = std::size_t{1} << circuit.num_vars(two_below);
    std::vector<zkcnn::gkr::AddGate<F>> adds;
    std::vector<zkcnn::gkr::MulGate<F>> muls;
    for (std::size_t g = 0; g < outputs; ++g) {
      adds.push_back({g, 0, g, F::one()});
      for (int t = 0; t < 4; ++t) muls.push_back({g, 1, rng() % range, 1, rng() % range, F::from_u64(rng() % 256)});
    }
    gates += adds.size() + muls.size();
    circuit.add_layer({below, two_below}, n - i, std::move(adds), std::move(muls));
  }
  return {std::move(circuit), gates};
}

std::vector<F> random_input(std::size_t n) {
  zkcnn::testing::DeterministicRng rng(100 + n);
  std::vector<F> input(std::size_t{1} << n);
  for (auto& v : input) v = F::random(rng);
  return input;
}

// A range check's fraction tree (gkr/fraction_sum.hpp) over 2^n leaves, the first 5/8 of them
// lookups of 16-bit digits (numerator 1, denominator alpha - digit), the rest empty: the shape
// of an accuracy proof's auxiliary witness.
void BM_FractionSumProve(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::size_t live = (std::size_t{5} << n) / 8;
  zkcnn::testing::DeterministicRng rng(n);
  const F alpha = F::random(rng);
  std::vector<F> p(live, F::one()), q(live);
  for (auto& v : q) v = alpha - F::from_u64(rng() % 65536);
  for (auto _ : state) {
    zkcnn::Sha256Transcript transcript("gkr_bench fraction sum");
    benchmark::DoNotOptimize(zkcnn::gkr::prove_fraction_sum(p, q, n, transcript));
  }
  state.counters["leaves"] = static_cast<double>(live);
}

void BM_CircuitProve(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto [circuit, gates] = inner_product_circuit(n);
  const auto values = circuit.evaluate(random_input(n));
  for (auto _ : state) {
    zkcnn::Sha256Transcript transcript("bench");
    auto out = circuit.prove(std::span<const std::vector<F>>(values), transcript);
    benchmark::DoNotOptimize(out.input_claims.data());
  }
  state.counters["gates"] = static_cast<double>(gates);
}

void BM_CircuitVerify(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto [circuit, gates] = inner_product_circuit(n);
  const auto values = circuit.evaluate(random_input(n));
  zkcnn::Sha256Transcript prover_transcript("bench");
  const auto proven = circuit.prove(std::span<const std::vector<F>>(values), prover_transcript);
  for (auto _ : state) {
    zkcnn::Sha256Transcript transcript("bench");
    auto status = circuit.verify(std::span<const F>(values.front()), std::span<const F>(values.back()), proven.proof, transcript);
    benchmark::DoNotOptimize(status);
  }
  state.counters["gates"] = static_cast<double>(gates);
  state.counters["proof_bytes"] = static_cast<double>(circuit.serialize(proven.proof).size());
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int n = 13; n <= 19; n += 2) b->Arg(n);
  b->ArgName("log_input")->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_CircuitProve)->Apply(sizes);
BENCHMARK(BM_CircuitVerify)->Apply(sizes);
BENCHMARK(BM_FractionSumProve)->DenseRange(18, 22, 2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
