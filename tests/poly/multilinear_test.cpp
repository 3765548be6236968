// Multilinear extensions, the eq polynomial and tensor point splitting (docs/protocol.md section 2),
// checked against the definition V~(x) = sum_j V[j] eq(x, bits(j)).

#include <zkcnn/detail/parallel.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include "support/sumcheck_test_support.hpp"

namespace {

using zkcnn_sumcheck_test::hypercube_point;
using zkcnn_sumcheck_test::naive_mle;
using zkcnn_sumcheck_test::random_vector;
using zkcnn_sumcheck_test::zero_padded;

/// Table lengths worth testing in n variables: empty, one entry, the full 2^n, one short of it,
/// just over half, and a random length.
std::vector<std::size_t> interesting_lengths(std::size_t n, zkcnn::testing::DeterministicRng& rng) {
  const std::size_t full = std::size_t{1} << n;
  std::vector<std::size_t> lengths{0, 1, full, full - 1, full / 2 + 1};
  lengths.push_back(std::uniform_int_distribution<std::size_t>(0, full)(rng));
  return lengths;
}

}  // namespace

#define ZKCNN_POLY_FIELDS zkcnn::bn254::Fr, zkcnn::Goldilocks, zkcnn::GoldilocksExt2

TEMPLATE_TEST_CASE("evaluate_multilinear matches sum_j V[j] eq(x, bits(j)), with implicit zero padding",
                   "[poly][multilinear]", ZKCNN_POLY_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x6d6c6531);
  for (std::size_t n = 0; n <= 8; ++n) {
    for (std::size_t length : interesting_lengths(n, rng)) {
      CAPTURE(n, length);
      const std::vector<F> table = random_vector<F>(rng, length);
      const std::vector<F> padded = zero_padded(table, n);
      for (int trial = 0; trial < 3; ++trial) {
        const std::vector<F> point = random_vector<F>(rng, n);
        const F expected = naive_mle<F>(table, point);
        CHECK(zkcnn::evaluate_multilinear<F>(table, point) == expected);
        CHECK(zkcnn::evaluate_multilinear<F>(padded, point) == expected);
        CHECK(zkcnn::MultilinearPolynomial<F>(n, table).evaluate(point) == expected);
        CHECK(zkcnn::MultilinearPolynomial<F>(n, padded).evaluate(point) == expected);
      }
    }
  }
}

TEMPLATE_TEST_CASE("a multilinear extension interpolates its table on the hypercube (little-endian bits)",
                   "[poly][multilinear]", ZKCNN_POLY_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x6d6c6532);
  for (std::size_t n = 0; n <= 6; ++n) {
    const std::size_t full = std::size_t{1} << n;
    const std::size_t length = full - full / 4;  // a proper prefix once n >= 2
    const std::vector<F> table = random_vector<F>(rng, length);
    const zkcnn::MultilinearPolynomial<F> poly(n, table);
    for (std::size_t j = 0; j < full; ++j) {
      CAPTURE(n, j);
      const auto point = hypercube_point<F>(j, n);
      const F expected = j < length ? table[j] : F::zero();
      CHECK(zkcnn::evaluate_multilinear<F>(table, point) == expected);
      CHECK(poly.evaluate(point) == expected);
    }
  }

  // Bit order spelled out: in 3 variables, point (1, 0, 0) is index 1 and (0, 0, 1) is index 4.
  std::vector<F> table(8);
  for (std::size_t j = 0; j < 8; ++j) table[j] = F::from_u64(100 + j);
  const F one = F::one();
  const F zero = F::zero();
  CHECK(zkcnn::evaluate_multilinear<F>(table, std::vector<F>{one, zero, zero}) == F::from_u64(101));
  CHECK(zkcnn::evaluate_multilinear<F>(table, std::vector<F>{zero, zero, one}) == F::from_u64(104));
  CHECK(zkcnn::evaluate_multilinear<F>(table, std::vector<F>{zero, one, one}) == F::from_u64(106));
}

