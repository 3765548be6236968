#pragma once
// Radix-2 number-theoretic transform over any two-adic field (iterative Cooley-Tukey,
// decimation in time, in place).

#include <bit>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"

namespace zkcnn {

namespace detail {

template <Field F>
void bit_reverse_permute(std::span<F> values) {
  const std::size_t log_n = ceil_log2(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t j = reverse_bits(i, log_n);
    if (i < j) std::swap(values[i], values[j]);
  }
}

/// The transform with the given primitive n-th root of unity.
template <Field F>
void ntt_with_root(std::span<F> values, const F& root) {
  const std::size_t n = values.size();
  if (n <= 1) return;
  bit_reverse_permute(values);
  // twiddles[j] = root^j for j < n/2; the stage of butterfly width 2h uses every (n/2h)-th one.
  std::vector<F> twiddles(n / 2);
  twiddles[0] = F::one();
  for (std::size_t j = 1; j < n / 2; ++j) twiddles[j] = twiddles[j - 1] * root;
  for (std::size_t half = 1; half < n; half *= 2) {
    const std::size_t stride = n / (2 * half);
    for (std::size_t start = 0; start < n; start += 2 * half) {
      for (std::size_t k = 0; k < half; ++k) {
        const F t = values[start + k + half] * twiddles[k * stride];
        values[start + k + half] = values[start + k] - t;
        values[start + k] += t;
      }
    }
  }
}

template <TwoAdicField F>
F ntt_root(std::size_t n) {
  if (!std::has_single_bit(n)) throw std::invalid_argument("ntt: the length must be a power of two");
  const auto log_n = static_cast<unsigned>(std::countr_zero(n));
  if (log_n > F::two_adicity) throw std::invalid_argument("ntt: the length exceeds the field's two-adicity");
  return F::root_of_unity(log_n);
}

}  // namespace detail

/// In place: values[i] <- sum_x values[x] w^(i x), with w = F::root_of_unity(log2 n).
/// The length must be a power of two no larger than 2^two_adicity.
template <TwoAdicField F>
void ntt(std::span<F> values) {
  if (values.empty()) return;
  detail::ntt_with_root(values, detail::ntt_root<F>(values.size()));
}

/// The inverse of ntt: values[x] <- (1/n) sum_i values[i] w^(-i x).
template <TwoAdicField F>
void inverse_ntt(std::span<F> values) {
  if (values.empty()) return;
  const F root = detail::ntt_root<F>(values.size());
  detail::ntt_with_root(values, *root.inverse());
  const F n_inverse = *F::from_u64(values.size()).inverse();
  for (auto& v : values) v *= n_inverse;
}

}  // namespace zkcnn
