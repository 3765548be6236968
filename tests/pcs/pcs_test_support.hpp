#pragma once
// Shared helpers for the commitment-scheme tests: the groups the template tests run over,
// deterministic randomness, one cached Hyrax key per group (deriving generators is the costly
// part of a key), and honest commit / prove / verify runs with matching transcripts.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <zkcnn/ec/bls12_381_g1.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/error.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>

namespace zkcnn::pcs_testing {

// Group list for TEMPLATE_TEST_CASE.
#define ZKCNN_TEST_PCS_GROUPS zkcnn::bn254::G1, zkcnn::bls12_381::G1

inline constexpr std::string_view key_domain = "zkcnn pcs tests";
inline constexpr std::string_view transcript_domain = "zkcnn pcs tests transcript";
/// Rows of the cached keys hold up to 2^11 entries on BN254 and 2^8 on BLS12-381 (whose
/// hash_to_group costs a 128-bit cofactor multiplication per generator; each test process
/// derives its keys afresh when CTest runs the test cases one by one).
template <class G>
inline constexpr std::size_t max_column_vars = std::is_same_v<G, bn254::G1> ? 11 : 8;

inline zkcnn::testing::DeterministicRng make_rng(std::uint64_t seed) { return zkcnn::testing::DeterministicRng(seed); }

template <class F>
std::vector<F> random_vector(std::size_t n, zkcnn::testing::DeterministicRng& rng) {
  std::vector<F> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(F::random(rng));
  return out;
}

template <class F>
F evaluate(const std::vector<F>& table, const std::vector<F>& point) {
  return evaluate_multilinear<F>(std::span<const F>(table), std::span<const F>(point));
}

/// One key per group, derived once for the whole test program.
template <class G>
const Hyrax<G>& hyrax_key() {
  static const Hyrax<G> key(key_domain, max_column_vars<G>);
  return key;
}

inline Sha256Transcript fresh_transcript() { return Sha256Transcript(transcript_domain); }

/// A polynomial, its commitment and an evaluation claim, made honestly.
template <class G>
struct Instance {
  using F = scalar_of<G>;
  std::size_t num_vars = 0;
  std::vector<F> evaluations;
  HyraxCommitment<G> commitment;
  HyraxOpening<G> opening;
  std::vector<F> point;
  F value;
};

/// `length` random evaluations (at most 2^num_vars; the rest are implicit zeros), committed
/// with `column_vars` (default: the balanced shape), and a random point.
template <class G>
Instance<G> make_instance(std::size_t num_vars, zkcnn::testing::DeterministicRng& rng, std::optional<std::size_t> column_vars = {},
                          std::optional<std::size_t> length = {}) {
  using F = scalar_of<G>;
  Instance<G> instance;
  instance.num_vars = num_vars;
  instance.evaluations = random_vector<F>(length.value_or(std::size_t{1} << num_vars), rng);
  auto [commitment, opening] =
      hyrax_key<G>().commit(std::span<const F>(instance.evaluations), num_vars, rng, column_vars);
  instance.commitment = std::move(commitment);
  instance.opening = std::move(opening);
  instance.point = random_vector<F>(num_vars, rng);
  instance.value = evaluate(instance.evaluations, instance.point);
  return instance;
}

/// Prover side: absorbs the commitment, then proves the (public) value.
template <class G>
HyraxEvaluationProof<G> prove_public(const Instance<G>& instance, zkcnn::testing::DeterministicRng& rng) {
  using F = scalar_of<G>;
  auto transcript = fresh_transcript();
  Hyrax<G>::absorb_commitment(transcript, instance.commitment);
  return hyrax_key<G>().prove(std::span<const F>(instance.evaluations), instance.opening, instance.commitment,
                              std::span<const F>(instance.point), instance.value, transcript, rng);
}

template <class G>
std::pair<HyraxEvaluationProof<G>, scalar_of<G>> prove_hidden(const Instance<G>& instance, zkcnn::testing::DeterministicRng& rng) {
  using F = scalar_of<G>;
  auto transcript = fresh_transcript();
  Hyrax<G>::absorb_commitment(transcript, instance.commitment);
  return hyrax_key<G>().prove_hidden(std::span<const F>(instance.evaluations), instance.opening,
                                     instance.commitment, std::span<const F>(instance.point), instance.value,
                                     transcript, rng);
}

/// Verifier side with a fresh transcript that absorbs `commitment` first, as the prover did.
template <class G>
Status verify_public(const HyraxCommitment<G>& commitment, const std::vector<scalar_of<G>>& point,
                     const scalar_of<G>& value, const HyraxEvaluationProof<G>& proof) {
  auto transcript = fresh_transcript();
  Hyrax<G>::absorb_commitment(transcript, commitment);
  return hyrax_key<G>().verify(commitment, std::span<const scalar_of<G>>(point), value, proof, transcript);
}

template <class G>
Status verify_hidden(const HyraxCommitment<G>& commitment, const std::vector<scalar_of<G>>& point,
                     const HyraxEvaluationProof<G>& proof) {
  auto transcript = fresh_transcript();
  Hyrax<G>::absorb_commitment(transcript, commitment);
  return hyrax_key<G>().verify_hidden(commitment, std::span<const scalar_of<G>>(point), proof, transcript);
}

/// A point different from `p` (p + generator).
template <class G>
G other_point(const G& p) {
  return group_traits<G>::add(p, group_traits<G>::generator());
}

}  // namespace zkcnn::pcs_testing
