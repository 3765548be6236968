// Compile-time checks of the field concepts (include/zkcnn/concepts/field.hpp): the shipped
// fields model what they document, and near-miss types that lack exactly one requirement do
// not. Every near-miss is derived from a complete toy field that is first shown to model the
// concept, so a failing static_assert pins down the one requirement at fault.

#include <zkcnn/concepts/field.hpp>
#include <zkcnn/field/bls12_381.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <span>

namespace concepts_test {

using zkcnn::EncodableField;
using zkcnn::ExtensionFieldOf;
using zkcnn::Field;
using zkcnn::Goldilocks;
using zkcnn::GoldilocksExt2;
using zkcnn::PrimeField;
using zkcnn::TwoAdicField;
namespace bn254 = zkcnn::bn254;
namespace bls12_381 = zkcnn::bls12_381;

// ---------------------------------------------------------------------------------------------
// The shipped fields.

template <class F>
constexpr bool is_prime_two_adic = PrimeField<F> && TwoAdicField<F> && EncodableField<F> && Field<F>;

static_assert(is_prime_two_adic<bn254::Fr>);
static_assert(is_prime_two_adic<bn254::Fq>);
static_assert(is_prime_two_adic<bls12_381::Fr>);
static_assert(is_prime_two_adic<bls12_381::Fq>);
static_assert(is_prime_two_adic<Goldilocks>);

static_assert(Field<GoldilocksExt2>);
static_assert(EncodableField<GoldilocksExt2>);
static_assert(!PrimeField<GoldilocksExt2>);

static_assert(ExtensionFieldOf<GoldilocksExt2, Goldilocks>);
static_assert(TwoAdicField<GoldilocksExt2>);  // the base field's roots of unity
static_assert(!ExtensionFieldOf<Goldilocks, GoldilocksExt2>);
static_assert(!ExtensionFieldOf<bn254::Fr, Goldilocks>);
static_assert(!ExtensionFieldOf<Goldilocks, bn254::Fr>);
static_assert(!ExtensionFieldOf<bn254::Fr, bn254::Fq>);
static_assert(!ExtensionFieldOf<GoldilocksExt2, bn254::Fr>);

// Every field extends itself.
static_assert(ExtensionFieldOf<bn254::Fr, bn254::Fr>);
static_assert(ExtensionFieldOf<bn254::Fq, bn254::Fq>);
static_assert(ExtensionFieldOf<bls12_381::Fr, bls12_381::Fr>);
static_assert(ExtensionFieldOf<bls12_381::Fq, bls12_381::Fq>);
static_assert(ExtensionFieldOf<Goldilocks, Goldilocks>);
static_assert(ExtensionFieldOf<GoldilocksExt2, GoldilocksExt2>);

// embed() is the identity for EF == F and from_base otherwise.
static_assert(zkcnn::embed<Goldilocks>(Goldilocks::from_u64(5)) == Goldilocks::from_u64(5));
static_assert(zkcnn::embed<GoldilocksExt2>(Goldilocks::from_u64(5)) == GoldilocksExt2::from_u64(5));

// ---------------------------------------------------------------------------------------------
// Built-in arithmetic types are not fields.

static_assert(!Field<int>);
static_assert(!Field<double>);
static_assert(!Field<std::uint64_t>);
static_assert(!EncodableField<int>);
static_assert(!PrimeField<double>);
static_assert(!TwoAdicField<unsigned>);
static_assert(!ExtensionFieldOf<int, int>);

// ---------------------------------------------------------------------------------------------
// Toy types. Only their signatures matter (the concepts are checked in unevaluated contexts);
// the bodies are trivial so nothing is left undefined.

// The complete toy: every requirement of Field, EncodableField, PrimeField and TwoAdicField.
struct ToyComplete {
  static constexpr std::size_t byte_size = 1;
  static constexpr std::size_t uniform_bytes = 17;
  static constexpr std::size_t modulus_bits = 3;
  static constexpr unsigned two_adicity = 2;

