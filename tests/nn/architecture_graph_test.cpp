// Architectures as graphs (nn/architecture.hpp): the canonical encoding of chains and graphs,
// malformed graphs refused with the layer named, residual additions aligned exactly in
// integer inference, and the zoo's residual networks.

#include <zkcnn/io/byte_stream.hpp>
#include <zkcnn/nn/architecture.hpp>
#include <zkcnn/nn/quantized_model.hpp>
#include <zkcnn/nn/zoo.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "support/model_test_support.hpp"

namespace {

using namespace zkcnn::nn;

// A message names what is wrong.
void check_refused(const Architecture& a, const std::string& fragment) {
  auto shapes = a.shapes();
  REQUIRE_FALSE(shapes);
  INFO(shapes.error().message);
  CHECK(shapes.error().message.find(fragment) != std::string::npos);
}

std::size_t parameter_count(const Architecture& a) {
  const auto sizes = QuantizedModel::weight_sizes(a);
  std::size_t count = 0;
  for (const auto& [kernel, bias] : sizes.value()) count += kernel + bias;
  return count;
}

}  // namespace

TEST_CASE("a chain has one encoding, with or without its input lists", "[nn][architecture]") {
  const Architecture chain = zkcnn_model_test::every_layer_architecture();
  Architecture listed = chain;
  for (std::size_t k = 0; k < chain.layers.size(); ++k) listed.reads.push_back({k});
  CHECK(listed == chain);
  CHECK(listed.serialize() == chain.serialize());
  CHECK(chain.serialize().front() == Architecture::chain_format_version);
  auto decoded = Architecture::deserialize(listed.serialize());
  REQUIRE(decoded);
  CHECK(*decoded == chain);
  CHECK(decoded->reads.empty());

  // A chain written in the graph format is not the canonical encoding.
  zkcnn::io::ByteWriter out;
  out.write_u8(Architecture::graph_format_version);
  out.write_u64(0);  // no name
  for (std::uint64_t v : {1, 4, 4, 0}) out.write_u64(v);
  out.write_u64(1);  // one layer: a 1x1 convolution reading the input
  out.write_u8(0);
  for (std::uint64_t v : {1, 1, 0, 1, 0, 0}) out.write_u64(v);
  out.write_u64(0);
  auto refused = Architecture::deserialize(std::move(out).take());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("canonical") != std::string::npos);
}

TEST_CASE("graphs round-trip their encoding, and each edge is part of the digest", "[nn][architecture]") {
  const Architecture graph = zkcnn_model_test::residual_architecture();
  REQUIRE(graph.shapes());
  const auto bytes = graph.serialize();
  CHECK(bytes.front() == Architecture::graph_format_version);
  auto decoded = Architecture::deserialize(bytes);
  REQUIRE(decoded);
  CHECK(*decoded == graph);
  CHECK(decoded->serialize() == bytes);
  // Every truncation is refused.
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    CHECK_FALSE(Architecture::deserialize(std::span<const std::uint8_t>(bytes.data(), cut)));
  }
  // Reading the first block's output instead of the stem's for the projection: another
  // architecture, another digest.
  Architecture other = graph;
  other.reads[8] = {3};
  REQUIRE(other.shapes());
  CHECK_FALSE(other == graph);
  CHECK(other.digest() != graph.digest());
}

