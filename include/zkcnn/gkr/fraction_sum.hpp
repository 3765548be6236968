#pragma once
// The sum of fractions sum_i p_i / q_i over 2^n leaves, proven by a binary tree of fraction
// additions, one GKR layer per level (docs/protocol.md section 6; the GKR form of the logarithmic
// derivative lookup argument, "logUp-GKR"). Level k of the tree has 2^k nodes; node x of level
// k adds the neighbours 2x and 2x + 1 of level k + 1:
//   p_k(x) = p_{k+1}(0, x) q_{k+1}(1, x) + p_{k+1}(1, x) q_{k+1}(0, x),
//   q_k(x) = q_{k+1}(0, x) q_{k+1}(1, x),
// (the new variable is the lowest, so a node sums a contiguous range of leaves), and the root
// p_0 / q_0 is the sum. Nothing is committed: the prover sends the two nodes of level 1, then,
// for every level, the claims p_k~(r) + lambda q_k~(r) are reduced by one degree-3 sumcheck
//   sum_x eq(r, x) [p0 q1 + p1 q0 + lambda q0 q1](x),   p0(x) = p_{k+1}~(0, x), ...,
// after which the prover sends p0, p1, q0, q1 at the final point rho and the verifier moves to
// (mu, rho), mu random, on level k + 1. What is left is one claim on the leaves' extensions at
// a random point, which the caller checks against its own definition of the leaves. A false
// root survives with probability at most (n + sum_k 3k) / |F| (Schwartz-Zippel per level).
//
// Empty leaves. The caller names an empty fraction 0 / E (E nonzero; E = 1 unless the caller
// needs another); a node over empty leaves only is 0 / E^(2^h), h its height. The prover is given
// the leaves up to the last one that is not empty, and skips empty nodes wherever they are:
// every level and every sumcheck round accounts for a run of them in closed form, so the tree
// costs in proportion to the leaves that are not empty, not to 2^n.
//
// Zero knowledge (a transcript with a mask commitment, gkr/sumcheck_step.hpp): no node is sent
// in clear. The root's numerator is the public claim of a first, variable-free step over the
// two nodes under the root (lambda = 0: the root's denominator is neither sent nor checked),
// every level is a masked step, and the claims passed down are masked. Without the check that
// the root's denominator is not zero, a lookup stays sound as long as no leaf's denominator can
// vanish except by chance: in zk/range_check.hpp every denominator is alpha minus a value fixed
// before alpha was drawn, so one vanishes with probability at most (leaves) / |F|.

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/fiat_shamir.hpp"

namespace zkcnn::gkr {

template <EncodableField F>
struct FractionSumProof {
  /// p_1(0), p_1(1), q_1(0), q_1(1): the two nodes under the root (plain proofs; zero in
  /// zero knowledge, where they are not sent).
  std::array<F, 4> top{};
  /// One step per level k = 1..n-1 (k = 0..n-1 in zero knowledge), each sending p0, p1, q0, q1
  /// at its final point.
  std::vector<SumcheckStep<F>> levels;

  friend bool operator==(const FractionSumProof&, const FractionSumProof&) = default;
};

/// The root fraction and the claims left on the leaves' extensions p~ and q~ at `point`. In
/// zero knowledge the numerator is proven zero and the denominator is not revealed.
template <Field F>
struct FractionSumClaims {
  F root_numerator;
  std::optional<F> root_denominator;
  std::vector<F> point;
  MaskedValue<F> numerator;
  MaskedValue<F> denominator;
};

template <EncodableField F>
struct ProvenFractionSum {
  FractionSumProof<F> proof;
  FractionSumClaims<F> claims;
};

namespace detail {

inline constexpr std::size_t fraction_level_values = 4;

// The next claim from the values at (0, rho) and (1, rho): the line through them at mu, which
// becomes the point's lowest coordinate.
template <EncodableField F, class T>
void descend(std::vector<F>& point, MaskedValue<F>& numerator, MaskedValue<F>& denominator,
             const std::array<MaskedValue<F>, 4>& values, T& transcript) {
  const F mu = transcript.template challenge<F>("gkr/fraction_sum/mu");
  numerator = MaskedValue<F>{F::zero()}.add(F::one() - mu, values[0]).add(mu, values[1]);
  denominator = MaskedValue<F>{F::zero()}.add(F::one() - mu, values[2]).add(mu, values[3]);
  point.insert(point.begin(), mu);
}

template <Field F>
std::array<MaskedValue<F>, 4> plain_values(std::span<const F> values) {
  return {MaskedValue<F>{values[0]}, MaskedValue<F>{values[1]}, MaskedValue<F>{values[2]}, MaskedValue<F>{values[3]}};
}

// The shape of a level's sumcheck: factors eq(r, .), p0, p1, q0, q1.
template <Field F>
sumcheck::SumOfProductsShape<F> level_shape(std::size_t k, const F& lambda) {
  return sumcheck::SumOfProductsShape<F>(k, 5, {{F::one(), {0, 1, 4}}, {F::one(), {0, 2, 3}}, {lambda, {0, 3, 4}}});
}

// A level's live prefix: p and q up to the last node that is not empty; every node after, and
// every node equal to (0, empty), is the empty fraction 0 / empty. It is read as the nodes below
// a level (FractionLeaves).
template <Field F>
struct Level {
  std::vector<F> p;
  std::vector<F> q;
  F empty;

