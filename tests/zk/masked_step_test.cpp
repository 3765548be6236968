// Zero-knowledge sumcheck steps (gkr/sumcheck_step.hpp with pcs/hyrax_masks.hpp): honest
// masked steps verify and their claims on the committed masks hold; masked claims chain;
// tampering with any element of a step is caught (by the verifier or by a claim on the masks);
// malformed steps fail cleanly; and an honest-verifier zero-knowledge simulator produces
// accepted steps without the witness.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/gkr/sumcheck_step.hpp>
#include <zkcnn/io/byte_stream.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/sumcheck/sum_of_products.hpp>
#include <zkcnn/transcript/transcript.hpp>
#include <zkcnn/pcs/hyrax_masks.hpp>
#include <zkcnn/zk/masking_transcript.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using G = zkcnn::bn254::G1;
using F = zkcnn::scalar_of<G>;
using Prover = zkcnn::hyrax::MaskProver<G, zkcnn::testing::DeterministicRng>;
using Verifier = zkcnn::hyrax::MaskVerifier<G>;
using Step = zkcnn::gkr::SumcheckStep<F>;
using Masked = zkcnn::gkr::MaskedValue<F>;
using LinearClaim = zkcnn::gkr::LinearClaim<F>;
using zkcnn::Errc;

constexpr std::size_t width = 16;

const zkcnn::PedersenKey<G>& key() {
  static const zkcnn::PedersenKey<G> k("zkcnn masked step test", 64);
  return k;
}

std::vector<F> random_table(std::size_t size, zkcnn::testing::DeterministicRng& rng) {
  std::vector<F> t(size);
  for (auto& v : t) v = F::random(rng);
  return t;
}

/// Whether every claim holds of the given mask values (what the final opening checks).
bool claims_hold(std::span<const LinearClaim> claims, std::span<const F> values) {
  for (const auto& claim : claims) {
    F value = F::zero();
    for (const auto& [entry, coefficient] : claim.terms) {
      if (entry >= values.size()) return false;
      value += coefficient * values[entry];
    }
    if (value != claim.value) return false;
  }
  return true;
}

bool claims_hold(const Prover& masks) { return claims_hold(masks.claims(), masks.values()); }

/// S = R(0) + R(1) = 2c + d for the committed line R(w) = c + d w at `line`.
F line_sum(const Prover& masks, std::size_t line) {
  return masks.value(line) + masks.value(line) + masks.value(line + 1);
}

/// A masked value's true value: minus coefficient * S over its mask terms.
F unmasked(const Masked& value, const Prover& masks) {
  F out = value.value;
  for (const auto& term : value.masks) out -= term.coefficient * line_sum(masks, term.mask);
  return out;
}

// ---------------------------------------------------------------------------------------------
// One step's instance: the factor tables, the terms, and which factors the prover sends (the
// others are public: the verifier evaluates them itself, as a layer does its wiring).

struct Instance {
  std::size_t n;
  std::vector<std::vector<F>> tables;
  std::vector<zkcnn::sumcheck::Term<F>> terms;
  std::vector<std::size_t> sent;

  zkcnn::sumcheck::SumOfProducts<F> polynomial() const { return {n, tables, terms}; }
  zkcnn::sumcheck::SumOfProductsShape<F> shape() const { return {n, tables.size(), terms}; }
  std::size_t degree() const { return shape().degree(); }
  F sum() const { return polynomial().sum_over_hypercube(); }

  /// What the verifier recomputes at the end of the step: the terms with the sent values for
  /// the sent factors and the public factors' own values at the point.
  F recompute(std::span<const F> evaluations, std::span<const F> point) const {
    std::vector<F> values(tables.size());
    for (std::size_t k = 0; k < tables.size(); ++k) {
      values[k] = zkcnn::evaluate_multilinear(std::span<const F>(tables[k]), point);
    }
    for (std::size_t s = 0; s < sent.size(); ++s) values[sent[s]] = evaluations[s];
    return shape().combine(values);
  }
};

enum class Kind { eq_times_witness, product_plus_public, public_only };

/// eq * a (a sent); k1 a b + k2 c (a, b sent, c public); k1 e c + c (nothing sent).
Instance make_instance(Kind kind, std::size_t n, zkcnn::testing::DeterministicRng& rng) {
  const std::size_t full = std::size_t{1} << n;
  switch (kind) {
    case Kind::eq_times_witness: {
      const auto tau = random_table(n, rng);
      return {n, {zkcnn::eq_table<F>(std::span<const F>(tau)), random_table(full, rng)}, {{F::one(), {0, 1}}}, {1}};
    }
    case Kind::product_plus_public:
      return {n,
              {random_table(full, rng), random_table(full, rng), random_table(full, rng)},
              {{F::random(rng), {0, 1}}, {F::random(rng), {2}}},
              {0, 1}};
    case Kind::public_only:
      return {n, {random_table(full, rng), random_table(full, rng)}, {{F::random(rng), {0, 1}}, {F::one(), {1}}}, {}};
  }
  throw std::logic_error("unreachable");
}

/// A masked claim on `true_value` with `terms` mask terms, as earlier steps leave them: fresh
/// committed lines (drawn now, by the prover or the verifier) and random coefficients,
/// combined with MaskedValue::add.
template <class Masks, class T>
Masked masked_claim(const F& true_value, std::size_t terms, Masks& masks, T& transcript, zkcnn::testing::DeterministicRng& rng,
                    const Prover* values) {
  if (terms == 0) return {true_value};
  std::size_t first = 0;
  if constexpr (std::is_same_v<Masks, Prover>) {
    first = masks.draw(2 * terms, transcript);
  } else {
    auto drawn = masks.draw(2 * terms, transcript);
    REQUIRE(drawn);
    first = *drawn;
  }
  Masked claim{true_value};
  for (std::size_t t = 0; t < terms; ++t) {
    const std::size_t line = first + 2 * t;
    const F s = values != nullptr ? line_sum(*values, line) : F::zero();
    claim.add(F::random(rng), Masked{s, {{F::one(), line}}});
  }
  return claim;
}

template <class T>
zkcnn::gkr::ProvenStep<F> prove(const Instance& instance, const Masked& claimed, T& transcript) {
  return zkcnn::gkr::prove_step(instance.polynomial(), claimed, std::span<const std::size_t>(instance.sent), transcript);
}

template <class T>
zkcnn::Result<zkcnn::gkr::StepSubclaim<F>> verify(const Instance& instance, const Masked& claimed, const Step& step,
                                                  T& transcript) {
  return zkcnn::gkr::verify_step(claimed, instance.n, instance.degree(), instance.sent.size(), step, transcript);
}

