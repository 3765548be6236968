#pragma once
// Quantized values are small signed integers; in the field they are v mod p (docs/protocol.md
// section 2). These helpers move between the two representations.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/field/small_integers.hpp"

namespace zkcnn::nn {

/// The signed integer v with |v| < 2^62 that `value` represents, if there is one.
template <EncodableField F>
std::optional<std::int64_t> to_small_integer(const F& value) {
  auto low_bits = [](const F& x) -> std::optional<std::uint64_t> {
    std::uint64_t v = 0;
    if constexpr (requires { x.to_canonical_limbs(); }) {
      // Montgomery fields: the canonical limbs directly, without the byte encoding.
      const auto limbs = x.to_canonical_limbs();
      for (std::size_t i = 1; i < limbs.size(); ++i) {
        if (limbs[i] != 0) return std::nullopt;
      }
      v = limbs[0];
    } else {
      const auto bytes = x.to_bytes();
      for (std::size_t i = 8; i < bytes.size(); ++i) {
        if (bytes[i] != 0) return std::nullopt;
      }
      for (std::size_t i = 0; i < 8 && i < bytes.size(); ++i) v |= std::uint64_t{bytes[i]} << (8 * i);
    }
    if (v >= (std::uint64_t{1} << 62)) return std::nullopt;
    return v;
  };
  if (auto positive = low_bits(value)) return static_cast<std::int64_t>(*positive);
  if (auto negative = low_bits(-value)) return -static_cast<std::int64_t>(*negative);
  return std::nullopt;
}

/// Writes the field elements the integers stand for into `out` (as long), on all threads.
/// One-byte values (quantized weights, padding zeros) are copied from a table: a prediction
/// proof converts each layer's block of weights as it proves the layer.
template <Field F>
void to_field(std::span<const std::int64_t> integers, std::span<F> out) {
  if (out.size() != integers.size()) throw std::invalid_argument("to_field: output of another length");
  const SmallIntegers<F> to_element;
  zkcnn::detail::parallel_for(0, integers.size(), [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) out[i] = to_element(integers[i]);
  }, zkcnn::detail::threads_for(integers.size(), std::size_t{1} << 14));
}

/// The same into a new vector.
template <Field F>
std::vector<F> to_field(std::span<const std::int64_t> integers) {
  std::vector<F> out(integers.size());
  to_field(integers, std::span<F>(out));
  return out;
}

/// 2^k in the field, for k < 64.
template <Field F>
F power_of_two(std::size_t k) {
  return F::from_u64(std::uint64_t{1} << k);
}

}  // namespace zkcnn::nn
