#pragma once
// An element-wise square activation, Y[x] = X[x]^2 over a table of 2^n entries: a custom layer
// that models zkcnn::gkr::Layer (and gkr::CombinesClaims, gkr/layer.hpp) using only the library's
// sumcheck steps (docs/protocol.md sections 3 and 4).
//
// Protocol. Y~ is the multilinear extension of Y, so a claim Y~(r) = v says
//   v = sum_{x in {0,1}^n} eq(r, x) X(x) X(x),
// one sumcheck of degree 3, the shape of the rescale-ReLU's eq * b * M (nn/relu.hpp). Several
// claims Y~(r_k) = v_k are combined inside it with random alpha_k, eq(r, x) becoming
// sum_k alpha_k eq(r_k, x) (gkr::combination_coefficients, docs/protocol.md section 4), so the
// model needs no claim merge before this layer.
//
// X occurs twice in the term, as two factors with the same table, X and X'. At the sumcheck's
// final point u the prover sends both values, a = X~(u) and b = X'~(u), as the step's own factor
// values. Why two factors: in zero knowledge every sent factor carries a mask S Z(x) of its own
// and the step's last round is encoded with degree + (sent factors) values, so a sent factor may
// occur only once per term (gkr::prove_step throws on eq * X * X with X sent: its last round
// would have degree 5, the encoding fixes 3 + 1). With the copy each occurrence is a sent
// factor of its own, as W and X are in the dense layer's W * X.
//
// The verifier checks the subclaim against (sum_k alpha_k eq(r_k, u)) a b, then draws gamma and
// keeps the one claim X~(u) = (1 - gamma) a + gamma b. Soundness: a and b are bound before
// gamma, so unless both equal X~(u) the claim is false except with probability 1 / |F|
// (Schwartz-Zippel in gamma). In all, a false output claim leaves a true input claim with
// probability at most (3 n + 4) / |F|: the rounds (3 n, or 3 n + 2 in zero knowledge, whose
// last round has degree 5, docs/zero-knowledge.md "Soundness"), gamma, and alpha for several
// claims.
//
// Zero knowledge (docs/protocol.md section 8, Libra section 4). gkr::prove_step masks the step
// whenever the transcript carries a mask commitment (zk::MaskingTranscript): rho * m(x) hides the
// round messages, and each sent value is masked by its own committed line,
// a' = X~(u) + S_a Z(u), b' = X~(u) + S_b Z(u), two independent uniform values. The final check
// takes them as they are (the masked sumcheck is consistent with masked factors). The claim left
// is a public linear combination of them and carries both lines' mask terms (MaskedValue::add,
// as the rescale-ReLU's digit claims do), so it reveals nothing more, and each line enters this
// one claim only: the step that proves it is the only one to reveal R(r'_1) (docs/zero-knowledge.md,
// "Why the proof is zero-knowledge"). No value is compared outside the step's final check. The
// test-only probes (detail/zk_probes.hpp: secrets observed, mask mutations) live inside
// prove_step, so, like the dense and rescale-ReLU layers, this layer needs no hook of its own.
//
// Costs: prover O(2^n) (one sumcheck over three tables of 2^n entries); verifier O(K n) for K
// claims; proof 3 n + 2 field elements, 3 n + 6 in zero knowledge (n >= 1: a last round of
// degree 5, then G and u(r)).

#include <cstddef>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/claim_merge.hpp"
#include "zkcnn/gkr/layer.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace custom_layer {

template <zkcnn::EncodableField F>
class SquareLayer {
 public:
  /// The sumcheck over x and the values X~(u), X'~(u) after it (masked in zero knowledge).
  using Proof = zkcnn::gkr::SumcheckStep<F>;

  /// Input X and output Y both have 2^num_vars entries.
  explicit SquareLayer(std::size_t num_vars) : num_vars_(num_vars) {
    if (num_vars >= 63) throw std::invalid_argument("SquareLayer: too many variables");
  }

  std::size_t input_count() const { return 1; }
  std::size_t input_num_vars(std::size_t index) const {
    if (index != 0) throw std::invalid_argument("SquareLayer: input index out of range");
    return num_vars_;
  }
  std::size_t output_num_vars() const { return num_vars_; }