/// One honestly proven masked step on the SHA-256 masking transcript: its claim carries
/// `claim_terms` mask terms (claim lines drawn first).
struct HonestRun {
  Instance instance;
  std::size_t claim_terms;
  Prover masks;
  Masked claimed;
  zkcnn::gkr::ProvenStep<F> proven;
  std::array<std::uint8_t, 32> digest;
};

HonestRun honest_run(Instance instance, std::size_t claim_terms, zkcnn::testing::DeterministicRng& rng) {
  Prover masks(key(), width, rng);
  zkcnn::zk::MaskingTranscript<Prover> transcript("masked step test", &masks);
  zkcnn::testing::DeterministicRng coefficients(99);
  Masked claimed = masked_claim(instance.sum(), claim_terms, masks, transcript, coefficients, &masks);
  auto proven = prove(instance, claimed, transcript);
  const auto digest = transcript.state_digest();
  return {std::move(instance), claim_terms, std::move(masks), std::move(claimed), std::move(proven), digest};
}

/// Everything a real proof's verifier does with one step: the rounds, the final check against
/// the recomputed value, the mask rows all used, and (at the proof's end) every claim the
/// verifier recorded opened on the committed mask values. Returns whether all of it passes.
bool fully_accepts(const HonestRun& run, const Masked& claimed, const Step& step) {
  Verifier verifier(width, std::vector<G>(run.masks.rows().begin(), run.masks.rows().end()));
  zkcnn::zk::MaskingTranscript<Verifier> transcript("masked step test", &verifier);
  zkcnn::testing::DeterministicRng unused(0);
  if (run.claim_terms > 0) (void)masked_claim(F::zero(), run.claim_terms, verifier, transcript, unused, nullptr);
  auto subclaim = verify(run.instance, claimed, step, transcript);
  if (!subclaim) return false;
  if (!zkcnn::gkr::check_step(*subclaim, run.instance.recompute(step.evaluations, subclaim->point), "step")) {
    return false;
  }
  return verifier.exhausted() && claims_hold(verifier.claims(), run.masks.values());
}

}  // namespace

TEST_CASE("a masked step verifies, and a masked claim it sends chains into the next step", "[zk][masking]") {
  zkcnn::testing::DeterministicRng rng(7);
  const std::size_t n = 5;
  const auto a = random_table(32, rng), b = random_table(32, rng), c = random_table(32, rng);
  F sum = F::zero();
  for (std::size_t x = 0; x < 32; ++x) sum += a[x] * b[x] + c[x];

  Prover masks(key(), 16, rng);
  zkcnn::zk::MaskingTranscript<Prover> prover_transcript("test", &masks);
  zkcnn::sumcheck::SumOfProducts<F> g(n, {a, b, c}, {{F::one(), {0, 1}}, {F::one(), {2}}});
  const std::size_t sent[] = {0, 1};
  auto proven = zkcnn::gkr::prove_step(std::move(g), sum, std::span<const std::size_t>(sent), prover_transcript);
  // The sent values are masked, not the tables' true evaluations.
  CHECK(proven.step.evaluations[0] != zkcnn::evaluate_multilinear(std::span<const F>(a), std::span<const F>(proven.point)));

  // Second step: prove the masked claim on a at the first step's point.
  const auto eq = zkcnn::eq_table<F>(std::span<const F>(proven.point));
  zkcnn::sumcheck::SumOfProducts<F> h(n, {eq, a}, {{F::one(), {0, 1}}});
  const std::size_t sent_a[] = {1};
  auto second = zkcnn::gkr::prove_step(std::move(h), proven.sent(0), std::span<const std::size_t>(sent_a), prover_transcript);
  CHECK(claims_hold(masks));

  Verifier verifier(16, std::vector<G>(masks.rows().begin(), masks.rows().end()));
  zkcnn::zk::MaskingTranscript<Verifier> verifier_transcript("test", &verifier);
  auto first = zkcnn::gkr::verify_step(F(sum), n, 2, 2, proven.step, verifier_transcript);
  REQUIRE(first);
  const F c_at = zkcnn::evaluate_multilinear(std::span<const F>(c), std::span<const F>(first->point));
  CHECK(zkcnn::gkr::check_step(*first, proven.step.evaluations[0] * proven.step.evaluations[1] + c_at, "first"));
  auto next = zkcnn::gkr::verify_step(zkcnn::gkr::sent_value(proven.step, *first, 0), n, 2, 1, second.step, verifier_transcript);
  REQUIRE(next);
  const F eq_at = zkcnn::eq_eval(std::span<const F>(first->point), std::span<const F>(next->point));
  CHECK(zkcnn::gkr::check_step(*next, eq_at * second.step.evaluations[0], "second"));
  CHECK(verifier.exhausted());
  CHECK(verifier_transcript.state_digest() == prover_transcript.state_digest());
  REQUIRE(verifier.claims().size() == masks.claims().size());
  for (std::size_t k = 0; k < verifier.claims().size(); ++k) {
    CHECK(verifier.claims()[k].terms == masks.claims()[k].terms);
    CHECK(verifier.claims()[k].value == masks.claims()[k].value);
  }
  // The masked value of a at the second point is what the next step would be asked to prove.
  const F true_a = zkcnn::evaluate_multilinear(std::span<const F>(a), std::span<const F>(second.point));
  CHECK(second.step.evaluations[0] != true_a);
}

