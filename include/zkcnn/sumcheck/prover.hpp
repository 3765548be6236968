#pragma once
// The sumcheck prover for sums of products of multilinear polynomials (docs/protocol.md section 3;
// Thaler, "Proofs, Arguments, and Zero-Knowledge", section 4.1). Each round costs
// O(d * table length): the tables are folded in place, lowest variable first, and the next
// round polynomial is evaluated at 0, 2, ..., d from the folded pairs in the same pass.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/inline.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/fiat_shamir.hpp"
#include "zkcnn/sumcheck/masking.hpp"
#include "zkcnn/sumcheck/proof.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::sumcheck {

template <Field F>
struct ProverOutput {
  Proof<F> proof;
  /// The challenges r_1..r_n: the point the claim was reduced to.
  std::vector<F> point;
  /// Each factor's value at `point`, in factor order: its multilinear extension, plus S_k Z(point)
  /// for a masked factor.
  std::vector<F> factor_values;
  /// The additive polynomial u at `point` (zero without one).
  F additive_value = F::zero();
};

namespace detail {

// Accumulates, for one pair of table entries per factor, g's restriction to the line through
// them at t = 0, 2, 3, ..., d (t = 1 is not sent). `line` and `per_term` are scratch of size
// factors * (d + 1) and terms * (d + 1); per_term accumulates products without coefficients.
template <Field F>
class RoundAccumulator {
 public:
  explicit RoundAccumulator(const SumOfProductsShape<F>& shape)
      : shape_(shape),
        points_(shape.degree() + 1),
        line_(shape.factor_count() * points_),
        per_term_(shape.terms().size() * points_) {
    // Each term's factors as offsets into line_, flattened, so the hot loop reads one array.
    term_begin_.push_back(0);
    for (const auto& term : shape.terms()) {
      std::uint64_t mask = 0;
      for (std::size_t f : term.factors) {
        factor_offsets_.push_back(f * points_);
        mask |= factor_bit(f);
      }
      term_begin_.push_back(factor_offsets_.size());
      term_masks_.push_back(mask);
    }
  }

  void reset() { std::fill(per_term_.begin(), per_term_.end(), F::zero()); }

  /// Field operations per pair, roughly: setting every factor's line and every term's products.
  std::size_t work_per_pair() const { return line_.size() + factor_offsets_.size() * points_; }

  /// Adds the sums another accumulator of the same shape collected (over other pairs).
  void merge(const RoundAccumulator& other) {
    for (std::size_t i = 0; i < per_term_.size(); ++i) per_term_[i] += other.per_term_[i];
  }

  /// Sets factor k's values on the current pair. A factor zero on the pair is only marked: the
  /// terms it is in vanish on the pair and are skipped (padding, and the zeros of sparse
  /// tables, cost a comparison instead of the products).
  ZKCNN_ALWAYS_INLINE void set_pair(std::size_t k, const F& low, const F& high) {
    const std::uint64_t bit = factor_bit(k);
    if (bit != 0 && low.is_zero() && high.is_zero()) {
      zero_factors_ |= bit;
      return;
    }
    zero_factors_ &= ~bit;
    F* values = &line_[k * points_];
    values[0] = low;
    values[1] = high;
    const F step = high - low;
    for (std::size_t t = 2; t < points_; ++t) values[t] = values[t - 1] + step;
  }

  ZKCNN_ALWAYS_INLINE void accumulate() {
    const F* line = line_.data();
    const std::size_t* offsets = factor_offsets_.data();
    F* acc = per_term_.data();
    for (std::size_t i = 0; i + 1 < term_begin_.size(); ++i, acc += points_) {
      if ((term_masks_[i] & zero_factors_) != 0) continue;
      const std::size_t begin = term_begin_[i];
      const std::size_t end = term_begin_[i + 1];
      for (std::size_t t = 0; t < points_; t += (t == 0 ? 2 : 1)) {
        F product = line[offsets[begin] + t];
        for (std::size_t f = begin + 1; f < end; ++f) product *= line[offsets[f] + t];
        acc[t] += product;
      }
    }
  }

  /// The round message: values at 0, 2, ..., d.
  std::vector<F> message() const {
    const auto terms = shape_.terms();
    std::vector<F> out;
    out.reserve(points_ - 1);
    for (std::size_t t = 0; t < points_; t += (t == 0 ? 2 : 1)) {
      F value = F::zero();
      for (std::size_t i = 0; i < terms.size(); ++i) value += terms[i].coefficient * per_term_[i * points_ + t];
      out.push_back(value);
    }
    return out;
  }

