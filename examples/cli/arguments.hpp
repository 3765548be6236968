#pragma once
// Command-line arguments of one subcommand: the options it declares (which also make its
// --help), parsed into values, with typed access that turns every mistake into a bad-usage
// failure naming the option.

#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zkcnn::cli {

struct OptionSpec {
  std::string name;        ///< "--model"
  std::string value_name;  ///< "FILE"; empty for a flag without a value
  std::string help;
};

/// A subcommand's interface: its name, a one-line summary, a longer description for --help,
/// and its options (the common ones are added by parse).
struct CommandSpec {
  std::string name;
  std::string synopsis;  ///< the usage line after "zkcnn <name> "
  std::string summary;
  std::string description;
  std::vector<OptionSpec> options;
};

/// The options every subcommand takes.
std::span<const OptionSpec> common_options();

/// The --help text of a subcommand.
std::string help_text(const CommandSpec& command);

class Arguments {
 public:
  /// Parses `args` (after the subcommand's name) against the command's options and the common
  /// ones; throws a bad-usage Failure on an unknown option, a missing value or a repeated
  /// option.
  static Arguments parse(const CommandSpec& command, std::span<char* const> args);

  bool has(std::string_view option) const;
  std::optional<std::string> optional(std::string_view option) const;
  /// The value, or a bad-usage failure saying the option is required.
  std::string required(std::string_view option) const;
  /// An unsigned number in [min, max], or `fallback` when the option is absent.
  std::size_t number(std::string_view option, std::size_t fallback, std::size_t min, std::size_t max) const;
  /// An unsigned number in [min, max]; a bad-usage failure when the option is absent.
  std::size_t required_number(std::string_view option, std::size_t min, std::size_t max) const;
  /// Fails unless exactly one of the options is given.
  void require_one_of(std::initializer_list<std::string_view> options) const;

 private:
  std::string command_;
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace zkcnn::cli
