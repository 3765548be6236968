#pragma once
// The architectures of the paper's evaluation (zkCNN section 6): LeNet-5 on 1x32x32 images and
// VGG-11 / VGG-16 on 3x32x32 (CIFAR-10) images; residual networks (He, Zhang, Ren, Sun, "Deep
// Residual Learning for Image Recognition", CVPR 2016): ResNet-20 and the CIFAR-10 variant of
// ResNet-18; and deterministic random weights for them,
// with each rescale calibrated so that activations keep a fixed number of bits. They serve
// tests and benchmarks; trained models come from the ONNX importer.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "zkcnn/error.hpp"
#include "zkcnn/nn/architecture.hpp"
#include "zkcnn/nn/quantized_model.hpp"

namespace zkcnn::nn::zoo {

/// LeNet-5: two 5x5 convolutions (6 and 16 channels) each followed by ReLU and 2x2 max
/// pooling, then dense layers of 120, 84 and 10 outputs.
inline Architecture lenet5() {
  Architecture a;
  a.name = "lenet5";
  a.in_channels = 1, a.height = 32, a.width = 32;
  a.layers = {Conv2dSpec{6, 5}, RescaleReluSpec{}, MaxPoolSpec{2}, Conv2dSpec{16, 5}, RescaleReluSpec{}, MaxPoolSpec{2},
              FlattenSpec{}, DenseSpec{120}, RescaleReluSpec{}, DenseSpec{84}, RescaleReluSpec{}, DenseSpec{10}};
  return a;
}

/// A VGG network for 3x32x32 inputs: 3x3 convolutions with padding 1 (channel counts from
/// `blocks`, 2x2 max pooling after each block), then dense layers of 512, 512 and 10 outputs.
inline Architecture vgg(std::string name, const std::vector<std::vector<std::size_t>>& blocks) {
  Architecture a;
  a.name = std::move(name);
  a.in_channels = 3, a.height = 32, a.width = 32;
  for (const auto& block : blocks) {
    for (std::size_t channels : block) {
      a.layers.push_back(Conv2dSpec{channels, 3, 1});
      a.layers.push_back(RescaleReluSpec{});
    }
    a.layers.push_back(MaxPoolSpec{2});
  }
  a.layers.push_back(FlattenSpec{});
  for (std::size_t features : {512, 512}) {
    a.layers.push_back(DenseSpec{features});
    a.layers.push_back(RescaleReluSpec{});
  }
  a.layers.push_back(DenseSpec{10});
  return a;
}

inline Architecture vgg11() { return vgg("vgg11", {{64}, {128}, {256, 256}, {512, 512}, {512, 512}}); }
inline Architecture vgg16() { return vgg("vgg16", {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}}); }

/// A residual network for images of `channels` x `size` x `size`: a 3x3 stem convolution of
/// stage_channels[0] channels, then for each stage `blocks` basic blocks (two 3x3 convolutions,
/// the first of stride 2 in every stage but the first, and a shortcut added before the
/// block's last ReLU: the identity, or a strided 1x1 projection where the shape changes),
/// global average pooling and a dense layer of `classes` outputs. The final map's side must be
/// a power of two (the pooling window).
inline Architecture resnet(std::string name, std::size_t channels, std::size_t size,
                           const std::vector<std::size_t>& stage_channels, std::size_t blocks, std::size_t classes = 10) {
  Architecture a;
  a.name = std::move(name);
  a.in_channels = channels, a.height = size, a.width = size;
  a.add(Conv2dSpec{stage_channels.front(), 3, 1});
  std::size_t x = a.add(RescaleReluSpec{});
  std::size_t width = stage_channels.front();
  for (std::size_t stage = 0; stage < stage_channels.size(); ++stage) {
    for (std::size_t block = 0; block < blocks; ++block) {
      const std::size_t out = stage_channels[stage];
      const std::size_t stride = stage > 0 && block == 0 ? 2 : 1;
      const std::size_t c1 = a.add(Conv2dSpec{out, 3, 1, stride}, {x});
      const std::size_t r1 = a.add(RescaleReluSpec{}, {c1});
      const std::size_t c2 = a.add(Conv2dSpec{out, 3, 1}, {r1});
      const std::size_t shortcut = stride == 1 && out == width ? x : a.add(Conv2dSpec{out, 1, 0, stride}, {x});
      const std::size_t sum = a.add(AddSpec{}, {c2, shortcut});
      x = a.add(RescaleReluSpec{}, {sum});
      width = out;
    }
  }
  const std::size_t side = size >> (stage_channels.size() - 1);
  a.add(AvgPoolSpec{side}, {x});
  a.add(FlattenSpec{});
  a.add(DenseSpec{classes});
  return a;
}

