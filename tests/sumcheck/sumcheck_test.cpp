// The sumcheck protocol for sums of products of multilinear polynomials (docs/protocol.md section 3):
// completeness on random instances, the prover's round messages against direct computation, and
// soundness against a wrong claim, every tampered proof element, malformed shapes, a wrong
// final evaluation and a transcript that differs from the prover's.

#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/sumcheck/proof.hpp>
#include <zkcnn/sumcheck/prover.hpp>
#include <zkcnn/sumcheck/sum_of_products.hpp>
#include <zkcnn/sumcheck/verifier.hpp>
#include <zkcnn/transcript/transcript.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/sumcheck_test_support.hpp"

namespace {

namespace sc = zkcnn::sumcheck;
using zkcnn::Errc;
using zkcnn::Sha256Transcript;
using zkcnn_sumcheck_test::evaluate_instance;
using zkcnn_sumcheck_test::hypercube_point;
using zkcnn_sumcheck_test::prove_honestly;
using zkcnn_sumcheck_test::random_instance;
using zkcnn_sumcheck_test::test_domain;
using zkcnn_sumcheck_test::verify_and_discharge;
using zkcnn_sumcheck_test::verify_fresh;

using Terms = std::vector<std::vector<std::size_t>>;

struct Shape {
  std::string name;
  std::size_t factor_count;
  Terms terms;
};

// Degrees 1..5, several terms with coefficients, factor reuse, and an unused factor.
const std::vector<Shape>& shapes() {
  static const std::vector<Shape> all{
      {"degree 1", 1, {{0}}},
      {"degree 2", 2, {{0, 1}}},
      {"degree 3", 3, {{0, 1, 2}}},
      {"degree 4", 4, {{0, 1, 2, 3}}},
      {"degree 5", 5, {{0, 1, 2, 3, 4}}},
      {"f0 * f0 * f1", 2, {{0, 0, 1}}},
      {"f0^5", 1, {{0, 0, 0, 0, 0}}},
      {"mixed terms", 4, {{0, 1, 2}, {1}, {3, 3}, {0, 0, 1}, {2, 3}}},
      {"unused factor", 3, {{0, 2}, {2}}},
      {"same factors in two terms", 2, {{0, 1}, {1, 0}}},
  };
  return all;
}

/// Table lengths for each factor: all full, all the same non-power-of-two length, or a mix
/// (full, odd, one, empty, ...).
std::vector<std::vector<std::size_t>> length_patterns(std::size_t num_vars, std::size_t factor_count,
                                                      zkcnn::testing::DeterministicRng& rng) {
  const std::size_t full = std::size_t{1} << num_vars;
  std::vector<std::vector<std::size_t>> patterns;
  patterns.emplace_back(factor_count, full);
  if (num_vars >= 2) patterns.emplace_back(factor_count, full - full / 4 - 1);  // odd, not a power of two
  std::vector<std::size_t> mixed;
  for (std::size_t k = 0; k < factor_count; ++k) {
    switch (k % 4) {
      case 0: mixed.push_back(full); break;
      case 1: mixed.push_back(std::uniform_int_distribution<std::size_t>(0, full)(rng)); break;
      case 2: mixed.push_back(std::min<std::size_t>(1, full)); break;
      default: mixed.push_back(0); break;
    }
  }
  patterns.push_back(mixed);
  if (num_vars >= 1) patterns.emplace_back(factor_count, full / 2 + 1);
  return patterns;
}

template <class F>
F naive_hypercube_sum(const sc::SumOfProducts<F>& g) {
  const std::size_t n = g.shape().num_vars();
  F total = F::zero();
  std::vector<F> values(g.factors().size());
  for (std::size_t x = 0; x < (std::size_t{1} << n); ++x) {
    for (std::size_t k = 0; k < values.size(); ++k) {
      const auto& table = g.factors()[k];
      values[k] = x < table.size() ? table[x] : F::zero();
    }
    total += g.shape().combine(values);
  }
  return total;
}

/// Runs prover and verifier on one instance and checks everything completeness promises.
template <class F>
void check_completeness(const sc::SumOfProducts<F>& g) {
  const auto& shape = g.shape();
  const F claimed_sum = g.sum_over_hypercube();
  CHECK(claimed_sum == naive_hypercube_sum(g));

  Sha256Transcript prover_transcript(test_domain);
  const sc::ProverOutput<F> out = sc::prove<F>(g, claimed_sum, prover_transcript);
  REQUIRE(out.proof.round_messages.size() == shape.num_vars());
  for (const auto& message : out.proof.round_messages) CHECK(message.size() == shape.degree());
  REQUIRE(out.point.size() == shape.num_vars());
  REQUIRE(out.factor_values.size() == shape.factor_count());

  Sha256Transcript verifier_transcript(test_domain);
  auto subclaim = sc::verify<F>(claimed_sum, shape.num_vars(), shape.degree(), out.proof, verifier_transcript);
  REQUIRE(subclaim.has_value());
  CHECK(subclaim->point == out.point);
  CHECK(prover_transcript.state_digest() == verifier_transcript.state_digest());

  // The prover's factor values are the factors' MLEs at the point ...
  for (std::size_t k = 0; k < shape.factor_count(); ++k) {
    CAPTURE(k);
    CHECK(out.factor_values[k] == zkcnn::evaluate_multilinear<F>(g.factors()[k], subclaim->point));
  }
  // ... and g at the point, computed either way, is what the subclaim expects.
  const F actual = evaluate_instance(g, subclaim->point);
  CHECK(subclaim->expected_value == actual);
  CHECK(subclaim->expected_value == shape.combine(out.factor_values));
  CHECK(sc::check_subclaim<F>(*subclaim, actual).has_value());
}

}  // namespace

