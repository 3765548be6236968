#pragma once
// Montgomery multiplication for four- and six-limb moduli with a spare bit, in x86-64 inline
// assembly with MULX (BMI2) and ADCX/ADOX (ADX).
//
// Compiled into every optimized x86-64 build with the small code model (at -O0 the constants'
// memory operands below would each take an address register; the larger code models cannot
// address them relative to RIP) unless ZKCNN_NO_INLINE_ASM is defined: the assembler takes
// MULX, ADCX and ADOX whatever the -march. It runs where the CPU has BMI2 and ADX: known at
// compile time for a target that has them (-march=native on such a CPU, which the
// ZKCNN_NATIVE CMake option turns on for zkcnn's own targets), asked of CPUID once per process
// otherwise, so that a build without -march gets it too (the environment variable
// ZKCNN_PORTABLE_FIELD rules it out). MontgomeryField then uses it for its four- and six-limb
// moduli with a spare bit, outside constant evaluation, instead of the add-with-carry
// intrinsics: compilers lower those to MUL, whose fixed RAX/RDX operands cost moves around
// every product (g++ 12 without -march: 34.6 ns against 18.4 ns for BN254 Fr).
//
// Algorithm: coarsely integrated operand scanning, CIOS (Koc, Acar, Kaliski, "Analyzing and
// comparing Montgomery multiplication algorithms", IEEE Micro 16(3), 1996). With n limbs, for
// i = 0..n-1:
//     t += a * b[i];   m = t[0] * inv mod 2^64;   t = (t + m * p) / 2^64,
// where inv = -p^-1 mod 2^64 makes the division exact. With a, b < p every row ends with
// t < 2p, and in between t < 2^65 * p, below 2^(64 (n + 1)) when p < 2^(64 n - 1): t never
// needs more than n + 1 limbs and the (n + 1)-limb additions never carry out. A final
// conditional subtraction of p brings t < 2p into [0, p).
//
// Each multiply-accumulate "t += x * (y0, .., y(n-1))" uses the two carry chains of Ozturk,
// Guilford, Gopal, Feghali, "New Instructions Supporting Large Integer Arithmetic on Intel
// Architecture Processors" (Intel white paper, 2012): MULX forms x * yj as (hi_j, lo_j) without
// touching the flags, ADCX adds lo_j into limb j on a chain carried in CF alone, ADOX adds hi_j
// into limb j + 1 on a chain carried in OF alone. The two chains interleave, so neither half of
// a product waits for the other half's carries. Each pair of chains starts from an XOR (which
// clears CF and OF) and ends in the top limb: ADOX adds the last high half with OF, then ADC
// adds the last CF (ADC also writes OF, but the OF chain is finished by then).
//
// Register allocation: t lives in a ring of n + 1 registers r0..rn. Row i finds t in
// r(i)..r(i+n-1) (indices mod n + 1) and its top limb goes to r(i+n). The reduction leaves
// t[0] = 0, so the shift by one limb is a renaming, not a move, and the zeroed register is the
// next row's top limb: the high-half chain can add into it directly. RDX holds the multiplier
// MULX requires (b[i], then m); lo and hi receive each product; b is read through a pointer.
// The constants (modulus, inv) are memory operands on a static object with hidden visibility,
// addressed relative to RIP: they take no register (a pointer to them would take one in every
// call). Four limbs keep a[0..3] in registers too (the operand a dependent chain x = x * y
// carries; reading it through a pointer costs that chain a store-to-load forwarding, 10 % of
// its latency): 13 registers in all. Six limbs read a through a pointer as well (12 registers),
// and reuse the a and b pointers' registers in the final subtraction.
//
// 13 is the fewest general-purpose registers any calling context leaves an inline asm on
// x86-64: 16 less RSP, the frame pointer RBP, and the base pointer RBX that clang reserves in
// a function whose stack is realigned (for 64-byte AVX-512 values) and that also has objects
// of variable size. tests/field/montgomery_kernel_context.cpp compiles that context for every
// -march CI builds.
//
// The templates are in AT&T syntax: translation units compiled with -masm=intel cannot use them
// (define ZKCNN_NO_INLINE_ASM there).

#include <cstddef>
#include <cstdint>

#include "zkcnn/detail/bigint.hpp"
#include "zkcnn/detail/inline.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__) && \
    !defined(__code_model_medium__) && !defined(__code_model_large__) && !defined(ZKCNN_NO_INLINE_ASM)
