// Digit decompositions and rescale + ReLU by one of them (docs/protocol.md section 6): the layouts,
// the decomposition and its overflow error, the forward pass against integer arithmetic, and
// the layer's proof through check_layer (completeness, encoding, false claims, every tampered
// element) for several digit widths, and in zero knowledge (BN254) for a few of them.

#include <zkcnn/detail/parallel.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/nn/relu.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <span>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using namespace zkcnn_layer_test;
using zkcnn::nn::DigitLayout;
using zkcnn::nn::RescaleReluLayer;

template <class F>
std::vector<F> field_values(const std::vector<std::int64_t>& values) {
  std::vector<F> out;
  for (auto v : values) out.push_back(F::from_i64(v));
  return out;
}

TEST_CASE("digit layouts split each part into its own digits, low digits full", "[nn]") {
  const DigitLayout layout({5, 7, 1}, 3);
  // 5 = 3 + 2, 7 = 3 + 3 + 1, 1: six digits, padded to eight rows.
  CHECK(layout.total_bits() == 13);
  CHECK(layout.digit_count() == 6);
  CHECK(layout.row_count() == 8);
  CHECK(layout.row_vars() == 3);
  const std::vector<std::size_t> widths{3, 2, 3, 3, 1, 1, 0, 0}, offsets{0, 3, 5, 8, 11, 12, 13, 13};
  for (std::size_t j = 0; j < 8; ++j) {
    CHECK(layout.width(j) == widths[j]);
    CHECK(layout.offset(j) == offsets[j]);
  }
  CHECK(layout.part_rows(0) == std::pair<std::size_t, std::size_t>{0, 2});
  CHECK(layout.part_rows(1) == std::pair<std::size_t, std::size_t>{2, 5});
  CHECK(layout.part_rows(2) == std::pair<std::size_t, std::size_t>{5, 6});
  const DigitLayout empty_part({0, 4, 1}, 16);
  CHECK(empty_part.part_rows(0).first == empty_part.part_rows(0).second);
  CHECK(empty_part.digit_count() == 2);
  CHECK_THROWS_AS(DigitLayout({4}, 0), std::invalid_argument);
  CHECK_THROWS_AS(DigitLayout({4}, 17), std::invalid_argument);
  CHECK_THROWS_AS(zkcnn::nn::digit_table(DigitLayout({40, 30}, 16), std::span<const zkcnn::bn254::Fr>(), 2, 0), std::invalid_argument);
}

TEMPLATE_TEST_CASE("digit decomposition of signed values", "[nn]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  const std::vector<std::int64_t> values{-128, -1, 0, 1, 5, 127, -77};
  const DigitLayout layout({2, 5, 1}, 3);
  const auto table = zkcnn::nn::digit_table(layout, std::span<const F>(field_values<F>(values)), 3, 128);
  REQUIRE(table);
  REQUIRE(table->size() == layout.row_count() * 8);
  for (std::size_t x = 0; x < 8; ++x) {
    std::int64_t recomposed = -128;
    for (std::size_t j = 0; j < layout.row_count(); ++j) {
      const auto digit = zkcnn::nn::to_small_integer((*table)[j * 8 + x]);
      REQUIRE(digit);
      REQUIRE(*digit >= 0);
      REQUIRE(*digit < (std::int64_t{1} << layout.width(j)));
      recomposed += *digit << layout.offset(j);
    }
    CHECK(recomposed == (x < values.size() ? values[x] : 0));
  }
  for (std::int64_t outside : {std::int64_t{128}, std::int64_t{-129}, std::int64_t{1} << 40}) {
    const auto overflow = zkcnn::nn::digit_table(layout, std::span<const F>(field_values<F>({3, outside})), 1, 128);
    REQUIRE_FALSE(overflow);
    CHECK_THAT(overflow.error().message, Catch::Contains(std::to_string(outside)) && Catch::Contains("position 1") &&
                                             Catch::Contains("8-bit"));
  }
}

TEST_CASE("digit tables of large activations are the same on any thread count, and name the first bad position",
          "[nn][threads]") {
  using F = zkcnn::Goldilocks;
  struct ThreadCountReset {
    ~ThreadCountReset() { zkcnn::set_thread_count(0); }
  } reset;
  constexpr std::size_t num_vars = 17;  // large enough to be split across threads
  const DigitLayout layout({2, 5, 1}, 3);
  zkcnn::testing::DeterministicRng rng(17);
  std::vector<std::int64_t> values(std::size_t{1} << num_vars);
  for (auto& v : values) v = static_cast<std::int64_t>(rng() % 256) - 128;
  zkcnn::set_thread_count(1);
  const auto single = zkcnn::nn::digit_table(layout, std::span<const F>(field_values<F>(values)), num_vars, 128);
  REQUIRE(single);
  zkcnn::set_thread_count(3);
  const auto threaded = zkcnn::nn::digit_table(layout, std::span<const F>(field_values<F>(values)), num_vars, 128);
  REQUIRE(threaded);
  CHECK(*threaded == *single);
  // Out-of-range values in the second and the last third: the lowest position is reported.
  values[values.size() - 5] = 1000;
  values[values.size() / 2 + 3] = -500;
  const auto overflow = zkcnn::nn::digit_table(layout, std::span<const F>(field_values<F>(values)), num_vars, 128);
  REQUIRE_FALSE(overflow);
  CHECK_THAT(overflow.error().message,
             Catch::Contains("-500") && Catch::Contains("position " + std::to_string(values.size() / 2 + 3)));
}

