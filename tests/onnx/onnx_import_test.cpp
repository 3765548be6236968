// The ONNX importer of examples/onnx:
//   - the shipped LeNet-5, quantized and run by nn::infer, equals an independent numpy
//     reference (tests/onnx/make_lenet5_reference.py) on checked-in images;
//   - a small model per supported operator imports to the expected architecture, its float
//     inference equals PyTorch's output and its quantized inference comes close to it
//     (tests/onnx/make_operator_models.py wrote both);
//   - unsupported operators, attributes and shapes, and damaged bytes, give errors that name
//     the node, its operator and the reason.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <zkcnn/nn/zoo.hpp>

#include "idx.hpp"
#include "onnx_import.hpp"

namespace {

namespace nn = zkcnn::nn;
namespace onnx_import = zkcnn::onnx_import;

const std::filesystem::path test_data = ZKCNN_ONNX_TEST_DATA;
const std::filesystem::path lenet5_path = std::filesystem::path(ZKCNN_MODELS_DIR) / "lenet5_fashion_mnist.onnx";

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A layer's kind and shape parameters, without its scales, in the reference file's words.
std::string structure(const nn::LayerSpec& spec) {
  return std::visit(
      [](const auto& s) -> std::string {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, nn::Conv2dSpec>) {
          return "conv2d " + std::to_string(s.out_channels) + " " + std::to_string(s.kernel) + " " + std::to_string(s.padding) +
                 " " + std::to_string(s.stride);
        } else if constexpr (std::is_same_v<S, nn::DenseSpec>) {
          return "dense " + std::to_string(s.out_features);
        } else if constexpr (std::is_same_v<S, nn::RescaleReluSpec>) {
          return "rescale-relu";
        } else if constexpr (std::is_same_v<S, nn::MaxPoolSpec>) {
          return "maxpool " + std::to_string(s.window);
        } else if constexpr (std::is_same_v<S, nn::AvgPoolSpec>) {
          return "avgpool " + std::to_string(s.window);
        } else if constexpr (std::is_same_v<S, nn::AddSpec>) {
          return "add";
        } else {
          return "flatten";
        }
      },
      spec);
}

/// The same with the scales: what the numpy reference writes.
std::string with_scales(const nn::LayerSpec& spec) {
  if (const auto* c = std::get_if<nn::Conv2dSpec>(&spec)) return structure(spec) + " " + std::to_string(c->weight_scale_bits);
  if (const auto* d = std::get_if<nn::DenseSpec>(&spec)) return structure(spec) + " " + std::to_string(d->weight_scale_bits);
  if (const auto* r = std::get_if<nn::RescaleReluSpec>(&spec)) {
    return structure(spec) + " " + std::to_string(r->bits) + " " + std::to_string(r->shift);
  }
  return structure(spec);
}

std::vector<std::string> structures(const nn::Architecture& a, bool scales) {
  std::vector<std::string> out;
  for (const auto& spec : a.layers) out.push_back(scales ? with_scales(spec) : structure(spec));
  return out;
}

/// The reference file of tests/onnx/make_lenet5_reference.py.
struct Lenet5Reference {
  onnx_import::QuantizationOptions options;
  std::vector<std::string> layers;
  std::int64_t output_scale = 0;
  zkcnn::data::LabelledImages images;
  std::vector<std::vector<std::int64_t>> logits;
};

Lenet5Reference read_reference() {
  std::ifstream in(test_data / "lenet5_reference.txt");
  REQUIRE(in);
  Lenet5Reference r;
  std::string line, word;
  auto expect = [&](const std::string& keyword) {
    REQUIRE(in >> word);
    REQUIRE(word == keyword);
  };
  while (in.peek() == '#') std::getline(in, line);
  expect("options");
  in >> r.options.weight_bits >> r.options.activation_bits >> r.options.input_scale_bits >> r.options.accumulator_margin_bits;
  expect("layers");
  std::size_t count = 0;
  in >> count >> std::ws;
  for (std::size_t i = 0; i < count; ++i) {
    std::getline(in, line);
    r.layers.push_back(line);
  }
  expect("output-scale");
  in >> r.output_scale;
  expect("images");
  in >> r.images.count;
  r.images.height = r.images.width = 28;
  for (std::size_t i = 0; i < r.images.count; ++i) {
    int value = 0;
    expect("label");
    in >> value;
    r.images.labels.push_back(static_cast<std::uint8_t>(value));
    expect("pixels");
    for (std::size_t p = 0; p < 28 * 28; ++p) {
      in >> value;
      r.images.pixels.push_back(static_cast<std::uint8_t>(value));
    }
    expect("logits");
    r.logits.emplace_back(10);
    for (auto& v : r.logits.back()) in >> v;
  }
  REQUIRE(in);
  return r;
}

