#pragma once
// Where models and inputs come from: a trained ONNX model imported and quantized
// (examples/onnx, calibrated on Fashion-MNIST training images or on samples from a file),
// Fashion-MNIST test images, a NumPy .npy file of float inputs, or a text file of integers.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <zkcnn/nn/quantized_model.hpp>
#include <zkcnn/zk/sharded_accuracy.hpp>

#include "arguments.hpp"
#include "cli.hpp"
#include "npy.hpp"
#include "onnx_import.hpp"

namespace zkcnn::cli {

/// Debian's dataset-fashion-mnist.
inline constexpr std::string_view default_data_directory = "/usr/share/datasets/fashion-mnist";

/// --data DIR, shared by the subcommands that read Fashion-MNIST.
OptionSpec data_option();

/// --weight-bits, --activation-bits, --input-bits, --margin-bits, --calibration and --data.
std::vector<OptionSpec> quantization_options();

/// Imports --model and quantizes it as the quantization options say.
nn::QuantizedModel import_model(const Arguments& arguments, const Output& output);

/// Quantizes an imported model, calibrating on `calibration` (float inputs as the model takes
/// them, at least one), with a progress bar.
nn::QuantizedModel quantize_model(const onnx_import::FloatModel& float_model, std::vector<std::vector<double>> calibration,
                                  onnx_import::QuantizationOptions options, const Output& output);

/// A model input and where it came from.
struct ModelInput {
  std::vector<std::int64_t> values;
  /// "Fashion-MNIST test image 7", or the file's name.
  std::string source;
  /// The true class of a data set image.
  std::optional<std::size_t> label;
  /// The data set's class names, by label (none for a file).
  std::span<const std::string_view> class_names;

  std::optional<std::string_view> class_name(std::size_t label) const {
    if (label >= class_names.size()) return std::nullopt;
    return class_names[label];
  }
};

/// Labelled model inputs.
struct LabelledInputs {
  std::vector<std::vector<std::int64_t>> values;
  std::vector<std::size_t> labels;
};

/// Test images first to first + count - 1 of Fashion-MNIST in `directory`, padded and
/// quantized for the model; `option` names the option that chose them in errors.
LabelledInputs test_images(const std::filesystem::path& directory, std::size_t first, std::size_t count,
                           const nn::Architecture& architecture, const std::string& option);

/// Test image `index` of Fashion-MNIST in `directory`, padded and quantized for the model.
ModelInput test_image(const std::filesystem::path& directory, std::size_t index, const nn::Architecture& architecture);

/// Float inputs from a file: a NumPy .npy array of one input (C x H x W) or a batch (N x C x H x
/// W, or N x H x W for one channel), uint8 pixels divided by 255; a .f32 file of raw
/// little-endian float32 inputs one after the other; or IDX images, padded to the input's size
/// with a border of zeros. `option` names the option that gave the file in errors.
std::vector<std::vector<double>> samples_file(const std::filesystem::path& path, std::size_t channels, std::size_t height,
                                              std::size_t width, const std::string& option);

/// The samples of an array: one input (C x H x W) or a batch (N x C x H x W, or N x H x W for
/// one channel), uint8 pixels divided by 255; `what` names the array in errors.
std::vector<std::vector<double>> samples_from_array(const data::NpyArray& array, std::size_t channels, std::size_t height,
                                                    std::size_t width, const std::string& what);

/// The labels of `count` samples from a file: a 1-dimensional NumPy .npy array of whole numbers
/// (any integer or float type), or an IDX label file.
std::vector<std::size_t> labels_file(const std::filesystem::path& path, std::size_t count, const std::string& option);

/// The labels of `count` samples from a 1-dimensional array of whole numbers; `what` names the
/// array in errors.
std::vector<std::size_t> labels_from_array(const data::NpyArray& array, std::size_t count, const std::string& what);

/// The most samples an accuracy proven in shards covers.
inline constexpr std::size_t max_dataset_samples = std::size_t{1} << 24;

/// Labelled samples chosen by the accuracy commands' data options, quantized at the model's
/// input scale, with a description and the option that chose their count.
struct LabelledData {
  LabelledInputs inputs;
  std::string source;
  std::string count_option;
};

/// The accuracy commands' data options: --images N [--first K] [--data DIR] (Fashion-MNIST test
/// images) or --samples FILE --labels FILE; at most max_dataset_samples samples.
std::vector<OptionSpec> accuracy_data_options();
LabelledData read_data(const Arguments& arguments, const nn::Architecture& architecture, const Output& output);

/// The samples of `inputs`, a shard at a time (zk/sharded_accuracy.hpp); `inputs` must outlive it.
zk::SampleSource source_of(const LabelledInputs& inputs);

/// A .npy or .f32 file of one float input (samples_file), quantized at the model's input scale;
/// or a text file of integers separated by whitespace or commas: the model's input at its input
/// scale, channel by channel, each row-major.
ModelInput input_file(const std::filesystem::path& path, const nn::Architecture& architecture);

}  // namespace zkcnn::cli
