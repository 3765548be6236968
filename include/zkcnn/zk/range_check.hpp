#pragma once
// Opening the auxiliary witness (docs/protocol.md sections 6 and 7): every claim the layers left on
// it, and the fact that every digit lies in its range.
//
// The auxiliary witness is one committed polynomial of blocks (zk/block_layout.hpp): digit
// tables (nn/digits.hpp), whose row j holds digits of width w_j <= D, and one block of
// multiplicities m over the table T of every (width, value) pair, w <= D and 0 <= v < 2^w: entry
// i in [2^w, 2^(w+1)) stands for (w, i - 2^w), entry 0 for (0, 0) again. With gamma and alpha
// drawn after the commitment, a digit d of width w is looked up as the key d + gamma w, and
// the range check is the lookup identity (logUp)
//   sum_{digits} 1 / (alpha - d - gamma w) = sum_{i in T} m_i / (alpha - v_i - gamma w_i),
// which fails, unless every digit's (w, d) is in T, except with probability about
// (N + |T|) / |F| over alpha and N |T| / |F| over gamma (N digits).
//
// Which digits. A digit table's columns are the positions of a tensor in its padded layout,
// and only the columns of the tensor's own entries are looked up: every layer's statement
// leaves the real entries of its output depending on the real entries of its inputs only
// (convolutions and dense layers contract over real entries, pooling windows and the batch
// and channel dimensions map real to real), so a digit in a padding column can change padding
// only. The lookup then costs what the real entries need, not what their padded layout holds.
//
// Both sides are one sum of fractions over the witness's index space (gkr/fraction_sum.hpp),
// with leaves
//   looked-up digit:        p = 1,    q = alpha - gamma w(row) - d,
//   digit in a padding column: p = 0, q = alpha + e(row) - d,
//   multiplicity entry:     p = -m_i, q = alpha - v_i - gamma w_i,
//   unused entry:           p = 0,    q = alpha,
// and a root numerator of zero. e(row) is the digit an honest witness holds in the padding (the
// digits of the value of a zero entry), so those leaves are 0 / alpha, the tree's empty
// fraction, which costs the prover nothing; whatever a padding digit is, its leaf adds zero. A
// denominator alpha + e - d vanishes only if alpha = d - e, fixed before alpha was drawn:
// probability at most (entries) / |F| in all (the zero-knowledge tree relies on this, as it
// does not check the root's denominator). At the leaves' random point r the prover sends each
// block's value at r's low coordinates; the verifier rebuilds p~(r) and q~(r) from them (the
// widths, the tensor shapes, the table and the block positions are public: O(blocks * n)
// work) and the values become claims on the witness. Every claim is then opened at once by
// the scheme's batch opening.
//
// Packed rows. The rows f, f + 1, ..., R - 1 of a digit block (f = 0, or f = 1 when the first
// row alone is too wide: at least two rows, widths adding up to at most D) can be looked up a
// column at a time: column x has the one key
//   sum_{j >= f} eq(tau, j) d_j(x) + gamma tag,
// tau a point of the row variables drawn after gamma, before alpha, and tag > D naming the
// packed rows' layout (RangeCheckLayout::pack); rows before f stay single digits. The table
// gets a section per packed layout: every tuple of digits of those widths, keyed the same way
// (a padding row's digit is 0 in every tuple). A column whose tuple is not in its section has
// a key polynomial in (tau, gamma) that differs from every entry's, equal to one of them with
// probability at most |T| max(1, log2 R) / |F| per column (Schwartz-Zippel); recomposing the
// digits with fixed powers of two instead would let an out-of-range tuple pose as the
// in-range tuple of the same integer. The column's leaf sits at row f's position and the
// rows after it are empty. The key's digit part is the block's extension at (columns, tau)
// less the single rows' weighted values, so the verifier needs the block's value there and
// at (columns, j) for each j < f. A rescale-ReLU's digits (remainder | magnitude, sign,
// padding row) take two leaves a column instead of four.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "zkcnn/concepts/pcs.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/fraction_sum.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/digits.hpp"
#include "zkcnn/nn/integer.hpp"
#include "zkcnn/nn/tensor_shape.hpp"
#include "zkcnn/pcs/batch_opening.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/zk/block_layout.hpp"
#include "zkcnn/pcs/claims.hpp"

namespace zkcnn::zk {

/// A digit table in the auxiliary witness: block `block` of the layout, 2^column_vars entries
/// per digit row.
struct DigitBlock {
  std::size_t block;
  nn::DigitLayout digits;
  std::size_t column_vars;
  /// The columns whose digits are looked up: the real entries of this shape (of column_vars
  /// variables); every column when absent.
  std::optional<nn::TensorShape> checked_columns = std::nullopt;
  /// The digits an honest witness holds in the other columns, one per row (zeros if empty).
  std::vector<std::uint64_t> padding_digits = {};

  /// The table section its columns are looked up in, one key per column, when the block is
  /// packed (RangeCheckLayout::pack); otherwise every digit is looked up on its own.
  std::optional<std::size_t> section = std::nullopt;

