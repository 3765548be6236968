#pragma once
// What verifying a model proof costs, computed from the architecture alone, and the limits a
// verifier holds it to before compiling anything.
//
// The architecture travels in the model owner's commitment: to a verifier it is untrusted
// input. Most of the verifier's work is linear in the proof's bytes (round messages, mask
// rows, sent values), which a caller bounds by the file size it accepts; what is not is what
// the architecture alone makes the verifier compute: the FFT convolutions' wiring values
// (docs/protocol.md, the FFT sumcheck: a sum over the transform's grid, from a table of the
// whole transform length when the grid is large), the direct convolutions' axis tables, the
// padded tables of the public input and output, the argmax gadget's class tables, and the
// degree of every sumcheck (max pooling's zero-check has degree window^2 + 1). The model below
// follows those computations one by one (counts of field elements held and of field
// multiplications); a hostile architecture is refused with the layer that exceeds a limit,
// before a single table is built.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/detail/saturating.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/nn/architecture.hpp"
#include "zkcnn/zk/model_circuit.hpp"

namespace zkcnn::zk {

/// How much a verifier accepts to spend on one proof. The defaults accept every model of the
/// zoo (VGG-16's accuracy on a batch of 20 needs 4 MiB of tables and 2^21 multiplications of
/// wiring) with ample room, and refuse what would take a verifier more than seconds.
struct VerifierLimits {
  /// The most memory the verifier's tables may take at once.
  std::size_t max_memory_bytes = std::size_t{256} << 20;
  /// The most field multiplications the architecture may ask of the verifier beyond what the
  /// proof's bytes account for (about 30 ns each on BN254: 2^27 is 4 s).
  std::size_t max_work = std::size_t{1} << 27;
  /// The highest sumcheck round degree (max pooling's zero-check: 2 window^2 + 1 in zero
  /// knowledge; 129 allows windows up to 8x8).
  std::size_t max_degree = 129;
};

/// The verifier's cost for one architecture, batch and conclusion.
struct VerifierCost {
  /// Field elements held at once, at the peak.
  std::size_t peak_entries = 0;
  /// Field multiplications.
  std::size_t work = 0;
  /// The highest sumcheck round degree.
  std::size_t max_degree = 0;
  /// Where each maximum is reached, for messages ("layer 2 (conv2d)", "the public input", ...).
  std::string peak_entries_at, work_at, max_degree_at;
};

namespace detail {

using zkcnn::detail::padded;
using zkcnn::detail::saturating_add;
using zkcnn::detail::saturating_mul;

class CostTally {
 public:
  void hold(std::size_t entries, const std::string& where) {
    if (entries > cost_.peak_entries) cost_.peak_entries = entries, cost_.peak_entries_at = where;
  }
  void spend(std::size_t multiplications, const std::string& where) {
    cost_.work = saturating_add(cost_.work, multiplications);
    if (multiplications > heaviest_) heaviest_ = multiplications, cost_.work_at = where;
  }
  void degree(std::size_t d, const std::string& where) {
    if (d > cost_.max_degree) cost_.max_degree = d, cost_.max_degree_at = where;
  }
  const VerifierCost& cost() const { return cost_; }

 private:
  VerifierCost cost_;
  std::size_t heaviest_ = 0;
};

}  // namespace detail

/// What a layer kind's verifier_cost sees (nn/layer_kind.hpp): the layer's shapes, the batch
/// and the field's two-adicity, and the tally its costs go to, under the layer's name.
class LayerCost {
 public:
  LayerCost(detail::CostTally& tally, std::string where, std::span<const nn::ActivationShape> inputs,
            const nn::ActivationShape& output, std::size_t batch, std::size_t two_adicity)
      : tally_(tally), where_(std::move(where)), inputs_(inputs), output_(output), batch_(batch), two_adicity_(two_adicity) {}

  const nn::ActivationShape& input_shape(std::size_t i) const { return inputs_[i]; }
  const nn::ActivationShape& output_shape() const { return output_; }
  std::size_t batch() const { return batch_; }
  std::size_t two_adicity() const { return two_adicity_; }

  /// Field elements the verifier holds at once for this layer.
  void hold(std::size_t entries) { tally_.hold(entries, where_); }
  /// Field multiplications beyond what the proof's bytes account for.
  void spend(std::size_t multiplications) { tally_.spend(multiplications, where_); }
  /// A sumcheck round's degree.
  void degree(std::size_t d) { tally_.degree(d, where_); }

  /// One wiring value over a grid of `points` positions of a transform of 2^log_n entries
  /// (nn/conv2d_fft.hpp, grid_fourier_sum): a product per point, or the whole transform's table.
  void fft_grid_sum(std::size_t points, std::size_t log_n) {
    const std::size_t n = std::size_t{1} << log_n;
    if (detail::saturating_mul(points, 3 * log_n + 1) <= 4 * n) {
      spend(detail::saturating_mul(points, 3 * log_n + 2));
    } else {
      hold(n + n / 2);
      spend(detail::saturating_add(n * 5 / 2, 2 * points));
    }
  }

