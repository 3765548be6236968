// The fully connected layer (nn/dense.hpp): forward against an integer matrix product, the
// shared layer checks on many sizes (powers of two and not, 1 included), input padding holding
// garbage, and agreement with the same product written as a gate list.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/gkr/gate_layer.hpp>
#include <zkcnn/nn/dense.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using zkcnn::nn::DenseLayer;
using zkcnn::nn::TensorShape;
using zkcnn_layer_test::check_agrees_with_gate_list;
using zkcnn_layer_test::check_layer;
using zkcnn_layer_test::proves_and_verifies;
using zkcnn_layer_test::claim_at_random_point;
using zkcnn_layer_test::input_claims_hold;
using zkcnn_layer_test::transcript;
using zkcnn_layer_test::views;

struct Sizes {
  std::size_t batch, out, in;
};

const std::vector<Sizes> kSizes = {{1, 1, 1}, {1, 3, 5},  {2, 4, 4}, {3, 7, 6},   {1, 1, 9},  {5, 1, 3},
                                   {4, 16, 8}, {1, 10, 17}, {2, 33, 2}, {3, 2, 1}, {1, 8, 32}, {6, 5, 12}};

std::string describe(const Sizes& s) {
  return "batch " + std::to_string(s.batch) + ", out " + std::to_string(s.out) + ", in " + std::to_string(s.in);
}

/// A (rows, cols) matrix in the padded layout: values from `value(r, c)`, padding `pad(r, c)`.
template <class F, class Value, class Pad>
std::vector<F> matrix(std::size_t rows, std::size_t cols, Value value, Pad pad) {
  const TensorShape shape{rows, cols};
  const std::size_t row_size = std::size_t{1} << shape.dimension_bits()[1];
  std::vector<F> table(shape.padded_size());
  for (std::size_t r = 0; r < (shape.padded_size() >> shape.dimension_bits()[1]); ++r) {
    for (std::size_t c = 0; c < row_size; ++c) {
      table[r * row_size + c] = (r < rows && c < cols) ? value(r, c) : pad(r, c);
    }
  }
  return table;
}

template <class F>
std::vector<F> random_matrix(zkcnn::testing::DeterministicRng& rng, std::size_t rows, std::size_t cols) {
  return matrix<F>(rows, cols, [&](std::size_t, std::size_t) { return F::random(rng); },
                   [](std::size_t, std::size_t) { return F::zero(); });
}

}  // namespace

#define ZKCNN_NN_FIELDS zkcnn::bn254::Fr, zkcnn::Goldilocks

TEST_CASE("DenseLayer::forward is the integer matrix product", "[nn][dense]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x64656e31);
  std::uniform_int_distribution<std::int64_t> dist(-1000, 1000);
  for (const auto& s : kSizes) {
    INFO(describe(s));
    std::vector<std::vector<std::int64_t>> w(s.out, std::vector<std::int64_t>(s.in)), x(s.batch, std::vector<std::int64_t>(s.in));
    for (auto& row : w) for (auto& v : row) v = dist(rng);
    for (auto& row : x) for (auto& v : row) v = dist(rng);
    auto zero = [](std::size_t, std::size_t) { return F::zero(); };
    const std::vector<std::vector<F>> inputs{
        matrix<F>(s.out, s.in, [&](std::size_t r, std::size_t c) { return F::from_i64(w[r][c]); }, zero),
        matrix<F>(s.batch, s.in, [&](std::size_t r, std::size_t c) { return F::from_i64(x[r][c]); }, zero)};
    const DenseLayer<F> layer(s.batch, s.out, s.in);
    const auto expected = matrix<F>(
        s.batch, s.out,
        [&](std::size_t b, std::size_t o) {
          std::int64_t sum = 0;
          for (std::size_t i = 0; i < s.in; ++i) sum += w[o][i] * x[b][i];
          return F::from_i64(sum);
        },
        zero);
    CHECK(layer.forward(views(inputs)) == expected);
    // Tables shorter than their padded size read as zero-padded.
    std::vector<std::vector<F>> trimmed = inputs;
    trimmed[0].resize((s.out - 1) * (std::size_t{1} << zkcnn::detail::ceil_log2(s.in)) + s.in);
    trimmed[1].resize((s.batch - 1) * (std::size_t{1} << zkcnn::detail::ceil_log2(s.in)) + s.in);
    CHECK(layer.forward(views(trimmed)) == expected);
  }
}

