// Accuracy in shards (zk/sharded_accuracy.hpp): on a small network with every layer kind, seven
// samples in shards of at most three verify and count what one proof of the seven counts; every
// change to the statement (a shard moved, dropped, duplicated, resized or recounted, the total,
// N, the digest), to the proofs (swapped, dropped) or to the dataset is rejected; the encodings
// round-trip and reject truncated and random bytes.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/precompiled.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/zk/accuracy.hpp>
#include <zkcnn/zk/sharded_accuracy.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "support/model_test_support.hpp"

namespace {

using namespace zkcnn::nn;
using namespace zkcnn::zk;
using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;

constexpr std::size_t dataset_size = 7;
constexpr std::size_t shard_size = 3;

struct Dataset {
  std::vector<std::vector<std::int64_t>> samples;
  std::vector<std::size_t> labels;

  SampleSource source() const {
    return [this](std::size_t first, std::size_t count) -> zkcnn::Result<LabelledBatch> {
      if (first > samples.size() || count > samples.size() - first) {
        return zkcnn::make_error(zkcnn::Errc::invalid_argument, "test dataset: out of range");
      }
      LabelledBatch batch;
      batch.samples.assign(samples.begin() + static_cast<std::ptrdiff_t>(first),
                           samples.begin() + static_cast<std::ptrdiff_t>(first + count));
      batch.labels.assign(labels.begin() + static_cast<std::ptrdiff_t>(first),
                          labels.begin() + static_cast<std::ptrdiff_t>(first + count));
      return batch;
    };
  }
};

struct Fixture {
  QuantizedModel model = zkcnn_model_test::every_layer_model(1);
  zkcnn::testing::DeterministicRng rng{13};
  std::pair<ModelCommitment<Pcs>, ModelProverState<Pcs>> committed = commit_model(key(), model, rng).value();
  Dataset data;
  std::vector<std::size_t> key_requests;
  KeyForShard<Pcs> key_for = [this](std::size_t samples) -> zkcnn::Result<Pcs> {
    key_requests.push_back(samples);
    return key();
  };

  static const Pcs& key() {
    static const Pcs scheme("zkcnn sharded accuracy test", 8);
    return scheme;
  }

  Fixture() {
    for (std::size_t i = 0; i < dataset_size; ++i) {
      data.samples.push_back(zoo::random_input(model.architecture, 40 + i, 4));
      const auto scores = infer(model, data.samples.back())->back();
      const auto predicted = static_cast<std::size_t>(std::ranges::max_element(scores) - scores.begin());
      data.labels.push_back(i % 3 == 0 ? (predicted + 1) % 3 : predicted);  // some right, some wrong
    }
  }

  // A generator per worker, each of another seed.
  auto seeded_rngs() {
    return [seed = std::uint64_t{100}]() mutable { return zkcnn::testing::DeterministicRng(seed++); };
  }

  std::pair<ShardedAccuracyStatement, ShardedAccuracyProof> prove(std::size_t workers = 1) {
    auto proven = prove_accuracy_in_shards(key_for, model, committed.second, committed.first, data.source(), dataset_size,
                                           shard_size, seeded_rngs(), workers);
    REQUIRE(proven);
    return std::move(*proven);
  }

  zkcnn::Status verify(const ShardedAccuracyStatement& statement, const ShardedAccuracyProof& proof,
                       const Dataset* dataset = nullptr) {
    return verify_accuracy_in_shards(key_for, model.architecture, committed.first, (dataset ? *dataset : data).source(),
                                     statement, proof, 16);
  }
};

}  // namespace

TEST_CASE("shards cover the dataset in order, as evenly as they can", "[zk][shards]") {
  const auto shards = plan_shards(7, 3);
  REQUIRE(shards.size() == 3);
  CHECK(shards[0] == ShardSummary{0, 3, 0});
  CHECK(shards[1] == ShardSummary{3, 2, 0});
  CHECK(shards[2] == ShardSummary{5, 2, 0});
  CHECK(plan_shards(6, 3).size() == 2);
  CHECK(plan_shards(1, 100) == std::vector<ShardSummary>{{0, 1, 0}});
  CHECK(plan_shards(0, 3).empty());
  for (std::size_t n : {1, 2, 10, 99, 100, 101, 10000}) {
    for (std::size_t size : {1, 7, 100, 2048}) {
      const auto plan = plan_shards(n, size);
      std::size_t next = 0;
      for (const auto& shard : plan) {
        CHECK(shard.first == next);
        CHECK(shard.count >= 1);
        CHECK(shard.count <= size);
        next += shard.count;
      }
      CHECK(next == n);
    }
  }
}

