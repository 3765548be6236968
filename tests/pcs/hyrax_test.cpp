// Hyrax commitments to multilinear polynomials (docs/protocol.md section 7): completeness over
// sizes, matrix shapes, short tables and public or hidden values; soundness against a wrong
// value, point, commitment, commitment shape, blinding, transcript and every tampered proof
// element; transcript agreement between prover and verifier; hiding; prover preconditions.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/random/os_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>

#include "pcs/pcs_test_support.hpp"

namespace {

using zkcnn::Errc;
using zkcnn::Hyrax;
using zkcnn::HyraxCommitment;
using zkcnn::HyraxEvaluationProof;
using zkcnn::scalar_of;
using zkcnn::Sha256Transcript;
using zkcnn::Status;
using namespace zkcnn::pcs_testing;

// Proofs that lambdas capture are not structured bindings: clang before 16 rejects capturing
// those.

/// Commits, proves and verifies one instance both ways (public and hidden value).
template <class G>
void check_complete(std::size_t num_vars, std::optional<std::size_t> column_vars, std::size_t length,
                    zkcnn::testing::DeterministicRng& rng) {
  using F = scalar_of<G>;
  CAPTURE(num_vars, column_vars.value_or(99), length);
  const auto instance = make_instance<G>(num_vars, rng, column_vars, length);
  const std::size_t b = column_vars.value_or(Hyrax<G>::balanced_column_vars(num_vars));
  REQUIRE(instance.commitment.num_vars == num_vars);
  REQUIRE(instance.commitment.column_vars == b);
  REQUIRE(instance.commitment.rows.size() == (std::size_t{1} << (num_vars - b)));
  REQUIRE(instance.opening.row_blinds.size() == instance.commitment.rows.size());

  const auto proof = prove_public(instance, rng);
  CHECK_FALSE(proof.value_commitment.has_value());
  CHECK(proof.inner_product.left.size() == b);
  CHECK(verify_public(instance.commitment, instance.point, instance.value, proof));

  const auto hidden_and_tau = prove_hidden(instance, rng);
  const auto& [hidden, tau] = hidden_and_tau;
  REQUIRE(hidden.value_commitment.has_value());
  const auto& key = hyrax_key<G>().key();
  CHECK(*hidden.value_commitment == key.value_generator() * instance.value + key.blinding_generator() * tau);
  CHECK(verify_hidden(instance.commitment, instance.point, hidden));

  // A point on the hypercube: the value is the table entry (or an implicit zero).
  if (num_vars > 0) {
    const std::size_t index = (7 * length + 3) % (std::size_t{1} << num_vars);
    std::vector<F> corner(num_vars);
    for (std::size_t k = 0; k < num_vars; ++k) corner[k] = ((index >> k) & 1) != 0 ? F::one() : F::zero();
    const F value = index < length ? instance.evaluations[index] : F::zero();
    auto at_corner = instance;
    at_corner.point = corner;
    at_corner.value = value;
    CHECK(verify_public(instance.commitment, corner, value, prove_public(at_corner, rng)));
  }
}

void expect_failure(const Status& status, Errc code) {
  REQUIRE_FALSE(status);
  CHECK(status.error().code == code);
}

}  // namespace

TEMPLATE_TEST_CASE("Hyrax: completeness over sizes and shapes", "[pcs][hyrax]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  zkcnn::testing::DeterministicRng rng(0x48595241582d3031ull);
  for (std::size_t num_vars : {0, 1, 2, 5, 8}) {
    const std::size_t full = std::size_t{1} << num_vars;
    check_complete<G>(num_vars, std::nullopt, full, rng);
    for (std::size_t b = 0; b <= num_vars; ++b) check_complete<G>(num_vars, b, full, rng);
  }
}

