// The compressed point encoding: round trips, canonicity (one byte string per point), and the
// rejection of every malformed input with an Error (never a crash, never a point outside the
// prime-order subgroup). Also the subgroup checks themselves: the BLS12-381 endomorphism test
// against the definition [r]P = O.

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <zkcnn/detail/parallel.hpp>
#include <zkcnn/io/byte_stream.hpp>

#include "ec/ec_test_support.hpp"

namespace {

using zkcnn::Errc;
using zkcnn::ec_testing::make_rng;
using zkcnn::ec_testing::modulus_le_bytes;
using zkcnn::ec_testing::random_bytes;
using zkcnn::ec_testing::random_curve_point;
using zkcnn::ec_testing::random_point;

template <class G>
void require_rejected(std::span<const std::uint8_t> bytes, std::string_view expected_in_message) {
  auto decoded = G::decode(bytes);
  REQUIRE(!decoded.has_value());
  CHECK(decoded.error().code == Errc::invalid_encoding);
  INFO(decoded.error().message);
  CHECK(decoded.error().message.find(expected_in_message) != std::string::npos);
  CHECK(!G::decode_affine(bytes).has_value());
}

/// An x whose x^3 + a x + b is a non-residue (no point has it).
template <class G>
typename G::Base x_off_curve(std::mt19937_64& rng) {
  using Base = typename G::Base;
  for (;;) {
    const Base x = Base::random(rng);
    if (!(x.square() * x + G::curve_a * x + G::curve_b).sqrt()) return x;
  }
}

TEMPLATE_TEST_CASE("encoding round trips", "[ec][encoding]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  auto rng = make_rng(20);
  const auto id = G::identity().encode();
  for (std::size_t i = 0; i + 1 < id.size(); ++i) CHECK(id[i] == 0);
  CHECK(id.back() == G::infinity_flag);
  for (const G& p : {G::identity(), G::generator(), -G::generator(), G::generator().doubled()}) {
    auto decoded = G::decode(p.encode());
    REQUIRE(decoded.has_value());
    CHECK(*decoded == p);
    CHECK(decoded->encode() == p.encode());
  }
  for (int trial = 0; trial < 32; ++trial) {
    const G p = random_point<G>(rng);
    const auto bytes = p.encode();
    CHECK(bytes == G::encode_affine(p.to_affine()));
    auto decoded = G::decode(bytes);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == p);
    CHECK(decoded->is_normalized());
    auto affine = G::decode_affine(bytes);
    REQUIRE(affine.has_value());
    CHECK(*affine == p.to_affine());
    // P and -P share x and differ exactly in the sign flag.
    const auto neg = (-p).encode();
    CHECK((neg.back() ^ bytes.back()) == G::y_odd_flag);
    for (std::size_t i = 0; i + 1 < bytes.size(); ++i) CHECK(neg[i] == bytes[i]);
  }
}

TEMPLATE_TEST_CASE("decode rejects every wrong length", "[ec][encoding]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  auto rng = make_rng(21);
  const auto good = random_point<G>(rng).encode();
  for (std::size_t n = 0; n <= 2 * G::encoded_size + 1; ++n) {
    if (n == G::encoded_size) continue;
    std::vector<std::uint8_t> bytes(n, 0);
    std::copy_n(good.begin(), std::min(n, good.size()), bytes.begin());
    require_rejected<G>(bytes, "expected");
    std::vector<std::uint8_t> zeros(n, 0);
    require_rejected<G>(zeros, "expected");
  }
}

