#pragma once
// The field concepts every protocol layer is written against.
//
// Fields are value types with their operations as members: a field is a small regular type
// that a user wraps in a few lines if it comes from elsewhere (unlike curve backends, whose
// adaptation goes through traits; see docs/architecture.md).

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <span>

#include "zkcnn/error.hpp"

namespace zkcnn {

/// A commutative field: arithmetic operators, constants, integer embeddings and inversion.
template <class F>
concept Field = std::regular<F> && requires(F a, const F& b, std::uint64_t u, std::int64_t i,
                                            std::mt19937_64& rng) {
  { b + b } -> std::same_as<F>;
  { b - b } -> std::same_as<F>;
  { b * b } -> std::same_as<F>;
  { -b } -> std::same_as<F>;
  { a += b } -> std::same_as<F&>;
  { a -= b } -> std::same_as<F&>;
  { a *= b } -> std::same_as<F&>;
  { F::zero() } -> std::same_as<F>;
  { F::one() } -> std::same_as<F>;
  { F::from_u64(u) } -> std::same_as<F>;
  { F::from_i64(i) } -> std::same_as<F>;
  { b.square() } -> std::same_as<F>;
  { b.is_zero() } -> std::same_as<bool>;
  { b.inverse() } -> std::same_as<std::optional<F>>;
  { F::random(rng) } -> std::same_as<F>;
};

/// A field with a canonical fixed-size byte encoding (decoding rejects non-canonical bytes) and
/// a map from uniform random bytes to (statistically) uniform elements, which is what a
/// Fiat-Shamir transcript needs to absorb messages and draw challenges.
template <class F>
concept EncodableField = Field<F> && requires(const F& a, std::span<const std::uint8_t> bytes) {
  { F::byte_size } -> std::convertible_to<std::size_t>;
  { F::uniform_bytes } -> std::convertible_to<std::size_t>;
  { a.to_bytes() } -> std::same_as<std::array<std::uint8_t, F::byte_size>>;
  { F::from_bytes(bytes) } -> std::same_as<Result<F>>;
  { F::from_uniform_bytes(bytes) } -> std::same_as<F>;
};

/// A prime field Z/pZ: also knows its modulus size, reduces byte strings of any length, and
/// takes square roots.
template <class F>
concept PrimeField = EncodableField<F> && requires(const F& a, std::span<const std::uint8_t> bytes) {
  { F::modulus_bits } -> std::convertible_to<std::size_t>;
  { F::from_bytes_mod_order(bytes) } -> std::same_as<F>;
  { a.sqrt() } -> std::same_as<std::optional<F>>;
};

/// A field whose multiplicative group has a subgroup of order 2^two_adicity, with primitive
/// roots of unity of every order 2^k, k <= two_adicity (what radix-2 NTTs need).
template <class F>
concept TwoAdicField = Field<F> && requires(unsigned k) {
  { F::two_adicity } -> std::convertible_to<unsigned>;
  { F::root_of_unity(k) } -> std::same_as<F>;
};

namespace detail {
template <class EF, class F>
concept ProperExtension = Field<EF> && Field<F> && requires(const EF& e, const F& f) {
  { EF::extension_degree } -> std::convertible_to<std::size_t>;
  { EF::from_base(f) } -> std::same_as<EF>;
  { e * f } -> std::same_as<EF>;
  { e.coefficients() };
  { EF::from_coefficients(e.coefficients()) } -> std::same_as<EF>;
};
}  // namespace detail

/// EF is an extension of F (challenges may be drawn from EF while witnesses live in F).
/// Every field extends itself.
template <class EF, class F>
concept ExtensionFieldOf = Field<EF> && Field<F> &&
                           (std::same_as<EF, F> || detail::ProperExtension<EF, F>);

/// Embeds a base-field element in an extension (the identity when EF == F).
template <class EF, class F>
  requires ExtensionFieldOf<EF, F>
constexpr EF embed(const F& value) {
  if constexpr (std::same_as<EF, F>) {
    return value;
  } else {
    return EF::from_base(value);
  }
}

}  // namespace zkcnn