#define ZKCNN_HAS_X86_64_MONTGOMERY_ASM 1
#include <cpuid.h>
#include <cstdlib>
#else
#define ZKCNN_HAS_X86_64_MONTGOMERY_ASM 0
#endif

namespace zkcnn::detail {

/// What a Montgomery kernel reads besides its operands: the modulus p and inv = -p^-1 mod 2^64.
/// The kernels take it as a template argument, an object of static storage duration, so that
/// they address it relative to RIP (see the register allocation above).
template <std::size_t N>
struct MontgomeryKernelConstants {
  Limbs<N> modulus;
  std::uint64_t inv;
};

}  // namespace zkcnn::detail

#if ZKCNN_HAS_X86_64_MONTGOMERY_ASM

namespace zkcnn::detail {

/// Whether this CPU has BMI2 and ADX (CPUID leaf 7: EBX bits 8 and 19), unless the environment
/// variable ZKCNN_PORTABLE_FIELD is set (tests run both paths; a user can rule the kernel out
/// of a build whose target does not imply the extensions). Asked once per process.
inline bool detect_x86_64_montgomery_asm() {
  if (std::getenv("ZKCNN_PORTABLE_FIELD") != nullptr) return false;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  return (ebx >> 8 & 1) != 0 && (ebx >> 19 & 1) != 0;
}

/// Zero until dynamic initialization has run: multiplications during other objects' static
/// initialization take the portable path, which is always correct.
inline const bool x86_64_montgomery_asm_available = detect_x86_64_montgomery_asm();

/// Whether the assembly kernels run: known at compile time when the target has BMI2 and ADX,
/// otherwise the CPU's answer.
ZKCNN_ALWAYS_INLINE bool use_x86_64_montgomery_asm() {
#if defined(__BMI2__) && defined(__ADX__)
  return true;
#else
  return x86_64_montgomery_asm_available;
#endif
}

// t(T0..T4) = t(T0..T3) + a * b[i], where B_I is the byte offset of b[i] and T4 is zero on
// entry (it held t[0] of the previous row, which its reduction cleared).
#define ZKCNN_MONT4_MUL_ROW(B_I, T0, T1, T2, T3, T4) \
  "xorl %k[lo], %k[lo]\n\t"                         \
  "movq " B_I "(%[b]), %%rdx\n\t"                   \
  "mulxq %[a0], %[lo], %[hi]\n\t"                   \
  "adcxq %[lo], " T0 "\n\t"                         \
  "adoxq %[hi], " T1 "\n\t"                         \
  "mulxq %[a1], %[lo], %[hi]\n\t"                   \
  "adcxq %[lo], " T1 "\n\t"                         \
  "adoxq %[hi], " T2 "\n\t"                         \
  "mulxq %[a2], %[lo], %[hi]\n\t"                   \
  "adcxq %[lo], " T2 "\n\t"                         \
  "adoxq %[hi], " T3 "\n\t"                         \
  "mulxq %[a3], %[lo], %[hi]\n\t"                   \
  "adcxq %[lo], " T3 "\n\t"                         \
  "adoxq %[hi], " T4 "\n\t"                         \
  "adcq $0, " T4 "\n\t"

// t(T0..T4) += m * p with m = T0 * inv mod 2^64, which makes T0 zero (the low-half chain still
// adds the low half of m * p[0] into it, for its carry: T0 != 0); t / 2^64 is then in T1..T4.
#define ZKCNN_MONT4_REDUCE_ROW(T0, T1, T2, T3, T4) \
  "movq " T0 ", %%rdx\n\t"                        \
  "imulq %[inv], %%rdx\n\t"                     \
  "xorl %k[lo], %k[lo]\n\t"                       \
  "mulxq %[p0], %[lo], %[hi]\n\t"                \
  "adcxq %[lo], " T0 "\n\t"                       \
  "adoxq %[hi], " T1 "\n\t"                       \
  "mulxq %[p1], %[lo], %[hi]\n\t"               \
  "adcxq %[lo], " T1 "\n\t"                       \
  "adoxq %[hi], " T2 "\n\t"                       \
  "mulxq %[p2], %[lo], %[hi]\n\t"              \
  "adcxq %[lo], " T2 "\n\t"                       \
  "adoxq %[hi], " T3 "\n\t"                       \
  "mulxq %[p3], %[lo], %[hi]\n\t"              \
  "adcxq %[lo], " T3 "\n\t"                       \
  "adoxq %[hi], " T4 "\n\t"                       \
  "adcq $0, " T4 "\n\t"

/// a * b * 2^-256 mod p for a, b < p, with p = K.modulus odd and below 2^255 and
/// K.inv = -p^-1 mod 2^64. The result may be stored over either input.
template <const MontgomeryKernelConstants<4>& K>
ZKCNN_ALWAYS_INLINE Limbs<4> montgomery_multiply_x86_64_4(const Limbs<4>& a, const Limbs<4>& b) {
  std::uint64_t r0, r1, r2, r3, r4, lo, hi, rdx;
  // Every output is early-clobber: each is written while inputs are still to be read. b is read
  // through a pointer, hence the "memory" clobber (per-limb "m" operands for b would each want
  // an address register, more than some builds have left).
  __asm__(
      // Row 0: t = a * b[0]. t starts at zero, so MULX writes the high halves straight into
      // t[1..4] and a single carry chain adds the low halves.
      "movq (%[b]), %%rdx\n\t"
      "mulxq %[a0], %[r0], %[r1]\n\t"
      "mulxq %[a1], %[lo], %[r2]\n\t"
      "addq %[lo], %[r1]\n\t"
      "mulxq %[a2], %[lo], %[r3]\n\t"
      "adcq %[lo], %[r2]\n\t"
      "mulxq %[a3], %[lo], %[r4]\n\t"
      "adcq %[lo], %[r3]\n\t"
      "adcq $0, %[r4]\n\t"
      ZKCNN_MONT4_REDUCE_ROW("%[r0]", "%[r1]", "%[r2]", "%[r3]", "%[r4]")
      // Rows 1..3, each starting one register further along the ring.
      ZKCNN_MONT4_MUL_ROW("8", "%[r1]", "%[r2]", "%[r3]", "%[r4]", "%[r0]")
      ZKCNN_MONT4_REDUCE_ROW("%[r1]", "%[r2]", "%[r3]", "%[r4]", "%[r0]")
      ZKCNN_MONT4_MUL_ROW("16", "%[r2]", "%[r3]", "%[r4]", "%[r0]", "%[r1]")
      ZKCNN_MONT4_REDUCE_ROW("%[r2]", "%[r3]", "%[r4]", "%[r0]", "%[r1]")
      ZKCNN_MONT4_MUL_ROW("24", "%[r3]", "%[r4]", "%[r0]", "%[r1]", "%[r2]")
      ZKCNN_MONT4_REDUCE_ROW("%[r3]", "%[r4]", "%[r0]", "%[r1]", "%[r2]")
      // t = (r4, r0, r1, r2) < 2p. t - p goes to (lo, hi, rdx, r3); a final borrow (CF) means
      // t < p: keep t, otherwise take the difference.
      "movq %[r4], %[lo]\n\t"
      "subq %[p0], %[lo]\n\t"
      "movq %[r0], %[hi]\n\t"
      "sbbq %[p1], %[hi]\n\t"
      "movq %[r1], %%rdx\n\t"
      "sbbq %[p2], %%rdx\n\t"
      "movq %[r2], %[r3]\n\t"
      "sbbq %[p3], %[r3]\n\t"
      "cmovncq %[lo], %[r4]\n\t"
      "cmovncq %[hi], %[r0]\n\t"
      "cmovncq %%rdx, %[r1]\n\t"
      "cmovncq %[r3], %[r2]\n\t"
      : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [r4] "=&r"(r4), [lo] "=&r"(lo),
        [hi] "=&r"(hi), "=&d"(rdx)
      : [a0] "r"(a[0]), [a1] "r"(a[1]), [a2] "r"(a[2]), [a3] "r"(a[3]), [b] "r"(b.data()),
        [p0] "m"(K.modulus[0]), [p1] "m"(K.modulus[1]), [p2] "m"(K.modulus[2]), [p3] "m"(K.modulus[3]),
        [inv] "m"(K.inv)
      : "cc", "memory");
  return {r4, r0, r1, r2};
}

#undef ZKCNN_MONT4_MUL_ROW
#undef ZKCNN_MONT4_REDUCE_ROW

// The six-limb rows: as above, with a read through a pointer.
#define ZKCNN_MONT6_MUL_ROW(B_I, T0, T1, T2, T3, T4, T5, T6) \
  "xorl %k[lo], %k[lo]\n\t"                                 \
  "movq " B_I "(%[b]), %%rdx\n\t"                           \
  "mulxq (%[a]), %[lo], %[hi]\n\t"                          \
  "adcxq %[lo], " T0 "\n\t"                                 \
  "adoxq %[hi], " T1 "\n\t"                                 \
  "mulxq 8(%[a]), %[lo], %[hi]\n\t"                         \
  "adcxq %[lo], " T1 "\n\t"                                 \
  "adoxq %[hi], " T2 "\n\t"                                 \
  "mulxq 16(%[a]), %[lo], %[hi]\n\t"                        \
  "adcxq %[lo], " T2 "\n\t"                                 \
  "adoxq %[hi], " T3 "\n\t"                                 \
  "mulxq 24(%[a]), %[lo], %[hi]\n\t"                        \
  "adcxq %[lo], " T3 "\n\t"                                 \
  "adoxq %[hi], " T4 "\n\t"                                 \
  "mulxq 32(%[a]), %[lo], %[hi]\n\t"                        \
  "adcxq %[lo], " T4 "\n\t"                                 \
  "adoxq %[hi], " T5 "\n\t"                                 \
  "mulxq 40(%[a]), %[lo], %[hi]\n\t"                        \
  "adcxq %[lo], " T5 "\n\t"                                 \
  "adoxq %[hi], " T6 "\n\t"                                 \
  "adcq $0, " T6 "\n\t"

#define ZKCNN_MONT6_REDUCE_ROW(T0, T1, T2, T3, T4, T5, T6) \
  "movq " T0 ", %%rdx\n\t"                                \
  "imulq %[inv], %%rdx\n\t"                             \
  "xorl %k[lo], %k[lo]\n\t"                               \
  "mulxq %[p0], %[lo], %[hi]\n\t"                        \
  "adcxq %[lo], " T0 "\n\t"                               \
  "adoxq %[hi], " T1 "\n\t"                               \
  "mulxq %[p1], %[lo], %[hi]\n\t"                       \
  "adcxq %[lo], " T1 "\n\t"                               \
  "adoxq %[hi], " T2 "\n\t"                               \
  "mulxq %[p2], %[lo], %[hi]\n\t"                      \
  "adcxq %[lo], " T2 "\n\t"                               \
  "adoxq %[hi], " T3 "\n\t"                               \
  "mulxq %[p3], %[lo], %[hi]\n\t"                      \
  "adcxq %[lo], " T3 "\n\t"                               \
  "adoxq %[hi], " T4 "\n\t"                               \
  "mulxq %[p4], %[lo], %[hi]\n\t"                      \
  "adcxq %[lo], " T4 "\n\t"                               \
  "adoxq %[hi], " T5 "\n\t"                               \
  "mulxq %[p5], %[lo], %[hi]\n\t"                      \
  "adcxq %[lo], " T5 "\n\t"                               \
  "adoxq %[hi], " T6 "\n\t"                               \
  "adcq $0, " T6 "\n\t"

/// a * b * 2^-384 mod p for a, b < p, with p = K.modulus odd and below 2^383 and
/// K.inv = -p^-1 mod 2^64. The result may be stored over either input.
template <const MontgomeryKernelConstants<6>& K>
ZKCNN_ALWAYS_INLINE Limbs<6> montgomery_multiply_x86_64_6(const Limbs<6>& a, const Limbs<6>& b) {
  std::uint64_t r0, r1, r2, r3, r4, r5, r6, lo, hi, rdx;
  // The pointers to a and b are read-write operands: once the last row has read them, their
  // registers hold two limbs of t - p.
  const std::uint64_t* a_ptr = a.data();
  const std::uint64_t* b_ptr = b.data();
  __asm__(
      // Row 0: t = a * b[0], as in the four-limb kernel.
      "movq (%[b]), %%rdx\n\t"
      "mulxq (%[a]), %[r0], %[r1]\n\t"
      "mulxq 8(%[a]), %[lo], %[r2]\n\t"
      "addq %[lo], %[r1]\n\t"
      "mulxq 16(%[a]), %[lo], %[r3]\n\t"
      "adcq %[lo], %[r2]\n\t"
      "mulxq 24(%[a]), %[lo], %[r4]\n\t"
      "adcq %[lo], %[r3]\n\t"
      "mulxq 32(%[a]), %[lo], %[r5]\n\t"
      "adcq %[lo], %[r4]\n\t"
      "mulxq 40(%[a]), %[lo], %[r6]\n\t"
      "adcq %[lo], %[r5]\n\t"
      "adcq $0, %[r6]\n\t"
      ZKCNN_MONT6_REDUCE_ROW("%[r0]", "%[r1]", "%[r2]", "%[r3]", "%[r4]", "%[r5]", "%[r6]")
      // Rows 1..5, each starting one register further along the ring of seven.
      ZKCNN_MONT6_MUL_ROW("8", "%[r1]", "%[r2]", "%[r3]", "%[r4]", "%[r5]", "%[r6]", "%[r0]")
      ZKCNN_MONT6_REDUCE_ROW("%[r1]", "%[r2]", "%[r3]", "%[r4]", "%[r5]", "%[r6]", "%[r0]")
      ZKCNN_MONT6_MUL_ROW("16", "%[r2]", "%[r3]", "%[r4]", "%[r5]", "%[r6]", "%[r0]", "%[r1]")
      ZKCNN_MONT6_REDUCE_ROW("%[r2]", "%[r3]", "%[r4]", "%[r5]", "%[r6]", "%[r0]", "%[r1]")
      ZKCNN_MONT6_MUL_ROW("24", "%[r3]", "%[r4]", "%[r5]", "%[r6]", "%[r0]", "%[r1]", "%[r2]")
      ZKCNN_MONT6_REDUCE_ROW("%[r3]", "%[r4]", "%[r5]", "%[r6]", "%[r0]", "%[r1]", "%[r2]")
      ZKCNN_MONT6_MUL_ROW("32", "%[r4]", "%[r5]", "%[r6]", "%[r0]", "%[r1]", "%[r2]", "%[r3]")
      ZKCNN_MONT6_REDUCE_ROW("%[r4]", "%[r5]", "%[r6]", "%[r0]", "%[r1]", "%[r2]", "%[r3]")
      ZKCNN_MONT6_MUL_ROW("40", "%[r5]", "%[r6]", "%[r0]", "%[r1]", "%[r2]", "%[r3]", "%[r4]")
      ZKCNN_MONT6_REDUCE_ROW("%[r5]", "%[r6]", "%[r0]", "%[r1]", "%[r2]", "%[r3]", "%[r4]")
      // t = (r6, r0, r1, r2, r3, r4) < 2p. t - p goes to (lo, hi, rdx, r5, a, b); a final
      // borrow (CF) means t < p: keep t, otherwise take the difference.
      "movq %[r6], %[lo]\n\t"
      "subq %[p0], %[lo]\n\t"
      "movq %[r0], %[hi]\n\t"
      "sbbq %[p1], %[hi]\n\t"
      "movq %[r1], %%rdx\n\t"
      "sbbq %[p2], %%rdx\n\t"
      "movq %[r2], %[r5]\n\t"
      "sbbq %[p3], %[r5]\n\t"
      "movq %[r3], %[a]\n\t"
      "sbbq %[p4], %[a]\n\t"
      "movq %[r4], %[b]\n\t"
      "sbbq %[p5], %[b]\n\t"
      "cmovncq %[lo], %[r6]\n\t"
      "cmovncq %[hi], %[r0]\n\t"
      "cmovncq %%rdx, %[r1]\n\t"
      "cmovncq %[r5], %[r2]\n\t"
      "cmovncq %[a], %[r3]\n\t"
      "cmovncq %[b], %[r4]\n\t"
      : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [r4] "=&r"(r4), [r5] "=&r"(r5),
        [r6] "=&r"(r6), [lo] "=&r"(lo), [hi] "=&r"(hi), "=&d"(rdx), [a] "+&r"(a_ptr), [b] "+&r"(b_ptr)
      : [p0] "m"(K.modulus[0]), [p1] "m"(K.modulus[1]), [p2] "m"(K.modulus[2]), [p3] "m"(K.modulus[3]),
        [p4] "m"(K.modulus[4]), [p5] "m"(K.modulus[5]), [inv] "m"(K.inv)
      : "cc", "memory");
  return {r6, r0, r1, r2, r3, r4};
}

#undef ZKCNN_MONT6_MUL_ROW
#undef ZKCNN_MONT6_REDUCE_ROW

}  // namespace zkcnn::detail

#endif  // ZKCNN_HAS_X86_64_MONTGOMERY_ASM
