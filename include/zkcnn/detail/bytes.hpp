#pragma once
// Fixed-width little-endian integer encodings shared by transcripts and serializers.

#include <array>
#include <cstdint>

namespace zkcnn::detail {

constexpr std::array<std::uint8_t, 8> le_bytes(std::uint64_t value) {
  std::array<std::uint8_t, 8> bytes{};
  for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(value >> (8 * i));
  return bytes;
}

}  // namespace zkcnn::detail
