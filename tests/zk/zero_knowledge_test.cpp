// Zero knowledge of model proofs (docs/protocol.md section 8, docs/zero-knowledge.md), on the small
// network with every layer kind (the leak and distribution tests are in tests/zk/probes/):
//  - two proofs of one statement differ and both verify;
//  - two models with the same output on the same input give proofs that verify against their
//    own commitment only;
//  - proofs without zero knowledge still verify, and the mode is bound: a proof's mode byte
//    changed is rejected.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/nn/quantized_model.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/precompiled.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/model_proof.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <span>
#include <vector>

#include "support/model_test_support.hpp"

namespace {

using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;
using Samples = std::vector<std::vector<std::int64_t>>;

const Pcs& pcs() {
  static const Pcs scheme("zkcnn zero-knowledge test", 8);
  return scheme;
}

struct Committed {
  zkcnn::nn::QuantizedModel model;
  zkcnn::testing::DeterministicRng rng{3};
  std::pair<zkcnn::zk::ModelCommitment<Pcs>, zkcnn::zk::ModelProverState<Pcs>> committed;

  explicit Committed(zkcnn::nn::QuantizedModel m) : model(std::move(m)), committed(zkcnn::zk::commit_model(pcs(), model, rng).value()) {}
};

Samples inputs(std::size_t batch, std::uint64_t seed) {
  Samples out;
  for (std::size_t b = 0; b < batch; ++b) out.push_back(zkcnn_model_test::every_layer_input(seed + b));
  return out;
}

}  // namespace

TEST_CASE("two zero-knowledge proofs of one statement differ and both verify", "[zk]") {
  Committed c(zkcnn_model_test::every_layer_model(1));
  const auto x = inputs(1, 31);
  auto prove = [&] {
    return zkcnn::zk::prove_model(pcs(), c.model, c.committed.second, c.committed.first,
                                  std::span<const std::vector<std::int64_t>>(x), c.rng)
        .value();
  };
  const auto first = prove();
  const auto second = prove();
  CHECK(first.outputs == second.outputs);
  CHECK(first.proof.bytes != second.proof.bytes);
  CHECK(first.proof.bytes.size() == second.proof.bytes.size());
  for (const auto* proven : {&first, &second}) {
    CHECK(zkcnn::zk::verify_model(pcs(), c.model.architecture, c.committed.first, std::span<const std::vector<std::int64_t>>(x),
                                  std::span<const std::vector<std::int64_t>>(proven->outputs), proven->proof));
  }
}

TEST_CASE("two models with the same output: each proof verifies against its own commitment only", "[zk]") {
  // Model b differs from a in the last dense layer's weights on an input feature that the ReLU
  // before it zeroes for this input, so both give the same outputs.
  Committed a(zkcnn_model_test::every_layer_model(1));
  const std::size_t last = a.model.architecture.layers.size() - 1;
  Samples x;
  std::size_t zeroed = 0;
  for (std::uint64_t seed = 41; x.empty() && seed < 80; ++seed) {
    const auto input = zkcnn_model_test::every_layer_input(seed);
    const auto activations = zkcnn::nn::infer(a.model, input).value();
    const auto& features = activations[last];  // the input of the last layer
    for (std::size_t j = 0; j < features.size(); ++j) {
      if (features[j] == 0) {
        x = {input};
        zeroed = j;
        break;
      }
    }
  }
  REQUIRE_FALSE(x.empty());
  auto other = a.model;
  const std::size_t features = zkcnn::nn::infer(a.model, x[0]).value()[last].size();
  auto& kernel = other.weights[last].kernel;
  for (std::size_t o = 0; o < kernel.size() / features; ++o) kernel[o * features + zeroed] += 1;
  REQUIRE(other.weights != a.model.weights);
  Committed b(other);
  const auto span_x = std::span<const std::vector<std::int64_t>>(x);
  const auto proof_a = zkcnn::zk::prove_model(pcs(), a.model, a.committed.second, a.committed.first, span_x, a.rng).value();
  const auto proof_b = zkcnn::zk::prove_model(pcs(), b.model, b.committed.second, b.committed.first, span_x, b.rng).value();
  REQUIRE(proof_a.outputs == proof_b.outputs);
  const auto y = std::span<const std::vector<std::int64_t>>(proof_a.outputs);
  const auto& arch = a.model.architecture;
  CHECK(zkcnn::zk::verify_model(pcs(), arch, a.committed.first, span_x, y, proof_a.proof));
  CHECK(zkcnn::zk::verify_model(pcs(), arch, b.committed.first, span_x, y, proof_b.proof));
  CHECK_FALSE(zkcnn::zk::verify_model(pcs(), arch, b.committed.first, span_x, y, proof_a.proof));
  CHECK_FALSE(zkcnn::zk::verify_model(pcs(), arch, a.committed.first, span_x, y, proof_b.proof));
}

