#pragma once
// What the tool does, apart from its command line: commit to a model, prove and verify a
// prediction or an accuracy, in the commitment's backend (backends.hpp) with its key sizes. The subcommands
// call these with what their options say; the Python module (examples/python) calls them with
// what its caller passes. Each throws a Failure for bad input, as the subcommands do; a
// verifier's rejection is a Status, not a Failure.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <zkcnn/error.hpp>
#include <zkcnn/zk/model_proof.hpp>
#include <zkcnn/zk/sharded_accuracy.hpp>
#include <zkcnn/zk/verifier_cost.hpp>

#include "cli.hpp"
#include "files.hpp"
#include "model_source.hpp"

namespace zkcnn::cli {

/// A model commitment and its owner's secret, as `zkcnn commit` writes them.
struct Committed {
  CommitmentFile commitment;
  SecretFile secret;
  double key_seconds = 0;
  double commit_seconds = 0;
};

/// Commits to `model` in `backend` with fresh randomness from the operating system; a
/// goldilocks-hash commitment hides `proofs` proofs (GoldilocksHash::proof_budget).
Committed commit(const nn::QuantizedModel& model, Backend backend, std::size_t proofs, const Output& output);

/// Fails (bad input, naming `option`) unless a number of proofs asked for a commitment, if any,
/// is one `backend` can hide: goldilocks-hash, 1 to GoldilocksHash::max_proofs().
void require_proofs_option(Backend backend, std::optional<std::size_t> proofs, const std::string& option);

/// The proofs the commitment still hides, by the secret's count; nothing when unlimited.
std::optional<std::size_t> proofs_left(const CommitmentFile& published, const SecretFile& secret);

/// Counts `proofs` more proofs in the secret: a bad-input failure when the commitment does not
/// hide that many more (proof_budget). The provers below do not count: their callers count
/// before proving (a failed proof stays counted, which errs on the safe side), and write the
/// secret file before any proof when the backend counts (as the subcommands do, under a
/// FileLock on the secret).
void count_proofs(const CommitmentFile& published, SecretFile& secret, std::size_t proofs);

struct ProvenPrediction {
  StatementFile statement;
  zk::ModelProof proof;
  zk::ProverProfile profile;
  double seconds = 0;
};

/// Proves what the model of `secret`, committed to in `published`, outputs on `input` (at the
/// architecture's input scale). `input_hint` is appended to a failure of the proof itself (an
/// input at the wrong scale shows only as a layer's overflow).
ProvenPrediction prove_prediction(const CommitmentFile& published, const SecretFile& secret,
                                  std::vector<std::int64_t> input, zk::ProverOptions options, const Output& output,
                                  const std::string& input_hint = "");

/// A verifier's verdict: accepted, or why not.
struct Verification {
  Status verdict;
  /// The verification's time, the key's derivation apart (but for shards, whose keys are
  /// derived as they come).
  double seconds = 0;
  std::size_t key_column_vars = 0;
};

/// Accepts, or says why `proof` does not show `statement` for the model committed to in
/// `published`. A bad-input failure when verifying the architecture would exceed `limits`.
Verification verify_prediction(const CommitmentFile& published, const StatementFile& statement, const zk::ModelProof& proof,
                         const zk::VerifierLimits& limits, const Output& output);

struct ProvenAccuracy {
  AccuracyStatementFile statement;
  zk::ModelProof proof;
  zk::ProverProfile profile;
  double seconds = 0;
  /// The key's size: an accuracy proof's key grows with its batch (accuracy_key_column_vars).
  std::size_t key_column_vars = 0;
};

/// Proves how many of `inputs` (1 to max_accuracy_samples, at the input scale) the model of
/// `secret`, committed to in `published`, classifies as labelled; `what` names the inputs in
/// failures.
ProvenAccuracy prove_accuracy(const CommitmentFile& published, const SecretFile& secret, LabelledInputs inputs,
                              zk::ProverOptions options, const Output& output, const std::string& what);

/// Accepts, or says why `proof` does not show `statement` for the model committed to in
/// `published`. A bad-input failure, naming `what`, when the statement does not fit the model
/// or verifying it would exceed `limits`.
Verification verify_accuracy(const CommitmentFile& published, const AccuracyStatementFile& statement,
                       const zk::ModelProof& proof, const zk::VerifierLimits& limits, const Output& output,
                       const std::string& what);

/// The most samples in one shard of a sharded accuracy (those of one accuracy statement).
inline constexpr std::size_t max_shard_samples = max_accuracy_samples;

/// The default memory budget of a sharded accuracy's prover: 8 GiB, a third of a 24 GB machine.
inline constexpr std::size_t default_memory_budget = std::size_t{8} << 30;

/// Shards no larger than this unless asked for: a proof's time per sample grows with its batch
/// beyond about a hundred (LeNet-5, 2 threads: 73 ms per sample in shards of 50, 69 in shards of
/// 100, 109 in one proof of 200), and smaller shards spread better over processes.
inline constexpr std::size_t default_max_shard_samples = 128;

/// The largest shard, up to default_max_shard_samples, whose proof fits `memory_budget` bytes by
/// the estimate below and whose key stays within the backend's largest. The estimate, 256
/// bytes per auxiliary-witness entry of a one-sample proof per sample, is measured: LeNet-5's
/// 2^16 entries per sample take 11.5 MB of peak memory per sample in batches of 50 to 200.
std::size_t shard_size_for(const nn::Architecture& architecture, Backend backend, std::size_t memory_budget);

/// One shard's accuracy proof.
struct ShardProof {
  std::size_t correct = 0;
  zk::ModelProof proof;
};

/// Proves a shard's batch (`what` names it in failures), each a proof against the commitment
/// with a key of its size (accuracy_key_column_vars in operations.cpp): what an MPI rank does.
using ShardProver = std::function<ShardProof(const zk::LabelledBatch& batch, std::string_view what)>;

/// The shard prover of the model of `secret`, which must belong to `published`; the three
/// arguments must outlive it.
ShardProver shard_prover(const CommitmentFile& published, const SecretFile& secret, zk::ProverOptions options,
                         const Output& output);

struct ProvenShards {
  zk::ShardedAccuracyStatement statement;
  zk::ShardedAccuracyProof proof;
  double seconds = 0;
};

/// Proves the accuracy of the model of `secret`, committed to in `published`, on samples
/// 0..samples-1 of `source` in shards of at most `shard_size`: as many shards at a time as there
/// are threads and `memory_budget` holds by shard_size_for's estimate: zk::plan_shards's
/// shards, each a proof.
ProvenShards prove_accuracy_in_shards(const CommitmentFile& published, const SecretFile& secret,
                                      const zk::SampleSource& source, std::size_t samples, std::size_t shard_size,
                                      std::size_t memory_budget, zk::ProverOptions options, const Output& output);

/// Accepts, or says why `proof` does not show `statement` for the model committed to in
/// `published` on the dataset of `source`. A bad-input failure when a shard's verification
/// would exceed `limits`.
Verification verify_accuracy_in_shards(const CommitmentFile& published, const zk::ShardedAccuracyStatement& statement,
                                       const zk::ShardedAccuracyProof& proof, const zk::SampleSource& source,
                                       const zk::VerifierLimits& limits, const Output& output);

}  // namespace zkcnn::cli
