#pragma once
// Sumcheck proofs, the subclaims their verification leaves, and their byte encoding.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/hash.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/io/byte_stream.hpp"

namespace zkcnn::sumcheck {

/// One message per round: the round polynomial's values at 0, 2, 3, ..., d. The value at 1 is
/// not sent: the verifier derives it as (running claim - value at 0), which is exactly the
/// check g_i(0) + g_i(1) = claim.
template <EncodableField F>
struct Proof {
  std::vector<std::vector<F>> round_messages;

  friend bool operator==(const Proof&, const Proof&) = default;
};

/// What a sumcheck verification leaves to prove: g(point) == expected_value. Soundness holds
/// only if the caller checks it, by evaluating g's factors at `point` (itself, through a
/// commitment opening, or by a further protocol).
template <Field F>
struct Subclaim {
  std::vector<F> point;
  F expected_value;
};

/// Fails unless `actual_value` (g evaluated at the subclaim's point) matches the subclaim.
template <Field F>
Status check_subclaim(const Subclaim<F>& subclaim, const F& actual_value) {
  if (actual_value != subclaim.expected_value) {
    return make_error(Errc::verification_failed, "sumcheck: the final evaluation does not match the subclaim");
  }
  return {};
}

inline constexpr std::uint8_t proof_format_version = 1;
/// Bounds on decoded shapes, so hostile bytes cannot request huge allocations.
inline constexpr std::uint32_t max_rounds = 64;
inline constexpr std::uint32_t max_degree = 64;

/// version (u8) || rounds (u32) || values per round (u32) || values, each canonical.
/// Precondition: every round has the same number of values, within the bounds above (as every
/// proof the prover makes does); otherwise std::invalid_argument.
template <EncodableField F>
std::vector<std::uint8_t> serialize(const Proof<F>& proof) {
  const std::size_t per_round = proof.round_messages.empty() ? 0 : proof.round_messages.front().size();
  if (proof.round_messages.size() > max_rounds || per_round > max_degree) {
    throw std::invalid_argument("sumcheck::serialize: proof shape exceeds the encodable bounds");
  }
  for (const auto& message : proof.round_messages) {
    if (message.size() != per_round) throw std::invalid_argument("sumcheck::serialize: rounds of different sizes");
  }
  io::ByteWriter out;
  out.write_u8(proof_format_version);
  out.write_u32(static_cast<std::uint32_t>(proof.round_messages.size()));
  out.write_u32(static_cast<std::uint32_t>(per_round));
  for (const auto& message : proof.round_messages) {
    for (const F& value : message) out.write_field(value);
  }
  return std::move(out).take();
}

template <EncodableField F>
Result<Proof<F>> deserialize_proof(std::span<const std::uint8_t> bytes) {
  io::ByteReader in(bytes);
  auto version = in.read_u8("sumcheck proof version");
  if (!version) return version.error();
  if (*version != proof_format_version) {
    return make_error(Errc::invalid_encoding, "sumcheck proof: unsupported format version " + std::to_string(*version));
  }
  auto rounds = in.read_u32("sumcheck proof round count");
  if (!rounds) return rounds.error();
  auto per_round = in.read_u32("sumcheck proof values per round");
  if (!per_round) return per_round.error();
  if (*rounds > max_rounds || *per_round > max_degree) {
    return make_error(Errc::invalid_encoding, "sumcheck proof: shape " + std::to_string(*rounds) + " x " +
                                                  std::to_string(*per_round) + " exceeds the supported bounds");
  }
  if (*rounds == 0 && *per_round != 0) {
    return make_error(Errc::invalid_encoding, "sumcheck proof: an empty proof must declare 0 values per round");
  }
  if (in.remaining() != std::size_t{*rounds} * *per_round * F::byte_size) {
    return make_error(Errc::invalid_encoding, "sumcheck proof: length does not match its declared shape");
  }
  Proof<F> proof;
  proof.round_messages.assign(*rounds, std::vector<F>(*per_round));
  for (auto& message : proof.round_messages) {
    for (F& value : message) {
      auto decoded = in.read_field<F>("sumcheck proof value");
      if (!decoded) return decoded.error();
      value = *decoded;
    }
  }
  if (auto end = in.expect_end("sumcheck proof"); !end) return end.error();
  return proof;
}

}  // namespace zkcnn::sumcheck
