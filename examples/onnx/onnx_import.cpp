#include "onnx_import.hpp"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace zkcnn::onnx_import {

namespace {

namespace nn = zkcnn::nn;

/// The largest tensor accepted, as nn::Architecture bounds its tensors.
constexpr std::size_t max_tensor_elements = nn::Architecture::max_elements;
/// The largest model file accepted (protobuf parses at most 2 GiB).
constexpr std::size_t max_model_bytes = std::size_t{INT_MAX};

Error invalid(const std::string& message) { return make_error(Errc::invalid_argument, message); }

/// A constant tensor (an initializer or a Constant node's value): floats or integers.
struct Tensor {
  std::vector<std::size_t> dims;
  std::vector<double> floats;        // FLOAT and DOUBLE tensors
  std::vector<std::int64_t> integers;  // INT64 and BOOL tensors
  bool integral = false;

  std::size_t size() const { return integral ? integers.size() : floats.size(); }
};

template <class T>
std::vector<T> little_endian_values(const std::string& raw, std::size_t count) {
  static_assert(std::endian::native == std::endian::little, "raw ONNX tensor data is little-endian");
  std::vector<T> values(count);
  if (count != 0) std::memcpy(values.data(), raw.data(), count * sizeof(T));
  return values;
}

Result<Tensor> read_tensor(const onnx::TensorProto& proto, const std::string& where) {
  const std::string what = where + "tensor '" + proto.name() + "': ";
  if (proto.data_location() == onnx::TensorProto_DataLocation_EXTERNAL) {
    return invalid(what + "external data files are unsupported");
  }
  if (proto.has_segment()) return invalid(what + "segmented tensors are unsupported");
  Tensor tensor;
  std::size_t count = 1;
  for (std::int64_t dim : proto.dims()) {
    if (dim < 0) return invalid(what + "negative dimension " + std::to_string(dim));
    const auto d = static_cast<std::size_t>(dim);
    if (d != 0 && count > max_tensor_elements / d) return invalid(what + "more than 2^28 elements");
    count *= d;
    tensor.dims.push_back(d);
  }
  const std::string& raw = proto.raw_data();
  auto check_count = [&](std::size_t stored, std::size_t element_bytes) -> Status {
    const std::size_t have = raw.empty() ? stored : raw.size();
    const std::size_t want = raw.empty() ? count : count * element_bytes;
    if (have != want) {
      return invalid(what + "its dimensions describe " + std::to_string(count) + " elements but it holds " +
                     (raw.empty() ? std::to_string(stored) + " elements" : std::to_string(raw.size()) + " bytes"));
    }
    return {};
  };
  switch (proto.data_type()) {
    case onnx::TensorProto_DataType_FLOAT: {
      if (auto ok = check_count(static_cast<std::size_t>(proto.float_data_size()), 4); !ok) return ok.error();
      const auto values = raw.empty() ? std::vector<float>(proto.float_data().begin(), proto.float_data().end())
                                      : little_endian_values<float>(raw, count);
      tensor.floats.assign(values.begin(), values.end());
      break;
    }
    case onnx::TensorProto_DataType_DOUBLE: {
      if (auto ok = check_count(static_cast<std::size_t>(proto.double_data_size()), 8); !ok) return ok.error();
      tensor.floats = raw.empty() ? std::vector<double>(proto.double_data().begin(), proto.double_data().end())
                                  : little_endian_values<double>(raw, count);
      break;
    }
    case onnx::TensorProto_DataType_INT64: {
      if (auto ok = check_count(static_cast<std::size_t>(proto.int64_data_size()), 8); !ok) return ok.error();
      tensor.integers = raw.empty() ? std::vector<std::int64_t>(proto.int64_data().begin(), proto.int64_data().end())
                                    : little_endian_values<std::int64_t>(raw, count);
      tensor.integral = true;
      break;
    }
    case onnx::TensorProto_DataType_BOOL: {  // Dropout's training_mode
      if (auto ok = check_count(static_cast<std::size_t>(proto.int32_data_size()), 1); !ok) return ok.error();
      if (raw.empty()) {
        tensor.integers.assign(proto.int32_data().begin(), proto.int32_data().end());
      } else {
        tensor.integers.assign(raw.begin(), raw.end());
      }
      tensor.integral = true;
      break;
    }
    default:
      return invalid(what + "data type " + std::to_string(proto.data_type()) +
                     " is unsupported (only float, double, int64 and bool constants)");
  }
  if (std::any_of(tensor.floats.begin(), tensor.floats.end(), [](double v) { return !std::isfinite(v); })) {
    return invalid(what + "holds a value that is not finite");
  }
  return tensor;
}

/// An activation's shape in ONNX terms: (batch, channels, height, width), or (batch, features)
/// when flat (then channels holds the features, and a flattened image's height and width are
/// kept: the vector keeps the image's layout).
struct Shape {
  std::size_t channels = 1, height = 1, width = 1;
  bool flat = false;
  std::size_t source_height = 1, source_width = 1;
  std::size_t size() const { return channels * height * width; }
};

bool is_power_of_two(std::size_t v) { return v != 0 && (v & (v - 1)) == 0; }

/// One node, with helpers that read its attributes strictly: an attribute of the wrong type or
/// one the importer does not know is an error, never ignored.
class Node {
 public:
  Node(const onnx::NodeProto& proto, std::size_t index) : proto_(proto), index_(index) {}

  const onnx::NodeProto& proto() const { return proto_; }
  const std::string& op() const { return proto_.op_type(); }

  std::string describe() const {
    const std::string who = proto_.name().empty() ? "#" + std::to_string(index_) : "'" + proto_.name() + "'";
    return "node " + who + " (" + proto_.op_type() + ")";
  }
  Error fail(const std::string& reason) const { return invalid("onnx: " + describe() + ": " + reason); }

  /// The name of input `i`, or "" when absent (optional inputs may be given as "").
  std::string input(int i) const { return i < proto_.input_size() ? proto_.input(i) : std::string{}; }

  Status only_attributes(std::initializer_list<std::string_view> known) const {
    for (const auto& a : proto_.attribute()) {
      if (std::find(known.begin(), known.end(), a.name()) == known.end()) {
        return fail("attribute '" + a.name() + "' is unsupported");
      }
    }
    return {};
  }

  Result<std::int64_t> int_attribute(const std::string& name, std::int64_t fallback) const {
    const auto* a = find(name);
    if (a == nullptr) return fallback;
    if (a->type() != onnx::AttributeProto_AttributeType_INT) return fail("attribute '" + name + "' must be an integer");
    return a->i();
  }

  Result<double> float_attribute(const std::string& name, double fallback) const {
    const auto* a = find(name);
    if (a == nullptr) return fallback;
    if (a->type() != onnx::AttributeProto_AttributeType_FLOAT) return fail("attribute '" + name + "' must be a float");
    return a->f();
  }

  Result<std::string> string_attribute(const std::string& name, const std::string& fallback) const {
    const auto* a = find(name);
    if (a == nullptr) return fallback;
    if (a->type() != onnx::AttributeProto_AttributeType_STRING) return fail("attribute '" + name + "' must be a string");
    return a->s();
  }

  Result<std::optional<std::vector<std::int64_t>>> ints_attribute(const std::string& name) const {
    const auto* a = find(name);
    if (a == nullptr) return std::optional<std::vector<std::int64_t>>{};
    if (a->type() != onnx::AttributeProto_AttributeType_INTS) return fail("attribute '" + name + "' must be a list of integers");
    return std::optional<std::vector<std::int64_t>>{std::vector<std::int64_t>(a->ints().begin(), a->ints().end())};
  }

