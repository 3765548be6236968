#pragma once
// Exponentiation by square-and-multiply, for any field and any exponent width.

#include <cstdint>
#include <span>

#include "zkcnn/concepts/field.hpp"

namespace zkcnn {

/// base^exponent, the exponent given as little-endian 64-bit limbs. 0^0 = 1.
template <Field F>
constexpr F pow(const F& base, std::span<const std::uint64_t> exponent) {
  F result = F::one();
  for (std::size_t i = exponent.size(); i-- > 0;) {
    for (int bit = 63; bit >= 0; --bit) {
      result = result.square();
      if ((exponent[i] >> bit) & 1) result *= base;
    }
  }
  return result;
}

/// base^exponent for a 64-bit exponent.
template <Field F>
constexpr F pow(const F& base, std::uint64_t exponent) {
  F result = F::one();
  F power = base;
  while (exponent != 0) {
    if (exponent & 1) result *= power;
    exponent >>= 1;
    if (exponent != 0) power = power.square();
  }
  return result;
}

}  // namespace zkcnn
