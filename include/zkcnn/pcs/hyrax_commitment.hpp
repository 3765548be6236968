#pragma once
// The data of Hyrax commitments (pcs/hyrax.hpp): the public commitment, its owner's secret, and
// the proofs, apart from the scheme so that the zero-knowledge openings (pcs/hyrax_model_opening.hpp)
// can name them.

#include <cstdint>
#include <optional>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/pcs/inner_product.hpp"

namespace zkcnn {

template <CommitmentGroup G>
struct HyraxCommitment {
  std::uint32_t num_vars = 0;
  std::uint32_t column_vars = 0;
  std::vector<G> rows;

  friend bool operator==(const HyraxCommitment&, const HyraxCommitment&) = default;
};

/// The committer's secret: the rows' blinding factors.
template <CommitmentGroup G>
struct HyraxOpening {
  std::vector<scalar_of<G>> row_blinds;
};

template <CommitmentGroup G>
struct HyraxEvaluationProof {
  /// V = v U + tau H when the value is hidden; absent when it is public.
  std::optional<G> value_commitment;
  InnerProductProof<G> inner_product;

  friend bool operator==(const HyraxEvaluationProof&, const HyraxEvaluationProof&) = default;
};

/// Several evaluation claims on one committed polynomial, opened at once (see prove_batch).
template <CommitmentGroup G>
struct HyraxBatchProof {
  /// The sumcheck over the column variables: 2 values per round (at 0 and 2).
  std::vector<std::vector<scalar_of<G>>> rounds;
  /// M~(s, z_k,row) for every claim k, s the sumcheck's point.
  std::vector<scalar_of<G>> row_values;
  InnerProductProof<G> inner_product;

  friend bool operator==(const HyraxBatchProof&, const HyraxBatchProof&) = default;
};

}  // namespace zkcnn
