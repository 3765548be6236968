#pragma once
// A quantized CNN compiled into the layers the proof runs through (docs/protocol.md sections 4-7).
//
// Each architecture layer compiles itself (its kind's compile, nn/layer_kind.hpp) through a
// zk::LayerCompiler: the tables it adds, the blocks of committed weights it reads, and the
// structured layers (gkr::Layer) that prove it, some of whose digits join the range check.
// The built-in kinds compile as follows (nn/kinds/):
//   Conv2d       convolution (FFT or direct) of the activation and the committed kernel,
//                then the committed bias;
//   Dense        the matrix-multiplication layer, then the bias;
//   RescaleRelu  the digit-decomposition layer on the accumulator and its committed digits;
//                when a MaxPool follows, the max pooling runs first on the accumulators, with
//                its own committed difference digits (both monotone, so the result is the
//                same);
//   AvgPool      sum pooling;
//   Flatten      nothing: the flat vector keeps the image's padded layout, and the dense
//                layer's weight columns are laid out to match;
//   Add          the residual addition of two tensors, each multiplied by its alignment.
// Layers read any earlier tensor (nn::BasicArchitecture::reads); a tensor several layers read
// gets their claims merged into one before its own layer is proven (gkr/claim_merge.hpp), or
// combined in that layer's sumcheck (gkr::CombinesClaims).
// Tables come from three places: activations (tensors, computed by the prover and never
// committed: each is reduced to claims on the tables it was computed from), the model's
// weights (one committed polynomial, one block per kernel and bias) and the proof's auxiliary
// witness (one committed polynomial: one block per digit decomposition, and the multiplicities
// of the range check's table, zk/range_check.hpp). The digit width is the one, up to
// nn::max_digit_bits, that makes the auxiliary witness smallest: a public function of the
// architecture and the batch. Every tensor carries a leading batch dimension: 1 for a
// prediction, the number of samples for an accuracy proof. A circuit compiled for accuracy
// proofs ends in the argmax gadget (zk/argmax.hpp), whose one-hot table and differences are two
// more digit blocks of the auxiliary witness.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/size_bits.hpp"
#include "zkcnn/nn/architecture.hpp"
#include "zkcnn/nn/digits.hpp"
#include "zkcnn/nn/quantized_model.hpp"
#include "zkcnn/nn/tensor_shape.hpp"
#include "zkcnn/zk/argmax.hpp"
#include "zkcnn/zk/block_layout.hpp"
#include "zkcnn/zk/range_check.hpp"

namespace zkcnn::zk {

/// Where a layer's input table comes from.
struct TableRef {
  enum class Source : std::uint8_t { tensor, weights, aux };
  Source source;
  std::size_t index;
};

/// How an activation's logical entries (sample, index in the architecture's layout) sit in
/// its padded table.
struct TensorLayout {
  nn::TensorShape physical;
  nn::ActivationShape logical;

