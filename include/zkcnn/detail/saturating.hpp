#pragma once
// Saturating size arithmetic, for costs computed from untrusted shapes: a hostile shape must
// not wrap a cost around to a small number.

#include <cstddef>
#include <cstdint>

#include "zkcnn/detail/bits.hpp"

namespace zkcnn::detail {

inline std::size_t saturating_add(std::size_t a, std::size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }
inline std::size_t saturating_mul(std::size_t a, std::size_t b) { return b != 0 && a > SIZE_MAX / b ? SIZE_MAX : a * b; }
/// n rounded up to a power of two.
inline std::size_t padded(std::size_t n) { return n > (std::size_t{1} << 62) ? SIZE_MAX : std::size_t{1} << ceil_log2(n); }

}  // namespace zkcnn::detail
