#include "model_fixture.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <tuple>
#include <utility>

#include <zkcnn/detail/parallel.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/prediction.hpp>

namespace zkcnn_fuzz {

namespace {

namespace nn = zkcnn::nn;
namespace zk = zkcnn::zk;

/// Every layer kind on a 4x4 input, two channels at most.
nn::Architecture tiny_architecture() {
  nn::Architecture a;
  a.name = "fuzz-tiny";
  a.in_channels = 1, a.height = 4, a.width = 4;
  a.layers = {nn::Conv2dSpec{2, 3, 1},
              nn::RescaleReluSpec{},
              nn::MaxPoolSpec{2},
              nn::Conv2dSpec{2, 1, 0, 1, 0, nn::ConvAlgorithm::direct},
              nn::RescaleReluSpec{},
              nn::AvgPoolSpec{2},
              nn::FlattenSpec{},
              nn::DenseSpec{2}};
  return a;
}

/// The fixture is built from known-good arguments: a failure is a bug in this file or a
/// library change it has not followed, reported before any input runs.
template <class T>
T expect(zkcnn::Result<T> result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "zkcnn fuzz: model fixture: %s: %s\n", what, result.error().message.c_str());
    std::abort();
  }
  return std::move(*result);
}

std::size_t predicted_class(const nn::QuantizedModel& model, const std::vector<std::int64_t>& input) {
  const auto scores = expect(nn::infer(model, input), "inference").back();
  return static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

}  // namespace

ModelFixture::ModelFixture() : key_column_vars(5), pcs(zkcnn::cli::Bn254Hyrax::key_domain, key_column_vars) {
  zkcnn::set_thread_count(1);
  const auto architecture = tiny_architecture();
  model = expect(nn::zoo::random_model(architecture, 1, nn::zoo::random_input(architecture, 99, 4), 4, 5), "model");
  zkcnn::testing::DeterministicRng rng(7);
  std::tie(commitment, state) = expect(zk::commit_model(pcs, model, rng), "commitment");

  input = nn::zoo::random_input(architecture, 5, 4);
  for (bool zero_knowledge : {true, false}) {
    auto prediction = expect(zk::prove_prediction(pcs, model, state, commitment, std::span<const std::int64_t>(input), rng,
                                                  {.zero_knowledge = zero_knowledge}),
                             "prediction proof");
    output = std::move(prediction.output);
    (zero_knowledge ? prediction_zk : prediction_plain) = std::move(prediction.proof);
  }

  // Two samples, the first labelled as classified and the second not: k = 1 of 2.
  samples = {nn::zoo::random_input(architecture, 20, 4), nn::zoo::random_input(architecture, 21, 4)};
  labels = {predicted_class(model, samples[0]), 1 - predicted_class(model, samples[1])};
  for (bool zero_knowledge : {true, false}) {
    auto accuracy = expect(zk::prove_accuracy(pcs, model, state, commitment, std::span<const std::vector<std::int64_t>>(samples),
                                              std::span<const std::size_t>(labels), rng, {.zero_knowledge = zero_knowledge}),
                           "accuracy proof");
    correct = accuracy.correct;
    (zero_knowledge ? accuracy_zk : accuracy_plain) = std::move(accuracy.proof);
  }
}

const ModelFixture& model_fixture() {
  static const ModelFixture fixture;
  return fixture;
}

}  // namespace zkcnn_fuzz