TEMPLATE_TEST_CASE("eq_table(point)[j] == eq_eval(point, bits(j)) and the table sums to one", "[poly][eq]",
                   ZKCNN_POLY_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x6d6c6533);
  for (std::size_t n = 0; n <= 8; ++n) {
    CAPTURE(n);
    const std::vector<F> point = random_vector<F>(rng, n);
    const std::vector<F> table = zkcnn::eq_table<F>(point);
    REQUIRE(table.size() == (std::size_t{1} << n));
    F sum = F::zero();
    for (std::size_t j = 0; j < table.size(); ++j) {
      CHECK(table[j] == zkcnn::eq_eval<F>(point, hypercube_point<F>(j, n)));
      sum += table[j];
    }
    CHECK(sum == F::one());

    // The eq table is the MLE's weight vector: <table, V> == V~(point).
    const std::vector<F> values = random_vector<F>(rng, table.size());
    F inner = F::zero();
    for (std::size_t j = 0; j < table.size(); ++j) inner += table[j] * values[j];
    CHECK(inner == zkcnn::evaluate_multilinear<F>(values, point));
  }

  // eq on the hypercube is the indicator of equality, and eq is symmetric.
  for (std::size_t a = 0; a < 8; ++a) {
    for (std::size_t b = 0; b < 8; ++b) {
      const F expected = a == b ? F::one() : F::zero();
      CHECK(zkcnn::eq_eval<F>(hypercube_point<F>(a, 3), hypercube_point<F>(b, 3)) == expected);
    }
  }
  const auto x = random_vector<F>(rng, 5);
  const auto y = random_vector<F>(rng, 5);
  CHECK(zkcnn::eq_eval<F>(x, y) == zkcnn::eq_eval<F>(y, x));
  CHECK(zkcnn::eq_eval<F>(std::span<const F>{}, std::span<const F>{}) == F::one());
  CHECK_THROWS_AS(zkcnn::eq_eval<F>(x, random_vector<F>(rng, 4)), std::invalid_argument);
}

TEMPLATE_TEST_CASE("fix_lowest_variable(r) then evaluate(rest) == evaluate((r, rest))", "[poly][multilinear]",
                   ZKCNN_POLY_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x6d6c6534);
  for (std::size_t n = 1; n <= 8; ++n) {
    for (std::size_t length : interesting_lengths(n, rng)) {
      CAPTURE(n, length);
      const std::vector<F> table = random_vector<F>(rng, length);
      const std::vector<F> point = random_vector<F>(rng, n);
      const zkcnn::MultilinearPolynomial<F> original(n, table);
      zkcnn::MultilinearPolynomial<F> bound = original;
      bound.fix_lowest_variable(point[0]);
      CHECK(bound.num_vars() == n - 1);
      CHECK(bound.evaluations().size() == (length + 1) / 2);
      CHECK(bound.evaluate(std::span<const F>(point).subspan(1)) == original.evaluate(point));
      // Folding matches docs/protocol.md: V'[j] = V[2j] + r (V[2j+1] - V[2j]), missing entries zero.
      for (std::size_t j = 0; j < bound.evaluations().size(); ++j) {
        const F low = table[2 * j];
        const F high = 2 * j + 1 < length ? table[2 * j + 1] : F::zero();
        CHECK(bound.evaluations()[j] == low + point[0] * (high - low));
      }
    }
  }
}

TEMPLATE_TEST_CASE("binding every variable in turn leaves the value at the point", "[poly][multilinear]",
                   ZKCNN_POLY_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x6d6c6535);
  for (std::size_t n = 0; n <= 8; ++n) {
    for (std::size_t length : interesting_lengths(n, rng)) {
      CAPTURE(n, length);
      const std::vector<F> table = random_vector<F>(rng, length);
      const std::vector<F> point = random_vector<F>(rng, n);
      const F expected = naive_mle<F>(table, point);
      zkcnn::MultilinearPolynomial<F> poly(n, table);
      for (std::size_t k = 0; k < n; ++k) {
        // At every stage the partially bound polynomial agrees with the original.
        CHECK(poly.evaluate(std::span<const F>(point).subspan(k)) == expected);
        poly.fix_lowest_variable(point[k]);
      }
      REQUIRE(poly.num_vars() == 0);
      CHECK(poly.evaluations().size() == (length == 0 ? 0 : 1));
      CHECK(poly.evaluate(std::span<const F>{}) == expected);
      if (length != 0) CHECK(poly.evaluations()[0] == expected);
      CHECK_THROWS_AS(poly.fix_lowest_variable(F::one()), std::logic_error);
    }
  }
}

TEMPLATE_TEST_CASE("MultilinearPolynomial and evaluate_multilinear reject inconsistent sizes", "[poly][multilinear]",
                   ZKCNN_POLY_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x6d6c6536);
  for (std::size_t n = 0; n <= 5; ++n) {
    CAPTURE(n);
    const std::size_t full = std::size_t{1} << n;
    CHECK_NOTHROW(zkcnn::MultilinearPolynomial<F>(n, random_vector<F>(rng, full)));
    CHECK_THROWS_AS(zkcnn::MultilinearPolynomial<F>(n, random_vector<F>(rng, full + 1)), std::invalid_argument);
    CHECK_THROWS_AS(zkcnn::evaluate_multilinear<F>(random_vector<F>(rng, full + 1), random_vector<F>(rng, n)),
                    std::invalid_argument);

    const zkcnn::MultilinearPolynomial<F> poly(n, random_vector<F>(rng, full));
    CHECK_THROWS_AS(poly.evaluate(random_vector<F>(rng, n + 1)), std::invalid_argument);
    if (n > 0) CHECK_THROWS_AS(poly.evaluate(random_vector<F>(rng, n - 1)), std::invalid_argument);
  }

  // A short table may be evaluated in more variables than it needs (the rest are zero padding).
  const std::vector<F> table = random_vector<F>(rng, 3);
  const std::vector<F> point = random_vector<F>(rng, 6);
  CHECK(zkcnn::evaluate_multilinear<F>(table, point) == naive_mle<F>(table, point));
}

