#pragma once
// What the model benchmarks (model_bench, accuracy_bench, paper_table) share: the commitment
// key's size, error handling, the parameter count, the prover's phases as counters in
// milliseconds, and the process's peak resident memory.

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/pcs/ligero.hpp>
#include <zkcnn/precompiled.hpp>
#include <zkcnn/process/memory.hpp>
#include <zkcnn/zk/model_proof.hpp>

namespace zkcnn_bench {

/// Rows of up to 2^13 entries: VGG-16's 2^25 weights are committed as 2^13 rows of 2^12
/// (commit_model), its auxiliary witness shares their columns, and smaller polynomials use a
/// prefix of the key.
inline constexpr std::size_t key_column_vars = 13;

/// Hyrax over BN254 G1, the scheme every model benchmark commits with.
using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;

/// The benchmarks' key. Its generators are public parameters, made once outside the timings.
inline const Pcs& pcs() {
  static const Pcs scheme("zkcnn model benchmarks", key_column_vars);
  return scheme;
}

/// The transparent configuration: Goldilocks tables, Goldilocks^2 proofs, the hash-based scheme
/// with its default parameters (100 bits, rate 1/4, model commitments for 16 proofs).
using HashPcs = zkcnn::pcs::Ligero<zkcnn::Goldilocks, zkcnn::GoldilocksExt2>;

inline const HashPcs& hash_pcs() {
  static const HashPcs scheme{zkcnn::pcs::LigeroParameters{}};
  return scheme;
}

/// The configurations the model benchmarks run in: a scheme, a name, and the suffix of the
/// benchmarks' names (none for the default configuration, whose names predate the others).
struct Bn254Hyrax {
  using Pcs = zkcnn_bench::Pcs;
  static const Pcs& pcs() { return zkcnn_bench::pcs(); }
  static constexpr const char* name = "bn254_hyrax";
  static constexpr const char* suffix = "";
};
struct GoldilocksHash {
  using Pcs = HashPcs;
  static const Pcs& pcs() { return hash_pcs(); }
  static constexpr const char* name = "goldilocks_hash";
  static constexpr const char* suffix = "/goldilocks_hash";
};

/// Runs the registered benchmarks with the command line's flags, after making the key (outside
/// every timing). Returns main's exit status.
inline int run_benchmarks(int argc, char** argv) {
  // As the command-line tools do: freed tables are reused rather than mapped afresh.
  benchmark::AddCustomContext("allocator", zkcnn::reuse_freed_memory() ? "reuses freed memory" : "system default");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  (void)pcs();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

/// The value, or a std::runtime_error with the error's message (setup failures end the run).
template <class T>
T value_or_throw(zkcnn::Result<T> result) {
  if (!result) throw std::runtime_error(result.error().message);
  return std::move(*result);
}

/// The model's weights and biases.
inline std::size_t parameter_count(const zkcnn::nn::QuantizedModel& model) {
  std::size_t n = 0;
  for (const auto& w : model.weights) n += w.kernel.size() + w.bias.size();
  return n;
}

/// Each phase of `total` (summed over the iterations) as its average in milliseconds,
/// "<phase>_ms".
inline void profile_counters(benchmark::State& state, const zkcnn::ProverProfile& total) {
  for (const zkcnn::ProverPhase phase : zkcnn::all_prover_phases()) {
    state.counters[std::string(zkcnn::phase_name(phase)) + "_ms"] =
        benchmark::Counter(total[phase] * 1e3, benchmark::Counter::kAvgIterations);
  }
}

/// The process's peak resident set so far, in bytes, as a counter in binary units.
inline benchmark::Counter peak_rss() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return benchmark::Counter(static_cast<double>(usage.ru_maxrss) * 1024.0,  // Linux reports KiB
                            benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
}

}  // namespace zkcnn_bench
