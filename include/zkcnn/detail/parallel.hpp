#pragma once
// The library's one parallel loop. Work is split into contiguous chunks, one per thread; the
// callers make each chunk's result independent of the split, so proofs are identical whatever
// the number of threads. Define ZKCNN_SINGLE_THREADED to compile threading out entirely.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <vector>

#ifndef ZKCNN_SINGLE_THREADED
#include <thread>
#endif

namespace zkcnn {
namespace detail {

// set_thread_count's value; 0 when unset.
inline std::atomic<std::size_t> configured_thread_count{0};

}  // namespace detail

/// Sets how many threads the library's parallel loops use from now on (at most 1024), for the
/// whole process: every prover and verifier running in it; 0 returns to the default (see
/// detail::default_thread_count). Proofs are the same bytes for any thread count, given the
/// same randomness. Without effect when threading is compiled out (ZKCNN_SINGLE_THREADED).
inline void set_thread_count(std::size_t threads) {
  detail::configured_thread_count.store(std::min<std::size_t>(threads, 1024));
}

namespace detail {

/// Threads to use by default: set_thread_count's value when set, else the environment variable
/// ZKCNN_THREADS when it holds a positive number (so a benchmark or a shared machine can pin it
/// without recompiling), else the hardware's; 1 when threading is compiled out.
inline std::size_t default_thread_count() {
#ifdef ZKCNN_SINGLE_THREADED
  return 1;
#else
  if (const std::size_t configured = configured_thread_count.load(); configured > 0) return configured;
  if (const char* configured = std::getenv("ZKCNN_THREADS")) {
    char* end = nullptr;
    const unsigned long value = std::strtoul(configured, &end, 10);
    if (end != configured && *end == '\0' && value > 0 && value <= 1024) return value;
  }
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
#endif
}

/// Threads worth starting for `work` units when one thread should get at least `grain` of them
/// (thread start-up costs tens of microseconds): between 1 and default_thread_count().
inline std::size_t threads_for(std::size_t work, std::size_t grain) {
  return std::clamp<std::size_t>(work / std::max<std::size_t>(grain, 1), 1, default_thread_count());
}

/// Calls body(begin_i, end_i) on `threads` disjoint chunks covering [begin, end), in parallel,
/// and rethrows the first exception a chunk threw.
template <class Body>
void parallel_for(std::size_t begin, std::size_t end, Body&& body, std::size_t threads = default_thread_count()) {
  const std::size_t count = end > begin ? end - begin : 0;
  threads = std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(count, 1));
  if (threads == 1) {
    if (count > 0) body(begin, end);
    return;
  }
#ifdef ZKCNN_SINGLE_THREADED
  body(begin, end);
#else
  std::vector<std::exception_ptr> errors(threads);
  {
    std::vector<std::jthread> workers;
    workers.reserve(threads - 1);
    const std::size_t chunk = (count + threads - 1) / threads;
    for (std::size_t t = 1; t < threads; ++t) {
      const std::size_t lo = begin + std::min(count, t * chunk);
      const std::size_t hi = begin + std::min(count, (t + 1) * chunk);
      workers.emplace_back([&, t, lo, hi] {
        try {
          if (lo < hi) body(lo, hi);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    }
    try {
      body(begin, begin + std::min(count, chunk));
    } catch (...) {
      errors[0] = std::current_exception();
    }
  }  // joins
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
#endif
}

/// For loops whose cost varies along the range (long runs of entries that are skipped): the
/// range is cut into `pieces` pieces of about equal length, dealt to the threads in turn
/// (piece i to thread i mod threads), so that a cheap run does not leave a thread idle. Calls
/// body(piece, begin_i, end_i) for every piece; a caller keeps per-piece results for a total
/// that does not depend on the split.
template <class Body>
void parallel_for_dealt(std::size_t begin, std::size_t end, std::size_t pieces, Body&& body,
                        std::size_t threads = default_thread_count()) {
  const std::size_t count = end > begin ? end - begin : 0;
  pieces = std::clamp<std::size_t>(pieces, 1, std::max<std::size_t>(count, 1));
  const std::size_t length = (count + pieces - 1) / pieces;
  threads = std::min(threads, pieces);
  parallel_for(
      0, threads,
      [&](std::size_t first_thread, std::size_t last_thread) {
        for (std::size_t t = first_thread; t < last_thread; ++t) {
          for (std::size_t piece = t; piece < pieces; piece += threads) {
            const std::size_t lo = begin + std::min(count, piece * length), hi = begin + std::min(count, (piece + 1) * length);
            if (lo < hi) body(piece, lo, hi);
          }
        }
      },
      threads);
}

}  // namespace detail
}  // namespace zkcnn
