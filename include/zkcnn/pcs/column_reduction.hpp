#pragma once
// Claims on several committed matrices that share a column count 2^b, and linear claims on a
// matrix of committed masks, reduced to one column point (docs/protocol.md sections 7 and 8): the
// part of a zero-knowledge opening that any matrix commitment shares. With alpha drawn after the
// claims,
//   sum_k alpha^k v_k = sum_x [ sum_k alpha^k sum_terms c eq(c_term, x) u_term(x)
//                               + sum_r A_r(x) m_r(x) ],
// u_term = eq(w_term)^T M the row combination the term's row point selects, m_r mask row r
// and A_r the linear claims' and mask terms' coefficients on it (S = 2c + d for the line
// c + d w). A sumcheck over the b column variables, masked by Libra's g (section 4), reduces it
// to one point s, where the value is <sum_rows lambda_row row, eq(s)> for weights lambda the
// verifier computes from the claims: what each scheme then opens its own way (Hyrax by an
// inner-product argument against its row commitments, pcs/hiding_opening.hpp; the hash-based
// scheme by a test on its codewords, pcs/ligero_model_opening.hpp).

#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/pcs/claims.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/masking.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::column_reduction {

/// A committed table's entries, row-major and zero-padded: field elements, or the integers
/// they stand for (a model's weights, which their owner keeps as integers).
template <Field F>
class MatrixEntries {
 public:
  template <class R>
    requires std::convertible_to<const R&, std::span<const F>>
  MatrixEntries(const R& values) : values_(values) {}  // NOLINT: implicit, as the span it wraps
  MatrixEntries(std::span<const std::int64_t> integers) : integers_(integers) {}  // NOLINT
  MatrixEntries(const std::vector<std::int64_t>& integers) : integers_(integers) {}  // NOLINT

  std::size_t size() const { return integers_.empty() ? values_.size() : integers_.size(); }
  F operator[](std::size_t i) const { return integers_.empty() ? values_[i] : F::from_i64(integers_[i]); }

  /// out[c - first] += weight * entry(begin + c) for c in [first, last), the weight in F or an
  /// extension of it. Integers of one byte (quantized weights) pick a precomputed multiple of
  /// the weight, an addition instead of a multiplication; larger ones (biases) are multiplied.
  template <class W>
  void add_scaled(std::size_t begin, std::size_t first, std::size_t last, const W& weight, W* out) const {
    if (integers_.empty()) {
      const F* row = values_.data() + begin;
      for (std::size_t c = first; c < last; ++c) out[c - first] += weight * row[c];
      return;
    }
    std::array<W, 256> multiples;  // multiples[v + 128] = v * weight
    multiples[128] = W::zero();
    for (std::size_t v = 129; v < 256; ++v) multiples[v] = multiples[v - 1] + weight;
    for (std::size_t v = 128; v-- > 0;) multiples[v] = multiples[v + 1] - weight;
    const std::int64_t* row = integers_.data() + begin;
    for (std::size_t c = first; c < last; ++c) {
      const std::int64_t v = row[c];
      out[c - first] += v >= -128 && v < 128 ? multiples[static_cast<std::size_t>(v + 128)] : weight * F::from_i64(v);
    }
  }

 private:
  std::span<const F> values_;
  std::span<const std::int64_t> integers_;
};

/// w^T M for the row weights w given by their possibly nonzero entries (eq_entries: a claim on
/// one block touches its rows only), split over the columns between the threads.
template <Field F, Field W>
std::vector<W> row_combination(const MatrixEntries<F>& table, std::span<const std::pair<std::size_t, W>> weights,
                               std::size_t width) {
  std::vector<std::pair<std::size_t, W>> rows;  // the stored ones
  for (const auto& [r, weight] : weights) {
    if (r * width < table.size()) rows.emplace_back(r, weight);
  }
  std::vector<W> u(width, W::zero());
  const std::size_t grain = std::max<std::size_t>(1, (std::size_t{1} << 16) / std::max<std::size_t>(1, rows.size()));
  zkcnn::detail::parallel_for(
      0, width,
      [&](std::size_t first, std::size_t last) {
        for (const auto& [r, weight] : rows) {
          const std::size_t end = std::min(last, table.size() - r * width);
          if (first < end) table.add_scaled(r * width, first, end, weight, u.data() + first);
        }
      },
      zkcnn::detail::threads_for(width, grain));
  return u;
}

