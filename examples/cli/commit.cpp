// zkcnn commit: import and quantize a trained model, commit to its weights, and write the
// public commitment file and the model owner's secret file.

#include <limits>

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
  const std::string backend_option = arguments.optional("--backend").value_or(std::string(backend_name(Backend::bn254_hyrax)));
  const auto backend = take(backend_named(backend_option), "--backend");
  std::optional<std::size_t> asked;
  if (arguments.has("--proofs")) asked = arguments.number("--proofs", 0, 0, std::numeric_limits<std::uint32_t>::max());
  require_proofs_option(backend, asked, "--proofs");
  const std::size_t proofs = asked.value_or(GoldilocksHash::default_proofs);
  const Committed committed = commit(model, backend, proofs, output);
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
                   .add("backend", backend_name(backend))
                   .add("key_generators", key_generators(committed.commitment.key_column_vars))
                   .add("key_seconds", committed.key_seconds)
                   .add("commit_seconds", committed.commit_seconds)
                   .add("commitment_bytes", commitment_bytes.size())
                   .add("commitment", commitment_path)
                   .add("secret", secret_path));
  }
  const auto hidden = proofs_left(committed.commitment, committed.secret);
  const std::string scheme_text =
      hidden ? fmt::format("{}: transparent, hides {} proofs", backend_option, *hidden)
             : fmt::format("{}: key of 2^{} generators, {:.2f} s", backend_option, committed.commitment.key_column_vars,
                           committed.key_seconds);
  output.line("committed to {} ({} parameters) in {:.2f} s ({})", model.architecture.name, parameters,
              committed.commit_seconds, scheme_text);
  output.line("commitment: {} ({} bytes, public)", commitment_path, commitment_bytes.size());
  output.line("secret:     {} (the model and the commitment's randomness: keep it private)", secret_path);
  return ExitCode::success;
}

}  // namespace

Command commit_command() {
  CommandSpec spec{
      "commit",
      "--model M.onnx --out-commitment C --out-secret S [options]",
      "commit to a trained model once",
      "Imports a trained ONNX model, quantizes it (calibrating on Fashion-MNIST training images),\n"
      "and commits to its weights with the backend's scheme:\n"
      "  - bn254-hyrax (the default): Hyrax over the BN254 curve, with a key of generators\n"
      "    derived from a public string; the smallest proofs;\n"
      "  - goldilocks-hash: the hash-based scheme over the Goldilocks field (SHA-256 Merkle trees,\n"
      "    no curve, no key); a commitment hides --proofs proofs, which its secret file counts:\n"
      "    commit again for more.\n"
      "Writes the public commitment file C (the backend, the architecture, the commitment and\n"
      "the key's size) and the secret file S (the quantized weights and the commitment's\n"
      "randomness, readable by its owner only), which every later proof about this commitment\n"
      "needs (goldilocks-hash proofs update its count). Committing again gives another commitment.",
      {{"--model", "M.onnx", "the trained model (ONNX)"},
       {"--out-commitment", "C", "where to write the public commitment"},
       {"--out-secret", "S", "where to write the secret prover file"},
       {"--backend", "B", "the commitment scheme: " + backend_names() + " (default bn254-hyrax)"},
       {"--proofs", "N",
        "goldilocks-hash: the proofs the commitment hides, 1 to " + std::to_string(GoldilocksHash::max_proofs()) +
            " (default " + std::to_string(GoldilocksHash::default_proofs) + "; more make it wider)"}},
  };
  for (auto& option : quantization_options()) spec.options.push_back(std::move(option));
  return {std::move(spec), run};
}

}  // namespace zkcnn::cli
