// Proofs that a committed CNN maps public inputs to public outputs (zk/model_proof.hpp): on a
// small network with every layer kind (FFT and direct convolutions, rescale-ReLU, max and
// average pooling, flatten, dense), completeness for single inputs and batches, and rejection
// of a wrong output, a wrong input, another model's commitment, weights other than the
// committed ones, another architecture, and tampered, truncated or random proof bytes;
// witness overflow is reported with the layer's name; commitments and proofs do not depend on
// the thread count.

#include <zkcnn/detail/parallel.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/precompiled.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/random/os_rng.hpp>
#include <zkcnn/zk/model_proof.hpp>
#include <zkcnn/zk/prediction.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include "support/model_test_support.hpp"

namespace {

using namespace zkcnn::nn;
using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;
using Samples = std::vector<std::vector<std::int64_t>>;

const Pcs& pcs() {
  static const Pcs scheme("zkcnn model proof test", 8);
  return scheme;
}

struct Fixture {
  QuantizedModel model = zkcnn_model_test::every_layer_model(1);
  zkcnn::testing::DeterministicRng rng{7};
  std::pair<zkcnn::zk::ModelCommitment<Pcs>, zkcnn::zk::ModelProverState<Pcs>> committed =
      zkcnn::zk::commit_model(pcs(), model, rng).value();

  Samples inputs(std::size_t batch, std::uint64_t seed = 5) const {
    Samples out;
    for (std::size_t b = 0; b < batch; ++b) out.push_back(zoo::random_input(model.architecture, seed + b, 4));
    return out;
  }

  zkcnn::zk::ProvenBatch<Pcs> prove(const Samples& x) {
    auto proven = zkcnn::zk::prove_model(pcs(), model, committed.second, committed.first, std::span<const std::vector<std::int64_t>>(x), rng);
    REQUIRE(proven);
    return std::move(*proven);
  }