/// Binds the claims and the linear claims before the reduction's first challenge.
template <EncodableField F, class T>
void absorb_claims(T& transcript, std::span<const CommittedClaim<F>> claims, std::span<const gkr::LinearClaim<F>> linear) {
  transcript.absorb_u64("zk/opening/claims", claims.size());
  for (const auto& claim : claims) {
    transcript.absorb_u64("zk/opening/matrix", claim.matrix);
    for (const auto& term : claim.terms) {
      transcript.absorb_field("zk/opening/coefficient", term.coefficient);
      transcript.absorb_fields("zk/opening/point", std::span<const F>(term.point));
    }
    transcript.absorb_field("zk/opening/value", claim.value.value);
    for (const auto& term : claim.value.masks) {
      transcript.absorb_u64("zk/opening/mask_entry", term.mask);
      transcript.absorb_field("zk/opening/mask_coefficient", term.coefficient);
    }
  }
  transcript.absorb_u64("zk/opening/linear_claims", linear.size());
  for (const auto& claim : linear) {
    transcript.absorb_u64("zk/opening/linear_terms", claim.terms.size());
    for (const auto& [entry, coefficient] : claim.terms) {
      transcript.absorb_u64("zk/opening/linear_entry", entry);
      transcript.absorb_field("zk/opening/linear_coefficient", coefficient);
    }
    transcript.absorb_field("zk/opening/linear_value", claim.value);
  }
}

/// The claims' public values, combined: sum_k alpha^k v_k over both kinds of claims.
template <Field F>
F public_sum(std::span<const CommittedClaim<F>> claims, std::span<const F> alpha, const F& linear_part) {
  F sum = linear_part;
  for (std::size_t k = 0; k < claims.size(); ++k) sum += alpha[k] * claims[k].value.value;
  return sum;
}

/// The mask rows' column tables A_r (dense, one per mask row) and the combined claimed value.
template <Field F>
struct LinearPart {
  std::vector<std::vector<F>> tables;
  F value = F::zero();
};

template <Field F>
LinearPart<F> linear_part(std::span<const CommittedClaim<F>> claims, std::span<const gkr::LinearClaim<F>> linear,
                          std::span<const F> alpha, std::size_t mask_rows, std::size_t width) {
  LinearPart<F> out;
  out.tables.assign(mask_rows, std::vector<F>());
  auto add = [&](std::size_t entry, const F& coefficient) {
    auto& table = out.tables.at(entry / width);
    if (table.empty()) table.assign(width, F::zero());
    table[entry % width] += coefficient;
  };
  for (std::size_t k = 0; k < claims.size(); ++k) {
    // v_k = M~(p_k) + sum_t kappa_t (2 c_t + d_t).
    for (const auto& term : claims[k].value.masks) {
      const F weight = alpha[k] * term.coefficient;
      add(term.mask, weight + weight);
      add(term.mask + 1, weight);
    }
  }
  for (std::size_t j = 0; j < linear.size(); ++j) {
    const F weight = alpha[claims.size() + j];
    for (const auto& [entry, coefficient] : linear[j].terms) add(entry, weight * coefficient);
    out.value += weight * linear[j].value;
  }
  return out;
}

/// The mask's coefficients (a_0, then g_i1, g_i2 per round) padded to a power of two, and the
// vector whose inner product with them is g(s).
inline std::size_t opening_mask_size(std::size_t column_vars) { return std::bit_ceil(1 + 2 * column_vars); }

template <Field F>
std::vector<F> mask_evaluation_vector(std::span<const F> s) {
  std::vector<F> v(opening_mask_size(s.size()), F::zero());
  v[0] = F::one();
  for (std::size_t i = 0; i < s.size(); ++i) {
    v[1 + 2 * i] = s[i];
    v[2 + 2 * i] = s[i] * s[i];
  }
  return v;
}

/// The vector whose inner product with the mask's coefficients is G = sum_x g(x) =
// 2^b a_0 + 2^(b-1) sum_i (g_i1 + g_i2).
template <Field F>
std::vector<F> mask_sum_vector(std::size_t column_vars) {
  F half = F::one();
  for (std::size_t i = 1; i < column_vars; ++i) half += half;
  std::vector<F> v(opening_mask_size(column_vars), F::zero());
  v[0] = half + half;
  for (std::size_t j = 1; j < 1 + 2 * column_vars; ++j) v[j] = half;
  return v;
}

/// powers(s) + mu rho ones: the second argument's vector.
template <Field F>
std::vector<F> mask_argument_vector(std::span<const F> s, const F& mu_rho) {
  auto v = mask_evaluation_vector(s);
  const auto ones = mask_sum_vector<F>(s.size());
  for (std::size_t j = 0; j < v.size(); ++j) v[j] += mu_rho * ones[j];
  return v;
}

