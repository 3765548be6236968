// `import zkcnn`: the command-line tool's operations (examples/cli/operations.hpp) for Python,
// with NumPy arrays for data. Commitments, secrets, statements and proofs are the tool's own
// objects and files: a commitment made here verifies with `zkcnn verify`, and the other way
// round. Bad input raises zkcnn.Error (a ValueError) with the tool's message; a rejected proof
// is a Verdict that is false and says why. The long calls (import, commit, prove, verify)
// release the GIL once their arguments are copied.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <zkcnn/process/memory.hpp>
#include <zkcnn/version.hpp>

#include "cli.hpp"
#include "files.hpp"
#include "idx.hpp"
#include "logits.hpp"
#include "model_source.hpp"
#include "npy.hpp"
#include "onnx_import.hpp"
#include "operations.hpp"

namespace py = pybind11;

namespace zkcnn::python {

namespace {

using cli::ExitCode;
using cli::Failure;

/// Where the long calls report: stderr when `progress` is asked for, else nowhere.
cli::Output output_for(bool progress) { return cli::Output(!progress, false); }

/// A NumPy array as the tool's NpyArray: unsigned bytes stay pixels (divided by 255 where
/// samples are taken), every other real type is converted to double.
data::NpyArray to_array(const py::array& array, const std::string& what) {
  const py::dtype dtype = array.dtype();
  const char kind = dtype.kind();
  if (kind != 'f' && kind != 'i' && kind != 'u' && kind != 'b') {
    throw Failure(ExitCode::bad_input, what + ": an array of numbers is needed, this one holds dtype " +
                                           py::cast<std::string>(py::str(static_cast<const py::handle&>(dtype))));
  }
  data::NpyArray result;
  result.type = kind == 'u' && dtype.itemsize() == 1 ? data::NpyType::uint8
                : kind == 'f'                       ? data::NpyType::float64
                                                    : data::NpyType::int64;
  for (py::ssize_t d = 0; d < array.ndim(); ++d) result.shape.push_back(static_cast<std::size_t>(array.shape(d)));
  const auto values = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(array);
  if (!values) throw Failure(ExitCode::bad_input, what + ": cannot be read as numbers");
  result.values.assign(values.data(), values.data() + values.size());
  return result;
}

bool holds_integers(const data::NpyArray& array) { return array.type == data::NpyType::int64; }

/// The model inputs of an array at the architecture's input scale: floats (and uint8 pixels,
/// divided by 255) are quantized as round(x * 2^input_scale_bits); integers are taken as
/// already quantized. One input, or a batch.
std::vector<std::vector<std::int64_t>> model_inputs(const py::array& array, const nn::Architecture& architecture,
                                                    const std::string& what) {
  const data::NpyArray values = to_array(array, what);
  std::vector<std::vector<std::int64_t>> inputs;
  if (holds_integers(values)) {
    // Quantized integers: any shape whose element count is a whole number of inputs.
    const std::size_t size = architecture.in_channels * architecture.height * architecture.width;
    if (values.values.empty() || values.values.size() % size != 0) {
      throw Failure(ExitCode::bad_input, what + ": " + std::to_string(values.values.size()) +
                                             " integers are not a whole number of inputs of " + std::to_string(size) +
                                             " values");
    }
    for (std::size_t begin = 0; begin < values.values.size(); begin += size) {
      std::vector<std::int64_t> input;
      for (std::size_t i = begin; i < begin + size; ++i) input.push_back(static_cast<std::int64_t>(values.values[i]));
      inputs.push_back(std::move(input));
    }
    return inputs;
  }
  const auto samples =
      cli::samples_from_array(values, architecture.in_channels, architecture.height, architecture.width, what);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    inputs.push_back(cli::take(onnx_import::quantize_input(samples[i], architecture.input_scale_bits),
                               what + ", sample " + std::to_string(i)));
  }
  return inputs;
}

/// The integers of a 1-dimensional array (a statement's input or output).
std::vector<std::int64_t> integers(const py::array& array, const std::string& what) {
  const auto values = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(array);
  if (!values || values.ndim() != 1 || (array.dtype().kind() != 'i' && array.dtype().kind() != 'u')) {
    throw Failure(ExitCode::bad_input, what + ": a 1-dimensional array of integers");
  }
  return {values.data(), values.data() + values.size()};
}

template <class T>
py::array_t<T> to_numpy(const std::vector<T>& values) {
  py::array_t<T> result(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), result.mutable_data());
  return result;
}

