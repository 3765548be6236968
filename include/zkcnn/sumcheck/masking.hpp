#pragma once
// What a zero-knowledge sumcheck adds to g (docs/protocol.md section 8; Xie, Zhang, Zhang,
// Papamanthou, Song, "Libra", CRYPTO 2019, section 4):
//  - an additive polynomial u(x) = sum_i u_i(x_i), a sum of univariates: the random mask
//    rho * m(x) that hides the round messages, plus the terms that discharge the masks of the
//    claimed sum;
//  - masked factors: factor k is replaced by f_k + S_k * Z(x), Z(x) = prod_j x_j (1 - x_j). Z
//    vanishes on the hypercube, so the sum is unchanged, but the factor's value at the final
//    point is f_k(r) + S_k Z(r), uniformly random when S_k is. Only the last round sees Z
//    (every earlier round sums over a boolean coordinate), where it raises the degree of each
//    term by the number of masked factors in it.
// The values u_i and S_k are the prover's secret; which factors are masked is public.

#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::sumcheck {

template <Field F>
struct Masking {
  /// additive[i] holds u_{i+1}'s coefficients, constant first; empty for no additive part,
  /// otherwise one entry per variable, each of degree at most the round's degree.
  std::vector<std::vector<F>> additive;
  /// S_k per factor (zero for an unmasked factor); empty when no factor is masked.
  std::vector<F> factor_masks;
  /// Which factors are masked: public, and fixes the last round's degree. Empty or one flag per
  /// factor.
  std::vector<bool> masked;
  /// The last round's degree when it must exceed the exact one (0: exact): a message of higher
  /// degree than its polynomial is still exact, and a fixed degree fixes the proof's shape.
  std::size_t last_degree = 0;

  bool empty() const { return additive.empty() && masked.empty(); }
  bool masks_factors() const { return std::find(masked.begin(), masked.end(), true) != masked.end(); }
};

/// The degree of the last round when the factors flagged in `masked` carry Z: each masked
/// factor of a term adds Z's degree in the last variable minus one, that is 1.
template <Field F>
std::size_t last_round_degree(const SumOfProductsShape<F>& shape, const std::vector<bool>& masked) {
  if (masked.empty()) return shape.degree();
  if (masked.size() != shape.factor_count()) throw std::invalid_argument("sumcheck masking: one flag per factor expected");
  std::size_t degree = shape.degree();
  for (const auto& term : shape.terms()) {
    std::size_t term_degree = term.factors.size();
    for (std::size_t f : term.factors) term_degree += masked[f] ? 1 : 0;
    degree = std::max(degree, term_degree);
  }
  return degree;
}

/// Z(point) = prod_j r_j (1 - r_j).
template <Field F>
F vanishing_value(std::span<const F> point) {
  F value = F::one();
  for (const F& r : point) value *= r * (F::one() - r);
  return value;
}

template <Field F>
F evaluate_coefficients(std::span<const F> coefficients, const F& x) {
  F value = F::zero();
  for (std::size_t a = coefficients.size(); a-- > 0;) value = value * x + coefficients[a];
  return value;
}

/// sum over {0,1}^n of u(x) = sum_i u_i(x_i), n = additive.size() >= 1.
template <Field F>
F additive_sum(const std::vector<std::vector<F>>& additive) {
  if (additive.empty()) return F::zero();
  F total = F::zero();
  for (const auto& u : additive) total += evaluate_coefficients<F>(u, F::zero()) + evaluate_coefficients<F>(u, F::one());
  F scale = F::one();
  for (std::size_t i = 1; i < additive.size(); ++i) scale += scale;
  return scale * total;
}

/// u(point).
template <Field F>
F additive_value(const std::vector<std::vector<F>>& additive, std::span<const F> point) {
  F total = F::zero();
  for (std::size_t i = 0; i < additive.size(); ++i) total += evaluate_coefficients<F>(additive[i], point[i]);
  return total;
}

namespace detail {

/// Adds u's part of round `round`'s message (values at 0, 2, 3, ..., degree), given the
/// challenges of the earlier rounds: 2^m (sum_{j<i} u_j(r_j) + u_i(t)) + 2^(m-1) sum_{j>i}
/// (u_j(0) + u_j(1)), m = n - 1 - i the variables still summed over.
template <Field F>
void add_additive_part(std::vector<F>& message, const std::vector<std::vector<F>>& additive, std::size_t round,
                       std::span<const F> challenges) {
  if (additive.empty()) return;
  const std::size_t n = additive.size();
  F bound = F::zero();
  for (std::size_t j = 0; j < round; ++j) bound += evaluate_coefficients<F>(additive[j], challenges[j]);
  F rest = F::zero();
  for (std::size_t j = round + 1; j < n; ++j) {
    rest += evaluate_coefficients<F>(additive[j], F::zero()) + evaluate_coefficients<F>(additive[j], F::one());
  }
  F scale = F::one();         // 2^m
  F half_scale = F::zero();  // 2^(m-1), or nothing when m = 0
  for (std::size_t j = round + 1; j < n; ++j) {
    half_scale = scale;
    scale += scale;
  }
  const F constant = scale * bound + half_scale * rest;
  for (std::size_t position = 0; position < message.size(); ++position) {
    const F t = F::from_u64(position == 0 ? 0 : position + 1);
    message[position] += constant + scale * evaluate_coefficients<F>(additive[round], t);
  }
}

}  // namespace detail

}  // namespace zkcnn::sumcheck
