#pragma once
// Layered arithmetic circuits of generalized gates and their GKR proof (docs/protocol.md section 4).
//
// Layer 0 is the circuit's input; every later layer is a GateLayer whose inputs are any
// earlier layers (Virgo++-style wiring, not only the previous layer). The last layer is the
// output. The proof starts from a random point on the public output's extension and walks the
// layers from the output down: each layer is proven once, on all the claims the later layers
// left on it (merged by a random linear combination), and passes claims to the layers it reads.
// What remains are claims on the input's extension, which the verifier checks against the
// public input. The statement (the circuit's description, the input and the output) is bound
// into the transcript before the first challenge.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/gate_layer.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/transcript/sha256.hpp"

namespace zkcnn::gkr {

template <EncodableField F>
class Circuit {
 public:
  using LayerProof = typename GateLayer<F>::Proof;

  /// Proofs of the layers that carry claims, from the output layer down.
  struct Proof {
    std::vector<LayerProof> layers;

    friend bool operator==(const Proof&, const Proof&) = default;
  };

  struct ProverOutput {
    Proof proof;
    /// The claims left on the input layer's extension.
    std::vector<Claim<F>> input_claims;
  };

  explicit Circuit(std::size_t input_num_vars) : num_vars_{input_num_vars} {
    if (input_num_vars >= 48) throw std::invalid_argument("Circuit: the input is too large");
  }

  /// Appends a layer that reads the earlier layers `sources` (its gates' input i is layer
  /// sources[i]; 0 is the circuit's input) and returns its index.
  std::size_t add_layer(std::vector<std::size_t> sources, std::size_t output_num_vars, std::vector<AddGate<F>> add_gates,
                        std::vector<MulGate<F>> mul_gates) {
    std::vector<std::size_t> source_vars;
    for (std::size_t source : sources) {
      if (source >= num_vars_.size()) throw std::invalid_argument("Circuit: a layer may only read earlier layers");
      source_vars.push_back(num_vars_[source]);
    }
    layers_.emplace_back(std::move(source_vars), output_num_vars, std::move(add_gates), std::move(mul_gates));
    description_digest_.reset();
    sources_.push_back(std::move(sources));
    num_vars_.push_back(output_num_vars);
    return num_vars_.size() - 1;
  }

  /// Layers including the input layer.
  std::size_t layer_count() const { return num_vars_.size(); }
  std::size_t num_vars(std::size_t layer) const { return num_vars_.at(layer); }
  const GateLayer<F>& layer(std::size_t index) const { return layers_.at(index - 1); }
  /// The layers that layer `index` reads, in its gates' input order.
  std::span<const std::size_t> sources(std::size_t index) const { return sources_.at(index - 1); }

  /// Every layer's values, the input first and the output last.
  std::vector<std::vector<F>> evaluate(std::span<const F> input) const {
    if (input.size() > (std::size_t{1} << num_vars_[0])) throw std::invalid_argument("Circuit: input too long");
    std::vector<std::vector<F>> values;
    values.emplace_back(input.begin(), input.end());
    values.front().resize(std::size_t{1} << num_vars_[0], F::zero());
    for (std::size_t i = 1; i < layer_count(); ++i) values.push_back(layer(i).forward(gather(values, i)));
    return values;
  }

  /// Proves that the last layer of `values` (as evaluate returns them) is the circuit's output
  /// on its first layer.
  template <class T>
  ProverOutput prove(std::span<const std::vector<F>> values, T& transcript) const {
    if (values.size() != layer_count()) throw std::invalid_argument("Circuit::prove: one table per layer expected");
    require_layers();
    absorb_statement(transcript, std::span<const F>(values.front()), std::span<const F>(values.back()));
    std::vector<std::vector<Claim<F>>> claims(layer_count());
    claims.back().push_back(output_claim(std::span<const F>(values.back()), transcript));
    ProverOutput out;
    for (std::size_t i = layer_count() - 1; i > 0; --i) {
      if (claims[i].empty()) continue;
      auto proven = layer(i).prove_claims(gather(values, i), std::span<const Claim<F>>(claims[i]), transcript);
      distribute(i, proven.input_claims, claims);
      out.proof.layers.push_back(std::move(proven.proof));
    }
    out.input_claims = std::move(claims.front());
    return out;
  }

  /// Checks the proof that the circuit maps the public `input` to `output`; returns why it is
  /// rejected, if it is.
  template <class T>
  Status verify(std::span<const F> input, std::span<const F> output, const Proof& proof, T& transcript) const {
    require_layers();
    if (input.size() > (std::size_t{1} << num_vars_.front())) {
      return make_error(Errc::invalid_argument, "circuit: the input is longer than the input layer");
    }
    if (output.size() != (std::size_t{1} << num_vars_.back())) {
      return make_error(Errc::invalid_argument, "circuit: the output has " + std::to_string(output.size()) +
                                                    " entries, expected " +
                                                    std::to_string(std::size_t{1} << num_vars_.back()));
    }
    const std::vector<std::size_t> proven = proven_layers();
    if (proof.layers.size() != proven.size()) {
      return make_error(Errc::malformed_proof, "circuit: expected " + std::to_string(proven.size()) +
                                                   " layer proofs, got " + std::to_string(proof.layers.size()));
    }
    std::vector<F> padded_input(input.begin(), input.end());
    padded_input.resize(std::size_t{1} << num_vars_.front(), F::zero());
    absorb_statement(transcript, std::span<const F>(padded_input), output);
    std::vector<std::vector<Claim<F>>> claims(layer_count());
    claims.back().push_back(output_claim(output, transcript));
    for (std::size_t p = 0; p < proven.size(); ++p) {
      const std::size_t i = proven[p];
      auto input_claims = layer(i).verify_claims(std::span<const Claim<F>>(claims[i]), proof.layers[p], transcript);
      if (!input_claims) {
        return make_error(input_claims.error().code, "layer " + std::to_string(i) + ": " + input_claims.error().message);
      }
      distribute(i, *input_claims, claims);
    }
    for (const auto& claim : claims.front()) {
      if (evaluate_multilinear(std::span<const F>(padded_input), std::span<const F>(claim.point)) != claim.value) {
        return make_error(Errc::verification_failed, "circuit: a claim on the input does not hold");
      }
    }
    return {};
  }

