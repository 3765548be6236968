// The zkCNN paper's evaluation table (Liu, Xie, Zhang, CCS 2021, section 7) measured on this
// machine: prediction proofs for LeNet-5 (1x32x32 input), VGG-11 and VGG-16 (3x32x32 inputs),
// and an accuracy proof of VGG-16 on 20 labelled samples, and beyond the paper prediction
// proofs of the residual networks ResNet-20 and ResNet-18, with zero knowledge on and a SHA-256
// transcript, in two configurations: Hyrax over BN254 G1 (the paper's setting) and the
// transparent hash-based scheme over Goldilocks with Goldilocks^2 challenges; each on 1 thread
// and on 2 threads. Models have random calibrated 8-bit weights (nn::zoo), inputs are random,
// and the accuracy samples' labels are random.
//
// One benchmark per row, table/<model>/<configuration>/threads:<t> (configuration bn254_hyrax or
// goldilocks_hash); each iteration commits to the model, proves
// and verifies (the complete verifier: statement, every layer, every opening). The reported
// time is the prover's (manual time); the counters hold the table's columns:
//   commit_s, prove_s, verify_s   wall-clock seconds, averaged over the iterations;
//   proof_bytes, commitment_bytes;
//   peak_memory                   the process's peak resident set during the row (commitment,
//                                 proof and verification, with the model loaded), in bytes;
//   threads, parameters, weights_vars (the committed weight table's variables), samples;
//   <phase>_ms                    the prover's time by kind of work (zkcnn::ProverPhase).
// The JSON output (--benchmark_out=<file> --benchmark_out_format=json) feeds
// scripts/bench_plots.py, which renders docs/benchmarks.md's plots; scripts/paper-table runs
// both.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory>
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
#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/model_proof.hpp>

#include "model_bench_support.hpp"

namespace {

using Samples = std::vector<std::vector<std::int64_t>>;
using zkcnn_bench::value_or_throw;

struct Row {
  const char* name;
  zkcnn::nn::Architecture (*architecture)();
  std::size_t samples;  // 0: a prediction proof of one sample; else an accuracy proof of this many
  int iterations;
};

const Row rows[] = {
    {"lenet5", &zkcnn::nn::zoo::lenet5, 0, 10},
    {"vgg11", &zkcnn::nn::zoo::vgg11, 0, 1},
    {"vgg16", &zkcnn::nn::zoo::vgg16, 0, 1},
    {"vgg16_accuracy20", &zkcnn::nn::zoo::vgg16, 20, 1},
    {"resnet20", &zkcnn::nn::zoo::resnet20, 0, 3},
    {"resnet18", &zkcnn::nn::zoo::resnet18, 0, 1},
};

/// A row's model and samples, made once for its thread counts.
struct Workload {
  std::string name;
  zkcnn::nn::QuantizedModel model;
  Samples samples;
  std::vector<std::size_t> labels;  // accuracy rows only

  explicit Workload(const Row& row) : name(row.name) {
    const auto architecture = row.architecture();
    // Weights from seed 1, calibrated on one random input; the proven samples are others.
    model = value_or_throw(zkcnn::nn::zoo::random_model(architecture, 1, zkcnn::nn::zoo::random_input(architecture, 2)));
    const std::size_t classes = architecture.shapes().value().back().element_count();
    zkcnn::testing::DeterministicRng labels_rng(3);
    for (std::size_t i = 0; i < std::max<std::size_t>(row.samples, 1); ++i) {
      samples.push_back(zkcnn::nn::zoo::random_input(architecture, 100 + i));
      if (row.samples > 0) labels.push_back(labels_rng() % classes);
    }
  }
};

Workload& workload(const Row& row) {
  static std::unique_ptr<Workload> current;
  if (!current || current->name != row.name) {
    current.reset();  // frees the previous model first
    current = std::make_unique<Workload>(row);
  }
  return *current;
}

/// Starts a new peak-memory interval: Linux resets the peak resident set (VmHWM) to the current
/// one when "5" is written to /proc/self/clear_refs.
bool reset_peak_memory() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  return static_cast<bool>(clear_refs << "5" << std::flush);
}

/// The peak resident set since the last reset, in bytes (VmHWM in /proc/self/status).
double peak_memory() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      double kib = 0;
      status >> kib;
      return kib * 1024.0;
    }
    status.ignore(1 << 20, '\n');
  }
  return 0;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

