#pragma once
// Multi-scalar multiplication sum_i k_i P_i (docs/protocol.md section 7), the cost centre of every
// commitment.
//
// A customization point: a backend whose group_traits<G> has
//   static G msm(std::span<const G> points, std::span<const scalar_of<G>> scalars)
// is used as is. Otherwise the library's Pippenger bucket method runs:
// - scalars are read as signed values (k or -(p - k), whichever is smaller), so small negative
//   integers (quantized weights) are as cheap as small positive ones;
// - the window width c is chosen from the number of points and the largest scalar's bit length,
//   minimising (windows) * (points + 2 * 2^(c-1)) additions (combining the buckets adds two
//   points per bucket); scalars of at most 1 bit skip the buckets entirely;
// - digits are signed (in (-2^(c-1), 2^(c-1)]), halving the buckets;
// - points are split across threads in contiguous chunks whose partial sums are added in a fixed
//   order, so the result does not depend on the number of threads.
// - each window groups its inputs by bucket (a counting sort) and sums every bucket through
//   msm_point_ops<G>::sum_buckets, which a backend may specialize: the library's curves sum
//   affine points pairwise with one shared inversion per round (batched affine additions);
//   small multiplications sum several windows' buckets at once, sharing those rounds;
// - on curves with an efficient endomorphism (ec/glv.hpp), full-size scalars are split into
//   halves of 128 bits over the points and their images (Gallant, Lambert, Vanstone, CRYPTO
//   2001) where the cost model above says that halving the windows pays for doubling the
//   points, up to a few thousand points per thread (beyond, the doubled points leave the cache).

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/detail/bigint.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/field/one_half.hpp"