TEMPLATE_TEST_CASE("sumcheck completeness on random instances", "[sumcheck][completeness]", zkcnn::bn254::Fr,
                   zkcnn::GoldilocksExt2, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x73756d31);
  for (const std::size_t n : {0, 1, 2, 5, 10}) {
    for (const Shape& s : shapes()) {
      for (const auto& lengths : length_patterns(n, s.factor_count, rng)) {
        CAPTURE(n, s.name, lengths);
        const auto g = random_instance<F>(rng, n, lengths, s.terms);
        check_completeness(g);
      }
    }
  }
}

TEMPLATE_TEST_CASE("sumcheck completeness on sparse tables with more factors than the prover marks", "[sumcheck][completeness]",
                   zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  // The prover skips the terms of a factor zero on a pair and the multiplication of a fold
  // between equal entries; it marks the first 64 factors only. Tables here have zero and
  // constant stretches, single zeros, and 70 factors, with terms on both sides of the 64th.
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x73756d33);
  constexpr std::size_t n = 6;
  constexpr std::size_t factor_count = 70;
  std::vector<std::vector<F>> tables;
  for (std::size_t k = 0; k < factor_count; ++k) {
    std::vector<F> table(std::size_t{1} << n);
    for (std::size_t x = 0; x < table.size(); ++x) {
      const std::size_t block = (x + k) / 8 % 4;
      table[x] = block == 0 ? F::zero() : block == 1 ? F::from_u64(k + 1) : (x + k) % 5 == 0 ? F::zero() : F::random(rng);
    }
    tables.push_back(std::move(table));
  }
  std::vector<sc::Term<F>> terms{{F::one(), {0, 1}}, {F::from_u64(3), {64, 65, 2}}, {F::one(), {66, 69}},
                                 {F::from_u64(5), {3, 67, 68, 4}}, {F::one(), {63}}};
  check_completeness(sc::SumOfProducts<F>(n, std::move(tables), std::move(terms)));
}

TEMPLATE_TEST_CASE("sumcheck: round messages are the restricted sums g_i(t)", "[sumcheck][prover]",
                   zkcnn::bn254::Fr, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x73756d32);
  // Round i's polynomial is g_i(t) = sum over x in {0,1}^(n-i-1) of g(r_1..r_{i}, t, x); check
  // every sent value (t = 0, 2, ..., d) and the omitted one via g_i(0) + g_i(1) = running claim.
  constexpr std::size_t n = 4;
  const auto g = random_instance<F>(rng, n, {16, 11, 7, 16}, {{0, 1, 2}, {3}, {0, 3}});
  const auto out = prove_honestly(g);
  const std::size_t d = g.shape().degree();
  REQUIRE(d == 3);
  F running_claim = g.sum_over_hypercube();
  for (std::size_t round = 0; round < n; ++round) {
    CAPTURE(round);
    const auto restricted = [&](const F& t) {
      F total = F::zero();
      const std::size_t rest = n - round - 1;
      for (std::size_t x = 0; x < (std::size_t{1} << rest); ++x) {
        std::vector<F> point(out.point.begin(), out.point.begin() + static_cast<std::ptrdiff_t>(round));
        point.push_back(t);
        const auto tail = hypercube_point<F>(x, rest);
        point.insert(point.end(), tail.begin(), tail.end());
        total += evaluate_instance(g, point);
      }
      return total;
    };
    const auto& message = out.proof.round_messages[round];
    REQUIRE(message.size() == d);
    CHECK(message[0] == restricted(F::zero()));
    CHECK(message[0] + restricted(F::one()) == running_claim);
    for (std::size_t t = 2; t <= d; ++t) CHECK(message[t - 1] == restricted(F::from_u64(t)));
    running_claim = restricted(out.point[round]);
  }
  CHECK(running_claim == evaluate_instance(g, out.point));
}

TEST_CASE("sumcheck: sum_over_hypercube on a small hand-computed instance", "[sumcheck]") {
  using F = zkcnn::bn254::Fr;
  // g = 2 * f0 * f1 + f1 over 2 variables, f0 = [1, 2, 3, (0)], f1 = [4, 5, (0, 0)]:
  // 2 * (1*4 + 2*5) + (4 + 5) = 37.
  const sc::SumOfProducts<F> g(2, {{F::from_u64(1), F::from_u64(2), F::from_u64(3)}, {F::from_u64(4), F::from_u64(5)}},
                               {{F::from_u64(2), {0, 1}}, {F::one(), {1}}});
  CHECK(g.sum_over_hypercube() == F::from_u64(37));
  CHECK(g.shape().degree() == 2);
  CHECK(g.shape().factor_count() == 2);
  CHECK(verify_and_discharge(g, F::from_u64(37), prove_honestly(g).proof).has_value());
  // Negative coefficients and values wrap mod p.
  const sc::SumOfProducts<F> h(1, {{F::from_i64(-3), F::from_i64(5)}}, {{F::from_i64(-1), {0}}});
  CHECK(h.sum_over_hypercube() == F::from_i64(-2));
}