TEST_CASE("Hyrax: completeness at 11 variables", "[pcs][hyrax]") {
  using G = zkcnn::bn254::G1;
  zkcnn::testing::DeterministicRng rng(0x48595241582d3131ull);
  const std::size_t full = std::size_t{1} << 11;
  check_complete<G>(11, std::nullopt, full, rng);
  check_complete<G>(11, 0, full, rng);
  check_complete<G>(11, 11, full, rng);
  check_complete<G>(11, 3, full - 100, rng);
}

TEMPLATE_TEST_CASE("Hyrax: tables shorter than 2^n are zero-padded", "[pcs][hyrax]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  zkcnn::testing::DeterministicRng rng(0x48595241582d7368ull);
  for (std::size_t num_vars : {1, 2, 5, 6}) {
    const std::size_t full = std::size_t{1} << num_vars;
    for (std::size_t length : {std::size_t{0}, std::size_t{1}, full / 2 + 1, full - 1}) {
      if (length > full) continue;
      check_complete<G>(num_vars, std::nullopt, length, rng);
      check_complete<G>(num_vars, 0, length, rng);
      check_complete<G>(num_vars, num_vars, length, rng);
    }
  }
  // Zero-padded rows are commitments to zero vectors: an empty table commits to rho_r H.
  const auto instance = make_instance<G>(4, rng, 2, 0);
  for (std::size_t r = 0; r < instance.commitment.rows.size(); ++r) {
    CHECK(instance.commitment.rows[r] == hyrax_key<G>().key().blinding_generator() * instance.opening.row_blinds[r]);
  }
}

TEMPLATE_TEST_CASE("Hyrax: the commitment is the row-wise Pedersen commitment", "[pcs][hyrax]",
                   ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x48595241582d726full);
  const auto instance = make_instance<G>(5, rng, 3);
  const auto& key = hyrax_key<G>().key();
  for (std::size_t r = 0; r < 4; ++r) {
    const auto row = std::span<const F>(instance.evaluations).subspan(8 * r, 8);
    CHECK(instance.commitment.rows[r] == key.commit(row, instance.opening.row_blinds[r]));
  }
}

