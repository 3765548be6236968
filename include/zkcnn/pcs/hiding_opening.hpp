#pragma once
// One zero-knowledge opening of every claim a proof leaves on committed data (docs/protocol.md
// sections 7 and 8): claims on the multilinear extensions of Hyrax-committed tables (the
// model's weights, the auxiliary witness), each up to mask terms, and linear claims on the
// committed masks (pcs/hyrax_masks.hpp). All the matrices share one column count 2^b, so
// the whole statement is one linear relation on their rows:
//   sum_k alpha^k v_k = sum_k alpha^k <eq(c_k) (x) eq(w_k), M_k> + sum_r <A_r, mask row r>,
// where claim k sits at column point c_k and row point w_k of its matrix, and A collects the
// linear claims and the claims' mask terms (S = 2c + d for the line c + d w).
//
// A sumcheck over the column variables reduces
//   sum_x [ sum_k alpha^k eq(c_k, x) u_k(x) + sum_r A_r(x) m_r(x) ]
// (u_k = eq(w_k)^T M_k, m_r the mask rows) to one column point s, where its value f(s) is
// < sum_rows lambda_row row, eq(s) > with lambda computable by the verifier from the claims: one
// inner-product argument against the combination of all row commitments.
//
// Zero knowledge. The sumcheck is masked as Libra's (section 4): the prover commits, in a short
// vector of its own, a mask g(x) = a_0 + sum_i (g_i1 x_i + g_i2 x_i^2) of the sumcheck's degree,
// and the sumcheck runs on f + rho g, its claimed sum raised by rho G, G = sum_x g(x). Its 1 + 2b coefficients make G and the
// 2b free values of the round messages uniformly random. The final value f(s) + rho g(s) is
// split without revealing either part: g(s) stays hidden in a Pedersen commitment
// C = g(s) U + tau H, and two zero-knowledge inner-product arguments (pcs/inner_product.hpp)
// prove <g, (1, s_1, s_1^2, ...)> = g(s) against C and <u, eq(s)> = final - rho g(s) against
// the rows' combination and C. G is not sent either: the prover sends the sumcheck's claimed sum
// sigma = (the claims' public values) + (hidden terms) + rho G, and the second argument proves,
// with a random mu, <g, powers(s) + mu rho ones> = g(s) + mu (sigma - public - hidden), ones the
// vector with <g, ones> = G. Hidden terms are values committed elsewhere (V = h U + t H) that a
// claim's value includes: they let two openings of matrices with different column counts share
// a value neither reveals (zk/model_proof.hpp opens the weights and the auxiliary witness so).
// Nothing else is revealed.

#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/detail/zk_probes.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/pcs/claims.hpp"
#include "zkcnn/pcs/column_reduction.hpp"
#include "zkcnn/pcs/inner_product.hpp"
#include "zkcnn/pcs/pedersen.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/prover.hpp"
#include "zkcnn/sumcheck/verifier.hpp"

namespace zkcnn::hyrax {

/// The verifier's view of one committed matrix: its row commitments (2^row_vars of them).
template <CommitmentGroup G>
struct CommittedMatrix {
  std::span<const G> rows;
};

/// The prover's view: the table, and the rows' blinding factors.
template <CommitmentGroup G>
struct OpenedMatrix {
  std::span<const G> rows;
  column_reduction::MatrixEntries<scalar_of<G>> table;
  std::span<const scalar_of<G>> row_blinds;
};

/// A value the relation includes but the verifier does not learn, committed elsewhere as
/// commitment = value U + blind H: claim `claim` (claims, then linear claims, in order) holds
/// with `coefficient * value` added to its value. The prover fills value and blind.
template <CommitmentGroup G>
struct HiddenTerm {
  std::size_t claim;
  scalar_of<G> coefficient;
  G commitment;
  scalar_of<G> value{};
  scalar_of<G> blind{};
};

template <CommitmentGroup G>
struct HidingOpeningProof {
  G mask_commitment;             // the mask g's coefficients
  scalar_of<G> masked_sum;       // sigma: the claimed sum, masked by rho G
  std::vector<std::vector<scalar_of<G>>> rounds;
  G mask_value_commitment;       // C = g(s) U + tau H
  InnerProductProof<G> opening;  // <u, eq(s)> = final - rho g(s)
  InnerProductProof<G> mask_opening;  // <g, powers(s)> = g(s)

