#pragma once
// Signed integers as field elements (v mod p), for tables of them: quantized weights and
// activations are mostly one byte, and copying one of 256 precomputed elements costs a
// fraction of from_i64 (a Montgomery multiplication in the library's prime fields).

#include <array>
#include <cstddef>
#include <cstdint>

#include "zkcnn/concepts/field.hpp"

namespace zkcnn {

template <Field F>
class SmallIntegers {
 public:
  SmallIntegers() {
    for (std::size_t v = 0; v < bytes_.size(); ++v) bytes_[v] = F::from_i64(static_cast<std::int64_t>(v) - 128);
  }

  /// v mod p: from the table for -128 <= v < 128, by from_i64 otherwise.
  F operator()(std::int64_t v) const {
    return v >= -128 && v < 128 ? bytes_[static_cast<std::size_t>(v + 128)] : F::from_i64(v);
  }

 private:
  std::array<F, 256> bytes_;  // bytes_[v + 128] = v
};

}  // namespace zkcnn