  bool is_checked(std::size_t column) const { return !checked_columns || checked_columns->is_real(column); }
  std::uint64_t padding_digit(std::size_t row) const { return row < padding_digits.size() ? padding_digits[row] : 0; }
  /// Digits looked up on their own: one per row of every looked-up column.
  std::size_t checked_column_count() const {
    return checked_columns ? checked_columns->element_count() : std::size_t{1} << column_vars;
  }
};

/// The part of the table for the packed rows of one digit layout: every tuple of digits of
/// those widths, entry offset + v for the tuple whose digits are v's bits, the first row's
/// lowest.
struct PackedSection {
  /// The rows looked up together: first_row and every row after it.
  std::size_t first_row = 0;
  /// Their widths, the padding rows' 0 included (their digit is 0 in every tuple).
  std::vector<std::size_t> widths;
  std::size_t offset = 0;
  /// log2 of the tuples: the widths' sum.
  std::size_t vars = 0;
  /// The row variables of its blocks.
  std::size_t row_vars() const { return zkcnn::detail::ceil_log2(first_row + widths.size()); }
};

/// Whether RangeCheckLayout::pack packs every layout it may, or only where that saves leaves.
enum class Packing { where_it_saves, whenever_possible };

/// Which blocks of the auxiliary witness are digits, and where the multiplicities are.
struct RangeCheckLayout {
  /// D: the widest digit.
  std::size_t digit_bits = 0;
  std::vector<DigitBlock> digit_blocks;
  /// One multiplicity per table entry (multiplicity_vars() variables).
  std::size_t multiplicity_block = 0;
  /// The packed layouts' sections of the table, after the single digits' 2^(D+1) entries.
  std::vector<PackedSection> sections = {};

  /// The single digits' part of the table: 2^(D+1) entries.
  static std::size_t table_vars(std::size_t digit_bits) { return digit_bits + 1; }

  /// The whole table's variables: the single digits, then the sections.
  std::size_t multiplicity_vars() const {
    return zkcnn::detail::ceil_log2(sections.empty() ? std::size_t{1} << table_vars(digit_bits)
                                                     : sections.back().offset + (std::size_t{1} << sections.back().vars));
  }

  /// The row variables of the packed keys' point: the most any section needs.
  std::size_t packed_row_vars() const {
    std::size_t vars = 0;
    for (const PackedSection& s : sections) vars = std::max(vars, s.row_vars());
    return vars;
  }

  /// The first row of a block's digits that can be looked up together with every row after
  /// it: at least two rows whose widths add up to at most D, all of them if they fit, else
  /// all but the first (the widest: a rescale's remainder, with the small magnitude, sign and
  /// padding rows packed).
  std::optional<std::size_t> packable_from(const nn::DigitLayout& digits) const {
    const auto widths = digits.widths();
    for (std::size_t first = 0; first < 2 && first + 2 <= widths.size(); ++first) {
      if (std::accumulate(widths.begin() + static_cast<std::ptrdiff_t>(first), widths.end(), std::size_t{0}) <= digit_bits) return first;
    }
    return std::nullopt;
  }

  /// Packs digit blocks: the rows packable_from names are looked up one key per column (their
  /// digits together) in a section of the table holding every tuple of their widths; rows
  /// before them stay single digits. Each layout gets one section, shared by its blocks; by
  /// default only where its blocks save more leaves (packed rows - 1 per looked-up column)
  /// than the section adds. Call once, after listing the digit blocks.
  void pack(Packing packing = Packing::where_it_saves) {
    // Each packable block's layout (first packed row and widths), found through a map: linear
    // in the blocks however many layouts an architecture has.
    std::map<std::pair<std::size_t, std::vector<std::size_t>>, std::size_t> layout_index;
    std::vector<std::pair<PackedSection, std::size_t>> layouts;  // with the leaves packing saves, in order of appearance
    std::vector<std::optional<std::size_t>> layout_of(digit_blocks.size());
    for (std::size_t k = 0; k < digit_blocks.size(); ++k) {
      const DigitBlock& b = digit_blocks[k];
      const auto first = packable_from(b.digits);
      if (!first) continue;
      const auto widths = b.digits.widths().subspan(*first);
      const auto [found, added] = layout_index.try_emplace({*first, {widths.begin(), widths.end()}}, layouts.size());
      if (added) {
        const std::size_t vars = std::accumulate(widths.begin(), widths.end(), std::size_t{0});
        layouts.push_back({PackedSection{*first, {widths.begin(), widths.end()}, 0, vars}, 0});
      }
      layouts[found->second].second += b.checked_column_count() * (widths.size() - 1);
      layout_of[k] = found->second;
    }
    std::vector<std::size_t> chosen;
    for (std::size_t i = 0; i < layouts.size(); ++i) {
      if (packing == Packing::whenever_possible || layouts[i].second > (std::size_t{1} << layouts[i].first.vars)) chosen.push_back(i);
    }
    // Largest first from 2^(D+1), so every section starts at a multiple of its own size.
    std::stable_sort(chosen.begin(), chosen.end(), [&](std::size_t a, std::size_t b) { return layouts[a].first.vars > layouts[b].first.vars; });
    std::vector<std::optional<std::size_t>> section_of(layouts.size());
    sections.clear();
    std::size_t offset = std::size_t{1} << table_vars(digit_bits);
    for (std::size_t i : chosen) {
      section_of[i] = sections.size();
      sections.push_back(layouts[i].first);
      sections.back().offset = offset;
      offset += std::size_t{1} << layouts[i].first.vars;
    }
    for (std::size_t k = 0; k < digit_blocks.size(); ++k) digit_blocks[k].section = layout_of[k] ? section_of[*layout_of[k]] : std::nullopt;
  }