TEST_CASE("masked steps in 0 (lifted), 1, 2 and 6 variables, with and without sent factors and claim masks",
          "[zk][masking]") {
  zkcnn::testing::DeterministicRng rng(0x7a6b31);
  for (const std::size_t n : {0, 1, 2, 6}) {
    for (const Kind kind : {Kind::eq_times_witness, Kind::product_plus_public, Kind::public_only}) {
      for (const std::size_t claim_terms : {0, 1, 3}) {
        CAPTURE(n, static_cast<int>(kind), claim_terms);
        const auto run = honest_run(make_instance(kind, n, rng), claim_terms, rng);
        const auto& instance = run.instance;
        const auto& step = run.proven.step;
        const std::size_t rounds = n == 0 ? 1 : n;
        const std::size_t d = instance.degree();
        REQUIRE(step.sumcheck.round_messages.size() == rounds);
        for (std::size_t i = 0; i < rounds; ++i) {
          // The last round has one more value per sent factor.
          CHECK(step.sumcheck.round_messages[i].size() == (i + 1 == rounds ? d + instance.sent.size() : d));
        }
        REQUIRE(step.evaluations.size() == instance.sent.size());
        REQUIRE(step.masking.size() == 2);
        CHECK(run.proven.point.size() == n);  // a lifted step reports the empty point
        CHECK(claims_hold(run.masks));
        // The claim's mask terms were built with MaskedValue::add.
        CHECK(run.claimed.masks.size() == claim_terms);
        CHECK(unmasked(run.claimed, run.masks) == instance.sum());

        Verifier verifier(width, std::vector<G>(run.masks.rows().begin(), run.masks.rows().end()));
        zkcnn::zk::MaskingTranscript<Verifier> transcript("masked step test", &verifier);
        zkcnn::testing::DeterministicRng unused(0);
        if (claim_terms > 0) (void)masked_claim(F::zero(), claim_terms, verifier, transcript, unused, nullptr);
        auto subclaim = verify(instance, run.claimed, step, transcript);
        REQUIRE(subclaim);
        CHECK(subclaim->point == run.proven.point);
        CHECK(zkcnn::gkr::check_step(*subclaim, instance.recompute(step.evaluations, subclaim->point), "step"));
        CHECK(verifier.exhausted());
        CHECK(transcript.state_digest() == run.digest);
        REQUIRE(verifier.claims().size() == run.masks.claims().size());
        for (std::size_t k = 0; k < verifier.claims().size(); ++k) {
          CHECK(verifier.claims()[k].terms == run.masks.claims()[k].terms);
          CHECK(verifier.claims()[k].value == run.masks.claims()[k].value);
        }
        CHECK(claims_hold(verifier.claims(), run.masks.values()));

        // Each sent value, unmasked with the mask terms the verifier derived, is the sent
        // factor's true value at the point; the sent value itself is not.
        for (std::size_t s = 0; s < instance.sent.size(); ++s) {
          CAPTURE(s);
          const Masked value = zkcnn::gkr::sent_value(step, *subclaim, s);
          CHECK(value == run.proven.sent(s));
          REQUIRE(value.masks.size() == 1);
          const F truth = zkcnn::evaluate_multilinear(std::span<const F>(instance.tables[instance.sent[s]]),
                                                      std::span<const F>(subclaim->point));
          CHECK(unmasked(value, run.masks) == truth);
          CHECK(value.value != truth);
        }

        // The step's encoding round trips in a zero-knowledge proof.
        zkcnn::io::ByteWriter writer;
        zkcnn::gkr::write_step(writer, step);
        const auto bytes = std::move(writer).take();
        zkcnn::io::ByteReader reader(bytes);
        reader.set_zero_knowledge(true);
        auto decoded = zkcnn::gkr::read_step<F>(reader, n, d, instance.sent.size());
        REQUIRE(decoded);
        CHECK(*decoded == step);
        CHECK(reader.remaining() == 0);
        zkcnn::io::ByteReader truncated(std::span<const std::uint8_t>(bytes).first(bytes.size() - 1));
        truncated.set_zero_knowledge(true);
        CHECK_FALSE(zkcnn::gkr::read_step<F>(truncated, n, d, instance.sent.size()));
      }
    }
  }
}

TEST_CASE("masked step soundness: every tampered element is caught by the verifier or by a claim on the masks",
          "[zk][masking][soundness]") {
  zkcnn::testing::DeterministicRng rng(0x7a6b32);
  for (const std::size_t n : {0, 1, 2, 6}) {
    for (const Kind kind : {Kind::eq_times_witness, Kind::product_plus_public, Kind::public_only}) {
      for (const std::size_t claim_terms : {0, 2}) {
        CAPTURE(n, static_cast<int>(kind), claim_terms);
        const auto run = honest_run(make_instance(kind, n, rng), claim_terms, rng);
        const Step& step = run.proven.step;
        REQUIRE(fully_accepts(run, run.claimed, step));

        for (std::size_t round = 0; round < step.sumcheck.round_messages.size(); ++round) {
          for (std::size_t i = 0; i < step.sumcheck.round_messages[round].size(); ++i) {
            CAPTURE(round, i);
            auto tampered = step;
            tampered.sumcheck.round_messages[round][i] += F::one();
            CHECK_FALSE(fully_accepts(run, run.claimed, tampered));
          }
        }
        for (std::size_t s = 0; s < step.evaluations.size(); ++s) {
          CAPTURE(s);
          auto tampered = step;
          tampered.evaluations[s] += F::one();
          CHECK_FALSE(fully_accepts(run, run.claimed, tampered));
        }
        for (std::size_t m = 0; m < 2; ++m) {  // G, then u(r)
          CAPTURE(m);
          auto tampered = step;
          tampered.masking[m] += F::one();
          CHECK_FALSE(fully_accepts(run, run.claimed, tampered));
        }
        {  // The claimed value.
          auto claimed = run.claimed;
          claimed.value += F::one();
          CHECK_FALSE(fully_accepts(run, claimed, step));
        }
        // The claim's mask terms are the verifier's bookkeeping: a wrong coefficient or line
        // leaves the sumcheck intact but breaks the claim on u(r).
        for (std::size_t t = 0; t < run.claimed.masks.size(); ++t) {
          CAPTURE(t);
          auto claimed = run.claimed;
          claimed.masks[t].coefficient += F::one();
          CHECK_FALSE(fully_accepts(run, claimed, step));
          claimed = run.claimed;
          claimed.masks[t].mask = run.claimed.masks[(t + 1) % run.claimed.masks.size()].mask;
          CHECK_FALSE(fully_accepts(run, claimed, step));
          claimed = run.claimed;
          claimed.masks.erase(claimed.masks.begin() + static_cast<std::ptrdiff_t>(t));
          CHECK_FALSE(fully_accepts(run, claimed, step));
        }
      }
    }
  }
}