py::bytes to_bytes(const std::vector<std::uint8_t>& bytes) {
  return py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::vector<std::uint8_t> from_bytes(const py::bytes& bytes) {
  const std::string_view view = bytes;
  return {view.begin(), view.end()};
}

/// Decodes one of the tool's files from bytes.
template <class Decode>
auto decode_bytes(const py::bytes& bytes, Decode decode, const std::string& what) {
  const auto data = from_bytes(bytes);
  return cli::take(decode(std::span<const std::uint8_t>(data)), what);
}

void save(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes, cli::Visibility visibility) {
  if (auto ok = cli::write_file(path, bytes, visibility); !ok) cli::fail(path.string(), ok.error());
}

/// Adds what every object of the tool's files has: to_bytes, from_bytes, save and load.
template <class T, class Decode>
void def_file(py::class_<T>& objects, Decode decode, std::string what, cli::Visibility visibility) {
  objects.def("to_bytes", [](const T& object) { return to_bytes(cli::encode(object)); }, "The file's bytes.")
      .def_static("from_bytes", [decode, what](const py::bytes& bytes) { return decode_bytes(bytes, decode, what); },
                  py::arg("data"), "Decodes the file's bytes; raises zkcnn.Error when they are not such a file.")
      .def("save",
           [visibility](const T& object, const std::filesystem::path& path) {
             save(path, cli::encode(object), visibility);
           },
           py::arg("path"),
           visibility == cli::Visibility::owner_only ? "Writes the file, readable by its owner only." : "Writes the file.")
      .def_static("load", [decode](const std::filesystem::path& path) { return cli::load(path, decode); }, py::arg("path"),
                  "Reads the file; raises zkcnn.Error when it is not such a file.");
}

py::tuple input_shape(const nn::Architecture& architecture) {
  return py::make_tuple(architecture.in_channels, architecture.height, architecture.width);
}

std::int64_t output_scale_bits(const nn::Architecture& architecture) {
  return cli::logits(architecture, {}).scale_bits;
}

/// A verifier's verdict: true when the proof is accepted; otherwise `reason` says why not.
struct Verdict {
  bool accepted = false;
  std::string reason;
  double seconds = 0;
};

Verdict verdict_of(const cli::Verification& verification) {
  return {static_cast<bool>(verification.verdict), verification.verdict ? "" : verification.verdict.error().message,
          verification.seconds};
}

/// A proven prediction: its statement and proof, and what the statement says, readable.
struct Prediction {
  cli::StatementFile statement;
  zk::ModelProof proof;
  std::vector<double> logits;
  double seconds = 0;
};

struct Accuracy {
  cli::AccuracyStatementFile statement;
  zk::ModelProof proof;
  double seconds = 0;
};

double accuracy_of(const cli::AccuracyStatementFile& statement) {
  return static_cast<double>(statement.correct) / static_cast<double>(statement.samples.size());
}

}  // namespace

}  // namespace zkcnn::python

