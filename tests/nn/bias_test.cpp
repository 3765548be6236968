// The bias layer (nn/bias.hpp): forward against the naive broadcast, the shared layer checks on
// several shapes and channel dimensions, padding holding garbage, and agreement with the same
// addition written as a gate list; in zero knowledge (BN254) on a few shapes.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/gkr/gate_layer.hpp>
#include <zkcnn/nn/bias.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using zkcnn::nn::BiasLayer;
using zkcnn::nn::TensorShape;
using zkcnn_layer_test::check_agrees_with_gate_list;
using zkcnn_layer_test::check_layer;
using zkcnn_layer_test::proves_and_verifies;
using zkcnn_layer_test::claim_at_random_point;
using zkcnn_layer_test::input_claims_hold;
using zkcnn_layer_test::transcript;
using zkcnn_layer_test::views;

struct Case {
  std::vector<std::size_t> dims;
  std::size_t channel;
};

const std::vector<Case> kCases = {{{2, 3, 4, 5}, 1}, {{3, 10}, 1},   {{1, 4, 3, 3}, 1},   {{5}, 0},
                                  {{3, 6, 2}, 0},    {{3, 6, 2}, 2}, {{1, 1}, 0},         {{2, 5, 3, 3}, 3},
                                  {{4, 8}, 1},       {{7, 1, 2}, 1}, {{2, 16, 2, 2}, 1}};

std::string describe(const Case& c) {
  std::string out = "shape (";
  for (std::size_t d : c.dims) out += std::to_string(d) + ",";
  return out + "), channel dimension " + std::to_string(c.channel);
}

/// The multi-index of a padded position, and whether it is real.
std::vector<std::size_t> index_of(const TensorShape& shape, std::size_t position, bool& real) {
  const auto dims = shape.dims();
  const auto bits = shape.dimension_bits();
  std::vector<std::size_t> index(dims.size());
  real = true;
  for (std::size_t d = dims.size(); d-- > 0;) {
    index[d] = position & ((std::size_t{1} << bits[d]) - 1);
    position >>= bits[d];
    if (index[d] >= dims[d]) real = false;
  }
  return index;
}

/// Random values at the real entries; the padding zero unless `garbage`.
template <class F>
std::vector<F> random_tensor(zkcnn::testing::DeterministicRng& rng, const TensorShape& shape, bool garbage = false) {
  std::vector<F> table(shape.padded_size(), F::zero());
  for (std::size_t p = 0; p < table.size(); ++p) {
    bool real = false;
    index_of(shape, p, real);
    if (real || garbage) table[p] = F::random(rng);
  }
  return table;
}

}  // namespace

#define ZKCNN_NN_FIELDS zkcnn::bn254::Fr, zkcnn::Goldilocks

TEST_CASE("BiasLayer::forward adds the bias along its dimension at the real entries", "[nn][bias]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x62696131);
  for (const auto& c : kCases) {
    INFO(describe(c));
    const TensorShape shape{std::vector<std::size_t>(c.dims)};
    const BiasLayer<F> layer(shape, c.channel);
    const std::vector<std::vector<F>> inputs{random_tensor<F>(rng, shape), random_tensor<F>(rng, layer.bias_shape())};
    const auto y = layer.forward(views(inputs));
    REQUIRE(y.size() == shape.padded_size());
    for (std::size_t p = 0; p < y.size(); ++p) {
      bool real = false;
      const auto index = index_of(shape, p, real);
      CHECK(y[p] == (real ? inputs[0][p] + inputs[1][index[c.channel]] : F::zero()));
    }
    // A bias table shorter than its padded size reads as zero-padded.
    std::vector<std::vector<F>> trimmed = inputs;
    trimmed[1].resize(c.dims[c.channel]);
    CHECK(layer.forward(views(trimmed)) == y);
  }
  CHECK_THROWS_AS(BiasLayer<F>(TensorShape{2, 3}, 2), std::invalid_argument);
}

TEMPLATE_TEST_CASE("BiasLayer: completeness, encoding and soundness", "[nn][bias]", ZKCNN_NN_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x62696132);
  for (std::size_t n = 0; n < kCases.size(); ++n) {
    const auto& c = kCases[n];
    INFO(describe(c));
    const TensorShape shape{std::vector<std::size_t>(c.dims)};
    const BiasLayer<F> layer(shape, c.channel);
    const std::vector<std::vector<F>> inputs{random_tensor<F>(rng, shape), random_tensor<F>(rng, layer.bias_shape())};
    const auto y = layer.forward(views(inputs));
    const auto claim = claim_at_random_point<F>(rng, y, layer.output_num_vars());
    const auto proven = check_layer<F>(layer, inputs, claim);
    if constexpr (std::is_same_v<F, zkcnn::bn254::Fr>) {
      if (n % 3 == 0) zkcnn_layer_test::check_layer_zero_knowledge<zkcnn::bn254::G1>(layer, inputs, claim, rng);
    }
    CHECK(zkcnn_layer_test::encode_proof<F>(layer, proven.proof).size() == 2 * F::byte_size);
    // Either input claim alone being false is caught by the next layer: changing only one of
    // the sent values must break the verifier's equation.
    auto proof = proven.proof;
    proof.bias_value += F::one();
    proof.input_value -= F::one();
    auto t = transcript();
    auto verified = layer.verify(claim, proof, t);
    if (verified) CHECK_FALSE(input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*verified), inputs));
  }
}

TEST_CASE("BiasLayer: padding holding garbage is carried consistently", "[nn][bias]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x62696133);
  for (const auto& c : kCases) {
    INFO(describe(c));
    const TensorShape shape{std::vector<std::size_t>(c.dims)};
    const BiasLayer<F> layer(shape, c.channel);
    const std::vector<std::vector<F>> inputs{random_tensor<F>(rng, shape, true),
                                             random_tensor<F>(rng, layer.bias_shape(), true)};
    const auto y = layer.forward(views(inputs));
    // Real entries are Z + bias whatever the padding holds.
    for (std::size_t p = 0; p < y.size(); ++p) {
      bool real = false;
      const auto index = index_of(shape, p, real);
      if (real) CHECK(y[p] == inputs[0][p] + inputs[1][index[c.channel]]);
    }
    CHECK(proves_and_verifies<F>(layer, inputs, claim_at_random_point<F>(rng, y, layer.output_num_vars())));
  }
}

TEST_CASE("BiasLayer agrees with the broadcast addition as a gate list", "[nn][bias][gate_layer]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x62696134);
  for (const auto& c : {Case{{2, 3, 2, 3}, 1}, Case{{3, 5}, 1}, Case{{5, 2}, 0}}) {
    INFO(describe(c));
    const TensorShape shape{std::vector<std::size_t>(c.dims)};
    const BiasLayer<F> layer(shape, c.channel);
    std::vector<zkcnn::gkr::AddGate<F>> gates;
    for (std::size_t p = 0; p < shape.padded_size(); ++p) {
      bool real = false;
      const auto index = index_of(shape, p, real);
      if (!real) continue;
      gates.push_back({p, 0, p, F::one()});
      gates.push_back({p, 1, index[c.channel], F::one()});
    }
    const zkcnn::gkr::GateLayer<F> gate_layer({shape.num_vars(), layer.bias_shape().num_vars()}, shape.num_vars(),
                                              std::move(gates), {});
    const std::vector<std::vector<F>> inputs{random_tensor<F>(rng, shape), random_tensor<F>(rng, layer.bias_shape())};
    check_agrees_with_gate_list<F>(layer, gate_layer, inputs, rng);
  }
}