  std::size_t position(std::size_t sample, std::size_t index) const {
    const std::size_t w = index % logical.source_width;
    const std::size_t h = (index / logical.source_width) % logical.source_height;
    const std::size_t c = index / (logical.source_width * logical.source_height);
    const std::size_t inner_bits = physical.num_vars() - physical.dimension_bits()[0];
    const std::size_t w_bits = zkcnn::detail::ceil_log2(logical.source_width);
    const std::size_t h_bits = zkcnn::detail::ceil_log2(logical.source_height);
    return (sample << inner_bits) | (((c << h_bits) | h) << w_bits) | w;
  }
};

/// What a proof concludes about the batch: its outputs, or how many samples the model
/// classifies as labelled.
enum class Conclusion : std::uint8_t { outputs, accuracy };

namespace detail {

// The variant of the distinct types in the tuples Tuples: every layer type the kinds compile
// into, each once.
template <class Variant, class... Tuples>
struct unique_variant;
template <class... Seen>
struct unique_variant<std::variant<Seen...>> {
  using type = std::variant<Seen...>;
};
template <class... Seen, class... Rest>
struct unique_variant<std::variant<Seen...>, std::tuple<>, Rest...> : unique_variant<std::variant<Seen...>, Rest...> {};
template <class... Seen, class T, class... Ts, class... Rest>
struct unique_variant<std::variant<Seen...>, std::tuple<T, Ts...>, Rest...>
    : unique_variant<std::conditional_t<(std::is_same_v<T, Seen> || ...), std::variant<Seen...>, std::variant<Seen..., T>>,
                     std::tuple<Ts...>, Rest...> {};

template <class F, class Arch>
struct circuit_layers;
template <class F, class... Kinds>
struct circuit_layers<F, nn::BasicArchitecture<Kinds...>> {
  using type = typename unique_variant<std::variant<>, typename Kinds::template circuit_layers<F>...>::type;
};

}  // namespace detail

/// A layer whose digits join the range check: its input 1 is the digit table of its input 0
/// (witness), laid out by digits(), rebuilt for another digit width by with_digit_bits.
template <class L, class F>
concept RangeCheckedLayer = requires(const L& layer, std::span<const F> table, std::size_t digit_bits) {
  { layer.with_digit_bits(digit_bits) } -> std::same_as<L>;
  { layer.digits() } -> std::convertible_to<const nn::DigitLayout&>;
  { layer.padding_digits() } -> std::same_as<std::vector<std::uint64_t>>;
  { layer.witness(table) } -> std::same_as<Result<std::vector<F>>>;
};

template <TwoAdicField F, nn::ModelArchitecture Arch = nn::Architecture>
  requires EncodableField<F>
class ModelCircuit;

/// What a layer kind's compile sees (nn/layer_kind.hpp): the layer's shapes and input tables,
/// and the means to add tables, committed weight blocks and proof steps. Steps are proven from
/// the last to the first, so a kind adds its steps in forward order.
template <class F, class Arch>
class LayerCompiler {
 public:
  using Field = F;
  using Circuit = ModelCircuit<F, Arch>;
  using Step = typename Circuit::Step;
  using Fill = typename Circuit::Fill;

  /// The layer being compiled, its architecture and the batch.
  std::size_t layer() const { return layer_; }
  const Arch& architecture() const { return circuit_.architecture_; }
  std::size_t batch() const { return circuit_.batch_; }
  /// The shape of architecture tensor t (0 the input, k + 1 layer k's output).
  const nn::ActivationShape& shape(std::size_t t) const { return circuit_.shapes_.at(t); }
  const nn::ActivationShape& input_shape(std::size_t i) const { return shape(inputs_.at(i)); }
  const nn::ActivationShape& output_shape() const { return shape(layer_ + 1); }

  /// The table of the layer's input i.
  std::size_t input(std::size_t i) const {
    const std::size_t table = circuit_.tensor_of_.at(inputs_.at(i));
    if (table == Circuit::no_table) throw std::logic_error("ModelCircuit: a layer reads a tensor no layer compiled");
    return table;
  }
  /// A table's layout (a kind may change how its input is read, as flattening does).
  TensorLayout& layout(std::size_t table) { return circuit_.tensors_.at(table); }
  /// A step input reading a table.
  static TableRef table_ref(std::size_t table) { return {TableRef::Source::tensor, table}; }

  /// A new table the witness computes (a step's fill), not an activation of the model.
  std::size_t new_tensor(const nn::ActivationShape& shape) { return circuit_.add_tensor(shape, Circuit::no_activation); }
  /// A new table holding the output of `layer` (by default this layer's) from integer
  /// inference, bound as that layer's output.
  std::size_t output_tensor() { return output_tensor(layer_); }
  std::size_t output_tensor(std::size_t layer) {
    const std::size_t table = circuit_.add_tensor(shape(layer + 1), layer + 1);
    circuit_.tensor_of_.at(layer + 1) = table;
    return table;
  }
  /// Binds an existing table as this layer's output.
  void bind_output(std::size_t table) { circuit_.tensor_of_.at(layer_ + 1) = table; }
  /// Whether this layer's output has a table (another layer may have compiled it).
  bool output_bound() const { return circuit_.tensor_of_.at(layer_ + 1) != Circuit::no_table; }
  /// The layer reading this layer's output, if exactly one does.
  std::optional<std::size_t> sole_reader() const {
    const auto& readers = circuit_.readers_.at(layer_ + 1);
    return readers.size() == 1 ? std::optional<std::size_t>(readers.front()) : std::nullopt;
  }

