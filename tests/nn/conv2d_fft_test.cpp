// 2-D convolution through the FFT (nn/conv2d_fft.hpp): the flattening geometry (the cyclic
// convolution at the layer's row stride and length equals the direct convolution at the output
// positions), the verifier's wiring sums against their definition, the layer through the
// shared layer checks on many shapes (kernel 1/3/5/7, padding 0-3, stride 1/2, channels 1-16,
// non-square inputs, batch 1 and 3, both fields), in zero knowledge on a few small shapes,
// tampering on larger shapes, and agreement with the generic gate-list layer.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/ntt.hpp>
#include <zkcnn/field/pow.hpp>
#include <zkcnn/gkr/gate_layer.hpp>
#include <zkcnn/nn/conv2d_fft.hpp>
#include <zkcnn/nn/conv2d_shape.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/gkr/fft.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using namespace zkcnn_layer_test;
using zkcnn::nn::Conv2dFftLayer;
using zkcnn::nn::Conv2dShape;

std::string describe(const Conv2dShape& s) {
  std::ostringstream out;
  out << "batch " << s.batch << ", channels " << s.in_channels << " -> " << s.out_channels << ", " << s.height << "x"
      << s.width << ", kernel " << s.kernel << ", padding " << s.padding << ", stride " << s.stride;
  return out.str();
}

// Random small-integer X and K in their padded layouts, padding zero.
template <class F>
std::vector<std::vector<F>> random_conv_inputs(zkcnn::testing::DeterministicRng& rng, const Conv2dShape& shape) {
  std::vector<std::vector<F>> inputs;
  for (const auto& layout : {shape.input_shape(), shape.kernel_shape()}) {
    std::vector<F> table(layout.padded_size(), F::zero());
    std::uniform_int_distribution<std::int64_t> dist(-20, 20);
    const auto dims = layout.dims();
    for (std::size_t a = 0; a < dims[0]; ++a) {
      for (std::size_t b = 0; b < dims[1]; ++b) {
        for (std::size_t c = 0; c < dims[2]; ++c) {
          for (std::size_t d = 0; d < dims[3]; ++d) table[layout.offset({a, b, c, d})] = F::from_i64(dist(rng));
        }
      }
    }
    inputs.push_back(std::move(table));
  }
  return inputs;
}

// The convolution computed the way the layer's proof reads it: every channel placed on the
// flattened grid, transformed, multiplied, summed over input channels, transformed back, and
// read at the output positions (y s + k - 1) S + x s + k - 1.
template <class F>
std::vector<F> conv_by_cyclic_convolution(const Conv2dFftLayer<F>& layer, std::span<const F> input,
                                          std::span<const F> kernel) {
  const Conv2dShape& s = layer.shape();
  const std::size_t S = layer.row_stride(), size = std::size_t{1} << layer.transform_num_vars();
  const auto in = s.input_shape(), ker = s.kernel_shape(), out = s.output_shape();
  const std::size_t k = s.kernel;
  std::vector<F> output(out.padded_size(), F::zero());
  for (std::size_t b = 0; b < s.batch; ++b) {
    for (std::size_t o = 0; o < s.out_channels; ++o) {
      std::vector<F> acc(size, F::zero());
      for (std::size_t i = 0; i < s.in_channels; ++i) {
        std::vector<F> xf(size, F::zero()), kf(size, F::zero());
        for (std::size_t h = 0; h < s.height; ++h) {
          for (std::size_t w = 0; w < s.width; ++w) {
            xf.at((h + s.padding) * S + w + s.padding) = input[in.offset({b, i, h, w})];
          }
        }
        for (std::size_t a = 0; a < k; ++a) {
          for (std::size_t c = 0; c < k; ++c) kf.at((k - 1 - a) * S + (k - 1 - c)) += kernel[ker.offset({o, i, a, c})];
        }
        zkcnn::ntt(std::span<F>(xf));
        zkcnn::ntt(std::span<F>(kf));
        for (std::size_t j = 0; j < size; ++j) acc[j] += xf[j] * kf[j];
      }
      zkcnn::inverse_ntt(std::span<F>(acc));
      for (std::size_t y = 0; y < s.out_height(); ++y) {
        for (std::size_t x = 0; x < s.out_width(); ++x) {
          output[out.offset({b, o, y, x})] = acc.at((y * s.stride + k - 1) * S + x * s.stride + k - 1);
        }
      }
    }
  }
  return output;
}

