#pragma once
// One prime-field template for any odd modulus fixed at compile time, in Montgomery form.
//
// Every constant (R mod p, R^2 mod p, -p^-1 mod 2^64, the two-adicity, a quadratic non-residue
// and the roots of unity) is derived from the modulus during compilation: no runtime
// initialisation and no global state. Multiplication is Montgomery multiplication (Koc, Acar,
// Kaliski, "Analyzing and comparing Montgomery multiplication algorithms", 1996): separated
// operand scanning in portable code; on x86-64, interleaved (CIOS) with add-with-carry
// intrinsics, or, for four- and six-limb moduli with a spare bit on targets with BMI2 and ADX,
// the MULX/ADCX/ADOX assembly of field/detail/montgomery_x86_64.hpp.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "zkcnn/detail/bigint.hpp"
#include "zkcnn/detail/inline.hpp"
#include "zkcnn/detail/random.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/detail/montgomery_x86_64.hpp"
#include "zkcnn/field/inverse_vartime.hpp"
#include "zkcnn/field/pow.hpp"
#include "zkcnn/field/sqrt.hpp"
#include "zkcnn/field/wide_reduction.hpp"

namespace zkcnn {

namespace detail {

/// Limbs needed for a hexadecimal literal, ignoring a 0x prefix and leading zeros.
constexpr std::size_t hex_limb_count(std::string_view hex) {
  if (hex.starts_with("0x") || hex.starts_with("0X")) hex.remove_prefix(2);
  while (!hex.empty() && hex.front() == '0') hex.remove_prefix(1);
  return (hex.size() * 4 + 63) / 64;
}

/// Declared, never defined here: a test may define it to reach a field's multiplication kernels.
template <class Field>
struct MontgomeryKernelAccess;

}  // namespace detail

/// Z/pZ for the odd prime p given by `Params::modulus`, a hexadecimal string literal.
/// Models PrimeField and TwoAdicField.
template <class Params>
class MontgomeryField {
 public:
  static constexpr std::size_t limb_count = detail::hex_limb_count(Params::modulus);
  using Limbs = detail::Limbs<limb_count>;

  static constexpr Limbs modulus = detail::parse_hex<limb_count>(Params::modulus);
  static constexpr std::size_t modulus_bits = detail::bit_length(modulus);
  static constexpr std::size_t byte_size = (modulus_bits + 7) / 8;
  /// Bytes a transcript squeezes per challenge: 128 bits beyond the modulus, so the reduced
  /// value is within 2^-128 of uniform.
  static constexpr std::size_t uniform_bytes = byte_size + 16;

  static_assert(limb_count >= 1 && (modulus[0] & 1) == 1 && modulus_bits >= 3,
                "MontgomeryField needs an odd modulus greater than 4");

 private:
  // -p^-1 mod 2^64 by Newton iteration: each step doubles the number of correct low bits.
  static constexpr std::uint64_t compute_inv() {
    std::uint64_t x = 1;
    for (int i = 0; i < 6; ++i) x *= 2 - modulus[0] * x;
    return ~x + 1;
  }
  static constexpr std::uint64_t inv = compute_inv();
  // Hidden: the assembly kernels address it relative to RIP, which a symbol that another shared
  // object could interpose would not allow (it would be read through the GOT, at the cost of a
  // register).
  ZKCNN_HIDDEN static constexpr detail::MontgomeryKernelConstants<limb_count> kernel_constants{modulus, inv};