TEST_CASE("proofs without zero knowledge verify, and a proof's mode is bound", "[zk]") {
  Committed c(zkcnn_model_test::every_layer_model(1));
  const auto x = inputs(2, 51);
  const auto span_x = std::span<const std::vector<std::int64_t>>(x);
  for (const bool zero_knowledge : {false, true}) {
    CAPTURE(zero_knowledge);
    const auto proven =
        zkcnn::zk::prove_model(pcs(), c.model, c.committed.second, c.committed.first, span_x, c.rng, {zero_knowledge}).value();
    const auto y = std::span<const std::vector<std::int64_t>>(proven.outputs);
    CHECK(zkcnn::zk::verify_model(pcs(), c.model.architecture, c.committed.first, span_x, y, proven.proof));
    auto flipped = proven.proof;
    flipped.bytes[1] ^= 1;  // the mode byte
    CHECK_FALSE(zkcnn::zk::verify_model(pcs(), c.model.architecture, c.committed.first, span_x, y, flipped));
    const std::vector<std::size_t> labels{0, 1};
    const auto accuracy = zkcnn::zk::prove_accuracy(pcs(), c.model, c.committed.second, c.committed.first, span_x,
                                                    std::span<const std::size_t>(labels), c.rng, {zero_knowledge})
                              .value();
    CHECK(zkcnn::zk::verify_accuracy(pcs(), c.model.architecture, c.committed.first, span_x,
                                     std::span<const std::size_t>(labels), accuracy.correct, accuracy.proof));
  }
}

TEST_CASE("a batch too large to share the weights' columns: split openings, sound", "[zk]") {
  // 130 samples of the small network: an auxiliary witness of 2^18 entries against weights of
  // 2^5 columns, more than 2^11 rows with them, so the weights and the auxiliary witness are
  // opened separately, linked by a hidden value.
  Committed c(zkcnn_model_test::every_layer_model(1));
  const auto x = inputs(130, 61);
  std::vector<std::size_t> labels(x.size());
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = i % 3;
  const auto span_x = std::span<const std::vector<std::int64_t>>(x);
  const auto span_labels = std::span<const std::size_t>(labels);
  const auto proven =
      zkcnn::zk::prove_accuracy(pcs(), c.model, c.committed.second, c.committed.first, span_x, span_labels, c.rng).value();
  const auto& arch = c.model.architecture;
  const auto& commitment = c.committed.first;
  CHECK(zkcnn::zk::verify_accuracy(pcs(), arch, commitment, span_x, span_labels, proven.correct, proven.proof));
  // The auxiliary commitment (after the version and mode bytes and its length) has its own
  // column count.
  const auto& bytes = proven.proof.bytes;
  zkcnn::io::ByteReader reader(std::span<const std::uint8_t>(bytes).subspan(2));
  auto length = reader.read_u32("length");
  REQUIRE(length);
  auto blob = reader.read_bytes(*length, "aux commitment");
  REQUIRE(blob);
  auto aux = Pcs::decode_commitment(*blob);
  REQUIRE(aux);
  CHECK(aux->column_vars != commitment.weights.column_vars);
  CHECK_FALSE(zkcnn::zk::verify_accuracy(pcs(), arch, commitment, span_x, span_labels, proven.correct + 1, proven.proof));
  for (std::size_t offset = 0; offset < bytes.size(); offset += bytes.size() / 7) {
    auto tampered = proven.proof;
    tampered.bytes[offset] ^= 0x10;
    CHECK_FALSE(zkcnn::zk::verify_accuracy(pcs(), arch, commitment, span_x, span_labels, proven.correct, tampered));
  }
  // Their zero knowledge: the distribution probe's split openings (tests/zk/probes).
}

TEST_CASE("a commitment key too small for a zero-knowledge opening is an error, not a crash", "[zk]") {
  const Pcs small("zkcnn zero-knowledge test, small key", 2);  // 4 generators: a mask needs 8
  zkcnn::testing::DeterministicRng rng(9);
  const auto model = zkcnn_model_test::every_layer_model(1);
  const auto committed = zkcnn::zk::commit_model(small, model, rng).value();
  const auto x = inputs(1, 71);
  const auto span_x = std::span<const std::vector<std::int64_t>>(x);
  const auto proven = zkcnn::zk::prove_model(small, model, committed.second, committed.first, span_x, rng);
  REQUIRE_FALSE(proven);
  CHECK_THAT(proven.error().message, Catch::Contains("too small for a zero-knowledge opening"));
  // Without zero knowledge the same key proves.
  CHECK(zkcnn::zk::prove_model(small, model, committed.second, committed.first, span_x, rng, {false}));
}
