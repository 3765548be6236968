// The residual addition (nn/residual_add.hpp): forward against the entrywise definition, the
// shared layer checks on several shapes and alignments, in zero knowledge (BN254), and
// agreement with the same addition written as a gate list.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/gkr/gate_layer.hpp>
#include <zkcnn/nn/residual_add.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using zkcnn::nn::ResidualAddLayer;
using zkcnn::nn::TensorShape;
using zkcnn_layer_test::check_layer;
using zkcnn_layer_test::claim_at_random_point;
using zkcnn_layer_test::input_claims_hold;
using zkcnn_layer_test::transcript;
using zkcnn_layer_test::views;

struct Case {
  std::vector<std::size_t> dims;
  std::size_t shift_0, shift_1;
};

const std::vector<Case> kCases = {{{1, 4, 3, 3}, 0, 0}, {{2, 3, 4, 5}, 7, 0}, {{3, 10}, 0, 12}, {{5}, 1, 1}, {{1, 1}, 0, 40}};

template <class F>
std::vector<std::vector<F>> random_inputs(zkcnn::testing::DeterministicRng& rng, const TensorShape& shape) {
  return {zkcnn_layer_test::random_table<F>(rng, shape.padded_size()),
          zkcnn_layer_test::random_table<F>(rng, shape.padded_size())};
}

}  // namespace

TEST_CASE("ResidualAddLayer::forward is 2^a X_0 + 2^b X_1 entry by entry", "[nn][residual]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x72657331);
  for (const auto& c : kCases) {
    const TensorShape shape{std::vector<std::size_t>(c.dims)};
    const ResidualAddLayer<F> layer(shape, c.shift_0, c.shift_1);
    const auto inputs = random_inputs<F>(rng, shape);
    const auto y = layer.forward(views(inputs));
    REQUIRE(y.size() == shape.padded_size());
    const F a = F::from_u64(std::uint64_t{1} << c.shift_0), b = F::from_u64(std::uint64_t{1} << c.shift_1);
    for (std::size_t p = 0; p < y.size(); ++p) CHECK(y[p] == a * inputs[0][p] + b * inputs[1][p]);
  }
  CHECK_THROWS_AS(ResidualAddLayer<F>(TensorShape{2, 3}, 64, 0), std::invalid_argument);
}

TEMPLATE_TEST_CASE("ResidualAddLayer: completeness, encoding and soundness", "[nn][residual]", zkcnn::bn254::Fr,
                   zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x72657332);
  for (const auto& c : kCases) {
    const TensorShape shape{std::vector<std::size_t>(c.dims)};
    const ResidualAddLayer<F> layer(shape, c.shift_0, c.shift_1);
    const auto inputs = random_inputs<F>(rng, shape);
    const auto y = layer.forward(views(inputs));
    const auto claim = claim_at_random_point<F>(rng, y, layer.output_num_vars());
    const auto proven = check_layer<F>(layer, inputs, claim);
    if constexpr (std::is_same_v<F, zkcnn::bn254::Fr>) {
      zkcnn_layer_test::check_layer_zero_knowledge<zkcnn::bn254::G1>(layer, inputs, claim, rng);
    }
    CHECK(zkcnn_layer_test::encode_proof<F>(layer, proven.proof).size() == 2 * F::byte_size);
    // Values shifted between the two terms so that the sum still holds leave a false claim on
    // one of the inputs: the next layer catches it.
    auto proof = proven.proof;
    proof.values[0] += F::from_u64(std::uint64_t{1} << c.shift_1);
    proof.values[1] -= F::from_u64(std::uint64_t{1} << c.shift_0);
    auto t = transcript();
    auto verified = layer.verify(claim, proof, t);
    REQUIRE(verified);
    CHECK_FALSE(input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*verified), inputs));
  }
}

TEST_CASE("ResidualAddLayer agrees with the addition as a gate list", "[nn][residual][gate_layer]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x72657333);
  const TensorShape shape{2, 3, 2, 3};
  const ResidualAddLayer<F> layer(shape, 3, 0);
  std::vector<zkcnn::gkr::AddGate<F>> gates;
  for (std::size_t p = 0; p < shape.padded_size(); ++p) {
    gates.push_back({p, 0, p, F::from_u64(8)});
    gates.push_back({p, 1, p, F::one()});
  }
  const zkcnn::gkr::GateLayer<F> gate_layer({shape.num_vars(), shape.num_vars()}, shape.num_vars(), std::move(gates), {});
  zkcnn_layer_test::check_agrees_with_gate_list<F>(layer, gate_layer, random_inputs<F>(rng, shape), rng);
}
