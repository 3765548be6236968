#pragma once
// BN254 (alt_bn128) G1: y^2 = x^3 + 3 over bn254::Fq, generator (1, 2), prime order r (the
// modulus of bn254::Fr), cofactor 1, so every curve point is in the group. The curve of
// Ethereum's precompiles (EIP-196) and of many SNARK libraries; its family parameter is
// u = 0x44e992b44a6909f1 (p = 36u^4 + 36u^3 + 24u^2 + 6u + 1, trace 6u^2 + 1).

#include <cstdint>
#include <string_view>

#include "zkcnn/ec/short_weierstrass.hpp"
#include "zkcnn/field/bn254.hpp"

namespace zkcnn::bn254 {

struct G1Parameters {
  using Base = Fq;
  using Scalar = Fr;
  static constexpr std::string_view name = "bn254 G1";
  static constexpr std::uint64_t a = 0;
  static constexpr std::uint64_t b = 3;
  static constexpr std::string_view generator_x = "0x1";
  static constexpr std::string_view generator_y = "0x2";
  static constexpr std::string_view cofactor = "0x1";
  /// The endomorphism (x, y) -> (beta x, y) = [lambda] (ec/glv.hpp), and a reduced basis of
  /// {(a, b) : a + b lambda = 0 mod r}: (6u^2 + 2u, -(2u + 1)) and (2u + 1, 6u^2 + 4u + 1).
  static constexpr detail::ec::GlvParameters glv{
      .beta = "0x30644e72e131a0295e6dd9e7e0acccb0c28f069fbb966e3de4bd44e5607cfd48",
      .lambda = "0x30644e72e131a029048b6e193fd84104cc37a73fec2bc5e9b8ca0b2d36636f23",
      .a1 = "0x6f4d8248eeb859fc8211bbeb7d4f1128",
      .b1 = "-0x89d3256894d213e3",
      .a2 = "0x89d3256894d213e3",
      .b2 = "0x6f4d8248eeb859fd0be4e1541221250b",
      .g1 = "0x24ccef014a773d2d25398fd0300ff6565",
      .g2 = "0x2d91d232ec7e0b3d7",
  };
};

/// A point of BN254 G1; models CommitmentGroup with scalars bn254::Fr.
using G1 = ShortWeierstrassPoint<G1Parameters>;

static_assert(CommitmentGroup<G1>);

}  // namespace zkcnn::bn254
