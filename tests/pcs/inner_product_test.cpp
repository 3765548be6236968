// The zero-knowledge inner-product argument on its own: completeness for every power-of-two
// length up to 64, the statement given as a linear combination, and soundness against every
// tampered proof element, a changed statement, a changed public vector, a different
// transcript, and proofs of the wrong shape.

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include <zkcnn/pcs/inner_product.hpp>
#include <zkcnn/pcs/pedersen.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>

#include "pcs/pcs_test_support.hpp"

namespace {

using zkcnn::Errc;
using zkcnn::InnerProductProof;
using zkcnn::LinearCombination;
using zkcnn::PedersenKey;
using zkcnn::scalar_of;
using zkcnn::Sha256Transcript;
using zkcnn::pcs_testing::other_point;
using zkcnn::pcs_testing::random_vector;

template <class G>
const PedersenKey<G>& ipa_key() {
  static const PedersenKey<G> key("zkcnn inner product tests", 64);
  return key;
}

/// P = <u, G> + <u, b> U + rho H for random u, b, rho, and an honest proof.
template <class G>
struct IpaInstance {
  using F = scalar_of<G>;
  std::size_t n = 0;
  std::vector<F> b;
  G statement;
  InnerProductProof<G> proof;
  std::array<std::uint8_t, zkcnn::Sha256::digest_size> prover_digest{};
};

template <class G>
Sha256Transcript ipa_transcript() {
  Sha256Transcript t("zkcnn inner product tests");
  t.absorb_string("context", "statement");
  return t;
}

template <class G>
IpaInstance<G> make_ipa(std::size_t n, zkcnn::testing::DeterministicRng& rng) {
  using F = scalar_of<G>;
  const auto& key = ipa_key<G>();
  const auto generators = key.generators().first(n);
  IpaInstance<G> instance;
  instance.n = n;
  const auto u = random_vector<F>(n, rng);
  instance.b = random_vector<F>(n, rng);
  const F rho = F::random(rng);
  F dot = F::zero();
  for (std::size_t i = 0; i < n; ++i) dot += u[i] * instance.b[i];
  instance.statement = zkcnn::msm<G>(generators, std::span<const F>(u)) + key.value_generator() * dot +
                       key.blinding_generator() * rho;
  auto transcript = ipa_transcript<G>();
  instance.proof = zkcnn::prove_inner_product<G>(transcript, generators, key.value_generator(),
                                                 key.blinding_generator(), u, instance.b, rho, rng);
  instance.prover_digest = transcript.state_digest();
  return instance;
}

template <class G>
zkcnn::Status verify_ipa(std::size_t n, const std::vector<scalar_of<G>>& b, const G& statement,
                         const InnerProductProof<G>& proof, Sha256Transcript transcript = ipa_transcript<G>(),
                         std::array<std::uint8_t, zkcnn::Sha256::digest_size>* digest = nullptr) {
  const auto& key = ipa_key<G>();
  LinearCombination<G> combination{{statement}, {scalar_of<G>::one()}};
  auto status = zkcnn::verify_inner_product<G>(transcript, key.generators().first(n), key.value_generator(),
                                               key.blinding_generator(), std::span<const scalar_of<G>>(b),
                                               combination, proof);
  if (digest != nullptr) *digest = transcript.state_digest();
  return status;
}

}  // namespace

TEMPLATE_TEST_CASE("Inner-product argument: completeness for n = 1 .. 64", "[pcs][ipa]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x4950412d636f6d70ull);
  for (std::size_t n = 1; n <= 64; n *= 2) {
    CAPTURE(n);
    const auto instance = make_ipa<G>(n, rng);
    CHECK(instance.proof.left.size() == instance.proof.right.size());
    std::size_t rounds = 0;
    while ((std::size_t{1} << rounds) < n) ++rounds;
    CHECK(instance.proof.left.size() == rounds);
    std::array<std::uint8_t, zkcnn::Sha256::digest_size> verifier_digest{};
    CHECK(verify_ipa<G>(n, instance.b, instance.statement, instance.proof, ipa_transcript<G>(), &verifier_digest));
    // Prover and verifier end in the same transcript state.
    CHECK(verifier_digest == instance.prover_digest);

    // The statement as a linear combination of several points: P = 3 A + B with B = P - 3A.
    const G a = G::hash_to_group("ipa test split", n);
    const F three = F::from_u64(3);
    LinearCombination<G> split{{a, instance.statement - a * three}, {three, F::one()}};
    auto transcript = ipa_transcript<G>();
    const auto& key = ipa_key<G>();
    CHECK(zkcnn::verify_inner_product<G>(transcript, key.generators().first(n), key.value_generator(),
                                         key.blinding_generator(), std::span<const F>(instance.b), split,
                                         instance.proof));
  }
}

