// import_onnx: a trained float CNN from ONNX, quantized for zkcnn, with its float and quantized
// accuracy on the Fashion-MNIST test set.
//
//   import_onnx MODEL.onnx [--data DIR] [--weight-bits 8] [--activation-bits 8] [--input-bits 8]
//               [--margin-bits 1] [--calibration 1000] [--limit N] [--min-accuracy A]
//
// Rescales are calibrated on the first --calibration training images; accuracy is measured on
// the first --limit test images (all 10000 by default). 28x28 images are padded with zeros to
// the model's input size (LeNet-5 takes 32x32). Exits non-zero on any error, and when the
// quantized accuracy is below --min-accuracy.

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "idx.hpp"
#include "onnx_import.hpp"

namespace {

namespace data = zkcnn::data;
namespace onnx_import = zkcnn::onnx_import;

struct Options {
  std::string model;
  std::string data = "/usr/share/datasets/fashion-mnist";
  onnx_import::QuantizationOptions quantization;
  std::size_t calibration = 1000;
  std::size_t limit = 0;  // 0: the whole test set
  double min_accuracy = 0;
};

[[noreturn]] void usage(const std::string& problem) {
  fmt::print(stderr,
             "{}\nusage: import_onnx MODEL.onnx [--data DIR] [--weight-bits N] [--activation-bits N] [--input-bits N]\n"
             "                   [--margin-bits N] [--calibration N] [--limit N] [--min-accuracy A]\n",
             problem);
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!arg.starts_with("--")) {
      if (!options.model.empty()) usage("more than one model given");
      options.model = arg;
      continue;
    }
    if (i + 1 == argc) usage(std::string(arg) + " needs a value");
    const std::string value = argv[++i];
    auto number = [&]() -> std::size_t {
      try {
        std::size_t end = 0;
        const auto n = std::stoul(value, &end);
        if (end == value.size()) return n;
      } catch (const std::exception&) {
      }
      usage(std::string(arg) + ": not a number: " + value);
    };
    if (arg == "--data") {
      options.data = value;
    } else if (arg == "--weight-bits") {
      options.quantization.weight_bits = number();
    } else if (arg == "--activation-bits") {
      options.quantization.activation_bits = number();
    } else if (arg == "--input-bits") {
      options.quantization.input_scale_bits = number();
    } else if (arg == "--margin-bits") {
      options.quantization.accumulator_margin_bits = number();
    } else if (arg == "--calibration") {
      options.calibration = number();
    } else if (arg == "--limit") {
      options.limit = number();
    } else if (arg == "--min-accuracy") {
      try {
        options.min_accuracy = std::stod(value);
      } catch (const std::exception&) {
        usage("--min-accuracy: not a number: " + value);
      }
    } else {
      usage("unknown option " + std::string(arg));
    }
  }
  if (options.model.empty()) usage("no model given");
  return options;
}

/// The first `count` images of `set` as the model's float inputs, padded to its size.
zkcnn::Result<std::vector<std::vector<double>>> model_inputs(const data::LabelledImages& set, std::size_t count,
                                                             const onnx_import::FloatModel& model) {
  const auto padded = data::pad_to_input(set, model.channels, model.height, model.width);
  if (!padded) return padded.error();
  std::vector<std::vector<double>> inputs;
  for (std::size_t i = 0; i < std::min(count, padded->count); ++i) inputs.push_back(data::to_unit_interval(padded->image(i)));
  return inputs;
}

int fail(const std::string& what, const zkcnn::Error& error) {
  fmt::print(stderr, "{}: {}\n", what, error.message);
  return EXIT_FAILURE;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  const auto start = std::chrono::steady_clock::now();

  auto model = onnx_import::load_onnx(options.model);
  if (!model) return fail("import", model.error());
  auto train = data::load_fashion_mnist(options.data, data::Split::train);
  if (!train) return fail("data", train.error());
  auto test = data::load_fashion_mnist(options.data, data::Split::test);
  if (!test) return fail("data", test.error());

  auto calibration = model_inputs(*train, options.calibration, *model);
  if (!calibration) return fail("data", calibration.error());
  auto quantized = onnx_import::quantize(*model, *calibration, options.quantization);
  if (!quantized) return fail("quantize", quantized.error());

  const auto& q = options.quantization;
  fmt::print("{}: {}x{}x{} input at 2^{}; {}-bit weights, {}-bit activations, {} margin bit(s); calibrated on {} "
             "training images\n",
             quantized->architecture.name, model->channels, model->height, model->width, q.input_scale_bits, q.weight_bits,
             q.activation_bits, q.accumulator_margin_bits, calibration->size());
  for (std::size_t i = 0; i < quantized->architecture.layers.size(); ++i) {
    fmt::print("  {:2}  {}\n", i, onnx_import::describe_layer(quantized->architecture, i));
  }

  auto inputs = model_inputs(*test, options.limit == 0 ? test->count : options.limit, *model);
  if (!inputs) return fail("data", inputs.error());
  const std::span<const std::uint8_t> labels(test->labels.data(), inputs->size());
  auto report = onnx_import::compare_accuracy(*model, *quantized, *inputs, labels);
  if (!report) return fail("accuracy", report.error());

  const double n = static_cast<double>(report->samples);
  const double quantized_accuracy = static_cast<double>(report->quantized_correct) / n;
  fmt::print("test images:        {}\n", report->samples);
  fmt::print("float accuracy:     {:.4f}\n", static_cast<double>(report->float_correct) / n);
  fmt::print("quantized accuracy: {:.4f}\n", quantized_accuracy);
  fmt::print("same prediction:    {:.4f}\n", static_cast<double>(report->agreements) / n);
  fmt::print("out of range:       {} (accumulators outside a rescale's bit width; counted as wrong)\n",
             report->out_of_range);
  fmt::print("time:               {:.1f} s\n",
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (quantized_accuracy < options.min_accuracy) {
    fmt::print(stderr, "quantized accuracy {:.4f} is below the minimum {:.4f}\n", quantized_accuracy, options.min_accuracy);
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
