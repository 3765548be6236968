#pragma once
// Exact integer accumulation for the linear layers' inference (nn/kinds/conv2d.hpp,
// nn/kinds/dense.hpp): bounds that decide, before a layer runs, which machine width computes
// its sums exactly.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "zkcnn/nn/layer_kind.hpp"

namespace zkcnn::detail {

inline std::int64_t largest_magnitude(std::span<const std::int64_t> values) {
  std::int64_t largest = 0;
  for (std::int64_t v : values) largest = std::max(largest, v < 0 ? -v : v);
  return largest;
}

// The largest partial sum of `terms` products of a weight and an input, plus a bias.
inline int128 accumulator_bound(const nn::LayerWeights& w, std::span<const std::int64_t> x, std::size_t terms) {
  return int128{largest_magnitude(w.kernel)} * largest_magnitude(x) * static_cast<int128>(terms) + largest_magnitude(w.bias);
}

// Whether no partial sum can reach 2^62: then 64-bit accumulators are exact and nothing needs
// checking.
inline bool fits_in_64_bits(const nn::LayerWeights& w, std::span<const std::int64_t> x, std::size_t terms) {
  return accumulator_bound(w, x, terms) < nn::max_magnitude;
}

// Whether weights and inputs fit in 16 bits and no partial sum reaches 2^31: then 32-bit
// accumulators of 16-bit products are exact, and compilers vectorize them in any x86-64 build
// (SSE2 multiplies eight 16-bit lanes at once), where 64-bit products stay scalar.
inline bool fits_in_32_bits(const nn::LayerWeights& w, std::span<const std::int64_t> x, std::size_t terms) {
  constexpr std::int64_t operand_limit = std::int64_t{1} << 15;
  return largest_magnitude(w.kernel) < operand_limit && largest_magnitude(x) < operand_limit &&
         accumulator_bound(w, x, terms) < (int128{1} << 31);
}

}  // namespace zkcnn::detail
