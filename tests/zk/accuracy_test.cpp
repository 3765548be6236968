// Accuracy proofs (zk/accuracy.hpp, zk/argmax.hpp): on a small network with every layer kind,
// the honest count verifies for batches of 1 and 4; k + 1 and k - 1, a changed label, a changed
// sample, another model's commitment and tampered, truncated or random proof bytes are
// rejected; a batch of one agrees with the prediction proof's class; ties go to the first
// class of largest score, and a prover choosing another tied class is rejected.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/precompiled.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/prediction.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "support/model_test_support.hpp"

namespace {

using namespace zkcnn::nn;
using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;
using F = Pcs::Scalar;
using Samples = std::vector<std::vector<std::int64_t>>;
using Labels = std::vector<std::size_t>;

const Pcs& pcs() {
  static const Pcs scheme("zkcnn accuracy test", 8);
  return scheme;
}

std::size_t predicted_class(const std::vector<std::int64_t>& scores) {
  return static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

struct Fixture {
  QuantizedModel model;
  zkcnn::testing::DeterministicRng rng{11};
  std::pair<zkcnn::zk::ModelCommitment<Pcs>, zkcnn::zk::ModelProverState<Pcs>> committed;

  explicit Fixture(QuantizedModel m) : model(std::move(m)), committed(zkcnn::zk::commit_model(pcs(), model, rng).value()) {}
  Fixture() : Fixture(zkcnn_model_test::every_layer_model(1)) {}

  Samples samples(std::size_t batch) const {
    Samples out;
    for (std::size_t b = 0; b < batch; ++b) out.push_back(zoo::random_input(model.architecture, 20 + b, 4));
    return out;
  }

  zkcnn::zk::AccuracyProof<Pcs> prove(const Samples& x, const Labels& labels) {
    auto proven = zkcnn::zk::prove_accuracy(pcs(), model, committed.second, committed.first, std::span(x), std::span(labels), rng);
    REQUIRE(proven);
    return std::move(*proven);
  }

  bool verifies(const Samples& x, const Labels& labels, std::size_t correct, const zkcnn::zk::ModelProof& proof,
                const zkcnn::zk::ModelCommitment<Pcs>* commitment = nullptr) const {
    const auto status = zkcnn::zk::verify_accuracy(pcs(), model.architecture, commitment ? *commitment : committed.first,
                                                   std::span(x), std::span(labels), correct, proof);
    if (!status) UNSCOPED_INFO("rejected: " << status.error().message);
    return static_cast<bool>(status);
  }
};

// Labels that make some samples right and some wrong: the true class for even samples.
Labels mixed_labels(const QuantizedModel& model, const Samples& x) {
  Labels labels;
  for (std::size_t b = 0; b < x.size(); ++b) {
    const std::size_t predicted = predicted_class(infer(model, x[b])->back());
    labels.push_back(b % 2 == 0 ? predicted : (predicted + 1) % 3);
  }
  return labels;
}

TEST_CASE("accuracy proofs: the honest count verifies, any other count is rejected", "[zk]") {
  Fixture f;
  for (std::size_t batch : {1, 4}) {
    const auto x = f.samples(batch);
    const Labels labels = mixed_labels(f.model, x);
    const auto proven = f.prove(x, labels);
    CHECK(proven.correct == (batch + 1) / 2);
    CHECK(f.verifies(x, labels, proven.correct, proven.proof));
    CHECK_FALSE(f.verifies(x, labels, proven.correct + 1, proven.proof));
    if (proven.correct > 0) CHECK_FALSE(f.verifies(x, labels, proven.correct - 1, proven.proof));
  }
}

TEST_CASE("accuracy proofs reject a changed statement and tampered proofs", "[zk]") {
  Fixture f;
  const auto x = f.samples(4);
  const Labels labels = mixed_labels(f.model, x);
  const auto proven = f.prove(x, labels);
  REQUIRE(f.verifies(x, labels, proven.correct, proven.proof));

  SECTION("every label changed, the count kept") {
    for (std::size_t b = 0; b < labels.size(); ++b) {
      auto other = labels;
      other[b] = (other[b] + 2) % 3;
      CHECK_FALSE(f.verifies(x, other, proven.correct, proven.proof));
    }
  }
  SECTION("a sample changed") {
    for (std::size_t k = 0; k < x[1].size(); k += 13) {
      auto other = x;
      other[1][k] += 1;
      CHECK_FALSE(f.verifies(other, labels, proven.correct, proven.proof));
    }
  }
  SECTION("another model's commitment") {
    Fixture g(zkcnn_model_test::every_layer_model(2));
    CHECK_FALSE(f.verifies(x, labels, proven.correct, proven.proof, &g.committed.first));
  }
  SECTION("a prediction proof is not an accuracy proof") {
    auto prediction = zkcnn::zk::prove_model(pcs(), f.model, f.committed.second, f.committed.first, std::span(x), f.rng);
    REQUIRE(prediction);
    CHECK_FALSE(f.verifies(x, labels, proven.correct, prediction->proof));
  }
  SECTION("bytes changed, truncated, extended, random") {
    const auto& bytes = proven.proof.bytes;
    for (std::size_t i = 0; i < bytes.size(); i += 61) {
      auto tampered = proven.proof;
      tampered.bytes[i] ^= 0x10;
      CHECK_FALSE(f.verifies(x, labels, proven.correct, tampered));
    }
    for (std::size_t cut : {std::size_t{0}, std::size_t{1}, bytes.size() / 3, bytes.size() - 1}) {
      zkcnn::zk::ModelProof truncated{{bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)}};
      CHECK_FALSE(f.verifies(x, labels, proven.correct, truncated));
    }
    auto extended = proven.proof;
    extended.bytes.push_back(0);
    CHECK_FALSE(f.verifies(x, labels, proven.correct, extended));
    zkcnn::zk::ModelProof noise{std::vector<std::uint8_t>(bytes.size())};
    for (auto& b : noise.bytes) b = static_cast<std::uint8_t>(f.rng());
    CHECK_FALSE(f.verifies(x, labels, proven.correct, noise));
  }
  SECTION("labels that are not classes, and a count above the batch, are errors") {
    auto outside = labels;
    outside[0] = 3;
    CHECK_FALSE(f.verifies(x, outside, proven.correct, proven.proof));
    CHECK_FALSE(zkcnn::zk::prove_accuracy(pcs(), f.model, f.committed.second, f.committed.first, std::span(x),
                                          std::span(outside), f.rng));
    const Labels short_labels(labels.begin(), labels.end() - 1);
    CHECK_FALSE(f.verifies(x, short_labels, proven.correct, proven.proof));
    CHECK_FALSE(f.verifies(x, labels, x.size() + 1, proven.proof));
  }
}

TEST_CASE("an accuracy proof of one sample agrees with the prediction proof's class", "[zk]") {
  Fixture f;
  const auto x = f.samples(1);
  auto prediction = zkcnn::zk::prove_prediction(pcs(), f.model, f.committed.second, f.committed.first,
                                                std::span<const std::int64_t>(x[0]), f.rng);
  REQUIRE(prediction);
  const std::size_t predicted = predicted_class(prediction->output);
  for (std::size_t label = 0; label < 3; ++label) {
    const Labels labels{label};
    const auto proven = f.prove(x, labels);
    CHECK(proven.correct == (label == predicted ? 1u : 0u));
    CHECK(f.verifies(x, labels, proven.correct, proven.proof));
  }
}

TEST_CASE("ties go to the first class of largest score; another tied class is rejected", "[zk]") {
  // A dense layer with zero weights: every score is 0, all three classes tie.
  Architecture a;
  a.name = "ties";
  a.in_channels = 1, a.height = 2, a.width = 2;
  a.layers = {FlattenSpec{}, DenseSpec{3}};
  QuantizedModel model{a, {LayerWeights{}, LayerWeights{std::vector<std::int64_t>(12, 0), std::vector<std::int64_t>(3, 0)}}};
  Fixture f(model);
  const Samples x{{1, 2, 3, 4}};
  for (std::size_t label = 0; label < 3; ++label) {
    const Labels labels{label};
    const auto proven = f.prove(x, labels);
    CHECK(proven.correct == (label == 0 ? 1u : 0u));
    CHECK(f.verifies(x, labels, proven.correct, proven.proof));
  }

  // A prover claiming the last tied class: its one-hot entry moved, differences of zero (the
  // true ones, -1 before the chosen class, have no digits).
  const Labels labels{2};
  auto circuit = zkcnn::zk::ModelCircuit<F>::compile(a, 1, zkcnn::zk::Conclusion::accuracy).value();
  auto witness = circuit.witness(model, std::span(x), std::span(labels)).value();
  const auto& layout = circuit.aux_layout();
  const std::size_t columns = std::size_t{1} << circuit.argmax().choice_column_vars();
  witness.aux[layout.offset(circuit.choice_block())] = F::zero();
  witness.aux[layout.offset(circuit.choice_block()) + 2 * columns] = F::one();
  std::fill_n(witness.aux.begin() + static_cast<std::ptrdiff_t>(layout.offset(circuit.difference_block())),
              std::size_t{1} << layout.block_num_vars(circuit.difference_block()), F::zero());
  const auto& range = circuit.range_layout();
  const auto multiplicities = range.multiplicities(layout, std::span<const F>(witness.aux));
  layout.place(range.multiplicity_block, std::span<const F>(multiplicities), std::span<F>(witness.aux));
  witness.correct = 1;
  zkcnn::zk::ProverProfile profile;
  const auto proof = zkcnn::zk::detail::prove_with_witness(pcs(), circuit, f.committed.second, f.committed.first,
                                                           std::span(x), witness, std::span(labels), profile, f.rng);
  CHECK_FALSE(f.verifies(x, labels, 1, proof));
}

}  // namespace