  /// The first packed row of a block (its row count when it is not packed).
  std::size_t first_packed_row(const DigitBlock& b) const { return b.section ? sections[*b.section].first_row : b.digits.row_count(); }

  /// The lookup's leaves that are not empty for an honest witness: a key per looked-up digit
  /// outside the packed rows, one per looked-up column for them, and one per table entry. The
  /// fraction tree costs about this.
  std::size_t lookup_leaves() const {
    std::size_t leaves = std::size_t{1} << table_vars(digit_bits);
    for (const PackedSection& s : sections) leaves += std::size_t{1} << s.vars;
    for (const DigitBlock& b : digit_blocks) leaves += b.checked_column_count() * (first_packed_row(b) + (b.section ? 1 : 0));
    return leaves;
  }

  /// The tag that keeps section k's keys apart from the single digits' (whose widths are at
  /// most D) and from the other sections'.
  std::size_t section_tag(std::size_t section) const { return digit_bits + 1 + section; }

  /// The table entry of a digit of width w: 2^w + d.
  static std::size_t table_index(std::size_t width, std::uint64_t digit) {
    return (std::size_t{1} << width) + static_cast<std::size_t>(digit);
  }

  /// The multiplicities of every table entry among the looked-up digits of `witness`.
  template <EncodableField F>
  std::vector<F> multiplicities(const BlockLayout& layout, std::span<const F> witness) const {
    // Every digit row, and every packed block, counted on all threads (a count table per chunk
    // of items, then added).
    struct Item {
      const DigitBlock* block;
      std::size_t row;  // a single digit's, or a packed block's first packed row
      std::size_t begin;
    };
    std::vector<Item> items;
    std::size_t entries = 0;
    for (const DigitBlock& b : digit_blocks) {
      const std::size_t length = std::size_t{1} << b.column_vars;
      const std::size_t first_packed = first_packed_row(b);
      for (std::size_t row = 0; row < first_packed; ++row) items.push_back({&b, row, layout.offset(b.block) + row * length});
      if (b.section) items.push_back({&b, first_packed, layout.offset(b.block) + first_packed * length});
      entries += b.digits.row_count() * length;
    }
    auto digit_at = [&](const DigitBlock& b, std::size_t entry, std::size_t row) {
      const auto digit = nn::to_small_integer(witness[entry]);
      if (!digit || *digit < 0 || *digit >= (std::int64_t{1} << b.digits.width(row))) {
        throw std::invalid_argument("RangeCheckLayout: a digit outside its width");
      }
      return static_cast<std::uint64_t>(*digit);
    };
    const std::size_t table_size = std::size_t{1} << multiplicity_vars();
    const std::size_t threads = zkcnn::detail::threads_for(entries, std::size_t{1} << 16);
    std::vector<std::vector<std::uint64_t>> partial(threads);
    zkcnn::detail::parallel_for(0, threads, [&](std::size_t first_thread, std::size_t last_thread) {
      for (std::size_t t = first_thread; t < last_thread; ++t) {
        std::vector<std::uint64_t> counts(table_size, 0);
        for (std::size_t k = t; k < items.size(); k += threads) {
          const auto& [b, row, begin] = items[k];
          const std::size_t length = std::size_t{1} << b->column_vars;
          for (std::size_t x = 0; x < length; ++x) {
            if (!b->is_checked(x)) continue;
            if (row < first_packed_row(*b)) {
              ++counts[table_index(b->digits.width(row), digit_at(*b, begin + x, row))];
              continue;
            }
            std::uint64_t tuple = 0;
            for (std::size_t j = row; j < b->digits.row_count(); ++j) {
              tuple |= digit_at(*b, begin + (j - row) * length + x, j) << (b->digits.offset(j) - b->digits.offset(row));
            }
            ++counts[sections[*b->section].offset + tuple];
          }
        }
        partial[t] = std::move(counts);
      }
    }, threads);
    std::vector<std::uint64_t> counts(table_size, 0);
    for (const auto& part : partial) {
      for (std::size_t i = 0; i < table_size; ++i) counts[i] += part[i];
    }
    std::vector<F> out(counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i) out[i] = F::from_u64(counts[i]);
    return out;
  }
};

template <class P>
struct RangeCheckProof {
  gkr::FractionSumProof<typename P::Challenge> lookup;
  /// The values detail::sent_values lists: each digit block's at the leaves' point (a packed
  /// block's at its packed point, and its single rows'), then the multiplicities'.
  std::vector<typename P::Challenge> block_values;
  typename P::BatchProof opening;
};

namespace detail {

template <EncodableField F>
struct LookupChallenges {
  F gamma;             // separates the widths and the sections
  std::vector<F> tau;  // the packed keys' row point (empty without packed blocks)
  F alpha;             // the fractions' pole
};

// tau only where there are packed blocks, so that a layout without them draws what it always has.
template <EncodableField F, class T>
LookupChallenges<F> lookup_challenges(T& transcript, const RangeCheckLayout& range) {
  LookupChallenges<F> c;
  c.gamma = transcript.template challenge<F>("zkcnn/range/gamma");
  for (std::size_t k = 0; k < range.packed_row_vars(); ++k) c.tau.push_back(transcript.template challenge<F>("zkcnn/range/tau"));
  c.alpha = transcript.template challenge<F>("zkcnn/range/alpha");
  return c;
}

// eq(tau, j) for every row j of section k's blocks.
template <Field F>
std::vector<F> block_row_weights(const RangeCheckLayout& range, std::size_t section, const LookupChallenges<F>& c) {
  const PackedSection& s = range.sections[section];
  std::vector<F> weights = eq_table(std::span<const F>(c.tau).first(s.row_vars()));
  weights.resize(s.first_row + s.widths.size());
  return weights;
}

// eq(tau, j) for the packed rows j of section k's blocks: their digits' weights in a key.
template <Field F>
std::vector<F> packed_row_weights(const RangeCheckLayout& range, std::size_t section, const LookupChallenges<F>& c) {
  std::vector<F> weights = block_row_weights(range, section, c);
  weights.erase(weights.begin(), weights.begin() + static_cast<std::ptrdiff_t>(range.sections[section].first_row));
  return weights;
}

// sum_{j >= f} eq(tau, j) e_j over a packed block's packed rows (their weights from f on):
// the digit part of its key in a padding column of an honest witness.
template <Field F>
F packed_padding(const DigitBlock& b, std::size_t first_packed, std::span<const F> packed_weights) {
  F padding = F::zero();
  for (std::size_t j = 0; j < packed_weights.size(); ++j) padding += packed_weights[j] * F::from_u64(b.padding_digit(first_packed + j));
  return padding;
}

// The key of table entry i: v + gamma w for a single digit of width w (entry 0 stands for
// (0, 0) again; entries past the sections are unused, key 0); sum_j eq(tau, j) v_j + gamma tag
// for the tuple (v_j) of a section.
template <Field F>
class TableKeys {
 public:
  TableKeys(const RangeCheckLayout& range, const LookupChallenges<F>& c) : range_(range), gamma_(c.gamma) {
    for (std::size_t k = 0; k < range.sections.size(); ++k) row_weights_.push_back(packed_row_weights(range, k, c));
  }

