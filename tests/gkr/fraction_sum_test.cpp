// The sum of fractions by a GKR tree (gkr/fraction_sum.hpp): the root equals the sum computed
// directly, the leaf claims are the leaves' extensions at the final point, the encoding round
// trips and rejects truncation, and every sent element changed is caught (by the verifier or,
// for the root values, by a root or leaf check the caller makes).

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/gkr/fraction_sum.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>
#include <zkcnn/pcs/hyrax_masks.hpp>
#include <zkcnn/zk/masking_transcript.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <span>
#include <vector>

namespace {

zkcnn::Sha256Transcript transcript() {
  return zkcnn::Sha256Transcript("fraction sum test");
}

template <class F>
struct Leaves {
  std::vector<F> p, q;
};

template <class F>
Leaves<F> random_leaves(zkcnn::testing::DeterministicRng& rng, std::size_t num_vars) {
  Leaves<F> leaves;
  for (std::size_t i = 0; i < (std::size_t{1} << num_vars); ++i) {
    leaves.p.push_back(F::random(rng));
    leaves.q.push_back(F::random(rng));
  }
  return leaves;
}

// The claims a verifier accepts, with the leaf claims checked against the true leaves.
template <class F>
bool accepted(const Leaves<F>& leaves, std::size_t num_vars, const zkcnn::gkr::FractionSumProof<F>& proof, const F& root_p,
              const F& root_q) {
  auto t = transcript();
  auto claims = zkcnn::gkr::verify_fraction_sum(num_vars, proof, t);
  if (!claims) return false;
  const std::span<const F> point(claims->point);
  return claims->root_denominator && claims->root_numerator * root_q == root_p * *claims->root_denominator &&
         claims->numerator.value == zkcnn::evaluate_multilinear(std::span<const F>(leaves.p), point) &&
         claims->denominator.value == zkcnn::evaluate_multilinear(std::span<const F>(leaves.q), point);
}

TEMPLATE_TEST_CASE("fraction sum: the tree proves sum p_i / q_i", "[gkr]", zkcnn::bn254::Fr, zkcnn::GoldilocksExt2) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(71);
  const std::size_t num_vars = GENERATE(1, 2, 5, 9);
  const auto leaves = random_leaves<F>(rng, num_vars);
  F sum = F::zero();
  for (std::size_t i = 0; i < leaves.p.size(); ++i) sum += leaves.p[i] * *leaves.q[i].inverse();

  auto t = transcript();
  const auto proven = zkcnn::gkr::prove_fraction_sum(leaves.p, leaves.q, num_vars, t);
  CHECK(proven.claims.root_numerator == sum * *proven.claims.root_denominator);
  CHECK(accepted(leaves, num_vars, proven.proof, sum, F::one()));

  // The verifier's claims are the prover's, and the transcripts end in the same state.
  auto tv = transcript();
  const auto claims = zkcnn::gkr::verify_fraction_sum(num_vars, proven.proof, tv);
  REQUIRE(claims);
  CHECK(claims->point == proven.claims.point);
  CHECK(claims->numerator == proven.claims.numerator);
  CHECK(claims->denominator == proven.claims.denominator);
  CHECK(t.template challenge<F>("after") == tv.template challenge<F>("after"));

  SECTION("encoding round trip, truncation") {
    zkcnn::io::ByteWriter out;
    zkcnn::gkr::write_fraction_sum(out, proven.proof);
    const auto bytes = std::move(out).take();
    zkcnn::io::ByteReader in(bytes);
    const auto decoded = zkcnn::gkr::read_fraction_sum<F>(in, num_vars);
    REQUIRE(decoded);
    CHECK(*decoded == proven.proof);
    CHECK(in.remaining() == 0);
    for (std::size_t cut : {std::size_t{0}, bytes.size() / 2, bytes.size() - 1}) {
      zkcnn::io::ByteReader truncated(std::span<const std::uint8_t>(bytes).first(cut));
      CHECK_FALSE(zkcnn::gkr::read_fraction_sum<F>(truncated, num_vars));
    }
  }