TEST_CASE("masked step soundness: a false sum patched through u(r) passes the final check but not the claim on u(r)",
          "[zk][masking][soundness]") {
  zkcnn::testing::DeterministicRng rng(0x7a6b33);
  for (const std::size_t n : {0, 1, 3}) {
    CAPTURE(n);
    auto instance = make_instance(Kind::product_plus_public, n, rng);
    // The cheating prover runs the honest algorithm on a false claim ...
    Prover masks(key(), width, rng);
    zkcnn::zk::MaskingTranscript<Prover> pt("masked step test", &masks);
    const Masked lie{instance.sum() + F::one()};
    auto proven = prove(instance, lie, pt);
    const HonestRun run{instance, 0, std::move(masks), lie, proven, pt.state_digest()};
    CHECK_FALSE(fully_accepts(run, lie, proven.step));
    // ... then patches u(r), absorbed after the last challenge of the step, so that the final
    // check holds: only the opening of the masks (the claim on u(r)) catches it.
    Verifier verifier(width, std::vector<G>(run.masks.rows().begin(), run.masks.rows().end()));
    zkcnn::zk::MaskingTranscript<Verifier> vt("masked step test", &verifier);
    auto subclaim = verify(instance, lie, proven.step, vt);
    REQUIRE(subclaim);
    F gap = subclaim->expected_value - instance.recompute(proven.step.evaluations, subclaim->point);
    REQUIRE_FALSE(gap.is_zero());
    if (n == 0) gap *= *F::from_u64(2).inverse();  // the lifted step doubles what is left
    auto patched = proven.step;
    patched.masking[1] += gap;
    Verifier verifier2(width, std::vector<G>(run.masks.rows().begin(), run.masks.rows().end()));
    zkcnn::zk::MaskingTranscript<Verifier> vt2("masked step test", &verifier2);
    auto patched_subclaim = verify(instance, lie, patched, vt2);
    REQUIRE(patched_subclaim);
    CHECK(zkcnn::gkr::check_step(*patched_subclaim, instance.recompute(patched.evaluations, patched_subclaim->point),
                                 "patched"));
    CHECK_FALSE(claims_hold(verifier2.claims(), run.masks.values()));
    CHECK_FALSE(fully_accepts(run, lie, patched));
  }
}

TEST_CASE("masked steps: malformed steps and mismatched verifiers fail cleanly", "[zk][masking][soundness]") {
  zkcnn::testing::DeterministicRng rng(0x7a6b34);
  const std::size_t n = 6;
  const auto instance = make_instance(Kind::product_plus_public, n, rng);
  const auto run = honest_run(instance, 0, rng);
  const Step& masked_step = run.proven.step;
  const std::vector<G> mask_rows(run.masks.rows().begin(), run.masks.rows().end());
  // a_0, 5 rounds of degree 2, a last round of 2 + 2, two lines: 19 entries over two rows of 16,
  // one commitment per row.
  REQUIRE(mask_rows.size() == 2);
  const Masked claimed{instance.sum()};

  auto expect_malformed = [](const auto& result) {
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::malformed_proof);
  };
  auto verify_masked = [&](const Step& step, std::vector<G> use_rows) {
    Verifier verifier(width, std::move(use_rows));
    zkcnn::zk::MaskingTranscript<Verifier> t("masked step test", &verifier);
    return verify(instance, claimed, step, t);
  };

  SECTION("too few committed rows") {
    for (std::size_t count = 0; count < mask_rows.size(); ++count) {
      CAPTURE(count);
      expect_malformed(verify_masked(masked_step, std::vector<G>(mask_rows.begin(), mask_rows.begin() + static_cast<std::ptrdiff_t>(count))));
    }
    REQUIRE(verify_masked(masked_step, mask_rows));
  }
  SECTION("spare committed rows are left over") {
    auto more = mask_rows;
    more.push_back(mask_rows.front());
    Verifier verifier(width, more);
    zkcnn::zk::MaskingTranscript<Verifier> t("masked step test", &verifier);
    REQUIRE(verify(instance, claimed, masked_step, t));
    CHECK_FALSE(verifier.exhausted());
  }
  SECTION("a plain step given to a masking verifier, and a masked step to a plain one") {
    zkcnn::Sha256Transcript plain_prover("masked step test");
    const auto plain = prove(instance, claimed, plain_prover);
    CHECK(plain.step.masking.empty());
    expect_malformed(verify_masked(plain.step, mask_rows));
    {
      zkcnn::Sha256Transcript t("masked step test");
      expect_malformed(verify(instance, claimed, masked_step, t));
    }
    {  // A masking transcript without a mask commitment is a plain proof.
      zkcnn::zk::MaskingTranscript<Verifier> t("masked step test", nullptr);
      expect_malformed(verify(instance, claimed, masked_step, t));
      zkcnn::zk::MaskingTranscript<Verifier> t2("masked step test", nullptr);
      REQUIRE(verify(instance, claimed, plain.step, t2));
    }
    // The plain step with G and u(r) appended is still the wrong shape: its last round is short.
    auto dressed = plain.step;
    dressed.masking = masked_step.masking;
    expect_malformed(verify_masked(dressed, mask_rows));
  }
  SECTION("wrong counts of rounds, round values, evaluations and mask values") {
    auto fewer_rounds = masked_step;
    fewer_rounds.sumcheck.round_messages.pop_back();
    expect_malformed(verify_masked(fewer_rounds, mask_rows));
    auto more_rounds = masked_step;
    more_rounds.sumcheck.round_messages.push_back(masked_step.sumcheck.round_messages.back());
    expect_malformed(verify_masked(more_rounds, mask_rows));
    for (std::size_t round = 0; round < n; ++round) {
      CAPTURE(round);
      auto shorter = masked_step;
      shorter.sumcheck.round_messages[round].pop_back();
      expect_malformed(verify_masked(shorter, mask_rows));
      auto longer = masked_step;
      longer.sumcheck.round_messages[round].push_back(F::one());
      expect_malformed(verify_masked(longer, mask_rows));
    }
    auto fewer_evaluations = masked_step;
    fewer_evaluations.evaluations.pop_back();
    expect_malformed(verify_masked(fewer_evaluations, mask_rows));
    auto more_evaluations = masked_step;
    more_evaluations.evaluations.push_back(F::one());
    expect_malformed(verify_masked(more_evaluations, mask_rows));
    for (const std::size_t count : {0, 1, 3}) {
      CAPTURE(count);
      auto mask_values = masked_step;
      mask_values.masking.resize(count, F::one());
      expect_malformed(verify_masked(mask_values, mask_rows));
    }
  }
  SECTION("a masked claim outside zero knowledge is a programming error") {
    const Masked masked_claim_value{instance.sum(), {{F::one(), 0}}};
    zkcnn::Sha256Transcript p("masked step test");
    CHECK_THROWS_AS(prove(instance, masked_claim_value, p), std::logic_error);
    zkcnn::Sha256Transcript t("masked step test");
    zkcnn::Sha256Transcript plain_prover("masked step test");
    const auto plain = prove(instance, claimed, plain_prover);
    CHECK_THROWS_AS(verify(instance, masked_claim_value, plain.step, t), std::logic_error);
  }
}

