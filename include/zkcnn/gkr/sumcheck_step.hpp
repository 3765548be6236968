#pragma once
// One sumcheck inside a layer's proof, with the factor evaluations the prover sends after it
// (docs/protocol.md sections 3 and 4). Layers chain such steps: the verifier checks the final
// subclaim against the sent evaluations and its own closed-form wiring, and the evaluations
// become claims on the next tables.
//
// Zero knowledge (docs/protocol.md section 8; Libra, section 4). When the transcript carries a mask
// commitment (transcript.masks(), pcs/hyrax_masks.hpp), every step is masked:
//   1. the prover draws fresh committed randomness: the mask m(x) = a_0 + sum_i m_i(x_i) (each
//      m_i of the round's degree without constant term) and one random line R_k(w) = c_k + d_k w
//      per sent factor;
//   2. it sends G = sum_x m(x), and the verifier draws rho;
//   3. the sumcheck runs on f + rho m + sum_t kappa_t R_t(x_1) / 2^(n-1), where the last sum
//      discharges the claimed sum's mask terms kappa_t S_t (S_t = R_t(0) + R_t(1)), and each
//      sent factor f_k carries S_k Z(x) (sumcheck/masking.hpp);
//   4. the prover sends the sent factors' masked values f_k(r) + S_k Z(r), then
//      u(r) = rho m(r) + sum_t kappa_t R_t(r_1) / 2^(n-1); the verifier checks the final value
//      against f(r) + u(r).
// G and u(r) are linear in the committed randomness and become claims on the mask commitment,
// opened at the end of the proof. The sent values are claims carrying the mask term
// (Z(r), k), discharged by whichever step proves them.

#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/zk_probes.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/one_half.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/sumcheck/masking.hpp"
#include "zkcnn/sumcheck/proof.hpp"
#include "zkcnn/sumcheck/prover.hpp"
#include "zkcnn/sumcheck/verifier.hpp"

namespace zkcnn::gkr {

template <EncodableField F>
struct SumcheckStep {
  sumcheck::Proof<F> sumcheck;
  /// Factor values at the sumcheck's final point that the verifier cannot compute itself.
  std::vector<F> evaluations;
  /// Zero-knowledge steps only: G, then u(r).
  std::vector<F> masking;

  friend bool operator==(const SumcheckStep&, const SumcheckStep&) = default;
};

template <EncodableField F>
struct ProvenStep {
  SumcheckStep<F> step;
  /// The sumcheck's final point.
  std::vector<F> point;
  /// Every factor's value at `point`, in factor order (the sent ones among them, masked).
  std::vector<F> factor_values;
  /// Each sent value's mask terms (empty outside zero knowledge).
  std::vector<std::vector<MaskTerm<F>>> sent_masks;

