#pragma once
// Checks every model of the gkr::Layer concept goes through: completeness (the verifier derives
// the prover's input claims, and they are true of the inputs), the proof's byte encoding
// (round trip, truncation, trailing bytes), and soundness against a false output claim and
// against every field element of the proof tampered with. At the level of one layer a
// rejection is either a verification error or an input claim that is false (the layer that
// produced that input, or a commitment opening, rejects it next); both count.

#include <zkcnn/error.hpp>
#include <zkcnn/gkr/claim.hpp>
#include <zkcnn/gkr/layer.hpp>
#include <zkcnn/io/byte_stream.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/transcript/transcript.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace zkcnn_layer_test {

template <class F>
std::vector<F> random_table(std::mt19937_64& rng, std::size_t size) {
  std::vector<F> out;
  out.reserve(size);
  for (std::size_t i = 0; i < size; ++i) out.push_back(F::random(rng));
  return out;
}

/// Small signed integers, as quantized weights and activations are.
template <class F>
std::vector<F> random_small_table(std::mt19937_64& rng, std::size_t size, std::int64_t bound = 8) {
  std::uniform_int_distribution<std::int64_t> dist(-bound, bound);
  std::vector<F> out;
  out.reserve(size);
  for (std::size_t i = 0; i < size; ++i) out.push_back(F::from_i64(dist(rng)));
  return out;
}

template <class F>
std::vector<F> random_point(std::mt19937_64& rng, std::size_t num_vars) {
  return random_table<F>(rng, num_vars);
}

template <class F>
std::vector<std::span<const F>> views(const std::vector<std::vector<F>>& tables) {
  return {tables.begin(), tables.end()};
}

/// The true claim on `table` (num_vars variables) at a random point.
template <class F>
zkcnn::gkr::Claim<F> claim_at_random_point(std::mt19937_64& rng, std::span<const F> table, std::size_t num_vars) {
  auto point = random_point<F>(rng, num_vars);
  const F value = zkcnn::evaluate_multilinear(table, std::span<const F>(point));
  return {std::move(point), value};
}

/// Whether every claim holds of the inputs it names.
template <class F>
bool input_claims_hold(std::span<const zkcnn::gkr::InputClaim<F>> claims, const std::vector<std::vector<F>>& inputs) {
  for (const auto& c : claims) {
    if (c.input >= inputs.size()) return false;
    if (zkcnn::evaluate_multilinear(std::span<const F>(inputs[c.input]), std::span<const F>(c.claim.point)) !=
        c.claim.value) {
      return false;
    }
  }
  return true;
}

inline zkcnn::Sha256Transcript transcript() { return zkcnn::Sha256Transcript("zkcnn layer test"); }

template <class F, class L>
std::vector<std::uint8_t> encode_proof(const L& layer, const typename L::Proof& proof) {
  zkcnn::io::ByteWriter writer;
  layer.write_proof(proof, writer);
  return std::move(writer).take();
}

/// Decodes a whole proof: read_proof, then nothing may be left over.
template <class F, class L>
zkcnn::Result<typename L::Proof> decode_proof(const L& layer, std::span<const std::uint8_t> bytes) {
  zkcnn::io::ByteReader reader(bytes);
  auto proof = layer.read_proof(reader);
  if (!proof) return proof.error();
  if (auto end = reader.expect_end("layer proof"); !end) return end.error();
  return proof;
}

/// Verifies with a fresh transcript; true when the proof is accepted and its input claims hold.
template <class F, class L>
bool accepted(const L& layer, const zkcnn::gkr::Claim<F>& claim, const typename L::Proof& proof,
              const std::vector<std::vector<F>>& inputs) {
  auto t = transcript();
  auto result = layer.verify(claim, proof, t);
  return result && input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(*result), inputs);
}