  const onnx::AttributeProto* find(const std::string& name) const {
    for (const auto& a : proto_.attribute()) {
      if (a.name() == name) return &a;
    }
    return nullptr;
  }

 private:
  const onnx::NodeProto& proto_;
  std::size_t index_;
};

std::string join(const std::vector<std::int64_t>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

/// A 2-D window attribute (kernel_shape, strides, dilations) as one size: both entries equal
/// and positive. Absent: `fallback`.
Result<std::size_t> square_attribute(const Node& node, const std::string& name, std::optional<std::size_t> fallback) {
  auto values = node.ints_attribute(name);
  if (!values) return values.error();
  if (!*values) {
    if (fallback) return *fallback;
    return node.fail("attribute '" + name + "' is required");
  }
  const auto& v = **values;
  if (v.size() != 2) return node.fail(name + " " + join(v) + ": only 2-D (height and width) is supported");
  if (v[0] <= 0 || v[1] <= 0) return node.fail(name + " " + join(v) + " must be positive");
  if (v[0] != v[1]) return node.fail(name + " " + join(v) + ": only equal height and width are supported");
  return static_cast<std::size_t>(v[0]);
}

/// The `pads` attribute [top, left, bottom, right] as one padding: all four equal. Absent: 0.
Result<std::size_t> symmetric_pads(const Node& node) {
  auto pads = node.ints_attribute("pads");
  if (!pads) return pads.error();
  if (!*pads) return std::size_t{0};
  const auto& v = **pads;
  if (v.size() != 4) return node.fail("pads " + join(v) + ": expected 4 values (2-D)");
  if (std::any_of(v.begin(), v.end(), [&](std::int64_t p) { return p != v[0]; })) {
    return node.fail("pads " + join(v) + ": only equal padding on every side is supported");
  }
  if (v[0] < 0) return node.fail("pads " + join(v) + " must not be negative");
  return static_cast<std::size_t>(v[0]);
}

/// auto_pad must leave the explicit pads in charge: NOTSET, or VALID (no padding).
Status explicit_padding(const Node& node, std::size_t padding) {
  auto auto_pad = node.string_attribute("auto_pad", "NOTSET");
  if (!auto_pad) return auto_pad.error();
  if (*auto_pad == "NOTSET") return {};
  if (*auto_pad == "VALID" && padding == 0) return {};
  return node.fail("auto_pad " + *auto_pad + " is unsupported (export with explicit pads)");
}

class Importer {
 public:
  explicit Importer(const onnx::GraphProto& graph) : graph_(graph) {}

  Result<FloatModel> run(const std::string& name) {
    model_.name = name;
    if (auto ok = collect_constants(); !ok) return ok.error();
    count_uses();
    if (auto ok = read_input(); !ok) return ok.error();
    for (int i = 0; i < graph_.node_size(); ++i) {
      const Node node(graph_.node(i), static_cast<std::size_t>(i));
      if (node.op() == "Constant") continue;
      if (auto ok = import_node(node); !ok) return ok.error();
    }
    if (auto ok = finish(); !ok) return ok.error();
    return std::move(model_);
  }

 private:
  /// What the importer knows of a value computed from the graph's input.
  struct Value {
    std::size_t tensor;  // in FloatModel::reads' numbering
    Shape shape;
    /// Whether it is a Conv's or dense layer's output that nothing else has read, so that a
    /// bias or a batch normalization can fold into that layer.
    bool foldable = false;
    /// Zero padding pending for the Conv that reads it (Pad nodes), and the Pad, for messages.
    std::size_t padding = 0;
    std::string pad_origin = {};
  };

  // ---- the graph around the nodes -------------------------------------------------------------

  Status collect_constants() {
    for (const auto& initializer : graph_.initializer()) {
      auto tensor = read_tensor(initializer, "onnx: initializer ");
      if (!tensor) return tensor.error();
      constants_[initializer.name()] = std::move(*tensor);
    }
    for (int i = 0; i < graph_.node_size(); ++i) {
      const Node node(graph_.node(i), static_cast<std::size_t>(i));
      if (node.op() != "Constant") continue;
      if (auto ok = check_domain(node); !ok) return ok;
      const auto* value = node.find("value");
      if (node.proto().attribute_size() != 1 || value == nullptr || value->type() != onnx::AttributeProto_AttributeType_TENSOR) {
        return node.fail("only a Constant given by a 'value' tensor is supported");
      }
      if (node.proto().output_size() != 1) return node.fail("expected one output");
      auto tensor = read_tensor(value->t(), "onnx: " + node.describe() + ": ");
      if (!tensor) return tensor.error();
      constants_[node.proto().output(0)] = std::move(*tensor);
    }
    return {};
  }

  void count_uses() {
    for (const auto& node : graph_.node()) {
      for (const auto& input : node.input()) ++uses_[input];
    }
    for (const auto& output : graph_.output()) ++uses_[output.name()];
  }

  Status read_input() {
    const onnx::ValueInfoProto* input = nullptr;
    for (const auto& candidate : graph_.input()) {
      if (constants_.contains(candidate.name())) continue;  // older exporters list initializers as inputs
      if (input != nullptr) return invalid("onnx: the graph has more than one input ('" + input->name() + "', '" + candidate.name() + "')");
      input = &candidate;
    }
    if (input == nullptr) return invalid("onnx: the graph has no input");
    const std::string where = "onnx: input '" + input->name() + "': ";
    if (!input->type().has_tensor_type() || input->type().tensor_type().elem_type() != onnx::TensorProto_DataType_FLOAT) {
      return invalid(where + "must be a float tensor");
    }
    if (!input->type().tensor_type().has_shape()) return invalid(where + "has no shape");
    const auto& dims = input->type().tensor_type().shape().dim();
    if (dims.size() != 4 && dims.size() != 2) {
      return invalid(where + "rank " + std::to_string(dims.size()) + ": expected (batch, channels, height, width) or (batch, features)");
    }
    if (dims[0].has_dim_value() && dims[0].dim_value() != 1) {
      return invalid(where + "batch size " + std::to_string(dims[0].dim_value()) + ": expected 1 or a symbolic batch");
    }
    std::vector<std::size_t> sizes;
    for (int d = 1; d < dims.size(); ++d) {
      if (!dims[d].has_dim_value() || dims[d].dim_value() <= 0 ||
          static_cast<std::uint64_t>(dims[d].dim_value()) > max_tensor_elements) {
        return invalid(where + "dimension " + std::to_string(d) + " must be a known positive size");
      }
      sizes.push_back(static_cast<std::size_t>(dims[d].dim_value()));
    }
    model_.channels = sizes[0];
    model_.height = sizes.size() == 3 ? sizes[1] : 1;
    model_.width = sizes.size() == 3 ? sizes[2] : 1;
    if (sizes.size() == 3) {
      values_[input->name()] = {0, Shape{sizes[0], sizes[1], sizes[2], false}};
      if (values_[input->name()].shape.size() > max_tensor_elements) return invalid(where + "more than 2^28 elements");
    } else {
      // A flat input is an image of 1x1 pixels, flattened (free in the proof).
      model_.layers.push_back({FloatFlatten{}, "input '" + input->name() + "'"});
      model_.reads.push_back({0});
      values_[input->name()] = {1, Shape{sizes[0], 1, 1, true}};
    }
    return {};
  }

  Status finish() {
    if (model_.layers.empty()) return invalid("onnx: the graph has no layer (Conv, Gemm, pooling, ...)");
    if (graph_.output_size() != 1) return invalid("onnx: the graph must have exactly one output");
    const auto output = values_.find(graph_.output(0).name());
    if (output == values_.end()) return invalid("onnx: the graph's output '" + graph_.output(0).name() + "' is not computed by its nodes");
    if (output->second.padding != 0) return invalid("onnx: " + output->second.pad_origin + ": zero padding must be followed by a Conv");
    // The model's output is its last layer's; every other layer's output is read.
    if (output->second.tensor != model_.layers.size()) {
      return invalid("onnx: the graph's output '" + output->first + "' is not computed last: " +
                     model_.layers.back().origin + " comes after it and feeds no output");
    }
    const auto readers = reader_lists();
    for (std::size_t k = 0; k + 1 < model_.layers.size(); ++k) {
      if (readers[k + 1].empty()) return invalid("onnx: " + model_.layers[k].origin + ": its output is never used");
    }
    return check_grammar(readers);
  }

  /// The layers reading each tensor (FloatModel::reads' numbering).
  std::vector<std::vector<std::size_t>> reader_lists() const {
    std::vector<std::vector<std::size_t>> readers(model_.layers.size() + 1);
    for (std::size_t k = 0; k < model_.layers.size(); ++k) {
      for (std::size_t t : model_.reads[k]) readers[t].push_back(k);
    }
    return readers;
  }

  /// What nn::Architecture requires of the layers' connections, reported with the ONNX node.
  Status check_grammar(const std::vector<std::vector<std::size_t>>& readers) const {
    const auto& layers = model_.layers;
    const auto is = [&]<class... Kinds>(std::size_t layer, std::type_identity<Kinds>...) {
      return (std::holds_alternative<Kinds>(layers[layer].operation) || ...);
    };
    constexpr std::type_identity<FloatConv> conv;
    constexpr std::type_identity<FloatDense> dense;
    constexpr std::type_identity<FloatAdd> add;
    constexpr std::type_identity<FloatRelu> relu;
    constexpr std::type_identity<FloatFlatten> flatten;
    const auto producer = [&](std::size_t layer) -> std::optional<std::size_t> {
      const std::size_t t = model_.reads[layer][0];
      return t == 0 ? std::nullopt : std::optional<std::size_t>(t - 1);
    };
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const auto& next = readers[i + 1];
      if (is(i, conv, dense, add)) {
        // Accumulators are rescaled only by a rescale-ReLU (an addition's terms are aligned
        // exactly); only the model's output (or its flattening) may stay at their scale.
        const bool last = i + 1 == layers.size() || (i + 2 == layers.size() && is(i + 1, flatten));
        const bool rescaled = !next.empty() && std::all_of(next.begin(), next.end(), [&](std::size_t k) { return is(k, relu, add); });
        if (!rescaled && !last) {
          return invalid("onnx: " + layers[i].origin +
                         ": must be followed by a Relu (or an Add, then a Relu): the architecture rescales accumulators "
                         "only in a rescale-ReLU, so only the last layer may go without one");
        }
      } else if (is(i, relu)) {
        const auto source = producer(i);
        if (!source || !is(*source, conv, dense, add)) {
          return invalid("onnx: " + layers[i].origin + ": a Relu must directly follow a Conv, Gemm, MatMul or Add");
        }
      } else if (std::holds_alternative<FloatMaxPool>(layers[i].operation)) {
        const auto source = producer(i);
        if (!source || !is(*source, relu) || readers[*source + 1].size() != 1) {
          return invalid("onnx: " + layers[i].origin + ": a MaxPool must directly follow a Relu that nothing else reads");
        }
      } else if (is(i, flatten) && readers[model_.reads[i][0]].size() != 1) {
        return invalid("onnx: " + layers[i].origin + ": its input is read by other nodes too (only a Flatten that is the "
                       "sole reader of an image is supported)");
      }
    }
    return {};
  }

  // ---- nodes ------------------------------------------------------------------------------

  static Status check_domain(const Node& node) {
    const auto& domain = node.proto().domain();
    if (!domain.empty() && domain != "ai.onnx") return node.fail("operator domain '" + domain + "' is unsupported");
    return {};
  }

  /// The computed value a node reads as input `i`.
  Result<Value> value_input(const Node& node, int i) const {
    const std::string name = node.input(i);
    const auto found = values_.find(name);
    if (found == values_.end()) {
      return node.fail("its input '" + name + "' is not computed by an earlier node (nodes must come in a topological order)");
    }
    if (found->second.padding != 0 && node.op() != "Conv" && node.op() != "Pad") {
      return invalid("onnx: " + found->second.pad_origin + ": zero padding must be followed by a Conv, not " + node.describe());
    }
    return found->second;
  }

  Status import_node(const Node& node) {
    if (auto ok = check_domain(node); !ok) return ok;
    if (node.proto().output_size() < 1 || node.proto().output(0).empty()) return node.fail("has no output");
    for (int i = 1; i < node.proto().output_size(); ++i) {
      if (!node.proto().output(i).empty() && uses_[node.proto().output(i)] != 0) {
        return node.fail("its output '" + node.proto().output(i) + "' is used (only the first output is supported)");
      }
    }
    const std::string& op = node.op();
    if (op == "Add") return add(node);  // reads one or two computed values
    auto in = value_input(node, 0);
    if (!in) return in.error();
    auto out = op == "Conv"                 ? conv(node, *in)
               : op == "Gemm"               ? gemm(node, *in)
               : op == "MatMul"             ? matmul(node, *in)
               : op == "Relu"               ? relu(node, *in)
               : op == "MaxPool"            ? pool(node, *in, true)
               : op == "AveragePool"        ? pool(node, *in, false)
               : op == "GlobalAveragePool"  ? global_average_pool(node, *in)
               : op == "Flatten"            ? flatten(node, *in)
               : op == "Reshape"            ? reshape(node, *in)
               : op == "Pad"                ? pad(node, *in)
               : op == "BatchNormalization" ? batch_normalization(node, *in)
               : op == "Identity"           ? identity(node, *in)
               : op == "Dropout"            ? dropout(node, *in)
                                            : Result<Value>(node.fail("operator " + op + " is unsupported"));
    if (!out) return out.error();
    values_[node.proto().output(0)] = std::move(*out);
    return {};
  }

  /// The same value under another name (Identity, Dropout, a Flatten of a flat value, ...): it
  /// stays foldable while no other node reads it.
  Value alias(const Node& node, const Value& in) {
    Value out = in;
    out.foldable = in.foldable && uses_[node.input(0)] == 1;
    return out;
  }

  /// Input `i` as a constant (an initializer or a Constant node's output).
  Result<const Tensor*> constant_input(const Node& node, int i, const std::string& what) const {
    const std::string name = node.input(i);
    if (name.empty()) return node.fail("the " + what + " input is missing");
    const auto found = constants_.find(name);
    if (found == constants_.end()) {
      return node.fail("the " + what + " '" + name + "' must be an initializer or a Constant (computed weights are unsupported)");
    }
    return &found->second;
  }

  /// Input `i` as a float constant of `count` values whose dimensions are all 1 except one
  /// equal to `count` (a per-channel or per-feature vector in any broadcastable layout).
  Result<std::vector<double>> vector_input(const Node& node, int i, const std::string& what, std::size_t count,
                                           const Shape& shape) const {
    auto tensor = constant_input(node, i, what);
    if (!tensor) return tensor.error();
    const Tensor& t = **tensor;
    if (t.integral) return node.fail("the " + what + " must be a float tensor");
    const auto non_unit = std::count_if(t.dims.begin(), t.dims.end(), [](std::size_t d) { return d != 1; });
    if (t.size() != count || non_unit > 1) {
      return node.fail("the " + what + " must hold " + std::to_string(count) + " values, one per channel");
    }
    if (shape.flat && count > 1 && t.dims.back() != count) {
      return node.fail("the " + what + " must broadcast along the features (shaped (" + std::to_string(count) + ") or (1, " +
                       std::to_string(count) + "))");
    }
    return t.floats;
  }

  /// Appends a layer reading `inputs`; returns the value of its output.
  Value emit(FloatOperation operation, const Node& node, std::vector<std::size_t> inputs, const Shape& shape) {
    const bool linear = std::holds_alternative<FloatConv>(operation) || std::holds_alternative<FloatDense>(operation);
    model_.layers.push_back({std::move(operation), node.describe()});
    model_.reads.push_back(std::move(inputs));
    return Value{model_.layers.size(), shape, linear};
  }

  /// The Conv or dense layer a foldable value is the output of.
  FloatOperation& producer_of(const Value& value) { return model_.layers[value.tensor - 1].operation; }

  Result<Value> conv(const Node& node, const Value& in) {
    if (auto ok = node.only_attributes({"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"}); !ok) return ok.error();
    if (in.shape.flat) return node.fail("needs an image input, got a flat one");
    auto weights = constant_input(node, 1, "weight");
    if (!weights) return weights.error();
    const Tensor& w = **weights;
    if (w.integral || w.dims.size() != 4) return node.fail("the weight must be a float tensor (out, in, height, width)");
    auto group = node.int_attribute("group", 1);
    if (!group) return group.error();
    if (*group != 1) return node.fail("group " + std::to_string(*group) + " is unsupported (only 1)");
    if (w.dims[1] != in.shape.channels) {
      return node.fail("the weight has " + std::to_string(w.dims[1]) + " input channels, the input " + std::to_string(in.shape.channels));
    }
    if (w.dims[2] != w.dims[3]) return node.fail("only square kernels are supported");
    const std::size_t kernel = w.dims[2];
    auto kernel_shape = square_attribute(node, "kernel_shape", kernel);
    if (!kernel_shape) return kernel_shape.error();
    if (*kernel_shape != kernel) return node.fail("kernel_shape does not match the weight's shape");
    auto stride = square_attribute(node, "strides", 1);
    if (!stride) return stride.error();
    auto dilation = square_attribute(node, "dilations", 1);
    if (!dilation) return dilation.error();
    if (*dilation != 1) return node.fail("dilation is unsupported");
    auto padding = symmetric_pads(node);
    if (!padding) return padding.error();
    if (auto ok = explicit_padding(node, *padding); !ok) return ok.error();
    const std::size_t total_padding = *padding + in.padding;
    if (in.shape.height + 2 * total_padding < kernel || in.shape.width + 2 * total_padding < kernel) {
      return node.fail("the kernel is larger than the padded input");
    }
    FloatConv c{in.shape.channels, w.dims[0], kernel, total_padding, *stride, w.floats, std::vector<double>(w.dims[0], 0.0)};
    if (!node.input(2).empty()) {
      auto bias = vector_input(node, 2, "bias", c.out_channels, in.shape);
      if (!bias) return bias.error();
      c.bias = std::move(*bias);
    }
    const Shape out{c.out_channels, (in.shape.height + 2 * total_padding - kernel) / *stride + 1,
                    (in.shape.width + 2 * total_padding - kernel) / *stride + 1, false};
    if (out.size() > max_tensor_elements) return node.fail("the output has more than 2^28 elements");
    return emit(std::move(c), node, {in.tensor}, out);
  }

  /// A dense layer from a (in, out) or, transposed, (out, in) matrix.
  Result<FloatDense> dense(const Node& node, const Shape& shape, const Tensor& matrix, bool transposed) const {
    if (!shape.flat) return node.fail("needs a flat input (add a Flatten)");
    if (matrix.integral || matrix.dims.size() != 2) return node.fail("the weight must be a 2-D float tensor");
    const std::size_t in = transposed ? matrix.dims[1] : matrix.dims[0];
    const std::size_t out = transposed ? matrix.dims[0] : matrix.dims[1];
    if (in != shape.channels) {
      return node.fail("the weight takes " + std::to_string(in) + " features, the input has " + std::to_string(shape.channels));
    }
    FloatDense d{in, out, std::vector<double>(in * out), std::vector<double>(out, 0.0)};
    for (std::size_t o = 0; o < out; ++o) {
      for (std::size_t i = 0; i < in; ++i) d.weights[o * in + i] = transposed ? matrix.floats[o * in + i] : matrix.floats[i * out + o];
    }
    return d;
  }

  Result<Value> gemm(const Node& node, const Value& in) {
    if (auto ok = node.only_attributes({"alpha", "beta", "transA", "transB"}); !ok) return ok.error();
    auto trans_a = node.int_attribute("transA", 0);
    if (!trans_a) return trans_a.error();
    if (*trans_a != 0) return node.fail("transA is unsupported");
    auto trans_b = node.int_attribute("transB", 0);
    if (!trans_b) return trans_b.error();
    auto alpha = node.float_attribute("alpha", 1.0);
    if (!alpha) return alpha.error();
    auto beta = node.float_attribute("beta", 1.0);
    if (!beta) return beta.error();
    auto matrix = constant_input(node, 1, "weight");
    if (!matrix) return matrix.error();
    auto d = dense(node, in.shape, **matrix, *trans_b != 0);
    if (!d) return d.error();
    for (double& w : d->weights) w *= *alpha;
    if (!node.input(2).empty()) {
      auto c = constant_input(node, 2, "bias");
      if (!c) return c.error();
      // C broadcasts to (1, out): one value per output, or one for all.
      auto bias = vector_input(node, 2, "bias", (*c)->size() == 1 ? 1 : d->out_features, in.shape);
      if (!bias) return bias.error();
      for (std::size_t o = 0; o < d->out_features; ++o) d->bias[o] = *beta * (*bias)[bias->size() == 1 ? 0 : o];
    }
    const Shape out{d->out_features, 1, 1, true};
    return emit(std::move(*d), node, {in.tensor}, out);
  }

  Result<Value> matmul(const Node& node, const Value& in) {
    if (auto ok = node.only_attributes({}); !ok) return ok.error();
    auto matrix = constant_input(node, 1, "weight");
    if (!matrix) return matrix.error();
    auto d = dense(node, in.shape, **matrix, false);
    if (!d) return d.error();
    const Shape out{d->out_features, 1, 1, true};
    return emit(std::move(*d), node, {in.tensor}, out);
  }

  /// Add of two computed tensors of one shape (a residual connection), or of a constant to the
  /// output of the Conv, Gemm or MatMul just before it (their bias, folded).
  Status add(const Node& node) {
    if (auto ok = node.only_attributes({}); !ok) return ok;
    if (node.proto().input_size() != 2) return node.fail("expected two inputs");
    const bool computed[] = {values_.contains(node.input(0)), values_.contains(node.input(1))};
    if (computed[0] && computed[1]) {
      auto a = value_input(node, 0);
      if (!a) return a.error();
      auto b = value_input(node, 1);
      if (!b) return b.error();
      const auto dims = [](const Shape& s) {
        return std::tuple{s.channels, s.height, s.width, s.flat, s.source_height, s.source_width};
      };
      if (dims(a->shape) != dims(b->shape)) {
        return node.fail("the two tensors added have different shapes or layouts (only a residual addition of equal "
                         "shapes is supported, and a flattened image is added only to another)");
      }
      values_[node.proto().output(0)] = emit(FloatAdd{}, node, {a->tensor, b->tensor}, a->shape);
      return {};
    }
    const int data = computed[0] ? 0 : 1;
    auto in = value_input(node, data);
    if (!in) return in.error();
    if (!in->foldable || uses_[node.input(data)] != 1) {
      return node.fail("adding a constant is supported only as the bias of the Conv, Gemm or MatMul just before it");
    }
    auto* layer = &producer_of(*in);
    auto* c = std::get_if<FloatConv>(layer);
    auto* d = std::get_if<FloatDense>(layer);
    auto& bias = c != nullptr ? c->bias : d->bias;
    auto tensor = constant_input(node, 1 - data, "addend");
    if (!tensor) return tensor.error();
    const auto& dims = (*tensor)->dims;
    const bool per_channel = (dims.size() == 3 || dims.size() == 4) && dims.rbegin()[0] == 1 && dims.rbegin()[1] == 1;
    if (c != nullptr && (*tensor)->size() != 1 && !per_channel) {
      return node.fail("the addend of a Conv must be per channel, shaped (channels, 1, 1) or (1, channels, 1, 1)");
    }
    auto values = vector_input(node, 1 - data, "addend", (*tensor)->size() == 1 ? 1 : bias.size(), in->shape);
    if (!values) return values.error();
    for (std::size_t o = 0; o < bias.size(); ++o) bias[o] += (*values)[values->size() == 1 ? 0 : o];
    values_[node.proto().output(0)] = *in;
    return {};
  }

  Result<Value> relu(const Node& node, const Value& in) {
    if (auto ok = node.only_attributes({}); !ok) return ok.error();
    return emit(FloatRelu{}, node, {in.tensor}, in.shape);
  }

  Result<Value> pool(const Node& node, const Value& in, bool max) {
    if (max) {
      if (auto ok = node.only_attributes({"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"}); !ok) {
        return ok.error();
      }
    } else if (auto ok = node.only_attributes({"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"}); !ok) {
      return ok.error();
    }
    if (in.shape.flat) return node.fail("needs an image input, got a flat one");
    auto window = square_attribute(node, "kernel_shape", std::nullopt);
    if (!window) return window.error();
    auto stride = square_attribute(node, "strides", 1);
    if (!stride) return stride.error();
    auto dilation = square_attribute(node, "dilations", 1);
    if (!dilation) return dilation.error();
    auto padding = symmetric_pads(node);
    if (!padding) return padding.error();
    if (auto ok = explicit_padding(node, *padding); !ok) return ok.error();
    if (*padding != 0) return node.fail("padded pooling is unsupported");
    if (*dilation != 1) return node.fail("dilation is unsupported");
    if (*stride != *window) {
      return node.fail("stride " + std::to_string(*stride) + " with window " + std::to_string(*window) +
                       ": only a stride equal to the window is supported");
    }
    if (auto ok = check_window(node, in.shape, *window); !ok) return ok.error();
    // With the sizes multiples of the window, ceil_mode changes nothing.
    const Shape out{in.shape.channels, in.shape.height / *window, in.shape.width / *window, false};
    if (max) return emit(FloatMaxPool{*window}, node, {in.tensor}, out);
    return emit(FloatAvgPool{*window}, node, {in.tensor}, out);
  }

  static Status check_window(const Node& node, const Shape& shape, std::size_t window) {
    if (window < 2 || !is_power_of_two(window)) {
      return node.fail("window " + std::to_string(window) + ": only powers of two, at least 2, are supported");
    }
    if (shape.height % window != 0 || shape.width % window != 0) {
      return node.fail("the input's " + std::to_string(shape.height) + "x" + std::to_string(shape.width) +
                       " is not a multiple of the window " + std::to_string(window));
    }
    return {};
  }

  Result<Value> global_average_pool(const Node& node, const Value& in) {
    if (auto ok = node.only_attributes({}); !ok) return ok.error();
    if (in.shape.flat) return node.fail("needs an image input, got a flat one");
    if (in.shape.height == 1 && in.shape.width == 1) return alias(node, in);  // the mean of one pixel is that pixel
    if (in.shape.height != in.shape.width) return node.fail("only square inputs are supported");
    if (auto ok = check_window(node, in.shape, in.shape.height); !ok) return ok.error();
    return emit(FloatAvgPool{in.shape.height}, node, {in.tensor}, Shape{in.shape.channels, 1, 1, false});
  }

  Value flatten_value(const Node& node, const Value& in) {
    if (in.shape.flat) return alias(node, in);  // (batch, features) flattens to itself
    return emit(FloatFlatten{}, node, {in.tensor}, Shape{in.shape.size(), 1, 1, true, in.shape.height, in.shape.width});
  }

  Result<Value> flatten(const Node& node, const Value& in) {
    if (auto ok = node.only_attributes({"axis"}); !ok) return ok.error();
    auto axis = node.int_attribute("axis", 1);
    if (!axis) return axis.error();
    const std::int64_t rank = in.shape.flat ? 2 : 4;
    if (*axis != 1 && *axis != 1 - rank) return node.fail("axis " + std::to_string(*axis) + ": only axis 1 is supported");
    return flatten_value(node, in);
  }

  Result<Value> reshape(const Node& node, const Value& in) {
    if (auto ok = node.only_attributes({"allowzero"}); !ok) return ok.error();
    auto allow_zero = node.int_attribute("allowzero", 0);
    if (!allow_zero) return allow_zero.error();
    auto target = constant_input(node, 1, "shape");
    if (!target) return target.error();
    const Tensor& t = **target;
    const auto features = static_cast<std::int64_t>(in.shape.size());
    const bool flattens = t.integral && t.dims.size() == 1 && t.size() == 2 &&
                          (t.integers[0] == 1 || t.integers[0] == -1 || (t.integers[0] == 0 && *allow_zero == 0)) &&
                          (t.integers[1] == features || (t.integers[1] == -1 && t.integers[0] != -1));
    if (!flattens) return node.fail("only a Reshape to (batch, " + std::to_string(features) + ") is supported");
    return flatten_value(node, in);
  }

  Result<Value> pad(const Node& node, const Value& in) {
    if (auto ok = node.only_attributes({"mode", "pads", "value"}); !ok) return ok.error();
    auto mode = node.string_attribute("mode", "constant");
    if (!mode) return mode.error();
    if (*mode != "constant") return node.fail("mode " + *mode + " is unsupported (only zero padding)");
    if (in.shape.flat) return node.fail("needs an image input, got a flat one");
    // Opset 11 moved pads and the value from attributes to inputs; both are read.
    auto attribute_pads = node.ints_attribute("pads");
    if (!attribute_pads) return attribute_pads.error();
    std::vector<std::int64_t> pads;
    if (*attribute_pads) {
      pads = **attribute_pads;
    } else {
      auto tensor = constant_input(node, 1, "pads");
      if (!tensor) return tensor.error();
      if (!(*tensor)->integral) return node.fail("the pads must be int64");
      pads = (*tensor)->integers;
    }
    auto value = node.float_attribute("value", 0.0);
    if (!value) return value.error();
    double fill = *value;
    if (!node.input(2).empty()) {
      auto tensor = constant_input(node, 2, "constant value");
      if (!tensor) return tensor.error();
      if ((*tensor)->size() != 1) return node.fail("the constant value must be a scalar");
      fill = (*tensor)->integral ? static_cast<double>((*tensor)->integers[0]) : (*tensor)->floats[0];
    }
    if (!node.input(3).empty()) return node.fail("the axes input is unsupported");
    if (fill != 0.0) return node.fail("padding with " + std::to_string(fill) + " is unsupported (only zeros)");
    if (pads.size() != 8) return node.fail("pads " + join(pads) + ": expected 8 values (a 4-D input)");
    const bool spatial_only = pads[0] == 0 && pads[1] == 0 && pads[4] == 0 && pads[5] == 0;
    const bool symmetric = pads[2] == pads[3] && pads[2] == pads[6] && pads[2] == pads[7];
    if (!spatial_only || !symmetric || pads[2] < 0) {
      return node.fail("pads " + join(pads) + ": only equal, non-negative padding of the height and width is supported");
    }
    if (static_cast<std::uint64_t>(pads[2]) > max_tensor_elements) return node.fail("the padding is too large");
    Value out = in;
    out.foldable = false;
    out.padding += static_cast<std::size_t>(pads[2]);
    out.pad_origin = node.describe();
    return out;
  }

  Result<Value> batch_normalization(const Node& node, const Value& in) {
    if (auto ok = node.only_attributes({"epsilon", "momentum", "training_mode", "spatial", "is_test"}); !ok) return ok.error();
    auto training = node.int_attribute("training_mode", 0);
    if (!training) return training.error();
    if (*training != 0) return node.fail("training mode is unsupported");
    auto spatial = node.int_attribute("spatial", 1);
    if (!spatial) return spatial.error();
    if (*spatial != 1) return node.fail("spatial 0 is unsupported");
    auto epsilon = node.float_attribute("epsilon", 1e-5);
    if (!epsilon) return epsilon.error();
    if (!in.foldable || uses_[node.input(0)] != 1) {
      return node.fail("must directly follow a Conv, Gemm or MatMul whose output nothing else reads, into which it is folded");
    }
    auto* layer = &producer_of(in);
    auto* c = std::get_if<FloatConv>(layer);
    auto* d = std::get_if<FloatDense>(layer);
    const std::size_t channels = c != nullptr ? c->out_channels : d->out_features;
    std::vector<std::vector<double>> p;
    for (auto [index, what] : {std::pair{1, "scale"}, {2, "bias"}, {3, "mean"}, {4, "variance"}}) {
      auto values = vector_input(node, index, what, channels, in.shape);
      if (!values) return values.error();
      p.push_back(std::move(*values));
    }
    auto& weights = c != nullptr ? c->weights : d->weights;
    auto& bias = c != nullptr ? c->bias : d->bias;
    const std::size_t per_channel = weights.size() / channels;
    for (std::size_t o = 0; o < channels; ++o) {
      if (p[3][o] + *epsilon <= 0) return node.fail("a variance plus epsilon is not positive");
      // y = (x - mean) * scale / sqrt(var + eps) + bias, with x = W * in + b.
      const double factor = p[0][o] / std::sqrt(p[3][o] + *epsilon);
      for (std::size_t j = 0; j < per_channel; ++j) weights[o * per_channel + j] *= factor;
      bias[o] = (bias[o] - p[2][o]) * factor + p[1][o];
    }
    return in;
  }

  Result<Value> identity(const Node& node, const Value& in) {
    if (auto ok = node.only_attributes({}); !ok) return ok.error();
    return alias(node, in);
  }

  Result<Value> dropout(const Node& node, const Value& in) {
    if (auto ok = node.only_attributes({"seed", "ratio", "is_test"}); !ok) return ok.error();
    auto is_test = node.int_attribute("is_test", 1);
    if (!is_test) return is_test.error();
    if (*is_test == 0) return node.fail("training mode is unsupported");
    if (!node.input(2).empty()) {
      auto mode = constant_input(node, 2, "training_mode");
      if (!mode) return mode.error();
      const Tensor& t = **mode;
      const bool off = t.size() == 1 && (t.integral ? t.integers[0] == 0 : t.floats[0] == 0.0);
      if (!off) return node.fail("training mode is unsupported");
    }
    return alias(node, in);
  }

  const onnx::GraphProto& graph_;
  std::map<std::string, Tensor> constants_;
  std::map<std::string, std::size_t> uses_;
  std::map<std::string, Value> values_;
  FloatModel model_;
};

std::size_t argmax(const auto& values) {
  return static_cast<std::size_t>(std::max_element(values.begin(), values.end()) - values.begin());
}

// ---- quantization -------------------------------------------------------------------------

/// The largest scale 2^s at which every weight still fits `bits` signed bits.
Result<std::size_t> weight_scale_bits(const std::vector<double>& weights, std::size_t bits, const std::string& origin) {
  double largest = 0;
  for (double w : weights) largest = std::max(largest, std::abs(w));
  if (largest == 0) return bits - 1;
  int exponent = 0;
  std::frexp(largest, &exponent);  // largest < 2^exponent
  const long scale = static_cast<long>(bits) - 1 - exponent;
  if (scale < 0) {
    return invalid("quantize: " + origin + ": weights as large as " + std::to_string(largest) + " do not fit " +
                   std::to_string(bits) + " bits at a non-negative power-of-two scale");
  }
  return static_cast<std::size_t>(scale);
}

/// round(v * 2^scale), halves away from zero.
double scaled(double v, std::int64_t scale) { return std::round(std::ldexp(v, static_cast<int>(scale))); }

std::vector<std::int64_t> quantize_weights(const std::vector<double>& weights, std::size_t scale, std::size_t bits) {
  // Rounding can reach 2^(bits-1) exactly; that one value is clamped.
  const double top = std::ldexp(1.0, static_cast<int>(bits) - 1) - 1;
  std::vector<std::int64_t> out;
  out.reserve(weights.size());
  for (double w : weights) out.push_back(static_cast<std::int64_t>(std::min(top, scaled(w, static_cast<std::int64_t>(scale)))));
  return out;
}

Result<std::vector<std::int64_t>> quantize_bias(const std::vector<double>& bias, std::int64_t scale, const std::string& origin) {
  const double limit = std::ldexp(1.0, 62);
  std::vector<std::int64_t> out;
  for (double b : bias) {
    if (scale > 1000 || std::abs(scaled(b, scale)) >= limit) {
      return invalid("quantize: " + origin + ": a bias does not fit 62 bits at scale 2^" + std::to_string(scale));
    }
    out.push_back(static_cast<std::int64_t>(scaled(b, scale)));
  }
  return out;
}

}  // namespace

