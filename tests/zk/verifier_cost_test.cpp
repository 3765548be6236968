// The verifier's cost is bounded before it does any work: hostile architectures (the model
// owner publishes the architecture, so it is untrusted input) are refused with the layer and
// the limit before a circuit is compiled, the zoo's models and the largest legitimate shapes
// are accepted, and raised limits are honoured. Also the architecture's encoding at full width
// and the O(d) interpolation that round polynomials of any degree rely on.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/precompiled.hpp>
#include <zkcnn/poly/univariate.hpp>
#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/prediction.hpp>
#include <zkcnn/zk/verifier_cost.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace zkcnn::nn;
using zkcnn::zk::Conclusion;
using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;
using Fr = Pcs::Scalar;

Architecture image_model(std::size_t channels, std::size_t side, std::vector<LayerSpec> layers) {
  Architecture a;
  a.name = "hostile";
  a.in_channels = channels, a.height = side, a.width = side;
  a.layers = std::move(layers);
  return a;
}

// An FFT convolution with padding P, then average pooling: the verifier's wiring value would
// take a table of the whole transform (2^24 entries at P = 2048, 2^26 at P = 4096).
Architecture padded_fft_convolution(std::size_t padding) {
  return image_model(1, 8, {Conv2dSpec{1, 3, padding}, AvgPoolSpec{2}, FlattenSpec{}, DenseSpec{10}});
}

// A dense layer with 2^24 outputs, for an accuracy proof: the argmax gadget's class tables.
Architecture wide_classifier() { return image_model(1, 32, {FlattenSpec{}, DenseSpec{std::size_t{1} << 24}}); }

// Max pooling over 256x256 windows: a zero-check of degree 2^16 + 1.
Architecture huge_pooling_window() {
  return image_model(1, 256, {Conv2dSpec{1, 1}, RescaleReluSpec{}, MaxPoolSpec{256}, FlattenSpec{}, DenseSpec{2}});
}

// A direct convolution with a 2^23-wide kernel over a padded 1x1 input: axis tables of 2^24.
Architecture huge_direct_kernel() {
  const std::size_t k = std::size_t{1} << 23;
  return image_model(1, 1, {Conv2dSpec{1, k, k / 2, 1, 0, ConvAlgorithm::direct}, FlattenSpec{}, DenseSpec{2}});
}

Architecture vgg16_imagenet_shape() {
  Architecture a = zoo::vgg16();
  a.name = "vgg16 224x224, 1000 classes";
  a.height = a.width = 224;
  std::get<DenseSpec>(a.layers.back()).out_features = 1000;
  return a;
}

zkcnn::Error refusal(const Architecture& architecture, std::size_t batch, Conclusion conclusion,
                     const zkcnn::zk::VerifierLimits& limits = {}) {
  auto circuit = zkcnn::zk::compile_for_verifier<Fr>(architecture, batch, conclusion, limits);
  REQUIRE_FALSE(circuit);
  return circuit.error();
}