TEST_CASE("sumcheck: SumOfProducts rejects inconsistent shapes", "[sumcheck]") {
  using F = zkcnn::bn254::Fr;
  const std::vector<F> four(4, F::one());
  CHECK_THROWS_AS(sc::SumOfProducts<F>(2, {four}, {{F::one(), {}}}), std::invalid_argument);
  CHECK_THROWS_AS(sc::SumOfProducts<F>(2, {four}, {{F::one(), {1}}}), std::invalid_argument);
  CHECK_THROWS_AS(sc::SumOfProducts<F>(1, {four}, {{F::one(), {0}}}), std::invalid_argument);
  CHECK_NOTHROW(sc::SumOfProducts<F>(2, {four}, {{F::one(), {0}}}));
  const sc::SumOfProductsShape<F> shape(2, 2, {{F::one(), {0, 1}}});
  CHECK_THROWS_AS(shape.combine(std::vector<F>(1)), std::invalid_argument);
  CHECK_THROWS_AS(shape.combine(std::vector<F>(3)), std::invalid_argument);
  CHECK(shape.combine(std::vector<F>{F::from_u64(3), F::from_u64(5)}) == F::from_u64(15));
}

TEMPLATE_TEST_CASE("sumcheck soundness: a wrong claimed sum fails the subclaim check", "[sumcheck][soundness]",
                   zkcnn::bn254::Fr, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x73756d33);
  for (const std::size_t n : {0, 1, 2, 5}) {
    CAPTURE(n);
    const std::size_t full = std::size_t{1} << n;
    const auto g = random_instance<F>(rng, n, {full, full, full}, {{0, 1}, {1, 2, 2}});
    const F true_sum = g.sum_over_hypercube();
    const F wrong_sum = true_sum + F::one();

    // An honest proof checked against a wrong claim.
    const auto honest = prove_honestly(g);
    CHECK(verify_and_discharge(g, true_sum, honest.proof).has_value());
    auto status = verify_and_discharge(g, wrong_sum, honest.proof);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == Errc::verification_failed);

    // The prover itself run on the wrong claim (same transcript on both sides).
    Sha256Transcript transcript(test_domain);
    const auto lying = sc::prove<F>(g, wrong_sum, transcript);
    status = verify_and_discharge(g, wrong_sum, lying.proof);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == Errc::verification_failed);
  }
}

TEMPLATE_TEST_CASE("sumcheck soundness: tampering with any element of any round message is caught",
                   "[sumcheck][soundness]", zkcnn::bn254::Fr, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x73756d34);
  for (const Shape& s : {shapes()[0], shapes()[4], shapes()[7]}) {
    constexpr std::size_t n = 5;
    CAPTURE(s.name);
    const auto g = random_instance<F>(rng, n, std::vector<std::size_t>(s.factor_count, 27), s.terms);
    const F claimed_sum = g.sum_over_hypercube();
    const auto proof = prove_honestly(g).proof;
    REQUIRE(verify_and_discharge(g, claimed_sum, proof).has_value());
    for (std::size_t round = 0; round < proof.round_messages.size(); ++round) {
      for (std::size_t i = 0; i < proof.round_messages[round].size(); ++i) {
        CAPTURE(round, i);
        for (const F& delta : {F::one(), -F::one(), F::random(rng)}) {
          auto tampered = proof;
          tampered.round_messages[round][i] += delta;
          // Well-formed, so the rounds run; the subclaim is what fails.
          auto subclaim = verify_fresh<F>(claimed_sum, n, g.shape().degree(), tampered);
          REQUIRE(subclaim.has_value());
          const auto status = sc::check_subclaim<F>(*subclaim, evaluate_instance(g, subclaim->point));
          REQUIRE_FALSE(status.has_value());
          CHECK(status.error().code == Errc::verification_failed);
        }
      }
    }
  }
}

TEMPLATE_TEST_CASE("sumcheck soundness: a proof of the wrong shape is malformed", "[sumcheck][soundness]",
                   zkcnn::bn254::Fr, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x73756d35);
  constexpr std::size_t n = 4;
  const auto g = random_instance<F>(rng, n, {16, 16, 16}, {{0, 1, 2}, {0}});
  const std::size_t d = g.shape().degree();
  const F claimed_sum = g.sum_over_hypercube();
  const auto proof = prove_honestly(g).proof;
  REQUIRE(verify_fresh<F>(claimed_sum, n, d, proof).has_value());

  const auto expect_malformed = [&](const sc::Proof<F>& bad, std::size_t num_vars, std::size_t degree) {
    auto result = verify_fresh<F>(claimed_sum, num_vars, degree, bad);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == Errc::malformed_proof);
  };

  for (std::size_t round = 0; round < n; ++round) {
    CAPTURE(round);
    auto fewer_rounds = proof;
    fewer_rounds.round_messages.erase(fewer_rounds.round_messages.begin() + static_cast<std::ptrdiff_t>(round));
    expect_malformed(fewer_rounds, n, d);

    auto fewer_values = proof;
    fewer_values.round_messages[round].pop_back();
    expect_malformed(fewer_values, n, d);

    auto more_values = proof;
    more_values.round_messages[round].push_back(F::one());
    expect_malformed(more_values, n, d);

    auto empty_round = proof;
    empty_round.round_messages[round].clear();
    expect_malformed(empty_round, n, d);
  }
  auto more_rounds = proof;
  more_rounds.round_messages.push_back(proof.round_messages.back());
  expect_malformed(more_rounds, n, d);
  expect_malformed(sc::Proof<F>{}, n, d);

  // The statement's shape must match the proof's.
  expect_malformed(proof, n - 1, d);
  expect_malformed(proof, n + 1, d);
  expect_malformed(proof, n, d - 1);
  expect_malformed(proof, n, d + 1);

  // Degree 0 is not a sumcheck.
  for (const std::size_t num_vars : {std::size_t{0}, n}) {
    auto result = verify_fresh<F>(claimed_sum, num_vars, 0, sc::Proof<F>{std::vector<std::vector<F>>(num_vars)});
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == Errc::invalid_argument);
  }
}

