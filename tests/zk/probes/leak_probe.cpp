// The leak probe (probes.hpp): LeNet-5 with Hyrax over BN254 and with the hash-based scheme over
// Goldilocks (the proof in Goldilocks^2), every hidden value searched for in the proof.

#include <zkcnn/detail/zk_probes.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/pcs/ligero.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/zk/model_proof.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>
#include <span>
#include <stdexcept>
#include <vector>

#include "zk/probes/probes.hpp"

namespace zkcnn_probe {

namespace {

using zkcnn::zk::Conclusion;
using zkcnn::zk::ModelCircuit;
using zkcnn::zk::TableRef;

using Hyrax = zkcnn::Hyrax<zkcnn::bn254::G1>;
using HashBased = zkcnn::pcs::Ligero<zkcnn::Goldilocks, zkcnn::GoldilocksExt2>;

Hyrax make_scheme(const Hyrax*) { return Hyrax("zkcnn leak probe", 8); }
// A model commitment hidden through the probe's four proofs (prediction and accuracy, zero
// knowledge and plain).
HashBased make_scheme(const HashBased*) { return HashBased(zkcnn::pcs::LigeroParameters{100, 2, 4}); }

template <class Pcs>
struct Committed {
  const Pcs pcs = make_scheme(static_cast<const Pcs*>(nullptr));
  zkcnn::nn::QuantizedModel model;
  zkcnn::testing::DeterministicRng rng{5};
  std::pair<zkcnn::zk::ModelCommitment<Pcs>, zkcnn::zk::ModelProverState<Pcs>> committed;

  Committed()
      : model(zkcnn::nn::zoo::random_model(zkcnn::nn::zoo::lenet5(), 1,
                                           zkcnn::nn::zoo::random_input(zkcnn::nn::zoo::lenet5(), 2))
                  .value()),
        committed(zkcnn::zk::commit_model(pcs, model, rng).value()) {}
};

template <class Pcs>
Committed<Pcs>& lenet() {
  static Committed<Pcs> instance;
  return instance;
}

template <class Pcs>
LeakReport leaks(bool accuracy, bool zero_knowledge, Mutation mutation) {
  using F = typename Pcs::Challenge;
  using Encoded = std::array<std::uint8_t, F::byte_size>;
  Committed<Pcs>& c = lenet<Pcs>();
  const std::size_t batch = accuracy ? 2 : 1;
  std::vector<std::vector<std::int64_t>> samples;
  for (std::size_t b = 0; b < batch; ++b) samples.push_back(zkcnn::nn::zoo::random_input(c.model.architecture, 30 + b));
  const std::vector<std::size_t> labels = accuracy ? std::vector<std::size_t>{3, 7} : std::vector<std::size_t>{};
  const Conclusion conclusion = accuracy ? Conclusion::accuracy : Conclusion::outputs;
  const auto inputs = std::span<const std::vector<std::int64_t>>(samples);
  auto circuit = ModelCircuit<F>::compile(c.model.architecture, batch, conclusion).value();
  const auto witness = circuit.witness(c.model, inputs, labels).value();

  std::set<Encoded> secrets;
  auto record = [&](std::span<const std::uint8_t> bytes) {
    Encoded key{};
    std::copy(bytes.begin(), bytes.end(), key.begin());
    if (key != F::zero().to_bytes() && key != F::one().to_bytes()) secrets.insert(key);
  };
  // The tables' values at every point the proof reaches on them.
  const auto weights = zkcnn::nn::to_field<F>(c.committed.second.weights);
  auto at_point = [&](TableRef::Source source, std::size_t index, std::span<const F> point) {
    std::span<const F> table;
    switch (source) {
      case TableRef::Source::tensor:
        table = witness.tensors[index];
        break;
      case TableRef::Source::weights:
        table = weights;
        break;
      case TableRef::Source::aux:
        table = witness.aux;
        break;
    }
    record(zkcnn::evaluate_multilinear(table, point).to_bytes());
  };
  zkcnn::ProverProfile profile;
  LeakReport report;
  zkcnn::zk::ModelProof proof;
  {
    // Verified under the same mutation: a mutation lays the mask rows out its own way.
    ProbeScope scope(mutation);
    zkcnn::zk_probes::settings().secret = record;
    proof = zkcnn::zk::detail::prove_with_witness(c.pcs, circuit, c.committed.second, c.committed.first, inputs, witness,
                                                  labels, profile, c.rng, {zero_knowledge}, at_point);
    const zkcnn::zk::detail::ClaimedResult result{conclusion, std::span(witness.outputs), labels, witness.correct};
    report.verified = static_cast<bool>(
        zkcnn::zk::detail::verify_statement(c.pcs, circuit, c.committed.first, inputs, result, proof));
  }
  report.secrets = secrets.size();
  // At every byte offset: the proof interleaves group elements and length fields, so its field
  // elements are not aligned.
  std::set<Encoded> found;
  for (std::size_t offset = 0; offset + F::byte_size <= proof.bytes.size(); ++offset) {
    Encoded window{};
    std::copy_n(proof.bytes.begin() + static_cast<std::ptrdiff_t>(offset), F::byte_size, window.begin());
    if (secrets.count(window) != 0) found.insert(window);
  }
  report.found = found.size();
  return report;
}

}  // namespace

LeakReport lenet_leaks(bool accuracy, bool zero_knowledge, Mutation mutation) {
  return leaks<Hyrax>(accuracy, zero_knowledge, mutation);
}

LeakReport lenet_leaks_hash_based(bool accuracy, bool zero_knowledge) {
  return leaks<HashBased>(accuracy, zero_knowledge, Mutation::none);
}

}  // namespace zkcnn_probe
