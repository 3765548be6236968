// Hyrax commitments and evaluation proofs as bytes: round trips, and untrusted input rejected
// with an Error (never a crash or a huge allocation): every truncation, trailing bytes,
// garbage point encodings, non-canonical scalars, wrong version and flag bytes, declared
// shapes and round counts beyond the decoder's bounds, and random bytes.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <optional>
#include <span>
#include <string>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include "pcs/pcs_test_support.hpp"

namespace {

using zkcnn::Errc;
using zkcnn::group_traits;
using zkcnn::HyraxCommitment;
using zkcnn::HyraxEvaluationProof;
using zkcnn::scalar_of;
using namespace zkcnn::pcs_testing;

using Bytes = std::vector<std::uint8_t>;

void put_u32(Bytes& bytes, std::size_t offset, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) bytes[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

Bytes header(std::uint8_t version, std::uint32_t num_vars, std::uint32_t column_vars) {
  Bytes out(9);
  out[0] = version;
  put_u32(out, 1, num_vars);
  put_u32(out, 5, column_vars);
  return out;
}

template <class G>
Bytes garbage_encodings() {
  // Candidate encodings that are no valid point: all ones (flags and reserved bits mixed), an
  // x >= p, and the infinity flag with a non-zero body.
  Bytes all_ones(G::encoded_size, 0xff);
  Bytes too_large(G::encoded_size, 0xff);
  too_large.back() = 0x3f;  // flags cleared, x = 2^(8 size - 2) - 1 > p
  Bytes dirty_infinity(G::encoded_size, 0);
  dirty_infinity[0] = 1;
  dirty_infinity.back() = 0x80;
  Bytes out;
  for (const auto* b : {&all_ones, &too_large, &dirty_infinity}) out.insert(out.end(), b->begin(), b->end());
  return out;
}

/// The first x whose encoding is not on the curve (x^3 + b not a square).
template <class G>
Bytes off_curve_encoding() {
  for (std::uint8_t x = 1;; ++x) {
    Bytes bytes(G::encoded_size, 0);
    bytes[0] = x;
    if (!group_traits<G>::decode(bytes)) return bytes;
  }
}

/// On curves with a cofactor: the encoding of a curve point outside the prime-order subgroup
/// (found by trying small x), which decoding must reject.
template <class G>
std::optional<Bytes> non_subgroup_encoding() {
  for (std::uint8_t x = 1; x < 200; ++x) {
    Bytes bytes(G::encoded_size, 0);
    bytes[0] = x;
    const auto decoded = group_traits<G>::decode(bytes);
    if (!decoded && decoded.error().message.find("subgroup") != std::string::npos) return bytes;
  }
  return std::nullopt;
}

template <class G>
void check_point_garbage_rejected(const Bytes& valid, std::size_t point_offset, bool is_proof) {
  const Bytes garbage = garbage_encodings<G>();
  std::vector<Bytes> candidates;
  for (std::size_t k = 0; k < garbage.size() / G::encoded_size; ++k) {
    candidates.emplace_back(garbage.begin() + static_cast<std::ptrdiff_t>(k * G::encoded_size),
                            garbage.begin() + static_cast<std::ptrdiff_t>((k + 1) * G::encoded_size));
  }
  candidates.push_back(off_curve_encoding<G>());
  if (auto outside = non_subgroup_encoding<G>()) candidates.push_back(*outside);
  for (const Bytes& candidate : candidates) {
    Bytes bytes = valid;
    std::copy(candidate.begin(), candidate.end(), bytes.begin() + static_cast<std::ptrdiff_t>(point_offset));
    if (is_proof) {
      const auto decoded = zkcnn::deserialize_hyrax_proof<G>(bytes);
      REQUIRE_FALSE(decoded);
      CHECK(decoded.error().code == Errc::invalid_encoding);
    } else {
      const auto decoded = zkcnn::deserialize_hyrax_commitment<G>(bytes);
      REQUIRE_FALSE(decoded);
      CHECK(decoded.error().code == Errc::invalid_encoding);
    }
  }
}

}  // namespace

TEMPLATE_TEST_CASE("Hyrax encoding: commitments and proofs round-trip", "[pcs][hyrax][encoding]",
                   ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  zkcnn::testing::DeterministicRng rng(0x48595241582d656eull);
  for (std::size_t num_vars : {0, 3, 6}) {
    CAPTURE(num_vars);
    const auto instance = make_instance<G>(num_vars, rng);
    const auto commitment_bytes = zkcnn::serialize(instance.commitment);
    CHECK(commitment_bytes.size() == 9 + instance.commitment.rows.size() * G::encoded_size);
    const auto commitment = zkcnn::deserialize_hyrax_commitment<G>(commitment_bytes);
    REQUIRE(commitment);
    CHECK(*commitment == instance.commitment);
    CHECK(zkcnn::serialize(*commitment) == commitment_bytes);

    const auto proof = prove_public(instance, rng);
    const auto [hidden, tau] = prove_hidden(instance, rng);
    for (const auto* p : {&proof, &hidden}) {
      const auto bytes = zkcnn::serialize(*p);
      const std::size_t rounds = p->inner_product.left.size();
      const std::size_t points = 2 * rounds + 1 + (p->value_commitment ? 1 : 0);
      CHECK(bytes.size() == 2 + 4 + points * G::encoded_size + 2 * scalar_of<G>::byte_size);
      const auto decoded = zkcnn::deserialize_hyrax_proof<G>(bytes);
      REQUIRE(decoded);
      CHECK(*decoded == *p);
      CHECK(zkcnn::serialize(*decoded) == bytes);
    }
    // The decoded objects verify.
    const auto decoded_proof = zkcnn::deserialize_hyrax_proof<G>(zkcnn::serialize(proof));
    CHECK(verify_public(*commitment, instance.point, instance.value, *decoded_proof));
    const auto decoded_hidden = zkcnn::deserialize_hyrax_proof<G>(zkcnn::serialize(hidden));
    CHECK(verify_hidden(*commitment, instance.point, *decoded_hidden));
  }
  // A commitment with an identity row round-trips too.
  HyraxCommitment<G> with_identity{2, 1, {G::identity(), G::generator()}};
  const auto decoded = zkcnn::deserialize_hyrax_commitment<G>(zkcnn::serialize(with_identity));
  REQUIRE(decoded);
  CHECK(*decoded == with_identity);
}

TEMPLATE_TEST_CASE("Hyrax encoding: every truncation and any trailing byte is rejected", "[pcs][hyrax][encoding]",
                   ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  zkcnn::testing::DeterministicRng rng(0x48595241582d7472ull);
  const auto instance = make_instance<G>(4, rng);
  const auto commitment_bytes = zkcnn::serialize(instance.commitment);
  const auto proof = prove_public(instance, rng);
  const auto [hidden, tau] = prove_hidden(instance, rng);
  for (std::size_t cut = 0; cut < commitment_bytes.size(); ++cut) {
    CAPTURE(cut);
    const auto decoded =
        zkcnn::deserialize_hyrax_commitment<G>(std::span<const std::uint8_t>(commitment_bytes).first(cut));
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == Errc::invalid_encoding);
  }
  for (const auto* p : {&proof, &hidden}) {
    const auto bytes = zkcnn::serialize(*p);
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
      CAPTURE(cut);
      const auto decoded = zkcnn::deserialize_hyrax_proof<G>(std::span<const std::uint8_t>(bytes).first(cut));
      REQUIRE_FALSE(decoded);
      CHECK(decoded.error().code == Errc::invalid_encoding);
    }
    for (std::uint8_t extra : {0x00, 0x01, 0xff}) {
      auto longer = bytes;
      longer.push_back(extra);
      CHECK_FALSE(zkcnn::deserialize_hyrax_proof<G>(longer));
    }
  }
  for (std::uint8_t extra : {0x00, 0x01, 0xff}) {
    auto longer = commitment_bytes;
    longer.push_back(extra);
    CHECK_FALSE(zkcnn::deserialize_hyrax_commitment<G>(longer));
  }
  // One whole extra (valid) point is trailing data too.
  auto extra_row = commitment_bytes;
  const auto g = G::generator().encode();
  extra_row.insert(extra_row.end(), g.begin(), g.end());
  CHECK_FALSE(zkcnn::deserialize_hyrax_commitment<G>(extra_row));
  auto extra_point = zkcnn::serialize(proof);
  extra_point.insert(extra_point.end(), g.begin(), g.end());
  CHECK_FALSE(zkcnn::deserialize_hyrax_proof<G>(extra_point));
}

