#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include "zkcnn/transcript/detail/sha256_x86_64.hpp"

namespace zkcnn {

namespace detail::sha256 {

// The six logical functions of FIPS 180-4, section 4.1.2. Upper-case Sigma is
// the standard's capital-sigma (applied to working variables), lower-case
// sigma the small sigma (applied to the message schedule).

[[nodiscard]] constexpr std::uint32_t Ch(std::uint32_t x, std::uint32_t y,
                                         std::uint32_t z) noexcept {
  return (x & y) ^ (~x & z);
}

[[nodiscard]] constexpr std::uint32_t Maj(std::uint32_t x, std::uint32_t y,
                                          std::uint32_t z) noexcept {
  return (x & y) ^ (x & z) ^ (y & z);
}

[[nodiscard]] constexpr std::uint32_t Sigma0(std::uint32_t x) noexcept {
  return std::rotr(x, 2) ^ std::rotr(x, 13) ^ std::rotr(x, 22);
}

[[nodiscard]] constexpr std::uint32_t Sigma1(std::uint32_t x) noexcept {
  return std::rotr(x, 6) ^ std::rotr(x, 11) ^ std::rotr(x, 25);
}

[[nodiscard]] constexpr std::uint32_t sigma0(std::uint32_t x) noexcept {
  return std::rotr(x, 7) ^ std::rotr(x, 18) ^ (x >> 3);
}

[[nodiscard]] constexpr std::uint32_t sigma1(std::uint32_t x) noexcept {
  return std::rotr(x, 17) ^ std::rotr(x, 19) ^ (x >> 10);
}

/// Reads a big-endian 32-bit word (SHA-256 is defined on big-endian words).
/// Written with shifts so it is endianness-independent and constexpr; the
/// compiler turns it into a single load + byte swap.
[[nodiscard]] constexpr std::uint32_t load_be32(const std::uint8_t* p) noexcept {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
         (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

constexpr void store_be32(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

}  // namespace detail::sha256

/// SHA-256 as specified in FIPS 180-4 (Secure Hash Standard), section 6.2.
///
/// Streaming hasher: feed bytes with update() any number of times, in chunks
/// of any size, then call finalize() to get the 32-byte digest. hash() is the
/// one-shot shortcut.
///
/// finalize() is const: it pads and compresses a *copy* of the state, so the
/// hasher itself is left untouched. A hasher can therefore be finalized to
/// obtain the digest of the prefix absorbed so far and then keep absorbing
/// data (the Fiat-Shamir transcript relies on this to squeeze challenges
/// mid-protocol). The class is a plain copyable value; copying forks the
/// state, and the two copies evolve independently afterwards.
///
/// Messages are limited to 2^64 - 1 bits as in the standard; the bit count is
/// kept as a uint64 and simply wraps beyond that.
class Sha256 {
public:
  static constexpr std::size_t digest_size = 32;
  static constexpr std::size_t block_size = 64;
  using Digest = std::array<std::uint8_t, digest_size>;

  /// Fresh state: initial hash value H(0) of FIPS 180-4 section 5.3.3.
  constexpr Sha256() noexcept = default;

  /// Absorbs `data`. Full blocks are compressed straight from `data` without
  /// copying whenever no partial block is pending.
  constexpr void update(std::span<const std::uint8_t> data) noexcept {
    bit_count_ += static_cast<std::uint64_t>(data.size()) << 3;

    const std::uint8_t* p = data.data();
    std::size_t n = data.size();

    // Top up a pending partial block first.
    if (buffer_len_ != 0) {
      const std::size_t take = n < block_size - buffer_len_ ? n : block_size - buffer_len_;
      for (std::size_t i = 0; i < take; ++i) buffer_[buffer_len_ + i] = p[i];
      buffer_len_ += take;
      p += take;
      n -= take;
      if (buffer_len_ < block_size) return;
      compress_blocks(buffer_.data(), 1);
      buffer_len_ = 0;
    }

    // Whole blocks directly from the input.
    const std::size_t whole = n / block_size;
    compress_blocks(p, whole);
    p += whole * block_size;
    n -= whole * block_size;

    // Keep the tail for later.
    for (std::size_t i = 0; i < n; ++i) buffer_[i] = p[i];
    buffer_len_ = n;
  }

  /// Digest of everything absorbed so far. Does not modify *this.
  [[nodiscard]] constexpr Digest finalize() const noexcept {
    // Padding (section 5.1.1): a single 1 bit, zeros up to 56 mod 64 bytes,
    // then the message length in bits as a 64-bit big-endian integer.
    Sha256 s = *this;
    s.buffer_[s.buffer_len_++] = 0x80;
    if (s.buffer_len_ > block_size - 8) {
      while (s.buffer_len_ < block_size) s.buffer_[s.buffer_len_++] = 0;
      s.compress_blocks(s.buffer_.data(), 1);
      s.buffer_len_ = 0;
    }
    while (s.buffer_len_ < block_size - 8) s.buffer_[s.buffer_len_++] = 0;
    detail::sha256::store_be32(&s.buffer_[56], static_cast<std::uint32_t>(bit_count_ >> 32));
    detail::sha256::store_be32(&s.buffer_[60], static_cast<std::uint32_t>(bit_count_));
    s.compress_blocks(s.buffer_.data(), 1);

    Digest out{};
    for (std::size_t i = 0; i < 8; ++i) detail::sha256::store_be32(&out[4 * i], s.state_[i]);
    return out;
  }

  /// One-shot SHA-256 of `data`.
  [[nodiscard]] static constexpr Digest hash(std::span<const std::uint8_t> data) noexcept {
    Sha256 h;
    h.update(data);
    return h.finalize();
  }

private:
  /// Round constants K(256) of section 4.2.2: the first 32 bits of the
  /// fractional parts of the cube roots of the first 64 primes.
  static constexpr std::array<std::uint32_t, 64> K = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
      0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
      0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
      0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
      0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
      0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
      0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};

  /// Initial hash value H(0) of section 5.3.3: the first 32 bits of the
  /// fractional parts of the square roots of the first 8 primes.
  static constexpr std::array<std::uint32_t, 8> H0 = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                                      0xa54ff53a, 0x510e527f, 0x9b05688c,
                                                      0x1f83d9ab, 0x5be0cd19};

  /// Compresses `count` consecutive 64-byte blocks: on the SHA extensions where the CPU has
  /// them (outside constant evaluation), otherwise one block at a time in portable code.
  constexpr void compress_blocks(const std::uint8_t* blocks, std::size_t count) noexcept {
#if ZKCNN_HAS_SHA256_X86_64
    if (!std::is_constant_evaluated() && detail::sha256::sha_extensions_available) {
      detail::sha256::compress_blocks_sha_extensions(state_.data(), blocks, count, K.data());
      return;
    }
#endif
    for (std::size_t i = 0; i < count; ++i) compress(blocks + i * block_size);
  }

  /// Hash computation of section 6.2.2 for one 64-byte block.
  constexpr void compress(const std::uint8_t* block) noexcept {
    using namespace detail::sha256;

    // 1. Message schedule. Left uninitialised on purpose (every entry is
    // written before it is read; zero-filling it costs ~6% throughput).
    std::array<std::uint32_t, 64> W;
    for (std::size_t t = 0; t < 16; ++t) W[t] = load_be32(block + 4 * t);
    for (std::size_t t = 16; t < 64; ++t)
      W[t] = sigma1(W[t - 2]) + W[t - 7] + sigma0(W[t - 15]) + W[t - 16];

    // 2. Working variables.
    std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
    std::uint32_t e = state_[4], f = state_[5], g = state_[6], h = state_[7];

    // 3. The 64 rounds.
    for (std::size_t t = 0; t < 64; ++t) {
      const std::uint32_t T1 = h + Sigma1(e) + Ch(e, f, g) + K[t] + W[t];
      const std::uint32_t T2 = Sigma0(a) + Maj(a, b, c);
      h = g;
      g = f;
      f = e;
      e = d + T1;
      d = c;
      c = b;
      b = a;
      a = T1 + T2;
    }

    // 4. Intermediate hash value.
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
    state_[4] += e;
    state_[5] += f;
    state_[6] += g;
    state_[7] += h;
  }

  std::array<std::uint32_t, 8> state_ = H0;
  std::array<std::uint8_t, block_size> buffer_{};
  std::size_t buffer_len_ = 0;   // bytes pending in buffer_, always < block_size
  std::uint64_t bit_count_ = 0;  // total message length in bits (mod 2^64)
};

}  // namespace zkcnn
