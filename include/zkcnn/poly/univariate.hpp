#pragma once
// Univariate polynomials given by their values at 0, 1, ..., d: the form sumcheck round
// messages take.

#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/field/batch_inverse.hpp"

namespace zkcnn {

/// Evaluates the degree-d polynomial through (i, values[i]), i = 0..d, anywhere, in O(d):
/// Lagrange's formula with the barycentric weights w_i = 1 / prod_{j != i} (i - j), which for
/// these nodes are (-1)^(d - i) / (i! (d - i)!), set up in O(d) with one batch inversion, in
/// variable time since d is public. (A verifier reads d from an untrusted architecture: no step
/// may cost more than linear in it.)
template <Field F>
class UniformInterpolator {
 public:
  explicit UniformInterpolator(std::size_t degree) : weights_(degree + 1) {
    std::vector<F> factorial(degree + 1, F::one());
    for (std::size_t k = 1; k <= degree; ++k) factorial[k] = factorial[k - 1] * F::from_u64(k);
    for (std::size_t i = 0; i <= degree; ++i) {
      weights_[i] = factorial[i] * factorial[degree - i];
      if ((degree - i) % 2 == 1) weights_[i] = -weights_[i];
    }
    batch_inverse_vartime<F>(weights_);
  }

  std::size_t degree() const { return weights_.size() - 1; }

  /// The polynomial's value at x; values.size() must be degree() + 1.
  F evaluate(std::span<const F> values, const F& x) const {
    const std::size_t n = weights_.size();
    if (values.size() != n) throw std::invalid_argument("UniformInterpolator::evaluate: wrong number of values");
    // L_i(x) = w_i * prod_{j < i} (x - j) * prod_{j > i} (x - j), from prefix and suffix products.
    std::vector<F> suffix(n + 1, F::one());
    for (std::size_t j = n; j-- > 0;) suffix[j] = suffix[j + 1] * (x - F::from_u64(j));
    F prefix = F::one();
    F result = F::zero();
    for (std::size_t i = 0; i < n; ++i) {
      result += values[i] * weights_[i] * prefix * suffix[i + 1];
      prefix *= x - F::from_u64(i);
    }
    return result;
  }

 private:
  std::vector<F> weights_;
};

}  // namespace zkcnn
