#pragma once
// BLS12-381 G1: the order-r subgroup of y^2 = x^3 + 4 over bls12_381::Fq, r the modulus of
// bls12_381::Fr, cofactor h = #E(Fq) / r = 0x396c8c005555e1568c00aaab0000aaab
// (= (u - 1)^2 / 3 for the family parameter u = -0xd201000000010000). Generator: the standard
// one (draft-irtf-cfrg-pairing-friendly-curves, section 4.2.1; ZCash's BLS12-381).
//
// Subgroup check. Decoding must reject the curve points outside the subgroup (almost all of
// them). The definition [r]P = O costs a 255-bit scalar multiplication; instead this uses the
// endomorphism phi(x, y) = (beta x, y), beta a primitive cube root of unity in Fq, which acts on
// the subgroup as multiplication by lambda = -u^2 (a cube root of unity mod r), and checks
// phi(P) = [-u^2]P. Scott (M. Scott, "A note on group membership tests for G1, G2 and GT on BLS
// pairing-friendly curves", IACR ePrint 2021/1130, section 3.1) proves that on BLS12-381 this
// equation holds exactly for the points of the subgroup. It costs two multiplications by the
// 64-bit, weight-6 constant |u| (126 doublings and 10 additions), against 255 doublings and
// about 43 additions for [r]P. tests/ec checks it against [r]P = O on subgroup points, on random
// curve points and on points with a component of each small order dividing h.

#include <cstdint>
#include <string_view>

#include "zkcnn/ec/short_weierstrass.hpp"
#include "zkcnn/field/bls12_381.hpp"

namespace zkcnn::bls12_381 {

struct G1Parameters {
  using Base = Fq;
  using Scalar = Fr;
  static constexpr std::string_view name = "bls12_381 G1";
  static constexpr std::uint64_t a = 0;
  static constexpr std::uint64_t b = 4;
  static constexpr std::string_view generator_x =
      "0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";
  static constexpr std::string_view generator_y =
      "0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1";
  static constexpr std::string_view cofactor = "0x396c8c005555e1568c00aaab0000aaab";
  /// The endomorphism (x, y) -> (beta x, y) with beta = endomorphism_beta^2 (below), which is
  /// [u^2 - 1] on the subgroup (ec/glv.hpp), and the basis (1, u^2), (u^2 - 1, -1) of
  /// {(a, b) : a + b lambda = 0 mod r} (r = u^4 - u^2 + 1).
  static constexpr detail::ec::GlvParameters glv{
      .beta = "0x1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaac",
      .lambda = "0xac45a4010001a40200000000ffffffff",
      .a1 = "0x1",
      .b1 = "0xac45a4010001a4020000000100000000",
      .a2 = "0xac45a4010001a40200000000ffffffff",
      .b2 = "-0x1",
      .g1 = "0x2",
      .g2 = "0x17c6becf1e01faadd63f6e522f6cfee30",
  };

  /// |u| for the family parameter u = -0xd201000000010000.
  static constexpr std::uint64_t u_abs = 0xd201000000010000ull;

  /// The cube root of unity for which phi(P) = (beta x, y) is [-u^2]P on the subgroup (the
  /// other one, beta^2, gives [u^2 - 1]P).
  static constexpr Fq endomorphism_beta = detail::ec::field_from_hex<Fq>(
      "0x5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe");
  static_assert(endomorphism_beta != Fq::one() && endomorphism_beta.square() * endomorphism_beta == Fq::one(),
                "beta must be a primitive cube root of unity");

  /// phi(P) = [-u^2]P (Scott 2021, see above). Precondition: P is on the curve.
  template <class Point>
  static bool is_in_prime_subgroup(const Point& p) {
    if (p.is_identity()) return true;
    const Point u2p = times_u_abs(times_u_abs(p));  // [u^2]P
    const Point phi = Point::from_jacobian_unchecked(p.jacobian_x() * endomorphism_beta, p.jacobian_y(), p.jacobian_z());
    return u2p == -phi;
  }

  /// [|u|]P by plain double-and-add: |u| has only six set bits.
  template <class Point>
  static Point times_u_abs(const Point& p) {
    Point acc = p;  // bit 63
    for (int bit = 62; bit >= 0; --bit) {
      acc = acc.doubled();
      if ((u_abs >> bit) & 1) acc += p;
    }
    return acc;
  }
};

/// A point of BLS12-381 G1; models CommitmentGroup with scalars bls12_381::Fr.
using G1 = ShortWeierstrassPoint<G1Parameters>;

static_assert(CommitmentGroup<G1>);

}  // namespace zkcnn::bls12_381
