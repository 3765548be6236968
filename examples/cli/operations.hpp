#pragma once
// What the tool does, apart from its command line: commit to a model, prove and verify a
// prediction or an accuracy, with the tool's commitment scheme and key sizes. The subcommands
// call these with what their options say; the Python module (examples/python) calls them with
// what its caller passes. Each throws a Failure for bad input, as the subcommands do; a
// verifier's rejection is a Status, not a Failure.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <zkcnn/error.hpp>
#include <zkcnn/zk/model_proof.hpp>
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

/// Commits to `model` with fresh blinding factors from the operating system.
Committed commit(const nn::QuantizedModel& model, const Output& output);

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
  /// The verification's time, the key's derivation apart.
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

}  // namespace zkcnn::cli