Result<FloatModel> parse_onnx(std::span<const std::uint8_t> bytes, const std::string& name) {
  if (bytes.size() > max_model_bytes) return invalid("onnx: the model is larger than 2 GiB");
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return make_error(Errc::invalid_encoding, "onnx: not a valid ONNX model (the protobuf encoding does not parse)");
  }
  if (!model.has_graph()) return make_error(Errc::invalid_encoding, "onnx: the model has no graph");
  // The operators' meaning depends on the opset, which every model must name.
  const bool has_opset = std::any_of(model.opset_import().begin(), model.opset_import().end(), [](const auto& opset) {
    return opset.domain().empty() || opset.domain() == "ai.onnx";
  });
  if (!has_opset) return make_error(Errc::invalid_encoding, "onnx: the model imports no opset of the default domain");
  auto imported = Importer(model.graph()).run(name);
  if (!imported) return imported;
  // NaN or infinite parameters (the file's own, or a folded BatchNormalization's or a scaled
  // Gemm's overflow) have no integer value: refused here, naming the node.
  const auto finite = [](const std::vector<double>& values) {
    return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
  };
  for (const FloatLayer& layer : imported->layers) {
    const bool ok = std::visit(
        [&](const auto& operation) {
          if constexpr (requires { operation.weights; operation.bias; }) return finite(operation.weights) && finite(operation.bias);
          return true;
        },
        layer.operation);
    if (!ok) return invalid("onnx: " + layer.origin + ": a weight or bias is not a finite number");
  }
  return imported;
}

