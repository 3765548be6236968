// The distribution probe (probes.hpp): with the challenges fixed, the proofs of one model span
// an affine hull; the proofs of another model with the same commitment and the same result must
// span the same one.

#include <zkcnn/detail/zk_probes.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/zk/model_proof.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "support/known_log_group.hpp"
#include "support/model_test_support.hpp"
#include "zk/probes/probes.hpp"

namespace zkcnn_probe {

namespace {

using Pcs = zkcnn::Hyrax<zkcnn_test::KnownLogGroup>;
using F = Pcs::Scalar;
using Samples = std::vector<std::vector<std::int64_t>>;
using zkcnn::zk::Conclusion;
using zkcnn::zk::ModelCircuit;

const Pcs& pcs() {
  static const Pcs scheme("zkcnn distribution probe", 8);
  return scheme;
}

// The linear span of vectors, on the coordinates that vary. Most of a proof's coordinates are
// fixed by the statement and the challenges; leaving them out of the elimination makes it
// several times cheaper. The basis is in echelon form: row i is zero at the pivots of the rows
// before it and one at its own pivot.
class Span {
 public:
  /// The coordinates on which one of the samples is not zero vary (a coordinate that varies is
  /// zero in two independent samples with probability 1/|F|^2).
  Span(const std::vector<F>& sample, const std::vector<F>& other) {
    for (std::size_t j = 0; j < sample.size(); ++j) {
      if (sample[j] != F::zero() || other[j] != F::zero()) varying_.push_back(j);
    }
    size_ = sample.size();
  }

  /// Adds v; false when it already lay in the span. Throws if v varies where no sample did.
  bool insert(const std::vector<F>& v) {
    auto reduced = restrict(v);
    if (!reduced) throw std::logic_error("distribution probe: a coordinate varies that both samples fixed");
    reduce(*reduced);
    for (std::size_t j = 0; j < reduced->size(); ++j) {
      if ((*reduced)[j] == F::zero()) continue;
      const F inverse = *(*reduced)[j].inverse();
      for (F& x : *reduced) x *= inverse;
      rows_.push_back(std::move(*reduced));
      pivots_.push_back(j);
      return true;
    }
    return false;
  }

  bool contains(const std::vector<F>& v) const {
    auto reduced = restrict(v);
    if (!reduced) return false;
    reduce(*reduced);
    return std::all_of(reduced->begin(), reduced->end(), [](const F& x) { return x == F::zero(); });
  }

  std::size_t rank() const { return rows_.size(); }

 private:
  // v on the varying coordinates, or nothing when it is not zero elsewhere.
  std::optional<std::vector<F>> restrict(const std::vector<F>& v) const {
    if (v.size() != size_) throw std::logic_error("distribution probe: proofs of different lengths");
    std::vector<F> out;
    out.reserve(varying_.size());
    std::size_t next = 0;
    for (std::size_t j = 0; j < v.size(); ++j) {
      if (next < varying_.size() && varying_[next] == j) {
        out.push_back(v[j]);
        ++next;
      } else if (v[j] != F::zero()) {
        return std::nullopt;
      }
    }
    return out;
  }

  void reduce(std::vector<F>& v) const {
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const F factor = v[pivots_[i]];
      if (factor == F::zero()) continue;
      for (std::size_t j = pivots_[i]; j < v.size(); ++j) v[j] -= factor * rows_[i][j];
    }
  }

