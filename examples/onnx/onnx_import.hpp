#pragma once
// Importing a trained float CNN from ONNX into a zkcnn::nn::QuantizedModel.
//
// Two steps. `load_onnx` reads the graph into a FloatModel: layers in the grammar
// nn::Architecture can express, each reading the input or earlier layers' outputs (a chain, or
// a graph with residual connections), with the float weights, and with batch normalization,
// zero padding, Identity and Dropout folded away. `quantize` then picks power-of-two scales: each
// weight tensor's from its largest magnitude and the weight bit width, each rescale-ReLU's
// accumulator bits and shift from the accumulators seen on calibration inputs (as
// nn::zoo::random_model does). Whatever the architecture cannot express exactly (an operator,
// an attribute, a shape) is an error that names the node, its operator and the reason:
// nothing is approximated beyond the quantization itself.
//
// Supported operators: Conv (square kernels, equal strides, symmetric padding, group 1, no
// dilation), Gemm, MatMul, Add (of two computed tensors of one shape, a residual connection;
// or of a constant, as the bias of the Conv, Gemm or MatMul just before it), Relu, MaxPool and
// AveragePool (square windows of a power-of-two size with the stride equal to the window, no
// padding), GlobalAveragePool (and so AdaptiveAvgPool to 1x1; square maps of a power-of-two
// side), Flatten and a Reshape that flattens, Pad (constant zeros on the height and width,
// folded into the next Conv), BatchNormalization after a Conv or Gemm whose output nothing
// else reads (folded into it), Identity and Dropout (inference), Constant. Nodes come in any
// topological order; the graph has one float input, (batch, C, H, W) or (batch, features)
// with batch 1 or symbolic, and one output, computed last.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <zkcnn/error.hpp>
#include <zkcnn/nn/quantized_model.hpp>

namespace zkcnn::onnx_import {

/// A convolution: weights (out, in, row, column), one bias per output channel.
struct FloatConv {
  std::size_t in_channels = 0, out_channels = 0, kernel = 0, padding = 0, stride = 1;
  std::vector<double> weights, bias;
};

/// A dense layer: weights (out, in), `in` over the flattened input in PyTorch's order.
struct FloatDense {
  std::size_t in_features = 0, out_features = 0;
  std::vector<double> weights, bias;
};

struct FloatRelu {};
struct FloatMaxPool {
  std::size_t window = 2;
};
/// The mean over each window (stride equal to the window).
struct FloatAvgPool {
  std::size_t window = 2;
};
struct FloatFlatten {};
/// The sum of two tensors of one shape.
struct FloatAdd {};

using FloatOperation = std::variant<FloatConv, FloatDense, FloatRelu, FloatMaxPool, FloatAvgPool, FloatFlatten, FloatAdd>;

struct FloatLayer {
  FloatOperation operation;
  /// The ONNX node it came from, for messages: "node 'name' (Conv)".
  std::string origin;
};

/// A float CNN on (channels, height, width) inputs, its layers in the order they run.
struct FloatModel {
  std::string name;
  std::size_t channels = 1, height = 1, width = 1;
  std::vector<FloatLayer> layers;
  /// The tensors each layer reads, numbered as nn::Architecture::reads numbers them (0 the
  /// input, k + 1 layer k's output); one list per layer.
  std::vector<std::vector<std::size_t>> reads;

  std::size_t input_size() const { return channels * height * width; }
};

/// Reads an ONNX model from its bytes; `name` becomes the architecture's name.
Result<FloatModel> parse_onnx(std::span<const std::uint8_t> bytes, const std::string& name);

/// Reads an ONNX file; the architecture is named after the file's stem.
Result<FloatModel> load_onnx(const std::filesystem::path& path);

/// Float inference in double precision: the outputs (logits) for one input.
Result<std::vector<double>> run_float(const FloatModel& model, std::span<const double> input);

struct QuantizationOptions {
  /// Weights are integers in [-2^(weight_bits-1), 2^(weight_bits-1)).
  std::size_t weight_bits = 8;
  /// Rescale-ReLU outputs use at most this many bits on the calibration inputs.
  std::size_t activation_bits = 8;
  /// The integer input is round(x * 2^input_scale_bits).
  std::size_t input_scale_bits = 8;
  /// Bits of headroom of each rescale's accumulator range over the largest accumulator seen in
  /// calibration (1 is nn::zoo::random_model's choice); an input whose accumulators leave the
  /// range fails integer inference.
  std::size_t accumulator_margin_bits = 1;
  nn::ConvAlgorithm conv_algorithm = nn::ConvAlgorithm::fft;
  /// Called after each calibration inference with the inferences done and in all (every
  /// rescale-ReLU runs the calibration inputs through the layers before it); may be empty.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress = {};
};

/// The integer input for a float input: round(x * 2^input_scale_bits), halves away from zero.
/// Fails on values that are not finite or exceed 2^40 once scaled (nn::infer's bound).
Result<std::vector<std::int64_t>> quantize_input(std::span<const double> input, std::size_t input_scale_bits);

/// Quantizes `model` with power-of-two scales, calibrating every rescale on `calibration`
/// (float inputs, at least one).
Result<nn::QuantizedModel> quantize(const FloatModel& model, std::span<const std::vector<double>> calibration,
                                    const QuantizationOptions& options);

/// A quantized layer in words, for reports: "conv2d 6 channels, 5x5, padding 0, stride 1,
/// weights at 2^7", "rescale-relu: 19-bit accumulators, shift 9", ...
std::string describe_layer(const nn::LayerSpec& spec);

/// Layer `k` of an architecture in words; in a graph, with the layers it reads:
/// "add, reads layer 6 and layer 7", "conv2d ..., reads the input".
std::string describe_layer(const nn::Architecture& architecture, std::size_t k);

struct AccuracyReport {
  std::size_t samples = 0;
  std::size_t float_correct = 0;
  std::size_t quantized_correct = 0;
  /// Samples on which the float and the quantized model predict the same class.
  std::size_t agreements = 0;
  /// Samples whose accumulators leave a rescale's range (counted as wrong predictions).
  std::size_t out_of_range = 0;
};

/// Float and quantized predictions (the index of the largest output, the first on ties)
/// against `labels`, one label per input.
Result<AccuracyReport> compare_accuracy(const FloatModel& float_model, const nn::QuantizedModel& quantized,
                                        std::span<const std::vector<double>> inputs, std::span<const std::uint8_t> labels);

}  // namespace zkcnn::onnx_import