TEMPLATE_TEST_CASE("sumcheck soundness: the subclaim must be checked against the true evaluation",
                   "[sumcheck][soundness]", zkcnn::bn254::Fr, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x73756d36);
  for (const std::size_t n : {0, 3, 6}) {
    CAPTURE(n);
    const std::size_t full = std::size_t{1} << n;
    const auto g = random_instance<F>(rng, n, {full, full / 2 + 1}, {{0, 1}, {1}});
    const F claimed_sum = g.sum_over_hypercube();
    const auto proof = prove_honestly(g).proof;
    auto subclaim = verify_fresh<F>(claimed_sum, n, g.shape().degree(), proof);
    REQUIRE(subclaim.has_value());
    const F actual = evaluate_instance(g, subclaim->point);
    CHECK(sc::check_subclaim<F>(*subclaim, actual).has_value());
    for (const F& wrong : {actual + F::one(), actual - F::one(), F::zero() == actual ? F::one() : F::zero()}) {
      const auto status = sc::check_subclaim<F>(*subclaim, wrong);
      REQUIRE_FALSE(status.has_value());
      CHECK(status.error().code == Errc::verification_failed);
    }

    // g's proof does not discharge for another polynomial of the same shape (one table entry
    // changed): the final evaluation is what ties the proof to g's tables.
    if (n > 0) {
      auto tables = std::vector<std::vector<F>>(g.factors().begin(), g.factors().end());
      std::vector<sc::Term<F>> terms(g.shape().terms().begin(), g.shape().terms().end());
      tables[0][0] += F::one();
      const sc::SumOfProducts<F> other(n, std::move(tables), std::move(terms));
      CHECK_FALSE(verify_and_discharge(other, claimed_sum, proof).has_value());
    }
  }
}

TEMPLATE_TEST_CASE("sumcheck soundness: the proof is bound to its transcript", "[sumcheck][soundness][transcript]",
                   zkcnn::bn254::Fr, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x73756d37);
  constexpr std::size_t n = 5;
  const auto g = random_instance<F>(rng, n, {32, 20, 32}, {{0, 1, 2}, {0, 0}});
  const std::size_t d = g.shape().degree();
  const F claimed_sum = g.sum_over_hypercube();

  // The prover binds a statement element before running sumcheck.
  Sha256Transcript prover_transcript(test_domain);
  prover_transcript.absorb_bytes("statement", zkcnn_sumcheck_test::as_bytes("model A"));
  const auto proof = sc::prove<F>(g, claimed_sum, prover_transcript).proof;

  const auto discharge = [&](Sha256Transcript& verifier_transcript) -> zkcnn::Status {
    auto subclaim = sc::verify<F>(claimed_sum, n, d, proof, verifier_transcript);
    if (!subclaim) return subclaim.error();
    return sc::check_subclaim<F>(*subclaim, evaluate_instance(g, subclaim->point));
  };

  {  // Same history: accepted, and both transcripts end in the same state.
    Sha256Transcript t(test_domain);
    t.absorb_bytes("statement", zkcnn_sumcheck_test::as_bytes("model A"));
    CHECK(discharge(t).has_value());
    CHECK(t.state_digest() == prover_transcript.state_digest());
  }
  {  // Another domain separator.
    Sha256Transcript t("zkcnn sumcheck test v2");
    t.absorb_bytes("statement", zkcnn_sumcheck_test::as_bytes("model A"));
    CHECK_FALSE(discharge(t).has_value());
  }
  {  // Another statement absorbed before.
    Sha256Transcript t(test_domain);
    t.absorb_bytes("statement", zkcnn_sumcheck_test::as_bytes("model B"));
    CHECK_FALSE(discharge(t).has_value());
  }
  {  // The statement left out (the "Frozen Heart" pitfall).
    Sha256Transcript t(test_domain);
    CHECK_FALSE(discharge(t).has_value());
  }
  {  // A challenge drawn before the sumcheck on the verifier side only.
    Sha256Transcript t(test_domain);
    t.absorb_bytes("statement", zkcnn_sumcheck_test::as_bytes("model A"));
    (void)t.challenge<F>("extra");
    CHECK_FALSE(discharge(t).has_value());
  }
}