  /// Sent value `index` with its mask terms.
  MaskedValue<F> sent(std::size_t index) const { return {step.evaluations.at(index), sent_masks.at(index)}; }
};

/// What verify_step leaves: the subclaim, with u(r) already taken off its expected value, and
/// each sent value's mask terms.
template <Field F>
struct StepSubclaim : sumcheck::Subclaim<F> {
  std::vector<std::vector<MaskTerm<F>>> sent_masks;
};

/// The transcript's mask commitment, or null when the proof is not zero-knowledge.
template <class T>
auto* masks_of(T& transcript) {
  if constexpr (requires { transcript.masks(); }) {
    return transcript.masks();
  } else {
    return static_cast<void*>(nullptr);
  }
}

namespace detail {

inline constexpr std::size_t mask_line_size = 2;  // R(w) = c + d w

// A masked step's last round: each sent factor carries Z and can raise the degree by one, so
// the message has degree + sent values (the exact degree may be lower; the extra values keep
// the encoding's shape independent of the layer's terms).
inline std::size_t masked_last_degree(std::size_t degree, std::size_t sent) { return degree + sent; }

// The mask's coefficients: a_0, then m_i's (x^1 .. x^deg_i) round by round.
inline std::size_t mask_coefficient_count(std::size_t num_vars, std::size_t degree, std::size_t last_degree) {
  return 1 + (num_vars - 1) * degree + last_degree;
}

// The number of committed mask entries a step draws: the mask's coefficients, then one line
// per sent factor.
inline std::size_t step_mask_size(std::size_t num_vars, std::size_t degree, std::size_t last_degree, std::size_t sent) {
  return mask_coefficient_count(num_vars, degree, last_degree) + mask_line_size * sent;
}

template <Field F>
F power_of_two(std::size_t exponent) {
  F value = F::one();
  for (std::size_t i = 0; i < exponent; ++i) value += value;
  return value;
}

// The offsets of m_i's coefficients (x^1 .. x^deg_i) inside the step's block, after a_0.
inline std::size_t mask_coefficient_offset(std::size_t round, std::size_t degree) { return 1 + round * degree; }

// G = sum_x m(x) = 2^n a_0 + 2^(n-1) sum_i m_i(1): the claim on the committed coefficients.
template <Field F>
LinearClaim<F> mask_sum_claim(std::size_t first, std::size_t coefficients, std::size_t num_vars, const F& sum) {
  LinearClaim<F> claim{{}, sum};
  const F scale = power_of_two<F>(num_vars - 1);
  claim.terms.emplace_back(first, scale + scale);
  for (std::size_t j = 1; j < coefficients; ++j) claim.terms.emplace_back(first + j, scale);
  return claim;
}

// u(r) = rho m(r) + sum_t kappa_t (c_t + d_t r_1) / 2^(n-1).
template <Field F>
LinearClaim<F> additive_value_claim(std::size_t first, std::size_t degree, std::size_t last_degree,
                                    std::span<const F> point, const F& rho, std::span<const MaskTerm<F>> claimed_masks,
                                    const F& value) {
  LinearClaim<F> claim{{}, value};
  const std::size_t n = point.size();
  claim.terms.emplace_back(first, rho);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t round_degree = i + 1 == n ? last_degree : degree;
    F power = rho;
    for (std::size_t a = 0; a < round_degree; ++a) {
      power *= point[i];
      claim.terms.emplace_back(first + mask_coefficient_offset(i, degree) + a, power);
    }
  }
  F inverse_scale = F::one();  // 2^-(n-1)
  for (std::size_t i = 1; i < n; ++i) inverse_scale *= one_half<F>();
  for (const auto& term : claimed_masks) {
    const F kappa = term.coefficient * inverse_scale;
    claim.terms.emplace_back(term.mask, kappa);
    claim.terms.emplace_back(term.mask + 1, kappa * point[0]);
  }
  return claim;
}

// Whether a test-only mutation (detail/zk_probes.hpp) zeroes entry `offset` of a masked step's
// draw: a_0, then each round's coefficients x^1 .. x^deg_i, then the sent factors' lines.
inline bool probe_zeroes_step_entry(std::size_t offset, std::size_t num_vars, std::size_t degree,
                                    std::size_t last_degree, std::size_t coefficients) {
  using zk_probes::Mutation;
  using zk_probes::mutated;
  if (offset == 0) return mutated(Mutation::step_mask_constant);
  if (offset >= coefficients) return mutated(Mutation::sent_value_lines);
  const std::size_t round = std::min((offset - 1) / degree, num_vars - 1);
  const bool last = round + 1 == num_vars;
  const std::size_t power = offset - mask_coefficient_offset(round, degree) + 1;
  const bool top = power == (last ? last_degree : degree);
  return (power == 1 && mutated(Mutation::step_mask_linear)) || (top && mutated(Mutation::step_mask_top)) ||
         (top && last && mutated(Mutation::step_mask_last_round_top));
}

// A sum over no variable, g(), masked as the sum over one variable of g() / 2 with every table
// constant in it: the factors keep their values, and the masks get a variable to vanish in.
template <Field F>
sumcheck::SumOfProducts<F> lift_to_one_variable(sumcheck::SumOfProducts<F> g) {
  const auto shape = g.shape();
  std::vector<sumcheck::Term<F>> terms(shape.terms().begin(), shape.terms().end());
  for (auto& term : terms) term.coefficient *= one_half<F>();
  std::vector<std::vector<F>> tables = std::move(g).take_factors();
  for (auto& table : tables) table.assign(2, table.empty() ? F::zero() : table[0]);
  return sumcheck::SumOfProducts<F>(1, std::move(tables), std::move(terms));
}

// The plain step around a prover: prove(claimed sum, masking) -> sumcheck::ProverOutput.
template <EncodableField F, class T, class Prove>
ProvenStep<F> prove_plain_step(const MaskedValue<F>& claimed, std::span<const std::size_t> sent, T& transcript,
                               Prove&& prove) {
  if (!claimed.masks.empty()) throw std::logic_error("prove_step: a masked claim outside a zero-knowledge proof");
  auto proven = prove(claimed.value, sumcheck::Masking<F>{});
  ProvenStep<F> out{{std::move(proven.proof), {}, {}}, std::move(proven.point), std::move(proven.factor_values), {}};
  for (std::size_t factor : sent) out.step.evaluations.push_back(out.factor_values[factor]);
  out.sent_masks.resize(sent.size());
  absorb_evaluations(transcript, std::span<const F>(out.step.evaluations));
  return out;
}

// The masked step (see the top of this header) around a prover of g's shape with masking.
template <EncodableField F, class T, class Masks, class Prove>
ProvenStep<F> prove_masked_step(const sumcheck::SumOfProductsShape<F>& shape, const MaskedValue<F>& claimed,
                                std::span<const std::size_t> sent, T& transcript, Masks& masks, Prove&& prove) {
  const std::size_t n = shape.num_vars();
  sumcheck::Masking<F> masking;
  masking.masked.assign(shape.factor_count(), false);
  for (std::size_t factor : sent) masking.masked.at(factor) = true;
  const std::size_t degree = shape.degree();
  masking.last_degree = masked_last_degree(shape.degree(), sent.size());
  const std::size_t last_degree = masking.last_degree;
  // The encoding fixes the last round at degree + sent values: each sent factor may occur
  // once per term.
  if (sumcheck::last_round_degree(shape, masking.masked) > last_degree) {
    throw std::logic_error("prove_step: a sent factor occurs twice in one term");
  }
  const std::size_t coefficients = mask_coefficient_count(n, degree, last_degree);
  const std::size_t first = masks.draw(step_mask_size(n, degree, last_degree, sent.size()), transcript,
                                       [&](std::size_t offset) {
                                         return probe_zeroes_step_entry(offset, n, degree, last_degree, coefficients);
                                       });
  if constexpr (zk_probes::compiled) {
    F true_sum = claimed.value;
    for (const auto& term : claimed.masks) true_sum -= term.coefficient * line_sum(masks, term.mask);
    zk_probes::observe_secret(true_sum);
  }

  F mask_sum = F::zero();
  for (std::size_t j = 1; j < coefficients; ++j) mask_sum += masks.value(first + j);
  mask_sum = power_of_two<F>(n - 1) * (mask_sum + masks.value(first) + masks.value(first));
  transcript.absorb_field("gkr/zk/mask_sum", mask_sum);
  const F rho = transcript.template challenge<F>("gkr/zk/rho");

  masking.additive.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t round_degree = i + 1 == n ? last_degree : degree;
    masking.additive[i].assign(round_degree + 1, F::zero());
    for (std::size_t a = 0; a < round_degree; ++a) {
      masking.additive[i][a + 1] = rho * masks.value(first + mask_coefficient_offset(i, degree) + a);
    }
  }
  masking.additive[0][0] += rho * masks.value(first);  // a_0
  const F inverse_scale = *power_of_two<F>(n - 1).inverse();
  for (const auto& term : claimed.masks) {
    const F kappa = term.coefficient * inverse_scale;
    masking.additive[0][0] += kappa * masks.value(term.mask);
    masking.additive[0][1] += kappa * masks.value(term.mask + 1);
  }
  masking.factor_masks.assign(shape.factor_count(), F::zero());
  for (std::size_t s = 0; s < sent.size(); ++s) {
    const std::size_t line = first + coefficients + mask_line_size * s;
    masking.factor_masks[sent[s]] = line_sum(masks, line);
  }

