// Instantiates the hostile calling context of montgomery_kernel_context.hpp for the fields of
// both assembly kernels (four limbs: BN254 Fr and Fq, BLS12-381 Fr; six limbs: BLS12-381 Fq).
// tests/CMakeLists.txt compiles it, without linking, for each -march of ZKCNN_KERNEL_MARCHES:
// a kernel that asks for more registers than the context leaves fails the build.

#include <zkcnn/field/bls12_381.hpp>
#include <zkcnn/field/bn254.hpp>

#include "field/montgomery_kernel_context.hpp"

namespace zkcnn::test {

template bn254::Fr multiply_in_realigned_frame(bn254::Fr, bn254::Fr, std::size_t, unsigned char*);
template bn254::Fq multiply_in_realigned_frame(bn254::Fq, bn254::Fq, std::size_t, unsigned char*);
template bls12_381::Fr multiply_in_realigned_frame(bls12_381::Fr, bls12_381::Fr, std::size_t, unsigned char*);
template bls12_381::Fq multiply_in_realigned_frame(bls12_381::Fq, bls12_381::Fq, std::size_t, unsigned char*);

}  // namespace zkcnn::test