TEMPLATE_TEST_CASE("sumcheck soundness: the claimed sum is bound before the first challenge (Frozen Heart)",
                   "[sumcheck][soundness][transcript]", zkcnn::bn254::Fr, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x73756d38);
  constexpr std::size_t n = 4;
  const auto g = random_instance<F>(rng, n, {16, 16}, {{0, 1}, {1}});
  const std::size_t d = g.shape().degree();
  const F true_sum = g.sum_over_hypercube();
  const auto proof = prove_honestly(g).proof;

  // Different claims lead to different challenges.
  {
    Sha256Transcript a(test_domain), b(test_domain);
    const auto pa = sc::prove<F>(g, true_sum, a).point;
    const auto pb = sc::prove<F>(g, true_sum + F::one(), b).point;
    CHECK(pa != pb);
    CHECK(a.state_digest() != b.state_digest());
  }

  // The attack that works when the claim is not absorbed: with challenges independent of the
  // claim, the final expected value is affine in the claim, e(H) = e(0) + H (e(1) - e(0)), so
  // solving e(H) = g(r) for H forges a proof of a false sum. Bound claims defeat it.
  auto at_zero = verify_fresh<F>(F::zero(), n, d, proof);
  auto at_one = verify_fresh<F>(F::one(), n, d, proof);
  REQUIRE(at_zero.has_value());
  REQUIRE(at_one.has_value());
  CHECK(at_zero->point != at_one->point);
  const F slope = at_one->expected_value - at_zero->expected_value;
  REQUIRE_FALSE(slope.is_zero());
  const F forged = (evaluate_instance(g, at_zero->point) - at_zero->expected_value) * *slope.inverse();
  REQUIRE(forged != true_sum);
  CHECK_FALSE(verify_and_discharge(g, forged, proof).has_value());
}

// --- masked sumchecks (sumcheck/masking.hpp) -----------------------------------------------
// The zero-knowledge engine proves sum_x g(x) + u(x) where u(x) = sum_i u_i(x_i) and each
// masked factor f_k is replaced by f_k + S_k Z(x), Z(x) = prod_j x_j (1 - x_j). Everything is
// checked against definitions computed here by brute force from the tables.

namespace {

/// A polynomial given by its coefficients (constant first), by its definition.
template <class F>
F polynomial_at(const std::vector<F>& coefficients, const F& x) {
  F value = F::zero();
  F power = F::one();
  for (const F& c : coefficients) {
    value += c * power;
    power *= x;
  }
  return value;
}

/// u(point) = sum_i u_i(point_i).
template <class F>
F naive_additive(const std::vector<std::vector<F>>& additive, std::span<const F> point) {
  F value = F::zero();
  for (std::size_t i = 0; i < additive.size(); ++i) value += polynomial_at(additive[i], point[i]);
  return value;
}

template <class F>
F naive_vanishing(std::span<const F> point) {
  F value = F::one();
  for (const F& x : point) value *= x - x * x;
  return value;
}

/// Each factor's value at `point`: its MLE, plus S_k Z(point) when it is masked.
template <class F>
std::vector<F> masked_factor_values(const sc::SumOfProducts<F>& g, const sc::Masking<F>& masking,
                                    std::span<const F> point) {
  const F z = naive_vanishing(point);
  std::vector<F> values;
  for (std::size_t k = 0; k < g.factors().size(); ++k) {
    F value = zkcnn::evaluate_multilinear<F>(g.factors()[k], point);
    if (!masking.masked.empty() && masking.masked[k]) value += masking.factor_masks[k] * z;
    values.push_back(value);
  }
  return values;
}

/// The polynomial the masked sumcheck runs on, at any point:
/// sum_t c_t prod_k (f_k(x) + S_k Z(x)) + u(x).
template <class F>
F masked_polynomial(const sc::SumOfProducts<F>& g, const sc::Masking<F>& masking, std::span<const F> point) {
  return g.shape().combine(masked_factor_values(g, masking, point)) + naive_additive(masking.additive, point);
}

/// The last round's exact degree from its definition: a term with m factors, j of them masked
/// (counted with multiplicity), has degree m + j in the last variable (Z contributes
/// x_n (1 - x_n) to each masked factor); the other rounds keep the shape's degree.
template <class F>
std::size_t exact_last_degree(const sc::SumOfProductsShape<F>& shape, const std::vector<bool>& masked) {
  std::size_t degree = shape.degree();
  for (const auto& term : shape.terms()) {
    std::size_t d = 0;
    for (std::size_t f : term.factors) d += (!masked.empty() && masked[f]) ? 2 : 1;
    degree = std::max(degree, d);
  }
  return degree;
}

enum class MaskKind { additive, factors, both, both_raised };

template <class F>
struct MaskedInstance {
  sc::SumOfProducts<F> g;
  sc::Masking<F> masking;
  std::size_t degree;       // every round but the last
  std::size_t last_degree;  // what the verifier must be told
};

/// A random g in n >= 1 variables (1-4 factors, 1-3 terms of degree 1-3, factors may repeat,
/// tables of random lengths up to 2^n), with a random masking of the given kind: u_i of random
/// degree up to its round's degree, constant terms included; random flags and S_k.
template <class F>
MaskedInstance<F> random_masked_instance(zkcnn::testing::DeterministicRng& rng, std::size_t n, MaskKind kind) {
  auto uniform = [&](std::size_t lo, std::size_t hi) { return std::uniform_int_distribution<std::size_t>(lo, hi)(rng); };
  const std::size_t full = std::size_t{1} << n;
  const std::size_t factor_count = uniform(1, 4);
  std::vector<std::size_t> lengths;
  for (std::size_t k = 0; k < factor_count; ++k) lengths.push_back(uniform(0, 1) == 0 ? full : uniform(0, full));
  std::vector<std::vector<std::size_t>> terms(uniform(1, 3));
  for (auto& term : terms) {
    term.resize(uniform(1, 3));
    for (auto& f : term) f = uniform(0, factor_count - 1);
  }
  auto g = random_instance<F>(rng, n, lengths, terms);

  sc::Masking<F> masking;
  if (kind != MaskKind::additive) {
    masking.masked.resize(factor_count);
    masking.factor_masks.assign(factor_count, F::zero());
    for (std::size_t k = 0; k < factor_count; ++k) {
      masking.masked[k] = uniform(0, 2) != 0;
      if (masking.masked[k]) masking.factor_masks[k] = F::random(rng);
    }
  }
  const std::size_t degree = g.shape().degree();
  std::size_t last_degree = exact_last_degree(g.shape(), masking.masked);
  if (kind == MaskKind::both_raised) {
    last_degree += uniform(1, 2);
    masking.last_degree = last_degree;
  }
  if (kind != MaskKind::factors) {
    masking.additive.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t round_degree = i + 1 == n ? last_degree : degree;
      masking.additive[i] = zkcnn_sumcheck_test::random_vector<F>(rng, uniform(0, round_degree) + 1);
    }
  }
  return {std::move(g), std::move(masking), degree, last_degree};
}

