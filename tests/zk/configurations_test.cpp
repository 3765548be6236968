// The model proof in every configuration the library promises (zk/model_proof.hpp over
// ModelCommitmentScheme): Hyrax over BN254 and over BLS12-381, Hyrax over secp256k1 adapted
// through group_traits alone (libsecp256k1, where installed: examples/custom_backend), and
// Goldilocks tables with every sumcheck, FFT convolution, lookup and argmax in Goldilocks^2
// (with the test-only revealing scheme, support/revealing_scheme.hpp, until a hash-based scheme
// models the concept). In each: predictions and accuracy on the every-layer network, on a
// residual graph and on LeNet-5, in zero knowledge and plain, rejection of wrong statements and tampered bytes, and
// the same bytes for any thread count.

#include <zkcnn/detail/parallel.hpp>
#include <zkcnn/ec/bls12_381_g1.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/pcs/ligero.hpp>
#include <zkcnn/precompiled.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/model_proof.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include "support/model_test_support.hpp"
#include "support/revealing_scheme.hpp"

#if defined(ZKCNN_TEST_SECP256K1)
#include "custom_backend/secp256k1_backend.hpp"
#endif

namespace {

using Samples = std::vector<std::vector<std::int64_t>>;

template <class G>
struct HyraxOver {
  using Scheme = zkcnn::Hyrax<G>;
  static const Scheme& scheme() {
    static const Scheme hyrax("zkcnn configurations test", 8);
    return hyrax;
  }
};

struct GoldilocksLigero {
  using Scheme = zkcnn::pcs::Ligero<zkcnn::Goldilocks, zkcnn::GoldilocksExt2>;
  static const Scheme& scheme() {
    // A commitment hiding through one proof keeps the tests' codewords short (1024 columns).
    static const Scheme ligero(zkcnn::pcs::LigeroParameters{100, 2, 1});
    return ligero;
  }
};

struct GoldilocksRevealing {
  using Scheme = zkcnn::testing::RevealingScheme<zkcnn::Goldilocks, zkcnn::GoldilocksExt2>;
  static const Scheme& scheme() {
    static const Scheme revealing;
    return revealing;
  }
};

using Configurations = std::tuple<HyraxOver<zkcnn::bn254::G1>, HyraxOver<zkcnn::bls12_381::G1>,
#if defined(ZKCNN_TEST_SECP256K1)
                                  HyraxOver<secp256k1_backend::Point>,
#endif
                                  GoldilocksLigero, GoldilocksRevealing>;

template <class Config>
struct Setup {
  using Scheme = typename Config::Scheme;
  explicit Setup(zkcnn::nn::QuantizedModel m) : model(std::move(m)) {}

  zkcnn::nn::QuantizedModel model;
  zkcnn::testing::DeterministicRng rng{11};
  std::pair<zkcnn::zk::ModelCommitment<Scheme>, zkcnn::zk::ModelProverState<Scheme>> committed =
      zkcnn::zk::commit_model(Config::scheme(), model, rng).value();

  Samples inputs(std::size_t batch, std::size_t bits) const {
    Samples out;
    for (std::size_t b = 0; b < batch; ++b) out.push_back(zkcnn::nn::zoo::random_input(model.architecture, 40 + b, bits));
    return out;
  }

