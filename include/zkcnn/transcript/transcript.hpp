#pragma once
// The Fiat-Shamir transcript (docs/protocol.md section 9).
//
// The transcript is a running hash over a sequence of framed operations. Each operation is
// encoded unambiguously as  op-byte || u64(len(label)) || label || u64(len(data)) || data
// (u64 little-endian), so no two different sequences of absorbs hash the same way. A squeeze
// frames its label and output length the same way, takes the digest of the state so far as a
// seed, and expands it in counter mode; the squeeze itself stays in the state, so later
// challenges depend on earlier ones and on every message absorbed in between.

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/hash.hpp"
#include "zkcnn/detail/bytes.hpp"
#include "zkcnn/detail/zk_probes.hpp"
#include "zkcnn/transcript/sha256.hpp"

namespace zkcnn {

template <Hash H>
class HashTranscript {
 public:
  /// A transcript bound to a protocol: the domain separator should name the protocol and its
  /// version, so transcripts of different protocols never collide.
  explicit HashTranscript(std::string_view domain_separator) {
    frame(Op::domain, "zkcnn transcript v1", as_bytes(domain_separator));
  }

  /// Absorbs a prover message or a statement element under a label.
  void absorb_bytes(std::string_view label, std::span<const std::uint8_t> data) {
    zk_probes::observe_message(label, data);
    // The test-only programmed oracle (detail/zk_probes.hpp) frames the label alone.
    frame(Op::absorb, label, zk_probes::programmed_oracle() ? std::span<const std::uint8_t>{} : data);
  }

  /// Absorbs text (names, descriptions of public parameters) as its bytes.
  void absorb_string(std::string_view label, std::string_view text) { absorb_bytes(label, as_bytes(text)); }

  void absorb_u64(std::string_view label, std::uint64_t value) {
    absorb_bytes(label, detail::le_bytes(value));
  }

  /// Absorbs one field element by its canonical encoding.
  template <EncodableField F>
  void absorb_field(std::string_view label, const F& value) {
    const auto bytes = value.to_bytes();
    absorb_bytes(label, bytes);
  }

  /// Absorbs a sequence of field elements as one framed message (its length is framed too).
  template <EncodableField F>
  void absorb_fields(std::string_view label, std::span<const F> values) {
    std::vector<std::uint8_t> bytes;
    bytes.reserve(values.size() * F::byte_size);
    for (const F& v : values) {
      const auto encoded = v.to_bytes();
      bytes.insert(bytes.end(), encoded.begin(), encoded.end());
    }
    absorb_bytes(label, bytes);
  }

  /// Fills `out` with challenge bytes that depend on everything absorbed so far.
  void squeeze_bytes(std::string_view label, std::span<std::uint8_t> out) {
    frame(Op::squeeze, label, detail::le_bytes(out.size()));
    const auto seed = state_.finalize();
    std::size_t written = 0;
    for (std::uint64_t counter = 0; written < out.size(); ++counter) {
      H block_hasher;
      block_hasher.update(seed);
      block_hasher.update(detail::le_bytes(counter));
      const auto block = block_hasher.finalize();
      const std::size_t take = std::min(block.size(), out.size() - written);
      std::copy_n(block.begin(), take, out.begin() + static_cast<std::ptrdiff_t>(written));
      written += take;
    }
  }

  /// A challenge in F, from F::uniform_bytes bytes (wide reduction: within 2^-128 of uniform).
  template <EncodableField F>
  F challenge(std::string_view label) {
    std::array<std::uint8_t, F::uniform_bytes> bytes{};
    squeeze_bytes(label, bytes);
    return F::from_uniform_bytes(bytes);
  }

  template <EncodableField F>
  std::vector<F> challenges(std::string_view label, std::size_t count) {
    std::vector<F> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) out.push_back(challenge<F>(label));
    return out;
  }

  /// An independent transcript that starts from this one's state and a label; the two never
  /// produce the same challenges afterwards.
  HashTranscript fork(std::string_view label) const {
    HashTranscript child = *this;
    child.frame(Op::fork, label, {});
    return child;
  }

  /// The digest of the state so far; two transcripts that absorbed the same operations agree.
  std::array<std::uint8_t, H::digest_size> state_digest() const { return state_.finalize(); }

 private:
  enum class Op : std::uint8_t { domain = 1, absorb = 2, squeeze = 3, fork = 4 };

  static std::span<const std::uint8_t> as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
  }

  void frame(Op op, std::string_view label, std::span<const std::uint8_t> data) {
    const std::array<std::uint8_t, 1> op_byte{static_cast<std::uint8_t>(op)};
    state_.update(op_byte);
    state_.update(detail::le_bytes(label.size()));
    state_.update(as_bytes(label));
    state_.update(detail::le_bytes(data.size()));
    state_.update(data);
  }

  H state_;
};

using Sha256Transcript = HashTranscript<Sha256>;

}  // namespace zkcnn
