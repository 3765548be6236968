#pragma once
// How the process's allocator treats a prover's large tables. Opt-in: a library should not
// change its host's allocator behind its back, so the command-line tools and the benchmarks
// call this, and embedding programs decide for themselves (docs/benchmarks.md has the numbers).

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <climits>

namespace zkcnn {

/// Asks the C library's allocator to keep freed blocks for reuse instead of returning them to
/// the operating system. A prover allocates and frees tables of tens of megabytes in every
/// sumcheck and fraction-tree level; glibc maps each such block afresh and unmaps it when it is
/// freed, so every table's first write takes a page fault per page (about a seventh of LeNet-5's
/// accuracy proof on 100 samples). Afterwards memory the process has freed stays counted in its
/// resident size until it exits or reuses it. Returns whether the allocator took the setting:
/// false outside glibc, where nothing changes.
inline bool reuse_freed_memory() {
#if defined(__GLIBC__)
  // Blocks of any size from the heap (no separate mappings), and no trimming of its top.
  return mallopt(M_MMAP_THRESHOLD, INT_MAX) == 1 && mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1;
#else
  return false;
#endif
}

}  // namespace zkcnn
