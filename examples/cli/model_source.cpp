#include "model_source.hpp"

#include <charconv>
#include <chrono>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "files.hpp"
#include "idx.hpp"
#include "npy.hpp"
#include "onnx_import.hpp"

namespace zkcnn::cli {

namespace {

/// A quantized input's bound (nn::infer rejects inputs of 2^40 and more).
constexpr std::int64_t max_input_magnitude = std::int64_t{1} << 40;

/// Whole numbers in a byte range, or the first word that is not one.
Result<std::vector<std::int64_t>> parse_integers(std::string_view text) {
  std::vector<std::int64_t> values;
  auto is_separator = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ','; };
  std::size_t i = 0;
  while (true) {
    while (i < text.size() && is_separator(text[i])) ++i;
    if (i == text.size()) return values;
    std::size_t end = i;
    while (end < text.size() && !is_separator(text[end])) ++end;
    const std::string_view word = text.substr(i, end - i);
    std::int64_t value = 0;
    const auto parsed = std::from_chars(word.data(), word.data() + word.size(), value);
    if (parsed.ec != std::errc() || parsed.ptr != word.data() + word.size() || value <= -max_input_magnitude ||
        value >= max_input_magnitude) {
      return make_error(Errc::invalid_argument, "value " + std::to_string(values.size()) + " ('" +
                                                    std::string(word.substr(0, 40)) +
                                                    "') is not a whole number of magnitude below 2^40 (a text "
                                                    "input holds the quantized integers; give float inputs as a "
                                                    ".npy or .f32 file, which the tool quantizes)");
    }
    values.push_back(value);
    i = end;
  }
}

// A model input's shape, "3x32x32".
std::string input_shape(std::size_t channels, std::size_t height, std::size_t width) {
  return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
}

}  // namespace

std::vector<std::vector<double>> samples_file(const std::filesystem::path& path, std::size_t channels, std::size_t height,
                                              std::size_t width, const std::string& option) {
  const std::string what = option + " " + path.string();
  const std::size_t sample_size = channels * height * width;
  std::vector<std::vector<double>> samples;
  if (path.extension() == ".f32") {
    // Raw little-endian float32 values, the inputs one after the other: the model's input shape
    // gives their count.
    const auto bytes = take(data::read_bounded_file(path, data::max_npy_bytes), option);
    const std::size_t sample_bytes = sizeof(float) * sample_size;
    if (bytes.empty() || bytes.size() % sample_bytes != 0) {
      throw Failure(ExitCode::bad_input, what + ": " + std::to_string(bytes.size()) + " bytes are not a whole number of " +
                                             input_shape(channels, height, width) + " float32 inputs (" +
                                             std::to_string(sample_bytes) + " bytes each)");
    }
    for (std::size_t begin = 0; begin < bytes.size(); begin += sample_bytes) {
      std::vector<double> sample(sample_size);
      for (std::size_t i = 0; i < sample_size; ++i) {
        float value;
        std::memcpy(&value, bytes.data() + begin + sizeof(float) * i, sizeof value);
        sample[i] = value;
      }
      samples.push_back(std::move(sample));
    }
    return samples;
  }
  if (path.extension() != ".npy") {
    // IDX images (Fashion-MNIST's format), padded with a border of zeros as the shipped models'
    // training padded them.
    const auto images = take(data::read_idx_file(path), option);
    if (images.dims.size() != 3) {
      throw Failure(ExitCode::bad_input, what + ": an IDX file of images has 3 dimensions (count, height, width), this one " +
                                             std::to_string(images.dims.size()));
    }
    data::LabelledImages unlabelled{images.dims[0], images.dims[1], images.dims[2], images.values,
                                    std::vector<std::uint8_t>(images.dims[0], 0)};
    const auto padded = take(data::pad_to_input(unlabelled, channels, height, width), what);
    for (std::size_t i = 0; i < padded.count; ++i) samples.push_back(data::to_unit_interval(padded.image(i)));
    return samples;
  }
  return samples_from_array(take(data::read_npy_file(path), option), channels, height, width, what);
}

