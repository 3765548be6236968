// Layer kinds of a user's own (nn/layer_kind.hpp) at the architecture's level: encoded with
// their code and parameters, decoded only by an architecture that knows them, their shapes
// and errors named, their weights sized and their integer inference run. Their proofs are
// examples/custom_layer's (run as the test example.custom_layer).

#include <zkcnn/io/byte_stream.hpp>
#include <zkcnn/nn/architecture.hpp>
#include <zkcnn/nn/layer_kind.hpp>
#include <zkcnn/nn/quantized_model.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/zk/model_circuit.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace zkcnn::nn;

// y = factor * x + a committed offset per channel: a kind with a parameter and weights.
struct ScaleSpec {
  std::size_t factor = 1;
  friend bool operator==(const ScaleSpec&, const ScaleSpec&) = default;

  static constexpr std::uint8_t code = 200;
  static constexpr std::string_view name = "scale";
  static constexpr bool accumulates = true;
  static constexpr std::size_t parameter_count = 1;

  std::vector<std::size_t> parameters() const { return {factor}; }
  static zkcnn::Result<ScaleSpec> from_parameters(std::span<const std::size_t> p) {
    if (p[0] == 0) return zkcnn::make_error(zkcnn::Errc::invalid_encoding, "architecture: a scale by zero");
    return ScaleSpec{p[0]};
  }
  zkcnn::Result<ActivationShape> output_shape(const ShapeContext& context) const {
    if (factor > 1024) return context.fail("the factor is beyond 1024");
    return context.input(0);
  }
  WeightSizes weight_sizes(const ActivationShape& in, const ActivationShape&) const { return {0, in.channels}; }
  zkcnn::Result<std::vector<std::int64_t>> infer(const InferenceContext& context) const {
    const ActivationShape& shape = context.input_shapes[0];
    std::vector<std::int64_t> y;
    for (std::size_t j = 0; j < context.inputs[0].size(); ++j) {
      auto value = context.narrow(zkcnn::detail::int128{context.inputs[0][j]} * static_cast<std::int64_t>(factor) +
                                  context.weights.bias[j / (shape.height * shape.width)]);
      if (!value) return value.error();
      y.push_back(*value);
    }
    return y;
  }
};

static_assert(LayerKind<ScaleSpec>);
using ScaledArchitecture = ArchitectureWith<ScaleSpec>;

// The identity in integer inference, whose compile gives its output a table and no step that
// computes it: a prover could put anything there.
struct ForgetfulSpec {
  friend bool operator==(const ForgetfulSpec&, const ForgetfulSpec&) = default;
  static constexpr std::uint8_t code = 201;
  static constexpr std::string_view name = "forgetful";
  static constexpr bool accumulates = true;
  static constexpr std::size_t parameter_count = 0;
  template <class F>
  using circuit_layers = std::tuple<>;

  std::vector<std::size_t> parameters() const { return {}; }
  static zkcnn::Result<ForgetfulSpec> from_parameters(std::span<const std::size_t>) { return ForgetfulSpec{}; }
  zkcnn::Result<ActivationShape> output_shape(const ShapeContext& context) const { return context.input(0); }
  zkcnn::Result<std::vector<std::int64_t>> infer(const InferenceContext& context) const {
    return std::vector<std::int64_t>(context.inputs[0].begin(), context.inputs[0].end());
  }
  template <class Compiler>
  void compile(Compiler& b) const {
    b.output_tensor();
  }
};

ScaledArchitecture scaled(std::size_t factor) {
  ScaledArchitecture a;
  a.name = "scaled";
  a.in_channels = 2, a.height = 2, a.width = 2;
  a.add(Conv2dSpec{.out_channels = 2, .kernel = 1});
  a.add(ScaleSpec{factor});
  a.add(RescaleReluSpec{.bits = 20, .shift = 1});
  return a;
}

}  // namespace

TEST_CASE("a user's kind is encoded with its code and decoded by the architectures that know it", "[nn][kinds]") {
  const ScaledArchitecture a = scaled(3);
  const std::vector<std::uint8_t> bytes = a.serialize();
  auto decoded = ScaledArchitecture::deserialize(bytes);
  REQUIRE(decoded);
  CHECK(*decoded == a);
  CHECK(decoded->digest() == a.digest());
  CHECK(scaled(4).digest() != a.digest());
  // The built-in architecture does not know code 200.
  auto builtin = Architecture::deserialize(bytes);
  REQUIRE_FALSE(builtin);
  CHECK(builtin.error().message.find("unknown layer kind 200") != std::string::npos);
  // The kind's decoder refuses what no parameters() produce.
  auto zero = scaled(0).serialize();
  auto refused = ScaledArchitecture::deserialize(zero);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("a scale by zero") != std::string::npos);
  // Built-in layers encode as in the built-in architecture.
  ScaledArchitecture plain;
  plain.add(Conv2dSpec{.out_channels = 1, .kernel = 1});
  Architecture same;
  same.add(Conv2dSpec{.out_channels = 1, .kernel = 1});
  CHECK(plain.serialize() == same.serialize());
}

TEST_CASE("a user's kind takes part in shapes, weights and integer inference", "[nn][kinds]") {
  auto refused = scaled(2000).shapes();
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "architecture: layer 1 (scale): the factor is beyond 1024");
  // The rescale-ReLU may read it: it declares its output an accumulator.
  REQUIRE(scaled(3).shapes());

  BasicQuantizedModel<ScaledArchitecture> model{scaled(3), {}};
  const auto sizes = decltype(model)::weight_sizes(model.architecture).value();
  REQUIRE(sizes.size() == 3);
  CHECK(sizes[1] == std::pair<std::size_t, std::size_t>{0, 2});
  model.weights = {{{1, 0, 0, 1}, {0, 0}}, {{}, {5, -7}}, {}};
  REQUIRE(model.validate());
  const std::vector<std::int64_t> input{1, 2, 3, 4, 5, 6, 7, 8};
  auto trace = infer(model, std::span<const std::int64_t>(input));
  REQUIRE(trace);
  CHECK((*trace)[2] == std::vector<std::int64_t>{8, 11, 14, 17, 8, 11, 14, 17});
  CHECK((*trace)[3] == std::vector<std::int64_t>{4, 5, 7, 8, 4, 5, 7, 8});

  // Its errors name it.
  BasicQuantizedModel<ScaledArchitecture> large{scaled(1000), model.weights};
  const std::vector<std::int64_t> big(8, std::int64_t{1} << 39);
  large.weights[0].kernel = {1 << 20, 0, 0, 1};
  auto overflow = infer(large, std::span<const std::int64_t>(big));
  REQUIRE_FALSE(overflow);
  CHECK(overflow.error().message == "inference: layer 1 (scale): an accumulator exceeds 2^62");
}

TEST_CASE("a kind whose steps leave a table unproven is refused when compiled", "[nn][kinds]") {
  using Forgetful = ArchitectureWith<ForgetfulSpec>;
  Forgetful a;
  a.in_channels = 1, a.height = 2, a.width = 2;
  a.add(Conv2dSpec{.out_channels = 1, .kernel = 1});
  a.add(ForgetfulSpec{});
  a.add(RescaleReluSpec{.bits = 20, .shift = 0});
  REQUIRE(a.shapes());
  auto circuit = zkcnn::zk::ModelCircuit<zkcnn::bn254::Fr, Forgetful>::compile(a, 1);
  REQUIRE_FALSE(circuit);
  CHECK(circuit.error().message.find("reads a table no earlier step computes") != std::string::npos);
}
