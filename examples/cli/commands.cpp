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

std::string mode_text(const zk::ModelProof& proof) {
  return zk::is_zero_knowledge(proof) ? "zero-knowledge proof"
                                      : "proof without zero knowledge: it reveals evaluations of the weights";
}

}  // namespace zkcnn::cli
