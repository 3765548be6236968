#pragma once
// The Merkle-committed columns of Ligero-style schemes (pcs/ligero.hpp and the model proof's
// openings, pcs/ligero_model_opening.hpp): salts, leaf digests, the query positions a
// transcript draws, and the byte encodings of their vectors, each decoded against the bytes
// left before anything is allocated.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zkcnn/concepts/random.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/detail/random.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/pcs/merkle.hpp"

namespace zkcnn::pcs::ligero {

inline constexpr std::size_t salt_size = 16;
using Salt = std::array<std::uint8_t, salt_size>;

/// t distinct codeword positions from the transcript, increasing (N is a power of two: a
/// draw's low bits are uniform).
template <class T>
std::vector<std::size_t> draw_positions(T& transcript, std::size_t codeword, std::size_t queries) {
  std::vector<std::size_t> positions;
  std::vector<bool> taken(codeword, false);
  std::array<std::uint8_t, 8> bytes{};
  while (positions.size() < queries) {
    transcript.squeeze_bytes("ligero/position", bytes);
    std::uint64_t draw = 0;
    for (std::size_t b = 8; b-- > 0;) draw = (draw << 8) | bytes[b];
    const std::size_t q = static_cast<std::size_t>(draw & (codeword - 1));
    if (!taken[q]) {
      taken[q] = true;
      positions.push_back(q);
    }
  }
  std::sort(positions.begin(), positions.end());
  return positions;
}

template <CryptoRng Rng>
std::vector<Salt> random_salts(std::size_t count, Rng& rng) {
  std::vector<Salt> salts(count);
  for (auto& salt : salts) {
    for (std::size_t b = 0; b < salt_size; b += 8) {
      const std::uint64_t word = detail::random_u64(rng);
      for (std::size_t i = 0; i < 8; ++i) salt[b + i] = static_cast<std::uint8_t>(word >> (8 * i));
    }
  }
  return salts;
}

/// The leaves' digests: salt, then the column's values, each by its canonical encoding.
template <class V>
std::vector<merkle::Digest> leaf_digests(std::span<const V> columns, std::size_t height, std::span<const Salt> salts) {
  std::vector<merkle::Digest> digests(salts.size());
  detail::parallel_for(0, salts.size(), [&](std::size_t first, std::size_t last) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t q = first; q < last; ++q) {
      bytes.assign(salts[q].begin(), salts[q].end());
      for (const V& value : columns.subspan(q * height, height)) {
        const auto encoded = value.to_bytes();
        bytes.insert(bytes.end(), encoded.begin(), encoded.end());
      }
      digests[q] = merkle::hash_leaf(bytes);
    }
  }, detail::threads_for(salts.size() * height, std::size_t{1} << 14));  // a verifier's few columns on one thread
  return digests;
}

template <class V>
std::vector<merkle::Digest> leaf_digests(const std::vector<V>& columns, std::size_t height, const std::vector<Salt>& salts) {
  return leaf_digests(std::span<const V>(columns), height, std::span<const Salt>(salts));
}

template <class V>
void write_fields(io::ByteWriter& out, const std::vector<V>& values) {
  out.write_u32(static_cast<std::uint32_t>(values.size()));
  for (const V& v : values) out.write_field(v);
}

template <std::size_t Size>
void write_blocks(io::ByteWriter& out, const std::vector<std::array<std::uint8_t, Size>>& blocks) {
  out.write_u32(static_cast<std::uint32_t>(blocks.size()));
  for (const auto& block : blocks) out.write_bytes(block);
}
inline void write_salts(io::ByteWriter& out, const std::vector<Salt>& salts) { write_blocks(out, salts); }
inline void write_digests(io::ByteWriter& out, const std::vector<merkle::Digest>& digests) { write_blocks(out, digests); }

/// A u32 count, bounded by the bytes left before anything is allocated, then the values.
template <class V>
Status read_fields(io::ByteReader& in, std::vector<V>& values, std::string_view what) {
  auto count = in.read_u32(what);
  if (!count) return count.error();
  if (*count > in.remaining() / V::byte_size) return make_error(Errc::invalid_encoding, std::string(what) + ": truncated");
  values.reserve(*count);
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto value = in.read_field<V>(what);
    if (!value) return value.error();
    values.push_back(*value);
  }
  return {};
}

template <std::size_t Size>
Status read_block(io::ByteReader& in, std::array<std::uint8_t, Size>& block, std::string_view what) {
  auto bytes = in.read_bytes(Size, what);
  if (!bytes) return bytes.error();
  std::copy(bytes->begin(), bytes->end(), block.begin());
  return {};
}

template <std::size_t Size>
Status read_blocks(io::ByteReader& in, std::vector<std::array<std::uint8_t, Size>>& blocks, std::string_view what) {
  auto count = in.read_u32(what);
  if (!count) return count.error();
  if (*count > in.remaining() / Size) return make_error(Errc::invalid_encoding, std::string(what) + ": truncated");
  blocks.resize(*count);
  for (auto& block : blocks) {
    if (auto read = read_block(in, block, what); !read) return read;
  }
  return {};
}

}  // namespace zkcnn::pcs::ligero
