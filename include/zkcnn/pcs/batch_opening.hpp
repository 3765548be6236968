#pragma once
// Several evaluation claims on one committed polynomial, opened once (docs/protocol.md section 7):
// for a challenge alpha, sum_k alpha^k P(z_k) = sum_x (sum_k alpha^k eq(z_k, x)) P(x), which
// one sumcheck reduces to P at a single random point r. The verifier evaluates the eq part
// at r itself and checks the one opening of P(r).

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zkcnn/concepts/pcs.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/pcs/claims.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/sumcheck/proof.hpp"
#include "zkcnn/sumcheck/prover.hpp"
#include "zkcnn/sumcheck/verifier.hpp"

namespace zkcnn {

/// Binds claims into a transcript, their count and then each point and value, under the labels
/// `<scope>/claims`, `<scope>/point` and `<scope>/value`: what every batch opening absorbs
/// before the challenge that combines the claims.
template <EncodableField F, class T>
void absorb_evaluation_claims(T& transcript, std::string_view scope, std::span<const EvaluationClaim<F>> claims) {
  const std::string prefix(scope);
  transcript.absorb_u64(prefix + "/claims", claims.size());
  for (const auto& claim : claims) {
    transcript.absorb_fields(prefix + "/point", std::span<const F>(claim.point));
    transcript.absorb_field(prefix + "/value", claim.value);
  }
}

template <MultilinearPCS P>
struct BatchEvaluationProof {
  sumcheck::Proof<typename P::Scalar> reduction;
  typename P::Scalar value_at_point;
  typename P::EvaluationProof opening;
};

namespace detail::batch {

template <EncodableField F, class T>
F absorb_claims(T& transcript, std::span<const EvaluationClaim<F>> claims) {
  absorb_evaluation_claims(transcript, "batch", claims);
  return transcript.template challenge<F>("batch/alpha");
}

// table += weight * eq(point, .). Claims on one block of a larger polynomial fix the block's
// index in their highest coordinates to 0 or 1 (docs/protocol.md section 7), so eq vanishes outside
// that block: only the block's entries are touched, which makes opening many blocks at once
// cost the blocks' total size instead of the number of claims times the polynomial's.
template <EncodableField F>
void add_scaled_eq(std::span<F> table, std::span<const F> point, const F& weight) {
  std::size_t free_vars = point.size();
  while (free_vars > 0 && (point[free_vars - 1] == F::zero() || point[free_vars - 1] == F::one())) --free_vars;
  std::size_t offset = 0;
  for (std::size_t k = free_vars; k < point.size(); ++k) {
    if (point[k] == F::one()) offset |= std::size_t{1} << k;
  }
  const std::vector<F> eq = eq_table<F>(point.first(free_vars));
  F* out = table.data() + offset;
  for (std::size_t i = 0; i < eq.size(); ++i) out[i] += weight * eq[i];
}

}  // namespace detail::batch

template <MultilinearPCS P, class T, CryptoRng Rng>
BatchEvaluationProof<P> prove_batch(const P& pcs, std::span<const typename P::Scalar> evaluations,
                                    const typename P::Opening& opening, const typename P::Commitment& commitment,
                                    std::span<const EvaluationClaim<typename P::Scalar>> claims, T& transcript,
                                    Rng& rng) {
  using F = typename P::Scalar;
  if (claims.empty()) throw std::invalid_argument("prove_batch: no claims");
  const std::size_t num_vars = claims.front().point.size();
  P::absorb_commitment(transcript, commitment);  // fixed before any challenge depends on it
  const F alpha = detail::batch::absorb_claims(transcript, claims);
  std::vector<F> combined_eq(std::size_t{1} << num_vars, F::zero());
  F claimed_sum = F::zero();
  F power = F::one();
  for (const auto& claim : claims) {
    if (claim.point.size() != num_vars) throw std::invalid_argument("prove_batch: claims of different dimensions");
    detail::batch::add_scaled_eq(std::span<F>(combined_eq), std::span<const F>(claim.point), power);
    claimed_sum += power * claim.value;
    power *= alpha;
  }
  sumcheck::SumOfProducts<F> product(num_vars, {std::move(combined_eq), {evaluations.begin(), evaluations.end()}},
                                     {{F::one(), {0, 1}}});
  auto reduced = sumcheck::prove(std::move(product), claimed_sum, transcript);
  const F value = reduced.factor_values[1];
  auto opened = pcs.prove(evaluations, opening, commitment, reduced.point, value, transcript, rng);
  return {std::move(reduced.proof), value, std::move(opened)};
}

template <MultilinearPCS P, class T>
Status verify_batch(const P& pcs, const typename P::Commitment& commitment,
                    std::span<const EvaluationClaim<typename P::Scalar>> claims, const BatchEvaluationProof<P>& proof,
                    T& transcript) {
  using F = typename P::Scalar;
  if (claims.empty()) return make_error(Errc::invalid_argument, "batch opening: no claims");
  const std::size_t num_vars = claims.front().point.size();
  for (const auto& claim : claims) {
    if (claim.point.size() != num_vars) return make_error(Errc::invalid_argument, "batch opening: claims of different dimensions");
  }
  P::absorb_commitment(transcript, commitment);
  const F alpha = detail::batch::absorb_claims(transcript, claims);
  F claimed_sum = F::zero();
  F power = F::one();
  for (const auto& claim : claims) {
    claimed_sum += power * claim.value;
    power *= alpha;
  }
  auto subclaim = sumcheck::verify(claimed_sum, num_vars, 2, proof.reduction, transcript);
  if (!subclaim) return subclaim.error();
  F eq_at_point = F::zero();
  power = F::one();
  for (const auto& claim : claims) {
    eq_at_point += power * eq_eval<F>(claim.point, subclaim->point);
    power *= alpha;
  }
  if (auto reduced = sumcheck::check_subclaim(*subclaim, eq_at_point * proof.value_at_point); !reduced) {
    return make_error(Errc::verification_failed, "batch opening: " + reduced.error().message);
  }
  return pcs.verify(commitment, subclaim->point, proof.value_at_point, proof.opening, transcript);
}

}  // namespace zkcnn
