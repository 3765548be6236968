#pragma once
// Several tables in one committed polynomial (docs/protocol.md section 7): each table (a layer's
// kernel, its bias, the bits of a range check) is a block placed at an offset that is a
// multiple of its own power-of-two size. A claim on a block's extension at a point p is then a
// claim on the whole polynomial at p extended by the bits of the block's index, so every claim
// on every block is opened together.

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/field.hpp"

namespace zkcnn::zk {

class BlockLayout {
 public:
  BlockLayout() = default;

  /// Blocks of 2^block_num_vars[i] entries, placed largest first so that every offset is a
  /// multiple of its block's size.
  explicit BlockLayout(std::vector<std::size_t> block_num_vars) : block_vars_(std::move(block_num_vars)) {
    std::vector<std::size_t> order(block_vars_.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return block_vars_[a] > block_vars_[b]; });
    offsets_.resize(block_vars_.size());
    std::size_t end = 0;
    for (std::size_t block : order) {
      if (block_vars_[block] >= 48) throw std::invalid_argument("BlockLayout: block too large");
      offsets_[block] = end;
      end += std::size_t{1} << block_vars_[block];
    }
    used_ = end;
    while ((std::size_t{1} << num_vars_) < end) ++num_vars_;
  }

  std::size_t block_count() const { return block_vars_.size(); }
  std::size_t block_num_vars(std::size_t block) const { return block_vars_.at(block); }
  std::size_t offset(std::size_t block) const { return offsets_.at(block); }
  /// Variables of the whole polynomial.
  std::size_t num_vars() const { return num_vars_; }
  std::size_t size() const { return std::size_t{1} << num_vars_; }
  /// Entries up to the end of the last block: everything after is padding.
  std::size_t used_size() const { return used_; }

  /// The point on the whole polynomial for a point on one block.
  template <Field F>
  std::vector<F> embed(std::size_t block, std::span<const F> point) const {
    if (point.size() != block_vars_.at(block)) throw std::invalid_argument("BlockLayout::embed: wrong dimension");
    std::vector<F> full(point.begin(), point.end());
    const std::size_t index = offsets_[block] >> point.size();
    for (std::size_t k = point.size(); k < num_vars_; ++k) {
      full.push_back(((index >> (k - point.size())) & 1) != 0 ? F::one() : F::zero());
    }
    return full;
  }

  /// Copies a block's table into the whole polynomial's table (stored at least up to
  /// used_size(): the padding after it is zero, and may be left out). Entries are field
  /// elements or the integers they stand for.
  template <class T>
  void place(std::size_t block, std::span<const T> table, std::span<T> whole) const {
    if (table.size() > (std::size_t{1} << block_vars_.at(block)) || whole.size() < used_size() || whole.size() > size()) {
      throw std::invalid_argument("BlockLayout::place: table does not fit");
    }
    std::copy(table.begin(), table.end(), whole.begin() + static_cast<std::ptrdiff_t>(offsets_[block]));
  }

 private:
  std::vector<std::size_t> block_vars_;
  std::vector<std::size_t> offsets_;
  std::size_t num_vars_ = 0;
  std::size_t used_ = 0;
};

}  // namespace zkcnn::zk
