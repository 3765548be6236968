#pragma once
// Opening the auxiliary witness (PROTOCOL.md sections 6 and 7): every claim the layers left on
// it, and the fact that every entry is a bit. A zero-check sumcheck,
//   sum_x eq(tau, x) (a(x)^2 - a(x)) = 0        (tau drawn after the commitment),
// fails except with probability (n + 3n) / |F| if some entry is not a bit; it ends in one more
// claim a(s), and all claims are then opened at once by the scheme's batch opening, whose cost
// is one pass over the claimed rows (Hyrax::prove_batch). The zero-check's sumcheck has two
// factors, the eq table and the bits: the only pass over the whole witness.

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

template <class P>
struct BitsOpeningProof {
  gkr::SumcheckStep<typename P::Scalar> booleanity;  // sends a(s)
  typename P::BatchProof opening;
};

namespace detail {

template <EncodableField F, class T>
std::vector<F> booleanity_point(T& transcript, std::size_t num_vars) {
  return transcript.template challenges<F>("zkcnn/bits/tau", num_vars);
}

}  // namespace detail

/// `claims` are the layers' claims on the bits; the zero-check's claim is added to them.
template <class P, class T, class Rng>
BitsOpeningProof<P> prove_bits_opening(const P& pcs, std::span<const typename P::Scalar> bits,
                                       const typename P::Opening& opening, const typename P::Commitment& commitment,
                                       std::size_t num_vars, std::vector<EvaluationClaim<typename P::Scalar>> claims,
                                       T& transcript, Rng& rng) {
  using F = typename P::Scalar;
  P::absorb_commitment(transcript, commitment);
  const std::vector<F> tau = detail::booleanity_point<F>(transcript, num_vars);
  sumcheck::SumOfProducts<F> g(num_vars, {eq_table(std::span<const F>(tau)), {bits.begin(), bits.end()}},
                               {{F::one(), {0, 1, 1}}, {-F::one(), {0, 1}}});
  const std::size_t sent[] = {1};
  auto proven = gkr::prove_step(std::move(g), F::zero(), std::span<const std::size_t>(sent), transcript);
  claims.push_back({std::move(proven.point), proven.factor_values[1]});
  auto opened = pcs.prove_batch(bits, opening, commitment, std::span<const EvaluationClaim<F>>(claims), transcript, rng);
  return {std::move(proven.step), std::move(opened)};
}

template <class P, class T>
Status verify_bits_opening(const P& pcs, const typename P::Commitment& commitment, std::size_t num_vars,
                           std::vector<EvaluationClaim<typename P::Scalar>> claims, const BitsOpeningProof<P>& proof,
                           T& transcript) {
  using F = typename P::Scalar;
  P::absorb_commitment(transcript, commitment);
  const std::vector<F> tau = detail::booleanity_point<F>(transcript, num_vars);
  auto subclaim = gkr::verify_step(F::zero(), num_vars, 3, 1, proof.booleanity, transcript);
  if (!subclaim) return subclaim.error();
  const F a = proof.booleanity.evaluations[0];
  const F expected = eq_eval(std::span<const F>(tau), std::span<const F>(subclaim->point)) * (a * a - a);
  if (auto ok = gkr::check_step(*subclaim, expected, "auxiliary witness booleanity"); !ok) return ok.error();
  claims.push_back({std::move(subclaim->point), a});
  return pcs.verify_batch(commitment, std::span<const EvaluationClaim<F>>(claims), proof.opening, transcript);
}

template <class P>
void write_bits_opening(io::ByteWriter& out, const BitsOpeningProof<P>& proof) {
  gkr::write_step(out, proof.booleanity);
  const auto opening = P::encode_batch_proof(proof.opening);
  out.write_u32(static_cast<std::uint32_t>(opening.size()));
  out.write_bytes(opening);
}

template <class P>
Result<BitsOpeningProof<P>> read_bits_opening(io::ByteReader& in, std::size_t num_vars) {
  auto booleanity = gkr::read_step<typename P::Scalar>(in, num_vars, 3, 1);
  if (!booleanity) return booleanity.error();
  auto size = in.read_u32("bits opening proof length");
  if (!size) return size.error();
  auto bytes = in.read_bytes(*size, "bits opening proof");
  if (!bytes) return bytes.error();
  auto opening = P::decode_batch_proof(*bytes);
  if (!opening) return opening.error();
  return BitsOpeningProof<P>{std::move(*booleanity), std::move(*opening)};
}

}  // namespace zkcnn::zk
