// zkcnn: commit to a trained CNN once, prove its predictions and its accuracy, verify them
// (zkCNN, Liu, Xie and Zhang, CCS 2021). Each subcommand has --help; commands.hpp lists them.

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <new>
#include <string>
#include <string_view>

#include <zkcnn/process/memory.hpp>

#include "arguments.hpp"
#include "cli.hpp"
#include "commands.hpp"

namespace {

using zkcnn::cli::ExitCode;

void print_usage(std::FILE* stream) {
  fmt::print(stream, "usage: zkcnn <command> [options]\n\ncommands:\n");
  for (const auto& command : zkcnn::cli::commands()) {
    fmt::print(stream, "  {:<16} {}\n", command.spec.name, command.spec.summary);
  }
  fmt::print(stream, "\n`zkcnn <command> --help` describes a command and its options.\n");
}

int exit_status(ExitCode code) { return static_cast<int>(code); }

}  // namespace

int main(int argc, char** argv) {
  using namespace zkcnn::cli;
  zkcnn::reuse_freed_memory();  // a prover's tables are freed and allocated again at every step
  if (argc < 2) {
    print_usage(stderr);
    return exit_status(ExitCode::bad_input);
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(stdout);
    return exit_status(ExitCode::success);
  }
  const auto all = commands();
  const auto command = std::find_if(all.begin(), all.end(), [&](const Command& c) { return c.spec.name == name; });
  if (command == all.end()) {
    fmt::print(stderr, "zkcnn: unknown command '{}'\n\n", name);
    print_usage(stderr);
    return exit_status(ExitCode::bad_input);
  }
  try {
    const auto arguments = Arguments::parse(command->spec, std::span<char* const>(argv + 2, argv + argc));
    if (arguments.has("--help")) {
      fmt::print("{}", help_text(command->spec));
      return exit_status(ExitCode::success);
    }
    if (arguments.has("--threads")) {
      // The library reads ZKCNN_THREADS whenever it starts parallel work; set it before any.
      const std::size_t threads = arguments.number("--threads", 0, 1, 1024);
      setenv("ZKCNN_THREADS", std::to_string(threads).c_str(), 1);
    }
    const Output output(arguments.has("--quiet"), arguments.has("--json"));
    return exit_status(command->run(arguments, output));
  } catch (const Failure& failure) {
    fmt::print(stderr, "zkcnn {}: {}\n", name, failure.what());
    return exit_status(failure.code());
  } catch (const std::bad_alloc&) {
    // Not a bug: this machine cannot hold what the files or options ask for (the verifiers
    // bound their costs before allocating, so this is a prover's or a raised limit's).
    fmt::print(stderr, "zkcnn {}: out of memory: the model, the batch or the limits given need more memory than this "
                       "machine has\n", name);
    return exit_status(ExitCode::bad_input);
  } catch (const std::exception& error) {
    // The library throws only on arguments it trusts the caller to have checked: a bug here.
    fmt::print(stderr, "zkcnn {}: internal error: {}\n", name, error.what());
    return exit_status(ExitCode::internal_error);
  }
}
