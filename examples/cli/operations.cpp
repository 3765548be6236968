#include "operations.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>

#include <zkcnn/random/os_rng.hpp>
#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/prediction.hpp>
#include <zkcnn/zk/sharded_accuracy.hpp>

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
/// (A backend without a key, goldilocks-hash, says 0 throughout.)
template <class B>
std::size_t accuracy_key_column_vars(std::size_t published_key, const typename B::Circuit& batch_circuit,
                                     const std::string& what) {
  return std::max(published_key, take(B::key_column_vars(batch_circuit), what));
}

/// The commitment file's key size, checked to be exactly what its architecture needs
/// (`one_sample`: its circuit for one-sample prediction proofs): every proof binds the key it
/// was made with, and a hostile file must not make a verifier derive a larger one. A bad-input
/// failure otherwise.
template <class B>
std::size_t published_key_column_vars(const CommitmentFile& published, const typename B::Circuit& one_sample) {
  const std::size_t needed = take(B::key_column_vars(one_sample), "architecture");
  if (published.key_column_vars != needed) {
    throw Failure(ExitCode::bad_input, "commitment file: its key size field says 2^" +
                                           std::to_string(published.key_column_vars) + " generators, its architecture needs 2^" +
                                           std::to_string(needed));
  }
  return needed;
}

/// The scheme at the published key (every proof but a larger accuracy batch's).
template <class B>
typename B::Pcs published_scheme(const CommitmentFile& published) {
  return B::scheme(published.key_column_vars, 0);
}

/// The owner's state for proofs about `published` with `pcs` (a key at least the published
/// one), from a secret file that must belong to it (a mismatched opening would otherwise only
/// show as a rejected proof, or make the scheme throw); a bad-input failure otherwise.
template <class B>
zk::ModelProverState<typename B::Pcs> prover_state(const SecretFile& secret, const CommitmentFile& published,
                                                   const typename B::Pcs& pcs) {
  const auto mismatch = [](const std::string& why) {
    return Failure(ExitCode::bad_input, "the secret file does not belong to this commitment: " + why);
  };
  if (secret.backend() != published.backend()) throw mismatch("it was made for another backend");
  if (secret.commitment_digest != commitment_digest(published)) throw mismatch("it was made for another commitment");
  if (secret.model.architecture != published.architecture) throw mismatch("another architecture");
  const auto circuit = take(B::Circuit::compile(published.architecture, 1), "architecture");
  published_key_column_vars<B>(published, circuit);
  const auto& commitment = published.commitment_of<B>().weights;
  const std::size_t num_vars = circuit.weights_layout().num_vars();
  if (auto fits = pcs.check_model_commitment(commitment, num_vars); !fits) fail("commitment file", fits.error());
  std::vector<std::int64_t> weights = circuit.weights_integers(secret.model);
  auto opening = B::reopen(pcs, weights, commitment, std::get<typename B::Randomness>(secret.randomness));
  if (!opening) throw mismatch(opening.error().message);
  return {std::move(weights), std::move(*opening)};
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

Committed commit(const nn::QuantizedModel& model, Backend backend, std::size_t proofs, const Output& output) {
  return with_backend(backend, [&]<class B>(B) {
    auto start = std::chrono::steady_clock::now();
    const auto circuit = take(B::Circuit::compile(model.architecture, 1), "model");
    const std::size_t column_vars = take(B::key_column_vars(circuit), "model");
    if (column_vars > 0) output.progress("deriving the commitment key: 2^{} generators", column_vars);
    const auto pcs = B::scheme(column_vars, proofs);
    const double key_seconds = seconds_since(start);

    output.progress("committing to the weights ({})", backend_name(B::id));
    start = std::chrono::steady_clock::now();
    OsRng rng;  // the commitment's randomness hides the weights: never a seeded generator
    ProgressBar bar(output, "committing");
    auto [commitment, state] = take(
        zk::commit_model(pcs, model, rng, [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); }),
        "commit");
    const double commit_seconds = seconds_since(start);

    CommitmentFile published{column_vars, model.architecture, std::move(commitment)};
    SecretFile secret{model, B::randomness(state.opening), 0, commitment_digest(published)};
    return Committed{std::move(published), std::move(secret), key_seconds, commit_seconds};
  });
}

