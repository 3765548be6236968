#pragma once
// The hash-based scheme's zero-knowledge opening at the end of a model proof (docs/protocol.md
// sections 7 and 8): every claim on the weights and the auxiliary witness, each up to mask terms,
// and the linear claims on the committed masks (pcs/ligero_masks.hpp), proven together.
//
// The weights, the witness and every mask row share one code: C = 2^k columns, r hiding
// coefficients, rate 2^-rate_bits (the witness and the masks take the weights' shape). So the
// three are one matrix whose rows sit in several Merkle trees, and the opening is:
//   1. the column reduction (pcs/column_reduction.hpp): a sumcheck over the k column variables,
//      masked by Libra's g, reduces every claim to one linear relation at a column point s,
//        sum_rows lambda_row <row, eq(s)> + rho <g, (1, s_1, s_1^2, ...)> = final,
//      with lambda computable by the verifier. g is encoded as a row of its own in a fresh tree,
//      with the proximity mask L and the inner-product mask D = D_low + X^C D_high of the test
//      below; its sum G is sent before rho is drawn (a wrong G survives rho with probability
//      1 / |EF|);
//   2. Ligero's tests on that relation (pcs/ligero.hpp): the prover sends
//        proximity     = L + sum_rows u_row P_row + u_g P_g + u_low D_low + u_high D_high,
//        inner product = D + B_s U + rho Q_g P_g,
//      U the encoding of sum_rows lambda_row row (hiding coefficients combined alike), B_s and
//      Q_g the interpolants on H of eq(s) and of g's evaluation vector; the inner product's sum
//      over H is the final value, and both polynomials are checked at t columns opened in every
//      tree. Soundness and zero knowledge are Ligero's (the masks' and g's rows are opened once,
//      within their r hiding coefficients) and the sumcheck's.

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/detail/zk_probes.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/ntt.hpp"
#include "zkcnn/field/pow.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/pcs/claims.hpp"
#include "zkcnn/pcs/column_reduction.hpp"
#include "zkcnn/pcs/ligero_columns.hpp"
#include "zkcnn/pcs/ligero_masks.hpp"
#include "zkcnn/pcs/merkle.hpp"
#include "zkcnn/pcs/reed_solomon.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/sumcheck/prover.hpp"
#include "zkcnn/sumcheck/verifier.hpp"

namespace zkcnn::pcs::ligero {

/// The code every tree of one opening shares, and the columns the opening reveals.
template <TwoAdicField F>
struct OpeningCode {
  std::shared_ptr<const HidingReedSolomon<F>> code;
  std::size_t column_vars;
  std::size_t hiding;
  std::size_t queries;

  std::size_t columns() const { return std::size_t{1} << column_vars; }
  std::size_t codeword() const { return code->codeword_size(); }
  std::size_t inner_product_size() const { return 2 * columns() + hiding; }
};

/// A committed F table as its owner holds it: the entries, the rows' hiding coefficients, the
/// codewords by column (N x R), the salts and the tree.
template <Field F>
struct OpenedRows {
  column_reduction::MatrixEntries<F> entries;
  std::span<const F> hiding;
  std::span<const F> columns;
  std::span<const Salt> salts;
  const merkle::Tree& tree;
  std::size_t rows;
};

/// The verifier's view of a committed F table: its root and row count.
struct CommittedRows {
  const merkle::Digest& root;
  std::size_t rows;
};

template <class F, class EF>
struct ModelOpeningProof {
  merkle::Digest mask_root{};  // g, L, D_low, D_high
  EF mask_sum{};               // G
  std::vector<std::vector<EF>> rounds;
  std::vector<EF> proximity;
  std::vector<EF> inner_product;
  std::vector<F> weights_columns;  // t x R_w
  std::vector<Salt> weights_salts;
  std::vector<merkle::Digest> weights_siblings;
  std::vector<F> witness_columns;  // t x R_a
  std::vector<Salt> witness_salts;
  std::vector<merkle::Digest> witness_siblings;
  std::vector<EF> mask_values;  // t x (mask rows)
  std::vector<Salt> mask_salts;  // t x (mask rows)
  std::vector<std::vector<merkle::Digest>> mask_siblings;  // per mask row
  std::vector<EF> opening_values;  // t x 4: g, L, D_low, D_high
  std::vector<Salt> opening_salts;
  std::vector<merkle::Digest> opening_siblings;

