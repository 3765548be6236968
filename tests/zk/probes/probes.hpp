#pragma once
// The two detectors of zero-knowledge leaks (docs/zero-knowledge.md, "How it is tested"). Both
// run honest proofs, and proofs under each mutation of zkcnn/detail/zk_probes.hpp, in the test
// executable built with the probes (probe_test.cpp).
//  - The leak probe (leak_probe.cpp): LeNet-5 over BN254 with Hyrax, and over Goldilocks with the
//    hash-based scheme. Every value the prover
//    hides is recorded (each table's evaluations at the points the proof reaches, each sent
//    factor and lone sent value in the clear, each claimed sum, the openings' vectors and mask
//    values) and searched for at every byte offset of the proof.
//  - The distribution probe (distribution_probe.cpp): a network over a group of known discrete
//    logarithms (support/known_log_group.hpp), with the challenges fixed. A proof is then a
//    vector of field elements, of degree at most 2 in the prover's randomness (two sent
//    factors of one term multiply their masks in a step's last round). The probe computes the
//    affine hull of one model's proofs; two models with one commitment and one result must
//    span the same hull. Equal distributions imply it, so different hulls show a leak; equal
//    hulls are a necessary condition, not a proof of equal distributions.

#include <zkcnn/detail/zk_probes.hpp>

#include <cstddef>

namespace zkcnn_probe {

using zkcnn::zk_probes::Mutation;

/// Sets the probes for one proof (its mutation; the caller adds observers) and resets them
/// all when the proof is done, even when it throws.
class ProbeScope {
 public:
  explicit ProbeScope(Mutation mutation) { zkcnn::zk_probes::settings().mutation = mutation; }
  ~ProbeScope() { zkcnn::zk_probes::settings() = {}; }
  ProbeScope(const ProbeScope&) = delete;
  ProbeScope& operator=(const ProbeScope&) = delete;
};

struct LeakReport {
  std::size_t secrets = 0;  // distinct hidden values recorded (0 and 1 left out)
  std::size_t found = 0;    // of them, found in the proof's bytes
  bool verified = false;
};

/// Proves with LeNet-5 (a prediction of one sample, or the accuracy over two) under `mutation`,
/// verifies, and searches the proof for every hidden value.
LeakReport lenet_leaks(bool accuracy, bool zero_knowledge, Mutation mutation = Mutation::none);

/// The same with the hash-based scheme over Goldilocks, the proof in Goldilocks^2 (the
/// mutations are Hyrax's: none applies).
LeakReport lenet_leaks_hash_based(bool accuracy, bool zero_knowledge);

struct DistributionReport {
  std::size_t coordinates = 0;  // field elements in a proof
  std::size_t rank = 0;         // the dimension of the first model's proofs' affine hull
  std::size_t proofs = 0;       // proofs it took (of both models)
  bool joint_opening = false;   // one opening for the weights, the auxiliary witness and the masks
  bool verified = false;        // every proof verified
  bool same_distribution = false;
};

/// The networks of the distribution probe: the model tests' network with every layer kind
/// (model_test_support.hpp), or a small one (an FFT convolution, rescale-ReLU, max pooling and
/// a dense layer on a 4x4 input) that draws every class of masking at a fraction of the cost.
enum class Network { every_layer, small };

/// The distribution test on a proof of accuracy over `batch` samples, or of a prediction
/// (batch 1), every proof under `mutation`. The batch decides whether the openings are joint:
/// the small network's are for two samples, and split for four. `both_ways`: span the second
/// model's proofs too and compare the hulls; otherwise test one proof of the second model
/// against the first's hull, which is enough to show that they differ.
DistributionReport distribution(Network network, bool accuracy, std::size_t batch, Mutation mutation = Mutation::none,
                                bool both_ways = false);

}  // namespace zkcnn_probe