TEST_CASE("malformed graphs are refused, naming the layer", "[nn][architecture]") {
  const Architecture graph = zkcnn_model_test::residual_architecture();
  Architecture a = graph;
  a.reads[2] = {4};
  check_refused(a, "layer 2 (conv2d): reads tensor 4, which is not computed before it");
  a = graph;
  a.reads[3] = {3};
  check_refused(a, "layer 3 (add): reads 1 tensors, its kind reads 2");
  a = graph;
  a.reads.pop_back();
  check_refused(a, "the graph lists the inputs of 13 layers, it has 14");
  a = graph;
  a.reads[9] = {8, 8};  // the projection is then read by nothing
  check_refused(a, "layer 8 (conv2d): its output is never read");

  // A chain's layers read one tensor each: an addition needs the lists (found by fuzzing,
  // tests/fuzz/regressions/architecture).
  Architecture chain = zkcnn_model_test::every_layer_architecture();
  chain.layers.insert(chain.layers.begin() + 2, AddSpec{});
  check_refused(chain, "layer 2 (add): reads 1 tensors, its kind reads 2");

  Architecture relus;
  relus.in_channels = 1, relus.height = 4, relus.width = 4;
  relus.layers = {Conv2dSpec{1, 3, 1}, RescaleReluSpec{}, RescaleReluSpec{}};
  check_refused(relus, "layer 2 (rescale-relu): a rescale-ReLU must read a convolution, a dense layer or an addition");

  Architecture shapes;
  shapes.in_channels = 1, shapes.height = 4, shapes.width = 4;
  const std::size_t two = shapes.add(Conv2dSpec{2, 3, 1});
  const std::size_t one = shapes.add(Conv2dSpec{1, 3, 1}, {0});
  shapes.add(AddSpec{}, {two, one});
  check_refused(shapes, "layer 2 (add): the two tensors added have different shapes");

  // Max pooling is proven in place of the ReLU it reads, so nothing else may read that ReLU.
  Architecture pool;
  pool.in_channels = 1, pool.height = 4, pool.width = 4;
  pool.add(Conv2dSpec{1, 3, 1});
  const std::size_t relu = pool.add(RescaleReluSpec{});
  const std::size_t pooled = pool.add(MaxPoolSpec{2}, {relu});
  const std::size_t other = pool.add(Conv2dSpec{1, 2, 0, 2}, {relu});
  pool.add(AddSpec{}, {pooled, other});
  check_refused(pool, "max pooling must read a rescale-ReLU that nothing else reads");
}

TEST_CASE("integer inference aligns an addition's terms to the higher scale, exactly", "[nn][architecture][inference]") {
  Architecture a;
  a.in_channels = 1, a.height = 2, a.width = 2, a.input_scale_bits = 3;
  const std::size_t conv = a.add(Conv2dSpec{1, 1, 0, 1, 5}, {0});  // scale 3 + 5
  a.add(AddSpec{}, {0, conv});
  const auto shapes = a.shapes();
  REQUIRE(shapes);
  CHECK(shapes->back().scale_bits == 8);
  QuantizedModel model{a, {{{3}, {-7}}, {}}};
  const std::vector<std::int64_t> input{1, -2, 5, 0};
  auto trace = infer(model, input);
  REQUIRE(trace);
  for (std::size_t j = 0; j < input.size(); ++j) CHECK(trace->back()[j] == input[j] * 32 + (3 * input[j] - 7));

  // A sum past 2^62 is refused, naming the layer: the input aligned to a scale 40 bits higher.
  std::get<Conv2dSpec>(a.layers[0]).weight_scale_bits = 40;
  const QuantizedModel aligned{a, {{{1}, {0}}, {}}};
  const std::vector<std::int64_t> big{std::int64_t{1} << 30, 0, 0, 0};
  auto overflow = infer(aligned, big);
  REQUIRE_FALSE(overflow);
  CHECK(overflow.error().message.find("layer 1 (add)") != std::string::npos);
}

TEST_CASE("the zoo's residual networks have their published sizes", "[nn][architecture][zoo]") {
  const Architecture resnet20 = zoo::resnet20();
  const Architecture resnet18 = zoo::resnet18();
  REQUIRE(resnet20.shapes());
  REQUIRE(resnet18.shapes());
  // He et al.: 0.27 M for ResNet-20 (its 1x1 projections add about 3 K); 11 M for ResNet-18.
  CHECK(parameter_count(resnet20) > 270'000);
  CHECK(parameter_count(resnet20) < 280'000);
  CHECK(parameter_count(resnet18) > 11'000'000);
  CHECK(parameter_count(resnet18) < 11'300'000);
  CHECK(resnet20.shapes()->back().element_count() == 10);
  auto decoded = Architecture::deserialize(resnet18.serialize());
  REQUIRE(decoded);
  CHECK(*decoded == resnet18);
}
