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

template <class T>
void bit_reverse_permute(std::span<T> values) {
  const std::size_t log_n = ceil_log2(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t j = reverse_bits(i, log_n);
    if (i < j) std::swap(values[i], values[j]);
  }
}

/// The transform by a table of twiddles root^j, j < n/2, for a primitive n-th root of unity
/// in F, of values in F or in a vector space over F (an extension field: the transform is
/// F-linear).
template <class V, Field F>
void ntt_with_twiddles(std::span<V> values, std::span<const F> twiddles) {
  const std::size_t n = values.size();
  if (n <= 1) return;
  bit_reverse_permute(values);
  // The stage of butterfly width 2h uses every (n/2h)-th twiddle.
  for (std::size_t half = 1; half < n; half *= 2) {
    const std::size_t stride = n / (2 * half);
    for (std::size_t start = 0; start < n; start += 2 * half) {
      // clang's vectorizer turns the butterflies of a 64-bit field (Goldilocks) into AVX-512
      // code three times slower than scalar (9.1 against 3.5 ns per butterfly).
#if defined(__clang__)
#pragma clang loop vectorize(disable)
#endif
      for (std::size_t k = 0; k < half; ++k) {
        const V t = values[start + k + half] * twiddles[k * stride];
        values[start + k + half] = values[start + k] - t;
        values[start + k] += t;
      }
    }
  }
}

/// root^j for j < n/2.
template <Field F>
std::vector<F> twiddle_table(std::size_t n, const F& root) {
  std::vector<F> twiddles(n / 2);
  if (!twiddles.empty()) twiddles[0] = F::one();
  for (std::size_t j = 1; j < twiddles.size(); ++j) twiddles[j] = twiddles[j - 1] * root;
  return twiddles;
}

template <TwoAdicField F>
F ntt_root(std::size_t n) {
  if (!std::has_single_bit(n)) throw std::invalid_argument("ntt: the length must be a power of two");
  const auto log_n = static_cast<unsigned>(std::countr_zero(n));
  if (log_n > F::two_adicity) throw std::invalid_argument("ntt: the length exceeds the field's two-adicity");
  return F::root_of_unity(log_n);
}

}  // namespace detail

/// The subgroup of order n = 2^k as an evaluation domain, with its transforms' twiddles computed
/// once: for callers that transform many vectors of one length (the rows of a Reed-Solomon
/// encoding). forward and inverse are ntt and inverse_ntt for vectors of length n.
template <TwoAdicField F>
class Radix2Domain {
 public:
  explicit Radix2Domain(std::size_t n)
      : root_(detail::ntt_root<F>(n)),
        twiddles_(detail::twiddle_table(n, root_)),
        inverse_twiddles_(detail::twiddle_table(n, *root_.inverse())),
        n_inverse_(*F::from_u64(n).inverse()),
        size_(n) {}

  std::size_t size() const { return size_; }
  /// The domain's generator w: point i is w^i.
  const F& generator() const { return root_; }

  /// Values in F, or in an extension of F (transformed coefficient by coefficient).
  template <class V>
  void forward(std::span<V> values) const {
    check_length(values.size());
    detail::ntt_with_twiddles(values, std::span<const F>(twiddles_));
  }

  template <class V>
  void inverse(std::span<V> values) const {
    check_length(values.size());
    detail::ntt_with_twiddles(values, std::span<const F>(inverse_twiddles_));
    for (auto& v : values) v *= n_inverse_;
  }

 private:
  void check_length(std::size_t length) const {
    if (length != size_) throw std::invalid_argument("ntt: a vector's length differs from its domain's size");
  }

  F root_;
  std::vector<F> twiddles_;
  std::vector<F> inverse_twiddles_;
  F n_inverse_;
  std::size_t size_;
};

/// In place: values[i] <- sum_x values[x] w^(i x), with w = F::root_of_unity(log2 n).
/// The length must be a power of two no larger than 2^two_adicity.
template <TwoAdicField F>
void ntt(std::span<F> values) {
  if (values.empty()) return;
  Radix2Domain<F>(values.size()).forward(values);
}

/// The inverse of ntt: values[x] <- (1/n) sum_i values[i] w^(-i x).
template <TwoAdicField F>
void inverse_ntt(std::span<F> values) {
  if (values.empty()) return;
  Radix2Domain<F>(values.size()).inverse(values);
}

}  // namespace zkcnn
