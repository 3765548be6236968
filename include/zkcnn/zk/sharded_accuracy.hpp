#pragma once
// Accuracy over a whole dataset, proven in shards under one model commitment (docs/protocol.md
// section 1, the accuracy statement, applied to consecutive parts of the dataset).
//
// A dataset of N labelled samples is cut into shards of consecutive samples: [0, n_1),
// [n_1, n_2), ..., [n_{s-1}, N). Each shard has an accuracy proof of its own (zk/accuracy.hpp)
// against the same commitment, so a prover holds one shard's tables at a time and provers on
// other processes or machines can prove other shards. The aggregate statement says: the samples
// whose digest is D, N of them, are classified as labelled k = k_1 + ... + k_s times by the
// committed model, shard i holding k_i of them. The verifier reads the dataset itself, shard by
// shard, and accepts when the shards cover 0..N-1 exactly once and in order, every shard's proof
// verifies on its samples, the data has digest D, and k is the sum. Soundness is that of the
// shard proofs (a union bound over s of them): each binds its own samples and labels, so a shard
// proof can only stand for the samples it was made on.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "zkcnn/concepts/random.hpp"
#include "zkcnn/detail/bytes.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/architecture.hpp"
#include "zkcnn/nn/quantized_model.hpp"
#include "zkcnn/transcript/sha256.hpp"
#include "zkcnn/zk/accuracy.hpp"
#include "zkcnn/zk/model_proof.hpp"
#include "zkcnn/zk/verifier_cost.hpp"

namespace zkcnn::zk {

/// Samples first..first + count - 1 of a dataset, with their labels.
struct LabelledBatch {
  std::vector<std::vector<std::int64_t>> samples;
  std::vector<std::size_t> labels;
};

/// Reads samples [first, first + count) of a dataset (at the architecture's input scale), for
/// provers and verifiers alike: they ask for one shard at a time, so the dataset need never be
/// in memory as a whole.
using SampleSource = std::function<Result<LabelledBatch>(std::size_t first, std::size_t count)>;

/// The commitment scheme's key for a shard of `samples` samples (a batch's auxiliary witness
/// grows with it); asked once per distinct shard size.
template <ModelCommitmentScheme P>
using KeyForShard = std::function<Result<P>(std::size_t samples)>;

/// SHA-256 of a dataset, absorbed in order shard by shard: a domain string, then per sample its
/// value count (u64), its values (i64) and its label (u64), then the sample count; all
/// little-endian.
class DatasetDigest {
 public:
  DatasetDigest() {
    constexpr std::string_view domain = "zkcnn/dataset/v1";
    hasher_.update(std::span(reinterpret_cast<const std::uint8_t*>(domain.data()), domain.size()));
  }

  void absorb(const LabelledBatch& batch) {
    for (std::size_t i = 0; i < batch.samples.size(); ++i) {
      hasher_.update(zkcnn::detail::le_bytes(batch.samples[i].size()));
      for (std::int64_t v : batch.samples[i]) hasher_.update(zkcnn::detail::le_bytes(static_cast<std::uint64_t>(v)));
      hasher_.update(zkcnn::detail::le_bytes(batch.labels[i]));
    }
    samples_ += batch.samples.size();
  }

  Sha256::Digest finalize() const {
    Sha256 copy = hasher_;
    copy.update(zkcnn::detail::le_bytes(samples_));
    return copy.finalize();
  }

 private:
  Sha256 hasher_;
  std::uint64_t samples_ = 0;
};

/// One shard of the aggregate: its samples and how many of them the model classifies as
/// labelled.
struct ShardSummary {
  std::size_t first = 0;
  std::size_t count = 0;
  std::size_t correct = 0;

  friend bool operator==(const ShardSummary&, const ShardSummary&) = default;
};

/// The public statement of an accuracy proven in shards.
struct ShardedAccuracyStatement {
  Sha256::Digest dataset_digest{};
  /// N: the dataset's samples.
  std::size_t samples = 0;
  /// In order, covering 0..N-1 exactly once.
  std::vector<ShardSummary> shards;
  /// k: the samples classified as labelled, the sum over the shards.
  std::size_t correct = 0;

