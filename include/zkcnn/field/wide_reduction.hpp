#pragma once
// Reduction of a little-endian byte string of any length modulo the field's characteristic.

#include <cstdint>
#include <span>

#include "zkcnn/concepts/field.hpp"

namespace zkcnn::detail {

/// The little-endian integer held by `bytes`, reduced into the field, by Horner's rule over
/// 64-bit words from the most significant end.
template <Field F>
F reduce_le_bytes(std::span<const std::uint8_t> bytes) {
  const F two_pow_32 = F::from_u64(std::uint64_t{1} << 32);
  const F two_pow_64 = two_pow_32 * two_pow_32;
  F acc = F::zero();
  const std::size_t words = (bytes.size() + 7) / 8;
  for (std::size_t w = words; w-- > 0;) {
    std::uint64_t word = 0;
    for (std::size_t b = 8; b-- > 0;) {
      const std::size_t index = 8 * w + b;
      word = (word << 8) | (index < bytes.size() ? bytes[index] : 0);
    }
    acc = acc * two_pow_64 + F::from_u64(word);
  }
  return acc;
}

}  // namespace zkcnn::detail