  friend bool operator==(const ModelOpeningProof&, const ModelOpeningProof&) = default;
};

namespace detail {

inline constexpr std::size_t opening_rows = 4;  // g, L, D_low, D_high

template <class T>
struct Draws {
  std::vector<T> proximity;  // one per row of the weights, the witness, the masks; then g, D_low, D_high
};

// Claims on the weights (matrix 0) and the witness (matrix 1), points padded with zero high
// coordinates to the commitments' variables (a table narrower than one row is committed
// padded).
template <Field EF>
Result<std::vector<CommittedClaim<EF>>> padded_claims(std::vector<CommittedClaim<EF>> weights, std::size_t weights_vars,
                                                     std::vector<CommittedClaim<EF>> witness, std::size_t witness_vars) {
  std::vector<CommittedClaim<EF>> out;
  for (auto [claims, matrix, vars] : {std::tuple{&weights, std::size_t{0}, weights_vars},
                                      std::tuple{&witness, std::size_t{1}, witness_vars}}) {
    for (auto& claim : *claims) {
      claim.matrix = matrix;
      for (auto& term : claim.terms) {
        if (term.point.size() > vars) return make_error(Errc::invalid_argument, "opening: a claim beyond its table");
        term.point.resize(vars, EF::zero());
      }
      out.push_back(std::move(claim));
    }
  }
  return out;
}

// sum_i weights_i row_i over the rows of an F table (entries and hiding coefficients), added to
// message and hiding.
template <Field F, Field EF>
void add_rows(const OpenedRows<F>& table, std::span<const EF> weights, std::size_t width, std::size_t r,
              std::vector<EF>& message, std::vector<EF>& hiding) {
  std::vector<std::pair<std::size_t, EF>> sparse;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] != EF::zero()) sparse.emplace_back(i, weights[i]);
  }
  const auto combined = column_reduction::row_combination(
      table.entries, std::span<const std::pair<std::size_t, EF>>(sparse), width);
  for (std::size_t c = 0; c < width; ++c) message[c] += combined[c];
  for (const auto& [i, weight] : sparse) {
    for (std::size_t j = 0; j < r; ++j) hiding[j] += weight * table.hiding[i * r + j];
  }
}

template <Field EF>
void add_mask_rows(std::span<const EF> values, std::span<const MaskRow<EF>> rows, std::span<const EF> weights,
                   std::size_t width, std::vector<EF>& message, std::vector<EF>& hiding) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (weights[i] == EF::zero()) continue;
    for (std::size_t c = 0; c < width; ++c) message[c] += weights[i] * values[i * width + c];
    for (std::size_t j = 0; j < hiding.size(); ++j) hiding[j] += weights[i] * rows[i].hiding[j];
  }
}

// a(X) b(X) from coefficients, its first `size` coefficients, through transforms over `domain`
// (at least that large).
template <TwoAdicField F, Field EF>
std::vector<EF> product(const Radix2Domain<F>& domain, std::vector<EF> a, std::vector<EF> b, std::size_t size) {
  a.resize(domain.size(), EF::zero());
  b.resize(domain.size(), EF::zero());
  domain.forward(std::span<EF>(a));
  domain.forward(std::span<EF>(b));
  for (std::size_t m = 0; m < a.size(); ++m) a[m] *= b[m];
  domain.inverse(std::span<EF>(a));
  a.resize(size);
  return a;
}

// The interpolant on H of a vector of at most C values (the callers check), as coefficients.
template <TwoAdicField F, Field EF>
std::vector<EF> interpolant(const OpeningCode<F>& code, std::vector<EF> values) {
  if (values.size() > code.columns()) throw std::logic_error("ligero model opening: a vector longer than a row");
  values.resize(code.columns(), EF::zero());
  code.code->interpolate_message(std::span<EF>(values));
  return values;
}

