// The direct-convolution layer (nn/conv2d_direct.hpp): its forward pass against an integer
// convolution, its wiring helpers against naive sums, the shared layer checks (completeness,
// encoding, false claims, every proof element tampered with) on many shapes, padding that holds
// garbage, and agreement with the same convolution written as a gate list; in zero knowledge
// (BN254) on a few shapes.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/gkr/gate_layer.hpp>
#include <zkcnn/nn/conv2d_direct.hpp>
#include <zkcnn/nn/conv2d_shape.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/layer_test_support.hpp"
#include "support/sumcheck_test_support.hpp"

namespace {

using zkcnn::nn::Conv2dDirectLayer;
using zkcnn::nn::Conv2dShape;
using zkcnn::nn::TensorShape;
using zkcnn_layer_test::check_agrees_with_gate_list;
using zkcnn_layer_test::check_layer;
using zkcnn_layer_test::claim_at_random_point;
using zkcnn_layer_test::input_claims_hold;
using zkcnn_layer_test::transcript;
using zkcnn_layer_test::views;

/// Calls fn(offset, is_real) for every entry of the padded table.
void for_each_entry(const TensorShape& shape, const std::function<void(std::size_t, bool)>& fn) {
  const auto dims = shape.dims();
  const auto bits = shape.dimension_bits();
  for (std::size_t p = 0; p < shape.padded_size(); ++p) {
    bool real = true;
    std::size_t shift = 0;
    for (std::size_t d = dims.size(); d-- > 0;) {
      const std::size_t index = (p >> shift) & ((std::size_t{1} << bits[d]) - 1);
      if (index >= dims[d]) real = false;
      shift += bits[d];
    }
    fn(p, real);
  }
}

/// Random entries at the real positions (small signed integers or any field element), zero
/// padding unless `garbage`, then random padding too.
template <class F>
std::vector<F> random_tensor(zkcnn::testing::DeterministicRng& rng, const TensorShape& shape, bool small, bool garbage = false) {
  std::vector<F> table(shape.padded_size(), F::zero());
  std::uniform_int_distribution<std::int64_t> dist(-8, 8);
  for_each_entry(shape, [&](std::size_t p, bool real) {
    if (real) {
      table[p] = small ? F::from_i64(dist(rng)) : F::random(rng);
    } else if (garbage) {
      table[p] = F::random(rng);
    }
  });
  return table;
}

// {batch, in_channels, out_channels, height, width, kernel, padding, stride}
const std::vector<Conv2dShape> kShapes = {
    {1, 1, 1, 1, 1, 1, 0, 1},  {1, 1, 1, 5, 5, 1, 0, 1},  {1, 2, 3, 5, 5, 3, 1, 1},  {1, 3, 2, 6, 7, 3, 0, 1},
    {3, 2, 2, 5, 4, 3, 1, 2},  {1, 4, 5, 8, 8, 5, 2, 1},  {1, 3, 2, 9, 7, 7, 2, 1},  {1, 16, 4, 4, 4, 3, 1, 1},
    {2, 5, 16, 3, 5, 3, 1, 2}, {1, 1, 3, 7, 5, 5, 0, 2},  {3, 6, 7, 6, 6, 1, 2, 1},  {1, 2, 2, 4, 4, 7, 2, 1},
    {1, 9, 2, 3, 3, 3, 2, 2},  {2, 3, 3, 10, 3, 5, 1, 1}, {3, 1, 1, 2, 9, 1, 1, 2},  {1, 12, 10, 3, 2, 3, 1, 1},
};

std::string describe(const Conv2dShape& s) {
  return "batch " + std::to_string(s.batch) + ", channels " + std::to_string(s.in_channels) + " -> " +
         std::to_string(s.out_channels) + ", " + std::to_string(s.height) + "x" + std::to_string(s.width) +
         ", kernel " + std::to_string(s.kernel) + ", padding " + std::to_string(s.padding) + ", stride " +
         std::to_string(s.stride);
}

}  // namespace

