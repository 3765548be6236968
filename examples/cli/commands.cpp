#include "commands.hpp"

#include <vector>

namespace zkcnn::cli {

std::span<const Command> commands() {
  static const std::vector<Command> all{commit_command(),          prove_command(),
                                        verify_command(),          accuracy_prove_command(),
                                        accuracy_verify_command(), inspect_command()};
  return all;
}

}  // namespace zkcnn::cli
