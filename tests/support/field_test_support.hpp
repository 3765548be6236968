#pragma once
// Shared helpers for the field tests: the lists of field types the template tests run over,
// a deterministic random generator, conversions between the known-answer vectors' big-endian
// hexadecimal and field elements, and a per-field binding to the vectors of
// tests/field/field_vectors.hpp.
//
// Conventions of the vectors (see tests/field/generate_field_vectors.py): a field element is
// lowercase BIG-endian hex of its canonical value, zero-padded to 2 * byte_size digits, while
// the library's to_bytes/from_bytes encoding is LITTLE-endian. A wide-reduction input is hex in
// byte order (first byte first), read by the library as a little-endian integer.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <zkcnn/concepts/field.hpp>
#include <zkcnn/field/bls12_381.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>

#include "field/field_vectors.hpp"

namespace zkcnn::testing {

// ---------------------------------------------------------------------------------------------
// Field type lists (for TEMPLATE_LIST_TEST_CASE).

/// The five prime fields the library ships.
using PrimeFieldTypes = std::tuple<bn254::Fr, bn254::Fq, bls12_381::Fr, bls12_381::Fq, Goldilocks>;
/// Every field the library ships: the prime fields and the Goldilocks quadratic extension.
using AllFieldTypes = std::tuple<bn254::Fr, bn254::Fq, bls12_381::Fr, bls12_381::Fq, Goldilocks, GoldilocksExt2>;
/// The fields with a large two-adicity, i.e. the ones NTTs are run over.
using NttFieldTypes = std::tuple<bn254::Fr, bls12_381::Fr, Goldilocks>;

// The same lists as macros, for TEMPLATE_TEST_CASE: its test names then carry the type name
// ("... - zkcnn::bn254::Fr") rather than an index into a tuple.
#define ZKCNN_TEST_PRIME_FIELDS \
  zkcnn::bn254::Fr, zkcnn::bn254::Fq, zkcnn::bls12_381::Fr, zkcnn::bls12_381::Fq, zkcnn::Goldilocks
#define ZKCNN_TEST_ALL_FIELDS ZKCNN_TEST_PRIME_FIELDS, zkcnn::GoldilocksExt2
#define ZKCNN_TEST_NTT_FIELDS zkcnn::bn254::Fr, zkcnn::bls12_381::Fr, zkcnn::Goldilocks

static_assert(std::is_same_v<PrimeFieldTypes, std::tuple<ZKCNN_TEST_PRIME_FIELDS>>);
static_assert(std::is_same_v<AllFieldTypes, std::tuple<ZKCNN_TEST_ALL_FIELDS>>);
static_assert(std::is_same_v<NttFieldTypes, std::tuple<ZKCNN_TEST_NTT_FIELDS>>);

// ---------------------------------------------------------------------------------------------
// Deterministic randomness.

inline constexpr std::uint64_t default_seed = 0x7a6b636e6e5f6669ull;  // "zkcnn_fi"

/// A std::mt19937_64 seeded deterministically; `stream` separates independent test cases.
inline std::mt19937_64 make_rng(std::uint64_t stream = 0) {
  return std::mt19937_64(default_seed ^ (stream * 0x9e3779b97f4a7c15ull));
}

template <Field F>
std::vector<F> random_elements(std::mt19937_64& rng, std::size_t n) {
  std::vector<F> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(F::random(rng));
  return out;
}

inline std::vector<std::uint8_t> random_bytes(std::mt19937_64& rng, std::size_t n) {
  std::vector<std::uint8_t> out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng() >> 56);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hexadecimal.

inline int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Bytes in the order written ("0102" -> {1, 2}). Throws on odd length or a non-hex digit.
inline std::vector<std::uint8_t> bytes_from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) throw std::invalid_argument("bytes_from_hex: odd number of digits: " + std::string(hex));
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit_value(hex[2 * i]);
    const int lo = hex_digit_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw std::invalid_argument("bytes_from_hex: not a hex digit: " + std::string(hex));
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return out;
}

/// The little-endian bytes of the integer written as big-endian hex ("0102" -> {2, 1}).
inline std::vector<std::uint8_t> le_bytes_from_be_hex(std::string_view hex) {
  auto bytes = bytes_from_hex(hex);
  std::reverse(bytes.begin(), bytes.end());
  return bytes;
}

