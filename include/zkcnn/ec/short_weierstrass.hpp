#pragma once
// Short-Weierstrass elliptic curves y^2 = x^3 + a x + b over a prime field, as a generic
// group type that models CommitmentGroup (docs/protocol.md section 7): the library's curve backend.
//
// Representation. Points are kept in Jacobian coordinates (X : Y : Z) for the affine point
// (X / Z^2, Y / Z^3); Z = 0 is the point at infinity O. The formulas are the ones of the
// Explicit-Formulas Database (Bernstein, Lange, hyperelliptic.org/EFD/g1p/auto-shortw-jacobian):
// dbl-2009-l for a = 0 (2M + 5S) and dbl-2007-bl otherwise, add-2007-bl (11M + 5S),
// madd-2007-bl for Jacobian + affine (7M + 4S) and mmadd-2007-bl for affine + affine (4M + 2S).
// These formulas are incomplete (they divide by zero on P + P, P + (-P) and O); every such case
// is handled by an explicit branch, so the group law is complete. `a` is a compile-time
// constant and a = 0 (both shipped curves) selects the cheaper doubling with `if constexpr`.
//
// NOT CONSTANT TIME. The branches above, the scalar multiplication (width-w NAF with variable
// digit positions), the field inversions of the affine conversions (field/inverse_vartime.hpp)
// and the decoder all depend on the data. The library proves statements about
// public or prover-held data and does not claim side-channel resistance; do not use this type
// for secret-key operations on a machine shared with an attacker.
//
// Scalar multiplication is signed-window (wNAF) double-and-add over the canonical bits of the
// scalar (Scalar::to_bytes()), window 5 for full-size scalars.
//
// Encoding (canonical, compressed, `encoded_size` bytes, injective: one byte string per point):
//   * x, the canonical value in [0, p), as Base::byte_size bytes little-endian (Base::to_bytes);
//   * two flag bits: 0x80 = point at infinity, 0x40 = "y is odd" (the canonical value of y in
//     [0, p) has its lowest bit set; y and -y = p - y differ in parity unless y = 0). When the
//     modulus leaves at least two spare bits in the top byte of x (BN254: 254 bits in 32 bytes,
//     BLS12-381: 381 bits in 48 bytes) the flags are the top two bits of x's last byte and
//     encoded_size = Base::byte_size; otherwise they are the top two bits of one extra trailing
//     byte whose six other bits must be zero, and encoded_size = Base::byte_size + 1.
//   * The identity is encoded as all zeros except the infinity flag; no other bit may be set.
// decode() accepts exactly the outputs of encode(): it rejects (Errc::invalid_encoding, with a
// message) a wrong length, set reserved bits, the infinity flag with any other bit, x >= p, an x
// with x^3 + a x + b a non-square (no point), the "y odd" flag with y = 0, and points outside
// the prime-order subgroup. The format is this library's own; it is NOT the ZCash/IETF
// BLS12-381 serialization (big-endian with flags in the first byte) nor SEC1.
//
// Subgroup check. With cofactor 1 (BN254 G1) every curve point is in the group and there is
// nothing to check. Otherwise the generic check is [r]P = O, r = the scalar field's modulus;
// a curve's parameters may supply a faster equivalent `is_in_prime_subgroup` (BLS12-381 G1
// does: Scott's endomorphism test, see ec/bls12_381_g1.hpp), which is then used instead.
//
// hash_to_group(domain, index): "nothing up my sleeve" points with unknown discrete logarithms
// (Pedersen/Hyrax generators), by try-and-increment (Boneh, Lynn, Shacham, "Short signatures
// from the Weil pairing", section 3.2). For counter = 0, 1, 2, ...:
//     T    = "zkcnn hash_to_group v1"
//     seed = SHA-256(le64(|T|) || T || le64(|domain|) || domain || le64(index) || le64(counter))
//     S    = SHA-256(seed || le64(0)) || SHA-256(seed || le64(1)) || ...   (counter mode)
//     x    = Base::from_uniform_bytes(S[0 .. Base::uniform_bytes))   (little-endian mod p for the
//            shipped fields; uniform_bytes = byte_size + 16, so x is within 2^-128 of uniform)
//     sign = S[Base::uniform_bytes] & 1
//     if x^3 + a x + b has a square root: y = the root whose parity is `sign`; P = [h](x, y)
//     with h the cofactor; return P unless it is O (then the next counter).
// Each attempt succeeds with probability about 1/2. The output is deterministic, a random
// oracle's point in the prime-order subgroup, and nobody knows its discrete logarithm to the
// generator or to any other output. This is NOT the IETF hash-to-curve (RFC 9380): it is
// variable-time and slightly non-uniform (try-and-increment), which is fine for deriving public
// generators and not meant for hashing secrets. Generators are never derived as a known
// multiple of another point. tests/ec/generate_curve_vectors.py implements the same
// construction independently.

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/group.hpp"
#include "zkcnn/detail/bytes.hpp"
#include "zkcnn/ec/glv.hpp"
#include "zkcnn/ec/msm.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/inverse_vartime.hpp"
#include "zkcnn/transcript/sha256.hpp"

