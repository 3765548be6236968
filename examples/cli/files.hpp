#pragma once
// The files of the `zkcnn` command-line tool, and reading and writing them.
//
// Every file is a frame around its payload:
//   magic (8 ASCII bytes naming the kind of file) || format version (u8) || payload length (u32)
//   || payload
// little-endian, as the library's own encodings (io/byte_stream.hpp). The payloads:
//   commitment  (version 2) backend (u8, backends.hpp) || key column variables (u32, 0 for a
//               backend without a key) || architecture (u32 length || nn::Architecture
//               encoding) || model commitment (u32 length || zk::ModelCommitment encoding)
//   secret      (version 2) backend (u8) || architecture (as above) || per layer: kernel and
//               bias (each u32 count || i64 values) || the commitment's randomness (bn254-hyrax:
//               u32 count || BN254 scalars, the row blinds; goldilocks-hash: u32 count ||
//               Goldilocks hiding coefficients, u32 count || 16-byte salts) || proofs made with
//               it so far (u64) || SHA-256 of the commitment file's payload it belongs to
//   statement   input (u32 count || i64 values) || output (the same) || predicted class (u32)
//   accuracy statement
//               sample count (u32, 1 to max_accuracy_samples) || per sample: u32 count || i64
//               values || labels (u32 count, equal to the sample count || u32 values) ||
//               correct samples (u32, at most the sample count)
//   proof       the model proof's bytes (zk::ModelProof, versioned itself; a prediction proof
//               and an accuracy proof are both one)
//   sharded accuracy statement, sharded accuracy proof
//               zk::ShardedAccuracyStatement and zk::ShardedAccuracyProof's encodings
// A version-1 commitment or secret file (before backends) is refused, naming its version.
// Every reader treats the bytes as untrusted: it checks the frame, bounds every count before
// allocating, rejects trailing bytes, and reports each problem as an Error naming the file's
// part; it never asserts.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include <zkcnn/error.hpp>
#include <zkcnn/nn/architecture.hpp>
#include <zkcnn/nn/quantized_model.hpp>
#include <zkcnn/transcript/sha256.hpp>
#include <zkcnn/zk/model_proof.hpp>
#include <zkcnn/zk/sharded_accuracy.hpp>

#include "backends.hpp"
#include "cli.hpp"

namespace zkcnn::cli {

/// What `zkcnn commit` publishes: everything a verifier needs besides a statement and a proof.
struct CommitmentFile {
  /// bn254-hyrax: the key has 2^key_column_vars generators, derived from its domain; 0 for
  /// goldilocks-hash.
  std::size_t key_column_vars = 0;
  nn::Architecture architecture;
  /// The weights' commitment, in the backend's scheme (alternatives in Backend's order).
  std::variant<zk::ModelCommitment<Bn254Hyrax::Pcs>, zk::ModelCommitment<GoldilocksHash::Pcs>> commitment;

  Backend backend() const { return static_cast<Backend>(commitment.index() + 1); }
  /// The commitment of backend B (which must be the file's).
  template <class B>
  const zk::ModelCommitment<typename B::Pcs>& commitment_of() const {
    return std::get<zk::ModelCommitment<typename B::Pcs>>(commitment);
  }
};

/// What `zkcnn commit` keeps for the model owner: the quantized model, and the commitment's
/// randomness, so that every later proof is about the published commitment.
struct SecretFile {
  nn::QuantizedModel model;
  /// In the commitment's backend (alternatives in Backend's order).
  std::variant<Bn254Hyrax::Randomness, GoldilocksHash::Randomness> randomness;
  /// Proofs made about the commitment so far: a goldilocks-hash commitment hides a fixed number
  /// (GoldilocksHash::proof_budget), and `prove` counts them here before writing a proof.
  std::uint64_t proofs_made = 0;
  /// The commitment this randomness made (commitment_digest of its file).
  Sha256::Digest commitment_digest{};

