#include "operations.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>

#include <zkcnn/random/os_rng.hpp>
#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/prediction.hpp>

namespace zkcnn::cli {

namespace {

/// The key of an accuracy proof over the batch of `batch_circuit`; a bad-input failure naming
/// `what` when the batch needs more than the largest key.
///
/// `zkcnn commit` sizes the key for one-sample prediction proofs, but an accuracy proof
/// commits an auxiliary witness about `samples` times larger (every sample's range-check
/// digits, then the argmax gadget's choices and differences). With the commitment's key the
/// library would still prove, its default shape capping the columns at the key and adding
/// rows, but every row's commitment travels in the proof: on LeNet-5, 100 images would take
/// 2^14 rows, over half a megabyte. So the key grows with the batch, to the shape the
/// library would choose without the cap. It depends on public values only (the commitment's
/// key size, the architecture, the sample count): the verifier derives the same key from the
/// statement, and no file has to record it. The generators are hash_to_group of one domain and
/// their index, so the larger key extends the commitment's, and the weights' commitment
/// (made with fewer columns) opens under it unchanged. The key stays within
/// max_key_column_vars, which also bounds what a hostile statement can make a verifier derive.
std::size_t accuracy_key_column_vars(std::size_t published_key, const zk::ModelCircuit<Scalar>& batch_circuit,
                                     const std::string& what) {
  return std::max(published_key, take(key_column_vars(batch_circuit), what));
}

/// Fails (bad input, naming `what`) unless every sample is an input of the model and every
/// label one of its classes: a statement about another model, not a proof to reject.
void require_fits(const AccuracyStatementFile& statement, const nn::Architecture& architecture, const std::string& what) {
  const auto shapes = take(architecture.shapes(), "architecture");
  const std::size_t input_size = shapes.front().element_count();
  const std::size_t classes = shapes.back().element_count();
  if (statement.samples.empty() || statement.samples.size() > max_accuracy_samples ||
      statement.labels.size() != statement.samples.size()) {
    throw Failure(ExitCode::bad_input, what + ": " + std::to_string(statement.samples.size()) + " samples and " +
                                           std::to_string(statement.labels.size()) + " labels (1 to " +
                                           std::to_string(max_accuracy_samples) + " labelled samples are proven)");
  }
  for (std::size_t i = 0; i < statement.samples.size(); ++i) {
    if (statement.samples[i].size() != input_size) {
      throw Failure(ExitCode::bad_input, what + ": sample " + std::to_string(i) + " has " +
                                             std::to_string(statement.samples[i].size()) + " values, the model takes " +
                                             std::to_string(input_size));
    }
    if (statement.labels[i] >= classes) {
      throw Failure(ExitCode::bad_input, what + ": label " + std::to_string(statement.labels[i]) + " of sample " +
                                             std::to_string(i) + " is not one of the model's " + std::to_string(classes) +
                                             " classes");
    }
  }
}

/// The options with the progress bar attached.
zk::ProverOptions with_progress(zk::ProverOptions options, ProgressBar& bar) {
  options.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
  return options;
}

}  // namespace

Committed commit(const nn::QuantizedModel& model, const Output& output) {
  auto start = std::chrono::steady_clock::now();
  const std::size_t column_vars = take(key_column_vars(model.architecture), "model");
  output.progress("deriving the commitment key: 2^{} generators", column_vars);
  const Pcs pcs = make_key(column_vars);
  const double key_seconds = seconds_since(start);

  output.progress("committing to the weights");
  start = std::chrono::steady_clock::now();
  OsRng rng;  // the blinding factors hide the weights: never a seeded generator
  ProgressBar bar(output, "committing");
  auto [commitment, state] = take(
      zk::commit_model(pcs, model, rng, [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); }),
      "commit");
  const double commit_seconds = seconds_since(start);

  CommitmentFile published{column_vars, model.architecture, std::move(commitment)};
  SecretFile secret{model, std::move(state.opening), commitment_digest(published)};
  return {std::move(published), std::move(secret), key_seconds, commit_seconds};
}

ProvenPrediction prove_prediction(const CommitmentFile& published, const SecretFile& secret,
                                  std::vector<std::int64_t> input, zk::ProverOptions options, const Output& output,
                                  const std::string& input_hint) {
  const auto state = prover_state(secret, published);
  output.progress("deriving the commitment key: 2^{} generators", published.key_column_vars);
  const Pcs pcs = make_key(published.key_column_vars);
  output.progress("proving the prediction of {}", published.architecture.name);
  const auto start = std::chrono::steady_clock::now();
  OsRng rng;  // the proof's blinding factors: never a seeded generator
  ProgressBar bar(output, "proving");
  auto proven = zk::prove_prediction(pcs, secret.model, state, published.commitment, input, rng, with_progress(options, bar));
  if (!proven) fail("prove", Error{proven.error().code, proven.error().message + input_hint});
  const double seconds = seconds_since(start);
  output.progress("proved in {:.3f} s: {}", seconds, profile_text(proven->profile));
  const std::size_t predicted_class = argmax(proven->output);
  return {{std::move(input), std::move(proven->output), predicted_class}, std::move(proven->proof), proven->profile, seconds};
}