  friend bool operator==(const HidingOpeningProof&, const HidingOpeningProof&) = default;
};

namespace detail {

template <CommitmentGroup G, class T>
void absorb_opening_statement(T& transcript, std::span<const CommittedClaim<scalar_of<G>>> claims,
                              std::span<const gkr::LinearClaim<scalar_of<G>>> linear,
                              std::span<const HiddenTerm<G>> hidden) {
  column_reduction::absorb_claims(transcript, claims, linear);
  transcript.absorb_u64("zk/opening/hidden_terms", hidden.size());
  for (const auto& term : hidden) {
    transcript.absorb_u64("zk/opening/hidden_claim", term.claim);
    transcript.absorb_field("zk/opening/hidden_coefficient", term.coefficient);
    transcript.absorb_bytes("zk/opening/hidden_commitment", group_traits<G>::encode(term.commitment));
  }
}

}  // namespace detail

/// Whether an opening over 2^column_vars columns fits a key of key_size generators: the rows'
/// columns and the mask's coefficients, with at least one column variable for the sumcheck.
inline bool opening_fits_key(std::size_t column_vars, std::size_t key_size) {
  return column_vars >= 1 && column_vars < 40 && (std::size_t{1} << column_vars) <= key_size &&
         column_reduction::opening_mask_size(column_vars) <= key_size;
}

/// Proves every claim. `matrices` are the committed tables (the last may be the masks' matrix,
/// named by mask_matrix, whose rows the linear claims and mask terms address; entry i is at
/// row i / width). Blinding values come from `rng` (the OS generator outside tests).
template <CommitmentGroup G, class T, CryptoRng Rng>
HidingOpeningProof<G> prove_hiding_opening(const PedersenKey<G>& key, std::size_t column_vars,
                                           std::span<const OpenedMatrix<G>> matrices, std::size_t mask_matrix,
                                           std::span<const CommittedClaim<scalar_of<G>>> claims,
                                           std::span<const gkr::LinearClaim<scalar_of<G>>> linear,
                                           std::span<const HiddenTerm<G>> hidden, T& transcript, Rng& rng) {
  using F = scalar_of<G>;
  if (!opening_fits_key(column_vars, key.size())) {
    throw std::invalid_argument("prove_hiding_opening: the key is too small for the columns or the mask");
  }
  const std::size_t width = std::size_t{1} << column_vars;
  detail::absorb_opening_statement<G>(transcript, claims, linear, hidden);
  HidingOpeningProof<G> proof;
  // The mask g (Libra): committed before any challenge of the opening.
  std::vector<F> mask(column_reduction::opening_mask_size(column_vars), F::zero());
  using zk_probes::Mutation;
  for (std::size_t j = 0; j < 1 + 2 * column_vars; ++j) {
    const Mutation zeroed = j == 0       ? Mutation::opening_mask_constant
                            : j % 2 == 1 ? Mutation::opening_mask_linear
                                         : Mutation::opening_mask_quadratic;
    mask[j] = zk_probes::masking_random<F>(rng, zeroed);
  }
  const F mask_blind = zk_probes::masking_random<F>(rng, Mutation::opening_mask_blind);
  proof.mask_commitment = key.commit(std::span<const F>(mask), mask_blind);
  transcript.absorb_bytes("zk/opening/mask", group_traits<G>::encode(proof.mask_commitment));
  const auto alpha = column_reduction::powers(transcript.template challenge<F>("zk/opening/alpha"), claims.size() + linear.size());
  const F rho = transcript.template challenge<F>("zk/opening/rho");

  const std::size_t mask_rows = mask_matrix < matrices.size() ? matrices[mask_matrix].rows.size() : 0;
  auto part = column_reduction::linear_part(claims, linear, std::span<const F>(alpha), mask_rows, width);
  const F public_value = column_reduction::public_sum(claims, std::span<const F>(alpha), part.value);
  F hidden_value = F::zero(), hidden_blind = F::zero();
  for (const auto& term : hidden) {
    hidden_value += alpha.at(term.claim) * term.coefficient * term.value;
    hidden_blind += alpha.at(term.claim) * term.coefficient * term.blind;
  }
  const auto sum_vector = column_reduction::mask_sum_vector<F>(column_vars);
  const F mask_sum = zkcnn::detail::ipa::inner_product<F>(std::span<const F>(mask), std::span<const F>(sum_vector));
  proof.masked_sum = public_value + hidden_value + rho * mask_sum;
  transcript.absorb_field("zk/opening/masked_sum", proof.masked_sum);
  const F claimed = proof.masked_sum;
  // Row r of a matrix, zero-padded to the width.
  auto row_of = [&](const OpenedMatrix<G>& m, std::size_t r) {
    std::vector<F> row(width, F::zero());
    const std::size_t begin = r * width;
    for (std::size_t c = 0; c < width && begin + c < m.table.size(); ++c) row[c] = m.table[begin + c];
    return row;
  };
  auto reduction = column_reduction::prover_reduction<F>(
      claims, std::span<const F>(alpha), part, column_vars,
      [&](std::size_t matrix) -> const column_reduction::MatrixEntries<F>& { return matrices[matrix].table; },
      [&](std::size_t r) { return row_of(matrices[mask_matrix], r); });
  auto reduced = sumcheck::prove(
      sumcheck::SumOfProducts<F>(column_vars, std::move(reduction.factors), std::move(reduction.terms)), claimed,
      transcript, column_reduction::libra_masking(rho, std::span<const F>(mask), column_vars));
  proof.rounds = std::move(reduced.proof.round_messages);
  const std::span<const F> s(reduced.point);

  // g(s), hidden in C; then <u, eq(s)> = final - rho g(s) with u = sum over rows of lambda_row row.
  const auto evaluation_vector = column_reduction::mask_evaluation_vector(s);
  const F mask_value = zkcnn::detail::ipa::inner_product<F>(std::span<const F>(mask), std::span<const F>(evaluation_vector));
  zk_probes::observe_secret(mask_value);
  const F tau = zk_probes::masking_random<F>(rng, Mutation::opening_value_blind);
  proof.mask_value_commitment = group_traits<G>::add(group_traits<G>::scalar_mul(key.value_generator(), mask_value),
                                                     group_traits<G>::scalar_mul(key.blinding_generator(), tau));
  transcript.absorb_bytes("zk/opening/mask_value", group_traits<G>::encode(proof.mask_value_commitment));
  const auto column_weights = eq_table(s);
  std::vector<F> u(width, F::zero());
  F blind = F::zero();
  auto accumulate_row = [&](const OpenedMatrix<G>& m, std::size_t r, const F& lambda) {
    if (lambda == F::zero()) return;
    const std::size_t begin = r * width;
    for (std::size_t c = 0; c < width && begin + c < m.table.size(); ++c) u[c] += lambda * m.table[begin + c];
    blind += lambda * m.row_blinds[r];
  };
  std::size_t term_index = 0;
  for (std::size_t k = 0; k < claims.size(); ++k) {
    for (const auto& term : claims[k].terms) {
      const std::span<const F> point(term.point);
      const F scale = alpha[k] * term.coefficient * eq_eval(point.first(column_vars), s);
      const auto& combination = reduction.combinations[term_index];
      for (std::size_t c = 0; c < width; ++c) u[c] += scale * combination[c];
      const auto& row_blinds = matrices[claims[k].matrix].row_blinds;
      for (const auto& [r, weight] : reduction.row_weights[term_index]) blind += scale * weight * row_blinds[r];
      ++term_index;
    }
  }
  for (std::size_t r = 0; r < part.tables.size(); ++r) {
    if (part.tables[r].empty()) continue;
    accumulate_row(matrices[mask_matrix], r, evaluate_multilinear(std::span<const F>(part.tables[r]), s));
  }
  const F x = transcript.template challenge<F>("zk/opening/value_challenge");
  proof.opening = prove_inner_product<G>(transcript, key.generators().first(width),
                                         group_traits<G>::scalar_mul(key.value_generator(), x), key.blinding_generator(),
                                         std::move(u), column_weights, blind - x * rho * tau, rng);
  // <g, powers(s) + mu rho ones> = g(s) + mu (sigma - public - hidden).
  const F mu = transcript.template challenge<F>("zk/opening/sum_challenge");
  const F y = transcript.template challenge<F>("zk/opening/mask_value_challenge");
  const auto mask_generators = key.generators().first(mask.size());  // before mask moves into the argument
  proof.mask_opening = prove_inner_product<G>(
      transcript, mask_generators, group_traits<G>::scalar_mul(key.value_generator(), y), key.blinding_generator(),
      std::move(mask), column_reduction::mask_argument_vector(s, mu * rho), mask_blind + y * (tau - mu * hidden_blind), rng);
  return proof;
}

/// Checks the opening of every claim against the matrices' row commitments.
template <CommitmentGroup G, class T>
Status verify_hiding_opening(const PedersenKey<G>& key, std::size_t column_vars,
                             std::span<const CommittedMatrix<G>> matrices, std::size_t mask_matrix,
                             std::span<const CommittedClaim<scalar_of<G>>> claims,
                             std::span<const gkr::LinearClaim<scalar_of<G>>> linear,
                             std::span<const HiddenTerm<G>> hidden, const HidingOpeningProof<G>& proof, T& transcript) {
  using F = scalar_of<G>;
  if (!opening_fits_key(column_vars, key.size())) {
    return make_error(Errc::invalid_argument, "opening: the key is too small for the columns or the mask");
  }
  const std::size_t width = std::size_t{1} << column_vars;
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
  for (const auto& term : hidden) {
    if (term.claim >= claims.size() + linear.size()) return make_error(Errc::invalid_argument, "opening: a hidden term on no claim");
  }
  if (proof.rounds.size() != column_vars) return make_error(Errc::malformed_proof, "opening: wrong number of rounds");
  detail::absorb_opening_statement<G>(transcript, claims, linear, hidden);
  transcript.absorb_bytes("zk/opening/mask", group_traits<G>::encode(proof.mask_commitment));
  const auto alpha = column_reduction::powers(transcript.template challenge<F>("zk/opening/alpha"), claims.size() + linear.size());
  const F rho = transcript.template challenge<F>("zk/opening/rho");
  auto part = column_reduction::linear_part(claims, linear, std::span<const F>(alpha), mask_rows, width);
  const F public_value = column_reduction::public_sum(claims, std::span<const F>(alpha), part.value);
  transcript.absorb_field("zk/opening/masked_sum", proof.masked_sum);
  auto subclaim = sumcheck::verify(proof.masked_sum, column_vars, 2, sumcheck::Proof<F>{proof.rounds}, transcript);
  if (!subclaim) return make_error(subclaim.error().code, "opening: " + subclaim.error().message);
  const std::span<const F> s(subclaim->point);
  transcript.absorb_bytes("zk/opening/mask_value", group_traits<G>::encode(proof.mask_value_commitment));

  // <u, eq(s)> = final - rho g(s): the value enters as x (final U - rho C). Each row commitment
  // enters once, with the weights of every term on its matrix added up.
  std::vector<std::size_t> row_counts;
  for (const auto& matrix : matrices) row_counts.push_back(matrix.rows.size());
  const auto lambda = column_reduction::row_weights_at(claims, std::span<const F>(alpha), part, s,
                                                       std::span<const std::size_t>(row_counts));
  LinearCombination<G> statement;
  // Room for the rows, the two terms below and the inner product's L and R per round.
  std::size_t statement_terms = lambda.masks.size() + 2 + 2 * column_vars;
  for (const auto& matrix : matrices) statement_terms += matrix.rows.size();
  statement.points.reserve(statement_terms);
  statement.scalars.reserve(statement_terms);
  for (std::size_t m = 0; m < matrices.size(); ++m) {
    for (std::size_t r = 0; r < lambda.matrices[m].size(); ++r) {
      if (lambda.matrices[m][r] == F::zero()) continue;
      statement.points.push_back(matrices[m].rows[r]);
      statement.scalars.push_back(lambda.matrices[m][r]);
    }
  }
  for (std::size_t r = 0; r < lambda.masks.size(); ++r) {
    if (part.tables[r].empty()) continue;
    statement.points.push_back(matrices[mask_matrix].rows[r]);
    statement.scalars.push_back(lambda.masks[r]);
  }
  const F x = transcript.template challenge<F>("zk/opening/value_challenge");
  statement.points.push_back(key.value_generator());
  statement.scalars.push_back(x * subclaim->expected_value);
  statement.points.push_back(proof.mask_value_commitment);
  statement.scalars.push_back(-(x * rho));
  if (auto ok = verify_inner_product<G>(transcript, key.generators().first(width),
                                        group_traits<G>::scalar_mul(key.value_generator(), x), key.blinding_generator(),
                                        std::span<const F>(eq_table(s)), std::move(statement), proof.opening);
      !ok) {
    return make_error(ok.error().code, "opening: " + ok.error().message);
  }
  // <g, powers(s) + mu rho ones> = g(s) + mu (sigma - public - hidden), the value entering as
  // y (C + mu (sigma - public) U - mu sum_h e_h V_h).
  const F mu = transcript.template challenge<F>("zk/opening/sum_challenge");
  const F y = transcript.template challenge<F>("zk/opening/mask_value_challenge");
  const auto argument_vector = column_reduction::mask_argument_vector(s, mu * rho);
  LinearCombination<G> mask_statement{{proof.mask_commitment, proof.mask_value_commitment, key.value_generator()},
                                      {F::one(), y, y * mu * (proof.masked_sum - public_value)}};
  for (const auto& term : hidden) {
    mask_statement.points.push_back(term.commitment);
    mask_statement.scalars.push_back(-(y * mu * alpha[term.claim] * term.coefficient));
  }
  if (auto ok = verify_inner_product<G>(transcript, key.generators().first(argument_vector.size()),
                                        group_traits<G>::scalar_mul(key.value_generator(), y), key.blinding_generator(),
                                        std::span<const F>(argument_vector), std::move(mask_statement),
                                        proof.mask_opening);
      !ok) {
    return make_error(ok.error().code, "opening mask: " + ok.error().message);
  }
  return {};
}

/// mask commitment || masked sum || rounds (2 values each) || mask value commitment || the two
/// inner-product arguments.
template <CommitmentGroup G>
void write_hiding_opening(io::ByteWriter& out, const HidingOpeningProof<G>& proof) {
  out.write_group(proof.mask_commitment);
  out.write_field(proof.masked_sum);
  for (const auto& round : proof.rounds) {
    for (const auto& value : round) out.write_field(value);
  }
  out.write_group(proof.mask_value_commitment);
  write_inner_product_proof(out, proof.opening);
  write_inner_product_proof(out, proof.mask_opening);
}

template <CommitmentGroup G>
Result<HidingOpeningProof<G>> read_hiding_opening(io::ByteReader& in, std::size_t column_vars) {
  using F = scalar_of<G>;
  HidingOpeningProof<G> proof;
  auto mask = in.template read_group<G>("opening mask commitment");
  if (!mask) return mask.error();
  proof.mask_commitment = *mask;
  auto sum = in.read_field<F>("opening masked sum");
  if (!sum) return sum.error();
  proof.masked_sum = *sum;
  if (in.remaining() / F::byte_size < 2 * column_vars) return make_error(Errc::invalid_encoding, "opening: truncated rounds");
  proof.rounds.assign(column_vars, std::vector<F>(2));
  for (auto& round : proof.rounds) {
    for (auto& v : round) {
      auto decoded = in.read_field<F>("opening round value");
      if (!decoded) return decoded.error();
      v = *decoded;
    }
  }
  auto value = in.template read_group<G>("opening mask value commitment");
  if (!value) return value.error();
  proof.mask_value_commitment = *value;
  for (auto* argument : {&proof.opening, &proof.mask_opening}) {
    auto decoded = read_inner_product_proof<G>(in);
    if (!decoded) return decoded.error();
    *argument = std::move(*decoded);
  }
  return proof;
}

}  // namespace zkcnn::hyrax