TEMPLATE_TEST_CASE("decode rejects non-canonical x", "[ec][encoding]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  using Base = typename G::Base;
  const auto p = modulus_le_bytes<Base>();
  for (unsigned delta : {0u, 1u, 2u, 5u, 1000u}) {
    for (std::uint8_t flag : {std::uint8_t{0}, G::y_odd_flag}) {
      auto x = zkcnn::ec_testing::add_small(p, delta);  // p + delta: >= p, still fits
      REQUIRE(x.size() == Base::byte_size);
      std::array<std::uint8_t, G::encoded_size> bytes{};
      std::copy(x.begin(), x.end(), bytes.begin());
      if constexpr (G::flags_in_x) {
        REQUIRE((bytes.back() & (G::infinity_flag | G::y_odd_flag)) == 0);
      }
      bytes.back() |= flag;
      require_rejected<G>(bytes, "not canonical");
    }
  }
  // All value bits set.
  std::array<std::uint8_t, G::encoded_size> ones{};
  ones.fill(0xff);
  ones.back() = static_cast<std::uint8_t>(~(G::infinity_flag | G::y_odd_flag));
  require_rejected<G>(ones, G::flags_in_x ? "not canonical" : "reserved");
}

TEMPLATE_TEST_CASE("decode rejects inconsistent flags", "[ec][encoding]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  auto rng = make_rng(22);
  const auto good = random_point<G>(rng).encode();
  using Bytes = std::array<std::uint8_t, G::encoded_size>;

  Bytes both{};
  both.back() = G::infinity_flag | G::y_odd_flag;
  require_rejected<G>(both, "infinity flag");

  auto with_infinity = good;
  with_infinity.back() |= G::infinity_flag;
  require_rejected<G>(with_infinity, "infinity flag");

  // The identity with any single other bit set.
  for (std::size_t bit = 0; bit < 8 * G::encoded_size; ++bit) {
    Bytes bytes = G::identity().encode();
    const auto mask = static_cast<std::uint8_t>(1u << (bit % 8));
    if (bit / 8 == G::encoded_size - 1 && (mask & (G::infinity_flag | G::y_odd_flag))) continue;
    bytes[bit / 8] |= mask;
    auto decoded = G::decode(bytes);
    REQUIRE(!decoded.has_value());
    CHECK(decoded.error().code == Errc::invalid_encoding);
  }

  if constexpr (!G::flags_in_x) {
    // The six reserved bits of the flag byte.
    for (unsigned bit = 0; bit < 6; ++bit) {
      auto bytes = good;
      bytes.back() = static_cast<std::uint8_t>(bytes.back() | (1u << bit));
      require_rejected<G>(bytes, "reserved");
    }
  }
}

TEMPLATE_TEST_CASE("decode rejects x off the curve", "[ec][encoding]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  auto rng = make_rng(23);
  for (int trial = 0; trial < 6; ++trial) {
    const auto x = x_off_curve<G>(rng).to_bytes();
    for (std::uint8_t flag : {std::uint8_t{0}, G::y_odd_flag}) {
      std::array<std::uint8_t, G::encoded_size> bytes{};
      std::copy(x.begin(), x.end(), bytes.begin());
      bytes.back() |= flag;
      require_rejected<G>(bytes, "on the curve");
    }
  }
}

TEST_CASE("decode rejects the y odd flag on a point with y = 0", "[ec][encoding]") {
  // Only the toy curve has a point with y = 0: (0, 0), of order 2.
  using G = zkcnn::ec_testing::ToyG1;
  std::array<std::uint8_t, G::encoded_size> bytes{};
  bytes.back() = G::y_odd_flag;
  require_rejected<G>(bytes, "y = 0");
  bytes.back() = 0;
  require_rejected<G>(bytes, "subgroup");  // the canonical encoding of (0, 0), outside the group
  const G two_torsion(G::Affine{G::Base::zero(), G::Base::zero(), false});
  CHECK(two_torsion.is_on_curve());
  CHECK(two_torsion.doubled().is_identity());
  CHECK((two_torsion + two_torsion).is_identity());
  CHECK(two_torsion == -two_torsion);
  CHECK(G::encode_affine(two_torsion.to_affine()) == bytes);
}