  /// Accepts, or says why the statement is not well formed: shards out of order, overlapping,
  /// leaving a gap or running past N, a shard larger than `max_shard_samples` (what a verifier
  /// is ready to compile a circuit for), or a total that is not the sum.
  Status check(std::size_t max_shard_samples) const {
    if (samples == 0 || shards.empty()) return make_error(Errc::invalid_argument, "sharded accuracy: no samples");
    std::size_t next = 0, sum = 0;
    for (std::size_t i = 0; i < shards.size(); ++i) {
      const ShardSummary& s = shards[i];
      const std::string which = "shard " + std::to_string(i);
      if (s.first != next) {
        return make_error(Errc::verification_failed,
                          which + " starts at sample " + std::to_string(s.first) + ", not " + std::to_string(next) +
                              (s.first < next ? " (it overlaps the shard before)" : " (samples are missing before it)"));
      }
      if (s.count == 0 || s.count > max_shard_samples) {
        return make_error(Errc::invalid_argument, which + " holds " + std::to_string(s.count) + " samples (1 to " +
                                                      std::to_string(max_shard_samples) + " are verified)");
      }
      if (s.count > samples - s.first) {
        return make_error(Errc::verification_failed, which + " runs past the dataset's " + std::to_string(samples) + " samples");
      }
      if (s.correct > s.count) {
        return make_error(Errc::verification_failed, which + " claims more correct samples than it holds");
      }
      next = s.first + s.count;
      sum += s.correct;
    }
    if (next != samples) {
      return make_error(Errc::verification_failed, "the shards end at sample " + std::to_string(next) + ", the dataset holds " +
                                                       std::to_string(samples));
    }
    if (sum != correct) {
      return make_error(Errc::verification_failed, "the statement's total " + std::to_string(correct) +
                                                       " is not the sum of its shards' counts (" + std::to_string(sum) + ")");
    }
    return {};
  }

  /// digest || N (u64) || shard count (u32) || per shard: first, count, correct (u64 each) ||
  /// k (u64).
  std::vector<std::uint8_t> serialize() const {
    io::ByteWriter out;
    out.write_bytes(dataset_digest);
    out.write_u64(samples);
    out.write_u32(static_cast<std::uint32_t>(shards.size()));
    for (const ShardSummary& s : shards) {
      out.write_u64(s.first);
      out.write_u64(s.count);
      out.write_u64(s.correct);
    }
    out.write_u64(correct);
    return std::move(out).take();
  }

  /// Decodes the canonical encoding; bounded by the bytes given, never by their counts.
  static Result<ShardedAccuracyStatement> deserialize(std::span<const std::uint8_t> bytes) {
    io::ByteReader in(bytes);
    ShardedAccuracyStatement statement;
    auto digest = in.read_bytes(Sha256::digest_size, "sharded accuracy: dataset digest");
    if (!digest) return digest.error();
    std::copy(digest->begin(), digest->end(), statement.dataset_digest.begin());
    auto samples = in.read_u64("sharded accuracy: sample count");
    auto shard_count = samples ? in.read_u32("sharded accuracy: shard count") : Result<std::uint32_t>(samples.error());
    if (!shard_count) return shard_count.error();
    if (*shard_count > in.remaining() / 24) {
      return make_error(Errc::invalid_encoding, "sharded accuracy: " + std::to_string(*shard_count) + " shards in " +
                                                    std::to_string(in.remaining()) + " bytes");
    }
    statement.samples = static_cast<std::size_t>(*samples);
    statement.shards.resize(*shard_count);
    for (ShardSummary& s : statement.shards) {
      for (std::size_t* field : {&s.first, &s.count, &s.correct}) {
        auto value = in.read_u64("sharded accuracy: shard");
        if (!value) return value.error();
        *field = static_cast<std::size_t>(*value);
      }
    }
    auto correct = in.read_u64("sharded accuracy: correct samples");
    if (!correct) return correct.error();
    statement.correct = static_cast<std::size_t>(*correct);
    if (auto end = in.expect_end("sharded accuracy statement"); !end) return end.error();
    return statement;
  }

  friend bool operator==(const ShardedAccuracyStatement&, const ShardedAccuracyStatement&) = default;
};

/// The shards' proofs, in the statement's order.
struct ShardedAccuracyProof {
  std::vector<ModelProof> shards;

  /// Shard count (u32) || per shard: length (u32) || the proof's bytes.
  std::vector<std::uint8_t> serialize() const {
    io::ByteWriter out;
    out.write_u32(static_cast<std::uint32_t>(shards.size()));
    for (const ModelProof& proof : shards) {
      out.write_u32(static_cast<std::uint32_t>(proof.bytes.size()));
      out.write_bytes(proof.bytes);
    }
    return std::move(out).take();
  }

