// The generalized gate-list layer (docs/protocol.md section 4): forward evaluation against a
// gate-by-gate reference, and through check_layer completeness, encoding and soundness on
// random layers whose inputs differ in size, with add gates only, mul gates only, both, none,
// and several claims merged into one proof.

#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/gkr/gate_layer.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <span>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using namespace zkcnn_layer_test;
using zkcnn::gkr::AddGate;
using zkcnn::gkr::Claim;
using zkcnn::gkr::GateLayer;
using zkcnn::gkr::MulGate;

template <class F>
GateLayer<F> random_layer(zkcnn::testing::DeterministicRng& rng, const std::vector<std::size_t>& input_vars, std::size_t output_vars,
                          std::size_t adds, std::size_t muls) {
  auto pick = [&](std::size_t bound) { return std::uniform_int_distribution<std::size_t>(0, bound - 1)(rng); };
  std::vector<AddGate<F>> add_gates;
  std::vector<MulGate<F>> mul_gates;
  for (std::size_t g = 0; g < adds; ++g) {
    const std::size_t input = pick(input_vars.size());
    add_gates.push_back({pick(std::size_t{1} << output_vars), input, pick(std::size_t{1} << input_vars[input]), F::random(rng)});
  }
  for (std::size_t g = 0; g < muls; ++g) {
    const std::size_t left = pick(input_vars.size()), right = pick(input_vars.size());
    mul_gates.push_back({pick(std::size_t{1} << output_vars), left, pick(std::size_t{1} << input_vars[left]), right,
                         pick(std::size_t{1} << input_vars[right]), F::random(rng)});
  }
  return GateLayer<F>(input_vars, output_vars, std::move(add_gates), std::move(mul_gates));
}

template <class F>
std::vector<std::vector<F>> random_inputs(zkcnn::testing::DeterministicRng& rng, const std::vector<std::size_t>& input_vars) {
  std::vector<std::vector<F>> inputs;
  for (std::size_t n : input_vars) inputs.push_back(random_table<F>(rng, std::size_t{1} << n));
  return inputs;
}

template <class F>
void check_random_layer(zkcnn::testing::DeterministicRng& rng, const std::vector<std::size_t>& input_vars, std::size_t output_vars,
                        std::size_t adds, std::size_t muls) {
  const auto layer = random_layer<F>(rng, input_vars, output_vars, adds, muls);
  const auto inputs = random_inputs<F>(rng, input_vars);
  const auto output = layer.forward(std::span<const std::span<const F>>(views(inputs)));
  const auto claim = claim_at_random_point<F>(rng, std::span<const F>(output), output_vars);
  check_layer<F>(layer, inputs, claim);
}

TEMPLATE_TEST_CASE("gate layer forward follows its gates", "[gkr]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(11);
  const std::vector<std::size_t> input_vars{3, 1};
  const auto layer = random_layer<F>(rng, input_vars, 2, 6, 6);
  const auto inputs = random_inputs<F>(rng, input_vars);
  std::vector<F> expected(4, F::zero());
  for (const auto& g : layer.add_gates()) expected[g.output] += g.coefficient * inputs[g.input][g.index];
  for (const auto& g : layer.mul_gates()) {
    expected[g.output] += g.coefficient * inputs[g.left_input][g.left_index] * inputs[g.right_input][g.right_index];
  }
  CHECK(layer.forward(std::span<const std::span<const F>>(views(inputs))) == expected);
}

TEMPLATE_TEST_CASE("gate layer proofs are complete and sound", "[gkr]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(12);
  SECTION("add and mul gates over inputs of different sizes") { check_random_layer<F>(rng, {4, 2, 3}, 3, 12, 12); }
  SECTION("add gates only") { check_random_layer<F>(rng, {3, 3}, 2, 10, 0); }
  SECTION("mul gates only") { check_random_layer<F>(rng, {2, 4}, 3, 0, 16); }
  SECTION("scalar input and output") { check_random_layer<F>(rng, {0, 2}, 0, 3, 3); }
  SECTION("one input, squared entries") { check_random_layer<F>(rng, {3}, 3, 0, 8); }
}

TEMPLATE_TEST_CASE("gate layer without gates proves its zero output", "[gkr]", zkcnn::bn254::Fr) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(13);
  const GateLayer<F> layer({2}, 2, {}, {});
  const std::vector<std::vector<F>> inputs{random_table<F>(rng, 4)};
  const Claim<F> claim{random_point<F>(rng, 2), F::zero()};
  check_layer<F>(layer, inputs, claim);
}

TEMPLATE_TEST_CASE("gate layer merges several claims into one proof", "[gkr]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(14);
  const std::vector<std::size_t> input_vars{3, 2};
  const auto layer = random_layer<F>(rng, input_vars, 3, 10, 10);
  const auto inputs = random_inputs<F>(rng, input_vars);
  const auto output = layer.forward(std::span<const std::span<const F>>(views(inputs)));
  std::vector<Claim<F>> claims;
  for (int k = 0; k < 3; ++k) claims.push_back(claim_at_random_point<F>(rng, std::span<const F>(output), 3));

  auto prover_transcript = transcript();
  auto proven = layer.prove_claims(std::span<const std::span<const F>>(views(inputs)), std::span<const Claim<F>>(claims),
                                   prover_transcript);
  auto verifier_transcript = transcript();
  auto verified = layer.verify_claims(std::span<const Claim<F>>(claims), proven.proof, verifier_transcript);
  REQUIRE(verified);
  CHECK(*verified == proven.input_claims);
  CHECK(input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*verified), inputs));
  for (std::size_t k = 0; k < claims.size(); ++k) {
    auto wrong = claims;
    wrong[k].value += F::one();
    auto t = transcript();
    auto result = layer.verify_claims(std::span<const Claim<F>>(wrong), proven.proof, t);
    CHECK((!result || !input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*result), inputs)));
  }
}

TEST_CASE("gate layer rejects malformed gates", "[gkr]") {
  using F = zkcnn::bn254::Fr;
  CHECK_THROWS_AS(GateLayer<F>({2}, 1, {{2, 0, 0, F::one()}}, {}), std::invalid_argument);
  CHECK_THROWS_AS(GateLayer<F>({2}, 1, {{0, 1, 0, F::one()}}, {}), std::invalid_argument);
  CHECK_THROWS_AS(GateLayer<F>({2}, 1, {{0, 0, 4, F::one()}}, {}), std::invalid_argument);
  CHECK_THROWS_AS(GateLayer<F>({2}, 1, {}, {{0, 0, 0, 0, 7, F::one()}}), std::invalid_argument);
  CHECK_THROWS_AS(GateLayer<F>({}, 1, {}, {}), std::invalid_argument);
}

}  // namespace
