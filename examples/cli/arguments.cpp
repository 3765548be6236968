#include "arguments.hpp"

#include <algorithm>
#include <charconv>

#include "cli.hpp"

namespace zkcnn::cli {

namespace {

const std::vector<OptionSpec> common = {
    {"--quiet", "", "no progress on stderr"},
    {"--json", "", "print the result as one JSON object on stdout"},
    {"--threads", "N", "threads to use (default: ZKCNN_THREADS, else every core)"},
    {"--help", "", "show this help"},
};

}  // namespace

std::span<const OptionSpec> common_options() { return common; }

std::string help_text(const CommandSpec& command) {
  std::string text = "usage: zkcnn " + command.name + " " + command.synopsis + "\n\n" + command.description + "\n";
  auto list = [&](std::string_view title, std::span<const OptionSpec> options) {
    text += fmt::format("\n{}:\n", title);
    for (const auto& option : options) {
      const std::string left = fmt::format("{} {}", option.name, option.value_name);
      text += fmt::format("  {:<24} {}\n", option.value_name.empty() ? option.name : left, option.help);
    }
  };
  if (!command.options.empty()) list("options", command.options);
  list("common options", common);
  text += "\nexit status: 0 success (or verified), 1 rejected, 2 bad usage or bad input, 3 internal error\n";
  return text;
}

Arguments Arguments::parse(const CommandSpec& command, std::span<char* const> args) {
  Arguments parsed;
  parsed.command_ = command.name;
  auto usage = [&](const std::string& problem) -> Failure {
    return Failure(ExitCode::bad_input, problem + " (see zkcnn " + command.name + " --help)");
  };
  auto find = [&](std::string_view name) -> const OptionSpec* {
    for (const auto* options : {&command.options, &common}) {
      const auto it = std::find_if(options->begin(), options->end(), [&](const OptionSpec& o) { return o.name == name; });
      if (it != options->end()) return &*it;
    }
    return nullptr;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::optional<std::string> value;
    if (const auto equals = arg.find('='); arg.starts_with("--") && equals != std::string_view::npos) {
      value = std::string(arg.substr(equals + 1));  // --option=value
      arg = arg.substr(0, equals);
    }
    const OptionSpec* option = find(arg);
    if (option == nullptr) {
      throw usage(arg.starts_with("-") ? "unknown option " + std::string(arg) : "unexpected argument '" + std::string(arg) + "'");
    }
    if (option->value_name.empty()) {
      if (value) throw usage(option->name + " takes no value");
      value = "";
    } else if (!value) {
      if (i + 1 == args.size()) throw usage(option->name + " needs a value (" + option->value_name + ")");
      value = args[++i];
    }
    if (!parsed.values_.emplace(option->name, std::move(*value)).second) throw usage(option->name + " given twice");
  }
  return parsed;
}

bool Arguments::has(std::string_view option) const { return values_.find(option) != values_.end(); }

std::optional<std::string> Arguments::optional(std::string_view option) const {
  const auto it = values_.find(option);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Arguments::required(std::string_view option) const {
  auto value = optional(option);
  if (!value) throw Failure(ExitCode::bad_input, std::string(option) + " is required (see zkcnn " + command_ + " --help)");
  return *value;
}

std::size_t Arguments::number(std::string_view option, std::size_t fallback, std::size_t min, std::size_t max) const {
  const auto text = optional(option);
  if (!text) return fallback;
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    throw Failure(ExitCode::bad_input, std::string(option) + ": expected a whole number from " + std::to_string(min) +
                                           " to " + std::to_string(max) + ", got '" + *text + "'");
  }
  return value;
}

std::size_t Arguments::required_number(std::string_view option, std::size_t min, std::size_t max) const {
  required(option);
  return number(option, min, min, max);
}

void Arguments::require_one_of(std::initializer_list<std::string_view> options) const {
  const auto given = std::count_if(options.begin(), options.end(), [&](std::string_view o) { return has(o); });
  if (given == 1) return;
  std::string names;
  for (std::string_view o : options) names += (names.empty() ? "" : " or ") + std::string(o);
  throw Failure(ExitCode::bad_input, (given == 0 ? "give " : "give only one of ") + names + " (see zkcnn " + command_ +
                                         " --help)");
}

}  // namespace zkcnn::cli