template <class F>
F brute_force_additive_sum(const std::vector<std::vector<F>>& additive, std::size_t n) {
  F total = F::zero();
  for (std::size_t x = 0; x < (std::size_t{1} << n); ++x) {
    const auto point = hypercube_point<F>(x, n);
    total += naive_additive<F>(additive, point);
  }
  return total;
}

/// Completeness of one masked instance, against brute force: the sum, the round messages, the
/// final point's value, the factor values and u(r).
template <class F>
void check_masked_completeness(const MaskedInstance<F>& instance) {
  const auto& g = instance.g;
  const auto& masking = instance.masking;
  const std::size_t n = g.shape().num_vars();

  // The masked factors do not change the sum: every hypercube point has Z = 0.
  const F plain_sum = naive_hypercube_sum(g);
  const F additive_sum = brute_force_additive_sum(masking.additive, n);
  CHECK(sc::additive_sum(masking.additive) == additive_sum);
  const F claimed_sum = plain_sum + additive_sum;
  {
    F masked_sum = F::zero();
    for (std::size_t x = 0; x < (std::size_t{1} << n); ++x) {
      const auto point = hypercube_point<F>(x, n);
      masked_sum += masked_polynomial<F>(g, masking, point);
    }
    CHECK(masked_sum == claimed_sum);
  }
  CHECK(sc::last_round_degree(g.shape(), masking.masked) == exact_last_degree(g.shape(), masking.masked));

  Sha256Transcript prover_transcript(test_domain);
  const auto out = sc::prove<F>(g, claimed_sum, prover_transcript, masking);
  REQUIRE(out.proof.round_messages.size() == n);
  for (std::size_t round = 0; round < n; ++round) {
    CAPTURE(round);
    CHECK(out.proof.round_messages[round].size() == (round + 1 == n ? instance.last_degree : instance.degree));
  }

  // (a) the plain verifier, told the per-round degrees, accepts.
  Sha256Transcript verifier_transcript(test_domain);
  auto subclaim =
      sc::verify<F>(claimed_sum, n, instance.degree, instance.last_degree, out.proof, verifier_transcript);
  REQUIRE(subclaim.has_value());
  CHECK(subclaim->point == out.point);
  CHECK(prover_transcript.state_digest() == verifier_transcript.state_digest());

  // (b) the final value is the masked polynomial at the point, computed from the tables; the
  // prover's factor values and u(r) are the definitions' values.
  const std::span<const F> r(subclaim->point);
  const F expected = masked_polynomial<F>(g, masking, r);
  CHECK(subclaim->expected_value == expected);
  CHECK(sc::check_subclaim<F>(*subclaim, expected).has_value());
  const auto factor_values = masked_factor_values<F>(g, masking, r);
  REQUIRE(out.factor_values.size() == factor_values.size());
  for (std::size_t k = 0; k < factor_values.size(); ++k) {
    CAPTURE(k);
    CHECK(out.factor_values[k] == factor_values[k]);
  }
  CHECK(out.additive_value == naive_additive<F>(masking.additive, r));
  CHECK(out.additive_value == sc::additive_value(masking.additive, r));
  CHECK(g.shape().combine(out.factor_values) + out.additive_value == subclaim->expected_value);

  // Every round message is the restricted sum of the masked polynomial at 0, 2, ..., degree.
  F running = claimed_sum;
  for (std::size_t round = 0; round < n; ++round) {
    CAPTURE(round);
    const std::size_t rest = n - round - 1;
    const auto restricted = [&](const F& t) {
      F total = F::zero();
      for (std::size_t x = 0; x < (std::size_t{1} << rest); ++x) {
        std::vector<F> point(out.point.begin(), out.point.begin() + static_cast<std::ptrdiff_t>(round));
        point.push_back(t);
        const auto tail = hypercube_point<F>(x, rest);
        point.insert(point.end(), tail.begin(), tail.end());
        total += masked_polynomial<F>(g, masking, point);
      }
      return total;
    };
    const auto& message = out.proof.round_messages[round];
    CHECK(message[0] == restricted(F::zero()));
    CHECK(message[0] + restricted(F::one()) == running);
    for (std::size_t t = 2; t <= message.size(); ++t) CHECK(message[t - 1] == restricted(F::from_u64(t)));
    running = restricted(out.point[round]);
  }
  CHECK(running == expected);

  // (d) soundness: a wrong claimed sum, checked against the honest proof or proven by the
  // prover itself, fails the final check; so does any tampered round value.
  const F wrong_sum = claimed_sum + F::one();
  {
    Sha256Transcript t(test_domain);
    auto wrong = sc::verify<F>(wrong_sum, n, instance.degree, instance.last_degree, out.proof, t);
    REQUIRE(wrong.has_value());
    CHECK_FALSE(sc::check_subclaim<F>(*wrong, masked_polynomial<F>(g, masking, wrong->point)).has_value());
  }
  {
    Sha256Transcript pt(test_domain);
    const auto lying = sc::prove<F>(g, wrong_sum, pt, masking);
    Sha256Transcript t(test_domain);
    auto wrong = sc::verify<F>(wrong_sum, n, instance.degree, instance.last_degree, lying.proof, t);
    REQUIRE(wrong.has_value());
    CHECK_FALSE(sc::check_subclaim<F>(*wrong, masked_polynomial<F>(g, masking, wrong->point)).has_value());
  }
  for (std::size_t round = 0; round < n; ++round) {
    for (std::size_t i = 0; i < out.proof.round_messages[round].size(); ++i) {
      CAPTURE(round, i);
      auto tampered = out.proof;
      tampered.round_messages[round][i] += F::one();
      Sha256Transcript t(test_domain);
      auto result = sc::verify<F>(claimed_sum, n, instance.degree, instance.last_degree, tampered, t);
      REQUIRE(result.has_value());
      CHECK_FALSE(sc::check_subclaim<F>(*result, masked_polynomial<F>(g, masking, result->point)).has_value());
    }
  }
  // The verifier must be told the last round's degree: any other is malformed.
  for (const std::size_t other : {instance.last_degree - 1, instance.last_degree + 1}) {
    if (other < instance.degree || other == instance.last_degree) continue;
    Sha256Transcript t(test_domain);
    auto result = sc::verify<F>(claimed_sum, n, instance.degree, other, out.proof, t);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == Errc::malformed_proof);
  }
}

}  // namespace