  auto proven = prove(claimed.value + rho * mask_sum, masking);
  ProvenStep<F> out{{std::move(proven.proof), {}, {mask_sum, proven.additive_value}},
                    std::move(proven.point),
                    std::move(proven.factor_values),
                    {}};
  const F z = sumcheck::vanishing_value<F>(std::span<const F>(out.point));
  for (std::size_t s = 0; s < sent.size(); ++s) {
    out.step.evaluations.push_back(out.factor_values[sent[s]]);
    out.sent_masks.push_back({{z, first + coefficients + mask_line_size * s}});
    if constexpr (zk_probes::compiled) {
      zk_probes::observe_secret(out.factor_values[sent[s]] - masking.factor_masks[sent[s]] * z);
    }
  }
  absorb_evaluations(transcript, std::span<const F>(out.step.evaluations));
  transcript.absorb_field("gkr/zk/additive_value", proven.additive_value);
  masks.claim(mask_sum_claim(first, coefficients, n, mask_sum));
  masks.claim(additive_value_claim(first, degree, last_degree, std::span<const F>(out.point), rho,
                                   std::span<const MaskTerm<F>>(claimed.masks), proven.additive_value));
  return out;
}

}  // namespace detail

/// A step proven by a prover specialised for g's shape: prove(claimed sum, masking) must return
/// what sumcheck::prove(g, claimed sum, transcript, masking) would (the same messages, point,
/// factor values and additive value), for at least one variable.
template <EncodableField F, class T, class Prove>
ProvenStep<F> prove_step_with(const sumcheck::SumOfProductsShape<F>& shape, const MaskedValue<F>& claimed,
                              std::span<const std::size_t> sent, T& transcript, Prove&& prove) {
  auto* masks = masks_of(transcript);
  if constexpr (!std::is_same_v<decltype(masks), void*>) {
    if (masks != nullptr) return detail::prove_masked_step(shape, claimed, sent, transcript, *masks, prove);
  }
  return detail::prove_plain_step(claimed, sent, transcript, prove);
}

