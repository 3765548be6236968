#pragma once
// The subcommands of `zkcnn`. Each is a CommandSpec (its options and help) and a function that
// runs it; main looks them up by name. A new subcommand (an accuracy proof, say) is one more
// entry in commands(), with its own file formats in files.hpp.

#include <span>

#include "arguments.hpp"
#include "cli.hpp"

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

/// Every subcommand, in the order `zkcnn --help` lists them.
std::span<const Command> commands();

}  // namespace zkcnn::cli
