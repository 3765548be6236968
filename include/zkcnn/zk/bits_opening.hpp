#pragma once
// Opening the auxiliary witness: every claim on it, and the fact that every entry is a bit, in
// one sumcheck (PROTOCOL.md sections 6 and 7). With tau, alpha, beta drawn after the claims,
//   sum_x [ beta eq(tau, x) (a(x)^2 - a(x)) + (sum_k alpha^k eq(z_k, x)) a(x) ] = sum_k alpha^k v_k.
// If some entry is not a bit, the first part is a non-zero polynomial in tau except with
// probability n / |F|; if some claim is false, the combination is wrong except with probability
// K / |F|; beta keeps the two parts from cancelling. One degree-3 sumcheck reduces everything to
// a(s) at one random point s, which the commitment opens. Doing the zero-check and the batch
// opening separately would cost a second pass of the same size over the witness.

#include <span>
#include <string>
#include <vector>

#include "zkcnn/concepts/pcs.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/pcs/batch_opening.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::zk {

template <MultilinearPCS P>
struct BitsOpeningProof {
  gkr::SumcheckStep<typename P::Scalar> reduction;  // sends a(s)
  typename P::EvaluationProof opening;
};

namespace detail {

template <EncodableField F>
struct BitsChallenges {
  std::vector<F> tau;
  F alpha;
  F beta;
};

template <EncodableField F, class T>
BitsChallenges<F> bits_challenges(T& transcript, std::size_t num_vars, std::span<const EvaluationClaim<F>> claims) {
  BitsChallenges<F> out;
  out.alpha = zkcnn::detail::batch::absorb_claims(transcript, claims);
  out.tau = transcript.template challenges<F>("zkcnn/bits/tau", num_vars);
  out.beta = transcript.template challenge<F>("zkcnn/bits/beta");
  return out;
}

}  // namespace detail

template <MultilinearPCS P, class T, class Rng>
BitsOpeningProof<P> prove_bits_opening(const P& pcs, std::span<const typename P::Scalar> bits,
                                       const typename P::Opening& opening, const typename P::Commitment& commitment,
                                       std::size_t num_vars, std::span<const EvaluationClaim<typename P::Scalar>> claims,
                                       T& transcript, Rng& rng) {
  using F = typename P::Scalar;
  P::absorb_commitment(transcript, commitment);
  const auto c = detail::bits_challenges<F>(transcript, num_vars, claims);
  std::vector<F> weights(std::size_t{1} << num_vars, F::zero());
  F claimed_sum = F::zero(), power = F::one();
  for (const auto& claim : claims) {
    zkcnn::detail::batch::add_scaled_eq(std::span<F>(weights), std::span<const F>(claim.point), power);
    claimed_sum += power * claim.value;
    power *= c.alpha;
  }
  sumcheck::SumOfProducts<F> g(num_vars, {eq_table(std::span<const F>(c.tau)), {bits.begin(), bits.end()}, std::move(weights)},
                               {{c.beta, {0, 1, 1}}, {-c.beta, {0, 1}}, {F::one(), {2, 1}}});
  const std::size_t sent[] = {1};
  auto proven = gkr::prove_step(std::move(g), claimed_sum, std::span<const std::size_t>(sent), transcript);
  auto opened = pcs.prove(bits, opening, commitment, proven.point, proven.factor_values[1], transcript, rng);
  return {std::move(proven.step), std::move(opened)};
}

template <MultilinearPCS P, class T>
Status verify_bits_opening(const P& pcs, const typename P::Commitment& commitment, std::size_t num_vars,
                           std::span<const EvaluationClaim<typename P::Scalar>> claims, const BitsOpeningProof<P>& proof,
                           T& transcript) {
  using F = typename P::Scalar;
  for (const auto& claim : claims) {
    if (claim.point.size() != num_vars) return make_error(Errc::invalid_argument, "bits opening: claim of the wrong dimension");
  }
  P::absorb_commitment(transcript, commitment);
  const auto c = detail::bits_challenges<F>(transcript, num_vars, claims);
  F claimed_sum = F::zero(), power = F::one();
  for (const auto& claim : claims) {
    claimed_sum += power * claim.value;
    power *= c.alpha;
  }
  auto subclaim = gkr::verify_step(claimed_sum, num_vars, 3, 1, proof.reduction, transcript);
  if (!subclaim) return subclaim.error();
  const std::span<const F> s(subclaim->point);
  F weight = F::zero();
  power = F::one();
  for (const auto& claim : claims) {
    weight += power * eq_eval(std::span<const F>(claim.point), s);
    power *= c.alpha;
  }
  const F a = proof.reduction.evaluations[0];
  const F expected = c.beta * eq_eval(std::span<const F>(c.tau), s) * (a * a - a) + weight * a;
  if (auto ok = gkr::check_step(*subclaim, expected, "auxiliary witness (bits and claims)"); !ok) return ok.error();
  return pcs.verify(commitment, s, a, proof.opening, transcript);
}

template <SerializablePCS P>
void write_bits_opening(io::ByteWriter& out, const BitsOpeningProof<P>& proof) {
  gkr::write_step(out, proof.reduction);
  const auto opening = P::encode_proof(proof.opening);
  out.write_u32(static_cast<std::uint32_t>(opening.size()));
  out.write_bytes(opening);
}

template <SerializablePCS P>
Result<BitsOpeningProof<P>> read_bits_opening(io::ByteReader& in, std::size_t num_vars) {
  auto reduction = gkr::read_step<typename P::Scalar>(in, num_vars, 3, 1);
  if (!reduction) return reduction.error();
  auto size = in.read_u32("bits opening proof length");
  if (!size) return size.error();
  auto bytes = in.read_bytes(*size, "bits opening proof");
  if (!bytes) return bytes.error();
  auto opening = P::decode_proof(*bytes);
  if (!opening) return opening.error();
  return BitsOpeningProof<P>{std::move(*reduction), std::move(*opening)};
}

}  // namespace zkcnn::zk
