#include "files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>

#include <zkcnn/io/byte_stream.hpp>
#include <zkcnn/zk/model_circuit.hpp>

namespace zkcnn::cli {

namespace {

constexpr std::size_t magic_size = 8;

struct Kind {
  std::string_view magic;
  std::string_view name;
  /// The format version this tool writes and reads.
  std::uint8_t version = 1;
};
// Commitments and secrets are at version 2 since they name their backend.
constexpr Kind commitment_kind{"zkcnnCMT", "commitment", 2};
constexpr Kind secret_kind{"zkcnnSEC", "secret prover", 2};
constexpr Kind statement_kind{"zkcnnSTM", "statement"};
constexpr Kind accuracy_statement_kind{"zkcnnACC", "accuracy statement"};
constexpr Kind proof_kind{"zkcnnPRF", "proof"};
constexpr Kind sharded_statement_kind{"zkcnnSHS", "sharded accuracy statement"};
constexpr Kind sharded_proof_kind{"zkcnnSHP", "sharded accuracy proof"};
constexpr std::array<Kind, 7> kinds{commitment_kind,  secret_kind,           statement_kind,    accuracy_statement_kind,
                                    proof_kind,       sharded_statement_kind, sharded_proof_kind};

constexpr std::size_t max_file_bytes = std::size_t{1} << 30;

Error invalid(std::string message) { return make_error(Errc::invalid_encoding, std::move(message)); }

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::vector<std::uint8_t> frame(const Kind& kind, std::span<const std::uint8_t> payload) {
  io::ByteWriter out;
  out.write_bytes(as_bytes(kind.magic));
  out.write_u8(kind.version);
  out.write_u32(static_cast<std::uint32_t>(payload.size()));
  out.write_bytes(payload);
  return std::move(out).take();
}

/// The payload of a file of the given kind, or why these bytes are not one.
Result<std::span<const std::uint8_t>> unframe(const Kind& kind, std::span<const std::uint8_t> bytes) {
  const std::string what = "not a zkcnn " + std::string(kind.name) + " file";
  io::ByteReader in(bytes);
  auto magic = in.read_bytes(magic_size, "file header");
  if (!magic) return invalid(what + " (too short)");
  const std::string_view found(reinterpret_cast<const char*>(magic->data()), magic->size());
  if (found != kind.magic) {
    for (const Kind& other : kinds) {
      if (found == other.magic) return invalid(what + ": it is a zkcnn " + std::string(other.name) + " file");
    }
    return invalid(what);
  }
  auto version = in.read_u8("file format version");
  if (!version) return version.error();
  if (*version != kind.version) {
    return invalid(std::string(kind.name) + " file: format version " + std::to_string(*version) + ", this tool reads version " +
                   std::to_string(kind.version));
  }
  auto size = in.read_u32("payload length");
  if (!size) return size.error();
  if (*size != in.remaining()) {
    return invalid(std::string(kind.name) + " file: " + (*size > in.remaining() ? "truncated" : "trailing bytes") + " (" +
                   std::to_string(in.remaining()) + " bytes of payload, the header says " + std::to_string(*size) + ")");
  }
  return in.read_bytes(*size, "payload");
}

void write_blob(io::ByteWriter& out, std::span<const std::uint8_t> bytes) {
  out.write_u32(static_cast<std::uint32_t>(bytes.size()));
  out.write_bytes(bytes);
}

Result<std::span<const std::uint8_t>> read_blob(io::ByteReader& in, std::string_view what) {
  auto size = in.read_u32(what);
  if (!size) return size.error();
  return in.read_bytes(*size, what);
}

void write_integers(io::ByteWriter& out, std::span<const std::int64_t> values) {
  out.write_u32(static_cast<std::uint32_t>(values.size()));
  for (std::int64_t v : values) out.write_bytes(zkcnn::detail::le_bytes(static_cast<std::uint64_t>(v)));
}

/// A count, then that many integers of magnitude below 2^62 (nn::max_magnitude).
Result<std::vector<std::int64_t>> read_integers(io::ByteReader& in, const std::string& what) {
  auto count = in.read_u32(what + " count");
  if (!count) return count.error();
  auto bytes = in.read_bytes(std::size_t{*count} * 8, what);
  if (!bytes) return bytes.error();
  std::vector<std::int64_t> values(*count);
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::uint64_t v = 0;
    for (std::size_t b = 8; b-- > 0;) v = (v << 8) | (*bytes)[8 * i + b];
    values[i] = static_cast<std::int64_t>(v);
    if (values[i] <= -nn::max_magnitude || values[i] >= nn::max_magnitude) {
      return invalid(what + ": value " + std::to_string(i) + " exceeds 2^62 in magnitude");
    }
  }
  return values;
}

Result<nn::Architecture> read_architecture(io::ByteReader& in) {
  auto bytes = read_blob(in, "architecture");
  if (!bytes) return bytes.error();
  return nn::Architecture::deserialize(*bytes);
}

Result<Backend> read_backend(io::ByteReader& in) {
  auto number = in.read_u8("backend");
  if (!number) return number.error();
  if (!is_backend(*number)) {
    return invalid("backend " + std::to_string(*number) + " is none this tool knows (" + backend_names() + ")");
  }
  return static_cast<Backend>(*number);
}

std::vector<std::uint8_t> commitment_payload(const CommitmentFile& file) {
  io::ByteWriter out;
  out.write_u8(static_cast<std::uint8_t>(file.backend()));
  out.write_u32(static_cast<std::uint32_t>(file.key_column_vars));
  write_blob(out, file.architecture.serialize());
  write_blob(out, std::visit([](const auto& commitment) { return commitment.serialize(); }, file.commitment));
  return std::move(out).take();
}

/// Prefixes a payload reader's errors with the kind of file.
template <class T>
Result<T> named(const Kind& kind, Result<T> result) {
  if (!result) return Error{result.error().code, std::string(kind.name) + " file: " + result.error().message};
  return result;
}

}  // namespace