/// The "input" and "output" lines that make_operator_models.py wrote beside a model.
std::pair<std::vector<double>, std::vector<double>> read_expected(const std::string& name) {
  std::ifstream in(test_data / "operators" / (name + ".txt"));
  REQUIRE(in);
  std::pair<std::vector<double>, std::vector<double>> out;
  for (auto* values : {&out.first, &out.second}) {
    std::string line, word;
    REQUIRE(std::getline(in, line));
    std::istringstream fields(line);
    fields >> word;
    for (double v = 0; fields >> v;) values->push_back(v);
  }
  return out;
}

void require_error(const auto& result, const std::vector<std::string>& fragments) {
  REQUIRE_FALSE(result);
  INFO(result.error().message);
  for (const auto& fragment : fragments) CHECK(result.error().message.find(fragment) != std::string::npos);
}

}  // namespace

TEST_CASE("ONNX import: the shipped LeNet-5 quantizes and infers exactly as the numpy reference", "[onnx]") {
  const auto model = onnx_import::load_onnx(lenet5_path);
  REQUIRE(model);
  CHECK(model->name == "lenet5_fashion_mnist");
  CHECK(model->input_size() == 32 * 32);

  const Lenet5Reference reference = read_reference();
  const auto padded = zkcnn::data::pad_images(reference.images, 2);
  std::vector<std::vector<double>> inputs;
  for (std::size_t i = 0; i < padded.count; ++i) inputs.push_back(zkcnn::data::to_unit_interval(padded.image(i)));

  const auto quantized = onnx_import::quantize(*model, inputs, reference.options);
  REQUIRE(quantized);
  // The paper's LeNet-5, with the reference's scales, bit widths and shifts.
  CHECK(structures(quantized->architecture, true) == reference.layers);
  CHECK(structures(quantized->architecture, false) == structures(nn::zoo::lenet5(), false));
  CHECK(quantized->architecture.shapes()->back().scale_bits == reference.output_scale);

  for (std::size_t i = 0; i < inputs.size(); ++i) {
    INFO("image " << i);
    const auto integer_input = onnx_import::quantize_input(inputs[i], reference.options.input_scale_bits);
    REQUIRE(integer_input);
    const auto trace = nn::infer(*quantized, *integer_input);
    REQUIRE(trace);
    CHECK(trace->back() == reference.logits[i]);
  }
  const auto report = onnx_import::compare_accuracy(*model, *quantized, inputs, reference.images.labels);
  REQUIRE(report);
  CHECK(report->samples == inputs.size());
  CHECK(report->out_of_range == 0);
}