TEMPLATE_TEST_CASE("Hyrax encoding: garbage points and scalars are rejected", "[pcs][hyrax][encoding]",
                   ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  // BLS12-381 has a cofactor: its garbage includes a curve point outside the subgroup.
  CHECK(non_subgroup_encoding<G>().has_value() == std::is_same_v<G, zkcnn::bls12_381::G1>);
  zkcnn::testing::DeterministicRng rng(0x48595241582d6761ull);
  const auto instance = make_instance<G>(4, rng);
  const auto commitment_bytes = zkcnn::serialize(instance.commitment);
  for (std::size_t r = 0; r < instance.commitment.rows.size(); ++r) {
    CAPTURE(r);
    check_point_garbage_rejected<G>(commitment_bytes, 9 + r * G::encoded_size, false);
  }
  const auto [hidden, tau] = prove_hidden(instance, rng);
  const auto bytes = zkcnn::serialize(hidden);
  // Layout: version, flag, V, rounds (u32), (L, R) per round, A, z1, z2.
  const std::size_t rounds = hidden.inner_product.left.size();
  const std::size_t points = 1 + 2 * rounds + 1;
  std::vector<std::size_t> point_offsets{2};
  for (std::size_t k = 1; k < points; ++k) point_offsets.push_back(2 + 4 + k * G::encoded_size);
  for (std::size_t offset : point_offsets) {
    CAPTURE(offset);
    check_point_garbage_rejected<G>(bytes, offset, true);
  }
  // The responses, replaced by the modulus's encoding or all ones (not canonical).
  const std::size_t z1 = 2 + 4 + points * G::encoded_size;
  for (std::size_t offset : {z1, z1 + F::byte_size}) {
    CAPTURE(offset);
    auto changed = bytes;
    std::fill(changed.begin() + static_cast<std::ptrdiff_t>(offset),
              changed.begin() + static_cast<std::ptrdiff_t>(offset + F::byte_size), std::uint8_t{0xff});
    CHECK_FALSE(zkcnn::deserialize_hyrax_proof<G>(changed));
  }
  // Version and value-flag bytes.
  for (std::uint8_t version : {0, 2, 0xff}) {
    auto changed = bytes;
    changed[0] = version;
    CHECK_FALSE(zkcnn::deserialize_hyrax_proof<G>(changed));
    auto commitment_changed = commitment_bytes;
    commitment_changed[0] = version;
    CHECK_FALSE(zkcnn::deserialize_hyrax_commitment<G>(commitment_changed));
  }
  for (std::uint8_t flag : {2, 0x80, 0xff}) {
    auto changed = bytes;
    changed[1] = flag;
    CHECK_FALSE(zkcnn::deserialize_hyrax_proof<G>(changed));
  }
  // Flag 0 with the bytes of V left in place: the rest no longer parses as a proof.
  {
    auto changed = bytes;
    changed[1] = 0;
    const auto decoded = zkcnn::deserialize_hyrax_proof<G>(changed);
    if (decoded) {
      CHECK_FALSE(verify_public(instance.commitment, instance.point, instance.value, *decoded));
    }
  }
}

