#pragma once
// One zero-knowledge opening of every claim a proof leaves on committed data (PROTOCOL.md
// sections 7 and 8): claims on the multilinear extensions of Hyrax-committed tables (the
// model's weights, the auxiliary witness), each up to mask terms, and linear claims on the
// committed masks (zk/mask_commitment.hpp). All the matrices share one column count 2^b, so
// the whole statement is one linear relation on their rows:
//   sum_k alpha^k v_k = sum_k alpha^k <eq(c_k) (x) eq(w_k), M_k> + sum_r <A_r, mask row r>,
// where claim k sits at column point c_k and row point w_k of its matrix, and A collects the
// linear claims and the claims' mask terms (S = 2c + d for the line c + d w).
//
// The prover commits a fresh random row B and sends B~(e) at a random e; a sumcheck over the
// column variables reduces
//   sum_x [ sum_k alpha^k eq(c_k, x) u_k(x) + sum_r A_r(x) m_r(x) + eq(e, x) B(x) ]
// (u_k = eq(w_k)^T M_k, m_r the mask rows) to one column point s, where the value is
// < sum_rows lambda_row row + eq(e, s) B, eq(s) > with lambda computable by the verifier from
// the claims: one inner-product argument against the combination of all row commitments.
// Nothing but B~(e) and the round messages is revealed: B, fresh and uniform, makes every round
// message and the final value uniformly random (each is an independent linear function of B's
// 2^b entries), and the inner-product argument is zero-knowledge (pcs/inner_product.hpp).

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/pcs/inner_product.hpp"
#include "zkcnn/pcs/pedersen.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/prover.hpp"
#include "zkcnn/sumcheck/verifier.hpp"

namespace zkcnn::zk {

/// coefficient * M~(point), point = (column coordinates, row coordinates).
template <Field F>
struct WeightedPoint {
  F coefficient;
  std::vector<F> point;
};

/// A claim on the extension of committed matrix `matrix`: sum over terms of coefficient *
/// M~(point) = value, up to the value's mask terms.
template <Field F>
struct CommittedClaim {
  std::size_t matrix;
  std::vector<WeightedPoint<F>> terms;
  gkr::MaskedValue<F> value;

  /// M~(point) = value.
  static CommittedClaim at(std::size_t matrix, std::vector<F> point, gkr::MaskedValue<F> value) {
    return {matrix, {{F::one(), std::move(point)}}, std::move(value)};
  }
};

/// The verifier's view of one committed matrix: its row commitments (2^row_vars of them).
template <CommitmentGroup G>
struct CommittedMatrix {
  std::span<const G> rows;
};

/// The prover's view: the table (row-major, zero-padded), and the rows' blinding factors.
template <CommitmentGroup G>
struct OpenedMatrix {
  std::span<const G> rows;
  std::span<const scalar_of<G>> table;
  std::span<const scalar_of<G>> row_blinds;
};

template <CommitmentGroup G>
struct HidingOpeningProof {
  G blinding_row;
  scalar_of<G> blinding_value;  // B~(e)
  std::vector<std::vector<scalar_of<G>>> rounds;
  InnerProductProof<G> inner_product;

