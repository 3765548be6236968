#include "cli.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>

#include <zkcnn/field/bn254.hpp>

namespace zkcnn::cli {

namespace {

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// JSON has no infinities or NaN.
std::string json_number(double value) { return std::isfinite(value) ? fmt::format("{:.6g}", value) : "null"; }

}  // namespace

ProgressBar::ProgressBar(const Output& output, std::string label)
    : quiet_(output.quiet()),
      terminal_(isatty(fileno(stderr)) != 0),
      label_(std::move(label)),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  if (quiet_ || total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  const int percent = static_cast<int>(100 * std::min(done, total) / total);
  const double elapsed = seconds_since(start_);
  // No estimate before the first percent: the work before the first report (a circuit
  // compiled, tables built) would weigh on it out of all proportion.
  const std::string left =
      percent == 0 || done >= total
          ? ""
          : fmt::format(", about {:.0f} s left", elapsed * static_cast<double>(total - done) / static_cast<double>(done));
  if (!terminal_) {
    if (percent / 10 == shown_) return;
    shown_ = percent / 10;
    fmt::print(stderr, "{}: {}% ({:.1f} s{})\n", label_, percent, elapsed, left);
    return;
  }
  // Redraw when the percentage moves, at most five times a second, and always at the end.
  if (done < total && (percent == shown_ || now - drawn_ < std::chrono::milliseconds(200))) return;
  shown_ = percent;
  drawn_ = now;
  constexpr int width = 30;
  const int filled = percent * width / 100;
  fmt::print(stderr, "\r{} [{}{}] {:3}% ({:.1f} s{})\x1b[K", label_, std::string(static_cast<std::size_t>(filled), '#'),
             std::string(static_cast<std::size_t>(width - filled), ' '), percent, elapsed, left);
  if (done >= total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

JsonObject& JsonObject::add_json(std::string_view key, std::string_view json) {
  if (!members_.empty()) members_ += ",";
  members_ += json_string(key) + ":" + std::string(json);
  return *this;
}

JsonObject& JsonObject::add_members(const JsonObject& other) {
  if (!members_.empty() && !other.members_.empty()) members_ += ",";
  members_ += other.members_;
  return *this;
}

JsonObject& JsonObject::add(std::string_view key, std::string_view value) { return add_json(key, json_string(value)); }

JsonObject& JsonObject::add(std::string_view key, double value) { return add_json(key, json_number(value)); }

JsonObject& JsonObject::add(std::string_view key, std::span<const double> values) {
  std::vector<std::string> items;
  for (double v : values) items.push_back(json_number(v));
  return add_json(key, json_array(items));
}

JsonObject& JsonObject::add(std::string_view key, std::span<const std::int64_t> values) {
  std::vector<std::string> items;
  for (std::int64_t v : values) items.push_back(std::to_string(v));
  return add_json(key, json_array(items));
}

std::string json_array(std::span<const std::string> values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i == 0 ? "" : ",") + values[i];
  return out + "]";
}

void print_json(const JsonObject& object) { fmt::print("{}\n", object.str()); }

std::string profile_text(const zk::ProverProfile& p) {
  std::string text;
  for (const ProverPhase phase : all_prover_phases()) {
    if (p[phase] == 0) continue;
    text += fmt::format("{}{} {:.3f} s", text.empty() ? "" : ", ", phase_name(phase), p[phase]);
  }
  return text;
}

std::string profile_json(const zk::ProverProfile& p) {
  JsonObject json;
  for (const ProverPhase phase : all_prover_phases()) json.add(phase_name(phase), p[phase]);
  return json.str();
}

ExitCode report_verdict(const Output& output, const Status& verdict, const JsonObject& details,
                        std::string_view verified_line) {
  if (output.json()) {
    JsonObject json;
    json.add("verified", verdict.has_value());
    if (!verdict) json.add("reason", verdict.error().message);
    print_json(json.add_members(details));
  }
  if (!verdict) {
    output.line("REJECTED: {}", verdict.error().message);
    return ExitCode::rejected;
  }
  output.line("{}", verified_line);
  return ExitCode::success;
}

std::string hex_text(std::span<const std::uint8_t> bytes) {
  std::string out;
  for (std::uint8_t b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

std::size_t argmax(std::span<const std::int64_t> values) {
  return static_cast<std::size_t>(std::max_element(values.begin(), values.end()) - values.begin());
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace zkcnn::cli
