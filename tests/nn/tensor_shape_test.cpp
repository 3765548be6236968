// Tensor layouts (docs/protocol.md section 2) and the polynomial helpers the structured layers rest
// on, against naive versions: TensorShape's offsets, point splitting and padding indicator,
// prefix_indicator, and bind_high_variables.

#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/nn/tensor_shape.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include "support/sumcheck_test_support.hpp"

namespace {

using zkcnn::nn::TensorShape;
using zkcnn_sumcheck_test::hypercube_point;
using zkcnn_sumcheck_test::naive_mle;
using zkcnn_sumcheck_test::random_vector;

std::size_t bits_of(std::size_t d) {
  std::size_t bits = 0;
  while ((std::size_t{1} << bits) < d) ++bits;
  return bits;
}

const std::vector<std::vector<std::size_t>> kShapes = {
    {1}, {5}, {8}, {3, 5}, {1, 7}, {4, 1}, {2, 3, 6}, {3, 1, 5, 2}, {2, 4, 3, 3}, {1, 1, 1}};

/// Every multi-index of the real entries, last dimension fastest.
std::vector<std::vector<std::size_t>> real_indices(const std::vector<std::size_t>& dims) {
  std::vector<std::vector<std::size_t>> out;
  std::vector<std::size_t> index(dims.size(), 0);
  while (true) {
    out.push_back(index);
    std::size_t d = dims.size();
    while (true) {
      if (d == 0) return out;
      --d;
      if (++index[d] < dims[d]) break;
      index[d] = 0;
    }
  }
}

}  // namespace

#define ZKCNN_NN_FIELDS zkcnn::bn254::Fr, zkcnn::Goldilocks

TEST_CASE("TensorShape: sizes, bits and offsets of the padded layout", "[nn][tensor_shape]") {
  for (const auto& dims : kShapes) {
    const TensorShape shape{std::vector<std::size_t>(dims)};
    std::size_t total_bits = 0, count = 1;
    for (std::size_t i = 0; i < dims.size(); ++i) {
      CHECK(shape.dimension_bits()[i] == bits_of(dims[i]));
      total_bits += bits_of(dims[i]);
      count *= dims[i];
    }
    CHECK(shape.num_vars() == total_bits);
    CHECK(shape.padded_size() == (std::size_t{1} << total_bits));
    CHECK(shape.element_count() == count);
    std::vector<bool> seen(shape.padded_size(), false);
    for (const auto& index : real_indices(dims)) {
      // offset = sum_d index_d * 2^(bits of the later dimensions)
      std::size_t expected = 0, shift = 0;
      for (std::size_t d = dims.size(); d-- > 0;) {
        expected += index[d] << shift;
        shift += bits_of(dims[d]);
      }
      const std::size_t offset = shape.offset(std::span<const std::size_t>(index));
      CHECK(offset == expected);
      REQUIRE(offset < shape.padded_size());
      CHECK_FALSE(seen[offset]);
      seen[offset] = true;
    }
  }
  CHECK_THROWS_AS(TensorShape({3, 0}), std::invalid_argument);
  CHECK_THROWS_AS(TensorShape({3, 4}).offset({1}), std::invalid_argument);
}

TEMPLATE_TEST_CASE("TensorShape::split: the sub-point of each dimension evaluates its index", "[nn][tensor_shape]",
                   ZKCNN_NN_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x73706c74);
  for (const auto& dims : kShapes) {
    const TensorShape shape{std::vector<std::size_t>(dims)};
    const std::vector<F> point = random_vector<F>(rng, shape.num_vars());
    const auto parts = shape.split(std::span<const F>(point));
    REQUIRE(parts.size() == dims.size());
    // The extension of the unit table at a real entry is the product of per-dimension eqs.
    for (const auto& index : real_indices(dims)) {
      std::vector<F> unit(shape.padded_size(), F::zero());
      unit[shape.offset(std::span<const std::size_t>(index))] = F::one();
      F expected = F::one();
      for (std::size_t d = 0; d < dims.size(); ++d) {
        REQUIRE(parts[d].size() == bits_of(dims[d]));
        const auto bits = hypercube_point<F>(index[d], parts[d].size());
        expected *= zkcnn::eq_eval<F>(parts[d], bits);
      }
      CHECK(naive_mle<F>(unit, point) == expected);
    }
  }
}

