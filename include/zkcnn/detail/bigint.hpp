#pragma once
// Fixed-width unsigned integers as little-endian arrays of 64-bit limbs, with the constexpr
// helpers the field templates use to derive their constants at compile time.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace zkcnn::detail {

__extension__ using u128 = unsigned __int128;  // __extension__: a GNU type, accepted under -Wpedantic

template <std::size_t N>
using Limbs = std::array<std::uint64_t, N>;

/// a + b + carry: returns the low word, carry receives the high bit.
constexpr std::uint64_t add_with_carry(std::uint64_t a, std::uint64_t b, std::uint64_t& carry) {
  const u128 sum = u128{a} + b + carry;
  carry = static_cast<std::uint64_t>(sum >> 64);
  return static_cast<std::uint64_t>(sum);
}

/// a - b - borrow: returns the low word, borrow receives 1 when the result wrapped.
constexpr std::uint64_t sub_with_borrow(std::uint64_t a, std::uint64_t b, std::uint64_t& borrow) {
  const u128 diff = u128{a} - b - borrow;
  borrow = static_cast<std::uint64_t>(diff >> 127);
  return static_cast<std::uint64_t>(diff);
}

/// acc + a * b + carry: returns the low word, carry receives the high word (never overflows).
constexpr std::uint64_t mul_add_with_carry(std::uint64_t acc, std::uint64_t a, std::uint64_t b,
                                           std::uint64_t& carry) {
  const u128 t = u128{a} * b + acc + carry;
  carry = static_cast<std::uint64_t>(t >> 64);
  return static_cast<std::uint64_t>(t);
}

/// a < b as integers.
template <std::size_t N>
constexpr bool less_than(const Limbs<N>& a, const Limbs<N>& b) {
  for (std::size_t i = N; i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i];
  }
  return false;
}

/// a += b; returns the carry out.
template <std::size_t N>
constexpr std::uint64_t add_in_place(Limbs<N>& a, const Limbs<N>& b) {
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < N; ++i) a[i] = add_with_carry(a[i], b[i], carry);
  return carry;
}

/// a -= b; returns the borrow out.
template <std::size_t N>
constexpr std::uint64_t sub_in_place(Limbs<N>& a, const Limbs<N>& b) {
  std::uint64_t borrow = 0;
  for (std::size_t i = 0; i < N; ++i) a[i] = sub_with_borrow(a[i], b[i], borrow);
  return borrow;
}

template <std::size_t N>
constexpr bool is_zero(const Limbs<N>& a) {
  // One branch on the limbs' OR: the sumcheck provers test every table entry they fold.
  std::uint64_t any = 0;
  for (auto limb : a) any |= limb;
  return any == 0;
}

template <std::size_t N>
constexpr bool test_bit(const Limbs<N>& a, std::size_t bit) {
  return (a[bit / 64] >> (bit % 64)) & 1;
}

/// Number of significant bits (0 for zero).
template <std::size_t N>
constexpr std::size_t bit_length(const Limbs<N>& a) {
  for (std::size_t i = N; i-- > 0;) {
    if (a[i] != 0) return 64 * i + 64 - static_cast<std::size_t>(__builtin_clzll(a[i]));
  }
  return 0;
}

/// Number of trailing zero bits; precondition: a != 0.
template <std::size_t N>
constexpr std::size_t trailing_zeros(const Limbs<N>& a) {
  for (std::size_t i = 0; i < N; ++i) {
    if (a[i] != 0) return 64 * i + static_cast<std::size_t>(__builtin_ctzll(a[i]));
  }
  return 64 * N;
}

/// a >> shift (logical).
template <std::size_t N>
constexpr Limbs<N> shift_right(const Limbs<N>& a, std::size_t shift) {
  Limbs<N> out{};
  const std::size_t words = shift / 64;
  const std::size_t bits = shift % 64;
  for (std::size_t i = 0; i + words < N; ++i) {
    out[i] = a[i + words] >> bits;
    if (bits != 0 && i + words + 1 < N) out[i] |= a[i + words + 1] << (64 - bits);
  }
  return out;
}

/// a mod m for a small m (used for Jacobi symbols of small candidates).
template <std::size_t N>
constexpr std::uint64_t mod_small(const Limbs<N>& a, std::uint64_t m) {
  u128 rem = 0;
  for (std::size_t i = N; i-- > 0;) rem = ((rem << 64) | a[i]) % m;
  return static_cast<std::uint64_t>(rem);
}

/// Parses a big-endian hexadecimal literal (optional 0x prefix) at compile time. A literal that
/// does not fit or holds a non-hex character fails constant evaluation.
template <std::size_t N>
constexpr Limbs<N> parse_hex(std::string_view hex) {
  if (hex.starts_with("0x") || hex.starts_with("0X")) hex.remove_prefix(2);
  Limbs<N> out{};
  std::size_t bit = 0;
  for (std::size_t i = hex.size(); i-- > 0;) {
    const char c = hex[i];
    std::uint64_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint64_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint64_t>(c - 'A' + 10);
    } else {
      throw "parse_hex: not a hexadecimal digit";
    }
    if (digit != 0 && bit / 64 >= N) throw "parse_hex: literal does not fit";
    if (bit / 64 < N) out[bit / 64] |= digit << (bit % 64);
    bit += 4;
  }
  return out;
}

/// The Jacobi symbol (a / n) for odd n; used to find quadratic non-residues at compile time.
constexpr int jacobi(std::uint64_t a, std::uint64_t n) {
  int result = 1;
  a %= n;
  while (a != 0) {
    while (a % 2 == 0) {
      a /= 2;
      const std::uint64_t r = n % 8;
      if (r == 3 || r == 5) result = -result;
    }
    const std::uint64_t tmp = a;
    a = n;
    n = tmp;
    if (a % 4 == 3 && n % 4 == 3) result = -result;
    a %= n;
  }
  return n == 1 ? result : 0;
}

/// The Jacobi symbol (z / p) for a small z and a multi-limb odd p, by reciprocity:
/// (z/p) = (p/z) up to the sign rules, and p mod z is cheap.
template <std::size_t N>
constexpr int jacobi_small_over_big(std::uint64_t z, const Limbs<N>& p) {
  int sign = 1;
  while (z % 2 == 0) {  // (2/p) = -1 iff p = 3, 5 mod 8
    z /= 2;
    const std::uint64_t r = p[0] % 8;
    if (r == 3 || r == 5) sign = -sign;
  }
  if (z == 1) return sign;
  if (z % 4 == 3 && p[0] % 4 == 3) sign = -sign;
  return sign * jacobi(mod_small(p, z), z);
}

}  // namespace zkcnn::detail
