#pragma once
// Test-only probes into the zero-knowledge prover (docs/zero-knowledge.md, "How it is tested").
// They exist only in a build that defines ZKCNN_ZK_PROBES, which is one test executable
// (tests/zk/probes/). Everywhere else each switch below is a constant false and each hook does
// nothing, so the compiler removes them and the library keeps no global state.
//
//  - Mutations: each sets one class of the prover's masking randomness to zero. The proof still
//    verifies, but leaks; the probe tests show that the leak test or the distribution test
//    notices every one, so that those tests have the power to catch a masking bug.
//  - The programmed oracle: challenges that depend on the labels of what was absorbed, not on
//    its bytes. With the challenges fixed, a proof is an affine function of the prover's
//    randomness (the honest-verifier simulation argument), which the distribution test measures.
//  - Observers: every value the prover hides, in the clear (the leak test searches the proof for
//    them), and every message absorbed into a transcript (the distribution test's coordinates).
//  - Mask rows: while a mutation is set, every draw from the mask commitment starts a row of
//    its own, so that the mutation can zero a class of entries before their row is committed
//    (pcs/hyrax_masks.hpp). Only the rows' layout changes, on both sides; the entries a draw
//    leaves unused in its last row are zero, so that they add no randomness the normal layout
//    lacks. Without a mutation, the rows are laid out as in every other build.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "zkcnn/concepts/field.hpp"

#ifdef ZKCNN_ZK_PROBES
#include <functional>
#endif

namespace zkcnn::zk_probes {

/// One class of masking randomness, set to zero by a mutation.
enum class Mutation : std::uint8_t {
  none,
  step_mask_constant,          // a_0 of every masked sumcheck step's mask
  step_mask_linear,            // the x_i coefficient of each round's m_i
  step_mask_top,               // the highest coefficient of each round's m_i
  step_mask_last_round_top,    // the highest coefficient of the last round's m_n only
  sent_value_lines,            // the lines R_k that mask a step's sent factors
  lone_value_lines,            // the lines of values sent outside a sumcheck (gkr::send_value,
                               // gkr/linear_relation.hpp)
  opening_mask_constant,       // the hiding opening's mask g: its constant term
  opening_mask_linear,         // g's linear coefficients
  opening_mask_quadratic,      // g's quadratic coefficients
  opening_mask_blind,          // the blind of g's commitment
  opening_value_blind,         // tau, the blind of C = g(s) U + tau H
  inner_product_round_blinds,  // the blinds of every round's L and R
  inner_product_opening_nonce, // d, the Schnorr step's nonce for the folded vector
  inner_product_blind_nonce,   // s, the Schnorr step's nonce for the folded blind
  witness_row_blinds,          // the auxiliary witness's Hyrax row blinds, fresh in each proof
  mask_row_blinds,             // the blinds of the mask commitment's rows
};

inline constexpr Mutation all_mutations[] = {
    Mutation::step_mask_constant,         Mutation::step_mask_linear,
    Mutation::step_mask_top,              Mutation::step_mask_last_round_top,
    Mutation::sent_value_lines,           Mutation::lone_value_lines,
    Mutation::opening_mask_constant,      Mutation::opening_mask_linear,
    Mutation::opening_mask_quadratic,     Mutation::opening_mask_blind,
    Mutation::opening_value_blind,        Mutation::inner_product_round_blinds,
    Mutation::inner_product_opening_nonce, Mutation::inner_product_blind_nonce,
    Mutation::witness_row_blinds,         Mutation::mask_row_blinds,
};

inline constexpr std::string_view name(Mutation m) {
  switch (m) {
    case Mutation::none: return "none";
    case Mutation::step_mask_constant: return "step mask: constant";
    case Mutation::step_mask_linear: return "step mask: linear coefficients";
    case Mutation::step_mask_top: return "step mask: top coefficients";
    case Mutation::step_mask_last_round_top: return "step mask: last round's top coefficient";
    case Mutation::sent_value_lines: return "sent values' lines";
    case Mutation::lone_value_lines: return "lone sent values' lines";
    case Mutation::opening_mask_constant: return "opening mask: constant";
    case Mutation::opening_mask_linear: return "opening mask: linear coefficients";
    case Mutation::opening_mask_quadratic: return "opening mask: quadratic coefficients";
    case Mutation::opening_mask_blind: return "opening mask's blind";
    case Mutation::opening_value_blind: return "opening: blind of g(s)";
    case Mutation::inner_product_round_blinds: return "inner product: round blinds";
    case Mutation::inner_product_opening_nonce: return "inner product: Schnorr nonce of the vector";
    case Mutation::inner_product_blind_nonce: return "inner product: Schnorr nonce of the blind";
    case Mutation::witness_row_blinds: return "auxiliary witness row blinds";
    case Mutation::mask_row_blinds: return "mask row blinds";
  }
  return "?";
}

#ifdef ZKCNN_ZK_PROBES

inline constexpr bool compiled = true;

/// The probes' settings; a test sets them around one proof and resets them after.
struct Settings {
  Mutation mutation = Mutation::none;
  bool programmed_oracle = false;
  std::function<void(std::span<const std::uint8_t>)> secret;
  std::function<void(std::string_view, std::span<const std::uint8_t>)> message;
};

inline Settings& settings() {
  static Settings instance;
  return instance;
}

inline bool mutated(Mutation m) { return settings().mutation == m; }
inline bool separate_mask_rows() { return settings().mutation != Mutation::none; }
inline bool programmed_oracle() { return settings().programmed_oracle; }

template <EncodableField F>
void observe_secret(const F& value) {
  if (settings().secret) settings().secret(value.to_bytes());
}

inline void observe_message(std::string_view label, std::span<const std::uint8_t> data) {
  if (settings().message) settings().message(label, data);
}

#else

inline constexpr bool compiled = false;
inline constexpr bool mutated(Mutation) { return false; }
inline constexpr bool separate_mask_rows() { return false; }
inline constexpr bool programmed_oracle() { return false; }
template <EncodableField F>
void observe_secret(const F&) {}
inline void observe_message(std::string_view, std::span<const std::uint8_t>) {}

#endif

/// The entries of a mask draw no mutation touches.
struct NothingZeroed {
  constexpr bool operator()(std::size_t) const { return false; }
};

/// A fresh random value from `rng`, or zero under mutation `m`.
template <Field F, class Rng>
F masking_random(Rng& rng, Mutation m) {
  const F value = F::random(rng);
  return mutated(m) ? F::zero() : value;
}

}  // namespace zkcnn::zk_probes