TEMPLATE_TEST_CASE("Hyrax encoding: declared sizes beyond the bounds are rejected up front", "[pcs][hyrax][encoding]",
                   ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  // Commitment shapes: rejected from the 9-byte header alone, before any allocation.
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> shapes{
      {0xffffffffu, 0},           {0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffe0u}, {64, 64},
      {25, 0},                    {40, 10},                   {3, 4},                     {0, 1},
      {0x80000000u, 0x7fffffffu}, {200, 190}};
  for (const auto& [num_vars, column_vars] : shapes) {
    CAPTURE(num_vars, column_vars);
    auto bytes = header(1, num_vars, column_vars);
    const auto g = G::generator().encode();
    bytes.insert(bytes.end(), g.begin(), g.end());  // one row's worth of bytes
    const auto decoded = zkcnn::deserialize_hyrax_commitment<G>(bytes);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == Errc::invalid_encoding);
  }
  // A custom row bound.
  {
    auto bytes = header(1, 6, 2);  // 16 rows
    const auto g = G::generator().encode();
    for (int r = 0; r < 16; ++r) bytes.insert(bytes.end(), g.begin(), g.end());
    CHECK(zkcnn::deserialize_hyrax_commitment<G>(bytes));
    CHECK_FALSE(zkcnn::deserialize_hyrax_commitment<G>(bytes, 3));
  }
  // A shape the decoder accepts but the key cannot check: verify returns an Error.
  {
    auto bytes = header(1, 63, 60);
    const auto g = G::generator().encode();
    for (int r = 0; r < 8; ++r) bytes.insert(bytes.end(), g.begin(), g.end());
    const auto decoded = zkcnn::deserialize_hyrax_commitment<G>(bytes);
    REQUIRE(decoded);
    zkcnn::testing::DeterministicRng rng(1);
    const auto instance = make_instance<G>(2, rng);
    const auto proof = prove_public(instance, rng);
    const std::vector<scalar_of<G>> point(63, scalar_of<G>::one());
    const auto status = verify_public(*decoded, point, instance.value, proof);
    REQUIRE_FALSE(status);
    CHECK(status.error().code == Errc::malformed_proof);
  }
  // Proof round counts: huge declared counts fail on the bound or on the missing bytes.
  for (std::uint32_t rounds : {41u, 1000u, 0xffffffffu, 40u, 3u}) {
    CAPTURE(rounds);
    Bytes bytes{1, 0, 0, 0, 0, 0};
    put_u32(bytes, 2, rounds);
    const auto decoded = zkcnn::deserialize_hyrax_proof<G>(bytes);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == Errc::invalid_encoding);
  }
  // The encoder refuses what the decoder would refuse.
  HyraxEvaluationProof<G> ragged;
  ragged.inner_product.left.push_back(G::generator());
  CHECK_THROWS_AS(zkcnn::serialize(ragged), std::invalid_argument);
  HyraxEvaluationProof<G> oversized;
  oversized.inner_product.left.assign(41, G::generator());
  oversized.inner_product.right.assign(41, G::generator());
  CHECK_THROWS_AS(zkcnn::serialize(oversized), std::invalid_argument);
}