TEMPLATE_TEST_CASE("masked sumcheck: completeness and soundness against brute force", "[sumcheck][masking]",
                   zkcnn::bn254::Fr, zkcnn::Goldilocks, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x6d61736b);
  for (std::size_t n = 1; n <= 5; ++n) {
    for (const MaskKind kind : {MaskKind::additive, MaskKind::factors, MaskKind::both, MaskKind::both_raised}) {
      for (int repeat = 0; repeat < 3; ++repeat) {
        CAPTURE(n, static_cast<int>(kind), repeat);
        check_masked_completeness(random_masked_instance<F>(rng, n, kind));
      }
    }
  }
}

TEMPLATE_TEST_CASE("masked sumcheck: a raised last degree (last_degree override) still verifies",
                   "[sumcheck][masking]", zkcnn::bn254::Fr, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x72616973);
  for (std::size_t n = 1; n <= 4; ++n) {
    const std::size_t full = std::size_t{1} << n;
    // f0 * f1 + f2, f1 masked: exact last degree 3.
    auto g = random_instance<F>(rng, n, {full, full, full - 1}, {{0, 1}, {2}});
    sc::Masking<F> exact;
    exact.masked = {false, true, false};
    exact.factor_masks = {F::zero(), F::random(rng), F::zero()};
    REQUIRE(sc::last_round_degree(g.shape(), exact.masked) == 3);
    // The override only raises: one below the exact degree is ignored.
    for (const std::size_t override_degree : {std::size_t{0}, std::size_t{2}, std::size_t{3}, std::size_t{4}, std::size_t{7}}) {
      CAPTURE(n, override_degree);
      auto masking = exact;
      masking.last_degree = override_degree;
      const std::size_t last = std::max<std::size_t>(3, override_degree);
      // Only the override, without any mask at all, also raises the last round.
      for (const bool masks_nothing : {false, true}) {
        auto m = masks_nothing ? sc::Masking<F>{} : masking;
        if (masks_nothing) m.last_degree = override_degree;
        const std::size_t expected_last = masks_nothing ? std::max<std::size_t>(2, override_degree) : last;
        const F sum = g.sum_over_hypercube();
        Sha256Transcript pt(test_domain);
        const auto out = sc::prove<F>(g, sum, pt, m);
        REQUIRE(out.proof.round_messages.back().size() == expected_last);
        Sha256Transcript vt(test_domain);
        auto subclaim = sc::verify<F>(sum, n, 2, expected_last, out.proof, vt);
        REQUIRE(subclaim.has_value());
        CHECK(subclaim->expected_value == masked_polynomial<F>(g, m, subclaim->point));
        CHECK(subclaim->expected_value == g.shape().combine(out.factor_values));
      }
    }
  }
}

