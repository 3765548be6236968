#pragma once
// The operating system's cryptographically secure generator, the only source of secret
// randomness (commitment blinding factors, masks) outside tests.

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <system_error>

#if defined(__linux__)
#include <sys/random.h>
#else
#include <random>
#endif

namespace zkcnn {

/// A std::uniform_random_bit_generator backed by getrandom(2) on Linux (std::random_device
/// elsewhere). Stateless: copies draw independent values.
class OsRng {
 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() {
    result_type value = 0;
    fill(reinterpret_cast<std::uint8_t*>(&value), sizeof(value));
    return value;
  }

  /// Fills `size` bytes at `out`; throws std::system_error if the system cannot provide them.
  static void fill(std::uint8_t* out, std::size_t size) {
#if defined(__linux__)
    while (size > 0) {
      const ssize_t got = ::getrandom(out, size, 0);
      if (got < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::generic_category(), "getrandom");
      }
      out += got;
      size -= static_cast<std::size_t>(got);
    }
#else
    static thread_local std::random_device device;
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(device());
#endif
  }
};

}  // namespace zkcnn