  friend ToyComplete operator+(const ToyComplete&, const ToyComplete&) { return {}; }
  friend ToyComplete operator-(const ToyComplete&, const ToyComplete&) { return {}; }
  friend ToyComplete operator*(const ToyComplete&, const ToyComplete&) { return {}; }
  friend ToyComplete operator-(const ToyComplete&) { return {}; }
  ToyComplete& operator+=(const ToyComplete&) { return *this; }
  ToyComplete& operator-=(const ToyComplete&) { return *this; }
  ToyComplete& operator*=(const ToyComplete&) { return *this; }
  friend bool operator==(const ToyComplete&, const ToyComplete&) = default;
  static ToyComplete zero() { return {}; }
  static ToyComplete one() { return {}; }
  static ToyComplete from_u64(std::uint64_t) { return {}; }
  static ToyComplete from_i64(std::int64_t) { return {}; }
  ToyComplete square() const { return {}; }
  bool is_zero() const { return true; }
  std::optional<ToyComplete> inverse() const { return std::nullopt; }
  static ToyComplete random(std::mt19937_64&) { return {}; }
  std::array<std::uint8_t, byte_size> to_bytes() const { return {}; }
  static zkcnn::Result<ToyComplete> from_bytes(std::span<const std::uint8_t>) { return ToyComplete{}; }
  static ToyComplete from_uniform_bytes(std::span<const std::uint8_t>) { return {}; }
  static ToyComplete from_bytes_mod_order(std::span<const std::uint8_t>) { return {}; }
  std::optional<ToyComplete> sqrt() const { return std::nullopt; }
  static ToyComplete root_of_unity(unsigned) { return {}; }
};

static_assert(Field<ToyComplete>);
static_assert(EncodableField<ToyComplete>);
static_assert(PrimeField<ToyComplete>);
static_assert(TwoAdicField<ToyComplete>);
static_assert(ExtensionFieldOf<ToyComplete, ToyComplete>);

// Arithmetic operators, constants and embeddings, but no inverse().
struct ToyNoInverse {
  friend ToyNoInverse operator+(const ToyNoInverse&, const ToyNoInverse&) { return {}; }
  friend ToyNoInverse operator-(const ToyNoInverse&, const ToyNoInverse&) { return {}; }
  friend ToyNoInverse operator*(const ToyNoInverse&, const ToyNoInverse&) { return {}; }
  friend ToyNoInverse operator-(const ToyNoInverse&) { return {}; }
  ToyNoInverse& operator+=(const ToyNoInverse&) { return *this; }
  ToyNoInverse& operator-=(const ToyNoInverse&) { return *this; }
  ToyNoInverse& operator*=(const ToyNoInverse&) { return *this; }
  friend bool operator==(const ToyNoInverse&, const ToyNoInverse&) = default;
  static ToyNoInverse zero() { return {}; }
  static ToyNoInverse one() { return {}; }
  static ToyNoInverse from_u64(std::uint64_t) { return {}; }
  static ToyNoInverse from_i64(std::int64_t) { return {}; }
  ToyNoInverse square() const { return {}; }
  bool is_zero() const { return true; }
  static ToyNoInverse random(std::mt19937_64&) { return {}; }
};
static_assert(!Field<ToyNoInverse>);

// Everything but from_i64.
struct ToyNoFromI64 {
  friend ToyNoFromI64 operator+(const ToyNoFromI64&, const ToyNoFromI64&) { return {}; }
  friend ToyNoFromI64 operator-(const ToyNoFromI64&, const ToyNoFromI64&) { return {}; }
  friend ToyNoFromI64 operator*(const ToyNoFromI64&, const ToyNoFromI64&) { return {}; }
  friend ToyNoFromI64 operator-(const ToyNoFromI64&) { return {}; }
  ToyNoFromI64& operator+=(const ToyNoFromI64&) { return *this; }
  ToyNoFromI64& operator-=(const ToyNoFromI64&) { return *this; }
  ToyNoFromI64& operator*=(const ToyNoFromI64&) { return *this; }
  friend bool operator==(const ToyNoFromI64&, const ToyNoFromI64&) = default;
  static ToyNoFromI64 zero() { return {}; }
  static ToyNoFromI64 one() { return {}; }
  static ToyNoFromI64 from_u64(std::uint64_t) { return {}; }
  ToyNoFromI64 square() const { return {}; }
  bool is_zero() const { return true; }
  std::optional<ToyNoFromI64> inverse() const { return std::nullopt; }
  static ToyNoFromI64 random(std::mt19937_64&) { return {}; }
};
static_assert(!Field<ToyNoFromI64>);

// inverse() returns the field itself instead of std::optional (no way to say "zero").
struct ToyInverseNotOptional {
  friend ToyInverseNotOptional operator+(const ToyInverseNotOptional&, const ToyInverseNotOptional&) { return {}; }
  friend ToyInverseNotOptional operator-(const ToyInverseNotOptional&, const ToyInverseNotOptional&) { return {}; }
  friend ToyInverseNotOptional operator*(const ToyInverseNotOptional&, const ToyInverseNotOptional&) { return {}; }
  friend ToyInverseNotOptional operator-(const ToyInverseNotOptional&) { return {}; }
  ToyInverseNotOptional& operator+=(const ToyInverseNotOptional&) { return *this; }
  ToyInverseNotOptional& operator-=(const ToyInverseNotOptional&) { return *this; }
  ToyInverseNotOptional& operator*=(const ToyInverseNotOptional&) { return *this; }
  friend bool operator==(const ToyInverseNotOptional&, const ToyInverseNotOptional&) = default;
  static ToyInverseNotOptional zero() { return {}; }
  static ToyInverseNotOptional one() { return {}; }
  static ToyInverseNotOptional from_u64(std::uint64_t) { return {}; }
  static ToyInverseNotOptional from_i64(std::int64_t) { return {}; }
  ToyInverseNotOptional square() const { return {}; }
  bool is_zero() const { return true; }
  ToyInverseNotOptional inverse() const { return {}; }
  static ToyInverseNotOptional random(std::mt19937_64&) { return {}; }
};
static_assert(!Field<ToyInverseNotOptional>);

// A Field with from_bytes / from_uniform_bytes but no to_bytes.
struct ToyNoToBytes {
  static constexpr std::size_t byte_size = 1;
  static constexpr std::size_t uniform_bytes = 17;
  friend ToyNoToBytes operator+(const ToyNoToBytes&, const ToyNoToBytes&) { return {}; }
  friend ToyNoToBytes operator-(const ToyNoToBytes&, const ToyNoToBytes&) { return {}; }
  friend ToyNoToBytes operator*(const ToyNoToBytes&, const ToyNoToBytes&) { return {}; }
  friend ToyNoToBytes operator-(const ToyNoToBytes&) { return {}; }
  ToyNoToBytes& operator+=(const ToyNoToBytes&) { return *this; }
  ToyNoToBytes& operator-=(const ToyNoToBytes&) { return *this; }
  ToyNoToBytes& operator*=(const ToyNoToBytes&) { return *this; }
  friend bool operator==(const ToyNoToBytes&, const ToyNoToBytes&) = default;
  static ToyNoToBytes zero() { return {}; }
  static ToyNoToBytes one() { return {}; }
  static ToyNoToBytes from_u64(std::uint64_t) { return {}; }
  static ToyNoToBytes from_i64(std::int64_t) { return {}; }
  ToyNoToBytes square() const { return {}; }
  bool is_zero() const { return true; }
  std::optional<ToyNoToBytes> inverse() const { return std::nullopt; }
  static ToyNoToBytes random(std::mt19937_64&) { return {}; }
  static zkcnn::Result<ToyNoToBytes> from_bytes(std::span<const std::uint8_t>) { return ToyNoToBytes{}; }
  static ToyNoToBytes from_uniform_bytes(std::span<const std::uint8_t>) { return {}; }
};
static_assert(Field<ToyNoToBytes>);
static_assert(!EncodableField<ToyNoToBytes>);
static_assert(!PrimeField<ToyNoToBytes>);

// A Field that states its two-adicity but has no root_of_unity.
struct ToyNoRootOfUnity {
  static constexpr unsigned two_adicity = 2;
  friend ToyNoRootOfUnity operator+(const ToyNoRootOfUnity&, const ToyNoRootOfUnity&) { return {}; }
  friend ToyNoRootOfUnity operator-(const ToyNoRootOfUnity&, const ToyNoRootOfUnity&) { return {}; }
  friend ToyNoRootOfUnity operator*(const ToyNoRootOfUnity&, const ToyNoRootOfUnity&) { return {}; }
  friend ToyNoRootOfUnity operator-(const ToyNoRootOfUnity&) { return {}; }
  ToyNoRootOfUnity& operator+=(const ToyNoRootOfUnity&) { return *this; }
  ToyNoRootOfUnity& operator-=(const ToyNoRootOfUnity&) { return *this; }
  ToyNoRootOfUnity& operator*=(const ToyNoRootOfUnity&) { return *this; }
  friend bool operator==(const ToyNoRootOfUnity&, const ToyNoRootOfUnity&) = default;
  static ToyNoRootOfUnity zero() { return {}; }
  static ToyNoRootOfUnity one() { return {}; }
  static ToyNoRootOfUnity from_u64(std::uint64_t) { return {}; }
  static ToyNoRootOfUnity from_i64(std::int64_t) { return {}; }
  ToyNoRootOfUnity square() const { return {}; }
  bool is_zero() const { return true; }
  std::optional<ToyNoRootOfUnity> inverse() const { return std::nullopt; }
  static ToyNoRootOfUnity random(std::mt19937_64&) { return {}; }
};
static_assert(Field<ToyNoRootOfUnity>);
static_assert(!TwoAdicField<ToyNoRootOfUnity>);
// ... and an unrelated Field is not an extension of it (nor it of a shipped field).
static_assert(!ExtensionFieldOf<ToyNoRootOfUnity, Goldilocks>);
static_assert(!ExtensionFieldOf<Goldilocks, ToyNoRootOfUnity>);

// A non-field never takes part in an extension, even as the base.
static_assert(!ExtensionFieldOf<GoldilocksExt2, ToyNoInverse>);
static_assert(!ExtensionFieldOf<ToyNoInverse, ToyNoInverse>);

}  // namespace concepts_test

TEST_CASE("field concepts: the shipped fields and the near-misses are checked at compile time", "[field][concepts]") {
  // Everything here is a static_assert above; reaching this point means they all held.
  // Spell out the runtime counterpart of the documented byte sizes for the record.
  STATIC_REQUIRE(zkcnn::GoldilocksExt2::byte_size == 2 * zkcnn::Goldilocks::byte_size);
  STATIC_REQUIRE(zkcnn::GoldilocksExt2::extension_degree == 2);
  STATIC_REQUIRE(zkcnn::bn254::Fr::byte_size == 32);
  STATIC_REQUIRE(zkcnn::bls12_381::Fq::byte_size == 48);
}