TEST_CASE("conv2d fft: the cyclic convolution at the layer's geometry is the direct one", "[fft]") {
  using F = zkcnn::Goldilocks;
  zkcnn::testing::DeterministicRng rng(201);
  std::size_t shapes = 0;
  for (std::size_t height = 1; height <= 6; ++height) {
    for (std::size_t width = 1; width <= 6; width += (height % 2 == 0 ? 1 : 2)) {
      for (std::size_t kernel : {1, 2, 3, 5, 7}) {
        for (std::size_t padding = 0; padding <= 3; ++padding) {
          for (std::size_t stride = 1; stride <= 3; ++stride) {
            const Conv2dShape shape{1, 2, 2, height, width, kernel, padding, stride};
            if (height + 2 * padding < kernel || width + 2 * padding < kernel) continue;
            const Conv2dFftLayer<F> layer(shape);
            const auto inputs = random_conv_inputs<F>(rng, shape);
            INFO(describe(shape));
            REQUIRE(conv_by_cyclic_convolution(layer, std::span<const F>(inputs[0]), std::span<const F>(inputs[1])) ==
                    zkcnn::nn::conv2d_forward<F>(shape, inputs[0], inputs[1]));
            ++shapes;
          }
        }
      }
    }
  }
  CHECK(shapes > 500);
}

TEMPLATE_TEST_CASE("conv2d fft: the verifier's wiring sums, by table and by position", "[fft]", zkcnn::bn254::Fr,
                   zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(202);
  const std::size_t n = 7, size = std::size_t{1} << n, mask = size - 1;
  const F root = zkcnn::fft::transform_root<F>(n, zkcnn::fft::Direction::inverse);
  const auto t = random_point<F>(rng, n);
  const auto table = zkcnn::fft::fourier_table(std::span<const F>(t), root);
  // A 2x3 grid is summed position by position, a 9x11 grid from the table; steps may wrap.
  const zkcnn::nn::detail::PositionGrid grids[] = {
      {2, 3, 17, 13, 2}, {3, 3, 40, (0 - std::size_t{13}) & mask, mask}, {9, 11, 5, 12, 1}, {11, 9, 100, 31, 7}};
  for (const auto& grid : grids) {
    const auto rows = random_table<F>(rng, grid.rows);
    const auto cols = random_table<F>(rng, grid.cols);
    F expected = F::zero();
    for (std::size_t row = 0; row < grid.rows; ++row) {
      for (std::size_t col = 0; col < grid.cols; ++col) {
        expected += rows[row] * cols[col] * table[grid.at(row, col, mask)];
      }
    }
    INFO("grid " << grid.rows << "x" << grid.cols);
    CHECK(zkcnn::nn::detail::grid_fourier_sum(std::span<const F>(t), root, grid, std::span<const F>(rows),
                                              std::span<const F>(cols)) == expected);
    const auto gathered = zkcnn::nn::detail::gather_grid(std::span<const F>(table), grid, 4);
    for (std::size_t row = 0; row < grid.rows; ++row) {
      for (std::size_t col = 0; col < grid.cols && col < 16; ++col) {
        CHECK(gathered[row * 16 + col] == table[grid.at(row, col, mask)]);
      }
    }
  }
}

