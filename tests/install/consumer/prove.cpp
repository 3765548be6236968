// Compiled against an installed zkcnn and linked with its zkcnn::precompiled library: the
// shipped configuration's model proof comes from the library (zkcnn/precompiled.hpp), and a
// LeNet-5 prediction proof made with it verifies.
#include <zkcnn/zkcnn.hpp>

#include <cstdio>
#include <cstdlib>

#ifndef ZKCNN_PRECOMPILED
#error "linking zkcnn::precompiled must define ZKCNN_PRECOMPILED"
#endif

int main() {
  using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;
  namespace zoo = zkcnn::nn::zoo;
  const auto input = zoo::random_input(zoo::lenet5(), 2);
  auto model = zoo::random_model(zoo::lenet5(), 1, input);
  if (!model) return EXIT_FAILURE;
  const Pcs pcs("zkcnn install consumer", 10);
  zkcnn::OsRng rng;
  auto committed = zkcnn::zk::commit_model(pcs, *model, rng);
  if (!committed) return EXIT_FAILURE;
  const auto& [commitment, state] = *committed;
  auto proven = zkcnn::zk::prove_prediction(pcs, *model, state, commitment, input, rng);
  if (!proven) return EXIT_FAILURE;
  auto verdict = zkcnn::zk::verify_prediction(pcs, model->architecture, commitment, input, proven->output, proven->proof);
  if (!verdict) {
    std::fprintf(stderr, "rejected: %s\n", verdict.error().message.c_str());
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
