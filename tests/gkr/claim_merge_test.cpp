// Merging several claims on one table into one (gkr/claim_merge.hpp): the merged claim holds,
// a single claim passes through without a proof, and a false claim among true ones, or any
// tampered element of the merge proof, is caught.

#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/gkr/claim_merge.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <span>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using namespace zkcnn_layer_test;
using zkcnn::gkr::Claim;

template <class F>
bool merged_claim_holds(std::span<const F> table, std::size_t num_vars, std::span<const Claim<F>> claims,
                        std::span<const zkcnn::gkr::SumcheckStep<F>> proof) {
  auto t = transcript();
  auto merged = zkcnn::gkr::verify_merge<F>(num_vars, claims, proof, t);
  return merged && zkcnn::evaluate_multilinear(table, std::span<const F>(merged->point)) == merged->value;
}

TEMPLATE_TEST_CASE("claim merging", "[gkr]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(31);
  const std::size_t num_vars = 5;
  const auto table = random_table<F>(rng, 27);  // shorter than 2^5: implicit padding
  std::vector<Claim<F>> claims;
  for (int k = 0; k < 4; ++k) claims.push_back(claim_at_random_point<F>(rng, std::span<const F>(table), num_vars));

  auto prover_transcript = transcript();
  const auto merged = zkcnn::gkr::prove_merge<F>(std::span<const F>(table), num_vars, std::span<const Claim<F>>(claims),
                                                 prover_transcript);
  REQUIRE(merged.proof.size() == 1);
  auto verifier_transcript = transcript();
  auto verified = zkcnn::gkr::verify_merge<F>(num_vars, std::span<const Claim<F>>(claims),
                                              std::span<const zkcnn::gkr::SumcheckStep<F>>(merged.proof),
                                              verifier_transcript);
  REQUIRE(verified);
  CHECK(*verified == merged.claim);
  CHECK(zkcnn::evaluate_multilinear(std::span<const F>(table), std::span<const F>(merged.claim.point)) == merged.claim.value);
  CHECK(verifier_transcript.state_digest() == prover_transcript.state_digest());

  SECTION("a single claim passes through") {
    auto t = transcript();
    const auto single = zkcnn::gkr::prove_merge<F>(std::span<const F>(table), num_vars,
                                                   std::span<const Claim<F>>(claims).first(1), t);
    CHECK(single.proof.empty());
    CHECK(single.claim == claims.front());
    auto t2 = transcript();
    CHECK_FALSE(zkcnn::gkr::verify_merge<F>(num_vars, std::span<const Claim<F>>(claims).first(1),
                                            std::span<const zkcnn::gkr::SumcheckStep<F>>(merged.proof), t2));
  }

  SECTION("a false claim among true ones is caught") {
    for (std::size_t k = 0; k < claims.size(); ++k) {
      auto wrong = claims;
      wrong[k].value += F::one();
      CHECK_FALSE(merged_claim_holds<F>(table, num_vars, wrong, merged.proof));
    }
  }

  SECTION("every tampered proof element is caught") {
    const auto& step = merged.proof.front();
    for (std::size_t round = 0; round < step.sumcheck.round_messages.size(); ++round) {
      for (std::size_t i = 0; i < step.sumcheck.round_messages[round].size(); ++i) {
        auto tampered = merged.proof;
        tampered.front().sumcheck.round_messages[round][i] += F::one();
        CHECK_FALSE(merged_claim_holds<F>(table, num_vars, claims, tampered));
      }
    }
    auto tampered = merged.proof;
    tampered.front().evaluations[0] += F::one();
    CHECK_FALSE(merged_claim_holds<F>(table, num_vars, claims, tampered));
  }
}

}  // namespace
