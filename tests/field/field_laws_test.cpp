// Algebraic laws, encodings, square roots and roots of unity, checked on random elements for
// every shipped field; plus Montgomery fields over custom moduli -- full-width ones without a
// spare bit in the top limb, and ones on either side of the spare-bit threshold that selects
// the multiplication kernel -- cross-checked against plain 128-bit integer arithmetic, and an
// exhaustive check of a tiny Montgomery field.

#include <zkcnn/field/batch_inverse.hpp>
#include <zkcnn/field/inverse_vartime.hpp>
#include <zkcnn/field/bls12_381.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/field/montgomery.hpp>
#include <zkcnn/field/pow.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "support/field_test_support.hpp"

namespace {

using zkcnn::Goldilocks;
using zkcnn::GoldilocksExt2;
using zkcnn::Result;
using zkcnn::testing::FieldVectors;
using zkcnn::testing::le_add_small;
using zkcnn::testing::le_less;
using zkcnn::testing::le_sub_small;
using zkcnn::testing::make_rng;
using zkcnn::testing::random_bytes;

__extension__ typedef unsigned __int128 u128;

constexpr std::size_t kRandomTrials = 200;

template <class F>
constexpr bool is_ext2 = std::is_same_v<F, GoldilocksExt2>;

/// A random non-zero element.
template <class F>
F random_nonzero(std::mt19937_64& rng) {
  for (;;) {
    const F x = F::random(rng);
    if (!x.is_zero()) return x;
  }
}

/// x^(2^k) by k squarings.
template <class F>
F pow2k(F x, unsigned k) {
  for (unsigned i = 0; i < k; ++i) x = x.square();
  return x;
}

/// Little-endian limbs of p - 1 (prime fields, from the vectors) and (p - 1) / 2.
template <class F>
std::vector<std::uint64_t> p_minus_one_limbs() {
  auto limbs = zkcnn::testing::limbs_from_be_hex(FieldVectors<F>::constants.modulus);
  limbs[0] -= 1;  // p odd: no borrow
  return limbs;
}

template <class F>
std::vector<std::uint64_t> half_p_minus_one_limbs() {
  auto limbs = p_minus_one_limbs<F>();
  for (std::size_t i = 0; i < limbs.size(); ++i) {
    limbs[i] >>= 1;
    if (i + 1 < limbs.size()) limbs[i] |= limbs[i + 1] << 63;
  }
  return limbs;
}

/// The encodings of a few non-canonical values for F: p, p + 1, p + 2^8, all 0xff.
/// For GoldilocksExt2 each is placed in either half with a canonical other half.
template <class F>
std::vector<std::vector<std::uint8_t>> non_canonical_encodings() {
  using Base = std::conditional_t<is_ext2<F>, Goldilocks, F>;
  const auto p = zkcnn::testing::modulus_le_bytes<Base>();
  REQUIRE(p.size() == Base::byte_size);
  std::vector<std::vector<std::uint8_t>> bad_base{
      p,                                                // the modulus itself
      le_add_small(p, 1),                               // modulus + 1
      le_add_small(p, 256),                             // modulus + 2^8
      std::vector<std::uint8_t>(Base::byte_size, 0xff)  // all ones
  };
  if constexpr (!is_ext2<F>) {
    return bad_base;
  } else {
    std::vector<std::vector<std::uint8_t>> out;
    const auto good = Goldilocks::from_u64(12345).to_bytes();
    for (const auto& bad : bad_base) {
      std::vector<std::uint8_t> low_bad(bad);
      low_bad.insert(low_bad.end(), good.begin(), good.end());
      std::vector<std::uint8_t> high_bad(good.begin(), good.end());
      high_bad.insert(high_bad.end(), bad.begin(), bad.end());
      std::vector<std::uint8_t> both_bad(bad);
      both_bad.insert(both_bad.end(), bad.begin(), bad.end());
      out.push_back(low_bad);
      out.push_back(high_bad);
      out.push_back(both_bad);
    }
    return out;
  }
}

}  // namespace

// =============================================================================================
// Laws for every field.

TEMPLATE_TEST_CASE("field laws: associativity, commutativity, distributivity, identities",
                   "[field][laws]", ZKCNN_TEST_ALL_FIELDS) {
  using F = TestType;
  auto rng = make_rng(1);
  const F zero = F::zero();
  const F one = F::one();
  CHECK(zero.is_zero());
  CHECK_FALSE(one.is_zero());
  CHECK(F{} == zero);
  CHECK(zero != one);
  CHECK(-zero == zero);
  CHECK(one + one == F::from_u64(2));

  for (std::size_t trial = 0; trial < kRandomTrials; ++trial) {
    const F a = F::random(rng);
    const F b = F::random(rng);
    const F c = F::random(rng);
    INFO("a = " << a << ", b = " << b << ", c = " << c);
    CHECK((a + b) + c == a + (b + c));
    CHECK((a * b) * c == a * (b * c));
    CHECK(a + b == b + a);
    CHECK(a * b == b * a);
    CHECK(a * (b + c) == a * b + a * c);
    CHECK((a + b) * c == a * c + b * c);
    CHECK(a * (b - c) == a * b - a * c);
    CHECK(a + zero == a);
    CHECK(zero + a == a);
    CHECK(a * one == a);
    CHECK(one * a == a);
    CHECK((a * zero).is_zero());
  }
}

TEMPLATE_TEST_CASE("field laws: negation and subtraction", "[field][laws]", ZKCNN_TEST_ALL_FIELDS) {
  using F = TestType;
  auto rng = make_rng(2);
  CHECK(-F::one() + F::one() == F::zero());
  CHECK((-F::one()) * (-F::one()) == F::one());
  for (std::size_t trial = 0; trial < kRandomTrials; ++trial) {
    const F a = F::random(rng);
    const F b = F::random(rng);
    INFO("a = " << a << ", b = " << b);
    CHECK((a + (-a)).is_zero());
    CHECK(-(-a) == a);
    CHECK((a - a).is_zero());
    CHECK(a - b == a + (-b));
    CHECK(a - b == -(b - a));
    CHECK((a - b) + b == a);
    CHECK(F::zero() - a == -a);
    CHECK(-(a * b) == (-a) * b);
    CHECK(-a == a * (-F::one()));
    F x = a;
    x -= b;
    CHECK(x == a - b);
    x += b;
    CHECK(x == a);
  }
}

TEMPLATE_TEST_CASE("field laws: x * x^-1 == 1 and zero has no inverse", "[field][laws]",
                   ZKCNN_TEST_ALL_FIELDS) {
  using F = TestType;
  auto rng = make_rng(3);
  CHECK_FALSE(F::zero().inverse().has_value());
  CHECK_FALSE(F::from_u64(0).inverse().has_value());
  REQUIRE(F::one().inverse().has_value());
  CHECK(*F::one().inverse() == F::one());
  REQUIRE((-F::one()).inverse().has_value());
  CHECK(*(-F::one()).inverse() == -F::one());
  REQUIRE(F::from_u64(2).inverse().has_value());
  CHECK(*F::from_u64(2).inverse() + *F::from_u64(2).inverse() == F::one());

  for (std::size_t trial = 0; trial < kRandomTrials; ++trial) {
    const F a = random_nonzero<F>(rng);
    const F b = random_nonzero<F>(rng);
    INFO("a = " << a << ", b = " << b);
    const auto a_inv = a.inverse();
    const auto b_inv = b.inverse();
    REQUIRE(a_inv.has_value());
    REQUIRE(b_inv.has_value());
    CHECK(a * *a_inv == F::one());
    CHECK(*a_inv * a == F::one());
    CHECK(a_inv->inverse() == std::optional<F>(a));
    REQUIRE((a * b).inverse().has_value());
    CHECK(*(a * b).inverse() == *a_inv * *b_inv);
    CHECK((-a).inverse() == std::optional<F>(-*a_inv));
  }
}

