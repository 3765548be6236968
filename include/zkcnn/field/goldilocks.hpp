#pragma once
// The Goldilocks field, p = 2^64 - 2^32 + 1, with its own reduction: since 2^64 = 2^32 - 1 and
// 2^96 = -1 (mod p), a 128-bit product reduces with a few 64-bit additions and no division.
// Elements are stored as any 64-bit representative of their class (not necessarily < p); the
// canonical value is taken only for equality and encoding, which keeps addition and
// multiplication free of final comparisons.

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <span>
#include <stdexcept>
#include <string>

#include "zkcnn/detail/bigint.hpp"
#include "zkcnn/detail/random.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/pow.hpp"
#include "zkcnn/field/sqrt.hpp"
#include "zkcnn/field/wide_reduction.hpp"

namespace zkcnn {

/// Z/pZ for p = 2^64 - 2^32 + 1. Models PrimeField and TwoAdicField.
class Goldilocks {
 public:
  static constexpr std::uint64_t modulus = 0xFFFFFFFF00000001ull;
  static constexpr std::size_t modulus_bits = 64;
  static constexpr std::size_t byte_size = 8;
  static constexpr std::size_t uniform_bytes = byte_size + 16;
  static constexpr unsigned two_adicity = 32;
  static constexpr std::uint64_t quadratic_non_residue = 7;

 private:
  static constexpr std::uint64_t epsilon = 0xFFFFFFFFull;  // 2^64 mod p

  static constexpr std::uint64_t reduce128(detail::u128 x) {
    const auto low = static_cast<std::uint64_t>(x);
    const auto high = static_cast<std::uint64_t>(x >> 64);
    const std::uint64_t high_high = high >> 32;        // weight 2^96 = -1
    const std::uint64_t high_low = high & epsilon;      // weight 2^64 = 2^32 - 1
    // low < high_high happens with probability about 2^-32 for uniform inputs, so its correction
    // is a branch that is always predicted and costs nothing on the critical path.
    std::uint64_t t0 = low - high_high;
    if (low < high_high) [[unlikely]] t0 -= epsilon;  // wrapped by 2^64 = epsilon (mod p)
    const std::uint64_t t1 = (high_low << 32) - high_low;  // high_low * epsilon, < 2^64, exact
    std::uint64_t carry = 0;
    const std::uint64_t result = detail::add_with_carry(t0, t1, carry);
    // This carry is unpredictable (about one in two): a select, not a branch.
    return carry != 0 ? result + epsilon : result;  // cannot carry again
  }

  /// x + top 2^128 mod p for top < 2^32, from 2^128 = -2^32 (mod p): reduce x, then take
  /// top 2^32 away (a wrap past zero adds p, which is -epsilon modulo 2^64).
  static constexpr std::uint64_t reduce_wide(detail::u128 x, std::uint64_t top) {
    const std::uint64_t reduced = reduce128(x);
    const std::uint64_t taken = top << 32;
    const std::uint64_t difference = reduced - taken;
    return reduced < taken ? difference - epsilon : difference;
  }

  static constexpr std::uint64_t canonical(std::uint64_t x) { return x >= modulus ? x - modulus : x; }

  // (p - 1) / 2^32 = 2^32 - 1; the sqrt exponent is (t - 1) / 2.
  static constexpr std::array<std::uint64_t, 1> sqrt_exponent{(epsilon - 1) / 2};

  struct RawTag {};
  constexpr Goldilocks(RawTag, std::uint64_t value) : value_(value) {}

 public:
  constexpr Goldilocks() = default;

  static constexpr Goldilocks zero() { return {}; }
  static constexpr Goldilocks one() { return {RawTag{}, 1}; }
  static constexpr Goldilocks from_u64(std::uint64_t value) { return {RawTag{}, value}; }
  static constexpr Goldilocks from_i64(std::int64_t value) {
    return value < 0 ? -from_u64(static_cast<std::uint64_t>(-(value + 1)) + 1) : from_u64(static_cast<std::uint64_t>(value));
  }

  /// The canonical value in [0, p).
  constexpr std::uint64_t value() const { return canonical(value_); }

