// The byte encoding of sumcheck proofs: round trips, and hostile bytes (truncations, random
// strings, bit flips, wrong versions, huge declared shapes, trailing bytes, non-canonical field
// elements) rejected with an Error, never a crash, a huge allocation or an accepted proof.

#include <zkcnn/error.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/sumcheck/proof.hpp>
#include <zkcnn/sumcheck/prover.hpp>
#include <zkcnn/sumcheck/verifier.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <optional>
#include <random>
#include <span>
#include <vector>

#include "support/sumcheck_test_support.hpp"

// ---------------------------------------------------------------------------------------------
// Allocation tracking, to check that a hostile declared shape is rejected before anything is
// allocated for it. Replacing the global operator new applies to this whole test executable; it
// forwards to malloc and only records the largest request while tracking is switched on. Not
// under the sanitizers (they bring their own allocator, which already aborts on huge requests).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZKCNN_TEST_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define ZKCNN_TEST_UNDER_ASAN 1
#endif

namespace {
std::atomic<bool> tracking_allocations{false};
std::atomic<std::size_t> largest_allocation{0};
}  // namespace

#ifndef ZKCNN_TEST_UNDER_ASAN
void* operator new(std::size_t size) {
  if (tracking_allocations.load(std::memory_order_relaxed)) {
    std::size_t seen = largest_allocation.load(std::memory_order_relaxed);
    while (size > seen && !largest_allocation.compare_exchange_weak(seen, size, std::memory_order_relaxed)) {
    }
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// Not inlined, so that GCC does not see operator new's memory reach free() and warn
// (-Wmismatched-new-delete): pairing malloc with free is exactly right here.
#if defined(__GNUC__)
#define ZKCNN_TEST_NOINLINE __attribute__((noinline))
#else
#define ZKCNN_TEST_NOINLINE
#endif
ZKCNN_TEST_NOINLINE void operator delete(void* p) noexcept { std::free(p); }
ZKCNN_TEST_NOINLINE void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#define ZKCNN_TEST_TRACKS_ALLOCATIONS 1
#endif

namespace {

namespace sc = zkcnn::sumcheck;
using zkcnn::Errc;
using zkcnn_sumcheck_test::evaluate_instance;
using zkcnn_sumcheck_test::prove_honestly;
using zkcnn_sumcheck_test::random_instance;
using zkcnn_sumcheck_test::verify_and_discharge;

/// The largest single allocation made while running `f`.
template <class Fn>
std::size_t largest_allocation_during(Fn&& f) {
  largest_allocation.store(0);
  tracking_allocations.store(true);
  f();
  tracking_allocations.store(false);
  return largest_allocation.load();
}

constexpr std::size_t header_size = 9;  // version u8 || rounds u32 || values per round u32

std::vector<std::uint8_t> header(std::uint8_t version, std::uint32_t rounds, std::uint32_t per_round) {
  std::vector<std::uint8_t> out{version};
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(rounds >> (8 * i)));
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(per_round >> (8 * i)));
  return out;
}

template <class F>
void expect_rejected(std::span<const std::uint8_t> bytes) {
  const auto decoded = sc::deserialize_proof<F>(bytes);
  REQUIRE_FALSE(decoded.has_value());
  CHECK(decoded.error().code == Errc::invalid_encoding);
  CHECK_FALSE(decoded.error().message.empty());
}

/// Little-endian bytes of the modulus of a prime field: the encoding of p - 1, plus one.
template <class P>
std::array<std::uint8_t, P::byte_size> modulus_bytes() {
  auto bytes = (-P::one()).to_bytes();
  for (auto& b : bytes) {
    if (++b != 0) break;
  }
  return bytes;
}

/// Encodings of F's byte size that are not canonical (each encodes a value >= the modulus in
/// some coefficient).
template <class F>
std::vector<std::vector<std::uint8_t>> non_canonical_encodings() {
  std::vector<std::vector<std::uint8_t>> out;
  if constexpr (requires { typename F::Base; }) {
    using B = typename F::Base;
    const auto p = modulus_bytes<B>();
    const auto zero = B::zero().to_bytes();
    const std::vector<std::uint8_t> ones(B::byte_size, 0xff);
    for (int position = 0; position < 2; ++position) {
      for (const auto& bad : {std::vector<std::uint8_t>(p.begin(), p.end()), ones}) {
        std::vector<std::uint8_t> e;
        const auto& c0 = position == 0 ? bad : std::vector<std::uint8_t>(zero.begin(), zero.end());
        const auto& c1 = position == 1 ? bad : std::vector<std::uint8_t>(zero.begin(), zero.end());
        e.insert(e.end(), c0.begin(), c0.end());
        e.insert(e.end(), c1.begin(), c1.end());
        out.push_back(e);
      }
    }
  } else {
    const auto p = modulus_bytes<F>();
    out.emplace_back(p.begin(), p.end());
    auto p_plus_one = p;
    for (auto& b : p_plus_one) {
      if (++b != 0) break;
    }
    out.emplace_back(p_plus_one.begin(), p_plus_one.end());
    out.emplace_back(F::byte_size, 0xff);
  }
  return out;
}

/// A fixed instance (5 variables, degree 3) and its honest proof, for the hostile-bytes tests.
template <class F>
struct Fixture {
  zkcnn::testing::DeterministicRng rng{0x656e6331};
  sc::SumOfProducts<F> g = random_instance<F>(rng, 5, {32, 27, 32}, {{0, 1, 2}, {1}, {2, 2}});
  F claimed_sum = g.sum_over_hypercube();
  sc::Proof<F> proof = prove_honestly(g).proof;
  std::vector<std::uint8_t> bytes = sc::serialize(proof);
};

/// Full verification of decoded bytes as a caller would do it; true only if g's claim is accepted.
template <class F>
bool bytes_accepted(const Fixture<F>& fx, std::span<const std::uint8_t> bytes) {
  auto decoded = sc::deserialize_proof<F>(bytes);
  if (!decoded) return false;
  return verify_and_discharge(fx.g, fx.claimed_sum, *decoded).has_value();
}

}  // namespace

