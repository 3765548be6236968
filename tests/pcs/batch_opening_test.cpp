// Batch opening (several evaluation claims on one committed polynomial, reduced by one
// sumcheck to a single opening) over the test-only plain scheme and over Hyrax: completeness
// with one or several claims (repeated points included), rejection of a wrong claimed value,
// tampered reduction messages, a tampered value at the reduced point, a tampered opening and
// claims of mismatched dimensions; and the plain scheme on its own.

#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include <zkcnn/pcs/batch_opening.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include "support/plain_pcs.hpp"
#include <zkcnn/random/deterministic_rng.hpp>

#include "pcs/pcs_test_support.hpp"

namespace {

using zkcnn::BatchEvaluationProof;
using zkcnn::Errc;
using zkcnn::EvaluationClaim;
using zkcnn::Status;
using zkcnn::pcs_testing::evaluate;
using zkcnn::pcs_testing::fresh_transcript;
using zkcnn::pcs_testing::random_vector;

using Plain = zkcnn::testing::PlainPCS<zkcnn::bn254::Fr>;
using HyraxBn = zkcnn::Hyrax<zkcnn::bn254::G1>;
using HyraxBls = zkcnn::Hyrax<zkcnn::bls12_381::G1>;

template <class P>
struct SchemeOf;
template <>
struct SchemeOf<Plain> {
  static const Plain& get() {
    static const Plain plain;
    return plain;
  }
};
template <class G>
struct SchemeOf<zkcnn::Hyrax<G>> {
  static const zkcnn::Hyrax<G>& get() { return zkcnn::pcs_testing::hyrax_key<G>(); }
};

/// The scheme instance the tests use: the plain scheme, or the cached Hyrax key.
template <class P>
const P& scheme() {
  return SchemeOf<P>::get();
}

/// A committed polynomial and claims on it.
template <class P>
struct BatchInstance {
  using F = typename P::Scalar;
  std::size_t num_vars = 0;
  std::vector<F> evaluations;
  typename P::Commitment commitment;
  typename P::Opening opening;
  std::vector<EvaluationClaim<F>> claims;
};

/// `count` claims at random points, every third one repeating the previous point.
template <class P>
BatchInstance<P> make_batch(std::size_t num_vars, std::size_t count, std::size_t length, zkcnn::testing::DeterministicRng& rng) {
  using F = typename P::Scalar;
  BatchInstance<P> instance;
  instance.num_vars = num_vars;
  instance.evaluations = random_vector<F>(length, rng);
  auto [commitment, opening] = scheme<P>().commit(std::span<const F>(instance.evaluations), num_vars, rng);
  instance.commitment = std::move(commitment);
  instance.opening = std::move(opening);
  for (std::size_t k = 0; k < count; ++k) {
    std::vector<F> point = (k % 3 == 2) ? instance.claims.back().point : random_vector<F>(num_vars, rng);
    const F value = evaluate(instance.evaluations, point);
    instance.claims.push_back({std::move(point), value});
  }
  return instance;
}

template <class P>
BatchEvaluationProof<P> prove(const BatchInstance<P>& instance, zkcnn::testing::DeterministicRng& rng,
                              const std::vector<EvaluationClaim<typename P::Scalar>>* claims = nullptr) {
  using F = typename P::Scalar;
  auto transcript = fresh_transcript();
  P::absorb_commitment(transcript, instance.commitment);
  const auto& used = claims != nullptr ? *claims : instance.claims;
  return zkcnn::prove_batch(scheme<P>(), std::span<const F>(instance.evaluations), instance.opening,
                            instance.commitment, std::span<const EvaluationClaim<F>>(used), transcript, rng);
}

template <class P>
Status verify(const typename P::Commitment& commitment, const std::vector<EvaluationClaim<typename P::Scalar>>& claims,
              const BatchEvaluationProof<P>& proof) {
  using F = typename P::Scalar;
  auto transcript = fresh_transcript();
  P::absorb_commitment(transcript, commitment);
  return zkcnn::verify_batch(scheme<P>(), commitment, std::span<const EvaluationClaim<F>>(claims), proof, transcript);
}

}  // namespace

TEMPLATE_TEST_CASE("Batch opening: completeness", "[pcs][batch]", Plain, HyraxBn, HyraxBls) {
  using P = TestType;
  zkcnn::testing::DeterministicRng rng(0x42415443482d636full);
  for (std::size_t num_vars : {0, 1, 4, 7}) {
    for (std::size_t count : {1, 2, 5}) {
      const std::size_t full = std::size_t{1} << num_vars;
      for (std::size_t length : {full, full / 2 + 1}) {
        CAPTURE(num_vars, count, length);
        const auto instance = make_batch<P>(num_vars, count, length, rng);
        const auto proof = prove(instance, rng);
        CHECK(proof.reduction.round_messages.size() == num_vars);
        CHECK(verify<P>(instance.commitment, instance.claims, proof));
      }
    }
  }
}

