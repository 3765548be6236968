#pragma once
// Layers without a sumcheck (docs/protocol.md sections 5 and 8): the claim v on the output's
// extension at r is a public linear combination of values the prover sends,
//   v = sum_t c_t x_t,   x_t = X_t~(p_t),
// with each p_t a sub-point of r (a bias's channel coordinates, or all of r for a residual
// addition). The verifier checks the equation and keeps the claims X_t~(p_t) = x_t, so a
// false v leaves a false input claim with certainty.
//
// Zero knowledge: with a mask commitment on the transcript (gkr::masks_of) the prover draws a
// fresh committed line per value and sends x'_t = x_t + S_t (S = R(0) + R(1), gkr/claim.hpp),
// uniformly random. The equation then holds only of the true values,
//   v - sum_k kappa_k S_k = sum_t c_t (x'_t - S_t),
// with kappa_k S_k the output claim's own mask terms; it is linear in the committed entries,
// so both sides record it as a claim on the mask commitment (gkr::LinearClaim), opened with
// the others at the end of the proof. The claims left carry the terms (c = 1, line t).

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/zk_probes.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"

namespace zkcnn::gkr {

/// The mask terms of each sent value: none outside zero knowledge.
template <Field F>
using SentMasks = std::vector<std::vector<MaskTerm<F>>>;

namespace detail {

// A committed line R(w) = c + d w takes two entries of the mask commitment.
inline constexpr std::size_t sent_line_entries = 2;

template <Field F>
SentMasks<F> sent_line_masks(std::size_t first, std::size_t count) {
  SentMasks<F> masks(count);
  for (std::size_t t = 0; t < count; ++t) masks[t].push_back({F::one(), first + t * sent_line_entries});
  return masks;
}

// v - sum_t c_t x'_t equals the same combination of mask terms: a claim on the committed entries.
template <Field F>
LinearClaim<F> linear_relation_claim(const Claim<F>& claim, std::span<const F> coefficients, std::span<const F> sent,
                                     const SentMasks<F>& masks) {
  MaskedValue<F> residual = claim.masked_value();
  for (std::size_t t = 0; t < sent.size(); ++t) residual.add(-coefficients[t], {sent[t], masks[t]});
  LinearClaim<F> out{{}, residual.value};
  for (const auto& term : residual.masks) out.add_line(term.mask, term.coefficient);
  return out;
}

}  // namespace detail

/// The prover's side: masks `values` in place when the transcript carries a mask commitment,
/// binds them into the transcript and records the relation with the claim; returns their mask
/// terms. `values` are the true X_t~(p_t), so the relation holds.
template <EncodableField F, class T>
SentMasks<F> send_linear_relation(const Claim<F>& claim, std::span<const F> coefficients, std::span<F> values,
                                  T& transcript) {
  if (coefficients.size() != values.size()) throw std::invalid_argument("send_linear_relation: one coefficient per value");
  SentMasks<F> masks(values.size());
  auto* commitment = masks_of(transcript);
  if constexpr (!std::is_same_v<decltype(commitment), void*>) {
    if (commitment != nullptr) {
      for (const F& value : values) zk_probes::observe_secret(value);
      // The zero-knowledge probes' mutation leaves these lines zero (zkcnn/detail/zk_probes.hpp).
      const std::size_t first = commitment->draw(detail::sent_line_entries * values.size(), transcript, [](std::size_t) {
        return zk_probes::mutated(zk_probes::Mutation::lone_value_lines);
      });
      masks = detail::sent_line_masks<F>(first, values.size());
      for (std::size_t t = 0; t < values.size(); ++t) values[t] += line_sum(*commitment, first + t * detail::sent_line_entries);
    }
  }
  absorb_evaluations(transcript, std::span<const F>(values));
  if constexpr (!std::is_same_v<decltype(commitment), void*>) {
    if (commitment != nullptr) {
      commitment->claim(detail::linear_relation_claim(claim, coefficients, std::span<const F>(values), masks));
    }
  }
  return masks;
}

/// The verifier's side on the values the proof carries: the same draws and binding, then the
/// relation checked directly (`what` names it in the error) or, in zero knowledge, recorded as
/// a claim on the mask commitment. Returns the values' mask terms.
template <EncodableField F, class T>
Result<SentMasks<F>> receive_linear_relation(const Claim<F>& claim, std::span<const F> coefficients,
                                             std::span<const F> values, T& transcript, const std::string& what) {
  if (coefficients.size() != values.size()) throw std::invalid_argument("receive_linear_relation: one coefficient per value");
  SentMasks<F> masks(values.size());
  auto* commitment = masks_of(transcript);
  bool masked = false;
  if constexpr (!std::is_same_v<decltype(commitment), void*>) {
    if (commitment != nullptr) {
      auto first = commitment->draw(detail::sent_line_entries * values.size(), transcript);
      if (!first) return first.error();
      masks = detail::sent_line_masks<F>(*first, values.size());
      masked = true;
    }
  }
  absorb_evaluations(transcript, values);
  if (!masked) {
    if (!claim.masks.empty()) throw std::logic_error("receive_linear_relation: a masked claim outside a zero-knowledge proof");
    F combination = F::zero();
    for (std::size_t t = 0; t < values.size(); ++t) combination += coefficients[t] * values[t];
    if (claim.value != combination) return make_error(Errc::verification_failed, what);
  }
  if constexpr (!std::is_same_v<decltype(commitment), void*>) {
    if (masked) commitment->claim(detail::linear_relation_claim(claim, coefficients, values, masks));
  }
  return masks;
}

}  // namespace zkcnn::gkr