TEMPLATE_TEST_CASE("decode rejects curve points outside the prime-order subgroup", "[ec][encoding][subgroup]",
                   zkcnn::bls12_381::G1, zkcnn::ec_testing::ToyG1) {
  using G = TestType;
  auto rng = make_rng(24);
  int rejected = 0;
  for (int trial = 0; trial < 24; ++trial) {
    const G p = random_curve_point<G>(rng);
    REQUIRE(p.is_on_curve());
    if (p.is_in_prime_subgroup_generic()) continue;  // probability 1/h
    ++rejected;
    CHECK(!p.is_in_prime_subgroup());
    require_rejected<G>(G::encode_affine(p.to_affine()), "subgroup");
    require_rejected<G>(G::encode_affine((-p).to_affine()), "subgroup");
    auto checked = G::from_affine_checked(p.to_affine().x, p.to_affine().y);
    CHECK(!checked.has_value());
    // Clearing the cofactor brings it into the subgroup.
    const G cleared = p.clear_cofactor();
    CHECK(cleared.is_in_prime_subgroup_generic());
    CHECK(cleared.is_in_prime_subgroup());
    CHECK(G::decode(cleared.encode()).has_value());
  }
  CHECK(rejected >= 16);
}

TEST_CASE("BLS12-381 endomorphism subgroup check agrees with [r]P = O", "[ec][subgroup]") {
  using G = zkcnn::bls12_381::G1;
  auto rng = make_rng(25);
  // In the subgroup.
  CHECK(G::identity().is_in_prime_subgroup());
  for (int trial = 0; trial < 6; ++trial) {
    const G p = random_point<G>(rng);
    CHECK(p.is_in_prime_subgroup());
    CHECK(p.is_in_prime_subgroup_generic());
    CHECK(G(p.to_affine()).is_in_prime_subgroup());
  }
  // Random curve points: outside (the generic check is the reference).
  for (int trial = 0; trial < 32; ++trial) {
    const G p = random_curve_point<G>(rng);
    CHECK(p.is_in_prime_subgroup() == p.is_in_prime_subgroup_generic());
  }
  // G + T for T of each prime order l dividing h = 3 * 11^2 * 10177^2 * 859267^2 * 52437899^2:
  // the hardest points for a faulty test, off the subgroup by a single small component.
  const std::array<std::uint64_t, 5> primes{3, 11, 10177, 859267, 52437899};
  const std::array<unsigned, 5> exponents{1, 2, 2, 2, 2};
  for (std::size_t which = 0; which < primes.size(); ++which) {
    int found = 0;
    for (int attempt = 0; attempt < 8 && found < 2; ++attempt) {
      // The l-primary part [r * h / l^e] Q, then multiplied by l until its order is exactly l.
      G t = random_curve_point<G>(rng).mul_le_bytes(G::scalar_order_le_bytes());
      for (std::size_t j = 0; j < primes.size(); ++j) {
        if (j == which) continue;
        for (unsigned k = 0; k < exponents[j]; ++k) t = t.mul_u64(primes[j]);
      }
      if (t.is_identity()) continue;
      while (!t.mul_u64(primes[which]).is_identity()) t = t.mul_u64(primes[which]);
      ++found;
      REQUIRE(t.mul_u64(primes[which]).is_identity());
      const G p = random_point<G>(rng) + t;
      CHECK(!p.is_in_prime_subgroup_generic());
      CHECK(!p.is_in_prime_subgroup());
      CHECK(!t.is_in_prime_subgroup());
      require_rejected<G>(p.encode(), "subgroup");
    }
    CHECK(found > 0);
  }
}