  F operator()(std::size_t i) const {
    if (i == 0) return F::zero();
    if (i < (std::size_t{1} << RangeCheckLayout::table_vars(range_.digit_bits))) {
      const std::size_t width = static_cast<std::size_t>(std::bit_width(i)) - 1;
      return F::from_u64(i - (std::size_t{1} << width)) + gamma_ * F::from_u64(width);
    }
    for (std::size_t k = 0; k < range_.sections.size(); ++k) {
      const PackedSection& section = range_.sections[k];
      if (i < section.offset || i >= section.offset + (std::size_t{1} << section.vars)) continue;
      std::size_t tuple = i - section.offset;
      F key = gamma_ * F::from_u64(range_.section_tag(k));
      for (std::size_t j = 0; j < section.widths.size(); ++j) {
        key += row_weights_[k][j] * F::from_u64(tuple & ((std::size_t{1} << section.widths[j]) - 1));
        tuple >>= section.widths[j];
      }
      return key;
    }
    return F::zero();
  }

 private:
  const RangeCheckLayout& range_;
  F gamma_;
  std::vector<std::vector<F>> row_weights_;
};

// The single digits' keys' extension at r (table_vars coordinates): with S_w = sum over
// [2^w, 2^(w+1)) of eq(r, i) = r_w prod_{k > w} (1 - r_k),
//   sum_i eq(r, i) key(i) = sum_k 2^k r_k - sum_w 2^w S_w + gamma sum_w w S_w.
template <Field F>
F single_keys_extension(std::span<const F> r, const F& gamma) {
  F value = F::zero(), above = F::one();  // above = prod_{k > w} (1 - r_k)
  for (std::size_t w = r.size(); w-- > 0;) {
    const F s = r[w] * above;
    value += nn::power_of_two<F>(w) * (r[w] - s) + gamma * F::from_u64(w) * s;
    above *= F::one() - r[w];
  }
  return value;
}

// eq(r_hi, index) for a block of `block_vars` variables at `offset`: the weight of the block's
// entries in an extension at r.
template <Field F>
F block_weight(std::span<const F> r, std::size_t block_vars, std::size_t offset) {
  F weight = F::one();
  const std::size_t index = offset >> block_vars;
  for (std::size_t k = block_vars; k < r.size(); ++k) weight *= ((index >> (k - block_vars)) & 1) ? r[k] : F::one() - r[k];
  return weight;
}

template <Field F>
std::vector<F> block_point(std::span<const F> r, std::size_t block_vars) {
  return {r.begin(), r.begin() + static_cast<std::ptrdiff_t>(block_vars)};
}

// The whole table's keys' extension at r (multiplicity_vars() coordinates): each part's
// extension weighted by eq(r's high coordinates, the part's place). A section's keys are affine
// in its entries' bits, so their extension is that function at r.
template <Field F>
F table_key_extension(const RangeCheckLayout& range, std::span<const F> r, const LookupChallenges<F>& c) {
  const std::size_t single_vars = RangeCheckLayout::table_vars(range.digit_bits);
  F value = block_weight(r, single_vars, 0) * single_keys_extension(r.first(single_vars), c.gamma);
  for (std::size_t k = 0; k < range.sections.size(); ++k) {
    const PackedSection& section = range.sections[k];
    const std::vector<F> row_weights = packed_row_weights(range, k, c);
    F key = c.gamma * F::from_u64(range.section_tag(k));
    for (std::size_t j = 0, bit = 0; j < section.widths.size(); ++j) {
      F digit = F::zero();
      for (std::size_t b = 0; b < section.widths[j]; ++b, ++bit) digit += nn::power_of_two<F>(b) * r[bit];
      key += row_weights[j] * digit;
    }
    value += block_weight(r, section.vars, section.offset) * key;
  }
  return value;
}

// What the prover sends at the leaves' point r (or leaves as claims, in zero knowledge), in
// order: each digit block's value at r's low coordinates, or a packed block's at (columns,
// tau), whose row part weights its digits as a key weights the packed ones, and, when its first row
// stays a single digit, also at (columns, row j) for each row j before the packed ones; then
// the multiplicities' value.
template <Field F>
struct SentValue {
  std::size_t block;
  std::vector<F> point;
};

inline std::size_t sent_value_count(const RangeCheckLayout& range) {
  std::size_t count = 1;
  for (const DigitBlock& b : range.digit_blocks) count += b.section ? 1 + range.first_packed_row(b) : 1;
  return count;
}

template <Field F>
std::vector<SentValue<F>> sent_values(const BlockLayout& layout, const RangeCheckLayout& range, std::span<const F> r,
                                      const LookupChallenges<F>& c) {
  std::vector<SentValue<F>> values;
  for (const DigitBlock& b : range.digit_blocks) {
    std::vector<F> point = block_point(r, layout.block_num_vars(b.block));
    if (!b.section) {
      values.push_back({b.block, std::move(point)});
      continue;
    }
    const auto rows = point.begin() + static_cast<std::ptrdiff_t>(b.column_vars);
    std::copy_n(c.tau.begin(), b.digits.row_vars(), rows);
    values.push_back({b.block, point});
    for (std::size_t row = 0; row < range.first_packed_row(b); ++row) {
      for (std::size_t k = 0; k < b.digits.row_vars(); ++k) rows[static_cast<std::ptrdiff_t>(k)] = (row >> k) & 1 ? F::one() : F::zero();
      values.push_back({b.block, point});
    }
  }
  values.push_back({range.multiplicity_block, block_point(r, layout.block_num_vars(range.multiplicity_block))});
  return values;
}

// The leaves p and q over the witness's index space, up to the end of its last block (the
// unused entries after it are the empty fraction 0 / alpha, which the fraction tree fills in
// itself), computed from the witness as the tree reads them (gkr::FractionLeaves).
template <EncodableField F>
class LookupLeaves {
 public:
  LookupLeaves(const BlockLayout& layout, const RangeCheckLayout& range, std::span<const F> witness,
               const LookupChallenges<F>& challenges)
      : witness_(witness), challenges_(challenges), size_(layout.used_size()) {
    const F& alpha = challenges.alpha;
    for (const DigitBlock& b : range.digit_blocks) {
      const std::size_t length = std::size_t{1} << b.column_vars;
      const std::size_t first_packed = range.first_packed_row(b);
      for (std::size_t row = 0; row < first_packed; ++row) {
        runs_.push_back({layout.offset(b.block) + row * length, length, &b,
                         alpha - challenges.gamma * F::from_u64(b.digits.width(row)),
                         alpha + F::from_u64(b.padding_digit(row)), {}});
      }
      if (b.section) {  // the first packed row's positions hold the columns' leaves; the rows after are empty
        std::vector<F> weights = packed_row_weights(range, *b.section, challenges);
        const F padding = alpha + packed_padding(b, first_packed, std::span<const F>(weights));
        runs_.push_back({layout.offset(b.block) + first_packed * length, length, &b,
                         alpha - challenges.gamma * F::from_u64(range.section_tag(*b.section)), padding, std::move(weights)});
      }
    }
    const std::size_t table_size = std::size_t{1} << range.multiplicity_vars();
    runs_.push_back({layout.offset(range.multiplicity_block), table_size, nullptr, F::zero(), F::zero(), {}});
    std::sort(runs_.begin(), runs_.end(), [](const Run& a, const Run& b) { return a.begin < b.begin; });
    const TableKeys<F> keys(range, challenges);
    table_denominators_.resize(table_size);
    zkcnn::detail::parallel_for(0, table_size, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) table_denominators_[i] = alpha - keys(i);
    });
  }