// {batch, in_channels, out_channels, height, width, kernel, padding, stride}
const Conv2dShape small_shapes[] = {
    {1, 1, 1, 1, 1, 1, 0, 1},  // N = 1: no transform variables
    {1, 1, 1, 4, 4, 3, 0, 1},     {1, 2, 3, 5, 7, 3, 1, 1},   {1, 3, 2, 6, 5, 5, 2, 1}, {1, 1, 2, 8, 8, 7, 0, 1},
    {1, 2, 1, 7, 9, 7, 2, 2},     {1, 2, 3, 8, 8, 3, 1, 2},   {3, 2, 2, 6, 7, 3, 1, 2}, {1, 3, 2, 4, 5, 1, 1, 1},
    {3, 5, 3, 3, 6, 1, 2, 2},     {1, 16, 16, 4, 4, 3, 1, 1}, {3, 5, 7, 5, 3, 3, 2, 1}, {1, 4, 1, 2, 9, 5, 2, 2},
    {1, 1, 1, 1, 8, 1, 0, 1},     {1, 7, 9, 6, 6, 5, 0, 1},   {1, 1, 1, 2, 2, 7, 3, 1}, {3, 16, 5, 9, 11, 3, 1, 2},
    {1, 12, 16, 16, 16, 3, 1, 1}, {2, 8, 8, 16, 16, 3, 1, 1},
};

TEMPLATE_TEST_CASE("conv2d fft: layer checks on small shapes", "[fft]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(203);
  for (const auto& shape : small_shapes) {
    INFO(describe(shape));
    const Conv2dFftLayer<F> layer(shape);
    CHECK(layer.input_count() == 2);
    CHECK(layer.input_num_vars(0) == shape.input_shape().num_vars());
    CHECK(layer.input_num_vars(1) == shape.kernel_shape().num_vars());
    CHECK(layer.output_num_vars() == shape.output_shape().num_vars());
    const auto inputs = random_conv_inputs<F>(rng, shape);
    const auto output = layer.forward(views(inputs));
    REQUIRE(output == zkcnn::nn::conv2d_forward<F>(shape, inputs[0], inputs[1]));
    const auto proven = check_layer<F>(
        layer, inputs, claim_at_random_point<F>(rng, std::span<const F>(output), layer.output_num_vars()));
    REQUIRE(proven.input_claims.size() == 2);
    CHECK(proven.input_claims[0].input == 0);
    CHECK(proven.input_claims[1].input == 1);
  }
}

TEST_CASE("conv2d fft: zero knowledge on small shapes", "[fft]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(208);
  // N = 1 (every step over no variable), a 1x1 kernel, padding with stride 2, several channels.
  const Conv2dShape shapes[] = {
      {1, 1, 1, 1, 1, 1, 0, 1}, {1, 1, 1, 4, 4, 3, 0, 1}, {1, 2, 3, 5, 7, 3, 1, 1}, {3, 2, 2, 6, 7, 3, 1, 2},
      {3, 5, 3, 3, 6, 1, 2, 2}};
  for (const auto& shape : shapes) {
    INFO(describe(shape));
    const Conv2dFftLayer<F> layer(shape);
    const auto inputs = random_conv_inputs<F>(rng, shape);
    const auto output = layer.forward(views(inputs));
    const auto claim = claim_at_random_point<F>(rng, std::span<const F>(output), layer.output_num_vars());
    zkcnn_layer_test::check_layer_zero_knowledge<zkcnn::bn254::G1>(layer, inputs, claim, rng);
  }
}

TEST_CASE("conv2d fft: inputs shorter than their padded layouts", "[fft]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(204);
  const Conv2dShape shape{2, 3, 2, 5, 6, 3, 1, 1};
  const Conv2dFftLayer<F> layer(shape);
  auto inputs = random_conv_inputs<F>(rng, shape);
  // Drop the trailing padding (the last batch's last channel's padded rows, the kernel's
  // padded tail): missing entries read as zero.
  inputs[0].resize(shape.input_shape().offset({1, 2, 4, 5}) + 1);
  inputs[1].resize(shape.kernel_shape().offset({1, 2, 2, 2}) + 1);
  const auto output = layer.forward(views(inputs));
  check_layer<F>(layer, inputs, claim_at_random_point<F>(rng, std::span<const F>(output), layer.output_num_vars()));
}