  /// Y[x] = X[x]^2 over all 2^n entries (missing input entries read as zero, so do theirs).
  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    check_inputs(inputs);
    std::vector<F> y(std::size_t{1} << num_vars_, F::zero());
    for (std::size_t x = 0; x < inputs[0].size(); ++x) y[x] = inputs[0][x] * inputs[0][x];
    return y;
  }

  template <class T>
  zkcnn::gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs,
                                                const zkcnn::gkr::Claim<F>& claim, T& transcript) const {
    return prove(inputs, std::span<const zkcnn::gkr::Claim<F>>(&claim, 1), transcript);
  }

  /// Several true claims on Y, combined inside the sumcheck (gkr::CombinesClaims).
  template <class T>
  zkcnn::gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs,
                                                std::span<const zkcnn::gkr::Claim<F>> claims, T& transcript) const {
    check_inputs(inputs);
    const std::vector<F> alpha = bind_statement(claims, transcript);
    // Factors: 0 is sum_k alpha_k eq(r_k, .), 1 is X and 2 its copy X' (short tables are
    // zero-padded by the prover).
    std::vector<std::vector<F>> tables;
    tables.push_back(zkcnn::gkr::combined_eq_table(claims, std::span<const F>(alpha)));
    tables.emplace_back(inputs[0].begin(), inputs[0].end());
    tables.emplace_back(inputs[0].begin(), inputs[0].end());
    zkcnn::sumcheck::SumOfProducts<F> g(num_vars_, std::move(tables), {{F::one(), {0, 1, 2}}});
    const std::size_t sent[] = {1, 2};
    auto proven = zkcnn::gkr::prove_step(std::move(g), zkcnn::gkr::combined_value(claims, std::span<const F>(alpha)),
                                         std::span<const std::size_t>(sent), transcript);
    auto input_claims = input_claim(std::move(proven.point), proven.sent(0), proven.sent(1), transcript);
    return {std::move(proven.step), std::move(input_claims)};
  }

  template <class T>
  zkcnn::Result<std::vector<zkcnn::gkr::InputClaim<F>>> verify(const zkcnn::gkr::Claim<F>& claim, const Proof& proof,
                                                               T& transcript) const {
    return verify(std::span<const zkcnn::gkr::Claim<F>>(&claim, 1), proof, transcript);
  }

  template <class T>
  zkcnn::Result<std::vector<zkcnn::gkr::InputClaim<F>>> verify(std::span<const zkcnn::gkr::Claim<F>> claims,
                                                               const Proof& proof, T& transcript) const {
    const std::vector<F> alpha = bind_statement(claims, transcript);
    // verify_step checks the proof's whole shape (rounds, degrees, two sent values, mask
    // values) before anything reads it, and returns an error on a malformed one.
    auto subclaim = zkcnn::gkr::verify_step(zkcnn::gkr::combined_value(claims, std::span<const F>(alpha)), num_vars_,
                                            degree, 2, proof, transcript);
    if (!subclaim) return subclaim.error();
    const F expected = zkcnn::gkr::combined_weight(claims, std::span<const F>(alpha), std::span<const F>(subclaim->point)) *
                       proof.evaluations[0] * proof.evaluations[1];
    if (auto ok = zkcnn::gkr::check_step(*subclaim, expected, "square layer"); !ok) return ok.error();
    return input_claim(std::move(subclaim->point), zkcnn::gkr::sent_value(proof, *subclaim, 0),
                       zkcnn::gkr::sent_value(proof, *subclaim, 1), transcript);
  }

  void write_proof(const Proof& proof, zkcnn::io::ByteWriter& out) const { zkcnn::gkr::write_step(out, proof); }

  /// The shape comes from the layer (and the reader's zero-knowledge flag), never from the
  /// bytes; read_step refuses a truncated input before allocating.
  zkcnn::Result<Proof> read_proof(zkcnn::io::ByteReader& in) const {
    return zkcnn::gkr::read_step<F>(in, num_vars_, degree, 2);
  }

 private:
  static constexpr std::size_t degree = 3;  // eq * X * X'

  void check_inputs(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != 1 || inputs[0].size() > (std::size_t{1} << num_vars_)) {
      throw std::invalid_argument("SquareLayer: expected one input of at most 2^num_vars entries");
    }
  }

  /// Both sides: the layer's public statement and the claims, bound before any challenge;
  /// returns the claims' combination coefficients. A claim of the wrong dimension is a
  /// programming error (claims come from the protocol's structure, not from proof bytes).
  template <class T>
  std::vector<F> bind_statement(std::span<const zkcnn::gkr::Claim<F>> claims, T& transcript) const {
    for (const auto& claim : claims) zkcnn::gkr::require_dimension(claim, num_vars_, "SquareLayer");
    transcript.absorb_string("nn/layer", "custom_layer/square");
    transcript.absorb_u64("custom_layer/square/num_vars", num_vars_);
    return zkcnn::gkr::combination_coefficients(claims, transcript);
  }

  /// X~(u) = (1 - gamma) a + gamma b for a fresh gamma, mask terms included (see the top).
  template <class T>
  static std::vector<zkcnn::gkr::InputClaim<F>> input_claim(std::vector<F> u, const zkcnn::gkr::MaskedValue<F>& a,
                                                            const zkcnn::gkr::MaskedValue<F>& b, T& transcript) {
    const F gamma = transcript.template challenge<F>("custom_layer/square/combine");
    zkcnn::gkr::MaskedValue<F> value{F::zero()};
    value.add(F::one() - gamma, a);
    value.add(gamma, b);
    return {{0, zkcnn::gkr::make_claim(std::move(u), std::move(value))}};
  }

  std::size_t num_vars_;
};

}  // namespace custom_layer