  constexpr std::array<std::uint8_t, byte_size> to_bytes() const {
    const std::uint64_t v = value();
    std::array<std::uint8_t, byte_size> out{};
    for (std::size_t i = 0; i < byte_size; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
    return out;
  }

  static Result<Goldilocks> from_bytes(std::span<const std::uint8_t> bytes) {
    if (bytes.size() != byte_size) {
      return make_error(Errc::invalid_encoding,
                        "field element: expected 8 bytes, got " + std::to_string(bytes.size()));
    }
    std::uint64_t v = 0;
    for (std::size_t i = byte_size; i-- > 0;) v = (v << 8) | bytes[i];
    if (v >= modulus) return make_error(Errc::invalid_encoding, "field element: encoding is not canonical (value >= modulus)");
    return from_u64(v);
  }

  static Goldilocks from_bytes_mod_order(std::span<const std::uint8_t> bytes) {
    return detail::reduce_le_bytes<Goldilocks>(bytes);
  }
  static Goldilocks from_uniform_bytes(std::span<const std::uint8_t> bytes) { return from_bytes_mod_order(bytes); }

  template <std::uniform_random_bit_generator Rng>
  static Goldilocks random(Rng& rng) {
    for (;;) {
      const std::uint64_t v = detail::random_u64(rng);
      if (v < modulus) return from_u64(v);
    }
  }

  /// A primitive 2^k-th root of unity: 7^((p-1)/2^k).
  static constexpr Goldilocks root_of_unity(unsigned k) {
    if (k > two_adicity) throw std::invalid_argument("root_of_unity: order exceeds the field's two-adicity");
    return pow(from_u64(quadratic_non_residue), (modulus - 1) >> k);
  }

  constexpr bool is_zero() const { return value() == 0; }
  constexpr Goldilocks square() const { return *this * *this; }

  constexpr std::optional<Goldilocks> inverse() const {
    if (is_zero()) return std::nullopt;
    return pow(*this, modulus - 2);
  }

  constexpr std::optional<Goldilocks> sqrt() const {
    return detail::tonelli_shanks(*this, std::span<const std::uint64_t>(sqrt_exponent), two_adicity,
                                  root_of_unity(two_adicity));
  }

  constexpr Goldilocks& operator+=(const Goldilocks& other) {
    std::uint64_t carry = 0;
    std::uint64_t sum = detail::add_with_carry(value_, other.value_, carry);
    // A wrap past 2^64 drops 2^64 = epsilon (mod p): add it back (at most twice).
    std::uint64_t carry2 = 0;
    sum = detail::add_with_carry(sum, carry * epsilon, carry2);
    value_ = sum + carry2 * epsilon;
    return *this;
  }
  constexpr Goldilocks& operator-=(const Goldilocks& other) {
    std::uint64_t borrow = 0;
    std::uint64_t diff = detail::sub_with_borrow(value_, other.value_, borrow);
    std::uint64_t borrow2 = 0;
    diff = detail::sub_with_borrow(diff, borrow * epsilon, borrow2);
    value_ = diff - borrow2 * epsilon;
    return *this;
  }
  constexpr Goldilocks& operator*=(const Goldilocks& other) {
    value_ = reduce128(detail::u128{value_} * other.value_);
    return *this;
  }
  /// (a0 + a1 X)(b0 + b1 X) in F[X]/(X^2 - w), w < 2^32, as its two coefficients, for
  /// QuadraticExtension: each coefficient sums its products at full width (up to 2^131) and is
  /// reduced once. Reducing every product, and the multiplication by w, doubles the latency
  /// (GoldilocksExt2 multiplication, clang++: 13.5 against 7.9 ns; g++: 26.7 against 7.9 ns).
  static constexpr std::array<Goldilocks, 2> quadratic_extension_product(const Goldilocks& a0, const Goldilocks& a1,
                                                                          const Goldilocks& b0, const Goldilocks& b1,
                                                                          std::uint64_t w) {
    using detail::u128;
    const u128 p00 = u128{a0.value_} * b0.value_;
    const u128 p11 = u128{a1.value_} * b1.value_;
    const u128 p01 = u128{a0.value_} * b1.value_;
    const u128 p10 = u128{a1.value_} * b0.value_;
    // c1 = p01 + p10, with its carry out of 128 bits.
    const u128 c1 = p01 + p10;
    const std::uint64_t c1_top = c1 < p01 ? 1 : 0;
    // c0 = p00 + w p11: w p11 as (low, middle, top) words, then p00 added.
    const u128 low = u128{static_cast<std::uint64_t>(p11)} * w;
    const u128 high = u128{static_cast<std::uint64_t>(p11 >> 64)} * w;
    const u128 middle = u128{static_cast<std::uint64_t>(high)} + static_cast<std::uint64_t>(low >> 64);
    const u128 scaled = (middle << 64) | static_cast<std::uint64_t>(low);
    const u128 c0 = p00 + scaled;
    const std::uint64_t c0_top =
        static_cast<std::uint64_t>(high >> 64) + static_cast<std::uint64_t>(middle >> 64) + (c0 < p00 ? 1 : 0);
    return {Goldilocks{RawTag{}, reduce_wide(c0, c0_top)}, Goldilocks{RawTag{}, reduce_wide(c1, c1_top)}};
  }

  friend constexpr Goldilocks operator+(Goldilocks a, const Goldilocks& b) { return a += b; }
  friend constexpr Goldilocks operator-(Goldilocks a, const Goldilocks& b) { return a -= b; }
  friend constexpr Goldilocks operator*(Goldilocks a, const Goldilocks& b) { return a *= b; }
  friend constexpr Goldilocks operator-(const Goldilocks& a) { return Goldilocks{} - a; }
  friend constexpr bool operator==(const Goldilocks& a, const Goldilocks& b) { return a.value() == b.value(); }

  friend std::ostream& operator<<(std::ostream& os, const Goldilocks& x) { return os << x.value(); }

 private:
  std::uint64_t value_ = 0;
};

}  // namespace zkcnn