std::vector<std::vector<double>> samples_from_array(const data::NpyArray& array, std::size_t channels, std::size_t height,
                                                    std::size_t width, const std::string& what) {
  const std::size_t sample_size = channels * height * width;
  const auto& shape = array.shape;
  const bool one = shape == std::vector<std::size_t>{channels, height, width};
  const bool batch = shape.size() == 4 && shape[1] == channels && shape[2] == height && shape[3] == width;
  const bool gray_batch = channels == 1 && shape.size() == 3 && shape[1] == height && shape[2] == width;
  if (!one && !batch && !gray_batch) {
    throw Failure(ExitCode::bad_input, what + ": the array's shape is " + data::shape_text(shape) + "; the model takes " +
                                           input_shape(channels, height, width) + " inputs (one input, or N of them: Nx" +
                                           input_shape(channels, height, width) + ")");
  }
  // Bytes are pixels: the shipped models take pixel / 255. Floats are the model's inputs as they are.
  const double scale = array.type == data::NpyType::uint8 ? 1.0 / 255.0 : 1.0;
  std::vector<std::vector<double>> samples;
  for (std::size_t begin = 0; begin < array.values.size(); begin += sample_size) {
    std::vector<double> sample(array.values.begin() + static_cast<std::ptrdiff_t>(begin),
                               array.values.begin() + static_cast<std::ptrdiff_t>(begin + sample_size));
    for (double& v : sample) v *= scale;
    samples.push_back(std::move(sample));
  }
  return samples;
}

std::vector<std::size_t> labels_file(const std::filesystem::path& path, std::size_t count, const std::string& option) {
  const std::string what = option + " " + path.string();
  if (path.extension() == ".npy") return labels_from_array(take(data::read_npy_file(path), option), count, what);
  const auto labels = take(data::read_idx_file(path), option);
  if (labels.dims.size() != 1) {
    throw Failure(ExitCode::bad_input, what + ": an IDX file of labels has 1 dimension, this one " +
                                           std::to_string(labels.dims.size()));
  }
  return labels_from_array({data::NpyType::uint8, {labels.values.size()}, {labels.values.begin(), labels.values.end()}},
                           count, what);
}

std::vector<std::size_t> labels_from_array(const data::NpyArray& array, std::size_t count, const std::string& what) {
  if (array.shape.size() != 1) {
    throw Failure(ExitCode::bad_input, what + ": labels are a 1-dimensional array, this one is " + data::shape_text(array.shape));
  }
  if (array.values.size() != count) {
    throw Failure(ExitCode::bad_input, what + ": " + std::to_string(array.values.size()) + " labels for " +
                                           std::to_string(count) + " samples");
  }
  std::vector<std::size_t> labels;
  for (std::size_t i = 0; i < array.values.size(); ++i) {
    const double v = array.values[i];
    if (!(v >= 0 && v < 4294967296.0) || v != static_cast<double>(static_cast<std::uint64_t>(v))) {
      throw Failure(ExitCode::bad_input, what + ": label " + std::to_string(i) + " (" + fmt::format("{}", v) +
                                             ") is not a class number");
    }
    labels.push_back(static_cast<std::size_t>(v));
  }
  return labels;
}

OptionSpec data_option() {
  return {"--data", "DIR", "Fashion-MNIST's directory (default " + std::string(default_data_directory) + ")"};
}

std::vector<OptionSpec> quantization_options() {
  return {
      {"--weight-bits", "N", "weights are N-bit integers (default 8)"},
      {"--activation-bits", "N", "activations use at most N bits on the calibration images (default 8)"},
      {"--input-bits", "N", "the input is quantized at scale 2^N (default 8)"},
      {"--margin-bits", "N", "headroom bits of every accumulator over calibration (default 1)"},
      {"--calibration", "N", "calibrate on the first N samples (default 1000)"},
      {"--calibration-data", "FILE",
       "calibrate on the samples of FILE instead of Fashion-MNIST's training images: a NumPy .npy array "
       "(float32 or float64 inputs as the model takes them, or uint8 pixels, divided by 255), N x C x H x W "
       "(or N x H x W for one channel); a .f32 file of raw little-endian float32 inputs, one after the other; "
       "or IDX images"},
      data_option(),
  };
}