  /// A block of 2^num_vars committed weights, filled from the layer's nn::LayerWeights by
  /// `place` (given the block, zeroed).
  TableRef add_weights(std::size_t num_vars, std::function<void(const nn::LayerWeights&, std::span<std::int64_t>)> place) {
    circuit_.weight_blocks_.push_back({layer_, circuit_.weight_vars_.size(), std::move(place)});
    circuit_.weight_vars_.push_back(num_vars);
    return {TableRef::Source::weights, circuit_.weight_vars_.size() - 1};
  }

  /// A step computing table `output` from `inputs`. Its output, unless an activation, is
  /// computed by `fill` (by_forward: the layer's forward), which may also compute its inputs
  /// from its output. `spec` is the architecture layer it is reported as (this one by default).
  template <class L>
  void add_step(L layer, std::vector<TableRef> inputs, std::size_t output, Fill fill = {},
                std::optional<std::size_t> spec = std::nullopt) {
    circuit_.steps_.push_back({std::move(layer), std::move(inputs), output, spec.value_or(layer_), std::move(fill)});
  }
  /// The same for a layer whose digits join the range check (RangeCheckedLayer): its digit
  /// table is the next block of the auxiliary witness, its last input.
  template <class L>
    requires RangeCheckedLayer<L, F>
  void add_range_checked_step(L layer, std::vector<TableRef> inputs, std::size_t output, Fill fill = {},
                              std::optional<std::size_t> spec = std::nullopt) {
    // The digits are those of input 0's entries (RangeCheckedLayer).
    if (inputs.size() != 1 || inputs[0].source != TableRef::Source::tensor) {
      throw std::logic_error("ModelCircuit: a range-checked step reads one table, whose digits it checks");
    }
    inputs.push_back({TableRef::Source::aux, circuit_.range_checked_.size()});
    add_step(std::move(layer), std::move(inputs), output, std::move(fill), spec);
    circuit_.range_checked_.push_back(circuit_.steps_.size() - 1);
  }
  /// A fill computing a step's output by its layer's forward (inputs from the auxiliary
  /// witness read as empty).
  static Fill by_forward() {
    return [](const Step& step, std::span<std::vector<F>> tensors, const nn::LayerWeights&) -> Status {
      std::vector<std::span<const F>> inputs;
      for (const TableRef& ref : step.inputs) {
        inputs.push_back(ref.source == TableRef::Source::tensor ? std::span<const F>(tensors[ref.index]) : std::span<const F>());
      }
      tensors[step.output] = std::visit(
          [&](const auto& layer) { return layer.forward(std::span<const std::span<const F>>(inputs)); }, step.layer);
      return {};
    };
  }

 private:
  friend Circuit;
  LayerCompiler(Circuit& circuit, std::size_t layer)
      : circuit_(circuit), layer_(layer), inputs_(circuit.architecture_.layer_inputs(layer)) {}

  Circuit& circuit_;
  std::size_t layer_;
  std::vector<std::size_t> inputs_;
};

/// Kinds whose layers compile into a circuit over F.
template <class K, class F, class Arch>
concept CompilableKind = nn::LayerKind<K> && requires(const K& spec, LayerCompiler<F, Arch>& compiler) { spec.compile(compiler); };

template <TwoAdicField F, nn::ModelArchitecture Arch>
  requires EncodableField<F>
class ModelCircuit {
 public:
  using Architecture = Arch;
  using Model = nn::BasicQuantizedModel<Arch>;
  /// Every structured layer the architecture's kinds compile into.
  using Layer = typename detail::circuit_layers<F, Arch>::type;

