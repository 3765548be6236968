#pragma once
// The layout of tensors as multilinear tables (docs/protocol.md section 2): each dimension padded
// to a power of two, dimension bits concatenated with the last dimension lowest, padding zero.
// A point on the tensor's extension then splits into one sub-point per dimension.

#include <cstddef>
#include <initializer_list>
#include <numeric>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"

namespace zkcnn::nn {

class TensorShape {
 public:
  TensorShape(std::initializer_list<std::size_t> dims) : TensorShape(std::vector<std::size_t>(dims)) {}
  explicit TensorShape(std::vector<std::size_t> dims) : dims_(std::move(dims)) {
    for (std::size_t d : dims_) {
      if (d == 0) throw std::invalid_argument("TensorShape: dimensions must be positive");
      bits_.push_back(detail::ceil_log2(d));
    }
    num_vars_ = std::accumulate(bits_.begin(), bits_.end(), std::size_t{0});
  }

  std::span<const std::size_t> dims() const { return dims_; }
  std::size_t dim(std::size_t i) const { return dims_.at(i); }
  /// ceil(log2(d_i)) for each dimension.
  std::span<const std::size_t> dimension_bits() const { return bits_; }
  std::size_t num_vars() const { return num_vars_; }
  /// Entries of the padded table: 2^num_vars().
  std::size_t padded_size() const { return std::size_t{1} << num_vars_; }
  /// Entries of the tensor itself: the product of the dimensions.
  std::size_t element_count() const {
    return std::accumulate(dims_.begin(), dims_.end(), std::size_t{1}, std::multiplies<>());
  }

  /// The position of a multi-index in the padded table.
  std::size_t offset(std::initializer_list<std::size_t> index) const { return offset(std::span<const std::size_t>(index.begin(), index.size())); }
  std::size_t offset(std::span<const std::size_t> index) const {
    if (index.size() != dims_.size()) throw std::invalid_argument("TensorShape::offset: wrong number of indices");
    std::size_t position = 0;
    for (std::size_t i = 0; i < dims_.size(); ++i) position = (position << bits_[i]) | index[i];
    return position;
  }

  /// Whether a position of the padded table is one of the tensor's own entries.
  bool is_real(std::size_t position) const {
    for (std::size_t d = dims_.size(); d-- > 0;) {
      if ((position & ((std::size_t{1} << bits_[d]) - 1)) >= dims_[d]) return false;
      position >>= bits_[d];
    }
    return true;
  }

  /// Splits a point on the padded table's extension into one sub-point per dimension.
  template <Field F>
  std::vector<std::span<const F>> split(std::span<const F> point) const {
    return split_point(point, std::span<const std::size_t>(bits_));
  }

  /// The extension of the indicator of the tensor's own entries (1 inside, 0 in the padding)
  /// at `point`, in O(num_vars()).
  template <Field F>
  F indicator(std::span<const F> point) const {
    const auto parts = split(point);
    F result = F::one();
    for (std::size_t i = 0; i < dims_.size(); ++i) result *= prefix_indicator(parts[i], dims_[i]);
    return result;
  }

  friend bool operator==(const TensorShape&, const TensorShape&) = default;

 private:
  std::vector<std::size_t> dims_;
  std::vector<std::size_t> bits_;
  std::size_t num_vars_ = 0;
};

}  // namespace zkcnn::nn