  zkcnn::Status verify(const Samples& x, const Samples& y, const zkcnn::zk::ModelProof& proof,
                       const Architecture* architecture = nullptr) const {
    return zkcnn::zk::verify_model(pcs(), architecture ? *architecture : model.architecture, committed.first,
                                   std::span<const std::vector<std::int64_t>>(x), std::span<const std::vector<std::int64_t>>(y),
                                   proof);
  }
};

// Provers take a CryptoRng only: a standard library engine, whose draws repeat with its seed,
// does not compile as the source of a proof's blinding factors and masks.
template <class Rng>
concept ProvesWith = requires(Rng& rng, const QuantizedModel& model, std::span<const std::int64_t> input,
                              const zkcnn::zk::ModelCommitment<Pcs>& commitment,
                              const zkcnn::zk::ModelProverState<Pcs>& state) {
  zkcnn::zk::commit_model(pcs(), model, rng);
  zkcnn::zk::prove_prediction(pcs(), model, state, commitment, input, rng);
  pcs().commit(std::span<const Pcs::Scalar>(), 1, rng);
};
static_assert(ProvesWith<zkcnn::OsRng>);
static_assert(ProvesWith<zkcnn::testing::DeterministicRng>);
static_assert(!ProvesWith<std::mt19937_64>);
static_assert(!ProvesWith<std::minstd_rand>);

TEST_CASE("model proofs verify and carry the integer inference's outputs", "[zk]") {
  Fixture f;
  for (std::size_t batch : {1, 3}) {
    const auto x = f.inputs(batch);
    const auto proven = f.prove(x);
    REQUIRE(proven.outputs.size() == batch);
    for (std::size_t b = 0; b < batch; ++b) CHECK(proven.outputs[b] == infer(f.model, x[b])->back());
    CHECK(f.verify(x, proven.outputs, proven.proof));
  }
}

TEST_CASE("prediction proofs are model proofs of one sample", "[zk]") {
  Fixture f;
  const auto x = f.inputs(1).front();
  auto prediction = zkcnn::zk::prove_prediction(pcs(), f.model, f.committed.second, f.committed.first,
                                                std::span<const std::int64_t>(x), f.rng);
  REQUIRE(prediction);
  CHECK(prediction->output == infer(f.model, x)->back());
  CHECK(zkcnn::zk::verify_prediction(pcs(), f.model.architecture, f.committed.first, std::span<const std::int64_t>(x),
                                     std::span<const std::int64_t>(prediction->output), prediction->proof));
  auto wrong = prediction->output;
  wrong[0] -= 1;
  CHECK_FALSE(zkcnn::zk::verify_prediction(pcs(), f.model.architecture, f.committed.first, std::span<const std::int64_t>(x),
                                           std::span<const std::int64_t>(wrong), prediction->proof));
}

TEST_CASE("model proofs reject a wrong statement", "[zk]") {
  Fixture f;
  const auto x = f.inputs(1);
  const auto proven = f.prove(x);
  REQUIRE(f.verify(x, proven.outputs, proven.proof));

  SECTION("every output entry changed") {
    for (std::size_t k = 0; k < proven.outputs[0].size(); ++k) {
      auto y = proven.outputs;
      y[0][k] += 1;
      CHECK_FALSE(f.verify(x, y, proven.proof));
    }
  }
  SECTION("input entries changed") {
    for (std::size_t k = 0; k < x[0].size(); k += 7) {
      auto wrong = x;
      wrong[0][k] += 1;
      CHECK_FALSE(f.verify(wrong, proven.outputs, proven.proof));
    }
  }
  SECTION("another architecture") {
    auto other = f.model.architecture;
    std::get<RescaleReluSpec>(other.layers[4]).shift += 1;
    CHECK_FALSE(f.verify(x, proven.outputs, proven.proof, &other));
    other = f.model.architecture;
    other.name = "renamed";
    CHECK_FALSE(f.verify(x, proven.outputs, proven.proof, &other));
    other = f.model.architecture;
    std::get<Conv2dSpec>(other.layers[0]).algorithm = ConvAlgorithm::direct;
    CHECK_FALSE(f.verify(x, proven.outputs, proven.proof, &other));
  }
  SECTION("a key of another size or domain") {
    // The proof binds its key: the same generators' prefix under a larger key, or another
    // domain's generators, do not verify it.
    const Pcs larger("zkcnn model proof test", 9);
    const Pcs other_domain("zkcnn model proof test, another domain", 8);
    for (const Pcs* key : {&larger, &other_domain}) {
      CHECK_FALSE(zkcnn::zk::verify_model(*key, f.model.architecture, f.committed.first,
                                          std::span<const std::vector<std::int64_t>>(x),
                                          std::span<const std::vector<std::int64_t>>(proven.outputs), proven.proof));
    }
  }
  SECTION("another model's commitment") {
    Fixture g;
    g.model = zkcnn_model_test::every_layer_model(2);
    g.committed = zkcnn::zk::commit_model(pcs(), g.model, g.rng).value();
    CHECK_FALSE(g.verify(x, proven.outputs, proven.proof));
  }
  SECTION("weights other than the committed ones") {
    // The prover holds model 2's weights but presents model 1's commitment.
    auto other = zkcnn_model_test::every_layer_model(2);
    auto other_state = zkcnn::zk::commit_model(pcs(), other, f.rng).value().second;
    auto forged = zkcnn::zk::prove_model(pcs(), other, other_state, f.committed.first,
                                         std::span<const std::vector<std::int64_t>>(x), f.rng);
    REQUIRE(forged);
    CHECK_FALSE(f.verify(x, forged->outputs, forged->proof));
  }
}

TEST_CASE("model proofs reject tampered, truncated and random bytes", "[zk]") {
  Fixture f;
  const auto x = f.inputs(1);
  const auto proven = f.prove(x);
  const auto& bytes = proven.proof.bytes;
  for (std::size_t position = 0; position < bytes.size(); position += 61) {
    auto tampered = proven.proof;
    tampered.bytes[position] ^= 0x01;
    INFO("byte " << position << " of " << bytes.size());
    CHECK_FALSE(f.verify(x, proven.outputs, tampered));
  }
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, bytes.size() / 3, bytes.size() - 1}) {
    CHECK_FALSE(f.verify(x, proven.outputs, zkcnn::zk::ModelProof{{bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)}}));
  }
  auto longer = proven.proof;
  longer.bytes.push_back(0);
  CHECK_FALSE(f.verify(x, proven.outputs, longer));
  zkcnn::testing::DeterministicRng noise(3);
  for (int trial = 0; trial < 10; ++trial) {
    zkcnn::zk::ModelProof random{std::vector<std::uint8_t>(bytes.size())};
    for (auto& b : random.bytes) b = static_cast<std::uint8_t>(noise());
    random.bytes[0] = zkcnn::zk::model_proof_version;
    CHECK_FALSE(f.verify(x, proven.outputs, random));
  }
}

