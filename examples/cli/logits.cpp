#include "logits.hpp"

#include <cmath>

#include <fmt/format.h>

namespace zkcnn::cli {

std::vector<double> Logits::values() const {
  std::vector<double> out;
  for (std::int64_t v : integers) out.push_back(std::ldexp(static_cast<double>(v), static_cast<int>(-scale_bits)));
  return out;
}

std::string Logits::text() const {
  std::string out;
  for (double v : values()) out += (out.empty() ? "" : ", ") + fmt::format("{:.4g}", v);
  return out + fmt::format(" (integers at scale 2^{})", scale_bits);
}

void Logits::add_to(JsonObject& json) const {
  const auto real = values();
  json.add("output", std::span<const std::int64_t>(integers))
      .add("output_scale_bits", scale_bits)
      .add("logits", std::span<const double>(real));
}

Logits logits(const nn::Architecture& architecture, std::span<const std::int64_t> output) {
  const auto shapes = take(architecture.shapes(), "architecture");
  return {{output.begin(), output.end()}, shapes.back().scale_bits};
}

}  // namespace zkcnn::cli