TEMPLATE_TEST_CASE("MultilinearPolynomial(evaluations) uses the fewest variables that hold them",
                   "[poly][multilinear]", ZKCNN_POLY_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x6d6c6537);
  const std::array<std::size_t, 10> expected_vars{0, 0, 1, 2, 2, 3, 3, 3, 3, 4};  // sizes 0..9
  for (std::size_t size = 0; size < expected_vars.size(); ++size) {
    CAPTURE(size);
    const std::vector<F> table = random_vector<F>(rng, size);
    // The constructor must size num_vars from the table before the table is moved into place
    // (see the report: with GCC the by-value argument is moved first and sizes >= 2 throw).
    std::optional<zkcnn::MultilinearPolynomial<F>> poly;
    CHECK_NOTHROW(poly.emplace(table));
    if (!poly) continue;
    CHECK(poly->num_vars() == expected_vars[size]);
    CHECK(poly->evaluations().size() == size);
    const std::vector<F> point = random_vector<F>(rng, poly->num_vars());
    CHECK(poly->evaluate(point) == naive_mle<F>(table, point));
  }
  CHECK(zkcnn::MultilinearPolynomial<F>().num_vars() == 0);
  CHECK(zkcnn::MultilinearPolynomial<F>().evaluate(std::span<const F>{}) == F::zero());
}

TEMPLATE_TEST_CASE("split_point on a (3, 5, 2) tensor: sub-points in dimension order, last dimension lowest",
                   "[poly][multilinear][tensor]", ZKCNN_POLY_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x6d6c6538);
  constexpr std::size_t d1 = 3, d2 = 5, d3 = 2;
  const std::array<std::size_t, 3> bits{2, 3, 1};  // ceil(log2 d_i)
  constexpr std::size_t total_bits = 6;

  // T[a][b][c] stored at (a << (3 + 1)) | (b << 1) | c, with padding entries zero.
  std::vector<F> padded(std::size_t{1} << total_bits, F::zero());
  std::vector<F> values(d1 * d2 * d3);
  for (std::size_t a = 0; a < d1; ++a) {
    for (std::size_t b = 0; b < d2; ++b) {
      for (std::size_t c = 0; c < d3; ++c) {
        const F v = F::random(rng);
        values[(a * d2 + b) * d3 + c] = v;
        padded[(a << (bits[1] + bits[2])) | (b << bits[2]) | c] = v;
      }
    }
  }

  for (int trial = 0; trial < 4; ++trial) {
    const std::vector<F> point = random_vector<F>(rng, total_bits);
    const auto parts = zkcnn::split_point<F>(point, bits);
    REQUIRE(parts.size() == 3);
    // Dimension order; the last dimension takes the lowest bits, point[0..1).
    CHECK(parts[2].data() == point.data() + 0);
    CHECK(parts[2].size() == 1);
    CHECK(parts[1].data() == point.data() + 1);
    CHECK(parts[1].size() == 3);
    CHECK(parts[0].data() == point.data() + 4);
    CHECK(parts[0].size() == 2);

    F expected = F::zero();
    for (std::size_t a = 0; a < d1; ++a) {
      const F eq_a = zkcnn::eq_eval<F>(parts[0], hypercube_point<F>(a, bits[0]));
      for (std::size_t b = 0; b < d2; ++b) {
        const F eq_b = zkcnn::eq_eval<F>(parts[1], hypercube_point<F>(b, bits[1]));
        for (std::size_t c = 0; c < d3; ++c) {
          const F eq_c = zkcnn::eq_eval<F>(parts[2], hypercube_point<F>(c, bits[2]));
          expected += values[(a * d2 + b) * d3 + c] * eq_a * eq_b * eq_c;
        }
      }
    }
    CHECK(zkcnn::evaluate_multilinear<F>(padded, point) == expected);
    CHECK(naive_mle<F>(padded, point) == expected);
  }

  // Dimension bits that do not add up to the point's size are rejected.
  const std::vector<F> short_point = random_vector<F>(rng, total_bits - 1);
  CHECK_THROWS_AS(zkcnn::split_point<F>(short_point, bits), std::invalid_argument);
  const std::vector<F> long_point = random_vector<F>(rng, total_bits + 1);
  CHECK_THROWS_AS(zkcnn::split_point<F>(long_point, bits), std::invalid_argument);
  // A dimension of size 1 takes no bits and gets an empty sub-point.
  const std::array<std::size_t, 3> with_unit{2, 0, 1};
  const std::vector<F> point3 = random_vector<F>(rng, 3);
  const auto parts = zkcnn::split_point<F>(point3, with_unit);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].size() == 2);
  CHECK(parts[1].empty());
  CHECK(parts[2].size() == 1);
  CHECK(parts[2].data() == point3.data());
}

