#pragma once
// Forced inlining for the few hot arithmetic kernels that compilers otherwise leave as calls
// (measured: a call around Montgomery multiplication costs a third of its time).

#if defined(__GNUC__) || defined(__clang__)
#define ZKCNN_ALWAYS_INLINE [[gnu::always_inline]] inline
#else
#define ZKCNN_ALWAYS_INLINE inline
#endif

// Hidden visibility: a symbol that no other shared object can interpose, so position-independent
// code addresses it relative to RIP rather than through the GOT.
#if defined(__GNUC__) || defined(__clang__)
#define ZKCNN_HIDDEN [[gnu::visibility("hidden")]]
#else
#define ZKCNN_HIDDEN
#endif

// Full unrolling of the fixed-trip-count limb loops (GCC does not always do it on its own).
#if defined(__clang__)
#define ZKCNN_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define ZKCNN_UNROLL _Pragma("GCC unroll 16")
#else
#define ZKCNN_UNROLL
#endif

// x86-64's add-with-carry intrinsics (baseline ISA, no extension needed) let the Montgomery
// kernels keep carry chains in the flags register.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <x86intrin.h>
#define ZKCNN_HAS_ADDCARRY_INTRINSICS 1
#else
#define ZKCNN_HAS_ADDCARRY_INTRINSICS 0
#endif
