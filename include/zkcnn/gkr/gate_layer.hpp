#pragma once
// A layer given by a list of generalized gates (docs/protocol.md section 4; Libra, eprint 2019/317,
// section 3; Virgo++, Zhang et al. CCS 2021, for inputs from any earlier layer):
//
//   V(g) = sum_{add gates (g, j, x, c)} c V_j(x) + sum_{mul gates (g, j, x, k, y, c)} c V_j(x) V_k(y)
//
// Several gates may share an output, so an add gate of any fan-in with coefficients, or an
// inner product computed by one output, is a list of entries here. The inputs V_j are the
// tables the layer reads (any earlier layers of a circuit) and may have different sizes.
//
// The proof reduces claims V~(r_k) = v_k (merged with random alpha_k, so the layer is proven
// once however many claims it has) by two sumchecks, each of degree 2, over n = the largest
// input's number of variables; smaller inputs are zero-padded, so their extensions at an
// n-point u are V_j~(u_low) * prod_{l >= n_j} (1 - u_l):
//   phase 1 over x:  sum_k alpha_k v_k = sum_x sum_j V_j(x) (Add_j(x) + H_j(x)),
//                    Add_j(x) = sum_{add gates on (j, x)} beta(g) c,
//                    H_j(x)   = sum_{mul gates with left (j, x)} beta(g) c V_k(y),
//                    beta(g)  = sum_k alpha_k eq(r_k, g);
//                    at its point u the prover sends V_j~(u) for every left input j;
//   phase 2 over y:  sum_j V_j~(u) H_j~(u) = sum_y sum_k V_k(y) G_k(y),
//                    G_k(y) = sum_{mul gates with right (k, y)} beta(g) c eq(u, x) V_j~(u);
//                    at its point v the prover sends V_k~(v) for every right input k.
// Every table is built from the gates in one pass, so the prover is linear in the number of
// gates plus the tables' sizes. The verifier evaluates the wiring (Add_j~(u) and
// sum_gates beta(g) c eq(u, x) eq(v, y) V_j~(u)) gate by gate, which is what makes this layer
// the reference for the structured layers, not a way to prove large ones.

#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/layer.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::gkr {

/// output[output] += coefficient * inputs[input][index]
template <Field F>
struct AddGate {
  std::size_t output;
  std::size_t input;
  std::size_t index;
  F coefficient;
};

/// output[output] += coefficient * inputs[left_input][left_index] * inputs[right_input][right_index]
template <Field F>
struct MulGate {
  std::size_t output;
  std::size_t left_input;
  std::size_t left_index;
  std::size_t right_input;
  std::size_t right_index;
  F coefficient;
};

template <EncodableField F>
class GateLayer {
 public:
  struct Proof {
    /// Absent (no rounds, no evaluations) when the layer has no gates.
    SumcheckStep<F> phase_one;
    /// Absent when the layer has no multiplication gates.
    SumcheckStep<F> phase_two;

    friend bool operator==(const Proof&, const Proof&) = default;
  };

  GateLayer(std::vector<std::size_t> input_num_vars, std::size_t output_num_vars, std::vector<AddGate<F>> add_gates,
            std::vector<MulGate<F>> mul_gates)
      : input_num_vars_(std::move(input_num_vars)),
        output_num_vars_(output_num_vars),
        add_gates_(std::move(add_gates)),
        mul_gates_(std::move(mul_gates)) {
    if (input_num_vars_.empty()) throw std::invalid_argument("GateLayer: a layer needs at least one input");
    for (std::size_t n : input_num_vars_) {
      if (n >= 48) throw std::invalid_argument("GateLayer: an input is too large");
      sumcheck_num_vars_ = std::max(sumcheck_num_vars_, n);
    }
    if (output_num_vars_ >= 48) throw std::invalid_argument("GateLayer: the output is too large");
    std::vector<bool> left(input_num_vars_.size(), false), right(input_num_vars_.size(), false);
    for (const auto& gate : add_gates_) {
      check_output(gate.output);
      check_input(gate.input, gate.index);
      left[gate.input] = true;
    }
    for (const auto& gate : mul_gates_) {
      check_output(gate.output);
      check_input(gate.left_input, gate.left_index);
      check_input(gate.right_input, gate.right_index);
      left[gate.left_input] = true;
      right[gate.right_input] = true;
    }
    for (std::size_t j = 0; j < input_num_vars_.size(); ++j) {
      if (left[j]) left_inputs_.push_back(j);
      if (right[j]) right_inputs_.push_back(j);
    }
  }