TEMPLATE_TEST_CASE("Batch opening: prover and verifier transcripts agree", "[pcs][batch]", Plain, HyraxBn) {
  using P = TestType;
  using F = typename P::Scalar;
  zkcnn::testing::DeterministicRng rng(0x42415443482d7473ull);
  const auto instance = make_batch<P>(5, 3, 32, rng);
  auto prover = fresh_transcript();
  auto verifier = fresh_transcript();
  P::absorb_commitment(prover, instance.commitment);
  P::absorb_commitment(verifier, instance.commitment);
  const auto claims = std::span<const EvaluationClaim<F>>(instance.claims);
  const auto proof = zkcnn::prove_batch(scheme<P>(), std::span<const F>(instance.evaluations), instance.opening,
                                        instance.commitment, claims, prover, rng);
  REQUIRE(zkcnn::verify_batch(scheme<P>(), instance.commitment, claims, proof, verifier));
  CHECK(prover.state_digest() == verifier.state_digest());
}

TEMPLATE_TEST_CASE("Batch opening: soundness", "[pcs][batch]", Plain, HyraxBn, HyraxBls) {
  using P = TestType;
  using F = typename P::Scalar;
  zkcnn::testing::DeterministicRng rng(0x42415443482d736full);
  const auto instance = make_batch<P>(5, 5, 32, rng);
  const auto proof = prove(instance, rng);
  REQUIRE(verify<P>(instance.commitment, instance.claims, proof));

  SECTION("a wrong value in any claim") {
    for (std::size_t k = 0; k < instance.claims.size(); ++k) {
      CAPTURE(k);
      auto claims = instance.claims;
      claims[k].value += F::one();
      CHECK_FALSE(verify<P>(instance.commitment, claims, proof));
      // The prover run on the wrong claims does not help.
      CHECK_FALSE(verify<P>(instance.commitment, claims, prove(instance, rng, &claims)));
    }
    // Two wrong values that cancel in the plain sum (v_0 + 1, v_1 - 1) are still caught.
    auto claims = instance.claims;
    claims[0].value += F::one();
    claims[1].value -= F::one();
    CHECK_FALSE(verify<P>(instance.commitment, claims, proof));
  }
  SECTION("a wrong point in a claim, claims reordered, dropped or added") {
    auto claims = instance.claims;
    claims[1].point[0] += F::one();
    CHECK_FALSE(verify<P>(instance.commitment, claims, proof));
    claims = instance.claims;
    std::swap(claims[0], claims[1]);
    CHECK_FALSE(verify<P>(instance.commitment, claims, proof));
    claims = instance.claims;
    claims.pop_back();
    CHECK_FALSE(verify<P>(instance.commitment, claims, proof));
    claims = instance.claims;
    claims.push_back(instance.claims.front());
    CHECK_FALSE(verify<P>(instance.commitment, claims, proof));
  }
  SECTION("a tampered reduction message") {
    for (std::size_t round = 0; round < proof.reduction.round_messages.size(); ++round) {
      for (std::size_t i = 0; i < proof.reduction.round_messages[round].size(); ++i) {
        CAPTURE(round, i);
        auto tampered = proof;
        tampered.reduction.round_messages[round][i] += F::one();
        CHECK_FALSE(verify<P>(instance.commitment, instance.claims, tampered));
      }
    }
    auto shorter = proof;
    shorter.reduction.round_messages.pop_back();
    const auto status = verify<P>(instance.commitment, instance.claims, shorter);
    REQUIRE_FALSE(status);
    CHECK(status.error().code == Errc::malformed_proof);
  }
  SECTION("a tampered value at the reduced point") {
    auto tampered = proof;
    tampered.value_at_point += F::one();
    const auto status = verify<P>(instance.commitment, instance.claims, tampered);
    REQUIRE_FALSE(status);
    CHECK(status.error().code == Errc::verification_failed);
    tampered.value_at_point = F::zero();
    CHECK_FALSE(verify<P>(instance.commitment, instance.claims, tampered));
  }
  SECTION("another polynomial's commitment") {
    const auto other = make_batch<P>(5, 1, 32, rng);
    CHECK_FALSE(verify<P>(other.commitment, instance.claims, proof));
  }
  SECTION("claims of mismatched dimensions") {
    auto claims = instance.claims;
    claims[2].point.push_back(F::zero());
    const auto status = verify<P>(instance.commitment, claims, proof);
    REQUIRE_FALSE(status);
    CHECK(status.error().code == Errc::invalid_argument);
    CHECK_THROWS_AS(prove(instance, rng, &claims), std::invalid_argument);
    // All claims of one dimension, but not the commitment's.
    for (auto& claim : claims) claim.point.resize(6, F::zero());
    CHECK_FALSE(verify<P>(instance.commitment, claims, proof));
    for (auto& claim : claims) claim.point.resize(4);
    CHECK_FALSE(verify<P>(instance.commitment, claims, proof));
    // A table longer than 2^(claims' dimension): the prover refuses.
    CHECK_THROWS_AS(prove(instance, rng, &claims), std::invalid_argument);
    // No claims at all.
    const std::vector<EvaluationClaim<F>> none;
    const auto empty = verify<P>(instance.commitment, none, proof);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == Errc::invalid_argument);
    CHECK_THROWS_AS(prove(instance, rng, &none), std::invalid_argument);
  }
}