TEMPLATE_TEST_CASE("DenseLayer: completeness, encoding and soundness on many sizes", "[nn][dense]", ZKCNN_NN_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x64656e32);
  for (const auto& s : kSizes) {
    INFO(describe(s));
    const DenseLayer<F> layer(s.batch, s.out, s.in);
    const std::vector<std::vector<F>> inputs{random_matrix<F>(rng, s.out, s.in), random_matrix<F>(rng, s.batch, s.in)};
    const auto y = layer.forward(views(inputs));
    const auto claim = claim_at_random_point<F>(rng, y, layer.output_num_vars());
    const auto proven = check_layer<F>(layer, inputs, claim);
    if constexpr (std::is_same_v<F, zkcnn::bn254::Fr>) {
      zkcnn_layer_test::check_layer_zero_knowledge<zkcnn::bn254::G1>(layer, inputs, claim, rng);
    }
    const std::size_t in_bits = zkcnn::detail::ceil_log2(s.in);
    const std::size_t degree = (std::size_t{1} << in_bits) == s.in ? 2 : 3;
    CHECK(zkcnn_layer_test::encode_proof<F>(layer, proven.proof).size() == F::byte_size * (in_bits * degree + 2));
    // Short (unpadded) tables prove the same claims.
    std::vector<std::vector<F>> trimmed = inputs;
    trimmed[0].resize((s.out - 1) * (std::size_t{1} << in_bits) + s.in);
    trimmed[1].resize((s.batch - 1) * (std::size_t{1} << in_bits) + s.in);
    auto t = transcript();
    CHECK(layer.prove(views(trimmed), claim, t).proof == proven.proof);
  }
}

TEST_CASE("DenseLayer: garbage in the padding of the contracted index does not change the result", "[nn][dense]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x64656e33);
  for (const auto& s : kSizes) {
    INFO(describe(s));
    const DenseLayer<F> layer(s.batch, s.out, s.in);
    auto value = [&](std::size_t, std::size_t) { return F::random(rng); };
    // Padding columns (i >= in) of real rows are garbage; padding rows stay zero (they reach
    // only Y's padding, which forward leaves zero).
    auto garbage_columns = [&](std::size_t rows) {
      return [&rng, rows](std::size_t r, std::size_t) { return r < rows ? F::random(rng) : F::zero(); };
    };
    const std::vector<std::vector<F>> inputs{matrix<F>(s.out, s.in, value, garbage_columns(s.out)),
                                             matrix<F>(s.batch, s.in, value, garbage_columns(s.batch))};
    const auto y = layer.forward(views(inputs));
    CHECK(proves_and_verifies<F>(layer, inputs, claim_at_random_point<F>(rng, y, layer.output_num_vars())));
  }
}

TEST_CASE("DenseLayer agrees with the matrix product as a gate list", "[nn][dense][gate_layer]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x64656e34);
  for (const Sizes& s : {Sizes{1, 3, 5}, Sizes{3, 4, 4}, Sizes{2, 5, 7}}) {
    INFO(describe(s));
    const DenseLayer<F> layer(s.batch, s.out, s.in);
    const TensorShape w_shape = layer.weight_shape(), x_shape = layer.input_shape(), y_shape = layer.output_shape();
    std::vector<zkcnn::gkr::MulGate<F>> gates;
    for (std::size_t b = 0; b < s.batch; ++b) {
      for (std::size_t o = 0; o < s.out; ++o) {
        for (std::size_t i = 0; i < s.in; ++i) {
          gates.push_back({y_shape.offset({b, o}), 0, w_shape.offset({o, i}), 1, x_shape.offset({b, i}), F::one()});
        }
      }
    }
    const zkcnn::gkr::GateLayer<F> gate_layer({w_shape.num_vars(), x_shape.num_vars()}, y_shape.num_vars(), {},
                                              std::move(gates));
    const std::vector<std::vector<F>> inputs{random_matrix<F>(rng, s.out, s.in), random_matrix<F>(rng, s.batch, s.in)};
    check_agrees_with_gate_list<F>(layer, gate_layer, inputs, rng);
  }
}

TEST_CASE("DenseLayer: malformed proofs are rejected without a crash", "[nn][dense]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x64656e35);
  for (const Sizes& s : {Sizes{2, 5, 7}, Sizes{1, 4, 8}}) {
    const DenseLayer<F> layer(s.batch, s.out, s.in);
    const std::vector<std::vector<F>> inputs{random_matrix<F>(rng, s.out, s.in), random_matrix<F>(rng, s.batch, s.in)};
    const auto y = layer.forward(views(inputs));
    const auto claim = claim_at_random_point<F>(rng, y, layer.output_num_vars());
    auto pt = transcript();
    const auto proven = layer.prove(views(inputs), claim, pt);
    auto rejects = [&](const DenseLayer<F>::Proof& proof) {
      auto t = transcript();
      return !layer.verify(claim, proof, t);
    };
    auto proof = proven.proof;
    proof.evaluations.pop_back();
    CHECK(rejects(proof));
    proof = proven.proof;
    proof.sumcheck.round_messages.pop_back();
    CHECK(rejects(proof));
    proof = proven.proof;
    proof.sumcheck.round_messages.back().pop_back();
    CHECK(rejects(proof));
    // The same proof under another layer of the same input size is bound to its own shape.
    const DenseLayer<F> other(s.batch, s.out + 1, s.in);
    if (other.output_num_vars() == layer.output_num_vars()) {
      auto t = transcript();
      auto verified = other.verify(claim, proven.proof, t);
      if (verified) CHECK_FALSE(input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*verified), inputs));
    }
  }
}
