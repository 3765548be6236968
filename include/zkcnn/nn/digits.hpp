#pragma once
// Digit decompositions: the auxiliary witness of the range checks (docs/protocol.md section 6).
//
// A rescale-ReLU or a max pooling needs integers known to lie in [0, 2^Q). The prover commits
// their digits, each of at most D bits, and the model proof checks every digit against a
// table of the integers of each width w <= D (a lookup, zk/range_check.hpp); the layers use
// the digits as the integer's representation, v = sum_j 2^(offset_j) d_j. An integer is split
// into parts (for the rescale-ReLU: the remainder of the rescale, the magnitude, the sign), and
// each part into its own digits, low digits full, so that each part is a sum of its own digits
// and its range is exact: a part of w bits is proven to lie in [0, 2^w), not in a rounded-up
// range.
//
// A table of digits holds digit j of entry x at j * 2^n + x (the digit index in the highest
// variables); the digit count is padded to a power of two with rows of width 0, whose entries
// must be zero.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/nn/integer.hpp"

namespace zkcnn::nn {

/// The largest digit width: 2^16-entry tables are the most a range check ever needs.
inline constexpr std::size_t max_digit_bits = 16;

class DigitLayout {
 public:
  /// `parts` are bit counts, low part first; each is split into digits of at most
  /// `digit_bits` bits. A part of 0 bits has no digit.
  DigitLayout(std::initializer_list<std::size_t> parts, std::size_t digit_bits)
      : DigitLayout(std::span<const std::size_t>(parts.begin(), parts.size()), digit_bits) {}

  DigitLayout(std::span<const std::size_t> parts, std::size_t digit_bits) {
    if (digit_bits == 0 || digit_bits > max_digit_bits) throw std::invalid_argument("DigitLayout: digit width out of range");
    for (std::size_t part : parts) {
      const std::size_t first = widths_.size();
      for (std::size_t done = 0; done < part; done += digit_bits) {
        offsets_.push_back(total_bits_ + done);
        widths_.push_back(std::min(digit_bits, part - done));
      }
      part_rows_.emplace_back(first, widths_.size());
      total_bits_ += part;
    }
    if (widths_.empty()) throw std::invalid_argument("DigitLayout: no digit");
    digit_count_ = widths_.size();
    row_vars_ = zkcnn::detail::ceil_log2(digit_count_);
    widths_.resize(std::size_t{1} << row_vars_, 0);
    offsets_.resize(widths_.size(), total_bits_);
  }

  /// Q: the decomposed integers lie in [0, 2^Q).
  std::size_t total_bits() const { return total_bits_; }
  /// Digits, without the padding rows.
  std::size_t digit_count() const { return digit_count_; }
  /// Rows of a digit table: the digit count padded to a power of two.
  std::size_t row_count() const { return widths_.size(); }
  std::size_t row_vars() const { return row_vars_; }
  /// Width of row j: 0 for padding rows.
  std::size_t width(std::size_t row) const { return widths_.at(row); }
  std::span<const std::size_t> widths() const { return widths_; }
  /// The integer's bit at which row j starts.
  std::size_t offset(std::size_t row) const { return offsets_.at(row); }
  /// The rows [first, last) of part k.
  std::pair<std::size_t, std::size_t> part_rows(std::size_t part) const { return part_rows_.at(part); }

  /// The digits of an integer in [0, 2^Q), one per row (zero in the padding rows).
  std::vector<std::uint64_t> digits_of(std::uint64_t value) const {
    std::vector<std::uint64_t> out(widths_.size(), 0);
    for (std::size_t j = 0; j < digit_count_; ++j) out[j] = digit(value, j);
    return out;
  }

  /// Row j's digit of an integer in [0, 2^Q).
  std::uint64_t digit(std::uint64_t value, std::size_t row) const {
    return (value >> offsets_[row]) & ((std::uint64_t{1} << widths_[row]) - 1);
  }