std::vector<std::uint8_t> encode(const CommitmentFile& file) { return frame(commitment_kind, commitment_payload(file)); }

Result<CommitmentFile> decode_commitment(std::span<const std::uint8_t> bytes) {
  auto payload = unframe(commitment_kind, bytes);
  if (!payload) return payload.error();
  return named(commitment_kind, [&]() -> Result<CommitmentFile> {
    io::ByteReader in(*payload);
    CommitmentFile file;
    auto backend = read_backend(in);
    if (!backend) return backend.error();
    auto column_vars = in.read_u32("key size");
    if (!column_vars) return column_vars.error();
    if (*backend == Backend::bn254_hyrax && *column_vars > Bn254Hyrax::max_key_column_vars) {
      return invalid("the key would have 2^" + std::to_string(*column_vars) + " generators, more than the 2^" +
                     std::to_string(Bn254Hyrax::max_key_column_vars) + " this tool accepts");
    }
    if (*backend != Backend::bn254_hyrax && *column_vars != 0) {
      return invalid(std::string(backend_name(*backend)) + " has no key, yet the key size field says 2^" +
                     std::to_string(*column_vars));
    }
    file.key_column_vars = *column_vars;
    auto architecture = read_architecture(in);
    if (!architecture) return architecture.error();
    file.architecture = std::move(*architecture);
    auto commitment_bytes = read_blob(in, "model commitment");
    if (!commitment_bytes) return commitment_bytes.error();
    auto decoded = with_backend(*backend, [&]<class B>(B) -> Status {
      auto commitment = zk::ModelCommitment<typename B::Pcs>::deserialize(*commitment_bytes);
      if (!commitment) return commitment.error();
      file.commitment = std::move(*commitment);
      return {};
    });
    if (!decoded) return decoded.error();
    if (auto end = in.expect_end("commitment"); !end) return end.error();
    return file;
  }());
}

std::optional<std::size_t> proof_budget(const CommitmentFile& file) {
  return with_backend(file.backend(), [&]<class B>(B) { return B::proof_budget(file.commitment_of<B>().weights); });
}

Sha256::Digest commitment_digest(const CommitmentFile& file) {
  Sha256 hash;
  hash.update(commitment_payload(file));
  return hash.finalize();
}

std::vector<std::uint8_t> encode(const SecretFile& file) {
  io::ByteWriter out;
  out.write_u8(static_cast<std::uint8_t>(file.backend()));
  write_blob(out, file.model.architecture.serialize());
  for (const auto& layer : file.model.weights) {
    write_integers(out, layer.kernel);
    write_integers(out, layer.bias);
  }
  with_backend(file.backend(), [&]<class B>(B) { B::write_randomness(out, std::get<typename B::Randomness>(file.randomness)); });
  out.write_u64(file.proofs_made);
  out.write_bytes(file.commitment_digest);
  return frame(secret_kind, std::move(out).take());
}