  SECTION("every sent element changed") {
    for (std::size_t i = 0; i < 4; ++i) {
      auto tampered = proven.proof;
      tampered.top[i] += F::one();
      CHECK_FALSE(accepted(leaves, num_vars, tampered, sum, F::one()));
    }
    for (std::size_t level = 0; level < proven.proof.levels.size(); ++level) {
      const auto& step = proven.proof.levels[level];
      for (std::size_t round = 0; round < step.sumcheck.round_messages.size(); ++round) {
        for (std::size_t i = 0; i < step.sumcheck.round_messages[round].size(); ++i) {
          auto tampered = proven.proof;
          tampered.levels[level].sumcheck.round_messages[round][i] += F::one();
          CHECK_FALSE(accepted(leaves, num_vars, tampered, sum, F::one()));
        }
      }
      for (std::size_t i = 0; i < step.evaluations.size(); ++i) {
        auto tampered = proven.proof;
        tampered.levels[level].evaluations[i] += F::one();
        CHECK_FALSE(accepted(leaves, num_vars, tampered, sum, F::one()));
      }
    }
    auto short_proof = proven.proof;
    if (!short_proof.levels.empty()) {
      short_proof.levels.pop_back();
      auto tv2 = transcript();
      CHECK_FALSE(zkcnn::gkr::verify_fraction_sum(num_vars, short_proof, tv2));
    }
  }
}

TEST_CASE("fraction sum: a prefix of leaves proves the tree with the rest empty (0/1)", "[gkr]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(73);
  const std::size_t num_vars = 6;
  for (std::size_t live : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{33}, std::size_t{63}, std::size_t{64}}) {
    auto prefix = random_leaves<F>(rng, num_vars);
    prefix.p.resize(live);
    prefix.q.resize(live);
    auto full = prefix;
    full.p.resize(std::size_t{1} << num_vars, F::zero());
    full.q.resize(std::size_t{1} << num_vars, F::one());
    F sum = F::zero();
    for (std::size_t i = 0; i < live; ++i) sum += prefix.p[i] * *prefix.q[i].inverse();
    auto t = transcript();
    const auto from_prefix = zkcnn::gkr::prove_fraction_sum(prefix.p, prefix.q, num_vars, t);
    auto t_full = transcript();
    const auto from_full = zkcnn::gkr::prove_fraction_sum(full.p, full.q, num_vars, t_full);
    CHECK(from_prefix.proof == from_full.proof);
    CHECK(accepted(full, num_vars, from_prefix.proof, sum, F::one()));
  }
}

TEST_CASE("fraction sum: empty fractions 0/E inside and after the leaves given are proven", "[gkr]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(74);
  const std::size_t num_vars = 7;
  const F random_empty = F::random(rng);
  for (const F& empty : {F::one(), random_empty}) {
    // Runs of empty leaves of several lengths inside the prefix (and one lone empty leaf),
    // the prefix ending at 100 of 128.
    auto leaves = random_leaves<F>(rng, num_vars);
    for (std::size_t i = 0; i < leaves.p.size(); ++i) {
      if ((i >= 8 && i < 40) || (i >= 45 && i < 47) || i == 60 || i >= 100) {
        leaves.p[i] = F::zero();
        leaves.q[i] = empty;
      }
    }
    F sum = F::zero();
    for (std::size_t i = 0; i < leaves.p.size(); ++i) sum += leaves.p[i] * *leaves.q[i].inverse();
    auto prefix = leaves;
    prefix.p.resize(100);
    prefix.q.resize(100);
    auto t = transcript();
    const auto proven = zkcnn::gkr::prove_fraction_sum(prefix.p, prefix.q, num_vars, t, empty);
    CHECK(proven.claims.root_numerator == sum * *proven.claims.root_denominator);
    CHECK(accepted(leaves, num_vars, proven.proof, sum, F::one()));
    // The same tree from every leaf given.
    auto t_full = transcript();
    CHECK(zkcnn::gkr::prove_fraction_sum(leaves.p, leaves.q, num_vars, t_full, empty).proof == proven.proof);
    // The same tree with the level above the leaves computed whenever it is read.
    auto t_unstored = transcript();
    CHECK(zkcnn::gkr::prove_fraction_sum(prefix.p, prefix.q, num_vars, t_unstored, empty, 0).proof == proven.proof);
  }
}

