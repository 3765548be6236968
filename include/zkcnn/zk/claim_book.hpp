#pragma once
// Where a model proof's claims go while its layers are walked (zk/model_proof.hpp): per tensor,
// and on the two committed tables, the weights and the auxiliary witness, with their mask terms
// in zero knowledge; and the forms the openings take them in.

#include <concepts>
#include <cstddef>
#include <functional>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/pcs/claims.hpp"
#include "zkcnn/zk/argmax.hpp"
#include "zkcnn/zk/block_layout.hpp"
#include "zkcnn/zk/model_circuit.hpp"

namespace zkcnn::zk::detail {

/// Claims on a committed table name it by the list they are kept in (ClaimBook::weights or
/// ClaimBook::aux); their matrix index is the scheme's to set.
inline constexpr std::size_t table_matrix = 0;

/// Where the claims of a proof go while the layers are walked: per tensor, and on the two
/// committed polynomials (with their mask terms in zero knowledge).
template <EncodableField F>
struct ClaimBook {
  std::vector<std::vector<gkr::Claim<F>>> tensors;
  std::vector<CommittedClaim<F>> weights;
  std::vector<CommittedClaim<F>> aux;
  /// Every point the proof reaches on a secret table (the weights and the auxiliary witness at
  /// points of the whole table): for tests and audits (ClaimObserver).
  std::function<void(TableRef::Source, std::size_t, std::span<const F>)> observer;

  void observe(TableRef::Source source, std::size_t index, std::span<const F> point) const {
    if (observer) observer(source, index, point);
  }
  void add_tensor(std::size_t tensor, const gkr::Claim<F>& c) {
    observe(TableRef::Source::tensor, tensor, std::span<const F>(c.point));
    tensors[tensor].push_back(c);
  }
  void add_committed(std::vector<CommittedClaim<F>>& claims, TableRef::Source source, CommittedClaim<F> claim) {
    for (const auto& term : claim.terms) observe(source, 0, std::span<const F>(term.point));
    claims.push_back(std::move(claim));
  }
  void add_aux(const BlockLayout& layout, std::size_t block, const gkr::Claim<F>& c) {
    add_committed(aux, TableRef::Source::aux,
                  CommittedClaim<F>::at(table_matrix, layout.embed(block, std::span<const F>(c.point)), c.masked_value()));
  }

  /// The argmax gadget's claims: on the outputs, the one-hot table and the differences.
  template <class Circuit>
  void route(const Circuit& circuit, const typename ArgmaxGadget<F>::Claims& claims) {
    for (const auto& c : claims.logits) add_tensor(circuit.output_tensor(), c);
    for (const auto& c : claims.choices) add_aux(circuit.aux_layout(), circuit.choice_block(), c);
    for (const auto& [terms, value] : claims.differences) {
      CommittedClaim<F> claim{table_matrix, {}, value};
      for (const auto& term : terms) {
        claim.terms.push_back(
            {term.coefficient, circuit.aux_layout().embed(circuit.difference_block(), std::span<const F>(term.point))});
      }
      add_committed(aux, TableRef::Source::aux, std::move(claim));
    }
  }

  template <class Circuit>
  void route(const Circuit& circuit, const typename Circuit::Step& step, std::span<const gkr::InputClaim<F>> claims) {
    for (const auto& c : claims) {
      const TableRef& ref = step.inputs.at(c.input);
      switch (ref.source) {
        case TableRef::Source::tensor:
          add_tensor(ref.index, c.claim);
          break;
        case TableRef::Source::weights:
          add_committed(weights, TableRef::Source::weights,
                        CommittedClaim<F>::at(table_matrix,
                                              circuit.weights_layout().embed(ref.index, std::span<const F>(c.claim.point)),
                                              c.claim.masked_value()));
          break;
        case TableRef::Source::aux:
          add_aux(circuit.aux_layout(), ref.index, c.claim);
          break;
      }
    }
  }
};

/// Claims without mask terms, each at one point, for a plain batch opening.
template <Field F>
std::vector<EvaluationClaim<F>> plain_claims(const std::vector<CommittedClaim<F>>& claims) {
  std::vector<EvaluationClaim<F>> out;
  for (const auto& c : claims) {
    if (!c.value.masks.empty() || c.terms.size() != 1 || c.terms[0].coefficient != F::one()) {
      throw std::logic_error("plain_claims: a masked or combined claim");
    }
    out.push_back({c.terms[0].point, c.value.value});
  }
  return out;
}

/// The auxiliary witness's entries as the scheme commits them. They are digits and
/// multiplicities, integers in the base field, which the proof's field (an extension, for a
/// small base field) holds as its first coordinate.
template <Field Base, Field F>
auto base_entries(std::span<const F> table) {
  if constexpr (std::same_as<Base, F>) {
    return table;
  } else {
    std::vector<Base> entries(table.size());
    for (std::size_t i = 0; i < table.size(); ++i) entries[i] = table[i].coefficients()[0];
    return entries;
  }
}

}  // namespace zkcnn::zk::detail