TEST_CASE("an accuracy in shards verifies and counts what one proof of the whole counts", "[zk][shards]") {
  Fixture f;
  const auto [statement, proof] = f.prove();
  CHECK(statement.samples == dataset_size);
  CHECK(statement.shards.size() == 3);
  CHECK(proof.shards.size() == 3);
  // Keys are asked for once per shard size (3 and 2).
  CHECK(f.key_requests == std::vector<std::size_t>{3, 2});
  const auto whole = prove_accuracy(Fixture::key(), f.model, f.committed.second, f.committed.first,
                                    std::span<const std::vector<std::int64_t>>(f.data.samples),
                                    std::span<const std::size_t>(f.data.labels), f.rng);
  REQUIRE(whole);
  CHECK(statement.correct == whole->correct);
  CHECK(statement.correct > 0);
  CHECK(statement.correct < dataset_size);
  const auto verdict = f.verify(statement, proof);
  INFO((verdict ? "" : verdict.error().message));
  CHECK(verdict);
}

TEST_CASE("shards proven by several workers at once verify and count the same", "[zk][shards]") {
  Fixture f;
  const auto [one_worker, one_proof] = f.prove(1);
  for (const std::size_t workers : {2, 3, 8}) {
    CAPTURE(workers);
    std::vector<std::size_t> heard;
    const auto [statement, proof] =
        prove_accuracy_in_shards(f.key_for, f.model, f.committed.second, f.committed.first, f.data.source(),
                                 dataset_size, shard_size, f.seeded_rngs(), workers, {},
                                 [&](const ShardSummary& shard, const AccuracyProof<Pcs>&) { heard.push_back(shard.first); })
            .value();
    CHECK(statement == one_worker);  // the same shards, counts and digest
    std::ranges::sort(heard);
    CHECK(heard == std::vector<std::size_t>{0, 3, 5});
    const auto verdict = f.verify(statement, proof);
    INFO((verdict ? "" : verdict.error().message));
    CHECK(verdict);
  }
}

TEST_CASE("a failing shard fails the run, whatever the workers", "[zk][shards]") {
  Fixture f;
  for (const std::size_t workers : {1, 2}) {
    CAPTURE(workers);
    Dataset short_data = f.data;
    short_data.samples.resize(5);  // shard 2 (samples 5 and 6) cannot be read
    short_data.labels.resize(5);
    const auto proven = prove_accuracy_in_shards(f.key_for, f.model, f.committed.second, f.committed.first,
                                                 short_data.source(), dataset_size, shard_size, f.seeded_rngs(), workers);
    REQUIRE_FALSE(proven);
    CHECK(proven.error().message == "test dataset: out of range");
  }
}

