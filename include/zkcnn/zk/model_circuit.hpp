#pragma once
// A quantized CNN compiled into the layers the proof runs through (docs/protocol.md sections 4-7).
//
// Every architecture layer becomes one or two structured layers over field tables:
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
// Layers read any earlier tensor (nn::Architecture::reads); a tensor several layers read gets
// their claims merged into one before its own layer is proven (gkr/claim_merge.hpp).
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
#include <map>
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
#include "zkcnn/nn/bias.hpp"
#include "zkcnn/nn/conv2d_direct.hpp"
#include "zkcnn/nn/conv2d_fft.hpp"
#include "zkcnn/nn/dense.hpp"
#include "zkcnn/nn/digits.hpp"
#include "zkcnn/nn/pooling.hpp"
#include "zkcnn/nn/quantized_model.hpp"
#include "zkcnn/nn/relu.hpp"
#include "zkcnn/nn/residual_add.hpp"
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

template <TwoAdicField F>
  requires EncodableField<F>
class ModelCircuit {
 public:
  using Layer = std::variant<nn::Conv2dFftLayer<F>, nn::Conv2dDirectLayer<F>, nn::DenseLayer<F>, nn::BiasLayer<F>,
                             nn::RescaleReluLayer<F>, nn::MaxPoolLayer<F>, nn::SumPoolLayer<F>, nn::ResidualAddLayer<F>>;

  struct Step {
    Layer layer;
    std::vector<TableRef> inputs;
    std::size_t output;  // tensor index
    std::size_t spec;    // the architecture layer it belongs to
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

  static Result<ModelCircuit> compile(const nn::Architecture& architecture, std::size_t batch,
                                      Conclusion conclusion = Conclusion::outputs) {
    if (batch == 0 || batch > (std::size_t{1} << 20)) return make_error(Errc::invalid_argument, "model: batch size out of range");
    auto shapes = architecture.shapes();
    if (!shapes) return shapes.error();
    const bool has_weights = std::any_of(architecture.layers.begin(), architecture.layers.end(), [](const nn::LayerSpec& spec) {
      return std::holds_alternative<nn::Conv2dSpec>(spec) || std::holds_alternative<nn::DenseSpec>(spec);
    });
    if (!has_weights) return make_error(Errc::invalid_argument, "model: no convolution or dense layer to commit to");
    // Sizes the architecture allows but the field or the layouts cannot (an FFT longer than the
    // field's two-adicity, a weight block beyond 2^48 entries) are reported, not thrown.
    try {
      ModelCircuit circuit(architecture, batch, conclusion, std::move(*shapes));
      if (auto sound = circuit.check_lookup_soundness(); !sound) return sound.error();
      return circuit;
    } catch (const std::invalid_argument& e) {
      return make_error(Errc::invalid_argument, std::string("model: ") + e.what());
    } catch (const std::length_error& e) {
      return make_error(Errc::invalid_argument, std::string("model: ") + e.what());
    }
  }

  /// The statistical security every proof keeps in its challenge field (docs/protocol.md
  /// section 9).
  static constexpr std::size_t security_bits = 100;

  const nn::Architecture& architecture() const { return architecture_; }
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
  std::vector<F> weights_table(const nn::QuantizedModel& model) const {
    return nn::to_field<F>(weights_integers(model));
  }