  std::size_t size() const { return size_; }

  void fill(std::size_t first, std::span<F> p, std::span<F> q) const {
    std::fill(p.begin(), p.end(), F::zero());
    std::fill(q.begin(), q.end(), challenges_.alpha);
    const std::size_t last = first + p.size();
    auto run = std::upper_bound(runs_.begin(), runs_.end(), first, [](std::size_t i, const Run& r) { return i < r.begin + r.length; });
    for (; run != runs_.end() && run->begin < last; ++run) {
      const std::size_t from = std::max(first, run->begin), to = std::min(last, run->begin + run->length);
      for (std::size_t i = from; i < to; ++i) {
        const std::size_t x = i - run->begin;
        if (run->block == nullptr) {  // a multiplicity
          p[i - first] = -witness_[i];
          q[i - first] = table_denominators_[x];
          continue;
        }
        F digits = witness_[i];  // a single digit, or a packed block's sum_j eq(tau, j) d_j
        if (!run->row_weights.empty()) {
          digits *= run->row_weights[0];
          for (std::size_t row = 1; row < run->row_weights.size(); ++row) digits += run->row_weights[row] * witness_[i + row * run->length];
        }
        if (run->block->is_checked(x)) {
          p[i - first] = F::one();
          q[i - first] = run->checked_base - digits;
        } else {
          q[i - first] = run->padding_base - digits;
        }
      }
    }
  }