  inline static constexpr std::uint8_t proof_format_version = 1;

  std::vector<std::uint8_t> serialize(const Proof& proof) const {
    io::ByteWriter out;
    out.write_u8(proof_format_version);
    const std::vector<std::size_t> proven = proven_layers();
    if (proof.layers.size() != proven.size()) throw std::invalid_argument("Circuit::serialize: wrong number of layer proofs");
    for (std::size_t p = 0; p < proven.size(); ++p) layer(proven[p]).write_proof(proof.layers[p], out);
    return std::move(out).take();
  }

  Result<Proof> deserialize(std::span<const std::uint8_t> bytes) const {
    io::ByteReader in(bytes);
    auto version = in.read_u8("circuit proof version");
    if (!version) return version.error();
    if (*version != proof_format_version) {
      return make_error(Errc::invalid_encoding, "circuit proof: unsupported format version " + std::to_string(*version));
    }
    Proof proof;
    for (std::size_t i : proven_layers()) {
      auto layer_proof = layer(i).read_proof(in);
      if (!layer_proof) return layer_proof.error();
      proof.layers.push_back(std::move(*layer_proof));
    }
    if (auto end = in.expect_end("circuit proof"); !end) return end.error();
    return proof;
  }

 private:
  void require_layers() const {
    if (layers_.empty()) throw std::logic_error("Circuit: no layers to prove");
  }

  std::vector<std::span<const F>> gather(std::span<const std::vector<F>> values, std::size_t i) const {
    std::vector<std::span<const F>> inputs;
    for (std::size_t source : sources_[i - 1]) inputs.emplace_back(values[source]);
    return inputs;
  }

  // The circuit's description, then the public input and output, before any challenge; prover
  // and verifier both call this.
  template <class T>
  void absorb_statement(T& transcript, std::span<const F> input, std::span<const F> output) const {
    if (!description_digest_) description_digest_ = description_digest();
    transcript.absorb_bytes("gkr/circuit/description", *description_digest_);
    transcript.absorb_fields("gkr/circuit/input", input);
    transcript.absorb_fields("gkr/circuit/output", output);
  }

  // SHA-256 of the circuit's canonical description (every layer's sources, sizes and gates),
  // computed once per circuit: hashing the gates costs about as much as proving a small layer.
  Sha256::Digest description_digest() const {
    io::ByteWriter description;
    description.write_u32(static_cast<std::uint32_t>(layer_count()));
    for (std::size_t i = 0; i < layer_count(); ++i) {
      description.write_u32(static_cast<std::uint32_t>(num_vars_[i]));
      if (i == 0) continue;
      description.write_u32(static_cast<std::uint32_t>(sources_[i - 1].size()));
      for (std::size_t source : sources_[i - 1]) description.write_u32(static_cast<std::uint32_t>(source));
      const auto& l = layer(i);
      description.write_u32(static_cast<std::uint32_t>(l.add_gates().size()));
      for (const auto& g : l.add_gates()) {
        for (std::size_t v : {g.output, g.input, g.index}) description.write_u32(static_cast<std::uint32_t>(v));
        description.write_field(g.coefficient);
      }
      description.write_u32(static_cast<std::uint32_t>(l.mul_gates().size()));
      for (const auto& g : l.mul_gates()) {
        for (std::size_t v : {g.output, g.left_input, g.left_index, g.right_input, g.right_index}) {
          description.write_u32(static_cast<std::uint32_t>(v));
        }
        description.write_field(g.coefficient);
      }
    }
    const auto bytes = std::move(description).take();
    Sha256 hash;
    hash.update(bytes);
    return hash.finalize();
  }

  // The output is public and bound; the point is drawn from the transcript.
  template <class T>
  Claim<F> output_claim(std::span<const F> output, T& transcript) const {
    std::vector<F> point = transcript.template challenges<F>("gkr/circuit/output_point", num_vars_.back());
    const F value = evaluate_multilinear(output, std::span<const F>(point));
    return {std::move(point), value};
  }

  void distribute(std::size_t i, std::span<const InputClaim<F>> input_claims,
                  std::vector<std::vector<Claim<F>>>& claims) const {
    for (const auto& c : input_claims) claims[sources_[i - 1][c.input]].push_back(c.claim);
  }

  // The layers that receive claims (those the output depends on), from the output down.
  std::vector<std::size_t> proven_layers() const {
    std::vector<bool> reached(layer_count(), false);
    reached.back() = true;
    std::vector<std::size_t> out;
    for (std::size_t i = layer_count() - 1; i > 0; --i) {
      if (!reached[i]) continue;
      out.push_back(i);
      const auto& l = layer(i);
      for (const auto& g : l.add_gates()) reached[sources_[i - 1][g.input]] = true;
      for (const auto& g : l.mul_gates()) {
        reached[sources_[i - 1][g.left_input]] = true;
        reached[sources_[i - 1][g.right_input]] = true;
      }
    }
    return out;
  }

  std::vector<std::size_t> num_vars_;
  std::vector<GateLayer<F>> layers_;
  std::vector<std::vector<std::size_t>> sources_;
  mutable std::optional<Sha256::Digest> description_digest_;  // a cache, reset by add_layer
};

}  // namespace zkcnn::gkr