  struct Step;
  /// Computes a step's tables that are not activations (nn::LayerKind::compile).
  using Fill = std::function<Status(const Step&, std::span<std::vector<F>> tensors, const nn::LayerWeights&)>;

  struct Step {
    Layer layer;
    std::vector<TableRef> inputs;
    std::size_t output;  // tensor index
    std::size_t spec;    // the architecture layer it belongs to
    Fill fill;
  };

  /// The tables of one proof: every tensor, the auxiliary witness, and the model's outputs.
  struct Witness {
    std::vector<std::vector<F>> tensors;
    /// The auxiliary witness up to the end of its last block (aux_layout().used_size()); the
    /// entries after it are zero and are not stored.
    std::vector<F> aux;
    std::vector<std::vector<std::int64_t>> outputs;
    /// Accuracy circuits: the samples classified as labelled.
    std::size_t correct = 0;
  };

  static Result<ModelCircuit> compile(const Arch& architecture, std::size_t batch, Conclusion conclusion = Conclusion::outputs) {
    if (batch == 0 || batch > (std::size_t{1} << 20)) return make_error(Errc::invalid_argument, "model: batch size out of range");
    auto shapes = architecture.shapes();
    if (!shapes) return shapes.error();
    // Sizes the architecture allows but the field or the layouts cannot (an FFT longer than the
    // field's two-adicity, a weight block beyond 2^48 entries) are reported, not thrown.
    try {
      ModelCircuit circuit(architecture, batch, conclusion, std::move(*shapes));
      if (auto sound = circuit.check_lookup_soundness(); !sound) return sound.error();
      return circuit;
    } catch (const std::logic_error& e) {
      // std::invalid_argument and std::length_error, and a kind's compile breaking the
      // compiler's rules (check_wiring): an error, never an exception through a verifier.
      return make_error(Errc::invalid_argument, std::string("model: ") + e.what());
    }
  }

  /// The statistical security every proof keeps in its challenge field (docs/protocol.md
  /// section 9).
  static constexpr std::size_t security_bits = 100;

  const Arch& architecture() const { return architecture_; }
  std::size_t batch() const { return batch_; }
  std::span<const Step> steps() const { return steps_; }
  const TensorLayout& tensor(std::size_t index) const { return tensors_.at(index); }
  std::size_t tensor_count() const { return tensors_.size(); }
  std::size_t input_tensor() const { return 0; }
  std::size_t output_tensor() const { return output_tensor_; }
  const BlockLayout& weights_layout() const { return weights_layout_; }
  const BlockLayout& aux_layout() const { return aux_layout_; }
  const RangeCheckLayout& range_layout() const { return range_layout_; }
  Conclusion conclusion() const { return conclusion_; }
  /// Accuracy circuits only: the gadget and its two aux blocks (one-hot table, differences).
  const ArgmaxGadget<F>& argmax() const { return argmax_.value(); }
  std::size_t choice_block() const { return range_checked_.size(); }
  std::size_t difference_block() const { return range_checked_.size() + 1; }

  /// The committed polynomial of the model's weights, as field elements.
  std::vector<F> weights_table(const Model& model) const { return nn::to_field<F>(weights_integers(model)); }

  /// The same polynomial's entries as the integers they are: what the model's owner keeps
  /// (ModelProverState), at a quarter of the memory of field elements.
  std::vector<std::int64_t> weights_integers(const Model& model) const {
    // The weight placers index the layers' weights by their sizes.
    if (auto valid = model.validate(); !valid) throw std::invalid_argument(valid.error().message);
    if (model.architecture != architecture_) throw std::invalid_argument("model: the architecture does not match");
    std::vector<std::int64_t> table(weights_layout_.size(), 0);
    std::vector<std::int64_t> block;
    for (const WeightBlock& weights : weight_blocks_) {
      block.assign(std::size_t{1} << weights_layout_.block_num_vars(weights.block), 0);
      weights.place(model.weights[weights.spec], std::span<std::int64_t>(block));
      weights_layout_.place(weights.block, std::span<const std::int64_t>(block), std::span<std::int64_t>(table));
    }
    return table;
  }

