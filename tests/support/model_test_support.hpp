#pragma once
// The small network the model-proof tests run on: every layer kind (FFT and direct
// convolutions, rescale-ReLU, max and average pooling, flatten, dense) on an 8x8 input, with
// random calibrated 4-bit weights.

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

/// Weights from `seed`, rescales calibrated on one 4-bit input, 5-bit activations.
inline zkcnn::nn::QuantizedModel every_layer_model(std::uint64_t seed) {
  const auto architecture = every_layer_architecture();
  auto model = zkcnn::nn::zoo::random_model(architecture, seed, zkcnn::nn::zoo::random_input(architecture, 99, 4), 4, 5);
  if (!model) throw std::runtime_error(model.error().message);
  return *model;
}

/// A 4-bit input of the network, from `seed`.
inline std::vector<std::int64_t> every_layer_input(std::uint64_t seed) {
  return zkcnn::nn::zoo::random_input(every_layer_architecture(), seed, 4);
}

}  // namespace zkcnn_model_test