namespace zkcnn {

namespace detail::ec {

constexpr int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw "zkcnn ec: not a hexadecimal digit";  // fails constant evaluation
}

constexpr std::string_view strip_hex_prefix(std::string_view hex) {
  if (hex.starts_with("0x") || hex.starts_with("0X")) hex.remove_prefix(2);
  while (hex.size() > 1 && hex.front() == '0') hex.remove_prefix(1);
  return hex;
}

/// Bytes needed for a hexadecimal literal (at least one).
constexpr std::size_t hex_byte_count(std::string_view hex) {
  const std::size_t digits = strip_hex_prefix(hex).size();
  return digits == 0 ? 1 : (digits + 1) / 2;
}

/// The little-endian bytes of a big-endian hexadecimal literal (optional 0x prefix).
template <std::size_t N>
constexpr std::array<std::uint8_t, N> hex_to_le_bytes(std::string_view hex) {
  hex = strip_hex_prefix(hex);
  std::array<std::uint8_t, N> out{};
  std::size_t nibble = 0;
  for (std::size_t i = hex.size(); i-- > 0; ++nibble) {
    const int digit = hex_digit(hex[i]);
    if (nibble / 2 >= N) {
      if (digit != 0) throw "zkcnn ec: hexadecimal literal does not fit";
      continue;
    }
    out[nibble / 2] = static_cast<std::uint8_t>(out[nibble / 2] | (digit << (4 * (nibble % 2))));
  }
  return out;
}

/// A field element from a hexadecimal literal, at compile time. The literal must be the
/// canonical value (< p): anything else fails constant evaluation.
template <class F>
constexpr F field_from_hex(std::string_view hex) {
  F acc = F::zero();
  const F sixteen = F::from_u64(16);
  for (char c : strip_hex_prefix(hex)) acc = acc * sixteen + F::from_u64(static_cast<std::uint64_t>(hex_digit(c)));
  if (hex_byte_count(hex) > F::byte_size) throw "zkcnn ec: field literal is too long";
  const auto expected = hex_to_le_bytes<F::byte_size>(hex);
  if (acc.to_bytes() != expected) throw "zkcnn ec: field literal is not below the modulus";
  return acc;
}

/// The field element of a signed hexadecimal string ("-0x..." for a negative value).
template <class F>
constexpr F signed_field_from_hex(std::string_view hex) {
  if (!hex.empty() && hex.front() == '-') return -field_from_hex<F>(hex.substr(1));
  return field_from_hex<F>(hex);
}

/// A curve constant given as an integer (signed or unsigned), a hexadecimal string, or a value
/// of the field itself.
template <class F, class V>
constexpr F field_constant(const V& value) {
  using T = std::remove_cvref_t<V>;
  if constexpr (std::same_as<T, F>) {
    return value;
  } else if constexpr (std::convertible_to<T, std::string_view> && !std::integral<T>) {
    return field_from_hex<F>(std::string_view(value));
  } else if constexpr (std::signed_integral<T>) {
    return F::from_i64(static_cast<std::int64_t>(value));
  } else {
    static_assert(std::unsigned_integral<T>, "a curve constant is an integer, a hex string or a field element");
    return F::from_u64(static_cast<std::uint64_t>(value));
  }
}

template <class V>
constexpr std::size_t integer_byte_count(const V& value) {
  using T = std::remove_cvref_t<V>;
  if constexpr (std::integral<T>) {
    return 8;
  } else {
    return hex_byte_count(std::string_view(value));
  }
}

/// A non-negative integer constant (the cofactor) as little-endian bytes.
template <std::size_t N, class V>
constexpr std::array<std::uint8_t, N> integer_le_bytes(const V& value) {
  using T = std::remove_cvref_t<V>;
  if constexpr (std::integral<T>) {
    static_assert(std::unsigned_integral<T>, "the cofactor is a positive integer");
    std::array<std::uint8_t, N> out{};
    for (std::size_t i = 0; i < N && i < 8; ++i) out[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(value) >> (8 * i));
    return out;
  } else {
    return hex_to_le_bytes<N>(std::string_view(value));
  }
}

/// Number of significant bytes of a little-endian integer.
inline std::size_t significant_bytes(std::span<const std::uint8_t> le) {
  std::size_t n = le.size();
  while (n > 0 && le[n - 1] == 0) --n;
  return n;
}

inline std::span<const std::uint8_t> as_byte_span(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace detail::ec

/// What a curve's parameter struct provides (see ec/bn254_g1.hpp for an example):
///   Base, Scalar        the coordinate field and the scalar field (prime order r of the group)
///   a, b                curve coefficients: integers, hex strings or constexpr Base values
///   generator_x/_y      the generator's affine coordinates: hex strings or constexpr Base values
///   cofactor            #E(Base) / r: a hex string or an unsigned integer (1 for prime order)
/// and optionally `name` (a string_view used in error messages) and
/// `template <class Point> static bool is_in_prime_subgroup(const Point&)`, a faster
/// replacement for the generic subgroup check [r]P = O, and `glv` (detail::ec::GlvParameters,
/// ec/glv.hpp) for a curve with the endomorphism (x, y) -> (beta x, y): multiplications by a
/// Scalar then take half the doublings. Base must be usable in constant expressions
/// (MontgomeryField is), since the constants are converted at compile time.
template <class P>
concept ShortWeierstrassParameters =
    PrimeField<typename P::Base> && PrimeField<typename P::Scalar> &&
    requires { P::a; P::b; P::generator_x; P::generator_y; P::cofactor; };

/// A point of the curve y^2 = x^3 + a x + b described by Params (see the top of this file).
/// Models CommitmentGroup through the member adaptation of concepts/group.hpp.
template <ShortWeierstrassParameters Params>
class ShortWeierstrassPoint {
 public:
  using Base = typename Params::Base;
  using Scalar = typename Params::Scalar;
  using Parameters = Params;

  static constexpr Base curve_a = detail::ec::field_constant<Base>(Params::a);
  static constexpr Base curve_b = detail::ec::field_constant<Base>(Params::b);
  static constexpr bool a_is_zero = curve_a == Base::zero();

  /// The flags fit in the two top bits of x's last byte when the modulus leaves them free.
  static constexpr bool flags_in_x = Base::modulus_bits + 2 <= 8 * Base::byte_size;
  static constexpr std::size_t encoded_size = Base::byte_size + (flags_in_x ? 0 : 1);
  static constexpr std::uint8_t infinity_flag = 0x80;
  static constexpr std::uint8_t y_odd_flag = 0x40;

  static constexpr std::size_t cofactor_byte_count = detail::ec::integer_byte_count(Params::cofactor);
  /// The cofactor #E(Base) / r, little-endian.
  static constexpr std::array<std::uint8_t, cofactor_byte_count> cofactor =
      detail::ec::integer_le_bytes<cofactor_byte_count>(Params::cofactor);
  static constexpr bool cofactor_is_one = [] {
    for (std::size_t i = 1; i < cofactor_byte_count; ++i) {
      if (cofactor[i] != 0) return false;
    }
    return cofactor[0] == 1;
  }();

  static constexpr std::string_view name = [] {
    if constexpr (requires { std::string_view(Params::name); }) {
      return std::string_view(Params::name);
    } else {
      return std::string_view("curve point");
    }
  }();

  /// The domain-separation tag of hash_to_group (part of the construction: changing it changes
  /// every derived generator).
  static constexpr std::string_view hash_to_group_tag = "zkcnn hash_to_group v1";

 private:
  static constexpr Base generator_x_ = detail::ec::field_constant<Base>(Params::generator_x);
  static constexpr Base generator_y_ = detail::ec::field_constant<Base>(Params::generator_y);

  static constexpr Base curve_rhs(const Base& x) {
    Base rhs = x.square() * x + curve_b;
    if constexpr (!a_is_zero) rhs += curve_a * x;
    return rhs;
  }

  static_assert(flags_in_x || Base::modulus_bits <= 8 * Base::byte_size, "Base::byte_size is too small");
  static_assert(generator_y_.square() == generator_x_.square() * generator_x_ + curve_a * generator_x_ + curve_b,
                "the generator is not on the curve");
  static_assert(cofactor[0] != 0 || cofactor_byte_count > 1, "the cofactor must not be zero");

 public:
  /// Affine coordinates, or the point at infinity (then x = y = 0 by convention; == ignores
  /// them). The input the MSM's mixed additions want.
  struct Affine {
    Base x{};
    Base y{};
    bool infinity = true;

    static constexpr Affine identity() { return {}; }
    constexpr bool is_identity() const { return infinity; }
    constexpr Affine operator-() const { return infinity ? Affine{} : Affine{x, -y, false}; }
    /// y^2 = x^3 + a x + b, or the point at infinity.
    constexpr bool is_on_curve() const { return infinity || y.square() == curve_rhs(x); }
    friend constexpr bool operator==(const Affine& p, const Affine& q) {
      if (p.infinity || q.infinity) return p.infinity == q.infinity;
      return p.x == q.x && p.y == q.y;
    }
  };

  /// The point at infinity.
  constexpr ShortWeierstrassPoint() = default;

  /// The point with the given affine coordinates (or O); no on-curve or subgroup check. Group
  /// operations assume both (multiplication by a Scalar uses the endomorphism, which acts as
  /// [lambda] on the prime-order subgroup only): untrusted coordinates go through
  /// from_affine_checked or decode.
  constexpr explicit ShortWeierstrassPoint(const Affine& p)
      : x_(p.infinity ? Base::one() : p.x), y_(p.infinity ? Base::one() : p.y),
        z_(p.infinity ? Base::zero() : Base::one()) {}

  /// A point from Jacobian coordinates; no on-curve or subgroup check (for trusted input:
  /// constants, endomorphisms, MSM internals).
  static constexpr ShortWeierstrassPoint from_jacobian_unchecked(const Base& x, const Base& y, const Base& z) {
    ShortWeierstrassPoint p;
    p.x_ = x;
    p.y_ = y;
    p.z_ = z;
    return p;
  }

  /// The point (x, y), checked to be on the curve and in the prime-order subgroup.
  static Result<ShortWeierstrassPoint> from_affine_checked(const Base& x, const Base& y) {
    const Affine affine{x, y, false};
    if (!affine.is_on_curve()) return make_error(Errc::invalid_encoding, std::string(name) + ": (x, y) is not on the curve");
    const ShortWeierstrassPoint p(affine);
    if (!p.is_in_prime_subgroup()) {
      return make_error(Errc::invalid_encoding, std::string(name) + ": point is not in the prime-order subgroup");
    }
    return p;
  }

  static constexpr ShortWeierstrassPoint identity() { return {}; }
  static constexpr ShortWeierstrassPoint generator() {
    return ShortWeierstrassPoint(Affine{generator_x_, generator_y_, false});
  }

  constexpr const Base& jacobian_x() const { return x_; }
  constexpr const Base& jacobian_y() const { return y_; }
  constexpr const Base& jacobian_z() const { return z_; }

  constexpr bool is_identity() const { return z_.is_zero(); }
  /// Z = 1 (or O): what batch_normalize produces; additions with such points are cheaper.
  constexpr bool is_normalized() const { return z_ == Base::one(); }

  /// Y^2 = X^3 + a X Z^4 + b Z^6 (true for O).
  constexpr bool is_on_curve() const {
    if (is_identity()) return true;
    const Base zz = z_.square();
    const Base z4 = zz.square();
    Base rhs = x_.square() * x_ + curve_b * z4 * zz;
    if constexpr (!a_is_zero) rhs += curve_a * x_ * z4;
    return y_.square() == rhs;
  }

  /// [r]P = O for r the scalar field's modulus, with the curve's faster test when it has one.
  /// Precondition: the point is on the curve.
  bool is_in_prime_subgroup() const {
    if constexpr (cofactor_is_one) {
      return true;
    } else if constexpr (requires(const ShortWeierstrassPoint& p) {
                           { Params::is_in_prime_subgroup(p) } -> std::convertible_to<bool>;
                         }) {
      return Params::is_in_prime_subgroup(*this);
    } else {
      return is_in_prime_subgroup_generic();
    }
  }

  /// The definition: [r]P = O (slower than a curve-specific test; kept for cross-checks).
  bool is_in_prime_subgroup_generic() const { return mul_le_bytes(scalar_order_le_bytes()).is_identity(); }

  /// r, the order of the prime-order subgroup (the scalar field's modulus), little-endian.
  static std::array<std::uint8_t, Scalar::byte_size + 1> scalar_order_le_bytes() {
    // r = (r - 1) + 1, with r - 1 the canonical encoding of -1.
    const auto minus_one = (-Scalar::one()).to_bytes();
    std::array<std::uint8_t, Scalar::byte_size + 1> out{};
    unsigned carry = 1;
    for (std::size_t i = 0; i < Scalar::byte_size; ++i) {
      const unsigned sum = minus_one[i] + carry;
      out[i] = static_cast<std::uint8_t>(sum);
      carry = sum >> 8;
    }
    out[Scalar::byte_size] = static_cast<std::uint8_t>(carry);
    return out;
  }

  /// [h]P for h the cofactor: maps any curve point into the prime-order subgroup.
  ShortWeierstrassPoint clear_cofactor() const {
    if constexpr (cofactor_is_one) {
      return *this;
    } else {
      return mul_le_bytes(cofactor);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Group law.

  constexpr ShortWeierstrassPoint operator-() const { return from_jacobian_unchecked(x_, -y_, z_); }

  /// 2P.
  constexpr ShortWeierstrassPoint doubled() const {
    ShortWeierstrassPoint out;
    if (is_identity()) return out;
    if constexpr (a_is_zero) {
      // dbl-2009-l: 2M + 5S.
      const Base a = x_.square();
      const Base b = y_.square();
      const Base c = b.square();
      Base d = (x_ + b).square() - a - c;
      d += d;
      const Base e = a + a + a;
      const Base f = e.square();
      out.x_ = f - d - d;
      Base c8 = c + c;
      c8 += c8;
      c8 += c8;
      out.y_ = e * (d - out.x_) - c8;
      out.z_ = y_ * z_;
      out.z_ += out.z_;
    } else {
      // dbl-2007-bl: 1M + 8S + 1*a.
      const Base xx = x_.square();
      const Base yy = y_.square();
      const Base yyyy = yy.square();
      const Base zz = z_.square();
      Base s = (x_ + yy).square() - xx - yyyy;
      s += s;
      const Base m = xx + xx + xx + curve_a * zz.square();
      const Base t = m.square() - s - s;
      out.x_ = t;
      Base y8 = yyyy + yyyy;
      y8 += y8;
      y8 += y8;
      out.y_ = m * (s - t) - y8;
      out.z_ = (y_ + z_).square() - yy - zz;
    }
    // Z3 = 2 Y Z = 0 exactly when Y = 0, a point of order 2: 2P = O, as it should be.
    return out;
  }

  /// P + Q for Q given in affine coordinates (madd-2007-bl: 7M + 4S).
  constexpr ShortWeierstrassPoint add_affine(const Affine& q) const {
    if (q.infinity) return *this;
    if (is_identity()) return ShortWeierstrassPoint(q);
    if (is_normalized()) return add_both_affine(x_, y_, q.x, q.y);
    const Base z1z1 = z_.square();
    const Base u2 = q.x * z1z1;
    const Base s2 = q.y * z_ * z1z1;
    const Base h = u2 - x_;
    Base r = s2 - y_;
    if (h.is_zero()) return r.is_zero() ? doubled() : ShortWeierstrassPoint{};
    const Base hh = h.square();
    Base i = hh + hh;
    i += i;
    const Base j = h * i;
    r += r;
    const Base v = x_ * i;
    ShortWeierstrassPoint out;
    out.x_ = r.square() - j - v - v;
    const Base y1j = y_ * j;
    out.y_ = r * (v - out.x_) - y1j - y1j;
    out.z_ = (z_ + h).square() - z1z1 - hh;
    return out;
  }

  friend constexpr ShortWeierstrassPoint operator+(const ShortWeierstrassPoint& p, const ShortWeierstrassPoint& q) {
    if (p.is_identity()) return q;
    if (q.is_identity()) return p;
    // Normalized operands (Z = 1, e.g. after batch_normalize) take the cheaper mixed formulas.
    if (q.is_normalized()) return p.add_affine(Affine{q.x_, q.y_, false});
    if (p.is_normalized()) return q.add_affine(Affine{p.x_, p.y_, false});
    // add-2007-bl: 11M + 5S.
    const Base z1z1 = p.z_.square();
    const Base z2z2 = q.z_.square();
    const Base u1 = p.x_ * z2z2;
    const Base u2 = q.x_ * z1z1;
    const Base s1 = p.y_ * q.z_ * z2z2;
    const Base s2 = q.y_ * p.z_ * z1z1;
    const Base h = u2 - u1;
    Base r = s2 - s1;
    if (h.is_zero()) return r.is_zero() ? p.doubled() : ShortWeierstrassPoint{};
    Base i = h + h;
    i = i.square();
    const Base j = h * i;
    r += r;
    const Base v = u1 * i;
    ShortWeierstrassPoint out;
    out.x_ = r.square() - j - v - v;
    const Base s1j = s1 * j;
    out.y_ = r * (v - out.x_) - s1j - s1j;
    out.z_ = ((p.z_ + q.z_).square() - z1z1 - z2z2) * h;
    return out;
  }

  friend constexpr ShortWeierstrassPoint operator+(const ShortWeierstrassPoint& p, const Affine& q) {
    return p.add_affine(q);
  }
  friend constexpr ShortWeierstrassPoint operator-(const ShortWeierstrassPoint& p, const ShortWeierstrassPoint& q) {
    return p + (-q);
  }
  friend constexpr ShortWeierstrassPoint operator-(const ShortWeierstrassPoint& p, const Affine& q) {
    return p.add_affine(-q);
  }
  constexpr ShortWeierstrassPoint& operator+=(const ShortWeierstrassPoint& q) { return *this = *this + q; }
  constexpr ShortWeierstrassPoint& operator+=(const Affine& q) { return *this = add_affine(q); }
  constexpr ShortWeierstrassPoint& operator-=(const ShortWeierstrassPoint& q) { return *this = *this - q; }
  constexpr ShortWeierstrassPoint& operator-=(const Affine& q) { return *this = add_affine(-q); }

  /// Projective equality: X1 Z2^2 = X2 Z1^2 and Y1 Z2^3 = Y2 Z1^3.
  friend constexpr bool operator==(const ShortWeierstrassPoint& p, const ShortWeierstrassPoint& q) {
    if (p.is_identity() || q.is_identity()) return p.is_identity() && q.is_identity();
    const Base z1z1 = p.z_.square();
    const Base z2z2 = q.z_.square();
    return p.x_ * z2z2 == q.x_ * z1z1 && p.y_ * q.z_ * z2z2 == q.y_ * p.z_ * z1z1;
  }

  // -------------------------------------------------------------------------------------------
  // Scalar multiplication.

  /// [k]P for k given as little-endian bytes of any length (k is not reduced mod r, so this
  /// also computes [r]P and [h]P).
  ShortWeierstrassPoint mul_le_bytes(std::span<const std::uint8_t> k) const {
    const std::size_t bytes = detail::ec::significant_bytes(k);
    if (bytes == 0 || is_identity()) return {};
    constexpr std::size_t stack_bits = 8 * 64;
    const std::size_t bits = 8 * bytes;
    std::array<std::int8_t, stack_bits + 1> stack_digits;
    std::vector<std::int8_t> heap_digits;
    std::span<std::int8_t> digits;
    if (bits <= stack_bits) {
      digits = std::span<std::int8_t>(stack_digits.data(), bits + 1);
    } else {
      heap_digits.resize(bits + 1);
      digits = heap_digits;
    }
    const unsigned window = bits <= 24 ? 2 : bits <= 96 ? 3 : bits <= 160 ? 4 : 5;
    const std::size_t top = wnaf(k.first(bytes), window, digits);

    std::array<ShortWeierstrassPoint, 8> table;
    odd_multiples(std::span<ShortWeierstrassPoint>(table).first(std::size_t{1} << (window - 2)));
    ShortWeierstrassPoint acc;
    for (std::size_t i = top + 1; i-- > 0;) {
      acc = acc.doubled();
      const int d = digits[i];
      if (d > 0) {
        acc += table[static_cast<std::size_t>(d >> 1)];
      } else if (d < 0) {
        acc -= table[static_cast<std::size_t>((-d) >> 1)];
      }
    }
    return acc;
  }

  ShortWeierstrassPoint mul_u64(std::uint64_t k) const {
    const auto bytes = detail::le_bytes(k);
    return mul_le_bytes(bytes);
  }

  /// [k]P for a scalar k (its canonical value in [0, r)). With an endomorphism (Params::glv)
  /// P must be in the prime-order subgroup, as every point the library makes or decodes is:
  /// there phi acts as [lambda].
  friend ShortWeierstrassPoint operator*(const ShortWeierstrassPoint& p, const Scalar& k) {
    const auto bytes = k.to_bytes();
    if constexpr (has_endomorphism) {
      if (auto product = p.mul_by_halves(bytes)) return *product;
    }
    return p.mul_le_bytes(bytes);
  }
  friend ShortWeierstrassPoint operator*(const Scalar& k, const ShortWeierstrassPoint& p) { return p * k; }
  ShortWeierstrassPoint& operator*=(const Scalar& k) { return *this = *this * k; }

  // -------------------------------------------------------------------------------------------
  // Affine conversion.

  /// The affine coordinates (one field inversion).
  Affine to_affine() const {
    if (is_identity()) return {};
    if (is_normalized()) return Affine{x_, y_, false};
    const Base z_inv = *inverse_vartime(z_);
    const Base z_inv2 = z_inv.square();
    return Affine{x_ * z_inv2, y_ * z_inv2 * z_inv, false};
  }

  /// Rewrites every point with Z = 1 (or as the canonical O), with one shared inversion
  /// (Montgomery's trick); the values do not change.
  static void batch_normalize(std::span<ShortWeierstrassPoint> points) {
    std::vector<Base> prefix(points.size());
    Base running = Base::one();
    for (std::size_t i = 0; i < points.size(); ++i) {
      prefix[i] = running;
      if (!points[i].is_identity() && !points[i].is_normalized()) running *= points[i].z_;
    }
    Base inverse = *inverse_vartime(running);  // a product of non-zero Z's
    for (std::size_t i = points.size(); i-- > 0;) {
      ShortWeierstrassPoint& p = points[i];
      if (p.is_identity()) {
        p = ShortWeierstrassPoint{};
        continue;
      }
      if (p.is_normalized()) continue;  // already affine: costs nothing (e.g. Pedersen generators)
      const Base z_inv = inverse * prefix[i];
      inverse *= p.z_;
      const Base z_inv2 = z_inv.square();
      p.x_ *= z_inv2;
      p.y_ *= z_inv2 * z_inv;
      p.z_ = Base::one();
    }
  }

  /// The affine forms of `points`, with one shared inversion.
  static std::vector<Affine> batch_to_affine(std::span<const ShortWeierstrassPoint> points) {
    const bool all_affine = std::all_of(points.begin(), points.end(), [](const ShortWeierstrassPoint& p) {
      return p.is_identity() || p.is_normalized();
    });
    if (all_affine) {  // the common case of generators: no copy, no inversion
      std::vector<Affine> out(points.size());
      for (std::size_t i = 0; i < points.size(); ++i) {
        if (!points[i].is_identity()) out[i] = Affine{points[i].x_, points[i].y_, false};
      }
      return out;
    }
    std::vector<ShortWeierstrassPoint> copy(points.begin(), points.end());
    batch_normalize(copy);
    std::vector<Affine> out(copy.size());
    for (std::size_t i = 0; i < copy.size(); ++i) {
      if (!copy[i].is_identity()) out[i] = Affine{copy[i].x_, copy[i].y_, false};
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Encoding.

  /// The canonical compressed encoding (format at the top of this file).
  std::array<std::uint8_t, encoded_size> encode() const { return encode_affine(to_affine()); }

  /// The encodings of many points, with one shared inversion (what absorbing a vector of
  /// commitments into a transcript wants); element i is points[i].encode().
  static std::vector<std::array<std::uint8_t, encoded_size>> batch_encode(std::span<const ShortWeierstrassPoint> points) {
    const std::vector<Affine> affine = batch_to_affine(points);
    std::vector<std::array<std::uint8_t, encoded_size>> out(affine.size());
    for (std::size_t i = 0; i < affine.size(); ++i) out[i] = encode_affine(affine[i]);
    return out;
  }

  static std::array<std::uint8_t, encoded_size> encode_affine(const Affine& p) {
    std::array<std::uint8_t, encoded_size> out{};
    if (p.infinity) {
      out[encoded_size - 1] = infinity_flag;
      return out;
    }
    const auto x = p.x.to_bytes();
    std::copy(x.begin(), x.end(), out.begin());
    if (p.y.to_bytes()[0] & 1) out[encoded_size - 1] |= y_odd_flag;
    return out;
  }

  /// Decodes and validates an encoding: every check listed at the top of this file.
  static Result<ShortWeierstrassPoint> decode(std::span<const std::uint8_t> bytes) {
    auto affine = decode_affine(bytes);
    if (!affine) return affine.error();
    return ShortWeierstrassPoint(*affine);
  }

  static Result<Affine> decode_affine(std::span<const std::uint8_t> bytes) {
    if (bytes.size() != encoded_size) {
      return fail("encoding: expected " + std::to_string(encoded_size) + " bytes, got " + std::to_string(bytes.size()));
    }
    std::array<std::uint8_t, encoded_size> body{};
    std::copy(bytes.begin(), bytes.end(), body.begin());
    const std::uint8_t flags = body[encoded_size - 1] & (infinity_flag | y_odd_flag);
    body[encoded_size - 1] &= static_cast<std::uint8_t>(~(infinity_flag | y_odd_flag));
    if constexpr (!flags_in_x) {
      if (body[encoded_size - 1] != 0) return fail("encoding: reserved bits of the flag byte are set");
    }
    if (flags & infinity_flag) {
      const bool clean = flags == infinity_flag && std::all_of(body.begin(), body.end(), [](std::uint8_t b) { return b == 0; });
      if (!clean) return fail("encoding: the infinity flag is set together with other bits");
      return Affine{};
    }
    auto x = Base::from_bytes(std::span<const std::uint8_t>(body.data(), Base::byte_size));
    if (!x) return fail("encoding: x coordinate is not canonical (x >= p)");
    auto y = curve_rhs(*x).sqrt();
    if (!y) return fail("encoding: no point with this x coordinate is on the curve");
    const bool want_odd = (flags & y_odd_flag) != 0;
    if (y->is_zero() && want_odd) return fail("encoding: the \"y odd\" flag is set but y = 0");
    if (((y->to_bytes()[0] & 1) != 0) != want_odd) *y = -*y;
    const Affine point{*x, *y, false};
    if (!ShortWeierstrassPoint(point).is_in_prime_subgroup()) {
      return fail("encoding: the point is on the curve but not in the prime-order subgroup");
    }
    return point;
  }

  // -------------------------------------------------------------------------------------------
  // Hashing to the group.

  /// A point with unknown discrete logarithm, deterministic in (domain, index); the
  /// construction is documented at the top of this file. Never the identity.
  static ShortWeierstrassPoint hash_to_group(std::string_view domain, std::uint64_t index) {
    for (std::uint64_t counter = 0;; ++counter) {
      if (auto p = hash_to_group_attempt(domain, index, counter)) return *p;
    }
  }

  /// One try-and-increment attempt of hash_to_group: the point for this counter, or nothing
  /// when x^3 + a x + b is not a square or the cofactor clearing gives O.
  static std::optional<ShortWeierstrassPoint> hash_to_group_attempt(std::string_view domain, std::uint64_t index,
                                                                    std::uint64_t counter) {
    Sha256 hasher;
    hasher.update(detail::le_bytes(hash_to_group_tag.size()));
    hasher.update(detail::ec::as_byte_span(hash_to_group_tag));
    hasher.update(detail::le_bytes(domain.size()));
    hasher.update(detail::ec::as_byte_span(domain));
    hasher.update(detail::le_bytes(index));
    hasher.update(detail::le_bytes(counter));
    const auto seed = hasher.finalize();

    constexpr std::size_t stream_size = Base::uniform_bytes + 1;
    constexpr std::size_t blocks = (stream_size + Sha256::digest_size - 1) / Sha256::digest_size;
    std::array<std::uint8_t, blocks * Sha256::digest_size> stream{};
    for (std::size_t j = 0; j < blocks; ++j) {
      Sha256 block;
      block.update(seed);
      block.update(detail::le_bytes(j));
      const auto digest = block.finalize();
      std::copy(digest.begin(), digest.end(), stream.begin() + static_cast<std::ptrdiff_t>(j * Sha256::digest_size));
    }
    const Base x = Base::from_uniform_bytes(std::span<const std::uint8_t>(stream.data(), Base::uniform_bytes));
    const bool want_odd = (stream[Base::uniform_bytes] & 1) != 0;
    auto y = curve_rhs(x).sqrt();
    if (!y) return std::nullopt;
    if (((y->to_bytes()[0] & 1) != 0) != want_odd) *y = -*y;  // y = 0 stays 0
    const ShortWeierstrassPoint p = ShortWeierstrassPoint(Affine{x, *y, false}).clear_cofactor();
    if (p.is_identity()) return std::nullopt;
    return p;
  }

  /// "O" or "(x, y)" in affine big-endian hex, for diagnostics.
  friend std::ostream& operator<<(std::ostream& os, const ShortWeierstrassPoint& p) {
    const Affine a = p.to_affine();
    if (a.infinity) return os << "O";
    return os << '(' << to_hex(a.x) << ", " << to_hex(a.y) << ')';
  }

  // The endomorphism phi(x, y) = (beta x, y) and k's split k1 + k2 lambda (ec/glv.hpp), with
  // the constants checked here: beta and lambda primitive cube roots of unity, both basis
  // vectors in the lattice. Public: the bucket method uses them too (msm_point_ops below).
  static constexpr bool has_endomorphism = requires { Params::glv; };
  struct Endomorphism {
    Base beta;
    detail::ec::GlvSplitter splitter;
  };
  static constexpr Endomorphism endomorphism() requires has_endomorphism {
    constexpr auto& glv = Params::glv;
    constexpr Base beta = detail::ec::field_from_hex<Base>(glv.beta);
    constexpr Scalar lambda = detail::ec::field_from_hex<Scalar>(glv.lambda);
    static_assert(beta != Base::one() && beta.square() * beta == Base::one(), "glv.beta: a primitive cube root of unity");
    static_assert(lambda != Scalar::one() && lambda.square() * lambda == Scalar::one(),
                  "glv.lambda: a primitive cube root of unity");
    static_assert(detail::ec::signed_field_from_hex<Scalar>(glv.a1) +
                          detail::ec::signed_field_from_hex<Scalar>(glv.b1) * lambda ==
                      Scalar::zero(),
                  "glv: a1 + b1 lambda = 0 mod r");
    static_assert(detail::ec::signed_field_from_hex<Scalar>(glv.a2) +
                          detail::ec::signed_field_from_hex<Scalar>(glv.b2) * lambda ==
                      Scalar::zero(),
                  "glv: a2 + b2 lambda = 0 mod r");
    return {beta, detail::ec::GlvSplitter(glv)};
  }

 private:
  static Error fail(std::string message) { return make_error(Errc::invalid_encoding, std::string(name) + " " + message); }

  static std::string to_hex(const Base& v) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto bytes = v.to_bytes();
    std::string out = "0x";
    for (std::size_t i = bytes.size(); i-- > 0;) {
      out += digits[bytes[i] >> 4];
      out += digits[bytes[i] & 15];
    }
    return out;
  }

  // P + Q for two affine points (mmadd-2007-bl: 4M + 2S).
  static constexpr ShortWeierstrassPoint add_both_affine(const Base& x1, const Base& y1, const Base& x2,
                                                         const Base& y2) {
    const Base h = x2 - x1;
    Base r = y2 - y1;
    if (h.is_zero()) {
      if (!r.is_zero()) return {};
      return ShortWeierstrassPoint(Affine{x1, y1, false}).doubled();
    }
    const Base hh = h.square();
    Base i = hh + hh;
    i += i;
    const Base j = h * i;
    r += r;
    const Base v = x1 * i;
    ShortWeierstrassPoint out;
    out.x_ = r.square() - j - v - v;
    const Base y1j = y1 * j;
    out.y_ = r * (v - out.x_) - y1j - y1j;
    out.z_ = h + h;
    return out;
  }

  // [k1]P + [k2]phi(P) for k given by its little-endian bytes, both halves in width-5 NAF over
  // one chain of 128 doublings; nothing if the split came out longer than 128 bits.
  std::optional<ShortWeierstrassPoint> mul_by_halves(const std::array<std::uint8_t, Scalar::byte_size>& bytes) const
    requires has_endomorphism
  {
    static constexpr Endomorphism phi = endomorphism();
    detail::ec::Wide wide{};
    for (std::size_t i = 0; i < bytes.size(); ++i) wide[i / 8] |= std::uint64_t{bytes[i]} << (8 * (i % 8));
    const auto halves = phi.splitter.split(wide);
    if (!halves) return std::nullopt;
    if (is_identity()) return ShortWeierstrassPoint{};
    constexpr unsigned window = 5;
    constexpr std::size_t half_bits = 8 * sizeof(detail::ec::GlvHalf::magnitude);
    // A zero half keeps its digits zero and its top at 0.
    std::array<std::array<std::int8_t, half_bits + 1>, 2> digits{};
    std::array<std::size_t, 2> top{};
    for (std::size_t h = 0; h < 2; ++h) {
      const std::size_t length = detail::ec::significant_bytes((*halves)[h].magnitude);
      if (length == 0) continue;
      top[h] = wnaf(std::span<const std::uint8_t>((*halves)[h].magnitude).first(length), window,
                    std::span<std::int8_t>(digits[h]).first(8 * length + 1));
    }
    // P's odd multiples, and their images under phi (one multiplication each).
    std::array<std::array<ShortWeierstrassPoint, std::size_t{1} << (window - 2)>, 2> tables;
    odd_multiples(tables[0]);
    for (std::size_t i = 0; i < tables[0].size(); ++i) {
      tables[1][i] = from_jacobian_unchecked(tables[0][i].x_ * phi.beta, tables[0][i].y_, tables[0][i].z_);
    }
    ShortWeierstrassPoint acc;
    for (std::size_t i = std::max(top[0], top[1]) + 1; i-- > 0;) {
      acc = acc.doubled();
      for (std::size_t h = 0; h < 2; ++h) {
        const int d = digits[h][i];
        if (d == 0) continue;
        const ShortWeierstrassPoint& multiple = tables[h][static_cast<std::size_t>((d < 0 ? -d : d) >> 1)];
        acc += ((d < 0) != (*halves)[h].negative) ? -multiple : multiple;
      }
    }
    return acc;
  }

  // P, 3P, 5P, ... into `table` (the odd multiples a width-w NAF adds, 2^(w-2) of them).
  void odd_multiples(std::span<ShortWeierstrassPoint> table) const {
    table[0] = *this;
    if (table.size() < 2) return;
    const ShortWeierstrassPoint twice = doubled();
    for (std::size_t i = 1; i < table.size(); ++i) table[i] = table[i - 1] + twice;
  }

  // Width-w non-adjacent form of the little-endian integer k: digits[i] in
  // {0, +-1, +-3, ..., +-(2^(w-1) - 1)} with k = sum digits[i] 2^i and at most one non-zero
  // digit in any w consecutive positions. Returns the index of the highest non-zero digit.
  // (The carry formulation of libsecp256k1's secp256k1_ecmult_wnaf.) Precondition: k != 0,
  // digits.size() == 8 * k.size() + 1.
  static std::size_t wnaf(std::span<const std::uint8_t> k, unsigned w, std::span<std::int8_t> digits) {
    const std::size_t len = 8 * k.size();
    auto bits = [&](std::size_t pos, unsigned count) {
      unsigned value = 0;
      for (unsigned i = 0; i < count; ++i) {
        const std::size_t b = pos + i;
        value |= static_cast<unsigned>((k[b / 8] >> (b % 8)) & 1) << i;
      }
      return value;
    };
    std::fill(digits.begin(), digits.end(), std::int8_t{0});
    std::size_t top = 0;
    unsigned carry = 0;
    std::size_t pos = 0;
    while (pos < len) {
      if (bits(pos, 1) == carry) {
        ++pos;
        continue;
      }
      const unsigned now = static_cast<unsigned>(std::min<std::size_t>(w, len - pos));
      int word = static_cast<int>(bits(pos, now) + carry);
      carry = static_cast<unsigned>(word >> (w - 1)) & 1;
      word -= static_cast<int>(carry << w);
      digits[pos] = static_cast<std::int8_t>(word);
      top = pos;
      pos += now;
    }
    if (carry != 0) {
      digits[len] = 1;
      top = len;
    }
    return top;
  }

  Base x_ = Base::one();
  Base y_ = Base::one();
  Base z_ = Base::zero();
};

/// The library's curves enter multi-scalar multiplications as affine points (one shared
/// inversion), and buckets are summed by batched affine additions: every round adds adjacent
/// pairs within each bucket, all pairs of the round sharing one inversion, so an addition costs
/// about six field multiplications instead of a mixed addition's eleven.
template <class Params>
struct msm_point_ops<ShortWeierstrassPoint<Params>> {
  using Point = ShortWeierstrassPoint<Params>;
  using Base = typename Point::Base;
  using Input = typename Point::Affine;

  static std::vector<Input> prepare(std::span<const Point> points) { return Point::batch_to_affine(points); }
  static Input negate(const Input& point) { return -point; }

  // The endomorphism (x, y) -> (beta x, y) of curves that have one, and the split of a scalar
  // m < r into m1 + m2 lambda: the bucket method's full-size scalars become halves of 128
  // bits (ec/msm.hpp).
  static constexpr bool has_endomorphism = Point::has_endomorphism;
  static Input endomorphism(const Input& p)
    requires has_endomorphism
  {
    static constexpr Base beta = Point::endomorphism().beta;
    return p.infinity ? p : Input{p.x * beta, p.y, false};
  }
  template <std::size_t Words>
  static std::optional<std::array<detail::SignedScalar<2>, 2>> split(const std::array<std::uint64_t, Words>& m)
    requires has_endomorphism && (Words <= 4)
  {
    static constexpr auto splitter = Point::endomorphism().splitter;
    detail::ec::Wide wide{};
    std::copy(m.begin(), m.end(), wide.begin());
    const auto halves = splitter.split(wide);
    if (!halves) return std::nullopt;
    std::array<detail::SignedScalar<2>, 2> out;
    for (std::size_t h = 0; h < 2; ++h) {
      for (std::size_t i = 0; i < 16; ++i) {
        out[h].magnitude[i / 8] |= std::uint64_t{(*halves)[h].magnitude[i]} << (8 * (i % 8));
      }
      out[h].negative = (*halves)[h].negative;
    }
    return out;
  }

  static void sum_buckets(std::span<Input> inputs, std::span<const std::size_t> offsets, std::span<Point> sums) {
    const std::size_t buckets = offsets.size() - 1;
    std::vector<std::size_t> length(buckets);
    for (std::size_t b = 0; b < buckets; ++b) length[b] = offsets[b + 1] - offsets[b];
    std::vector<Base> denominators;
    std::vector<Base> prefix;
    for (;;) {
      // One round: pair (2i, 2i+1) of every bucket; the slope denominators share an inversion.
      denominators.clear();
      for (std::size_t b = 0; b < buckets; ++b) {
        const Input* group = inputs.data() + offsets[b];
        for (std::size_t i = 0; i + 1 < length[b]; i += 2) denominators.push_back(slope_denominator(group[i], group[i + 1]));
      }
      if (denominators.empty()) break;
      invert_all(denominators, prefix);
      std::size_t next = 0;
      for (std::size_t b = 0; b < buckets; ++b) {
        Input* group = inputs.data() + offsets[b];
        const std::size_t pairs = length[b] / 2;
        // Pair i lands at i: positions 2i and 2i + 1 are read before anything at or past i + 1
        // is written.
        for (std::size_t i = 0; i < pairs; ++i) group[i] = add_with_inverse(group[2 * i], group[2 * i + 1], denominators[next++]);
        if (length[b] % 2 == 1) group[pairs] = group[length[b] - 1];
        length[b] = pairs + length[b] % 2;
      }
    }
    for (std::size_t b = 0; b < buckets; ++b) sums[b] = length[b] == 0 ? Point{} : Point(inputs[offsets[b]]);
  }

 private:
  // The denominator of the slope of p + q: x_q - x_p, or 2 y_p for a doubling; 1 where no
  // slope is needed (an identity input, or p = -q).
  static Base slope_denominator(const Input& p, const Input& q) {
    if (p.infinity || q.infinity) return Base::one();
    if (p.x != q.x) return q.x - p.x;
    if (p.y == q.y && !p.y.is_zero()) return p.y + p.y;
    return Base::one();
  }

  // Montgomery's trick in place (no zeros occur: slope_denominator never returns zero).
  static void invert_all(std::vector<Base>& values, std::vector<Base>& prefix) {
    prefix.resize(values.size());
    Base running = Base::one();
    for (std::size_t i = 0; i < values.size(); ++i) {
      prefix[i] = running;
      running *= values[i];
    }
    Base inverse = *inverse_vartime(running);
    for (std::size_t i = values.size(); i-- > 0;) {
      const Base value = values[i];
      values[i] = inverse * prefix[i];
      inverse *= value;
    }
  }

  static Input add_with_inverse(const Input& p, const Input& q, const Base& inverse_denominator) {
    if (p.infinity) return q;
    if (q.infinity) return p;
    Base slope;
    if (p.x != q.x) {
      slope = (q.y - p.y) * inverse_denominator;
    } else if (p.y == q.y && !p.y.is_zero()) {
      const Base x2 = p.x.square();
      slope = (x2 + x2 + x2 + Point::curve_a) * inverse_denominator;
    } else {
      return Input{};  // p = -q
    }
    const Base x = slope.square() - p.x - q.x;
    return Input{x, slope * (p.x - x) - p.y, false};
  }
};

}  // namespace zkcnn