 private:
  const SumOfProductsShape<F>& shape_;
  std::size_t points_;
  std::vector<F> line_;      // line_[k * points_ + t]: factor k on the current pair at t
  std::vector<F> per_term_;  // per_term_[i * points_ + t]: term i's products, without coefficient
  std::vector<std::size_t> factor_offsets_;
  std::vector<std::size_t> term_begin_;
  // Bit k stands for factor k. Factors past the 64th have none: their lines are always set,
  // and the terms they are in skipped only for another factor's zero.
  static std::uint64_t factor_bit(std::size_t k) { return k < 64 ? std::uint64_t{1} << k : 0; }
  std::vector<std::uint64_t> term_masks_;  // the bits of each term's factors
  std::uint64_t zero_factors_ = 0;         // the factors zero on the current pair
};

// Field operations per chunk below which a round runs on one thread: thread start-up would
// cost more. (A product of two factors does about 12 per pair, so 2^12 pairs.)
inline constexpr std::size_t parallel_grain = std::size_t{1} << 16;

// Runs body(accumulator, begin, end) over [0, pairs) in chunks, one accumulator per chunk, and
// merges them into `acc` in chunk order. Field addition is exact, so the message does not
// depend on the number of threads.
template <Field F, class Body>
void accumulate_chunks(RoundAccumulator<F>& acc, std::size_t pairs, Body body) {
  acc.reset();
  const std::size_t threads = zkcnn::detail::threads_for(pairs * acc.work_per_pair(), parallel_grain);
  if (threads <= 1) {
    body(acc, 0, pairs);
    return;
  }
  const std::size_t chunk = (pairs + threads - 1) / threads;
  std::vector<RoundAccumulator<F>> partial(threads, acc);
  zkcnn::detail::parallel_for(
      0, threads,
      [&](std::size_t first, std::size_t last) {
        for (std::size_t t = first; t < last; ++t) body(partial[t], t * chunk, std::min(pairs, (t + 1) * chunk));
      },
      threads);
  for (const auto& p : partial) acc.merge(p);
}

// The first round's message, from the unfolded tables (length even).
template <Field F>
std::vector<F> first_round_message(RoundAccumulator<F>& acc, std::span<const std::vector<F>> tables, std::size_t length) {
  accumulate_chunks(acc, length / 2, [&](RoundAccumulator<F>& local, std::size_t begin, std::size_t end) {
    for (std::size_t j = begin; j < end; ++j) {
      for (std::size_t k = 0; k < tables.size(); ++k) local.set_pair(k, tables[k][2 * j], tables[k][2 * j + 1]);
      local.accumulate();
    }
  });
  return acc.message();
}

// Binds the lowest variable of `tables` (length a multiple of 4) to r into `folded` (length
// / 2 each) and, in the same pass over memory, computes the next round's message from the
// folded pairs.
template <Field F>
std::vector<F> fold_and_next_message(RoundAccumulator<F>& acc, std::span<const std::vector<F>> tables,
                                     std::span<std::vector<F>> folded, std::size_t length, const F& r) {
  accumulate_chunks(acc, length / 4, [&](RoundAccumulator<F>& local, std::size_t begin, std::size_t end) {
    for (std::size_t j = begin; j < end; ++j) {
      for (std::size_t k = 0; k < tables.size(); ++k) {
        const F* table = tables[k].data();
        const F low = zkcnn::detail::interpolate(table[4 * j], table[4 * j + 1], r);
        const F high = zkcnn::detail::interpolate(table[4 * j + 2], table[4 * j + 3], r);
        folded[k][2 * j] = low;
        folded[k][2 * j + 1] = high;
        local.set_pair(k, low, high);
      }
      local.accumulate();
    }
  });
  return acc.message();
}

// The last round's message when factors are masked: every table is down to one pair, and
// factor k's line gains c_k t (1 - t), c_k = S_k * prod_{j<n} r_j (1 - r_j).
template <Field F>
std::vector<F> masked_last_message(const SumOfProductsShape<F>& shape, std::span<const std::vector<F>> tables,
                                   std::span<const F> corrections, std::size_t degree) {
  std::vector<F> message;
  message.reserve(degree);
  for (std::size_t t = 0; t <= degree; t += (t == 0 ? 2 : 1)) {
    const F x = F::from_u64(t);
    const F bump = x * (F::one() - x);
    std::vector<F> values(tables.size());
    for (std::size_t k = 0; k < tables.size(); ++k) {
      const F low = tables[k].empty() ? F::zero() : tables[k][0];
      const F high = tables[k].size() < 2 ? F::zero() : tables[k][1];
      values[k] = low + x * (high - low) + corrections[k] * bump;
    }
    message.push_back(shape.combine(std::span<const F>(values)));
  }
  return message;
}

}  // namespace detail

/// Binds g's first `rounds` variables on stand-in tables, then puts in g's own tables restricted
/// to the point so far (`restrict(stand_ins, point)`, each stand-in bound to one value). The
/// stand-ins must give every one of those rounds the message g's tables would: for instance, a
/// factor constant in the later variables times one linear in them, summed over the later
/// variables first, is the product of the first factor and the linear one's sum. Messages,
/// point and factor values are then those of g, at a fraction of the work when the later
/// variables multiply the tables' length.
template <Field F>
struct TableSwitch {
  std::size_t rounds = 0;
  std::function<std::vector<std::vector<F>>(std::vector<std::vector<F>> bound, std::span<const F> point)> restrict;
};

