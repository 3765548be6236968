#pragma once
// One sumcheck inside a layer's proof, with the factor evaluations the prover sends after it
// (PROTOCOL.md sections 3 and 4). Layers chain such steps: the verifier checks the final
// subclaim against the sent evaluations and its own closed-form wiring, and the evaluations
// become claims on the next tables.

#include <span>
#include <string>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/sumcheck/proof.hpp"
#include "zkcnn/sumcheck/prover.hpp"
#include "zkcnn/sumcheck/verifier.hpp"

namespace zkcnn::gkr {

template <EncodableField F>
struct SumcheckStep {
  sumcheck::Proof<F> sumcheck;
  /// Factor values at the sumcheck's final point that the verifier cannot compute itself.
  std::vector<F> evaluations;

  friend bool operator==(const SumcheckStep&, const SumcheckStep&) = default;
};

template <EncodableField F>
struct ProvenStep {
  SumcheckStep<F> step;
  /// The sumcheck's final point.
  std::vector<F> point;
  /// Every factor's value at `point`, in factor order (the sent ones among them).
  std::vector<F> factor_values;
};

/// Proves sum_x g(x) = claimed_sum and sends the values of the factors listed in `sent`, in
/// that order, binding them into the transcript.
template <EncodableField F, class T>
ProvenStep<F> prove_step(sumcheck::SumOfProducts<F> g, const F& claimed_sum, std::span<const std::size_t> sent,
                         T& transcript) {
  auto proven = sumcheck::prove(std::move(g), claimed_sum, transcript);
  ProvenStep<F> out{{std::move(proven.proof), {}}, std::move(proven.point), std::move(proven.factor_values)};
  out.step.evaluations.reserve(sent.size());
  for (std::size_t factor : sent) out.step.evaluations.push_back(out.factor_values[factor]);
  absorb_evaluations(transcript, std::span<const F>(out.step.evaluations));
  return out;
}

/// Replays a step: checks its shape (num_vars rounds of degree values, evaluation_count sent
/// values), runs the sumcheck rounds and binds the sent values. Returns the subclaim, which the
/// caller checks against the sent values and its own wiring.
template <EncodableField F, class T>
Result<sumcheck::Subclaim<F>> verify_step(const F& claimed_sum, std::size_t num_vars, std::size_t degree,
                                          std::size_t evaluation_count, const SumcheckStep<F>& step,
                                          T& transcript) {
  if (step.evaluations.size() != evaluation_count) {
    return make_error(Errc::malformed_proof, "layer proof: expected " + std::to_string(evaluation_count) +
                                                 " evaluations after a sumcheck, got " +
                                                 std::to_string(step.evaluations.size()));
  }
  auto subclaim = sumcheck::verify(claimed_sum, num_vars, degree, step.sumcheck, transcript);
  if (!subclaim) return subclaim.error();
  absorb_evaluations(transcript, std::span<const F>(step.evaluations));
  return subclaim;
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

/// The step's bytes: round messages, then the sent evaluations. The shape is not written: the
/// reader knows it from the public layer.
template <EncodableField F>
void write_step(io::ByteWriter& out, const SumcheckStep<F>& step) {
  for (const auto& message : step.sumcheck.round_messages) {
    for (const F& value : message) out.write_field(value);
  }
  for (const F& value : step.evaluations) out.write_field(value);
}

template <EncodableField F>
Result<SumcheckStep<F>> read_step(io::ByteReader& in, std::size_t num_vars, std::size_t degree,
                                  std::size_t evaluation_count) {
  if (in.remaining() / F::byte_size < num_vars * degree + evaluation_count) {
    return make_error(Errc::invalid_encoding, "layer proof: truncated sumcheck step");
  }
  SumcheckStep<F> step;
  step.sumcheck.round_messages.assign(num_vars, std::vector<F>(degree));
  for (auto& message : step.sumcheck.round_messages) {
    for (F& value : message) {
      auto decoded = in.read_field<F>("sumcheck round value");
      if (!decoded) return decoded.error();
      value = *decoded;
    }
  }
  step.evaluations.resize(evaluation_count);
  for (F& value : step.evaluations) {
    auto decoded = in.read_field<F>("layer evaluation");
    if (!decoded) return decoded.error();
    value = *decoded;
  }
  return step;
}

}  // namespace zkcnn::gkr
