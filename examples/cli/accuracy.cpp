// zkcnn accuracy-prove and accuracy-verify: prove how many of a batch of labelled samples
// (Fashion-MNIST test images, or samples and labels from files) the committed model classifies
// as labelled, without revealing its predictions, and check such a proof.

#include <algorithm>
#include <chrono>

#include <zkcnn/random/os_rng.hpp>
#include <zkcnn/zk/accuracy.hpp>

#include "commands.hpp"
#include "files.hpp"
#include "model_source.hpp"
#include "onnx_import.hpp"

namespace zkcnn::cli {

namespace {

/// The key of an accuracy proof over `samples` samples; a bad-input failure naming `what` when
/// the batch needs more than the largest key.
///
/// `zkcnn commit` sizes the key for one-sample prediction proofs, but an accuracy proof
/// commits an auxiliary witness about `samples` times larger (every sample's range-check
/// digits, then the argmax gadget's choices and differences). With the commitment's key the
/// library would still prove, its default shape capping the columns at the key and adding
/// rows, but every row's commitment travels in the proof: on LeNet-5, 100 images would take
/// 2^14 rows, over half a megabyte. So the key grows with the batch, to the shape the
/// library would choose without the cap. It depends on public values only (the commitment's
/// key size, the architecture, the sample count): the verifier derives the same key from the
/// statement, and no file has to record it. The generators are hash_to_group of one domain and
/// their index, so the larger key extends the commitment's, and the weights' commitment
/// (made with fewer columns) opens under it unchanged. The key stays within
/// max_key_column_vars, which also bounds what a hostile statement can make a verifier derive.
std::size_t accuracy_key_column_vars(std::size_t published_key, const zk::ModelCircuit<Scalar>& batch_circuit,
                                     const std::string& what) {
  return std::max(published_key, take(key_column_vars(batch_circuit), what));
}

/// Fails (bad input, naming `what`) unless every sample is an input of the model and every
/// label one of its classes: a statement about another model, not a proof to reject.
void require_fits(const AccuracyStatementFile& statement, const nn::Architecture& architecture, const std::string& what) {
  const auto shapes = take(architecture.shapes(), "architecture");
  const std::size_t input_size = shapes.front().element_count();
  const std::size_t classes = shapes.back().element_count();
  for (std::size_t i = 0; i < statement.samples.size(); ++i) {
    if (statement.samples[i].size() != input_size) {
      throw Failure(ExitCode::bad_input, what + ": sample " + std::to_string(i) + " has " +
                                             std::to_string(statement.samples[i].size()) + " values, the model takes " +
                                             std::to_string(input_size));
    }
    if (statement.labels[i] >= classes) {
      throw Failure(ExitCode::bad_input, what + ": label " + std::to_string(statement.labels[i]) + " of sample " +
                                             std::to_string(i) + " is not one of the model's " + std::to_string(classes) +
                                             " classes");
    }
  }
}

double accuracy(std::size_t correct, std::size_t samples) {
  return static_cast<double>(correct) / static_cast<double>(samples);
}

ExitCode prove(const Arguments& arguments, const Output& output) {
  const std::string proof_path = arguments.required("--out-proof");
  const std::string statement_path = arguments.required("--out-statement");
  require_distinct_outputs(proof_path, statement_path);
  arguments.require_one_of({"--images", "--samples"});
  const auto published = load(arguments.required("--commitment"), decode_commitment);
  const auto secret = load(arguments.required("--secret"), decode_secret);
  const auto state = prover_state(secret, published);
  const nn::Architecture& architecture = published.architecture;
  LabelledInputs inputs;
  std::string source;
  std::string count_option = "--images";
  if (const auto samples_path = arguments.optional("--samples")) {
    count_option = "--samples";
    output.progress("reading samples from {}", *samples_path);
    const auto samples =
        samples_file(*samples_path, architecture.in_channels, architecture.height, architecture.width, "--samples");
    if (samples.empty() || samples.size() > max_accuracy_samples) {
      throw Failure(ExitCode::bad_input, "--samples " + *samples_path + ": " + std::to_string(samples.size()) +
                                             " samples (1 to " + std::to_string(max_accuracy_samples) + " are proven)");
    }
    inputs.labels = labels_file(arguments.required("--labels"), samples.size(), "--labels");
    for (std::size_t i = 0; i < samples.size(); ++i) {
      inputs.values.push_back(take(onnx_import::quantize_input(samples[i], architecture.input_scale_bits),
                                   "--samples " + *samples_path + ", sample " + std::to_string(i)));
    }
    source = "the samples of " + *samples_path;
  } else {
    const std::size_t count = arguments.required_number("--images", 1, max_accuracy_samples);
    const std::size_t first = arguments.number("--first", 0, 0, max_accuracy_samples - 1);
    const std::string data = arguments.optional("--data").value_or(std::string(default_data_directory));
    output.progress("reading Fashion-MNIST test images {} to {} ({})", first, first + count - 1, data);
    inputs = test_images(data, first, count, architecture, "--first/--images");
    source = fmt::format("Fashion-MNIST test images {} to {}", first, first + count - 1);
  }
  const std::size_t count = inputs.values.size();
  const std::size_t column_vars = accuracy_key_column_vars(
      published.key_column_vars,
      take(zk::ModelCircuit<Scalar>::compile(architecture, count, zk::Conclusion::accuracy), count_option), count_option);

  output.progress("deriving the commitment key: 2^{} generators (for {} samples)", column_vars, count);
  const Pcs pcs = make_key(column_vars);
  output.progress("proving the accuracy of {} on {} samples", architecture.name, count);
  const auto start = std::chrono::steady_clock::now();
  OsRng rng;  // the proof's blinding factors: never a seeded generator
  ProgressBar bar(output, "proving");
  auto options = prover_options(arguments);
  options.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
  const auto proven = take(zk::prove_accuracy(pcs, secret.model, state, published.commitment,
                                              std::span<const std::vector<std::int64_t>>(inputs.values),
                                              std::span<const std::size_t>(inputs.labels), rng, options),
                           "prove");
  const double seconds = seconds_since(start);
  output.progress("proved in {:.3f} s: {}", seconds, profile_text(proven.profile));

  const AccuracyStatementFile statement{inputs.values, inputs.labels, proven.correct};
  const auto proof_bytes = encode(proven.proof);
  if (auto ok = write_file(statement_path, encode(statement), Visibility::shared); !ok) fail("--out-statement", ok.error());
  if (auto ok = write_file(proof_path, proof_bytes, Visibility::shared); !ok) fail("--out-proof", ok.error());

  if (output.json()) {
    print_json(JsonObject()
                   .add("model", architecture.name)
                   .add("source", source)
                   .add("samples", count)
                   .add("correct", proven.correct)
                   .add("accuracy", accuracy(proven.correct, count))
                   .add("key_generators", std::size_t{1} << column_vars)
                   .add("prove_seconds", seconds)
                   .add_json("profile", profile_json(proven.profile))
                   .add("proof_bytes", proof_bytes.size())
                   .add("proof", proof_path)
                   .add("statement", statement_path));
  }
  output.line("{} of {} classified as labelled ({:.1f}%): {}", proven.correct, count, 100 * accuracy(proven.correct, count),
              source);
  output.line("proof:     {} ({} bytes, proved in {:.3f} s)", proof_path, proof_bytes.size(), seconds);
  output.line("statement: {} (the samples, their labels and the count; not the predictions)", statement_path);
  return ExitCode::success;
}

ExitCode verify(const Arguments& arguments, const Output& output) {
  const auto published = load(arguments.required("--commitment"), decode_commitment);
  const std::string statement_path = arguments.required("--statement");
  const auto statement = load(statement_path, decode_accuracy_statement);
  const auto proof = load(arguments.required("--proof"), decode_proof);
  require_fits(statement, published.architecture, statement_path);
  const std::size_t samples = statement.samples.size();
  // The architecture is the model owner's: its cost is checked before anything is compiled,
  // for the commitment's own key (one sample) and for the batch.
  const zk::VerifierLimits limits = verifier_limits(arguments);
  const std::size_t published_key =
      published_key_column_vars(published, verifier_circuit(published.architecture, 1, zk::Conclusion::outputs, limits));
  const auto circuit = verifier_circuit(published.architecture, samples, zk::Conclusion::accuracy, limits);
  const std::size_t column_vars = accuracy_key_column_vars(published_key, circuit, statement_path);

  output.progress("deriving the commitment key: 2^{} generators (for {} samples)", column_vars, samples);
  const Pcs pcs = make_key(column_vars);
  output.progress("verifying");
  const auto start = std::chrono::steady_clock::now();
  const Status verdict = zk::verify_accuracy(pcs, circuit, published.commitment,
                                             std::span<const std::vector<std::int64_t>>(statement.samples),
                                             std::span<const std::size_t>(statement.labels), statement.correct, proof);
  const double seconds = seconds_since(start);

  return report_verdict(output, verdict,
                        JsonObject()
                            .add("model", published.architecture.name)
                            .add("samples", samples)
                            .add("correct", statement.correct)
                            .add("accuracy", accuracy(statement.correct, samples))
                            .add("key_generators", std::size_t{1} << column_vars)
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
           "    --out-proof P --out-statement T",
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
           "accepts: 2048 LeNet-5 samples at most.",
           {{"--secret", "S", "the secret file of `zkcnn commit`"},
            {"--commitment", "C", "the commitment file of `zkcnn commit`"},
            {"--images", "N", "prove on N test images (1 to " + std::to_string(max_accuracy_samples) + ")"},
            {"--first", "K", "starting at test image K (default 0)"},
            data_option(),
            {"--samples", "FILE", "prove on the samples in FILE instead of test images"},
            {"--labels", "FILE", "the samples' labels"},
            {"--out-proof", "P", "where to write the proof"},
            {"--out-statement", "T", "where to write the accuracy statement"},
            no_zero_knowledge_option()}},
          prove};
}

Command accuracy_verify_command() {
  return {{"accuracy-verify",
           "--commitment C --statement T --proof P",
           "check an accuracy proof",
           "Checks that the proof P shows the accuracy statement T (samples, their labels and a count\n"
           "k) for the model committed to in C: the model classifies exactly k of the samples as\n"
           "labelled. Needs neither the model, nor its secret, nor its predictions. Exits 0 when the\n"
           "proof verifies, 1 when it is rejected (the reason is printed), 2 when a file cannot be\n"
           "read, the statement does not fit the model, or the model would cost the verifier more\n"
           "than its limits.",
           with_verifier_limits({{"--commitment", "C", "the model's commitment file"},
                                 {"--statement", "T", "the accuracy statement file of `zkcnn accuracy-prove`"},
                                 {"--proof", "P", "the proof file of `zkcnn accuracy-prove`"}})},
          verify};
}

}  // namespace zkcnn::cli