 private:
  detail::CostTally& tally_;
  std::string where_;
  std::span<const nn::ActivationShape> inputs_;
  const nn::ActivationShape& output_;
  std::size_t batch_;
  std::size_t two_adicity_;
};

/// The verifier's cost, from the architecture's shapes alone (no circuit is compiled), in a
/// field of the given two-adicity (which decides where FFT convolutions are proven directly).
/// Each layer's kind adds what its verifier computes beyond reading its proof.
template <nn::ModelArchitecture Arch>
Result<VerifierCost> verifier_cost(const Arch& architecture, std::size_t batch, Conclusion conclusion,
                                   std::size_t two_adicity = 64) {
  using detail::padded;
  using detail::saturating_add;
  using detail::saturating_mul;
  auto shapes = architecture.shapes();
  if (!shapes) return shapes.error();
  detail::CostTally tally;
  const std::size_t batch_padded = padded(batch);

  // The public input's and outputs' padded tables, each evaluated at a point.
  const auto table_entries = [&](const nn::ActivationShape& s) {
    return saturating_mul(batch_padded, saturating_mul(padded(s.source_channels),
                                                       saturating_mul(padded(s.source_height), padded(s.source_width))));
  };
  // Unmasked claims on the public input are checked one evaluation each: one per layer input
  // that reads it.
  const std::size_t input_entries = table_entries(shapes->front());
  tally.hold(input_entries, "the public input");
  tally.spend(saturating_mul(saturating_mul(2, input_entries), architecture.reader_counts().front()), "the public input");
  if (conclusion == Conclusion::outputs) {
    const std::size_t output_entries = table_entries(shapes->back());
    tally.hold(output_entries, "the public outputs");
    tally.spend(2 * output_entries, "the public outputs");
  }

  for (std::size_t i = 0; i < architecture.layers.size(); ++i) {
    std::vector<nn::ActivationShape> inputs;
    for (std::size_t t : architecture.layer_inputs(i)) inputs.push_back((*shapes)[t]);
    LayerCost layer(tally, nn::layer_name(architecture.layers[i], i), inputs, (*shapes)[i + 1], batch, two_adicity);
    std::visit(
        [&](const auto& spec) {
          using K = std::decay_t<decltype(spec)>;
          if constexpr (requires { spec.verifier_cost(layer); }) {
            spec.verifier_cost(layer);
          } else {
            // A kind that declares its cost must have it counted, not skipped for a typo.
            static_assert(!requires { &K::verifier_cost; } && !requires { &K::template verifier_cost<LayerCost>; },
                          "a layer kind's verifier_cost cannot be called as verifier_cost(zk::LayerCost&) const");
          }
        },
        architecture.layers[i]);
  }

  if (conclusion == Conclusion::accuracy) {
    // The argmax gadget: the one-hot layout (four words per class, held from compilation on)
    // and up to four tables over the padded classes at once; its sumchecks have degree 3.
    const std::size_t classes = padded(shapes->back().element_count());
    const std::size_t entries = saturating_add(saturating_mul(4, classes), saturating_mul(4, shapes->back().element_count()));
    tally.hold(entries, "the argmax over the classes");
    tally.spend(saturating_add(saturating_mul(16, classes), saturating_mul(batch, zkcnn::detail::ceil_log2(classes))),
                "the argmax over the classes");
    tally.degree(3, "the argmax over the classes");
  }
  return tally.cost();
}

/// Refuses, naming the layer and the limit, a cost beyond `limits` (field elements of
/// `entry_bytes` bytes each).
inline Status check_verifier_cost(const VerifierCost& cost, const VerifierLimits& limits, std::size_t entry_bytes) {
  const auto mib = [](std::size_t bytes) { return std::to_string((bytes + (std::size_t{1} << 20) - 1) >> 20) + " MiB"; };
  const std::size_t bytes = detail::saturating_mul(cost.peak_entries, entry_bytes);
  if (bytes > limits.max_memory_bytes) {
    return make_error(Errc::resource_limit, "verifier cost: " + cost.peak_entries_at + " would take the verifier " +
                                                (bytes == SIZE_MAX ? std::string("more memory than can be counted") : mib(bytes)) +
                                                " of tables, beyond its limit of " + mib(limits.max_memory_bytes));
  }
  if (cost.work > limits.max_work) {
    return make_error(Errc::resource_limit, "verifier cost: the architecture asks the verifier for about 2^" +
                                                std::to_string(zkcnn::detail::ceil_log2(cost.work)) +
                                                " field multiplications (most in " + cost.work_at + "), beyond its limit of 2^" +
                                                std::to_string(zkcnn::detail::ceil_log2(limits.max_work)));
  }
  if (cost.max_degree > limits.max_degree) {
    return make_error(Errc::resource_limit, "verifier cost: " + cost.max_degree_at + " needs sumcheck rounds of degree " +
                                                std::to_string(cost.max_degree) + ", beyond the verifier's limit of " +
                                                std::to_string(limits.max_degree));
  }
  return {};
}

/// The circuit a verifier checks proofs against, compiled only once the architecture's cost
/// is known to be within `limits`.
template <TwoAdicField F, nn::ModelArchitecture Arch>
  requires EncodableField<F>
Result<ModelCircuit<F, Arch>> compile_for_verifier(const Arch& architecture, std::size_t batch, Conclusion conclusion,
                                                   const VerifierLimits& limits = {}) {
  if (batch == 0 || batch > (std::size_t{1} << 20)) return make_error(Errc::invalid_argument, "model: batch size out of range");
  auto cost = verifier_cost(architecture, batch, conclusion, F::two_adicity);
  if (!cost) return cost.error();
  if (auto ok = check_verifier_cost(*cost, limits, sizeof(F)); !ok) return ok.error();
  return ModelCircuit<F, Arch>::compile(architecture, batch, conclusion);
}

}  // namespace zkcnn::zk
