// The custom layer of examples/custom_layer (custom_layer::SquareLayer, square_layer.hpp):
//  - the concepts it models;
//  - one proof by hand: 2^5 random inputs over BN254 Fr, forward, a true claim at a
//    random point, prove, write/read round trip, verify gives the same input claims (true ones),
//    and a wrong claim value and every single modified proof byte are rejected;
//  - the library's own layer harness (tests/support/layer_test_support.hpp), as the built-in
//    layers' tests use it: check_layer (plain, Fr and Goldilocks) and check_layer_zero_knowledge
//    (BN254 G1 mask commitment, MaskingTranscript);
//  - several claims combined inside the sumcheck (gkr::CombinesClaims);
//  - the gamma combination: a cheating prover that sends X~(u) and X'~(u) from different tables
//    whose product still satisfies the sumcheck passes the step but leaves a false input claim.

#include <catch2/catch.hpp>

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/gkr/claim_merge.hpp>
#include <zkcnn/gkr/layer.hpp>
#include <zkcnn/gkr/sumcheck_step.hpp>
#include <zkcnn/io/byte_stream.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>
#include <zkcnn/zk/masking_transcript.hpp>

#include "custom_layer/square_layer.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using Fr = zkcnn::bn254::Fr;
using custom_layer::SquareLayer;
using zkcnn_layer_test::views;

using ZkTranscript = zkcnn::zk::MaskingTranscript<zkcnn_layer_test::MaskedRun<zkcnn::bn254::G1>::Prover>;
static_assert(zkcnn::gkr::Layer<SquareLayer<Fr>, Fr, zkcnn::Sha256Transcript>);
static_assert(zkcnn::gkr::CombinesClaims<SquareLayer<Fr>, Fr, zkcnn::Sha256Transcript>);
static_assert(zkcnn::gkr::Layer<SquareLayer<Fr>, Fr, ZkTranscript>);
static_assert(zkcnn::gkr::Layer<SquareLayer<zkcnn::Goldilocks>, zkcnn::Goldilocks, zkcnn::Sha256Transcript>);

template <class F, class L>
bool verifies_with_true_claims(const L& layer, const zkcnn::gkr::Claim<F>& claim, const typename L::Proof& proof,
                               const std::vector<std::vector<F>>& inputs) {
  auto t = zkcnn_layer_test::transcript();
  auto result = layer.verify(claim, proof, t);
  return result && zkcnn_layer_test::input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*result), inputs);
}

}  // namespace

TEST_CASE("SquareLayer::forward squares entry by entry", "[square]") {
  zkcnn::testing::DeterministicRng rng(0x5351);
  const SquareLayer<Fr> layer(5);
  const std::vector<std::vector<Fr>> inputs{zkcnn_layer_test::random_table<Fr>(rng, 20)};  // short: zero-padded
  const auto y = layer.forward(views(inputs));
  REQUIRE(y.size() == 32);
  for (std::size_t x = 0; x < 32; ++x) CHECK(y[x] == (x < 20 ? inputs[0][x] * inputs[0][x] : Fr::zero()));
  const std::vector<std::vector<Fr>> too_long{std::vector<Fr>(33, Fr::one())};
  CHECK_THROWS_AS(layer.forward(views(too_long)), std::invalid_argument);
  CHECK_THROWS_AS(SquareLayer<Fr>(63), std::invalid_argument);
}

TEST_CASE("SquareLayer: one proof by hand (2^5 entries, BN254 Fr)", "[square]") {
  zkcnn::testing::DeterministicRng rng(0x5352);
  const SquareLayer<Fr> layer(5);
  const std::vector<std::vector<Fr>> inputs{zkcnn_layer_test::random_table<Fr>(rng, 32)};
  const auto y = layer.forward(views(inputs));
  const auto r = zkcnn_layer_test::random_point<Fr>(rng, 5);
  const zkcnn::gkr::Claim<Fr> claim{r, zkcnn::evaluate_multilinear(std::span<const Fr>(y), std::span<const Fr>(r))};

  auto prover_transcript = zkcnn::Sha256Transcript("square check");
  const auto proven = layer.prove(views(inputs), claim, prover_transcript);
  REQUIRE(proven.input_claims.size() == 1);
  const auto& input_claim = proven.input_claims[0].claim;
  CHECK(proven.input_claims[0].input == 0);
  CHECK(input_claim.point.size() == 5);
  CHECK(zkcnn::evaluate_multilinear(std::span<const Fr>(inputs[0]), std::span<const Fr>(input_claim.point)) ==
        input_claim.value);

  zkcnn::io::ByteWriter writer;
  layer.write_proof(proven.proof, writer);
  const auto bytes = std::move(writer).take();
  CHECK(bytes.size() == (3 * 5 + 2) * Fr::byte_size);
  zkcnn::io::ByteReader reader(bytes);
  auto read = layer.read_proof(reader);
  REQUIRE(read);
  REQUIRE(reader.expect_end("square proof"));
  CHECK(*read == proven.proof);

  auto verifier_transcript = zkcnn::Sha256Transcript("square check");
  auto verified = layer.verify(claim, *read, verifier_transcript);
  REQUIRE(verified);
  CHECK(*verified == proven.input_claims);
  CHECK(verifier_transcript.state_digest() == prover_transcript.state_digest());

  // A wrong claim value is rejected by the verifier itself.
  auto wrong = claim;
  wrong.value += Fr::one();
  auto t = zkcnn::Sha256Transcript("square check");
  CHECK_FALSE(layer.verify(wrong, *read, t));

  // Every single modified byte: refused by read_proof (non-canonical field element), rejected
  // by verify, or (never, here) leaving a false input claim.
  std::size_t refused = 0, rejected = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto tampered = bytes;
    tampered[i] ^= 0x01;
    zkcnn::io::ByteReader in(tampered);
    auto proof = layer.read_proof(in);
    if (!proof) {
      ++refused;
      continue;
    }
    auto vt = zkcnn::Sha256Transcript("square check");
    auto result = layer.verify(claim, *proof, vt);
    INFO("modified byte " << i);
    CHECK_FALSE(result);
    if (!result) ++rejected;
  }
  CHECK(refused + rejected == bytes.size());
  // Hostile lengths: a truncated proof is refused before any allocation of its shape.
  zkcnn::io::ByteReader short_reader(std::span<const std::uint8_t>(bytes.data(), bytes.size() - 1));
  CHECK_FALSE(layer.read_proof(short_reader));
}