  std::size_t size_ = 0;
  std::vector<std::size_t> varying_;
  std::vector<std::vector<F>> rows_;
  std::vector<std::size_t> pivots_;
};

struct Prover {
  zkcnn::nn::QuantizedModel model;
  zkcnn::zk::ModelProverState<Pcs> state;
};

struct Statement {
  ModelCircuit<F> circuit;
  zkcnn::zk::ModelCommitment<Pcs> commitment;
  Samples samples;
  std::vector<std::size_t> labels;
};

// One proof under the programmed oracle and `mutation`: every field element the prover absorbs
// (scalars, and commitments of the known-log group). Clears `*verified` when given and the
// proof does not verify.
std::vector<F> prove(const Statement& s, const Prover& prover, Mutation mutation, zkcnn::testing::DeterministicRng& rng,
                     bool* verified = nullptr) {
  const auto inputs = std::span<const std::vector<std::int64_t>>(s.samples);
  auto witness = s.circuit.witness(prover.model, inputs, s.labels).value();
  const zkcnn::zk::detail::ClaimedResult result{s.circuit.conclusion(), std::span(witness.outputs), s.labels,
                                                witness.correct};
  std::vector<F> coordinates;
  ProbeScope scope(mutation);
  auto& settings = zkcnn::zk_probes::settings();
  settings.programmed_oracle = true;
  settings.message = [&](std::string_view, std::span<const std::uint8_t> data) {
    // Field elements and points are F::byte_size bytes each; the other messages (lengths,
    // names) are the same in every proof of the statement.
    if (data.size() % F::byte_size != 0) return;
    for (std::size_t offset = 0; offset < data.size(); offset += F::byte_size) {
      coordinates.push_back(F::from_bytes_mod_order(data.subspan(offset, F::byte_size)));
    }
  };
  zkcnn::ProverProfile profile;
  const auto proof = zkcnn::zk::detail::prove_with_witness(pcs(), s.circuit, prover.state, s.commitment, inputs, witness,
                                                           s.labels, profile, rng);
  settings.message = nullptr;
  if (verified != nullptr &&
      !zkcnn::zk::detail::verify_statement(pcs(), s.circuit, s.commitment, inputs, result, proof)) {
    *verified = false;
  }
  return coordinates;
}

std::vector<F> difference(std::vector<F> a, const std::vector<F>& b) {
  if (a.size() != b.size()) throw std::logic_error("distribution probe: proofs of different lengths");
  for (std::size_t j = 0; j < a.size(); ++j) a[j] -= b[j];
  return a;
}

// The second model's blinds changed so that its commitment is the first's: possible only
// because this group's discrete logarithms are known.
void share_commitment(const zkcnn::zk::ModelCommitment<Pcs>& target, const zkcnn::zk::ModelCommitment<Pcs>& own,
                      zkcnn::zk::ModelProverState<Pcs>& state) {
  const F blinding_inverse = *pcs().key().blinding_generator().log.inverse();
  for (std::size_t r = 0; r < own.weights.rows.size(); ++r) {
    state.opening.row_blinds[r] += (target.weights.rows[r].log - own.weights.rows[r].log) * blinding_inverse;
  }
}

zkcnn::nn::Architecture architecture(Network network) {
  if (network == Network::every_layer) return zkcnn_model_test::every_layer_architecture();
  using namespace zkcnn::nn;
  Architecture a;
  a.name = "small";
  a.in_channels = 1, a.height = 4, a.width = 4;
  a.layers = {Conv2dSpec{2, 3, 1}, RescaleReluSpec{}, MaxPoolSpec{2}, FlattenSpec{}, DenseSpec{3}};
  return a;
}

// 4-bit inputs; weights from `seed` as the model tests' (model_test_support.hpp).
std::vector<std::int64_t> input(Network network, std::uint64_t seed) {
  return zkcnn::nn::zoo::random_input(architecture(network), seed, 4);
}

zkcnn::nn::QuantizedModel model(Network network, std::uint64_t seed) {
  return zkcnn::nn::zoo::random_model(architecture(network), seed, input(network, 99), 4, 5).value();
}

// The first class of largest score.
std::size_t predicted_class(const std::vector<std::int64_t>& scores) {
  return static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

// Whether two models' outputs predict another class for every sample, and are right on
// different samples.
bool differ_everywhere(const std::vector<std::vector<std::int64_t>>& a, const std::vector<std::vector<std::int64_t>>& b,
                       const std::vector<std::size_t>& labels) {
  bool same_samples_right = true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t class_a = predicted_class(a[i]), class_b = predicted_class(b[i]);
    if (class_a == class_b) return false;
    if ((class_a == labels[i]) != (class_b == labels[i])) same_samples_right = false;
  }
  return !same_samples_right;
}

// The affine hull of a prover's proofs: its first proof and the span of the others' differences
// from it.
struct ProofSpace {
  std::vector<F> origin;
  Span span;
  std::size_t proofs = 0;
};

// Proves until a proof adds no dimension: a fresh proof lies in a proper subspace of the hull
// with probability at most about 2/|F| (a proof is of degree at most 2 in the randomness), so
// the first that adds nothing shows the hull is complete. Keeps every proof in `seen` when
// given; clears `verified` if the first or any 128th does not verify.
ProofSpace span_proofs(const Statement& statement, const Prover& prover, Mutation mutation,
                       zkcnn::testing::DeterministicRng& rng, bool& verified, std::vector<std::vector<F>>* seen = nullptr) {
  auto next = [&](bool check) {
    auto proof = prove(statement, prover, mutation, rng, check ? &verified : nullptr);
    if (seen != nullptr) seen->push_back(proof);
    return proof;
  };
  auto origin = next(true);
  const auto sample = difference(next(false), origin);
  const auto other = difference(next(false), origin);
  ProofSpace space{std::move(origin), Span(sample, other), 3};
  space.span.insert(sample);
  space.span.insert(other);
  for (bool complete = false; !complete; ++space.proofs) {
    complete = !space.span.insert(difference(next(space.proofs % 128 == 0), space.origin));
  }
  return space;
}

}  // namespace