TEMPLATE_TEST_CASE("Hyrax: wrong statements are rejected", "[pcs][hyrax]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x48595241582d7772ull);
  const auto instance = make_instance<G>(6, rng, 2);
  const auto proof = prove_public(instance, rng);
  const auto hidden_and_tau = prove_hidden(instance, rng);
  const auto& hidden = hidden_and_tau.first;
  REQUIRE(verify_public(instance.commitment, instance.point, instance.value, proof));
  REQUIRE(verify_hidden(instance.commitment, instance.point, hidden));

  SECTION("wrong value") {
    expect_failure(verify_public(instance.commitment, instance.point, instance.value + F::one(), proof),
                   Errc::verification_failed);
    expect_failure(verify_public(instance.commitment, instance.point, F::zero(), proof), Errc::verification_failed);
    // The prover asked to prove a wrong value makes a proof that does not verify.
    auto lying = instance;
    lying.value += F::one();
    expect_failure(verify_public(instance.commitment, instance.point, lying.value, prove_public(lying, rng)),
                   Errc::verification_failed);
    auto [lying_hidden, lying_tau] = prove_hidden(lying, rng);
    expect_failure(verify_hidden(instance.commitment, instance.point, lying_hidden), Errc::verification_failed);
  }
  SECTION("wrong point, each coordinate") {
    for (std::size_t k = 0; k < instance.point.size(); ++k) {
      CAPTURE(k);
      auto point = instance.point;
      point[k] += F::one();
      expect_failure(verify_public(instance.commitment, point, instance.value, proof), Errc::verification_failed);
      expect_failure(verify_hidden(instance.commitment, point, hidden), Errc::verification_failed);
    }
    // Wrong dimension.
    auto longer = instance.point;
    longer.push_back(F::zero());
    expect_failure(verify_public(instance.commitment, longer, instance.value, proof), Errc::invalid_argument);
    auto shorter = instance.point;
    shorter.pop_back();
    expect_failure(verify_public(instance.commitment, shorter, instance.value, proof), Errc::invalid_argument);
  }
  SECTION("a commitment to another polynomial of the same shape") {
    const auto other = make_instance<G>(6, rng, 2);
    expect_failure(verify_public(other.commitment, instance.point, instance.value, proof), Errc::verification_failed);
    expect_failure(verify_hidden(other.commitment, instance.point, hidden), Errc::verification_failed);
    // Same polynomial, committed afresh (other blinds).
    auto [commitment, opening] =
        hyrax_key<G>().commit(std::span<const F>(instance.evaluations), 6, rng, std::size_t{2});
    expect_failure(verify_public(commitment, instance.point, instance.value, proof), Errc::verification_failed);
  }
  SECTION("each row of the commitment changed") {
    for (std::size_t r = 0; r < instance.commitment.rows.size(); ++r) {
      CAPTURE(r);
      auto commitment = instance.commitment;
      commitment.rows[r] = other_point(commitment.rows[r]);
      expect_failure(verify_public(commitment, instance.point, instance.value, proof), Errc::verification_failed);
      expect_failure(verify_hidden(commitment, instance.point, hidden), Errc::verification_failed);
      // Moving the row along H (a change of blinding only) is also caught.
      commitment.rows[r] = instance.commitment.rows[r] + hyrax_key<G>().key().blinding_generator();
      expect_failure(verify_public(commitment, instance.point, instance.value, proof), Errc::verification_failed);
    }
    // Rows swapped.
    auto swapped = instance.commitment;
    std::swap(swapped.rows[0], swapped.rows[1]);
    expect_failure(verify_public(swapped, instance.point, instance.value, proof), Errc::verification_failed);
  }
  SECTION("a row shifted along U does not pay for a wrong value") {
    // A committer who puts e U into row 0 with L_0 e = v - v' would make
    // sum_r L_r C_r + v' U equal to the honest statement sum_r L_r C_r + v U; the value
    // challenge x (P = sum_r L_r C_r + x v' U) breaks this unless x = 1.
    const F wrong_value = instance.value + F::from_u64(5);
    const auto row_weights = zkcnn::eq_table<F>(std::span<const F>(instance.point).subspan(2));
    const F e = (instance.value - wrong_value) * *row_weights[0].inverse();
    auto shifted = instance;
    shifted.commitment.rows[0] = shifted.commitment.rows[0] + hyrax_key<G>().key().value_generator() * e;
    shifted.value = wrong_value;
    expect_failure(verify_public(shifted.commitment, instance.point, wrong_value, prove_public(shifted, rng)),
                   Errc::verification_failed);
    auto [shifted_hidden, shifted_tau] = prove_hidden(shifted, rng);
    expect_failure(verify_hidden(shifted.commitment, instance.point, shifted_hidden), Errc::verification_failed);
  }
  SECTION("the wrong blinding in the opening") {
    auto wrong = instance;
    wrong.opening.row_blinds[0] += F::one();
    expect_failure(verify_public(instance.commitment, instance.point, instance.value, prove_public(wrong, rng)),
                   Errc::verification_failed);
    auto [wrong_hidden, wrong_tau] = prove_hidden(wrong, rng);
    expect_failure(verify_hidden(instance.commitment, instance.point, wrong_hidden), Errc::verification_failed);
  }
  SECTION("a public-value proof checked as hidden and vice versa") {
    expect_failure(verify_hidden(instance.commitment, instance.point, proof), Errc::malformed_proof);
    expect_failure(verify_public(instance.commitment, instance.point, instance.value, hidden), Errc::malformed_proof);
    // Stripping the value commitment off a hidden proof does not make it a public one.
    auto stripped = hidden;
    stripped.value_commitment.reset();
    expect_failure(verify_public(instance.commitment, instance.point, instance.value, stripped),
                   Errc::verification_failed);
    // Attaching V = v U (tau = 0) to a public proof does not make it a hidden one.
    auto attached = proof;
    attached.value_commitment = hyrax_key<G>().key().value_generator() * instance.value;
    expect_failure(verify_hidden(instance.commitment, instance.point, attached), Errc::verification_failed);
  }
  SECTION("a different transcript") {
    const auto& key = hyrax_key<G>();
    {
      Sha256Transcript transcript("another domain");
      Hyrax<G>::absorb_commitment(transcript, instance.commitment);
      expect_failure(key.verify(instance.commitment, std::span<const F>(instance.point), instance.value, proof,
                                transcript),
                     Errc::verification_failed);
    }
    {
      Sha256Transcript transcript("another domain");
      Hyrax<G>::absorb_commitment(transcript, instance.commitment);
      expect_failure(key.verify_hidden(instance.commitment, std::span<const F>(instance.point), hidden, transcript),
                     Errc::verification_failed);
    }
    {  // The commitment not absorbed by the verifier.
      auto transcript = fresh_transcript();
      expect_failure(key.verify(instance.commitment, std::span<const F>(instance.point), instance.value, proof,
                                transcript),
                     Errc::verification_failed);
    }
    {  // Something extra absorbed.
      auto transcript = fresh_transcript();
      Hyrax<G>::absorb_commitment(transcript, instance.commitment);
      transcript.absorb_u64("extra", 0);
      expect_failure(key.verify(instance.commitment, std::span<const F>(instance.point), instance.value, proof,
                                transcript),
                     Errc::verification_failed);
    }
    {  // A key from another domain (other generators).
      const Hyrax<G> other_key("another key domain", 3);
      auto transcript = fresh_transcript();
      Hyrax<G>::absorb_commitment(transcript, instance.commitment);
      expect_failure(other_key.verify(instance.commitment, std::span<const F>(instance.point), instance.value, proof,
                                      transcript),
                     Errc::verification_failed);
    }
  }
}