TEMPLATE_TEST_CASE("write_groups and read_groups: many points in parallel, the first invalid one reported",
                   "[ec][encoding]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  auto rng = make_rng(27);
  std::vector<G> points;
  for (std::size_t i = 0; i < 1000; ++i) points.push_back(i % 97 == 5 ? G::identity() : random_point<G>(rng));
  zkcnn::io::ByteWriter writer;
  writer.write_u8(7);
  writer.write_groups(std::span<const G>(points));
  const auto bytes = std::move(writer).take();
  REQUIRE(bytes.size() == 1 + points.size() * G::encoded_size);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto one = points[i].encode();
    REQUIRE(std::equal(one.begin(), one.end(), bytes.begin() + static_cast<std::ptrdiff_t>(1 + i * G::encoded_size)));
  }
  for (std::size_t threads : {1u, 2u, 3u}) {
    CAPTURE(threads);
    zkcnn::set_thread_count(threads);
    zkcnn::io::ByteReader reader(bytes);
    REQUIRE(reader.read_u8("tag"));
    auto decoded = reader.read_groups<G>(points.size(), "row");
    REQUIRE(decoded);
    CHECK(*decoded == points);
    CHECK(reader.remaining() == 0);
    // Two invalid elements of different kinds: the error is always the lower one's.
    auto broken = bytes;
    const auto off_curve = x_off_curve<G>(rng).to_bytes();
    std::copy(off_curve.begin(), off_curve.end(), broken.begin() + static_cast<std::ptrdiff_t>(1 + 300 * G::encoded_size));
    std::fill_n(broken.begin() + static_cast<std::ptrdiff_t>(1 + 700 * G::encoded_size), G::encoded_size, std::uint8_t{0xff});
    zkcnn::io::ByteReader broken_reader(broken);
    REQUIRE(broken_reader.read_u8("tag"));
    const auto failed = broken_reader.read_groups<G>(points.size(), "row");
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == Errc::invalid_encoding);
    CHECK(failed.error().message.find("row: ") == 0);
    CHECK(failed.error().message.find("on the curve") != std::string::npos);
    // Truncated: one byte short of the last element.
    zkcnn::io::ByteReader short_reader(std::span<const std::uint8_t>(bytes).first(bytes.size() - 1));
    REQUIRE(short_reader.read_u8("tag"));
    const auto truncated = short_reader.read_groups<G>(points.size(), "row");
    REQUIRE_FALSE(truncated);
    CHECK(truncated.error().message.find("truncated") != std::string::npos);
  }
  zkcnn::set_thread_count(0);
}

TEMPLATE_TEST_CASE("random byte strings never decode to a point outside the subgroup", "[ec][encoding]",
                   ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  auto rng = make_rng(26);
  int accepted = 0;
  const int trials = 2000;
  for (int trial = 0; trial < trials; ++trial) {
    auto bytes = random_bytes(rng, G::encoded_size);
    if (trial % 3 == 0) bytes.back() &= static_cast<std::uint8_t>(~G::infinity_flag);  // more candidates
    auto decoded = G::decode(bytes);
    if (!decoded) {
      CHECK(decoded.error().code == Errc::invalid_encoding);
      CHECK(!decoded.error().message.empty());
      continue;
    }
    ++accepted;
    CHECK(decoded->is_on_curve());
    CHECK(decoded->is_in_prime_subgroup_generic());
    const auto again = decoded->encode();
    CHECK(std::vector<std::uint8_t>(again.begin(), again.end()) == bytes);  // canonical
  }
  if constexpr (G::cofactor_is_one) {
    CHECK(accepted > trials / 5);  // about a third of the strings are valid BN254 points
  }
  // Single-bit mutations of valid encodings: rejected, or another valid canonical point.
  for (int trial = 0; trial < 8; ++trial) {
    const auto good = random_point<G>(rng).encode();
    for (std::size_t bit = 0; bit < 8 * G::encoded_size; ++bit) {
      auto bytes = good;
      bytes[bit / 8] = static_cast<std::uint8_t>(bytes[bit / 8] ^ (1u << (bit % 8)));
      auto decoded = G::decode(bytes);
      if (decoded) {
        CHECK(decoded->is_in_prime_subgroup_generic());
        CHECK(decoded->encode() == bytes);
      }
    }
  }
}

}  // namespace