TEMPLATE_TEST_CASE("conv2d fft: spatial and input-channel padding of the inputs is ignored", "[fft]", zkcnn::bn254::Fr,
                   zkcnn::Goldilocks) {
  // The statement reads only the real entries in those dimensions (the batch and the output
  // channel pass through, so their padding must be zero, as the layout fixes).
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(207);
  const Conv2dShape shapes[] = {{2, 3, 3, 5, 6, 3, 1, 1}, {1, 5, 2, 3, 7, 5, 2, 2}, {1, 1, 1, 3, 3, 1, 0, 1}};
  for (const auto& shape : shapes) {
    INFO(describe(shape));
    const Conv2dFftLayer<F> layer(shape);
    auto inputs = random_conv_inputs<F>(rng, shape);
    const auto clean_output = layer.forward(views(inputs));
    const std::size_t real_leading[] = {shape.batch, shape.out_channels};
    for (std::size_t t = 0; t < 2; ++t) {
      const auto layout = t == 0 ? shape.input_shape() : shape.kernel_shape();
      const auto dims = layout.dims();
      const auto bits = layout.dimension_bits();
      for (std::size_t a = 0; a < real_leading[t]; ++a) {
        for (std::size_t b = 0; b < (std::size_t{1} << bits[1]); ++b) {
          for (std::size_t c = 0; c < (std::size_t{1} << bits[2]); ++c) {
            for (std::size_t d = 0; d < (std::size_t{1} << bits[3]); ++d) {
              if (b >= dims[1] || c >= dims[2] || d >= dims[3]) inputs[t][layout.offset({a, b, c, d})] = F::random(rng);
            }
          }
        }
      }
    }
    const auto output = layer.forward(views(inputs));
    REQUIRE(output == clean_output);
    check_layer<F>(layer, inputs, claim_at_random_point<F>(rng, std::span<const F>(output), layer.output_num_vars()));
  }
}

TEST_CASE("conv2d fft: larger shapes, tampering a sample of the proof", "[fft]") {
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(205);
  const Conv2dShape shapes[] = {{1, 16, 16, 32, 32, 3, 1, 1}, {3, 8, 12, 24, 20, 5, 2, 2}, {1, 3, 4, 20, 13, 7, 3, 2}};
  for (const auto& shape : shapes) {
    INFO(describe(shape));
    const Conv2dFftLayer<F> layer(shape);
    const auto inputs = random_conv_inputs<F>(rng, shape);
    const auto output = layer.forward(views(inputs));
    const auto claim = claim_at_random_point<F>(rng, std::span<const F>(output), layer.output_num_vars());
    auto prover_transcript = transcript();
    const auto proven = layer.prove(std::span<const std::span<const F>>(views(inputs)), claim, prover_transcript);
    auto verifier_transcript = transcript();
    const auto verified = layer.verify(claim, proven.proof, verifier_transcript);
    REQUIRE(verified);
    CHECK(*verified == proven.input_claims);
    CHECK(verifier_transcript.state_digest() == prover_transcript.state_digest());
    CHECK(input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(proven.input_claims), inputs));

    auto false_claim = claim;
    false_claim.value += F::one();
    CHECK_FALSE(accepted<F>(layer, false_claim, proven.proof, inputs));
    const auto bytes = encode_proof<F>(layer, proven.proof);
    const std::size_t elements = bytes.size() / F::byte_size;
    for (std::size_t element :
         {std::size_t{0}, std::size_t{1}, elements / 3, elements / 2, elements - 2, elements - 1}) {
      auto tampered = bytes;
      const std::size_t offset = element * F::byte_size;
      auto value = F::from_bytes(std::span<const std::uint8_t>(tampered.data() + offset, F::byte_size));
      REQUIRE(value);
      const auto changed = (*value + F::one()).to_bytes();
      std::copy(changed.begin(), changed.end(), tampered.begin() + static_cast<std::ptrdiff_t>(offset));
      auto proof = decode_proof<F>(layer, tampered);
      REQUIRE(proof);
      INFO("tampered field element " << element);
      CHECK_FALSE(accepted<F>(layer, claim, *proof, inputs));
    }
  }
}