nn::QuantizedModel import_model(const Arguments& arguments, const Output& output) {
  const std::string path = arguments.required("--model");
  onnx_import::QuantizationOptions options;
  options.weight_bits = arguments.number("--weight-bits", options.weight_bits, 2, 32);
  options.activation_bits = arguments.number("--activation-bits", options.activation_bits, 1, 32);
  options.input_scale_bits = arguments.number("--input-bits", options.input_scale_bits, 0, 32);
  options.accumulator_margin_bits = arguments.number("--margin-bits", options.accumulator_margin_bits, 0, 16);
  const std::size_t calibration_count = arguments.number("--calibration", 1000, 1, 60000);
  const std::string data = arguments.optional("--data").value_or(std::string(default_data_directory));

  output.progress("importing {}", path);
  const auto float_model = take(onnx_import::load_onnx(path), "--model");
  std::vector<std::vector<double>> calibration;
  if (const auto file = arguments.optional("--calibration-data")) {
    output.progress("reading calibration samples from {}", *file);
    calibration = samples_file(*file, float_model.channels, float_model.height, float_model.width, "--calibration-data");
    if (calibration.empty()) throw Failure(ExitCode::bad_input, "--calibration-data " + *file + ": no samples");
    if (calibration.size() > calibration_count) calibration.resize(calibration_count);
  } else {
    output.progress("reading {} Fashion-MNIST training images for calibration ({})", calibration_count, data);
    const auto train = take(data::load_fashion_mnist(data, data::Split::train), "data");
    const auto padded = take(data::pad_to_input(train, float_model.channels, float_model.height, float_model.width),
                             "Fashion-MNIST calibration images (give other data with --calibration-data)");
    for (std::size_t i = 0; i < std::min(calibration_count, padded.count); ++i) {
      calibration.push_back(data::to_unit_interval(padded.image(i)));
    }
  }
  return quantize_model(float_model, std::move(calibration), options, output);
}

nn::QuantizedModel quantize_model(const onnx_import::FloatModel& float_model, std::vector<std::vector<double>> calibration,
                                  onnx_import::QuantizationOptions options, const Output& output) {
  const auto start = std::chrono::steady_clock::now();
  output.progress("quantizing: {}-bit weights, {}-bit activations, calibrated on {} samples", options.weight_bits,
                  options.activation_bits, calibration.size());
  ProgressBar bar(output, "calibrating");
  options.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
  auto model = take(onnx_import::quantize(float_model, calibration, options), "quantize");
  output.progress("quantized {} ({} layers) in {:.2f} s", model.architecture.name, model.architecture.layers.size(),
                  seconds_since(start));
  return model;
}

LabelledInputs test_images(const std::filesystem::path& directory, std::size_t first, std::size_t count,
                           const nn::Architecture& architecture, const std::string& option) {
  const auto test = take(data::load_fashion_mnist(directory, data::Split::test), "data");
  if (first >= test.count || count > test.count - first) {
    throw Failure(ExitCode::bad_input, option + ": Fashion-MNIST has " + std::to_string(test.count) + " test images (0 to " +
                                           std::to_string(test.count - 1) + "), not " + std::to_string(first) +
                                           (count == 1 ? "" : " to " + std::to_string(first + count - 1)));
  }
  // The chosen images alone, padded as the model's training padded them.
  const data::LabelledImages chosen = data::slice_images(test, first, count);
  const auto padded =
      take(data::pad_to_input(chosen, architecture.in_channels, architecture.height, architecture.width), option);
  LabelledInputs inputs;
  for (std::size_t i = 0; i < count; ++i) {
    inputs.values.push_back(take(
        onnx_import::quantize_input(data::to_unit_interval(padded.image(i)), architecture.input_scale_bits), option));
    inputs.labels.push_back(chosen.labels[i]);
  }
  return inputs;
}

ModelInput test_image(const std::filesystem::path& directory, std::size_t index, const nn::Architecture& architecture) {
  auto chosen = test_images(directory, index, 1, architecture, "--image");
  return {std::move(chosen.values[0]), "Fashion-MNIST test image " + std::to_string(index), chosen.labels[0],
          data::fashion_mnist_classes};
}

