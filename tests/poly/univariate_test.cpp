// UniformInterpolator: degree-d polynomials from their values at 0..d (the form of sumcheck
// round messages), checked against Horner evaluation of random coefficient vectors.

#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/poly/univariate.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include "support/sumcheck_test_support.hpp"

namespace {

using zkcnn_sumcheck_test::random_vector;

/// sum_i coefficients[i] x^i.
template <class F>
F horner(const std::vector<F>& coefficients, const F& x) {
  F acc = F::zero();
  for (std::size_t i = coefficients.size(); i-- > 0;) acc = acc * x + coefficients[i];
  return acc;
}

template <class F>
std::vector<F> values_at_nodes(const std::vector<F>& coefficients, std::size_t degree) {
  std::vector<F> values;
  for (std::size_t i = 0; i <= degree; ++i) values.push_back(horner(coefficients, F::from_u64(i)));
  return values;
}

}  // namespace

TEMPLATE_TEST_CASE("UniformInterpolator reproduces random polynomials of degree 0..8", "[poly][univariate]",
                   zkcnn::bn254::Fr, zkcnn::Goldilocks, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x756e6931);
  for (std::size_t degree = 0; degree <= 8; ++degree) {
    CAPTURE(degree);
    const zkcnn::UniformInterpolator<F> interpolator(degree);
    CHECK(interpolator.degree() == degree);
    for (int trial = 0; trial < 5; ++trial) {
      const std::vector<F> coefficients = random_vector<F>(rng, degree + 1);
      const std::vector<F> values = values_at_nodes(coefficients, degree);
      for (int point = 0; point < 4; ++point) {
        const F x = F::random(rng);
        CHECK(interpolator.evaluate(values, x) == horner(coefficients, x));
      }
      // Just outside the nodes, on both sides, and far away.
      for (const std::int64_t x : {std::int64_t{-1}, static_cast<std::int64_t>(degree) + 1, std::int64_t{1} << 40}) {
        CAPTURE(x);
        CHECK(interpolator.evaluate(values, F::from_i64(x)) == horner(coefficients, F::from_i64(x)));
      }
    }
  }
}

TEMPLATE_TEST_CASE("UniformInterpolator returns the given values at the nodes", "[poly][univariate]",
                   zkcnn::bn254::Fr, zkcnn::Goldilocks, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x756e6932);
  for (std::size_t degree = 0; degree <= 8; ++degree) {
    const zkcnn::UniformInterpolator<F> interpolator(degree);
    // Arbitrary values (not from a known polynomial): the interpolant passes through them.
    const std::vector<F> values = random_vector<F>(rng, degree + 1);
    for (std::size_t i = 0; i <= degree; ++i) {
      CAPTURE(degree, i);
      CHECK(interpolator.evaluate(values, F::from_u64(i)) == values[i]);
    }
  }
}

TEMPLATE_TEST_CASE("UniformInterpolator: a polynomial of lower degree is reproduced exactly",
                   "[poly][univariate]", zkcnn::bn254::Fr, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x756e6933);
  // A constant through a degree-5 interpolator stays constant; a line stays a line.
  const zkcnn::UniformInterpolator<F> interpolator(5);
  const F c = F::random(rng);
  const F slope = F::random(rng);
  std::vector<F> constant(6, c);
  std::vector<F> line;
  for (std::uint64_t i = 0; i <= 5; ++i) line.push_back(c + slope * F::from_u64(i));
  for (int trial = 0; trial < 5; ++trial) {
    const F x = F::random(rng);
    CHECK(interpolator.evaluate(constant, x) == c);
    CHECK(interpolator.evaluate(line, x) == c + slope * x);
  }
}

TEMPLATE_TEST_CASE("UniformInterpolator rejects a wrong number of values", "[poly][univariate]", zkcnn::bn254::Fr,
                   zkcnn::Goldilocks, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x756e6934);
  for (std::size_t degree = 0; degree <= 8; ++degree) {
    CAPTURE(degree);
    const zkcnn::UniformInterpolator<F> interpolator(degree);
    const F x = F::random(rng);
    CHECK_NOTHROW(interpolator.evaluate(random_vector<F>(rng, degree + 1), x));
    CHECK_THROWS_AS(interpolator.evaluate(random_vector<F>(rng, degree), x), std::invalid_argument);
    CHECK_THROWS_AS(interpolator.evaluate(random_vector<F>(rng, degree + 2), x), std::invalid_argument);
    CHECK_THROWS_AS(interpolator.evaluate(std::span<const F>{}, x), std::invalid_argument);
  }
}