/// Proves a true claim honestly (fresh transcripts) and checks that the proof is accepted.
template <class F, class L>
bool proves_and_verifies(const L& layer, const std::vector<std::vector<F>>& inputs, const zkcnn::gkr::Claim<F>& claim) {
  auto prover_transcript = transcript();
  const auto proven = layer.prove(std::span<const std::span<const F>>(views(inputs)), claim, prover_transcript);
  return accepted<F>(layer, claim, proven.proof, inputs);
}

/// A structured layer against the gate-list version of the same computation (PROTOCOL.md
/// section 4): equal forward outputs, and both layers' proofs verify for the same output claim,
/// leaving input claims that hold.
template <class F, class L, class Gates>
void check_agrees_with_gate_list(const L& layer, const Gates& gates, const std::vector<std::vector<F>>& inputs,
                                 std::mt19937_64& rng) {
  const auto output = layer.forward(std::span<const std::span<const F>>(views(inputs)));
  REQUIRE(gates.forward(std::span<const std::span<const F>>(views(inputs))) == output);
  const auto claim = claim_at_random_point<F>(rng, std::span<const F>(output), layer.output_num_vars());
  CHECK(proves_and_verifies<F>(layer, inputs, claim));
  CHECK(proves_and_verifies<F>(gates, inputs, claim));
}

/// Runs every check above on one layer, its inputs and a true claim on its output. Returns the
/// prover's output for further checks.
template <class F, class L>
auto check_layer(const L& layer, const std::vector<std::vector<F>>& inputs, const zkcnn::gkr::Claim<F>& claim) {
  static_assert(zkcnn::gkr::Layer<L, F, zkcnn::Sha256Transcript>);
  auto prover_transcript = transcript();
  auto proven = layer.prove(std::span<const std::span<const F>>(views(inputs)), claim, prover_transcript);

  // Completeness: the verifier ends in the prover's transcript state with the prover's claims.
  auto verifier_transcript = transcript();
  auto verified = layer.verify(claim, proven.proof, verifier_transcript);
  REQUIRE(verified);
  REQUIRE(*verified == proven.input_claims);
  CHECK(verifier_transcript.state_digest() == prover_transcript.state_digest());
  CHECK(input_claims_hold<F>(std::span<const zkcnn::gkr::InputClaim<F>>(proven.input_claims), inputs));

  // Encoding: round trip, every truncation and a trailing byte are rejected.
  const auto bytes = encode_proof<F>(layer, proven.proof);
  auto decoded = decode_proof<F>(layer, bytes);
  REQUIRE(decoded);
  CHECK(encode_proof<F>(layer, *decoded) == bytes);
  for (std::size_t cut = 0; cut < bytes.size(); cut += 1 + bytes.size() / 64) {
    CHECK_FALSE(decode_proof<F>(layer, std::span<const std::uint8_t>(bytes.data(), cut)));
  }
  auto longer = bytes;
  longer.push_back(0);
  CHECK_FALSE(decode_proof<F>(layer, longer));

  // Soundness: a false output claim, and every field element of the proof changed.
  auto false_claim = claim;
  false_claim.value += F::one();
  CHECK_FALSE(accepted<F>(layer, false_claim, proven.proof, inputs));
  REQUIRE(bytes.size() % F::byte_size == 0);
  for (std::size_t offset = 0; offset < bytes.size(); offset += F::byte_size) {
    auto tampered = bytes;
    auto value = F::from_bytes(std::span<const std::uint8_t>(tampered.data() + offset, F::byte_size));
    REQUIRE(value);
    const auto changed = (*value + F::one()).to_bytes();
    std::copy(changed.begin(), changed.end(), tampered.begin() + static_cast<std::ptrdiff_t>(offset));
    auto proof = decode_proof<F>(layer, tampered);
    REQUIRE(proof);
    INFO("tampered field element at byte " << offset);
    CHECK_FALSE(accepted<F>(layer, claim, *proof, inputs));
  }
  return proven;
}

}  // namespace zkcnn_layer_test
