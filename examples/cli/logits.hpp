#pragma once
// A classifier's logits, as a statement holds them and as a person reads them. The model
// computes in integers: its output is at the scale 2^s of the last layer (the input's scale plus
// each layer's weight scale, less each rescale's shift, less the average pools' divisions;
// nn::ActivationShape::scale_bits), so logit v stands for v / 2^s.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <zkcnn/nn/architecture.hpp>

#include "cli.hpp"

namespace zkcnn::cli {

struct Logits {
  std::vector<std::int64_t> integers;
  /// The output's scale: integers[i] / 2^scale_bits is the logit (scale_bits may be negative).
  std::int64_t scale_bits = 0;

  std::vector<double> values() const;
  /// "2.53, -0.12, ... (integers at scale 2^8)".
  std::string text() const;
  /// Adds "output" (the integers), "output_scale_bits" and "logits" (the values).
  void add_to(JsonObject& json) const;
};

/// The model's output with the architecture's output scale.
Logits logits(const nn::Architecture& architecture, std::span<const std::int64_t> output);

}  // namespace zkcnn::cli
