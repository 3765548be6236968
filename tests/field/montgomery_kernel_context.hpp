#pragma once
// The calling context that leaves an inline asm the fewest registers on x86-64, 13: a frame
// whose stack is realigned (an over-aligned local whose address escapes, as AVX-512 values
// do) and that also holds an object of variable size, so that clang reserves RBX as a base
// pointer besides RBP as the frame pointer. The Montgomery kernels
// (include/zkcnn/field/detail/montgomery_x86_64.hpp) must compile here for every -march: a
// four-limb kernel that asked for 14 registers failed in this frame with clang 14 for
// -march=sapphirerapids, icelake-server and znver3. montgomery_kernel_context.cpp
// instantiates it for each kernel's fields, compiled once per -march that CI checks;
// montgomery_kernel_test.cpp runs it on the host.

#include <cstddef>

namespace zkcnn::test {

/// A call the optimizer cannot see through: p's object must exist, with its contents.
[[gnu::noinline]] inline void escape(void* p) { __asm__ volatile("" : : "r"(p) : "memory"); }

/// x * y^n computed by n dependent multiplications inside the hostile frame; also copies the
/// over-aligned local to out[0], which keeps the frame's pointers live across the loop.
template <class F>
F multiply_in_realigned_frame(F x, F y, std::size_t n, unsigned char* out) {
  alignas(64) unsigned char over_aligned[64] = {};
  escape(over_aligned);
  escape(__builtin_alloca(n % 64 + 1));
  for (std::size_t i = 0; i < n; ++i) x = x * y;
  out[0] = over_aligned[0];
  return x;
}

}  // namespace zkcnn::test
