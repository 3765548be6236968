#pragma once
// Montgomery's batch inversion: n inverses for one inversion and 3(n-1) multiplications.

#include <span>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/field/inverse_vartime.hpp"

namespace zkcnn {
namespace detail {

/// Montgomery's trick with the one inversion done by `invert` (a non-zero element to its
/// inverse).
template <Field F, class Invert>
void batch_inverse_with(std::span<F> values, Invert&& invert) {
  std::vector<F> prefix(values.size());
  F running = F::one();
  for (std::size_t i = 0; i < values.size(); ++i) {
    prefix[i] = running;
    if (!values[i].is_zero()) running *= values[i];
  }
  // running is a product of non-zero elements, so it is invertible.
  F inverse = invert(running);
  for (std::size_t i = values.size(); i-- > 0;) {
    if (values[i].is_zero()) continue;
    const F original = values[i];
    values[i] = inverse * prefix[i];
    inverse *= original;
  }
}

}  // namespace detail

/// Replaces every non-zero element of `values` by its inverse; zeros stay zero (so one zero
/// does not spoil the batch). Uses O(n) extra memory; the inversion is the field's
/// constant-time one.
template <Field F>
void batch_inverse(std::span<F> values) {
  detail::batch_inverse_with(values, [](const F& x) { return *x.inverse(); });
}

/// The same for public values (challenges, constants of the statement), with the inversion in
/// variable time (field/inverse_vartime.hpp): what a verifier wants.
template <Field F>
void batch_inverse_vartime(std::span<F> values) {
  detail::batch_inverse_with(values, [](const F& x) { return *inverse_vartime(x); });
}

}  // namespace zkcnn
