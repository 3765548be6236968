#pragma once
// Claims on multilinear extensions: what each layer's proof reduces the claim on its output to
// (PROTOCOL.md section 4). A GKR-style proof runs from the output towards the inputs, turning
// one claim V~(r) = v into claims on the tables the layer reads.

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "zkcnn/concepts/field.hpp"

namespace zkcnn::gkr {

/// V~(point) = value, on the multilinear extension of one table.
template <Field F>
struct Claim {
  std::vector<F> point;
  F value;

  friend bool operator==(const Claim&, const Claim&) = default;
};

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

/// Binds a claim into the transcript before the challenges of the proof that reduces it.
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
