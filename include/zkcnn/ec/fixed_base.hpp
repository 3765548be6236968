#pragma once
// Scalar multiplication of one fixed point by many scalars, with a table of the point's byte
// multiples: [k]B = sum_i [k_i 256^i]B over the scalar's little-endian bytes k_i, one table
// lookup and one addition per nonzero byte, no doubling. A commitment's blinding term r H is
// such a product, once per committed row; the table turns its ~254 doublings and ~50 additions
// (wNAF) into at most 32 additions of normalized points.

#include <array>
#include <cstddef>
#include <vector>

#include "zkcnn/concepts/group.hpp"

namespace zkcnn {

template <CommitmentGroup G>
class FixedBaseTable {
 public:
  using Scalar = scalar_of<G>;

  /// 255 multiples per byte of a scalar: about 8,000 additions and one normalization, once.
  explicit FixedBaseTable(const G& base) : table_(Scalar::byte_size * multiples) {
    using Traits = group_traits<G>;
    G power = base;  // 256^i B
    for (std::size_t i = 0; i < Scalar::byte_size; ++i) {
      G* row = &table_[i * multiples];
      row[0] = power;
      for (std::size_t j = 1; j < multiples; ++j) row[j] = Traits::add(row[j - 1], power);
      power = Traits::add(row[multiples - 1], power);  // 255 * 256^i B + 256^i B
    }
    Traits::batch_normalize(std::span<G>(table_));
  }

  /// [k]B.
  G multiply(const Scalar& k) const {
    const std::array<std::uint8_t, Scalar::byte_size> bytes = k.to_bytes();
    G acc = group_traits<G>::identity();
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (bytes[i] != 0) acc = group_traits<G>::add(acc, table_[i * multiples + bytes[i] - 1]);
    }
    return acc;
  }

 private:
  static constexpr std::size_t multiples = 255;  // [j 256^i]B for j = 1..255
  std::vector<G> table_;
};

}  // namespace zkcnn