  std::size_t size() const { return p.size(); }
  void fill(std::size_t first, std::span<F> p_out, std::span<F> q_out) const {
    std::copy_n(p.begin() + static_cast<std::ptrdiff_t>(first), p_out.size(), p_out.begin());
    std::copy_n(q.begin() + static_cast<std::ptrdiff_t>(first), q_out.size(), q_out.begin());
  }
};

// Nodes are read in runs of this many pairs through a buffer of the thread's (a few hundred
// kilobytes: in cache, and reused, where a table of the run's children would be fresh memory).
inline constexpr std::size_t run_pairs = std::size_t{1} << 10;
// The level sumcheck's rounds that read the nodes below instead of stored tables (see
// prove_level): each costs a pass over them; the first tables hold an eighth of them.
inline constexpr std::size_t rounds_from_below = 3;

// Nodes [first, first + p.size()) into p and q, the empty fraction past the stored ones.
template <Field F, class S>
void read_nodes(const S& nodes, const F& empty, std::size_t first, std::span<F> p, std::span<F> q) {
  const std::size_t size = nodes.size();
  const std::size_t stored = first < size ? std::min(p.size(), size - first) : 0;
  if (stored > 0) nodes.fill(first, p.first(stored), q.first(stored));
  std::fill(p.begin() + static_cast<std::ptrdiff_t>(stored), p.end(), F::zero());
  std::fill(q.begin() + static_cast<std::ptrdiff_t>(stored), q.end(), empty);
}

// The four tables of a small level's sumcheck, p0(x) = p(0, x), p1, q0, q1 (the children of
// node x), each as long as the live prefix's parents (at least one entry).
template <Field F, class S>
std::array<std::vector<F>, 4> children(const S& below, const F& empty) {
  const std::size_t live = std::max<std::size_t>(1, (below.size() + 1) / 2);
  std::vector<F> p(2 * live), q(2 * live);
  read_nodes(below, empty, 0, std::span<F>(p), std::span<F>(q));
  std::array<std::vector<F>, 4> out;
  for (std::size_t x = 0; x < live; ++x) {
    for (std::size_t bit = 0; bit < 2; ++bit) {
      out[bit].push_back(p[2 * x + bit]);
      out[2 + bit].push_back(q[2 * x + bit]);
    }
  }
  return out;
}

// A level's polynomial for the generic (masked) prover: eq(r, x) (p0 q1 + p1 q0 + lambda q0 q1),
// the children padded to the whole level with the empty fraction.
template <Field F>
sumcheck::SumOfProducts<F> level_polynomial(std::span<const F> r, const F& lambda, const F& empty,
                                            std::array<std::vector<F>, 4> halves) {
  const std::size_t size = std::size_t{1} << r.size();
  for (std::size_t t = 0; t < 4; ++t) halves[t].resize(size, t < 2 ? F::zero() : empty);
  std::vector<std::vector<F>> tables{eq_table(r)};
  for (auto& half : halves) tables.push_back(std::move(half));
  const auto shape = level_shape(r.size(), lambda);
  return sumcheck::SumOfProducts<F>(r.size(), std::move(tables), {shape.terms().begin(), shape.terms().end()});
}

template <EncodableField F>
F level_value(std::span<const F> point, std::span<const F> final_point, const F& lambda, std::span<const F> v) {
  return eq_eval(point, final_point) * (v[0] * v[3] + v[1] * v[2] + lambda * v[2] * v[3]);
}

// The loops that skip empty nodes run on threads_for(nodes, 2^12) threads, each node's range cut
// into pieces_per_thread pieces per thread (detail::parallel_for_dealt): enough that a run of
// empty nodes spreads over the threads.
inline constexpr std::size_t pieces_per_thread = 32;

template <class Body>
void for_dealt_pieces(std::size_t nodes, std::size_t pieces, Body&& body) {
  zkcnn::detail::parallel_for_dealt(0, nodes, pieces, body, pieces / pieces_per_thread);
}

inline std::size_t dealt_pieces(std::size_t nodes) {
  return zkcnn::detail::threads_for(nodes, std::size_t{1} << 12) * pieces_per_thread;
}

// The level above `below` (FractionLeaves), computed when read: node x adds nodes 2x and
// 2x + 1, and two empty nodes make an empty one without a multiplication. parent_level stores
// it; the level above the leaves is read this way when it has more nodes than the prover is
// told to store (default_largest_stored_level: 512 MB of BN254 nodes).
inline constexpr std::size_t default_largest_stored_level = std::size_t{1} << 23;

template <Field F, class S>
class ParentNodes {
 public:
  ParentNodes(const S& below, const F& below_empty) : below_(below), below_empty_(below_empty), empty_(below_empty * below_empty) {}

