#pragma once
// The sumcheck verifier: O(d) field operations per round. It reduces the claim
// sum_x g(x) = claimed_sum to a Subclaim on g at a random point, which the caller must check.

#include <span>
#include <string>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/poly/univariate.hpp"
#include "zkcnn/sumcheck/fiat_shamir.hpp"
#include "zkcnn/sumcheck/proof.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::sumcheck {

/// Checks the proof's shape against the statement (num_vars rounds, d values each, the last
/// round last_degree values) and runs the rounds; returns the subclaim g(point) ==
/// expected_value, or why the proof is malformed. After an error the transcript is in an
/// unspecified state: discard it.
template <EncodableField F, class T>
Result<Subclaim<F>> verify(const F& claimed_sum, std::size_t num_vars, std::size_t degree, std::size_t last_degree,
                           const Proof<F>& proof, T& transcript) {
  if (degree == 0 || last_degree < degree) {
    return make_error(Errc::invalid_argument, "sumcheck: degrees must be at least 1, the last round's no lower");
  }
  if (proof.round_messages.size() != num_vars) {
    return make_error(Errc::malformed_proof, "sumcheck: expected " + std::to_string(num_vars) + " rounds, got " +
                                                 std::to_string(proof.round_messages.size()));
  }
  detail::absorb_statement(transcript, claimed_sum, num_vars, degree, last_degree);
  const UniformInterpolator<F> interpolator(degree);
  const UniformInterpolator<F> last_interpolator(last_degree);
  Subclaim<F> subclaim{{}, claimed_sum};
  subclaim.point.reserve(num_vars);
  std::vector<F> values;
  for (std::size_t round = 0; round < num_vars; ++round) {
    const auto& message = proof.round_messages[round];
    const bool last = round + 1 == num_vars;
    const std::size_t round_degree = last ? last_degree : degree;
    if (message.size() != round_degree) {
      return make_error(Errc::malformed_proof, "sumcheck: round " + std::to_string(round) + " has " +
                                                   std::to_string(message.size()) + " values, expected " +
                                                   std::to_string(round_degree));
    }
    values.resize(round_degree + 1);
    values[0] = message[0];
    values[1] = subclaim.expected_value - message[0];
    std::copy(message.begin() + 1, message.end(), values.begin() + 2);
    const F r = detail::round_challenge<F>(transcript, std::span<const F>(message));
    subclaim.expected_value = (last ? last_interpolator : interpolator).evaluate(values, r);
    subclaim.point.push_back(r);
  }
  return subclaim;
}

/// Every round of the same degree.
template <EncodableField F, class T>
Result<Subclaim<F>> verify(const F& claimed_sum, std::size_t num_vars, std::size_t degree, const Proof<F>& proof,
                           T& transcript) {
  return verify(claimed_sum, num_vars, degree, degree, proof, transcript);
}

/// The same, with the number of variables and the degree taken from g's shape.
template <EncodableField F, class T>
Result<Subclaim<F>> verify(const F& claimed_sum, const SumOfProductsShape<F>& shape, const Proof<F>& proof,
                           T& transcript) {
  return verify(claimed_sum, shape.num_vars(), shape.degree(), proof, transcript);
}

}  // namespace zkcnn::sumcheck