template <class Config>
void BM_Table(benchmark::State& state, const Row* row) {
  const auto& pcs = Config::pcs;
  Workload& w = workload(*row);
  const auto threads = static_cast<std::size_t>(state.range(0));
  zkcnn::set_thread_count(threads);
  if (!reset_peak_memory()) {
    state.SkipWithError("cannot reset the peak memory (/proc/self/clear_refs)");
    return;
  }
  const std::span<const std::vector<std::int64_t>> samples(w.samples);
  // Benchmarks only: a seeded generator makes runs repeatable. Real commitments and proofs
  // draw their blinding factors from zkcnn::OsRng.
  zkcnn::testing::DeterministicRng rng{2022};
  double commit_s = 0, prove_s = 0, verify_s = 0;
  std::size_t proof_bytes = 0, commitment_bytes = 0;
  zkcnn::ProverProfile profile;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    const auto [commitment, prover_state] = value_or_throw(zkcnn::zk::commit_model(pcs(), w.model, rng));
    commit_s += seconds_since(start);

    start = std::chrono::steady_clock::now();
    zkcnn::zk::ModelProof proof;
    std::vector<std::int64_t> output;
    std::size_t correct = 0;
    if (row->samples == 0) {
      auto proven = value_or_throw(zkcnn::zk::prove_model(pcs(), w.model, prover_state, commitment, samples, rng));
      proof = std::move(proven.proof);
      output = std::move(proven.outputs.front());
      profile += proven.profile;
    } else {
      auto proven = value_or_throw(zkcnn::zk::prove_accuracy(pcs(), w.model, prover_state, commitment, samples,
                                                             std::span<const std::size_t>(w.labels), rng));
      proof = std::move(proven.proof);
      correct = proven.correct;
      profile += proven.profile;
    }
    const double proving = seconds_since(start);
    prove_s += proving;
    state.SetIterationTime(proving);

    start = std::chrono::steady_clock::now();
    const zkcnn::Status verdict =
        row->samples == 0
            ? zkcnn::zk::verify_model(pcs(), w.model.architecture, commitment, samples,
                                      std::span<const std::vector<std::int64_t>>(&output, 1), proof)
            : zkcnn::zk::verify_accuracy(pcs(), w.model.architecture, commitment, samples,
                                         std::span<const std::size_t>(w.labels), correct, proof);
    verify_s += seconds_since(start);
    if (!verdict) {
      state.SkipWithError(("verification failed: " + verdict.error().message).c_str());
      break;
    }
    proof_bytes = proof.bytes.size();
    commitment_bytes = commitment.serialize().size();
  }
  zkcnn::set_thread_count(0);
  auto average = [](double total) { return benchmark::Counter(total, benchmark::Counter::kAvgIterations); };
  state.counters["commit_s"] = average(commit_s);
  state.counters["prove_s"] = average(prove_s);
  state.counters["verify_s"] = average(verify_s);
  state.counters["proof_bytes"] = static_cast<double>(proof_bytes);
  state.counters["commitment_bytes"] = static_cast<double>(commitment_bytes);
  state.counters["peak_memory"] =
      benchmark::Counter(peak_memory(), benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
  state.counters["threads"] = static_cast<double>(threads);
  state.counters["parameters"] = static_cast<double>(zkcnn_bench::parameter_count(w.model));
  state.counters["samples"] = static_cast<double>(w.samples.size());
  const auto circuit =
      zkcnn::zk::ModelCircuit<typename Config::Pcs::Challenge>::compile(w.model.architecture, 1).value();
  state.counters["weights_vars"] = static_cast<double>(circuit.weights_layout().num_vars());
  zkcnn_bench::profile_counters(state, profile);
}

template <class Config>
void register_row(const Row& row) {
  for (const std::int64_t threads : {1, 2}) {
    benchmark::RegisterBenchmark((std::string("table/") + row.name + "/" + Config::name).c_str(), BM_Table<Config>, &row)
        ->ArgName("threads")
        ->Arg(threads)
        ->Iterations(row.iterations)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (const Row& row : rows) {
    register_row<zkcnn_bench::Bn254Hyrax>(row);
    register_row<zkcnn_bench::GoldilocksHash>(row);
  }
  return zkcnn_bench::run_benchmarks(argc, argv);
}