TEMPLATE_TEST_CASE("Inner-product argument: special vectors", "[pcs][ipa]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x4950412d7370656full);
  const auto& key = ipa_key<G>();
  const std::size_t n = 8;
  const auto generators = key.generators().first(n);
  // u = 0 (statement = rho H), b = 0, and both: still complete.
  for (int variant = 0; variant < 3; ++variant) {
    CAPTURE(variant);
    std::vector<F> u = variant == 1 ? random_vector<F>(n, rng) : std::vector<F>(n, F::zero());
    std::vector<F> b = variant == 0 ? random_vector<F>(n, rng) : std::vector<F>(n, F::zero());
    const F rho = F::random(rng);
    F dot = F::zero();
    for (std::size_t i = 0; i < n; ++i) dot += u[i] * b[i];
    const G statement = zkcnn::msm<G>(generators, std::span<const F>(u)) + key.value_generator() * dot +
                        key.blinding_generator() * rho;
    auto transcript = ipa_transcript<G>();
    const auto proof = zkcnn::prove_inner_product<G>(transcript, generators, key.value_generator(),
                                                     key.blinding_generator(), u, b, rho, rng);
    CHECK(verify_ipa<G>(n, b, statement, proof));
  }
}

TEMPLATE_TEST_CASE("Inner-product argument: every tampered element is rejected", "[pcs][ipa]",
                   ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x4950412d74616d70ull);
  const std::size_t n = 16;
  const auto instance = make_ipa<G>(n, rng);
  REQUIRE(verify_ipa<G>(n, instance.b, instance.statement, instance.proof));

  auto expect_rejected = [&](const InnerProductProof<G>& proof) {
    const auto status = verify_ipa<G>(n, instance.b, instance.statement, proof);
    REQUIRE_FALSE(status);
    CHECK(status.error().code == Errc::verification_failed);
  };

  for (std::size_t j = 0; j < instance.proof.left.size(); ++j) {
    CAPTURE(j);
    auto proof = instance.proof;
    proof.left[j] = other_point(proof.left[j]);
    expect_rejected(proof);
    proof = instance.proof;
    proof.right[j] = other_point(proof.right[j]);
    expect_rejected(proof);
    // Swapping L and R of a round.
    proof = instance.proof;
    std::swap(proof.left[j], proof.right[j]);
    expect_rejected(proof);
  }
  {
    auto proof = instance.proof;
    proof.schnorr_commitment = other_point(proof.schnorr_commitment);
    expect_rejected(proof);
  }
  {
    auto proof = instance.proof;
    proof.opening_response += F::one();
    expect_rejected(proof);
  }
  {
    auto proof = instance.proof;
    proof.blinding_response += F::one();
    expect_rejected(proof);
  }
  // The statement changed.
  CHECK_FALSE(verify_ipa<G>(n, instance.b, other_point(instance.statement), instance.proof));
  CHECK_FALSE(verify_ipa<G>(n, instance.b, instance.statement + ipa_key<G>().value_generator(), instance.proof));
  CHECK_FALSE(verify_ipa<G>(n, instance.b, instance.statement + ipa_key<G>().blinding_generator(), instance.proof));
  // The public vector changed in one entry.
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(i);
    auto b = instance.b;
    b[i] += F::one();
    CHECK_FALSE(verify_ipa<G>(n, b, instance.statement, instance.proof));
  }
  // A transcript with a different history.
  {
    Sha256Transcript transcript("zkcnn inner product tests");
    transcript.absorb_string("context", "another statement");
    CHECK_FALSE(verify_ipa<G>(n, instance.b, instance.statement, instance.proof, transcript));
    CHECK_FALSE(verify_ipa<G>(n, instance.b, instance.statement, instance.proof,
                              Sha256Transcript("zkcnn inner product tests")));
  }
}

