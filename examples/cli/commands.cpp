#include "commands.hpp"

#include <vector>

namespace zkcnn::cli {

std::span<const Command> commands() {
  static const std::vector<Command> all{commit_command(),          prove_command(),
                                        verify_command(),          accuracy_prove_command(),
                                        accuracy_verify_command(), inspect_command()};
  return all;
}

OptionSpec no_zero_knowledge_option() {
  return {"--no-zero-knowledge", "",
          "prove without zero knowledge: the proof reveals evaluations of the weights and activations "
          "(benchmarks and debugging only)"};
}

zk::ProverOptions prover_options(const Arguments& arguments) {
  return {.zero_knowledge = !arguments.has("--no-zero-knowledge")};
}

std::vector<OptionSpec> with_verifier_limits(std::vector<OptionSpec> options) {
  const zk::VerifierLimits defaults;
  options.insert(options.end(), {{"--max-memory", "MIB",
           "refuse an architecture whose verification needs more than MIB MiB of tables (default " +
               std::to_string(defaults.max_memory_bytes >> 20) + ")"},
          {"--max-work", "LOG2",
           "refuse an architecture that asks the verifier for more than 2^LOG2 field multiplications (default " +
               std::to_string(zkcnn::detail::ceil_log2(defaults.max_work)) + ")"},
          {"--max-degree", "D",
           "refuse an architecture with sumcheck rounds of degree above D (default " +
               std::to_string(defaults.max_degree) + ")"}});
  return options;
}

zk::VerifierLimits verifier_limits(const Arguments& arguments) {
  const zk::VerifierLimits defaults;
  return {.max_memory_bytes = arguments.number("--max-memory", defaults.max_memory_bytes >> 20, 1, std::size_t{1} << 20) << 20,
          .max_work = std::size_t{1} << arguments.number("--max-work", zkcnn::detail::ceil_log2(defaults.max_work), 1, 60),
          .max_degree = arguments.number("--max-degree", defaults.max_degree, 1, std::size_t{1} << 20)};
}

void save_proof_count(const Arguments& arguments, const CommitmentFile& published, const SecretFile& secret) {
  if (!proofs_left(published, secret)) return;
  const std::string path = arguments.required("--secret");
  if (auto ok = write_file(path, encode(secret), Visibility::owner_only); !ok) fail("--secret", ok.error());
}

std::string mode_text(bool zero_knowledge) {
  return zero_knowledge ? "zero-knowledge proof" : "proof without zero knowledge: it reveals evaluations of the weights";
}

std::string mode_text(const zk::ModelProof& proof) { return mode_text(zk::is_zero_knowledge(proof)); }

}  // namespace zkcnn::cli
