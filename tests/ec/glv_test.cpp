// Scalar multiplication through the endomorphism (ec/glv.hpp) on the two shipped G1s: beta is
// paired with the right lambda, every split is short and recombines to the scalar, and
// multiplying by the halves agrees with the plain double-and-add on random and edge scalars.

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <vector>

#include <zkcnn/ec/glv.hpp>

#include "ec/ec_test_support.hpp"

namespace {

using zkcnn::ec_testing::make_rng;
using zkcnn::ec_testing::random_point;

template <class F>
zkcnn::detail::ec::Wide wide_of(const F& k) {
  const auto bytes = k.to_bytes();
  zkcnn::detail::ec::Wide out{};
  for (std::size_t i = 0; i < bytes.size(); ++i) out[i / 8] |= std::uint64_t{bytes[i]} << (8 * (i % 8));
  return out;
}

template <class F>
F field_of(const zkcnn::detail::ec::GlvHalf& half) {
  std::uint64_t limbs[2] = {0, 0};
  for (std::size_t i = 0; i < half.magnitude.size(); ++i) limbs[i / 8] |= std::uint64_t{half.magnitude[i]} << (8 * (i % 8));
  const F two_64 = F::from_u64(std::uint64_t{1} << 32) * F::from_u64(std::uint64_t{1} << 32);
  const F magnitude = F::from_u64(limbs[0]) + F::from_u64(limbs[1]) * two_64;
  return half.negative ? -magnitude : magnitude;
}

TEMPLATE_TEST_CASE("glv: phi(P) = [lambda]P on the subgroup", "[ec][glv]", ZKCNN_TEST_SHIPPED_GROUPS) {
  using G = TestType;
  using Params = typename G::Parameters;
  const auto lambda = zkcnn::detail::ec::field_from_hex<typename G::Scalar>(Params::glv.lambda);
  const auto beta = zkcnn::detail::ec::field_from_hex<typename G::Base>(Params::glv.beta);
  auto rng = make_rng(11);
  for (const G& p : {G::generator(), random_point<G>(rng), random_point<G>(rng)}) {
    const auto affine = p.to_affine();
    const G phi = G::from_jacobian_unchecked(affine.x * beta, affine.y, G::Base::one());
    CHECK(p.mul_le_bytes(lambda.to_bytes()) == phi);
  }
}

TEMPLATE_TEST_CASE("glv: every split is short and recombines to the scalar", "[ec][glv]", ZKCNN_TEST_SHIPPED_GROUPS) {
  using G = TestType;
  using F = typename G::Scalar;
  using Params = typename G::Parameters;
  const zkcnn::detail::ec::GlvSplitter splitter(Params::glv);
  const F lambda = zkcnn::detail::ec::field_from_hex<F>(Params::glv.lambda);
  auto rng = make_rng(12);
  std::vector<F> scalars = {F::zero(), F::one(), -F::one(), F::from_u64(2), -F::from_u64(2), lambda, -lambda,
                            lambda + F::one(), lambda - F::one(), lambda * lambda, -(F::one() * *F::from_u64(2).inverse())};
  F power = F::one();
  for (int bit = 0; bit < 256; ++bit, power += power) {
    scalars.push_back(power);
    scalars.push_back(-power);
    scalars.push_back(power - F::one());
  }
  for (int trial = 0; trial < 2000; ++trial) scalars.push_back(F::random(rng));
  for (const F& k : scalars) {
    CAPTURE(k);
    const auto halves = splitter.split(wide_of(k));
    REQUIRE(halves.has_value());
    CHECK(field_of<F>((*halves)[0]) + field_of<F>((*halves)[1]) * lambda == k);
  }
}

TEMPLATE_TEST_CASE("glv: multiplying by the halves agrees with double-and-add", "[ec][glv]", ZKCNN_TEST_SHIPPED_GROUPS) {
  using G = TestType;
  using F = typename G::Scalar;
  const F lambda = zkcnn::detail::ec::field_from_hex<F>(G::Parameters::glv.lambda);
  auto rng = make_rng(13);
  for (int trial = 0; trial < 24; ++trial) {
    const G p = trial == 0 ? G::generator() : random_point<G>(rng);
    std::vector<F> scalars = {F::random(rng), F::one(), -F::one(), lambda, -lambda, F::from_u64(3), F::from_u64(1) + lambda};
    for (const F& k : scalars) {
      CAPTURE(trial, k);
      CHECK(p * k == p.mul_le_bytes(k.to_bytes()));
    }
  }
  CHECK((G::identity() * F::random(rng)).is_identity());
  CHECK((G::generator() * F::zero()).is_identity());
}

}  // namespace