Result<SecretFile> decode_secret(std::span<const std::uint8_t> bytes) {
  auto payload = unframe(secret_kind, bytes);
  if (!payload) return payload.error();
  return named(secret_kind, [&]() -> Result<SecretFile> {
    io::ByteReader in(*payload);
    SecretFile file;
    auto backend = read_backend(in);
    if (!backend) return backend.error();
    auto architecture = read_architecture(in);
    if (!architecture) return architecture.error();
    file.model.architecture = std::move(*architecture);
    for (std::size_t i = 0; i < file.model.architecture.layers.size(); ++i) {
      const std::string layer = nn::layer_name(file.model.architecture.layers[i], i);
      auto kernel = read_integers(in, layer + " weights");
      if (!kernel) return kernel.error();
      auto bias = read_integers(in, layer + " biases");
      if (!bias) return bias.error();
      file.model.weights.push_back({std::move(*kernel), std::move(*bias)});
    }
    if (auto valid = file.model.validate(); !valid) return valid.error();
    auto randomness = with_backend(*backend, [&]<class B>(B) -> Status {
      auto read = B::read_randomness(in);
      if (!read) return read.error();
      file.randomness = std::move(*read);
      return {};
    });
    if (!randomness) return randomness.error();
    auto proofs = in.read_u64("proofs made");
    if (!proofs) return proofs.error();
    file.proofs_made = *proofs;
    auto digest = in.read_bytes(file.commitment_digest.size(), "commitment digest");
    if (!digest) return digest.error();
    std::copy(digest->begin(), digest->end(), file.commitment_digest.begin());
    if (auto end = in.expect_end("secret"); !end) return end.error();
    return file;
  }());
}

std::vector<std::uint8_t> encode(const StatementFile& file) {
  io::ByteWriter out;
  write_integers(out, file.input);
  write_integers(out, file.output);
  out.write_u32(static_cast<std::uint32_t>(file.predicted_class));
  return frame(statement_kind, std::move(out).take());
}

Result<StatementFile> decode_statement(std::span<const std::uint8_t> bytes) {
  auto payload = unframe(statement_kind, bytes);
  if (!payload) return payload.error();
  return named(statement_kind, [&]() -> Result<StatementFile> {
    io::ByteReader in(*payload);
    StatementFile file;
    auto input = read_integers(in, "input");
    if (!input) return input.error();
    file.input = std::move(*input);
    auto output = read_integers(in, "output");
    if (!output) return output.error();
    file.output = std::move(*output);
    auto predicted = in.read_u32("predicted class");
    if (!predicted) return predicted.error();
    if (*predicted >= file.output.size()) {
      return invalid("predicted class " + std::to_string(*predicted) + " for " + std::to_string(file.output.size()) + " outputs");
    }
    file.predicted_class = *predicted;
    if (auto end = in.expect_end("statement"); !end) return end.error();
    return file;
  }());
}

std::vector<std::uint8_t> encode(const AccuracyStatementFile& file) {
  io::ByteWriter out;
  out.write_u32(static_cast<std::uint32_t>(file.samples.size()));
  for (const auto& sample : file.samples) write_integers(out, sample);
  out.write_u32(static_cast<std::uint32_t>(file.labels.size()));
  for (std::size_t label : file.labels) out.write_u32(static_cast<std::uint32_t>(label));
  out.write_u32(static_cast<std::uint32_t>(file.correct));
  return frame(accuracy_statement_kind, std::move(out).take());
}

Result<AccuracyStatementFile> decode_accuracy_statement(std::span<const std::uint8_t> bytes) {
  auto payload = unframe(accuracy_statement_kind, bytes);
  if (!payload) return payload.error();
  return named(accuracy_statement_kind, [&]() -> Result<AccuracyStatementFile> {
    io::ByteReader in(*payload);
    AccuracyStatementFile file;
    auto count = in.read_u32("sample count");
    if (!count) return count.error();
    if (*count == 0 || *count > max_accuracy_samples) {
      return invalid(std::to_string(*count) + " samples, expected 1 to " + std::to_string(max_accuracy_samples));
    }
    for (std::uint32_t i = 0; i < *count; ++i) {
      auto sample = read_integers(in, "sample " + std::to_string(i));
      if (!sample) return sample.error();
      file.samples.push_back(std::move(*sample));
    }
    auto labels = in.read_u32("label count");
    if (!labels) return labels.error();
    if (*labels != *count) {
      return invalid(std::to_string(*labels) + " labels for " + std::to_string(*count) + " samples");
    }
    for (std::uint32_t i = 0; i < *labels; ++i) {
      auto label = in.read_u32("label");
      if (!label) return label.error();
      file.labels.push_back(*label);
    }
    auto correct = in.read_u32("correct samples");
    if (!correct) return correct.error();
    if (*correct > *count) {
      return invalid(std::to_string(*correct) + " correct samples of " + std::to_string(*count));
    }
    file.correct = *correct;
    if (auto end = in.expect_end("accuracy statement"); !end) return end.error();
    return file;
  }());
}

std::vector<std::uint8_t> encode(const zk::ModelProof& proof) { return frame(proof_kind, proof.bytes); }

Result<zk::ModelProof> decode_proof(std::span<const std::uint8_t> bytes) {
  auto payload = unframe(proof_kind, bytes);
  if (!payload) return payload.error();
  return zk::ModelProof{{payload->begin(), payload->end()}};
}