void require_proofs_option(Backend backend, std::optional<std::size_t> proofs, const std::string& option) {
  if (!proofs) return;
  if (backend != Backend::goldilocks_hash) {
    throw Failure(ExitCode::bad_input,
                  option + ": a " + std::string(backend_name(backend)) + " commitment hides any number of proofs");
  }
  if (*proofs == 0 || *proofs > GoldilocksHash::max_proofs()) {
    throw Failure(ExitCode::bad_input, option + ": " + std::to_string(*proofs) + " proofs; a commitment hides 1 to " +
                                           std::to_string(GoldilocksHash::max_proofs()));
  }
}

std::optional<std::size_t> proofs_left(const CommitmentFile& published, const SecretFile& secret) {
  const auto budget = proof_budget(published);
  if (!budget) return std::nullopt;
  return *budget > secret.proofs_made ? *budget - secret.proofs_made : 0;
}

void count_proofs(const CommitmentFile& published, SecretFile& secret, std::size_t proofs) {
  const auto budget = proof_budget(published);
  if (!budget) return;
  if (proofs > *budget || secret.proofs_made > *budget - proofs) {
    throw Failure(ExitCode::bad_input,
                  fmt::format("the commitment hides {} proofs ({}), {} made so far: {} more would reveal weights; commit "
                              "again, for more proofs, to go on",
                              *budget, backend_name(published.backend()), secret.proofs_made, proofs));
  }
  secret.proofs_made += proofs;
}

ProvenPrediction prove_prediction(const CommitmentFile& published, const SecretFile& secret, std::vector<std::int64_t> input,
                                  zk::ProverOptions options, const Output& output, const std::string& input_hint) {
  return with_backend(published.backend(), [&]<class B>(B) {
    if (published.key_column_vars > 0) {
      output.progress("deriving the commitment key: 2^{} generators", published.key_column_vars);
    }
    const auto pcs = published_scheme<B>(published);
    const auto state = prover_state<B>(secret, published, pcs);
    output.progress("proving the prediction of {}", published.architecture.name);
    const auto start = std::chrono::steady_clock::now();
    OsRng rng;  // the proof's blinding factors: never a seeded generator
    ProgressBar bar(output, "proving");
    auto proven = zk::prove_prediction(pcs, secret.model, state, published.commitment_of<B>(), input, rng,
                                       with_progress(options, bar));
    if (!proven) fail("prove", Error{proven.error().code, proven.error().message + input_hint});
    const double seconds = seconds_since(start);
    output.progress("proved in {:.3f} s: {}", seconds, profile_text(proven->profile));
    const std::size_t predicted_class = argmax(proven->output);
    return ProvenPrediction{
        {std::move(input), std::move(proven->output), predicted_class}, std::move(proven->proof), proven->profile, seconds};
  });
}

Verification verify_prediction(const CommitmentFile& published, const StatementFile& statement, const zk::ModelProof& proof,
                               const zk::VerifierLimits& limits, const Output& output) {
  return with_backend(published.backend(), [&]<class B>(B) {
    // The architecture is the model owner's: its cost is checked before anything is compiled.
    const auto circuit =
        verifier_circuit<typename B::Pcs::Challenge>(published.architecture, 1, zk::Conclusion::outputs, limits);
    const std::size_t column_vars = published_key_column_vars<B>(published, circuit);
    if (column_vars > 0) output.progress("deriving the commitment key: 2^{} generators", column_vars);
    const auto pcs = published_scheme<B>(published);
    output.progress("verifying");
    const auto start = std::chrono::steady_clock::now();
    // The predicted class is a claim about the output: check it as part of the statement.
    const std::size_t largest = argmax(statement.output);
    Status verdict =
        statement.predicted_class == largest
            ? zk::verify_prediction(pcs, circuit, published.commitment_of<B>(), statement.input, statement.output, proof)
            : Status(make_error(Errc::verification_failed,
                                "the statement's predicted class " + std::to_string(statement.predicted_class) +
                                    " is not its largest output (class " + std::to_string(largest) + ")"));
    return Verification{std::move(verdict), seconds_since(start), column_vars};
  });
}