 private:
  // One digit row of a digit block (q = base - d), a packed block's first packed row (q =
  // base - its columns' weighted digits), or the multiplicities (block null).
  struct Run {
    std::size_t begin;
    std::size_t length;
    const DigitBlock* block;
    F checked_base;  // alpha - gamma w(row), or alpha - gamma tag for a packed block
    F padding_base;  // alpha + e(row), or alpha + sum_j eq(tau, j) e(j) over the packed rows
    std::vector<F> row_weights;  // eq(tau, j) of a packed block's packed rows; empty for a single row
  };

  std::span<const F> witness_;
  LookupChallenges<F> challenges_;
  std::size_t size_;
  std::vector<Run> runs_;  // by position, disjoint
  std::vector<F> table_denominators_;  // alpha - key(i)
};

// Whether the layout's multiplicity block holds the range layout's whole table (its size
// depends on the packing).
inline bool holds_table(const BlockLayout& layout, const RangeCheckLayout& range) {
  return range.multiplicity_block < layout.block_count() &&
         layout.block_num_vars(range.multiplicity_block) == range.multiplicity_vars();
}

// p~(r) and q~(r) as affine functions of the sent values (sent_values order).
template <Field F>
struct LeafForm {
  F p_constant = F::zero();
  F q_constant = F::zero();
  std::vector<F> p_coefficients;
  std::vector<F> q_coefficients;
};

template <Field F>
LeafForm<F> leaf_form(const BlockLayout& layout, const RangeCheckLayout& range, std::span<const F> r,
                      const LookupChallenges<F>& c) {
  // Every entry's q is alpha (an unused entry's) plus its block's change to it.
  LeafForm<F> form;
  form.q_constant = c.alpha;
  for (const DigitBlock& b : range.digit_blocks) {
    const std::size_t vars = layout.block_num_vars(b.block);
    const F weight = block_weight(r, vars, layout.offset(b.block));
    const std::span<const F> columns = r.first(b.column_vars);
    // The extension of the checked columns' indicator.
    const F checked = b.checked_columns ? b.checked_columns->indicator(columns) : F::one();
    const std::span<const F> rows = r.subspan(b.column_vars, b.digits.row_vars());
    if (b.section) {
      // Rows j before the first packed row f: single digits, from their values v_j at
      // (columns, j). Row f: the columns' packed leaves, whose digit part is
      // sum_{j >= f} eq(tau, j) d_j = v_tau - sum_{j < f} eq(tau, j) v_j, v_tau the value at
      // (columns, tau). The rows after f: empty.
      const std::size_t first_packed = range.first_packed_row(b);
      const std::vector<F> at_r = eq_table(rows);
      const std::vector<F> at_tau = block_row_weights(range, *b.section, c);
      const F padding = packed_padding(b, first_packed, std::span<const F>(at_tau).subspan(first_packed));
      const F packed = weight * at_r[first_packed];
      form.p_constant += packed * checked;
      form.q_constant += packed * ((F::one() - checked) * padding - checked * c.gamma * F::from_u64(range.section_tag(*b.section)));
      form.p_coefficients.push_back(F::zero());
      form.q_coefficients.push_back(-packed);
      for (std::size_t row = 0; row < first_packed; ++row) {
        const F single = weight * at_r[row];
        form.p_constant += single * checked;
        form.q_constant += single * ((F::one() - checked) * F::from_u64(b.padding_digit(row)) -
                                     checked * c.gamma * F::from_u64(b.digits.width(row)));
        form.p_coefficients.push_back(F::zero());
        form.q_coefficients.push_back(packed * at_tau[row] - single);
      }
      continue;
    }
    const std::vector<F> row_weights = eq_table(rows);
    F widths = F::zero(), padding = F::zero();
    for (std::size_t row = 0; row < b.digits.row_count(); ++row) {
      widths += row_weights[row] * F::from_u64(b.digits.width(row));
      padding += row_weights[row] * F::from_u64(b.padding_digit(row));
    }
    form.p_constant += weight * checked;
    form.q_constant += weight * ((F::one() - checked) * padding - checked * c.gamma * widths);
    form.p_coefficients.push_back(F::zero());
    form.q_coefficients.push_back(-weight);
  }
  const std::size_t vars = layout.block_num_vars(range.multiplicity_block);
  const F weight = block_weight(r, vars, layout.offset(range.multiplicity_block));
  form.p_coefficients.push_back(-weight);
  form.q_coefficients.push_back(F::zero());
  form.q_constant -= weight * table_key_extension(range, r.first(vars), c);
  return form;
}