  std::size_t size() const { return (below_.size() + 1) / 2; }
  const F& empty() const { return empty_; }

  void fill(std::size_t first, std::span<F> p, std::span<F> q) const {
    std::vector<F> child_p(2 * p.size()), child_q(2 * p.size());
    read_nodes(below_, below_empty_, 2 * first, std::span<F>(child_p), std::span<F>(child_q));
    const F zero = F::zero();
    for (std::size_t i = 0; i < p.size(); ++i) {
      const F &p0 = child_p[2 * i], &p1 = child_p[2 * i + 1], &q0 = child_q[2 * i], &q1 = child_q[2 * i + 1];
      if (p0 == zero && p1 == zero && q0 == below_empty_ && q1 == below_empty_) {
        p[i] = zero;
        q[i] = empty_;
        continue;
      }
      p[i] = p0 * q1 + p1 * q0;
      q[i] = q0 * q1;
    }
  }

 private:
  const S& below_;
  F below_empty_;
  F empty_;
};

// The level above `below`, stored.
template <Field F, class S>
Level<F> parent_level(const S& below, const F& empty) {
  const ParentNodes<F, S> parents(below, empty);
  const std::size_t live = parents.size();
  Level<F> out{std::vector<F>(live), std::vector<F>(live), parents.empty()};
  for_dealt_pieces(live, dealt_pieces(live), [&](std::size_t, std::size_t first, std::size_t last) {
    for (std::size_t start = first; start < last; start += run_pairs) {
      const std::size_t count = std::min(run_pairs, last - start);
      parents.fill(start, std::span<F>(out.p.data() + start, count), std::span<F>(out.q.data() + start, count));
    }
  });
  return out;
}

// eq(point, j) = low(j mod 2^h) high(j >> h), h half the variables: two tables of square-root
// size instead of one of 2^point.size() (a level's own size).
template <Field F>
class SplitEq {
 public:
  explicit SplitEq(std::span<const F> point)
      : low_bits_(point.size() / 2), low_(eq_table(point.first(low_bits_))), high_(eq_table(point.subspan(low_bits_))) {}

  /// Sums sum_j eq(point, j) v_j (N values per j) over increasing j: the terms of a block of
  /// equal j >> h are weighted by low(j) alone and their sum by high once, so the weight costs
  /// no multiplication per term.
  template <std::size_t N>
  class Sum {
   public:
    explicit Sum(const SplitEq& eq) : eq_(eq) {
      block_sums_.fill(F::zero());
      total_.fill(F::zero());
    }

    /// low(j), once the sum has moved to j's block; the caller adds low(j) v_j to terms().
    const F& low_weight(std::size_t j) {
      const std::size_t block = j >> eq_.low_bits_;
      if (block != block_) {
        flush();
        block_ = block;
      }
      return eq_.low_[j & ((std::size_t{1} << eq_.low_bits_) - 1)];
    }
    std::array<F, N>& terms() { return block_sums_; }
    std::array<F, N> total() {
      flush();
      return total_;
    }

   private:
    void flush() {
      if (block_ >= eq_.high_.size()) return;  // no block yet
      for (std::size_t i = 0; i < N; ++i) {
        total_[i] += eq_.high_[block_] * block_sums_[i];
        block_sums_[i] = F::zero();
      }
    }

    const SplitEq& eq_;
    std::size_t block_ = ~std::size_t{0};
    std::array<F, N> block_sums_, total_;
  };