/// ResNet-20 for CIFAR-10 (He et al. section 4.2): three stages of 16, 32 and 64 channels, three
/// blocks each, 1x1 projections where the shape changes; 0.27 M parameters.
inline Architecture resnet20() { return resnet("resnet20", 3, 32, {16, 32, 64}, 3); }

/// ResNet-18's CIFAR-10 variant: a 3x3 stem and four stages of 64 to 512 channels, two blocks
/// each; 11 M parameters.
inline Architecture resnet18() { return resnet("resnet18", 3, 32, {64, 128, 256, 512}, 2); }

/// A deterministic random input: values in [0, 2^bits).
inline std::vector<std::int64_t> random_input(const Architecture& architecture, std::uint64_t seed, std::size_t bits = 8) {
  std::mt19937_64 rng(seed);
  std::vector<std::int64_t> input(architecture.in_channels * architecture.height * architecture.width);
  for (auto& v : input) v = static_cast<std::int64_t>(rng() >> (64 - bits));
  return input;
}

/// Random weights in [-2^(weight_bits-1), 2^(weight_bits-1)) from `seed`, with every
/// rescale-ReLU of the architecture set (shift and accumulator bits) so that, on `calibration`
/// (a typical input), its outputs use at most `activation_bits` bits with one bit of margin
/// for the accumulators.
inline Result<QuantizedModel> random_model(Architecture architecture, std::uint64_t seed,
                                           const std::vector<std::int64_t>& calibration, std::size_t weight_bits = 8,
                                           std::size_t activation_bits = 8) {
  auto sizes = QuantizedModel::weight_sizes(architecture);
  if (!sizes) return sizes.error();
  std::mt19937_64 rng(seed);
  const std::int64_t half = std::int64_t{1} << (weight_bits - 1);
  auto draw = [&] { return static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(2 * half)) - half; };
  QuantizedModel model{std::move(architecture), {}};
  for (const auto& [kernel, bias] : *sizes) {
    LayerWeights w;
    for (std::size_t i = 0; i < kernel; ++i) w.kernel.push_back(draw());
    for (std::size_t i = 0; i < bias; ++i) w.bias.push_back(draw());
    model.weights.push_back(std::move(w));
  }
  // Calibrate the rescales in order, each on the accumulators the earlier ones produce.
  for (std::size_t i = 0; i < model.architecture.layers.size(); ++i) {
    if (!std::holds_alternative<RescaleReluSpec>(model.architecture.layers[i])) continue;
    // The layers up to the one the rescale reads (its input's producer, an earlier layer),
    // with the rescales calibrated so far.
    const std::size_t source = model.architecture.layer_inputs(i)[0];
    auto trace = infer(model, calibration, source);
    if (!trace) return trace.error();
    std::int64_t largest = 1;
    for (std::int64_t v : trace->back()) largest = std::max(largest, v < 0 ? -v : v);
    const auto magnitude_bits = static_cast<std::size_t>(std::bit_width(static_cast<std::uint64_t>(largest)));
    auto& spec = std::get<RescaleReluSpec>(model.architecture.layers[i]);
    spec.bits = std::min(Architecture::max_bits, magnitude_bits + 2);
    spec.shift = magnitude_bits > activation_bits ? magnitude_bits - activation_bits : 0;
  }
  return model;
}

}  // namespace zkcnn::nn::zoo
