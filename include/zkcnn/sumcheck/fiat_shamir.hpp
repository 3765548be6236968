#pragma once
// The transcript operations of the sumcheck protocol, shared by prover and verifier so that
// the two cannot absorb differently.

#include <span>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/hash.hpp"

namespace zkcnn::sumcheck::detail {

/// Binds the statement (claimed sum and shape) before the first challenge. The last round's
/// degree differs only in zero-knowledge sumchecks with masked factors (masking.hpp).
template <EncodableField F, class T>
void absorb_statement(T& transcript, const F& claimed_sum, std::size_t num_vars, std::size_t degree,
                      std::size_t last_degree) {
  transcript.absorb_u64("sumcheck/num_vars", num_vars);
  transcript.absorb_u64("sumcheck/degree", degree);
  if (last_degree != degree) transcript.absorb_u64("sumcheck/last_degree", last_degree);
  transcript.absorb_field("sumcheck/claimed_sum", claimed_sum);
}

/// Absorbs one round message and draws that round's challenge.
template <EncodableField F, class T>
F round_challenge(T& transcript, std::span<const F> message) {
  transcript.absorb_fields("sumcheck/round_message", message);
  return transcript.template challenge<F>("sumcheck/round_challenge");
}

}  // namespace zkcnn::sumcheck::detail
