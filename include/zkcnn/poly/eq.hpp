#pragma once
// The multilinear equality polynomial eq(x, y) = prod_k (x_k y_k + (1 - x_k)(1 - y_k)).

#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/parallel.hpp"

namespace zkcnn {

/// eq(x, y) for two points of equal dimension.
template <Field F>
F eq_eval(std::span<const F> x, std::span<const F> y) {
  if (x.size() != y.size()) throw std::invalid_argument("eq_eval: points of different dimensions");
  F result = F::one();
  for (std::size_t k = 0; k < x.size(); ++k) {
    const F xy = x[k] * y[k];
    result *= xy + xy + F::one() - x[k] - y[k];
  }
  return result;
}

/// The table j -> eq(point, bits(j)) over the hypercube, bits little-endian (point[0] is the
/// weight of bit 0), in about 2^n multiplications. Large tables are the tensor product of the
/// low and the high half's tables, eq(point, (j_lo, j_hi)) = eq(low, j_lo) eq(high, j_hi),
/// filled on all threads (the entries are exact, so the same for any split).
template <Field F>
std::vector<F> eq_table(std::span<const F> point) {
  constexpr std::size_t parallel_vars = 16;  // below 2^16 entries, threads cost more than they save
  if (point.size() >= parallel_vars) {
    const std::size_t low_vars = point.size() / 2;
    const std::vector<F> low = eq_table(point.first(low_vars));
    const std::vector<F> high = eq_table(point.subspan(low_vars));
    std::vector<F> table(std::size_t{1} << point.size());
    zkcnn::detail::parallel_for(0, high.size(), [&](std::size_t first, std::size_t last) {
      for (std::size_t h = first; h < last; ++h) {
        F* row = table.data() + (h << low_vars);
        for (std::size_t l = 0; l < low.size(); ++l) row[l] = low[l] * high[h];
      }
    });
    return table;
  }
  std::vector<F> table(std::size_t{1} << point.size());
  table[0] = F::one();
  std::size_t filled = 1;
  for (std::size_t k = point.size(); k-- > 0;) {
    // Interleave: the entry i becomes 2i (bit k = 0) and 2i + 1 (bit k = 1).
    for (std::size_t i = filled; i-- > 0;) {
      const F high = table[i] * point[k];
      table[2 * i + 1] = high;
      table[2 * i] = table[i] - high;
    }
    filled *= 2;
  }
  return table;
}

/// The entries of eq(point, .) that can be nonzero, as (index, value), bits little-endian: a
/// coordinate that is exactly 0 or 1 fixes its bit (eq is the indicator there), so a point on
/// one block of a larger table, whose high coordinates are the block's index bits, gives
/// 2^(other coordinates) entries instead of a table over the whole index space.
template <Field F>
std::vector<std::pair<std::size_t, F>> eq_entries(std::span<const F> point) {
  if (point.size() >= 64) throw std::invalid_argument("eq_entries: at most 63 coordinates");
  std::size_t fixed = 0;  // the bits the fixed coordinates set
  std::vector<std::size_t> free_bits;
  std::vector<F> free_point;
  for (std::size_t k = 0; k < point.size(); ++k) {
    if (point[k] == F::one()) {
      fixed |= std::size_t{1} << k;
    } else if (point[k] != F::zero()) {
      free_bits.push_back(k);
      free_point.push_back(point[k]);
    }
  }
  const std::vector<F> values = eq_table(std::span<const F>(free_point));
  std::vector<std::pair<std::size_t, F>> out;
  out.reserve(values.size());
  for (std::size_t j = 0; j < values.size(); ++j) {
    std::size_t index = fixed;
    for (std::size_t b = 0; b < free_bits.size(); ++b) index |= ((j >> b) & 1) << free_bits[b];
    out.emplace_back(index, values[j]);
  }
  return out;
}

/// sum_{j < count} eq(point, bits(j)): the multilinear extension of the indicator of the first
/// `count` entries of a table of 2^point.size(), in O(point.size()). It is how a verifier
/// accounts for a tensor's padding (docs/protocol.md section 2) without touching the table.
template <Field F>
F prefix_indicator(std::span<const F> point, std::size_t count) {
  const std::size_t n = point.size();
  if (n < 64 && count > (std::size_t{1} << n)) throw std::invalid_argument("prefix_indicator: count exceeds 2^n");
  // From the top bit down: below a set bit of `count`, all lower entries are inside.
  F result = F::zero();
  F prefix = F::one();  // eq of the bits above k with count's bits
  for (std::size_t k = n; k-- > 0;) {
    if ((count >> k) & 1) {
      result += prefix * (F::one() - point[k]);
      prefix *= point[k];
    } else {
      prefix *= F::one() - point[k];
    }
  }
  if (n < 64 && count == (std::size_t{1} << n)) return F::one();
  return result;
}

}  // namespace zkcnn
