// The ONNX importer (examples/onnx/onnx_import.hpp) on hostile model files, as `zkcnn commit`
// runs it: onnx_import::parse_onnx (Protobuf decoding, then every node, attribute, tensor and
// shape check of the importer), then, for a model that imports, onnx_import::quantize on one
// calibration input (float inference, the weights' and rescales' scales, and integer
// inference on the architecture it builds). An imported model's weights and biases must be
// finite: the importer reads only finite tensors, and what it folds into a layer (batch
// normalizations, Gemm's alpha and beta) must keep them so. Quantization runs only for inputs
// of at most 1024 values (LeNet-5's size): its cost grows with the input's area times the
// weights, and the weights are bounded by the file's length.

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include "fuzz_support.hpp"
#include "onnx_import.hpp"

namespace {

namespace onnx_import = zkcnn::onnx_import;

bool finite(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

bool finite(const onnx_import::FloatLayer& layer) {
  if (const auto* c = std::get_if<onnx_import::FloatConv>(&layer.operation)) return finite(c->weights) && finite(c->bias);
  if (const auto* d = std::get_if<onnx_import::FloatDense>(&layer.operation)) return finite(d->weights) && finite(d->bias);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t max_calibrated_input = 1024;
  auto model = onnx_import::parse_onnx(zkcnn_fuzz::input(data, size), "fuzz");
  if (!model) return 0;
  zkcnn_fuzz::require(std::all_of(model->layers.begin(), model->layers.end(), [](const auto& layer) { return finite(layer); }),
                      "an imported model's weights and biases are finite");
  if (model->input_size() > max_calibrated_input) return 0;
  // Pixels in [0, 1], as the shipped models take them, with more than one distinct value.
  std::vector<std::vector<double>> calibration(1);
  for (std::size_t i = 0; i < model->input_size(); ++i) calibration[0].push_back(static_cast<double>(i % 7) / 6.0);
  (void)onnx_import::quantize(*model, calibration, {});
  return 0;
}