  // a - p when a >= p, else a; for a < 2p. Branch-free: the comparison is data-dependent and
  // unpredictable, so a select beats a branch.
  ZKCNN_ALWAYS_INLINE static constexpr Limbs reduce_once(const Limbs& a, std::uint64_t high_carry = 0) {
    Limbs reduced = a;
    const std::uint64_t borrow = detail::sub_in_place(reduced, modulus);
    const std::uint64_t keep_mask = std::uint64_t{0} - (borrow & ~high_carry & 1);  // all ones: keep a
    for (std::size_t i = 0; i < limb_count; ++i) reduced[i] = (a[i] & keep_mask) | (reduced[i] & ~keep_mask);
    return reduced;
  }

#if ZKCNN_HAS_ADDCARRY_INTRINSICS
  // The same with the carries in the flags register: g++ turns the 128-bit carries of the
  // portable form into a chain of flag-to-register moves, which made an addition as slow as a
  // third of a multiplication.
  ZKCNN_ALWAYS_INLINE static Limbs add_mod_intrinsics(const Limbs& a, const Limbs& b) {
    using ull = unsigned long long;
    ull sum[limb_count], reduced[limb_count];
    unsigned char carry = 0;
    ZKCNN_UNROLL
    for (std::size_t i = 0; i < limb_count; ++i) carry = _addcarry_u64(carry, a[i], b[i], &sum[i]);
    unsigned char borrow = 0;
    ZKCNN_UNROLL
    for (std::size_t i = 0; i < limb_count; ++i) borrow = _subborrow_u64(borrow, sum[i], modulus[i], &reduced[i]);
    // Keep the sum when subtracting p borrowed beyond the sum's own carry.
    const std::uint64_t keep_mask = std::uint64_t{0} - static_cast<std::uint64_t>(borrow & ~carry & 1);
    Limbs out;
    ZKCNN_UNROLL
    for (std::size_t i = 0; i < limb_count; ++i) out[i] = (sum[i] & keep_mask) | (reduced[i] & ~keep_mask);
    return out;
  }

  ZKCNN_ALWAYS_INLINE static Limbs sub_mod_intrinsics(const Limbs& a, const Limbs& b) {
    using ull = unsigned long long;
    ull difference[limb_count];
    unsigned char borrow = 0;
    ZKCNN_UNROLL
    for (std::size_t i = 0; i < limb_count; ++i) borrow = _subborrow_u64(borrow, a[i], b[i], &difference[i]);
    const std::uint64_t wrap_mask = std::uint64_t{0} - static_cast<std::uint64_t>(borrow);
    ull corrected[limb_count];
    unsigned char carry = 0;
    ZKCNN_UNROLL
    for (std::size_t i = 0; i < limb_count; ++i) carry = _addcarry_u64(carry, difference[i], modulus[i] & wrap_mask, &corrected[i]);
    Limbs out;
    ZKCNN_UNROLL
    for (std::size_t i = 0; i < limb_count; ++i) out[i] = corrected[i];
    return out;
  }
#endif

  ZKCNN_ALWAYS_INLINE static constexpr Limbs add_mod(Limbs a, const Limbs& b) {
#if ZKCNN_HAS_ADDCARRY_INTRINSICS
    if (!std::is_constant_evaluated()) return add_mod_intrinsics(a, b);
#endif
    const std::uint64_t carry = detail::add_in_place(a, b);
    return reduce_once(a, carry);
  }

  // a - b, adding p back (selected by mask, not by a branch) when it wrapped.
  ZKCNN_ALWAYS_INLINE static constexpr Limbs sub_mod(Limbs a, const Limbs& b) {
#if ZKCNN_HAS_ADDCARRY_INTRINSICS
    if (!std::is_constant_evaluated()) return sub_mod_intrinsics(a, b);
#endif
    const std::uint64_t wrap_mask = std::uint64_t{0} - detail::sub_in_place(a, b);
    Limbs correction = modulus;
    for (auto& limb : correction) limb &= wrap_mask;
    detail::add_in_place(a, correction);
    return a;
  }

  // 2^(64 * limb_count * power) mod p, by repeated doubling.
  static constexpr Limbs power_of_r(std::size_t power) {
    Limbs x{};
    x[0] = 1;
    for (std::size_t i = 0; i < 64 * limb_count * power; ++i) x = add_mod(x, x);
    return x;
  }
  static constexpr Limbs r_mod_p = power_of_r(1);
  static constexpr Limbs r2_mod_p = power_of_r(2);
  static constexpr Limbs r3_mod_p = power_of_r(3);

  // Moduli whose top limb leaves a spare bit (below 2^63 - 1) never overflow N + 1 limbs in
  // the interleaved (CIOS) loop, so its final carries can be dropped.
  static constexpr bool has_spare_bit = modulus[limb_count - 1] < 0x7FFFFFFFFFFFFFFFull;

