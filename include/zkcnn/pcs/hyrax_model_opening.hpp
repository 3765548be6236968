#pragma once
// Hyrax's side of a zero-knowledge model proof (docs/protocol.md sections 7 and 8): the shape of
// the auxiliary witness's commitment, and the openings that end the proof, of every claim on the
// model's weights, on the auxiliary witness and on the committed masks (pcs/hyrax_masks.hpp).
//
// When the auxiliary witness shares the weights' column count, one hiding opening
// (pcs/hiding_opening.hpp) covers the three matrices. Otherwise (large batches of a small model,
// whose auxiliary witness keeps a shape of its own) the weights' claims are opened on their own,
// as one claim sum_k beta^k W~(p_k) = V (beta drawn then) with V hidden in a commitment; their
// mask terms become one linear claim on the masks, sum_k beta^k M_k = sum_k beta^k v_k - V,
// opened with the auxiliary witness. Both openings share V without revealing it.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/pcs/claims.hpp"
#include "zkcnn/pcs/hiding_opening.hpp"
#include "zkcnn/pcs/hyrax_commitment.hpp"
#include "zkcnn/pcs/hyrax_masks.hpp"
#include "zkcnn/pcs/pedersen.hpp"

namespace zkcnn::hyrax {

/// The matrices of split openings: the weights alone, then the auxiliary witness with the
/// masks. The claims' own matrix index is ignored: the lists they come in say which table.
enum SplitMatrix : std::size_t { weights_matrix = 0, aux_matrix = 0, mask_matrix = 1 };
/// The matrices of the one opening when the auxiliary witness shares the weights' columns.
enum JointMatrix : std::size_t { joint_weights_matrix = 0, joint_aux_matrix = 1, joint_mask_matrix = 2 };

/// The auxiliary witness's column count. When the weights' columns give it no more rows than
/// its default shape (or at most 2^6, a few kilobytes), it takes them, and in zero knowledge
/// one opening covers the weights, the auxiliary witness and the masks: cheapest for the prover
/// and the verifier. Otherwise it keeps its default shape, whose rows travel in the proof, and
/// the openings are split.
inline std::size_t aux_column_vars(std::size_t default_columns, std::size_t aux_vars, std::size_t weights_columns,
                                   bool zero_knowledge) {
  constexpr std::size_t negligible_row_vars = 6;
  const bool joint = zero_knowledge && aux_vars >= weights_columns &&
                     (weights_columns >= default_columns || aux_vars - weights_columns <= negligible_row_vars);
  return joint ? weights_columns : default_columns;
}

namespace detail {

template <Field F>
std::vector<CommittedClaim<F>> with_matrix(std::vector<CommittedClaim<F>> claims, std::size_t matrix) {
  for (auto& claim : claims) claim.matrix = matrix;
  return claims;
}

// The weights' claims combined into one (see the header) and their mask terms as one linear
// claim on the masks.
template <EncodableField F, class T>
std::pair<CommittedClaim<F>, gkr::LinearClaim<F>> split_weights_claims(std::span<const CommittedClaim<F>> claims,
                                                                        T& transcript) {
  const auto beta = column_reduction::powers(transcript.template challenge<F>("zkcnn/weights_beta"), claims.size());
  CommittedClaim<F> combined{weights_matrix, {}, {F::zero()}};
  gkr::LinearClaim<F> masks{{}, F::zero()};
  for (std::size_t k = 0; k < claims.size(); ++k) {
    for (const auto& term : claims[k].terms) combined.terms.push_back({beta[k] * term.coefficient, term.point});
    for (const auto& term : claims[k].value.masks) masks.add_line(term.mask, beta[k] * term.coefficient);
    masks.value += beta[k] * claims[k].value.value;
  }
  return {std::move(combined), std::move(masks)};
}

}  // namespace detail

/// Proves every claim on the weights (`weights`, kept as integers by their owner) and on the
/// auxiliary witness, with the masks' linear claims, in zero knowledge; writes the openings.
template <CommitmentGroup G, class T, CryptoRng Rng>
void prove_model_claims(const PedersenKey<G>& key, const CommittedTable<HyraxCommitment<G>, HyraxOpening<G>, std::int64_t>& weights,
                        const CommittedTable<HyraxCommitment<G>, HyraxOpening<G>, scalar_of<G>>& aux,
                        const MaskProver<G, Rng>& masks, std::vector<CommittedClaim<scalar_of<G>>> weights_claims,
                        std::vector<CommittedClaim<scalar_of<G>>> aux_claims, T& transcript, Rng& rng, io::ByteWriter& out) {
  using F = scalar_of<G>;
  const std::size_t aux_columns = aux.commitment.column_vars;
  if (aux_columns == weights.commitment.column_vars) {
    std::vector<CommittedClaim<F>> claims = detail::with_matrix(std::move(weights_claims), joint_weights_matrix);
    for (auto& claim : detail::with_matrix(std::move(aux_claims), joint_aux_matrix)) claims.push_back(std::move(claim));
    const OpenedMatrix<G> matrices[] = {{weights.commitment.rows, weights.values, weights.opening.row_blinds},
                                        {aux.commitment.rows, aux.values, aux.opening.row_blinds},
                                        {masks.rows(), masks.values(), masks.row_blinds()}};
    write_hiding_opening(out, prove_hiding_opening<G>(key, aux_columns, std::span<const OpenedMatrix<G>>(matrices),
                                                      joint_mask_matrix, std::span<const CommittedClaim<F>>(claims),
                                                      masks.claims(), {}, transcript, rng));
    return;
  }
  aux_claims = detail::with_matrix(std::move(aux_claims), aux_matrix);
  std::vector<gkr::LinearClaim<F>> linear(masks.claims().begin(), masks.claims().end());
  std::vector<HiddenTerm<G>> hidden_terms;
  if (!weights_claims.empty()) {
    auto [weights_claim, weights_masks] =
        detail::split_weights_claims(std::span<const CommittedClaim<F>>(weights_claims), transcript);
    F hidden = weights_masks.value;
    for (const auto& [entry, coefficient] : weights_masks.terms) hidden -= coefficient * masks.value(entry);
    const F blind = F::random(rng);
    const G hidden_commitment = group_traits<G>::add(group_traits<G>::scalar_mul(key.value_generator(), hidden),
                                                     group_traits<G>::scalar_mul(key.blinding_generator(), blind));
    transcript.absorb_bytes("zkcnn/weights_value", group_traits<G>::encode(hidden_commitment));
    out.write_group(hidden_commitment);
    const OpenedMatrix<G> matrices[] = {{weights.commitment.rows, weights.values, weights.opening.row_blinds}};
    const HiddenTerm<G> terms[] = {{0, F::one(), hidden_commitment, hidden, blind}};
    write_hiding_opening(out, prove_hiding_opening<G>(key, weights.commitment.column_vars,
                                                      std::span<const OpenedMatrix<G>>(matrices), 1,
                                                      std::span<const CommittedClaim<F>>(&weights_claim, 1), {},
                                                      std::span<const HiddenTerm<G>>(terms), transcript, rng));
    linear.push_back(std::move(weights_masks));
    hidden_terms.push_back({aux_claims.size() + linear.size() - 1, -F::one(), hidden_commitment, hidden, blind});
  }
  const OpenedMatrix<G> matrices[] = {{aux.commitment.rows, aux.values, aux.opening.row_blinds},
                                      {masks.rows(), masks.values(), masks.row_blinds()}};
  write_hiding_opening(out, prove_hiding_opening<G>(key, aux_columns, std::span<const OpenedMatrix<G>>(matrices),
                                                    mask_matrix, std::span<const CommittedClaim<F>>(aux_claims),
                                                    std::span<const gkr::LinearClaim<F>>(linear),
                                                    std::span<const HiddenTerm<G>>(hidden_terms), transcript, rng));
}

/// Reads and checks the openings prove_model_claims wrote.
template <CommitmentGroup G, class T>
Status verify_model_claims(const PedersenKey<G>& key, const HyraxCommitment<G>& weights, const HyraxCommitment<G>& aux,
                           const MaskVerifier<G>& masks, std::vector<CommittedClaim<scalar_of<G>>> weights_claims,
                           std::vector<CommittedClaim<scalar_of<G>>> aux_claims, T& transcript, io::ByteReader& in) {
  using F = scalar_of<G>;
  if (!masks.exhausted()) return make_error(Errc::malformed_proof, "model proof: unused mask rows");
  const std::size_t aux_columns = aux.column_vars;
  if (aux_columns == weights.column_vars) {
    std::vector<CommittedClaim<F>> claims = detail::with_matrix(std::move(weights_claims), joint_weights_matrix);
    for (auto& claim : detail::with_matrix(std::move(aux_claims), joint_aux_matrix)) claims.push_back(std::move(claim));
    auto opening = read_hiding_opening<G>(in, aux_columns);
    if (!opening) return opening.error();
    const CommittedMatrix<G> matrices[] = {{weights.rows}, {aux.rows}, {masks.rows()}};
    if (auto ok = verify_hiding_opening<G>(key, aux_columns, std::span<const CommittedMatrix<G>>(matrices), joint_mask_matrix,
                                           std::span<const CommittedClaim<F>>(claims), masks.claims(), {}, *opening,
                                           transcript);
        !ok) {
      return make_error(ok.error().code, "committed claims: " + ok.error().message);
    }
    return {};
  }
  aux_claims = detail::with_matrix(std::move(aux_claims), aux_matrix);
  std::vector<gkr::LinearClaim<F>> linear(masks.claims().begin(), masks.claims().end());
  std::vector<HiddenTerm<G>> hidden_terms;
  if (!weights_claims.empty()) {
    auto [weights_claim, weights_masks] =
        detail::split_weights_claims(std::span<const CommittedClaim<F>>(weights_claims), transcript);
    auto hidden_commitment = in.read_group<G>("weights' hidden value");
    if (!hidden_commitment) return hidden_commitment.error();
    transcript.absorb_bytes("zkcnn/weights_value", group_traits<G>::encode(*hidden_commitment));
    auto weights_opening = read_hiding_opening<G>(in, weights.column_vars);
    if (!weights_opening) return weights_opening.error();
    const CommittedMatrix<G> matrices[] = {{weights.rows}};
    const HiddenTerm<G> terms[] = {{0, F::one(), *hidden_commitment}};
    if (auto ok = verify_hiding_opening<G>(key, weights.column_vars, std::span<const CommittedMatrix<G>>(matrices), 1,
                                           std::span<const CommittedClaim<F>>(&weights_claim, 1), {},
                                           std::span<const HiddenTerm<G>>(terms), *weights_opening, transcript);
        !ok) {
      return make_error(ok.error().code, "model weights: " + ok.error().message);
    }
    linear.push_back(std::move(weights_masks));
    hidden_terms.push_back({aux_claims.size() + linear.size() - 1, -F::one(), *hidden_commitment});
  }
  auto aux_opening = read_hiding_opening<G>(in, aux_columns);
  if (!aux_opening) return aux_opening.error();
  const CommittedMatrix<G> matrices[] = {{aux.rows}, {masks.rows()}};
  if (auto ok = verify_hiding_opening<G>(key, aux_columns, std::span<const CommittedMatrix<G>>(matrices), mask_matrix,
                                         std::span<const CommittedClaim<F>>(aux_claims),
                                         std::span<const gkr::LinearClaim<F>>(linear),
                                         std::span<const HiddenTerm<G>>(hidden_terms), *aux_opening, transcript);
      !ok) {
    return make_error(ok.error().code, "auxiliary witness and masks: " + ok.error().message);
  }
  return {};
}

}  // namespace zkcnn::hyrax
