#pragma once
// The IDX encoding of an array of unsigned bytes, which examples/onnx only reads: the IDX
// harness checks that parsing inverts it, and the seed generator writes small IDX files with it.

#include <cstdint>
#include <vector>

#include "idx.hpp"

namespace zkcnn_fuzz {

/// Two zero bytes, type 0x08, the rank, each dimension as a big-endian u32, then the values.
inline std::vector<std::uint8_t> encode_idx(const zkcnn::data::IdxArray& array) {
  std::vector<std::uint8_t> out{0, 0, 0x08, static_cast<std::uint8_t>(array.dims.size())};
  for (std::size_t dim : array.dims) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(dim >> shift));
  }
  out.insert(out.end(), array.values.begin(), array.values.end());
  return out;
}

}  // namespace zkcnn_fuzz