  // a * b * R^-1 mod p for a, b < p, portable: separated operand scanning, the full 2N-limb
  // product first, then N reduction steps that each clear the lowest remaining limb by adding
  // a multiple of p. Works for every odd modulus (no spare bit needed).
  ZKCNN_ALWAYS_INLINE static constexpr Limbs montgomery_multiply_portable(const Limbs& a, const Limbs& b) {
    constexpr std::size_t n = limb_count;
    std::uint64_t t[2 * n];  // every limb is written before it is read
ZKCNN_UNROLL
    for (std::size_t i = 0; i < n; ++i) {
      detail::u128 acc = 0;
ZKCNN_UNROLL
      for (std::size_t j = 0; j < n; ++j) {
        acc += detail::u128{a[j]} * b[i] + (i == 0 ? 0 : t[i + j]);
        t[i + j] = static_cast<std::uint64_t>(acc);
        acc >>= 64;
      }
      t[i + n] = static_cast<std::uint64_t>(acc);
    }
    // `pending` is the carry out of limb i + n - 1 of the previous step, owed to limb i + n; after
    // the last step it is bit 64 * 2n, which only moduli without a spare bit can set.
    std::uint64_t pending = 0;
ZKCNN_UNROLL
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t m = t[i] * inv;
      detail::u128 acc = 0;
ZKCNN_UNROLL
      for (std::size_t j = 0; j < n; ++j) {
        acc += detail::u128{m} * modulus[j] + t[i + j];
        t[i + j] = static_cast<std::uint64_t>(acc);
        acc >>= 64;
      }
      acc += detail::u128{t[i + n]} + pending;
      t[i + n] = static_cast<std::uint64_t>(acc);
      pending = static_cast<std::uint64_t>(acc >> 64);
    }
    Limbs high{};
    for (std::size_t j = 0; j < n; ++j) high[j] = t[n + j];
    return reduce_once(high, pending);
  }

#if ZKCNN_HAS_ADDCARRY_INTRINSICS
  // a * b * R^-1 mod p by interleaved CIOS for moduli with a spare bit. Each row adds the low
  // and the high halves of its N products in two separate carry chains, which the
  // add-with-carry intrinsics keep in the flags register: measured about 25% faster than the
  // portable form (docs/benchmarks.md).
  ZKCNN_ALWAYS_INLINE static Limbs montgomery_multiply_cios(const Limbs& a, const Limbs& b) {
    using ull = unsigned long long;
    constexpr std::size_t n = limb_count;
    ull t[n + 1] = {};
    ull low[n];
    ull high[n];
    ZKCNN_UNROLL
    for (std::size_t i = 0; i < n; ++i) {
      ZKCNN_UNROLL
      for (std::size_t j = 0; j < n; ++j) {
        const detail::u128 product = detail::u128{a[j]} * b[i];
        low[j] = static_cast<ull>(product);
        high[j] = static_cast<ull>(product >> 64);
      }
      unsigned char carry = 0;
      ZKCNN_UNROLL
      for (std::size_t j = 0; j < n; ++j) carry = _addcarry_u64(carry, t[j], low[j], &t[j]);
      (void)_addcarry_u64(carry, t[n], 0, &t[n]);
      carry = 0;
      ZKCNN_UNROLL
      for (std::size_t j = 0; j < n; ++j) carry = _addcarry_u64(carry, t[j + 1], high[j], &t[j + 1]);

      const ull m = t[0] * inv;
      ZKCNN_UNROLL
      for (std::size_t j = 0; j < n; ++j) {
        const detail::u128 product = detail::u128{m} * modulus[j];
        low[j] = static_cast<ull>(product);
        high[j] = static_cast<ull>(product >> 64);
      }
      // t + m p is divisible by 2^64: add and shift down one limb in the same pass.
      ull discarded = 0;
      carry = _addcarry_u64(0, t[0], low[0], &discarded);
      ZKCNN_UNROLL
      for (std::size_t j = 1; j < n; ++j) carry = _addcarry_u64(carry, t[j], low[j], &t[j - 1]);
      (void)_addcarry_u64(carry, t[n], 0, &t[n - 1]);
      carry = 0;
      ZKCNN_UNROLL
      for (std::size_t j = 0; j < n; ++j) carry = _addcarry_u64(carry, t[j], high[j], &t[j]);
      t[n] = 0;
    }
    // Subtract p once if t >= p, selecting without a branch.
    Limbs out{};
    ull reduced[n];
    unsigned char borrow = 0;
    ZKCNN_UNROLL
    for (std::size_t j = 0; j < n; ++j) borrow = _subborrow_u64(borrow, t[j], modulus[j], &reduced[j]);
    const std::uint64_t keep_mask = std::uint64_t{0} - borrow;
    ZKCNN_UNROLL
    for (std::size_t j = 0; j < n; ++j) out[j] = (t[j] & keep_mask) | (reduced[j] & ~keep_mask);
    return out;
  }
#endif

