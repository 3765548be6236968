// Rescale + ReLU by one bit decomposition (PROTOCOL.md section 6): the decomposition and its
// overflow error, the forward pass against integer arithmetic, and the layer's proof through
// check_layer (completeness, encoding, false claims, every tampered element).

#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/nn/relu.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using namespace zkcnn_layer_test;
using zkcnn::nn::BitDecomposition;
using zkcnn::nn::RescaleReluLayer;

template <class F>
std::vector<F> field_values(const std::vector<std::int64_t>& values) {
  std::vector<F> out;
  for (auto v : values) out.push_back(F::from_i64(v));
  return out;
}

TEMPLATE_TEST_CASE("bit decomposition of signed values", "[nn]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  const std::vector<std::int64_t> values{-128, -1, 0, 1, 5, 127, -77};
  const auto table = BitDecomposition<F>::of(field_values<F>(values), 3, 8);
  REQUIRE(table);
  REQUIRE(table->size() == 8 * 8);
  for (std::size_t x = 0; x < 8; ++x) {
    std::int64_t recomposed = -128;
    for (std::size_t k = 0; k < 8; ++k) {
      const F bit = (*table)[k * 8 + x];
      REQUIRE((bit == F::zero() || bit == F::one()));
      if (bit == F::one()) recomposed += std::int64_t{1} << k;
    }
    CHECK(recomposed == (x < values.size() ? values[x] : 0));
  }
  for (std::int64_t outside : {std::int64_t{128}, std::int64_t{-129}, std::int64_t{1} << 40}) {
    const auto overflow = BitDecomposition<F>::of(field_values<F>({3, outside}), 1, 8);
    REQUIRE_FALSE(overflow);
    CHECK_THAT(overflow.error().message, Catch::Contains(std::to_string(outside)) && Catch::Contains("position 1") &&
                                             Catch::Contains("8-bit"));
  }
}

TEMPLATE_TEST_CASE("rescale-ReLU layer", "[nn]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  std::mt19937_64 rng(41);
  const std::size_t bits = GENERATE(2, 5, 12, 16);
  const std::size_t shift = GENERATE(0, 1, 3);
  if (shift > bits - 2) return;
  const std::size_t num_vars = 5;
  const std::int64_t half = std::int64_t{1} << (bits - 1);
  std::uniform_int_distribution<std::int64_t> dist(-half, half - 1);
  std::vector<std::int64_t> accumulator(27);  // not a power of two: padding
  for (auto& a : accumulator) a = dist(rng);
  accumulator[0] = -half;
  accumulator[1] = half - 1;
  const RescaleReluLayer<F> layer(num_vars, bits, shift);
  const auto a = field_values<F>(accumulator);
  const auto b = BitDecomposition<F>::of(a, num_vars, bits);
  REQUIRE(b);
  const std::vector<std::vector<F>> inputs{a, *b};
  const auto output = layer.forward(std::span<const std::span<const F>>(views(inputs)));
  for (std::size_t x = 0; x < output.size(); ++x) {
    const std::int64_t value = x < accumulator.size() ? accumulator[x] : 0;
    CHECK(output[x] == F::from_i64(std::max<std::int64_t>(0, value >> shift)));
  }
  check_layer<F>(layer, inputs, claim_at_random_point<F>(rng, std::span<const F>(output), num_vars));
}

TEST_CASE("rescale-ReLU layer rejects bits that do not decompose the accumulator", "[nn]") {
  using F = zkcnn::bn254::Fr;
  std::mt19937_64 rng(42);
  const RescaleReluLayer<F> layer(3, 8, 2);
  const auto a = field_values<F>({100, -3, 7, 0, 12, -128, 127, 1});
  auto b = BitDecomposition<F>::of(a, 3, 8);
  REQUIRE(b);
  // Bits of a different accumulator give the same-shaped proof, but its claim on A is false.
  auto other = a;
  other[2] += F::one();
  const auto wrong_bits = BitDecomposition<F>::of(other, 3, 8);
  const std::vector<std::vector<F>> honest{a, *b}, dishonest{a, *wrong_bits};
  const auto output = layer.forward(std::span<const std::span<const F>>(views(dishonest)));
  const auto claim = claim_at_random_point<F>(rng, std::span<const F>(output), 3);
  auto t = transcript();
  const auto proven = layer.prove(std::span<const std::span<const F>>(views(dishonest)), claim, t);
  CHECK_FALSE(accepted<F>(layer, claim, proven.proof, honest));
}

}  // namespace
