// zkcnn prove: run the committed model on a public input and prove its output.

#include <limits>

#include "commands.hpp"
#include "files.hpp"
#include "logits.hpp"
#include "model_source.hpp"
#include "operations.hpp"

namespace zkcnn::cli {

namespace {

ExitCode run(const Arguments& arguments, const Output& output) {
  arguments.require_one_of({"--image", "--input"});
  const std::string proof_path = arguments.required("--out-proof");
  const std::string statement_path = arguments.required("--out-statement");
  require_distinct_outputs(proof_path, statement_path);
  const auto published = load(arguments.required("--commitment"), decode_commitment);
  const FileLock secret_lock(arguments.required("--secret"));  // the proof count: see count_proofs
  auto secret = load(arguments.required("--secret"), decode_secret);
  count_proofs(published, secret, 1);
  const nn::Architecture& architecture = published.architecture;
  const ModelInput input =
      arguments.has("--image")
          ? test_image(arguments.optional("--data").value_or(std::string(default_data_directory)),
                       arguments.number("--image", 0, 0, std::numeric_limits<std::uint32_t>::max()), architecture)
          : input_file(arguments.required("--input"), architecture);
  // An input file at the wrong scale shows only as a layer's overflow: say what to check.
  const std::string input_hint =
      arguments.has("--input")
          ? fmt::format(" (is --input at the model's input scale? Inputs are preprocessed as the model was trained, "
                        "e.g. pixels / 255, then quantized as round(x * 2^{}); a .npy file of floats is quantized by "
                        "this tool, a text file must hold the quantized integers)",
                        architecture.input_scale_bits)
          : "";
  const ProvenPrediction proven =
      prove_prediction(published, secret, input.values, prover_options(arguments), output, input_hint);
  const StatementFile& statement = proven.statement;
  const double seconds = proven.seconds;
  const auto proof_bytes = encode(proven.proof);
  save_proof_count(arguments, published, secret);
  if (auto ok = write_file(statement_path, encode(statement), Visibility::shared); !ok) fail("--out-statement", ok.error());
  if (auto ok = write_file(proof_path, proof_bytes, Visibility::shared); !ok) fail("--out-proof", ok.error());

  if (output.json()) {
    JsonObject json;
    json.add("model", architecture.name).add("input", input.source).add("predicted_class", statement.predicted_class);
    if (auto name = input.class_name(statement.predicted_class)) json.add("predicted_name", *name);
    if (input.label) json.add("true_label", *input.label);
    if (auto name = input.label ? input.class_name(*input.label) : std::nullopt) json.add("true_name", *name);
    logits(architecture, statement.output).add_to(json);
    json.add("prove_seconds", seconds)
        .add_json("profile", profile_json(proven.profile))
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
  output.line("logits:    {}", logits(architecture, statement.output).text());
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
           "to in C maps that input to its output. The input is one of:\n"
           "  - Fashion-MNIST test image K, padded to the model's input size; its pixels are divided\n"
           "    by 255, as the shipped models were trained, then quantized at the input scale;\n"
           "  - a NumPy .npy file of one float input (C x H x W, or 1 x C x H x W), or a .f32 file of\n"
           "    its raw little-endian float32 values, preprocessed as the model was trained (uint8\n"
           "    pixels are divided by 255), quantized by the tool:\n"
           "    round(x * 2^N) for the input scale 2^N of `zkcnn commit --input-bits` (default 8);\n"
           "  - any other file: integers separated by whitespace or commas, the input already\n"
           "    quantized, channel by channel, each row-major.\n"
           "Writes the proof P and the statement T (the input, the output and the predicted class) for\n"
           "`zkcnn verify`.",
           {{"--secret", "S", "the secret file of `zkcnn commit`"},
            {"--commitment", "C", "the commitment file of `zkcnn commit`"},
            {"--image", "K", "prove on Fashion-MNIST test image K (0 to 9999)"},
            data_option(),
            {"--input", "FILE", "prove on the input in FILE: a .npy or .f32 float input, or quantized integers"},
            {"--out-proof", "P", "where to write the proof"},
            {"--out-statement", "T", "where to write the statement"},
            no_zero_knowledge_option()}},
          run};
}

}  // namespace zkcnn::cli
