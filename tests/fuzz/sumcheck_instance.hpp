#pragma once
// The sum the sumcheck harness checks hostile proofs against, and whose honest proof the seed
// generator writes: g = f0 f1 + 3 f2 in three variables (degree 2) over BN254's scalar field,
// the field of the model proofs.

#include <zkcnn/field/bn254.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/sumcheck/proof.hpp>
#include <zkcnn/sumcheck/prover.hpp>
#include <zkcnn/sumcheck/verifier.hpp>
#include <zkcnn/transcript/transcript.hpp>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace zkcnn_fuzz {

using SumcheckField = zkcnn::bn254::Fr;

inline constexpr std::string_view sumcheck_domain = "zkcnn fuzz sumcheck";

inline zkcnn::sumcheck::SumOfProducts<SumcheckField> sumcheck_instance() {
  using F = SumcheckField;
  constexpr std::size_t num_vars = 3;
  std::vector<std::vector<F>> tables(3);
  for (std::size_t k = 0; k < tables.size(); ++k) {
    for (std::uint64_t x = 0; x < (1u << num_vars); ++x) tables[k].push_back(F::from_u64(1 + 3 * x + 5 * k));
  }
  return {num_vars, std::move(tables), {{F::one(), {0, 1}}, {F::from_u64(3), {2}}}};
}

/// The honest proof of the instance's sum, encoded.
inline std::vector<std::uint8_t> honest_sumcheck_proof() {
  auto g = sumcheck_instance();
  const SumcheckField sum = g.sum_over_hypercube();
  zkcnn::Sha256Transcript transcript(sumcheck_domain);
  return zkcnn::sumcheck::serialize(zkcnn::sumcheck::prove<SumcheckField>(std::move(g), sum, transcript).proof);
}

/// Whether `proof` convinces a verifier of the instance's sum: the rounds, then the subclaim
/// checked against g evaluated at its point.
inline bool sumcheck_accepts(const zkcnn::sumcheck::Proof<SumcheckField>& proof) {
  using F = SumcheckField;
  static const auto g = sumcheck_instance();
  zkcnn::Sha256Transcript transcript(sumcheck_domain);
  auto subclaim = zkcnn::sumcheck::verify<F>(g.sum_over_hypercube(), g.shape(), proof, transcript);
  if (!subclaim) return false;
  std::vector<F> values;
  for (const auto& table : g.factors()) {
    values.push_back(zkcnn::evaluate_multilinear<F>(std::span<const F>(table), std::span<const F>(subclaim->point)));
  }
  return static_cast<bool>(zkcnn::sumcheck::check_subclaim(*subclaim, g.shape().combine(std::span<const F>(values))));
}

}  // namespace zkcnn_fuzz
