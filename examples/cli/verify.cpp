// zkcnn verify: check a proof of a statement against a model commitment.

#include "commands.hpp"
#include "files.hpp"
#include "logits.hpp"
#include "operations.hpp"

namespace zkcnn::cli {

namespace {

ExitCode run(const Arguments& arguments, const Output& output) {
  const auto published = load(arguments.required("--commitment"), decode_commitment);
  const auto statement = load(arguments.required("--statement"), decode_statement);
  const auto proof = load(arguments.required("--proof"), decode_proof);

  const Verification verification =
      verify_prediction(published, statement, proof, verifier_limits(arguments), output);
  const double seconds = verification.seconds;

  const auto shown = logits(published.architecture, statement.output);
  JsonObject json;
  json.add("model", published.architecture.name).add("predicted_class", statement.predicted_class);
  shown.add_to(json);
  json.add("zero_knowledge", zk::is_zero_knowledge(proof)).add("verify_seconds", seconds);
  return report_verdict(output, verification.verdict, json,
                        fmt::format("verified: the model committed to in this commitment ({}) predicts class {} on this "
                                    "input, with logits {} ({}, {:.3f} s)",
                                    published.architecture.name, statement.predicted_class, shown.text(),
                                    mode_text(proof), seconds));
}

}  // namespace

Command verify_command() {
  return {{"verify",
           "--commitment C --statement T --proof P",
           "check a prediction proof",
           "Checks that the proof P shows the statement T (an input, the model's output on it, and the\n"
           "predicted class) for the model committed to in C. Needs neither the model nor its secret.\n"
           "Exits 0 when the proof verifies, 1 when it is rejected (the reason is printed), 2 when a\n"
           "file cannot be read or its model would cost the verifier more than its limits.",
           with_verifier_limits({{"--commitment", "C", "the model's commitment file"},
                                 {"--statement", "T", "the statement file of `zkcnn prove`"},
                                 {"--proof", "P", "the proof file of `zkcnn prove`"}})},
          run};
}

}  // namespace zkcnn::cli
