#pragma once
// The fixed statements the model-proof harness checks hostile proofs against, whose honest
// proofs and command-line files the seed generator writes: a tiny network with every layer
// kind (FFT and direct convolutions, rescale-ReLU, max and average pooling, flatten, dense),
// committed with a small key of the command-line tool's scheme, one prediction statement and
// one accuracy statement over two samples, and an honest proof of each with and without zero
// knowledge. Everything follows from fixed seeds (testing::DeterministicRng), so the seeds
// written today are the proofs the harness knows as honest. Tiny, because a verification under
// the sanitizers costs tens of milliseconds even so: its cost is the openings' multi-scalar
// multiplications, which no smaller model avoids.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <zkcnn/nn/quantized_model.hpp>
#include <zkcnn/zk/model_proof.hpp>

#include "backends.hpp"

namespace zkcnn_fuzz {

using Pcs = zkcnn::cli::Bn254Hyrax::Pcs;

struct ModelFixture {
  ModelFixture();

  /// The key: 2^key_column_vars generators derived from the command-line tool's domain.
  std::size_t key_column_vars;
  Pcs pcs;
  zkcnn::nn::QuantizedModel model;
  zkcnn::zk::ModelCommitment<Pcs> commitment;
  zkcnn::zk::ModelProverState<Pcs> state;
  /// The prediction statement: the model maps `input` to `output`.
  std::vector<std::int64_t> input, output;
  /// The accuracy statement: `correct` of `samples` are classified as `labels` say.
  std::vector<std::vector<std::int64_t>> samples;
  std::vector<std::size_t> labels;
  std::size_t correct = 0;
  zkcnn::zk::ModelProof prediction_zk, prediction_plain, accuracy_zk, accuracy_plain;
};

/// Built on first use. It also sets the library to one thread: a harness runs on one core,
/// and the proofs are the same bytes for any thread count anyway.
const ModelFixture& model_fixture();

}  // namespace zkcnn_fuzz