  /// The padded table of a batch of logical activations of tensor `index`.
  std::vector<F> tensor_table(std::size_t index, std::span<const std::vector<std::int64_t>> samples) const {
    const TensorLayout& layout = tensors_.at(index);
    std::vector<F> table(layout.physical.padded_size(), F::zero());
    if (samples.size() > batch_) throw std::invalid_argument("tensor_table: more samples than the batch");
    for (std::size_t b = 0; b < samples.size(); ++b) {
      if (samples[b].size() > layout.logical.element_count()) {
        throw std::invalid_argument("tensor_table: a sample is larger than the tensor");
      }
      zkcnn::detail::parallel_for(0, samples[b].size(), [&](std::size_t first, std::size_t last) {
        for (std::size_t j = first; j < last; ++j) table[layout.position(b, j)] = F::from_i64(samples[b][j]);
      }, zkcnn::detail::threads_for(samples[b].size(), std::size_t{1} << 14));
    }
    return table;
  }

  /// Integer inference on every sample, then every table the proof needs (`labels`: one per
  /// sample for accuracy circuits, none otherwise). Fails, naming the layer, when a value
  /// leaves its bit width.
  Result<Witness> witness(const Model& model, std::span<const std::vector<std::int64_t>> samples,
                          std::span<const std::size_t> labels = {}) const {
    if (model.architecture != architecture_) return make_error(Errc::invalid_argument, "model: the architecture does not match");
    if (samples.size() != batch_) {
      return make_error(Errc::invalid_argument, "model: expected " + std::to_string(batch_) + " samples, got " +
                                                    std::to_string(samples.size()));
    }
    // activations[k][b]: activation k (0 the input) of sample b.
    std::vector<std::vector<std::vector<std::int64_t>>> activations(shapes_.size());
    auto traces = nn::infer_each(model, samples);
    if (!traces) return traces.error();
    for (auto& trace : *traces) {
      for (std::size_t k = 0; k < trace.size(); ++k) activations[k].push_back(std::move(trace[k]));
    }
    Witness out;
    out.tensors.resize(tensors_.size());
    out.aux.assign(aux_layout_.used_size(), F::zero());
    for (std::size_t t = 0; t < tensors_.size(); ++t) {
      if (tensor_activation_[t] != no_activation) out.tensors[t] = tensor_table(t, activations[tensor_activation_[t]]);
    }
    // In forward order: each step's tables that are not activations (the accumulators without
    // their bias, the window maxima, ...), then its digits in the auxiliary witness.
    auto failure = [&](const Step& step, const Error& error) {
      return make_error(Errc::invalid_argument,
                        "witness: " + nn::layer_name(architecture_.layers[step.spec], step.spec) + ": " + error.message);
    };
    for (const Step& step : steps_) {
      if (step.fill) {
        if (auto filled = step.fill(step, std::span<std::vector<F>>(out.tensors), model.weights[step.spec]); !filled) {
          return failure(step, filled.error());
        }
      }
      const TableRef& last = step.inputs.back();
      if (last.source != TableRef::Source::aux) continue;
      auto digits = std::visit(
          [&](const auto& layer) -> Result<std::vector<F>> {
            if constexpr (RangeCheckedLayer<std::decay_t<decltype(layer)>, F>) {
              return layer.witness(std::span<const F>(out.tensors[step.inputs[0].index]));
            } else {
              throw std::logic_error("ModelCircuit: a step reads the auxiliary witness but has no digits");
            }
          },
          step.layer);
      if (!digits) return failure(step, digits.error());
      aux_layout_.place(last.index, std::span<const F>(*digits), std::span<F>(out.aux));
    }
    if (conclusion_ == Conclusion::accuracy) {
      auto chosen = argmax().witness(std::span<const F>(out.tensors[output_tensor_]), labels);
      if (!chosen) return chosen.error();
      aux_layout_.place(choice_block(), std::span<const F>(chosen->choices), std::span<F>(out.aux));
      aux_layout_.place(difference_block(), std::span<const F>(chosen->differences), std::span<F>(out.aux));
      out.correct = chosen->correct;
    }
    const auto multiplicities = range_layout_.multiplicities(aux_layout_, std::span<const F>(out.aux));
    aux_layout_.place(range_layout_.multiplicity_block, std::span<const F>(multiplicities), std::span<F>(out.aux));
    out.outputs = std::move(activations.back());
    return out;
  }

