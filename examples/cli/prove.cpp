// zkcnn prove: run the committed model on a public input and prove its output.

#include <chrono>
#include <limits>

#include <zkcnn/random/os_rng.hpp>
#include <zkcnn/zk/model_circuit.hpp>
#include <zkcnn/zk/prediction.hpp>

#include "commands.hpp"
#include "files.hpp"
#include "model_source.hpp"

namespace zkcnn::cli {

namespace {

/// The owner's state for proofs about `published`, from a secret file that must belong to it
/// (a mismatched opening would otherwise only show as a rejected proof, or make Hyrax throw).
zk::ModelProverState<Pcs> prover_state(const SecretFile& secret, const CommitmentFile& published) {
  const auto mismatch = [](const std::string& why) {
    return Failure(ExitCode::bad_input, "the secret file does not belong to this commitment: " + why);
  };
  if (secret.commitment_digest != commitment_digest(published)) throw mismatch("it was made for another commitment");
  if (secret.model.architecture != published.architecture) throw mismatch("another architecture");
  const auto circuit = take(zk::ModelCircuit<Scalar>::compile(published.architecture, 1), "architecture");
  const auto& weights = published.commitment.weights;
  if (weights.num_vars != circuit.weights_layout().num_vars() || weights.column_vars > published.key_column_vars ||
      secret.opening.row_blinds.size() != weights.rows.size()) {
    throw mismatch("its blinding factors do not fit the commitment's shape");
  }
  return {circuit.weights_table(secret.model), secret.opening};
}

ExitCode run(const Arguments& arguments, const Output& output) {
  arguments.require_one_of({"--image", "--input"});
  const std::string proof_path = arguments.required("--out-proof");
  const std::string statement_path = arguments.required("--out-statement");
  require_distinct_outputs(proof_path, statement_path);
  const auto published = load(arguments.required("--commitment"), decode_commitment);
  const auto secret = load(arguments.required("--secret"), decode_secret);
  const nn::Architecture& architecture = published.architecture;
  const ModelInput input =
      arguments.has("--image")
          ? test_image(arguments.optional("--data").value_or(std::string(default_data_directory)),
                       arguments.number("--image", 0, 0, std::numeric_limits<std::uint32_t>::max()), architecture)
          : input_file(arguments.required("--input"), architecture);
  const auto state = prover_state(secret, published);

  output.progress("deriving the commitment key: 2^{} generators", published.key_column_vars);
  const Pcs pcs = make_key(published.key_column_vars);
  output.progress("proving the prediction of {} on {}", architecture.name, input.source);
  const auto start = std::chrono::steady_clock::now();
  OsRng rng;  // the proof's blinding factors: never a seeded generator
  const auto proven =
      take(zk::prove_prediction(pcs, secret.model, state, published.commitment, input.values, rng), "prove");
  const double seconds = seconds_since(start);
  const zk::ProverProfile& p = proven.profile;
  output.progress("proved in {:.3f} s: witness {:.3f} s, auxiliary commitment {:.3f} s, layers {:.3f} s, weights opening "
                  "{:.3f} s, range check and auxiliary opening {:.3f} s",
                  seconds, p.witness, p.aux_commitment, p.layers, p.weights_opening, p.aux_opening);

  const StatementFile statement{input.values, proven.output, argmax(proven.output)};
  const auto proof_bytes = encode(proven.proof);
  if (auto ok = write_file(statement_path, encode(statement), Visibility::shared); !ok) fail("--out-statement", ok.error());
  if (auto ok = write_file(proof_path, proof_bytes, Visibility::shared); !ok) fail("--out-proof", ok.error());

  if (output.json()) {
    JsonObject json;
    json.add("model", architecture.name).add("input", input.source).add("predicted_class", statement.predicted_class);
    if (auto name = input.class_name(statement.predicted_class)) json.add("predicted_name", *name);
    if (input.label) json.add("true_label", *input.label);
    if (auto name = input.label ? input.class_name(*input.label) : std::nullopt) json.add("true_name", *name);
    json.add("output", std::span<const std::int64_t>(statement.output))
        .add("prove_seconds", seconds)
        .add_json("profile", JsonObject()
                                 .add("witness", p.witness)
                                 .add("aux_commitment", p.aux_commitment)
                                 .add("layers", p.layers)
                                 .add("weights_opening", p.weights_opening)
                                 .add("aux_opening", p.aux_opening)
                                 .str())
        .add("proof_bytes", proof_bytes.size())
        .add("proof", proof_path)
        .add("statement", statement_path);
    print_json(json);
  }
  auto class_text = [&](std::size_t c) {
    const auto name = input.class_name(c);
    return name ? fmt::format("{} ({})", c, *name) : std::to_string(c);
  };
  output.line("predicted class {} for {}{}", class_text(statement.predicted_class), input.source,
              input.label ? ", true label " + class_text(*input.label) : "");
  output.line("proof:     {} ({} bytes, proved in {:.3f} s)", proof_path, proof_bytes.size(), seconds);
  output.line("statement: {} (the input, the output and the predicted class)", statement_path);
  return ExitCode::success;
}

}  // namespace

Command prove_command() {
  return {{"prove",
           "--secret S --commitment C (--image K [--data DIR] | --input FILE) --out-proof P --out-statement T",
           "prove a prediction of the committed model",
           "Runs the model of the secret file S on a public input, and proves that the model committed\n"
           "to in C maps that input to its output. The input is Fashion-MNIST test image K (padded and\n"
           "quantized as the model expects), or a text file of integers separated by whitespace or\n"
           "commas: the model's input at its input scale, channel by channel, each row-major. Writes the proof P\n"
           "and the statement T (the input, the output and the predicted class) for `zkcnn verify`.",
           {{"--secret", "S", "the secret file of `zkcnn commit`"},
            {"--commitment", "C", "the commitment file of `zkcnn commit`"},
            {"--image", "K", "prove on Fashion-MNIST test image K (0 to 9999)"},
            data_option(),
            {"--input", "FILE", "prove on the integers in FILE"},
            {"--out-proof", "P", "where to write the proof"},
            {"--out-statement", "T", "where to write the statement"}}},
          run};
}

}  // namespace zkcnn::cli
