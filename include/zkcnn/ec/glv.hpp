#pragma once
// Scalar multiplication through an endomorphism (Gallant, Lambert, Vanstone, "Faster point
// multiplication on elliptic curves with efficient endomorphisms", CRYPTO 2001). On BN254 and
// BLS12-381 G1 (y^2 = x^3 + b over a field with a cube root of unity beta), phi(x, y) =
// (beta x, y) costs one field multiplication and acts on the prime-order subgroup as
// multiplication by lambda, a cube root of unity mod r. Write k = k1 + k2 lambda (mod r) with
// |k1|, |k2| < 2^128; then [k]P = [k1]P + [k2]phi(P) is one double-and-add over 128 bits
// instead of 256: half the doublings.
//
// The split is Babai's rounding (GLV, section 4) against a short basis v1 = (a1, b1),
// v2 = (a2, b2) of the lattice {(a, b) : a + b lambda = 0 mod r}, with det = a1 b2 - a2 b1 = +-r:
//   c1 = round(k b2 / det),  c2 = round(-k b1 / det),
//   k1 = k - c1 a1 - c2 a2,  k2 = -c1 b1 - c2 b2,
// so k1 + k2 lambda = k - c1 (a1 + b1 lambda) - c2 (a2 + b2 lambda) = k (mod r) whatever c1 and
// c2 are. The quotients come from precomputed g1 = round(2^256 b2 / det), g2 =
// round(-2^256 b1 / det) as floor(k g / 2^256), off by at most one, which keeps both halves
// below 2^128 for the shipped curves (tests/ec/glv_test.cpp); a split that came out longer is
// refused, and the caller multiplies without the endomorphism. Every constant is checked when
// the header compiles (beta and lambda cube roots of unity, a + b lambda = 0 mod r), and the
// pairing of beta with lambda (phi(G) = [lambda]G) by the tests.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "zkcnn/detail/bigint.hpp"

namespace zkcnn::detail::ec {

/// A 256-bit integer; arithmetic is mod 2^256, and signed values are two's complement.
using Wide = Limbs<4>;

constexpr Wide wide_add(Wide a, const Wide& b) {
  add_in_place(a, b);
  return a;
}

constexpr Wide wide_negate(const Wide& a) {
  Wide zero{};
  sub_in_place(zero, a);
  return zero;
}

constexpr bool wide_is_negative(const Wide& a) { return (a[3] >> 63) != 0; }

/// The 512-bit product a b as eight limbs.
constexpr Limbs<8> wide_product(const Wide& a, const Wide& b) {
  Limbs<8> out{};
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (std::size_t j = 0; j < 4; ++j) out[i + j] = mul_add_with_carry(out[i + j], a[i], b[j], carry);
    out[i + 4] = carry;
  }
  return out;
}

/// a b mod 2^256.
constexpr Wide wide_mul_low(const Wide& a, const Wide& b) {
  const auto product = wide_product(a, b);
  return {product[0], product[1], product[2], product[3]};
}

/// floor(a b / 2^256) for non-negative a and b.
constexpr Wide wide_mul_high(const Wide& a, const Wide& b) {
  const auto product = wide_product(a, b);
  return {product[4], product[5], product[6], product[7]};
}

/// "0x..." or "-0x..." (at most 64 hexadecimal digits) as a two's-complement Wide.
constexpr Wide wide_from_hex(std::string_view hex) {
  const bool negative = !hex.empty() && hex.front() == '-';
  if (negative) hex.remove_prefix(1);
  const Wide magnitude = parse_hex<4>(hex);
  return negative ? wide_negate(magnitude) : magnitude;
}

/// A curve's endomorphism data, as hexadecimal strings ("-0x..." for a negative basis entry).
struct GlvParameters {
  std::string_view beta;    // a cube root of unity in the base field
  std::string_view lambda;  // the cube root of unity mod r with phi(P) = [lambda]P on the subgroup
  std::string_view a1, b1, a2, b2;  // the basis, entries below 2^128 in absolute value
  std::string_view g1, g2;          // round(2^256 b2 / det) and round(-2^256 b1 / det), both >= 0
};

/// One half of a split scalar: sign and magnitude (below 2^128, little-endian bytes).
struct GlvHalf {
  std::array<std::uint8_t, 16> magnitude{};
  bool negative = false;
};

class GlvSplitter {
 public:
  constexpr explicit GlvSplitter(const GlvParameters& p)
      : a1_(wide_from_hex(p.a1)), b1_(wide_from_hex(p.b1)), a2_(wide_from_hex(p.a2)), b2_(wide_from_hex(p.b2)),
        g1_(wide_from_hex(p.g1)), g2_(wide_from_hex(p.g2)) {}

  /// (k1, k2) with k = k1 + k2 lambda (mod r) for 0 <= k < r, or nothing if a half reached 2^128.
  constexpr std::optional<std::array<GlvHalf, 2>> split(const Wide& k) const {
    const Wide c1 = wide_mul_high(k, g1_);
    const Wide c2 = wide_mul_high(k, g2_);
    const Wide k1 = wide_add(k, wide_negate(wide_add(wide_mul_low(c1, a1_), wide_mul_low(c2, a2_))));
    const Wide k2 = wide_negate(wide_add(wide_mul_low(c1, b1_), wide_mul_low(c2, b2_)));
    const auto first = half(k1);
    const auto second = half(k2);
    if (!first || !second) return std::nullopt;
    return std::array<GlvHalf, 2>{*first, *second};
  }

 private:
  static constexpr std::optional<GlvHalf> half(const Wide& value) {
    GlvHalf out;
    out.negative = wide_is_negative(value);
    const Wide magnitude = out.negative ? wide_negate(value) : value;
    if (magnitude[2] != 0 || magnitude[3] != 0) return std::nullopt;
    for (std::size_t i = 0; i < 16; ++i) out.magnitude[i] = static_cast<std::uint8_t>(magnitude[i / 8] >> (8 * (i % 8)));
    return out;
  }

  Wide a1_, b1_, a2_, b2_, g1_, g2_;
};

}  // namespace zkcnn::detail::ec