#define ZKCNN_ENCODING_FIELDS zkcnn::bn254::Fr, zkcnn::GoldilocksExt2, zkcnn::Goldilocks

TEMPLATE_TEST_CASE("proof encoding: serialize / deserialize round trip", "[sumcheck][encoding]",
                   ZKCNN_ENCODING_FIELDS) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(0x656e6332);
  for (const std::size_t n : {0, 1, 5, 10}) {
    for (const std::vector<std::vector<std::size_t>>& terms :
         {std::vector<std::vector<std::size_t>>{{0}}, std::vector<std::vector<std::size_t>>{{0, 1, 0}, {1}}}) {
      CAPTURE(n, terms.size());
      const std::size_t full = std::size_t{1} << n;
      const auto g = random_instance<F>(rng, n, {full, full}, terms);
      const auto proof = prove_honestly(g).proof;
      const std::size_t d = g.shape().degree();
      const auto bytes = sc::serialize(proof);

      // version || rounds || values per round (0 for an empty proof) || values.
      REQUIRE(bytes.size() == header_size + n * d * F::byte_size);
      const auto expected_header = header(sc::proof_format_version, static_cast<std::uint32_t>(n),
                                          static_cast<std::uint32_t>(n == 0 ? 0 : d));
      CHECK(std::equal(expected_header.begin(), expected_header.end(), bytes.begin()));
      if (n > 0) {
        const auto first = proof.round_messages[0][0].to_bytes();
        CHECK(std::equal(first.begin(), first.end(), bytes.begin() + header_size));
      }

      auto decoded = sc::deserialize_proof<F>(bytes);
      REQUIRE(decoded.has_value());
      CHECK(*decoded == proof);
      CHECK(sc::serialize(*decoded) == bytes);
      CHECK(verify_and_discharge(g, g.sum_over_hypercube(), *decoded).has_value());
    }
  }
}

