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

ExitCode prove(const Arguments& arguments, const Output& output) {
  const std::string proof_path = arguments.required("--out-proof");
  const std::string statement_path = arguments.required("--out-statement");
  require_distinct_outputs(proof_path, statement_path);
  arguments.require_one_of({"--images", "--samples"});
  const auto published = load(arguments.required("--commitment"), decode_commitment);
  const auto secret = load(arguments.required("--secret"), decode_secret);
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
  const ProvenAccuracy proven =
      prove_accuracy(published, secret, std::move(inputs), prover_options(arguments), output, count_option);
  const AccuracyStatementFile& statement = proven.statement;
  const double seconds = proven.seconds;
  const std::size_t column_vars = proven.key_column_vars;
  const std::size_t correct = statement.correct;
  const auto proof_bytes = encode(proven.proof);
  if (auto ok = write_file(statement_path, encode(statement), Visibility::shared); !ok) fail("--out-statement", ok.error());
  if (auto ok = write_file(proof_path, proof_bytes, Visibility::shared); !ok) fail("--out-proof", ok.error());

  if (output.json()) {
    print_json(JsonObject()
                   .add("model", architecture.name)
                   .add("source", source)
                   .add("samples", count)
                   .add("correct", correct)
                   .add("accuracy", accuracy(correct, count))
                   .add("key_generators", std::size_t{1} << column_vars)
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

ExitCode verify(const Arguments& arguments, const Output& output) {
  const auto published = load(arguments.required("--commitment"), decode_commitment);
  const std::string statement_path = arguments.required("--statement");
  const auto statement = load(statement_path, decode_accuracy_statement);
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