std::vector<std::uint8_t> encode(const zk::ShardedAccuracyStatement& statement) {
  return frame(sharded_statement_kind, statement.serialize());
}

Result<zk::ShardedAccuracyStatement> decode_sharded_statement(std::span<const std::uint8_t> bytes) {
  auto payload = unframe(sharded_statement_kind, bytes);
  if (!payload) return payload.error();
  return zk::ShardedAccuracyStatement::deserialize(*payload);
}

std::vector<std::uint8_t> encode(const zk::ShardedAccuracyProof& proof) {
  return frame(sharded_proof_kind, proof.serialize());
}

Result<zk::ShardedAccuracyProof> decode_sharded_proof(std::span<const std::uint8_t> bytes) {
  auto payload = unframe(sharded_proof_kind, bytes);
  if (!payload) return payload.error();
  return zk::ShardedAccuracyProof::deserialize(*payload);
}

bool is_sharded_statement(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= magic_size &&
         std::string_view(reinterpret_cast<const char*>(bytes.data()), magic_size) == sharded_statement_kind.magic;
}

Result<std::vector<std::uint8_t>> read_file(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return make_error(Errc::invalid_argument, "is a directory");
  std::ifstream file(path, std::ios::binary);
  if (!file) return make_error(Errc::invalid_argument, std::string("cannot open: ") + std::strerror(errno));
  std::vector<std::uint8_t> bytes;
  char buffer[1 << 16];
  while (file.read(buffer, sizeof(buffer)) || file.gcount() > 0) {
    bytes.insert(bytes.end(), buffer, buffer + file.gcount());
    if (bytes.size() > max_file_bytes) return make_error(Errc::invalid_argument, "larger than 1 GiB");
  }
  if (file.bad()) return make_error(Errc::invalid_argument, "read error");
  return bytes;
}

FileLock::FileLock(const std::filesystem::path& path) {
  for (;;) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    int locked = 0;
    while ((locked = ::flock(fd, LOCK_EX)) != 0 && errno == EINTR) {
    }
    struct stat held {}, named {};
    if (locked != 0 || ::fstat(fd, &held) != 0 || ::stat(path.c_str(), &named) != 0) {
      ::close(fd);
      return;
    }
    if (held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
      fd_ = fd;
      return;
    }
    ::close(fd);  // replaced while we waited: lock the new file
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

Status write_file(const std::filesystem::path& link_or_path, std::span<const std::uint8_t> bytes, Visibility visibility) {
  std::error_code ignored;
  std::filesystem::path path = link_or_path;
  if (std::filesystem::is_symlink(link_or_path, ignored)) {
    if (auto target = std::filesystem::weakly_canonical(link_or_path, ignored); !ignored) path = std::move(target);
  }
  const mode_t mode = visibility == Visibility::owner_only ? 0600 : 0644;
  // A regular file is written beside its place and renamed into it: a failure (a full disk, a
  // killed process) never leaves a partial file under the name. Anything else (a device, a
  // pipe) is written in place.
  const bool in_place = std::filesystem::exists(path, ignored) && !std::filesystem::is_regular_file(path, ignored);
  const std::filesystem::path written_path =
      in_place ? path : std::filesystem::path(path.string() + ".partial-" + std::to_string(::getpid()));
  const int fd = ::open(written_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return make_error(Errc::invalid_argument, "cannot write " + path.string() + ": " + std::strerror(errno));
  int error = 0;
  // An existing file keeps its permissions through O_TRUNC: make a secret private anyway.
  if (visibility == Visibility::owner_only && ::fchmod(fd, 0600) != 0) error = errno;
  for (std::size_t done = 0; error == 0 && done < bytes.size();) {
    const ssize_t written = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (written >= 0) {
      done += static_cast<std::size_t>(written);
    } else if (errno != EINTR) {
      error = errno;
    }
  }
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && !in_place && ::rename(written_path.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    if (!in_place) ::unlink(written_path.c_str());
    return make_error(Errc::invalid_argument, "cannot write " + path.string() + ": " + std::strerror(error));
  }
  return {};
}

void require_distinct_outputs(const std::filesystem::path& first, const std::filesystem::path& second) {
  // Absolute first: weakly_canonical leaves a relative path relative when nothing of it exists.
  std::error_code first_error, second_error;
  const auto a = std::filesystem::weakly_canonical(std::filesystem::absolute(first), first_error);
  const auto b = std::filesystem::weakly_canonical(std::filesystem::absolute(second), second_error);
  if (first_error || second_error ? first == second : a == b) {
    throw Failure(ExitCode::bad_input, "the two output files are the same file: " + first.string());
  }
}

}  // namespace zkcnn::cli