TEST_CASE("the prover's profile charges time to every kind of work the model has", "[zk]") {
  // every_layer_model has FFT and direct convolutions, dense, bias, ReLU and pooling layers.
  Fixture f;
  const auto proven = f.prove(f.inputs(1));
  for (const zkcnn::ProverPhase phase : zkcnn::all_prover_phases()) {
    INFO(zkcnn::phase_name(phase));
    CHECK(proven.profile[phase] > 0);
  }
}

TEST_CASE("the prover reports its progress: rising, to the total, after every part", "[zk]") {
  Fixture f;
  const auto x = f.inputs(2);
  for (const bool zero_knowledge : {true, false}) {
    CAPTURE(zero_knowledge);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> reports;
    zkcnn::zk::ProverOptions options{zero_knowledge};
    options.progress = [&](std::uint64_t done, std::uint64_t total) { reports.emplace_back(done, total); };
    const auto proven = zkcnn::zk::prove_model(pcs(), f.model, f.committed.second, f.committed.first,
                                               std::span<const std::vector<std::int64_t>>(x), f.rng, options);
    REQUIRE(proven);
    // One report per layer step, then the public input, the range check and the openings.
    const auto circuit = zkcnn::zk::ModelCircuit<Pcs::Scalar>::compile(f.model.architecture, x.size()).value();
    CHECK(reports.size() == circuit.steps().size() + 3);
    for (std::size_t i = 0; i < reports.size(); ++i) {
      CHECK(reports[i].second == reports.front().second);
      CHECK(reports[i].first > (i == 0 ? 0 : reports[i - 1].first));
    }
    CHECK(reports.back().first == reports.back().second);
  }
}

TEST_CASE("the commitment reports every row, one at a time, and is the same with or without", "[zk]") {
  struct ThreadCountReset {
    ~ThreadCountReset() { zkcnn::set_thread_count(0); }
  } reset;
  const QuantizedModel model = zkcnn_model_test::every_layer_model(1);
  for (const std::size_t threads : {1, 2, 3}) {
    CAPTURE(threads);
    zkcnn::set_thread_count(threads);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> reports;
    zkcnn::testing::DeterministicRng reporting_rng{3}, quiet_rng{3};
    const auto reported = zkcnn::zk::commit_model(pcs(), model, reporting_rng, [&](std::uint64_t done, std::uint64_t total) {
                            reports.emplace_back(done, total);
                          }).value();
    const auto quiet = zkcnn::zk::commit_model(pcs(), model, quiet_rng).value();
    CHECK(reported.first.serialize() == quiet.first.serialize());
    const std::size_t rows = reported.first.weights.rows.size();
    REQUIRE(rows > 1);
    REQUIRE(reports.size() == rows);
    for (std::size_t i = 0; i < rows; ++i) CHECK(reports[i] == std::pair<std::uint64_t, std::uint64_t>{i + 1, rows});
  }
}