PYBIND11_MODULE(zkcnn, m) {
  using namespace zkcnn;
  using namespace zkcnn::python;
  m.doc() =
      "Zero-knowledge proofs of CNN inference (zkCNN): commit to a trained ONNX model once, then prove "
      "its predictions, or its accuracy on labelled samples, without revealing its weights. The files are "
      "those of the `zkcnn` command-line tool.";
  m.attr("__version__") = ZKCNN_VERSION_STRING;

  static py::exception<cli::Failure> error(m, "Error", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const cli::Failure& failure) {
      error(failure.what());
    }
  });

  py::class_<nn::QuantizedModel>(m, "Model", "A quantized model: its public architecture and its secret integer weights.")
      .def_property_readonly("name", [](const nn::QuantizedModel& model) { return model.architecture.name; })
      .def_property_readonly("input_shape", [](const nn::QuantizedModel& model) { return input_shape(model.architecture); },
                             "(channels, height, width)")
      .def_property_readonly("input_scale_bits",
                             [](const nn::QuantizedModel& model) { return model.architecture.input_scale_bits; },
                             "inputs are quantized as round(x * 2^input_scale_bits)")
      .def(
          "predict",
          [](const nn::QuantizedModel& model, const py::array& inputs) {
            const auto samples = model_inputs(inputs, model.architecture, "inputs");
            std::vector<std::int64_t> classes;
            {
              py::gil_scoped_release release;
              for (std::size_t i = 0; i < samples.size(); ++i) {
                const auto outputs = cli::take(nn::infer(model, samples[i]), "inputs, sample " + std::to_string(i));
                classes.push_back(static_cast<std::int64_t>(cli::argmax(outputs.back())));
              }
            }
            return to_numpy(classes);
          },
          py::arg("inputs"),
          "The predicted class of each input (integer inference, no proof; see quantize_input for the inputs): "
          "what an accuracy proof counts.")
      .def_property_readonly("layers", [](const nn::QuantizedModel& model) {
        std::vector<std::string> layers;
        for (std::size_t k = 0; k < model.architecture.layers.size(); ++k) {
          layers.push_back(onnx_import::describe_layer(model.architecture, k));
        }
        return layers;
      });

  py::class_<cli::CommitmentFile> commitment(m, "Commitment",
                                             "The public commitment to a model: its architecture, the commitment to its weights "
                                             "and the key's size (a `zkcnn commit` commitment file).");
  commitment
      .def_property_readonly("model_name", [](const cli::CommitmentFile& c) { return c.architecture.name; })
      .def_property_readonly("input_shape", [](const cli::CommitmentFile& c) { return input_shape(c.architecture); })
      .def_property_readonly("input_scale_bits", [](const cli::CommitmentFile& c) { return c.architecture.input_scale_bits; })
      .def_property_readonly("output_scale_bits", [](const cli::CommitmentFile& c) { return output_scale_bits(c.architecture); },
                             "logit v stands for v / 2^output_scale_bits")
      .def_property_readonly("digest",
                             [](const cli::CommitmentFile& c) { return cli::hex_text(cli::commitment_digest(c)); },
                             "SHA-256 of the commitment file's payload, hexadecimal")
      .def_property_readonly("backend", [](const cli::CommitmentFile& c) { return std::string(cli::backend_name(c.backend())); },
                             "the commitment scheme: 'bn254-hyrax' or 'goldilocks-hash'")
      .def_property_readonly("proof_budget", [](const cli::CommitmentFile& c) { return cli::proof_budget(c); },
                             "the proofs the commitment hides in all; None when unlimited")
      .def("logits",
           [](const cli::CommitmentFile& c, const cli::StatementFile& statement) {
             return to_numpy(cli::logits(c.architecture, statement.output).values());
           },
           py::arg("statement"), "The statement's output, dequantized at this model's output scale.");
  def_file(commitment, cli::decode_commitment, "commitment", cli::Visibility::shared);

  py::class_<cli::SecretFile> secret(m, "Secret",
                                     "The model owner's secret: the quantized model, the commitment's randomness and the "
                                     "proofs made so far (a `zkcnn commit` secret file). Keep it private.");
  secret.def_property_readonly("model", [](const cli::SecretFile& s) { return s.model; })
      .def_readonly("proofs_made", &cli::SecretFile::proofs_made, "the proofs made with this secret so far")
      .def(
          "proofs_left",
          [](const cli::SecretFile& s, const cli::CommitmentFile& c) { return cli::proofs_left(c, s); },
          py::arg("commitment"), "the proofs the commitment still hides; None when unlimited");
  def_file(secret, cli::decode_secret, "secret", cli::Visibility::owner_only);

  py::class_<cli::StatementFile> statement(m, "Statement",
                                           "A prediction's public statement: the quantized input, the model's integer output "
                                           "and the predicted class (a `zkcnn prove` statement file).");
  statement
      .def(py::init([](const py::array& input, const py::array& output, std::size_t predicted_class) {
             return cli::StatementFile{integers(input, "input"), integers(output, "output"), predicted_class};
           }),
           py::arg("input"), py::arg("output"), py::arg("predicted_class"),
           "A statement to verify: the quantized input, the integer output and the predicted class.")
      .def_property_readonly("input", [](const cli::StatementFile& s) { return to_numpy(s.input); })
      .def_property_readonly("output", [](const cli::StatementFile& s) { return to_numpy(s.output); })
      .def_property_readonly("predicted_class", [](const cli::StatementFile& s) { return s.predicted_class; });
  def_file(statement, cli::decode_statement, "statement", cli::Visibility::shared);

  py::class_<cli::AccuracyStatementFile> accuracy_statement(m, "AccuracyStatement",
                                                            "An accuracy's public statement: the quantized samples, their labels and the "
                                                            "count classified as labelled (a `zkcnn accuracy-prove` statement file).");
  accuracy_statement
      .def(py::init([](const py::array& samples, const py::array& labels, std::size_t correct) {
             const auto rows = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(samples);
             if (!rows || rows.ndim() != 2) {
               throw Failure(ExitCode::bad_input, "samples: a 2-dimensional array of integers (one quantized sample per row)");
             }
             cli::AccuracyStatementFile statement;
             for (py::ssize_t i = 0; i < rows.shape(0); ++i) {
               statement.samples.emplace_back(rows.data(i, 0), rows.data(i, 0) + rows.shape(1));
             }
             statement.labels =
                 cli::labels_from_array(to_array(labels, "labels"), statement.samples.size(), "labels");
             statement.correct = correct;
             return statement;
           }),
           py::arg("samples"), py::arg("labels"), py::arg("correct"),
           "A statement to verify: the quantized samples (one per row), their labels and the count.")
      .def_property_readonly("samples",
                             [](const cli::AccuracyStatementFile& s) {
                               const std::size_t size = s.samples.empty() ? 0 : s.samples.front().size();
                               py::array_t<std::int64_t> result(std::vector<py::ssize_t>{static_cast<py::ssize_t>(s.samples.size()),
                                                                                        static_cast<py::ssize_t>(size)});
                               auto out = result.mutable_unchecked<2>();
                               for (std::size_t i = 0; i < s.samples.size(); ++i) {
                                 for (std::size_t j = 0; j < size; ++j) {
                                   out(static_cast<py::ssize_t>(i), static_cast<py::ssize_t>(j)) = s.samples[i][j];
                                 }
                               }
                               return result;
                             })
      .def_property_readonly("labels", [](const cli::AccuracyStatementFile& s) { return to_numpy(s.labels); })
      .def_property_readonly("correct", [](const cli::AccuracyStatementFile& s) { return s.correct; })
      .def_property_readonly("accuracy", &accuracy_of);
  def_file(accuracy_statement, cli::decode_accuracy_statement, "accuracy statement", cli::Visibility::shared);

  py::class_<zk::ModelProof> proof(m, "Proof", "A model proof (a `zkcnn prove` or `zkcnn accuracy-prove` proof file).");
  proof
      .def_property_readonly("zero_knowledge", [](const zk::ModelProof& p) { return zk::is_zero_knowledge(p); })
      .def("__len__", [](const zk::ModelProof& p) { return cli::encode(p).size(); });
  def_file(proof, cli::decode_proof, "proof", cli::Visibility::shared);

  py::class_<Verdict>(m, "Verdict", "A verifier's verdict: true when the proof is accepted, else `reason` says why.")
      .def_readonly("accepted", &Verdict::accepted)
      .def_readonly("reason", &Verdict::reason)
      .def_readonly("seconds", &Verdict::seconds)
      .def("__bool__", [](const Verdict& v) { return v.accepted; })
      .def("__repr__", [](const Verdict& v) {
        return v.accepted ? std::string("Verdict(accepted)") : "Verdict(rejected: " + v.reason + ")";
      });

  py::class_<Prediction>(m, "Prediction", "A proven prediction: its statement and proof.")
      .def_readonly("statement", &Prediction::statement)
      .def_readonly("proof", &Prediction::proof)
      .def_property_readonly("predicted_class", [](const Prediction& p) { return p.statement.predicted_class; })
      .def_property_readonly("output", [](const Prediction& p) { return to_numpy(p.statement.output); },
                             "the integer logits")
      .def_property_readonly("logits", [](const Prediction& p) { return to_numpy(p.logits); },
                             "the logits, dequantized")
      .def_readonly("seconds", &Prediction::seconds);

  py::class_<Accuracy>(m, "AccuracyProof", "A proven accuracy: its statement and proof.")
      .def_readonly("statement", &Accuracy::statement)
      .def_readonly("proof", &Accuracy::proof)
      .def_property_readonly("correct", [](const Accuracy& a) { return a.statement.correct; })
      .def_property_readonly("samples", [](const Accuracy& a) { return a.statement.samples.size(); })
      .def_property_readonly("accuracy", [](const Accuracy& a) { return accuracy_of(a.statement); })
      .def_readonly("seconds", &Accuracy::seconds);

  m.def(
      "import_onnx",
      [](const std::filesystem::path& path, const py::array& calibration, std::size_t weight_bits,
         std::size_t activation_bits, std::size_t input_bits, std::size_t margin_bits, bool progress) {
        onnx_import::QuantizationOptions options;
        options.weight_bits = weight_bits;
        options.activation_bits = activation_bits;
        options.input_scale_bits = input_bits;
        options.accumulator_margin_bits = margin_bits;
        const data::NpyArray values = to_array(calibration, "calibration");
        py::gil_scoped_release release;
        const auto float_model = cli::take(onnx_import::load_onnx(path), path.string());
        auto samples =
            cli::samples_from_array(values, float_model.channels, float_model.height, float_model.width, "calibration");
        return cli::quantize_model(float_model, std::move(samples), options, output_for(progress));
      },
      py::arg("path"), py::arg("calibration"), py::arg("weight_bits") = 8, py::arg("activation_bits") = 8,
      py::arg("input_bits") = 8, py::arg("margin_bits") = 1, py::arg("progress") = false,
      "Imports a trained ONNX model and quantizes it, calibrating on `calibration`: float inputs as the "
      "model takes them (or uint8 pixels, divided by 255), N x C x H x W (or N x H x W for one channel).");

  m.def(
      "commit",
      [](const nn::QuantizedModel& model, const std::string& backend, std::optional<std::size_t> proofs, bool progress) {
        const auto named = cli::take(cli::backend_named(backend), "backend");
        cli::require_proofs_option(named, proofs, "proofs");
        py::gil_scoped_release release;
        auto committed =
            cli::commit(model, named, proofs.value_or(cli::GoldilocksHash::default_proofs), output_for(progress));
        return std::pair{std::move(committed.commitment), std::move(committed.secret)};
      },
      py::arg("model"), py::arg("backend") = "bn254-hyrax", py::arg("proofs") = py::none(),
      py::arg("progress") = false,
      "Commits to the model's weights with fresh randomness in the backend's scheme ('bn254-hyrax' or "
      "'goldilocks-hash'; the latter hides `proofs` proofs, 16 by default); returns (Commitment, Secret).");

  m.def(
      "quantize_input",
      [](const cli::CommitmentFile& commitment, const py::array& input) {
        auto inputs = model_inputs(input, commitment.architecture, "input");
        if (inputs.size() == 1) return to_numpy(inputs.front());
        py::array_t<std::int64_t> result(std::vector<py::ssize_t>{static_cast<py::ssize_t>(inputs.size()),
                                                                  static_cast<py::ssize_t>(inputs.front().size())});
        for (std::size_t i = 0; i < inputs.size(); ++i) {
          std::copy(inputs[i].begin(), inputs[i].end(), result.mutable_data(static_cast<py::ssize_t>(i), 0));
        }
        return result;
      },
      py::arg("commitment"), py::arg("input"),
      "The integer input(s) a proof is about: floats (and uint8 pixels, divided by 255) quantized as "
      "round(x * 2^input_scale_bits); integers are taken as already quantized.");

  m.def(
      "prove",
      [](cli::SecretFile& secret, const cli::CommitmentFile& commitment, const py::array& input, bool zero_knowledge,
         bool progress) {
        auto inputs = model_inputs(input, commitment.architecture, "input");
        if (inputs.size() != 1) {
          throw cli::Failure(cli::ExitCode::bad_input,
                             "input: " + std::to_string(inputs.size()) + " inputs; a prediction takes one");
        }
        cli::count_proofs(commitment, secret, 1);  // under the GIL: one count per proof, whatever the threads
        py::gil_scoped_release release;
        auto proven = cli::prove_prediction(commitment, secret, std::move(inputs.front()),
                                            {.zero_knowledge = zero_knowledge}, output_for(progress));
        auto logits = cli::logits(commitment.architecture, proven.statement.output).values();
        return Prediction{std::move(proven.statement), std::move(proven.proof), std::move(logits), proven.seconds};
      },
      py::arg("secret"), py::arg("commitment"), py::arg("input"), py::arg("zero_knowledge") = true,
      py::arg("progress") = false,
      "Proves the committed model's prediction on one input (C x H x W, see quantize_input). The secret "
      "counts the proof (Secret.proofs_left; save it to keep the count).");

  m.def(
      "verify",
      [](const cli::CommitmentFile& commitment, const cli::StatementFile& statement, const zk::ModelProof& proof) {
        py::gil_scoped_release release;
        return verdict_of(cli::verify_prediction(commitment, statement, proof, {}, output_for(false)));
      },
      py::arg("commitment"), py::arg("statement"), py::arg("proof"),
      "Checks a prediction proof against the commitment; needs neither the model nor its secret.");

  m.def(
      "prove_accuracy",
      [](cli::SecretFile& secret, const cli::CommitmentFile& commitment, const py::array& samples, const py::array& labels,
         bool zero_knowledge, bool progress) {
        cli::LabelledInputs inputs;
        inputs.values = model_inputs(samples, commitment.architecture, "samples");
        inputs.labels = cli::labels_from_array(to_array(labels, "labels"), inputs.values.size(), "labels");
        cli::count_proofs(commitment, secret, 1);  // under the GIL: one count per proof, whatever the threads
        py::gil_scoped_release release;
        auto proven = cli::prove_accuracy(commitment, secret, std::move(inputs), {.zero_knowledge = zero_knowledge},
                                          output_for(progress), "samples");
        return Accuracy{std::move(proven.statement), std::move(proven.proof), proven.seconds};
      },
      py::arg("secret"), py::arg("commitment"), py::arg("samples"), py::arg("labels"), py::arg("zero_knowledge") = true,
      py::arg("progress") = false,
      "Proves how many of the labelled samples (N x C x H x W, see quantize_input) the committed model "
      "classifies as labelled, without revealing its predictions. The secret counts the proof.");

  m.def(
      "verify_accuracy",
      [](const cli::CommitmentFile& commitment, const cli::AccuracyStatementFile& statement, const zk::ModelProof& proof) {
        py::gil_scoped_release release;
        return verdict_of(cli::verify_accuracy(commitment, statement, proof, {}, output_for(false), "statement"));
      },
      py::arg("commitment"), py::arg("statement"), py::arg("proof"), "Checks an accuracy proof against the commitment.");

  m.def("reuse_freed_memory", &zkcnn::reuse_freed_memory,
        "Asks the C library's allocator to keep freed memory for reuse: proofs run faster (each step's "
        "tables no longer take fresh pages), and the process keeps its peak memory until it exits. "
        "Returns whether the allocator took the setting (glibc only). The command-line tools do this.");

  m.def(
      "fashion_mnist",
      [](const std::string& split, const std::vector<std::size_t>& input_shape, std::size_t first,
         std::optional<std::size_t> count, const std::filesystem::path& directory) {
        if (split != "train" && split != "test") {
          throw cli::Failure(cli::ExitCode::bad_input, "split: 'train' or 'test', not '" + split + "'");
        }
        if (input_shape.size() != 3) {
          throw cli::Failure(cli::ExitCode::bad_input, "input_shape: (channels, height, width)");
        }
        const auto all = cli::take(
            data::load_fashion_mnist(directory, split == "train" ? data::Split::train : data::Split::test), "fashion_mnist");
        if (first >= all.count) {
          throw cli::Failure(cli::ExitCode::bad_input,
                             "first: Fashion-MNIST's " + split + " split has " + std::to_string(all.count) + " images");
        }
        // The chosen images alone, padded as the shipped models' training padded them.
        const std::size_t n = std::min(count.value_or(all.count - first), all.count - first);
        const auto padded = cli::take(
            data::pad_to_input(data::slice_images(all, first, n), input_shape[0], input_shape[1], input_shape[2]),
            "input_shape");
        std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(n)};
        for (std::size_t d : input_shape) shape.push_back(static_cast<py::ssize_t>(d));
        py::array_t<float> images(shape);
        py::array_t<std::int64_t> labels(static_cast<py::ssize_t>(n));
        float* out = images.mutable_data();
        for (std::size_t i = 0; i < n; ++i) {
          for (double v : data::to_unit_interval(padded.image(i))) *out++ = static_cast<float>(v);
          labels.mutable_data()[i] = padded.labels[i];
        }
        return py::make_tuple(images, labels);
      },
      py::arg("split"), py::arg("input_shape"), py::arg("first") = 0, py::arg("count") = py::none(),
      py::arg("directory") = std::filesystem::path(cli::default_data_directory),
      "Fashion-MNIST images first to first + count - 1 of a split ('train' or 'test'), pixels / 255 as "
      "float32, padded with zeros to input_shape (channels, height, width); returns (images, labels).");
}