TEMPLATE_TEST_CASE("field laws: square equals self-multiplication", "[field][laws]",
                   ZKCNN_TEST_ALL_FIELDS) {
  using F = TestType;
  auto rng = make_rng(4);
  CHECK(F::zero().square() == F::zero());
  CHECK(F::one().square() == F::one());
  CHECK((-F::one()).square() == F::one());
  CHECK(F::from_u64(3).square() == F::from_u64(9));
  for (std::size_t trial = 0; trial < kRandomTrials; ++trial) {
    const F a = F::random(rng);
    INFO("a = " << a);
    CHECK(a.square() == a * a);
    CHECK((-a).square() == a.square());
  }
}

TEMPLATE_TEST_CASE("field laws: from_u64 and from_i64 are consistent ring maps", "[field][laws]",
                   ZKCNN_TEST_ALL_FIELDS) {
  using F = TestType;
  auto rng = make_rng(5);
  constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
  constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();

  CHECK(F::from_u64(0) == F::zero());
  CHECK(F::from_u64(1) == F::one());
  CHECK(F::from_i64(0) == F::zero());
  CHECK(F::from_i64(1) == F::one());
  CHECK(F::from_i64(-1) == -F::one());

  const F two_pow_32 = F::from_u64(std::uint64_t{1} << 32);
  const F two_pow_63 = F::from_u64(std::uint64_t{1} << 63);
  CHECK(two_pow_32 * two_pow_32 == F::from_u64(u64_max) + F::one());  // 2^64
  CHECK(two_pow_63 + two_pow_63 == F::from_u64(u64_max) + F::one());
  CHECK(F::from_i64(i64_min) == -two_pow_63);
  CHECK(F::from_i64(i64_max) == two_pow_63 - F::one());
  CHECK(F::from_i64(i64_min + 1) == -F::from_u64(static_cast<std::uint64_t>(i64_max)));
  CHECK(F::from_i64(i64_min) + F::from_i64(i64_max) == -F::one());

  for (std::size_t trial = 0; trial < kRandomTrials; ++trial) {
    const std::uint64_t u = rng() >> 1;  // < 2^63, so -u fits in int64
    const std::uint64_t a = rng() >> 2;
    const std::uint64_t b = rng() >> 2;
    const std::uint64_t small_a = rng() >> 32;
    const std::uint64_t small_b = rng() >> 32;
    const std::uint64_t any = rng();
    INFO("u = " << u << ", a = " << a << ", b = " << b << ", any = " << any);
    const auto s = static_cast<std::int64_t>(u);
    CHECK(F::from_i64(s) == F::from_u64(u));
    CHECK(F::from_i64(-s) == -F::from_u64(u));
    CHECK(F::from_u64(a) + F::from_u64(b) == F::from_u64(a + b));
    CHECK(F::from_u64(small_a) * F::from_u64(small_b) == F::from_u64(small_a * small_b));
    CHECK(F::from_u64(a) - F::from_u64(b) == F::from_i64(static_cast<std::int64_t>(a) - static_cast<std::int64_t>(b)));
    // The full 64-bit range, split at 2^32.
    CHECK(F::from_u64(any) == F::from_u64(any >> 32) * two_pow_32 + F::from_u64(any & 0xffffffffu));
  }
}

TEMPLATE_TEST_CASE("field laws: batch_inverse matches element-wise inverse and keeps zeros", "[field][laws]",
                   ZKCNN_TEST_ALL_FIELDS) {
  using F = TestType;
  auto rng = make_rng(6);

  std::vector<F> values = zkcnn::testing::random_elements<F>(rng, 40);
  for (std::size_t zero_at : {0u, 1u, 2u, 17u, 18u, 39u}) values[zero_at] = F::zero();
  values[5] = F::one();
  values[6] = -F::one();
  values[7] = values[8];  // a repeated element

  std::vector<F> expected;
  for (const F& v : values) expected.push_back(v.is_zero() ? F::zero() : *v.inverse());
  std::vector<F> batch = values;
  zkcnn::batch_inverse(std::span<F>(batch));
  REQUIRE(batch.size() == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    INFO("index " << i << ", value " << values[i]);
    CHECK(batch[i] == expected[i]);
  }

  SECTION("empty span") {
    std::vector<F> empty;
    zkcnn::batch_inverse(std::span<F>(empty));
    CHECK(empty.empty());
  }
  SECTION("all zeros stay zero") {
    std::vector<F> zeros(5, F::zero());
    zkcnn::batch_inverse(std::span<F>(zeros));
    for (const F& z : zeros) CHECK(z.is_zero());
  }
  SECTION("single element") {
    const F x = random_nonzero<F>(rng);
    std::vector<F> one_value{x};
    zkcnn::batch_inverse(std::span<F>(one_value));
    CHECK(one_value[0] * x == F::one());
  }
}

TEMPLATE_TEST_CASE("field laws: pow agrees with repeated multiplication and across overloads", "[field][laws]",
                   ZKCNN_TEST_ALL_FIELDS) {
  using F = TestType;
  auto rng = make_rng(7);
  using Limbs = std::span<const std::uint64_t>;

  CHECK(zkcnn::pow(F::zero(), std::uint64_t{0}) == F::one());  // 0^0 = 1
  CHECK(zkcnn::pow(F::zero(), Limbs{}) == F::one());
  CHECK(zkcnn::pow(F::zero(), std::uint64_t{5}).is_zero());
  CHECK(zkcnn::pow(-F::one(), std::numeric_limits<std::uint64_t>::max()) == -F::one());
  CHECK(zkcnn::pow(F::from_u64(2), std::uint64_t{10}) == F::from_u64(1024));

  for (std::size_t trial = 0; trial < 20; ++trial) {
    const F x = F::random(rng);
    INFO("x = " << x);
    CHECK(zkcnn::pow(x, std::uint64_t{0}) == F::one());
    CHECK(zkcnn::pow(x, std::uint64_t{1}) == x);
    CHECK(zkcnn::pow(x, std::uint64_t{2}) == x.square());
    F repeated = F::one();
    for (std::uint64_t e = 0; e <= 33; ++e) {
      CHECK(zkcnn::pow(x, e) == repeated);
      const std::array<std::uint64_t, 1> limb{e};
      CHECK(zkcnn::pow(x, Limbs(limb)) == repeated);
      repeated *= x;
    }

    // x^(a + b) = x^a x^b and (x^a)^b = x^(ab) on 32-bit exponents.
    const std::uint64_t a = rng() >> 32;
    const std::uint64_t b = rng() >> 32;
    CHECK(zkcnn::pow(x, a + b) == zkcnn::pow(x, a) * zkcnn::pow(x, b));
    CHECK(zkcnn::pow(zkcnn::pow(x, a), b) == zkcnn::pow(x, a * b));

    // A 128-bit exponent {lo, hi} = lo + 2^64 hi against the 64-bit overload.
    const std::uint64_t lo = rng();
    const std::uint64_t hi = rng();
    const std::array<std::uint64_t, 2> wide{lo, hi};
    const F x_2_64 = zkcnn::pow(zkcnn::pow(x, std::uint64_t{1} << 32), std::uint64_t{1} << 32);
    CHECK(zkcnn::pow(x, Limbs(wide)) == zkcnn::pow(x, lo) * zkcnn::pow(x_2_64, hi));
    const std::array<std::uint64_t, 1> lo_only{lo};
    CHECK(zkcnn::pow(x, Limbs(lo_only)) == zkcnn::pow(x, lo));
    const std::array<std::uint64_t, 3> lo_padded{lo, 0, 0};
    CHECK(zkcnn::pow(x, Limbs(lo_padded)) == zkcnn::pow(x, lo));
  }
}

