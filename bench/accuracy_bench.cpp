// Accuracy proofs (zk/accuracy.hpp): "the committed model classifies k of these n labelled
// samples correctly", one proof over the whole batch. Two families, Hyrax over BN254 G1 with a
// SHA-256 transcript, all the library's threads:
//   lenet5/<n>  the shipped LeNet-5 trained on Fashion-MNIST (examples/models), quantized to
//               8 bits on 100 training images, on the first n test images of Debian's
//               dataset-fashion-mnist (n = 1, 10, 100);
//   vgg16/<n>   VGG-16 of nn::zoo with random calibrated 8-bit weights on n random 3x32x32
//               inputs with random labels (n = 1, 5, 20).
// BM_AccuracyProve reports the prover's split (ProverProfile, milliseconds), per_sample_ms,
// correct (k), proof_bytes and peak_rss; BM_AccuracyVerify the complete verifier.
// BM_ShardedAccuracyProve proves the same in shards (zk/sharded_accuracy.hpp), its arguments
// the sample count, the shard size and the shards proven at a time (each on a thread of its
// own, the proofs' loops on one thread each when there are two): lenet5 on 512 test images in
// shards of 128, vgg16 on 20 inputs in shards of 5. Times are
// wall-clock. Setup (import, quantization, commitment) is not timed. One family at a time:
//   accuracy_bench --benchmark_filter=lenet5
//   accuracy_bench --benchmark_filter=vgg16     (minutes, and several GB of memory)
// The data directory can be moved with ZKCNN_FASHION_MNIST (default
// /usr/share/datasets/fashion-mnist).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/precompiled.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/sharded_accuracy.hpp>

#include "idx.hpp"
#include "model_bench_support.hpp"
#include "onnx_import.hpp"

namespace {

using zkcnn_bench::Pcs;
using zkcnn_bench::pcs;
using Samples = std::vector<std::vector<std::int64_t>>;
using zkcnn_bench::value_or_throw;

struct Workload {
  zkcnn::nn::QuantizedModel model;
  Samples samples;
  std::vector<std::size_t> labels;
};

Workload trained_lenet5(std::size_t count) {
  const char* configured = std::getenv("ZKCNN_FASHION_MNIST");
  const std::string directory = configured ? configured : "/usr/share/datasets/fashion-mnist";
  const auto float_model = value_or_throw(zkcnn::onnx_import::load_onnx(ZKCNN_MODELS_DIR "/lenet5_fashion_mnist.onnx"));
  auto pad = [&](const zkcnn::data::LabelledImages& images) {
    return value_or_throw(zkcnn::data::pad_to_input(images, float_model.channels, float_model.height, float_model.width));
  };
  const auto train = pad(value_or_throw(zkcnn::data::load_fashion_mnist(directory, zkcnn::data::Split::train)));
  const auto test = pad(value_or_throw(zkcnn::data::load_fashion_mnist(directory, zkcnn::data::Split::test)));
  std::vector<std::vector<double>> calibration;
  for (std::size_t i = 0; i < 100; ++i) calibration.push_back(zkcnn::data::to_unit_interval(train.image(i)));
  const zkcnn::onnx_import::QuantizationOptions options;
  Workload w{value_or_throw(zkcnn::onnx_import::quantize(float_model, calibration, options)), {}, {}};
  for (std::size_t i = 0; i < count; ++i) {
    const auto input = zkcnn::data::to_unit_interval(test.image(i));
    w.samples.push_back(value_or_throw(zkcnn::onnx_import::quantize_input(input, options.input_scale_bits)));
    w.labels.push_back(test.labels[i]);
  }
  return w;
}

Workload random_vgg16(std::size_t count) {
  const auto architecture = zkcnn::nn::zoo::vgg16();
  Workload w{value_or_throw(zkcnn::nn::zoo::random_model(architecture, 1, zkcnn::nn::zoo::random_input(architecture, 2))), {}, {}};
  zkcnn::testing::DeterministicRng rng(3);
  for (std::size_t i = 0; i < count; ++i) {
    w.samples.push_back(zkcnn::nn::zoo::random_input(architecture, 100 + i));
    w.labels.push_back(rng() % 10);
  }
  return w;
}

/// One workload with its commitment and a proof for the verifier benchmark, made on first use
/// and kept while the same one is asked for (so each family's peak_rss is its own).
struct Setup {
  std::string key;
  Workload workload;
  // Benchmarks only: a seeded generator makes runs repeatable. Real commitments and proofs
  // draw their blinding factors from zkcnn::OsRng.
  zkcnn::testing::DeterministicRng rng{2022};
  std::pair<zkcnn::zk::ModelCommitment<Pcs>, zkcnn::zk::ModelProverState<Pcs>> committed;
  std::unique_ptr<zkcnn::zk::AccuracyProof<Pcs>> proven;

  Setup(std::string k, Workload w)
      : key(std::move(k)), workload(std::move(w)), committed(zkcnn::zk::commit_model(pcs(), workload.model, rng).value()) {}

