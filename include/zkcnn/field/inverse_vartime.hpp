#pragma once
// Modular inversion in time that depends on the value: the divsteps of Bernstein and Yang,
// "Fast constant-time gcd computation and modular inversion" (TCHES 2019, section 8 defines
// divstep, section 11 bounds how many reach g = 0), with their variable-time shortcuts. For
// public values and for code that does not claim constant time (the curve arithmetic, whose
// branches and tables depend on its scalars anyway: ec/short_weierstrass.hpp). A 254-bit
// inversion takes about a fifth of the constant-time exponentiation's time (docs/benchmarks.md).
//
// The state is (eta, f, g, d, e) with f odd, eta = -delta, and d x = f, e x = g (mod p): it
// starts as (-1, p, x, 0, 1) and ends at g = 0, where f = +-gcd(p, x) = +-1 makes +-d the
// inverse. Each batch runs 62 divsteps on the low 64 bits of f and g alone, which determine
// them, collecting their effect as a matrix (u v; q r) scaled by 2^62: then
// (f, g) <- (u f + v g, q f + r g) / 2^62, exactly, and (d, e) likewise modulo p, adding the
// multiple of p that makes the division by 2^62 exact. Within a batch, a run of zero low bits
// of g is shifted out at once, and up to six steps without a swap are one addition of a
// multiple of f (the steps between swaps add f whenever g is odd, then halve).
//
// Big integers are signed, in K limbs of 62 bits (the top limb carries the sign): products of
// a limb and a matrix entry (|u| + |v| <= 2^62) and their sums fit in 128 bits. Each batch
// adds at most p to |d| and |e| (|u d + v e + m p| < 2^62 (max(|d|, |e|) + p)), so after the
// at most `max_batches` batches they stay below (max_batches + 1) p, within K limbs.

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "zkcnn/detail/bigint.hpp"