TEMPLATE_TEST_CASE("Hyrax: every tampered proof element is rejected", "[pcs][hyrax]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x48595241582d7470ull);
  const auto instance = make_instance<G>(5, rng);  // 3 column variables: 3 rounds
  const auto proof = prove_public(instance, rng);
  const auto hidden_and_tau = prove_hidden(instance, rng);
  const auto& hidden = hidden_and_tau.first;
  REQUIRE(proof.inner_product.left.size() == 3);

  auto check_both = [&](auto&& tamper) {
    auto p = proof;
    tamper(p.inner_product);
    expect_failure(verify_public(instance.commitment, instance.point, instance.value, p), Errc::verification_failed);
    auto h = hidden;
    tamper(h.inner_product);
    expect_failure(verify_hidden(instance.commitment, instance.point, h), Errc::verification_failed);
  };
  for (std::size_t j = 0; j < 3; ++j) {
    CAPTURE(j);
    check_both([j](auto& ipa) { ipa.left[j] = other_point(ipa.left[j]); });
    check_both([j](auto& ipa) { ipa.right[j] = other_point(ipa.right[j]); });
    check_both([j](auto& ipa) { ipa.left[j] = G::identity(); });
  }
  check_both([](auto& ipa) { ipa.schnorr_commitment = other_point(ipa.schnorr_commitment); });
  check_both([](auto& ipa) { ipa.schnorr_commitment = G::identity(); });
  check_both([](auto& ipa) { ipa.opening_response += F::one(); });
  check_both([](auto& ipa) { ipa.blinding_response += F::one(); });
  check_both([](auto& ipa) { ipa.opening_response = F::zero(); });

  // The value commitment.
  {
    auto h = hidden;
    h.value_commitment = other_point(*h.value_commitment);
    expect_failure(verify_hidden(instance.commitment, instance.point, h), Errc::verification_failed);
    h.value_commitment = G::identity();
    expect_failure(verify_hidden(instance.commitment, instance.point, h), Errc::verification_failed);
    // A commitment to another value with the same blind.
    h.value_commitment = *hidden.value_commitment + hyrax_key<G>().key().value_generator();
    expect_failure(verify_hidden(instance.commitment, instance.point, h), Errc::verification_failed);
  }
  // Wrong number of rounds.
  {
    auto p = proof;
    p.inner_product.left.pop_back();
    p.inner_product.right.pop_back();
    expect_failure(verify_public(instance.commitment, instance.point, instance.value, p), Errc::malformed_proof);
    p = proof;
    p.inner_product.left.push_back(G::generator());
    p.inner_product.right.push_back(G::generator());
    expect_failure(verify_public(instance.commitment, instance.point, instance.value, p), Errc::malformed_proof);
  }
  // A proof for another point or another polynomial.
  {
    const auto other = make_instance<G>(5, rng);
    const auto other_proof = prove_public(other, rng);
    expect_failure(verify_public(instance.commitment, instance.point, instance.value, other_proof),
                   Errc::verification_failed);
  }
}

