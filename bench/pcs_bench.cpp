// Commitment costs (docs/protocol.md section 7) on BN254 G1:
// - multi-scalar multiplication at 2^10 .. 2^20 points with random (full-width), 8-bit and
//   1-bit scalars on one thread, and random scalars at 2^18 on two threads;
// - Hyrax commit, open (prove, public value) and verify at 2^16 and 2^20 evaluations with the
//   balanced shape, and commit at 2^24 (one iteration: about half a gigabyte of evaluations).
// Proof sizes are reported as the counter proof_bytes.
//
// MSM inputs are successive multiples P, 2P, 3P, ... of one hashed point, normalized with one
// shared inversion: cheap to make, and as good as independent points for the bucket method.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <vector>

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/ec/msm.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>

namespace {

using G = zkcnn::bn254::G1;
using F = zkcnn::bn254::Fr;

constexpr std::size_t max_msm_log = 20;

/// (i + 1) P for i < 2^20, affine, made once.
const std::vector<G>& msm_points() {
  static const std::vector<G> points = [] {
    const std::size_t n = std::size_t{1} << max_msm_log;
    std::vector<G> out(n);
    const G base = G::hash_to_group("zkcnn pcs bench", 0);
    G p = base;
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = p;
      p = p + base;
    }
    G::batch_normalize(out);
    return out;
  }();
  return points;
}

enum class ScalarKind : int { random = 0, bits8 = 1, bits1 = 2 };

std::vector<F> make_scalars(std::size_t n, ScalarKind kind, zkcnn::testing::DeterministicRng& rng) {
  std::vector<F> out(n);
  for (auto& s : out) {
    switch (kind) {
      case ScalarKind::random: s = F::random(rng); break;
      case ScalarKind::bits8: s = F::from_u64(rng() & 0xff); break;
      case ScalarKind::bits1: s = F::from_u64(rng() & 1); break;
    }
  }
  return out;
}

// Arguments: log2 of the number of points, threads.
void BM_Msm(benchmark::State& state, ScalarKind kind) {
  const std::size_t n = std::size_t{1} << state.range(0);
  const auto threads = static_cast<std::size_t>(state.range(1));
  zkcnn::testing::DeterministicRng rng(static_cast<std::uint64_t>(state.range(0) * 16 + static_cast<int>(kind)));
  const auto scalars = make_scalars(n, kind, rng);
  const auto points = std::span<const G>(msm_points()).first(n);
  for (auto _ : state) {
    G result = zkcnn::msm<G>(points, std::span<const F>(scalars), threads);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

void msm_sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"log_n", "threads"});
  for (int log_n = 4; log_n <= static_cast<int>(max_msm_log); log_n += 2) b->Args({log_n, 1});
}

// ---------------------------------------------------------------------------------------------
// Hyrax.

constexpr std::size_t hyrax_max_column_vars = 12;  // the balanced shape of 2^24

const zkcnn::Hyrax<G>& hyrax_key() {
  static const zkcnn::Hyrax<G> key("zkcnn pcs bench", hyrax_max_column_vars);
  return key;
}

/// A random polynomial, its commitment, a point, the value and a proof, made once per size.
struct HyraxFixture {
  std::size_t num_vars = 0;
  std::vector<F> evaluations;
  zkcnn::HyraxCommitment<G> commitment;
  zkcnn::HyraxOpening<G> opening;
  std::vector<F> point;
  F value;
  zkcnn::HyraxEvaluationProof<G> proof;
};

zkcnn::Sha256Transcript bench_transcript(const zkcnn::HyraxCommitment<G>& commitment) {
  zkcnn::Sha256Transcript transcript("zkcnn pcs bench");
  zkcnn::Hyrax<G>::absorb_commitment(transcript, commitment);
  return transcript;
}

std::vector<F> random_evaluations(std::size_t n, zkcnn::testing::DeterministicRng& rng) {
  std::vector<F> out(n);
  for (auto& e : out) e = F::random(rng);
  return out;
}