TEST_CASE("conv2d fft: the proof size", "[fft]") {
  using F = zkcnn::bn254::Fr;
  // 64 -> 64 channels, 32x32, kernel 3, padding 1: S = 33, N = 2^11; the proof has
  // 3 (11 + 6) + 2 + 2 (5 + 5) + 1 + 2 (2 + 2) + 1 = 83 field elements.
  const Conv2dFftLayer<F> layer(Conv2dShape{1, 64, 64, 32, 32, 3, 1, 1});
  CHECK(layer.row_stride() == 33);
  CHECK(layer.transform_num_vars() == 11);
  zkcnn::io::ByteWriter writer;
  typename Conv2dFftLayer<F>::Proof proof;
  proof.product.sumcheck.round_messages.assign(17, std::vector<F>(3));
  proof.product.evaluations.assign(2, F::zero());
  proof.input.sumcheck.round_messages.assign(10, std::vector<F>(2));
  proof.input.evaluations.assign(1, F::zero());
  proof.kernel.sumcheck.round_messages.assign(4, std::vector<F>(2));
  proof.kernel.evaluations.assign(1, F::zero());
  layer.write_proof(proof, writer);
  const auto bytes = std::move(writer).take();
  CHECK(bytes.size() == 83 * F::byte_size);
  zkcnn::io::ByteReader reader(bytes);
  CHECK(layer.read_proof(reader));
}

TEST_CASE("conv2d fft: shapes beyond the field's two-adicity are rejected", "[fft]") {
  // Goldilocks has two-adicity 32, BN254 Fr 28: a 2^15 x 2^15 image needs N = 2^30.
  const Conv2dShape shape{1, 1, 1, std::size_t{1} << 15, std::size_t{1} << 15, 1, 0, 1};
  CHECK_THROWS_AS(Conv2dFftLayer<zkcnn::bn254::Fr>(shape), std::invalid_argument);
  CHECK_NOTHROW(Conv2dFftLayer<zkcnn::Goldilocks>(shape));
}

// The same convolution as one multiplication gate per multiply-accumulate.
template <class F>
zkcnn::gkr::GateLayer<F> conv_as_gates(const Conv2dShape& s) {
  const auto in = s.input_shape(), ker = s.kernel_shape(), out = s.output_shape();
  std::vector<zkcnn::gkr::MulGate<F>> gates;
  for (std::size_t b = 0; b < s.batch; ++b) {
    for (std::size_t o = 0; o < s.out_channels; ++o) {
      for (std::size_t y = 0; y < s.out_height(); ++y) {
        for (std::size_t x = 0; x < s.out_width(); ++x) {
          for (std::size_t i = 0; i < s.in_channels; ++i) {
            for (std::size_t a = 0; a < s.kernel; ++a) {
              for (std::size_t c = 0; c < s.kernel; ++c) {
                const std::size_t row = y * s.stride + a, col = x * s.stride + c;
                if (row < s.padding || row >= s.padding + s.height || col < s.padding || col >= s.padding + s.width) {
                  continue;
                }
                gates.push_back({out.offset({b, o, y, x}), 0, in.offset({b, i, row - s.padding, col - s.padding}), 1,
                                 ker.offset({o, i, a, c}), F::one()});
              }
            }
          }
        }
      }
    }
  }
  return zkcnn::gkr::GateLayer<F>({in.num_vars(), ker.num_vars()}, out.num_vars(), {}, std::move(gates));
}

TEMPLATE_TEST_CASE("conv2d fft: agrees with the gate-list layer", "[fft]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(206);
  const Conv2dShape shapes[] = {{1, 2, 3, 5, 4, 3, 1, 1}, {2, 3, 2, 6, 5, 3, 2, 2}, {1, 1, 2, 7, 6, 5, 0, 1}};
  for (const auto& shape : shapes) {
    INFO(describe(shape));
    const Conv2dFftLayer<F> fft_layer(shape);
    const auto gate_layer = conv_as_gates<F>(shape);
    const auto inputs = random_conv_inputs<F>(rng, shape);
    check_agrees_with_gate_list<F>(fft_layer, gate_layer, inputs, rng);
  }
}

}  // namespace