  static Result<ShardedAccuracyProof> deserialize(std::span<const std::uint8_t> bytes) {
    io::ByteReader in(bytes);
    auto count = in.read_u32("sharded accuracy proof: shard count");
    if (!count) return count.error();
    if (*count > in.remaining() / 4) {
      return make_error(Errc::invalid_encoding, "sharded accuracy proof: " + std::to_string(*count) + " shards in " +
                                                    std::to_string(in.remaining()) + " bytes");
    }
    ShardedAccuracyProof proof;
    proof.shards.resize(*count);
    for (ModelProof& shard : proof.shards) {
      auto length = in.read_u32("sharded accuracy proof: shard length");
      if (!length) return length.error();
      auto body = in.read_bytes(*length, "sharded accuracy proof: shard");
      if (!body) return body.error();
      shard.bytes.assign(body->begin(), body->end());
    }
    if (auto end = in.expect_end("sharded accuracy proof"); !end) return end.error();
    return proof;
  }
};

/// Consecutive shards of at most `shard_size` samples covering 0..samples-1, as even as
/// possible (no last shard much smaller than the others); counts not yet known.
inline std::vector<ShardSummary> plan_shards(std::size_t samples, std::size_t shard_size) {
  if (samples == 0 || shard_size == 0) return {};
  const std::size_t count = (samples + shard_size - 1) / shard_size;
  std::vector<ShardSummary> shards;
  for (std::size_t i = 0, first = 0; i < count; ++i) {
    const std::size_t size = samples / count + (i < samples % count ? 1 : 0);
    shards.push_back({first, size, 0});
    first += size;
  }
  return shards;
}

namespace detail {

/// Keys by shard size, derived once each.
template <ModelCommitmentScheme P>
class ShardKeys {
 public:
  explicit ShardKeys(const KeyForShard<P>& key_for) : key_for_(key_for) {}

  Result<const P*> operator()(std::size_t samples) {
    auto found = keys_.find(samples);
    if (found == keys_.end()) {
      auto key = key_for_(samples);
      if (!key) return key.error();
      found = keys_.emplace(samples, std::move(*key)).first;
    }
    return &found->second;
  }

