#pragma once
// Small integer helpers shared by the polynomial and protocol code.

#include <bit>
#include <cstddef>

namespace zkcnn::detail {

/// The number of variables of a multilinear table with `size` entries: ceil(log2(size)),
/// and 0 for sizes 0 and 1.
constexpr std::size_t ceil_log2(std::size_t size) {
  return size <= 1 ? 0 : static_cast<std::size_t>(std::bit_width(size - 1));
}

/// Reverses the lowest `bits` bits of `index`.
constexpr std::size_t reverse_bits(std::size_t index, std::size_t bits) {
  std::size_t out = 0;
  for (std::size_t i = 0; i < bits; ++i) {
    out = (out << 1) | (index & 1);
    index >>= 1;
  }
  return out;
}

}  // namespace zkcnn::detail