const HyraxFixture& hyrax_fixture(std::size_t num_vars) {
  static std::vector<std::unique_ptr<HyraxFixture>> cache;
  for (const auto& f : cache) {
    if (f->num_vars == num_vars) return *f;
  }
  auto f = std::make_unique<HyraxFixture>();
  zkcnn::testing::DeterministicRng rng(num_vars);
  f->num_vars = num_vars;
  f->evaluations = random_evaluations(std::size_t{1} << num_vars, rng);
  auto [commitment, opening] = hyrax_key().commit(std::span<const F>(f->evaluations), num_vars, rng);
  f->commitment = std::move(commitment);
  f->opening = std::move(opening);
  for (std::size_t k = 0; k < num_vars; ++k) f->point.push_back(F::random(rng));
  f->value = zkcnn::evaluate_multilinear<F>(f->evaluations, f->point);
  auto transcript = bench_transcript(f->commitment);
  f->proof = hyrax_key().prove(std::span<const F>(f->evaluations), f->opening, f->commitment,
                               std::span<const F>(f->point), f->value, transcript, rng);
  cache.push_back(std::move(f));
  return *cache.back();
}

void BM_HyraxCommit(benchmark::State& state) {
  const auto num_vars = static_cast<std::size_t>(state.range(0));
  zkcnn::testing::DeterministicRng rng(num_vars + 100);
  const auto& key = hyrax_key();
  // At 2^24 the evaluations alone are 512 MiB: make them here, not in a cached fixture.
  const auto evaluations = random_evaluations(std::size_t{1} << num_vars, rng);
  std::size_t commitment_bytes = 0;
  for (auto _ : state) {
    auto [commitment, opening] = key.commit(std::span<const F>(evaluations), num_vars, rng);
    commitment_bytes = zkcnn::serialize(commitment).size();
    benchmark::DoNotOptimize(commitment.rows.data());
  }
  state.counters["commitment_bytes"] = static_cast<double>(commitment_bytes);
  state.SetItemsProcessed(state.iterations() * (std::int64_t{1} << num_vars));
}

void BM_HyraxOpen(benchmark::State& state) {
  const auto& f = hyrax_fixture(static_cast<std::size_t>(state.range(0)));
  zkcnn::testing::DeterministicRng rng(7);
  std::size_t proof_bytes = 0;
  for (auto _ : state) {
    auto transcript = bench_transcript(f.commitment);
    auto proof = hyrax_key().prove(std::span<const F>(f.evaluations), f.opening, f.commitment,
                                   std::span<const F>(f.point), f.value, transcript, rng);
    proof_bytes = zkcnn::serialize(proof).size();
    benchmark::DoNotOptimize(proof.inner_product.left.data());
  }
  state.counters["proof_bytes"] = static_cast<double>(proof_bytes);
}

void BM_HyraxVerify(benchmark::State& state) {
  const auto& f = hyrax_fixture(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto transcript = bench_transcript(f.commitment);
    auto status = hyrax_key().verify(f.commitment, std::span<const F>(f.point), f.value, f.proof, transcript);
    if (!status) state.SkipWithError("hyrax: the proof does not verify");
    benchmark::DoNotOptimize(status);
  }
  state.counters["proof_bytes"] = static_cast<double>(zkcnn::serialize(f.proof).size());
}

BENCHMARK_CAPTURE(BM_Msm, random, ScalarKind::random)->Apply(msm_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Msm, bits8, ScalarKind::bits8)->Apply(msm_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Msm, bits1, ScalarKind::bits1)->Apply(msm_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Msm, random, ScalarKind::random)
    ->ArgNames({"log_n", "threads"})
    ->Args({18, 2})
    ->Args({20, 2})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HyraxCommit)->ArgName("log_n")->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HyraxCommit)->ArgName("log_n")->Arg(24)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HyraxOpen)->ArgName("log_n")->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HyraxVerify)->ArgName("log_n")->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
