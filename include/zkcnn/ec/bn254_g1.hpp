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
};

/// A point of BN254 G1; models CommitmentGroup with scalars bn254::Fr.
using G1 = ShortWeierstrassPoint<G1Parameters>;

static_assert(CommitmentGroup<G1>);

}  // namespace zkcnn::bn254
