// Zero-knowledge tests with power (docs/zero-knowledge.md, "How it is tested"): the leak probe
// and the distribution probe pass on honest proofs, each can fail, and together they catch
// every mutation that disables one class of the prover's masking.

#include <catch2/catch.hpp>

#include <string>

#include "zk/probes/probes.hpp"

using zkcnn::zk_probes::Mutation;

TEST_CASE("leak probe: no hidden value of a LeNet-5 proof appears in its bytes", "[zk][probe]") {
  for (const bool accuracy : {false, true}) {
    CAPTURE(accuracy);
    const auto hidden = zkcnn_probe::lenet_leaks(accuracy, true);
    INFO("zero knowledge: " << hidden.found << " of " << hidden.secrets << " hidden values found");
    CHECK(hidden.verified);
    CHECK(hidden.secrets > 500);
    CHECK(hidden.found == 0);
    // The probe can fail: a proof without zero knowledge sends true values.
    const auto plain = zkcnn_probe::lenet_leaks(accuracy, false);
    INFO("plain: " << plain.found << " of " << plain.secrets << " table evaluations found");
    CHECK(plain.verified);
    CHECK(plain.found > 10);
  }
}

TEST_CASE("leak probe: no hidden value of a LeNet-5 proof over Goldilocks with the hash-based scheme appears",
          "[zk][probe]") {
  for (const bool accuracy : {false, true}) {
    CAPTURE(accuracy);
    const auto hidden = zkcnn_probe::lenet_leaks_hash_based(accuracy, true);
    INFO("zero knowledge: " << hidden.found << " of " << hidden.secrets << " hidden values found");
    CHECK(hidden.verified);
    CHECK(hidden.secrets > 1000);  // the opening's combined row among them
    CHECK(hidden.found == 0);
    const auto plain = zkcnn_probe::lenet_leaks_hash_based(accuracy, false);
    INFO("plain: " << plain.found << " of " << plain.secrets << " table evaluations found");
    CHECK(plain.verified);
    CHECK(plain.found > 10);
  }
}

TEST_CASE("distribution probe: proofs of two models with one commitment and one result are alike", "[zk][probe]") {
  using zkcnn_probe::Network;
  struct Case {
    Network network;
    bool accuracy;
    std::size_t batch;
  };
  // Every layer kind, a prediction and an accuracy proof; the small network with joint and
  // with split openings (the mutation test's configurations).
  for (const Case c : {Case{Network::every_layer, false, 1}, Case{Network::every_layer, true, 2},
                       Case{Network::small, true, 2}, Case{Network::small, true, 4}}) {
    CAPTURE(c.network == Network::every_layer, c.accuracy, c.batch);
    const auto report = zkcnn_probe::distribution(c.network, c.accuracy, c.batch, Mutation::none, true);
    INFO(report.coordinates << " coordinates, each model's proofs span " << report.rank << " dimensions; "
                            << report.proofs << " proofs");
    CHECK(report.verified);
    CHECK(report.same_distribution);
    if (c.network == Network::small) CHECK(report.joint_opening == (c.batch == 2));
  }
}

TEST_CASE("mutation test: with any class of masking disabled, a probe notices", "[zk][probe]") {
  using zkcnn_probe::Network;
  for (const Mutation mutation : zkcnn::zk_probes::all_mutations) {
    INFO("mutation: " << std::string(zkcnn::zk_probes::name(mutation)));
    // The cheapest probe first. A mutated proof still verifies: it lacks randomness, not
    // correctness.
    const auto leaks = zkcnn_probe::lenet_leaks(true, true, mutation);
    CHECK(leaks.verified);
    if (leaks.found > 0) continue;
    // Split openings, where the weights' opening has no randomness but its own; then joint
    // ones, where the mask rows' commitments carry more than their own steps' values.
    bool caught = false;
    for (const std::size_t batch : {4, 2}) {
      const auto report = zkcnn_probe::distribution(Network::small, true, batch, mutation);
      CHECK(report.verified);
      if (!report.same_distribution) {
        caught = true;
        break;
      }
    }
    CHECK(caught);
  }
}