DistributionReport distribution(Network network, bool accuracy, std::size_t batch, Mutation mutation, bool both_ways) {
  zkcnn::testing::DeterministicRng rng{7};
  const auto first = model(network, 1);
  const Conclusion conclusion = accuracy ? Conclusion::accuracy : Conclusion::outputs;
  if (!accuracy && batch != 1) throw std::invalid_argument("distribution probe: a prediction of one sample");
  Samples samples;
  if (accuracy) {
    for (std::size_t b = 0; b < batch; ++b) samples.push_back(input(network, 61 + b));
  }
  auto circuit = ModelCircuit<F>::compile(first.architecture, batch, conclusion).value();
  constexpr std::size_t classes = 3;
  std::optional<zkcnn::nn::QuantizedModel> second;
  std::vector<std::size_t> labels;
  if (accuracy) {
    // Different weights (and so different activations and digits) under the first model's
    // architecture, predicting another class for every sample; labels on which both classify
    // the same number correctly, but not the same samples.
    const auto inputs = std::span<const std::vector<std::int64_t>>(samples);
    std::size_t combinations = 1;
    for (std::size_t b = 0; b < batch; ++b) combinations *= classes;
    for (std::uint64_t seed = 2; !second && seed < 40; ++seed) {
      auto candidate = model(network, seed);
      candidate.architecture = first.architecture;
      for (std::size_t code = 0; code < combinations && !second; ++code) {
        std::vector<std::size_t> trial;
        for (std::size_t b = 0, rest = code; b < batch; ++b, rest /= classes) trial.push_back(rest % classes);
        auto a = circuit.witness(first, inputs, trial);
        auto b = circuit.witness(candidate, inputs, trial);
        if (a && b && a->correct == b->correct && a->correct > 0 && differ_everywhere(a->outputs, b->outputs, trial)) {
          second = candidate;
          labels = trial;
        }
      }
    }
  } else {
    // The second model differs in the last dense layer's weights on a feature that the ReLU
    // before it zeroes for this input: the same outputs, different weights.
    const std::size_t last = first.architecture.layers.size() - 1;
    for (std::uint64_t seed = 41; !second && seed < 80; ++seed) {
      const auto sample = input(network, seed);
      const auto features = zkcnn::nn::infer(first, sample).value()[last];
      for (std::size_t j = 0; j < features.size() && !second; ++j) {
        if (features[j] != 0) continue;
        auto other = first;
        auto& kernel = other.weights[last].kernel;
        for (std::size_t o = 0; o < kernel.size() / features.size(); ++o) kernel[o * features.size() + j] += 1;
        samples = {sample};
        second = other;
      }
    }
  }
  if (!second) throw std::runtime_error("distribution probe: no second model with the same result");

  auto [commitment, first_state] = zkcnn::zk::commit_model(pcs(), first, rng).value();
  auto [own_commitment, second_state] = zkcnn::zk::commit_model(pcs(), *second, rng).value();
  share_commitment(commitment, own_commitment, second_state);
  const Statement statement{std::move(circuit), std::move(commitment), std::move(samples), std::move(labels)};
  const Prover a{first, std::move(first_state)};
  const Prover b{*second, std::move(second_state)};

  DistributionReport report;
  report.verified = true;
  report.joint_opening = pcs().witness_column_vars(statement.circuit.aux_layout().num_vars(),
                                                   statement.commitment.weights, true) ==
                         statement.commitment.weights.column_vars;
  const ProofSpace first_space = span_proofs(statement, a, mutation, rng, report.verified);
  report.coordinates = first_space.origin.size();
  report.rank = first_space.span.rank();
  report.proofs = first_space.proofs;
  if (!both_ways) {
    // One proof of the second model outside the first's space shows the distributions differ.
    report.same_distribution = first_space.span.contains(
        difference(prove(statement, b, mutation, rng, &report.verified), first_space.origin));
    return report;
  }
  // The same distribution: the second model's proofs span a space of the same dimension, and
  // each of them lies in the first's.
  std::vector<std::vector<F>> seen;
  const ProofSpace second_space = span_proofs(statement, b, mutation, rng, report.verified, &seen);
  report.proofs += second_space.proofs;
  report.same_distribution = second_space.span.rank() == first_space.span.rank();
  for (const auto& proof : seen) {
    if (!first_space.span.contains(difference(proof, first_space.origin))) report.same_distribution = false;
  }
  return report;
}

}  // namespace zkcnn_probe