  // Without the assembly kernel: CIOS with the add-with-carry intrinsics where the modulus has a
  // spare bit, the portable loop otherwise.
  ZKCNN_ALWAYS_INLINE static constexpr Limbs montgomery_multiply_without_asm(const Limbs& a, const Limbs& b) {
#if ZKCNN_HAS_ADDCARRY_INTRINSICS
    if constexpr (has_spare_bit) {
      if (!std::is_constant_evaluated()) return montgomery_multiply_cios(a, b);
    }
#endif
    return montgomery_multiply_portable(a, b);
  }

#if ZKCNN_HAS_X86_64_MONTGOMERY_ASM
  // The same behind a call, for CPUs that the assembly kernel is known at run time not to suit:
  // inlined beside the kernel at every multiplication, the second path cost g++'s point
  // formulas their register allocation (BN254 G1 addition 375-391 to 312-329 ns out of line,
  // g++ 12 without -march; docs/benchmarks.md).
  [[gnu::noinline, gnu::cold]] static Limbs montgomery_multiply_out_of_line(const Limbs& a, const Limbs& b) {
    return montgomery_multiply_without_asm(a, b);
  }
#endif

  ZKCNN_ALWAYS_INLINE static constexpr Limbs montgomery_multiply(const Limbs& a, const Limbs& b) {
#if ZKCNN_HAS_X86_64_MONTGOMERY_ASM
    if constexpr (has_spare_bit && (limb_count == 4 || limb_count == 6)) {
      if (!std::is_constant_evaluated()) {
        if (detail::use_x86_64_montgomery_asm()) [[likely]] {
          if constexpr (limb_count == 4) return detail::montgomery_multiply_x86_64_4<kernel_constants>(a, b);
          else return detail::montgomery_multiply_x86_64_6<kernel_constants>(a, b);
        }
        return montgomery_multiply_out_of_line(a, b);
      }
    }
#endif
    return montgomery_multiply_without_asm(a, b);
  }

  static constexpr Limbs montgomery_pow(Limbs base, const Limbs& exponent) {
    Limbs result = r_mod_p;
    for (std::size_t bit = detail::bit_length(exponent); bit-- > 0;) {
      result = montgomery_multiply(result, result);
      if (detail::test_bit(exponent, bit)) result = montgomery_multiply(result, base);
    }
    return result;
  }

  static constexpr Limbs p_minus_one = [] {
    Limbs x = modulus;
    x[0] -= 1;  // p is odd: no borrow
    return x;
  }();

 public:
  /// Largest s with 2^s | p - 1.
  static constexpr unsigned two_adicity = static_cast<unsigned>(detail::trailing_zeros(p_minus_one));

 private:
  // p - 1 = 2^s * t with t odd.
  static constexpr Limbs odd_part = detail::shift_right(p_minus_one, two_adicity);

  static constexpr std::uint64_t find_non_residue() {
    for (std::uint64_t z = 2;; ++z) {
      if (detail::jacobi_small_over_big(z, modulus) == -1) return z;
    }
  }

  static constexpr Limbs to_montgomery(const Limbs& canonical) { return montgomery_multiply(canonical, r2_mod_p); }

 public:
  /// The smallest quadratic non-residue; its odd-part power generates the 2-Sylow subgroup.
  static constexpr std::uint64_t quadratic_non_residue = find_non_residue();

 private:
  static constexpr Limbs max_root_montgomery =
      montgomery_pow(to_montgomery(Limbs{quadratic_non_residue}), odd_part);
  static constexpr Limbs inverse_exponent = [] {
    Limbs x = modulus;
    x[0] -= 2;  // p > 4 and odd: no borrow
    return x;
  }();
  static constexpr Limbs sqrt_exponent = detail::shift_right(odd_part, 1);  // (t - 1) / 2

  struct RawTag {};
  constexpr MontgomeryField(RawTag, const Limbs& montgomery) : value_(montgomery) {}

 public:
  /// Zero.
  constexpr MontgomeryField() = default;

  static constexpr MontgomeryField zero() { return {}; }
  static constexpr MontgomeryField one() { return {RawTag{}, r_mod_p}; }

  static constexpr MontgomeryField from_u64(std::uint64_t value) {
    Limbs x{};
    x[0] = (limb_count == 1 && value >= modulus[0]) ? value % modulus[0] : value;
    return {RawTag{}, to_montgomery(x)};
  }