TEST_CASE("fraction sum: a changed leaf changes the root or fails the leaf check", "[gkr]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(72);
  const std::size_t num_vars = 6;
  const auto leaves = random_leaves<F>(rng, num_vars);
  F sum = F::zero();
  for (std::size_t i = 0; i < leaves.p.size(); ++i) sum += leaves.p[i] * *leaves.q[i].inverse();
  for (std::size_t i : {std::size_t{0}, std::size_t{17}, std::size_t{63}}) {
    // The proof is made over other leaves, and checked against the true leaves and the true sum.
    auto other = leaves;
    other.q[i] += F::one();
    auto t = transcript();
    const auto proven = zkcnn::gkr::prove_fraction_sum(other.p, other.q, num_vars, t);
    CHECK_FALSE(accepted(leaves, num_vars, proven.proof, sum, F::one()));
  }
}

}  // namespace

// Zero knowledge (a transcript with a mask commitment): a prefix of leaves whose sum is zero
// (the lookup's case) is proven with masked levels; the verifier accepts, every claim on the
// masks holds, the leaf claims hold once unmasked, no sent value equals a true node value at the
// point reached, and a non-zero sum is rejected.
TEST_CASE("fraction sum: masked levels in zero knowledge", "[gkr][zk]") {
  using G = zkcnn::bn254::G1;
  using F = zkcnn::bn254::Fr;
  using Prover = zkcnn::hyrax::MaskProver<G, zkcnn::testing::DeterministicRng>;
  using Verifier = zkcnn::hyrax::MaskVerifier<G>;
  static const zkcnn::PedersenKey<G> key("fraction sum zk test", 32);
  zkcnn::testing::DeterministicRng rng(73);
  for (const std::size_t num_vars : {1, 2, 5}) {
    for (const std::size_t live : {std::size_t{1}, (std::size_t{1} << num_vars) - 1}) {
      CAPTURE(num_vars, live);
      // p_i / q_i with the last fraction cancelling the others' sum.
      Leaves<F> leaves{{}, {}};
      F sum = F::zero();
      for (std::size_t i = 0; i + 1 < live; ++i) {
        leaves.p.push_back(F::random(rng));
        leaves.q.push_back(F::random(rng));
        sum += leaves.p.back() * *leaves.q.back().inverse();
      }
      leaves.q.push_back(F::random(rng));
      leaves.p.push_back(-sum * leaves.q.back());
      for (const bool zero_sum : {true, false}) {
        auto p = leaves.p;
        if (!zero_sum) p.back() += F::one();
        Prover masks(key, 32, rng);
        zkcnn::zk::MaskingTranscript<Prover> t("fraction sum test", &masks);
        const auto proven = zkcnn::gkr::prove_fraction_sum(p, leaves.q, num_vars, t);
        Verifier verifier(32, std::vector<G>(masks.rows().begin(), masks.rows().end()));
        zkcnn::zk::MaskingTranscript<Verifier> tv("fraction sum test", &verifier);
        const auto claims = zkcnn::gkr::verify_fraction_sum(num_vars, proven.proof, tv);
        bool masks_hold = true;
        for (const auto& claim : verifier.claims()) {
          F value = F::zero();
          for (const auto& [entry, coefficient] : claim.terms) value += coefficient * masks.value(entry);
          masks_hold = masks_hold && value == claim.value;
        }
        // The proof claims the root's numerator is zero: a non-zero sum is rejected.
        if (!zero_sum) {
          CHECK_FALSE((claims && masks_hold));
          continue;
        }
        REQUIRE(claims);
        CHECK(masks_hold);
        CHECK_FALSE(claims->root_denominator);
        CHECK(verifier.exhausted());
        auto unmasked = [&](const zkcnn::gkr::MaskedValue<F>& v) {
          F value = v.value;
          for (const auto& term : v.masks) {
            value -= term.coefficient * (masks.value(term.mask) + masks.value(term.mask) + masks.value(term.mask + 1));
          }
          return value;
        };
        auto padded = [&](std::vector<F> table, const F& empty) {
          table.resize(std::size_t{1} << num_vars, empty);
          return table;
        };
        const std::span<const F> point(claims->point);
        const auto full_p = padded(p, F::zero()), full_q = padded(leaves.q, F::one());
        CHECK(unmasked(claims->numerator) == zkcnn::evaluate_multilinear(std::span<const F>(full_p), point));
        CHECK(unmasked(claims->denominator) == zkcnn::evaluate_multilinear(std::span<const F>(full_q), point));
        for (const auto& level : proven.proof.levels) {
          for (const F& v : level.evaluations) {
            CHECK(v != zkcnn::evaluate_multilinear(std::span<const F>(full_p), point));
            CHECK(v != zkcnn::evaluate_multilinear(std::span<const F>(full_q), point));
          }
        }
      }
    }
  }
}
