#pragma once
// The curve-backend concept: a prime-order group written additively, whose scalars form a
// PrimeField. Backends adapt through group_traits<G>, so a third-party point type can be used
// without editing it: specialize group_traits for it (see examples/custom_backend). Types that
// carry the members themselves (the library's own curves) are adapted automatically.

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"

namespace zkcnn {

/// Primary template: empty, so that a type without an adaptation fails the concept check
/// (instead of a hard error inside the trait).
template <class G>
struct group_traits {};

namespace detail {

template <class G>
concept GroupWithMembers = requires(const G& a, const G& b, G& m, std::span<G> points,
                                    std::span<const std::uint8_t> bytes, std::string_view domain, std::uint64_t index,
                                    const typename G::Scalar& k) {
  typename G::Scalar;
  { G::encoded_size } -> std::convertible_to<std::size_t>;
  { G::identity() } -> std::same_as<G>;
  { G::generator() } -> std::same_as<G>;
  { a + b } -> std::same_as<G>;
  { a - b } -> std::same_as<G>;
  { -a } -> std::same_as<G>;
  { a.doubled() } -> std::same_as<G>;
  { a * k } -> std::same_as<G>;
  { a == b } -> std::same_as<bool>;
  { a.is_identity() } -> std::same_as<bool>;
  { G::batch_normalize(points) };
  { a.encode() } -> std::same_as<std::array<std::uint8_t, G::encoded_size>>;
  { G::decode(bytes) } -> std::same_as<Result<G>>;
  { G::hash_to_group(domain, index) } -> std::same_as<G>;
};

}  // namespace detail

/// The adaptation of a type that has the members itself.
template <detail::GroupWithMembers G>
struct group_traits<G> {
  using scalar_type = typename G::Scalar;
  static constexpr std::size_t encoded_size = G::encoded_size;

  static G identity() { return G::identity(); }
  static G generator() { return G::generator(); }
  static G add(const G& a, const G& b) { return a + b; }
  static G negate(const G& a) { return -a; }
  static G doubled(const G& a) { return a.doubled(); }
  static G scalar_mul(const G& a, const scalar_type& k) { return a * k; }
  static bool equal(const G& a, const G& b) { return a == b; }
  static bool is_identity(const G& a) { return a.is_identity(); }
  /// Brings every point to its cheapest representation for further additions (affine, with
  /// one shared inversion), without changing the points' values.
  static void batch_normalize(std::span<G> points) { G::batch_normalize(points); }
  /// Canonical compressed encoding.
  static std::array<std::uint8_t, encoded_size> encode(const G& a) { return a.encode(); }
  /// Decodes and validates: canonical coordinates, on the curve, in the prime-order subgroup.
  static Result<G> decode(std::span<const std::uint8_t> bytes) { return G::decode(bytes); }
  /// A point with unknown discrete logarithm, deterministic in (domain, index).
  static G hash_to_group(std::string_view domain, std::uint64_t index) { return G::hash_to_group(domain, index); }
};

/// A prime-order group for Pedersen-style commitments.
template <class G>
concept CommitmentGroup =
    std::regular<G> && requires { typename group_traits<G>::scalar_type; } &&
    PrimeField<typename group_traits<G>::scalar_type> &&
    requires(const G& a, const G& b, std::span<G> points, std::span<const std::uint8_t> bytes, std::string_view domain,
             std::uint64_t index, const typename group_traits<G>::scalar_type& k) {
      { group_traits<G>::encoded_size } -> std::convertible_to<std::size_t>;
      { group_traits<G>::identity() } -> std::same_as<G>;
      { group_traits<G>::generator() } -> std::same_as<G>;
      { group_traits<G>::add(a, b) } -> std::same_as<G>;
      { group_traits<G>::negate(a) } -> std::same_as<G>;
      { group_traits<G>::doubled(a) } -> std::same_as<G>;
      { group_traits<G>::scalar_mul(a, k) } -> std::same_as<G>;
      { group_traits<G>::equal(a, b) } -> std::same_as<bool>;
      { group_traits<G>::is_identity(a) } -> std::same_as<bool>;
      group_traits<G>::batch_normalize(points);
      { group_traits<G>::encode(a) } -> std::same_as<std::array<std::uint8_t, group_traits<G>::encoded_size>>;
      { group_traits<G>::decode(bytes) } -> std::same_as<Result<G>>;
      { group_traits<G>::hash_to_group(domain, index) } -> std::same_as<G>;
    };

template <CommitmentGroup G>
using scalar_of = typename group_traits<G>::scalar_type;

}  // namespace zkcnn
