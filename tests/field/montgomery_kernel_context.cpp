// Instantiates the hostile calling context of montgomery_kernel_context.hpp for the fields of
// both assembly kernels (four limbs: BN254 Fr and Fq, BLS12-381 Fr; six limbs: BLS12-381 Fq).
// tests/CMakeLists.txt compiles it, without linking, for each -march of ZKCNN_KERNEL_MARCHES:
// a kernel that asks for more registers than the context leaves fails the build. The curves'
// scalar multiplications too: they inline the kernels into frames of their own (the
// endomorphism's once left clang too few registers for AVX-512 targets).

#include <zkcnn/ec/bls12_381_g1.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bls12_381.hpp>
#include <zkcnn/field/bn254.hpp>

#include "field/montgomery_kernel_context.hpp"

namespace zkcnn::test {

template bn254::Fr multiply_in_realigned_frame(bn254::Fr, bn254::Fr, std::size_t, unsigned char*);
template bn254::Fq multiply_in_realigned_frame(bn254::Fq, bn254::Fq, std::size_t, unsigned char*);
template bls12_381::Fr multiply_in_realigned_frame(bls12_381::Fr, bls12_381::Fr, std::size_t, unsigned char*);
template bls12_381::Fq multiply_in_realigned_frame(bls12_381::Fq, bls12_381::Fq, std::size_t, unsigned char*);

bn254::G1 multiply_point(const bn254::G1& p, const bn254::Fr& k) { return p * k; }
bls12_381::G1 multiply_point(const bls12_381::G1& p, const bls12_381::Fr& k) { return p * k; }

}  // namespace zkcnn::test