ProvenAccuracy prove_accuracy(const CommitmentFile& published, const SecretFile& secret, LabelledInputs inputs,
                              zk::ProverOptions options, const Output& output, const std::string& what) {
  return with_backend(published.backend(), [&]<class B>(B) {
    const nn::Architecture& architecture = published.architecture;
    const std::size_t count = inputs.values.size();
    if (count == 0 || count > max_accuracy_samples || inputs.labels.size() != count) {
      throw Failure(ExitCode::bad_input, what + ": " + std::to_string(count) + " samples and " +
                                             std::to_string(inputs.labels.size()) + " labels (1 to " +
                                             std::to_string(max_accuracy_samples) + " labelled samples are proven)");
    }
    const std::size_t column_vars = accuracy_key_column_vars<B>(
        published.key_column_vars, take(B::Circuit::compile(architecture, count, zk::Conclusion::accuracy), what), what);

    if (column_vars > 0) output.progress("deriving the commitment key: 2^{} generators (for {} samples)", column_vars, count);
    const auto pcs = B::scheme(column_vars, 0);
    const auto state = prover_state<B>(secret, published, pcs);
    output.progress("proving the accuracy of {} on {} samples", architecture.name, count);
    const auto start = std::chrono::steady_clock::now();
    OsRng rng;  // the proof's blinding factors: never a seeded generator
    ProgressBar bar(output, "proving");
    auto proven = take(zk::prove_accuracy(pcs, secret.model, state, published.commitment_of<B>(),
                                          std::span<const std::vector<std::int64_t>>(inputs.values),
                                          std::span<const std::size_t>(inputs.labels), rng, with_progress(options, bar)),
                       "prove");
    const double seconds = seconds_since(start);
    output.progress("proved in {:.3f} s: {}", seconds, profile_text(proven.profile));
    return ProvenAccuracy{{std::move(inputs.values), std::move(inputs.labels), proven.correct},
                          std::move(proven.proof),
                          proven.profile,
                          seconds,
                          column_vars};
  });
}

Verification verify_accuracy(const CommitmentFile& published, const AccuracyStatementFile& statement,
                             const zk::ModelProof& proof, const zk::VerifierLimits& limits, const Output& output,
                             const std::string& what) {
  require_fits(statement, published.architecture, what);
  return with_backend(published.backend(), [&]<class B>(B) {
    using Challenge = typename B::Pcs::Challenge;
    const std::size_t samples = statement.samples.size();
    // The architecture is the model owner's: its cost is checked before anything is compiled,
    // for the commitment's own key (one sample) and for the batch.
    const std::size_t published_key = published_key_column_vars<B>(
        published, verifier_circuit<Challenge>(published.architecture, 1, zk::Conclusion::outputs, limits));
    const auto circuit = verifier_circuit<Challenge>(published.architecture, samples, zk::Conclusion::accuracy, limits);
    const std::size_t column_vars = accuracy_key_column_vars<B>(published_key, circuit, what);

    if (column_vars > 0) {
      output.progress("deriving the commitment key: 2^{} generators (for {} samples)", column_vars, samples);
    }
    const auto pcs = B::scheme(column_vars, 0);
    output.progress("verifying");
    const auto start = std::chrono::steady_clock::now();
    Status verdict = zk::verify_accuracy(pcs, circuit, published.commitment_of<B>(),
                                         std::span<const std::vector<std::int64_t>>(statement.samples),
                                         std::span<const std::size_t>(statement.labels), statement.correct, proof);
    return Verification{std::move(verdict), seconds_since(start), column_vars};
  });
}

