#pragma once
// The sumcheck prover for sums of products of multilinear polynomials (PROTOCOL.md section 3;
// Thaler, "Proofs, Arguments, and Zero-Knowledge", section 4.1). Each round costs
// O(d * table length): the tables are folded in place, lowest variable first, and the round
// polynomial is evaluated at 0, 2, ..., d from the folded pairs.

#include <algorithm>
#include <span>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/sumcheck/fiat_shamir.hpp"
#include "zkcnn/sumcheck/proof.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::sumcheck {

template <Field F>
struct ProverOutput {
  Proof<F> proof;
  /// The challenges r_1..r_n: the point the claim was reduced to.
  std::vector<F> point;
  /// Each factor's multilinear extension evaluated at `point`, in factor order.
  std::vector<F> factor_values;
};

namespace detail {

// The round message from the current (folded) tables: sum over pairs j of g's restriction
// to the line through (2j, 2j+1), at t = 0, 2, 3, ..., d.
template <Field F>
std::vector<F> round_message(const SumOfProductsShape<F>& shape, std::span<const std::vector<F>> tables,
                             std::size_t pairs) {
  const std::size_t d = shape.degree();
  const std::size_t points = d + 1;
  const auto terms = shape.terms();
  std::vector<F> line(tables.size() * points);        // line[k * points + t] = f_k(t) on this pair
  std::vector<F> per_term(terms.size() * points);     // per_term[i * points + t], without coefficient
  for (std::size_t j = 0; j < pairs; ++j) {
    for (std::size_t k = 0; k < tables.size(); ++k) {
      const F low = tables[k][2 * j];
      const F high = tables[k][2 * j + 1];
      const F step = high - low;
      F* values = &line[k * points];
      values[0] = low;
      values[1] = high;
      for (std::size_t t = 2; t < points; ++t) values[t] = values[t - 1] + step;
    }
    for (std::size_t i = 0; i < terms.size(); ++i) {
      const auto& factors = terms[i].factors;
      F* acc = &per_term[i * points];
      for (std::size_t t = 0; t < points; ++t) {
        if (t == 1) continue;  // not sent
        F product = line[factors[0] * points + t];
        for (std::size_t f = 1; f < factors.size(); ++f) product *= line[factors[f] * points + t];
        acc[t] += product;
      }
    }
  }
  std::vector<F> message;
  message.reserve(d);
  for (std::size_t t = 0; t < points; ++t) {
    if (t == 1) continue;
    F value = F::zero();
    for (std::size_t i = 0; i < terms.size(); ++i) value += terms[i].coefficient * per_term[i * points + t];
    message.push_back(value);
  }
  return message;
}

}  // namespace detail

/// Proves sum_x g(x) = g.sum_over_hypercube() (which the caller has already bound into the
/// transcript or passes to the verifier as the claim). Consumes g's tables.
template <EncodableField F, class T>
ProverOutput<F> prove(SumOfProducts<F> g, const F& claimed_sum, T& transcript) {
  const SumOfProductsShape<F> shape = g.shape();
  detail::absorb_statement(transcript, claimed_sum, shape.num_vars(), shape.degree());
  std::vector<std::vector<F>> tables = std::move(g).take_factors();

  // All tables share one even working length: the longest table, not 2^n, so padding costs
  // nothing beyond one element per round.
  std::size_t length = 0;
  for (const auto& table : tables) length = std::max(length, table.size());

  ProverOutput<F> out;
  out.point.reserve(shape.num_vars());
  for (std::size_t round = 0; round < shape.num_vars(); ++round) {
    length += length % 2;
    for (auto& table : tables) table.resize(length, F::zero());
    const std::size_t pairs = length / 2;
    std::vector<F> message = detail::round_message(shape, std::span<const std::vector<F>>(tables), pairs);
    const F r = detail::round_challenge<F>(transcript, message);
    out.proof.round_messages.push_back(std::move(message));
    out.point.push_back(r);
    for (auto& table : tables) {
      for (std::size_t j = 0; j < pairs; ++j) table[j] = table[2 * j] + r * (table[2 * j + 1] - table[2 * j]);
      table.resize(pairs);
    }
    length = pairs;
  }
  out.factor_values.reserve(tables.size());
  for (const auto& table : tables) out.factor_values.push_back(table.empty() ? F::zero() : table[0]);
  return out;
}

}  // namespace zkcnn::sumcheck
