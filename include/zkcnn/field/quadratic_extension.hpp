#pragma once
// Degree-2 extensions F[X] / (X^2 - W) of an encodable base field, for challenges drawn from a
// field larger than a small base field (Goldilocks: 64 bits alone give too little soundness).

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <span>

#include "zkcnn/concepts/field.hpp"

namespace zkcnn {

/// F[X] / (X^2 - W) with W = Params::non_residue, which must be a quadratic non-residue in
/// F = Params::Base (each instantiation checks that at compile time). Elements are c0 + c1 X.
template <class Params>
class QuadraticExtension {
 public:
  using Base = typename Params::Base;
  static_assert(EncodableField<Base>);
  static constexpr std::size_t extension_degree = 2;
  static constexpr std::size_t byte_size = 2 * Base::byte_size;
  static constexpr std::size_t uniform_bytes = 2 * Base::uniform_bytes;

  constexpr QuadraticExtension() = default;
  constexpr QuadraticExtension(const Base& c0, const Base& c1) : c0_(c0), c1_(c1) {}

  static constexpr QuadraticExtension zero() { return {}; }
  static constexpr QuadraticExtension one() { return from_base(Base::one()); }
  static constexpr QuadraticExtension from_base(const Base& value) { return {value, Base::zero()}; }
  static constexpr QuadraticExtension from_u64(std::uint64_t value) { return from_base(Base::from_u64(value)); }
  static constexpr QuadraticExtension from_i64(std::int64_t value) { return from_base(Base::from_i64(value)); }

  template <std::uniform_random_bit_generator Rng>
  static QuadraticExtension random(Rng& rng) {
    const Base c0 = Base::random(rng);
    return {c0, Base::random(rng)};
  }

  /// The coefficients (c0, c1) of c0 + c1 X.
  constexpr std::array<Base, 2> coefficients() const { return {c0_, c1_}; }
  static constexpr QuadraticExtension from_coefficients(const std::array<Base, 2>& c) { return {c[0], c[1]}; }

  /// The base field's roots of unity are the extension's: a proof whose field is the extension
  /// runs its FFT convolutions on the base field's power-of-two subgroups (the extension's own
  /// two-adicity may be larger; this is what the roots below reach).
  static constexpr unsigned two_adicity = [] {
    if constexpr (TwoAdicField<Base>) {
      return static_cast<unsigned>(Base::two_adicity);
    } else {
      return 0u;
    }
  }();
  static QuadraticExtension root_of_unity(unsigned k)
    requires TwoAdicField<Base>
  {
    return from_base(Base::root_of_unity(k));
  }

  constexpr bool is_zero() const { return c0_.is_zero() && c1_.is_zero(); }

  constexpr QuadraticExtension square() const {
    if constexpr (requires { Base::quadratic_extension_product(c0_, c1_, c0_, c1_, Params::non_residue); }) {
      return *this * *this;
    } else {
      // (c0 + c1 X)^2 = c0^2 + W c1^2 + 2 c0 c1 X
      const Base c0c1 = c0_ * c1_;
      return {c0_.square() + non_residue() * c1_.square(), c0c1 + c0c1};
    }
  }

  /// (c0 + c1 X)^-1 = (c0 - c1 X) / (c0^2 - W c1^2); the norm is non-zero for non-zero input
  /// because W is a non-residue.
  constexpr std::optional<QuadraticExtension> inverse() const {
    const auto norm_inverse = (c0_.square() - non_residue() * c1_.square()).inverse();
    if (!norm_inverse) return std::nullopt;
    return QuadraticExtension{c0_ * *norm_inverse, -(c1_ * *norm_inverse)};
  }

  /// c0's encoding followed by c1's.
  constexpr std::array<std::uint8_t, byte_size> to_bytes() const {
    std::array<std::uint8_t, byte_size> out{};
    const auto low = c0_.to_bytes();
    const auto high = c1_.to_bytes();
    for (std::size_t i = 0; i < Base::byte_size; ++i) {
      out[i] = low[i];
      out[Base::byte_size + i] = high[i];
    }
    return out;
  }

  static Result<QuadraticExtension> from_bytes(std::span<const std::uint8_t> bytes) {
    if (bytes.size() != byte_size) {
      return make_error(Errc::invalid_encoding, "extension field element: expected " + std::to_string(byte_size) +
                                                    " bytes, got " + std::to_string(bytes.size()));
    }
    auto c0 = Base::from_bytes(bytes.first(Base::byte_size));
    if (!c0) return c0.error();
    auto c1 = Base::from_bytes(bytes.subspan(Base::byte_size));
    if (!c1) return c1.error();
    return QuadraticExtension{*c0, *c1};
  }

  /// Each coefficient from its own half of the uniform bytes.
  static QuadraticExtension from_uniform_bytes(std::span<const std::uint8_t> bytes) {
    const std::size_t half = bytes.size() / 2;
    return {Base::from_uniform_bytes(bytes.first(half)), Base::from_uniform_bytes(bytes.subspan(half))};
  }

  constexpr QuadraticExtension& operator+=(const QuadraticExtension& o) {
    c0_ += o.c0_;
    c1_ += o.c1_;
    return *this;
  }
  constexpr QuadraticExtension& operator-=(const QuadraticExtension& o) {
    c0_ -= o.c0_;
    c1_ -= o.c1_;
    return *this;
  }
  constexpr QuadraticExtension& operator*=(const QuadraticExtension& o) {
    if constexpr (requires { Base::quadratic_extension_product(c0_, c1_, o.c0_, o.c1_, Params::non_residue); }) {
      // A base field that sums the products before reducing them (Goldilocks).
      const auto product = Base::quadratic_extension_product(c0_, c1_, o.c0_, o.c1_, Params::non_residue);
      c0_ = product[0];
      c1_ = product[1];
    } else {
      // Karatsuba: three base multiplications.
      const Base v0 = c0_ * o.c0_;
      const Base v1 = c1_ * o.c1_;
      const Base cross = (c0_ + c1_) * (o.c0_ + o.c1_) - v0 - v1;
      c0_ = v0 + non_residue() * v1;
      c1_ = cross;
    }
    return *this;
  }
  constexpr QuadraticExtension& operator*=(const Base& scalar) {
    c0_ *= scalar;
    c1_ *= scalar;
    return *this;
  }
  friend constexpr QuadraticExtension operator+(QuadraticExtension a, const QuadraticExtension& b) { return a += b; }
  friend constexpr QuadraticExtension operator-(QuadraticExtension a, const QuadraticExtension& b) { return a -= b; }
  friend constexpr QuadraticExtension operator*(QuadraticExtension a, const QuadraticExtension& b) { return a *= b; }
  friend constexpr QuadraticExtension operator*(QuadraticExtension a, const Base& b) { return a *= b; }
  friend constexpr QuadraticExtension operator-(const QuadraticExtension& a) { return {-a.c0_, -a.c1_}; }
  friend constexpr bool operator==(const QuadraticExtension&, const QuadraticExtension&) = default;

  friend std::ostream& operator<<(std::ostream& os, const QuadraticExtension& x) {
    return os << '(' << x.c0_ << " + " << x.c1_ << " X)";
  }

 private:
  static constexpr Base non_residue() { return Base::from_u64(Params::non_residue); }

  Base c0_{};
  Base c1_{};
};

}  // namespace zkcnn