namespace {

/// The memory estimate of shard_size_for, per sample.
template <class B>
std::size_t estimated_bytes_per_sample(const nn::Architecture& architecture) {
  const auto one = take(B::Circuit::compile(architecture, 1, zk::Conclusion::accuracy), "model");
  return std::size_t{256} << one.aux_layout().num_vars();
}

}  // namespace

std::size_t shard_size_for(const nn::Architecture& architecture, Backend backend, std::size_t memory_budget) {
  return with_backend(backend, [&]<class B>(B) {
    std::size_t size =
        std::clamp<std::size_t>(memory_budget / estimated_bytes_per_sample<B>(architecture), 1, default_max_shard_samples);
    // The key grows with the shard: halve it until the key fits.
    const auto fits = [&](std::size_t samples) {
      auto circuit = B::Circuit::compile(architecture, samples, zk::Conclusion::accuracy);
      return circuit && B::key_column_vars(*circuit);
    };
    while (size > 1 && !fits(size)) size /= 2;
    return size;
  });
}

namespace {

/// The keys of an accuracy proof's shards: for a shard of `count` samples, the key of
/// accuracy_key_column_vars over `circuit_for(count)`. Each key size is derived once (shards of
/// neighbouring sizes, 127 and 126 samples, share one); `largest`, if given, hears of the
/// largest asked for.
template <class B>
zk::KeyForShard<typename B::Pcs> shard_keys(
    std::size_t published_key, std::function<Result<typename B::Circuit>(std::size_t)> circuit_for, const Output& output,
    std::size_t* largest = nullptr) {
  using Pcs = typename B::Pcs;
  auto derived = std::make_shared<std::map<std::size_t, Pcs>>();
  return [=, &output](std::size_t count) -> Result<Pcs> {
    auto circuit = circuit_for(count);
    if (!circuit) return circuit.error();
    auto column_vars = B::key_column_vars(*circuit);
    if (!column_vars) return column_vars.error();
    const std::size_t key = std::max(published_key, *column_vars);
    if (largest) *largest = std::max(*largest, key);
    auto found = derived->find(key);
    if (found == derived->end()) {
      if (key > 0) output.progress("deriving the commitment key: 2^{} generators (for shards of {} samples)", key, count);
      found = derived->emplace(key, B::scheme(key, 0)).first;
    }
    return found->second;
  };
}

template <class B>
zk::KeyForShard<typename B::Pcs> shard_prover_keys(const CommitmentFile& published, const Output& output) {
  return shard_keys<B>(
      published.key_column_vars,
      [&published](std::size_t count) { return B::Circuit::compile(published.architecture, count, zk::Conclusion::accuracy); },
      output);
}

}  // namespace

ShardProver shard_prover(const CommitmentFile& published, const SecretFile& secret, zk::ProverOptions options,
                         const Output& output) {
  return with_backend(published.backend(), [&]<class B>(B) -> ShardProver {
    using Pcs = typename B::Pcs;
    const auto key_for = shard_prover_keys<B>(published, output);
    auto state = std::make_shared<const zk::ModelProverState<Pcs>>(
        prover_state<B>(secret, published, take(key_for(1), "key")));
    return [state, key_for, &published, &secret, options](
               const zk::LabelledBatch& batch, std::string_view what) {
      OsRng rng;  // the proof's blinding factors: never a seeded generator
      const Pcs key = take(key_for(batch.samples.size()), std::string(what));
      auto result = take(zk::prove_accuracy(key, secret.model, *state, published.commitment_of<B>(),
                                            std::span<const std::vector<std::int64_t>>(batch.samples),
                                            std::span<const std::size_t>(batch.labels), rng, options),
                         std::string(what));
      return ShardProof{result.correct, std::move(result.proof)};
    };
  });
}

