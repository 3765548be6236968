#pragma once
// The BLS12-381 fields: Fr, the scalar field of the prime-order subgroups, and Fq, the base
// field of the curve.

#include <string_view>

#include "zkcnn/field/montgomery.hpp"

namespace zkcnn::bls12_381 {

struct FrParams {
  static constexpr std::string_view modulus = "0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";
};
struct FqParams {
  static constexpr std::string_view modulus =
      "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
};

using Fr = MontgomeryField<FrParams>;
using Fq = MontgomeryField<FqParams>;

}  // namespace zkcnn::bls12_381