// ---------------------------------------------------------------------------------------------
// The honest-verifier zero-knowledge simulator.
//
// What a verifier sees of a masked step: the mask rows (hiding Pedersen commitments: uniformly
// random group elements, whatever they commit to), G, the round messages, the sent values and
// u(r); and at the end of the proof, a zero-knowledge opening that shows the claims on the masks
// hold. The simulator below produces all of it from the public statement alone (the claimed
// value and its mask terms, the shape, the public factors and which factors are sent), given
// the verifier's challenges in advance (honest-verifier zero knowledge; in the Fiat-Shamir proof
// this is programming the random oracle). A scripted transcript feeds the same challenges to
// the real verifier.
//
// Why its output is distributed as a real step (Libra, section 4; docs/protocol.md section 8):
//  - mask values: uniformly random, committed honestly, exactly as the prover's are;
//  - G = 2^n a_0 + 2^(n-1) sum of m_i's coefficients: consistent with those uniform masks, as
//    in a real step;
//  - round messages: uniformly random subject to the verifier's sum checks. In a real step each
//    round's values are the witness's partial sums plus rho times the fresh mask's, so, rho
//    being non-zero and the mask having as many free coefficients as the messages have free
//    values, they are uniform on the affine space of messages with g_i(0) + g_i(1) = the
//    running claim (the value at 1 is implicit in the encoding, so any message satisfies it).
//    This needs Libra's constant term a_0 in the mask: without it one combination of G, the
//    messages and u(r) carries no randomness when the claim has no mask term (the "[zk-leak]"
//    tests at the end of this file check the ranks);
//  - sent values: uniform, because each is f_k(r) + S_k Z(r) with S_k = R_k(0) + R_k(1) fresh
//    and uniform, and Z(r) != 0 (with overwhelming probability);
//  - u(r): determined by the masks (rho m(r) plus the claim's mask lines at r_1), as in a real
//    step; the last message is then the one solution of the final check p_n(r_n) = f(r) + u(r)
//    among uniformly random messages (its value at 0 is solved, the others are uniform).
// The real distribution equals this one when the masks leave no linear combination of the
// round messages, G and u(r) free of randomness; the "[zk-leak]" tests at the end of this file
// check exactly that.

namespace {

/// One transcript operation: kind ('b'ytes, 'u'64, 'f'ield elements, 'c'hallenge), label, size.
struct Event {
  char kind;
  std::string label;
  std::size_t size;
  friend bool operator==(const Event&, const Event&) = default;
};

/// A transcript whose challenges come from a list fixed in advance, with the interface the
/// step code uses. It records every operation (kind, label, number of elements), so that two
/// runs can be compared for shape.
template <class Masks>
class ScriptedTranscript {
 public:
  ScriptedTranscript(std::vector<F> script, Masks* masks) : script_(std::move(script)), masks_(masks) {}

  void absorb_bytes(std::string_view label, std::span<const std::uint8_t> data) { record('b', label, data.size()); }
  void absorb_u64(std::string_view label, std::uint64_t) { record('u', label, 1); }
  template <class E>
  void absorb_field(std::string_view label, const E&) {
    record('f', label, 1);
  }
  template <class E>
  void absorb_fields(std::string_view label, std::span<const E> values) {
    record('f', label, values.size());
  }
  template <class E>
  E challenge(std::string_view label) {
    static_assert(std::is_same_v<E, F>, "scripted challenges are scalars");
    if (next_ == script_.size()) throw std::logic_error("scripted transcript: out of challenges");
    record('c', label, 1);
    return script_[next_++];
  }
  template <class E>
  std::vector<E> challenges(std::string_view label, std::size_t count) {
    std::vector<E> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back(challenge<E>(label));
    return out;
  }

  Masks* masks() const { return masks_; }
  bool finished() const { return next_ == script_.size(); }
  const std::vector<Event>& events() const { return events_; }

 private:
  void record(char kind, std::string_view label, std::size_t size) { events_.push_back({kind, std::string(label), size}); }

  std::vector<F> script_;
  std::size_t next_ = 0;
  Masks* masks_;
  std::vector<Event> events_;
};

/// The public statement of a step: no witness table in it.
struct PublicStep {
  std::size_t n;
  zkcnn::sumcheck::SumOfProductsShape<F> shape;
  std::vector<std::size_t> sent;
  /// The public factors' tables; empty for the sent factors.
  std::vector<std::vector<F>> public_tables;
};

PublicStep public_view(const Instance& instance) {
  PublicStep view{instance.n, instance.shape(), instance.sent, instance.tables};
  for (std::size_t k : instance.sent) view.public_tables[k].clear();
  return view;
}

/// p(x) for the polynomial with values[t] = p(t), t = 0..values.size() - 1, by Lagrange's
/// formula (independent of the library's interpolator).
F lagrange_at(std::span<const F> values, const F& x) {
  F total = F::zero();
  for (std::size_t i = 0; i < values.size(); ++i) {
    F numerator = F::one(), denominator = F::one();
    for (std::size_t j = 0; j < values.size(); ++j) {
      if (j == i) continue;
      numerator *= x - F::from_u64(j);
      denominator *= F::from_u64(i) - F::from_u64(j);
    }
    total += values[i] * numerator * *denominator.inverse();
  }
  return total;
}

F power_of_two(std::size_t exponent) {
  F value = F::one();
  for (std::size_t i = 0; i < exponent; ++i) value += value;
  return value;
}

struct SimulatedStep {
  Step step;
  std::vector<F> point;  // the verifier's point (empty for a lifted step)
  std::vector<std::vector<zkcnn::gkr::MaskTerm<F>>> sent_masks;

  Masked sent(std::size_t s) const { return {step.evaluations[s], sent_masks[s]}; }
};

/// Simulates one masked step of `statement` with claimed value `claimed`, given its challenges
/// (rho, then r_1..r_n; one r for a step in no variable, which the protocol lifts to one).
/// `masks` is the simulator's own mask commitment (uniform values, honestly committed; it also
/// holds the lines the claim's mask terms refer to). The witness is never used.
template <class T>
SimulatedStep simulate_step(const PublicStep& statement, const Masked& claimed, std::span<const F> challenges,
                            Prover& masks, T& row_sink, zkcnn::testing::DeterministicRng& rng) {
  const bool lifted = statement.n == 0;
  const std::size_t n = lifted ? 1 : statement.n;
  const std::size_t d = statement.shape.degree();
  const std::size_t e = statement.sent.size();
  const std::size_t last = d + e;                       // the last round's (public) degree
  const std::size_t coefficients = 1 + (n - 1) * d + last;  // a_0, then m_i's x^1 .. x^deg_i
  REQUIRE(challenges.size() == 1 + n);
  const F rho = challenges[0];
  const std::span<const F> r = challenges.subspan(1);

  // Fresh masks, as the prover draws them: m's coefficients, then one line per sent factor.
  const std::size_t first = masks.draw(coefficients + 2 * e, row_sink);
  auto coefficient = [&](std::size_t round, std::size_t a) { return masks.value(first + 1 + round * d + a); };

  SimulatedStep out;
  F mask_sum = F::zero();
  for (std::size_t j = 1; j < coefficients; ++j) mask_sum += masks.value(first + j);
  mask_sum = power_of_two(n - 1) * (mask_sum + masks.value(first) + masks.value(first));

  // u(r) = rho m(r) + sum_t kappa_t (c_t + d_t r_1), kappa_t = coefficient_t / 2^(n-1).
  F additive = rho * masks.value(first);
  for (std::size_t i = 0; i < n; ++i) {
    F power = F::one();
    for (std::size_t a = 0; a < (i + 1 == n ? last : d); ++a) {
      power *= r[i];
      additive += rho * coefficient(i, a) * power;
    }
  }
  const F inverse_scale = *power_of_two(n - 1).inverse();
  for (const auto& term : claimed.masks) {
    additive += term.coefficient * inverse_scale * (masks.value(term.mask) + masks.value(term.mask + 1) * r[0]);
  }

  // Random rounds, each consistent with its running claim by construction.
  F running = claimed.value + rho * mask_sum;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    std::vector<F> message = random_table(d, rng);
    std::vector<F> values{message[0], running - message[0]};
    values.insert(values.end(), message.begin() + 1, message.end());
    running = lagrange_at(values, r[i]);
    out.step.sumcheck.round_messages.push_back(std::move(message));
  }