/// alpha, alpha^2, ...: no claim enters with a coefficient the prover knows in advance.
template <Field F>
std::vector<F> powers(const F& alpha, std::size_t count) {
  std::vector<F> out;
  out.reserve(count);
  F power = alpha;
  for (std::size_t k = 0; k < count; ++k) {
    out.push_back(power);
    power *= alpha;
  }
  return out;
}


/// The sumcheck's additive mask rho g, g(x) = a_0 + sum_i (g_i1 x_i + g_i2 x_i^2) from the
/// coefficients (a_0, g_11, g_12, g_21, ...).
template <Field W>
sumcheck::Masking<W> libra_masking(const W& rho, std::span<const W> mask, std::size_t column_vars) {
  sumcheck::Masking<W> masking;
  masking.additive.assign(column_vars, std::vector<W>(3, W::zero()));
  for (std::size_t i = 0; i < column_vars; ++i) {
    masking.additive[i][1] = rho * mask[1 + 2 * i];
    masking.additive[i][2] = rho * mask[2 + 2 * i];
  }
  masking.additive[0][0] = rho * mask[0];
  return masking;
}

/// The prover's sum over the columns (a sum of products of two factors per term: eq of the
/// term's column point and its row combination; A_r and mask row r), with each term's row
/// weights and row combination kept for the final combination, so that the tables are read
/// once. `table_of(matrix)` is a claim's matrix (MatrixEntries); `mask_row(r)` is mask row r
/// as a vector of the width.
template <Field W>
struct ProverReduction {
  std::vector<std::vector<std::pair<std::size_t, W>>> row_weights;
  std::vector<std::vector<W>> combinations;
  std::vector<std::vector<W>> factors;
  std::vector<sumcheck::Term<W>> terms;
};

template <Field W, class TableOf, class MaskRow>
ProverReduction<W> prover_reduction(std::span<const CommittedClaim<W>> claims, std::span<const W> alpha,
                                    const LinearPart<W>& part, std::size_t column_vars, TableOf&& table_of,
                                    MaskRow&& mask_row) {
  const std::size_t width = std::size_t{1} << column_vars;
  ProverReduction<W> out;
  for (std::size_t k = 0; k < claims.size(); ++k) {
    for (const auto& term : claims[k].terms) {
      const std::span<const W> point(term.point);
      out.row_weights.push_back(eq_entries(point.subspan(column_vars)));
      out.combinations.push_back(row_combination(table_of(claims[k].matrix),
                                                 std::span<const std::pair<std::size_t, W>>(out.row_weights.back()), width));
      out.factors.push_back(eq_table(point.first(column_vars)));
      out.factors.push_back(out.combinations.back());
      out.terms.push_back({alpha[k] * term.coefficient, {out.factors.size() - 2, out.factors.size() - 1}});
    }
  }
  for (std::size_t r = 0; r < part.tables.size(); ++r) {
    if (part.tables[r].empty()) continue;
    out.factors.push_back(part.tables[r]);
    out.factors.push_back(mask_row(r));
    out.terms.push_back({W::one(), {out.factors.size() - 2, out.factors.size() - 1}});
  }
  return out;
}

/// The verifier's weights lambda at the reduction's point s: one per row of each claimed
/// matrix (`rows[m]` rows in matrix m), every term on a row added up, and one per mask row
/// (A_r~(s)), with f(s) = sum over rows of lambda_row <row, eq(s)>.
template <Field W>
struct RowWeights {
  std::vector<std::vector<W>> matrices;
  std::vector<W> masks;
};

template <Field W>
RowWeights<W> row_weights_at(std::span<const CommittedClaim<W>> claims, std::span<const W> alpha,
                             const LinearPart<W>& part, std::span<const W> s, std::span<const std::size_t> rows) {
  const std::size_t column_vars = s.size();
  RowWeights<W> out;
  out.matrices.resize(rows.size());
  for (std::size_t k = 0; k < claims.size(); ++k) {
    auto& scalars = out.matrices.at(claims[k].matrix);
    scalars.resize(rows[claims[k].matrix], W::zero());
    for (const auto& term : claims[k].terms) {
      const std::span<const W> point(term.point);
      const W scale = alpha[k] * term.coefficient * eq_eval(point.first(column_vars), s);
      for (const auto& [row, weight] : eq_entries(point.subspan(column_vars))) scalars[row] += scale * weight;
    }
  }
  out.masks.assign(part.tables.size(), W::zero());
  for (std::size_t r = 0; r < part.tables.size(); ++r) {
    if (!part.tables[r].empty()) out.masks[r] = evaluate_multilinear(std::span<const W>(part.tables[r]), s);
  }
  return out;
}

}  // namespace zkcnn::column_reduction
