// Sum and max pooling over 2^t x 2^t windows (docs/protocol.md sections 5, 6): window geometry,
// forward passes against direct loops, the layers' proofs through check_layer (and, on BN254,
// check_layer_zero_knowledge), and max
// pooling's two constraints each caught on its own: differences that do not vanish anywhere in
// a window (a claimed maximum above every entry) and differences that are not constant
// maxima (entries passed through unpooled).

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/nn/pooling.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using namespace zkcnn_layer_test;
using zkcnn::nn::MaxPoolLayer;
using zkcnn::nn::SumPoolLayer;
using zkcnn::nn::TensorShape;

// An accumulator tensor of the given shape with entries in [-bound, bound), padding zero.
template <class F>
std::vector<F> random_tensor(zkcnn::testing::DeterministicRng& rng, const TensorShape& shape, std::int64_t bound) {
  std::vector<F> table(shape.padded_size(), F::zero());
  std::uniform_int_distribution<std::int64_t> dist(-bound, bound - 1);
  const auto dims = shape.dims();
  std::vector<std::size_t> index(dims.size(), 0);
  for (std::size_t n = 0; n < shape.element_count(); ++n) {
    std::size_t rest = n;
    for (std::size_t d = dims.size(); d-- > 0;) {
      index[d] = rest % dims[d];
      rest /= dims[d];
    }
    table[shape.offset(std::span<const std::size_t>(index))] = F::from_i64(dist(rng));
  }
  return table;
}

// The pooled value of channel c at (y, x), by direct loops over the 3-D tensor (c, h, w).
template <class F, class Combine>
F pool_at(const TensorShape& shape, const std::vector<F>& values, std::size_t window, std::size_t c, std::size_t y,
          std::size_t x, Combine combine) {
  F result = values[shape.offset({c, y * window, x * window})];
  for (std::size_t dy = 0; dy < window; ++dy) {
    for (std::size_t dx = 0; dx < window; ++dx) {
      if (dy == 0 && dx == 0) continue;
      result = combine(result, values[shape.offset({c, y * window + dy, x * window + dx})]);
    }
  }
  return result;
}

// A dishonest prover's proof in zero knowledge: proven and verified with masked steps (an
// unmasked output claim); true when the verifier accepts, every claim on the masks holds and
// every input claim holds once unmasked.
template <class L>
bool accepted_in_zero_knowledge(const L& layer, const zkcnn::gkr::Claim<zkcnn::bn254::Fr>& claim,
                                const std::vector<std::vector<zkcnn::bn254::Fr>>& inputs, zkcnn::testing::DeterministicRng& rng) {
  using Run = MaskedRun<zkcnn::bn254::G1>;
  using F = zkcnn::bn254::Fr;
  typename Run::Prover masks(Run::key(), Run::width, rng);
  zkcnn::zk::MaskingTranscript<typename Run::Prover> prover_transcript("zkcnn pooling test", &masks);
  const auto proven = layer.prove(std::span<const std::span<const F>>(views(inputs)), claim, prover_transcript);
  std::vector<zkcnn::bn254::G1> rows(masks.rows().begin(), masks.rows().end());
  typename Run::Verifier verifier(Run::width, std::move(rows));
  zkcnn::zk::MaskingTranscript<typename Run::Verifier> t("zkcnn pooling test", &verifier);
  const auto result = layer.verify(claim, proven.proof, t);
  return result && verifier.exhausted() && Run::mask_claims_hold(verifier.claims(), masks) &&
         Run::input_claims_hold(std::span<const zkcnn::gkr::InputClaim<F>>(*result), inputs, masks);
}

const std::vector<std::pair<std::vector<std::size_t>, std::size_t>> shapes{
    {{3, 4, 4}, 2}, {{2, 6, 10}, 2}, {{1, 28, 28}, 2}, {{5, 8, 4}, 4}, {{1, 2, 2}, 2}};

TEMPLATE_TEST_CASE("sum pooling", "[nn]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(51);
  for (const auto& [dims, window] : shapes) {
    const TensorShape shape(dims);
    const SumPoolLayer<F> layer(shape, window);
    const auto input = random_tensor<F>(rng, shape, 1000);
    const std::vector<std::vector<F>> inputs{input};
    const auto output = layer.forward(std::span<const std::span<const F>>(views(inputs)));
    const auto& out_shape = layer.geometry().output();
    for (std::size_t c = 0; c < dims[0]; ++c) {
      for (std::size_t y = 0; y < out_shape.dim(1); ++y) {
        for (std::size_t x = 0; x < out_shape.dim(2); ++x) {
          CHECK(output[out_shape.offset({c, y, x})] ==
                pool_at<F>(shape, input, window, c, y, x, [](F a, F b) { return a + b; }));
        }
      }
    }
    const auto claim = claim_at_random_point<F>(rng, std::span<const F>(output), layer.output_num_vars());
    check_layer<F>(layer, inputs, claim);
    if constexpr (std::is_same_v<F, zkcnn::bn254::Fr>) {
      if (shape.padded_size() <= 128) {
        zkcnn_layer_test::check_layer_zero_knowledge<zkcnn::bn254::G1>(layer, inputs, claim, rng);
      }
    }
  }
}