  // Uniform sent values; the verifier's final value with them and the public factors.
  out.step.evaluations = random_table(e, rng);
  const std::vector<F> point = lifted ? std::vector<F>{} : std::vector<F>(r.begin(), r.end());
  std::vector<F> values(statement.shape.factor_count());
  for (std::size_t k = 0; k < values.size(); ++k) {
    values[k] = zkcnn::evaluate_multilinear(std::span<const F>(statement.public_tables[k]), std::span<const F>(point));
  }
  for (std::size_t s = 0; s < e; ++s) values[statement.sent[s]] = out.step.evaluations[s];
  F target = statement.shape.combine(values);
  if (lifted) target *= *F::from_u64(2).inverse();  // the lifted sum carries g / 2
  target += additive;

  // The last message: uniform values at 2..last, the value at 0 solved so that p(r_n) = target.
  std::vector<F> message = random_table(last, rng);
  std::vector<F> base{F::zero(), running};
  base.insert(base.end(), message.begin() + 1, message.end());
  std::vector<F> slope(last + 1, F::zero());
  slope[0] = F::one();
  slope[1] = -F::one();
  const F denominator = lagrange_at(slope, r[n - 1]);
  REQUIRE_FALSE(denominator.is_zero());
  message[0] = (target - lagrange_at(base, r[n - 1])) * *denominator.inverse();
  out.step.sumcheck.round_messages.push_back(std::move(message));

  out.step.masking = {mask_sum, additive};
  out.point = point;
  F z = F::one();
  for (const F& x : r) z *= x * (F::one() - x);
  for (std::size_t s = 0; s < e; ++s) out.sent_masks.push_back({{z, first + coefficients + 2 * s}});
  return out;
}

std::size_t challenge_count(std::size_t n) { return 1 + (n == 0 ? 1 : n); }

/// A two-step scenario: step 1 proves `first` on a public claim (its sum); step 2 proves
/// sent(0) + beta * sent(1) of step 1 (a claim with two mask terms, MaskedValue::add), beta a
/// challenge drawn in between, as sum_x eq(point_1, x) (a(x) + beta b(x)).
/// Script: rho_1, r_1.., beta, rho_2, r_2...
struct Scenario {
  Instance first;  // Kind::product_plus_public: a, b sent
  std::vector<F> script;

  std::size_t n() const { return first.n; }
  std::span<const F> first_challenges() const { return std::span<const F>(script).first(challenge_count(n())); }
  F beta() const { return script[challenge_count(n())]; }
  std::span<const F> second_challenges() const { return std::span<const F>(script).subspan(challenge_count(n()) + 1); }

  /// Step 2's instance at step 1's point; the witness tables come from step 1's.
  Instance second(std::span<const F> point) const {
    return {n(),
            {zkcnn::eq_table<F>(point), first.tables[0], first.tables[1]},
            {{F::one(), {0, 1}}, {beta(), {0, 2}}},
            {1, 2}};
  }
};

Scenario make_scenario(std::size_t n, zkcnn::testing::DeterministicRng& rng) {
  Scenario s{make_instance(Kind::product_plus_public, n, rng), {}};
  s.script = random_table(2 * challenge_count(n) + 1, rng);
  return s;
}

struct ChainResult {
  std::vector<Step> steps;
  std::vector<G> mask_rows;  // the mask commitment mask_rows
};

/// The real verifier on a chain of two steps, driven by the scripted challenges; checks each
/// step's final value, then returns its transcript's events. `values` are the mask values the
/// claims are opened on (the prover's, or the simulator's).
std::vector<Event> verify_chain(const Scenario& scenario, const ChainResult& chain,
                                                              std::span<const F> values) {
  Verifier verifier(width, chain.mask_rows);
  ScriptedTranscript<Verifier> t(scenario.script, &verifier);
  const Instance& first = scenario.first;
  auto one = verify(first, Masked{first.sum()}, chain.steps[0], t);
  REQUIRE(one);
  CHECK(zkcnn::gkr::check_step(*one, first.recompute(chain.steps[0].evaluations, one->point), "first"));
  const F beta = t.challenge<F>("test/beta");
  CHECK(beta == scenario.beta());
  Masked claimed = zkcnn::gkr::sent_value(chain.steps[0], *one, 0);
  claimed.add(beta, zkcnn::gkr::sent_value(chain.steps[0], *one, 1));
  CHECK(claimed.masks.size() == 2);
  const Instance second = scenario.second(std::span<const F>(one->point));
  auto two = verify(second, claimed, chain.steps[1], t);
  REQUIRE(two);
  CHECK(zkcnn::gkr::check_step(*two, second.recompute(chain.steps[1].evaluations, two->point), "second"));
  CHECK(verifier.exhausted());
  CHECK(t.finished());
  CHECK(verifier.claims().size() == 4);
  CHECK(claims_hold(verifier.claims(), values));
  return t.events();
}

