#pragma once
// The Reed-Solomon code of the hash-based commitment scheme (pcs/ligero.hpp), with hiding.
//
// A message is a row of C = 2^k values, read as the evaluations of a polynomial W of degree
// below C on the subgroup H of order C. Its codeword holds, on a coset s D of the subgroup D of
// order N = C 2^rate_bits, the evaluations of
//     P(X) = W(X) + (X^C - 1) T(X),
// where T, of degree below r (the hiding), has random coefficients. P agrees with W on H (the
// second term vanishes there), so sums over H see the message only; the codeword's evaluations
// at any r points outside H are uniformly distributed whatever the message (X^C - 1 is non-zero
// there, and T's r coefficients map onto its values at r points bijectively), so a verifier that
// opens at most r positions learns nothing of the message from them. The code's dimension is
// C + r: P has degree below C + r.
//
// The shift s is the least integer >= 2 outside the field's largest two-power subgroup, so the
// coset s D never meets H (nor any subgroup of two-power order).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/field/ntt.hpp"
#include "zkcnn/field/pow.hpp"

namespace zkcnn::pcs {

template <TwoAdicField F>
class HidingReedSolomon {
 public:
  /// Messages of 2^message_vars values, codewords 2^rate_bits times as long, `hiding` random
  /// coefficients (at most the message length).
  HidingReedSolomon(std::size_t message_vars, std::size_t hiding, unsigned rate_bits)
      : message_domain_(std::size_t{1} << message_vars),
        codeword_domain_(std::size_t{1} << (message_vars + rate_bits)),
        hiding_(hiding) {
    if (hiding > message_domain_.size()) throw std::invalid_argument("reed-solomon: more hiding coefficients than message values");
    const F shift = coset_shift();
    shift_powers_.resize(codeword_size());
    F power = F::one();
    for (auto& p : shift_powers_) {
      p = power;
      power *= shift;
    }
  }

  std::size_t message_size() const { return message_domain_.size(); }
  std::size_t hiding() const { return hiding_; }
  std::size_t codeword_size() const { return codeword_domain_.size(); }
  /// The degree bound of every codeword's polynomial.
  std::size_t dimension() const { return message_size() + hiding_; }

  /// The point at codeword position q: s w^q, w the generator of D.
  F point(std::size_t position) const { return shift_powers_[1] * pow(codeword_domain_.generator(), position); }

  /// P's C + r coefficients from the message's values on H and T's coefficients: W's
  /// coefficients (an inverse transform), minus T in the lowest r, then T from degree C on.
  template <class V>
  void row_coefficients(std::span<const V> message, std::span<const V> hiding, std::span<V> out) const {
    const std::size_t c = message_size();
    if (message.size() != c || hiding.size() != hiding_ || out.size() != dimension()) {
      throw std::invalid_argument("reed-solomon: row sizes differ from the code's");
    }
    std::copy(message.begin(), message.end(), out.begin());
    message_domain_.inverse(out.first(c));
    for (std::size_t j = 0; j < hiding_; ++j) {
      out[j] -= hiding[j];
      out[c + j] = hiding[j];
    }
  }

  /// W's coefficients from its values on H, in place.
  template <class V>
  void interpolate_message(std::span<V> values) const {
    message_domain_.inverse(values);
  }

  /// The evaluations on s D of the polynomial with the given coefficients (at most N of them):
  /// scaled by powers of s, then transformed.
  template <class V>
  void evaluate(std::span<const V> coefficients, std::span<V> out) const {
    if (coefficients.size() > codeword_size() || out.size() != codeword_size()) {
      throw std::invalid_argument("reed-solomon: a polynomial beyond the codeword's length");
    }
    for (std::size_t i = 0; i < coefficients.size(); ++i) out[i] = coefficients[i] * shift_powers_[i];
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(coefficients.size()), out.end(), V{});
    codeword_domain_.forward(out);
  }

 private:
  /// The least integer >= 2 whose 2^two_adicity-th power is not one.
  static F coset_shift() {
    for (std::uint64_t candidate = 2;; ++candidate) {
      F power = F::from_u64(candidate);
      for (unsigned k = 0; k < F::two_adicity; ++k) power = power.square();
      if (power != F::one()) return F::from_u64(candidate);
    }
  }

  Radix2Domain<F> message_domain_;
  Radix2Domain<F> codeword_domain_;
  std::size_t hiding_;
  std::vector<F> shift_powers_;  // s^i for i < N
};

}  // namespace zkcnn::pcs
