#pragma once
// Concepts for hash functions and Fiat-Shamir transcripts.

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace zkcnn {

/// A streaming cryptographic hash. Copying a hasher forks its state; finalize() does not
/// modify the hasher, so absorbing may continue after a digest is taken.
template <class H>
concept Hash = std::copyable<H> && std::default_initializable<H> &&
               requires(H h, const H& ch, std::span<const std::uint8_t> data) {
                 { H::digest_size } -> std::convertible_to<std::size_t>;
                 h.update(data);
                 { ch.finalize() } -> std::same_as<std::array<std::uint8_t, H::digest_size>>;
               };

/// A Fiat-Shamir transcript: labelled absorbs of prover messages, labelled squeezes of
/// verifier challenges, and independent forks for sub-protocols.
template <class T>
concept Transcript = std::copyable<T> && requires(T t, const T& ct, std::string_view label,
                                                  std::span<const std::uint8_t> data, std::span<std::uint8_t> out) {
  t.absorb_bytes(label, data);
  t.squeeze_bytes(label, out);
  { ct.fork(label) } -> std::same_as<T>;
};

/// The least a Transcript provides: what concepts' requires-expressions pass where a protocol
/// takes a transcript, so that no concept names a concrete one. Never instantiated.
struct TranscriptArchetype {
  void absorb_bytes(std::string_view label, std::span<const std::uint8_t> data);
  void squeeze_bytes(std::string_view label, std::span<std::uint8_t> out);
  TranscriptArchetype fork(std::string_view label) const;
};
static_assert(Transcript<TranscriptArchetype>);

}  // namespace zkcnn