 private:
  friend class LayerCompiler<F, Arch>;

  // The range check's logUp identity is a rational function of degree at most its leaves (the
  // N looked-up digits and the table's |T| entries, within the witness's used entries): a false
  // digit survives alpha with probability at most (N + |T|) / |F| (docs/protocol.md section 9).
  // A batch for which that exceeds 2^-security_bits in this field is refused (Goldilocks^2:
  // beyond 2^26 entries); shards prove it.
  Status check_lookup_soundness() const {
    const std::size_t leaves_bits = zkcnn::detail::ceil_log2(aux_layout_.used_size());
    if (field_size_bits<F>() >= security_bits + leaves_bits) return {};
    return make_error(Errc::invalid_argument,
                      "model: a batch of " + std::to_string(batch_) + " samples looks up about 2^" +
                          std::to_string(leaves_bits) + " digits, too many for " + std::to_string(security_bits) +
                          " bits of soundness in this field (at least 2^" + std::to_string(field_size_bits<F>()) +
                          " elements): prove fewer samples at once (in shards)");
  }

  // A table holding no activation of the model (tensor_activation_), and an architecture
  // tensor without a table yet (tensor_of_).
  static constexpr std::size_t no_activation = static_cast<std::size_t>(-1);
  static constexpr std::size_t no_table = static_cast<std::size_t>(-1);

  ModelCircuit(const Arch& architecture, std::size_t batch, Conclusion conclusion, std::vector<nn::ActivationShape> shapes)
      : architecture_(architecture), batch_(batch), conclusion_(conclusion), shapes_(std::move(shapes)) {
    // The circuit tensor holding each architecture tensor (0 the input, i + 1 layer i's output),
    // and the layers reading each.
    tensor_of_.assign(shapes_.size(), no_table);
    tensor_of_[0] = add_tensor(shapes_[0], 0);
    readers_.resize(shapes_.size());
    for (std::size_t j = 0; j < architecture_.layers.size(); ++j) {
      for (std::size_t t : architecture_.layer_inputs(j)) readers_[t].push_back(j);
    }
    for (std::size_t i = 0; i < architecture_.layers.size(); ++i) {
      LayerCompiler<F, Arch> compiler(*this, i);
      std::visit(
          [&](const auto& spec) {
            static_assert(CompilableKind<std::decay_t<decltype(spec)>, F, Arch>,
                          "a layer kind without compile(LayerCompiler&) (nn/layer_kind.hpp)");
            spec.compile(compiler);
          },
          architecture_.layers[i]);
    }
    if (weight_vars_.empty()) throw std::invalid_argument("no layer commits to weights (a convolution or a dense layer)");
    if (tensor_of_.back() == no_table) throw std::logic_error("ModelCircuit: the last layer compiled no output table");
    output_tensor_ = tensor_of_.back();
    weights_layout_ = BlockLayout(std::move(weight_vars_));
    if (conclusion_ == Conclusion::accuracy) {
      const TensorLayout& logits = tensors_[output_tensor_];
      if (logits.physical.dims().size() != 2) {
        throw std::invalid_argument("accuracy proofs need a model whose output is a vector of class scores");
      }
      argmax_.emplace(batch_, logits.physical.dim(1), nn::max_digit_bits);
    }
    set_digit_bits(smallest_witness_digit_bits());
    check_wiring();
  }

