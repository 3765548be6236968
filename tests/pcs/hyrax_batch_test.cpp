// Hyrax's opening of many claims at once (Hyrax::prove_batch): completeness for claims at
// random points and on blocks (highest coordinates fixed to 0 or 1), one claim, and a table
// shorter than 2^n; rejection of every false claim, of every tampered byte range of the proof
// (rounds, row values, inner-product argument), of another commitment, and of truncated or
// extended encodings.

#include "pcs_test_support.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <tuple>
#include <vector>

namespace {

using namespace zkcnn::pcs_testing;

template <class G>
struct BatchInstance {
  using F = zkcnn::scalar_of<G>;
  std::vector<F> table;
  zkcnn::HyraxCommitment<G> commitment;
  zkcnn::HyraxOpening<G> opening;
  std::vector<zkcnn::EvaluationClaim<F>> claims;
};

template <class G>
BatchInstance<G> make_instance(std::size_t num_vars, std::size_t claims, std::size_t length, std::uint64_t seed) {
  using F = zkcnn::scalar_of<G>;
  auto rng = make_rng(seed);
  BatchInstance<G> out;
  out.table = random_vector<F>(length, rng);
  std::tie(out.commitment, out.opening) = hyrax_key<G>().commit(std::span<const F>(out.table), num_vars, rng);
  for (std::size_t k = 0; k < claims; ++k) {
    auto point = random_vector<F>(num_vars, rng);
    if (k % 3 == 1) point.back() = F::one();  // a claim on the upper half
    if (k % 3 == 2) {
      point[num_vars - 1] = F::zero();
      point[num_vars - 2] = F::one();
    }
    const F value = evaluate(out.table, point);
    out.claims.push_back({std::move(point), value});
  }
  return out;
}

template <class G>
bool verifies(const BatchInstance<G>& instance, const zkcnn::HyraxBatchProof<G>& proof) {
  auto t = fresh_transcript();
  return static_cast<bool>(hyrax_key<G>().verify_batch(
      instance.commitment, std::span<const zkcnn::EvaluationClaim<zkcnn::scalar_of<G>>>(instance.claims), proof, t));
}

template <class G>
zkcnn::HyraxBatchProof<G> prove(const BatchInstance<G>& instance, std::uint64_t seed) {
  auto rng = make_rng(seed);
  auto t = fresh_transcript();
  return hyrax_key<G>().prove_batch(std::span<const zkcnn::scalar_of<G>>(instance.table), instance.opening,
                                    instance.commitment,
                                    std::span<const zkcnn::EvaluationClaim<zkcnn::scalar_of<G>>>(instance.claims), t, rng);
}

TEMPLATE_TEST_CASE("Hyrax batch opening: completeness", "[pcs]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  for (const auto& [num_vars, claims, length] : std::vector<std::array<std::size_t, 3>>{{6, 1, 64}, {7, 5, 128}, {9, 8, 300}}) {
    const auto instance = make_instance<G>(num_vars, claims, length, 71 + num_vars);
    const auto proof = prove(instance, 5);
    CHECK(verifies(instance, proof));
    const auto bytes = zkcnn::Hyrax<G>::encode_batch_proof(proof);
    const auto decoded = zkcnn::Hyrax<G>::decode_batch_proof(bytes);
    REQUIRE(decoded);
    CHECK(*decoded == proof);
  }
}

TEST_CASE("Hyrax batch opening: soundness", "[pcs]") {
  using G = zkcnn::bn254::G1;
  using F = zkcnn::scalar_of<G>;
  const auto instance = make_instance<G>(8, 6, 256, 81);
  const auto proof = prove(instance, 6);
  REQUIRE(verifies(instance, proof));

  SECTION("every claim's value changed") {
    for (std::size_t k = 0; k < instance.claims.size(); ++k) {
      auto wrong = instance;
      wrong.claims[k].value += F::one();
      CHECK_FALSE(verifies(wrong, proof));
    }
  }
  SECTION("another commitment") {
    const auto other = make_instance<G>(8, 6, 256, 82);
    auto swapped = instance;
    swapped.commitment = other.commitment;
    CHECK_FALSE(verifies(swapped, proof));
  }
  SECTION("every round value and row value changed") {
    for (std::size_t r = 0; r < proof.rounds.size(); ++r) {
      for (std::size_t i = 0; i < 2; ++i) {
        auto tampered = proof;
        tampered.rounds[r][i] += F::one();
        CHECK_FALSE(verifies(instance, tampered));
      }
    }
    for (std::size_t k = 0; k < proof.row_values.size(); ++k) {
      auto tampered = proof;
      tampered.row_values[k] += F::one();
      CHECK_FALSE(verifies(instance, tampered));
    }
  }
  SECTION("every byte of the encoding flipped, truncated, extended") {
    const auto bytes = zkcnn::Hyrax<G>::encode_batch_proof(proof);
    for (std::size_t position = 0; position < bytes.size(); position += 7) {
      auto tampered = bytes;
      tampered[position] ^= 0x04;
      const auto decoded = zkcnn::Hyrax<G>::decode_batch_proof(tampered);
      if (decoded) CHECK_FALSE(verifies(instance, *decoded));
    }
    for (std::size_t cut = 0; cut < bytes.size(); cut += 13) {
      CHECK_FALSE(zkcnn::Hyrax<G>::decode_batch_proof(std::span<const std::uint8_t>(bytes.data(), cut)));
    }
    auto longer = bytes;
    longer.push_back(0);
    CHECK_FALSE(zkcnn::Hyrax<G>::decode_batch_proof(longer));
  }
}

}  // namespace
