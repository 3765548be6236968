#pragma once
// The BN254 (alt_bn128) fields: Fr, the scalar field of the curve's prime-order group, and Fq,
// the base field its points are defined over.

#include <string_view>

#include "zkcnn/field/montgomery.hpp"

namespace zkcnn::bn254 {

struct FrParams {
  static constexpr std::string_view modulus = "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001";
};
struct FqParams {
  static constexpr std::string_view modulus = "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47";
};

using Fr = MontgomeryField<FrParams>;
using Fq = MontgomeryField<FqParams>;

}  // namespace zkcnn::bn254
