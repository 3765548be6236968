#pragma once
// Montgomery's batch inversion: n inverses for one inversion and 3(n-1) multiplications.

#include <span>
#include <vector>

#include "zkcnn/concepts/field.hpp"

namespace zkcnn {

/// Replaces every non-zero element of `values` by its inverse; zeros stay zero (so one zero
/// does not spoil the batch). Uses `scratch`-free O(n) extra memory.
template <Field F>
void batch_inverse(std::span<F> values) {
  std::vector<F> prefix(values.size());
  F running = F::one();
  for (std::size_t i = 0; i < values.size(); ++i) {
    prefix[i] = running;
    if (!values[i].is_zero()) running *= values[i];
  }
  // running is a product of non-zero elements, so it is invertible.
  F inverse = *running.inverse();
  for (std::size_t i = values.size(); i-- > 0;) {
    if (values[i].is_zero()) continue;
    const F original = values[i];
    values[i] = inverse * prefix[i];
    inverse *= original;
  }
}

}  // namespace zkcnn