 private:
  std::size_t low_bits_;
  std::vector<F> low_, high_;
};

// One level's sumcheck, sum_x eq(r, x) f(x) with f = p0 q1 + p1 q0 + lambda q0 q1, by a prover
// made for it (the sumcheck's hot loop: about half of an auxiliary witness's opening). The eq
// factor is never folded: in round i, eq(r, x) = C eq(r_i, x_i) eq(r_{>i}, x_{>i}) with C the
// bound rounds' product, so the round polynomial is C eq(r_i, t) g(t), where
// g(t) = sum_j eq(r_{>i}, j) f(t, j) has degree 2 and needs three evaluations per pair (the
// weights eq(r_{>i}, j) come from a SplitEq, never a table of the level's size). The
// messages, challenges and factor values are those of sumcheck::prove on level_shape with the
// same masking (an additive polynomial, added to every message; masked p0..q1, which change
// the last round only, computed on its own from the one pair left), so the verifier is the
// generic one. p0..q1 are never stored whole: the first rounds_from_below rounds read the
// nodes below (k >= 1 variables) in runs, folding each pair's entries by the challenges so far,
// and the last of them writes the first tables, an eighth of the nodes below each (over the
// leaves, these are the range check's largest allocation). A pair whose entries are all the
// empty fraction (0, 0, E, E) stays so when folded, and f = lambda E^2 on it: such pairs,
// inside the live prefix or past it, add lambda E^2 times the sum of their eq weights, which
// is one minus the weights of the others (eq sums to one).
template <EncodableField F, class T, class S>
sumcheck::ProverOutput<F> prove_level(std::span<const F> r, const F& lambda, const F& empty_denominator,
                                      const F& claim, const S& below, T& transcript,
                                      const sumcheck::Masking<F>& masking) {
  const std::size_t k = r.size();
  const bool masks_factors = masking.masks_factors();
  const std::size_t last_degree = std::max<std::size_t>(3, masking.last_degree);
  sumcheck::detail::absorb_statement(transcript, claim, k, 3, last_degree);
  sumcheck::ProverOutput<F> out;
  F bound = F::one();  // C
  const std::array<F, 4> empty{F::zero(), F::zero(), empty_denominator, empty_denominator};
  const F empty_value = lambda * empty_denominator * empty_denominator;
  // Round i's pairs are the nodes below folded by the challenges of rounds 0..i-1: read and
  // folded by all of them while the rounds read from below, then read from `tables` (the
  // previous round's fold) and folded by the last one, `pending`. A round that writes tables
  // writes `folded`, and the two sets of buffers swap, so a level allocates them once.
  std::optional<F> pending;
  std::array<std::vector<F>, 4> tables, folded;
  std::array<F, 4> last_low, last_high;  // the one pair left, for the factor values
  for (std::size_t i = 0; i < k; ++i) {
    const bool from_below = i < rounds_from_below;
    const std::span<const F> fold_by = from_below ? std::span<const F>(out.point) : std::span<const F>(&*pending, 1);
    const std::size_t raw_per_pair = std::size_t{2} << fold_by.size();
    const bool writes_tables = i > 0 && i + 1 >= rounds_from_below;
    const std::size_t nodes_per_pair = 2 * raw_per_pair;  // below, p and q interleaved by bit
    if (!from_below) {
      // A whole number of pairs: empty entries appended, within the level (whose size is a
      // multiple of raw_per_pair).
      while (tables[0].size() % raw_per_pair != 0) {
        for (std::size_t t = 0; t < 4; ++t) tables[t].push_back(empty[t]);
      }
    }
    const std::size_t pairs = from_below ? std::max<std::size_t>(1, (below.size() + nodes_per_pair - 1) / nodes_per_pair)
                                         : tables[0].size() / raw_per_pair;
    const SplitEq<F> rest(r.subspan(i + 1));  // eq(r_{>i}, j), the weight of pair j
    // Entry e of table t (p0, p1, q0, q1) of pair j, through run buffers of the nodes below
    // (starting at pair `run_start`) or the tables.
    auto from_run = [&](const std::vector<F>& p, const std::vector<F>& q, std::size_t j) {
      return [&p, &q, j, raw_per_pair](std::size_t t, std::size_t e) -> const F& {
        return (t < 2 ? p : q)[2 * (raw_per_pair * j + e) + (t & 1)];
      };
    };
    auto from_tables = [&](std::size_t j) {
      return [&tables, j, raw_per_pair](std::size_t t, std::size_t e) -> const F& { return tables[t][raw_per_pair * j + e]; };
    };
    // The pair's values at t = 0 and t = 1: each half of its raw entries folded by fold_by
    // (at most rounds_from_below - 1 challenges, the first binding neighbours). Numerators that
    // are all one (a lookup's digits) fold to one, and are not folded.
    auto pair_values = [&](auto&& raw, std::array<F, 4>& low, std::array<F, 4>& high, bool numerators_one) {
      const std::size_t half = raw_per_pair / 2;
      if (numerators_one) low[0] = low[1] = high[0] = high[1] = F::one();
      for (std::size_t t = numerators_one ? 2 : 0; t < 4; ++t) {
        for (std::size_t side = 0; side < 2; ++side) {
          std::array<F, std::size_t{1} << (rounds_from_below - 1)> entries;
          for (std::size_t e = 0; e < half; ++e) entries[e] = raw(t, side * half + e);
          std::size_t width = half;
          for (const F& c : fold_by) {
            width /= 2;
            for (std::size_t e = 0; e < width; ++e) entries[e] = zkcnn::detail::interpolate(entries[2 * e], entries[2 * e + 1], c);
          }
          (side == 0 ? low : high)[t] = entries[0];
        }
      }
    };
    const F& ri = r[i];
    std::vector<F> message;
    if (i + 1 == k) {
      // One pair left: its lines, with their masks, at t = 0, 2, ..., last_degree.
      std::vector<F> p(nodes_per_pair), q(nodes_per_pair);
      if (from_below) read_nodes(below, empty_denominator, 0, std::span<F>(p), std::span<F>(q));
      if (from_below) {
        pair_values(from_run(p, q, 0), last_low, last_high, false);
      } else {
        pair_values(from_tables(0), last_low, last_high, false);
      }
      const F z = sumcheck::vanishing_value<F>(std::span<const F>(out.point));
      for (std::size_t t = 0; t <= last_degree; t += (t == 0 ? 2 : 1)) {
        const F x = F::from_u64(t);
        std::array<F, 4> v;
        for (std::size_t f = 0; f < 4; ++f) {
          v[f] = last_low[f] + x * (last_high[f] - last_low[f]);
          if (masks_factors && masking.masked[f + 1]) v[f] += masking.factor_masks[f + 1] * z * x * (F::one() - x);
        }
        const F eq_t = F::one() - ri - x + (ri + ri) * x;
        message.push_back(bound * eq_t * (v[0] * v[3] + v[1] * v[2] + lambda * v[2] * v[3]));
      }
    } else {
      if (writes_tables) {
        for (auto& table : folded) table.resize(2 * pairs);
      }
      // g(0), g(1), g(2) and the eq weight of the pairs that are not empty, accumulated per
      // piece and added (field sums do not depend on the split).
      const std::size_t pieces = dealt_pieces(pairs);
      std::vector<std::array<F, 4>> partial(pieces, {F::zero(), F::zero(), F::zero(), F::zero()});
      auto add_pair = [&](std::size_t j, auto&& raw, typename SplitEq<F>::template Sum<4>& sum) {
        bool is_empty = true;
        for (std::size_t t = 0; t < 4 && is_empty; ++t) {
          for (std::size_t e = 0; e < raw_per_pair; ++e) is_empty = is_empty && raw(t, e) == empty[t];
        }
        if (is_empty) {
          if (writes_tables) {
            for (std::size_t t = 0; t < 4; ++t) folded[t][2 * j] = folded[t][2 * j + 1] = empty[t];
          }
          return;
        }
        bool numerators_one = true;
        for (std::size_t t = 0; t < 2 && numerators_one; ++t) {
          for (std::size_t e = 0; e < raw_per_pair; ++e) numerators_one = numerators_one && raw(t, e) == F::one();
        }
        std::array<F, 4> low, high;
        pair_values(raw, low, high, numerators_one);
        if (writes_tables) {
          for (std::size_t t = 0; t < 4; ++t) {
            folded[t][2 * j] = low[t];
            folded[t][2 * j + 1] = high[t];
          }
        }
        const auto& [a0, a1, b0, b1] = low;   // p0, p1, q0, q1 at t = 0
        const auto& [c0, c1, d0, d1] = high;  // at t = 1
        // At t = 2: 2 high - low.
        const F f0 = d0 + d0 - b0, f1 = d1 + d1 - b1;
        const F& w = sum.low_weight(j);
        std::array<F, 4>& g = sum.terms();
        if (numerators_one) {
          // p0 = p1 = 1 at every t: f = q0 + q1 + lambda q0 q1, a multiplication fewer.
          g[0] += w * (b0 + b1 + lambda * (b0 * b1));
          g[1] += w * (d0 + d1 + lambda * (d0 * d1));
          g[2] += w * (f0 + f1 + lambda * (f0 * f1));
        } else {
          const F e0 = c0 + c0 - a0, e1 = c1 + c1 - a1;
          g[0] += w * (a0 * b1 + b0 * (a1 + lambda * b1));
          g[1] += w * (c0 * d1 + d0 * (c1 + lambda * d1));
          g[2] += w * (e0 * f1 + f0 * (e1 + lambda * f1));
        }
        g[3] += w;
      };
      for_dealt_pieces(pairs, pieces, [&](std::size_t piece, std::size_t first, std::size_t last) {
        typename SplitEq<F>::template Sum<4> sums(rest);
        if (from_below) {
          std::vector<F> p(nodes_per_pair * std::min(run_pairs, last - first)), q(p.size());
          for (std::size_t start = first; start < last; start += run_pairs) {
            const std::size_t count = std::min(run_pairs, last - start);
            read_nodes(below, empty_denominator, nodes_per_pair * start, std::span<F>(p.data(), nodes_per_pair * count),
                       std::span<F>(q.data(), nodes_per_pair * count));
            for (std::size_t j = start; j < start + count; ++j) add_pair(j, from_run(p, q, j - start), sums);
          }
        } else {
          for (std::size_t j = first; j < last; ++j) add_pair(j, from_tables(j), sums);
        }
        partial[piece] = sums.total();
      });
      F live_weight = F::zero();
      std::array<F, 3> g{F::zero(), F::zero(), F::zero()};
      for (const auto& part : partial) {
        for (std::size_t t = 0; t < 3; ++t) g[t] += part[t];
        live_weight += part[3];
      }
      const F tail = empty_value * (F::one() - live_weight);  // the eq weights sum to one
      for (F& value : g) value += tail;
      const F g3 = g[0] - F::from_u64(3) * g[1] + F::from_u64(3) * g[2];
      // eq(r_i, t) = 1 - r_i - t + 2 r_i t at t = 0, 2, 3.
      message = {bound * (F::one() - ri) * g[0], bound * (F::from_u64(3) * ri - F::one()) * g[2],
                 bound * (F::from_u64(5) * ri - F::from_u64(2)) * g3};
      if (writes_tables) std::swap(tables, folded);
    }
    sumcheck::detail::add_additive_part(message, masking.additive, i, std::span<const F>(out.point));
    const F challenge = sumcheck::detail::round_challenge<F>(transcript, std::span<const F>(message));
    out.proof.round_messages.push_back(std::move(message));
    out.point.push_back(challenge);
    bound *= F::one() - ri - challenge + (ri + ri) * challenge;
    pending = challenge;
  }
  // The last challenge, on the one pair left.
  const F z = sumcheck::vanishing_value<F>(std::span<const F>(out.point));
  out.factor_values.push_back(bound);  // eq(r, point)
  for (std::size_t t = 0; t < 4; ++t) {
    F value = last_low[t] + *pending * (last_high[t] - last_low[t]);
    if (masks_factors && masking.masked[t + 1]) value += masking.factor_masks[t + 1] * z;
    out.factor_values.push_back(value);
  }
  out.additive_value = sumcheck::additive_value(masking.additive, std::span<const F>(out.point));
  return out;
}

// A level's step (k >= 1 variables) with the specialised prover, masked in zero knowledge.
template <EncodableField F, class T, class S>
ProvenStep<F> prove_level_step(std::span<const F> r, const F& lambda, const F& empty_denominator,
                               const MaskedValue<F>& claimed, const S& below, T& transcript) {
  const std::size_t sent[] = {1, 2, 3, 4};
  return prove_step_with(level_shape(r.size(), lambda), claimed, std::span<const std::size_t>(sent), transcript,
                         [&](const F& sum, const sumcheck::Masking<F>& masking) {
                           return prove_level(r, lambda, empty_denominator, sum, below, transcript, masking);
                         });
}

}  // namespace detail

/// Leaves the tree reads in runs instead of storing them: size() leaves that are not all empty
/// (a prefix: every leaf after is the empty fraction), and fill(first, p, q), which writes
/// leaves first .. first + p.size() - 1 (all below size()) into p and q. A lookup computes its
/// leaves from the committed witness as they are read, so the tree holds its levels above the
/// leaves only.
template <class S, class F>
concept FractionLeaves = Field<F> && requires(const S& leaves, std::size_t first, std::span<F> p, std::span<F> q) {
  { leaves.size() } -> std::convertible_to<std::size_t>;
  leaves.fill(first, p, q);
};

/// Proves the tree over 2^num_vars leaves (num_vars >= 1), of which `leaves` give a prefix (at
/// least one leaf); the others are the empty fraction 0 / empty_denominator (nonzero). The
/// level above the leaves is stored if it has at most `largest_stored_level` nodes, and
/// otherwise computed from the leaves whenever it is read (the same proof, in less memory).
template <EncodableField F, class T, FractionLeaves<F> S>
ProvenFractionSum<F> prove_fraction_sum(const S& leaves, std::size_t num_vars, T& transcript,
                                        const F& empty_denominator = F::one(),
                                        std::size_t largest_stored_level = detail::default_largest_stored_level) {
  const std::size_t size = leaves.size();
  if (num_vars == 0 || size == 0 || size > (std::size_t{1} << num_vars) || empty_denominator == F::zero()) {
    throw std::invalid_argument(
        "prove_fraction_sum: between 1 and 2^num_vars leaves, num_vars >= 1, a nonzero empty denominator");
  }
  transcript.absorb_u64("gkr/fraction_sum/num_vars", num_vars);
  // levels[k] for k = 1..num_vars - 1, built from the leaves up; the level above the leaves is
  // not stored when it is large (computed from the leaves as it is read: three multiplications
  // a node, against as many entries as leaves held).
  const detail::ParentNodes<F, S> above_leaves(leaves, empty_denominator);
  const bool stores_above_leaves = num_vars < 3 || above_leaves.size() <= largest_stored_level;
  std::vector<detail::Level<F>> levels(num_vars);
  if (num_vars > 1) {
    levels[num_vars - 2 + (stores_above_leaves ? 1 : 0)] =
        stores_above_leaves ? detail::parent_level(leaves, empty_denominator)
                            : detail::parent_level(above_leaves, above_leaves.empty());
  }
  for (std::size_t k = num_vars - (stores_above_leaves ? 1 : 2); k > 1; --k) {
    levels[k - 1] = detail::parent_level(levels[k], levels[k].empty);
  }
  // body(nodes, empty) on the nodes of level k + 1, which level k's step reads; a level is freed
  // once read.
  auto with_level_below = [&](std::size_t k, auto&& body) {
    if (k + 1 == num_vars) return body(leaves, empty_denominator);
    if (k + 2 == num_vars && !stores_above_leaves) return body(above_leaves, above_leaves.empty());
    auto result = body(std::as_const(levels[k + 1]), levels[k + 1].empty);
    levels[k + 1] = {};
    return result;
  };
  ProvenFractionSum<F> out;
  std::vector<F> point;
  MaskedValue<F> numerator{F::zero()}, denominator{F::zero()};
  const bool masked = masks_of(transcript) != nullptr;
  if (masked) {
    const auto& level_1 = num_vars == 1 ? detail::parent_level(leaves, empty_denominator) : detail::parent_level(levels[1], levels[1].empty);
    out.claims.root_numerator = level_1.p.at(0);
  } else {
    const auto [p1_0, p1_1, q1_0, q1_1] = num_vars == 1 ? detail::children(leaves, empty_denominator)
                                                        : detail::children(levels[1], levels[1].empty);
    out.proof.top = {p1_0[0], p1_1[0], q1_0[0], q1_1[0]};
    const auto& top = out.proof.top;
    out.claims.root_numerator = top[0] * top[3] + top[1] * top[2];
    out.claims.root_denominator = top[2] * top[3];
    absorb_evaluations(transcript, std::span<const F>(out.proof.top));
    detail::descend(point, numerator, denominator, detail::plain_values(std::span<const F>(top)), transcript);
  }
  // Zero knowledge proves level 0 too, by the generic prover on the two nodes under the root.
  for (std::size_t k = masked ? 0 : 1; k < num_vars; ++k) {
    const F lambda = k == 0 ? F::zero() : transcript.template challenge<F>("gkr/fraction_sum/lambda");
    const std::size_t sent[] = {1, 2, 3, 4};
    const auto claimed = MaskedValue<F>(numerator).add(lambda, denominator);
    auto proven = with_level_below(k, [&](const auto& below, const F& empty) {
      return k == 0 ? prove_step(detail::level_polynomial(std::span<const F>(point), lambda, empty,
                                                          detail::children(below, empty)),
                                 claimed, std::span<const std::size_t>(sent), transcript)
                    : detail::prove_level_step(std::span<const F>(point), lambda, empty, claimed, below, transcript);
    });
    point = std::move(proven.point);
    if (masked) {
      detail::descend(point, numerator, denominator, {proven.sent(0), proven.sent(1), proven.sent(2), proven.sent(3)},
                      transcript);
    } else {
      detail::descend(point, numerator, denominator, detail::plain_values(std::span<const F>(proven.step.evaluations)),
                      transcript);
    }
    out.proof.levels.push_back(std::move(proven.step));
  }
  out.claims.point = std::move(point);
  out.claims.numerator = std::move(numerator);
  out.claims.denominator = std::move(denominator);
  return out;
}

/// The same over leaves held in p and q (equal lengths).
template <EncodableField F, class T>
ProvenFractionSum<F> prove_fraction_sum(std::vector<F> p, std::vector<F> q, std::size_t num_vars, T& transcript,
                                        const F& empty_denominator = F::one(),
                                        std::size_t largest_stored_level = detail::default_largest_stored_level) {
  if (q.size() != p.size()) throw std::invalid_argument("prove_fraction_sum: as many numerators as denominators");
  const detail::Level<F> leaves{std::move(p), std::move(q), empty_denominator};
  return prove_fraction_sum(leaves, num_vars, transcript, empty_denominator, largest_stored_level);
}

/// Replays the proof: the root it proves and the claims left on the leaves, or why it is
/// rejected. The caller checks the root (for a lookup, numerator zero and denominator not) and
/// the leaf claims.
template <EncodableField F, class T>
Result<FractionSumClaims<F>> verify_fraction_sum(std::size_t num_vars, const FractionSumProof<F>& proof, T& transcript) {
  if (num_vars == 0) throw std::invalid_argument("verify_fraction_sum: num_vars >= 1");
  const bool masked = masks_of(transcript) != nullptr;
  if (proof.levels.size() != (masked ? num_vars : num_vars - 1)) {
    return make_error(Errc::malformed_proof, "fraction sum: wrong number of levels");
  }
  transcript.absorb_u64("gkr/fraction_sum/num_vars", num_vars);
  FractionSumClaims<F> out;
  MaskedValue<F> numerator{F::zero()}, denominator{F::zero()};
  std::size_t first_level = 0;
  if (masked) {
    out.root_numerator = F::zero();
  } else {
    const auto& top = proof.top;
    out.root_numerator = top[0] * top[3] + top[1] * top[2];
    out.root_denominator = top[2] * top[3];
    absorb_evaluations(transcript, std::span<const F>(top));
    detail::descend(out.point, numerator, denominator, detail::plain_values(std::span<const F>(top)), transcript);
    first_level = 1;
  }
  for (std::size_t k = first_level; k < num_vars; ++k) {
    const F lambda = k == 0 ? F::zero() : transcript.template challenge<F>("gkr/fraction_sum/lambda");
    const auto& step = proof.levels[k - first_level];
    auto subclaim = verify_step(MaskedValue<F>(numerator).add(lambda, denominator), k, 3, detail::fraction_level_values,
                                step, transcript);
    if (!subclaim) return subclaim.error();
    const F expected = detail::level_value(std::span<const F>(out.point), std::span<const F>(subclaim->point), lambda,
                                           std::span<const F>(step.evaluations));
    if (auto ok = check_step(*subclaim, expected, "fraction sum level " + std::to_string(k)); !ok) return ok.error();
    out.point = std::move(subclaim->point);
    detail::descend(out.point, numerator, denominator,
                    {sent_value(step, *subclaim, 0), sent_value(step, *subclaim, 1), sent_value(step, *subclaim, 2),
                     sent_value(step, *subclaim, 3)},
                    transcript);
  }
  out.numerator = std::move(numerator);
  out.denominator = std::move(denominator);
  return out;
}

/// The root's two children (plain proofs only), then every level's step.
template <EncodableField F>
void write_fraction_sum(io::ByteWriter& out, const FractionSumProof<F>& proof) {
  const bool masked = !proof.levels.empty() && !proof.levels.front().masking.empty();
  if (!masked) {
    for (const F& value : proof.top) out.write_field(value);
  }
  for (const auto& level : proof.levels) write_step(out, level);
}

template <EncodableField F>
Result<FractionSumProof<F>> read_fraction_sum(io::ByteReader& in, std::size_t num_vars) {
  FractionSumProof<F> proof{};
  if (!in.zero_knowledge()) {
    for (F& value : proof.top) {
      auto decoded = in.read_field<F>("fraction sum root values");
      if (!decoded) return decoded.error();
      value = *decoded;
    }
  }
  for (std::size_t k = in.zero_knowledge() ? 0 : 1; k < num_vars; ++k) {
    auto level = read_step<F>(in, k, 3, detail::fraction_level_values);
    if (!level) return level.error();
    proof.levels.push_back(std::move(*level));
  }
  return proof;
}

}  // namespace zkcnn::gkr
