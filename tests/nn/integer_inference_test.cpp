// Integer inference (nn::infer): the convolution's 16/32-bit, 64-bit and 128-bit paths against
// a direct computation of the definition, for every stride, padding and kernel size the tests
// reach, and an accumulator past 2^62 refused with the layer's name.

#include <zkcnn/nn/architecture.hpp>
#include <zkcnn/nn/quantized_model.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using zkcnn::nn::Architecture;
using zkcnn::nn::Conv2dSpec;
using zkcnn::nn::QuantizedModel;

__extension__ using int128 = __int128;

// y[o][r][c] = bias[o] + sum_{i, a, b} kernel[o][i][a][b] x[i][r s + a - p][c s + b - p], the
// input zero outside the image.
std::vector<int128> direct_convolution(const Conv2dSpec& spec, std::size_t channels, std::size_t height, std::size_t width,
                                       const std::vector<std::int64_t>& kernel, const std::vector<std::int64_t>& bias,
                                       const std::vector<std::int64_t>& x) {
  const std::size_t k = spec.kernel, s = spec.stride, p = spec.padding;
  const std::size_t out_height = (height + 2 * p - k) / s + 1, out_width = (width + 2 * p - k) / s + 1;
  std::vector<int128> y;
  for (std::size_t o = 0; o < spec.out_channels; ++o) {
    for (std::size_t r = 0; r < out_height; ++r) {
      for (std::size_t c = 0; c < out_width; ++c) {
        int128 sum = bias[o];
        for (std::size_t i = 0; i < channels; ++i) {
          for (std::size_t a = 0; a < k; ++a) {
            for (std::size_t b = 0; b < k; ++b) {
              const auto row = static_cast<std::int64_t>(r * s + a) - static_cast<std::int64_t>(p);
              const auto col = static_cast<std::int64_t>(c * s + b) - static_cast<std::int64_t>(p);
              if (row < 0 || col < 0 || row >= static_cast<std::int64_t>(height) || col >= static_cast<std::int64_t>(width)) continue;
              sum += int128{kernel[((o * channels + i) * k + a) * k + b]} *
                     x[(i * height + static_cast<std::size_t>(row)) * width + static_cast<std::size_t>(col)];
            }
          }
        }
        y.push_back(sum);
      }
    }
  }
  return y;
}

}  // namespace

TEST_CASE("integer inference: convolutions match the definition on every arithmetic path", "[nn][inference]") {
  zkcnn::testing::DeterministicRng rng(0x636f6e76);
  // Weights and inputs up to these magnitudes, and one input `spike`: 16-bit operands with
  // 32-bit sums; 64-bit sums; and a bound past 2^62 (so 128-bit sums) whose actual sums stay
  // below it, as the spike meets one weight at a time.
  struct Magnitudes {
    const char* path;
    std::int64_t weight, input, spike;
  };
  const Magnitudes magnitudes[] = {{"32-bit", 127, 255, 255},
                                   {"64-bit", 1 << 20, 1 << 20, 1 << 20},
                                   {"128-bit", std::int64_t{1} << 38, 1, std::int64_t{1} << 22}};
  for (const auto& m : magnitudes) {
    for (std::size_t kernel = 1; kernel <= 5; kernel += 2) {
      for (std::size_t stride = 1; stride <= 2; ++stride) {
        for (std::size_t padding = 0; padding <= kernel / 2 + 1 && padding < kernel; ++padding) {
          CAPTURE(m.path, kernel, stride, padding);
          const std::size_t channels = 3, height = 7, width = 9;
          Conv2dSpec spec{4, kernel, padding, stride, 0, zkcnn::nn::ConvAlgorithm::direct};
          Architecture architecture{"conv", channels, height, width, 0, {spec}, {}};
          QuantizedModel model{architecture, {{}}};
          auto uniform = [&](std::int64_t bound) { return std::uniform_int_distribution<std::int64_t>(-bound, bound)(rng); };
          for (std::size_t e = 0; e < spec.out_channels * channels * kernel * kernel; ++e) {
            model.weights[0].kernel.push_back(uniform(m.weight));
          }
          for (std::size_t o = 0; o < spec.out_channels; ++o) model.weights[0].bias.push_back(uniform(1000));
          std::vector<std::int64_t> x;
          for (std::size_t e = 0; e < channels * height * width; ++e) x.push_back(uniform(m.input));
          x[x.size() / 2] = m.spike;
          const auto expected = direct_convolution(spec, channels, height, width, model.weights[0].kernel,
                                                   model.weights[0].bias, x);
          const auto trace = zkcnn::nn::infer(model, x);
          REQUIRE(trace);
          const auto& y = trace->back();
          REQUIRE(y.size() == expected.size());
          for (std::size_t e = 0; e < y.size(); ++e) CHECK(int128{y[e]} == expected[e]);
        }
      }
    }
  }
}

TEST_CASE("integer inference: an accumulator past 2^62 is refused, naming the layer", "[nn][inference]") {
  Conv2dSpec spec{1, 1, 0, 1, 0, zkcnn::nn::ConvAlgorithm::direct};
  Architecture architecture{"conv", 2, 1, 1, 0, {spec}, {}};
  const std::int64_t large = std::int64_t{1} << 61;  // a weight below 2^62, times an input of 2
  QuantizedModel model{architecture, {{{large, large}, {0}}}};
  const auto trace = zkcnn::nn::infer(model, std::vector<std::int64_t>{2, 0});
  REQUIRE_FALSE(trace);
  CHECK_THAT(trace.error().message, Catch::Contains("exceeds 2^62"));
  CHECK_THAT(trace.error().message, Catch::Contains("conv"));
}