TEMPLATE_TEST_CASE("Hyrax: a commitment with changed shape fields is an error, not a crash", "[pcs][hyrax]",
                   ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x48595241582d7366ull);
  const auto instance = make_instance<G>(6, rng, 2);  // 16 rows of 4
  const auto proof = prove_public(instance, rng);
  const auto hidden_and_tau = prove_hidden(instance, rng);
  const auto& hidden = hidden_and_tau.first;
  auto extended = instance.point;
  extended.push_back(F::random(rng));

  auto reject = [&](const HyraxCommitment<G>& commitment, const std::vector<F>& point) {
    CAPTURE(commitment.num_vars, commitment.column_vars, point.size());
    CHECK_FALSE(verify_public(commitment, point, instance.value, proof));
    CHECK_FALSE(verify_hidden(commitment, point, hidden));
  };
  auto with_shape = [&](std::uint32_t num_vars, std::uint32_t column_vars) {
    auto c = instance.commitment;
    c.num_vars = num_vars;
    c.column_vars = column_vars;
    return c;
  };
  auto point_of = [&](std::size_t n) {
    std::vector<F> p = instance.point;
    p.resize(n, F::one());
    return p;
  };
  // num_vars changed, the point as before: a dimension mismatch.
  expect_failure(verify_public(with_shape(7, 2), instance.point, instance.value, proof), Errc::invalid_argument);
  expect_failure(verify_public(with_shape(5, 2), instance.point, instance.value, proof), Errc::invalid_argument);
  // num_vars changed and a point to match: the row count no longer fits.
  expect_failure(verify_public(with_shape(7, 2), extended, instance.value, proof), Errc::malformed_proof);
  // column_vars changed: the row count no longer fits.
  expect_failure(verify_public(with_shape(6, 3), instance.point, instance.value, proof), Errc::malformed_proof);
  expect_failure(verify_public(with_shape(6, 1), instance.point, instance.value, proof), Errc::malformed_proof);
  // Both changed with the row count kept: well-formed, but the proof does not verify.
  reject(with_shape(7, 3), extended);
  reject(with_shape(5, 1), point_of(5));
  // column_vars beyond num_vars or beyond the key, and absurd sizes.
  reject(with_shape(6, 7), instance.point);
  reject(with_shape(6, 200), instance.point);
  reject(with_shape(60, 56), point_of(60));                        // 16 rows, 2^56 columns
  reject(with_shape(44, 0), point_of(44));                         // 2^44 rows declared
  reject(with_shape(0xffffffffu, 0xffffffffu - 4), point_of(6));   // dimension mismatch first
  reject(with_shape(4 + 64, 64), point_of(68));                    // 16 rows, shift out of range
  reject(with_shape(4 + 0xfffffff0u, 0xfffffff0u), point_of(6));
  // Rows missing or extra.
  {
    auto c = instance.commitment;
    c.rows.pop_back();
    expect_failure(verify_public(c, instance.point, instance.value, proof), Errc::malformed_proof);
    c.rows.clear();
    expect_failure(verify_public(c, instance.point, instance.value, proof), Errc::malformed_proof);
    c = instance.commitment;
    c.rows.push_back(G::generator());
    expect_failure(verify_public(c, instance.point, instance.value, proof), Errc::malformed_proof);
  }
}

