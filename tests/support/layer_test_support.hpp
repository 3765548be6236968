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
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>
#include <zkcnn/pcs/hyrax_masks.hpp>
#include <zkcnn/zk/masking_transcript.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace zkcnn_layer_test {

template <class F>
std::vector<F> random_table(zkcnn::testing::DeterministicRng& rng, std::size_t size) {
  std::vector<F> out;
  out.reserve(size);
  for (std::size_t i = 0; i < size; ++i) out.push_back(F::random(rng));
  return out;
}

/// Small signed integers, as quantized weights and activations are.
template <class F>
std::vector<F> random_small_table(zkcnn::testing::DeterministicRng& rng, std::size_t size, std::int64_t bound = 8) {
  std::uniform_int_distribution<std::int64_t> dist(-bound, bound);
  std::vector<F> out;
  out.reserve(size);
  for (std::size_t i = 0; i < size; ++i) out.push_back(F::from_i64(dist(rng)));
  return out;
}

template <class F>
std::vector<F> random_point(zkcnn::testing::DeterministicRng& rng, std::size_t num_vars) {
  return random_table<F>(rng, num_vars);
}

template <class F>
std::vector<std::span<const F>> views(const std::vector<std::vector<F>>& tables) {
  return {tables.begin(), tables.end()};
}

