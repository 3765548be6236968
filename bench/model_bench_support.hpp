#pragma once
// What the model benchmarks (model_bench, accuracy_bench) report the same way: the prover's
// phases as counters in milliseconds, and the process's peak resident memory.

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <string>

#include <zkcnn/zk/model_proof.hpp>

namespace zkcnn_bench {

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