/// The simulator on the scenario: only public data (step 1's public factor and claim; step 2's
/// eq table at the scripted point) and the script.
ChainResult simulate_chain(const Scenario& scenario, Prover& masks, zkcnn::testing::DeterministicRng& rng) {
  ScriptedTranscript<Prover> sink({}, nullptr);
  const PublicStep first = public_view(scenario.first);
  const Masked first_claim{scenario.first.sum()};  // public: the statement
  auto one = simulate_step(first, first_claim, scenario.first_challenges(), masks, sink, rng);
  Masked claimed = one.sent(0);
  claimed.add(scenario.beta(), one.sent(1));
  // Step 2's public data: eq at step 1's point (from the script). Its witness tables are
  // placeholders that public_view removes.
  const PublicStep second = public_view(scenario.second(std::span<const F>(one.point)));
  for (std::size_t k : second.sent) REQUIRE(second.public_tables[k].empty());
  auto two = simulate_step(second, claimed, scenario.second_challenges(), masks, sink, rng);
  return {{one.step, two.step}, std::vector<G>(masks.rows().begin(), masks.rows().end())};
}

/// The honest prover on the scenario, with the same scripted challenges.
ChainResult prove_chain(const Scenario& scenario, Prover& masks,
                        std::vector<Event>* events = nullptr) {
  ScriptedTranscript<Prover> t(scenario.script, &masks);
  auto one = prove(scenario.first, Masked{scenario.first.sum()}, t);
  const F beta = t.challenge<F>("test/beta");
  Masked claimed = one.sent(0);
  claimed.add(beta, one.sent(1));
  auto two = prove(scenario.second(std::span<const F>(one.point)), claimed, t);
  CHECK(t.finished());
  if (events != nullptr) *events = t.events();
  return {{one.step, two.step}, std::vector<G>(masks.rows().begin(), masks.rows().end())};
}

}  // namespace

TEST_CASE("zero-knowledge simulator: steps simulated without the witness are accepted by the real verifier",
          "[zk][masking][simulator]") {
  zkcnn::testing::DeterministicRng rng(0x73696d);
  for (const std::size_t n : {0, 1, 2, 6}) {
    CAPTURE(n);
    const Scenario scenario = make_scenario(n, rng);

    Prover honest_masks(key(), width, rng);
    std::vector<Event> prover_events;
    const ChainResult honest = prove_chain(scenario, honest_masks, &prover_events);
    CHECK(claims_hold(honest_masks));
    const auto honest_events = verify_chain(scenario, honest, honest_masks.values());

    Prover simulator_masks(key(), width, rng);
    const ChainResult simulated = simulate_chain(scenario, simulator_masks, rng);
    const auto simulated_events = verify_chain(scenario, simulated, simulator_masks.values());

    // Same shape: the same transcript operations, mask rows and step sizes; different values.
    CHECK(simulated_events == honest_events);
    CHECK(prover_events == honest_events);
    CHECK(simulated.mask_rows.size() == honest.mask_rows.size());
    for (std::size_t s = 0; s < 2; ++s) {
      CAPTURE(s);
      const Step& a = honest.steps[s];
      const Step& b = simulated.steps[s];
      REQUIRE(a.sumcheck.round_messages.size() == b.sumcheck.round_messages.size());
      for (std::size_t i = 0; i < a.sumcheck.round_messages.size(); ++i) {
        CHECK(a.sumcheck.round_messages[i].size() == b.sumcheck.round_messages[i].size());
      }
      CHECK(a.evaluations.size() == b.evaluations.size());
      CHECK(a.masking.size() == b.masking.size());
      CHECK(a.evaluations != b.evaluations);
    }

    // The simulator's step is not a replay: changing one simulated value breaks acceptance,
    // which the real verifier notices (a final check or a claim on the simulator's masks).
    auto broken = simulated;
    broken.steps[1].masking[1] += F::one();
    Verifier verifier(width, broken.mask_rows);
    ScriptedTranscript<Verifier> t(scenario.script, &verifier);
    auto one = verify(scenario.first, Masked{scenario.first.sum()}, broken.steps[0], t);
    REQUIRE(one);
    const F beta = t.challenge<F>("test/beta");
    Masked claimed = zkcnn::gkr::sent_value(broken.steps[0], *one, 0);
    claimed.add(beta, zkcnn::gkr::sent_value(broken.steps[0], *one, 1));
    const Instance second = scenario.second(std::span<const F>(one->point));
    auto two = verify(second, claimed, broken.steps[1], t);
    REQUIRE(two);
    CHECK_FALSE(zkcnn::gkr::check_step(*two, second.recompute(broken.steps[1].evaluations, two->point), "second"));
  }
}