  // What the proof's soundness needs of the steps the kinds compiled, checked for every
  // circuit, so that a kind's mistake is refused and never becomes a claim nobody proves: every
  // table but the input is the output of exactly one step, which comes before every step
  // reading it (steps are proven from the last), and every step's output is read by a later
  // step or is the model's output (else the claims on it would be dropped); every step reads
  // and writes tables of the sizes its layer declares.
  void check_wiring() const {
    std::vector<std::optional<std::size_t>> producer(tensors_.size());
    std::vector<bool> read(tensors_.size(), false);
    auto fail = [&](const Step& step, const std::string& why) {
      throw std::logic_error(nn::layer_name(architecture_.layers[step.spec], step.spec) + ": " + why);
    };
    for (std::size_t s = 0; s < steps_.size(); ++s) {
      const Step& step = steps_[s];
      const auto [input_count, input_vars, output_vars] = std::visit(
          [](const auto& layer) {
            std::vector<std::size_t> vars;
            for (std::size_t i = 0; i < layer.input_count(); ++i) vars.push_back(layer.input_num_vars(i));
            return std::tuple{layer.input_count(), vars, layer.output_num_vars()};
          },
          step.layer);
      if (input_count != step.inputs.size()) fail(step, "a step's layer reads another number of tables than it is given");
      for (std::size_t i = 0; i < step.inputs.size(); ++i) {
        const TableRef& ref = step.inputs[i];
        std::size_t vars = 0;
        if (ref.source == TableRef::Source::tensor) {
          if (ref.index >= tensors_.size() || (ref.index != input_tensor() && !producer[ref.index])) {
            fail(step, "a step reads a table no earlier step computes");
          }
          read[ref.index] = true;
          vars = tensors_[ref.index].physical.num_vars();
        } else {
          const BlockLayout& layout = ref.source == TableRef::Source::weights ? weights_layout_ : aux_layout_;
          if (ref.index >= layout.block_count()) fail(step, "a step reads a block that does not exist");
          vars = layout.block_num_vars(ref.index);
        }
        if (vars != input_vars[i]) fail(step, "a step's table is not of the size its layer reads");
      }
      if (step.output >= tensors_.size() || step.output == input_tensor() || producer[step.output]) {
        fail(step, "a step's output is the input or another step's");
      }
      if (tensors_[step.output].physical.num_vars() != output_vars) fail(step, "a step's output is not of its layer's size");
      producer[step.output] = s;
    }
    for (std::size_t s = 0; s < steps_.size(); ++s) {
      if (!read[steps_[s].output] && steps_[s].output != output_tensor_) fail(steps_[s], "a step's output is never read");
    }
    if (output_tensor_ != input_tensor() && !producer[output_tensor_]) {
      throw std::logic_error("the model's output is computed by no step");
    }
    for (std::size_t t = 0; t < tensors_.size(); ++t) {
      if (t != input_tensor() && !producer[t]) throw std::logic_error("a table is computed by no step");
    }
  }

  // The range-checked layers with digits of at most `digit_bits` bits: their aux blocks
  // 0..k-1 in step order, then the argmax gadget's (accuracy circuits), then the
  // multiplicities.
  void set_digit_bits(std::size_t digit_bits) {
    std::vector<std::size_t> aux_vars;
    RangeCheckLayout range{digit_bits, {}, range_checked_.size()};
    for (std::size_t step : range_checked_) {
      std::visit(
          [&](auto& layer) {
            using L = std::decay_t<decltype(layer)>;
            if constexpr (RangeCheckedLayer<L, F>) {
              layer = layer.with_digit_bits(digit_bits);
              // Only the digits of the accumulators' real entries are looked up (zk/range_check.hpp).
              const nn::TensorShape& accumulators = tensors_[steps_[step].inputs[0].index].physical;
              if (accumulators.num_vars() != layer.input_num_vars(0)) {
                throw std::logic_error("ModelCircuit: digit columns are not the accumulators' layout");
              }
              range.digit_blocks.push_back(
                  {aux_vars.size(), layer.digits(), layer.input_num_vars(0), accumulators, layer.padding_digits()});
              aux_vars.push_back(layer.input_num_vars(1));
            } else {
              throw std::logic_error("ModelCircuit: a range-checked step without digits");
            }
          },
          steps_[step].layer);
    }
    if (conclusion_ == Conclusion::accuracy) {
      ArgmaxGadget<F>& gadget = *argmax_;
      gadget.set_digit_bits(digit_bits);
      range.digit_blocks.push_back({aux_vars.size(), gadget.choice_digits(), gadget.choice_column_vars()});
      aux_vars.push_back(gadget.choice_num_vars());
      range.digit_blocks.push_back({aux_vars.size(), gadget.difference_digits(), gadget.difference_column_vars()});
      aux_vars.push_back(gadget.difference_num_vars());
    }
    range.multiplicity_block = aux_vars.size();
    // Packed where that saves leaves, unless the sections make the padded witness larger.
    RangeCheckLayout packed = range;
    packed.pack();
    std::vector<std::size_t> packed_vars = aux_vars;
    packed_vars.push_back(packed.multiplicity_vars());
    aux_vars.push_back(range.multiplicity_vars());
    BlockLayout packed_layout(std::move(packed_vars));
    if (packed_layout.size() <= BlockLayout(aux_vars).size()) {
      aux_layout_ = std::move(packed_layout);
      range_layout_ = std::move(packed);
    } else {
      aux_layout_ = BlockLayout(std::move(aux_vars));
      range_layout_ = std::move(range);
    }
  }