TEMPLATE_TEST_CASE("Batch opening: a tampered Hyrax opening is rejected", "[pcs][batch]", HyraxBn, HyraxBls) {
  using P = TestType;
  using F = typename P::Scalar;
  zkcnn::testing::DeterministicRng rng(0x42415443482d6879ull);
  const auto instance = make_batch<P>(6, 2, 64, rng);
  const auto proof = prove(instance, rng);
  REQUIRE(verify<P>(instance.commitment, instance.claims, proof));
  auto tampered = proof;
  tampered.opening.inner_product.left[0] = zkcnn::pcs_testing::other_point(tampered.opening.inner_product.left[0]);
  CHECK_FALSE(verify<P>(instance.commitment, instance.claims, tampered));
  tampered = proof;
  tampered.opening.inner_product.opening_response += F::one();
  CHECK_FALSE(verify<P>(instance.commitment, instance.claims, tampered));
  // The opening from a batch on other claims of the same polynomial.
  const auto other_claims = make_batch<P>(6, 2, 64, rng).claims;
  std::vector<EvaluationClaim<F>> claims;
  for (const auto& c : other_claims) claims.push_back({c.point, evaluate(instance.evaluations, c.point)});
  const auto other_proof = prove(instance, rng, &claims);
  REQUIRE(verify<P>(instance.commitment, claims, other_proof));
  tampered = proof;
  tampered.opening = other_proof.opening;
  CHECK_FALSE(verify<P>(instance.commitment, instance.claims, tampered));
}

TEST_CASE("Plain scheme: accepts correct claims, rejects wrong values and shapes", "[pcs][plain]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x504c41494e2d3031ull);
  const Plain plain;
  for (std::size_t num_vars : {0, 1, 5}) {
    CAPTURE(num_vars);
    const auto evaluations = random_vector<F>((std::size_t{1} << num_vars) - (num_vars > 1 ? 3 : 0), rng);
    const auto committed = plain.commit(std::span<const F>(evaluations), num_vars, rng);
    const auto& commitment = committed.first;  // (captured below: no structured binding)
    const auto& opening = committed.second;
    CHECK(commitment.num_vars == num_vars);
    CHECK(commitment.evaluations == evaluations);
    const auto point = random_vector<F>(num_vars, rng);
    const F value = evaluate(evaluations, point);

    auto run = [&](const Plain::Commitment& c, const std::vector<F>& at, const F& v) {
      auto prover = fresh_transcript();
      auto verifier = fresh_transcript();
      Plain::absorb_commitment(prover, commitment);
      Plain::absorb_commitment(verifier, c);
      const auto proof = plain.prove(std::span<const F>(evaluations), opening, commitment, std::span<const F>(point),
                                     value, prover, rng);
      const auto status = plain.verify(c, std::span<const F>(at), v, proof, verifier);
      if (status) CHECK(prover.state_digest() == verifier.state_digest());
      return status;
    };
    CHECK(run(commitment, point, value));
    const auto wrong = run(commitment, point, value + F::one());
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == Errc::verification_failed);

    // Wrong shapes: a point of another dimension, a commitment longer than 2^n.
    auto longer_point = point;
    longer_point.push_back(F::zero());
    const auto bad_point = run(commitment, longer_point, value);
    REQUIRE_FALSE(bad_point);
    CHECK(bad_point.error().code == Errc::malformed_proof);
    auto too_long = commitment;
    too_long.evaluations.resize((std::size_t{1} << num_vars) + 1, F::zero());
    const auto bad_length = run(too_long, point, value);
    REQUIRE_FALSE(bad_length);
    CHECK(bad_length.error().code == Errc::malformed_proof);
    auto huge = commitment;
    huge.num_vars = 64;
    std::vector<F> point64(64, F::zero());
    const auto bad_huge = run(huge, point64, value);
    REQUIRE_FALSE(bad_huge);
    CHECK(bad_huge.error().code == Errc::malformed_proof);
    // Another polynomial.
    auto other = commitment;
    if (!other.evaluations.empty()) {
      other.evaluations[0] += F::one();
      CHECK_FALSE(run(other, point, value));
    }
  }
}