#define ZKCNN_NN_FIELDS zkcnn::bn254::Fr, zkcnn::Goldilocks

TEMPLATE_TEST_CASE("eq_product_prefix_sum is sum_{j < count} eq(x, j) eq(y, j)", "[nn][conv2d_direct]",
                   ZKCNN_NN_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x65717073);
  for (std::size_t n = 0; n <= 5; ++n) {
    const auto x = zkcnn_sumcheck_test::random_vector<F>(rng, n);
    const auto y = zkcnn_sumcheck_test::random_vector<F>(rng, n);
    for (std::size_t count = 0; count <= (std::size_t{1} << n); ++count) {
      F expected = F::zero();
      for (std::size_t j = 0; j < count; ++j) {
        const auto bits = zkcnn_sumcheck_test::hypercube_point<F>(j, n);
        expected += zkcnn::eq_eval<F>(x, bits) * zkcnn::eq_eval<F>(y, bits);
      }
      CHECK(zkcnn::nn::detail::eq_product_prefix_sum<F>(x, y, count) == expected);
    }
  }
}

TEST_CASE("Conv2dDirectLayer::forward is the integer convolution", "[nn][conv2d_direct]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x66776431);
  for (const auto& shape : kShapes) {
    INFO(describe(shape));
    const Conv2dDirectLayer<F> layer(shape);
    const TensorShape in = shape.input_shape(), ker = shape.kernel_shape(), out = shape.output_shape();
    std::uniform_int_distribution<std::int64_t> dist(-100, 100);
    std::vector<std::int64_t> xi(in.padded_size(), 0), ki(ker.padded_size(), 0);
    std::vector<F> x(in.padded_size(), F::zero()), k(ker.padded_size(), F::zero());
    for_each_entry(in, [&](std::size_t p, bool real) {
      if (real) x[p] = F::from_i64(xi[p] = dist(rng));
    });
    for_each_entry(ker, [&](std::size_t p, bool real) {
      if (real) k[p] = F::from_i64(ki[p] = dist(rng));
    });
    const std::vector<std::vector<F>> inputs{x, k};
    const auto y = layer.forward(views(inputs));
    REQUIRE(y.size() == out.padded_size());
    std::vector<F> expected(out.padded_size(), F::zero());
    const auto s = static_cast<std::int64_t>(shape.stride), pad = static_cast<std::int64_t>(shape.padding);
    for (std::size_t b = 0; b < shape.batch; ++b) {
      for (std::size_t o = 0; o < shape.out_channels; ++o) {
        for (std::size_t oy = 0; oy < shape.out_height(); ++oy) {
          for (std::size_t ox = 0; ox < shape.out_width(); ++ox) {
            std::int64_t sum = 0;
            for (std::size_t i = 0; i < shape.in_channels; ++i) {
              for (std::size_t a = 0; a < shape.kernel; ++a) {
                for (std::size_t c = 0; c < shape.kernel; ++c) {
                  const std::int64_t h = static_cast<std::int64_t>(oy) * s + static_cast<std::int64_t>(a) - pad;
                  const std::int64_t w = static_cast<std::int64_t>(ox) * s + static_cast<std::int64_t>(c) - pad;
                  if (h < 0 || w < 0 || h >= static_cast<std::int64_t>(shape.height) ||
                      w >= static_cast<std::int64_t>(shape.width)) {
                    continue;
                  }
                  sum += ki[ker.offset({o, i, a, c})] *
                         xi[in.offset({b, i, static_cast<std::size_t>(h), static_cast<std::size_t>(w)})];
                }
              }
            }
            expected[out.offset({b, o, oy, ox})] = F::from_i64(sum);
          }
        }
      }
    }
    CHECK(y == expected);
    CHECK(y == zkcnn::nn::conv2d_forward<F>(shape, x, k));
  }
}