TEMPLATE_TEST_CASE("Hyrax encoding: random bytes are rejected or never verify", "[pcs][hyrax][encoding]",
                   ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  zkcnn::testing::DeterministicRng rng(0x48595241582d7261ull);
  const auto instance = make_instance<G>(4, rng);
  const auto honest = prove_public(instance, rng);
  const std::size_t proof_points = 2 * honest.inner_product.left.size() + 1;
  const auto proof_bytes = zkcnn::serialize(honest);
  const auto commitment_bytes = zkcnn::serialize(instance.commitment);
  std::size_t decoded_proofs = 0;
  for (int trial = 0; trial < 200; ++trial) {
    // Random bytes of a valid length, with valid headers (so decoding reaches the points), and
    // fully random ones.
    Bytes bytes(proof_bytes.size());
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    if (trial % 2 == 0) {
      bytes[0] = 1;
      bytes[1] = 0;
      std::copy(proof_bytes.begin() + 2, proof_bytes.begin() + 6, bytes.begin() + 2);
      // Clear the top bits of every point's flag byte half of the time: x coordinates in range.
      if (trial % 4 == 0) {
        for (std::size_t k = 0; k < proof_points; ++k) bytes[6 + (k + 1) * G::encoded_size - 1] &= 0x0f;
        // And the scalars below 2^248, so canonical.
        bytes[bytes.size() - 1] = 0;
        bytes[bytes.size() - 1 - scalar_of<G>::byte_size] = 0;
      }
    }
    const auto decoded = zkcnn::deserialize_hyrax_proof<G>(bytes);
    if (decoded) {
      ++decoded_proofs;
      CHECK_FALSE(verify_public(instance.commitment, instance.point, instance.value, *decoded));
    }
    Bytes commitment(commitment_bytes.size());
    for (auto& b : commitment) b = static_cast<std::uint8_t>(rng());
    if (trial % 2 == 0) std::copy(commitment_bytes.begin(), commitment_bytes.begin() + 9, commitment.begin());
    const auto decoded_commitment = zkcnn::deserialize_hyrax_commitment<G>(commitment);
    if (decoded_commitment) {
      const auto proof = prove_public(instance, rng);
      CHECK_FALSE(verify_public(*decoded_commitment, instance.point, instance.value, proof));
    }
  }
  // Random bytes decode now and then (each BN254 point with probability about 1/2) but never
  // verify.
  INFO("decoded random proofs: " << decoded_proofs);
  // Random bytes of random lengths.
  for (int trial = 0; trial < 200; ++trial) {
    Bytes bytes(rng() % 400);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    const auto p = zkcnn::deserialize_hyrax_proof<G>(bytes);
    if (p) CHECK_FALSE(verify_public(instance.commitment, instance.point, instance.value, *p));
    const auto c = zkcnn::deserialize_hyrax_commitment<G>(bytes);
    if (c) CHECK(c->rows.size() == (std::size_t{1} << (c->num_vars - c->column_vars)));
  }
}
