// Whole-model proofs (zk/model_proof.hpp) for the paper's networks from nn::zoo: LeNet-5 on a
// 1x32x32 input and VGG-11 / VGG-16 on a 3x32x32 input, random 8-bit weights with calibrated
// rescales, one prediction (batch 1), a SHA-256 transcript, all the library's threads, in two
// configurations: Hyrax over BN254 G1 (the names below) and the transparent hash-based scheme
// over Goldilocks with Goldilocks^2 challenges (the same names ending in /goldilocks_hash).
// Per model:
//   BM_ModelCommit/<model>         commit_model: the weights' table and its Hyrax commitment;
//   BM_ModelProve/<model>/<mode>   prove_model, with the prover's time by kind of work
//                                  (zkcnn::ProverPhase) as counters in milliseconds, <phase>_ms;
//   BM_ModelVerify/<model>/<mode>  verify_model, the complete verifier (statement, every layer,
//                                  the openings of the committed polynomials).
// <mode> is zk (zero knowledge, the default of the library) or plain (zero knowledge off): the
// pair measures zero knowledge's overhead.
// Counters: commitment_bytes (ModelCommitment::serialize), proof_bytes (ModelProof::bytes),
// weights_vars / aux_vars (variables of the two committed polynomials), parameters, threads
// (detail::default_thread_count) and peak_rss (the process's peak resident set, getrusage).
//
// Times are wall-clock (UseRealTime): the prover runs on several threads. Setup (the random
// model and its calibration, and the commitment and proof a later benchmark needs) is outside
// the timed loops and cached for one model at a time, so the models run from the smallest to
// the largest and each one's peak_rss is, in practice, its own. To measure one model alone:
//   model_bench --benchmark_filter=vgg16

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <zkcnn/detail/parallel.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/precompiled.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/zk/model_proof.hpp>

#include "model_bench_support.hpp"

namespace {

using Samples = std::vector<std::vector<std::int64_t>>;
template <class Pcs>
using Committed = std::pair<zkcnn::zk::ModelCommitment<Pcs>, zkcnn::zk::ModelProverState<Pcs>>;

using zkcnn_bench::Bn254Hyrax;
using zkcnn_bench::GoldilocksHash;

struct ModelCase {
  const char* name;
  zkcnn::nn::Architecture (*architecture)();
  // Iterations per benchmark: the big models are timed once (a VGG-16 proof takes tens of seconds).
  int commit_iterations;
  int prove_iterations;
  int verify_iterations;
};

const ModelCase cases[] = {
    {"lenet5", &zkcnn::nn::zoo::lenet5, 5, 3, 10},
    {"vgg11", &zkcnn::nn::zoo::vgg11, 1, 1, 3},
    {"vgg16", &zkcnn::nn::zoo::vgg16, 1, 1, 3},
    {"resnet20", &zkcnn::nn::zoo::resnet20, 3, 3, 10},
    {"resnet18", &zkcnn::nn::zoo::resnet18, 1, 1, 3},
};

struct SetupBase {
  std::string name;
  virtual ~SetupBase() = default;
};

/// Everything one model's benchmarks share in one configuration, made on first use.
template <class Config>
struct Setup : SetupBase {
  using Pcs = typename Config::Pcs;
  static const Pcs& pcs() { return Config::pcs(); }

  zkcnn::nn::QuantizedModel model;
  Samples inputs;
  // Benchmarks only: a seeded generator makes runs repeatable. Real commitments and proofs
  // draw their blinding factors from zkcnn::OsRng.
  zkcnn::testing::DeterministicRng rng{2022};
  std::optional<Committed<Pcs>> committed;
  std::optional<zkcnn::zk::ProvenBatch<Pcs>> proven[2];  // plain, zero-knowledge

  explicit Setup(const ModelCase& c) {
    name = std::string(c.name) + Config::suffix;
    const auto architecture = c.architecture();
    // Weights from seed 1, calibrated on one random input; the proven input is another one.
    auto random = zkcnn::nn::zoo::random_model(architecture, 1, zkcnn::nn::zoo::random_input(architecture, 2));
    if (!random) throw std::runtime_error(random.error().message);
    model = std::move(*random);
    inputs.push_back(zkcnn::nn::zoo::random_input(architecture, 3));
  }

  std::span<const std::vector<std::int64_t>> batch() const { return inputs; }

  const Committed<Pcs>& commitment() {
    if (!committed) committed = zkcnn::zk::commit_model(pcs(), model, rng).value();
    return *committed;
  }

  zkcnn::zk::ProvenBatch<Pcs> prove(bool zero_knowledge) {
    const auto& [commitment, state] = this->commitment();
    auto result = zkcnn::zk::prove_model(pcs(), model, state, commitment, batch(), rng, {zero_knowledge});
    if (!result) throw std::runtime_error(result.error().message);
    return std::move(*result);
  }