/// Proves sum_x g(x) = claimed (up to its mask terms) and sends the values of the factors
/// listed in `sent`, in that order, binding them into the transcript. Zero-knowledge when the
/// transcript carries a mask commitment (see the top of this header).
template <EncodableField F, class T>
ProvenStep<F> prove_step(sumcheck::SumOfProducts<F> g, const MaskedValue<F>& claimed, std::span<const std::size_t> sent,
                         T& transcript) {
  auto* masks = masks_of(transcript);
  const bool masked = [&] {
    if constexpr (std::is_same_v<decltype(masks), void*>) {
      return false;
    } else {
      return masks != nullptr;
    }
  }();
  // A sum over no variable is masked over one (see lift_to_one_variable).
  const bool lifted = masked && g.shape().num_vars() == 0;
  if (lifted) g = detail::lift_to_one_variable(std::move(g));
  const auto shape = g.shape();
  auto out = prove_step_with(shape, claimed, sent, transcript, [&](const F& sum, const sumcheck::Masking<F>& masking) {
    return sumcheck::prove(std::move(g), sum, transcript, masking);
  });
  if (lifted) out.point.clear();
  return out;
}

/// An unmasked claimed sum (a public value, or any value outside zero knowledge).
template <EncodableField F, class T>
ProvenStep<F> prove_step(sumcheck::SumOfProducts<F> g, const F& claimed_sum, std::span<const std::size_t> sent,
                         T& transcript) {
  return prove_step(std::move(g), MaskedValue<F>{claimed_sum}, sent, transcript);
}