Result<FloatModel> load_onnx(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return invalid(path.string() + ": cannot read: " + ec.message());
  if (size > max_model_bytes) return invalid(path.string() + ": larger than 2 GiB");
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) {
    return invalid(path.string() + ": cannot read");
  }
  auto model = parse_onnx(bytes, path.stem().string());
  if (!model) return Error{model.error().code, path.string() + ": " + model.error().message};
  return model;
}

Result<std::vector<double>> run_float(const FloatModel& model, std::span<const double> input) {
  if (input.size() != model.input_size()) {
    return invalid("run_float: the input has " + std::to_string(input.size()) + " values, expected " +
                   std::to_string(model.input_size()));
  }
  if (model.reads.size() != model.layers.size()) return invalid("run_float: the model lists the inputs of some layers only");
  struct Activation {
    std::vector<double> values;
    std::size_t channels, height, width;
  };
  std::vector<Activation> tensors{{{input.begin(), input.end()}, model.channels, model.height, model.width}};
  for (std::size_t k = 0; k < model.layers.size(); ++k) {
    const auto& layer = model.layers[k];
    const auto& reads = model.reads[k];
    const bool add = std::holds_alternative<FloatAdd>(layer.operation);
    if (reads.size() != (add ? 2u : 1u) || std::any_of(reads.begin(), reads.end(), [&](std::size_t t) { return t > k; })) {
      return invalid("run_float: " + layer.origin + ": reads tensors that are not computed before it");
    }
    const std::vector<double>& x = tensors[reads[0]].values;
    std::size_t channels = tensors[reads[0]].channels, height = tensors[reads[0]].height, width = tensors[reads[0]].width;
    std::vector<double> y;
    if (add) {
      const std::vector<double>& other = tensors[reads[1]].values;
      if (other.size() != x.size()) return invalid("run_float: " + layer.origin + ": the two tensors added differ in size");
      y = x;
      for (std::size_t j = 0; j < y.size(); ++j) y[j] += other[j];
    } else if (const auto* c = std::get_if<FloatConv>(&layer.operation)) {
      const std::size_t k = c->kernel, p = c->padding;
      const std::size_t out_h = (height + 2 * p - k) / c->stride + 1, out_w = (width + 2 * p - k) / c->stride + 1;
      y.assign(c->out_channels * out_h * out_w, 0.0);
      for (std::size_t o = 0; o < c->out_channels; ++o) {
        for (std::size_t r = 0; r < out_h; ++r) {
          for (std::size_t col = 0; col < out_w; ++col) {
            double sum = c->bias[o];
            for (std::size_t i = 0; i < channels; ++i) {
              for (std::size_t a = 0; a < k; ++a) {
                const std::size_t row = r * c->stride + a;
                if (row < p || row >= p + height) continue;
                for (std::size_t b = 0; b < k; ++b) {
                  const std::size_t column = col * c->stride + b;
                  if (column < p || column >= p + width) continue;
                  sum += c->weights[((o * channels + i) * k + a) * k + b] * x[(i * height + row - p) * width + column - p];
                }
              }
            }
            y[(o * out_h + r) * out_w + col] = sum;
          }
        }
      }
      channels = c->out_channels, height = out_h, width = out_w;
    } else if (const auto* d = std::get_if<FloatDense>(&layer.operation)) {
      y.assign(d->out_features, 0.0);
      for (std::size_t o = 0; o < d->out_features; ++o) {
        double sum = d->bias[o];
        for (std::size_t i = 0; i < d->in_features; ++i) sum += d->weights[o * d->in_features + i] * x[i];
        y[o] = sum;
      }
      channels = d->out_features, height = width = 1;
    } else if (std::holds_alternative<FloatRelu>(layer.operation)) {
      y = x;
      for (double& v : y) v = std::max(v, 0.0);
    } else if (std::holds_alternative<FloatFlatten>(layer.operation)) {
      y = x;
      channels *= height * width, height = width = 1;
    } else {
      const auto* max_pool = std::get_if<FloatMaxPool>(&layer.operation);
      const std::size_t w = max_pool != nullptr ? max_pool->window : std::get<FloatAvgPool>(layer.operation).window;
      const std::size_t out_h = height / w, out_w = width / w;
      y.assign(channels * out_h * out_w, 0.0);
      for (std::size_t c = 0; c < channels; ++c) {
        for (std::size_t r = 0; r < out_h; ++r) {
          for (std::size_t col = 0; col < out_w; ++col) {
            double best = x[(c * height + r * w) * width + col * w], sum = 0;
            for (std::size_t a = 0; a < w; ++a) {
              for (std::size_t b = 0; b < w; ++b) {
                const double v = x[(c * height + r * w + a) * width + col * w + b];
                best = std::max(best, v);
                sum += v;
              }
            }
            y[(c * out_h + r) * out_w + col] = max_pool != nullptr ? best : sum / static_cast<double>(w * w);
          }
        }
      }
      height = out_h, width = out_w;
    }
    tensors.push_back({std::move(y), channels, height, width});
  }
  return std::move(tensors.back().values);
}