  const zkcnn::zk::ProvenBatch<Pcs>& proof(bool zero_knowledge) {
    auto& cached = proven[zero_knowledge ? 1 : 0];
    if (!cached) cached = prove(zero_knowledge);
    return *cached;
  }
};

/// The one cached model: switching to another (or to another configuration) frees the previous
/// one's tables first.
template <class Config>
Setup<Config>& setup(const ModelCase& c) {
  static std::unique_ptr<SetupBase> current;
  const std::string name = std::string(c.name) + Config::suffix;
  if (!current || current->name != name) {
    current.reset();
    current = std::make_unique<Setup<Config>>(c);
  }
  return static_cast<Setup<Config>&>(*current);
}

template <class Config>
void common_counters(benchmark::State& state, const Setup<Config>& s) {
  const auto circuit =
      zkcnn::zk::ModelCircuit<typename Config::Pcs::Challenge>::compile(s.model.architecture, 1).value();
  state.counters["weights_vars"] = static_cast<double>(circuit.weights_layout().num_vars());
  state.counters["aux_vars"] = static_cast<double>(circuit.aux_layout().num_vars());
  state.counters["parameters"] = static_cast<double>(zkcnn_bench::parameter_count(s.model));
  state.counters["threads"] = static_cast<double>(zkcnn::detail::default_thread_count());
  state.counters["peak_rss"] = zkcnn_bench::peak_rss();
}

template <class Config>
void BM_ModelCommit(benchmark::State& state, const ModelCase* c) {
  auto& s = setup<Config>(*c);
  const auto& pcs = Config::pcs;
  (void)pcs();  // the key's generators are public parameters, made once outside the timing
  std::size_t commitment_bytes = 0;
  for (auto _ : state) {
    auto committed = zkcnn::zk::commit_model(pcs(), s.model, s.rng).value();
    commitment_bytes = committed.first.serialize().size();
    benchmark::DoNotOptimize(committed);
    state.PauseTiming();  // freeing a gigabyte of weights is not committing
    if (!s.committed) s.committed = std::move(committed);
    committed = {};
    state.ResumeTiming();
  }
  state.counters["commitment_bytes"] = static_cast<double>(commitment_bytes);
  common_counters(state, s);
}

template <class Config>
void BM_ModelProve(benchmark::State& state, const ModelCase* c, bool zero_knowledge) {
  auto& s = setup<Config>(*c);
  (void)s.commitment();
  zkcnn::zk::ProverProfile total;
  std::size_t proof_bytes = 0;
  for (auto _ : state) {
    auto proven = s.prove(zero_knowledge);
    state.PauseTiming();
    total += proven.profile;
    proof_bytes = proven.proof.bytes.size();
    auto& cached = s.proven[zero_knowledge ? 1 : 0];
    if (!cached) cached = std::move(proven);
    state.ResumeTiming();
  }
  zkcnn_bench::profile_counters(state, total);
  state.counters["proof_bytes"] = static_cast<double>(proof_bytes);
  common_counters(state, s);
}

template <class Config>
void BM_ModelVerify(benchmark::State& state, const ModelCase* c, bool zero_knowledge) {
  auto& s = setup<Config>(*c);
  const auto& pcs = Config::pcs;
  const auto& commitment = s.commitment().first;
  const auto& proven = s.proof(zero_knowledge);
  const Samples& outputs = proven.outputs;
  for (auto _ : state) {
    auto status = zkcnn::zk::verify_model(pcs(), s.model.architecture, commitment, s.batch(),
                                          std::span<const std::vector<std::int64_t>>(outputs), proven.proof);
    if (!status) {
      state.SkipWithError(("verification failed: " + status.error().message).c_str());
      break;
    }
  }
  state.counters["proof_bytes"] = static_cast<double>(proven.proof.bytes.size());
  state.counters["commitment_bytes"] = static_cast<double>(commitment.serialize().size());
  common_counters(state, s);
}

template <class Config>
void register_model(const ModelCase& c) {
  const std::string name = c.name;
  const std::string suffix = Config::suffix;
  benchmark::RegisterBenchmark(("BM_ModelCommit/" + name + suffix).c_str(), BM_ModelCommit<Config>, &c)
      ->Iterations(c.commit_iterations)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  for (const bool zero_knowledge : {true, false}) {
    const std::string mode = zero_knowledge ? "/zk" : "/plain";
    benchmark::RegisterBenchmark(("BM_ModelProve/" + name + mode + suffix).c_str(), BM_ModelProve<Config>, &c,
                                 zero_knowledge)
        ->Iterations(c.prove_iterations)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("BM_ModelVerify/" + name + mode + suffix).c_str(), BM_ModelVerify<Config>, &c,
                                 zero_knowledge)
        ->Iterations(c.verify_iterations)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
}

[[maybe_unused]] const bool registered = [] {
  for (const ModelCase& c : cases) {
    register_model<Bn254Hyrax>(c);
    register_model<GoldilocksHash>(c);
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
