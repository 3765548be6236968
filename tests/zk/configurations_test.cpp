// Model proofs whose field is an extension of the committed tables' field (zk/model_proof.hpp
// over Goldilocks tables with Goldilocks^2 challenges): every sumcheck, the FFT convolutions,
// the range check's fraction tree and the argmax gadget run in the extension, the committed
// tables stay in the base field. The commitment scheme is the test-only revealing one
// (support/revealing_scheme.hpp), so what is tested is the pipeline: completeness, in zero
// knowledge and plain, for predictions and accuracy on the every-layer network and on
// LeNet-5, and rejection of wrong statements and tampered bytes.

#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/model_proof.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "support/model_test_support.hpp"
#include "support/revealing_scheme.hpp"

namespace {

using Scheme = zkcnn::testing::RevealingScheme<zkcnn::Goldilocks, zkcnn::GoldilocksExt2>;
using Samples = std::vector<std::vector<std::int64_t>>;
static_assert(zkcnn::ModelCommitmentScheme<Scheme>);

struct Setup {
  explicit Setup(zkcnn::nn::QuantizedModel m) : model(std::move(m)) {}

  zkcnn::nn::QuantizedModel model;
  Scheme scheme;
  zkcnn::testing::DeterministicRng rng{11};
  std::pair<zkcnn::zk::ModelCommitment<Scheme>, zkcnn::zk::ModelProverState<Scheme>> committed =
      zkcnn::zk::commit_model(scheme, model, rng).value();

  Samples inputs(std::size_t batch, std::size_t bits) const {
    Samples out;
    for (std::size_t b = 0; b < batch; ++b) out.push_back(zkcnn::nn::zoo::random_input(model.architecture, 40 + b, bits));
    return out;
  }
};

zkcnn::nn::QuantizedModel lenet5() {
  const auto architecture = zkcnn::nn::zoo::lenet5();
  return zkcnn::nn::zoo::random_model(architecture, 3, zkcnn::nn::zoo::random_input(architecture, 4, 8)).value();
}

void check_predictions(Setup& s, std::size_t bits, bool zero_knowledge) {
  const Samples x = s.inputs(2, bits);
  const auto span_x = std::span<const std::vector<std::int64_t>>(x);
  auto proven = zkcnn::zk::prove_model(s.scheme, s.model, s.committed.second, s.committed.first, span_x, s.rng,
                                       {zero_knowledge, {}});
  REQUIRE(proven);
  CHECK(zkcnn::zk::is_zero_knowledge(proven->proof) == zero_knowledge);
  const auto verify = [&](const Samples& inputs, const Samples& outputs, const zkcnn::zk::ModelProof& proof) {
    return zkcnn::zk::verify_model(s.scheme, s.model.architecture, s.committed.first,
                                   std::span<const std::vector<std::int64_t>>(inputs),
                                   std::span<const std::vector<std::int64_t>>(outputs), proof);
  };
  REQUIRE(verify(x, proven->outputs, proven->proof));

  Samples wrong_output = proven->outputs;
  wrong_output[1][0] += 1;
  CHECK_FALSE(verify(x, wrong_output, proven->proof));
  Samples wrong_input = x;
  wrong_input[0][3] += 1;
  CHECK_FALSE(verify(wrong_input, proven->outputs, proven->proof));
  const auto& bytes = proven->proof.bytes;
  for (std::size_t position = 2; position < bytes.size(); position += bytes.size() / 97 + 1) {
    auto tampered = proven->proof;
    tampered.bytes[position] ^= 0x10;
    INFO("byte " << position << " of " << bytes.size());
    CHECK_FALSE(verify(x, proven->outputs, tampered));
  }
}

}  // namespace

TEST_CASE("every-layer proofs over Goldilocks with Goldilocks^2 challenges verify and bind their statement",
          "[zk][extension]") {
  Setup s(zkcnn_model_test::every_layer_model(1));
  for (bool zero_knowledge : {true, false}) {
    INFO("zero knowledge " << zero_knowledge);
    check_predictions(s, 4, zero_knowledge);
  }
}

TEST_CASE("LeNet-5 predictions and accuracy over Goldilocks with Goldilocks^2 challenges", "[zk][extension]") {
  Setup s(lenet5());
  check_predictions(s, 8, true);

  const Samples x = s.inputs(3, 8);
  const auto span_x = std::span<const std::vector<std::int64_t>>(x);
  const std::vector<std::size_t> labels{1, 4, 7};
  auto proven = zkcnn::zk::prove_accuracy(s.scheme, s.model, s.committed.second, s.committed.first, span_x,
                                          std::span<const std::size_t>(labels), s.rng);
  REQUIRE(proven);
  const auto verify = [&](std::size_t correct, const std::vector<std::size_t>& claimed_labels) {
    return zkcnn::zk::verify_accuracy(s.scheme, s.model.architecture, s.committed.first, span_x,
                                      std::span<const std::size_t>(claimed_labels), correct, proven->proof);
  };
  CHECK(verify(proven->correct, labels));
  CHECK_FALSE(verify(proven->correct == 0 ? 1 : proven->correct - 1, labels));
}