TEMPLATE_TEST_CASE("rescale-ReLU layer", "[nn]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(41);
  const std::size_t bits = GENERATE(2, 5, 12, 16);
  const std::size_t shift = GENERATE(0, 1, 3);
  const std::size_t digit_bits = GENERATE(1, 3, 16);
  if (shift > bits - 2) return;
  const std::size_t num_vars = 5;
  const std::int64_t half = std::int64_t{1} << (bits - 1);
  std::uniform_int_distribution<std::int64_t> dist(-half, half - 1);
  std::vector<std::int64_t> accumulator(27);  // not a power of two: padding
  for (auto& a : accumulator) a = dist(rng);
  accumulator[0] = -half;
  accumulator[1] = half - 1;
  const RescaleReluLayer<F> layer(num_vars, bits, shift, digit_bits);
  const auto a = field_values<F>(accumulator);
  const auto b = layer.witness(a);
  REQUIRE(b);
  const std::vector<std::vector<F>> inputs{a, *b};
  const auto output = layer.forward(std::span<const std::span<const F>>(views(inputs)));
  for (std::size_t x = 0; x < output.size(); ++x) {
    const std::int64_t value = x < accumulator.size() ? accumulator[x] : 0;
    CHECK(output[x] == F::from_i64(std::max<std::int64_t>(0, value >> shift)));
  }
  const auto claim = claim_at_random_point<F>(rng, std::span<const F>(output), num_vars);
  check_layer<F>(layer, inputs, claim);
  if constexpr (std::is_same_v<F, zkcnn::bn254::Fr>) {
    // One magnitude digit, several, one bit per digit, and the smallest layout.
    const bool representative = (bits == 16 && shift == 1 && digit_bits == 16) ||
                                (bits == 12 && shift == 3 && digit_bits == 3) ||
                                (bits == 5 && shift == 0 && digit_bits == 1) || (bits == 2 && digit_bits == 1);
    if (representative) zkcnn_layer_test::check_layer_zero_knowledge<zkcnn::bn254::G1>(layer, inputs, claim, rng);
  }
}

TEST_CASE("rescale-ReLU layer rejects digits that do not decompose the accumulator", "[nn]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(42);
  const RescaleReluLayer<F> layer(3, 8, 2, 3);
  const auto a = field_values<F>({100, -3, 7, 0, 12, -128, 127, 1});
  auto b = layer.witness(a);
  REQUIRE(b);
  // Digits of a different accumulator give the same-shaped proof, but its claim on A is false.
  auto other = a;
  other[2] += F::one();
  const auto wrong_digits = layer.witness(other);
  REQUIRE(wrong_digits);
  const std::vector<std::vector<F>> honest{a, *b}, dishonest{a, *wrong_digits};
  const auto output = layer.forward(std::span<const std::span<const F>>(views(dishonest)));
  const auto claim = claim_at_random_point<F>(rng, std::span<const F>(output), 3);
  auto t = transcript();
  const auto proven = layer.prove(std::span<const std::span<const F>>(views(dishonest)), claim, t);
  CHECK_FALSE(accepted<F>(layer, claim, proven.proof, honest));
}

TEST_CASE("rescale-ReLU layer combines several claims on its output in its own sumcheck", "[nn]") {
  using F = zkcnn::bn254::Fr;
  static_assert(zkcnn::gkr::CombinesClaims<RescaleReluLayer<F>, F, zkcnn::Sha256Transcript>);
  zkcnn::testing::DeterministicRng rng(43);
  const RescaleReluLayer<F> layer(4, 10, 2, 3);
  std::vector<std::int64_t> accumulator(13);
  for (std::size_t x = 0; x < accumulator.size(); ++x) accumulator[x] = static_cast<std::int64_t>(x * 37 % 500) - 250;
  const auto a = field_values<F>(accumulator);
  const auto b = layer.witness(a);
  REQUIRE(b);
  const std::vector<std::vector<F>> inputs{a, *b};
  const auto output = layer.forward(std::span<const std::span<const F>>(views(inputs)));
  const std::vector<zkcnn::gkr::Claim<F>> claims{claim_at_random_point<F>(rng, std::span<const F>(output), 4),
                                                 claim_at_random_point<F>(rng, std::span<const F>(output), 4),
                                                 claim_at_random_point<F>(rng, std::span<const F>(output), 4)};
  const std::span<const zkcnn::gkr::Claim<F>> all(claims);
  auto prover = transcript();
  const auto proven = layer.prove(std::span<const std::span<const F>>(views(inputs)), all, prover);
  auto verifier = transcript();
  const auto verified = layer.verify(all, proven.proof, verifier);
  REQUIRE(verified);
  CHECK(*verified == proven.input_claims);
  CHECK(verifier.state_digest() == prover.state_digest());
  CHECK(input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*verified), inputs));
  // Any one claim false: rejected, or leaving a false claim on the inputs.
  for (std::size_t k = 0; k < claims.size(); ++k) {
    auto wrong = claims;
    wrong[k].value += F::one();
    auto t = transcript();
    const auto result = layer.verify(std::span<const zkcnn::gkr::Claim<F>>(wrong), proven.proof, t);
    if (result) CHECK_FALSE(input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*result), inputs));
  }
  // One claim in a span is the single-claim proof, byte for byte.
  auto single = transcript();
  auto spanned = transcript();
  const auto one = layer.prove(std::span<const std::span<const F>>(views(inputs)), claims[0], single);
  const auto same = layer.prove(std::span<const std::span<const F>>(views(inputs)), all.first(1), spanned);
  CHECK(one.proof == same.proof);
  CHECK(single.state_digest() == spanned.state_digest());
}

}  // namespace
