#pragma once
// Drawing 64 uniform bits from any standard uniform random bit generator.

#include <bit>
#include <cstdint>
#include <random>

namespace zkcnn::detail {

/// 64 uniform bits from a generator whose range is [0, 2^k - 1] for some k >= 8.
template <std::uniform_random_bit_generator Rng>
std::uint64_t random_u64(Rng& rng) {
  constexpr std::uint64_t max = Rng::max();
  static_assert(Rng::min() == 0 && (max == ~std::uint64_t{0} || std::has_single_bit(max + 1)),
                "the generator's range must be [0, 2^k - 1]");
  constexpr unsigned bits_per_call = max == ~std::uint64_t{0} ? 64u : static_cast<unsigned>(std::bit_width(max));
  static_assert(bits_per_call >= 8, "the generator must yield at least 8 bits per call");
  if constexpr (bits_per_call == 64) {
    return static_cast<std::uint64_t>(rng());
  } else {
    std::uint64_t out = 0;
    for (unsigned filled = 0; filled < 64; filled += bits_per_call) {
      out = (out << bits_per_call) | static_cast<std::uint64_t>(rng());
    }
    return out;
  }
}

}  // namespace zkcnn::detail