  // The digit width with the smallest auxiliary witness: first its padded size (what the
  // commitment and the opening cost), then the lookup's leaves (what the range check costs),
  // then its entries, then the fewest digits.
  std::size_t smallest_witness_digit_bits() {
    std::size_t best = nn::max_digit_bits;
    std::tuple<std::size_t, std::size_t, std::size_t, std::size_t> best_cost{static_cast<std::size_t>(-1), 0, 0, 0};
    for (std::size_t digit_bits = 1; digit_bits <= nn::max_digit_bits; ++digit_bits) {
      set_digit_bits(digit_bits);
      std::size_t entries = 0, digits = 0;
      for (std::size_t block = 0; block < aux_layout_.block_count(); ++block) entries += std::size_t{1} << aux_layout_.block_num_vars(block);
      for (const DigitBlock& b : range_layout_.digit_blocks) digits += b.digits.digit_count();
      const std::tuple cost{aux_layout_.size(), range_layout_.lookup_leaves(), entries, digits};
      if (cost < best_cost) {
        best_cost = cost;
        best = digit_bits;
      }
    }
    return best;
  }

  std::size_t add_tensor(const nn::ActivationShape& shape, std::size_t activation) {
    const nn::TensorShape physical = shape.flat && shape.source_channels == shape.channels
                                         ? nn::TensorShape{batch_, shape.channels}
                                         : nn::TensorShape{batch_, shape.source_channels, shape.source_height, shape.source_width};
    tensors_.push_back({physical, shape});
    tensor_activation_.push_back(activation);
    return tensors_.size() - 1;
  }

  // A block of the committed weights: the layer it belongs to, its index, and how the layer's
  // weights fill it.
  struct WeightBlock {
    std::size_t spec;
    std::size_t block;
    std::function<void(const nn::LayerWeights&, std::span<std::int64_t>)> place;
  };

  Arch architecture_;
  std::size_t batch_;
  Conclusion conclusion_;
  std::vector<nn::ActivationShape> shapes_;
  std::vector<TensorLayout> tensors_;
  std::vector<std::size_t> tensor_activation_;
  std::vector<std::size_t> tensor_of_;              // compilation only
  std::vector<std::vector<std::size_t>> readers_;  // compilation only
  std::vector<Step> steps_;
  std::vector<std::size_t> weight_vars_;  // compilation only
  std::vector<WeightBlock> weight_blocks_;
  std::vector<std::size_t> range_checked_;  // steps, in the order of their aux blocks
  std::size_t output_tensor_ = 0;
  BlockLayout weights_layout_;
  BlockLayout aux_layout_;
  RangeCheckLayout range_layout_;
  std::optional<ArgmaxGadget<F>> argmax_;  // accuracy circuits only
};

}  // namespace zkcnn::zk