Result<std::vector<std::int64_t>> quantize_input(std::span<const double> input, std::size_t input_scale_bits) {
  if (input_scale_bits > 32) return invalid("quantize_input: input_scale_bits must be at most 32");
  const double limit = std::ldexp(1.0, 40);  // nn::infer's bound on inputs
  std::vector<std::int64_t> out;
  out.reserve(input.size());
  for (double v : input) {
    const double q = scaled(v, static_cast<std::int64_t>(input_scale_bits));
    if (!(std::abs(q) < limit)) {
      return invalid("quantize_input: the value " + std::to_string(v) + " at index " + std::to_string(out.size()) +
                     " exceeds 2^40 once scaled");
    }
    out.push_back(static_cast<std::int64_t>(q));
  }
  return out;
}

Result<nn::QuantizedModel> quantize(const FloatModel& model, std::span<const std::vector<double>> calibration,
                                    const QuantizationOptions& options) {
  if (options.weight_bits < 2 || options.weight_bits > 32) return invalid("quantize: weight_bits must be in [2, 32]");
  if (options.activation_bits < 1 || options.activation_bits > 32) return invalid("quantize: activation_bits must be in [1, 32]");
  if (options.input_scale_bits > 32) return invalid("quantize: input_scale_bits must be at most 32");
  if (options.accumulator_margin_bits > 16) return invalid("quantize: accumulator_margin_bits must be at most 16");
  if (calibration.empty()) return invalid("quantize: at least one calibration input is needed");
  std::vector<std::vector<std::int64_t>> inputs;
  for (const auto& x : calibration) {
    if (x.size() != model.input_size()) {
      return invalid("quantize: a calibration input has " + std::to_string(x.size()) + " values, expected " +
                     std::to_string(model.input_size()));
    }
    auto integers = quantize_input(x, options.input_scale_bits);
    if (!integers) return Error{integers.error().code, "quantize: calibration: " + integers.error().message};
    inputs.push_back(std::move(*integers));
  }

  if (model.reads.size() != model.layers.size()) return invalid("quantize: the model lists the inputs of some layers only");
  // The architecture and the kernels first, with every rescale still to calibrate and every
  // bias still to quantize: both depend on the scales the rescales before them set.
  nn::QuantizedModel q;
  q.architecture.name = model.name;
  q.architecture.in_channels = model.channels, q.architecture.height = model.height, q.architecture.width = model.width;
  q.architecture.input_scale_bits = options.input_scale_bits;
  for (std::size_t k = 0; k < model.layers.size(); ++k) {
    const FloatLayer& layer = model.layers[k];
    nn::LayerWeights weights;
    nn::LayerSpec spec;
    if (const auto* c = std::get_if<FloatConv>(&layer.operation)) {
      auto bits = weight_scale_bits(c->weights, options.weight_bits, layer.origin);
      if (!bits) return bits.error();
      weights = {quantize_weights(c->weights, *bits, options.weight_bits), std::vector<std::int64_t>(c->bias.size())};
      spec = nn::Conv2dSpec{c->out_channels, c->kernel, c->padding, c->stride, *bits, options.conv_algorithm};
    } else if (const auto* d = std::get_if<FloatDense>(&layer.operation)) {
      auto bits = weight_scale_bits(d->weights, options.weight_bits, layer.origin);
      if (!bits) return bits.error();
      weights = {quantize_weights(d->weights, *bits, options.weight_bits), std::vector<std::int64_t>(d->bias.size())};
      spec = nn::DenseSpec{d->out_features, *bits};
    } else if (std::holds_alternative<FloatRelu>(layer.operation)) {
      spec = nn::RescaleReluSpec{nn::Architecture::max_bits, 0};
    } else if (const auto* m = std::get_if<FloatMaxPool>(&layer.operation)) {
      spec = nn::MaxPoolSpec{m->window};
    } else if (const auto* a = std::get_if<FloatAvgPool>(&layer.operation)) {
      // A window sum: the mean at a scale 2 * log2(window) bits higher.
      spec = nn::AvgPoolSpec{a->window};
    } else if (std::holds_alternative<FloatAdd>(layer.operation)) {
      // Exact: the term of lower scale is multiplied up to the other's.
      spec = nn::AddSpec{};
    } else {
      spec = nn::FlattenSpec{};
    }
    q.architecture.add(spec, model.reads[k]);
    q.weights.push_back(std::move(weights));
  }
  if (auto valid = q.validate(); !valid) return Error{valid.error().code, "quantize: " + valid.error().message};

  const auto relus = static_cast<std::uint64_t>(std::count_if(model.layers.begin(), model.layers.end(), [](const auto& layer) {
    return std::holds_alternative<FloatRelu>(layer.operation);
  }));
  const std::uint64_t inferences = relus * inputs.size();
  std::uint64_t inferred = 0;
  for (std::size_t k = 0; k < model.layers.size(); ++k) {
    const FloatLayer& layer = model.layers[k];
    if (std::holds_alternative<FloatConv>(layer.operation) || std::holds_alternative<FloatDense>(layer.operation)) {
      // The bias at the accumulators' scale: the input's (as calibrated so far) plus the weights'.
      const auto shapes = q.architecture.shapes();
      if (!shapes) return Error{shapes.error().code, "quantize: " + shapes.error().message};
      const auto* c = std::get_if<FloatConv>(&layer.operation);
      auto bias = quantize_bias(c != nullptr ? c->bias : std::get<FloatDense>(layer.operation).bias, (*shapes)[k + 1].scale_bits,
                                layer.origin);
      if (!bias) return bias.error();
      q.weights[k].bias = std::move(*bias);
    } else if (std::holds_alternative<FloatRelu>(layer.operation)) {
      // The accumulators the layers before it produce on the calibration inputs set the range.
      const std::size_t source = q.architecture.layer_inputs(k)[0];
      std::int64_t largest = 1;
      for (const auto& input : inputs) {
        auto trace = nn::infer(q, input, source);
        if (!trace) return Error{trace.error().code, "quantize: calibrating " + layer.origin + ": " + trace.error().message};
        for (std::int64_t v : trace->back()) largest = std::max(largest, v < 0 ? -v : v);
        if (options.progress) options.progress(++inferred, inferences);
      }
      const auto magnitude_bits = static_cast<std::size_t>(std::bit_width(static_cast<std::uint64_t>(largest)));
      const std::size_t bits = magnitude_bits + 1 + options.accumulator_margin_bits;
      if (bits > nn::Architecture::max_bits) {
        return invalid("quantize: " + layer.origin + ": accumulators need " + std::to_string(bits) + " bits, more than " +
                       std::to_string(nn::Architecture::max_bits) + " (use fewer weight or activation bits)");
      }
      const std::size_t shift = magnitude_bits > options.activation_bits ? magnitude_bits - options.activation_bits : 0;
      q.architecture.layers[k] = nn::RescaleReluSpec{bits, shift};
    }
  }
  if (auto valid = q.validate(); !valid) return Error{valid.error().code, "quantize: " + valid.error().message};
  return q;
}