TEMPLATE_TEST_CASE("Hyrax: prover and verifier transcripts agree", "[pcs][hyrax]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x48595241582d7473ull);
  const auto& key = hyrax_key<G>();
  const auto instance = make_instance<G>(7, rng);
  for (const bool hide : {false, true}) {
    CAPTURE(hide);
    auto prover = fresh_transcript();
    auto verifier = fresh_transcript();
    Hyrax<G>::absorb_commitment(prover, instance.commitment);
    Hyrax<G>::absorb_commitment(verifier, instance.commitment);
    REQUIRE(prover.state_digest() == verifier.state_digest());
    // Absorbing changes the state, and a different commitment gives a different state.
    CHECK(prover.state_digest() != fresh_transcript().state_digest());
    {
      auto changed = instance.commitment;
      changed.rows.back() = other_point(changed.rows.back());
      auto t = fresh_transcript();
      Hyrax<G>::absorb_commitment(t, changed);
      CHECK(t.state_digest() != prover.state_digest());
      auto reshaped = instance.commitment;
      reshaped.column_vars += 1;
      auto t2 = fresh_transcript();
      Hyrax<G>::absorb_commitment(t2, reshaped);
      CHECK(t2.state_digest() != prover.state_digest());
    }
    if (hide) {
      const auto [proof, tau] = key.prove_hidden(std::span<const F>(instance.evaluations), instance.opening,
                                                 instance.commitment, std::span<const F>(instance.point),
                                                 instance.value, prover, rng);
      REQUIRE(key.verify_hidden(instance.commitment, std::span<const F>(instance.point), proof, verifier));
    } else {
      const auto proof = key.prove(std::span<const F>(instance.evaluations), instance.opening, instance.commitment,
                                   std::span<const F>(instance.point), instance.value, prover, rng);
      REQUIRE(key.verify(instance.commitment, std::span<const F>(instance.point), instance.value, proof, verifier));
    }
    CHECK(prover.state_digest() == verifier.state_digest());
    // Both can go on: their next challenges agree.
    CHECK(prover.template challenge<F>("next") == verifier.template challenge<F>("next"));
  }
}

TEMPLATE_TEST_CASE("Hyrax: commitments hide", "[pcs][hyrax]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x48595241582d6869ull);
  const auto evaluations = random_vector<F>(32, rng);
  const auto& key = hyrax_key<G>();
  const auto [c1, o1] = key.commit(std::span<const F>(evaluations), 5, rng);
  const auto [c2, o2] = key.commit(std::span<const F>(evaluations), 5, rng);
  REQUIRE(c1.rows.size() == c2.rows.size());
  CHECK(c1 != c2);
  for (std::size_t r = 0; r < c1.rows.size(); ++r) CHECK(c1.rows[r] != c2.rows[r]);
  // Even a zero polynomial's rows are not the identity.
  const std::vector<F> zeros(32, F::zero());
  const auto [c0, o0] = key.commit(std::span<const F>(zeros), 5, rng);
  for (const G& row : c0.rows) CHECK_FALSE(row.is_identity());
  // Two hidden-value proofs of the same evaluation differ (fresh tau and round blinds).
  const auto instance = make_instance<G>(4, rng);
  const auto [p1, tau1] = prove_hidden(instance, rng);
  const auto [p2, tau2] = prove_hidden(instance, rng);
  CHECK(tau1 != tau2);
  CHECK(*p1.value_commitment != *p2.value_commitment);
  CHECK(p1.inner_product.left[0] != p2.inner_product.left[0]);
  const auto q1 = prove_public(instance, rng);
  const auto q2 = prove_public(instance, rng);
  CHECK(q1 != q2);
}

