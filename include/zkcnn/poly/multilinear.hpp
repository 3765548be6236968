#pragma once
// Dense multilinear extensions: a table of 2^n evaluations over the hypercube (little-endian
// index bits), of which only a prefix need be stored; the rest is implicitly zero.

#include <algorithm>
#include <numeric>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/detail/inline.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/poly/eq.hpp"

namespace zkcnn {

namespace detail {

/// low + r (high - low): a multilinear table's value between two entries. Equal entries (the
/// zeros of padding, a constant stretch) skip the multiplication. Forced inline: the folding
/// loops call it per entry, and g++ otherwise calls it (its multiplication has two paths).
template <Field F>
ZKCNN_ALWAYS_INLINE F interpolate(const F& low, const F& high, const F& r) {
  const F step = high - low;
  return step.is_zero() ? low : low + r * step;
}

/// Folds the lowest variable of `in` at r into `out` (out.size() == ceil(in.size() / 2)):
/// out[j] = in[2j] + r (in[2j+1] - in[2j]), with a missing in[2j+1] read as zero. `out` may
/// alias the front of `in`.
template <Field F>
void fold_lowest_variable(std::span<const F> in, std::span<F> out, const F& r) {
  const std::size_t pairs = in.size() / 2;
  for (std::size_t j = 0; j < pairs; ++j) out[j] = interpolate(in[2 * j], in[2 * j + 1], r);
  if (in.size() % 2 == 1) {
    const F low = in[in.size() - 1];
    out[pairs] = low - r * low;
  }
}

}  // namespace detail

/// Evaluates the multilinear extension of `table` (zero-padded to 2^point.size() entries) at
/// `point`, in O(table.size()). The table must not be longer than 2^point.size(). Large tables
/// are folded on all threads (each entry of a fold depends on two entries of the previous one,
/// so the result does not depend on the split).
template <Field F>
F evaluate_multilinear(std::span<const F> table, std::span<const F> point) {
  if (point.size() < 64 && table.size() > (std::size_t{1} << point.size())) {
    throw std::invalid_argument("evaluate_multilinear: table longer than 2^(point dimension)");
  }
  if (table.empty()) return F::zero();
  if (point.empty()) return table[0];
  // Below this many entries a fold is not worth starting threads for.
  constexpr std::size_t parallel_fold_size = std::size_t{1} << 15;
  auto parallel_fold = [](std::span<const F> in, std::span<F> out, const F& r) {
    const std::size_t pairs = in.size() / 2;  // in.size() is even here
    zkcnn::detail::parallel_for(0, pairs, [&](std::size_t first, std::size_t last) {
      detail::fold_lowest_variable<F>(in.subspan(2 * first, 2 * (last - first)), out.subspan(first, last - first), r);
    });
  };
  std::vector<F> scratch((table.size() + 1) / 2);
  if (table.size() >= parallel_fold_size && table.size() % 2 == 0) {
    parallel_fold(table, scratch, point[0]);
  } else {
    detail::fold_lowest_variable<F>(table, scratch, point[0]);
  }
  std::size_t size = scratch.size();
  std::size_t k = 1;
  // Out of place between two buffers while large (in-place folds cannot be split), then in place.
  if (size >= parallel_fold_size && size % 2 == 0) {
    std::vector<F> other(size / 2);
    for (; k < point.size() && size >= parallel_fold_size && size % 2 == 0; ++k) {
      parallel_fold(std::span<const F>(scratch.data(), size), std::span<F>(other.data(), size / 2), point[k]);
      size /= 2;
      std::swap(scratch, other);
    }
  }
  for (; k < point.size(); ++k) {
    const std::size_t next = (size + 1) / 2;
    detail::fold_lowest_variable<F>(std::span<const F>(scratch.data(), size), std::span<F>(scratch.data(), next),
                                    point[k]);
    size = next;
  }
  return scratch[0];
}

/// A multilinear polynomial in num_vars variables given by its evaluations on {0,1}^num_vars.
template <Field F>
class MultilinearPolynomial {
 public:
  MultilinearPolynomial() = default;