std::string describe_layer(const nn::LayerSpec& spec) {
  using std::to_string;
  return std::visit(
      [](const auto& s) -> std::string {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, nn::Conv2dSpec>) {
          return "conv2d " + to_string(s.out_channels) + " channels, " + to_string(s.kernel) + "x" + to_string(s.kernel) +
                 ", padding " + to_string(s.padding) + ", stride " + to_string(s.stride) + ", weights at 2^" +
                 to_string(s.weight_scale_bits);
        } else if constexpr (std::is_same_v<S, nn::DenseSpec>) {
          return "dense " + to_string(s.out_features) + " outputs, weights at 2^" + to_string(s.weight_scale_bits);
        } else if constexpr (std::is_same_v<S, nn::RescaleReluSpec>) {
          return "rescale-relu: " + to_string(s.bits) + "-bit accumulators, shift " + to_string(s.shift);
        } else if constexpr (std::is_same_v<S, nn::MaxPoolSpec>) {
          return "maxpool " + to_string(s.window) + "x" + to_string(s.window);
        } else if constexpr (std::is_same_v<S, nn::AvgPoolSpec>) {
          return "avgpool " + to_string(s.window) + "x" + to_string(s.window);
        } else if constexpr (std::is_same_v<S, nn::AddSpec>) {
          return "add";
        } else {
          return "flatten";
        }
      },
      spec);
}