/// Replays a step: checks its shape (num_vars rounds of degree values, evaluation_count sent
/// values; in zero knowledge a last round of degree + evaluation_count values), runs the
/// sumcheck rounds and binds the sent values. Returns the subclaim, which the caller checks
/// against the sent values and its own wiring.
template <EncodableField F, class T>
Result<StepSubclaim<F>> verify_step(const MaskedValue<F>& claimed, std::size_t num_vars, std::size_t degree,
                                    std::size_t evaluation_count, const SumcheckStep<F>& step, T& transcript) {
  if (step.evaluations.size() != evaluation_count) {
    return make_error(Errc::malformed_proof, "layer proof: expected " + std::to_string(evaluation_count) +
                                                 " evaluations after a sumcheck, got " +
                                                 std::to_string(step.evaluations.size()));
  }
  auto* masks = masks_of(transcript);
  constexpr bool can_mask = !std::is_same_v<decltype(masks), void*>;
  const bool masked = can_mask && masks != nullptr;
  if (step.masking.size() != (masked ? 2u : 0u)) {
    return make_error(Errc::malformed_proof, masked ? "layer proof: a zero-knowledge step lacks its mask values"
                                                    : "layer proof: unexpected mask values in a step");
  }
  if (!masked) {
    if (!claimed.masks.empty()) throw std::logic_error("verify_step: a masked claim outside a zero-knowledge proof");
    auto subclaim = sumcheck::verify(claimed.value, num_vars, degree, step.sumcheck, transcript);
    if (!subclaim) return subclaim.error();
    absorb_evaluations(transcript, std::span<const F>(step.evaluations));
    StepSubclaim<F> out{*subclaim, {}};
    out.sent_masks.resize(evaluation_count);
    return out;
  }
  if constexpr (can_mask) {
    // A sum over no variable is proven over one (see lift_to_one_variable).
    const bool lifted = num_vars == 0;
    if (lifted) num_vars = 1;
    if (step.sumcheck.round_messages.size() != num_vars) {
      return make_error(Errc::malformed_proof, "layer proof: a zero-knowledge step has the wrong number of rounds");
    }
    const std::size_t last_degree = detail::masked_last_degree(degree, evaluation_count);
    const std::size_t coefficients = detail::mask_coefficient_count(num_vars, degree, last_degree);
    auto first = masks->draw(detail::step_mask_size(num_vars, degree, last_degree, evaluation_count), transcript);
    if (!first) return first.error();
    const F mask_sum = step.masking[0];
    const F additive_value = step.masking[1];
    transcript.absorb_field("gkr/zk/mask_sum", mask_sum);
    const F rho = transcript.template challenge<F>("gkr/zk/rho");
    auto subclaim =
        sumcheck::verify(claimed.value + rho * mask_sum, num_vars, degree, last_degree, step.sumcheck, transcript);
    if (!subclaim) return subclaim.error();
    absorb_evaluations(transcript, std::span<const F>(step.evaluations));
    transcript.absorb_field("gkr/zk/additive_value", additive_value);
    masks->claim(detail::mask_sum_claim(*first, coefficients, num_vars, mask_sum));
    masks->claim(detail::additive_value_claim(*first, degree, last_degree, std::span<const F>(subclaim->point), rho,
                                              std::span<const MaskTerm<F>>(claimed.masks), additive_value));
    StepSubclaim<F> out{*subclaim, {}};
    out.expected_value -= additive_value;
    const F z = sumcheck::vanishing_value<F>(std::span<const F>(out.point));
    for (std::size_t s = 0; s < evaluation_count; ++s) {
      out.sent_masks.push_back({{z, *first + coefficients + detail::mask_line_size * s}});
    }
    if (lifted) {
      out.expected_value += out.expected_value;
      out.point.clear();
    }
    return out;
  }
  return make_error(Errc::malformed_proof, "layer proof: unreachable");
}

template <EncodableField F, class T>
Result<StepSubclaim<F>> verify_step(const F& claimed_sum, std::size_t num_vars, std::size_t degree,
                                    std::size_t evaluation_count, const SumcheckStep<F>& step, T& transcript) {
  return verify_step(MaskedValue<F>{claimed_sum}, num_vars, degree, evaluation_count, step, transcript);
}