TEMPLATE_TEST_CASE("field laws: Fermat's little theorem with multi-limb exponents", "[field][laws]",
                   ZKCNN_TEST_PRIME_FIELDS) {
  using F = TestType;
  auto rng = make_rng(8);
  const auto p_minus_one = p_minus_one_limbs<F>();
  auto p = p_minus_one;
  p[0] += 1;
  auto p_minus_two = p_minus_one;
  p_minus_two[0] -= 1;  // p - 1 is even and > 2: no borrow
  for (std::size_t trial = 0; trial < 10; ++trial) {
    const F x = random_nonzero<F>(rng);
    INFO("x = " << x);
    CHECK(zkcnn::pow(x, std::span<const std::uint64_t>(p_minus_one)) == F::one());
    CHECK(zkcnn::pow(x, std::span<const std::uint64_t>(p)) == x);
    CHECK(zkcnn::pow(x, std::span<const std::uint64_t>(p_minus_two)) == *x.inverse());
  }
}

TEMPLATE_TEST_CASE("field laws: to_bytes / from_bytes round trip", "[field][laws][encoding]",
                   ZKCNN_TEST_ALL_FIELDS) {
  using F = TestType;
  auto rng = make_rng(9);
  std::vector<F> samples{F::zero(), F::one(), -F::one(), F::from_u64(2), F::from_i64(-2),
                         F::from_u64(std::numeric_limits<std::uint64_t>::max())};
  for (std::size_t i = 0; i < kRandomTrials; ++i) samples.push_back(F::random(rng));
  for (const F& x : samples) {
    INFO("x = " << x);
    const auto bytes = x.to_bytes();
    STATIC_REQUIRE(std::tuple_size_v<std::decay_t<decltype(bytes)>> == F::byte_size);
    const auto decoded = F::from_bytes(std::span<const std::uint8_t>(bytes));
    REQUIRE(decoded.has_value());
    CHECK(*decoded == x);
    CHECK(decoded->to_bytes() == bytes);
  }
  // Zero encodes as all zeros and one as the little-endian integer 1.
  const auto zero_bytes = F::zero().to_bytes();
  CHECK(std::all_of(zero_bytes.begin(), zero_bytes.end(), [](std::uint8_t b) { return b == 0; }));
  const auto one_bytes = F::one().to_bytes();
  CHECK(one_bytes[0] == 1);
  CHECK(std::all_of(one_bytes.begin() + 1, one_bytes.end(), [](std::uint8_t b) { return b == 0; }));
}

TEMPLATE_TEST_CASE("field laws: from_bytes rejects wrong lengths and non-canonical values",
                   "[field][laws][encoding]", ZKCNN_TEST_ALL_FIELDS) {
  using F = TestType;
  using Base = std::conditional_t<is_ext2<F>, Goldilocks, F>;

  SECTION("wrong length") {
    for (std::size_t length : {std::size_t{0}, std::size_t{1}, F::byte_size - 1, F::byte_size + 1, 2 * F::byte_size,
                               F::uniform_bytes}) {
      INFO("length " << length);
      const std::vector<std::uint8_t> bytes(length, 0);
      const auto decoded = F::from_bytes(std::span<const std::uint8_t>(bytes));
      REQUIRE_FALSE(decoded.has_value());
      CHECK(decoded.error().code == zkcnn::Errc::invalid_encoding);
      CHECK_FALSE(decoded.error().message.empty());
      CHECK_THROWS_AS(decoded.value(), zkcnn::BadResultAccess);
    }
  }

  SECTION("non-canonical values (modulus, modulus + 1, modulus + 256, all 0xff; either half for the extension)") {
    const auto encodings = non_canonical_encodings<F>();
    for (std::size_t i = 0; i < encodings.size(); ++i) {
      const auto& bytes = encodings[i];
      INFO("non-canonical encoding " << i << ": " << zkcnn::testing::hex_from_bytes(bytes));
      REQUIRE(bytes.size() == F::byte_size);
      const auto decoded = F::from_bytes(std::span<const std::uint8_t>(bytes));
      REQUIRE_FALSE(decoded.has_value());
      CHECK(decoded.error().code == zkcnn::Errc::invalid_encoding);
    }
  }

  SECTION("the largest canonical value p - 1 is accepted and is -1") {
    const auto p_minus_one = le_sub_small(zkcnn::testing::modulus_le_bytes<Base>(), 1);
    std::vector<std::uint8_t> bytes = p_minus_one;
    if constexpr (is_ext2<F>) bytes.insert(bytes.end(), p_minus_one.begin(), p_minus_one.end());
    const auto decoded = F::from_bytes(std::span<const std::uint8_t>(bytes));
    REQUIRE(decoded.has_value());
    if constexpr (is_ext2<F>) {
      CHECK(*decoded == GoldilocksExt2(-Goldilocks::one(), -Goldilocks::one()));
    } else {
      CHECK(*decoded == -F::one());
    }
  }
}

TEMPLATE_TEST_CASE("field laws: random() draws canonical, distinct, reproducible values", "[field][laws][random]",
                   ZKCNN_TEST_ALL_FIELDS) {
  using F = TestType;
  using Base = std::conditional_t<is_ext2<F>, Goldilocks, F>;
  const auto p = zkcnn::testing::modulus_le_bytes<Base>();
  auto rng = make_rng(10);
  std::set<std::string> seen;
  bool top_bit_seen = false;
  constexpr std::size_t draws = 256;
  for (std::size_t i = 0; i < draws; ++i) {
    const F x = F::random(rng);
    const auto bytes = x.to_bytes();
    INFO("draw " << i << ": " << x);
    // Canonical: every coefficient's encoding is below p, and decoding gives x back.
    for (std::size_t offset = 0; offset < F::byte_size; offset += Base::byte_size) {
      const std::span<const std::uint8_t> part(bytes.data() + offset, Base::byte_size);
      CHECK(le_less(part, std::span<const std::uint8_t>(p)));
      const std::size_t top_bit = Base::modulus_bits - 1;
      if ((part[top_bit / 8] >> (top_bit % 8)) & 1) top_bit_seen = true;
    }
    const auto decoded = F::from_bytes(std::span<const std::uint8_t>(bytes));
    REQUIRE(decoded.has_value());
    CHECK(*decoded == x);
    seen.insert(zkcnn::testing::hex_from_bytes(bytes));
  }
  CHECK(seen.size() == draws);  // a collision among 256 draws has probability < 2^-40
  CHECK(top_bit_seen);          // values of full bit length do occur

  // A Montgomery field samples its internal representation x * R mod p (R = 2^(64 limbs))
  // directly; that representation, too, must reach the full bit length, or the sampler's top
  // mask is too tight and whole ranges of elements are never drawn (invisible in the canonical
  // values, which are the representation times R^-1).
  if constexpr (requires { F::limb_count; }) {
    const F r = zkcnn::pow(F::from_u64(2), std::uint64_t{64 * F::limb_count});
    auto rng_m = make_rng(10);
    bool montgomery_top_bit_seen = false;
    for (std::size_t i = 0; i < draws; ++i) {
      const auto representation = (F::random(rng_m) * r).to_bytes();
      const std::size_t top_bit = F::modulus_bits - 1;
      if ((representation[top_bit / 8] >> (top_bit % 8)) & 1) montgomery_top_bit_seen = true;
    }
    CHECK(montgomery_top_bit_seen);
  }

  // The same seed gives the same sequence; another seed another one.
  auto rng_a = make_rng(11);
  auto rng_b = make_rng(11);
  auto rng_c = make_rng(12);
  for (int i = 0; i < 8; ++i) {
    const F a = F::random(rng_a);
    CHECK(a == F::random(rng_b));
    CHECK(a != F::random(rng_c));
  }

  // Any uniform random bit generator works, including a 32-bit one.
  std::mt19937 rng32(12345);
  const F from32a = F::random(rng32);
  const F from32b = F::random(rng32);
  CHECK(from32a != from32b);
  CHECK(F::from_bytes(std::span<const std::uint8_t>(from32a.to_bytes())).has_value());
}