ModelInput input_file(const std::filesystem::path& path, const nn::Architecture& architecture) {
  if (path.extension() == ".npy" || path.extension() == ".f32") {
    const auto samples = samples_file(path, architecture.in_channels, architecture.height, architecture.width, "--input");
    if (samples.size() != 1) {
      throw Failure(ExitCode::bad_input, "--input " + path.string() + ": " + std::to_string(samples.size()) +
                                             " inputs; a prediction takes one");
    }
    return {take(onnx_import::quantize_input(samples[0], architecture.input_scale_bits), "--input " + path.string()),
            path.string(), std::nullopt, {}};
  }
  const auto bytes = take(read_file(path), path.string());
  auto values = take(parse_integers({reinterpret_cast<const char*>(bytes.data()), bytes.size()}), path.string());
  const std::size_t expected = architecture.in_channels * architecture.height * architecture.width;
  if (values.size() != expected) {
    throw Failure(ExitCode::bad_input, path.string() + ": " + std::to_string(values.size()) + " values, the model takes " +
                                           std::to_string(expected) + " (" + std::to_string(architecture.in_channels) + "x" +
                                           std::to_string(architecture.height) + "x" +
                                           std::to_string(architecture.width) + ")");
  }
  return {std::move(values), path.string(), std::nullopt, {}};
}

LabelledData read_data(const Arguments& arguments, const nn::Architecture& architecture, const Output& output) {
  arguments.require_one_of({"--images", "--samples"});
  LabelledData data;
  if (const auto samples_path = arguments.optional("--samples")) {
    data.count_option = "--samples";
    output.progress("reading samples from {}", *samples_path);
    const auto samples =
        samples_file(*samples_path, architecture.in_channels, architecture.height, architecture.width, "--samples");
    if (samples.empty() || samples.size() > max_dataset_samples) {
      throw Failure(ExitCode::bad_input, "--samples " + *samples_path + ": " + std::to_string(samples.size()) +
                                             " samples (1 to " + std::to_string(max_dataset_samples) + " are proven)");
    }
    data.inputs.labels = labels_file(arguments.required("--labels"), samples.size(), "--labels");
    for (std::size_t i = 0; i < samples.size(); ++i) {
      data.inputs.values.push_back(take(onnx_import::quantize_input(samples[i], architecture.input_scale_bits),
                                        "--samples " + *samples_path + ", sample " + std::to_string(i)));
    }
    data.source = "the samples of " + *samples_path;
  } else {
    data.count_option = "--images";
    const std::size_t count = arguments.required_number("--images", 1, max_accuracy_samples);
    const std::size_t first = arguments.number("--first", 0, 0, max_accuracy_samples - 1);
    const std::string directory = arguments.optional("--data").value_or(std::string(default_data_directory));
    output.progress("reading Fashion-MNIST test images {} to {} ({})", first, first + count - 1, directory);
    data.inputs = test_images(directory, first, count, architecture, "--first/--images");
    data.source = fmt::format("Fashion-MNIST test images {} to {}", first, first + count - 1);
  }
  return data;
}

zk::SampleSource source_of(const LabelledInputs& inputs) {
  return [&inputs](std::size_t first, std::size_t count) -> Result<zk::LabelledBatch> {
    if (first > inputs.values.size() || count > inputs.values.size() - first) {
      return make_error(Errc::invalid_argument, "the data holds " + std::to_string(inputs.values.size()) +
                                                    " samples, not samples " + std::to_string(first) + " to " +
                                                    std::to_string(first + count - 1));
    }
    const auto begin = static_cast<std::ptrdiff_t>(first), end = static_cast<std::ptrdiff_t>(first + count);
    return zk::LabelledBatch{{inputs.values.begin() + begin, inputs.values.begin() + end},
                             {inputs.labels.begin() + begin, inputs.labels.begin() + end}};
  };
}

std::vector<OptionSpec> accuracy_data_options() {
  return {{"--images", "N", "N Fashion-MNIST test images (1 to " + std::to_string(max_accuracy_samples) + ")"},
          {"--first", "K", "starting at test image K (default 0)"},
          data_option(),
          {"--samples", "FILE", "the samples in FILE instead of test images"},
          {"--labels", "FILE", "the samples' labels"}};
}

}  // namespace zkcnn::cli