TEMPLATE_TEST_CASE("Inner-product argument: wrong shapes are malformed", "[pcs][ipa]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x4950412d73686170ull);
  const std::size_t n = 8;
  const auto instance = make_ipa<G>(n, rng);
  auto expect_malformed = [&](const InnerProductProof<G>& proof) {
    const auto status = verify_ipa<G>(n, instance.b, instance.statement, proof);
    REQUIRE_FALSE(status);
    CHECK(status.error().code == Errc::malformed_proof);
  };
  {
    auto proof = instance.proof;  // one round missing
    proof.left.pop_back();
    proof.right.pop_back();
    expect_malformed(proof);
  }
  {
    auto proof = instance.proof;  // one round too many
    proof.left.push_back(proof.left.back());
    proof.right.push_back(proof.right.back());
    expect_malformed(proof);
  }
  {
    auto proof = instance.proof;  // L and R of different lengths
    proof.right.pop_back();
    expect_malformed(proof);
  }
  {
    auto proof = instance.proof;
    proof.left.clear();
    proof.right.clear();
    expect_malformed(proof);
  }
  // The proof for n = 8 checked as one for n = 4 or 16.
  CHECK_FALSE(verify_ipa<G>(4, std::vector<F>(instance.b.begin(), instance.b.begin() + 4), instance.statement,
                            instance.proof));
  CHECK_FALSE(verify_ipa<G>(16, random_vector<F>(16, rng), instance.statement, instance.proof));

  // Generators and vector of different or non-power-of-two lengths.
  const auto& key = ipa_key<G>();
  LinearCombination<G> combination{{instance.statement}, {F::one()}};
  auto transcript = ipa_transcript<G>();
  auto status = zkcnn::verify_inner_product<G>(transcript, key.generators().first(8), key.value_generator(),
                                               key.blinding_generator(), std::span<const F>(instance.b).first(7),
                                               combination, instance.proof);
  REQUIRE_FALSE(status);
  CHECK(status.error().code == Errc::invalid_argument);
  status = zkcnn::verify_inner_product<G>(transcript, key.generators().first(6), key.value_generator(),
                                          key.blinding_generator(), std::span<const F>(instance.b).first(6),
                                          combination, instance.proof);
  REQUIRE_FALSE(status);
  CHECK(status.error().code == Errc::invalid_argument);
  status = zkcnn::verify_inner_product<G>(transcript, key.generators().first(0), key.value_generator(),
                                          key.blinding_generator(), std::span<const F>(), combination,
                                          instance.proof);
  REQUIRE_FALSE(status);
  CHECK(status.error().code == Errc::invalid_argument);

  // The prover's precondition.
  const auto u = random_vector<F>(6, rng);
  CHECK_THROWS_AS(zkcnn::prove_inner_product<G>(transcript, key.generators().first(6), key.value_generator(),
                                                key.blinding_generator(), u, u, F::zero(), rng),
                  std::invalid_argument);
}

TEMPLATE_TEST_CASE("Inner-product argument: a false statement does not verify", "[pcs][ipa]",
                   ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x4950412d66616c73ull);
  const auto& key = ipa_key<G>();
  const std::size_t n = 8;
  const auto generators = key.generators().first(n);
  const auto u = random_vector<F>(n, rng);
  const auto b = random_vector<F>(n, rng);
  const F rho = F::random(rng);
  F dot = F::zero();
  for (std::size_t i = 0; i < n; ++i) dot += u[i] * b[i];
  // The statement claims <u, b> + 1: the honest prover's proof (for u, b) fails.
  const G statement = zkcnn::msm<G>(generators, std::span<const F>(u)) + key.value_generator() * (dot + F::one()) +
                      key.blinding_generator() * rho;
  auto transcript = ipa_transcript<G>();
  const auto proof = zkcnn::prove_inner_product<G>(transcript, generators, key.value_generator(),
                                                   key.blinding_generator(), u, b, rho, rng);
  CHECK_FALSE(verify_ipa<G>(n, b, statement, proof));
}