  zkcnn::zk::AccuracyProof<Pcs> prove() {
    return value_or_throw(zkcnn::zk::prove_accuracy(pcs(), workload.model, committed.second, committed.first,
                                                    std::span<const std::vector<std::int64_t>>(workload.samples),
                                                    std::span<const std::size_t>(workload.labels), rng));
  }
};

Setup& setup(const std::string& family, std::size_t count) {
  static std::unique_ptr<Setup> current;
  const std::string key = family + "/" + std::to_string(count);
  if (!current || current->key != key) {
    current.reset();
    current = std::make_unique<Setup>(key, family == "lenet5" ? trained_lenet5(count) : random_vgg16(count));
  }
  return *current;
}

void BM_AccuracyProve(benchmark::State& state, const char* family) {
  const auto count = static_cast<std::size_t>(state.range(0));
  Setup& s = setup(family, count);
  zkcnn::zk::ProverProfile total;
  std::size_t proof_bytes = 0, correct = 0;
  for (auto _ : state) {
    auto proven = s.prove();
    state.PauseTiming();
    total += proven.profile;
    proof_bytes = proven.proof.bytes.size();
    correct = proven.correct;
    if (!s.proven) s.proven = std::make_unique<zkcnn::zk::AccuracyProof<Pcs>>(std::move(proven));
    state.ResumeTiming();
  }
  zkcnn_bench::profile_counters(state, total);
  state.counters["per_sample_ms"] =
      benchmark::Counter(total.total() * 1e3 / static_cast<double>(count), benchmark::Counter::kAvgIterations);
  state.counters["samples"] = static_cast<double>(count);
  state.counters["correct"] = static_cast<double>(correct);
  state.counters["proof_bytes"] = static_cast<double>(proof_bytes);
  state.counters["peak_rss"] = zkcnn_bench::peak_rss();
}

void BM_AccuracyVerify(benchmark::State& state, const char* family) {
  const auto count = static_cast<std::size_t>(state.range(0));
  Setup& s = setup(family, count);
  if (!s.proven) s.proven = std::make_unique<zkcnn::zk::AccuracyProof<Pcs>>(s.prove());
  for (auto _ : state) {
    auto status = zkcnn::zk::verify_accuracy(pcs(), s.workload.model.architecture, s.committed.first,
                                             std::span<const std::vector<std::int64_t>>(s.workload.samples),
                                             std::span<const std::size_t>(s.workload.labels), s.proven->correct,
                                             s.proven->proof);
    if (!status) state.SkipWithError(status.error().message.c_str());
  }
  state.counters["samples"] = static_cast<double>(count);
  state.counters["proof_bytes"] = static_cast<double>(s.proven->proof.bytes.size());
}

void BM_ShardedAccuracyProve(benchmark::State& state, const char* family) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const auto shard_size = static_cast<std::size_t>(state.range(1));
  const auto workers = static_cast<std::size_t>(state.range(2));
  Setup& s = setup(family, count);
  const zkcnn::zk::SampleSource source = [&s](std::size_t first, std::size_t n) -> zkcnn::Result<zkcnn::zk::LabelledBatch> {
    const auto begin = static_cast<std::ptrdiff_t>(first), end = static_cast<std::ptrdiff_t>(first + n);
    return zkcnn::zk::LabelledBatch{{s.workload.samples.begin() + begin, s.workload.samples.begin() + end},
                                    {s.workload.labels.begin() + begin, s.workload.labels.begin() + end}};
  };
  const zkcnn::zk::KeyForShard<Pcs> key_for = [](std::size_t) -> zkcnn::Result<Pcs> { return pcs(); };
  // Two shards at a time leave each proof's own loops one thread, as zkcnn accuracy-prove does.
  const std::size_t threads = zkcnn::detail::default_thread_count();
  zkcnn::set_thread_count(std::max<std::size_t>(1, threads / workers));
  std::uint64_t seed = 7;  // benchmarks only: each worker's generator another seed
  std::size_t proof_bytes = 0, correct = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto proven = zkcnn::zk::prove_accuracy_in_shards(
        key_for, s.workload.model, s.committed.second, s.committed.first, source, count, shard_size,
        [&seed] { return zkcnn::testing::DeterministicRng(seed++); }, workers);
    if (!proven) {
      state.SkipWithError(proven.error().message.c_str());
      break;
    }
    correct = proven->first.correct;
    proof_bytes = proven->second.serialize().size();
  }
  const double elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  zkcnn::set_thread_count(0);
  state.counters["per_sample_ms"] = elapsed_ms / static_cast<double>(count * state.iterations());
  state.counters["samples"] = static_cast<double>(count);
  state.counters["correct"] = static_cast<double>(correct);
  state.counters["proof_bytes"] = static_cast<double>(proof_bytes);
  state.counters["peak_rss"] = zkcnn_bench::peak_rss();
}

void register_sharded(const char* family, std::int64_t count, std::int64_t shard_size, int iterations) {
  for (std::int64_t workers : {1, 2}) {
    benchmark::RegisterBenchmark((std::string("BM_ShardedAccuracyProve/") + family).c_str(), BM_ShardedAccuracyProve,
                                 family)
        ->Args({count, shard_size, workers})
        ->Iterations(iterations)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
}

// Prove then verify for each size, so that one setup serves both.
void register_family(const char* family, std::initializer_list<std::int64_t> counts, int prove_iterations) {
  for (std::int64_t count : counts) {
    benchmark::RegisterBenchmark((std::string("BM_AccuracyProve/") + family).c_str(), BM_AccuracyProve, family)
        ->Arg(count)
        ->Iterations(prove_iterations)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("BM_AccuracyVerify/") + family).c_str(), BM_AccuracyVerify, family)
        ->Arg(count)
        ->Iterations(3)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_family("lenet5", {1, 10, 100}, 2);
  register_sharded("lenet5", 512, 128, 1);
  register_family("vgg16", {1, 5, 20}, 1);
  register_sharded("vgg16", 20, 5, 1);
  return zkcnn_bench::run_benchmarks(argc, argv);
}