/// The true claim on `table` (num_vars variables) at a random point.
template <class F>
zkcnn::gkr::Claim<F> claim_at_random_point(zkcnn::testing::DeterministicRng& rng, std::span<const F> table, std::size_t num_vars) {
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
zkcnn::Result<typename L::Proof> decode_proof(const L& layer, std::span<const std::uint8_t> bytes,
                                              bool zero_knowledge = false) {
  zkcnn::io::ByteReader reader(bytes);
  reader.set_zero_knowledge(zero_knowledge);
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

/// A structured layer against the gate-list version of the same computation (docs/protocol.md
/// section 4): equal forward outputs, and both layers' proofs verify for the same output claim,
/// leaving input claims that hold.
template <class F, class L, class Gates>
void check_agrees_with_gate_list(const L& layer, const Gates& gates, const std::vector<std::vector<F>>& inputs,
                                 zkcnn::testing::DeterministicRng& rng) {
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

// --- zero knowledge (docs/protocol.md section 8) ----------------------------------------------

/// The mask commitment's side of a zero-knowledge layer test: a Pedersen key on BN254-like
/// groups is not needed by the layers themselves, only by the test's commitment.
template <class G>
struct MaskedRun {
  using F = zkcnn::scalar_of<G>;
  using Prover = zkcnn::hyrax::MaskProver<G, zkcnn::testing::DeterministicRng>;
  using Verifier = zkcnn::hyrax::MaskVerifier<G>;
  static constexpr std::size_t width = 32;

  static const zkcnn::PedersenKey<G>& key() {
    static const zkcnn::PedersenKey<G> k("zkcnn layer test masks", width);
    return k;
  }

  /// Whether every claim holds of the committed mask values.
  static bool mask_claims_hold(std::span<const zkcnn::gkr::LinearClaim<F>> claims, const Prover& masks) {
    for (const auto& claim : claims) {
      F value = F::zero();
      for (const auto& [entry, coefficient] : claim.terms) {
        if (entry >= masks.values().size()) return false;
        value += coefficient * masks.value(entry);
      }
      if (value != claim.value) return false;
    }
    return true;
  }

  /// A claimed value's true value: the masked value minus its mask terms.
  static F unmasked(const zkcnn::gkr::Claim<F>& claim, const Prover& masks) {
    F value = claim.value;
    for (const auto& term : claim.masks) {
      value -= term.coefficient * zkcnn::gkr::line_sum(masks, term.mask);
    }
    return value;
  }

  static bool input_claims_hold(std::span<const zkcnn::gkr::InputClaim<F>> claims, const std::vector<std::vector<F>>& inputs,
                                const Prover& masks) {
    for (const auto& c : claims) {
      if (c.input >= inputs.size()) return false;
      if (zkcnn::evaluate_multilinear(std::span<const F>(inputs[c.input]), std::span<const F>(c.claim.point)) !=
          unmasked(c.claim, masks)) {
        return false;
      }
    }
    return true;
  }
};

/// The layer in zero knowledge: the output claim is masked (as a later layer leaves it), the
/// prover and verifier agree, every input claim holds once unmasked and every claim on the
/// masks holds; no field element of the proof is a true evaluation of an input at a point
/// the proof reaches; the encoding round trips; and every field element tampered with makes
/// the verifier reject, or leaves a false input claim or a false claim on the masks.
template <class G, class L>
void check_layer_zero_knowledge(const L& layer, const std::vector<std::vector<zkcnn::scalar_of<G>>>& inputs,
                                const zkcnn::gkr::Claim<zkcnn::scalar_of<G>>& true_claim, zkcnn::testing::DeterministicRng& rng) {
  using Run = MaskedRun<G>;
  using F = zkcnn::scalar_of<G>;
  typename Run::Prover masks(Run::key(), Run::width, rng);
  zkcnn::zk::MaskingTranscript<typename Run::Prover> prover_transcript("zkcnn layer test", &masks);
  // A masked output claim: true value + kappa S for a committed line.
  const std::size_t line = masks.draw(2, prover_transcript);
  const F kappa = F::random(rng);
  auto claim = true_claim;
  claim.value += kappa * zkcnn::gkr::line_sum(masks, line);
  claim.masks.push_back({kappa, line});
  auto proven = layer.prove(std::span<const std::span<const F>>(views(inputs)), claim, prover_transcript);
  const std::vector<G> rows(masks.rows().begin(), masks.rows().end());

  auto verify = [&](const typename L::Proof& proof, const zkcnn::gkr::Claim<F>& output_claim) {
    typename Run::Verifier verifier(Run::width, rows);
    zkcnn::zk::MaskingTranscript<typename Run::Verifier> t("zkcnn layer test", &verifier);
    auto drawn = verifier.draw(2, t);
    REQUIRE(drawn);
    auto result = layer.verify(output_claim, proof, t);
    if (!result) return false;
    return verifier.exhausted() && Run::mask_claims_hold(verifier.claims(), masks) &&
           Run::input_claims_hold(std::span<const zkcnn::gkr::InputClaim<F>>(*result), inputs, masks);
  };

  {
    typename Run::Verifier verifier(Run::width, rows);
    zkcnn::zk::MaskingTranscript<typename Run::Verifier> t("zkcnn layer test", &verifier);
    REQUIRE(verifier.draw(2, t));
    auto verified = layer.verify(claim, proven.proof, t);
    REQUIRE(verified);
    CHECK(*verified == proven.input_claims);
    CHECK(t.state_digest() == prover_transcript.state_digest());
    CHECK(verifier.exhausted());
    CHECK(Run::mask_claims_hold(masks.claims(), masks));
    CHECK(Run::input_claims_hold(std::span<const zkcnn::gkr::InputClaim<F>>(proven.input_claims), inputs, masks));
  }

  // No true evaluation of an input at an input claim's point appears in the proof.
  const auto bytes = encode_proof<F>(layer, proven.proof);
  REQUIRE(bytes.size() % F::byte_size == 0);
  std::vector<F> elements;
  for (std::size_t offset = 0; offset < bytes.size(); offset += F::byte_size) {
    auto value = F::from_bytes(std::span<const std::uint8_t>(bytes.data() + offset, F::byte_size));
    REQUIRE(value);
    elements.push_back(*value);
  }
  for (const auto& c : proven.input_claims) {
    const F truth = zkcnn::evaluate_multilinear(std::span<const F>(inputs[c.input]), std::span<const F>(c.claim.point));
    for (const F& e : elements) CHECK(e != truth);
  }

  auto decoded = decode_proof<F>(layer, bytes, true);
  REQUIRE(decoded);
  CHECK(encode_proof<F>(layer, *decoded) == bytes);
  for (std::size_t cut = 0; cut < bytes.size(); cut += 1 + bytes.size() / 16) {
    CHECK_FALSE(decode_proof<F>(layer, std::span<const std::uint8_t>(bytes.data(), cut), true));
  }

  auto false_claim = claim;
  false_claim.value += F::one();
  CHECK_FALSE(verify(proven.proof, false_claim));
  for (std::size_t offset = 0; offset < bytes.size(); offset += F::byte_size) {
    auto tampered = bytes;
    const auto changed = (elements[offset / F::byte_size] + F::one()).to_bytes();
    std::copy(changed.begin(), changed.end(), tampered.begin() + static_cast<std::ptrdiff_t>(offset));
    auto proof = decode_proof<F>(layer, tampered, true);
    REQUIRE(proof);
    INFO("tampered field element at byte " << offset);
    CHECK_FALSE(verify(*proof, claim));
  }
}

}  // namespace zkcnn_layer_test
