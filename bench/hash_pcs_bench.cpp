// The hash-based commitment (pcs/ligero.hpp) over Goldilocks with challenges in its quadratic
// extension, and what it is made of:
// - SHA-256 throughput on 8 KiB messages (the SHA extensions where the CPU has them; run with
//   ZKCNN_PORTABLE_SHA256=1 for the portable rounds);
// - a Merkle tree over 2^16 leaves;
// - Ligero commit, open (one claim, zero knowledge) and verify at 2^16, 2^20 and 2^24 entries,
//   with the default shape for one opening. Proof sizes are the counter proof_bytes.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <tuple>
#include <vector>

#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/pcs/ligero.hpp>
#include <zkcnn/pcs/merkle.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>

namespace {

using F = zkcnn::Goldilocks;
using EF = zkcnn::GoldilocksExt2;
using Scheme = zkcnn::pcs::Ligero<F, EF>;

void BM_Sha256(benchmark::State& state) {
  std::vector<std::uint8_t> message(8192, 0x5a);
  for (auto _ : state) {
    message[0] += 1;
    benchmark::DoNotOptimize(zkcnn::Sha256::hash(message));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * message.size()));
}

void BM_MerkleTree(benchmark::State& state) {
  const std::size_t leaves = std::size_t{1} << state.range(0);
  std::vector<zkcnn::merkle::Digest> digests(leaves);
  for (std::size_t i = 0; i < leaves; ++i) digests[i][i % 32] = static_cast<std::uint8_t>(i);
  for (auto _ : state) {
    const zkcnn::merkle::Tree tree(digests);
    benchmark::DoNotOptimize(tree.root());
  }
}

struct Instance {
  std::vector<F> table;
  std::vector<EF> point;
  EF value;
};

Instance make_instance(std::size_t num_vars) {
  zkcnn::testing::DeterministicRng rng(num_vars);
  Instance instance;
  instance.table.resize(std::size_t{1} << num_vars);
  for (auto& v : instance.table) v = F::random(rng);
  instance.point.resize(num_vars);
  for (auto& v : instance.point) v = EF::random(rng);
  const auto weights = zkcnn::eq_table(std::span<const EF>(instance.point));
  instance.value = EF::zero();
  for (std::size_t j = 0; j < instance.table.size(); ++j) instance.value += weights[j] * instance.table[j];
  return instance;
}

void BM_LigeroCommit(benchmark::State& state) {
  const auto num_vars = static_cast<std::size_t>(state.range(0));
  const Instance instance = make_instance(num_vars);
  const Scheme scheme;
  zkcnn::testing::DeterministicRng rng(1);
  for (auto _ : state) {
    auto committed = scheme.commit(std::span<const F>(instance.table), num_vars, rng);
    benchmark::DoNotOptimize(committed.first.root);
  }
}

/// A committed instance and a proof of its claim.
struct Opened {
  Instance instance;
  Scheme::Commitment commitment;
  Scheme::Opening opening;
  Scheme::EvaluationProof proof;
};

Scheme::EvaluationProof prove_claim(const Scheme& scheme, const Opened& opened, zkcnn::testing::DeterministicRng& rng) {
  zkcnn::Sha256Transcript transcript("zkcnn hash pcs bench");
  return scheme.prove(std::span<const F>(opened.instance.table), opened.opening, opened.commitment,
                      std::span<const EF>(opened.instance.point), opened.instance.value, transcript, rng);
}

Opened open_instance(const Scheme& scheme, std::size_t num_vars, zkcnn::testing::DeterministicRng& rng) {
  Opened opened{make_instance(num_vars), {}, {}, {}};
  std::tie(opened.commitment, opened.opening) = scheme.commit(std::span<const F>(opened.instance.table), num_vars, rng);
  opened.proof = prove_claim(scheme, opened, rng);
  return opened;
}

void BM_LigeroOpen(benchmark::State& state) {
  const Scheme scheme;
  zkcnn::testing::DeterministicRng rng(2);
  Opened opened = open_instance(scheme, static_cast<std::size_t>(state.range(0)), rng);
  for (auto _ : state) opened.proof = prove_claim(scheme, opened, rng);
  state.counters["proof_bytes"] = static_cast<double>(Scheme::encode_proof(opened.proof).size());
  state.counters["column_vars"] = static_cast<double>(opened.commitment.column_vars);
}

void BM_LigeroVerify(benchmark::State& state) {
  const Scheme scheme;
  zkcnn::testing::DeterministicRng rng(3);
  const Opened opened = open_instance(scheme, static_cast<std::size_t>(state.range(0)), rng);
  for (auto _ : state) {
    zkcnn::Sha256Transcript transcript("zkcnn hash pcs bench");
    if (!scheme.verify(opened.commitment, std::span<const EF>(opened.instance.point), opened.instance.value, opened.proof,
                       transcript)) {
      state.SkipWithError("the proof does not verify");
    }
  }
}

}  // namespace

BENCHMARK(BM_Sha256);
BENCHMARK(BM_MerkleTree)->ArgName("log_leaves")->Arg(16)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LigeroCommit)->ArgName("log_n")->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LigeroCommit)->ArgName("log_n")->Arg(24)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LigeroOpen)->ArgName("log_n")->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LigeroOpen)->ArgName("log_n")->Arg(24)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LigeroVerify)->ArgName("log_n")->Arg(16)->Arg(20)->Arg(24)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
