// zkcnn accuracy-prove and accuracy-verify: prove how many of a batch of labelled samples
// (Fashion-MNIST test images, or samples and labels from files) the committed model classifies
// as labelled, without revealing its predictions, and check such a proof.

#include "commands.hpp"
#include "files.hpp"
#include "model_source.hpp"
#include "onnx_import.hpp"
#include "operations.hpp"

namespace zkcnn::cli {

namespace {

double accuracy(std::size_t correct, std::size_t samples) {
  return static_cast<double>(correct) / static_cast<double>(samples);
}

}  // namespace

std::size_t memory_budget_option(const Arguments& arguments) {
  return arguments.number("--memory-budget", default_memory_budget >> 30, 1, 1 << 20) << 30;
}

std::size_t shard_size_option(const Arguments& arguments, const CommitmentFile& published) {
  if (arguments.has("--shard-size")) return arguments.number("--shard-size", 1, 1, max_shard_samples);
  return shard_size_for(published.architecture, published.backend(), memory_budget_option(arguments));
}

ExitCode write_sharded_accuracy(const Arguments& arguments, const Output& output, const CommitmentFile& published,
                                const LabelledData& data, const ProvenShards& proven, std::size_t shard_size) {
  const std::string proof_path = arguments.required("--out-proof");
  const std::string statement_path = arguments.required("--out-statement");
  const std::size_t count = data.inputs.values.size();
  const auto proof_bytes = encode(proven.proof);
  const std::size_t correct = proven.statement.correct;
  if (auto ok = write_file(statement_path, encode(proven.statement), Visibility::shared); !ok) {
    fail("--out-statement", ok.error());
  }
  if (auto ok = write_file(proof_path, proof_bytes, Visibility::shared); !ok) fail("--out-proof", ok.error());
  const std::size_t shards = proven.statement.shards.size();
  if (output.json()) {
    print_json(JsonObject()
                   .add("model", published.architecture.name)
                   .add("source", data.source)
                   .add("samples", count)
                   .add("shards", shards)
                   .add("shard_size", shard_size)
                   .add("correct", correct)
                   .add("accuracy", accuracy(correct, count))
                   .add("prove_seconds", proven.seconds)
                   .add("proof_bytes", proof_bytes.size())
                   .add("proof", proof_path)
                   .add("statement", statement_path));
  }
  output.line("{} of {} classified as labelled ({:.1f}%): {}", correct, count, 100 * accuracy(correct, count), data.source);
  output.line("proof:     {} ({} bytes: {} shard proof{}, proved in {:.3f} s)", proof_path, proof_bytes.size(), shards,
              shards == 1 ? "" : "s", proven.seconds);
  output.line("statement: {} (the data's digest, every shard's range and count, the total; the verifier reads the data "
              "itself)",
              statement_path);
  return ExitCode::success;
}

namespace {

ExitCode prove(const Arguments& arguments, const Output& output) {
  const std::string proof_path = arguments.required("--out-proof");
  const std::string statement_path = arguments.required("--out-statement");
  require_distinct_outputs(proof_path, statement_path);
  const auto published = load(arguments.required("--commitment"), decode_commitment);
  const FileLock secret_lock(arguments.required("--secret"));  // the proof count: see count_proofs
  auto secret = load(arguments.required("--secret"), decode_secret);
  const nn::Architecture& architecture = published.architecture;
  // One proof over the whole batch unless it would not fit the memory budget or shards are
  // asked for: then shards, each a proof, under one statement.
  const std::size_t shard_size = shard_size_option(arguments, published);
  auto data = read_data(arguments, architecture, output);
  if (arguments.has("--shard-size") || arguments.has("--memory-budget") || data.inputs.values.size() > shard_size) {
    count_proofs(published, secret, zk::plan_shards(data.inputs.values.size(), shard_size).size());
    const ProvenShards proven =
        prove_accuracy_in_shards(published, secret, source_of(data.inputs), data.inputs.values.size(), shard_size,
                                 memory_budget_option(arguments), prover_options(arguments), output);
    save_proof_count(arguments, published, secret);
    return write_sharded_accuracy(arguments, output, published, data, proven, shard_size);
  }
  auto& inputs = data.inputs;
  const std::string& source = data.source;
  const std::string& count_option = data.count_option;
  const std::size_t count = inputs.values.size();
  count_proofs(published, secret, 1);
  const ProvenAccuracy proven =
      prove_accuracy(published, secret, std::move(inputs), prover_options(arguments), output, count_option);
  const AccuracyStatementFile& statement = proven.statement;
  const double seconds = proven.seconds;
  const std::size_t column_vars = proven.key_column_vars;
  const std::size_t correct = statement.correct;
  const auto proof_bytes = encode(proven.proof);
  save_proof_count(arguments, published, secret);
  if (auto ok = write_file(statement_path, encode(statement), Visibility::shared); !ok) fail("--out-statement", ok.error());
  if (auto ok = write_file(proof_path, proof_bytes, Visibility::shared); !ok) fail("--out-proof", ok.error());

  if (output.json()) {
    print_json(JsonObject()
                   .add("model", architecture.name)
                   .add("source", source)
                   .add("samples", count)
                   .add("correct", correct)
                   .add("accuracy", accuracy(correct, count))
                   .add("key_generators", key_generators(column_vars))
                   .add("prove_seconds", seconds)
                   .add_json("profile", profile_json(proven.profile))
                   .add("proof_bytes", proof_bytes.size())
                   .add("proof", proof_path)
                   .add("statement", statement_path));
  }
  output.line("{} of {} classified as labelled ({:.1f}%): {}", correct, count, 100 * accuracy(correct, count), source);
  output.line("proof:     {} ({} bytes, proved in {:.3f} s)", proof_path, proof_bytes.size(), seconds);
  output.line("statement: {} (the samples, their labels and the count; not the predictions)", statement_path);
  return ExitCode::success;
}

/// Verifies a sharded statement on the data the data options choose.
ExitCode verify_in_shards(const Arguments& arguments, const Output& output, const CommitmentFile& published,
                          const std::string& statement_path, std::span<const std::uint8_t> statement_bytes) {
  const auto statement = take(decode_sharded_statement(statement_bytes), statement_path);
  const auto proof = load(arguments.required("--proof"), decode_sharded_proof);
  if (!arguments.has("--images") && !arguments.has("--samples")) {
    throw Failure(ExitCode::bad_input, statement_path + ": a sharded accuracy statement names its data by digest only: "
                                                        "give the data (--images N [--first K] or --samples and --labels)");
  }
  const auto data = read_data(arguments, published.architecture, output);
  if (data.inputs.values.size() != statement.samples) {
    throw Failure(ExitCode::bad_input, statement_path + ": the statement is about " + std::to_string(statement.samples) +
                                           " samples, the data given holds " + std::to_string(data.inputs.values.size()));
  }
  const Verification verification =
      verify_accuracy_in_shards(published, statement, proof, source_of(data.inputs), verifier_limits(arguments), output);
  const std::size_t samples = statement.samples;
  return report_verdict(output, verification.verdict,
                        JsonObject()
                            .add("model", published.architecture.name)
                            .add("source", data.source)
                            .add("samples", samples)
                            .add("shards", statement.shards.size())
                            .add("correct", statement.correct)
                            .add("accuracy", accuracy(statement.correct, samples))
                            .add("dataset_sha256", hex_text(statement.dataset_digest))
                            .add("verify_seconds", verification.seconds),
                        fmt::format("verified: the model committed to in this commitment ({}) classifies {} of these {} "
                                    "samples as labelled ({:.1f}%) ({} shard proofs, {:.3f} s)",
                                    published.architecture.name, statement.correct, samples,
                                    100 * accuracy(statement.correct, samples), statement.shards.size(),
                                    verification.seconds));
}

ExitCode verify(const Arguments& arguments, const Output& output) {
  const auto published = load(arguments.required("--commitment"), decode_commitment);
  const std::string statement_path = arguments.required("--statement");
  const auto statement_bytes = take(read_file(statement_path), statement_path);
  if (is_sharded_statement(statement_bytes)) {
    return verify_in_shards(arguments, output, published, statement_path, statement_bytes);
  }
  const auto statement = take(decode_accuracy_statement(statement_bytes), statement_path);
  const auto proof = load(arguments.required("--proof"), decode_proof);
  const std::size_t samples = statement.samples.size();
  const Verification verification =
      verify_accuracy(published, statement, proof, verifier_limits(arguments), output, statement_path);
  const double seconds = verification.seconds;
  const std::size_t column_vars = verification.key_column_vars;

  return report_verdict(output, verification.verdict,
                        JsonObject()
                            .add("model", published.architecture.name)
                            .add("samples", samples)
                            .add("correct", statement.correct)
                            .add("accuracy", accuracy(statement.correct, samples))
                            .add("key_generators", key_generators(column_vars))
                            .add("zero_knowledge", zk::is_zero_knowledge(proof))
                            .add("verify_seconds", seconds),
                        fmt::format("verified: the model committed to in this commitment ({}) classifies {} of these {} "
                                    "samples as labelled ({:.1f}%) ({}, {:.3f} s)",
                                    published.architecture.name, statement.correct, samples,
                                    100 * accuracy(statement.correct, samples), mode_text(proof), seconds));
}

}  // namespace

Command accuracy_prove_command() {
  return {{"accuracy-prove",
           "--secret S --commitment C (--images N [--first K] [--data DIR] | --samples FILE --labels FILE)\n"
           "    --out-proof P --out-statement T [--shard-size S | --memory-budget GIB]",
           "prove the committed model's accuracy on labelled samples",
           "Runs the model of the secret file S on labelled samples and proves, in one proof over the\n"
           "whole batch, that the model committed to in C classifies k of them as their labels; a\n"
           "sample's predicted class is the first class of largest score. The samples are\n"
           "Fashion-MNIST test images K to K+N-1 (padded and quantized as the model expects), or those\n"
           "of a file: a NumPy .npy array N x C x H x W of float inputs (or uint8 pixels, divided by\n"
           "255), a .f32 file of raw float32 inputs, or IDX images, with the labels of another (a\n"
           "1-dimensional .npy array, or IDX labels). The predictions stay secret: the proof shows the\n"
           "count only. Writes the proof P and the accuracy statement T (the samples' integer inputs,\n"
           "their labels and k) for `zkcnn accuracy-verify`. The commitment key grows with N (derived\n"
           "from the batch, so the verifier derives the same), up to the largest key this tool\n"
           "accepts.\n"
           "A batch larger than fits the memory budget (default 8 GiB), or any batch with --shard-size\n"
           "or --memory-budget, is proven in shards of consecutive samples, one in memory at a time,\n"
           "each a proof against the same commitment. Their statement names the data by its digest\n"
           "(with every shard's range and count, and the total k); the verifier reads the data itself.",
           {{"--secret", "S", "the secret file of `zkcnn commit`"},
            {"--commitment", "C", "the commitment file of `zkcnn commit`"},
            {"--images", "N", "prove on N test images (1 to " + std::to_string(max_accuracy_samples) + ")"},
            {"--first", "K", "starting at test image K (default 0)"},
            data_option(),
            {"--samples", "FILE", "prove on the samples in FILE instead of test images"},
            {"--labels", "FILE", "the samples' labels"},
            {"--out-proof", "P", "where to write the proof"},
            {"--out-statement", "T", "where to write the accuracy statement"},
            {"--shard-size", "S", "prove in shards of at most S samples"},
            {"--memory-budget", "GIB",
             "prove in shards that fit GIB GiB of memory (default " + std::to_string(default_memory_budget >> 30) + ")"},
            no_zero_knowledge_option()}},
          prove};
}

Command accuracy_verify_command() {
  Command command{{"accuracy-verify",
           "--commitment C --statement T --proof P [--images N [--first K] [--data DIR] | --samples FILE --labels FILE]",
           "check an accuracy proof",
           "Checks that the proof P shows the accuracy statement T (samples, their labels and a count\n"
           "k) for the model committed to in C: the model classifies exactly k of the samples as\n"
           "labelled. Needs neither the model, nor its secret, nor its predictions. Exits 0 when the\n"
           "proof verifies, 1 when it is rejected (the reason is printed), 2 when a file cannot be\n"
           "read, the statement does not fit the model, or the model would cost the verifier more\n"
           "than its limits. A statement proven in shards names its data by digest: give the same data\n"
           "as the prover (the data options); every shard is verified on it, and the shards must cover\n"
           "its samples exactly once, in order.",
           with_verifier_limits({{"--commitment", "C", "the model's commitment file"},
                                 {"--statement", "T", "the accuracy statement file of `zkcnn accuracy-prove`"},
                                 {"--proof", "P", "the proof file of `zkcnn accuracy-prove`"}})},
          verify};
  // A sharded statement's data (the prover's data options).
  for (auto& option : accuracy_data_options()) command.spec.options.push_back(std::move(option));
  return command;
}

}  // namespace zkcnn::cli