  friend bool operator==(const HidingOpeningProof&, const HidingOpeningProof&) = default;
};

namespace detail {

template <CommitmentGroup G, class T>
void absorb_opening_statement(T& transcript, std::span<const CommittedClaim<scalar_of<G>>> claims,
                              std::span<const gkr::LinearClaim<scalar_of<G>>> linear) {
  using F = scalar_of<G>;
  transcript.absorb_u64("zk/opening/claims", claims.size());
  for (const auto& claim : claims) {
    transcript.absorb_u64("zk/opening/matrix", claim.matrix);
    for (const auto& term : claim.terms) {
      transcript.absorb_field("zk/opening/coefficient", term.coefficient);
      transcript.absorb_fields("zk/opening/point", std::span<const F>(term.point));
    }
    transcript.absorb_field("zk/opening/value", claim.value.value);
  }
  transcript.absorb_u64("zk/opening/linear_claims", linear.size());
  for (const auto& claim : linear) transcript.absorb_field("zk/opening/linear_value", claim.value);
}

// The mask rows' column tables A_r (dense, one per mask row) and the combined claimed value.
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

template <Field F>
std::vector<F> powers(const F& alpha, std::size_t count) {
  std::vector<F> out;
  out.reserve(count);
  F power = F::one();
  for (std::size_t k = 0; k < count; ++k) {
    out.push_back(power);
    power *= alpha;
  }
  return out;
}

}  // namespace detail

/// Proves every claim. `matrices` are the committed tables (the last may be the masks' matrix,
/// named by mask_matrix, whose rows the linear claims and mask terms address; entry i is at
/// row i / width). Blinding values come from `rng` (the OS generator outside tests).
template <CommitmentGroup G, class T, class Rng>
HidingOpeningProof<G> prove_hiding_opening(const PedersenKey<G>& key, std::size_t column_vars,
                                           std::span<const OpenedMatrix<G>> matrices, std::size_t mask_matrix,
                                           std::span<const CommittedClaim<scalar_of<G>>> claims,
                                           std::span<const gkr::LinearClaim<scalar_of<G>>> linear, T& transcript,
                                           Rng& rng) {
  using F = scalar_of<G>;
  const std::size_t width = std::size_t{1} << column_vars;
  detail::absorb_opening_statement<G>(transcript, claims, linear);
  HidingOpeningProof<G> proof;
  std::vector<F> blinding(width);
  for (auto& v : blinding) v = F::random(rng);
  const F blinding_blind = F::random(rng);
  proof.blinding_row = key.commit(std::span<const F>(blinding), blinding_blind);
  transcript.absorb_bytes("zk/opening/blinding_row", group_traits<G>::encode(proof.blinding_row));
  const auto e = transcript.template challenges<F>("zk/opening/blinding_point", column_vars);
  proof.blinding_value = evaluate_multilinear(std::span<const F>(blinding), std::span<const F>(e));
  transcript.absorb_field("zk/opening/blinding_value", proof.blinding_value);
  const auto alpha = detail::powers(transcript.template challenge<F>("zk/opening/alpha"), claims.size() + linear.size());

  const std::size_t mask_rows = mask_matrix < matrices.size() ? matrices[mask_matrix].rows.size() : 0;
  auto part = detail::linear_part(claims, linear, std::span<const F>(alpha), mask_rows, width);
  F claimed = part.value + proof.blinding_value;
  std::vector<std::vector<F>> factors;
  std::vector<sumcheck::Term<F>> terms;
  // Row r of a matrix, zero-padded to the width.
  auto row_of = [&](const OpenedMatrix<G>& m, std::size_t r) {
    std::vector<F> row(width, F::zero());
    const std::size_t begin = r * width;
    for (std::size_t c = 0; c < width && begin + c < m.table.size(); ++c) row[c] = m.table[begin + c];
    return row;
  };
  for (std::size_t k = 0; k < claims.size(); ++k) {
    const auto& claim = claims[k];
    const auto& m = matrices[claim.matrix];
    for (const auto& term : claim.terms) {
      const std::span<const F> point(term.point);
      const auto row_weights = eq_table(point.subspan(column_vars));
      std::vector<F> u(width, F::zero());
      for (std::size_t r = 0; r < row_weights.size(); ++r) {
        if (row_weights[r] == F::zero()) continue;
        const std::size_t begin = r * width;
        for (std::size_t c = 0; c < width && begin + c < m.table.size(); ++c) u[c] += row_weights[r] * m.table[begin + c];
      }
      factors.push_back(eq_table(point.first(column_vars)));
      factors.push_back(std::move(u));
      terms.push_back({alpha[k] * term.coefficient, {factors.size() - 2, factors.size() - 1}});
    }
    claimed += alpha[k] * claim.value.value;
  }
  for (std::size_t r = 0; r < part.tables.size(); ++r) {
    if (part.tables[r].empty()) continue;
    factors.push_back(part.tables[r]);
    factors.push_back(row_of(matrices[mask_matrix], r));
    terms.push_back({F::one(), {factors.size() - 2, factors.size() - 1}});
  }
  factors.push_back(eq_table(std::span<const F>(e)));
  factors.push_back(blinding);
  terms.push_back({F::one(), {factors.size() - 2, factors.size() - 1}});
  auto reduced = sumcheck::prove(sumcheck::SumOfProducts<F>(column_vars, std::move(factors), std::move(terms)), claimed,
                                 transcript);
  proof.rounds = std::move(reduced.proof.round_messages);
  const std::span<const F> s(reduced.point);

  // u = sum over rows of lambda_row * row + eq(e, s) B, with its blinding.
  const auto column_weights = eq_table(s);
  std::vector<F> u(width, F::zero());
  F blind = F::zero();
  auto accumulate_row = [&](const OpenedMatrix<G>& m, std::size_t r, const F& lambda) {
    if (lambda == F::zero()) return;
    const std::size_t begin = r * width;
    for (std::size_t c = 0; c < width && begin + c < m.table.size(); ++c) u[c] += lambda * m.table[begin + c];
    blind += lambda * m.row_blinds[r];
  };
  for (std::size_t k = 0; k < claims.size(); ++k) {
    for (const auto& term : claims[k].terms) {
      const std::span<const F> point(term.point);
      const F scale = alpha[k] * term.coefficient * eq_eval(point.first(column_vars), s);
      const auto row_weights = eq_table(point.subspan(column_vars));
      for (std::size_t r = 0; r < row_weights.size(); ++r) accumulate_row(matrices[claims[k].matrix], r, scale * row_weights[r]);
    }
  }
  for (std::size_t r = 0; r < part.tables.size(); ++r) {
    if (part.tables[r].empty()) continue;
    accumulate_row(matrices[mask_matrix], r, evaluate_multilinear(std::span<const F>(part.tables[r]), s));
  }
  const F blinding_weight = eq_eval(std::span<const F>(e), s);
  for (std::size_t c = 0; c < width; ++c) u[c] += blinding_weight * blinding[c];
  blind += blinding_weight * blinding_blind;
  const F x = transcript.template challenge<F>("zk/opening/value_challenge");
  proof.inner_product = prove_inner_product<G>(transcript, key.generators().first(width),
                                               group_traits<G>::scalar_mul(key.value_generator(), x),
                                               key.blinding_generator(), std::move(u), column_weights, blind, rng);
  return proof;
}

/// Checks the opening of every claim against the matrices' row commitments.
template <CommitmentGroup G, class T>
Status verify_hiding_opening(const PedersenKey<G>& key, std::size_t column_vars,
                             std::span<const CommittedMatrix<G>> matrices, std::size_t mask_matrix,
                             std::span<const CommittedClaim<scalar_of<G>>> claims,
                             std::span<const gkr::LinearClaim<scalar_of<G>>> linear, const HidingOpeningProof<G>& proof,
                             T& transcript) {
  using F = scalar_of<G>;
  const std::size_t width = std::size_t{1} << column_vars;
  if (width > key.size()) return make_error(Errc::invalid_argument, "opening: the columns exceed the key");
  const std::size_t mask_rows = mask_matrix < matrices.size() ? matrices[mask_matrix].rows.size() : 0;
  for (const auto& claim : claims) {
    if (claim.matrix >= matrices.size()) return make_error(Errc::invalid_argument, "opening: a claim on no matrix");
    for (const auto& term : claim.terms) {
      if (term.point.size() < column_vars || term.point.size() - column_vars >= 40 ||
          (std::size_t{1} << (term.point.size() - column_vars)) != matrices[claim.matrix].rows.size()) {
        return make_error(Errc::invalid_argument, "opening: a claim does not fit its matrix");
      }
    }
    for (const auto& term : claim.value.masks) {
      if (term.mask + 1 >= mask_rows * width) return make_error(Errc::malformed_proof, "opening: a mask term outside the masks");
    }
  }
  for (const auto& claim : linear) {
    for (const auto& term : claim.terms) {
      if (term.first >= mask_rows * width) return make_error(Errc::malformed_proof, "opening: a linear claim outside the masks");
    }
  }
  detail::absorb_opening_statement<G>(transcript, claims, linear);
  transcript.absorb_bytes("zk/opening/blinding_row", group_traits<G>::encode(proof.blinding_row));
  const auto e = transcript.template challenges<F>("zk/opening/blinding_point", column_vars);
  transcript.absorb_field("zk/opening/blinding_value", proof.blinding_value);
  const auto alpha = detail::powers(transcript.template challenge<F>("zk/opening/alpha"), claims.size() + linear.size());
  auto part = detail::linear_part(claims, linear, std::span<const F>(alpha), mask_rows, width);
  F claimed = part.value + proof.blinding_value;
  for (std::size_t k = 0; k < claims.size(); ++k) claimed += alpha[k] * claims[k].value.value;
  auto subclaim = sumcheck::verify(claimed, column_vars, 2, sumcheck::Proof<F>{proof.rounds}, transcript);
  if (!subclaim) return make_error(subclaim.error().code, "opening: " + subclaim.error().message);
  const std::span<const F> s(subclaim->point);

  LinearCombination<G> statement;
  for (std::size_t k = 0; k < claims.size(); ++k) {
    for (const auto& term : claims[k].terms) {
      const std::span<const F> point(term.point);
      const F scale = alpha[k] * term.coefficient * eq_eval(point.first(column_vars), s);
      const auto row_weights = eq_table(point.subspan(column_vars));
      const auto rows = matrices[claims[k].matrix].rows;
      for (std::size_t r = 0; r < rows.size(); ++r) {
        if (row_weights[r] == F::zero()) continue;
        statement.points.push_back(rows[r]);
        statement.scalars.push_back(scale * row_weights[r]);
      }
    }
  }
  for (std::size_t r = 0; r < part.tables.size(); ++r) {
    if (part.tables[r].empty()) continue;
    statement.points.push_back(matrices[mask_matrix].rows[r]);
    statement.scalars.push_back(evaluate_multilinear(std::span<const F>(part.tables[r]), s));
  }
  statement.points.push_back(proof.blinding_row);
  statement.scalars.push_back(eq_eval(std::span<const F>(e), s));
  const F x = transcript.template challenge<F>("zk/opening/value_challenge");
  statement.points.push_back(key.value_generator());
  statement.scalars.push_back(x * subclaim->expected_value);
  auto ok = verify_inner_product<G>(transcript, key.generators().first(width),
                                    group_traits<G>::scalar_mul(key.value_generator(), x), key.blinding_generator(),
                                    std::span<const F>(eq_table(s)), std::move(statement), proof.inner_product);
  if (!ok) return make_error(ok.error().code, "opening: " + ok.error().message);
  return {};
}

/// blinding row || blinding value || rounds (2 values each) || inner-product argument.
template <CommitmentGroup G>
void write_hiding_opening(io::ByteWriter& out, const HidingOpeningProof<G>& proof) {
  out.write_group(proof.blinding_row);
  out.write_field(proof.blinding_value);
  for (const auto& round : proof.rounds) {
    for (const auto& value : round) out.write_field(value);
  }
  write_inner_product_proof(out, proof.inner_product);
}

template <CommitmentGroup G>
Result<HidingOpeningProof<G>> read_hiding_opening(io::ByteReader& in, std::size_t column_vars) {
  using F = scalar_of<G>;
  HidingOpeningProof<G> proof;
  auto row = in.template read_group<G>("opening blinding row");
  if (!row) return row.error();
  proof.blinding_row = *row;
  auto value = in.read_field<F>("opening blinding value");
  if (!value) return value.error();
  proof.blinding_value = *value;
  if (in.remaining() / F::byte_size < 2 * column_vars) return make_error(Errc::invalid_encoding, "opening: truncated rounds");
  proof.rounds.assign(column_vars, std::vector<F>(2));
  for (auto& round : proof.rounds) {
    for (auto& v : round) {
      auto decoded = in.read_field<F>("opening round value");
      if (!decoded) return decoded.error();
      v = *decoded;
    }
  }
  auto inner = read_inner_product_proof<G>(in);
  if (!inner) return inner.error();
  proof.inner_product = std::move(*inner);
  return proof;
}

}  // namespace zkcnn::zk
