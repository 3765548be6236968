// zkcnn commit: import and quantize a trained model, commit to its weights, and write the
// public commitment file and the model owner's secret file.

#include "commands.hpp"
#include "files.hpp"
#include "model_source.hpp"
#include "operations.hpp"

namespace zkcnn::cli {

namespace {

ExitCode run(const Arguments& arguments, const Output& output) {
  const std::string commitment_path = arguments.required("--out-commitment");
  const std::string secret_path = arguments.required("--out-secret");
  require_distinct_outputs(commitment_path, secret_path);
  const nn::QuantizedModel model = import_model(arguments, output);
  const Committed committed = commit(model, output);
  const auto commitment_bytes = encode(committed.commitment);
  // The secret first: a commitment without its secret could never be proven about.
  if (auto ok = write_file(secret_path, encode(committed.secret), Visibility::owner_only); !ok) fail("--out-secret", ok.error());
  if (auto ok = write_file(commitment_path, commitment_bytes, Visibility::shared); !ok) fail("--out-commitment", ok.error());

  std::size_t parameters = 0;
  for (const auto& layer : model.weights) parameters += layer.kernel.size() + layer.bias.size();
  if (output.json()) {
    print_json(JsonObject()
                   .add("model", model.architecture.name)
                   .add("parameters", parameters)
                   .add("key_generators", std::size_t{1} << committed.commitment.key_column_vars)
                   .add("key_seconds", committed.key_seconds)
                   .add("commit_seconds", committed.commit_seconds)
                   .add("commitment_bytes", commitment_bytes.size())
                   .add("commitment", commitment_path)
                   .add("secret", secret_path));
  }
  output.line("committed to {} ({} parameters) in {:.2f} s (key: 2^{} generators, {:.2f} s)", model.architecture.name,
              parameters, committed.commit_seconds, committed.commitment.key_column_vars, committed.key_seconds);
  output.line("commitment: {} ({} bytes, public)", commitment_path, commitment_bytes.size());
  output.line("secret:     {} (the model and the commitment's blinding factors: keep it private)", secret_path);
  return ExitCode::success;
}

}  // namespace

Command commit_command() {
  CommandSpec spec{
      "commit",
      "--model M.onnx --out-commitment C --out-secret S [options]",
      "commit to a trained model once",
      "Imports a trained ONNX model, quantizes it (calibrating on Fashion-MNIST training images),\n"
      "and commits to its weights with Hyrax over BN254. Writes the public commitment file C\n"
      "(the architecture, the commitment and the key's size) and the secret file S (the quantized\n"
      "weights and the commitment's blinding factors, readable by its owner only), which every\n"
      "later proof about this commitment needs. Committing again gives another commitment.",
      {{"--model", "M.onnx", "the trained model (ONNX)"},
       {"--out-commitment", "C", "where to write the public commitment"},
       {"--out-secret", "S", "where to write the secret prover file"}},
  };
  for (auto& option : quantization_options()) spec.options.push_back(std::move(option));
  return {std::move(spec), run};
}

}  // namespace zkcnn::cli