TEMPLATE_TEST_CASE("proof encoding: every truncation is rejected", "[sumcheck][encoding]", ZKCNN_ENCODING_FIELDS) {
  using F = TestType;
  const Fixture<F> fx;
  REQUIRE(fx.bytes.size() == header_size + 5 * 3 * F::byte_size);
  for (std::size_t length = 0; length < fx.bytes.size(); ++length) {
    CAPTURE(length);
    expect_rejected<F>(std::span<const std::uint8_t>(fx.bytes).first(length));
  }
  // A truncation that lands on a whole number of field elements but with the header's shape
  // reduced to match is a different, shorter proof: it decodes, and does not verify.
  auto fewer_rounds = fx.bytes;
  fewer_rounds[1] = 4;
  fewer_rounds.resize(header_size + 4 * 3 * F::byte_size);
  auto decoded = sc::deserialize_proof<F>(fewer_rounds);
  REQUIRE(decoded.has_value());
  CHECK_FALSE(bytes_accepted(fx, fewer_rounds));
}

TEMPLATE_TEST_CASE("proof encoding: trailing bytes are rejected", "[sumcheck][encoding]", ZKCNN_ENCODING_FIELDS) {
  using F = TestType;
  const Fixture<F> fx;
  REQUIRE(sc::deserialize_proof<F>(fx.bytes).has_value());
  for (const std::size_t extra : {std::size_t{1}, std::size_t{2}, F::byte_size - 1, F::byte_size, F::byte_size + 1}) {
    CAPTURE(extra);
    for (const std::uint8_t fill : {std::uint8_t{0}, std::uint8_t{0xff}}) {
      auto longer = fx.bytes;
      longer.insert(longer.end(), extra, fill);
      expect_rejected<F>(longer);
    }
  }
  // Also after an empty proof.
  auto empty = sc::serialize(sc::Proof<F>{});
  REQUIRE(sc::deserialize_proof<F>(empty).has_value());
  empty.push_back(0);
  expect_rejected<F>(empty);
}

TEMPLATE_TEST_CASE("proof encoding: unsupported versions are rejected", "[sumcheck][encoding]",
                   ZKCNN_ENCODING_FIELDS) {
  using F = TestType;
  const Fixture<F> fx;
  for (const int version : {0, 2, 3, 0x7f, 0x80, 0xff}) {
    CAPTURE(version);
    auto bytes = fx.bytes;
    bytes[0] = static_cast<std::uint8_t>(version);
    expect_rejected<F>(bytes);
    auto empty = sc::serialize(sc::Proof<F>{});
    empty[0] = static_cast<std::uint8_t>(version);
    expect_rejected<F>(empty);
  }
}