  /// A signed integer mapped as v -> v mod p (how quantized values enter the field).
  static constexpr MontgomeryField from_i64(std::int64_t value) {
    const auto magnitude = static_cast<std::uint64_t>(value < 0 ? -(value + 1) : value) + (value < 0 ? 1 : 0);
    const MontgomeryField x = from_u64(magnitude);
    return value < 0 ? -x : x;
  }

  /// The element whose canonical value is `canonical`; precondition: canonical < p.
  static constexpr MontgomeryField from_canonical_limbs(const Limbs& canonical) {
    return {RawTag{}, to_montgomery(canonical)};
  }

  /// The canonical value in [0, p) as little-endian limbs: value * R^-1, Montgomery's reduction
  /// of the single-width value alone (a quarter of a product's work for four limbs). Portable
  /// code, not the assembly kernel: the kernel, inlined into the large frames that convert
  /// scalars (a scalar multiplication's ladder), asked clang for more registers than it had for
  /// -march=icelake-server and sapphirerapids.
  constexpr Limbs to_canonical_limbs() const {
    // Each row adds the multiple m p of p that clears the lowest limb, then drops that limb.
    // t < p stays true: (t + m p) / 2^64 <= (p - 1 + (2^64 - 1) p) / 2^64 < p, so neither a
    // limb beyond the n nor a final subtraction is needed, whether or not p has a spare bit.
    Limbs t = value_;
    ZKCNN_UNROLL
    for (std::size_t i = 0; i < limb_count; ++i) {
      const std::uint64_t m = t[0] * inv;
      detail::u128 acc = detail::u128{m} * modulus[0] + t[0];  // its low limb is zero
      ZKCNN_UNROLL
      for (std::size_t j = 1; j < limb_count; ++j) {
        acc = (acc >> 64) + detail::u128{m} * modulus[j] + t[j];  // at most 2^128 - 1
        t[j - 1] = static_cast<std::uint64_t>(acc);
      }
      t[limb_count - 1] = static_cast<std::uint64_t>(acc >> 64);
    }
    return t;
  }

  /// Canonical little-endian encoding of the value in [0, p).
  constexpr std::array<std::uint8_t, byte_size> to_bytes() const {
    const Limbs canonical = to_canonical_limbs();
    std::array<std::uint8_t, byte_size> out{};
    for (std::size_t i = 0; i < byte_size; ++i) out[i] = static_cast<std::uint8_t>(canonical[i / 8] >> (8 * (i % 8)));
    return out;
  }

  /// Decodes exactly byte_size little-endian bytes; rejects values >= p.
  static Result<MontgomeryField> from_bytes(std::span<const std::uint8_t> bytes) {
    if (bytes.size() != byte_size) {
      return make_error(Errc::invalid_encoding, "field element: expected " + std::to_string(byte_size) +
                                                    " bytes, got " + std::to_string(bytes.size()));
    }
    Limbs x{};
    for (std::size_t i = 0; i < byte_size; ++i) x[i / 8] |= std::uint64_t{bytes[i]} << (8 * (i % 8));
    if (!detail::less_than(x, modulus)) {
      return make_error(Errc::invalid_encoding, "field element: encoding is not canonical (value >= modulus)");
    }
    return from_canonical_limbs(x);
  }

  /// The little-endian integer of any length `bytes` holds, reduced mod p.
  static MontgomeryField from_bytes_mod_order(std::span<const std::uint8_t> bytes) {
    return detail::reduce_le_bytes<MontgomeryField>(bytes);
  }

  /// A challenge from uniform_bytes uniform bytes (wide reduction).
  static MontgomeryField from_uniform_bytes(std::span<const std::uint8_t> bytes) {
    return from_bytes_mod_order(bytes);
  }

