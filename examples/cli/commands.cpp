#include "commands.hpp"

#include <vector>

namespace zkcnn::cli {

std::span<const Command> commands() {
  // An accuracy proof (zk::prove_accuracy, coming) will be one more entry here.
  static const std::vector<Command> all{commit_command(), prove_command(), verify_command(), inspect_command()};
  return all;
}

}  // namespace zkcnn::cli