namespace zkcnn {

/// How MSM inputs are summed into buckets. Default: the group's own addition.
template <CommitmentGroup G>
struct msm_point_ops {
  using Input = G;
  static std::vector<Input> prepare(std::span<const G> points) { return {points.begin(), points.end()}; }
  static Input negate(const Input& point) { return group_traits<G>::negate(point); }
  /// sums[b] = the sum of inputs[offsets[b] .. offsets[b + 1]); `inputs` may be overwritten.
  static void sum_buckets(std::span<Input> inputs, std::span<const std::size_t> offsets, std::span<G> sums) {
    for (std::size_t b = 0; b + 1 < offsets.size(); ++b) {
      G sum = group_traits<G>::identity();
      for (std::size_t i = offsets[b]; i < offsets[b + 1]; ++i) sum = group_traits<G>::add(sum, inputs[i]);
      sums[b] = sum;
    }
  }
};

namespace detail {

template <class G>
concept HasCustomMsm = requires(std::span<const G> points, std::span<const scalar_of<G>> scalars) {
  { group_traits<G>::msm(points, scalars) } -> std::same_as<G>;
};

/// A scalar as sign and magnitude, the magnitude as little-endian 64-bit words.
template <std::size_t Words>
struct SignedScalar {
  std::array<std::uint64_t, Words> magnitude{};
  bool negative = false;
};

template <PrimeField S>
constexpr std::size_t scalar_words = (S::byte_size + 7) / 8;

/// k as sign and magnitude, taking -(p - k) when k > (p - 1) / 2. `half` is (p - 1) / 2's
/// encoding; one canonical conversion for Montgomery fields, two for others' negative values.
template <PrimeField S>
SignedScalar<scalar_words<S>> to_signed(const S& k, const std::array<std::uint8_t, S::byte_size>& half) {
  SignedScalar<scalar_words<S>> out;
  if (k == S::zero()) return out;  // zero: the common padding, without a conversion
  if constexpr (requires { k.to_canonical_limbs(); S::modulus; } && sizeof(k.to_canonical_limbs()) == 8 * scalar_words<S>) {
    // Montgomery fields: compare and copy limbs, not the byte encoding.
    static const auto half_limbs = (-S::one() * one_half<S>()).to_canonical_limbs();
    const auto limbs = k.to_canonical_limbs();
    bool negative = false;
    for (std::size_t i = limbs.size(); i-- > 0;) {
      if (limbs[i] != half_limbs[i]) {
        negative = limbs[i] > half_limbs[i];
        break;
      }
    }
    auto magnitude = limbs;
    if (negative) {  // p - k, without a second conversion
      magnitude = S::modulus;
      detail::sub_in_place(magnitude, limbs);
    }
    for (std::size_t i = 0; i < magnitude.size(); ++i) out.magnitude[i] = magnitude[i];
    out.negative = negative;
  } else {
    auto bytes = k.to_bytes();
    bool negative = false;
    for (std::size_t i = S::byte_size; i-- > 0;) {
      if (bytes[i] != half[i]) {
        negative = bytes[i] > half[i];
        break;
      }
    }
    if (negative) bytes = (-k).to_bytes();
    out.negative = negative;
    for (std::size_t i = 0; i < S::byte_size; ++i) out.magnitude[i / 8] |= std::uint64_t{bytes[i]} << (8 * (i % 8));
  }
  return out;
}

template <std::size_t Words>
std::size_t magnitude_bits(const SignedScalar<Words>& s) {
  for (std::size_t i = Words; i-- > 0;) {
    if (s.magnitude[i] != 0) return 64 * i + 64 - static_cast<std::size_t>(__builtin_clzll(s.magnitude[i]));
  }
  return 0;
}

/// Bits [offset, offset + width) of the magnitude (width <= 32).
template <std::size_t Words>
std::uint64_t extract_bits(const SignedScalar<Words>& s, std::size_t offset, std::size_t width) {
  const std::size_t word = offset / 64;
  const std::size_t shift = offset % 64;
  if (word >= Words) return 0;
  std::uint64_t bits = s.magnitude[word] >> shift;
  if (shift + width > 64 && word + 1 < Words) bits |= s.magnitude[word + 1] << (64 - shift);
  return bits & ((std::uint64_t{1} << width) - 1);
}

/// How many bucket inputs (points times windows) a group of windows may hold at once: enough
/// that a round's inversion is shared by thousands of additions, few enough to stay in cache.
inline constexpr std::size_t joint_bucket_inputs = std::size_t{1} << 14;

/// A window width and the additions it costs.
struct WindowChoice {
  std::size_t width = 1;
  double additions = 0;
};

/// The window width minimising windows * (points + 2 buckets) additions: the running sums
/// that combine a window's buckets add two points per bucket.
inline WindowChoice choose_window(std::size_t points, std::size_t bits) {
  WindowChoice best;
  for (std::size_t c = 1; c <= 20; ++c) {
    const double windows = static_cast<double>((bits + 1 + c - 1) / c);  // + 1: the signed carry
    const double cost = windows * (static_cast<double>(points) + 2.0 * static_cast<double>(std::size_t{1} << (c - 1)));
    if (c == 1 || cost < best.additions) best = {c, cost};
  }
  return best;
}

/// Point operations with an endomorphism phi acting on the group as multiplication by lambda
/// (ec/glv.hpp): Ops::endomorphism(P) = phi(P), and Ops::split(m) = (m1, m2), signed halves of
/// at most 128 bits with m = m1 + m2 lambda (mod r), or nothing where a half came out longer.
template <class Ops>
concept HasEndomorphism = requires { requires Ops::has_endomorphism; };

/// Bits of a split scalar's halves.
inline constexpr std::size_t split_bits = 128;

/// The most points a thread splits. The additions counted below favour splitting up to about
/// 65,000 full-size scalars, but the doubled inputs (72 bytes each for BN254) outgrow the core's
/// cache first: on one thread of a Xeon with 2 MiB of L2, a BN254 multiplication with
/// full-size scalars took 10% less time with the split at 4,096 and 5,500 points, 3% less at
/// 8,192, as much at 11,000 and 5% more at 16,384 (docs/benchmarks.md).
inline constexpr std::size_t max_split_points = std::size_t{1} << 13;

/// Whether the bucket method costs less on the points and their images with half-length
/// scalars (GLV inside Pippenger): for full-size scalars over at most max_split_points points,
/// where halving the windows saves more than doubling the points costs. A split is counted as
/// one addition.
inline bool endomorphism_pays(std::size_t points, std::size_t bits) {
  if (bits <= split_bits || points > max_split_points) return false;
  const double split = choose_window(2 * points, split_bits).additions + static_cast<double>(points);
  return split < choose_window(points, bits).additions;
}

template <CommitmentGroup G, std::size_t Words>
G pippenger_chunk(std::span<const typename msm_point_ops<G>::Input> points,
                  std::span<const SignedScalar<Words>> scalars, std::size_t bits) {
  using Traits = group_traits<G>;
  using Ops = msm_point_ops<G>;
  using Input = typename Ops::Input;
  G result = Traits::identity();
  if (bits == 0) return result;
  std::vector<Input> work;
  work.reserve(points.size());
  if (bits == 1) {  // scalars in {-1, 0, 1}: one bucket
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (scalars[i].magnitude[0] != 0) work.push_back(scalars[i].negative ? Ops::negate(points[i]) : points[i]);
    }
    const std::array<std::size_t, 2> offsets{0, work.size()};
    Ops::sum_buckets(work, offsets, std::span<G>(&result, 1));
    return result;
  }
  const std::size_t c = choose_window(points.size(), bits).width;
  const std::size_t windows = (bits + 1 + c - 1) / c;
  const std::uint64_t half = std::uint64_t{1} << (c - 1);
  // Signed digits, computed once per scalar: digits[w * n + i] in (-half, half], window-major
  // so that each window reads its digits sequentially. The top window holds at most half (its
  // top bit is zero), so the last carry is always zero.
  const std::size_t n = points.size();
  std::vector<std::int32_t> digits(n * windows);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t carry = 0;
    for (std::size_t w = 0; w < windows; ++w) {
      const std::uint64_t raw = extract_bits(scalars[i], w * c, c) + carry;
      carry = raw > half ? 1 : 0;
      digits[w * n + i] = static_cast<std::int32_t>(raw) - static_cast<std::int32_t>(carry << c);
    }
  }
  // Windows are summed in groups whose buckets go through sum_buckets together, so that they
  // share its rounds (the library's curves pay one inversion per round): a small
  // multi-scalar multiplication would otherwise pay a few inversions per window. Bucket
  // (window w, digit magnitude m) is slot (w - first) * half + m - 1 of its group.
  const std::size_t group = std::clamp<std::size_t>(joint_bucket_inputs / std::max<std::size_t>(n, 1), 1, windows);
  std::vector<G> buckets(group * half);
  std::vector<std::size_t> offsets(group * half + 1);
  std::vector<std::size_t> cursor(group * half);
  for (std::size_t top = windows; top > 0;) {
    const std::size_t first = top - std::min(group, top);
    // Group the inputs by bucket (a counting sort), signs applied, then sum every bucket.
    std::fill(offsets.begin(), offsets.end(), 0);
    for (std::size_t w = first; w < top; ++w) {
      const std::int32_t* window_digits = digits.data() + w * n;
      const std::size_t base = (w - first) * half;
      for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t digit = window_digits[i];
        if (digit != 0) ++offsets[base + static_cast<std::size_t>(digit < 0 ? -digit : digit)];
      }
    }
    const std::size_t slots = (top - first) * half;
    for (std::size_t b = 1; b <= slots; ++b) offsets[b] += offsets[b - 1];
    std::copy(offsets.begin(), offsets.begin() + static_cast<std::ptrdiff_t>(slots), cursor.begin());
    work.resize(offsets[slots]);
    for (std::size_t w = first; w < top; ++w) {
      const std::int32_t* window_digits = digits.data() + w * n;
      const std::size_t base = (w - first) * half;
      for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t digit = window_digits[i];
        if (digit == 0) continue;
        const bool negative = (digit < 0) != scalars[i].negative;
        work[cursor[base + static_cast<std::size_t>(digit < 0 ? -digit : digit) - 1]++] =
            negative ? Ops::negate(points[i]) : points[i];
      }
    }
    Ops::sum_buckets(work, std::span<const std::size_t>(offsets).first(slots + 1), std::span<G>(buckets).first(slots));
    for (std::size_t w = top; w-- > first;) {
      for (std::size_t d = 0; d < c; ++d) result = Traits::doubled(result);
      // sum_b (b + 1) * bucket_b by running sums from the top bucket down.
      const G* window_buckets = buckets.data() + (w - first) * half;
      G running = Traits::identity();
      G window_sum = Traits::identity();
      for (std::size_t b = half; b-- > 0;) {
        running = Traits::add(running, window_buckets[b]);
        window_sum = Traits::add(window_sum, running);
      }
      result = Traits::add(result, window_sum);
    }
    top = first;
  }
  return result;
}