Verification verify_prediction(const CommitmentFile& published, const StatementFile& statement, const zk::ModelProof& proof,
                         const zk::VerifierLimits& limits, const Output& output) {
  // The architecture is the model owner's: its cost is checked before anything is compiled.
  const auto circuit = verifier_circuit(published.architecture, 1, zk::Conclusion::outputs, limits);
  const std::size_t column_vars = published_key_column_vars(published, circuit);
  output.progress("deriving the commitment key: 2^{} generators", column_vars);
  const Pcs pcs = make_key(column_vars);
  output.progress("verifying");
  const auto start = std::chrono::steady_clock::now();
  // The predicted class is a claim about the output: check it as part of the statement.
  const std::size_t largest = argmax(statement.output);
  Status verdict = statement.predicted_class == largest
                       ? zk::verify_prediction(pcs, circuit, published.commitment, statement.input, statement.output, proof)
                       : Status(make_error(Errc::verification_failed,
                                           "the statement's predicted class " + std::to_string(statement.predicted_class) +
                                               " is not its largest output (class " + std::to_string(largest) + ")"));
  return {std::move(verdict), seconds_since(start), column_vars};
}

ProvenAccuracy prove_accuracy(const CommitmentFile& published, const SecretFile& secret, LabelledInputs inputs,
                              zk::ProverOptions options, const Output& output, const std::string& what) {
  const auto state = prover_state(secret, published);
  const nn::Architecture& architecture = published.architecture;
  const std::size_t count = inputs.values.size();
  if (count == 0 || count > max_accuracy_samples || inputs.labels.size() != count) {
    throw Failure(ExitCode::bad_input, what + ": " + std::to_string(count) + " samples and " +
                                           std::to_string(inputs.labels.size()) + " labels (1 to " +
                                           std::to_string(max_accuracy_samples) + " labelled samples are proven)");
  }
  const std::size_t column_vars = accuracy_key_column_vars(
      published.key_column_vars, take(zk::ModelCircuit<Scalar>::compile(architecture, count, zk::Conclusion::accuracy), what),
      what);

  output.progress("deriving the commitment key: 2^{} generators (for {} samples)", column_vars, count);
  const Pcs pcs = make_key(column_vars);
  output.progress("proving the accuracy of {} on {} samples", architecture.name, count);
  const auto start = std::chrono::steady_clock::now();
  OsRng rng;  // the proof's blinding factors: never a seeded generator
  ProgressBar bar(output, "proving");
  auto proven = take(zk::prove_accuracy(pcs, secret.model, state, published.commitment,
                                        std::span<const std::vector<std::int64_t>>(inputs.values),
                                        std::span<const std::size_t>(inputs.labels), rng, with_progress(options, bar)),
                     "prove");
  const double seconds = seconds_since(start);
  output.progress("proved in {:.3f} s: {}", seconds, profile_text(proven.profile));
  return {{std::move(inputs.values), std::move(inputs.labels), proven.correct},
          std::move(proven.proof),
          proven.profile,
          seconds,
          column_vars};
}

Verification verify_accuracy(const CommitmentFile& published, const AccuracyStatementFile& statement,
                       const zk::ModelProof& proof, const zk::VerifierLimits& limits, const Output& output,
                       const std::string& what) {
  require_fits(statement, published.architecture, what);
  const std::size_t samples = statement.samples.size();
  // The architecture is the model owner's: its cost is checked before anything is compiled,
  // for the commitment's own key (one sample) and for the batch.
  const std::size_t published_key =
      published_key_column_vars(published, verifier_circuit(published.architecture, 1, zk::Conclusion::outputs, limits));
  const auto circuit = verifier_circuit(published.architecture, samples, zk::Conclusion::accuracy, limits);
  const std::size_t column_vars = accuracy_key_column_vars(published_key, circuit, what);

  output.progress("deriving the commitment key: 2^{} generators (for {} samples)", column_vars, samples);
  const Pcs pcs = make_key(column_vars);
  output.progress("verifying");
  const auto start = std::chrono::steady_clock::now();
  Status verdict = zk::verify_accuracy(pcs, circuit, published.commitment,
                                       std::span<const std::vector<std::int64_t>>(statement.samples),
                                       std::span<const std::size_t>(statement.labels), statement.correct, proof);
  return {std::move(verdict), seconds_since(start), column_vars};
}

namespace {

/// The memory estimate of shard_size_for, per sample.
std::size_t estimated_bytes_per_sample(const nn::Architecture& architecture) {
  const auto one = take(zk::ModelCircuit<Scalar>::compile(architecture, 1, zk::Conclusion::accuracy), "model");
  return std::size_t{256} << one.aux_layout().num_vars();
}

}  // namespace

std::size_t shard_size_for(const nn::Architecture& architecture, std::size_t memory_budget) {
  std::size_t size =
      std::clamp<std::size_t>(memory_budget / estimated_bytes_per_sample(architecture), 1, default_max_shard_samples);
  // The key grows with the shard: halve it until the key fits.
  while (size > 1 && !key_column_vars(architecture, size, zk::Conclusion::accuracy)) size /= 2;
  return size;
}