TEMPLATE_TEST_CASE("max pooling", "[nn]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(52);
  for (const auto& [dims, window] : shapes) {
    const TensorShape shape(dims);
    const MaxPoolLayer<F> layer(shape, window, 12, 5);
    const auto input = random_tensor<F>(rng, shape, 2048);
    const auto digits = layer.witness(input);
    REQUIRE(digits);
    const std::vector<std::vector<F>> inputs{input, *digits};
    const auto output = layer.forward(std::span<const std::span<const F>>(views(inputs)));
    const auto& out_shape = layer.geometry().output();
    auto max = [](F a, F b) { return *zkcnn::nn::to_small_integer(a) >= *zkcnn::nn::to_small_integer(b) ? a : b; };
    for (std::size_t c = 0; c < dims[0]; ++c) {
      for (std::size_t y = 0; y < out_shape.dim(1); ++y) {
        for (std::size_t x = 0; x < out_shape.dim(2); ++x) {
          CHECK(output[out_shape.offset({c, y, x})] == pool_at<F>(shape, input, window, c, y, x, max));
        }
      }
    }
    if (shape.padded_size() <= 256) {
      const auto claim = claim_at_random_point<F>(rng, std::span<const F>(output), layer.output_num_vars());
      check_layer<F>(layer, inputs, claim);
      if constexpr (std::is_same_v<F, zkcnn::bn254::Fr>) {
        zkcnn_layer_test::check_layer_zero_knowledge<zkcnn::bn254::G1>(layer, inputs, claim, rng);
      }
    }
  }
}

TEST_CASE("max pooling rejects a false maximum and unpooled entries", "[nn]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(53);
  const TensorShape shape{2, 4, 4};
  const MaxPoolLayer<F> layer(shape, 2, 12, 4);
  const auto input = random_tensor<F>(rng, shape, 1000);
  const auto honest_digits = layer.witness(input);
  REQUIRE(honest_digits);
  const std::vector<std::vector<F>> honest{input, *honest_digits};
  auto output = layer.forward(std::span<const std::span<const F>>(views(honest)));
  CHECK(accepted_in_zero_knowledge(
      layer, claim_at_random_point<F>(rng, std::span<const F>(output), layer.output_num_vars()), honest, rng));

  SECTION("a maximum one above the true one: every difference is positive") {
    for (auto& m : output) m += F::one();
    std::vector<F> differences(shape.padded_size(), F::zero());
    const auto& geometry = layer.geometry();
    for (std::size_t o = 0; o < output.size(); ++o) {
      for (std::size_t t = 0; t < geometry.window_size(); ++t) {
        const std::size_t i = geometry.input_index(o, t);
        differences[i] = output[o] - input[i];
      }
    }
    const auto digits = zkcnn::nn::digit_table(layer.digits(), std::span<const F>(differences), shape.num_vars(), 0);
    REQUIRE(digits);
    const std::vector<std::vector<F>> dishonest{input, *digits};
    const auto claim = claim_at_random_point<F>(rng, std::span<const F>(output), layer.output_num_vars());
    auto t = transcript();
    const auto proven = layer.prove(std::span<const std::span<const F>>(views(dishonest)), claim, t);
    CHECK_FALSE(accepted<F>(layer, claim, proven.proof, dishonest));
    CHECK_FALSE(accepted_in_zero_knowledge(layer, claim, dishonest, rng));
  }

  SECTION("zero differences: the window product vanishes, but the entries are not a maximum") {
    const std::vector<F> zero_digits(honest_digits->size(), F::zero());
    const std::vector<std::vector<F>> dishonest{input, zero_digits};
    const auto claim = claim_at_random_point<F>(rng, std::span<const F>(output), layer.output_num_vars());
    auto t = transcript();
    const auto proven = layer.prove(std::span<const std::span<const F>>(views(dishonest)), claim, t);
    CHECK_FALSE(accepted<F>(layer, claim, proven.proof, dishonest));
    CHECK_FALSE(accepted_in_zero_knowledge(layer, claim, dishonest, rng));
  }
}

TEST_CASE("pooling rejects windows that do not tile the input", "[nn]") {
  using F = zkcnn::bn254::Fr;
  CHECK_THROWS_AS(SumPoolLayer<F>(TensorShape{1, 5, 4}, 2), std::invalid_argument);
  CHECK_THROWS_AS(SumPoolLayer<F>(TensorShape{1, 6, 6}, 3), std::invalid_argument);
  CHECK_THROWS_AS(MaxPoolLayer<F>(TensorShape{4}, 2, 8, 4), std::invalid_argument);
}

}  // namespace