/// The same sum through the endomorphism: k P = k1 P + k2 phi(P) with k = k1 + k2 lambda, so the
/// bucket method runs over P and phi(P) with scalars of at most 128 bits, in half the windows.
/// Falls back to the plain method if a split came out longer (none does for the shipped
/// curves: tests/ec/glv_test.cpp).
template <CommitmentGroup G, std::size_t Words>
  requires HasEndomorphism<msm_point_ops<G>>
G pippenger_chunk_split(std::span<const typename msm_point_ops<G>::Input> points,
                        std::span<const SignedScalar<Words>> scalars, std::size_t bits) {
  using Ops = msm_point_ops<G>;
  std::vector<typename Ops::Input> doubled(2 * points.size());
  std::vector<SignedScalar<2>> halves(2 * points.size());
  std::size_t half_bits = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    // k = +-m: split m, then give both halves k's sign.
    const auto split = Ops::split(scalars[i].magnitude);
    if (!split) return pippenger_chunk<G>(points, scalars, bits);
    for (std::size_t h = 0; h < 2; ++h) {
      halves[2 * i + h] = (*split)[h];
      halves[2 * i + h].negative = (*split)[h].negative != scalars[i].negative;
      half_bits = std::max(half_bits, magnitude_bits(halves[2 * i + h]));
    }
    doubled[2 * i] = points[i];
    doubled[2 * i + 1] = Ops::endomorphism(points[i]);
  }
  return pippenger_chunk<G>(std::span<const typename Ops::Input>(doubled), std::span<const SignedScalar<2>>(halves),
                            half_bits);
}

}  // namespace detail