TEST_CASE("verifier cost: hostile architectures are refused before anything is compiled", "[zk][verifier-cost]") {
  SECTION("an FFT convolution with a huge padding") {
    for (std::size_t padding : {2048, 4096}) {
      const auto error = refusal(padded_fft_convolution(padding), 1, Conclusion::outputs);
      CHECK(error.code == zkcnn::Errc::resource_limit);
      CHECK_THAT(error.message, Catch::Contains("layer 0 (conv2d)") && Catch::Contains("MiB of tables"));
    }
    // At 8192 the convolution's output alone has more than 2^28 entries: refused by shape.
    CHECK_THAT(refusal(padded_fft_convolution(8192), 1, Conclusion::outputs).message,
               Catch::Contains("layer 0 (conv2d)") && Catch::Contains("more than 2^28 entries"));
  }
  SECTION("an accuracy proof over 2^24 classes") {
    const auto error = refusal(wide_classifier(), 1, Conclusion::accuracy);
    CHECK(error.code == zkcnn::Errc::resource_limit);
    CHECK_THAT(error.message, Catch::Contains("argmax"));
  }
  SECTION("max pooling over 256x256 windows") {
    const auto error = refusal(huge_pooling_window(), 1, Conclusion::outputs);
    CHECK(error.code == zkcnn::Errc::resource_limit);
    CHECK_THAT(error.message, Catch::Contains("layer 2 (maxpool)") && Catch::Contains("degree 131073"));
  }
  SECTION("a direct convolution with a huge kernel") {
    const auto error = refusal(huge_direct_kernel(), 1, Conclusion::outputs);
    CHECK(error.code == zkcnn::Errc::resource_limit);
    CHECK_THAT(error.message, Catch::Contains("layer 0 (conv2d)"));
  }
  SECTION("a large public input read by thousands of additions") {
    // Each layer reading the input leaves a claim the verifier checks on the whole input table.
    Architecture a;
    a.in_channels = 1, a.height = 1024, a.width = 1024;
    std::size_t sum = a.add(AddSpec{}, {0, 0});
    for (int k = 0; k < 10'000; ++k) sum = a.add(AddSpec{}, {0, sum});
    a.add(Conv2dSpec{1, 1});
    const auto error = refusal(a, 1, Conclusion::outputs);
    CHECK(error.code == zkcnn::Errc::resource_limit);
    CHECK_THAT(error.message, Catch::Contains("the public input"));
  }
}

TEST_CASE("an addition of a flattened image and a vector compiles: their layouts are the same", "[zk][verifier-cost]") {
  // A (4, 1, 1) image flattened keeps its image table; a dense layer's four outputs are a
  // vector: each entry is at the same position in both.
  Architecture a;
  a.in_channels = 4, a.height = 1, a.width = 1;
  const std::size_t flat = a.add(FlattenSpec{});
  const std::size_t dense = a.add(DenseSpec{4}, {flat});
  a.add(AddSpec{}, {flat, dense});
  REQUIRE(a.shapes());
  REQUIRE(zkcnn::zk::compile_for_verifier<Fr>(a, 2, Conclusion::outputs));
  // A flattened 2x2 image and a vector of its four entries are laid out differently: refused.
  Architecture b;
  b.in_channels = 1, b.height = 2, b.width = 2;
  const std::size_t image = b.add(FlattenSpec{});
  const std::size_t vector = b.add(DenseSpec{4}, {image});
  b.add(AddSpec{}, {image, vector});
  CHECK_FALSE(b.shapes());
}

TEST_CASE("verifier cost: the verifiers refuse a hostile commitment before reading the proof", "[zk][verifier-cost]") {
  const Pcs pcs("zkcnn verifier cost test", 2);
  const zkcnn::zk::ModelCommitment<Pcs> commitment;
  const zkcnn::zk::ModelProof garbage{std::vector<std::uint8_t>(64, 0xab)};
  const std::vector<std::int64_t> input(64, 1), output(10, 0);
  auto prediction = zkcnn::zk::verify_prediction(pcs, padded_fft_convolution(2048), commitment,
                                                 std::span<const std::int64_t>(input), std::span<const std::int64_t>(output),
                                                 garbage);
  REQUIRE_FALSE(prediction);
  CHECK(prediction.error().code == zkcnn::Errc::resource_limit);

  const std::vector<std::vector<std::int64_t>> samples{std::vector<std::int64_t>(1024, 1)};
  const std::vector<std::size_t> labels{0};
  auto accuracy = zkcnn::zk::verify_accuracy(pcs, wide_classifier(), commitment,
                                             std::span<const std::vector<std::int64_t>>(samples),
                                             std::span<const std::size_t>(labels), 1, garbage);
  REQUIRE_FALSE(accuracy);
  CHECK(accuracy.error().code == zkcnn::Errc::resource_limit);
}

TEST_CASE("verifier cost: the zoo and the largest legitimate shapes are within the default limits",
          "[zk][verifier-cost]") {
  const zkcnn::zk::VerifierLimits limits;
  for (const Architecture& architecture :
       {zoo::lenet5(), zoo::vgg11(), zoo::vgg16(), vgg16_imagenet_shape(), zoo::resnet20(), zoo::resnet18()}) {
    INFO(architecture.name);
    for (auto [batch, conclusion] : {std::pair{std::size_t{1}, Conclusion::outputs}, std::pair{std::size_t{20}, Conclusion::accuracy}}) {
      const auto cost = zkcnn::zk::verifier_cost(architecture, batch, conclusion);
      REQUIRE(cost);
      CHECK(zkcnn::zk::check_verifier_cost(*cost, limits, sizeof(Fr)));
    }
  }
  // The zoo's VGG-16 on 20 samples: the 20 padded inputs are its largest table.
  const auto vgg = zkcnn::zk::verifier_cost(zoo::vgg16(), 20, Conclusion::accuracy);
  REQUIRE(vgg);
  CHECK(vgg->peak_entries == (std::size_t{1} << 17));
  CHECK(vgg->peak_entries_at == "the public input");
  // A rescale-ReLU's step in zero knowledge: degree 3 plus a digit per bit at most (16 bits).
  CHECK(vgg->max_degree == 20);
  CHECK_THAT(vgg->max_degree_at, Catch::Contains("rescale-relu"));
  REQUIRE(zkcnn::zk::compile_for_verifier<Fr>(zoo::vgg16(), 20, Conclusion::accuracy));
  REQUIRE(zkcnn::zk::compile_for_verifier<Fr>(zoo::resnet18(), 1, Conclusion::outputs));
}

TEST_CASE("verifier cost: raised limits are honoured", "[zk][verifier-cost]") {
  zkcnn::zk::VerifierLimits raised;
  raised.max_memory_bytes = std::size_t{1} << 40;
  raised.max_work = std::size_t{1} << 40;
  raised.max_degree = std::size_t{1} << 20;
  CHECK(zkcnn::zk::compile_for_verifier<Fr>(padded_fft_convolution(2048), 1, Conclusion::outputs, raised));
  CHECK(zkcnn::zk::compile_for_verifier<Fr>(huge_pooling_window(), 1, Conclusion::outputs, raised));

  zkcnn::zk::VerifierLimits lowered;
  lowered.max_degree = 8;  // below max pooling's 9 and the rescale-ReLUs' 20
  CHECK(refusal(zoo::lenet5(), 1, Conclusion::outputs, lowered).code == zkcnn::Errc::resource_limit);
}

TEST_CASE("architectures encode every size at full width and refuse out-of-range scales", "[zk][verifier-cost]") {
  Architecture a = zoo::lenet5();
  Architecture b = a;
  b.input_scale_bits = (std::size_t{1} << 32) + a.input_scale_bits;
  CHECK(a.serialize() != b.serialize());
  CHECK(a.digest() != b.digest());
  const auto shapes = b.shapes();
  REQUIRE_FALSE(shapes);
  CHECK_THAT(shapes.error().message, Catch::Contains("input scale"));
  REQUIRE_FALSE(Architecture::deserialize(b.serialize()));

  Architecture c = a;
  std::get<Conv2dSpec>(c.layers[0]).weight_scale_bits = 49;
  CHECK_FALSE(c.shapes());
  const auto decoded = Architecture::deserialize(a.serialize());
  REQUIRE(decoded);
  CHECK(*decoded == a);
}

TEST_CASE("round polynomials of any degree are evaluated in linear time", "[poly][verifier-cost]") {
  // p(x) = x^3 - 2x + 5 through the points 0..d for a degree d far beyond any honest layer's:
  // a quadratic set-up would take minutes here.
  const std::size_t degree = std::size_t{1} << 17;
  const auto p = [](const Fr& x) { return x * x * x - Fr::from_u64(2) * x + Fr::from_u64(5); };
  std::vector<Fr> values;
  for (std::size_t i = 0; i <= degree; ++i) values.push_back(p(Fr::from_u64(i)));
  const zkcnn::UniformInterpolator<Fr> interpolator(degree);
  const Fr x = Fr::from_u64(0x1234567890abcdefull) * Fr::from_u64(0x42);
  CHECK(interpolator.evaluate(std::span<const Fr>(values), x) == p(x));
}

}  // namespace

