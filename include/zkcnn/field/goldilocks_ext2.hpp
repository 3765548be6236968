#pragma once
// The quadratic extension of Goldilocks, Goldilocks[X] / (X^2 - 7): the challenge field for
// protocols over Goldilocks (about 128 bits of field size).

#include "zkcnn/field/goldilocks.hpp"
#include "zkcnn/field/pow.hpp"
#include "zkcnn/field/quadratic_extension.hpp"

namespace zkcnn {

struct GoldilocksExt2Params {
  using Base = Goldilocks;
  static constexpr std::uint64_t non_residue = 7;
};
// Euler's criterion: W^((p-1)/2) = -1 exactly when W is a non-residue, which makes X^2 - W
// irreducible.
static_assert(pow(Goldilocks::from_u64(GoldilocksExt2Params::non_residue), (Goldilocks::modulus - 1) / 2) ==
              -Goldilocks::one());

using GoldilocksExt2 = QuadraticExtension<GoldilocksExt2Params>;

}  // namespace zkcnn
