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
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
#include <unistd.h>  // getentropy
#elif defined(ZKCNN_OS_RNG_USE_RANDOM_DEVICE)
#include <random>
#else
#error "zkcnn::OsRng knows no operating-system generator here: define ZKCNN_OS_RNG_USE_RANDOM_DEVICE to use std::random_device, after checking that this platform's is cryptographically secure"
#endif

namespace zkcnn {

/// A std::uniform_random_bit_generator backed by getrandom(2) on Linux and getentropy(3) on
/// macOS and the BSDs; elsewhere std::random_device only when ZKCNN_OS_RNG_USE_RANDOM_DEVICE says
/// it is known to be secure there (its quality is implementation-defined). Stateless: copies
/// draw independent values.
class OsRng {
 public:
  using result_type = std::uint64_t;
  static constexpr bool cryptographic = true;
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
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
    while (size > 0) {
      const std::size_t chunk = size < 256 ? size : 256;  // getentropy's most per call
      if (::getentropy(out, chunk) != 0) throw std::system_error(errno, std::generic_category(), "getentropy");
      out += chunk;
      size -= chunk;
    }
#else
    static thread_local std::random_device device;
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(device());
#endif
  }
};

}  // namespace zkcnn