TEMPLATE_TEST_CASE("field laws: from_uniform_bytes equals from_bytes_mod_order", "[field][laws][encoding]",
                   ZKCNN_TEST_PRIME_FIELDS) {
  using F = TestType;
  auto rng = make_rng(13);
  for (std::size_t trial = 0; trial < 64; ++trial) {
    const auto bytes = random_bytes(rng, F::uniform_bytes);
    const std::span<const std::uint8_t> span(bytes);
    INFO("bytes = " << zkcnn::testing::hex_from_bytes(bytes));
    CHECK(F::from_uniform_bytes(span) == F::from_bytes_mod_order(span));
  }
  // from_bytes_mod_order is the identity on canonical encodings and linear in the integer.
  for (std::size_t trial = 0; trial < 32; ++trial) {
    const F x = F::random(rng);
    const auto bytes = x.to_bytes();
    CHECK(F::from_bytes_mod_order(std::span<const std::uint8_t>(bytes)) == x);
    // Appending a zero byte does not change the integer; prepending one multiplies it by 256.
    std::vector<std::uint8_t> longer(bytes.begin(), bytes.end());
    longer.push_back(0);
    CHECK(F::from_bytes_mod_order(std::span<const std::uint8_t>(longer)) == x);
    std::vector<std::uint8_t> shifted{0};
    shifted.insert(shifted.end(), bytes.begin(), bytes.end());
    CHECK(F::from_bytes_mod_order(std::span<const std::uint8_t>(shifted)) == x * F::from_u64(256));
  }
  CHECK(F::from_bytes_mod_order({}).is_zero());
}

TEMPLATE_TEST_CASE("field laws: sqrt finds roots of squares and rejects non-residues", "[field][laws][sqrt]",
                   ZKCNN_TEST_PRIME_FIELDS) {
  using F = TestType;
  auto rng = make_rng(14);

  REQUIRE(F::zero().sqrt().has_value());
  CHECK(F::zero().sqrt()->is_zero());
  REQUIRE(F::one().sqrt().has_value());
  CHECK(F::one().sqrt()->square() == F::one());

  const F qnr = F::from_u64(F::quadratic_non_residue);
  CHECK_FALSE(qnr.sqrt().has_value());

  for (std::size_t trial = 0; trial < 50; ++trial) {
    const F x = F::random(rng);
    const F x2 = x.square();
    INFO("x = " << x);
    const auto root = x2.sqrt();
    REQUIRE(root.has_value());
    CHECK(root->square() == x2);
    CHECK((*root == x || *root == -x));
    // A non-residue times a non-zero square is a non-residue.
    if (!x.is_zero()) CHECK_FALSE((qnr * x2).sqrt().has_value());
  }

  // Euler's criterion decides residuosity: sqrt succeeds exactly when y^((p-1)/2) == 1.
  const auto euler_exponent = half_p_minus_one_limbs<F>();
  int residues = 0;
  for (std::size_t trial = 0; trial < 40; ++trial) {
    const F y = random_nonzero<F>(rng);
    const F legendre = zkcnn::pow(y, std::span<const std::uint64_t>(euler_exponent));
    INFO("y = " << y);
    REQUIRE((legendre == F::one() || legendre == -F::one()));
    const auto root = y.sqrt();
    CHECK(root.has_value() == (legendre == F::one()));
    if (root) {
      CHECK(root->square() == y);
      ++residues;
    }
  }
  CHECK(residues > 0);
  CHECK(residues < 40);

  // -1 is a square exactly when p = 1 (mod 4), i.e. two_adicity >= 2.
  CHECK((-F::one()).sqrt().has_value() == (F::two_adicity >= 2));
}

TEMPLATE_TEST_CASE("field laws: root_of_unity(k) has order exactly 2^k", "[field][laws][roots]",
                   ZKCNN_TEST_PRIME_FIELDS) {
  using F = TestType;
  STATIC_REQUIRE(zkcnn::TwoAdicField<F>);
  CHECK(F::root_of_unity(0) == F::one());
  for (unsigned k = 0; k <= F::two_adicity; ++k) {
    INFO("k = " << k);
    const F w = F::root_of_unity(k);
    CHECK(pow2k(w, k) == F::one());
    if (k >= 1) CHECK(pow2k(w, k - 1) == -F::one());
  }
  CHECK_THROWS_AS(F::root_of_unity(F::two_adicity + 1), std::invalid_argument);
  CHECK_THROWS_AS(F::root_of_unity(F::two_adicity + 64), std::invalid_argument);
  CHECK_THROWS_AS(F::root_of_unity(std::numeric_limits<unsigned>::max()), std::invalid_argument);
}

// =============================================================================================
// Field-specific checks.

TEST_CASE("field laws: Goldilocks agrees with 128-bit integer arithmetic, including non-canonical inputs",
          "[field][laws][goldilocks]") {
  constexpr u128 p = Goldilocks::modulus;
  auto rng = make_rng(15);
  // Inputs are arbitrary 64-bit integers: from_u64 keeps representatives >= p as they are.
  std::vector<std::uint64_t> inputs{0,
                                    1,
                                    2,
                                    0xFFFFFFFF00000000ull,  // p - 1
                                    0xFFFFFFFF00000001ull,  // p
                                    0xFFFFFFFF00000002ull,  // p + 1
                                    0xFFFFFFFFFFFFFFFFull,  // 2^64 - 1
                                    0xFFFFFFFFFFFFFFFEull,
                                    0x8000000000000000ull,
                                    0x7FFFFFFFFFFFFFFFull,
                                    0x00000000FFFFFFFFull,  // 2^32 - 1 = 2^64 mod p
                                    0x0000000100000000ull,
                                    0xFFFFFFFE00000001ull};
  for (int i = 0; i < 400; ++i) inputs.push_back(rng());
  for (int i = 0; i < 40; ++i) inputs.push_back(0xFFFFFFFF00000001ull + (rng() % 0xFFFFFFFFull));  // [p, 2^64)

  auto value = [](const Goldilocks& x) { return static_cast<u128>(x.value()); };
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::uint64_t a = inputs[i];
    const std::uint64_t b = inputs[(i * 7 + 3) % inputs.size()];
    INFO("a = " << a << ", b = " << b);
    const Goldilocks fa = Goldilocks::from_u64(a);
    const Goldilocks fb = Goldilocks::from_u64(b);
    const u128 ra = a % p;
    const u128 rb = b % p;
    CHECK(value(fa) == ra);
    CHECK(value(fa + fb) == (ra + rb) % p);
    CHECK(value(fa - fb) == (ra + p - rb) % p);
    CHECK(value(fa * fb) == (ra * rb) % p);
    CHECK(value(fa.square()) == (ra * ra) % p);
    CHECK(value(-fa) == (p - ra) % p);
    CHECK(fa.is_zero() == (ra == 0));
    // The encoding is that of the canonical value.
    const auto bytes = fa.to_bytes();
    u128 decoded = 0;
    for (std::size_t j = 8; j-- > 0;) decoded = (decoded << 8) | bytes[j];
    CHECK(decoded == ra);
  }
  // All pairs of the special inputs.
  for (std::size_t i = 0; i < 13; ++i) {
    for (std::size_t j = 0; j < 13; ++j) {
      const std::uint64_t a = inputs[i];
      const std::uint64_t b = inputs[j];
      INFO("a = " << a << ", b = " << b);
      const Goldilocks fa = Goldilocks::from_u64(a);
      const Goldilocks fb = Goldilocks::from_u64(b);
      const u128 ra = a % p;
      const u128 rb = b % p;
      CHECK(value(fa + fb) == (ra + rb) % p);
      CHECK(value(fa - fb) == (ra + p - rb) % p);
      CHECK(value(fa * fb) == (ra * rb) % p);
      CHECK((fa == fb) == (ra == rb));
    }
  }
  // p itself is zero, with no inverse; p + 1 is one.
  CHECK(Goldilocks::from_u64(0xFFFFFFFF00000001ull) == Goldilocks::zero());
  CHECK(Goldilocks::from_u64(0xFFFFFFFF00000001ull).is_zero());
  CHECK_FALSE(Goldilocks::from_u64(0xFFFFFFFF00000001ull).inverse().has_value());
  CHECK(Goldilocks::from_u64(0xFFFFFFFF00000002ull) == Goldilocks::one());
}

