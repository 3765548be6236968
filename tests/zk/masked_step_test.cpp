// Zero-knowledge sumcheck steps (gkr/sumcheck_step.hpp with zk/mask_commitment.hpp): honest
// masked steps verify and their claims on the committed masks hold; masked claims chain.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/gkr/sumcheck_step.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/zk/mask_commitment.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <span>
#include <vector>

namespace {

using G = zkcnn::bn254::G1;
using F = zkcnn::scalar_of<G>;
using Prover = zkcnn::zk::MaskProver<G, std::mt19937_64>;
using Verifier = zkcnn::zk::MaskVerifier<G>;

const zkcnn::PedersenKey<G>& key() {
  static const zkcnn::PedersenKey<G> k("zkcnn masked step test", 64);
  return k;
}

std::vector<F> random_table(std::size_t size, std::mt19937_64& rng) {
  std::vector<F> t(size);
  for (auto& v : t) v = F::random(rng);
  return t;
}

bool claims_hold(const Prover& masks) {
  for (const auto& claim : masks.claims()) {
    F value = F::zero();
    for (const auto& [entry, coefficient] : claim.terms) value += coefficient * masks.value(entry);
    if (value != claim.value) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("a masked step verifies, and a masked claim it sends chains into the next step") {
  std::mt19937_64 rng(7);
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

  Verifier verifier(16, std::vector<G>(masks.pieces().begin(), masks.pieces().end()));
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