TEMPLATE_TEST_CASE("Hyrax: prover preconditions", "[pcs][hyrax]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x48595241582d7072ull);
  const auto& key = hyrax_key<G>();
  const auto evaluations = random_vector<F>(16, rng);
  const std::span<const F> table(evaluations);
  CHECK_THROWS_AS(key.commit(table, 4, rng, std::size_t{5}), std::invalid_argument);  // b > n
  CHECK_THROWS_AS(key.commit(table, 3, rng), std::invalid_argument);                   // table too long
  CHECK_THROWS_AS(key.commit(table, 64, rng), std::invalid_argument);
  CHECK_THROWS_AS(key.commit(table, 20, rng, max_column_vars<G> + 1), std::invalid_argument);  // b > key
  // The default shape is capped by the key.
  {
    const Hyrax<G> small("small key", 2);
    const auto [c, o] = small.commit(table, 6, rng);
    CHECK(c.column_vars == 2);
    CHECK(c.rows.size() == 16);
    CHECK_THROWS_AS(small.commit(table, 6, rng, std::size_t{3}), std::invalid_argument);
  }

  const auto instance = make_instance<G>(4, rng);
  auto transcript = fresh_transcript();
  auto point = instance.point;
  point.pop_back();
  CHECK_THROWS_AS(key.prove(table, instance.opening, instance.commitment, std::span<const F>(point), instance.value,
                            transcript, rng),
                  std::invalid_argument);
  // An opening of another shape.
  auto short_opening = instance.opening;
  short_opening.row_blinds.pop_back();
  CHECK_THROWS_AS(key.prove(table, short_opening, instance.commitment, std::span<const F>(instance.point),
                            instance.value, transcript, rng),
                  std::invalid_argument);
  // A table longer than the commitment's 2^n.
  const auto long_table = random_vector<F>(17, rng);
  CHECK_THROWS_AS(key.prove(std::span<const F>(long_table), instance.opening, instance.commitment,
                            std::span<const F>(instance.point), instance.value, transcript, rng),
                  std::invalid_argument);
  // A commitment whose shape exceeds the key.
  auto reshaped = instance.commitment;
  reshaped.column_vars = 40;
  reshaped.num_vars = 40;
  std::vector<F> point40(40, F::one());
  CHECK_THROWS_AS(key.prove(table, instance.opening, reshaped, std::span<const F>(point40), instance.value,
                            transcript, rng),
                  std::invalid_argument);
}

TEST_CASE("Hyrax: the operating system generator and a one-generator key", "[pcs][hyrax]") {
  using G = zkcnn::bn254::G1;
  using F = scalar_of<G>;
  zkcnn::OsRng os_rng;
  zkcnn::testing::DeterministicRng rng(0x48595241582d6f73ull);
  const auto evaluations = random_vector<F>(8, rng);
  const auto point = random_vector<F>(3, rng);
  const F value = evaluate(evaluations, point);
  for (std::size_t max_b : {0, 1, 3}) {
    CAPTURE(max_b);
    const Hyrax<G> key("one generator", max_b);
    const auto committed = key.commit(std::span<const F>(evaluations), 3, os_rng);
    const auto& commitment = committed.first;
    CHECK(commitment.column_vars == std::min<std::size_t>(max_b, 2));
    auto prover = fresh_transcript();
    Hyrax<G>::absorb_commitment(prover, commitment);
    const auto proof = key.prove(std::span<const F>(evaluations), committed.second, commitment,
                                 std::span<const F>(point), value, prover, os_rng);
    auto verifier = fresh_transcript();
    Hyrax<G>::absorb_commitment(verifier, commitment);
    CHECK(key.verify(commitment, std::span<const F>(point), value, proof, verifier));
    auto verifier2 = fresh_transcript();
    Hyrax<G>::absorb_commitment(verifier2, commitment);
    CHECK_FALSE(key.verify(commitment, std::span<const F>(point), value + F::one(), proof, verifier2));
  }
}