  /// The same polynomial's entries as the integers they are: what the model's owner keeps
  /// (ModelProverState), at a quarter of the memory of field elements.
  std::vector<std::int64_t> weights_integers(const nn::QuantizedModel& model) const {
    std::vector<std::int64_t> table(weights_layout_.size(), 0);
    for (const auto& [spec, kernel_block, bias_block] : weight_blocks_) {
      const auto& weights = model.weights[spec];
      const auto& in = shapes_[architecture_.layer_inputs(spec)[0]];
      const auto& out = shapes_[spec + 1];
      std::vector<std::int64_t> kernel(std::size_t{1} << weights_layout_.block_num_vars(kernel_block), 0);
      if (const auto* conv = std::get_if<nn::Conv2dSpec>(&architecture_.layers[spec])) {
        const nn::TensorShape shape{out.channels, in.channels, conv->kernel, conv->kernel};
        std::size_t n = 0;
        for (std::size_t o = 0; o < out.channels; ++o)
          for (std::size_t i = 0; i < in.channels; ++i)
            for (std::size_t a = 0; a < conv->kernel; ++a)
              for (std::size_t c = 0; c < conv->kernel; ++c) kernel[shape.offset({o, i, a, c})] = weights.kernel[n++];
      } else {
        // Dense: column j of the logical matrix is input entry j, wherever the input's layout puts it.
        const TensorLayout& input = tensors_[dense_input_tensor_.at(spec)];
        const std::size_t in_bits = input.physical.num_vars() - input.physical.dimension_bits()[0];
        for (std::size_t o = 0; o < out.channels; ++o) {
          for (std::size_t j = 0; j < in.element_count(); ++j) {
            kernel[(o << in_bits) | input.position(0, j)] = weights.kernel[o * in.element_count() + j];
          }
        }
      }
      weights_layout_.place(kernel_block, std::span<const std::int64_t>(kernel), std::span<std::int64_t>(table));
      weights_layout_.place(bias_block, std::span<const std::int64_t>(weights.bias), std::span<std::int64_t>(table));
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
  Result<Witness> witness(const nn::QuantizedModel& model, std::span<const std::vector<std::int64_t>> samples,
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
    // In forward order: the accumulators without their bias, the window maxima, and the digit
    // decompositions of the auxiliary witness.
    auto failure = [&](const Step& step, const Error& error) {
      return make_error(Errc::invalid_argument,
                        "witness: " + nn::layer_name(architecture_.layers[step.spec], step.spec) + ": " + error.message);
    };
    for (const Step& step : steps_) {
      if (const auto* bias = std::get_if<nn::BiasLayer<F>>(&step.layer)) {
        std::vector<F>& z = out.tensors[step.inputs[0].index];
        z = out.tensors[step.output];
        const auto& weights = model.weights[step.spec].bias;
        const nn::TensorShape& shape = bias->shape();
        const std::size_t channel_bits = shape.dimension_bits()[1];
        const std::size_t inner = shape.num_vars() - shape.dimension_bits()[0] - channel_bits;
        for (std::size_t position = 0; position < z.size(); ++position) {
          const std::size_t channel = (position >> inner) & ((std::size_t{1} << channel_bits) - 1);
          if (channel < weights.size() && shape.is_real(position)) z[position] -= F::from_i64(weights[channel]);
        }
      } else if (const auto* pool = std::get_if<nn::MaxPoolLayer<F>>(&step.layer)) {
        const std::span<const F> accumulators(out.tensors[step.inputs[0].index]);
        const std::span<const F> inputs[] = {accumulators, {}};
        out.tensors[step.output] = pool->forward(std::span<const std::span<const F>>(inputs));
        auto digits = pool->witness(accumulators);
        if (!digits) return failure(step, digits.error());
        aux_layout_.place(step.inputs[1].index, std::span<const F>(*digits), std::span<F>(out.aux));
      } else if (const auto* relu = std::get_if<nn::RescaleReluLayer<F>>(&step.layer)) {
        auto digits = relu->witness(std::span<const F>(out.tensors[step.inputs[0].index]));
        if (!digits) return failure(step, digits.error());
        aux_layout_.place(step.inputs[1].index, std::span<const F>(*digits), std::span<F>(out.aux));
      }
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

  static constexpr std::size_t no_activation = static_cast<std::size_t>(-1);

  ModelCircuit(const nn::Architecture& architecture, std::size_t batch, Conclusion conclusion,
               std::vector<nn::ActivationShape> shapes)
      : architecture_(architecture), batch_(batch), conclusion_(conclusion), shapes_(std::move(shapes)) {
    std::vector<std::size_t> weight_vars;
    // The circuit tensor holding each architecture tensor (0 the input, i + 1 layer i's output).
    std::vector<std::size_t> tensor_of(shapes_.size(), no_activation);
    tensor_of[0] = add_tensor(shapes_[0], 0);
    std::vector<bool> fused(architecture_.layers.size(), false);
    // The max pooling layer reading each tensor, if one does (then it is its only reader).
    std::vector<std::optional<std::size_t>> max_pool_reading(shapes_.size());
    for (std::size_t j = 0; j < architecture_.layers.size(); ++j) {
      if (std::holds_alternative<nn::MaxPoolSpec>(architecture_.layers[j])) max_pool_reading[architecture_.layer_inputs(j)[0]] = j;
    }
    for (std::size_t i = 0; i < architecture_.layers.size(); ++i) {
      const auto inputs = architecture_.layer_inputs(i);
      const auto& in = shapes_[inputs[0]];
      const auto& out = shapes_[i + 1];
      const auto& spec = architecture_.layers[i];
      const std::size_t current = tensor_of[inputs[0]];
      if (const auto* conv = std::get_if<nn::Conv2dSpec>(&spec)) {
        const nn::Conv2dShape shape{batch_, in.channels, out.channels, in.height, in.width, conv->kernel, conv->padding, conv->stride};
        const std::size_t kernel = weight_vars.size();
        weight_vars.push_back(shape.kernel_shape().num_vars());
        weight_vars.push_back(zkcnn::detail::ceil_log2(out.channels));
        weight_blocks_.push_back({i, kernel, kernel + 1});
        const std::size_t z = add_tensor(out, no_activation);
        if (conv->algorithm == nn::ConvAlgorithm::fft && shape.fft_fits(F::two_adicity)) {
          steps_.push_back({nn::Conv2dFftLayer<F>(shape), {tensor_ref(current), weights_ref(kernel)}, z, i});
        } else {
          steps_.push_back({nn::Conv2dDirectLayer<F>(shape), {tensor_ref(current), weights_ref(kernel)}, z, i});
        }
        tensor_of[i + 1] = add_bias(i, out, z, kernel + 1);
      } else if (std::holds_alternative<nn::DenseSpec>(spec)) {
        // The features keep the layout of the tensor they come from: (C, H, W) for a flattened
        // image, (N) for a vector; the layer contracts over their real entries only.
        const TensorLayout& input = tensors_[current];
        const auto input_dims = input.physical.dims();
        const nn::TensorShape features(std::vector<std::size_t>(input_dims.begin() + 1, input_dims.end()));
        const std::size_t kernel = weight_vars.size();
        weight_vars.push_back(zkcnn::detail::ceil_log2(out.channels) + features.num_vars());
        weight_vars.push_back(zkcnn::detail::ceil_log2(out.channels));
        weight_blocks_.push_back({i, kernel, kernel + 1});
        dense_input_tensor_[i] = current;
        const std::size_t z = add_tensor(out, no_activation);
        steps_.push_back({nn::DenseLayer<F>(batch_, out.channels, features), {weights_ref(kernel), tensor_ref(current)}, z, i});
        tensor_of[i + 1] = add_bias(i, out, z, kernel + 1);
      } else if (const auto* relu = std::get_if<nn::RescaleReluSpec>(&spec)) {
        // A max pooling reading this layer (its only reader, nn::Architecture::shapes) runs
        // first, on the accumulators, in this layer's place.
        const std::optional<std::size_t> pool_layer = max_pool_reading[i + 1];
        std::size_t accumulators = current;
        if (pool_layer) {
          const std::size_t window = std::get<nn::MaxPoolSpec>(architecture_.layers[*pool_layer]).window;
          nn::MaxPoolLayer<F> pool(tensors_[current].physical, window, relu->bits, nn::max_digit_bits);
          nn::ActivationShape pooled_shape = shapes_[*pool_layer + 1];
          pooled_shape.scale_bits = in.scale_bits;
          accumulators = add_tensor(pooled_shape, no_activation);
          steps_.push_back({std::move(pool), {tensor_ref(current), aux_ref(range_checked_.size())}, accumulators, *pool_layer});
          range_checked_.push_back(steps_.size() - 1);
          fused[*pool_layer] = true;
        }
        const std::size_t result = pool_layer ? *pool_layer + 1 : i + 1;
        nn::RescaleReluLayer<F> layer(tensors_[accumulators].physical.num_vars(), relu->bits, relu->shift, nn::max_digit_bits);
        tensor_of[result] = add_tensor(shapes_[result], result);
        steps_.push_back({std::move(layer), {tensor_ref(accumulators), aux_ref(range_checked_.size())}, tensor_of[result], i});
        range_checked_.push_back(steps_.size() - 1);
      } else if (std::holds_alternative<nn::MaxPoolSpec>(spec)) {
        if (!fused[i]) throw std::logic_error("ModelCircuit: a max pooling without its rescale-ReLU");
      } else if (const auto* avg = std::get_if<nn::AvgPoolSpec>(&spec)) {
        nn::SumPoolLayer<F> layer(tensors_[current].physical, avg->window);
        tensor_of[i + 1] = add_tensor(out, i + 1);
        steps_.push_back({std::move(layer), {tensor_ref(current)}, tensor_of[i + 1], i});
      } else if (std::holds_alternative<nn::AddSpec>(spec)) {
        // Each term multiplied by 2^(the output's scale - its own): exact alignment.
        const std::size_t other = tensor_of[inputs[1]];
        if (!same_layout(tensors_[other].physical, tensors_[current].physical)) {
          throw std::invalid_argument("the terms of an addition are laid out differently (a flattened image and a vector)");
        }
        const auto shift = [&](std::size_t t) { return static_cast<std::size_t>(out.scale_bits - shapes_[t].scale_bits); };
        nn::ResidualAddLayer<F> layer(tensors_[current].physical, shift(inputs[0]), shift(inputs[1]));
        tensor_of[i + 1] = add_tensor(out, i + 1);
        steps_.push_back({std::move(layer), {tensor_ref(current), tensor_ref(other)}, tensor_of[i + 1], i});
      } else {
        // Flatten (its input's only reader): the same table, read as a flat vector.
        tensors_[current].logical.flat = true;
        tensor_of[i + 1] = current;
      }
    }
    const std::size_t current = tensor_of.back();
    output_tensor_ = current;
    weights_layout_ = BlockLayout(std::move(weight_vars));
    if (conclusion_ == Conclusion::accuracy) {
      const TensorLayout& logits = tensors_[output_tensor_];
      if (logits.physical.dims().size() != 2) {
        throw std::invalid_argument("accuracy proofs need a model whose output is a vector of class scores");
      }
      argmax_.emplace(batch_, logits.physical.dim(1), nn::max_digit_bits);
    }
    set_digit_bits(smallest_witness_digit_bits());
  }

  // The range-checked layers (max pooling, rescale-ReLU) with digits of at most `digit_bits`
  // bits: their aux blocks 0..k-1 in step order, then the multiplicities.
  void set_digit_bits(std::size_t digit_bits) {
    std::vector<std::size_t> aux_vars;
    RangeCheckLayout range{digit_bits, {}, range_checked_.size()};
    for (std::size_t step : range_checked_) {
      std::visit(
          [&](auto& layer) {
            using L = std::decay_t<decltype(layer)>;
            if constexpr (std::is_same_v<L, nn::RescaleReluLayer<F>> || std::is_same_v<L, nn::MaxPoolLayer<F>>) {
              if constexpr (std::is_same_v<L, nn::RescaleReluLayer<F>>) {
                layer = L(layer.output_num_vars(), layer.bits(), layer.shift(), digit_bits);
              } else {
                layer = L(layer.geometry().input(), layer.geometry().window(), layer.bits(), digit_bits);
              }
              // Only the digits of the accumulators' real entries are looked up (zk/range_check.hpp).
              const nn::TensorShape& accumulators = tensors_[steps_[step].inputs[0].index].physical;
              if (accumulators.num_vars() != layer.input_num_vars(0)) {
                throw std::logic_error("ModelCircuit: digit columns are not the accumulators' layout");
              }
              range.digit_blocks.push_back(
                  {aux_vars.size(), layer.digits(), layer.input_num_vars(0), accumulators, layer.padding_digits()});
              aux_vars.push_back(layer.input_num_vars(1));
            } else {
              throw std::logic_error("ModelCircuit: a range-checked step of another kind");
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
    aux_vars.push_back(RangeCheckLayout::table_vars(digit_bits));
    aux_layout_ = BlockLayout(std::move(aux_vars));
    range_layout_ = std::move(range);
  }

  // The digit width with the smallest auxiliary witness: first its padded size (what the
  // commitment, the lookup and the opening cost), then its entries, then the fewest digits.
  std::size_t smallest_witness_digit_bits() {
    std::size_t best = nn::max_digit_bits;
    std::tuple<std::size_t, std::size_t, std::size_t> best_cost{static_cast<std::size_t>(-1), 0, 0};
    for (std::size_t digit_bits = 1; digit_bits <= nn::max_digit_bits; ++digit_bits) {
      set_digit_bits(digit_bits);
      std::size_t entries = 0, digits = 0;
      for (std::size_t block = 0; block < aux_layout_.block_count(); ++block) entries += std::size_t{1} << aux_layout_.block_num_vars(block);
      for (const DigitBlock& b : range_layout_.digit_blocks) digits += b.digits.digit_count();
      const std::tuple cost{aux_layout_.size(), entries, digits};
      if (cost < best_cost) {
        best_cost = cost;
        best = digit_bits;
      }
    }
    return best;
  }

  // Whether two tables put every entry at the same position: the same dimensions once those
  // of size 1 (which take no bits) are left out, as a flattened C x 1 x 1 image and a vector of
  // C entries.
  static bool same_layout(const nn::TensorShape& a, const nn::TensorShape& b) {
    auto sized = [](const nn::TensorShape& shape) {
      std::vector<std::size_t> dims;
      for (std::size_t d : shape.dims()) {
        if (d != 1) dims.push_back(d);
      }
      return dims;
    };
    return sized(a) == sized(b);
  }

  std::size_t add_tensor(const nn::ActivationShape& shape, std::size_t activation) {
    const nn::TensorShape physical = shape.flat && shape.source_channels == shape.channels
                                         ? nn::TensorShape{batch_, shape.channels}
                                         : nn::TensorShape{batch_, shape.source_channels, shape.source_height, shape.source_width};
    tensors_.push_back({physical, shape});
    tensor_activation_.push_back(activation);
    return tensors_.size() - 1;
  }

  std::size_t add_bias(std::size_t spec, const nn::ActivationShape& shape, std::size_t z, std::size_t block) {
    const std::size_t accumulators = add_tensor(shape, spec + 1);
    steps_.push_back({nn::BiasLayer<F>(tensors_[z].physical, 1), {tensor_ref(z), weights_ref(block)}, accumulators, spec});
    return accumulators;
  }

  static TableRef tensor_ref(std::size_t i) { return {TableRef::Source::tensor, i}; }
  static TableRef weights_ref(std::size_t i) { return {TableRef::Source::weights, i}; }
  static TableRef aux_ref(std::size_t i) { return {TableRef::Source::aux, i}; }

  struct WeightBlocks {
    std::size_t spec;
    std::size_t kernel;
    std::size_t bias;
  };

  nn::Architecture architecture_;
  std::size_t batch_;
  Conclusion conclusion_;
  std::vector<nn::ActivationShape> shapes_;
  std::vector<TensorLayout> tensors_;
  std::vector<std::size_t> tensor_activation_;
  std::vector<Step> steps_;
  std::vector<WeightBlocks> weight_blocks_;
  std::vector<std::size_t> range_checked_;  // steps, in the order of their aux blocks
  std::map<std::size_t, std::size_t> dense_input_tensor_;
  std::size_t output_tensor_ = 0;
  BlockLayout weights_layout_;
  BlockLayout aux_layout_;
  RangeCheckLayout range_layout_;
  std::optional<ArgmaxGadget<F>> argmax_;  // accuracy circuits only
};

}  // namespace zkcnn::zk