TEST_CASE("an accuracy in shards rejects every change to the statement, the proofs or the data", "[zk][shards]") {
  Fixture f;
  const auto [statement, proof] = f.prove();
  REQUIRE(f.verify(statement, proof));

  auto rejects = [&](const ShardedAccuracyStatement& s, const ShardedAccuracyProof& p, const Dataset* d = nullptr) {
    const auto verdict = f.verify(s, p, d);
    if (!verdict) UNSCOPED_INFO(verdict.error().message);
    return !verdict;
  };
  using Change = std::function<void(ShardedAccuracyStatement&)>;
  const std::vector<std::pair<const char*, Change>> changes = {
      {"a count moved between shards", [](auto& s) {
         const bool down = s.shards[0].correct > 0;
         s.shards[0].correct = down ? s.shards[0].correct - 1 : s.shards[0].correct + 1;
         s.shards[1].correct = down ? s.shards[1].correct + 1 : s.shards[1].correct - 1;
       }},
      {"the total", [](auto& s) { s.correct += 1; }},
      {"N", [](auto& s) { s.samples += 1; }},
      {"the digest", [](auto& s) { s.dataset_digest[5] ^= 1; }},
      {"shards reordered", [](auto& s) { std::swap(s.shards[1], s.shards[2]); }},
      {"a shard dropped", [](auto& s) { s.shards.pop_back(); }},
      {"a shard duplicated", [](auto& s) { s.shards.insert(s.shards.begin() + 1, s.shards[0]); }},
      {"a shard overlapping", [](auto& s) { s.shards[1].first -= 1, s.shards[1].count += 1; }},
      {"a gap", [](auto& s) { s.shards[1].first += 1, s.shards[1].count -= 1; }},
      {"a shard resized", [](auto& s) { s.shards[0].count -= 1, s.shards[1].first -= 1, s.shards[1].count += 1; }},
  };
  for (const auto& [name, change] : changes) {
    CAPTURE(name);
    auto changed = statement;
    change(changed);
    CHECK(rejects(changed, proof));
  }

  auto swapped = proof;
  std::swap(swapped.shards[1], swapped.shards[2]);  // two shards of the same size
  CHECK(rejects(statement, swapped));
  auto dropped = proof;
  dropped.shards.pop_back();
  CHECK(rejects(statement, dropped));

  for (std::size_t i : {0, 4, 6}) {
    CAPTURE(i);
    Dataset relabelled = f.data;
    relabelled.labels[i] = (relabelled.labels[i] + 1) % 3;
    CHECK(rejects(statement, proof, &relabelled));
    Dataset changed = f.data;
    changed.samples[i][0] += 1;
    CHECK(rejects(statement, proof, &changed));
  }
  Dataset longer = f.data;
  longer.samples.push_back(longer.samples.front());
  longer.labels.push_back(longer.labels.front());
  CHECK(f.verify(statement, proof, &longer));  // the statement covers its N samples: the 8th is not in it

  // A verifier that refuses shards larger than two refuses this statement before any work.
  const auto limited = verify_accuracy_in_shards(f.key_for, f.model.architecture, f.committed.first, f.data.source(),
                                                 statement, proof, 2);
  REQUIRE_FALSE(limited);
  CHECK(limited.error().code == zkcnn::Errc::invalid_argument);
}

TEST_CASE("sharded accuracy encodings round-trip and reject truncated and random bytes", "[zk][shards]") {
  Fixture f;
  const auto [statement, proof] = f.prove();
  const auto statement_bytes = statement.serialize();
  const auto proof_bytes = proof.serialize();
  CHECK(ShardedAccuracyStatement::deserialize(statement_bytes).value() == statement);
  const auto decoded = ShardedAccuracyProof::deserialize(proof_bytes).value();
  REQUIRE(decoded.shards.size() == proof.shards.size());
  for (std::size_t i = 0; i < proof.shards.size(); ++i) CHECK(decoded.shards[i].bytes == proof.shards[i].bytes);
  for (std::size_t length = 0; length < statement_bytes.size(); ++length) {
    CHECK_FALSE(ShardedAccuracyStatement::deserialize(std::span(statement_bytes).first(length)));
  }
  for (std::size_t length = 0; length < proof_bytes.size(); length += 97) {
    CHECK_FALSE(ShardedAccuracyProof::deserialize(std::span(proof_bytes).first(length)));
  }
  auto longer = statement_bytes;
  longer.push_back(0);
  CHECK_FALSE(ShardedAccuracyStatement::deserialize(longer));
  zkcnn::testing::DeterministicRng noise(3);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<std::uint8_t> bytes(noise() % 200);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(noise());
    (void)ShardedAccuracyStatement::deserialize(bytes);  // never crashes, never allocates by the counts
    (void)ShardedAccuracyProof::deserialize(bytes);
  }
  // Counts far beyond the bytes are refused before anything is allocated.
  std::vector<std::uint8_t> huge(32 + 8, 0);
  for (std::uint8_t b : {0xff, 0xff, 0xff, 0xff}) huge.push_back(b);
  CHECK_FALSE(ShardedAccuracyStatement::deserialize(huge));
  CHECK_FALSE(ShardedAccuracyProof::deserialize(std::vector<std::uint8_t>{0xff, 0xff, 0xff, 0x7f}));
}
