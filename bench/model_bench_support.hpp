#pragma once
// What the model benchmarks (model_bench, accuracy_bench) report the same way: the prover's
// phases as counters in milliseconds, and the process's peak resident memory.

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <zkcnn/zk/model_proof.hpp>

namespace zkcnn_bench {

/// Each phase of `total` (summed over the iterations) as its average in milliseconds.
inline void profile_counters(benchmark::State& state, const zkcnn::zk::ProverProfile& total) {
  auto ms = [](double seconds) { return benchmark::Counter(seconds * 1e3, benchmark::Counter::kAvgIterations); };
  state.counters["witness_ms"] = ms(total.witness);
  state.counters["aux_commitment_ms"] = ms(total.aux_commitment);
  state.counters["layers_ms"] = ms(total.layers);
  state.counters["weights_opening_ms"] = ms(total.weights_opening);
  state.counters["aux_opening_ms"] = ms(total.aux_opening);
}

/// The process's peak resident set so far, in bytes, as a counter in binary units.
inline benchmark::Counter peak_rss() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return benchmark::Counter(static_cast<double>(usage.ru_maxrss) * 1024.0,  // Linux reports KiB
                            benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
}

}  // namespace zkcnn_bench
