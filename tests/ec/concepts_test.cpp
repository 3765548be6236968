// Compile-time checks of the CommitmentGroup concept (include/zkcnn/concepts/group.hpp) on the
// curve types: the shipped G1s and the test curve model it; near-misses do not. Every toy
// near-miss is derived from one complete wrapper type that is first shown to model the
// concept, so a failing static_assert pins down the one requirement at fault.

#include <zkcnn/concepts/group.hpp>
#include <zkcnn/ec/bls12_381_g1.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ec/ec_test_support.hpp"

namespace ec_concepts_test {

using zkcnn::CommitmentGroup;
using zkcnn::Result;
namespace bn254 = zkcnn::bn254;
namespace bls12_381 = zkcnn::bls12_381;

// ---------------------------------------------------------------------------------------------
// The shipped groups.

static_assert(CommitmentGroup<bn254::G1>);
static_assert(CommitmentGroup<bls12_381::G1>);
static_assert(CommitmentGroup<zkcnn::ec_testing::ToyG1>);
static_assert(std::is_same_v<zkcnn::scalar_of<bn254::G1>, bn254::Fr>);
static_assert(std::is_same_v<zkcnn::scalar_of<bls12_381::G1>, bls12_381::Fr>);
static_assert(bn254::G1::encoded_size == 32);
static_assert(bls12_381::G1::encoded_size == 48);
static_assert(zkcnn::ec_testing::ToyG1::encoded_size == 9);  // the flags need an extra byte
static_assert(bn254::G1::a_is_zero && bls12_381::G1::a_is_zero && !zkcnn::ec_testing::ToyG1::a_is_zero);
static_assert(bn254::G1::cofactor_is_one && !bls12_381::G1::cofactor_is_one);

// Compile-time evaluation of the group law works (the formulas are constexpr).
static_assert(bn254::G1::generator().is_on_curve());
static_assert(bn254::G1::generator().doubled() == bn254::G1::generator() + bn254::G1::generator());
static_assert((bn254::G1::generator() - bn254::G1::generator()).is_identity());

// ---------------------------------------------------------------------------------------------
// Things that are not groups.

static_assert(!CommitmentGroup<int>);
static_assert(!CommitmentGroup<bn254::Fr>);     // a field: no encoding as a group, no hash_to_group
static_assert(!CommitmentGroup<bls12_381::Fq>);
static_assert(!CommitmentGroup<bn254::G1::Affine>);  // no group operations of its own

/// Has + and the rest of the arithmetic, but no encoding, decoding or hashing.
struct AdditiveOnly {
  using Scalar = bn254::Fr;
  bn254::G1 p;
  friend AdditiveOnly operator+(const AdditiveOnly& a, const AdditiveOnly& b) { return {a.p + b.p}; }
  friend AdditiveOnly operator-(const AdditiveOnly& a, const AdditiveOnly& b) { return {a.p - b.p}; }
  AdditiveOnly operator-() const { return {-p}; }
  friend AdditiveOnly operator*(const AdditiveOnly& a, const Scalar& k) { return {a.p * k}; }
  friend bool operator==(const AdditiveOnly&, const AdditiveOnly&) = default;
};
static_assert(!CommitmentGroup<AdditiveOnly>);

// ---------------------------------------------------------------------------------------------
// One complete wrapper, then near-misses that each lack exactly one requirement.

enum class Missing {
  nothing,
  hash_to_group,
  decode_result,      // decode returns std::optional instead of Result
  encode_array,       // encode returns a std::vector instead of a fixed-size array
  prime_scalar,       // Scalar is a field but not a prime field
  equality,           // no ==: not std::regular
  doubled,
  batch_normalize,
  identity,
  scalar_mul,
};

template <Missing M>
struct Wrapped {
  using Scalar = std::conditional_t<M == Missing::prime_scalar, zkcnn::GoldilocksExt2, bn254::Fr>;
  static constexpr std::size_t encoded_size = bn254::G1::encoded_size;
  using Bytes = std::array<std::uint8_t, encoded_size>;

  bn254::G1 p;

  static Wrapped identity() requires(M != Missing::identity) { return {}; }
  static Wrapped generator() { return {bn254::G1::generator()}; }
  friend Wrapped operator+(const Wrapped& a, const Wrapped& b) { return {a.p + b.p}; }
  friend Wrapped operator-(const Wrapped& a, const Wrapped& b) { return {a.p - b.p}; }
  Wrapped operator-() const { return {-p}; }
  Wrapped doubled() const requires(M != Missing::doubled) { return {p.doubled()}; }
  friend Wrapped operator*(const Wrapped& a, const Scalar&) requires(M != Missing::scalar_mul) { return a; }
  friend bool operator==(const Wrapped& a, const Wrapped& b) requires(M != Missing::equality) { return a.p == b.p; }
  bool is_identity() const { return p.is_identity(); }
  static void batch_normalize(std::span<Wrapped>) requires(M != Missing::batch_normalize) {}
  auto encode() const {
    if constexpr (M == Missing::encode_array) {
      const auto bytes = p.encode();
      return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
    } else {
      return p.encode();
    }
  }
  static auto decode(std::span<const std::uint8_t> bytes) {
    if constexpr (M == Missing::decode_result) {
      return std::optional<Wrapped>{};
    } else {
      auto decoded = bn254::G1::decode(bytes);
      if (!decoded) return Result<Wrapped>(decoded.error());
      return Result<Wrapped>(Wrapped{*decoded});
    }
  }
  static Wrapped hash_to_group(std::string_view domain, std::uint64_t index) requires(M != Missing::hash_to_group) {
    return {bn254::G1::hash_to_group(domain, index)};
  }
};

static_assert(CommitmentGroup<Wrapped<Missing::nothing>>);
static_assert(!CommitmentGroup<Wrapped<Missing::hash_to_group>>);
static_assert(!CommitmentGroup<Wrapped<Missing::decode_result>>);
static_assert(!CommitmentGroup<Wrapped<Missing::encode_array>>);
static_assert(!CommitmentGroup<Wrapped<Missing::prime_scalar>>);
static_assert(!CommitmentGroup<Wrapped<Missing::equality>>);
static_assert(!CommitmentGroup<Wrapped<Missing::doubled>>);
static_assert(!CommitmentGroup<Wrapped<Missing::batch_normalize>>);
static_assert(!CommitmentGroup<Wrapped<Missing::identity>>);
static_assert(!CommitmentGroup<Wrapped<Missing::scalar_mul>>);

TEST_CASE("CommitmentGroup concept checks compile", "[ec][concepts]") {
  // Everything above is checked at compile time; this case makes the file a test.
  SUCCEED();
}

TEST_CASE("the wrapper that models CommitmentGroup works through group_traits", "[ec][concepts]") {
  using W = Wrapped<Missing::nothing>;
  using T = zkcnn::group_traits<W>;
  const W g = T::generator();
  CHECK(T::equal(T::add(g, T::negate(g)), T::identity()));
  CHECK(T::equal(T::doubled(g), T::add(g, g)));
  const auto bytes = T::encode(g);
  auto decoded = T::decode(bytes);
  REQUIRE(decoded.has_value());
  CHECK(T::equal(*decoded, g));
}

}  // namespace ec_concepts_test
