// Group laws, scalar multiplication (by the point and by a fixed-base table) and affine
// conversion for every curve type (the two shipped G1s and the test curve of
// ec_test_support.hpp), on random points of the prime-order subgroup and on the edge cases of the incomplete Jacobian formulas (P + P, P + (-P), O).

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <vector>

#include <zkcnn/ec/fixed_base.hpp>

#include "ec/ec_test_support.hpp"

namespace {

using zkcnn::ec_testing::make_rng;
using zkcnn::ec_testing::random_bytes;
using zkcnn::ec_testing::random_point;

TEMPLATE_TEST_CASE("identity, generator and the group order", "[ec][laws]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  using Fr = typename G::Scalar;
  const G o = G::identity();
  const G g = G::generator();
  CHECK(o.is_identity());
  CHECK(G{} == o);
  CHECK(o.is_on_curve());
  CHECK(!g.is_identity());
  CHECK(g.is_on_curve());
  CHECK(g.is_normalized());
  CHECK(g != o);
  CHECK(-o == o);
  CHECK(o.doubled() == o);
  CHECK(g.is_in_prime_subgroup());
  CHECK(g.is_in_prime_subgroup_generic());

  // [r]G = O, computed as [r - 1]G + G and as a multiplication by the integer r.
  const G r_minus_one_g = g * (-Fr::one());
  CHECK(r_minus_one_g == -g);
  CHECK((r_minus_one_g + g).is_identity());
  CHECK(g.mul_le_bytes(G::scalar_order_le_bytes()).is_identity());
  // ... and no smaller positive multiple tested here is O: G has order exactly r (prime).
  CHECK(!(g * Fr::from_u64(2)).is_identity());
  CHECK(!(g * (-Fr::from_u64(2))).is_identity());
}

TEMPLATE_TEST_CASE("addition: commutativity, associativity, identity, inverses", "[ec][laws]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  auto rng = make_rng(1);
  for (int trial = 0; trial < 32; ++trial) {
    const G p = random_point<G>(rng);
    const G q = random_point<G>(rng);
    const G s = random_point<G>(rng);
    REQUIRE(!p.is_normalized());  // exercise the general Jacobian formulas
    CHECK((p + q).is_on_curve());
    CHECK(p + q == q + p);
    CHECK((p + q) + s == p + (q + s));
    CHECK(p + G::identity() == p);
    CHECK(G::identity() + p == p);
    CHECK((p + (-p)).is_identity());
    CHECK((p - p).is_identity());
    CHECK(p - q == p + (-q));
    CHECK(p - q + q == p);
    CHECK(-(-p) == p);
    CHECK(-(p + q) == -p - q);
    G acc = p;
    acc += q;
    acc -= p;
    CHECK(acc == q);
  }
}

TEMPLATE_TEST_CASE("doubling agrees with self-addition", "[ec][laws]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  auto rng = make_rng(2);
  for (int trial = 0; trial < 32; ++trial) {
    const G p = random_point<G>(rng);
    CHECK(p.doubled() == p + p);  // P + P through the addition formula's H = 0 branch
    CHECK(p.doubled().is_on_curve());
    CHECK(p + p.doubled() == p.doubled() + p);
    CHECK((-p).doubled() == -(p.doubled()));
  }
  // [2^k]P by repeated doubling equals the scalar multiplication.
  G p = random_point<G>(rng);
  G d = p;
  for (unsigned k = 1; k < 63; ++k) {
    d = d.doubled();
    CHECK(d == p.mul_u64(std::uint64_t{1} << k));
  }
}

TEMPLATE_TEST_CASE("equality is projective", "[ec][laws]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  using Base = typename G::Base;
  auto rng = make_rng(3);
  const G p = random_point<G>(rng);
  // (X, Y, Z) ~ (l^2 X, l^3 Y, l Z) for any non-zero l.
  const Base l = Base::random(rng) + Base::one();
  const G scaled = G::from_jacobian_unchecked(p.jacobian_x() * l.square(), p.jacobian_y() * l.square() * l,
                                              p.jacobian_z() * l);
  CHECK(scaled == p);
  CHECK(scaled.encode() == p.encode());
  CHECK(scaled != -p);
  CHECK(scaled != p.doubled());
  // Any Z = 0 is the identity.
  CHECK(G::from_jacobian_unchecked(Base::random(rng), Base::random(rng), Base::zero()) == G::identity());
  CHECK(G::from_jacobian_unchecked(Base::random(rng), Base::random(rng), Base::zero()).encode() ==
        G::identity().encode());
}

TEMPLATE_TEST_CASE("mixed addition agrees with full addition, edge cases included", "[ec][laws]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  using Affine = typename G::Affine;
  auto rng = make_rng(4);
  for (int trial = 0; trial < 32; ++trial) {
    const G p = random_point<G>(rng);
    const G q = random_point<G>(rng);
    const Affine qa = q.to_affine();
    const Affine pa = p.to_affine();
    CHECK(p + qa == p + q);
    CHECK(p.add_affine(qa) == p + q);
    CHECK(p - qa == p - q);
    CHECK(p + pa == p.doubled());           // P + P via madd
    CHECK((p + (-pa)).is_identity());       // P + (-P) via madd
    CHECK(G::identity() + qa == q);         // O + Q
    CHECK(p + Affine::identity() == p);     // P + O
    CHECK((G::identity() + Affine::identity()).is_identity());
    G acc = p;
    acc += qa;
    acc -= qa;
    CHECK(acc == p);

    // Both operands normalized (Z = 1): the affine + affine formulas.
    const G pn(pa);
    const G qn(qa);
    REQUIRE(pn.is_normalized());
    CHECK(pn + qn == p + q);
    CHECK(pn + pn == p.doubled());
    CHECK((pn + (-pn)).is_identity());
    CHECK(pn + q == p + q);  // one normalized operand, either side
    CHECK(q + pn == p + q);
  }
}

TEMPLATE_TEST_CASE("scalar multiplication", "[ec][scalar]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  using Fr = typename G::Scalar;
  auto rng = make_rng(5);
  const G g = G::generator();
  for (int trial = 0; trial < 16; ++trial) {
    const G p = random_point<G>(rng);
    const Fr a = Fr::random(rng);
    const Fr b = Fr::random(rng);
    CHECK((p * b) * a == p * (a * b));
    CHECK(p * a + p * b == p * (a + b));
    CHECK(p * a - p * b == p * (a - b));
    CHECK(a * p == p * a);
    G q = p;
    q *= a;
    CHECK(q == p * a);
    CHECK((p + g) * a == p * a + g * a);
  }
  const G p = random_point<G>(rng);
  CHECK((p * Fr::zero()).is_identity());
  CHECK(p * Fr::one() == p);
  CHECK(p * (-Fr::one()) == -p);
  CHECK((G::identity() * Fr::random(rng)).is_identity());
  CHECK(p.mul_u64(0).is_identity());
  CHECK(p.mul_le_bytes({}).is_identity());

  // Small multiples against repeated addition (every wNAF window width and digit).
  G expected = G::identity();
  for (std::uint64_t k = 0; k < 70; ++k) {
    CHECK(p.mul_u64(k) == expected);
    CHECK(p * Fr::from_u64(k) == expected);
    expected += p;
  }
}

TEMPLATE_TEST_CASE("scalar multiplication by integers of any length", "[ec][scalar]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  auto rng = make_rng(6);
  const G p = random_point<G>(rng);
  // [2^n - 1]P = [2^n]P - P: long runs of ones stress the wNAF carry.
  for (std::size_t bytes : {1u, 7u, 8u, 9u, 31u, 32u, 33u, 48u, 64u, 65u, 80u}) {
    const std::vector<std::uint8_t> ones(bytes, 0xff);
    G two_pow = p;
    for (std::size_t i = 0; i < 8 * bytes; ++i) two_pow = two_pow.doubled();
    CHECK(p.mul_le_bytes(ones) == two_pow - p);
  }
  // k = hi * 2^256 + lo for random 80-byte k (longer than the stack digit buffer).
  for (int trial = 0; trial < 3; ++trial) {
    const auto k = random_bytes(rng, 80);
    const std::vector<std::uint8_t> lo(k.begin(), k.begin() + 32);
    const std::vector<std::uint8_t> hi(k.begin() + 32, k.end());
    G shifted = p.mul_le_bytes(hi);
    for (int i = 0; i < 256; ++i) shifted = shifted.doubled();
    CHECK(p.mul_le_bytes(k) == shifted + p.mul_le_bytes(lo));
    // Trailing zero bytes do not change the value.
    auto padded = k;
    padded.resize(100, 0);
    CHECK(p.mul_le_bytes(padded) == p.mul_le_bytes(k));
  }
  // Multiplying by r + k is multiplying by k (the order is r).
  const auto r = G::scalar_order_le_bytes();
  std::vector<std::uint8_t> r_plus_5(r.begin(), r.end());
  r_plus_5 = zkcnn::ec_testing::add_small(r_plus_5, 5);
  CHECK(p.mul_le_bytes(r_plus_5) == p.mul_u64(5));
}

TEMPLATE_TEST_CASE("a fixed-base table multiplies as the point does", "[ec][scalar]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  using Fr = typename G::Scalar;
  auto rng = make_rng(8);
  const G p = random_point<G>(rng);
  const zkcnn::FixedBaseTable<G> table(p);
  for (int trial = 0; trial < 16; ++trial) {
    const Fr k = Fr::random(rng);
    CHECK(table.multiply(k) == p * k);
  }
  // Zero bytes, every byte value in the lowest and the highest byte, and -1 (all bytes set).
  CHECK(table.multiply(Fr::zero()).is_identity());
  CHECK(table.multiply(-Fr::one()) == -p);
  Fr top_byte = Fr::one();  // 256^(bytes - 1)
  for (std::size_t i = 1; i < Fr::byte_size; ++i) top_byte *= Fr::from_u64(256);
  for (std::uint64_t k = 1; k < 256; ++k) {
    CHECK(table.multiply(Fr::from_u64(k)) == p.mul_u64(k));
    const Fr top = Fr::from_u64(k) * top_byte;
    CHECK(table.multiply(top) == p * top);
  }
  CHECK(zkcnn::FixedBaseTable<G>(G::identity()).multiply(Fr::random(rng)).is_identity());
}

TEMPLATE_TEST_CASE("to_affine and from_affine_checked", "[ec][affine]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  using Base = typename G::Base;
  auto rng = make_rng(7);
  CHECK(G::identity().to_affine().is_identity());
  CHECK(G::identity().to_affine() == G::Affine::identity());
  for (int trial = 0; trial < 8; ++trial) {
    const G p = random_point<G>(rng);
    const auto a = p.to_affine();
    CHECK(!a.is_identity());
    CHECK(a.is_on_curve());
    CHECK(G(a) == p);
    CHECK((-a) == (-p).to_affine());
    auto checked = G::from_affine_checked(a.x, a.y);
    REQUIRE(checked.has_value());
    CHECK(*checked == p);
    auto off = G::from_affine_checked(a.x, a.y + Base::one());
    REQUIRE(!off.has_value());
    CHECK(off.error().code == zkcnn::Errc::invalid_encoding);
  }
}

TEMPLATE_TEST_CASE("batch_normalize and batch_to_affine", "[ec][affine]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  auto rng = make_rng(8);
  std::vector<G> points;
  for (int i = 0; i < 20; ++i) {
    if (i % 5 == 2) {
      points.push_back(G::identity());
    } else if (i % 7 == 3) {
      points.push_back(G(points.front().to_affine()));  // already normalized, and a duplicate
    } else {
      points.push_back(random_point<G>(rng));
    }
  }
  points.push_back(G::from_jacobian_unchecked(G::Base::one(), G::Base::zero(), G::Base::zero()));  // odd-looking O
  const std::vector<G> original = points;
  const auto affine = G::batch_to_affine(original);
  G::batch_normalize(points);
  REQUIRE(affine.size() == original.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    CHECK(points[i] == original[i]);
    CHECK(points[i].is_identity() == original[i].is_identity());
    if (!points[i].is_identity()) {
      CHECK(points[i].is_normalized());
    } else {
      CHECK(points[i].jacobian_z().is_zero());
    }
    CHECK(affine[i] == original[i].to_affine());
    CHECK(G(affine[i]) == original[i]);
  }
  const auto encodings = G::batch_encode(original);
  REQUIRE(encodings.size() == original.size());
  for (std::size_t i = 0; i < original.size(); ++i) CHECK(encodings[i] == original[i].encode());

  // Edge cases: empty, all identities, one point.
  std::vector<G> empty;
  G::batch_normalize(empty);
  CHECK(G::batch_to_affine(empty).empty());
  CHECK(G::batch_encode(empty).empty());
  std::vector<G> identities(4, G::identity());
  G::batch_normalize(identities);
  for (const G& p : identities) CHECK(p.is_identity());
  for (const auto& a : G::batch_to_affine(identities)) CHECK(a.is_identity());
  std::vector<G> one{random_point<G>(rng)};
  const G before = one[0];
  G::batch_normalize(one);
  CHECK(one[0] == before);
  CHECK(one[0].is_normalized());
}

}  // namespace