/// Lowercase hex of bytes in the order given.
inline std::string hex_from_bytes(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (std::uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

/// Little-endian 64-bit limbs of the integer written as big-endian hex (for pow exponents).
inline std::vector<std::uint64_t> limbs_from_be_hex(std::string_view hex) {
  const auto le = le_bytes_from_be_hex(hex);
  std::vector<std::uint64_t> limbs((le.size() + 7) / 8, 0);
  for (std::size_t i = 0; i < le.size(); ++i) limbs[i / 8] |= std::uint64_t{le[i]} << (8 * (i % 8));
  return limbs;
}

// ---------------------------------------------------------------------------------------------
// Field elements <-> vectors' hex.

/// Decodes big-endian hex with the field's own from_bytes (so it is also subject to the
/// canonicality check). The hex must have exactly 2 * byte_size digits for success.
template <EncodableField F>
Result<F> decode_be_hex(std::string_view hex) {
  const auto le = le_bytes_from_be_hex(hex);
  return F::from_bytes(std::span<const std::uint8_t>(le));
}

/// Like decode_be_hex, but a failure is a test-setup error (thrown, so Catch reports it).
template <EncodableField F>
F from_be_hex(std::string_view hex) {
  auto decoded = decode_be_hex<F>(hex);
  if (!decoded) {
    throw std::invalid_argument("from_be_hex: cannot decode \"" + std::string(hex) + "\": " + decoded.error().message);
  }
  return *decoded;
}

/// The canonical value of a prime-field element as big-endian hex (the vectors' format).
template <EncodableField F>
std::string to_be_hex(const F& x) {
  auto bytes = x.to_bytes();
  std::reverse(bytes.begin(), bytes.end());
  return hex_from_bytes(bytes);
}

/// A GoldilocksExt2 element from the vectors' (c0, c1) coefficient hex.
inline GoldilocksExt2 ext2_from_hex(const test_vectors::Ext2Element& e) {
  return GoldilocksExt2(from_be_hex<Goldilocks>(e.c0), from_be_hex<Goldilocks>(e.c1));
}

/// (c0, c1) of a GoldilocksExt2 element as the vectors' hex, via coefficients().
inline std::pair<std::string, std::string> ext2_to_hex(const GoldilocksExt2& x) {
  const auto c = x.coefficients();
  return {to_be_hex(c[0]), to_be_hex(c[1])};
}

inline std::pair<std::string, std::string> ext2_hex(const test_vectors::Ext2Element& e) {
  return {std::string(e.c0), std::string(e.c1)};
}

// ---------------------------------------------------------------------------------------------
// Per-field binding to the known-answer vectors.

template <class F>
struct FieldVectors;  // defined for the five prime fields

#define ZKCNN_TEST_BIND_VECTORS(FieldType, ns)                                 \
  template <>                                                                  \
  struct FieldVectors<FieldType> {                                             \
    static constexpr std::string_view name = #ns;                              \
    static constexpr const auto& constants = test_vectors::ns::constants;      \
    static constexpr const auto& arithmetic = test_vectors::ns::arithmetic;    \
    static constexpr const auto& pow = test_vectors::ns::pow;                  \
    static constexpr const auto& from_i64 = test_vectors::ns::from_i64;        \
    static constexpr const auto& wide_reduction = test_vectors::ns::wide_reduction; \
  };

ZKCNN_TEST_BIND_VECTORS(bn254::Fr, bn254_fr)
ZKCNN_TEST_BIND_VECTORS(bn254::Fq, bn254_fq)
ZKCNN_TEST_BIND_VECTORS(bls12_381::Fr, bls12_381_fr)
ZKCNN_TEST_BIND_VECTORS(bls12_381::Fq, bls12_381_fq)
ZKCNN_TEST_BIND_VECTORS(Goldilocks, goldilocks)

#undef ZKCNN_TEST_BIND_VECTORS

/// The modulus p of a shipped prime field as little-endian bytes of length byte_size, taken
/// from the independent vectors (not from the library).
template <class F>
std::vector<std::uint8_t> modulus_le_bytes() {
  return le_bytes_from_be_hex(FieldVectors<F>::constants.modulus);
}

/// The little-endian integer `bytes` plus `delta` (a small non-negative addend), same length;
/// the carry out of the top byte is dropped.
inline std::vector<std::uint8_t> le_add_small(std::vector<std::uint8_t> bytes, unsigned delta) {
  unsigned carry = delta;
  for (auto& b : bytes) {
    if (carry == 0) break;
    const unsigned sum = b + carry;
    b = static_cast<std::uint8_t>(sum & 0xff);
    carry = sum >> 8;
  }
  return bytes;
}

/// The little-endian integer `bytes` minus `delta` (< 256); precondition: no borrow out.
inline std::vector<std::uint8_t> le_sub_small(std::vector<std::uint8_t> bytes, unsigned delta) {
  int borrow = static_cast<int>(delta);
  for (auto& b : bytes) {
    if (borrow == 0) break;
    const int diff = static_cast<int>(b) - borrow;
    b = static_cast<std::uint8_t>(diff < 0 ? diff + 256 : diff);
    borrow = diff < 0 ? 1 : 0;
  }
  return bytes;
}

/// a < b for little-endian integers of the same length.
inline bool le_less(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  for (std::size_t i = a.size(); i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i];
  }
  return false;
}

}  // namespace zkcnn::testing