// A polynomial's values at the opened positions (one transform over the codeword domain).
template <TwoAdicField F, Field EF>
std::vector<EF> at_positions(const HidingReedSolomon<F>& code, std::span<const EF> coefficients,
                             std::span<const std::size_t> positions) {
  std::vector<EF> all(code.codeword_size());
  code.evaluate(coefficients, std::span<EF>(all));
  std::vector<EF> out;
  for (std::size_t q : positions) out.push_back(all[q]);
  return out;
}

template <class EF, class T>
void absorb_polynomials(T& transcript, std::span<const EF> proximity, std::span<const EF> inner_product) {
  transcript.absorb_fields("ligero/model/proximity_polynomial", proximity);
  transcript.absorb_fields("ligero/model/inner_product_polynomial", inner_product);
}

}  // namespace detail

/// Proves every claim; the proof is written to `out`.
template <TwoAdicField F, Field EF, CryptoRng Rng, class T>
ModelOpeningProof<F, EF> prove_model_opening(const OpeningCode<F>& code, const OpenedRows<F>& weights,
                                             std::size_t weights_vars, const OpenedRows<F>& witness,
                                             std::size_t witness_vars, const MaskProver<F, EF, Rng>& masks,
                                             std::vector<CommittedClaim<EF>> weights_claims,
                                             std::vector<CommittedClaim<EF>> witness_claims, T& transcript, Rng& rng) {
  const std::size_t width = code.columns(), k = code.column_vars, r = code.hiding;
  if (column_reduction::opening_mask_size(k) > width || weights_vars < k || witness_vars < k || r < code.queries) {
    throw std::invalid_argument("ligero model opening: a code too small for the opening's mask, a table, or its hiding");
  }
  auto padded = detail::padded_claims(std::move(weights_claims), weights_vars, std::move(witness_claims), witness_vars);
  if (!padded) throw std::invalid_argument("ligero model opening: " + padded.error().message);
  const std::vector<CommittedClaim<EF>> claims = std::move(*padded);
  const auto linear = masks.claims();
  column_reduction::absorb_claims(transcript, std::span<const CommittedClaim<EF>>(claims), linear);

  // The opening's own rows: g (a message of 1 + 2k coefficients), L, D_low, D_high.
  ModelOpeningProof<F, EF> proof;
  std::vector<EF> g(column_reduction::opening_mask_size(k), EF::zero());
  for (std::size_t j = 0; j < 1 + 2 * k; ++j) g[j] = EF::random(rng);
  std::vector<EF> g_message(width, EF::zero()), g_hiding(r);
  std::copy(g.begin(), g.end(), g_message.begin());
  for (auto& h : g_hiding) h = EF::random(rng);
  std::vector<EF> g_poly(code.code->dimension());
  code.code->row_coefficients(std::span<const EF>(g_message), std::span<const EF>(g_hiding), std::span<EF>(g_poly));
  std::array<std::vector<EF>, 3> tests;  // L, D_low, D_high: coefficients
  for (auto& poly : tests) {
    poly.resize(width + r);
    for (auto& c : poly) c = EF::random(rng);
  }
  // D = D_low + X^C D_high sums to zero over H (C times its coefficients at multiples of C):
  // D_low's constant term cancels the others.
  auto inner_mask = [&] {
    std::vector<EF> d(code.inner_product_size(), EF::zero());
    for (std::size_t m = 0; m < width + r; ++m) {
      d[m] += tests[1][m];
      d[width + m] += tests[2][m];
    }
    return d;
  };
  {
    const auto d = inner_mask();
    for (std::size_t m = 0; m < d.size(); m += width) tests[1][0] -= d[m];
  }
  const std::vector<EF> d = inner_mask();

  const std::size_t codeword = code.codeword();
  std::vector<EF> opening_codewords(detail::opening_rows * codeword);
  {
    std::vector<EF> values(codeword);
    const std::span<const EF> polys[] = {g_poly, tests[0], tests[1], tests[2]};
    for (std::size_t row = 0; row < detail::opening_rows; ++row) {
      code.code->evaluate(polys[row], std::span<EF>(values));
      for (std::size_t q = 0; q < codeword; ++q) opening_codewords[detail::opening_rows * q + row] = values[q];
    }
  }
  const auto opening_salts = random_salts(codeword, rng);
  const merkle::Tree opening_tree(leaf_digests(opening_codewords, detail::opening_rows, opening_salts));
  proof.mask_root = opening_tree.root();
  transcript.absorb_bytes("ligero/model/mask_root", proof.mask_root);
  const auto sum_vector = column_reduction::mask_sum_vector<EF>(k);
  for (std::size_t j = 0; j < g.size(); ++j) proof.mask_sum += g[j] * sum_vector[j];
  transcript.absorb_field("ligero/model/mask_sum", proof.mask_sum);
  const auto alpha = column_reduction::powers(transcript.template challenge<EF>("ligero/model/alpha"),
                                              claims.size() + linear.size());
  const EF rho = transcript.template challenge<EF>("ligero/model/rho");

  // 1. The column reduction.
  const std::size_t mask_rows = masks.rows().size();
  const auto part = column_reduction::linear_part(std::span<const CommittedClaim<EF>>(claims), linear,
                                                  std::span<const EF>(alpha), mask_rows, width);
  const EF claimed = column_reduction::public_sum(std::span<const CommittedClaim<EF>>(claims), std::span<const EF>(alpha),
                                                  part.value) +
                     rho * proof.mask_sum;
  const OpenedRows<F>* tables[] = {&weights, &witness};
  auto reduction = column_reduction::prover_reduction<EF>(
      std::span<const CommittedClaim<EF>>(claims), std::span<const EF>(alpha), part, k,
      [&](std::size_t matrix) -> const column_reduction::MatrixEntries<F>& { return tables[matrix]->entries; },
      [&](std::size_t row) { return std::vector<EF>(masks.values().begin() + static_cast<std::ptrdiff_t>(row * width),
                                                    masks.values().begin() + static_cast<std::ptrdiff_t>((row + 1) * width)); });
  auto reduced = sumcheck::prove(sumcheck::SumOfProducts<EF>(k, std::move(reduction.factors), std::move(reduction.terms)),
                                 claimed, transcript, column_reduction::libra_masking(rho, std::span<const EF>(g), k));
  proof.rounds = std::move(reduced.proof.round_messages);
  const std::span<const EF> s(reduced.point);
  const std::size_t row_counts[] = {weights.rows, witness.rows};
  const auto lambda = column_reduction::row_weights_at(std::span<const CommittedClaim<EF>>(claims),
                                                       std::span<const EF>(alpha), part, s,
                                                       std::span<const std::size_t>(row_counts));

  // 2. The tests: one coefficient per row of every tree, then g's and D's halves.
  const std::size_t rows = weights.rows + witness.rows + mask_rows;
  const auto u = transcript.template challenges<EF>("ligero/model/proximity", rows + 3);
  auto combine = [&](std::span<const EF> w, std::span<const EF> a, std::span<const EF> m) {
    std::vector<EF> message(width, EF::zero()), hiding(r, EF::zero());
    detail::add_rows(weights, w, width, r, message, hiding);
    detail::add_rows(witness, a, width, r, message, hiding);
    detail::add_mask_rows(masks.values(), masks.rows(), m, width, message, hiding);
    std::vector<EF> coefficients(code.code->dimension());
    code.code->row_coefficients(std::span<const EF>(message), std::span<const EF>(hiding), std::span<EF>(coefficients));
    return coefficients;
  };
  const std::span<const EF> u_all(u);
  proof.proximity = combine(u_all.first(weights.rows), u_all.subspan(weights.rows, witness.rows),
                            u_all.subspan(weights.rows + witness.rows, mask_rows));
  for (std::size_t m = 0; m < proof.proximity.size(); ++m) {
    proof.proximity[m] += tests[0][m] + u[rows] * g_poly[m] + u[rows + 1] * tests[1][m] + u[rows + 2] * tests[2][m];
  }
  std::vector<EF> lambda_weights = lambda.matrices[0], lambda_witness = lambda.matrices[1];
  lambda_weights.resize(weights.rows, EF::zero());
  lambda_witness.resize(witness.rows, EF::zero());
  const std::vector<EF> combined = combine(lambda_weights, lambda_witness, lambda.masks);
  if constexpr (zk_probes::compiled) {
    // What the opening hides (the leak probe searches the proof for them): g(s), and the
    // lambda-combined row whose inner product with eq(s) is the reduced claims' value.
    const auto evaluation_vector = column_reduction::mask_evaluation_vector(s);
    EF g_at_s = EF::zero();
    for (std::size_t j = 0; j < g.size(); ++j) g_at_s += g[j] * evaluation_vector[j];
    zk_probes::observe_secret(g_at_s);
    for (const EF& entry : combined) zk_probes::observe_secret(entry);
  }
  proof.inner_product = d;
  const auto eq_s = eq_table(s);
  const Radix2Domain<F> product_domain(std::bit_ceil(code.inner_product_size()));
  const auto b_part = detail::product(product_domain, detail::interpolant(code, std::vector<EF>(eq_s.begin(), eq_s.end())),
                                      combined, code.inner_product_size());
  const auto g_part = detail::product(product_domain, detail::interpolant(code, column_reduction::mask_evaluation_vector(s)),
                                      g_poly, code.inner_product_size());
  for (std::size_t m = 0; m < proof.inner_product.size(); ++m) proof.inner_product[m] += b_part[m] + rho * g_part[m];
  detail::absorb_polynomials<EF>(transcript, proof.proximity, proof.inner_product);

  // 3. The columns at t positions, in every tree.
  const auto positions = draw_positions(transcript, codeword, code.queries);
  for (std::size_t q : positions) {
    for (const auto* table : tables) {
      auto& columns = table == &weights ? proof.weights_columns : proof.witness_columns;
      auto& salts = table == &weights ? proof.weights_salts : proof.witness_salts;
      const auto column = table->columns.subspan(q * table->rows, table->rows);
      columns.insert(columns.end(), column.begin(), column.end());
      salts.push_back(table->salts[q]);
    }
    for (const auto& row : masks.rows()) {
      proof.mask_values.push_back(row.codeword[q]);
      proof.mask_salts.push_back(row.salts[q]);
    }
    for (std::size_t j = 0; j < detail::opening_rows; ++j) proof.opening_values.push_back(opening_codewords[detail::opening_rows * q + j]);
    proof.opening_salts.push_back(opening_salts[q]);
  }
  proof.weights_siblings = weights.tree.open(positions);
  proof.witness_siblings = witness.tree.open(positions);
  for (const auto& row : masks.rows()) proof.mask_siblings.push_back(row.tree->open(positions));
  proof.opening_siblings = opening_tree.open(positions);
  return proof;
}