TEST_CASE("commitments and proofs are the same bytes for any thread count", "[zk][threads]") {
  struct ThreadCountReset {
    ~ThreadCountReset() { zkcnn::set_thread_count(0); }
  } reset;
  const QuantizedModel model = zkcnn_model_test::every_layer_model(1);
  Samples x;
  for (std::uint64_t b = 0; b < 3; ++b) x.push_back(zoo::random_input(model.architecture, 5 + b, 4));
  // One commitment and one proof of each mode per thread count, from one seed.
  auto run = [&](std::size_t threads) {
    zkcnn::set_thread_count(threads);
    zkcnn::testing::DeterministicRng rng{11};
    auto [commitment, state] = zkcnn::zk::commit_model(pcs(), model, rng).value();
    std::vector<std::vector<std::uint8_t>> bytes{commitment.serialize()};
    for (const bool zero_knowledge : {true, false}) {
      auto proven = zkcnn::zk::prove_model(pcs(), model, state, commitment, std::span<const std::vector<std::int64_t>>(x),
                                           rng, {zero_knowledge});
      REQUIRE(proven);
      bytes.push_back(std::move(proven->proof.bytes));
    }
    return bytes;
  };
  const auto single = run(1);
  for (const std::size_t threads : {2, 3, 8}) {
    INFO(threads << " threads");
    CHECK(run(threads) == single);
  }
  // LeNet-5's tables are large enough for the sumcheck rounds, eq tables, high-variable binding,
  // convolution transforms and digit tables to be split across threads.
  const QuantizedModel lenet =
      zoo::random_model(zoo::lenet5(), 1, zoo::random_input(zoo::lenet5(), 2)).value();
  const std::vector<std::vector<std::int64_t>> lenet_input{zoo::random_input(lenet.architecture, 3)};
  auto prove_lenet = [&](std::size_t threads) {
    zkcnn::set_thread_count(threads);
    zkcnn::testing::DeterministicRng rng{12};
    auto [commitment, state] = zkcnn::zk::commit_model(pcs(), lenet, rng).value();
    auto proven = zkcnn::zk::prove_model(pcs(), lenet, state, commitment,
                                         std::span<const std::vector<std::int64_t>>(lenet_input), rng);
    REQUIRE(proven);
    return std::pair{commitment.serialize(), std::move(proven->proof.bytes)};
  };
  CHECK(prove_lenet(3) == prove_lenet(1));
}