TEST_CASE("fft convolutions are proven directly in a field whose two-adicity their transform exceeds", "[zk][verifier_cost]") {
  // BN254's base field has two-adicity 1: no transform fits, so every FFT convolution of LeNet-5
  // compiles to the direct layer, and the verifier's cost is the direct architecture's.
  using LowTwoAdicity = zkcnn::bn254::Fq;
  STATIC_REQUIRE(LowTwoAdicity::two_adicity == 1);
  const Architecture fft = zoo::lenet5();
  Architecture direct = fft;
  std::size_t convolutions = 0;
  for (auto& layer : direct.layers) {
    if (auto* conv = std::get_if<Conv2dSpec>(&layer)) {
      REQUIRE(conv->algorithm == ConvAlgorithm::fft);
      conv->algorithm = ConvAlgorithm::direct;
      ++convolutions;
    }
  }
  REQUIRE(convolutions > 0);
  const auto circuit = zkcnn::zk::ModelCircuit<LowTwoAdicity>::compile(fft, 2);
  REQUIRE(circuit);
  std::size_t direct_steps = 0;
  for (const auto& step : circuit->steps()) {
    CHECK_FALSE(std::holds_alternative<Conv2dFftLayer<LowTwoAdicity>>(step.layer));
    direct_steps += std::holds_alternative<Conv2dDirectLayer<LowTwoAdicity>>(step.layer) ? 1 : 0;
  }
  CHECK(direct_steps == convolutions);
  const auto low = zkcnn::zk::verifier_cost(fft, 2, Conclusion::outputs, LowTwoAdicity::two_adicity);
  const auto expected = zkcnn::zk::verifier_cost(direct, 2, Conclusion::outputs);
  REQUIRE(low);
  REQUIRE(expected);
  CHECK(low->work == expected->work);
  CHECK(low->peak_entries == expected->peak_entries);
  // In BN254's scalar field (two-adicity 28) the same model keeps its FFT convolutions.
  const auto fr_circuit = zkcnn::zk::ModelCircuit<Fr>::compile(fft, 2);
  REQUIRE(fr_circuit);
  std::size_t fft_steps = 0;
  for (const auto& step : fr_circuit->steps()) fft_steps += std::holds_alternative<Conv2dFftLayer<Fr>>(step.layer) ? 1 : 0;
  CHECK(fft_steps == convolutions);
}

