#pragma once
// What every subcommand of the `zkcnn` command-line tool shares: exit codes and the failure
// that carries one, progress and result output. The commitment schemes are in backends.hpp.

#include <fmt/core.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <zkcnn/error.hpp>
#include <zkcnn/nn/architecture.hpp>
#include <zkcnn/precompiled.hpp>
#include <zkcnn/zk/model_circuit.hpp>
#include <zkcnn/zk/model_proof.hpp>
#include <zkcnn/zk/verifier_cost.hpp>

namespace zkcnn::cli {

/// The exit codes, the same for every subcommand.
enum class ExitCode : int {
  success = 0,    ///< done, or verified
  rejected = 1,   ///< the proof does not show the statement
  bad_input = 2,  ///< bad usage, or a file or an input that cannot be used
  internal_error = 3,  ///< an exception no check foresaw: a bug in this tool
};

/// Ends a subcommand with `code` and a message for a person; main prints it on stderr.
class Failure : public std::runtime_error {
 public:
  Failure(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

/// A bad-input failure: "<what>: <the library's message>".
[[noreturn]] inline void fail(const std::string& what, const Error& error) {
  throw Failure(ExitCode::bad_input, what + ": " + error.message);
}

/// The value of a result, or a bad-input failure naming `what`.
template <class T>
T take(Result<T> result, const std::string& what) {
  if (!result) fail(what, result.error());
  return std::move(*result);
}

/// Where a subcommand reports: progress (stderr, unless quiet), and its result on stdout,
/// either for a person or as one JSON object (--json).
class Output {
 public:
  Output(bool quiet, bool json) : quiet_(quiet), json_(json) {}

  bool json() const { return json_; }
  bool quiet() const { return quiet_; }

  template <class... Args>
  void progress(fmt::format_string<Args...> format, Args&&... args) const {
    if (quiet_) return;
    fmt::print(stderr, format, std::forward<Args>(args)...);
    std::fputc('\n', stderr);
  }

  /// A line of the human-readable result (nothing with --json).
  template <class... Args>
  void line(fmt::format_string<Args...> format, Args&&... args) const {
    if (json_) return;
    fmt::print(format, std::forward<Args>(args)...);
    std::fputc('\n', stdout);
  }

 private:
  bool quiet_;
  bool json_;
};

/// A long computation's progress on stderr: on a terminal, a bar with the percentage and the
/// time left, redrawn in place; otherwise a plain line at every tenth; nothing with --quiet.
class ProgressBar {
 public:
  ProgressBar(const Output& output, std::string label);
  /// Work `done` of `total` (zk::ProverOptions::progress); the bar ends when they are equal.
  void update(std::uint64_t done, std::uint64_t total);

 private:
  bool quiet_;
  bool terminal_;
  std::string label_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point drawn_{};
  int shown_ = -1;  // the percentage (terminal) or tenth (lines) last shown
};

/// A JSON object built member by member, in order; values are numbers, strings, booleans,
/// arrays of numbers, or JSON already built.
class JsonObject {
 public:
  JsonObject& add(std::string_view key, std::string_view value);
  JsonObject& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  JsonObject& add(std::string_view key, bool value) { return add_json(key, value ? "true" : "false"); }
  JsonObject& add(std::string_view key, double value);
  JsonObject& add(std::string_view key, std::int64_t value) { return add_json(key, std::to_string(value)); }
  JsonObject& add(std::string_view key, std::size_t value) { return add_json(key, std::to_string(value)); }
  JsonObject& add(std::string_view key, std::span<const std::int64_t> values);
  JsonObject& add(std::string_view key, std::span<const double> values);
  JsonObject& add_json(std::string_view key, std::string_view json);
  /// Appends every member of `other`, in order.
  JsonObject& add_members(const JsonObject& other);

  std::string str() const { return "{" + members_ + "}"; }

 private:
  std::string members_;
};

/// A JSON array of already-built values.
std::string json_array(std::span<const std::string> values);

/// Prints the object on stdout, one line.
void print_json(const JsonObject& object);

/// A prover's time per phase, for people and as JSON.
std::string profile_text(const zk::ProverProfile& profile);
std::string profile_json(const zk::ProverProfile& profile);

/// Ends a verifying subcommand: with --json one object ("verified", a rejection's "reason",
/// then `details`), else the rejection's reason or `verified_line`. Returns success or
/// rejected.
ExitCode report_verdict(const Output& output, const Status& verdict, const JsonObject& details,
                        std::string_view verified_line);

/// The circuit a verifier checks proofs over `batch` samples against, in the challenge field
/// C of the commitment's backend, compiled once the architecture's verification cost is within
/// `limits`; a bad-input failure (naming the layer and the limit) otherwise.
template <class C>
zk::ModelCircuit<C> verifier_circuit(const nn::Architecture& architecture, std::size_t batch, zk::Conclusion conclusion,
                                     const zk::VerifierLimits& limits) {
  auto circuit = zk::compile_for_verifier<C>(architecture, batch, conclusion, limits);
  if (!circuit && circuit.error().code == Errc::resource_limit) {
    throw Failure(ExitCode::bad_input, circuit.error().message + " (the --max-memory, --max-work and --max-degree "
                                                                 "options raise the limits)");
  }
  return take(std::move(circuit), "architecture");
}

/// The index of the largest value, the first one on ties: a classifier's predicted class.
std::size_t argmax(std::span<const std::int64_t> values);

/// Bytes in lowercase hexadecimal: digests for people.
std::string hex_text(std::span<const std::uint8_t> bytes);

/// Seconds since `start` (steady clock).
double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace zkcnn::cli