namespace zkcnn {
namespace detail::divsteps {

__extension__ using i128 = __int128;  // __extension__: a GNU type, accepted under -Wpedantic

inline constexpr unsigned batch = 62;
inline constexpr std::uint64_t low_mask = (std::uint64_t{1} << batch) - 1;

/// Limbs of 62 bits for moduli of N 64-bit limbs, with room for the sign and the growth of d, e.
template <std::size_t N>
inline constexpr std::size_t signed_limbs = (64 * N + 8) / batch + 1;

/// Batches that reach g = 0 for any x < p < 2^(64 N): Bernstein and Yang's theorem 11.2 bounds
/// the divsteps by (49 b + 57) / 17 for b >= 46 bits and (49 b + 80) / 17 below; the larger
/// serves every b, and one batch more covers the rounding.
template <std::size_t N>
inline constexpr std::size_t max_batches = (49 * 64 * N + 80) / 17 / batch + 2;

template <std::size_t K>
using Signed = std::array<std::int64_t, K>;

/// The effect of one batch: (f, g) <- (u f + v g, q f + r g) / 2^62.
struct Transition {
  std::int64_t u, v, q, r;
};

template <std::size_t K, std::size_t N>
constexpr Signed<K> to_signed(const Limbs<N>& x) {
  Signed<K> out{};
  for (std::size_t i = 0; i < K; ++i) {
    const std::size_t bit = batch * i, word = bit / 64, shift = bit % 64;
    std::uint64_t limb = word < N ? x[word] >> shift : 0;
    if (shift > 64 - batch && word + 1 < N) limb |= x[word + 1] << (64 - shift);
    out[i] = static_cast<std::int64_t>(limb & low_mask);
  }
  return out;
}

/// The value of a non-negative `x` below 2^(64 N).
template <std::size_t N, std::size_t K>
constexpr Limbs<N> from_signed(const Signed<K>& x) {
  Limbs<N> out{};
  for (std::size_t i = 0; i < K; ++i) {
    const auto limb = static_cast<std::uint64_t>(x[i]);
    const std::size_t bit = batch * i, word = bit / 64, shift = bit % 64;
    if (word < N) out[word] |= limb << shift;
    if (shift > 64 - batch && word + 1 < N) out[word + 1] |= limb >> (64 - shift);
  }
  return out;
}

template <std::size_t K>
constexpr bool is_zero(const Signed<K>& x) {
  return std::all_of(x.begin(), x.end(), [](std::int64_t limb) { return limb == 0; });
}

/// x + sign p for sign in {-1, 0, 1}, its limbs brought back to [0, 2^62) below the top one.
/// Also the normal form of a value whose limbs were negated one by one (sign 0).
template <std::size_t K>
constexpr void add_multiple(Signed<K>& x, const Signed<K>& p, std::int64_t sign) {
  std::int64_t carry = 0;
  for (std::size_t i = 0; i + 1 < K; ++i) {
    const std::int64_t sum = x[i] + sign * p[i] + carry;  // |sum| < 2^63: limbs below 2^62
    x[i] = static_cast<std::int64_t>(static_cast<std::uint64_t>(sum) & low_mask);
    carry = sum >> batch;
  }
  x[K - 1] += sign * p[K - 1] + carry;
}

/// 62 divsteps from `eta` on the low bits of f (odd) and g; returns the new eta.
constexpr std::int64_t run_batch(std::int64_t eta, std::uint64_t f, std::uint64_t g, Transition& t) {
  // u, v, q, r wrap modulo 2^64 on the way; they end within +-2^62.
  std::uint64_t u = 1, v = 0, q = 0, r = 1;
  unsigned left = batch;
  for (;;) {
    // Halve g over its zero low bits (at most the steps left): each halving doubles f's row
    // relative to g's, as the matrix is scaled by 2^62 in the end.
    const auto zeros = static_cast<unsigned>(std::countr_zero(g | (~std::uint64_t{0} << left)));
    g >>= zeros;
    u <<= zeros;
    v <<= zeros;
    eta -= zeros;
    left -= zeros;
    if (left == 0) break;
    // g is odd. With delta = -eta > 0 the divstep swaps: (f, g) <- (g, -f), before the addition.
    if (eta < 0) {
      eta = -eta;
      const std::uint64_t old_f = f, old_u = u, old_v = v;
      f = g;
      u = q;
      v = r;
      g = 0 - old_f;
      q = 0 - old_u;
      r = 0 - old_v;
    }
    // The next `limit` steps do not swap (eta stays >= 0 until their last halving): together they
    // add w f to g with w the unique value below 2^limit making g + w f divisible by 2^limit.
    const auto limit = static_cast<unsigned>(std::min<std::int64_t>({eta + 1, std::int64_t{left}, 6}));
    const std::uint64_t f_inverse = f * (2 - f * f);  // f^-1 mod 2^6: f f = 1 mod 8, one Newton step
    const std::uint64_t w = (0 - g * f_inverse) & ((std::uint64_t{1} << limit) - 1);
    g += w * f;
    q += w * u;
    r += w * v;
  }
  t = {static_cast<std::int64_t>(u), static_cast<std::int64_t>(v), static_cast<std::int64_t>(q),
       static_cast<std::int64_t>(r)};
  return eta;
}

/// (f, g) <- (u f + v g, q f + r g) / 2^62, exact by the batch's construction.
template <std::size_t K>
constexpr void update_fg(Signed<K>& f, Signed<K>& g, const Transition& t) {
  i128 cf = i128{t.u} * f[0] + i128{t.v} * g[0];
  i128 cg = i128{t.q} * f[0] + i128{t.r} * g[0];
  cf >>= batch;
  cg >>= batch;
  for (std::size_t i = 1; i < K; ++i) {
    cf += i128{t.u} * f[i] + i128{t.v} * g[i];
    cg += i128{t.q} * f[i] + i128{t.r} * g[i];
    f[i - 1] = static_cast<std::int64_t>(static_cast<std::uint64_t>(cf) & low_mask);
    g[i - 1] = static_cast<std::int64_t>(static_cast<std::uint64_t>(cg) & low_mask);
    cf >>= batch;
    cg >>= batch;
  }
  f[K - 1] = static_cast<std::int64_t>(cf);
  g[K - 1] = static_cast<std::int64_t>(cg);
}

/// (d, e) <- (u d + v e, q d + r e) / 2^62 mod p: m_d, m_e in [0, 2^62) are chosen so that adding
/// m p clears the low 62 bits (p_inverse = -p^-1 mod 2^64).
template <std::size_t K>
constexpr void update_de(Signed<K>& d, Signed<K>& e, const Transition& t, const Signed<K>& p,
                         std::uint64_t p_inverse) {
  const auto low = [](std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t x) {
    return static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(b) +
           static_cast<std::uint64_t>(c) * static_cast<std::uint64_t>(x);
  };
  const auto md = static_cast<std::int64_t>((low(t.u, d[0], t.v, e[0]) * p_inverse) & low_mask);
  const auto me = static_cast<std::int64_t>((low(t.q, d[0], t.r, e[0]) * p_inverse) & low_mask);
  i128 cd = i128{t.u} * d[0] + i128{t.v} * e[0] + i128{md} * p[0];
  i128 ce = i128{t.q} * d[0] + i128{t.r} * e[0] + i128{me} * p[0];
  cd >>= batch;
  ce >>= batch;
  for (std::size_t i = 1; i < K; ++i) {
    cd += i128{t.u} * d[i] + i128{t.v} * e[i] + i128{md} * p[i];
    ce += i128{t.q} * d[i] + i128{t.r} * e[i] + i128{me} * p[i];
    d[i - 1] = static_cast<std::int64_t>(static_cast<std::uint64_t>(cd) & low_mask);
    e[i - 1] = static_cast<std::int64_t>(static_cast<std::uint64_t>(ce) & low_mask);
    cd >>= batch;
    ce >>= batch;
  }
  d[K - 1] = static_cast<std::int64_t>(cd);
  e[K - 1] = static_cast<std::int64_t>(ce);
}

/// x^-1 mod p for 0 < x < p, p an odd prime and p_inverse = -p^-1 mod 2^64; nothing if the
/// batches' bound is passed, which a prime modulus never lets happen.
template <std::size_t N>
constexpr std::optional<Limbs<N>> inverse(const Limbs<N>& x, const Limbs<N>& modulus, std::uint64_t p_inverse) {
  constexpr std::size_t K = signed_limbs<N>;
  static_assert(batch * K >= 64 * N + std::bit_width(max_batches<N> + 1) + 1,
                "the limbs must hold (max_batches + 1) p with its sign");
  const Signed<K> p = to_signed<K>(modulus);
  Signed<K> f = p, g = to_signed<K>(x), d{}, e{};
  e[0] = 1;
  std::int64_t eta = -1;
  std::size_t batches = 0;
  while (!is_zero(g)) {
    if (++batches > max_batches<N>) return std::nullopt;
    Transition t{};
    // The low 64 bits of f and g (the second limb's low two bits above the first's 62).
    eta = run_batch(eta, static_cast<std::uint64_t>(f[0]) | static_cast<std::uint64_t>(f[1]) << batch,
                    static_cast<std::uint64_t>(g[0]) | static_cast<std::uint64_t>(g[1]) << batch, t);
    update_de(d, e, t, p, p_inverse);
    update_fg(f, g, t);
  }
  // f = +-1 (any other value would be a common factor of x and a prime p): d x = f.
  if (f[K - 1] < 0) {
    for (auto& limb : d) limb = -limb;
    add_multiple(d, p, 0);
  }
  while (d[K - 1] < 0) add_multiple(d, p, 1);
  for (;;) {  // d < (max_batches + 1) p: subtract p while the difference stays non-negative
    Signed<K> reduced = d;
    add_multiple(reduced, p, -1);
    if (reduced[K - 1] < 0) break;
    d = reduced;
  }
  return from_signed<N>(d);
}

}  // namespace detail::divsteps

/// x^-1, or nothing for zero, in time that may depend on x: the field's inverse_vartime() where
/// it has one, its inverse() otherwise. For public values and for the curve arithmetic.
template <class F>
constexpr std::optional<F> inverse_vartime(const F& x) {
  if constexpr (requires { x.inverse_vartime(); }) {
    return x.inverse_vartime();
  } else {
    return x.inverse();
  }
}

}  // namespace zkcnn