  Backend backend() const { return static_cast<Backend>(randomness.index() + 1); }
};

/// The public statement of a prediction proof: "the committed model maps input to output".
struct StatementFile {
  /// The model's integer input (its scale is the architecture's input scale).
  std::vector<std::int64_t> input;
  /// The model's output: a classifier's logits.
  std::vector<std::int64_t> output;
  /// The index of the largest logit (the first on ties).
  std::size_t predicted_class = 0;
};

/// The most samples an accuracy statement holds: Fashion-MNIST's test set. It keeps a hostile
/// count from allocating before anything else is checked; the largest key allows fewer
/// (2048 LeNet-5 samples), which key_column_vars reports.
inline constexpr std::size_t max_accuracy_samples = 10000;

/// The public statement of an accuracy proof: "the committed model classifies `correct` of
/// these samples as labelled". The predictions themselves are not in it: they stay secret.
struct AccuracyStatementFile {
  /// The model's integer inputs (at the architecture's input scale).
  std::vector<std::vector<std::int64_t>> samples;
  /// The true class of each sample.
  std::vector<std::size_t> labels;
  /// k: the samples whose predicted class (the first of largest score) is their label.
  std::size_t correct = 0;
};

std::vector<std::uint8_t> encode(const CommitmentFile& file);
std::vector<std::uint8_t> encode(const SecretFile& file);
std::vector<std::uint8_t> encode(const StatementFile& file);
std::vector<std::uint8_t> encode(const AccuracyStatementFile& file);
std::vector<std::uint8_t> encode(const zk::ModelProof& proof);

Result<CommitmentFile> decode_commitment(std::span<const std::uint8_t> bytes);
Result<SecretFile> decode_secret(std::span<const std::uint8_t> bytes);
Result<StatementFile> decode_statement(std::span<const std::uint8_t> bytes);
Result<AccuracyStatementFile> decode_accuracy_statement(std::span<const std::uint8_t> bytes);
Result<zk::ModelProof> decode_proof(std::span<const std::uint8_t> bytes);

/// An accuracy proven in shards (zk/sharded_accuracy.hpp): the statement (the dataset's digest,
/// its size, every shard's range and count, the total) and the shards' proofs, each a file.
std::vector<std::uint8_t> encode(const zk::ShardedAccuracyStatement& statement);
std::vector<std::uint8_t> encode(const zk::ShardedAccuracyProof& proof);
Result<zk::ShardedAccuracyStatement> decode_sharded_statement(std::span<const std::uint8_t> bytes);
Result<zk::ShardedAccuracyProof> decode_sharded_proof(std::span<const std::uint8_t> bytes);

/// Whether the bytes are a sharded accuracy statement file (by their header alone).
bool is_sharded_statement(std::span<const std::uint8_t> bytes);

/// SHA-256 of a commitment file's canonical payload: what a secret file is tied to.
Sha256::Digest commitment_digest(const CommitmentFile& file);

/// The proofs the commitment hides in all (its backend's proof_budget); nothing when
/// unlimited.
std::optional<std::size_t> proof_budget(const CommitmentFile& file);

/// An exclusive lock (flock) on a file for as long as it lives: a prover holds its secret
/// file's from reading the proof count to writing it back, so that two provers of one secret
/// take turns and neither's count is lost. A file replaced while waiting (write_file renames a
/// new one into place) is locked again; a file that cannot be opened is not locked (reading it
/// reports why).
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

/// A whole file (at most 1 GiB).
Result<std::vector<std::uint8_t>> read_file(const std::filesystem::path& path);

enum class Visibility { shared, owner_only };

/// Writes (replaces) a file; owner_only files are created readable by their owner alone. A
/// symbolic link is followed: its target is replaced.
Status write_file(const std::filesystem::path& path, std::span<const std::uint8_t> bytes, Visibility visibility);

/// Fails (bad usage) when two output paths name the same file: the second would replace the
/// first (a lost secret, say).
void require_distinct_outputs(const std::filesystem::path& first, const std::filesystem::path& second);

}  // namespace zkcnn::cli

namespace zkcnn::cli {

/// Reads and decodes a file (decode_commitment, decode_secret, ...); a bad-input failure names
/// the file otherwise.
template <class Decode>
auto load(const std::filesystem::path& path, Decode decode) {
  const auto bytes = take(read_file(path), path.string());
  return take(decode(std::span<const std::uint8_t>(bytes)), path.string());
}

}  // namespace zkcnn::cli