TEST_CASE("zero-knowledge simulator: single steps of every kind, claims with several mask terms",
          "[zk][masking][simulator]") {
  zkcnn::testing::DeterministicRng rng(0x73696e);
  for (const std::size_t n : {0, 1, 2, 6}) {
    for (const Kind kind : {Kind::eq_times_witness, Kind::product_plus_public, Kind::public_only}) {
      for (const std::size_t claim_terms : {0, 1, 3}) {
        CAPTURE(n, static_cast<int>(kind), claim_terms);
        const Instance instance = make_instance(kind, n, rng);
        const std::vector<F> script = random_table(challenge_count(n), rng);
        // The claim: masked by lines an earlier step committed. The honest prover knows them;
        // the simulator has its own (its earlier simulated steps'), and the same claimed value,
        // which is all the verifier sees.
        Prover honest(key(), width, rng);
        ScriptedTranscript<Prover> pt(script, &honest);
        zkcnn::testing::DeterministicRng c1(5);
        const Masked claimed = masked_claim(instance.sum(), claim_terms, honest, pt, c1, &honest);
        const auto proven = prove(instance, claimed, pt);
        CHECK(pt.finished());

        Prover simulator(key(), width, rng);
        ScriptedTranscript<Prover> sink({}, nullptr);
        zkcnn::testing::DeterministicRng c2(5);
        Masked sim_claim = masked_claim(F::zero(), claim_terms, simulator, sink, c2, &simulator);
        sim_claim.value = claimed.value;  // the public claimed value; the mask terms are the same
        REQUIRE(sim_claim.masks == claimed.masks);
        const auto simulated = simulate_step(public_view(instance), sim_claim, std::span<const F>(script), simulator,
                                             sink, rng);

        auto run_verifier = [&](const Step& step, const Prover& masks) {
          Verifier verifier(width, std::vector<G>(masks.rows().begin(), masks.rows().end()));
          ScriptedTranscript<Verifier> t(script, &verifier);
          zkcnn::testing::DeterministicRng unused(0);
          if (claim_terms > 0) (void)masked_claim(F::zero(), claim_terms, verifier, t, unused, nullptr);
          auto subclaim = verify(instance, claimed, step, t);
          REQUIRE(subclaim);
          CHECK(subclaim->point == simulated.point);
          CHECK(zkcnn::gkr::check_step(*subclaim, instance.recompute(step.evaluations, subclaim->point), "step"));
          CHECK(verifier.exhausted());
          CHECK(t.finished());
          CHECK(claims_hold(verifier.claims(), masks.values()));
          return t.events();
        };
        const auto honest_events = run_verifier(proven.step, honest);
        const auto simulated_events = run_verifier(simulated.step, simulator);
        CHECK(simulated_events == honest_events);
        CHECK(pt.events() == honest_events);
        CHECK(simulator.rows().size() == honest.rows().size());
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Whether the real steps are distributed as the simulator's. With the challenges fixed, a real
// step is an affine function of the prover's randomness (when no term has two sent factors), so
// its values lie in an affine space: witness offset + span of the mask directions. The
// simulator's steps fill the whole space of accepted steps. The two distributions agree for
// every witness only if the real span is that whole space, that is, if the two ranks agree;
// then two witnesses with the same public statement give the same distribution.
//
// A mask without Libra's constant term a_0 would draw one value fewer than the accepted
// transcripts (G, the messages, u(r)) have free dimensions, and one linear combination of them
// would reveal a linear function of the witness whenever the claim has no mask term (a public
// claim: the output layer's, a zero-check's, argmax's); with n = 1 it would be the first
// message's value at 0 itself. These tests pin that down.

namespace {

/// A step's field elements, in proof order: round values, sent values, G, u(r).
std::vector<F> flatten(const Step& step) {
  std::vector<F> out;
  for (const auto& message : step.sumcheck.round_messages) out.insert(out.end(), message.begin(), message.end());
  out.insert(out.end(), step.evaluations.begin(), step.evaluations.end());
  out.insert(out.end(), step.masking.begin(), step.masking.end());
  return out;
}

/// The rank of a list of vectors over F (Gaussian elimination).
std::size_t rank(std::vector<std::vector<F>> rows) {
  std::size_t r = 0;
  const std::size_t columns = rows.empty() ? 0 : rows.front().size();
  for (std::size_t c = 0; c < columns && r < rows.size(); ++c) {
    std::size_t pivot = r;
    while (pivot < rows.size() && rows[pivot][c].is_zero()) ++pivot;
    if (pivot == rows.size()) continue;
    std::swap(rows[pivot], rows[r]);
    const F inverse = *rows[r][c].inverse();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (i == r || rows[i][c].is_zero()) continue;
      const F factor = rows[i][c] * inverse;
      for (std::size_t j = c; j < columns; ++j) rows[i][j] -= factor * rows[r][j];
    }
    ++r;
  }
  return r;
}

std::vector<F> difference(const std::vector<F>& a, const std::vector<F>& b) {
  std::vector<F> out(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = a[i] - b[i];
  return out;
}

}  // namespace

TEST_CASE("zero knowledge: real steps span the simulator's space, so witnesses with one statement look alike",
          "[zk-leak]") {
  zkcnn::testing::DeterministicRng rng(0x6c65616b);
  for (const std::size_t n : {1, 2, 3}) {
    CAPTURE(n);
    // g = e a, e public, a the witness (sent); a public claim (its sum).
    const Instance a_instance = make_instance(Kind::eq_times_witness, n, rng);
    Instance b_instance = a_instance;  // another witness with the same sum
    b_instance.tables[1] = random_table(std::size_t{1} << n, rng);
    const auto& e = a_instance.tables[0];
    F gap = a_instance.sum() - b_instance.sum();
    b_instance.tables[1][0] += gap * *e[0].inverse();
    REQUIRE(b_instance.sum() == a_instance.sum());
    const std::vector<F> script = random_table(challenge_count(n), rng);
    const Masked claimed{a_instance.sum()};

    auto real = [&](const Instance& instance, std::uint64_t seed) {
      zkcnn::testing::DeterministicRng mask_rng(seed);
      Prover masks(key(), width, mask_rng);
      ScriptedTranscript<Prover> t(script, &masks);
      return flatten(prove(instance, claimed, t).step);
    };
    const auto origin = real(a_instance, 1);
    const std::size_t samples = origin.size() + 2;  // more than enough to span the affine space
    std::vector<std::vector<F>> real_directions, simulated_directions;
    const PublicStep statement = public_view(a_instance);
    std::vector<F> simulated_origin;
    for (std::size_t i = 0; i < samples; ++i) {
      real_directions.push_back(difference(real(a_instance, 100 + i), origin));
      Prover masks(key(), width, rng);
      ScriptedTranscript<Prover> sink({}, nullptr);
      const auto simulated = flatten(simulate_step(statement, claimed, std::span<const F>(script), masks, sink, rng).step);
      if (simulated_origin.empty()) simulated_origin = simulated;
      simulated_directions.push_back(difference(simulated, simulated_origin));
    }
    const std::size_t real_rank = rank(real_directions);
    const std::size_t simulated_rank = rank(simulated_directions);
    INFO("real rank " << real_rank << ", simulated rank " << simulated_rank << ", " << origin.size() << " values");
    // The accepted steps: all values free but one (the final check).
    CHECK(simulated_rank == origin.size() - 1);
    CHECK(real_rank == simulated_rank);
    // Witness b's step lies in witness a's affine space.
    auto with_b = real_directions;
    with_b.push_back(difference(real(b_instance, 7), origin));
    CHECK(rank(with_b) == real_rank);
  }
}

TEST_CASE("zero knowledge: a one-variable step's first message does not reveal the witness", "[zk-leak]") {
  zkcnn::testing::DeterministicRng rng(0x6c656b32);
  const Instance instance = make_instance(Kind::eq_times_witness, 1, rng);  // g = e a over 1 variable
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    zkcnn::testing::DeterministicRng mask_rng(seed);
    Prover masks(key(), width, mask_rng);
    zkcnn::zk::MaskingTranscript<Prover> t("masked step test", &masks);
    const auto proven = prove(instance, Masked{instance.sum()}, t);
    // p_1(0) = e[0] a[0] + rho m(0): without a_0 (m_1(0) = 0) the witness entry a[0] in the clear.
    CHECK(proven.step.sumcheck.round_messages[0][0] != instance.tables[0][0] * instance.tables[1][0]);
  }
}

// The encoding fixes a masked step's last round at degree + (number of sent factors) values,
// which holds when each sent factor occurs at most once per term; prove_step refuses others.
TEST_CASE("masked steps: a sent factor twice in one term is refused") {
  zkcnn::testing::DeterministicRng rng(0x72657074);
  for (const std::size_t n : {0, 2}) {
    CAPTURE(n);
    const std::size_t full = std::size_t{1} << n;
    const Instance instance{n, {random_table(full, rng), random_table(full, rng)}, {{F::one(), {0, 1, 1}}}, {1}};
    CHECK_THROWS_AS(honest_run(instance, 0, rng), std::logic_error);
  }
}