  /// A uniformly random element (rejection sampling: no modular bias).
  template <std::uniform_random_bit_generator Rng>
  static MontgomeryField random(Rng& rng) {
    constexpr std::size_t top_bits = modulus_bits - 64 * (limb_count - 1);
    constexpr std::uint64_t top_mask = top_bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << top_bits) - 1;
    for (;;) {
      Limbs x{};
      for (auto& limb : x) limb = detail::random_u64(rng);
      x[limb_count - 1] &= top_mask;
      // Montgomery form is a bijection of [0, p), so a uniform x is a uniform element as is.
      if (detail::less_than(x, modulus)) return {RawTag{}, x};
    }
  }

  /// A primitive 2^k-th root of unity; k must not exceed two_adicity.
  static constexpr MontgomeryField root_of_unity(unsigned k) {
    if (k > two_adicity) throw std::invalid_argument("root_of_unity: order exceeds the field's two-adicity");
    MontgomeryField root{RawTag{}, max_root_montgomery};
    for (unsigned i = k; i < two_adicity; ++i) root = root.square();
    return root;
  }

  constexpr bool is_zero() const { return detail::is_zero(value_); }

  ZKCNN_ALWAYS_INLINE constexpr MontgomeryField square() const { return {RawTag{}, montgomery_multiply(value_, value_)}; }

  /// The multiplicative inverse (Fermat: x^(p-2)), or nothing for zero.
  constexpr std::optional<MontgomeryField> inverse() const {
    if (is_zero()) return std::nullopt;
    return MontgomeryField{RawTag{}, montgomery_pow(value_, inverse_exponent)};
  }

  /// The same in time that depends on the value (Bernstein-Yang divsteps,
  /// field/inverse_vartime.hpp): about five times faster for BN254, for public values only.
  constexpr std::optional<MontgomeryField> inverse_vartime() const {
    if (is_zero()) return std::nullopt;
    if (std::is_constant_evaluated()) return inverse();
    // value_ = a R, so its plain inverse is a^-1 R^-1; the Montgomery product with R^3 gives a^-1 R.
    const auto plain_inverse = detail::divsteps::inverse(value_, modulus, inv);
    if (!plain_inverse) return inverse();  // beyond the divsteps' bound: not for a prime modulus
    return MontgomeryField{RawTag{}, montgomery_multiply(*plain_inverse, r3_mod_p)};
  }

  /// A square root, or nothing for a non-residue.
  constexpr std::optional<MontgomeryField> sqrt() const {
    return detail::tonelli_shanks(*this, std::span<const std::uint64_t>(sqrt_exponent), two_adicity,
                                  root_of_unity(two_adicity));
  }

  ZKCNN_ALWAYS_INLINE constexpr MontgomeryField& operator+=(const MontgomeryField& other) {
    value_ = add_mod(value_, other.value_);
    return *this;
  }
  ZKCNN_ALWAYS_INLINE constexpr MontgomeryField& operator-=(const MontgomeryField& other) {
    value_ = sub_mod(value_, other.value_);
    return *this;
  }
  ZKCNN_ALWAYS_INLINE constexpr MontgomeryField& operator*=(const MontgomeryField& other) {
    value_ = montgomery_multiply(value_, other.value_);
    return *this;
  }
  ZKCNN_ALWAYS_INLINE friend constexpr MontgomeryField operator+(MontgomeryField a, const MontgomeryField& b) { return a += b; }
  ZKCNN_ALWAYS_INLINE friend constexpr MontgomeryField operator-(MontgomeryField a, const MontgomeryField& b) { return a -= b; }
  // Both operands by reference: the six-limb assembly kernel reads `a` from memory, and a copy
  // made just before (by a by-value parameter) can defeat store-to-load forwarding.
  ZKCNN_ALWAYS_INLINE friend constexpr MontgomeryField operator*(const MontgomeryField& a, const MontgomeryField& b) {
    return {RawTag{}, montgomery_multiply(a.value_, b.value_)};
  }
  ZKCNN_ALWAYS_INLINE friend constexpr MontgomeryField operator-(const MontgomeryField& a) { return MontgomeryField{} - a; }
  // Limb by limb: the defaulted comparison of the limb array becomes a memcmp call in g++ builds,
  // and the lookup's fraction tree compares entries with the empty fraction in its hot loops.
  ZKCNN_ALWAYS_INLINE friend constexpr bool operator==(const MontgomeryField& a, const MontgomeryField& b) {
    std::uint64_t difference = 0;
    for (std::size_t i = 0; i < limb_count; ++i) difference |= a.value_[i] ^ b.value_[i];
    return difference == 0;
  }

  /// Big-endian hexadecimal of the canonical value, for diagnostics.
  friend std::ostream& operator<<(std::ostream& os, const MontgomeryField& x) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto bytes = x.to_bytes();
    std::string hex = "0x";
    for (std::size_t i = byte_size; i-- > 0;) {
      hex += digits[bytes[i] >> 4];
      hex += digits[bytes[i] & 15];
    }
    return os << hex;
  }

 private:
  template <class>
  friend struct detail::MontgomeryKernelAccess;

  Limbs value_{};  // a * R mod p, always fully reduced
};

}  // namespace zkcnn
