// zkcnn-mpi accuracy-prove: `zkcnn accuracy-prove` in shards, the shards proven by the ranks of
// an MPI job, each with its own threads:
//
//   mpirun -np R zkcnn-mpi accuracy-prove --secret S --commitment C --images 10000 ...
//       --out-proof P --out-statement T
//
// Every rank reads the commitment, the secret and the data itself (the same paths on every
// machine), plans the same shards, and proves shards r, r + R, r + 2R, ... Rank 0 then gathers
// the shards' counts and proofs (what crosses the network: a few hundred kilobytes per shard),
// and writes the same two files as `zkcnn accuracy-prove` would, checked by the ordinary
// `zkcnn accuracy-verify`. Rank 0 writes only once every rank has succeeded: a rank that fails
// says why on stderr and the run ends with nothing written; a rank that is killed ends the job
// (MPI's default error handler), before anything is written.

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <zkcnn/process/memory.hpp>
#include <zkcnn/zk/sharded_accuracy.hpp>

#include "arguments.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "files.hpp"
#include "model_source.hpp"
#include "operations.hpp"

namespace {

using namespace zkcnn;
using namespace zkcnn::cli;

/// One rank's proven shard.
struct ProvenShard {
  std::uint64_t index = 0;
  std::uint64_t correct = 0;
  std::vector<std::uint8_t> proof;
};

CommandSpec command_spec() {
  CommandSpec spec = accuracy_prove_command().spec;
  spec.synopsis = "--secret S --commitment C (--images N [--first K] [--data DIR] | --samples FILE --labels FILE)\n"
                  "    --out-proof P --out-statement T [--shard-size S | --memory-budget GIB]";
  spec.description =
      "`zkcnn accuracy-prove` in shards, proven by the ranks of an MPI job (mpirun -np R zkcnn-mpi\n"
      "accuracy-prove ...): rank r proves shards r, r + R, ...; rank 0 gathers their proofs and writes\n"
      "the statement T and the proof P, the files `zkcnn accuracy-verify` checks (with the same data).\n"
      "Every rank reads the files and the data at the same paths. The memory budget is per rank.";
  return spec;
}

/// Proves this rank's shards; a Failure for bad input.
std::vector<ProvenShard> prove_my_shards(const Arguments& arguments, const Output& output, const CommitmentFile& published,
                                         SecretFile& secret, const LabelledData& data,
                                         const std::vector<zk::ShardSummary>& plan, int rank, int ranks) {
  // Each key size is derived once (the shard prover keeps them).
  const ShardProver prove = shard_prover(published, secret, prover_options(arguments), output);
  // Every rank refuses a plan beyond the commitment's proofs; rank 0 writes the count.
  count_proofs(published, secret, plan.size());
  const zk::SampleSource source = source_of(data.inputs);
  std::vector<ProvenShard> proven;
  for (std::size_t i = static_cast<std::size_t>(rank); i < plan.size(); i += static_cast<std::size_t>(ranks)) {
    const zk::ShardSummary& shard = plan[i];
    const std::string what = "shard " + std::to_string(i);
    const auto batch = take(source(shard.first, shard.count), what);
    const auto start = std::chrono::steady_clock::now();
    ShardProof result = prove(batch, what);
    fmt::print(stderr, "rank {}: shard {} (samples {} to {}): {} of {} classified as labelled, proved in {:.2f} s\n", rank,
               i, shard.first, shard.first + shard.count - 1, result.correct, shard.count, seconds_since(start));
    proven.push_back({i, result.correct, encode(result.proof)});
  }
  return proven;
}

/// Rank 0 receives every other rank's shards: their number, then per shard its index, count
/// and proof (length first).
std::vector<ProvenShard> gather(std::vector<ProvenShard> mine, int rank, int ranks) {
  if (rank != 0) {
    const std::uint64_t count = mine.size();
    MPI_Send(&count, 1, MPI_UINT64_T, 0, 0, MPI_COMM_WORLD);
    for (const ProvenShard& shard : mine) {
      const std::uint64_t header[3] = {shard.index, shard.correct, shard.proof.size()};
      MPI_Send(header, 3, MPI_UINT64_T, 0, 0, MPI_COMM_WORLD);
      MPI_Send(shard.proof.data(), static_cast<int>(shard.proof.size()), MPI_UINT8_T, 0, 0, MPI_COMM_WORLD);
    }
    return {};
  }
  for (int source = 1; source < ranks; ++source) {
    std::uint64_t count = 0;
    MPI_Recv(&count, 1, MPI_UINT64_T, source, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    for (std::uint64_t s = 0; s < count; ++s) {
      std::uint64_t header[3];
      MPI_Recv(header, 3, MPI_UINT64_T, source, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      ProvenShard shard{header[0], header[1], std::vector<std::uint8_t>(header[2])};
      MPI_Recv(shard.proof.data(), static_cast<int>(shard.proof.size()), MPI_UINT8_T, source, 0, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      mine.push_back(std::move(shard));
    }
  }
  return mine;
}

/// Whether any rank failed (every rank takes part).
bool any_failed(bool failed) {
  int mine = failed ? 1 : 0, any = 0;
  MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return any != 0;
}

int run(int argc, char** argv, int rank, int ranks) {
  if (argc < 2 || std::string_view(argv[1]) != "accuracy-prove") {
    if (rank == 0) fmt::print(stderr, "usage: mpirun -np R zkcnn-mpi accuracy-prove [options] (see --help)\n");
    return static_cast<int>(ExitCode::bad_input);
  }
  const CommandSpec spec = command_spec();
  std::vector<ProvenShard> proven;
  std::string error;
  ExitCode code = ExitCode::success;
  std::optional<Arguments> arguments;
  std::optional<CommitmentFile> published;
  std::optional<SecretFile> secret;
  std::optional<LabelledData> data;
  std::vector<zk::ShardSummary> plan;
  std::size_t shard_size = 0;
  const auto start = std::chrono::steady_clock::now();
  try {
    arguments = Arguments::parse(spec, std::span<char* const>(argv + 2, argv + argc));
    if (arguments->has("--help")) {
      if (rank == 0) fmt::print("{}", help_text(spec));
      return 0;
    }
    if (arguments->has("--threads")) setenv("ZKCNN_THREADS", arguments->optional("--threads")->c_str(), 1);
    // Rank 0 reports; the others say only what their shards came to and why they failed.
    const Output output(rank != 0 || arguments->has("--quiet"), arguments->has("--json"));
    require_distinct_outputs(arguments->required("--out-proof"), arguments->required("--out-statement"));
    published = load(arguments->required("--commitment"), decode_commitment);
    secret = load(arguments->required("--secret"), decode_secret);
    data = read_data(*arguments, published->architecture, output);
    shard_size = shard_size_option(*arguments, *published);
    plan = zk::plan_shards(data->inputs.values.size(), shard_size);
    output.progress("proving {} samples in {} shards of at most {} on {} ranks", data->inputs.values.size(), plan.size(),
                    shard_size, ranks);
    proven = prove_my_shards(*arguments, output, *published, *secret, *data, plan, rank, ranks);
  } catch (const Failure& failure) {
    error = failure.what(), code = failure.code();
  } catch (const std::exception& exception) {
    error = std::string("internal error: ") + exception.what(), code = ExitCode::internal_error;
  }
  if (!error.empty()) fmt::print(stderr, "zkcnn-mpi accuracy-prove: rank {}: {}\n", rank, error);
  if (any_failed(!error.empty())) {
    if (rank == 0) fmt::print(stderr, "zkcnn-mpi accuracy-prove: a rank failed: nothing was written\n");
    return static_cast<int>(error.empty() ? ExitCode::bad_input : code);
  }
  proven = gather(std::move(proven), rank, ranks);
  if (rank != 0) return 0;

  // Rank 0: the statement from every shard, in order, and the same files as accuracy-prove.
  try {
    const Output output(arguments->has("--quiet"), arguments->has("--json"));
    ProvenShards shards;
    shards.statement.samples = data->inputs.values.size();
    shards.statement.shards = plan;
    shards.proof.shards.resize(plan.size());
    for (ProvenShard& shard : proven) {
      shards.statement.shards[shard.index].correct = shard.correct;
      shards.statement.correct += shard.correct;
      shards.proof.shards[shard.index] = take(decode_proof(shard.proof), "the proof of shard " + std::to_string(shard.index));
    }
    // The digest as the library's prover takes it: shard by shard, in order.
    const zk::SampleSource source = source_of(data->inputs);
    zk::DatasetDigest digest;
    for (const zk::ShardSummary& shard : plan) digest.absorb(take(source(shard.first, shard.count), "data"));
    shards.statement.dataset_digest = digest.finalize();
    shards.seconds = seconds_since(start);
    save_proof_count(*arguments, *published, *secret);
    return static_cast<int>(write_sharded_accuracy(*arguments, output, *published, *data, shards, shard_size));
  } catch (const Failure& failure) {
    fmt::print(stderr, "zkcnn-mpi accuracy-prove: {}\n", failure.what());
    return static_cast<int>(failure.code());
  }
}

}  // namespace

int main(int argc, char** argv) {
  zkcnn::reuse_freed_memory();  // a prover's tables are freed and allocated again at every step
  MPI_Init(&argc, &argv);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const int status = run(argc, argv, rank, ranks);
  MPI_Finalize();
  return status;
}