ProvenShards prove_accuracy_in_shards(const CommitmentFile& published, const SecretFile& secret, const zk::SampleSource& source,
                                      std::size_t samples, std::size_t shard_size, std::size_t memory_budget,
                                      zk::ProverOptions options, const Output& output) {
  return with_backend(published.backend(), [&]<class B>(B) {
    const nn::Architecture& architecture = published.architecture;
    const auto key_for = shard_prover_keys<B>(published, output);
    const auto state = prover_state<B>(secret, published, take(key_for(1), "key"));
    const std::size_t shards = zk::plan_shards(samples, shard_size).size();
    output.progress("proving the accuracy of {} on {} samples in {} shard{} of at most {}", architecture.name, samples,
                    shards, shards == 1 ? "" : "s", shard_size);
    // One shard per thread at a time, as many as the memory budget holds, each proof on its own
    // thread: whole proofs side by side scale better than one proof's parallel loops (two of
    // LeNet-5's shards at once on 2 cores: a quarter faster). The threads left over go to the
    // proofs' own loops.
    const std::size_t threads = zkcnn::detail::default_thread_count();
    const std::size_t workers = std::clamp<std::size_t>(
        memory_budget / (estimated_bytes_per_sample<B>(architecture) * shard_size), 1, std::min(threads, shards));
    zkcnn::set_thread_count(std::max<std::size_t>(1, threads / workers));
    struct RestoreThreads {
      ~RestoreThreads() { zkcnn::set_thread_count(0); }
    } restore;
    if (workers > 1) output.progress("{} shards at a time", workers);
    const auto start = std::chrono::steady_clock::now();
    ProgressBar bar(output, "proving");
    std::size_t proven_samples = 0;
    auto proven = take(zk::prove_accuracy_in_shards(
                           key_for, secret.model, state, published.commitment_of<B>(), source, samples, shard_size,
                           [] { return OsRng{}; },  // the proofs' blinding factors: never a seeded generator
                           workers, options,
                           [&](const zk::ShardSummary& shard, const auto&) {
                             bar.update(proven_samples += shard.count, samples);
                           }),
                       "prove");
    return ProvenShards{std::move(proven.first), std::move(proven.second), seconds_since(start)};
  });
}

Verification verify_accuracy_in_shards(const CommitmentFile& published, const zk::ShardedAccuracyStatement& statement,
                                       const zk::ShardedAccuracyProof& proof, const zk::SampleSource& source,
                                       const zk::VerifierLimits& limits, const Output& output) {
  return with_backend(published.backend(), [&]<class B>(B) {
    using Challenge = typename B::Pcs::Challenge;
    // The architecture is the model owner's: its cost is checked before anything is compiled.
    const std::size_t published_key = published_key_column_vars<B>(
        published, verifier_circuit<Challenge>(published.architecture, 1, zk::Conclusion::outputs, limits));
    std::size_t largest_key = published_key;
    const auto key_for = shard_keys<B>(
        published_key,
        [&published, &limits](std::size_t count) {
          return zk::compile_for_verifier<Challenge>(published.architecture, count, zk::Conclusion::accuracy, limits);
        },
        output, &largest_key);
    output.progress("verifying {} shards", statement.shards.size());
    const auto start = std::chrono::steady_clock::now();
    Status verdict = zk::verify_accuracy_in_shards(key_for, published.architecture, published.commitment_of<B>(), source,
                                                   statement, proof, max_shard_samples, limits);
    // A shard the verifier refuses to compile is bad input, as for one accuracy proof.
    if (!verdict && verdict.error().code == Errc::resource_limit) fail("the sharded statement", verdict.error());
    return Verification{std::move(verdict), seconds_since(start), largest_key};
  });
}

}  // namespace zkcnn::cli