TEST_CASE("field laws: GoldilocksExt2 products summed at full width agree with base-field arithmetic",
          "[field][laws][ext2]") {
  // Goldilocks::quadratic_extension_product sums each coefficient's products up to 2^131 before
  // reducing. Checked against the formula (a0 b0 + 7 a1 b1, a0 b1 + a1 b0) in base-field
  // arithmetic, on random values and on the edges, including stored values at or above p
  // (from_u64 keeps them unreduced).
  using E = GoldilocksExt2;
  auto rng = make_rng(17);
  std::vector<std::uint64_t> values{0, 1, 2, 7, 0xFFFFFFFFull, 0x100000000ull, Goldilocks::modulus - 1,
                                    Goldilocks::modulus, Goldilocks::modulus + 1, ~std::uint64_t{0} - 1, ~std::uint64_t{0}};
  for (int i = 0; i < 40; ++i) values.push_back(rng());
  const Goldilocks seven = Goldilocks::from_u64(7);
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = 0; j < values.size(); ++j) {
      const Goldilocks a0 = Goldilocks::from_u64(values[i]), a1 = Goldilocks::from_u64(values[j]);
      const Goldilocks b0 = Goldilocks::from_u64(values[(i + j) % values.size()]), b1 = Goldilocks::from_u64(values[(3 * i + j + 1) % values.size()]);
      const E product = E(a0, a1) * E(b0, b1);
      INFO("a = (" << a0 << ", " << a1 << "), b = (" << b0 << ", " << b1 << ")");
      CHECK(product == E(a0 * b0 + seven * (a1 * b1), a0 * b1 + a1 * b0));
      CHECK(E(a0, a1).square() == E(a0 * a0 + seven * (a1 * a1), (a0 * a1) + (a0 * a1)));
    }
  }
}

TEST_CASE("field laws: GoldilocksExt2 structure (X^2 = 7, Frobenius, base embedding, uniform bytes)",
          "[field][laws][ext2]") {
  using E = GoldilocksExt2;
  auto rng = make_rng(16);
  const E x(Goldilocks::zero(), Goldilocks::one());
  CHECK(x.square() == E::from_u64(7));
  CHECK(x * x == E::from_base(Goldilocks::from_u64(7)));
  CHECK(E::one().coefficients() == std::array<Goldilocks, 2>{Goldilocks::one(), Goldilocks::zero()});
  CHECK(x.coefficients() == std::array<Goldilocks, 2>{Goldilocks::zero(), Goldilocks::one()});

  // The Frobenius map z -> z^p is the conjugation c0 + c1 X -> c0 - c1 X, and z^(p^2 - 1) = 1.
  const std::array<std::uint64_t, 1> p{Goldilocks::modulus};
  const u128 p_squared_minus_one = static_cast<u128>(Goldilocks::modulus) * Goldilocks::modulus - 1;
  const std::array<std::uint64_t, 2> order{static_cast<std::uint64_t>(p_squared_minus_one),
                                           static_cast<std::uint64_t>(p_squared_minus_one >> 64)};
  for (int trial = 0; trial < 10; ++trial) {
    const E z = E::random(rng);
    const auto c = z.coefficients();
    INFO("z = " << z);
    CHECK(zkcnn::pow(z, std::span<const std::uint64_t>(p)) == E(c[0], -c[1]));
    if (!z.is_zero()) CHECK(zkcnn::pow(z, std::span<const std::uint64_t>(order)) == E::one());
    // The norm z * conj(z) lies in the base field.
    CHECK((z * E(c[0], -c[1])).coefficients()[1].is_zero());
  }

  for (int trial = 0; trial < 50; ++trial) {
    const E z = E::random(rng);
    const Goldilocks f = Goldilocks::random(rng);
    const auto c = z.coefficients();
    INFO("z = " << z << ", f = " << f);
    CHECK(z * f == z * E::from_base(f));
    CHECK(z * f == E(c[0] * f, c[1] * f));
    CHECK(zkcnn::embed<E>(f) == E::from_base(f));
    CHECK(E::from_base(f).coefficients() == std::array<Goldilocks, 2>{f, Goldilocks::zero()});
    CHECK(E::from_base(f) * E::from_base(f) == E::from_base(f * f));
    if (!f.is_zero()) CHECK(*E::from_base(f).inverse() == E::from_base(*f.inverse()));
  }

  // from_uniform_bytes reduces each half on its own.
  for (int trial = 0; trial < 20; ++trial) {
    const auto bytes = random_bytes(rng, E::uniform_bytes);
    const std::span<const std::uint8_t> span(bytes);
    const E z = E::from_uniform_bytes(span);
    CHECK(z == E(Goldilocks::from_bytes_mod_order(span.first(Goldilocks::uniform_bytes)),
                 Goldilocks::from_bytes_mod_order(span.subspan(Goldilocks::uniform_bytes))));
  }
  STATIC_REQUIRE(E::uniform_bytes == 2 * Goldilocks::uniform_bytes);
}

// =============================================================================================
// Montgomery fields over custom moduli, some leaving no spare bit in the top limb (the case
// Montgomery multiplication must handle with an extra carry). Checked against a plain 128-bit
// integer reference.

namespace {

struct P64Params {  // 2^64 - 59, the largest 64-bit prime
  static constexpr std::string_view modulus = "0xffffffffffffffc5";
};
struct P127Params {  // 2^127 - 1, a Mersenne prime: 2 limbs, top limb 0x7fff...ffff
  static constexpr std::string_view modulus = "0x7fffffffffffffffffffffffffffffff";
};
struct P128Params {  // 2^128 - 159, the largest 128-bit prime: 2 limbs, top bit set
  static constexpr std::string_view modulus = "0xffffffffffffffffffffffffffffff61";
};
struct P257Params {  // a tiny prime with two-adicity 8, small enough to check exhaustively
  static constexpr std::string_view modulus = "0x101";
};

// Moduli whose top limb sits just below 2^63 - 1, at the spare-bit thresholds Montgomery
// kernels use to decide whether final carries can be dropped (0x7ffffffffffffffe or
// 0x7fffffffffffffff, depending on the variant); P127 above has top limb 0x7fffffffffffffff.
struct P63Params {  // 2^63 - 25: one limb
  static constexpr std::string_view modulus = "0x7fffffffffffffe7";
};
struct PTopFdParams {  // top limb 0x7ffffffffffffffd
  static constexpr std::string_view modulus = "0x7ffffffffffffffdffffffffffffff9f";
};
struct PTopFeParams {  // top limb 0x7ffffffffffffffe
  static constexpr std::string_view modulus = "0x7ffffffffffffffeffffffffffffffdf";
};

struct P64UpperParams {  // the same modulus, spelt with an upper-case prefix, digits and leading zeros
  static constexpr std::string_view modulus = "0X0000FFFFFFFFFFFFFFC5";
};

using P64 = zkcnn::MontgomeryField<P64Params>;
using P63 = zkcnn::MontgomeryField<P63Params>;
using PTopFd = zkcnn::MontgomeryField<PTopFdParams>;
using PTopFe = zkcnn::MontgomeryField<PTopFeParams>;
using P127 = zkcnn::MontgomeryField<P127Params>;
using P128 = zkcnn::MontgomeryField<P128Params>;
using P257 = zkcnn::MontgomeryField<P257Params>;

/// Modular arithmetic on 128-bit integers for any odd modulus p < 2^128 (no field code).
struct U128Mod {
  u128 p;