 private:
  const KeyForShard<P>& key_for_;
  std::map<std::size_t, P> keys_;
};

/// The shard's samples from the source, checked to be as many as asked for.
inline Result<LabelledBatch> read_shard(const SampleSource& source, const ShardSummary& shard, std::size_t index) {
  auto batch = source(shard.first, shard.count);
  if (!batch) return batch.error();
  if (batch->samples.size() != shard.count || batch->labels.size() != shard.count) {
    return make_error(Errc::invalid_argument, "shard " + std::to_string(index) + ": the dataset gave " +
                                                  std::to_string(batch->samples.size()) + " samples and " +
                                                  std::to_string(batch->labels.size()) + " labels for " +
                                                  std::to_string(shard.count));
  }
  return batch;
}

}  // namespace detail

/// Proves the accuracy of the committed model on samples 0..samples-1 of `source`, in shards of
/// at most `shard_size`. `workers` shards are proven at a time, each on a thread of its own
/// with a generator of its own, made by `make_rng` before they start: `[] { return OsRng{}; }`
/// outside tests (a seeded test generator must give each worker another seed: copies of one
/// stream would repeat masks, which leaks what they hide). One worker holds one shard's tables
/// at a time, and frees them before it takes the next. `source` is called under a lock, twice
/// per shard (the dataset's digest is taken in order once every shard is proven); `on_shard`,
/// if given, hears of each shard proven, under the same lock, in the order they finish.
template <ModelCommitmentScheme P, class MakeRng, nn::ModelArchitecture Arch>
  requires CryptoRng<std::invoke_result_t<MakeRng&>>
Result<std::pair<ShardedAccuracyStatement, ShardedAccuracyProof>> prove_accuracy_in_shards(
    const KeyForShard<P>& key_for, const nn::BasicQuantizedModel<Arch>& model, const ModelProverState<P>& state,
    const ModelCommitment<P>& commitment, const SampleSource& source, std::size_t samples, std::size_t shard_size,
    MakeRng make_rng, std::size_t workers = 1, const ProverOptions& options = {},
    const std::type_identity_t<std::function<void(const ShardSummary&, const AccuracyProof<P>&)>>& on_shard = {}) {
  using Rng = std::invoke_result_t<MakeRng&>;
  if (samples == 0 || shard_size == 0) return make_error(Errc::invalid_argument, "sharded accuracy: no samples");
  std::pair<ShardedAccuracyStatement, ShardedAccuracyProof> out;
  ShardedAccuracyStatement& statement = out.first;
  ShardedAccuracyProof& proof = out.second;
  statement.samples = samples;
  statement.shards = plan_shards(samples, shard_size);
  proof.shards.resize(statement.shards.size());
  // Every key first, once per shard size: the workers only read them.
  detail::ShardKeys<P> keys(key_for);
  for (const ShardSummary& shard : statement.shards) {
    if (auto key = keys(shard.count); !key) return key.error();
  }
  workers = std::clamp<std::size_t>(workers, 1, statement.shards.size());
  std::vector<Rng> rngs;
  for (std::size_t w = 0; w < workers; ++w) rngs.push_back(make_rng());
  std::atomic<std::size_t> next{0};
  std::mutex lock;  // the source, on_shard, the first error
  std::optional<Error> failure;
  auto fail = [&](Error error) {
    const std::lock_guard guard(lock);
    if (!failure) failure = std::move(error);
  };
  auto work = [&](Rng& rng) {
    for (std::size_t i = next++; i < statement.shards.size(); i = next++) {
      ShardSummary& shard = statement.shards[i];
      auto batch = [&] {
        const std::lock_guard guard(lock);
        return failure ? Result<LabelledBatch>(*failure) : detail::read_shard(source, shard, i);
      }();
      if (!batch) return fail(batch.error());
      auto proven = prove_accuracy(**keys(shard.count), model, state, commitment,
                                   std::span<const std::vector<std::int64_t>>(batch->samples),
                                   std::span<const std::size_t>(batch->labels), rng, options);
      if (!proven) return fail(Error{proven.error().code, "shard " + std::to_string(i) + ": " + proven.error().message});
      const std::lock_guard guard(lock);
      shard.correct = proven->correct;
      if (on_shard) on_shard(shard, *proven);
      proof.shards[i] = std::move(proven->proof);
    }
  };
  zkcnn::detail::parallel_for(
      0, workers,
      [&](std::size_t first, std::size_t last) {
        for (std::size_t w = first; w < last; ++w) work(rngs[w]);
      },
      workers);
  if (failure) return *failure;
  DatasetDigest digest;
  for (std::size_t i = 0; i < statement.shards.size(); ++i) {
    auto batch = detail::read_shard(source, statement.shards[i], i);
    if (!batch) return batch.error();
    digest.absorb(*batch);
    statement.correct += statement.shards[i].correct;
  }
  statement.dataset_digest = digest.finalize();
  return out;
}

/// Accepts, or says why the shard proofs do not show the statement for the committed model on
/// the dataset of `source` (read shard by shard). Each shard's circuit is compiled only if
/// verifying it stays within `limits`.
template <ModelCommitmentScheme P, nn::ModelArchitecture Arch>
Status verify_accuracy_in_shards(const KeyForShard<P>& key_for, const Arch& architecture,
                                 const ModelCommitment<P>& commitment, const SampleSource& source,
                                 const ShardedAccuracyStatement& statement, const ShardedAccuracyProof& proof,
                                 std::size_t max_shard_samples, const VerifierLimits& limits = {}) {
  if (auto ok = statement.check(max_shard_samples); !ok) return ok.error();
  if (proof.shards.size() != statement.shards.size()) {
    return make_error(Errc::verification_failed, "the proof holds " + std::to_string(proof.shards.size()) +
                                                     " shard proofs, the statement " +
                                                     std::to_string(statement.shards.size()) + " shards");
  }
  detail::ShardKeys<P> keys(key_for);
  DatasetDigest digest;
  std::map<std::size_t, ModelCircuit<typename P::Challenge, Arch>> circuits;
  for (std::size_t i = 0; i < statement.shards.size(); ++i) {
    const ShardSummary& shard = statement.shards[i];
    auto batch = detail::read_shard(source, shard, i);
    if (!batch) return batch.error();
    digest.absorb(*batch);
    auto circuit = circuits.find(shard.count);
    if (circuit == circuits.end()) {
      auto compiled = compile_for_verifier<typename P::Challenge>(architecture, shard.count, Conclusion::accuracy, limits);
      if (!compiled) return compiled.error();
      circuit = circuits.emplace(shard.count, std::move(*compiled)).first;
    }
    auto pcs = keys(shard.count);
    if (!pcs) return pcs.error();
    if (auto ok = verify_accuracy(**pcs, circuit->second, commitment, std::span<const std::vector<std::int64_t>>(batch->samples),
                                  std::span<const std::size_t>(batch->labels), shard.correct, proof.shards[i]);
        !ok) {
      return make_error(ok.error().code, "shard " + std::to_string(i) + " (samples " + std::to_string(shard.first) + " to " +
                                             std::to_string(shard.first + shard.count - 1) + "): " + ok.error().message);
    }
  }
  if (digest.finalize() != statement.dataset_digest) {
    return make_error(Errc::verification_failed, "the dataset's digest is not the statement's: the proofs are about other samples or labels");
  }
  return {};
}

}  // namespace zkcnn::zk