/// Checks the opening of every claim. The commitments' shapes are the caller's to have checked
/// (the same code for both tables and the masks); every part of the proof may be hostile.
template <TwoAdicField F, Field EF, class T>
Status verify_model_opening(const OpeningCode<F>& code, const CommittedRows& weights, std::size_t weights_vars,
                            const CommittedRows& witness, std::size_t witness_vars, const MaskVerifier<EF>& masks,
                            std::vector<CommittedClaim<EF>> weights_claims, std::vector<CommittedClaim<EF>> witness_claims,
                            const ModelOpeningProof<F, EF>& proof, T& transcript) {
  const std::size_t width = code.columns(), k = code.column_vars, t = code.queries, codeword = code.codeword();
  const std::size_t mask_rows = masks.roots().size();
  if (column_reduction::opening_mask_size(k) > width || weights_vars < k || witness_vars < k) {
    return make_error(Errc::malformed_proof, "opening: a code too small for the opening's mask, or a table narrower than a row");
  }
  auto padded = detail::padded_claims(std::move(weights_claims), weights_vars, std::move(witness_claims), witness_vars);
  if (!padded) return padded.error();
  const std::vector<CommittedClaim<EF>> claims = std::move(*padded);
  const auto linear = masks.claims();
  for (const auto& claim : claims) {
    for (const auto& term : claim.value.masks) {
      if (term.mask + 1 >= mask_rows * width) return make_error(Errc::malformed_proof, "opening: a mask term outside the masks");
    }
  }
  for (const auto& claim : linear) {
    for (const auto& term : claim.terms) {
      if (term.first >= mask_rows * width) return make_error(Errc::malformed_proof, "opening: a linear claim outside the masks");
    }
  }
  if (proof.rounds.size() != k || proof.proximity.size() != code.code->dimension() ||
      proof.inner_product.size() != code.inner_product_size() || proof.weights_columns.size() != t * weights.rows ||
      proof.weights_salts.size() != t || proof.witness_columns.size() != t * witness.rows ||
      proof.witness_salts.size() != t || proof.mask_values.size() != t * mask_rows ||
      proof.mask_salts.size() != t * mask_rows || proof.mask_siblings.size() != mask_rows ||
      proof.opening_values.size() != t * detail::opening_rows || proof.opening_salts.size() != t) {
    return make_error(Errc::malformed_proof, "opening: the proof's sizes do not match the commitments' shape");
  }
  column_reduction::absorb_claims(transcript, std::span<const CommittedClaim<EF>>(claims), linear);
  transcript.absorb_bytes("ligero/model/mask_root", proof.mask_root);
  transcript.absorb_field("ligero/model/mask_sum", proof.mask_sum);
  const auto alpha = column_reduction::powers(transcript.template challenge<EF>("ligero/model/alpha"),
                                              claims.size() + linear.size());
  const EF rho = transcript.template challenge<EF>("ligero/model/rho");

  // 1. The column reduction, down to the final value at s.
  const auto part = column_reduction::linear_part(std::span<const CommittedClaim<EF>>(claims), linear,
                                                  std::span<const EF>(alpha), mask_rows, width);
  const EF claimed = column_reduction::public_sum(std::span<const CommittedClaim<EF>>(claims), std::span<const EF>(alpha),
                                                  part.value) +
                     rho * proof.mask_sum;
  auto subclaim = sumcheck::verify(claimed, k, 2, sumcheck::Proof<EF>{proof.rounds}, transcript);
  if (!subclaim) return make_error(subclaim.error().code, "opening: " + subclaim.error().message);
  const std::span<const EF> s(subclaim->point);
  const std::size_t row_counts[] = {weights.rows, witness.rows};
  auto lambda = column_reduction::row_weights_at(std::span<const CommittedClaim<EF>>(claims), std::span<const EF>(alpha),
                                                 part, s, std::span<const std::size_t>(row_counts));
  lambda.matrices[0].resize(weights.rows, EF::zero());
  lambda.matrices[1].resize(witness.rows, EF::zero());

  // 2. The tests' challenges and positions.
  const std::size_t rows = weights.rows + witness.rows + mask_rows;
  const auto u = transcript.template challenges<EF>("ligero/model/proximity", rows + 3);
  detail::absorb_polynomials<EF>(transcript, proof.proximity, proof.inner_product);
  const auto positions = draw_positions(transcript, codeword, t);

  // The inner product's sum over H is the final value.
  EF sum_over_h = EF::zero();
  for (std::size_t m = 0; m < proof.inner_product.size(); m += width) sum_over_h += proof.inner_product[m];
  if (sum_over_h * F::from_u64(width) != subclaim->expected_value) {
    return make_error(Errc::verification_failed, "opening: the inner product does not sum to the reduced claims");
  }

  // 3. Every tree holds the opened columns.
  auto check_tree = [&](const merkle::Digest& root, std::vector<merkle::Digest> leaves,
                        std::span<const merkle::Digest> siblings, const char* what) -> Status {
    if (auto opened = merkle::verify_opening(root, codeword, positions, leaves, siblings); !opened) {
      return make_error(opened.error().code, std::string("opening: ") + what + ": " + opened.error().message);
    }
    return {};
  };
  if (auto ok = check_tree(weights.root, leaf_digests(proof.weights_columns, weights.rows, proof.weights_salts),
                           proof.weights_siblings, "weights' columns");
      !ok) {
    return ok;
  }
  if (auto ok = check_tree(witness.root, leaf_digests(proof.witness_columns, witness.rows, proof.witness_salts),
                           proof.witness_siblings, "witness's columns");
      !ok) {
    return ok;
  }
  for (std::size_t i = 0; i < mask_rows; ++i) {
    std::vector<EF> values;
    std::vector<Salt> salts;
    for (std::size_t j = 0; j < t; ++j) {
      values.push_back(proof.mask_values[j * mask_rows + i]);
      salts.push_back(proof.mask_salts[j * mask_rows + i]);
    }
    if (auto ok = check_tree(masks.roots()[i], leaf_digests(values, 1, salts), proof.mask_siblings[i], "mask row"); !ok) {
      return ok;
    }
  }
  if (auto ok = check_tree(proof.mask_root, leaf_digests(proof.opening_values, detail::opening_rows, proof.opening_salts),
                           proof.opening_siblings, "opening masks");
      !ok) {
    return ok;
  }

  // 4. Both polynomials at every opened position.
  const auto proximity = detail::at_positions(*code.code, std::span<const EF>(proof.proximity), std::span<const std::size_t>(positions));
  const auto inner_product =
      detail::at_positions(*code.code, std::span<const EF>(proof.inner_product), std::span<const std::size_t>(positions));
  const auto eq_s = eq_table(s);
  const auto b_s = detail::at_positions(*code.code, std::span<const EF>(detail::interpolant(code, std::vector<EF>(eq_s.begin(), eq_s.end()))),
                                        std::span<const std::size_t>(positions));
  const auto q_g = detail::at_positions(
      *code.code, std::span<const EF>(detail::interpolant(code, column_reduction::mask_evaluation_vector(s))),
      std::span<const std::size_t>(positions));
  for (std::size_t j = 0; j < t; ++j) {
    const auto weights_column = std::span<const F>(proof.weights_columns).subspan(j * weights.rows, weights.rows);
    const auto witness_column = std::span<const F>(proof.witness_columns).subspan(j * witness.rows, witness.rows);
    const auto mask_column = std::span<const EF>(proof.mask_values).subspan(j * mask_rows, mask_rows);
    const EF* opened = &proof.opening_values[detail::opening_rows * j];  // g, L, D_low, D_high
    EF combined_u = EF::zero(), combined_lambda = EF::zero();
    std::size_t row = 0;
    for (std::size_t i = 0; i < weights.rows; ++i, ++row) {
      combined_u += u[row] * weights_column[i];
      combined_lambda += lambda.matrices[0][i] * weights_column[i];
    }
    for (std::size_t i = 0; i < witness.rows; ++i, ++row) {
      combined_u += u[row] * witness_column[i];
      combined_lambda += lambda.matrices[1][i] * witness_column[i];
    }
    for (std::size_t i = 0; i < mask_rows; ++i, ++row) {
      combined_u += u[row] * mask_column[i];
      combined_lambda += lambda.masks[i] * mask_column[i];
    }
    if (opened[1] + combined_u + u[rows] * opened[0] + u[rows + 1] * opened[2] + u[rows + 2] * opened[3] != proximity[j]) {
      return make_error(Errc::verification_failed, "opening: an opened column fails the proximity test");
    }
    const EF d = opened[2] + opened[3] * pow(code.code->point(positions[j]), width);
    if (d + b_s[j] * combined_lambda + rho * q_g[j] * opened[0] != inner_product[j]) {
      return make_error(Errc::verification_failed, "opening: an opened column fails the inner-product test");
    }
  }
  return {};
}