  u128 add(u128 a, u128 b) const {
    const u128 s = a + b;
    return (s < a || s >= p) ? s - p : s;  // a wrap past 2^128 means the true sum is >= p
  }
  u128 sub(u128 a, u128 b) const { return a >= b ? a - b : a + (p - b); }
  u128 neg(u128 a) const { return a == 0 ? 0 : p - a; }
  u128 mul(u128 a, u128 b) const {
    if ((p >> 64) == 0) return (a * b) % p;  // a, b < p < 2^64: the product fits
    u128 r = 0;
    for (int bit = 127; bit >= 0; --bit) {
      r = add(r, r);
      if ((b >> bit) & 1) r = add(r, a);
    }
    return r;
  }
  u128 pow(u128 a, u128 e) const {
    u128 r = 1 % p;
    for (int bit = 127; bit >= 0; --bit) {
      r = mul(r, r);
      if ((e >> bit) & 1) r = mul(r, a);
    }
    return r;
  }
  u128 random(std::mt19937_64& rng) const {
    for (;;) {
      u128 x = (static_cast<u128>(rng()) << 64) | rng();
      if ((p >> 64) == 0) x &= ~std::uint64_t{0};
      if (x < p) return x;
    }
  }
};

template <class F>
u128 to_u128(const F& x) {
  const auto bytes = x.to_bytes();
  u128 v = 0;
  for (std::size_t i = bytes.size(); i-- > 0;) v = (v << 8) | bytes[i];
  return v;
}

template <class F>
Result<F> from_u128_bytes(u128 v) {
  std::array<std::uint8_t, F::byte_size> bytes{};
  for (std::size_t i = 0; i < F::byte_size; ++i) bytes[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return F::from_bytes(std::span<const std::uint8_t>(bytes));
}

template <class F>
F from_u128(u128 v) {
  auto r = from_u128_bytes<F>(v);
  REQUIRE(r.has_value());
  return *r;
}

/// Arithmetic of F against the reference on `pairs` random pairs plus edge values.
template <class F>
void check_against_reference(const U128Mod& ref, std::mt19937_64& rng, std::size_t pairs) {
  const u128 p = ref.p;
  std::vector<u128> values{0, 1, 2, 3, p - 1, p - 2, (p - 1) / 2, (p + 1) / 2, p >> 1, p >> 2};
  for (u128 v : {u128{1} << 63, (u128{1} << 63) - 1, u128{0xffffffffffffffffull}, u128{1} << 32}) {
    if (v < p) values.push_back(v);
  }
  const std::size_t edge_count = values.size();
  for (std::size_t i = 0; i < pairs; ++i) values.push_back(ref.random(rng));

  auto check_pair = [&](u128 a, u128 b) {
    const F fa = from_u128<F>(a);
    const F fb = from_u128<F>(b);
    INFO("a = " << fa << ", b = " << fb);
    CHECK(to_u128(fa) == a);
    CHECK(to_u128(fa + fb) == ref.add(a, b));
    CHECK(to_u128(fa - fb) == ref.sub(a, b));
    CHECK(to_u128(fa * fb) == ref.mul(a, b));
    CHECK(to_u128(fa.square()) == ref.mul(a, a));
    CHECK(to_u128(-fa) == ref.neg(a));
    F acc = fa;
    acc *= fb;
    acc += fa;
    acc -= fb;
    CHECK(to_u128(acc) == ref.sub(ref.add(ref.mul(a, b), a), b));
  };
  for (std::size_t i = 0; i < edge_count; ++i) {
    for (std::size_t j = 0; j < edge_count; ++j) check_pair(values[i], values[j]);
  }
  for (std::size_t i = edge_count; i + 1 < values.size(); i += 2) check_pair(values[i], values[i + 1]);

  // Embeddings of machine integers.
  for (int i = 0; i < 50; ++i) {
    const std::uint64_t u = rng();
    const auto s = static_cast<std::int64_t>(rng());
    INFO("u = " << u << ", s = " << s);
    CHECK(to_u128(F::from_u64(u)) == u128{u} % p);
    const u128 s_mod = s >= 0 ? u128(static_cast<std::uint64_t>(s)) % p
                              : ref.neg(u128(static_cast<std::uint64_t>(-(s + 1)) + 1) % p);
    CHECK(to_u128(F::from_i64(s)) == s_mod);
  }
  CHECK(to_u128(F::from_u64(~std::uint64_t{0})) == u128{~std::uint64_t{0}} % p);
  CHECK(to_u128(F::from_i64(std::numeric_limits<std::int64_t>::min())) == ref.neg((u128{1} << 63) % p));

  // Inverses against Fermat in the reference, and wide reduction of 2 * byte_size bytes.
  for (int i = 0; i < 8; ++i) {
    const u128 a = values[edge_count + static_cast<std::size_t>(i)];
    if (a == 0) continue;
    const auto inv = from_u128<F>(a).inverse();
    REQUIRE(inv.has_value());
    CHECK(to_u128(*inv) == ref.pow(a, p - 2));
  }
}

/// Constants, encodings, Fermat, square roots and roots of unity of a custom Montgomery field.
template <class F>
void check_structure(const U128Mod& ref, std::mt19937_64& rng, unsigned expected_two_adicity,
                     std::uint64_t expected_non_residue, std::size_t expected_bits) {
  const u128 p = ref.p;
  CHECK(F::modulus_bits == expected_bits);
  CHECK(F::byte_size == (expected_bits + 7) / 8);
  CHECK(F::two_adicity == expected_two_adicity);
  CHECK(F::quadratic_non_residue == expected_non_residue);
  // The non-residue is the smallest one (Euler's criterion in the reference).
  CHECK(ref.pow(expected_non_residue, (p - 1) / 2) == p - 1);
  for (std::uint64_t z = 2; z < expected_non_residue; ++z) CHECK(ref.pow(z, (p - 1) / 2) == 1);

  // Encoding boundaries.
  CHECK(from_u128_bytes<F>(p - 1).has_value());
  CHECK_FALSE(from_u128_bytes<F>(p).has_value());
  bool p_plus_one_fits = p + 1 != 0;  // p + 1 < 2^128
  if constexpr (F::byte_size < 16) p_plus_one_fits = ((p + 1) >> (8 * F::byte_size)) == 0;
  REQUIRE(p_plus_one_fits);  // true for every modulus tested here
  CHECK_FALSE(from_u128_bytes<F>(p + 1).has_value());
  const std::vector<std::uint8_t> ones(F::byte_size, 0xff);
  CHECK_FALSE(F::from_bytes(std::span<const std::uint8_t>(ones)).has_value());

  // Fermat: x^(p-1) = 1 and x^p = x, with the exponent as limbs.
  const std::array<std::uint64_t, 2> p_minus_one{static_cast<std::uint64_t>(p - 1), static_cast<std::uint64_t>((p - 1) >> 64)};
  const std::array<std::uint64_t, 2> p_limbs{static_cast<std::uint64_t>(p), static_cast<std::uint64_t>(p >> 64)};
  for (int i = 0; i < 10; ++i) {
    const F x = random_nonzero<F>(rng);
    INFO("x = " << x);
    CHECK(zkcnn::pow(x, std::span<const std::uint64_t>(p_minus_one)) == F::one());
    CHECK(zkcnn::pow(x, std::span<const std::uint64_t>(p_limbs)) == x);
    CHECK(x * *x.inverse() == F::one());
    // Random elements are canonical.
    CHECK(to_u128(x) < p);
    // Square roots.
    const auto root = x.square().sqrt();
    REQUIRE(root.has_value());
    CHECK(root->square() == x.square());
    CHECK_FALSE((x.square() * F::from_u64(expected_non_residue)).sqrt().has_value());
    // Wide reduction of 2 * byte_size little-endian bytes: hi * 2^(8 byte_size) + lo.
    const auto bytes = random_bytes(rng, 2 * F::byte_size);
    u128 lo = 0;
    u128 hi = 0;
    for (std::size_t j = F::byte_size; j-- > 0;) {
      lo = (lo << 8) | bytes[j];
      hi = (hi << 8) | bytes[F::byte_size + j];
    }
    const u128 shift = ref.pow(2, 8 * F::byte_size);
    CHECK(to_u128(F::from_bytes_mod_order(std::span<const std::uint8_t>(bytes))) ==
          ref.add(ref.mul(hi % p, shift), lo % p));
  }

  for (unsigned k = 0; k <= F::two_adicity; ++k) {
    const F w = F::root_of_unity(k);
    CHECK(pow2k(w, k) == F::one());
    if (k >= 1) CHECK(pow2k(w, k - 1) == -F::one());
  }
  CHECK_THROWS_AS(F::root_of_unity(F::two_adicity + 1), std::invalid_argument);
}

}  // namespace

TEST_CASE("field laws: Montgomery field mod 2^64 - 59 (one full-width limb) matches 128-bit arithmetic",
          "[field][laws][montgomery]") {
  const U128Mod ref{0xffffffffffffffc5ull};
  auto rng = make_rng(17);
  STATIC_REQUIRE(P64::limb_count == 1);
  STATIC_REQUIRE(P64::modulus[0] == 0xffffffffffffffc5ull);
  STATIC_REQUIRE(zkcnn::MontgomeryField<P64UpperParams>::limb_count == 1);
  STATIC_REQUIRE(zkcnn::MontgomeryField<P64UpperParams>::modulus == P64::modulus);
  STATIC_REQUIRE(zkcnn::PrimeField<P64>);
  STATIC_REQUIRE(zkcnn::TwoAdicField<P64>);
  check_against_reference<P64>(ref, rng, 20000);
  check_structure<P64>(ref, rng, 2, 2, 64);
}

TEST_CASE("field laws: Montgomery field mod 2^127 - 1 (two limbs, top limb 0x7fff...) matches 128-bit arithmetic",
          "[field][laws][montgomery]") {
  const U128Mod ref{(u128{1} << 127) - 1};
  auto rng = make_rng(18);
  STATIC_REQUIRE(P127::limb_count == 2);
  check_against_reference<P127>(ref, rng, 2000);
  check_structure<P127>(ref, rng, 1, 3, 127);
  // 2^127 = 1 (mod p), so 2 has order 127.
  CHECK(zkcnn::pow(P127::from_u64(2), std::uint64_t{127}) == P127::one());
  CHECK(zkcnn::pow(P127::from_u64(2), std::uint64_t{126}) == *P127::from_u64(2).inverse());
}

TEST_CASE("field laws: Montgomery field mod 2^128 - 159 (two full-width limbs) matches 128-bit arithmetic",
          "[field][laws][montgomery]") {
  const U128Mod ref{~u128{0} - 158};
  auto rng = make_rng(19);
  STATIC_REQUIRE(P128::limb_count == 2);
  check_against_reference<P128>(ref, rng, 2000);
  check_structure<P128>(ref, rng, 5, 5, 128);
  // 2^128 = 159 (mod p).
  const P128 two_64 = P128::from_u64(std::uint64_t{1} << 32).square();
  CHECK(two_64 * two_64 == P128::from_u64(159));
}

TEST_CASE("field laws: Montgomery fields with top limbs at the spare-bit thresholds match 128-bit arithmetic",
          "[field][laws][montgomery]") {
  auto rng = make_rng(20);
  SECTION("2^63 - 25") {
    const U128Mod ref{(u128{1} << 63) - 25};
    check_against_reference<P63>(ref, rng, 5000);
    check_structure<P63>(ref, rng, 1, 3, 63);
  }
  SECTION("0x7ffffffffffffffd ffffffffffffff9f") {
    const U128Mod ref{(u128{0x7ffffffffffffffdull} << 64) | 0xffffffffffffff9full};
    check_against_reference<PTopFd>(ref, rng, 2000);
    check_structure<PTopFd>(ref, rng, 1, 17, 127);
  }
  SECTION("0x7ffffffffffffffe ffffffffffffffdf") {
    const U128Mod ref{(u128{0x7ffffffffffffffeull} << 64) | 0xffffffffffffffdfull};
    check_against_reference<PTopFe>(ref, rng, 2000);
    check_structure<PTopFe>(ref, rng, 1, 3, 127);
  }
}

TEST_CASE("field laws: Montgomery field mod 257, exhaustively against integer arithmetic",
          "[field][laws][montgomery]") {
  constexpr std::uint64_t p = 257;
  STATIC_REQUIRE(P257::two_adicity == 8);
  STATIC_REQUIRE(P257::quadratic_non_residue == 3);
  STATIC_REQUIRE(P257::modulus_bits == 9);
  STATIC_REQUIRE(P257::byte_size == 2);
  std::vector<P257> elements;
  for (std::uint64_t a = 0; a < p; ++a) elements.push_back(P257::from_u64(a));
  auto value = [](const P257& x) { return std::uint64_t{x.to_bytes()[0]} | (std::uint64_t{x.to_bytes()[1]} << 8); };

  std::vector<bool> is_square(p, false);
  for (std::uint64_t a = 0; a < p; ++a) is_square[a * a % p] = true;

  std::size_t mismatches = 0;
  for (std::uint64_t a = 0; a < p; ++a) {
    for (std::uint64_t b = 0; b < p; ++b) {
      const P257& x = elements[a];
      const P257& y = elements[b];
      if (value(x + y) != (a + b) % p) ++mismatches;
      if (value(x - y) != (a + p - b) % p) ++mismatches;
      if (value(x * y) != a * b % p) ++mismatches;
    }
    const auto inv = elements[a].inverse();
    if (a == 0) {
      CHECK_FALSE(inv.has_value());
    } else {
      REQUIRE(inv.has_value());
      CHECK(value(*inv) * a % p == 1);
    }
    const auto root = elements[a].sqrt();
    CHECK(root.has_value() == is_square[a]);
    if (root) CHECK(value(*root) * value(*root) % p == a);
    CHECK(value(P257::from_u64(a + 1000 * p)) == a);
    CHECK(value(P257::from_i64(-static_cast<std::int64_t>(a))) == (p - a) % p);
  }
  CHECK(mismatches == 0);
  for (unsigned k = 0; k <= 8; ++k) {
    const P257 w = P257::root_of_unity(k);
    CHECK(pow2k(w, k) == P257::one());
    if (k >= 1) CHECK(pow2k(w, k - 1) == -P257::one());
  }
  // Encodings: 2 bytes, values 257..65535 rejected.
  for (std::uint64_t v : {257u, 258u, 511u, 65535u}) {
    const std::array<std::uint8_t, 2> bytes{static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8)};
    CHECK_FALSE(P257::from_bytes(std::span<const std::uint8_t>(bytes)).has_value());
  }
}