TEST_CASE("entries in the padding of committed weights cannot change the outputs", "[zk]") {
  // A hidden unit smuggled into the padding of a 3-unit dense layer: it reads input 3, has
  // bias 100 and weight 1000 into output 0. A prover that computes with the padded rows claims
  // outputs the architecture's model cannot produce; the verifier must reject them.
  using F = Pcs::Scalar;
  Architecture a;
  a.name = "mlp";
  a.in_channels = 4;
  a.layers = {FlattenSpec{}, DenseSpec{3}, RescaleReluSpec{16, 0}, DenseSpec{2}};
  QuantizedModel model{a, {{}, {{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0}, {0, 0, 0}}, {}, {{1, 1, 1, 1, -1, 0}, {0, 0}}}};
  const auto circuit = zkcnn::zk::ModelCircuit<F>::compile(a, 1).value();
  auto weights = circuit.weights_integers(model);
  const auto& layout = circuit.weights_layout();
  weights[layout.offset(0) + ((3u << 2) | 3u)] = 1;
  weights[layout.offset(1) + 3] = 100;
  weights[layout.offset(2) + ((0u << 2) | 3u)] = 1000;
  zkcnn::testing::DeterministicRng rng(11);
  const auto field_weights = zkcnn::nn::to_field<F>(weights);
  auto [commitment, opening] = pcs().commit(std::span<const F>(field_weights), layout.num_vars(), rng);
  const zkcnn::zk::ModelProverState<Pcs> state{weights, std::move(opening)};
  const zkcnn::zk::ModelCommitment<Pcs> model_commitment{std::move(commitment)};

  // The cheating witness: every layer computed over whole padded rows.
  const Samples x{{3, 4, 5, 6}};
  typename zkcnn::zk::ModelCircuit<F>::Witness witness;
  witness.tensors.resize(circuit.tensor_count());
  witness.aux.assign(circuit.aux_layout().size(), F::zero());
  witness.tensors[0] = circuit.tensor_table(0, x);
  for (const auto& step : circuit.steps()) {
    if (const auto* dense = std::get_if<zkcnn::nn::DenseLayer<F>>(&step.layer)) {
      const std::size_t row = dense->weight_shape().dim(1), outputs = dense->output_shape().padded_size();
      const F* w = field_weights.data() + layout.offset(step.inputs[0].index);
      const auto& input = witness.tensors[step.inputs[1].index];
      std::vector<F> y(outputs, F::zero());
      for (std::size_t o = 0; o < outputs; ++o)
        for (std::size_t i = 0; i < row; ++i) y[o] += w[o * row + i] * input[i];
      witness.tensors[step.output] = y;
    } else if (const auto* bias = std::get_if<zkcnn::nn::BiasLayer<F>>(&step.layer)) {
      const std::span<const F> inputs[] = {witness.tensors[step.inputs[0].index],
                                           std::span<const F>(field_weights).subspan(layout.offset(step.inputs[1].index),
                                                                                          std::size_t{1} << layout.block_num_vars(step.inputs[1].index))};
      witness.tensors[step.output] = bias->forward(std::span<const std::span<const F>>(inputs));
    } else if (const auto* relu = std::get_if<zkcnn::nn::RescaleReluLayer<F>>(&step.layer)) {
      const auto digits = relu->witness(witness.tensors[step.inputs[0].index]).value();
      circuit.aux_layout().place(step.inputs[1].index, std::span<const F>(digits), std::span<F>(witness.aux));
      const std::span<const F> inputs[] = {witness.tensors[step.inputs[0].index], digits};
      witness.tensors[step.output] = relu->forward(std::span<const std::span<const F>>(inputs));
    }
  }
  const auto& range = circuit.range_layout();
  const auto multiplicities = range.multiplicities(circuit.aux_layout(), std::span<const F>(witness.aux));
  circuit.aux_layout().place(range.multiplicity_block, std::span<const F>(multiplicities), std::span<F>(witness.aux));
  const auto& out = circuit.tensor(circuit.output_tensor());
  witness.outputs = {{}};
  for (std::size_t j = 0; j < 2; ++j) {
    witness.outputs[0].push_back(*zkcnn::nn::to_small_integer(witness.tensors[circuit.output_tensor()][out.position(0, j)]));
  }
  REQUIRE(witness.outputs[0] != infer(model, x[0])->back());  // the smuggled unit changed them

  zkcnn::zk::ProverProfile profile;
  const auto proof = zkcnn::zk::detail::prove_with_witness(pcs(), circuit, state, model_commitment,
                                                           std::span<const std::vector<std::int64_t>>(x), witness, {},
                                                           profile, rng);
  CHECK_FALSE(zkcnn::zk::verify_model(pcs(), a, model_commitment, std::span<const std::vector<std::int64_t>>(x),
                                      std::span<const std::vector<std::int64_t>>(witness.outputs), proof));
}

TEST_CASE("witness generation names the layer whose accumulator overflows", "[zk]") {
  Fixture f;
  auto narrow = f.model;
  std::get<RescaleReluSpec>(narrow.architecture.layers[4]).bits = 2;
  std::get<RescaleReluSpec>(narrow.architecture.layers[4]).shift = 0;
  const auto x = f.inputs(1);
  auto proven = zkcnn::zk::prove_model(pcs(), narrow, f.committed.second, f.committed.first,
                                       std::span<const std::vector<std::int64_t>>(x), f.rng);
  REQUIRE_FALSE(proven);
  CHECK_THAT(proven.error().message, Catch::Contains("layer 4 (rescale-relu)") && Catch::Contains("2-bit"));
}

TEST_CASE("a prover state whose table is not the architecture's is refused", "[zk]") {
  Fixture f;
  auto state = f.committed.second;
  state.weights.pop_back();
  const auto x = f.inputs(1);
  auto proven = zkcnn::zk::prove_model(pcs(), f.model, state, f.committed.first, std::span<const std::vector<std::int64_t>>(x), f.rng);
  REQUIRE_FALSE(proven);
  CHECK_THAT(proven.error().message, Catch::Contains("prover state"));
}

}  // namespace