  /// sum_j 2^(offset_j - offset(first row of the part)) v_j over the rows of part k, from one
  /// value per row: the part's value from its digits' values.
  template <Field F>
  F part_value(std::size_t part, std::span<const F> row_values) const {
    require_integer_width();
    const auto [first, last] = part_rows(part);
    F value = F::zero();
    for (std::size_t j = first; j < last; ++j) value += power_of_two<F>(offsets_[j] - offsets_[first]) * row_values[j];
    return value;
  }

  /// The integer from one value per row (integers of at most 62 bits).
  template <Field F>
  F recompose(std::span<const F> row_values) const {
    F value = F::zero();
    for (std::size_t j = 0; j < digit_count_; ++j) value += recompose_weight<F>(j) * row_values[j];
    return value;
  }

  /// Row j's weight in the integer: 2 to the power of the bits below it.
  template <Field F>
  F recompose_weight(std::size_t row) const {
    require_integer_width();
    return power_of_two<F>(offsets_.at(row));
  }

  /// Throws unless the decomposed integers fit the 62 bits of nn's integers: digit tables of
  /// wider layouts (a one-hot vector of many 1-bit parts) are not integers.
  void require_integer_width() const {
    if (total_bits_ > 62) throw std::invalid_argument("DigitLayout: more than 62 bits is not an integer decomposition");
  }

  friend bool operator==(const DigitLayout&, const DigitLayout&) = default;

 private:
  std::vector<std::size_t> widths_;
  std::vector<std::size_t> offsets_;
  std::vector<std::pair<std::size_t, std::size_t>> part_rows_;
  std::size_t total_bits_ = 0;
  std::size_t digit_count_ = 0;
  std::size_t row_vars_ = 0;
};

/// Row j of a digit table of 2^n entries per row (`length`), as far as the table is stored.
template <Field F>
std::span<const F> digit_row(std::span<const F> table, std::size_t row, std::size_t length) {
  const std::size_t begin = std::min(table.size(), row * length);
  return table.subspan(begin, std::min(length, table.size() - begin));
}

/// The digit table of values[x] + offset for x < 2^num_vars (entries past the end of `values`
/// count as zeros). Fails, naming the position and the value, when values[x] + offset is
/// outside [0, 2^Q).
template <EncodableField F>
Result<std::vector<F>> digit_table(const DigitLayout& layout, std::span<const F> values, std::size_t num_vars,
                                   std::int64_t offset) {
  layout.require_integer_width();
  const std::size_t length = std::size_t{1} << num_vars;
  if (values.size() > length) throw std::invalid_argument("digit_table: more values than entries");
  std::vector<F> table(layout.row_count() * length, F::zero());
  const std::int64_t lowest = -offset, highest = (std::int64_t{1} << layout.total_bits()) - offset;
  // On all threads; each chunk stops at its first value out of range, and the lowest such
  // position is reported, as a sequential pass would.
  std::atomic<std::size_t> first_bad{length};
  zkcnn::detail::parallel_for(0, length, [&](std::size_t begin, std::size_t end) {
    for (std::size_t x = begin; x < end; ++x) {
      std::int64_t value = 0;
      if (x < values.size()) {
        const auto integer = to_small_integer(values[x]);
        if (!integer || *integer < lowest || *integer >= highest) {
          std::size_t seen = first_bad.load();
          while (x < seen && !first_bad.compare_exchange_weak(seen, x)) {
          }
          return;
        }
        value = *integer;
      }
      const auto shifted = static_cast<std::uint64_t>(value + offset);
      for (std::size_t j = 0; j < layout.digit_count(); ++j) {
        if (const std::uint64_t digit = layout.digit(shifted, j); digit != 0) table[j * length + x] = F::from_u64(digit);
      }
    }
  }, zkcnn::detail::threads_for(length, std::size_t{1} << 14));
  if (const std::size_t x = first_bad.load(); x < length) {
    const auto integer = to_small_integer(values[x]);
    return make_error(Errc::invalid_argument,
                      "value " + (integer ? std::to_string(*integer) : std::string("(not a small integer)")) +
                          " at position " + std::to_string(x) + " is outside the " + std::to_string(layout.total_bits()) +
                          "-bit range [" + std::to_string(lowest) + ", " + std::to_string(highest) + ")");
  }
  return table;
}

}  // namespace zkcnn::nn