TEMPLATE_TEST_CASE("TensorShape::indicator is the extension of the 0/1 table of real entries", "[nn][tensor_shape]",
                   ZKCNN_NN_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x696e6463);
  for (const auto& dims : kShapes) {
    const TensorShape shape{std::vector<std::size_t>(dims)};
    std::vector<F> table(shape.padded_size(), F::zero());
    for (const auto& index : real_indices(dims)) table[shape.offset(std::span<const std::size_t>(index))] = F::one();
    for (int trial = 0; trial < 3; ++trial) {
      const std::vector<F> point = random_vector<F>(rng, shape.num_vars());
      CHECK(shape.indicator(std::span<const F>(point)) == naive_mle<F>(table, point));
    }
    // On the hypercube it is the table itself.
    for (std::size_t j = 0; j < table.size(); ++j) {
      const auto point = hypercube_point<F>(j, shape.num_vars());
      CHECK(shape.indicator(std::span<const F>(point)) == table[j]);
    }
  }
}

TEMPLATE_TEST_CASE("prefix_indicator is the extension of the indicator of the first entries", "[nn][poly]",
                   ZKCNN_NN_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x70726678);
  for (std::size_t n = 0; n <= 6; ++n) {
    const std::vector<F> point = random_vector<F>(rng, n);
    for (std::size_t count = 0; count <= (std::size_t{1} << n); ++count) {
      CAPTURE(n, count);
      const std::vector<F> ones(count, F::one());
      CHECK(zkcnn::prefix_indicator<F>(point, count) == naive_mle<F>(ones, point));
    }
    CHECK_THROWS_AS(zkcnn::prefix_indicator<F>(point, (std::size_t{1} << n) + 1), std::invalid_argument);
  }
}

TEMPLATE_TEST_CASE("bind_high_variables fixes the high variables of a (short) table", "[nn][poly]",
                   ZKCNN_NN_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x62696e64);
  for (std::size_t low = 0; low <= 4; ++low) {
    for (std::size_t high = 0; high <= 3; ++high) {
      const std::size_t full = std::size_t{1} << (low + high);
      for (std::size_t length : {std::size_t{0}, std::size_t{1}, full / 2 + 1, full - 1, full}) {
        CAPTURE(low, high, length);
        const std::vector<F> table = random_vector<F>(rng, length);
        const std::vector<F> high_point = random_vector<F>(rng, high);
        const std::vector<F> bound = zkcnn::bind_high_variables<F>(table, low, high_point);
        REQUIRE(bound.size() == (std::size_t{1} << low));
        // Naive: out[j] = sum_h eq(high_point, bits(h)) table[h 2^low + j].
        for (std::size_t j = 0; j < bound.size(); ++j) {
          F expected = F::zero();
          for (std::size_t h = 0; h < (std::size_t{1} << high); ++h) {
            const std::size_t position = (h << low) | j;
            if (position < table.size()) {
              expected += zkcnn::eq_eval<F>(high_point, hypercube_point<F>(h, high)) * table[position];
            }
          }
          CHECK(bound[j] == expected);
        }
        // And the bound table's extension is the table's with the high variables fixed.
        const std::vector<F> low_point = random_vector<F>(rng, low);
        std::vector<F> point = low_point;
        point.insert(point.end(), high_point.begin(), high_point.end());
        CHECK(zkcnn::evaluate_multilinear<F>(bound, low_point) == naive_mle<F>(table, point));
      }
    }
  }
  const std::vector<F> too_long(9, F::one());
  const std::vector<F> one_var(1, F::one());
  CHECK_THROWS_AS(zkcnn::bind_high_variables<F>(too_long, 2, one_var), std::invalid_argument);
}