TEST_CASE("evaluate_multilinear folds large tables on all threads to the same value", "[poly]") {
  using F = zkcnn::Goldilocks;
  zkcnn::testing::DeterministicRng rng(91);
  constexpr std::size_t num_vars = 17;  // above the size where folds are split across threads
  const std::vector<F> point = random_vector<F>(rng, num_vars);
  const std::vector<F> weights = zkcnn::eq_table(std::span<const F>(point));
  for (std::size_t size : {std::size_t{1} << num_vars, (std::size_t{1} << num_vars) - 2, (std::size_t{1} << num_vars) - 3,
                           (std::size_t{1} << 15) + 6}) {
    const std::vector<F> table = random_vector<F>(rng, size);
    F expected = F::zero();
    for (std::size_t x = 0; x < size; ++x) expected += weights[x] * table[x];
    CHECK(zkcnn::evaluate_multilinear(std::span<const F>(table), std::span<const F>(point)) == expected);
  }
}

TEST_CASE("large eq tables (the tensor product of two halves, on all threads) match eq_eval", "[poly][eq]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x65713137);
  constexpr std::size_t num_vars = 17;  // above the size where the table is built in two halves
  const std::vector<F> point = random_vector<F>(rng, num_vars);
  struct ThreadCountReset {
    ~ThreadCountReset() { zkcnn::set_thread_count(0); }
  } reset;
  zkcnn::set_thread_count(1);
  const std::vector<F> single = zkcnn::eq_table(std::span<const F>(point));
  zkcnn::set_thread_count(3);
  CHECK(zkcnn::eq_table(std::span<const F>(point)) == single);
  F sum = F::zero();
  for (const F& value : single) sum += value;
  CHECK(sum == F::one());
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t j = rng() % single.size();
    CHECK(single[j] == zkcnn::eq_eval<F>(point, hypercube_point<F>(j, num_vars)));
  }
}

TEMPLATE_TEST_CASE("eq_entries lists exactly the entries of eq_table that a 0/1 coordinate does not zero",
                   "[poly][eq]", ZKCNN_POLY_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x65716e74);
  for (std::size_t n = 0; n <= 8; ++n) {
    for (int trial = 0; trial < 4; ++trial) {
      std::vector<F> point = random_vector<F>(rng, n);
      std::size_t free = n;
      for (F& coordinate : point) {
        const auto kind = rng() % 3;  // a block's index bit 0, 1, or a challenge
        if (kind < 2) {
          coordinate = kind == 0 ? F::zero() : F::one();
          --free;
        }
      }
      CAPTURE(n, free);
      const auto entries = zkcnn::eq_entries<F>(point);
      CHECK(entries.size() == (std::size_t{1} << free));
      std::vector<F> dense(std::size_t{1} << n, F::zero());
      for (const auto& [index, value] : entries) {
        REQUIRE(index < dense.size());
        CHECK(dense[index] == F::zero());  // each index once
        dense[index] = value;
      }
      CHECK(dense == zkcnn::eq_table<F>(point));
    }
  }
}

TEST_CASE("bind_high_variables on all threads matches the definition", "[poly][multilinear]") {
  using F = zkcnn::Goldilocks;
  zkcnn::testing::DeterministicRng rng(0x62696e64);
  constexpr std::size_t low_vars = 10, high_vars = 6;  // 2^16 entries: split across threads
  const std::vector<F> high = random_vector<F>(rng, high_vars);
  const std::vector<F> weights = zkcnn::eq_table(std::span<const F>(high));
  for (std::size_t size : {std::size_t{1} << (low_vars + high_vars), (std::size_t{1} << (low_vars + high_vars)) - 777}) {
    const std::vector<F> table = random_vector<F>(rng, size);
    const std::vector<F> bound = zkcnn::bind_high_variables(std::span<const F>(table), low_vars, std::span<const F>(high));
    REQUIRE(bound.size() == (std::size_t{1} << low_vars));
    for (std::size_t j = 0; j < bound.size(); j += 37) {
      F expected = F::zero();
      for (std::size_t h = 0; h < weights.size(); ++h) {
        const std::size_t index = (h << low_vars) + j;
        if (index < size) expected += weights[h] * table[index];
      }
      CHECK(bound[j] == expected);
    }
  }
}