// p~(r) and q~(r) from the sent values (in sent_values order).
template <Field F>
std::pair<F, F> leaves_at(const BlockLayout& layout, const RangeCheckLayout& range, std::span<const F> r,
                          std::span<const F> block_values, const LookupChallenges<F>& c) {
  const auto form = leaf_form(layout, range, r, c);
  F p = form.p_constant, q = form.q_constant;
  for (std::size_t k = 0; k < block_values.size(); ++k) {
    p += form.p_coefficients[k] * block_values[k];
    q += form.q_coefficients[k] * block_values[k];
  }
  return {p, q};
}

// Zero knowledge: the claims on the leaves become claims on the witness, affine in its blocks'
// values at r, so no block value is sent.
template <Field F>
std::vector<CommittedClaim<F>> leaf_claims(const BlockLayout& layout, const RangeCheckLayout& range, std::size_t matrix,
                                           const gkr::FractionSumClaims<F>& lookup, const LookupChallenges<F>& c) {
  const std::span<const F> r(lookup.point);
  const auto form = leaf_form(layout, range, r, c);
  const auto sent = sent_values(layout, range, r, c);
  auto claim = [&](const std::vector<F>& coefficients, const F& constant, const gkr::MaskedValue<F>& value) {
    CommittedClaim<F> out{matrix, {}, value};
    out.value.value -= constant;
    for (std::size_t k = 0; k < sent.size(); ++k) {
      if (coefficients[k] == F::zero()) continue;
      out.terms.push_back({coefficients[k], layout.embed(sent[k].block, std::span<const F>(sent[k].point))});
    }
    return out;
  };
  return {claim(form.p_coefficients, form.p_constant, lookup.numerator),
          claim(form.q_coefficients, form.q_constant, lookup.denominator)};
}

}  // namespace detail

/// `claims` are the layers' claims on the witness; the range check's are added to them. The
/// witness comes in the proof's field and as the scheme committed it (`committed`: the same
/// entries in the base field).
template <class P, class T, CryptoRng Rng>
RangeCheckProof<P> prove_range_check(const P& pcs, const BlockLayout& layout, const RangeCheckLayout& range,
                                     std::span<const typename P::Challenge> witness,
                                     std::span<const typename P::Scalar> committed, const typename P::Opening& opening,
                                     const typename P::Commitment& commitment,
                                     std::vector<EvaluationClaim<typename P::Challenge>> claims, T& transcript, Rng& rng) {
  using F = typename P::Challenge;
  if (!detail::holds_table(layout, range)) throw std::invalid_argument("prove_range_check: the multiplicity block is not the table's size");
  P::absorb_commitment(transcript, commitment);
  const auto challenges = detail::lookup_challenges<F>(transcript, range);
  const detail::LookupLeaves<F> leaves(layout, range, witness, challenges);
  auto proven = gkr::prove_fraction_sum(leaves, layout.num_vars(), transcript, challenges.alpha);
  RangeCheckProof<P> out;
  out.lookup = std::move(proven.proof);
  for (const auto& [block, point] : detail::sent_values(layout, range, std::span<const F>(proven.claims.point), challenges)) {
    const auto begin = witness.begin() + static_cast<std::ptrdiff_t>(layout.offset(block));
    const F value = evaluate_multilinear(std::span<const F>(&*begin, std::size_t{1} << point.size()), std::span<const F>(point));
    out.block_values.push_back(value);
    claims.push_back({layout.embed(block, std::span<const F>(point)), value});
  }
  gkr::absorb_evaluations(transcript, std::span<const F>(out.block_values));
  out.opening = pcs.prove_batch(committed, opening, commitment, std::span<const EvaluationClaim<F>>(claims), transcript, rng);
  return out;
}

