#pragma once
// Merging several claims on one table into one (docs/protocol.md section 4). Given claims
// V~(r_k) = v_k, the verifier draws alpha_k and the prover proves
//   sum_x (sum_k alpha_k eq(r_k, x)) V(x) = sum_k alpha_k v_k
// by one degree-2 sumcheck; at its final point s the prover sends V~(s), which the verifier
// checks against the subclaim with sum_k alpha_k eq(r_k, s) computed itself. A false claim
// survives with probability at most (K + 2n) / |F| (Schwartz-Zippel on the combination and the
// sumcheck). Structured layers take one claim on their output; this reduces many to one.
//
// Claims on a public table (the model's input) are checked by the verifier directly, except
// in zero knowledge, where their values are masked: the same sumcheck then proves the
// combination, with nothing sent, and the verifier evaluates the public table itself at the
// final point.

#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::gkr {

namespace detail {

template <EncodableField F, class T>
std::vector<F> merge_coefficients(T& transcript, std::span<const Claim<F>> claims) {
  transcript.absorb_u64("gkr/merge/claim_count", claims.size());
  for (const auto& claim : claims) absorb_claim(transcript, claim);
  return transcript.template challenges<F>("gkr/merge/alpha", claims.size());
}

template <Field F>
void check_claim_points(std::span<const Claim<F>> claims, std::size_t num_vars) {
  if (claims.empty()) throw std::invalid_argument("merge_claims: no claims to merge");
  for (const auto& claim : claims) {
    if (claim.point.size() != num_vars) throw std::invalid_argument("merge_claims: a claim has the wrong dimension");
  }
}

}  // namespace detail

namespace detail {

// One coefficient per claim, and claims of one dimension (a programming error otherwise: claims
// and coefficients come from the protocol's structure, never from proof bytes).
template <Field F>
void check_combination(std::span<const Claim<F>> claims, std::span<const F> alpha) {
  if (claims.empty() || alpha.size() != claims.size()) throw std::invalid_argument("claim combination: one coefficient per claim");
  check_claim_points(claims, claims.front().point.size());
}

}  // namespace detail

/// sum_k alpha_k v_k, mask terms included.
template <Field F>
MaskedValue<F> combined_value(std::span<const Claim<F>> claims, std::span<const F> alpha) {
  detail::check_combination(claims, alpha);
  MaskedValue<F> sum{F::zero()};
  for (std::size_t k = 0; k < claims.size(); ++k) sum.add(alpha[k], claims[k].masked_value());
  return sum;
}

/// sum_k alpha_k eq(r_k, s).
template <Field F>
F combined_weight(std::span<const Claim<F>> claims, std::span<const F> alpha, std::span<const F> s) {
  detail::check_combination(claims, alpha);
  if (s.size() != claims.front().point.size()) throw std::invalid_argument("combined_weight: a point of the wrong dimension");
  F weight = F::zero();
  for (std::size_t k = 0; k < claims.size(); ++k) weight += alpha[k] * eq_eval(std::span<const F>(claims[k].point), s);
  return weight;
}

/// sum_k alpha_k eq(r_k, x) over the hypercube of the claims' variables.
template <Field F>
std::vector<F> combined_eq_table(std::span<const Claim<F>> claims, std::span<const F> alpha) {
  detail::check_combination(claims, alpha);
  if (claims.size() == 1 && alpha[0] == F::one()) return eq_table(std::span<const F>(claims[0].point));
  std::vector<F> weights(std::size_t{1} << claims[0].point.size(), F::zero());
  for (std::size_t k = 0; k < claims.size(); ++k) {
    const std::vector<F> eq = eq_table(std::span<const F>(claims[k].point));
    for (std::size_t x = 0; x < weights.size(); ++x) weights[x] += alpha[k] * eq[x];
  }
  return weights;
}

/// For a structured layer whose sumcheck has eq(r, x) as a factor: the coefficients that
/// combine several claims on its output inside that sumcheck, as sum_k alpha_k eq(r_k, x),
/// instead of a merge before it (the same Schwartz-Zippel error on alpha, and no merge's
/// rounds). Binds the claims first; one claim is bound as it is and is its own combination.
template <EncodableField F, class T>
std::vector<F> combination_coefficients(std::span<const Claim<F>> claims, T& transcript) {
  if (claims.empty()) throw std::invalid_argument("combination_coefficients: no claims");
  if (claims.size() == 1) {
    absorb_claim(transcript, claims.front());
    return {F::one()};
  }
  return detail::merge_coefficients(transcript, claims);
}