std::string describe_layer(const nn::Architecture& architecture, std::size_t k) {
  std::string text = describe_layer(architecture.layers.at(k));
  if (architecture.is_chain()) return text;
  const auto inputs = architecture.layer_inputs(k);
  const auto name = [](std::size_t t) { return t == 0 ? std::string("the input") : "layer " + std::to_string(t - 1); };
  text += ", reads " + name(inputs[0]);
  if (inputs.size() > 1) text += " and " + name(inputs[1]);
  return text;
}

Result<AccuracyReport> compare_accuracy(const FloatModel& float_model, const nn::QuantizedModel& quantized,
                                        std::span<const std::vector<double>> inputs, std::span<const std::uint8_t> labels) {
  if (inputs.size() != labels.size()) {
    return invalid("accuracy: " + std::to_string(inputs.size()) + " inputs but " + std::to_string(labels.size()) + " labels");
  }
  if (auto valid = quantized.validate(); !valid) return valid.error();
  const auto& a = quantized.architecture;
  if (a.in_channels * a.height * a.width != float_model.input_size()) return invalid("accuracy: the models' inputs differ in size");
  AccuracyReport report;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto logits = run_float(float_model, inputs[i]);
    if (!logits) return logits.error();
    const std::size_t float_class = argmax(*logits);
    const auto integer_input = quantize_input(inputs[i], a.input_scale_bits);
    if (!integer_input) return integer_input.error();
    // The model and the input are valid, so inference fails only on an accumulator out of range.
    const auto trace = nn::infer(quantized, *integer_input);
    ++report.samples;
    report.float_correct += float_class == labels[i];
    if (!trace) {
      ++report.out_of_range;
      continue;
    }
    const std::size_t quantized_class = argmax(trace->back());
    report.quantized_correct += quantized_class == labels[i];
    report.agreements += quantized_class == float_class;
  }
  return report;
}

}  // namespace zkcnn::onnx_import
