// zkcnn inspect: a model's architecture and what each layer costs in a prediction proof, or what
// a statement file claims.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <zkcnn/detail/bytes.hpp>
#include <zkcnn/transcript/sha256.hpp>
#include <zkcnn/zk/model_circuit.hpp>

#include "commands.hpp"
#include "files.hpp"
#include "logits.hpp"
#include "model_source.hpp"
#include "onnx_import.hpp"
#include "operations.hpp"

namespace zkcnn::cli {

namespace {

/// One architecture layer's share of a prediction proof.
struct LayerCost {
  std::string description;
  std::string output_shape;
  std::size_t parameters = 0;
  std::size_t multiply_accumulates = 0;
  /// Entries of the committed weight polynomial its kernel and bias take (padded).
  std::size_t weight_entries = 0;
  /// Entries of a proof's auxiliary witness its range checks take (padded digit tables).
  std::size_t aux_entries = 0;
  /// Digits each range-checked value is split into (summed over the layer's range checks).
  std::size_t digits_per_value = 0;
};

struct ModelCost {
  std::vector<LayerCost> layers;
  std::size_t weight_vars = 0;
  std::size_t aux_vars = 0;
  std::size_t digit_bits = 0;
};

std::string shape_text(const nn::ActivationShape& shape) {
  return shape.flat ? std::to_string(shape.channels)
                    : fmt::format("{}x{}x{}", shape.channels, shape.height, shape.width);
}

/// The costs in backend B's circuit (its field sets the digits' width).
template <class B>
ModelCost model_cost(const nn::Architecture& architecture) {
  const auto shapes = take(architecture.shapes(), "architecture");
  const auto sizes = take(nn::QuantizedModel::weight_sizes(architecture), "architecture");
  const auto circuit = take(B::Circuit::compile(architecture, 1), "architecture");
  ModelCost cost{{}, circuit.weights_layout().num_vars(), circuit.aux_layout().num_vars(), circuit.range_layout().digit_bits};
  for (std::size_t i = 0; i < architecture.layers.size(); ++i) {
    const auto& in = shapes[architecture.layer_inputs(i)[0]];
    const auto& out = shapes[i + 1];
    LayerCost layer{onnx_import::describe_layer(architecture, i), shape_text(out)};
    layer.parameters = sizes[i].first + sizes[i].second;
    if (const auto* conv = std::get_if<nn::Conv2dSpec>(&architecture.layers[i])) {
      layer.multiply_accumulates = out.element_count() * in.channels * conv->kernel * conv->kernel;
    } else if (std::holds_alternative<nn::DenseSpec>(architecture.layers[i])) {
      layer.multiply_accumulates = out.element_count() * in.element_count();
    }
    cost.layers.push_back(std::move(layer));
  }
  for (const auto& step : circuit.steps()) {
    LayerCost& layer = cost.layers[step.spec];
    for (const zk::TableRef& ref : step.inputs) {
      if (ref.source == zk::TableRef::Source::weights) {
        layer.weight_entries += std::size_t{1} << circuit.weights_layout().block_num_vars(ref.index);
      } else if (ref.source == zk::TableRef::Source::aux) {
        layer.aux_entries += std::size_t{1} << circuit.aux_layout().block_num_vars(ref.index);
        for (const zk::DigitBlock& block : circuit.range_layout().digit_blocks) {
          if (block.block == ref.index) layer.digits_per_value += block.digits.digit_count();
        }
      }
    }
  }
  return cost;
}

// SHA-256 of values as little-endian 64-bit integers, in hex: a short name for an input.
std::string digest_text(std::span<const std::vector<std::int64_t>> samples) {
  Sha256 hasher;
  for (const auto& sample : samples) {
    for (std::int64_t v : sample) hasher.update(zkcnn::detail::le_bytes(static_cast<std::uint64_t>(v)));
  }
  return hex_text(hasher.finalize());
}

// What a statement file claims: the prediction's input and logits, or the accuracy's samples,
// labels and count. The commitment adds the model's name and the logits' scale; the proof, its
// size and mode. Nothing is verified (zkcnn verify does).
ExitCode inspect_statement(const Arguments& arguments, const Output& output) {
  const std::string path = arguments.required("--statement");
  const auto bytes = take(read_file(path), path);
  std::optional<CommitmentFile> published;
  if (const auto file = arguments.optional("--commitment")) published = load(*file, decode_commitment);
  const std::optional<std::string> proof_path = arguments.optional("--proof");

  JsonObject json;
  std::vector<std::string> lines;
  if (published) {
    const auto& a = published->architecture;
    json.add("model", a.name).add("input_shape", fmt::format("{}x{}x{}", a.in_channels, a.height, a.width));
    lines.push_back(fmt::format("model:     {} ({}x{}x{} input at scale 2^{})", a.name, a.in_channels, a.height, a.width,
                                a.input_scale_bits));
  }
  // The proof's size and mode: one model proof, or the shards' of a sharded statement.
  std::optional<std::pair<std::size_t, bool>> proof;  // bytes, zero knowledge
  if (proof_path && !is_sharded_statement(bytes)) {
    const auto one = load(*proof_path, decode_proof);
    proof = {encode(one).size(), zk::is_zero_knowledge(one)};
  }
  if (auto prediction = decode_statement(bytes)) {
    const std::string input_digest = digest_text(std::span(&prediction->input, 1));
    json.add("kind", "prediction").add("input_values", prediction->input.size()).add("input_sha256", input_digest);
    lines.push_back(fmt::format("a prediction: {} input values, SHA-256 {}", prediction->input.size(), input_digest));
    json.add("predicted_class", prediction->predicted_class);
    lines.push_back(fmt::format("predicted class: {}", prediction->predicted_class));
    if (published) {
      const auto shown = logits(published->architecture, prediction->output);
      shown.add_to(json);
      lines.push_back("logits:    " + shown.text());
    } else {
      json.add("output", std::span<const std::int64_t>(prediction->output));
      std::string integers;
      for (std::int64_t v : prediction->output) integers += (integers.empty() ? "" : ", ") + std::to_string(v);
      lines.push_back("output:    " + integers + " (integers; --commitment gives their scale)");
    }
  } else if (auto accuracy = decode_accuracy_statement(bytes)) {
    const std::size_t n = accuracy->samples.size();
    std::vector<std::vector<std::int64_t>> labels{{}};
    for (std::size_t label : accuracy->labels) labels[0].push_back(static_cast<std::int64_t>(label));
    const std::string samples_digest = digest_text(accuracy->samples), labels_digest = digest_text(labels);
    json.add("kind", "accuracy")
        .add("samples", n)
        .add("samples_sha256", samples_digest)
        .add("labels_sha256", labels_digest)
        .add("correct", accuracy->correct)
        .add("accuracy", static_cast<double>(accuracy->correct) / static_cast<double>(n));
    lines.push_back(fmt::format("an accuracy: {} of {} samples classified as labelled ({:.1f}%)", accuracy->correct, n,
                                100.0 * static_cast<double>(accuracy->correct) / static_cast<double>(n)));
    lines.push_back(fmt::format("samples:   SHA-256 {}", samples_digest));
    lines.push_back(fmt::format("labels:    SHA-256 {}", labels_digest));
  } else if (auto sharded = decode_sharded_statement(bytes)) {
    const std::size_t n = sharded->samples;
    const double share = n == 0 ? 0.0 : static_cast<double>(sharded->correct) / static_cast<double>(n);
    json.add("kind", "sharded accuracy")
        .add("samples", n)
        .add("shards", sharded->shards.size())
        .add("dataset_sha256", hex_text(sharded->dataset_digest))
        .add("correct", sharded->correct)
        .add("accuracy", share);
    lines.push_back(fmt::format("an accuracy in {} shards: {} of {} samples classified as labelled ({:.1f}%)",
                                sharded->shards.size(), sharded->correct, n, 100.0 * share));
    lines.push_back(fmt::format("data:      SHA-256 {} (the verifier reads the data itself)", hex_text(sharded->dataset_digest)));
    for (const auto& shard : sharded->shards) {
      lines.push_back(fmt::format("  samples {} to {}: {} of {}", shard.first, shard.first + shard.count - 1, shard.correct,
                                  shard.count));
    }
    if (proof_path) {
      const auto shards = load(*proof_path, decode_sharded_proof);
      const bool zero_knowledge = std::ranges::all_of(shards.shards, [](const auto& p) { return zk::is_zero_knowledge(p); });
      proof = {encode(shards).size(), zero_knowledge};
    }
  } else {
    throw Failure(ExitCode::bad_input, path + ": neither a prediction nor an accuracy statement: " + prediction.error().message);
  }
  if (proof) {
    const auto [proof_bytes, zero_knowledge] = *proof;
    json.add("proof_bytes", proof_bytes).add("zero_knowledge", zero_knowledge);
    lines.push_back(
        fmt::format("proof:     {} bytes, {} (not verified here: see zkcnn verify)", proof_bytes, mode_text(zero_knowledge)));
  }
  if (output.json()) {
    print_json(json);
  } else {
    for (const auto& line : lines) output.line("{}", line);
  }
  return ExitCode::success;
}

ExitCode run(const Arguments& arguments, const Output& output) {
  if (arguments.has("--statement")) return inspect_statement(arguments, output);
  arguments.require_one_of({"--model", "--commitment"});
  std::optional<CommitmentFile> published;
  nn::Architecture architecture;
  Backend backend = Backend::bn254_hyrax;
  if (arguments.has("--model")) {
    architecture = import_model(arguments, output).architecture;
    if (const auto name = arguments.optional("--backend")) backend = take(backend_named(*name), "--backend");
  } else {
    if (arguments.has("--backend")) {
      throw Failure(ExitCode::bad_input, "--backend goes with --model: a commitment file names its own");
    }
    published = load(arguments.required("--commitment"), decode_commitment);
    architecture = published->architecture;
    backend = published->backend();
  }
  const auto [cost, column_vars] = with_backend(backend, [&]<class B>(B) {
    const std::size_t vars = published ? published->key_column_vars
                                       : take(B::key_column_vars(take(B::Circuit::compile(architecture, 1), "model")), "model");
    return std::pair{model_cost<B>(architecture), vars};
  });

  LayerCost total;
  for (const auto& layer : cost.layers) {
    total.parameters += layer.parameters;
    total.multiply_accumulates += layer.multiply_accumulates;
    total.weight_entries += layer.weight_entries;
    total.aux_entries += layer.aux_entries;
  }
  if (output.json()) {
    std::vector<std::string> layers;
    for (const auto& layer : cost.layers) {
      layers.push_back(JsonObject()
                           .add("layer", layer.description)
                           .add("output_shape", layer.output_shape)
                           .add("parameters", layer.parameters)
                           .add("multiply_accumulates", layer.multiply_accumulates)
                           .add("weight_entries", layer.weight_entries)
                           .add("aux_entries", layer.aux_entries)
                           .add("digits_per_value", layer.digits_per_value)
                           .str());
    }
    JsonObject json;
    json.add("model", architecture.name)
        .add("input_shape", fmt::format("{}x{}x{}", architecture.in_channels, architecture.height, architecture.width))
        .add("input_scale_bits", architecture.input_scale_bits)
        .add_json("layers", json_array(layers))
        .add("parameters", total.parameters)
        .add("multiply_accumulates", total.multiply_accumulates)
        .add("weight_polynomial_entries", std::size_t{1} << cost.weight_vars)
        .add("aux_polynomial_entries", std::size_t{1} << cost.aux_vars)
        .add("digit_bits", cost.digit_bits)
        .add("backend", backend_name(backend))
        .add("key_generators", key_generators(column_vars));
    if (published) json.add("commitment_bytes", encode(*published).size());
    if (const auto budget = published ? proof_budget(*published) : std::nullopt) json.add("proof_budget", *budget);
    print_json(json);
    return ExitCode::success;
  }
  output.line("{}: {}x{}x{} input at scale 2^{}", architecture.name, architecture.in_channels, architecture.height,
              architecture.width, architecture.input_scale_bits);
  output.line("{:>3}  {:<58} {:>9} {:>10} {:>11} {:>9} {:>9} {:>7}", "#", "layer", "output", "parameters", "MACs",
              "weights", "aux", "digits");
  for (std::size_t i = 0; i < cost.layers.size(); ++i) {
    const auto& l = cost.layers[i];
    output.line("{:>3}  {:<58} {:>9} {:>10} {:>11} {:>9} {:>9} {:>7}", i, l.description, l.output_shape, l.parameters,
                l.multiply_accumulates, l.weight_entries, l.aux_entries, l.digits_per_value);
  }
  output.line("{:>3}  {:<58} {:>9} {:>10} {:>11} {:>9} {:>9}", "", "total", "", total.parameters,
              total.multiply_accumulates, total.weight_entries, total.aux_entries);
  output.line("");
  output.line("weights, aux:  committed table entries (padded blocks); digits: range-check digits per value, of at most");
  output.line("               {} bits (the width the library chose for this model)", cost.digit_bits);
  output.line("committed weights: one polynomial of 2^{} entries; each proof commits 2^{} auxiliary entries",
              cost.weight_vars, cost.aux_vars);
  if (column_vars > 0) {
    output.line("commitment:        {}, key of 2^{} generators (domain \"{}\")", backend_name(backend), column_vars,
                Bn254Hyrax::key_domain);
  } else {
    const auto budget = published ? proof_budget(*published) : std::nullopt;
    output.line("commitment:        {}, transparent (no key){}", backend_name(backend),
                budget ? fmt::format(", hides {} proofs", *budget) : "");
  }
  if (published) output.line("commitment file:   {} bytes", encode(*published).size());
  return ExitCode::success;
}

}  // namespace

Command inspect_command() {
  CommandSpec spec{
      "inspect",
      "(--model M.onnx [quantization options] | --commitment C | --statement T [--commitment C] [--proof P])",
      "show a model's layers and their proof costs, or what a statement claims",
      "Prints the architecture of a trained model (imported and quantized as `zkcnn commit` does)\n"
      "or of a commitment file, and for each layer its output shape, its parameters, its\n"
      "multiply-accumulates, the committed table entries it takes (weights, and the auxiliary\n"
      "witness of its range checks) and the digits its range checks split each value into.\n"
      "With --statement, prints what a prediction or accuracy statement claims: the input's\n"
      "size and SHA-256, the logits (as real numbers with the commitment C, which fixes their\n"
      "scale) and the predicted class; or the samples' and labels' SHA-256 and the count\n"
      "classified as labelled. With the proof P, its size and mode. It verifies nothing.",
      {{"--model", "M.onnx", "a trained model (ONNX)"},
       {"--commitment", "C", "a commitment file"},
       {"--statement", "T", "a prediction or accuracy statement file"},
       {"--proof", "P", "the statement's proof"},
       {"--backend", "B", "with --model: the costs in this commitment scheme's field (" + backend_names() + ")"}},
  };
  for (auto& option : quantization_options()) spec.options.push_back(std::move(option));
  return {std::move(spec), run};
}

}  // namespace zkcnn::cli