template <class P, class T>
Status verify_range_check(const P& pcs, const BlockLayout& layout, const RangeCheckLayout& range,
                          const typename P::Commitment& commitment,
                          std::vector<EvaluationClaim<typename P::Challenge>> claims, const RangeCheckProof<P>& proof,
                          T& transcript) {
  using F = typename P::Challenge;
  if (!detail::holds_table(layout, range)) return make_error(Errc::invalid_argument, "range check: the multiplicity block is not the table's size");
  P::absorb_commitment(transcript, commitment);
  const auto challenges = detail::lookup_challenges<F>(transcript, range);
  auto lookup = gkr::verify_fraction_sum(layout.num_vars(), proof.lookup, transcript);
  if (!lookup) return lookup.error();
  if (lookup->root_numerator != F::zero() || lookup->root_denominator == F::zero()) {
    return make_error(Errc::verification_failed, "range check: a digit is outside its range");
  }
  if (proof.block_values.size() != detail::sent_value_count(range)) {
    return make_error(Errc::malformed_proof, "range check: wrong number of block values");
  }
  gkr::absorb_evaluations(transcript, std::span<const F>(proof.block_values));
  const std::span<const F> r(lookup->point);
  const auto [p, q] = detail::leaves_at(layout, range, r, std::span<const F>(proof.block_values), challenges);
  if (p != lookup->numerator.value || q != lookup->denominator.value) {
    return make_error(Errc::verification_failed, "range check: the leaves do not match the committed digits");
  }
  const auto sent = detail::sent_values(layout, range, r, challenges);
  for (std::size_t k = 0; k < sent.size(); ++k) {
    claims.push_back({layout.embed(sent[k].block, std::span<const F>(sent[k].point)), proof.block_values[k]});
  }
  return pcs.verify_batch(commitment, std::span<const EvaluationClaim<F>>(claims), proof.opening, transcript);
}

/// Zero knowledge (the transcript carries a mask commitment): the range check without block
/// values or opening. Its claims on the witness (matrix `matrix` of the caller's opening) are
/// returned, for the caller to open with every other committed claim (pcs/hiding_opening.hpp).
/// The caller has bound the witness's commitment into the transcript.
template <EncodableField F, class T>
std::pair<gkr::FractionSumProof<F>, std::vector<CommittedClaim<F>>> prove_masked_range_check(
    const BlockLayout& layout, const RangeCheckLayout& range, std::span<const F> witness, std::size_t matrix,
    T& transcript) {
  if (!detail::holds_table(layout, range)) throw std::invalid_argument("prove_masked_range_check: the multiplicity block is not the table's size");
  const auto challenges = detail::lookup_challenges<F>(transcript, range);
  const detail::LookupLeaves<F> leaves(layout, range, witness, challenges);
  auto proven = gkr::prove_fraction_sum(leaves, layout.num_vars(), transcript, challenges.alpha);
  auto claims = detail::leaf_claims(layout, range, matrix, proven.claims, challenges);
  return {std::move(proven.proof), std::move(claims)};
}

template <EncodableField F, class T>
Result<std::vector<CommittedClaim<F>>> verify_masked_range_check(const BlockLayout& layout, const RangeCheckLayout& range,
                                                                 std::size_t matrix, const gkr::FractionSumProof<F>& proof,
                                                                 T& transcript) {
  if (!detail::holds_table(layout, range)) return make_error(Errc::invalid_argument, "range check: the multiplicity block is not the table's size");
  const auto challenges = detail::lookup_challenges<F>(transcript, range);
  auto lookup = gkr::verify_fraction_sum(layout.num_vars(), proof, transcript);
  if (!lookup) return lookup.error();
  if (lookup->root_numerator != F::zero()) return make_error(Errc::verification_failed, "range check: a digit is outside its range");
  return detail::leaf_claims(layout, range, matrix, *lookup, challenges);
}

template <class P>
void write_range_check(io::ByteWriter& out, const RangeCheckProof<P>& proof) {
  gkr::write_fraction_sum(out, proof.lookup);
  for (const auto& value : proof.block_values) out.write_field(value);
  const auto opening = P::encode_batch_proof(proof.opening);
  out.write_u32(static_cast<std::uint32_t>(opening.size()));
  out.write_bytes(opening);
}

template <class P>
Result<RangeCheckProof<P>> read_range_check(io::ByteReader& in, const BlockLayout& layout, const RangeCheckLayout& range) {
  using F = typename P::Challenge;
  auto lookup = gkr::read_fraction_sum<F>(in, layout.num_vars());
  if (!lookup) return lookup.error();
  RangeCheckProof<P> proof{std::move(*lookup), {}, {}};
  for (std::size_t k = 0; k < detail::sent_value_count(range); ++k) {
    auto value = in.read_field<F>("range check block value");
    if (!value) return value.error();
    proof.block_values.push_back(*value);
  }
  auto size = in.read_u32("auxiliary opening proof length");
  if (!size) return size.error();
  auto bytes = in.read_bytes(*size, "auxiliary opening proof");
  if (!bytes) return bytes.error();
  auto opening = P::decode_batch_proof(*bytes);
  if (!opening) return opening.error();
  proof.opening = std::move(*opening);
  return proof;
}

}  // namespace zkcnn::zk