namespace {

/// The keys of an accuracy proof's shards: for a shard of `count` samples, the key of
/// accuracy_key_column_vars over `circuit_for(count)`. Each key size is derived once (shards of
/// neighbouring sizes, 127 and 126 samples, share one); `largest`, if given, hears of the
/// largest asked for.
zk::KeyForShard<Pcs> shard_keys(std::size_t published_key,
                                std::function<Result<zk::ModelCircuit<Scalar>>(std::size_t)> circuit_for,
                                const Output& output, std::size_t* largest = nullptr) {
  auto derived = std::make_shared<std::map<std::size_t, Pcs>>();
  return [=, &output](std::size_t count) -> Result<Pcs> {
    auto circuit = circuit_for(count);
    if (!circuit) return circuit.error();
    auto column_vars = key_column_vars(*circuit);
    if (!column_vars) return column_vars.error();
    const std::size_t key = std::max(published_key, *column_vars);
    if (largest) *largest = std::max(*largest, key);
    auto found = derived->find(key);
    if (found == derived->end()) {
      output.progress("deriving the commitment key: 2^{} generators (for shards of {} samples)", key, count);
      found = derived->emplace(key, make_key(key)).first;
    }
    return found->second;
  };
}

}  // namespace

zk::KeyForShard<Pcs> shard_prover_keys(const CommitmentFile& published, const Output& output) {
  return shard_keys(
      published.key_column_vars,
      [&published](std::size_t count) {
        return zk::ModelCircuit<Scalar>::compile(published.architecture, count, zk::Conclusion::accuracy);
      },
      output);
}

ProvenShards prove_accuracy_in_shards(const CommitmentFile& published, const SecretFile& secret,
                                      const zk::SampleSource& source, std::size_t samples, std::size_t shard_size,
                                      std::size_t memory_budget, zk::ProverOptions options, const Output& output) {
  const auto state = prover_state(secret, published);
  const nn::Architecture& architecture = published.architecture;
  const zk::KeyForShard<Pcs> key_for = shard_prover_keys(published, output);
  const std::size_t shards = zk::plan_shards(samples, shard_size).size();
  output.progress("proving the accuracy of {} on {} samples in {} shard{} of at most {}", architecture.name, samples,
                  shards, shards == 1 ? "" : "s", shard_size);
  // One shard per thread at a time, as many as the memory budget holds, each proof on its own
  // thread: whole proofs side by side scale better than one proof's parallel loops (two of
  // LeNet-5's shards at once on 2 cores: a quarter faster). The threads left over go to the
  // proofs' own loops.
  const std::size_t threads = zkcnn::detail::default_thread_count();
  const std::size_t workers = std::clamp<std::size_t>(
      memory_budget / (estimated_bytes_per_sample(architecture) * shard_size), 1, std::min(threads, shards));
  zkcnn::set_thread_count(std::max<std::size_t>(1, threads / workers));
  struct RestoreThreads {
    ~RestoreThreads() { zkcnn::set_thread_count(0); }
  } restore;
  if (workers > 1) output.progress("{} shards at a time", workers);
  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar(output, "proving");
  std::size_t proven_samples = 0;
  auto proven = take(zk::prove_accuracy_in_shards(
                         key_for, secret.model, state, published.commitment, source, samples, shard_size,
                         [] { return OsRng{}; },  // the proofs' blinding factors: never a seeded generator
                         workers, options,
                         [&](const zk::ShardSummary& shard, const zk::AccuracyProof<Pcs>&) {
                           bar.update(proven_samples += shard.count, samples);
                         }),
                     "prove");
  return {std::move(proven.first), std::move(proven.second), seconds_since(start)};
}

Verification verify_accuracy_in_shards(const CommitmentFile& published, const zk::ShardedAccuracyStatement& statement,
                                       const zk::ShardedAccuracyProof& proof, const zk::SampleSource& source,
                                       const zk::VerifierLimits& limits, const Output& output) {
  // The architecture is the model owner's: its cost is checked before anything is compiled.
  const std::size_t published_key =
      published_key_column_vars(published, verifier_circuit(published.architecture, 1, zk::Conclusion::outputs, limits));
  std::size_t largest_key = published_key;
  const zk::KeyForShard<Pcs> key_for = shard_keys(
      published_key,
      [&published, &limits](std::size_t count) {
        return zk::compile_for_verifier<Scalar>(published.architecture, count, zk::Conclusion::accuracy, limits);
      },
      output, &largest_key);
  output.progress("verifying {} shards", statement.shards.size());
  const auto start = std::chrono::steady_clock::now();
  Status verdict = zk::verify_accuracy_in_shards(key_for, published.architecture, published.commitment, source, statement,
                                                 proof, max_shard_samples, limits);
  // A shard the verifier refuses to compile is bad input, as for one accuracy proof.
  if (!verdict && verdict.error().code == Errc::resource_limit) fail("the sharded statement", verdict.error());
  return {std::move(verdict), seconds_since(start), largest_key};
}

}  // namespace zkcnn::cli