TEST_CASE("ONNX import: the shipped residual network infers as PyTorch does, and its quantized predictions agree",
          "[onnx][residual]") {
  const std::filesystem::path installed = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(installed / "t10k-images-idx3-ubyte.gz")) {
    WARN("dataset-fashion-mnist is not installed; skipped");
    return;
  }
  const auto model = onnx_import::load_onnx(std::filesystem::path(ZKCNN_MODELS_DIR) / "resnet_fashion_mnist.onnx");
  REQUIRE(model);
  // PyTorch's logits of the first test images and its classes of the first 100
  // (make_resnet_reference.py).
  std::ifstream in(test_data / "resnet_reference.txt");
  REQUIRE(in);
  std::vector<std::vector<double>> logits;
  std::vector<std::size_t> classes;
  for (std::string line, word; std::getline(in, line);) {
    std::istringstream fields(line);
    fields >> word;
    if (word == "logits") {
      logits.emplace_back();
      for (double v = 0; fields >> v;) logits.back().push_back(v);
    } else {
      for (std::size_t c = 0; fields >> c;) classes.push_back(c);
    }
  }
  REQUIRE(classes.size() == 100);
  auto images = [&](zkcnn::data::Split split, std::size_t count) {
    const auto set = zkcnn::data::load_fashion_mnist(installed, split);
    REQUIRE(set);
    const auto padded = zkcnn::data::pad_to_input(*set, model->channels, model->height, model->width);
    REQUIRE(padded);
    std::vector<std::vector<double>> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back(zkcnn::data::to_unit_interval(padded->image(i)));
    return out;
  };
  const auto test = images(zkcnn::data::Split::test, classes.size());
  for (std::size_t i = 0; i < logits.size(); ++i) {
    const auto output = onnx_import::run_float(*model, test[i]);
    REQUIRE(output);
    REQUIRE(output->size() == logits[i].size());
    for (std::size_t c = 0; c < output->size(); ++c) CHECK(std::abs((*output)[c] - logits[i][c]) < 1e-4);
  }
  // Quantized as `zkcnn commit` does (8 bits, calibrated on 200 training images): the classes
  // agree with PyTorch's on 91 of the first 100 test images and 96.6% of all 10,000 (the
  // rescales' floor divisions accumulate over the layers).
  const auto quantized = onnx_import::quantize(*model, images(zkcnn::data::Split::train, 200), {});
  REQUIRE(quantized);
  CHECK_FALSE(quantized->architecture.is_chain());
  std::size_t agreements = 0;
  for (std::size_t i = 0; i < test.size(); ++i) {
    const auto float_class = onnx_import::run_float(*model, test[i]);
    REQUIRE(float_class);
    CHECK(std::max_element(float_class->begin(), float_class->end()) - float_class->begin() ==
          static_cast<std::ptrdiff_t>(classes[i]));
    const auto trace = nn::infer(*quantized, *onnx_import::quantize_input(test[i], 8));
    REQUIRE(trace);
    agreements += static_cast<std::size_t>(std::max_element(trace->back().begin(), trace->back().end()) -
                                           trace->back().begin()) == classes[i];
  }
  INFO(agreements << " of 100 quantized predictions agree with PyTorch's");
  CHECK(agreements >= 90);
}

TEST_CASE("ONNX import: the bit widths are the caller's choice", "[onnx]") {
  const auto model = onnx_import::load_onnx(lenet5_path);
  REQUIRE(model);
  const std::vector<std::vector<double>> calibration{std::vector<double>(32 * 32, 0.5)};
  for (std::size_t weight_bits : {4, 8, 12}) {
    for (std::size_t activation_bits : {4, 10}) {
      INFO(weight_bits << "-bit weights, " << activation_bits << "-bit activations");
      const auto q = onnx_import::quantize(*model, calibration, {.weight_bits = weight_bits, .activation_bits = activation_bits});
      REQUIRE(q);
      const std::int64_t half = std::int64_t{1} << (weight_bits - 1);
      for (const auto& w : q->weights) {
        CHECK(std::all_of(w.kernel.begin(), w.kernel.end(), [&](std::int64_t v) { return v >= -half && v < half; }));
      }
      // On the calibration input each rescale's output uses at most activation_bits bits.
      const auto trace = nn::infer(*q, *onnx_import::quantize_input(calibration[0], 8));
      REQUIRE(trace);
      for (std::size_t i = 0; i < q->architecture.layers.size(); ++i) {
        if (!std::holds_alternative<nn::RescaleReluSpec>(q->architecture.layers[i])) continue;
        const auto& out = (*trace)[i + 1];
        CHECK(*std::max_element(out.begin(), out.end()) < (std::int64_t{1} << activation_bits));
      }
    }
  }
}