/// The proof's bytes: the mask root and sum, the rounds, the polynomials, then each tree's
/// columns, salts and digests.
template <class F, class EF>
void write_model_opening(io::ByteWriter& out, const ModelOpeningProof<F, EF>& proof) {
  out.write_bytes(proof.mask_root);
  out.write_field(proof.mask_sum);
  out.write_u32(static_cast<std::uint32_t>(proof.rounds.size()));
  for (const auto& round : proof.rounds) write_fields(out, round);
  write_fields(out, proof.proximity);
  write_fields(out, proof.inner_product);
  write_fields(out, proof.weights_columns);
  write_salts(out, proof.weights_salts);
  write_digests(out, proof.weights_siblings);
  write_fields(out, proof.witness_columns);
  write_salts(out, proof.witness_salts);
  write_digests(out, proof.witness_siblings);
  write_fields(out, proof.mask_values);
  write_salts(out, proof.mask_salts);
  out.write_u32(static_cast<std::uint32_t>(proof.mask_siblings.size()));
  for (const auto& siblings : proof.mask_siblings) write_digests(out, siblings);
  write_fields(out, proof.opening_values);
  write_salts(out, proof.opening_salts);
  write_digests(out, proof.opening_siblings);
}

/// Reads what write_model_opening wrote; every count is bounded by the bytes left.
template <class F, class EF>
Result<ModelOpeningProof<F, EF>> read_model_opening(io::ByteReader& in) {
  ModelOpeningProof<F, EF> proof;
  if (auto root = read_block(in, proof.mask_root, "opening mask root"); !root) return root.error();
  auto sum = in.read_field<EF>("opening mask sum");
  if (!sum) return sum.error();
  proof.mask_sum = *sum;
  auto read_lists = [&](auto& lists, std::string_view what, auto read_one) -> Status {
    auto count = in.read_u32(what);
    if (!count) return count.error();
    if (*count > in.remaining() / 4) return make_error(Errc::invalid_encoding, std::string(what) + ": truncated");
    lists.resize(*count);
    for (auto& list : lists) {
      if (auto read = read_one(list); !read) return read;
    }
    return {};
  };
  if (auto s = read_lists(proof.rounds, "opening rounds", [&](auto& round) { return read_fields(in, round, "opening round"); }); !s) {
    return s.error();
  }
  if (auto s = read_fields(in, proof.proximity, "opening proximity polynomial"); !s) return s.error();
  if (auto s = read_fields(in, proof.inner_product, "opening inner-product polynomial"); !s) return s.error();
  if (auto s = read_fields(in, proof.weights_columns, "opening weights' columns"); !s) return s.error();
  if (auto s = read_blocks(in, proof.weights_salts, "opening weights' salts"); !s) return s.error();
  if (auto s = read_blocks(in, proof.weights_siblings, "opening weights' digests"); !s) return s.error();
  if (auto s = read_fields(in, proof.witness_columns, "opening witness's columns"); !s) return s.error();
  if (auto s = read_blocks(in, proof.witness_salts, "opening witness's salts"); !s) return s.error();
  if (auto s = read_blocks(in, proof.witness_siblings, "opening witness's digests"); !s) return s.error();
  if (auto s = read_fields(in, proof.mask_values, "opening mask values"); !s) return s.error();
  if (auto s = read_blocks(in, proof.mask_salts, "opening mask salts"); !s) return s.error();
  if (auto s = read_lists(proof.mask_siblings, "opening mask digests",
                          [&](auto& siblings) { return read_blocks(in, siblings, "opening mask digests"); });
      !s) {
    return s.error();
  }
  if (auto s = read_fields(in, proof.opening_values, "opening values"); !s) return s.error();
  if (auto s = read_blocks(in, proof.opening_salts, "opening salts"); !s) return s.error();
  if (auto s = read_blocks(in, proof.opening_siblings, "opening digests"); !s) return s.error();
  return proof;
}

}  // namespace zkcnn::pcs::ligero