TEST_CASE("a batch whose range check would keep fewer than 100 bits of soundness in its field is refused",
          "[zk][verifier-cost]") {
  // The logUp identity errs with probability (entries) / |F|: Goldilocks^2 (at least 2^126
  // elements) allows 2^26 witness entries. LeNet-5 on 2048 samples takes 3.9 * 10^7 of them, on
  // 4096 samples 7.8 * 10^7; BN254's scalar field allows any batch.
  using zkcnn::GoldilocksExt2;
  const Architecture lenet = zoo::lenet5();
  const auto wide = zkcnn::zk::ModelCircuit<GoldilocksExt2>::compile(lenet, 4096, Conclusion::accuracy);
  REQUIRE_FALSE(wide);
  CHECK_THAT(wide.error().message, Catch::Contains("too many for 100 bits of soundness"));
  CHECK(zkcnn::zk::ModelCircuit<GoldilocksExt2>::compile(lenet, 2048, Conclusion::accuracy));
  CHECK(zkcnn::zk::ModelCircuit<Fr>::compile(lenet, 4096, Conclusion::accuracy));
  const auto verifier = zkcnn::zk::compile_for_verifier<GoldilocksExt2>(lenet, 4096, Conclusion::accuracy, {});
  CHECK_FALSE(verifier);
}