/// Proves sum_x g(x) + u(x) = claimed_sum, g's masked factors carrying S_k Z(x) (see
/// masking.hpp; an empty masking proves sum_x g(x)). The caller has bound the claimed sum into
/// the transcript or passes it to the verifier as the claim. Consumes g's tables; with a
/// `table_switch`, g's tables are its stand-ins (see TableSwitch).
template <EncodableField F, class T>
ProverOutput<F> prove(SumOfProducts<F> g, const F& claimed_sum, T& transcript, const Masking<F>& masking = {},
                      const TableSwitch<F>* table_switch = nullptr) {
  const SumOfProductsShape<F> shape = g.shape();
  const std::size_t n = shape.num_vars();
  if (table_switch != nullptr && (table_switch->rounds == 0 || table_switch->rounds >= n)) {
    throw std::invalid_argument("sumcheck::prove: a table switch between the first and the last round");
  }
  const bool masks_factors = masking.masks_factors();
  if ((!masking.additive.empty() && masking.additive.size() != n) ||
      (!masking.masked.empty() && masking.factor_masks.size() != shape.factor_count())) {
    throw std::invalid_argument("sumcheck::prove: masking of the wrong shape");
  }
  if (!masking.empty() && n == 0) throw std::invalid_argument("sumcheck::prove: cannot mask a sum without variables");
  const std::size_t last_degree = std::max(last_round_degree(shape, masking.masked), masking.last_degree);
  detail::absorb_statement(transcript, claimed_sum, n, shape.degree(), last_degree);
  std::vector<std::vector<F>> tables = std::move(g).take_factors();
  // The last round is computed on its own when it differs from the others.
  const bool own_last_round = masks_factors || last_degree != shape.degree();

  // All tables share one even working length: the longest table, not 2^n, so padding costs
  // nothing beyond one element per round.
  std::size_t length = 0;
  for (const auto& table : tables) length = std::max(length, table.size());

  ProverOutput<F> out;
  out.point.reserve(n);
  detail::RoundAccumulator<F> accumulator(shape);
  auto pad_tables = [&](std::size_t multiple) {
    length = (length + multiple - 1) / multiple * multiple;
    for (auto& table : tables) table.resize(length, F::zero());
  };
  // Factor k's last-round correction S_k * prod_{j<n} r_j (1 - r_j), from the challenges so far.
  auto last_message = [&]() {
    const F z = vanishing_value<F>(std::span<const F>(out.point));
    std::vector<F> corrections(tables.size(), F::zero());
    for (std::size_t k = 0; k < tables.size(); ++k) {
      if (masks_factors && masking.masked[k]) corrections[k] = masking.factor_masks[k] * z;
    }
    return detail::masked_last_message(shape, std::span<const std::vector<F>>(tables), std::span<const F>(corrections),
                                       last_degree);
  };
  std::vector<F> message;
  if (n > 0) {
    pad_tables(2);
    message = own_last_round && n == 1
                  ? last_message()
                  : detail::first_round_message(accumulator, std::span<const std::vector<F>>(tables), length);
    detail::add_additive_part(message, masking.additive, 0, std::span<const F>(out.point));
  }
  // Folding writes into a second set of tables (swapped each round), so chunks of one round
  // can run in parallel without reading what another chunk wrote.
  std::vector<std::vector<F>> folded(tables.size());
  for (std::size_t round = 0; round < n; ++round) {
    const F r = detail::round_challenge<F>(transcript, std::span<const F>(message));
    out.proof.round_messages.push_back(std::move(message));
    out.point.push_back(r);
    const bool switches = table_switch != nullptr && round + 1 == table_switch->rounds;
    if (!switches && round + 1 < n && !(own_last_round && round + 2 == n)) {
      pad_tables(4);
      for (auto& table : folded) table.resize(length / 2);
      message = detail::fold_and_next_message(accumulator, std::span<const std::vector<F>>(tables),
                                              std::span<std::vector<F>>(folded), length, r);
      std::swap(tables, folded);
    } else {
      for (auto& table : tables) zkcnn::detail::fold_lowest_variable<F>(table, table, r);
    }
    length = (length + 1) / 2;
    for (auto& table : tables) table.resize(length);
    if (switches) {
      tables = table_switch->restrict(std::move(tables), std::span<const F>(out.point));
      length = 0;
      for (const auto& table : tables) length = std::max(length, table.size());
    }
    if (round + 1 < n) {
      if (own_last_round && round + 2 == n) {
        pad_tables(2);
        message = last_message();
      } else if (switches) {
        pad_tables(2);
        message = detail::first_round_message(accumulator, std::span<const std::vector<F>>(tables), length);
      }
      detail::add_additive_part(message, masking.additive, round + 1, std::span<const F>(out.point));
    }
  }
  out.factor_values.reserve(tables.size());
  const F z = vanishing_value<F>(std::span<const F>(out.point));
  for (std::size_t k = 0; k < tables.size(); ++k) {
    F value = tables[k].empty() ? F::zero() : tables[k][0];
    if (masks_factors && masking.masked[k]) value += masking.factor_masks[k] * z;
    out.factor_values.push_back(value);
  }
  out.additive_value = additive_value(masking.additive, std::span<const F>(out.point));
  return out;
}

}  // namespace zkcnn::sumcheck