TEMPLATE_TEST_CASE("Conv2dDirectLayer: completeness, encoding and soundness on many shapes", "[nn][conv2d_direct]",
                   ZKCNN_NN_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x636f6e76);
  for (std::size_t n = 0; n < kShapes.size(); ++n) {
    const auto& shape = kShapes[n];
    INFO(describe(shape));
    const Conv2dDirectLayer<F> layer(shape);
    const bool small = n % 2 == 0;
    const std::vector<std::vector<F>> inputs{random_tensor<F>(rng, shape.input_shape(), small),
                                             random_tensor<F>(rng, shape.kernel_shape(), small)};
    const auto y = layer.forward(views(inputs));
    const auto claim = claim_at_random_point<F>(rng, y, layer.output_num_vars());
    const auto proven = check_layer<F>(layer, inputs, claim);
    if constexpr (std::is_same_v<F, zkcnn::bn254::Fr>) {
      // Shape 0 has no variable in either step; 10 none in the kernel's spatial part.
      if (n == 0 || n == 2 || n == 4 || n == 10) {
        zkcnn_layer_test::check_layer_zero_knowledge<zkcnn::bn254::G1>(layer, inputs, claim, rng);
      }
    }
    // The documented proof size.
    const std::size_t kernel_vars = layer.input_num_vars(1) - zkcnn::detail::ceil_log2(shape.out_channels);
    const auto bytes = zkcnn_layer_test::encode_proof<F>(layer, proven.proof);
    CHECK(bytes.size() == F::byte_size * (2 * kernel_vars + 2 + 2 * layer.input_num_vars(0) + 1));
  }
}

TEST_CASE("Conv2dDirectLayer: input and kernel padding holding garbage does not change the result",
          "[nn][conv2d_direct]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x67617262);
  for (const auto& shape : kShapes) {
    INFO(describe(shape));
    const Conv2dDirectLayer<F> layer(shape);
    const TensorShape ker = shape.kernel_shape();
    auto x = random_tensor<F>(rng, shape.input_shape(), false, true);
    auto k = random_tensor<F>(rng, ker, false, true);
    // Padding output channels of K reach only Y's padding; clear them so that Y's padding is
    // zero as forward computes it. Every other padding entry stays garbage.
    const std::size_t channel = ker.padded_size() >> ker.dimension_bits()[0];
    for (std::size_t p = shape.out_channels * channel; p < k.size(); ++p) k[p] = F::zero();
    const std::vector<std::vector<F>> inputs{x, k};
    const auto y = layer.forward(views(inputs));
    const auto claim = claim_at_random_point<F>(rng, y, layer.output_num_vars());
    auto pt = transcript();
    const auto proven = layer.prove(views(inputs), claim, pt);
    auto vt = transcript();
    const auto verified = layer.verify(claim, proven.proof, vt);
    REQUIRE(verified);
    CHECK(*verified == proven.input_claims);
    CHECK(input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*verified), inputs));
  }
}

TEST_CASE("Conv2dDirectLayer agrees with the convolution as a gate list", "[nn][conv2d_direct][gate_layer]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x67617465);
  const std::vector<Conv2dShape> shapes = {{1, 2, 3, 5, 5, 3, 1, 1}, {2, 3, 2, 4, 5, 3, 0, 2}, {1, 1, 2, 3, 6, 5, 2, 1}};
  for (const auto& shape : shapes) {
    INFO(describe(shape));
    const Conv2dDirectLayer<F> layer(shape);
    const TensorShape in = shape.input_shape(), ker = shape.kernel_shape(), out = shape.output_shape();
    std::vector<zkcnn::gkr::MulGate<F>> gates;
    for (std::size_t b = 0; b < shape.batch; ++b) {
      for (std::size_t o = 0; o < shape.out_channels; ++o) {
        for (std::size_t oy = 0; oy < shape.out_height(); ++oy) {
          for (std::size_t ox = 0; ox < shape.out_width(); ++ox) {
            for (std::size_t i = 0; i < shape.in_channels; ++i) {
              for (std::size_t a = 0; a < shape.kernel; ++a) {
                for (std::size_t c = 0; c < shape.kernel; ++c) {
                  const std::size_t h = oy * shape.stride + a, w = ox * shape.stride + c;
                  if (h < shape.padding || w < shape.padding || h - shape.padding >= shape.height ||
                      w - shape.padding >= shape.width) {
                    continue;
                  }
                  gates.push_back({out.offset({b, o, oy, ox}), 1, ker.offset({o, i, a, c}), 0,
                                   in.offset({b, i, h - shape.padding, w - shape.padding}), F::one()});
                }
              }
            }
          }
        }
      }
    }
    const zkcnn::gkr::GateLayer<F> gate_layer({in.num_vars(), ker.num_vars()}, out.num_vars(), {}, std::move(gates));
    const std::vector<std::vector<F>> inputs{random_tensor<F>(rng, in, false), random_tensor<F>(rng, ker, false)};
    check_agrees_with_gate_list<F>(layer, gate_layer, inputs, rng);
  }
}

