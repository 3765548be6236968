// Which types model the commitment-scheme concepts (docs/protocol.md section 7), and the operating
// system generator as a std::uniform_random_bit_generator.

#include <catch2/catch.hpp>

#include <array>
#include <concepts>
#include <cstdint>
#include <random>

#include <zkcnn/concepts/model_commitment.hpp>
#include <zkcnn/concepts/pcs.hpp>
#include <zkcnn/ec/bls12_381_g1.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include "support/plain_pcs.hpp"
#include <zkcnn/random/os_rng.hpp>

namespace {

using zkcnn::Hyrax;
using zkcnn::MultilinearPCS;
using zkcnn::ZkMultilinearPCS;
using zkcnn::testing::PlainPCS;

static_assert(MultilinearPCS<Hyrax<zkcnn::bn254::G1>>);
static_assert(ZkMultilinearPCS<Hyrax<zkcnn::bn254::G1>>);
static_assert(MultilinearPCS<Hyrax<zkcnn::bls12_381::G1>>);
static_assert(ZkMultilinearPCS<Hyrax<zkcnn::bls12_381::G1>>);
static_assert(zkcnn::ModelCommitmentScheme<Hyrax<zkcnn::bn254::G1>>);
static_assert(zkcnn::ModelCommitmentScheme<Hyrax<zkcnn::bls12_381::G1>>);
// A scheme without masks or a zero-knowledge opening cannot carry a model proof.
static_assert(!zkcnn::ModelCommitmentScheme<PlainPCS<zkcnn::bn254::Fr>>);

static_assert(MultilinearPCS<PlainPCS<zkcnn::bn254::Fr>>);
static_assert(!ZkMultilinearPCS<PlainPCS<zkcnn::bn254::Fr>>);
static_assert(MultilinearPCS<PlainPCS<zkcnn::Goldilocks>>);

// Types that are not schemes at all.
static_assert(!MultilinearPCS<int>);
static_assert(!MultilinearPCS<zkcnn::bn254::G1>);

static_assert(std::uniform_random_bit_generator<zkcnn::OsRng>);

}  // namespace

TEST_CASE("OsRng draws differ and fill covers the buffer", "[pcs][os_rng]") {
  zkcnn::OsRng rng;
  const auto a = rng();
  const auto b = rng();
  CHECK(a != b);  // 2^-64 chance of a false failure

  // Copies are independent draws, not replays.
  zkcnn::OsRng copy = rng;
  CHECK(copy() != rng());

  // A buffer longer than one call's worth, filled in full: 1024 bytes are never all zero.
  std::array<std::uint8_t, 1024> buffer{};
  zkcnn::OsRng::fill(buffer.data(), buffer.size());
  std::size_t nonzero = 0;
  for (auto byte : buffer) nonzero += byte != 0 ? 1 : 0;
  CHECK(nonzero > 900);  // expected 1020

  // Usable where the library wants a generator.
  const auto x = zkcnn::bn254::Fr::random(rng);
  const auto y = zkcnn::bn254::Fr::random(rng);
  CHECK(x != y);
}