TEMPLATE_TEST_CASE("SquareLayer: the library's layer checks, plain and in zero knowledge", "[square]", Fr,
                   zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x5353);
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{5}}) {
    for (std::size_t length : {std::size_t{1} << n, (std::size_t{1} << n) / 2 + 1}) {
      INFO("n = " << n << ", input length " << length);
      const SquareLayer<F> layer(n);
      const std::vector<std::vector<F>> inputs{zkcnn_layer_test::random_table<F>(rng, length)};
      const auto y = layer.forward(views(inputs));
      const auto claim = zkcnn_layer_test::claim_at_random_point<F>(rng, std::span<const F>(y), n);
      zkcnn_layer_test::check_layer<F>(layer, inputs, claim);
      if constexpr (std::is_same_v<F, Fr>) {
        zkcnn_layer_test::check_layer_zero_knowledge<zkcnn::bn254::G1>(layer, inputs, claim, rng);
      }
    }
  }
}

TEST_CASE("SquareLayer: several claims combined inside the sumcheck", "[square]") {
  zkcnn::testing::DeterministicRng rng(0x5354);
  const SquareLayer<Fr> layer(5);
  const std::vector<std::vector<Fr>> inputs{zkcnn_layer_test::random_table<Fr>(rng, 32)};
  const auto y = layer.forward(views(inputs));
  std::vector<zkcnn::gkr::Claim<Fr>> claims;
  for (int k = 0; k < 3; ++k) claims.push_back(zkcnn_layer_test::claim_at_random_point<Fr>(rng, std::span<const Fr>(y), 5));
  auto pt = zkcnn_layer_test::transcript();
  const auto proven = layer.prove(views(inputs), std::span<const zkcnn::gkr::Claim<Fr>>(claims), pt);
  auto vt = zkcnn_layer_test::transcript();
  auto verified = layer.verify(std::span<const zkcnn::gkr::Claim<Fr>>(claims), proven.proof, vt);
  REQUIRE(verified);
  CHECK(*verified == proven.input_claims);
  CHECK(zkcnn_layer_test::input_claims_hold<Fr>(std::span<const zkcnn::gkr::InputClaim<Fr>>(*verified), inputs));
  for (std::size_t k = 0; k < claims.size(); ++k) {
    auto wrong = claims;
    wrong[k].value += Fr::one();
    auto t = zkcnn_layer_test::transcript();
    CHECK_FALSE(layer.verify(std::span<const zkcnn::gkr::Claim<Fr>>(wrong), proven.proof, t));
  }
}

TEST_CASE("SquareLayer: two different tables for X and X' leave a false input claim", "[square]") {
  // A cheating prover proves sum_x eq(r, x) X(x) X'(x) = v with X' != X but the same sum (one
  // entry of X' adjusted). The step verifies; gamma makes the input claim false.
  zkcnn::testing::DeterministicRng rng(0x5355);
  const std::size_t n = 4;
  const SquareLayer<Fr> layer(n);
  const std::vector<std::vector<Fr>> inputs{zkcnn_layer_test::random_table<Fr>(rng, 16)};
  const auto y = layer.forward(views(inputs));
  const auto claim = zkcnn_layer_test::claim_at_random_point<Fr>(rng, std::span<const Fr>(y), n);
  const auto eq = zkcnn::eq_table(std::span<const Fr>(claim.point));
  // X' = X + D with sum_x eq(r, x) X(x) D(x) = 0: D random except D[0], solved for.
  std::vector<Fr> other = inputs[0];
  Fr rest = Fr::zero();
  std::vector<Fr> d = zkcnn_layer_test::random_table<Fr>(rng, 16);
  for (std::size_t x = 1; x < 16; ++x) rest += eq[x] * inputs[0][x] * d[x];
  d[0] = -rest * *(eq[0] * inputs[0][0]).inverse();
  for (std::size_t x = 0; x < 16; ++x) other[x] += d[x];

  auto pt = zkcnn_layer_test::transcript();
  pt.absorb_string("nn/layer", "custom_layer/square");  // the layer's statement, as it binds it
  pt.absorb_u64("custom_layer/square/num_vars", n);
  zkcnn::gkr::absorb_claim(pt, claim);
  zkcnn::sumcheck::SumOfProducts<Fr> g(n, {eq, inputs[0], other}, {{Fr::one(), {0, 1, 2}}});
  const std::size_t sent[] = {1, 2};
  auto proven = zkcnn::gkr::prove_step(std::move(g), claim.value, std::span<const std::size_t>(sent), pt);
  REQUIRE(proven.step.evaluations[0] != proven.step.evaluations[1]);
  auto vt = zkcnn_layer_test::transcript();
  auto verified = layer.verify(claim, proven.step, vt);
  REQUIRE(verified);  // the sumcheck itself holds
  CHECK_FALSE(zkcnn_layer_test::input_claims_hold<Fr>(std::span<const zkcnn::gkr::InputClaim<Fr>>(*verified), inputs));
  CHECK_FALSE(verifies_with_true_claims<Fr>(layer, claim, proven.step, inputs));
}
