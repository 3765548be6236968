#pragma once
// The small networks the model-proof tests run on, with random calibrated 4-bit weights: a
// chain of every layer kind (FFT and direct convolutions, rescale-ReLU, max and average
// pooling, flatten, dense) on an 8x8 input, and a residual graph on the same input.

#include <zkcnn/nn/zoo.hpp>

#include <cstdint>
#include <stdexcept>

namespace zkcnn_model_test {

inline zkcnn::nn::Architecture every_layer_architecture() {
  using namespace zkcnn::nn;
  Architecture a;
  a.name = "every-layer";
  a.in_channels = 1, a.height = 8, a.width = 8;
  a.layers = {Conv2dSpec{2, 3, 1}, RescaleReluSpec{}, MaxPoolSpec{2},
              Conv2dSpec{3, 3, 1, 1, 0, ConvAlgorithm::direct}, RescaleReluSpec{}, AvgPoolSpec{2},
              FlattenSpec{}, DenseSpec{5}, RescaleReluSpec{}, DenseSpec{3}};
  return a;
}

/// Two residual blocks: an identity shortcut around a direct convolution, then a strided
/// block whose 1x1 projection shortcut is added at another scale; max pooling, a dense layer.
inline zkcnn::nn::Architecture residual_architecture() {
  using namespace zkcnn::nn;
  Architecture a;
  a.name = "residual";
  a.in_channels = 1, a.height = 8, a.width = 8;
  a.add(Conv2dSpec{2, 3, 1});
  const std::size_t x = a.add(RescaleReluSpec{});
  const std::size_t c = a.add(Conv2dSpec{2, 3, 1, 1, 0, ConvAlgorithm::direct}, {x});
  const std::size_t sum = a.add(AddSpec{}, {c, x});
  const std::size_t y = a.add(RescaleReluSpec{}, {sum});
  const std::size_t c1 = a.add(Conv2dSpec{4, 3, 1, 2}, {y});
  const std::size_t r1 = a.add(RescaleReluSpec{}, {c1});
  const std::size_t c2 = a.add(Conv2dSpec{4, 3, 1}, {r1});
  const std::size_t projection = a.add(Conv2dSpec{4, 1, 0, 2}, {y});
  const std::size_t block = a.add(AddSpec{}, {c2, projection});
  a.add(RescaleReluSpec{}, {block});
  a.add(MaxPoolSpec{2});
  a.add(FlattenSpec{});
  a.add(DenseSpec{3});
  return a;
}

/// Weights from `seed`, rescales calibrated on one 4-bit input, 5-bit activations.
inline zkcnn::nn::QuantizedModel test_model(const zkcnn::nn::Architecture& architecture, std::uint64_t seed) {
  auto model = zkcnn::nn::zoo::random_model(architecture, seed, zkcnn::nn::zoo::random_input(architecture, 99, 4), 4, 5);
  if (!model) throw std::runtime_error(model.error().message);
  return *model;
}

inline zkcnn::nn::QuantizedModel every_layer_model(std::uint64_t seed) { return test_model(every_layer_architecture(), seed); }
inline zkcnn::nn::QuantizedModel residual_model(std::uint64_t seed) { return test_model(residual_architecture(), seed); }

/// A 4-bit input of the network, from `seed`.
inline std::vector<std::int64_t> every_layer_input(std::uint64_t seed) {
  return zkcnn::nn::zoo::random_input(every_layer_architecture(), seed, 4);
}

}  // namespace zkcnn_model_test
