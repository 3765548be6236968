// GKR over layered circuits of generalized gates (docs/protocol.md section 4): evaluation against
// a naive gate-by-gate evaluator on random circuits whose layers read any earlier layers, and
// the proof's completeness, encoding and soundness (wrong output, every wrong input entry,
// another circuit, every tampered field element, truncated and random bytes).

#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/gkr/circuit.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using namespace zkcnn_layer_test;
using zkcnn::gkr::AddGate;
using zkcnn::gkr::Circuit;
using zkcnn::gkr::Claim;
using zkcnn::gkr::MulGate;

// A random circuit: each layer reads up to three random earlier layers (always including the
// previous one, so the output depends on every layer) with random add and mul gates.
template <class F>
Circuit<F> random_circuit(zkcnn::testing::DeterministicRng& rng, std::size_t input_vars, const std::vector<std::size_t>& layer_vars) {
  auto pick = [&](std::size_t bound) { return std::uniform_int_distribution<std::size_t>(0, bound - 1)(rng); };
  Circuit<F> circuit(input_vars);
  for (std::size_t n : layer_vars) {
    const std::size_t previous = circuit.layer_count() - 1;
    std::vector<std::size_t> sources{previous};
    for (std::size_t extra = pick(3); extra > 0; --extra) sources.push_back(pick(circuit.layer_count()));
    std::vector<AddGate<F>> adds;
    std::vector<MulGate<F>> muls;
    for (std::size_t g = 0; g < (std::size_t{2} << n); ++g) {
      const std::size_t a = pick(sources.size()), b = pick(sources.size());
      const std::size_t a_size = std::size_t{1} << circuit.num_vars(sources[a]);
      const std::size_t b_size = std::size_t{1} << circuit.num_vars(sources[b]);
      if (pick(2) == 0) {
        adds.push_back({pick(std::size_t{1} << n), a, pick(a_size), F::random(rng)});
      } else {
        muls.push_back({pick(std::size_t{1} << n), a, pick(a_size), b, pick(b_size), F::random(rng)});
      }
    }
    circuit.add_layer(std::move(sources), n, std::move(adds), std::move(muls));
  }
  return circuit;
}

// Every layer of the circuit, each output entry computed on its own by scanning the gates.
template <class F>
std::vector<std::vector<F>> naive_values(const Circuit<F>& circuit, const std::vector<F>& input) {
  std::vector<std::vector<F>> values{input};
  for (std::size_t i = 1; i < circuit.layer_count(); ++i) {
    const auto& layer = circuit.layer(i);
    const auto sources = circuit.sources(i);
    std::vector<F> out;
    for (std::size_t g = 0; g < (std::size_t{1} << circuit.num_vars(i)); ++g) {
      F entry = F::zero();
      for (const auto& gate : layer.add_gates()) {
        if (gate.output == g) entry += gate.coefficient * values[sources[gate.input]][gate.index];
      }
      for (const auto& gate : layer.mul_gates()) {
        if (gate.output == g) {
          entry += gate.coefficient * values[sources[gate.left_input]][gate.left_index] *
                   values[sources[gate.right_input]][gate.right_index];
        }
      }
      out.push_back(entry);
    }
    values.push_back(std::move(out));
  }
  return values;
}

template <class F>
bool accepts(const Circuit<F>& circuit, std::span<const F> input, std::span<const F> output,
             const typename Circuit<F>::Proof& proof) {
  auto t = transcript();
  return static_cast<bool>(circuit.verify(input, output, proof, t));
}

TEMPLATE_TEST_CASE("circuit evaluation matches a gate-by-gate evaluation", "[gkr]", zkcnn::bn254::Fr) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(21);
  // Two layers by hand: V1 = (x0 * x1, 3 x2 + x3), V2 = V1[0] * x0 + V1[1] (reading layer 0 again).
  Circuit<F> circuit(2);
  circuit.add_layer({0}, 1, {{1, 0, 2, F::from_u64(3)}, {1, 0, 3, F::one()}}, {{0, 0, 0, 0, 1, F::one()}});
  circuit.add_layer({1, 0}, 0, {{0, 0, 1, F::one()}}, {{0, 0, 0, 1, 0, F::one()}});
  const auto input = random_table<F>(rng, 4);
  const auto values = circuit.evaluate(input);
  const F v10 = input[0] * input[1], v11 = F::from_u64(3) * input[2] + input[3];
  CHECK(values[1] == std::vector<F>{v10, v11});
  CHECK(values[2] == std::vector<F>{v10 * input[0] + v11});

  for (int trial = 0; trial < 5; ++trial) {
    const auto random = random_circuit<F>(rng, 3, {2, 3, 1, 2});
    const auto random_input = random_table<F>(rng, 8);
    CHECK(random.evaluate(random_input) == naive_values(random, random_input));
  }
}

