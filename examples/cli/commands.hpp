#pragma once
// The subcommands of `zkcnn`. Each is a CommandSpec (its options and help) and a function that
// runs it; main looks them up by name. A new subcommand is one more entry in commands(), with
// its own file formats in files.hpp. The accuracy proof's two are accuracy-prove and
// accuracy-verify rather than one `accuracy` command with subcommands of its own: each stays one
// flat entry with its own options and --help, as prove and verify.

#include <span>
#include <string>
#include <vector>

#include <zkcnn/zk/model_proof.hpp>

#include "arguments.hpp"
#include "cli.hpp"
#include "files.hpp"
#include "model_source.hpp"
#include "operations.hpp"

namespace zkcnn::cli {

struct Command {
  CommandSpec spec;
  /// Runs the subcommand; returns success or rejected, throws a Failure for anything else.
  ExitCode (*run)(const Arguments& arguments, const Output& output);
};

Command commit_command();
Command prove_command();
Command verify_command();
Command inspect_command();
Command accuracy_prove_command();
Command accuracy_verify_command();

/// Every subcommand, in the order `zkcnn --help` lists them.
std::span<const Command> commands();

/// The provers' --no-zero-knowledge flag (benchmarks and debugging only), and the options it
/// selects.
OptionSpec no_zero_knowledge_option();
zk::ProverOptions prover_options(const Arguments& arguments);
/// The verifiers' cost limits (--max-memory, --max-work, --max-degree): a commitment's
/// architecture is the model owner's, and verifying it must not cost more than these.
std::vector<OptionSpec> with_verifier_limits(std::vector<OptionSpec> options);
zk::VerifierLimits verifier_limits(const Arguments& arguments);

/// accuracy-prove's memory budget in bytes: --memory-budget GiB, default default_memory_budget.
std::size_t memory_budget_option(const Arguments& arguments);

/// accuracy-prove's shard size: --shard-size, or what the memory budget holds.
std::size_t shard_size_option(const Arguments& arguments, const CommitmentFile& published);

/// Writes the secret file (--secret) with the proofs its owner has made counted, when its
/// backend limits them (proofs_left): the provers call it before writing any proof, so that a
/// proof never leaves uncounted.
void save_proof_count(const Arguments& arguments, const CommitmentFile& published, const SecretFile& secret);

/// Ends accuracy-prove in shards: writes the sharded statement and proof (--out-statement,
/// --out-proof) and reports them.
ExitCode write_sharded_accuracy(const Arguments& arguments, const Output& output, const CommitmentFile& published,
                                const LabelledData& data, const ProvenShards& proven, std::size_t shard_size);

/// "zero-knowledge proof", or what a proof without zero knowledge reveals.
std::string mode_text(const zk::ModelProof& proof);
std::string mode_text(bool zero_knowledge);

}  // namespace zkcnn::cli