TEST_CASE("ONNX import: every supported operator imports, matches PyTorch and quantizes closely", "[onnx]") {
  struct Case {
    std::string name;
    std::vector<std::string> layers;
  };
  const std::vector<Case> cases = {
      {"conv", {"conv2d 3 3 1 2"}},
      {"conv_relu_maxpool", {"conv2d 2 3 1 1", "rescale-relu", "maxpool 2"}},
      {"averagepool", {"avgpool 2"}},
      {"globalaveragepool", {"avgpool 4", "flatten"}},
      {"gemm", {"flatten", "dense 4"}},
      {"flatten_matmul_add", {"flatten", "dense 3"}},
      {"reshape_gemm", {"flatten", "dense 3"}},
      {"pad_conv", {"conv2d 2 3 2 1"}},
      {"conv_batchnorm_relu", {"conv2d 3 3 0 1", "rescale-relu"}},
      {"identity_dropout", {"conv2d 2 3 0 1", "rescale-relu", "flatten"}},
      {"residual",
       {"conv2d 4 3 1 1", "rescale-relu", "conv2d 4 1 0 2", "conv2d 4 3 1 2", "rescale-relu", "conv2d 4 3 1 1", "add",
        "rescale-relu", "avgpool 4", "flatten", "dense 3"}},
      {"identity_residual", {"conv2d 2 3 1 1", "rescale-relu", "conv2d 2 3 1 1", "add", "rescale-relu"}},
  };
  for (const auto& c : cases) {
    INFO("model " << c.name);
    const auto model = onnx_import::load_onnx(test_data / "operators" / (c.name + ".onnx"));
    REQUIRE(model);
    const auto [input, expected] = read_expected(c.name);
    const auto output = onnx_import::run_float(*model, input);
    REQUIRE(output);
    REQUIRE(output->size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(std::abs((*output)[i] - expected[i]) < 1e-5);

    const std::vector<std::vector<double>> calibration{input};
    const auto q = onnx_import::quantize(*model, calibration, {.weight_bits = 16, .activation_bits = 16, .input_scale_bits = 16});
    REQUIRE(q);
    CHECK(structures(q->architecture, false) == c.layers);
    const auto trace = nn::infer(*q, *onnx_import::quantize_input(input, 16));
    REQUIRE(trace);
    const auto scale = q->architecture.shapes()->back().scale_bits;
    double largest = 1;
    for (double v : expected) largest = std::max(largest, std::abs(v));
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const double dequantized = std::ldexp(static_cast<double>(trace->back()[i]), -static_cast<int>(scale));
      CHECK(std::abs(dequantized - expected[i]) < 1e-3 * largest);
    }
  }
}

TEST_CASE("ONNX import: unsupported operators, attributes and shapes are named errors", "[onnx]") {
  struct Case {
    std::string name;
    std::vector<std::string> fragments;
  };
  const std::vector<Case> cases = {
      {"conv_group2", {"node 'conv' (Conv)", "group 2 is unsupported"}},
      {"conv_dilation", {"node 'conv' (Conv)", "dilation"}},
      {"conv_asymmetric_pads", {"node 'conv' (Conv)", "pads [0, 0, 1, 1]", "equal padding"}},
      {"conv_nonsquare_kernel", {"node 'conv' (Conv)", "square kernels"}},
      {"maxpool_overlapping", {"node 'pool' (MaxPool)", "stride 2 with window 3"}},
      {"maxpool_window3", {"node 'pool' (MaxPool)", "window 3", "powers of two"}},
      {"maxpool_padded", {"node 'pool' (MaxPool)", "padded pooling"}},
      {"conv_without_relu", {"node 'conv' (Conv)", "must be followed by a Relu"}},
      {"sigmoid", {"node 'sigmoid' (Sigmoid)", "operator Sigmoid is unsupported"}},
      {"pad_reflect", {"node 'pad' (Pad)", "mode reflect"}},
      {"pad_nonzero", {"node 'pad' (Pad)", "only zeros"}},
      {"batchnorm_first", {"node 'bn' (BatchNormalization)", "must directly follow a Conv"}},
      {"dropout_training", {"node 'dropout' (Dropout)", "training mode"}},
      {"add_shapes", {"node 'add' (Add)", "different shapes"}},
      {"maxpool_shared_relu", {"node 'pool' (MaxPool)", "a Relu that nothing else reads"}},
      {"unused_branch", {"the graph's output 'y' is not computed last", "node 'unused' (Relu)"}},
      {"batchnorm_shared", {"node 'bn' (BatchNormalization)", "whose output nothing else reads"}},
      {"reshape_not_flatten", {"node 'reshape' (Reshape)", "only a Reshape to (batch, 8)"}},
      {"bad_tensor_size", {"tensor 'w'", "describe 18 elements but it holds 68 bytes"}},
  };
  for (const auto& c : cases) {
    INFO("model " << c.name);
    auto fragments = c.fragments;
    fragments.push_back(c.name + ".onnx: onnx: ");  // the file, then the importer's message
    require_error(onnx_import::load_onnx(test_data / "operators" / (c.name + ".onnx")), fragments);
  }
}