  /// `evaluations` may be shorter than 2^num_vars; the missing entries are zero.
  MultilinearPolynomial(std::size_t num_vars, std::vector<F> evaluations)
      : num_vars_(num_vars), evaluations_(std::move(evaluations)) {
    if (num_vars_ < 64 && evaluations_.size() > (std::size_t{1} << num_vars_)) {
      throw std::invalid_argument("MultilinearPolynomial: more evaluations than 2^num_vars");
    }
  }

  /// The smallest number of variables that holds all the evaluations.
  explicit MultilinearPolynomial(std::vector<F> evaluations)
      : num_vars_(detail::ceil_log2(evaluations.size())), evaluations_(std::move(evaluations)) {}

  std::size_t num_vars() const { return num_vars_; }
  /// The stored evaluations (entries past the end are zero).
  std::span<const F> evaluations() const { return evaluations_; }

  /// The value at a point of dimension num_vars().
  F evaluate(std::span<const F> point) const {
    if (point.size() != num_vars_) throw std::invalid_argument("MultilinearPolynomial::evaluate: wrong dimension");
    return evaluate_multilinear<F>(evaluations_, point);
  }

  /// Binds the lowest variable to r in place: one variable fewer, half the evaluations.
  void fix_lowest_variable(const F& r) {
    if (num_vars_ == 0) throw std::logic_error("MultilinearPolynomial::fix_lowest_variable: no variable left");
    const std::size_t next = (evaluations_.size() + 1) / 2;
    detail::fold_lowest_variable<F>(evaluations_, std::span<F>(evaluations_.data(), next), r);
    evaluations_.resize(next);
    --num_vars_;
  }

 private:
  std::size_t num_vars_ = 0;
  std::vector<F> evaluations_;
};

/// Binds the highest variables of `table` (a table of 2^(low_num_vars + high_point.size())
/// entries, shorter ones zero-padded) to `high_point`: the table of the low variables,
/// out[j] = sum_h eq(high_point, h) table[h * 2^low_num_vars + j], in O(table.size()). This is
/// how a layer fixes a tensor's leading dimensions (the output channel of a kernel, the batch
/// index of an activation) to a verifier's challenge.
template <Field F>
std::vector<F> bind_high_variables(std::span<const F> table, std::size_t low_num_vars, std::span<const F> high_point) {
  const std::size_t row = std::size_t{1} << low_num_vars;
  const std::size_t rows = (table.size() + row - 1) / row;
  if (rows > (std::size_t{1} << high_point.size())) {
    throw std::invalid_argument("bind_high_variables: table longer than 2^(low + high) entries");
  }
  const std::vector<F> weights = eq_table(high_point);
  std::vector<F> out(row, F::zero());
  // Each thread sums its own columns over every row, in row order: the same result for any split.
  auto bind_columns = [&](std::size_t first, std::size_t last) {
    for (std::size_t h = 0; h < rows; ++h) {
      const F& weight = weights[h];
      const std::size_t end = std::min(last, table.size() - h * row);
      const F* source = table.data() + h * row;
      for (std::size_t j = first; j < end; ++j) out[j] += weight * source[j];
    }
  };
  // Below 2^15 entries per thread, threads cost more than they save.
  zkcnn::detail::parallel_for(0, row, bind_columns, zkcnn::detail::threads_for(table.size(), std::size_t{1} << 15));
  return out;
}

/// Splits a point on the MLE of a tensor of shape (d_1, ..., d_m), stored with each dimension
/// padded to a power of two and the last dimension in the lowest bits, into one sub-point per
/// dimension, in dimension order. `dimension_bits[i]` is ceil(log2 d_i).
template <Field F>
std::vector<std::span<const F>> split_point(std::span<const F> point, std::span<const std::size_t> dimension_bits) {
  const std::size_t total = std::accumulate(dimension_bits.begin(), dimension_bits.end(), std::size_t{0});
  if (total != point.size()) throw std::invalid_argument("split_point: dimension bits do not add up to the point size");
  std::vector<std::span<const F>> parts(dimension_bits.size());
  std::size_t offset = 0;
  for (std::size_t i = dimension_bits.size(); i-- > 0;) {
    parts[i] = point.subspan(offset, dimension_bits[i]);
    offset += dimension_bits[i];
  }
  return parts;
}

}  // namespace zkcnn
