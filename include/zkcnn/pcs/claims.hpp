#pragma once
// The claims a proof leaves on committed tables, in the forms commitment schemes open them
// (docs/protocol.md section 7).

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/gkr/claim.hpp"

namespace zkcnn {

/// P~(point) = value on one committed table.
template <EncodableField F>
struct EvaluationClaim {
  std::vector<F> point;
  F value;
};

/// coefficient * M~(point), point = (column coordinates, row coordinates).
template <Field F>
struct WeightedPoint {
  F coefficient;
  std::vector<F> point;
};

/// A claim on the extension of committed matrix `matrix`: sum over terms of coefficient *
/// M~(point) = value, up to the value's mask terms (zero-knowledge proofs; gkr/claim.hpp).
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

/// A committed table as its owner holds it, for openings: the public commitment, the
/// committer's secret and the entries (field elements, or the integers they stand for).
template <class Commitment, class Opening, class Entry>
struct CommittedTable {
  const Commitment& commitment;
  const Opening& opening;
  std::span<const Entry> values;
};

}  // namespace zkcnn