TEST_CASE("ONNX import: damaged or foreign bytes are clear errors, never crashes", "[onnx]") {
  const auto bytes = read_bytes(lenet5_path);
  REQUIRE(onnx_import::parse_onnx(bytes, "lenet5"));
  require_error(onnx_import::parse_onnx({}, "empty"), {"onnx: the model has no graph"});
  require_error(onnx_import::load_onnx(test_data / "missing.onnx"), {"missing.onnx: cannot read"});
  require_error(onnx_import::load_onnx(test_data / "lenet5_reference.txt"), {"not a valid ONNX model"});

  // Cut anywhere, the model is rejected: inside the graph the protobuf no longer parses, after
  // it the opset is missing.
  std::vector<std::size_t> cuts;
  for (std::size_t n = 0; n < bytes.size(); n += 997) cuts.push_back(n);
  for (std::size_t n = bytes.size() - 64; n < bytes.size(); ++n) cuts.push_back(n);
  for (std::size_t n : cuts) {
    INFO("truncated to " << n << " bytes");
    CHECK_FALSE(onnx_import::parse_onnx(std::span(bytes).first(n), "lenet5"));
  }

  std::mt19937_64 rng(2024);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<std::uint8_t> noise(1 + rng() % 512);
    for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
    CHECK_FALSE(onnx_import::parse_onnx(noise, "noise"));
  }
  // Flipped bytes either fail to import or import into a model that still validates.
  for (int trial = 0; trial < 200; ++trial) {
    auto damaged = bytes;
    damaged[rng() % damaged.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
    const auto model = onnx_import::parse_onnx(damaged, "damaged");
    if (!model) continue;
    const std::vector<std::vector<double>> calibration{std::vector<double>(model->input_size(), 0.5)};
    const auto q = onnx_import::quantize(*model, calibration, {});
    if (q) CHECK(q->validate());
  }
}

TEST_CASE("ONNX import: layers are described in words", "[onnx]") {
  CHECK(onnx_import::describe_layer(nn::Conv2dSpec{.out_channels = 6, .kernel = 5, .weight_scale_bits = 7}) ==
        "conv2d 6 channels, 5x5, padding 0, stride 1, weights at 2^7");
  CHECK(onnx_import::describe_layer(nn::DenseSpec{.out_features = 10, .weight_scale_bits = 7}) ==
        "dense 10 outputs, weights at 2^7");
  CHECK(onnx_import::describe_layer(nn::RescaleReluSpec{.bits = 19, .shift = 9}) ==
        "rescale-relu: 19-bit accumulators, shift 9");
  CHECK(onnx_import::describe_layer(nn::MaxPoolSpec{.window = 2}) == "maxpool 2x2");
  CHECK(onnx_import::describe_layer(nn::AvgPoolSpec{.window = 4}) == "avgpool 4x4");
  CHECK(onnx_import::describe_layer(nn::FlattenSpec{}) == "flatten");
  CHECK(onnx_import::describe_layer(nn::AddSpec{}) == "add");
  // In a graph, each layer with what it reads; a chain needs no such words.
  const auto residual = nn::zoo::resnet20();
  CHECK(onnx_import::describe_layer(residual, 0) == "conv2d 16 channels, 3x3, padding 1, stride 1, weights at 2^0, reads the input");
  CHECK(onnx_import::describe_layer(residual, 5) == "add, reads layer 4 and layer 1");
  CHECK(onnx_import::describe_layer(nn::zoo::lenet5(), 1) == "rescale-relu: 16-bit accumulators, shift 0");
}

TEST_CASE("ONNX import: quantization and accuracy reject bad arguments", "[onnx]") {
  const auto model = onnx_import::load_onnx(lenet5_path);
  REQUIRE(model);
  const std::vector<std::vector<double>> good{std::vector<double>(32 * 32, 0.25)};
  require_error(onnx_import::quantize(*model, {}, {}), {"at least one calibration input"});
  require_error(onnx_import::quantize(*model, std::vector<std::vector<double>>{{1.0, 2.0}}, {}), {"has 2 values, expected 1024"});
  require_error(onnx_import::quantize(*model, good, {.weight_bits = 1}), {"weight_bits"});
  require_error(onnx_import::quantize(*model, good, {.activation_bits = 40}), {"activation_bits"});
  require_error(onnx_import::quantize_input(std::vector<double>{1e30}, 8), {"exceeds 2^40"});
  require_error(onnx_import::quantize_input(std::vector<double>{std::nan("")}, 8), {"exceeds 2^40"});
  require_error(onnx_import::run_float(*model, std::vector<double>(3)), {"has 3 values, expected 1024"});
  const auto q = onnx_import::quantize(*model, good, {});
  REQUIRE(q);
  require_error(onnx_import::compare_accuracy(*model, *q, good, std::vector<std::uint8_t>{}), {"1 inputs but 0 labels"});
}