/// Sends a value the verifier may not learn outside a sumcheck: in zero knowledge it is masked
/// by a fresh committed line R (value + S, S = R(0) + R(1)) and carries that mask term, which
/// the step proving the value discharges; otherwise it is sent as it is. Binds the sent value.
template <EncodableField F, class T>
MaskedValue<F> send_value(const F& value, T& transcript) {
  MaskedValue<F> out{value};
  auto* masks = masks_of(transcript);
  if constexpr (!std::is_same_v<decltype(masks), void*>) {
    if (masks != nullptr) {
      zk_probes::observe_secret(value);
      const std::size_t line = masks->draw(detail::mask_line_size, transcript, [](std::size_t) {
        return zk_probes::mutated(zk_probes::Mutation::lone_value_lines);
      });
      out.value += line_sum(*masks, line);
      out.masks.push_back({F::one(), line});
    }
  }
  transcript.absorb_field("gkr/sent_value", out.value);
  return out;
}

/// The verifier's side of send_value.
template <EncodableField F, class T>
Result<MaskedValue<F>> receive_value(const F& sent, T& transcript) {
  MaskedValue<F> out{sent};
  auto* masks = masks_of(transcript);
  if constexpr (!std::is_same_v<decltype(masks), void*>) {
    if (masks != nullptr) {
      auto line = masks->draw(detail::mask_line_size, transcript);
      if (!line) return line.error();
      out.masks.push_back({F::one(), *line});
    }
  }
  transcript.absorb_field("gkr/sent_value", out.value);
  return out;
}

/// Sent value `index` of a verified step, with its mask terms.
template <EncodableField F>
MaskedValue<F> sent_value(const SumcheckStep<F>& step, const StepSubclaim<F>& subclaim, std::size_t index) {
  return {step.evaluations.at(index), subclaim.sent_masks.at(index)};
}

/// Fails unless the subclaim holds for the value the verifier recomputed from the sent
/// evaluations; `what` names the step in the error.
template <Field F>
Status check_step(const sumcheck::Subclaim<F>& subclaim, const F& recomputed, const std::string& what) {
  if (subclaim.expected_value != recomputed) {
    return make_error(Errc::verification_failed, what + ": the final sumcheck evaluation does not match");
  }
  return {};
}

/// The step's bytes: the round messages, the sent evaluations, then G and u(r) in zero
/// knowledge. The shape is not written: the reader knows it from the public layer, and whether
/// steps are masked from the proof's header (ByteReader::zero_knowledge).
template <EncodableField F>
void write_step(io::ByteWriter& out, const SumcheckStep<F>& step) {
  for (const auto& message : step.sumcheck.round_messages) {
    for (const F& value : message) out.write_field(value);
  }
  for (const F& value : step.evaluations) out.write_field(value);
  for (const F& value : step.masking) out.write_field(value);
}

template <EncodableField F>
Result<SumcheckStep<F>> read_step(io::ByteReader& in, std::size_t num_vars, std::size_t degree,
                                  std::size_t evaluation_count) {
  const bool masked = in.zero_knowledge();
  const std::size_t last_degree = masked ? detail::masked_last_degree(degree, evaluation_count) : degree;
  if (masked && num_vars == 0) num_vars = 1;  // see lift_to_one_variable
  const std::size_t mask_values = masked ? 2 : 0;
  const std::size_t round_values = num_vars == 0 ? 0 : (num_vars - 1) * degree + last_degree;
  if (in.remaining() / F::byte_size < round_values + evaluation_count + mask_values) {
    return make_error(Errc::invalid_encoding, "layer proof: truncated sumcheck step");
  }
  SumcheckStep<F> step;
  step.sumcheck.round_messages.assign(num_vars, std::vector<F>(degree));
  if (num_vars > 0) step.sumcheck.round_messages.back().resize(last_degree);
  auto read_into = [&](std::vector<F>& values, std::string_view what) -> Status {
    for (F& value : values) {
      auto decoded = in.read_field<F>(what);
      if (!decoded) return decoded.error();
      value = *decoded;
    }
    return {};
  };
  for (auto& message : step.sumcheck.round_messages) {
    if (auto ok = read_into(message, "sumcheck round value"); !ok) return ok.error();
  }
  step.evaluations.resize(evaluation_count);
  if (auto ok = read_into(step.evaluations, "layer evaluation"); !ok) return ok.error();
  step.masking.resize(mask_values);
  if (auto ok = read_into(step.masking, "step mask value"); !ok) return ok.error();
  return step;
}

}  // namespace zkcnn::gkr