TEST_CASE("masked sumcheck: the prover rejects a masking of the wrong shape", "[sumcheck][masking]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x73686170);
  const auto g = random_instance<F>(rng, 3, {8, 8}, {{0, 1}});
  const auto prove = [&](const sc::SumOfProducts<F>& instance, const sc::Masking<F>& masking) {
    Sha256Transcript t(test_domain);
    return sc::prove<F>(instance, instance.sum_over_hypercube(), t, masking);
  };
  sc::Masking<F> wrong_additive;
  wrong_additive.additive.assign(2, {F::one()});
  CHECK_THROWS_AS(prove(g, wrong_additive), std::invalid_argument);
  sc::Masking<F> wrong_flags;
  wrong_flags.masked = {true};
  wrong_flags.factor_masks = {F::one()};
  CHECK_THROWS_AS(prove(g, wrong_flags), std::invalid_argument);
  sc::Masking<F> wrong_masks;
  wrong_masks.masked = {true, false};
  wrong_masks.factor_masks = {F::one()};
  CHECK_THROWS_AS(prove(g, wrong_masks), std::invalid_argument);
  // A sum without variables has nowhere to put a mask (the GKR step lifts it first).
  const auto constant = random_instance<F>(rng, 0, {1}, {{0}});
  sc::Masking<F> additive_zero;
  additive_zero.masked = {true};
  additive_zero.factor_masks = {F::one()};
  CHECK_THROWS_AS(prove(constant, additive_zero), std::invalid_argument);
  sc::Masking<F> good;
  good.masked = {true, false};
  good.factor_masks = {F::one(), F::zero()};
  good.additive.assign(3, {F::one(), F::one()});
  CHECK_NOTHROW(prove(g, good));
}

// A sum over (x, j) of E(x) [j = 0] A(x) + W(j) G(x) d(x, j), the shape of max pooling's entry
// sumcheck: proven on stand-ins of x alone (E, A, G, D = sum_j W(j) d(x, j)) and switched to
// the restricted tables after the x rounds, it must be the proof of the full tables, with and
// without masks.
TEST_CASE("sumcheck: a table switch proves what the full tables prove", "[sumcheck][masking]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x73776974);
  for (std::size_t x_vars = 1; x_vars <= 3; ++x_vars) {
    for (std::size_t row_vars = 1; row_vars <= 2; ++row_vars) {
      const std::size_t length = std::size_t{1} << x_vars, rows = std::size_t{1} << row_vars;
      const std::size_t n = x_vars + row_vars;
      const auto e = zkcnn_sumcheck_test::random_vector<F>(rng, length);
      const auto a = zkcnn_sumcheck_test::random_vector<F>(rng, length - 1);  // shorter than its rows
      const auto gx = zkcnn_sumcheck_test::random_vector<F>(rng, length);
      const auto w = zkcnn_sumcheck_test::random_vector<F>(rng, rows);
      const auto d = zkcnn_sumcheck_test::random_vector<F>(rng, rows * length);
      std::vector<F> lifted(rows * length, F::zero()), weighted(rows * length), summed(length, F::zero());
      for (std::size_t j = 0; j < rows; ++j) {
        for (std::size_t x = 0; x < length; ++x) {
          if (x < a.size()) lifted[j * length + x] = a[x];
          weighted[j * length + x] = w[j] * gx[x];
          summed[x] += w[j] * d[j * length + x];
        }
      }
      const std::vector<sc::Term<F>> terms{{F::one(), {0, 1}}, {F::one(), {2, 3}}};
      const sc::SumOfProducts<F> full(n, {e, lifted, weighted, d}, terms);
      sc::TableSwitch<F> to_rows{x_vars, [&](std::vector<std::vector<F>> bound, std::span<const F> s_x) {
        std::vector<std::vector<F>> restricted{{bound[0][0]}, std::vector<F>(rows, bound[1][0]), {}, {}};
        for (std::size_t j = 0; j < rows; ++j) {
          restricted[2].push_back(w[j] * bound[2][0]);
          restricted[3].push_back(zkcnn::evaluate_multilinear(std::span<const F>(d).subspan(j * length, length), s_x));
        }
        return restricted;
      }};
      for (const MaskKind kind : {MaskKind::additive, MaskKind::factors, MaskKind::both, MaskKind::both_raised}) {
        for (const bool masked : {false, true}) {
          auto instance = random_masked_instance<F>(rng, n, kind);  // for its masking only
          sc::Masking<F> masking = masked ? instance.masking : sc::Masking<F>{};
          if (!masking.masked.empty()) {
            masking.masked.resize(4, true);
            masking.factor_masks.resize(4, F::from_u64(7));
          }
          if (!masking.additive.empty()) masking.additive.resize(n, {F::one()});
          CAPTURE(x_vars, row_vars, masked, static_cast<int>(kind));
          Sha256Transcript expected_transcript(test_domain), switched_transcript(test_domain);
          const F sum = full.sum_over_hypercube();
          const auto expected = sc::prove<F>(full, sum, expected_transcript, masking);
          const auto switched = sc::prove<F>(sc::SumOfProducts<F>(n, {e, a, gx, summed}, terms), sum, switched_transcript,
                                             masking, &to_rows);
          CHECK(switched.proof == expected.proof);
          CHECK(switched.point == expected.point);
          CHECK(switched.factor_values == expected.factor_values);
          CHECK(switched.additive_value == expected.additive_value);
        }
      }
      sc::TableSwitch<F> too_late{n, to_rows.restrict};
      Sha256Transcript t(test_domain);
      CHECK_THROWS_AS(sc::prove<F>(full, F::zero(), t, {}, &too_late), std::invalid_argument);
    }
  }
}
