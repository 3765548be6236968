#pragma once
// The polynomials the sumcheck protocol proves sums of (docs/protocol.md section 3):
// g(x) = sum_t c_t * prod_k f_{t,k}(x), each f a multilinear extension given by its table.

#include <algorithm>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"

namespace zkcnn::sumcheck {

/// c * prod_k f_{factors[k]}: indices into the list of multilinear factors.
template <Field F>
struct Term {
  F coefficient;
  std::vector<std::size_t> factors;
};

/// The shape of g without its tables, which is all a verifier knows: the terms over
/// `factor_count` multilinear factors in `num_vars` variables.
template <Field F>
class SumOfProductsShape {
 public:
  SumOfProductsShape(std::size_t num_vars, std::size_t factor_count, std::vector<Term<F>> terms)
      : num_vars_(num_vars), factor_count_(factor_count), terms_(std::move(terms)) {
    for (const auto& term : terms_) {
      if (term.factors.empty()) throw std::invalid_argument("sumcheck: a term needs at least one factor");
      for (std::size_t f : term.factors) {
        if (f >= factor_count_) throw std::invalid_argument("sumcheck: term refers to a missing factor");
      }
      degree_ = std::max(degree_, term.factors.size());
    }
  }

  std::size_t num_vars() const { return num_vars_; }
  std::size_t factor_count() const { return factor_count_; }
  /// The degree of g in each variable: the largest number of factors in one term.
  std::size_t degree() const { return degree_; }
  std::span<const Term<F>> terms() const { return terms_; }

  /// g(r) from the values f_k(r) of the factors at a point r.
  F combine(std::span<const F> factor_values) const {
    if (factor_values.size() != factor_count_) throw std::invalid_argument("sumcheck: wrong number of factor values");
    F total = F::zero();
    for (const auto& term : terms_) {
      F product = term.coefficient;
      for (std::size_t f : term.factors) product *= factor_values[f];
      total += product;
    }
    return total;
  }

 private:
  std::size_t num_vars_;
  std::size_t factor_count_;
  std::vector<Term<F>> terms_;
  std::size_t degree_ = 0;
};

/// g with its factors' tables, which the prover holds. Tables may be shorter than 2^num_vars
/// (implicit zero padding).
template <Field F>
class SumOfProducts {
 public:
  SumOfProducts(std::size_t num_vars, std::vector<std::vector<F>> factors, std::vector<Term<F>> terms)
      : shape_(num_vars, factors.size(), std::move(terms)), factors_(std::move(factors)) {
    for (const auto& table : factors_) {
      if (num_vars < 64 && table.size() > (std::size_t{1} << num_vars)) {
        throw std::invalid_argument("sumcheck: a factor table is longer than 2^num_vars");
      }
    }
  }

  const SumOfProductsShape<F>& shape() const { return shape_; }
  std::span<const std::vector<F>> factors() const { return factors_; }
  /// Moves the tables out (the prover folds them in place).
  std::vector<std::vector<F>> take_factors() && { return std::move(factors_); }

  /// sum_{x in {0,1}^n} g(x), computed directly.
  F sum_over_hypercube() const {
    std::size_t length = 0;
    for (const auto& table : factors_) length = std::max(length, table.size());
    F total = F::zero();
    std::vector<F> values(factors_.size());
    for (std::size_t x = 0; x < length; ++x) {
      for (std::size_t k = 0; k < factors_.size(); ++k) values[k] = x < factors_[k].size() ? factors_[k][x] : F::zero();
      total += shape_.combine(values);
    }
    return total;
  }

 private:
  SumOfProductsShape<F> shape_;
  std::vector<std::vector<F>> factors_;
};

}  // namespace zkcnn::sumcheck