TEMPLATE_TEST_CASE("circuit proofs are complete and sound", "[gkr]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(22);
  const auto circuit = random_circuit<F>(rng, 4, {3, 4, 2, 3, 1});
  const auto input = random_table<F>(rng, 16);
  const auto values = circuit.evaluate(input);
  const std::span<const F> output(values.back());

  auto prover_transcript = transcript();
  const auto proven = circuit.prove(std::span<const std::vector<F>>(values), prover_transcript);
  auto verifier_transcript = transcript();
  CHECK(circuit.verify(std::span<const F>(input), output, proven.proof, verifier_transcript));
  CHECK(verifier_transcript.state_digest() == prover_transcript.state_digest());
  for (const auto& claim : proven.input_claims) {
    CHECK(zkcnn::evaluate_multilinear(std::span<const F>(input), std::span<const F>(claim.point)) == claim.value);
  }

  SECTION("a wrong output or input is rejected") {
    for (std::size_t k = 0; k < output.size(); ++k) {
      auto wrong = values.back();
      wrong[k] += F::one();
      CHECK_FALSE(accepts<F>(circuit, input, wrong, proven.proof));
    }
    for (std::size_t k = 0; k < input.size(); ++k) {
      auto wrong_input = input;
      wrong_input[k] += F::one();
      CHECK_FALSE(accepts<F>(circuit, wrong_input, output, proven.proof));
    }
  }

  SECTION("encoding round trip; truncated, extended and random bytes are rejected") {
    const auto bytes = circuit.serialize(proven.proof);
    auto decoded = circuit.deserialize(bytes);
    REQUIRE(decoded);
    CHECK(*decoded == proven.proof);
    for (std::size_t cut = 0; cut < bytes.size(); cut += 7) CHECK_FALSE(circuit.deserialize(std::span(bytes.data(), cut)));
    auto longer = bytes;
    longer.push_back(1);
    CHECK_FALSE(circuit.deserialize(longer));
    auto wrong_version = bytes;
    wrong_version[0] ^= 1;
    CHECK_FALSE(circuit.deserialize(wrong_version));
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<std::uint8_t> noise(bytes.size());
      for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
      noise[0] = Circuit<F>::proof_format_version;
      auto proof = circuit.deserialize(noise);
      if (proof) CHECK_FALSE(accepts<F>(circuit, input, output, *proof));
    }
  }

  SECTION("every tampered field element is rejected") {
    const auto bytes = circuit.serialize(proven.proof);
    for (std::size_t offset = 1; offset < bytes.size(); offset += F::byte_size) {
      auto tampered = bytes;
      auto value = F::from_bytes(std::span<const std::uint8_t>(tampered.data() + offset, F::byte_size));
      REQUIRE(value);
      const auto changed = (*value + F::one()).to_bytes();
      std::copy(changed.begin(), changed.end(), tampered.begin() + static_cast<std::ptrdiff_t>(offset));
      auto proof = circuit.deserialize(tampered);
      REQUIRE(proof);
      INFO("byte offset " << offset);
      CHECK_FALSE(accepts<F>(circuit, input, output, *proof));
    }
  }
}

TEST_CASE("circuit proofs are bound to the circuit", "[gkr]") {
  // Two circuits with the same shape whose gates differ in one coefficient: a proof for one
  // does not verify for the other, even on an input where both compute the same output.
  using F = zkcnn::bn254::Fr;
  Circuit<F> first(1), second(1);
  first.add_layer({0}, 0, {{0, 0, 0, F::one()}, {0, 0, 1, F::one()}}, {});
  second.add_layer({0}, 0, {{0, 0, 0, F::one()}, {0, 0, 1, F::from_u64(2)}}, {});
  const std::vector<F> input{F::from_u64(5), F::zero()};
  const auto values = first.evaluate(input);
  REQUIRE(values.back() == second.evaluate(input).back());
  auto t = transcript();
  const auto proven = first.prove(std::span<const std::vector<F>>(values), t);
  CHECK(accepts<F>(first, input, values.back(), proven.proof));
  CHECK_FALSE(accepts<F>(second, input, values.back(), proven.proof));
}

TEST_CASE("circuit layers the output does not depend on carry no proof", "[gkr]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(23);
  Circuit<F> circuit(2);
  circuit.add_layer({0}, 2, {{0, 0, 1, F::one()}}, {});  // unused by the output
  circuit.add_layer({0}, 1, {}, {{1, 0, 2, 0, 3, F::one()}});
  const auto input = random_table<F>(rng, 4);
  const auto values = circuit.evaluate(input);
  auto t = transcript();
  const auto proven = circuit.prove(std::span<const std::vector<F>>(values), t);
  CHECK(proven.proof.layers.size() == 1);
  CHECK(accepts<F>(circuit, input, values.back(), proven.proof));
}

}  // namespace