  std::size_t input_count() const { return input_num_vars_.size(); }
  std::size_t input_num_vars(std::size_t input) const { return input_num_vars_.at(input); }
  std::size_t output_num_vars() const { return output_num_vars_; }
  std::span<const AddGate<F>> add_gates() const { return add_gates_; }
  std::span<const MulGate<F>> mul_gates() const { return mul_gates_; }

  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    check_inputs(inputs);
    auto at = [&](std::size_t input, std::size_t index) {
      return index < inputs[input].size() ? inputs[input][index] : F::zero();
    };
    std::vector<F> output(std::size_t{1} << output_num_vars_, F::zero());
    for (const auto& gate : add_gates_) output[gate.output] += gate.coefficient * at(gate.input, gate.index);
    for (const auto& gate : mul_gates_) {
      output[gate.output] += gate.coefficient * at(gate.left_input, gate.left_index) * at(gate.right_input, gate.right_index);
    }
    return output;
  }

  template <class T>
  LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs, const Claim<F>& claim,
                                    T& transcript) const {
    return prove_claims(inputs, std::span<const Claim<F>>(&claim, 1), transcript);
  }

  /// Proves several claims on the output at once (merged by a random linear combination).
  template <class T>
  LayerProverOutput<Proof, F> prove_claims(std::span<const std::span<const F>> inputs,
                                           std::span<const Claim<F>> claims, T& transcript) const {
    check_inputs(inputs);
    check_claims(claims);
    const auto [beta, claimed_sum] = merged_weights(claims, transcript);
    LayerProverOutput<Proof, F> out;
    if (left_inputs_.empty()) return out;  // no gates: the output is zero, nothing to reduce

    // Phase 1: the factors V_j and Add_j + H_j of every left input j.
    std::vector<std::vector<F>> phase_one_tables;
    std::vector<sumcheck::Term<F>> terms;
    std::vector<std::size_t> slot(input_count());
    for (std::size_t j : left_inputs_) {
      slot[j] = phase_one_tables.size();
      phase_one_tables.emplace_back(inputs[j].begin(), inputs[j].end());
      phase_one_tables.emplace_back(std::size_t{1} << input_num_vars_[j], F::zero());
      terms.push_back({F::one(), {slot[j], slot[j] + 1}});
    }
    auto value = [&](std::size_t input, std::size_t index) {
      return index < inputs[input].size() ? inputs[input][index] : F::zero();
    };
    for (const auto& gate : add_gates_) phase_one_tables[slot[gate.input] + 1][gate.index] += beta[gate.output] * gate.coefficient;
    for (const auto& gate : mul_gates_) {
      phase_one_tables[slot[gate.left_input] + 1][gate.left_index] +=
          beta[gate.output] * gate.coefficient * value(gate.right_input, gate.right_index);
    }
    sumcheck::SumOfProducts<F> phase_one(sumcheck_num_vars_, std::move(phase_one_tables), std::move(terms));
    const std::vector<F> u = prove_phase(std::move(phase_one), claimed_sum, inputs, left_inputs_, out.proof.phase_one,
                                         out.input_claims, transcript);
    if (right_inputs_.empty()) return out;

    // Phase 2: the factors V_k and G_k of every right input k.
    const std::vector<F> left_values = padded_values(u, left_inputs_, out.proof.phase_one.evaluations);
    const std::vector<F> eq_u = eq_table(std::span<const F>(u));
    std::vector<std::vector<F>> phase_two_tables;
    terms.clear();
    for (std::size_t k : right_inputs_) {
      slot[k] = phase_two_tables.size();
      phase_two_tables.emplace_back(inputs[k].begin(), inputs[k].end());
      phase_two_tables.emplace_back(std::size_t{1} << input_num_vars_[k], F::zero());
      terms.push_back({F::one(), {slot[k], slot[k] + 1}});
    }
    F phase_two_sum = F::zero();
    for (const auto& gate : mul_gates_) {
      const F weight = beta[gate.output] * gate.coefficient * eq_u[gate.left_index] * left_values[gate.left_input];
      phase_two_tables[slot[gate.right_input] + 1][gate.right_index] += weight;
      phase_two_sum += weight * value(gate.right_input, gate.right_index);
    }
    sumcheck::SumOfProducts<F> phase_two(sumcheck_num_vars_, std::move(phase_two_tables), std::move(terms));
    prove_phase(std::move(phase_two), phase_two_sum, inputs, right_inputs_, out.proof.phase_two, out.input_claims,
                transcript);
    return out;
  }

  template <class T>
  Result<std::vector<InputClaim<F>>> verify(const Claim<F>& claim, const Proof& proof, T& transcript) const {
    return verify_claims(std::span<const Claim<F>>(&claim, 1), proof, transcript);
  }

  template <class T>
  Result<std::vector<InputClaim<F>>> verify_claims(std::span<const Claim<F>> claims, const Proof& proof,
                                                   T& transcript) const {
    check_claims(claims);
    const auto [beta, claimed_sum] = merged_weights(claims, transcript);
    std::vector<InputClaim<F>> input_claims;
    if (left_inputs_.empty()) {
      if (!proof.phase_one.sumcheck.round_messages.empty() || !proof.phase_one.evaluations.empty() ||
          !proof.phase_two.sumcheck.round_messages.empty() || !proof.phase_two.evaluations.empty()) {
        return make_error(Errc::malformed_proof, "gate layer: a proof for a layer without gates must be empty");
      }
      if (claimed_sum != F::zero()) {
        return make_error(Errc::verification_failed, "gate layer: a layer without gates outputs zero");
      }
      return input_claims;
    }

    auto one = verify_step(claimed_sum, sumcheck_num_vars_, 2, left_inputs_.size(), proof.phase_one, transcript);
    if (!one) return one.error();
    const std::vector<F>& u = one->point;
    const std::vector<F> left_values = padded_values(u, left_inputs_, proof.phase_one.evaluations);
    const std::vector<F> eq_u = eq_table(std::span<const F>(u));
    // e1 = sum_j V_j(u) (Add_j(u) + H_j(u)); the add part is wiring the verifier evaluates.
    F add_part = F::zero();
    for (const auto& gate : add_gates_) {
      add_part += beta[gate.output] * gate.coefficient * eq_u[gate.index] * left_values[gate.input];
    }
    append_claims(input_claims, u, left_inputs_, proof.phase_one.evaluations);
    if (right_inputs_.empty()) {
      if (!proof.phase_two.sumcheck.round_messages.empty() || !proof.phase_two.evaluations.empty()) {
        return make_error(Errc::malformed_proof, "gate layer: unexpected second phase without multiplication gates");
      }
      if (auto ok = check_step(*one, add_part, "gate layer phase 1"); !ok) return ok.error();
      return input_claims;
    }

    auto two = verify_step(one->expected_value - add_part, sumcheck_num_vars_, 2, right_inputs_.size(),
                           proof.phase_two, transcript);
    if (!two) return two.error();
    const std::vector<F>& v = two->point;
    const std::vector<F> right_values = padded_values(v, right_inputs_, proof.phase_two.evaluations);
    const std::vector<F> eq_v = eq_table(std::span<const F>(v));
    F mul_part = F::zero();
    for (const auto& gate : mul_gates_) {
      mul_part += beta[gate.output] * gate.coefficient * eq_u[gate.left_index] * left_values[gate.left_input] *
                  eq_v[gate.right_index] * right_values[gate.right_input];
    }
    if (auto ok = check_step(*two, mul_part, "gate layer phase 2"); !ok) return ok.error();
    append_claims(input_claims, v, right_inputs_, proof.phase_two.evaluations);
    return input_claims;
  }

  void write_proof(const Proof& proof, io::ByteWriter& out) const {
    write_step(out, proof.phase_one);
    write_step(out, proof.phase_two);
  }

  Result<Proof> read_proof(io::ByteReader& in) const {
    Proof proof;
    if (left_inputs_.empty()) return proof;
    auto one = read_step<F>(in, sumcheck_num_vars_, 2, left_inputs_.size());
    if (!one) return one.error();
    proof.phase_one = std::move(*one);
    if (right_inputs_.empty()) return proof;
    auto two = read_step<F>(in, sumcheck_num_vars_, 2, right_inputs_.size());
    if (!two) return two.error();
    proof.phase_two = std::move(*two);
    return proof;
  }

 private:
  void check_output(std::size_t output) const {
    if (output >= (std::size_t{1} << output_num_vars_)) throw std::invalid_argument("GateLayer: gate output out of range");
  }
  void check_input(std::size_t input, std::size_t index) const {
    if (input >= input_num_vars_.size()) throw std::invalid_argument("GateLayer: gate reads a missing input");
    if (index >= (std::size_t{1} << input_num_vars_[input])) throw std::invalid_argument("GateLayer: gate input index out of range");
  }
  void check_inputs(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != input_count()) throw std::invalid_argument("GateLayer: wrong number of inputs");
    for (std::size_t j = 0; j < inputs.size(); ++j) {
      if (inputs[j].size() > (std::size_t{1} << input_num_vars_[j])) throw std::invalid_argument("GateLayer: input too long");
    }
  }
  void check_claims(std::span<const Claim<F>> claims) const {
    if (claims.empty()) throw std::invalid_argument("GateLayer: no claim to prove");
    for (const auto& claim : claims) {
      require_dimension(claim, output_num_vars_, "GateLayer");
    }
  }

  // beta(g) = sum_k alpha_k eq(r_k, g) and the merged claim sum_k alpha_k v_k; one claim is
  // taken as it is.
  template <class T>
  std::pair<std::vector<F>, F> merged_weights(std::span<const Claim<F>> claims, T& transcript) const {
    transcript.absorb_u64("gkr/gate_layer/claim_count", claims.size());
    for (const auto& claim : claims) absorb_claim(transcript, claim);
    if (claims.size() == 1) return {eq_table(std::span<const F>(claims.front().point)), claims.front().value};
    const std::vector<F> alpha = transcript.template challenges<F>("gkr/gate_layer/alpha", claims.size());
    std::vector<F> beta(std::size_t{1} << output_num_vars_, F::zero());
    F sum = F::zero();
    for (std::size_t k = 0; k < claims.size(); ++k) {
      const std::vector<F> eq = eq_table(std::span<const F>(claims[k].point));
      for (std::size_t g = 0; g < beta.size(); ++g) beta[g] += alpha[k] * eq[g];
      sum += alpha[k] * claims[k].value;
    }
    return {std::move(beta), sum};
  }

  // Runs one phase's sumcheck, sends the listed inputs' own extensions at its point (the
  // verifier pads them itself) and returns the point.
  template <class T>
  std::vector<F> prove_phase(sumcheck::SumOfProducts<F> g, const F& claimed_sum,
                             std::span<const std::span<const F>> inputs, std::span<const std::size_t> listed,
                             SumcheckStep<F>& step, std::vector<InputClaim<F>>& claims, T& transcript) const {
    auto proven = sumcheck::prove(std::move(g), claimed_sum, transcript);
    step.sumcheck = std::move(proven.proof);
    for (std::size_t j : listed) {
      step.evaluations.push_back(
          evaluate_multilinear(inputs[j], std::span<const F>(proven.point).first(input_num_vars_[j])));
    }
    absorb_evaluations(transcript, std::span<const F>(step.evaluations));
    append_claims(claims, proven.point, listed, step.evaluations);
    return std::move(proven.point);
  }

  // The zero-padded extension of each listed input at the n-point `point`, indexed by input,
  // from the values of the inputs' own extensions at the point's low coordinates.
  std::vector<F> padded_values(std::span<const F> point, std::span<const std::size_t> listed,
                               std::span<const F> own_values) const {
    std::vector<F> out(input_count(), F::zero());
    for (std::size_t i = 0; i < listed.size(); ++i) {
      F value = own_values[i];
      for (std::size_t l = input_num_vars_[listed[i]]; l < point.size(); ++l) value *= F::one() - point[l];
      out[listed[i]] = value;
    }
    return out;
  }

  void append_claims(std::vector<InputClaim<F>>& claims, std::span<const F> point, std::span<const std::size_t> listed,
                     std::span<const F> own_values) const {
    for (std::size_t i = 0; i < listed.size(); ++i) {
      const std::size_t j = listed[i];
      claims.push_back({j, {std::vector<F>(point.begin(), point.begin() + input_num_vars_[j]), own_values[i]}});
    }
  }

  std::vector<std::size_t> input_num_vars_;
  std::size_t output_num_vars_;
  std::vector<AddGate<F>> add_gates_;
  std::vector<MulGate<F>> mul_gates_;
  std::size_t sumcheck_num_vars_ = 0;
  std::vector<std::size_t> left_inputs_;
  std::vector<std::size_t> right_inputs_;
};

}  // namespace zkcnn::gkr