  zkcnn::Status verify(const Samples& x, const Samples& y, const zkcnn::zk::ModelProof& proof) const {
    return zkcnn::zk::verify_model(Config::scheme(), model.architecture, committed.first,
                                   std::span<const std::vector<std::int64_t>>(x),
                                   std::span<const std::vector<std::int64_t>>(y), proof);
  }
};

zkcnn::nn::QuantizedModel lenet5() {
  const auto architecture = zkcnn::nn::zoo::lenet5();
  return zkcnn::nn::zoo::random_model(architecture, 3, zkcnn::nn::zoo::random_input(architecture, 4, 8)).value();
}

template <class Config>
void check_predictions(Setup<Config>& s, std::size_t bits, bool zero_knowledge) {
  const Samples x = s.inputs(2, bits);
  auto proven = zkcnn::zk::prove_model(Config::scheme(), s.model, s.committed.second, s.committed.first,
                                       std::span<const std::vector<std::int64_t>>(x), s.rng, {zero_knowledge, {}});
  REQUIRE(proven);
  CHECK(zkcnn::zk::is_zero_knowledge(proven->proof) == zero_knowledge);
  REQUIRE(s.verify(x, proven->outputs, proven->proof));

  Samples wrong_output = proven->outputs;
  wrong_output[1][0] += 1;
  CHECK_FALSE(s.verify(x, wrong_output, proven->proof));
  Samples wrong_input = x;
  wrong_input[0][3] += 1;
  CHECK_FALSE(s.verify(wrong_input, proven->outputs, proven->proof));
  const auto& bytes = proven->proof.bytes;
  for (std::size_t position = 0; position < bytes.size(); position += bytes.size() / 97 + 1) {
    auto tampered = proven->proof;
    tampered.bytes[position] ^= 0x10;
    INFO("byte " << position << " of " << bytes.size());
    CHECK_FALSE(s.verify(x, proven->outputs, tampered));
  }
  CHECK_FALSE(s.verify(x, proven->outputs, zkcnn::zk::ModelProof{{bytes.begin(), bytes.end() - 1}}));
}

// An accuracy proof of the model's count verifies, and a count one off does not.
template <class Config>
void check_accuracy(Setup<Config>& s, const Samples& x, const std::vector<std::size_t>& labels) {
  const auto span_x = std::span<const std::vector<std::int64_t>>(x);
  auto proven = zkcnn::zk::prove_accuracy(Config::scheme(), s.model, s.committed.second, s.committed.first, span_x,
                                          std::span<const std::size_t>(labels), s.rng);
  REQUIRE(proven);
  const auto verify = [&](std::size_t correct) {
    return zkcnn::zk::verify_accuracy(Config::scheme(), s.model.architecture, s.committed.first, span_x,
                                      std::span<const std::size_t>(labels), correct, proven->proof);
  };
  CHECK(verify(proven->correct));
  CHECK_FALSE(verify(proven->correct == 0 ? 1 : proven->correct - 1));
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("every-layer predictions verify and bind their statement in every configuration",
                        "[zk][configurations]", Configurations) {
  Setup<TestType> s(zkcnn_model_test::every_layer_model(1));
  for (bool zero_knowledge : {true, false}) {
    INFO("zero knowledge " << zero_knowledge);
    check_predictions(s, 4, zero_knowledge);
  }
}

TEMPLATE_LIST_TEST_CASE("LeNet-5 predictions and accuracy in every configuration", "[zk][configurations]",
                        Configurations) {
  Setup<TestType> s(lenet5());
  check_predictions(s, 8, true);

  check_accuracy(s, s.inputs(3, 8), {1, 4, 7});
}

TEMPLATE_LIST_TEST_CASE("residual graphs: predictions and accuracy verify and bind their edges in every configuration",
                        "[zk][configurations][residual]", Configurations) {
  Setup<TestType> s(zkcnn_model_test::residual_model(1));
  for (bool zero_knowledge : {true, false}) {
    INFO("zero knowledge " << zero_knowledge);
    check_predictions(s, 4, zero_knowledge);
  }
  const Samples x = s.inputs(3, 4);
  const auto span_x = std::span<const std::vector<std::int64_t>>(x);
  // The proven outputs are integer inference's, additions aligned.
  auto proven = zkcnn::zk::prove_model(TestType::scheme(), s.model, s.committed.second, s.committed.first, span_x, s.rng);
  REQUIRE(proven);
  for (std::size_t b = 0; b < x.size(); ++b) CHECK(proven->outputs[b] == zkcnn::nn::infer(s.model, x[b])->back());
  // The same layers with the projection reading another tensor of its shape: another graph.
  auto rewired = s.model.architecture;
  rewired.reads[8] = {3};
  CHECK_FALSE(zkcnn::zk::verify_model(TestType::scheme(), rewired, s.committed.first, span_x,
                                      std::span<const std::vector<std::int64_t>>(proven->outputs), proven->proof));

  check_accuracy(s, x, {0, 1, 2});
}

TEMPLATE_LIST_TEST_CASE("commitments and proofs are the same bytes for any thread count in every configuration",
                        "[zk][configurations][threads]", Configurations) {
  struct ThreadCountReset {
    ~ThreadCountReset() { zkcnn::set_thread_count(0); }
  } reset;
  const auto model = zkcnn_model_test::every_layer_model(2);
  auto run = [&](std::size_t threads) {
    zkcnn::set_thread_count(threads);
    Setup<TestType> s(model);
    const Samples x = s.inputs(2, 4);
    auto proven = zkcnn::zk::prove_model(TestType::scheme(), s.model, s.committed.second, s.committed.first,
                                         std::span<const std::vector<std::int64_t>>(x), s.rng);
    REQUIRE(proven);
    return std::pair{s.committed.first.serialize(), std::move(proven->proof.bytes)};
  };
  CHECK(run(3) == run(1));
}