// =============================================================================================
// Compile-time evaluation and diagnostics.

TEST_CASE("field laws: arithmetic, inverse, sqrt and roots of unity are usable in constant expressions",
          "[field][laws][constexpr]") {
  using Fr = zkcnn::bn254::Fr;
  using Fq381 = zkcnn::bls12_381::Fq;
  using E = GoldilocksExt2;

  constexpr Fr a = Fr::from_u64(6);
  constexpr Fr b = Fr::from_i64(-7);
  STATIC_REQUIRE(a * b == Fr::from_i64(-42));
  STATIC_REQUIRE(a + b == -Fr::one());
  STATIC_REQUIRE(a - b == Fr::from_u64(13));
  STATIC_REQUIRE(a.square() == Fr::from_u64(36));
  STATIC_REQUIRE(*a.inverse() * a == Fr::one());
  STATIC_REQUIRE(!Fr::zero().inverse().has_value());
  STATIC_REQUIRE(Fr::root_of_unity(1) == -Fr::one());
  STATIC_REQUIRE(Fr::from_u64(36).sqrt()->square() == Fr::from_u64(36));
  STATIC_REQUIRE(Fr::from_u64(258).to_bytes()[0] == 2);
  STATIC_REQUIRE(Fr::from_u64(258).to_bytes()[1] == 1);
  STATIC_REQUIRE(zkcnn::pow(Fr::from_u64(2), std::uint64_t{10}) == Fr::from_u64(1024));

  STATIC_REQUIRE(*Fq381::from_u64(3).inverse() * Fq381::from_u64(3) == Fq381::one());

  STATIC_REQUIRE(Goldilocks::from_u64(Goldilocks::modulus) == Goldilocks::zero());
  STATIC_REQUIRE(Goldilocks::from_i64(-1).value() == Goldilocks::modulus - 1);
  STATIC_REQUIRE(*Goldilocks::from_u64(7).inverse() * Goldilocks::from_u64(7) == Goldilocks::one());
  STATIC_REQUIRE(Goldilocks::root_of_unity(1) == -Goldilocks::one());
  STATIC_REQUIRE(Goldilocks::from_u64(49).sqrt()->square() == Goldilocks::from_u64(49));

  constexpr E x(Goldilocks::zero(), Goldilocks::one());
  STATIC_REQUIRE(x * x == E::from_u64(7));
  STATIC_REQUIRE(*x.inverse() * x == E::one());
}

