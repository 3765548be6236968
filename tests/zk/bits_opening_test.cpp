// The auxiliary witness's opening (zk/bits_opening.hpp): a booleanity zero-check, then every
// claim in one batch opening. Honest bits and claims verify; an entry that is not a bit, a
// false claim, or any changed element of the zero-check is rejected.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/zk/bits_opening.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <span>
#include <vector>

namespace {

using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;
using F = Pcs::Scalar;
using Claims = std::vector<zkcnn::EvaluationClaim<F>>;

constexpr std::size_t num_vars = 8;

const Pcs& pcs() {
  static const Pcs scheme("zkcnn bits opening test", 4);
  return scheme;
}

Claims claims_on(const std::vector<F>& table, std::mt19937_64& rng, std::size_t count) {
  Claims claims;
  for (std::size_t k = 0; k < count; ++k) {
    std::vector<F> point(num_vars);
    for (auto& c : point) c = F::random(rng);
    // Some claims on a block: the highest coordinates fixed, as the model proof makes them.
    if (k % 2 == 1) point.back() = F::one();
    const F value = zkcnn::evaluate_multilinear(std::span<const F>(table), std::span<const F>(point));
    claims.push_back({std::move(point), value});
  }
  return claims;
}

bool verifies(const zkcnn::HyraxCommitment<zkcnn::bn254::G1>& commitment, const Claims& claims,
              const zkcnn::zk::BitsOpeningProof<Pcs>& proof) {
  zkcnn::Sha256Transcript t("bits test");
  return static_cast<bool>(zkcnn::zk::verify_bits_opening(pcs(), commitment, num_vars, claims, proof, t));
}

zkcnn::zk::BitsOpeningProof<Pcs> prove(const std::vector<F>& table, const zkcnn::HyraxOpening<zkcnn::bn254::G1>& opening,
                                       const zkcnn::HyraxCommitment<zkcnn::bn254::G1>& commitment, const Claims& claims,
                                       std::mt19937_64& rng) {
  zkcnn::Sha256Transcript t("bits test");
  return zkcnn::zk::prove_bits_opening(pcs(), std::span<const F>(table), opening, commitment, num_vars,
                                       claims, t, rng);
}

TEST_CASE("bits opening: honest bits and claims verify, everything else is rejected", "[zk]") {
  std::mt19937_64 rng(61);
  std::vector<F> bits(std::size_t{1} << num_vars);
  for (auto& b : bits) b = (rng() & 1) ? F::one() : F::zero();
  auto [commitment, opening] = pcs().commit(std::span<const F>(bits), num_vars, rng);
  const Claims claims = claims_on(bits, rng, 4);
  const auto proof = prove(bits, opening, commitment, claims, rng);
  CHECK(verifies(commitment, claims, proof));

  SECTION("a false claim") {
    for (std::size_t k = 0; k < claims.size(); ++k) {
      auto wrong = claims;
      wrong[k].value += F::one();
      CHECK_FALSE(verifies(commitment, wrong, proof));
    }
  }
  SECTION("every element of the zero-check changed") {
    for (std::size_t round = 0; round < num_vars; ++round) {
      for (std::size_t i = 0; i < 3; ++i) {
        auto tampered = proof;
        tampered.booleanity.sumcheck.round_messages[round][i] += F::one();
        CHECK_FALSE(verifies(commitment, claims, tampered));
      }
    }
    auto tampered = proof;
    tampered.booleanity.evaluations[0] += F::one();
    CHECK_FALSE(verifies(commitment, claims, tampered));
  }
  SECTION("an entry that is not a bit, with true claims on it") {
    auto table = bits;
    table[37] = F::from_u64(2);
    auto [c2, o2] = pcs().commit(std::span<const F>(table), num_vars, rng);
    const Claims on_table = claims_on(table, rng, 3);
    CHECK_FALSE(verifies(c2, on_table, prove(table, o2, c2, on_table, rng)));
  }
}

}  // namespace
