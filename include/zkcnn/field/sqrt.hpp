#pragma once
// Square roots in prime fields by Tonelli-Shanks (Cohen, "A Course in Computational Algebraic
// Number Theory", algorithm 1.5.1). Needed for point decompression and hash-to-curve.

#include <cstdint>
#include <optional>
#include <span>

#include "zkcnn/field/pow.hpp"

namespace zkcnn::detail {

/// A square root of `a`, or nothing when `a` is a non-residue. Write p - 1 = 2^s * t with t
/// odd; `t_minus_one_over_two` is (t - 1) / 2 and `two_adic_root` a primitive 2^s-th root of
/// unity (a non-residue raised to t).
template <Field F>
constexpr std::optional<F> tonelli_shanks(const F& a, std::span<const std::uint64_t> t_minus_one_over_two,
                                          unsigned s, const F& two_adic_root) {
  if (a.is_zero()) return F::zero();
  const F w = pow(a, t_minus_one_over_two);  // a^((t-1)/2)
  F x = a * w;                               // a^((t+1)/2): a root up to a 2^s-th root of unity
  F b = x * w;                               // a^t: the error term, of order dividing 2^s
  F z = two_adic_root;
  unsigned v = s;
  while (b != F::one()) {
    // Least k with b^(2^k) = 1; k < v unless a is a non-residue.
    unsigned k = 0;
    for (F b_pow = b; b_pow != F::one(); b_pow = b_pow.square()) {
      if (++k == v) return std::nullopt;
    }
    F correction = z;
    for (unsigned i = 0; i + k + 1 < v; ++i) correction = correction.square();
    z = correction.square();
    b *= z;
    x *= correction;
    v = k;
  }
  return x;
}

}  // namespace zkcnn::detail