TEST_CASE("field laws: operator<< prints the canonical value", "[field][laws]") {
  auto text = [](const auto& x) {
    std::ostringstream os;
    os << x;
    return os.str();
  };
  CHECK(text(zkcnn::bn254::Fr::from_u64(0xabc)) ==
        "0x0000000000000000000000000000000000000000000000000000000000000abc");
  CHECK(text(-zkcnn::bn254::Fr::one()) == "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000");
  CHECK(text(Goldilocks::from_u64(Goldilocks::modulus + 5)) == "5");
  CHECK(text(GoldilocksExt2(Goldilocks::from_u64(1), Goldilocks::from_u64(2))) == "(1 + 2 X)");
}

namespace {

/// A chain of dependent products and sums starting near -1 (the largest residues).
template <class F>
constexpr std::array<F, 12> product_chain() {
  std::array<F, 12> out{};
  F x = -F::one();
  F y = -F::from_u64(2);
  for (auto& o : out) {
    o = x * y;
    x = o + x.square();
    y = y * x - F::from_u64(0x9e3779b97f4a7c15ull);
  }
  return out;
}

// Not constexpr: calls from here are never constant-evaluated, so the run-time kernels run.
template <class F>
std::array<F, 12> product_chain_at_run_time() {
  return product_chain<F>();
}

}  // namespace

// Montgomery multiplication may use a different kernel in constant evaluation (portable) than
// at run time (e.g. add-with-carry intrinsics for spare-bit moduli); both must compute the
// same values.
TEMPLATE_TEST_CASE("field laws: Montgomery products agree between compile time and run time",
                   "[field][laws][montgomery][constexpr]", zkcnn::bn254::Fr, zkcnn::bn254::Fq, zkcnn::bls12_381::Fr,
                   zkcnn::bls12_381::Fq, P63, PTopFd, PTopFe, P64, P127, P128, P257) {
  using F = TestType;
  constexpr std::array<F, 12> at_compile_time = product_chain<F>();
  const std::array<F, 12> at_run_time = product_chain_at_run_time<F>();
  for (std::size_t i = 0; i < at_compile_time.size(); ++i) {
    INFO("step " << i);
    CHECK(at_compile_time[i] == at_run_time[i]);
  }
  constexpr F compile_time_inverse = *F::from_u64(0x123456789ull).inverse();
  CHECK(compile_time_inverse == *F::from_u64(0x123456789ull).inverse());
}

namespace {
struct Secp256k1BaseParams {  // 2^256 - 2^32 - 977: four full-width limbs, no spare bit
  static constexpr std::string_view modulus = "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
};
struct P384Params {  // 2^384 - 2^128 - 2^96 + 2^32 - 1: six full-width limbs
  static constexpr std::string_view modulus =
      "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff";
};
using Secp256k1Base = zkcnn::MontgomeryField<Secp256k1BaseParams>;
using P384 = zkcnn::MontgomeryField<P384Params>;
}  // namespace

// The divsteps inversion (field/inverse_vartime.hpp) against the exponentiation, on moduli of one
// to six limbs with and without spare bits, at values whose divsteps run longest or shortest
// (powers of two, +-1, p - 1) and at random ones; every element of the field of 257 elements.
TEMPLATE_TEST_CASE("field laws: inverse_vartime equals inverse", "[field][laws][inverse]", ZKCNN_TEST_ALL_FIELDS, P63,
                   PTopFd, PTopFe, P64, P127, P128, P257, Secp256k1Base, P384) {
  using F = TestType;
  CHECK_FALSE(zkcnn::inverse_vartime(F::zero()).has_value());
  std::vector<F> values = {F::one(), -F::one(), F::from_u64(2), -F::from_u64(2), F::from_u64(3)};
  F power = F::one();
  for (int k = 0; k < 400; ++k, power += power) {
    values.insert(values.end(), {power, -power, power + F::one(), power - F::one()});
  }
  auto rng = make_rng(41);
  for (std::size_t trial = 0; trial < 20 * kRandomTrials; ++trial) values.push_back(F::random(rng));
  if constexpr (std::is_same_v<F, P257>) {
    for (std::uint64_t x = 1; x < 257; ++x) values.push_back(F::from_u64(x));
  }
  for (const F& x : values) {
    if (x.is_zero()) continue;
    INFO("x = " << x);
    CHECK(zkcnn::inverse_vartime(x) == x.inverse());
  }
  STATIC_REQUIRE(*zkcnn::inverse_vartime(F::from_u64(3)) * F::from_u64(3) == F::one());
}

TEST_CASE("Goldilocks: products whose low word is below their top 32 bits (the rare borrow)", "[field][goldilocks]") {
  // The reduction corrects this case on a separate, rarely taken path; random operands almost
  // never reach it, so build products near 2^126 that do.
  std::mt19937_64 rng(0x676c6272);
  const zkcnn::detail::u128 p = zkcnn::Goldilocks::modulus;
  int borrow_cases = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t a = (std::uint64_t{1} << 63) + (rng() & 0xffff);
    const std::uint64_t b = (std::uint64_t{1} << 63) + (rng() & 0xff);
    const zkcnn::detail::u128 product = static_cast<zkcnn::detail::u128>(a) * b;
    if (static_cast<std::uint64_t>(product) < static_cast<std::uint64_t>(product >> 96)) ++borrow_cases;
    const auto expected = static_cast<std::uint64_t>(product % p);
    REQUIRE((zkcnn::Goldilocks::from_u64(a) * zkcnn::Goldilocks::from_u64(b)).value() == expected);
  }
  CHECK(borrow_cases > 1000);
}