TEMPLATE_TEST_CASE("proof encoding: huge declared shapes are rejected without allocating", "[sumcheck][encoding]",
                   ZKCNN_ENCODING_FIELDS) {
  using F = TestType;
  constexpr std::uint32_t huge = 0xffffffff;
  struct Case {
    std::uint32_t rounds, per_round;
    std::size_t body_values;  // how many (valid) field elements follow the header
  };
  const std::vector<Case> cases{
      {huge, 3, 0},
      {huge, 3, 6},
      {3, huge, 6},
      {huge, huge, 0},
      {huge, 0, 0},
      {0, huge, 0},
      {0x80000000, 2, 0},
      // rounds * per_round * byte_size wraps to 0 in 64 bits: only the shape bounds stop this
      // from being read as an empty body with 2^62 values declared.
      {0x80000000, 0x80000000, 0},
      {sc::max_rounds + 1, 1, sc::max_rounds + 1},  // just over the bounds, with a matching body
      {1, sc::max_degree + 1, sc::max_degree + 1},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rounds, c.per_round, c.body_values);
    auto bytes = header(sc::proof_format_version, c.rounds, c.per_round);
    for (std::size_t i = 0; i < c.body_values; ++i) {
      const auto v = F::from_u64(i + 1).to_bytes();
      bytes.insert(bytes.end(), v.begin(), v.end());
    }
    const std::size_t largest = largest_allocation_during([&] { expect_rejected<F>(bytes); });
#ifdef ZKCNN_TEST_TRACKS_ALLOCATIONS
    // Only the error message is allocated.
    CHECK(largest < 1024);
#else
    (void)largest;
#endif
  }

  // At the bounds exactly, a proof of that shape is accepted.
  auto bytes = header(sc::proof_format_version, sc::max_rounds, sc::max_degree);
  for (std::size_t i = 0; i < std::size_t{sc::max_rounds} * sc::max_degree; ++i) {
    const auto v = F::from_u64(i).to_bytes();
    bytes.insert(bytes.end(), v.begin(), v.end());
  }
  std::optional<zkcnn::Result<sc::Proof<F>>> result;
  const std::size_t largest = largest_allocation_during([&] { result.emplace(sc::deserialize_proof<F>(bytes)); });
#ifdef ZKCNN_TEST_TRACKS_ALLOCATIONS
  // The tracker does see real allocations (the outer vector of 64 round messages).
  CHECK(largest >= sc::max_rounds * sizeof(std::vector<F>));
#else
  (void)largest;
#endif
  auto& decoded = *result;
  REQUIRE(decoded.has_value());
  CHECK(decoded->round_messages.size() == sc::max_rounds);
  CHECK(decoded->round_messages.back().size() == sc::max_degree);
  CHECK(decoded->round_messages.back().back() == F::from_u64(std::size_t{sc::max_rounds} * sc::max_degree - 1));
}

TEMPLATE_TEST_CASE("proof encoding: non-canonical field elements are rejected", "[sumcheck][encoding]",
                   ZKCNN_ENCODING_FIELDS) {
  using F = TestType;
  const Fixture<F> fx;
  const auto bad_values = non_canonical_encodings<F>();
  REQUIRE_FALSE(bad_values.empty());
  // The library's own decoder agrees that these are not field elements.
  for (const auto& bad : bad_values) CHECK_FALSE(F::from_bytes(bad).has_value());

  const std::size_t values = (fx.bytes.size() - header_size) / F::byte_size;
  for (std::size_t index = 0; index < values; ++index) {
    for (const auto& bad : bad_values) {
      CAPTURE(index);
      auto bytes = fx.bytes;
      std::copy(bad.begin(), bad.end(), bytes.begin() + static_cast<std::ptrdiff_t>(header_size + index * F::byte_size));
      expect_rejected<F>(bytes);
    }
  }
  // The largest canonical value (p - 1) is fine.
  auto bytes = fx.bytes;
  const auto max_value = (-F::one()).to_bytes();
  std::copy(max_value.begin(), max_value.end(), bytes.begin() + header_size);
  auto decoded = sc::deserialize_proof<F>(bytes);
  REQUIRE(decoded.has_value());
  CHECK(decoded->round_messages[0][0] == -F::one());
}

TEMPLATE_TEST_CASE("proof encoding: flipping any bit of a real proof never yields an accepted proof",
                   "[sumcheck][encoding][soundness]", ZKCNN_ENCODING_FIELDS) {
  using F = TestType;
  const Fixture<F> fx;
  REQUIRE(bytes_accepted(fx, fx.bytes));
  std::size_t decoded_count = 0;
  for (std::size_t i = 0; i < fx.bytes.size(); ++i) {
    for (const std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x10}, std::uint8_t{0x80}}) {
      const int flipped_bits = mask;
      CAPTURE(i, flipped_bits);
      auto bytes = fx.bytes;
      bytes[i] ^= mask;
      if (sc::deserialize_proof<F>(bytes).has_value()) ++decoded_count;
      CHECK_FALSE(bytes_accepted(fx, bytes));
    }
  }
  // Most flips in the body decode to a different, well-formed proof: the verifier caught those.
  CHECK(decoded_count > 0);
}

