#pragma once
// Helpers shared by the polynomial, transcript and sumcheck tests: random tables, hypercube
// points, a naive (definition-level) multilinear extension, and sumcheck instances with their
// honest proofs. Kept separate from field_test_support.hpp (owned by the field tests).

#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/sumcheck/prover.hpp>
#include <zkcnn/sumcheck/sum_of_products.hpp>
#include <zkcnn/sumcheck/verifier.hpp>
#include <zkcnn/transcript/transcript.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace zkcnn_sumcheck_test {

inline std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// Lower-case hex of a byte string, in byte order.
inline std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (std::uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

template <class F>
std::vector<F> random_vector(zkcnn::testing::DeterministicRng& rng, std::size_t size) {
  std::vector<F> out;
  out.reserve(size);
  for (std::size_t i = 0; i < size; ++i) out.push_back(F::random(rng));
  return out;
}

/// The hypercube point bits(index) in n variables, little-endian: point[k] is bit k.
template <class F>
std::vector<F> hypercube_point(std::size_t index, std::size_t n) {
  std::vector<F> point(n);
  for (std::size_t k = 0; k < n; ++k) point[k] = ((index >> k) & 1) != 0 ? F::one() : F::zero();
  return point;
}

/// The MLE by its definition, sum_j V[j] eq(x, bits(j)), with entries past the table zero.
template <class F>
F naive_mle(std::span<const F> table, std::span<const F> point) {
  F total = F::zero();
  for (std::size_t j = 0; j < table.size(); ++j) {
    const auto bits = hypercube_point<F>(j, point.size());
    total += table[j] * zkcnn::eq_eval<F>(point, bits);
  }
  return total;
}

/// `table` explicitly zero-padded to 2^n entries.
template <class F>
std::vector<F> zero_padded(std::vector<F> table, std::size_t n) {
  table.resize(std::size_t{1} << n, F::zero());
  return table;
}

/// A random sum of products: one term per entry of `term_factors` (factor indices), random
/// non-zero-ish coefficients, and tables of the given lengths (each <= 2^num_vars).
template <class F>
zkcnn::sumcheck::SumOfProducts<F> random_instance(zkcnn::testing::DeterministicRng& rng, std::size_t num_vars,
                                                  const std::vector<std::size_t>& table_lengths,
                                                  const std::vector<std::vector<std::size_t>>& term_factors) {
  std::vector<std::vector<F>> tables;
  tables.reserve(table_lengths.size());
  for (std::size_t length : table_lengths) tables.push_back(random_vector<F>(rng, length));
  std::vector<zkcnn::sumcheck::Term<F>> terms;
  terms.reserve(term_factors.size());
  for (const auto& factors : term_factors) terms.push_back({F::random(rng), factors});
  return zkcnn::sumcheck::SumOfProducts<F>(num_vars, std::move(tables), std::move(terms));
}

/// g(point) from the original tables, by evaluating every factor's MLE at the point.
template <class F>
F evaluate_instance(const zkcnn::sumcheck::SumOfProducts<F>& g, std::type_identity_t<std::span<const F>> point) {
  std::vector<F> values;
  values.reserve(g.factors().size());
  for (const auto& table : g.factors()) values.push_back(zkcnn::evaluate_multilinear<F>(table, point));
  return g.shape().combine(values);
}

inline constexpr std::string_view test_domain = "zkcnn sumcheck test v1";

/// An honest proof of g's true sum, on a fresh transcript with `domain`.
template <class F>
zkcnn::sumcheck::ProverOutput<F> prove_honestly(const zkcnn::sumcheck::SumOfProducts<F>& g,
                                                std::string_view domain = test_domain) {
  zkcnn::Sha256Transcript transcript(domain);
  return zkcnn::sumcheck::prove<F>(g, g.sum_over_hypercube(), transcript);
}

/// Runs the verifier on a fresh transcript with `domain`.
template <class F>
zkcnn::Result<zkcnn::sumcheck::Subclaim<F>> verify_fresh(const F& claimed_sum, std::size_t num_vars, std::size_t degree,
                                                         const zkcnn::sumcheck::Proof<F>& proof,
                                                         std::string_view domain = test_domain) {
  zkcnn::Sha256Transcript transcript(domain);
  return zkcnn::sumcheck::verify<F>(claimed_sum, num_vars, degree, proof, transcript);
}

/// Full verification as a caller must do it: the sumcheck rounds, then the subclaim against g
/// evaluated (from its tables) at the subclaim's point.
template <class F>
zkcnn::Status verify_and_discharge(const zkcnn::sumcheck::SumOfProducts<F>& g, const F& claimed_sum,
                                   const zkcnn::sumcheck::Proof<F>& proof, std::string_view domain = test_domain) {
  auto subclaim = verify_fresh<F>(claimed_sum, g.shape().num_vars(), g.shape().degree(), proof, domain);
  if (!subclaim) return subclaim.error();
  return zkcnn::sumcheck::check_subclaim<F>(*subclaim, evaluate_instance<F>(g, subclaim->point));
}

}  // namespace zkcnn_sumcheck_test
