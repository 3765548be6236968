#pragma once
// Claims on multilinear extensions: what each layer's proof reduces the claim on its output to
// (docs/protocol.md section 4). A GKR-style proof runs from the output towards the inputs, turning
// one claim V~(r) = v into claims on the tables the layer reads.

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"

namespace zkcnn::gkr {

/// In zero-knowledge proofs a claimed value is masked: it is the true value plus
/// sum coefficient * S_mask over its mask terms, S_mask = R(0) + R(1) for the committed random
/// line R(w) = c + d w whose coefficients are entries `mask` and `mask + 1` of the proof's mask
/// commitment (pcs/hyrax_masks.hpp). The sumcheck that proves the claim discharges each
/// term (gkr/sumcheck_step.hpp).
template <Field F>
struct MaskTerm {
  F coefficient;
  std::size_t mask;

  friend bool operator==(const MaskTerm&, const MaskTerm&) = default;
};

/// A claim on the mask commitment itself: sum over terms of coefficient * entry = value.
template <Field F>
struct LinearClaim {
  std::vector<std::pair<std::size_t, F>> terms;  // (entry, coefficient)
  F value;

  /// Adds coefficient * S_mask: S = R(0) + R(1) = 2 c + d for the line at (mask, mask + 1).
  void add_line(std::size_t mask, const F& coefficient) {
    terms.emplace_back(mask, coefficient + coefficient);
    terms.emplace_back(mask + 1, coefficient);
  }
};

/// S_mask = R(0) + R(1) = 2 c + d, from the committed values (the prover's mask commitment).
template <class Masks>
auto line_sum(const Masks& masks, std::size_t mask) {
  return masks.value(mask) + masks.value(mask) + masks.value(mask + 1);
}

/// A value with its mask terms (none outside zero-knowledge proofs).
template <Field F>
struct MaskedValue {
  F value;
  std::vector<MaskTerm<F>> masks{};

  /// Adds coefficient * other, mask terms included.
  MaskedValue& add(const F& coefficient, const MaskedValue& other) {
    value += coefficient * other.value;
    for (const auto& term : other.masks) masks.push_back({coefficient * term.coefficient, term.mask});
    return *this;
  }

  friend bool operator==(const MaskedValue&, const MaskedValue&) = default;
};

/// V~(point) = value, on the multilinear extension of one table (up to its mask terms).
template <Field F>
struct Claim {
  std::vector<F> point;
  F value;
  std::vector<MaskTerm<F>> masks{};

  MaskedValue<F> masked_value() const { return {value, masks}; }

  friend bool operator==(const Claim&, const Claim&) = default;
};

/// The claim V~(point) = masked value.
template <Field F>
Claim<F> make_claim(std::vector<F> point, MaskedValue<F> value) {
  return {std::move(point), value.value, std::move(value.masks)};
}

/// A claim a layer's proof leaves on its input number `input`.
template <Field F>
struct InputClaim {
  std::size_t input;
  Claim<F> claim;

  friend bool operator==(const InputClaim&, const InputClaim&) = default;
};

/// Throws std::invalid_argument unless the claim has `num_vars` coordinates. A mismatch is a
/// programming error: claims come from the protocol's public structure, never from proof bytes.
template <Field F>
void require_dimension(const Claim<F>& claim, std::size_t num_vars, std::string_view layer) {
  if (claim.point.size() != num_vars) throw std::invalid_argument(std::string(layer) + ": claim of the wrong dimension");
}

/// Binds a claim into the transcript before the challenges of the proof that reduces it. The
/// mask terms are the verifier's own bookkeeping (derived from earlier challenges), not prover
/// messages, so they need not be absorbed.
template <EncodableField F, class T>
void absorb_claim(T& transcript, const Claim<F>& claim) {
  transcript.absorb_fields("gkr/claim_point", std::span<const F>(claim.point));
  transcript.absorb_field("gkr/claim_value", claim.value);
}

/// Binds the evaluations a prover sends at the end of a sumcheck (the values of the factors
/// the verifier cannot compute itself) before any later challenge. Prover and verifier both
/// call this, so they cannot absorb differently.
template <EncodableField F, class T>
void absorb_evaluations(T& transcript, std::span<const F> values) {
  transcript.absorb_fields("gkr/evaluations", values);
}

}  // namespace zkcnn::gkr