/// sum_i scalars[i] * points[i]. The spans must have equal lengths.
template <CommitmentGroup G>
G msm(std::span<const G> points, std::span<const scalar_of<G>> scalars,
      std::size_t threads = detail::default_thread_count()) {
  if (points.size() != scalars.size()) throw std::invalid_argument("msm: points and scalars differ in number");
  if constexpr (detail::HasCustomMsm<G>) {
    return group_traits<G>::msm(points, scalars);
  } else {
    using S = scalar_of<G>;
    using Ops = msm_point_ops<G>;
    using Signed = detail::SignedScalar<detail::scalar_words<S>>;
    const auto inputs = Ops::prepare(points);
    std::vector<Signed> signed_scalars(scalars.size());
    static const auto half = (-S::one() * one_half<S>()).to_bytes();  // (p - 1) / 2
    // Below a thousand points per thread, threads cost more than they save.
    threads = std::clamp<std::size_t>(points.size() / 1024, 1, threads);
    std::vector<G> partial(threads, group_traits<G>::identity());
    const std::size_t chunk = (points.size() + threads - 1) / threads;
    // Each thread converts its own scalars and sizes its windows to their largest (the sum
    // does not depend on the windows).
    detail::parallel_for(
        0, threads,
        [&](std::size_t lo, std::size_t hi) {
          for (std::size_t t = lo; t < hi; ++t) {
            const std::size_t begin = std::min(points.size(), t * chunk);
            const std::size_t end = std::min(points.size(), begin + chunk);
            std::size_t bits = 0;
            for (std::size_t i = begin; i < end; ++i) {
              signed_scalars[i] = detail::to_signed(scalars[i], half);
              bits = std::max(bits, detail::magnitude_bits(signed_scalars[i]));
            }
            const auto chunk_points = std::span<const typename Ops::Input>(inputs).subspan(begin, end - begin);
            const auto chunk_scalars = std::span<const Signed>(signed_scalars).subspan(begin, end - begin);
            if constexpr (detail::HasEndomorphism<Ops>) {
              if (detail::endomorphism_pays(end - begin, bits)) {
                partial[t] = detail::pippenger_chunk_split<G>(chunk_points, chunk_scalars, bits);
                continue;
              }
            }
            partial[t] = detail::pippenger_chunk<G>(chunk_points, chunk_scalars, bits);
          }
        },
        threads);
    G total = group_traits<G>::identity();
    for (const G& p : partial) total = group_traits<G>::add(total, p);
    return total;
  }
}

/// The same for vectors.
template <CommitmentGroup G>
G msm(const std::vector<G>& points, const std::vector<scalar_of<G>>& scalars,
      std::size_t threads = detail::default_thread_count()) {
  return msm<G>(std::span<const G>(points), std::span<const scalar_of<G>>(scalars), threads);
}

}  // namespace zkcnn