namespace detail {

// The sumcheck of sum_x (sum_k alpha_k eq(r_k, x)) V(x), sending V's value when `send_table`.
template <EncodableField F, class T>
ProvenStep<F> prove_combination(std::span<const F> table, std::size_t num_vars, std::span<const Claim<F>> claims,
                                std::span<const F> alpha, bool send_table, T& transcript) {
  std::vector<F> weights = combined_eq_table(claims, alpha);
  std::vector<F> values(table.begin(), table.end());
  sumcheck::SumOfProducts<F> g(num_vars, {std::move(weights), std::move(values)}, {{F::one(), {0, 1}}});
  const std::size_t sent[] = {1};
  return prove_step(std::move(g), combined_value(claims, alpha),
                    send_table ? std::span<const std::size_t>(sent) : std::span<const std::size_t>(), transcript);
}

}  // namespace detail

template <EncodableField F>
struct MergedClaim {
  /// Empty when there was a single claim (nothing to prove).
  std::vector<SumcheckStep<F>> proof;
  Claim<F> claim;
};

/// Reduces the claims on the extension of `table` (num_vars variables) to one.
template <EncodableField F, class T>
MergedClaim<F> prove_merge(std::span<const F> table, std::size_t num_vars, std::span<const Claim<F>> claims,
                           T& transcript) {
  detail::check_claim_points(claims, num_vars);
  if (claims.size() == 1) return {{}, claims.front()};
  const std::vector<F> alpha = detail::merge_coefficients(transcript, claims);
  auto proven = detail::prove_combination(table, num_vars, claims, std::span<const F>(alpha), true, transcript);
  Claim<F> merged = make_claim(std::move(proven.point), proven.sent(0));
  return {{std::move(proven.step)}, std::move(merged)};
}

/// The verifier's side: the merged claim, or why the merge proof is rejected.
template <EncodableField F, class T>
Result<Claim<F>> verify_merge(std::size_t num_vars, std::span<const Claim<F>> claims,
                              std::span<const SumcheckStep<F>> proof, T& transcript) {
  detail::check_claim_points(claims, num_vars);
  if (claims.size() == 1) {
    if (!proof.empty()) return make_error(Errc::malformed_proof, "claim merge: unexpected proof for a single claim");
    return claims.front();
  }
  if (proof.size() != 1) return make_error(Errc::malformed_proof, "claim merge: expected one sumcheck step");
  const std::vector<F> alpha = detail::merge_coefficients(transcript, claims);
  auto subclaim = verify_step(combined_value(claims, std::span<const F>(alpha)), num_vars, 2, 1, proof.front(), transcript);
  if (!subclaim) return subclaim.error();
  const F value = proof.front().evaluations[0];
  const F weight = combined_weight(claims, std::span<const F>(alpha), std::span<const F>(subclaim->point));
  if (auto ok = check_step(*subclaim, weight * value, "claim merge"); !ok) return ok.error();
  return make_claim(std::move(subclaim->point), sent_value(proof.front(), *subclaim, 0));
}

/// Whether claims on a public table need a proof: only masked ones do.
template <Field F>
bool public_claims_need_proof(std::span<const Claim<F>> claims) {
  for (const auto& claim : claims) {
    if (!claim.masks.empty()) return true;
  }
  return false;
}

/// Proves claims on a public table (see the top of this header): no proof when none is masked.
template <EncodableField F, class T>
std::vector<SumcheckStep<F>> prove_public_claims(std::span<const F> table, std::size_t num_vars,
                                                 std::span<const Claim<F>> claims, T& transcript) {
  detail::check_claim_points(claims, num_vars);
  if (!public_claims_need_proof(claims)) return {};
  const std::vector<F> alpha = detail::merge_coefficients(transcript, claims);
  return {detail::prove_combination(table, num_vars, claims, std::span<const F>(alpha), false, transcript).step};
}

/// Checks claims on a public table: directly when none is masked, else through the proof.
template <EncodableField F, class T>
Status verify_public_claims(std::span<const F> table, std::size_t num_vars, std::span<const Claim<F>> claims,
                            std::span<const SumcheckStep<F>> proof, T& transcript) {
  detail::check_claim_points(claims, num_vars);
  if (!public_claims_need_proof(claims)) {
    if (!proof.empty()) return make_error(Errc::malformed_proof, "public claims: unexpected proof");
    for (const auto& claim : claims) {
      if (evaluate_multilinear(table, std::span<const F>(claim.point)) != claim.value) {
        return make_error(Errc::verification_failed, "public claims: a claim on a public table does not hold");
      }
    }
    return {};
  }
  if (proof.size() != 1) return make_error(Errc::malformed_proof, "public claims: expected one sumcheck step");
  const std::vector<F> alpha = detail::merge_coefficients(transcript, claims);
  auto subclaim = verify_step(combined_value(claims, std::span<const F>(alpha)), num_vars, 2, 0, proof.front(), transcript);
  if (!subclaim) return subclaim.error();
  const std::span<const F> s(subclaim->point);
  return check_step(*subclaim, combined_weight(claims, std::span<const F>(alpha), s) * evaluate_multilinear(table, s),
                    "public claims");
}

}  // namespace zkcnn::gkr