TEST_CASE("Conv2dDirectLayer: a larger shape, and malformed proofs rejected without a crash", "[nn][conv2d_direct]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x6c617267);
  const Conv2dShape shape{2, 8, 8, 16, 12, 3, 1, 1};
  const Conv2dDirectLayer<F> layer(shape);
  const std::vector<std::vector<F>> inputs{random_tensor<F>(rng, shape.input_shape(), true),
                                           random_tensor<F>(rng, shape.kernel_shape(), true)};
  const auto y = layer.forward(views(inputs));
  const auto claim = claim_at_random_point<F>(rng, y, layer.output_num_vars());
  auto pt = transcript();
  const auto proven = layer.prove(views(inputs), claim, pt);
  auto vt = transcript();
  const auto verified = layer.verify(claim, proven.proof, vt);
  REQUIRE(verified);
  CHECK(*verified == proven.input_claims);
  CHECK(input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*verified), inputs));

  auto rejects = [&](const Conv2dDirectLayer<F>::Proof& proof) {
    auto t = transcript();
    return !layer.verify(claim, proof, t);
  };
  auto proof = proven.proof;
  proof.kernel_step.sumcheck.round_messages.pop_back();
  CHECK(rejects(proof));
  proof = proven.proof;
  proof.kernel_step.evaluations.pop_back();
  CHECK(rejects(proof));
  proof = proven.proof;
  proof.input_step.evaluations.push_back(F::one());
  CHECK(rejects(proof));
  proof = proven.proof;
  proof.input_step.sumcheck.round_messages.front().push_back(F::one());
  CHECK(rejects(proof));
  proof = proven.proof;
  std::swap(proof.kernel_step, proof.input_step);
  CHECK(rejects(proof));
}

TEST_CASE("Conv2dDirectLayer: a proof does not verify for another geometry with the same tensor sizes",
          "[nn][conv2d_direct]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(0x67656f6d);
  // 5x5 input, kernel 3: padding 1 and stride 2, or padding 0 and stride 1, both give 3x3.
  const Conv2dShape strided{1, 2, 2, 5, 5, 3, 1, 2}, plain{1, 2, 2, 5, 5, 3, 0, 1};
  REQUIRE(strided.output_shape() == plain.output_shape());
  const Conv2dDirectLayer<F> layer(strided), other(plain);
  const std::vector<std::vector<F>> inputs{random_tensor<F>(rng, strided.input_shape(), false),
                                           random_tensor<F>(rng, strided.kernel_shape(), false)};
  const auto y = layer.forward(views(inputs));
  const auto claim = claim_at_random_point<F>(rng, y, layer.output_num_vars());
  auto pt = transcript();
  const auto proven = layer.prove(views(inputs), claim, pt);
  auto vt = transcript();
  const auto verified = other.verify(claim, proven.proof, vt);
  if (verified) CHECK_FALSE(input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*verified), inputs));
}
