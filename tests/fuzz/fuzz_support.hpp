#pragma once
// What every harness shares. A harness crashes (and libFuzzer saves the input) only on a
// sanitizer report, an exception that escapes a decoder, or a failed `require`: a property the
// decoded value must have, such as re-encoding to the very bytes it was decoded from. A
// rejection, with its Error, is the expected outcome for almost every input.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <span>

namespace zkcnn_fuzz {

/// libFuzzer's input as bytes (`data` may be null when `size` is 0).
inline std::span<const std::uint8_t> input(const std::uint8_t* data, std::size_t size) { return {data, size}; }

/// Aborts with `what` unless `ok`: libFuzzer reports the input as a crash.
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "zkcnn fuzz: property violated: %s\n", what);
  std::abort();
}

/// Whether two byte ranges (any containers of bytes) hold the same bytes.
template <class A, class B>
bool same_bytes(const A& a, const B& b) {
  return std::equal(std::begin(a), std::end(a), std::begin(b), std::end(b));
}

}  // namespace zkcnn_fuzz