TEMPLATE_TEST_CASE("proof encoding: random bytes are rejected or never verify", "[sumcheck][encoding][fuzz]",
                   ZKCNN_ENCODING_FIELDS) {
  using F = TestType;
  const Fixture<F> fx;
  zkcnn::testing::DeterministicRng rng(0x656e6333);
  std::uniform_int_distribution<int> byte(0, 255);

  // Unstructured: random strings of every length up to a few proofs' worth.
  for (std::size_t length = 0; length <= 2 * fx.bytes.size() + 3; ++length) {
    CAPTURE(length);
    for (int trial = 0; trial < 2; ++trial) {
      std::vector<std::uint8_t> bytes(length);
      for (auto& b : bytes) b = static_cast<std::uint8_t>(byte(rng));
      auto decoded = sc::deserialize_proof<F>(bytes);
      if (decoded) {
        CHECK_FALSE(verify_and_discharge(fx.g, fx.claimed_sum, *decoded).has_value());
      } else {
        CHECK(decoded.error().code == Errc::invalid_encoding);
      }
    }
  }

  // Structured: a valid header with a small shape and a random body of exactly the right length,
  // so that many of these decode and reach the verifier.
  std::size_t reached_verifier = 0;
  std::uniform_int_distribution<std::uint32_t> small(0, 6);
  for (int trial = 0; trial < 400; ++trial) {
    const std::uint32_t rounds = trial % 4 == 0 ? 5 : small(rng);
    const std::uint32_t per_round = trial % 4 == 0 ? 3 : small(rng);
    CAPTURE(trial, rounds, per_round);
    auto bytes = header(sc::proof_format_version, rounds, per_round);
    const std::size_t body = std::size_t{rounds} * per_round * F::byte_size;
    for (std::size_t i = 0; i < body; ++i) bytes.push_back(static_cast<std::uint8_t>(byte(rng)));
    auto decoded = sc::deserialize_proof<F>(bytes);
    if (!decoded) {
      CHECK(decoded.error().code == Errc::invalid_encoding);
      continue;
    }
    ++reached_verifier;
    CHECK(decoded->round_messages.size() == rounds);
    CHECK_FALSE(verify_and_discharge(fx.g, fx.claimed_sum, *decoded).has_value());
  }
  CHECK(reached_verifier > 25);  // about 1 in 7 of the non-fixed shapes declares 0 values per round
}

TEMPLATE_TEST_CASE("proof encoding: decoding is injective (each proof has one encoding)",
                   "[sumcheck][encoding][canonical]", ZKCNN_ENCODING_FIELDS) {
  using F = TestType;
  // Whatever deserialize_proof accepts must be exactly what serialize produces for the decoded
  // proof; otherwise proofs are malleable at the byte level (two byte strings, one proof).
  zkcnn::testing::DeterministicRng rng(0x656e6334);
  for (std::uint32_t rounds = 0; rounds <= 3; ++rounds) {
    for (std::uint32_t per_round = 0; per_round <= 3; ++per_round) {
      CAPTURE(rounds, per_round);
      auto bytes = header(sc::proof_format_version, rounds, per_round);
      for (std::size_t i = 0; i < std::size_t{rounds} * per_round; ++i) {
        const auto v = F::random(rng).to_bytes();
        bytes.insert(bytes.end(), v.begin(), v.end());
      }
      auto decoded = sc::deserialize_proof<F>(bytes);
      if (!decoded) continue;
      CHECK(sc::serialize(*decoded) == bytes);
    }
  }
}
