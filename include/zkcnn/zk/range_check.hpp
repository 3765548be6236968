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

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
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

  bool is_checked(std::size_t column) const { return !checked_columns || checked_columns->is_real(column); }
  std::uint64_t padding_digit(std::size_t row) const { return row < padding_digits.size() ? padding_digits[row] : 0; }
};

/// Which blocks of the auxiliary witness are digits, and where the multiplicities are.
struct RangeCheckLayout {
  /// D: the widest digit.
  std::size_t digit_bits = 0;
  std::vector<DigitBlock> digit_blocks;
  /// A block of digit_bits + 1 variables: one multiplicity per table entry.
  std::size_t multiplicity_block = 0;

  static std::size_t table_vars(std::size_t digit_bits) { return digit_bits + 1; }

  /// The table entry of a digit of width w: 2^w + d.
  static std::size_t table_index(std::size_t width, std::uint64_t digit) {
    return (std::size_t{1} << width) + static_cast<std::size_t>(digit);
  }

  /// The multiplicities of every table entry among the looked-up digits of `witness`.
  template <EncodableField F>
  std::vector<F> multiplicities(const BlockLayout& layout, std::span<const F> witness) const {
    // Every digit row, counted on all threads (a count table per chunk of rows, then added).
    struct Row {
      const DigitBlock* block;
      std::size_t row;
      std::size_t begin;
    };
    std::vector<Row> rows;
    std::size_t entries = 0;
    for (const DigitBlock& b : digit_blocks) {
      for (std::size_t row = 0; row < b.digits.row_count(); ++row) {
        rows.push_back({&b, row, layout.offset(b.block) + (row << b.column_vars)});
        entries += std::size_t{1} << b.column_vars;
      }
    }
    const std::size_t table_size = std::size_t{1} << table_vars(digit_bits);
    const std::size_t threads = zkcnn::detail::threads_for(entries, std::size_t{1} << 16);
    std::vector<std::vector<std::uint64_t>> partial(threads);
    zkcnn::detail::parallel_for(0, threads, [&](std::size_t first_thread, std::size_t last_thread) {
      for (std::size_t t = first_thread; t < last_thread; ++t) {
        std::vector<std::uint64_t> counts(table_size, 0);
        for (std::size_t k = t; k < rows.size(); k += threads) {
          const auto& [b, row, begin] = rows[k];
          const std::size_t width = b->digits.width(row);
          for (std::size_t x = 0; x < (std::size_t{1} << b->column_vars); ++x) {
            if (!b->is_checked(x)) continue;
            const auto digit = nn::to_small_integer(witness[begin + x]);
            if (!digit || *digit < 0 || *digit >= (std::int64_t{1} << width)) {
              throw std::invalid_argument("RangeCheckLayout: a digit outside its width");
            }
            ++counts[table_index(width, static_cast<std::uint64_t>(*digit))];
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
  /// Each digit block's value at the leaves' point, then the multiplicities' value.
  std::vector<typename P::Challenge> block_values;
  typename P::BatchProof opening;
};

namespace detail {

template <EncodableField F>
struct LookupChallenges {
  F gamma;  // separates the widths
  F alpha;  // the fractions' pole
};

template <EncodableField F, class T>
LookupChallenges<F> lookup_challenges(T& transcript) {
  const F gamma = transcript.template challenge<F>("zkcnn/range/gamma");
  const F alpha = transcript.template challenge<F>("zkcnn/range/alpha");
  return {gamma, alpha};
}

// The key v + gamma w of table entry i.
template <Field F>
F table_key(std::size_t i, const F& gamma) {
  if (i == 0) return F::zero();
  const std::size_t width = static_cast<std::size_t>(std::bit_width(i)) - 1;
  return F::from_u64(i - (std::size_t{1} << width)) + gamma * F::from_u64(width);
}

// The table's keys' extension at r (table_vars coordinates): with S_w = sum over
// [2^w, 2^(w+1)) of eq(r, i) = r_w prod_{k > w} (1 - r_k),
//   sum_i eq(r, i) key(i) = sum_k 2^k r_k - sum_w 2^w S_w + gamma sum_w w S_w.
template <Field F>
F table_key_extension(std::span<const F> r, const F& gamma) {
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

// The leaves p and q over the witness's index space, up to the end of its last block (the
// unused entries after it are the empty fraction 0 / alpha, which the fraction tree fills in
// itself), computed from the witness as the tree reads them (gkr::FractionLeaves).
template <EncodableField F>
class LookupLeaves {
 public:
  LookupLeaves(const BlockLayout& layout, const RangeCheckLayout& range, std::span<const F> witness,
               const LookupChallenges<F>& challenges)
      : witness_(witness), challenges_(challenges), size_(layout.used_size()) {
    for (const DigitBlock& b : range.digit_blocks) {
      const std::size_t length = std::size_t{1} << b.column_vars;
      for (std::size_t row = 0; row < b.digits.row_count(); ++row) {
        runs_.push_back({layout.offset(b.block) + row * length, length, &b,
                         challenges.alpha - challenges.gamma * F::from_u64(b.digits.width(row)),
                         challenges.alpha + F::from_u64(b.padding_digit(row))});
      }
    }
    runs_.push_back({layout.offset(range.multiplicity_block),
                     std::size_t{1} << RangeCheckLayout::table_vars(range.digit_bits), nullptr, F::zero(), F::zero()});
    std::sort(runs_.begin(), runs_.end(), [](const Run& a, const Run& b) { return a.begin < b.begin; });
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
          q[i - first] = challenges_.alpha - table_key(x, challenges_.gamma);
        } else if (run->block->is_checked(x)) {
          p[i - first] = F::one();
          q[i - first] = run->checked_base - witness_[i];
        } else {
          q[i - first] = run->padding_base - witness_[i];
        }
      }
    }
  }

 private:
  // One digit row of a digit block (q = base - d), or the multiplicities (block null).
  struct Run {
    std::size_t begin;
    std::size_t length;
    const DigitBlock* block;
    F checked_base;  // alpha - gamma w(row)
    F padding_base;  // alpha + e(row)
  };

  std::span<const F> witness_;
  LookupChallenges<F> challenges_;
  std::size_t size_;
  std::vector<Run> runs_;  // by position, disjoint
};

// The blocks whose values are sent, in order: the digit blocks, then the multiplicities.
inline std::vector<std::size_t> sent_blocks(const RangeCheckLayout& range) {
  std::vector<std::size_t> blocks;
  for (const DigitBlock& b : range.digit_blocks) blocks.push_back(b.block);
  blocks.push_back(range.multiplicity_block);
  return blocks;
}

// p~(r) and q~(r) as affine functions of the sent blocks' values at r (sent_blocks order).
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
    const std::vector<F> row_weights = eq_table(r.subspan(b.column_vars, b.digits.row_vars()));
    F widths = F::zero(), padding = F::zero();
    for (std::size_t row = 0; row < b.digits.row_count(); ++row) {
      widths += row_weights[row] * F::from_u64(b.digits.width(row));
      padding += row_weights[row] * F::from_u64(b.padding_digit(row));
    }
    // The extension of the checked columns' indicator.
    const F checked = b.checked_columns ? b.checked_columns->indicator(columns) : F::one();
    form.p_constant += weight * checked;
    form.q_constant += weight * ((F::one() - checked) * padding - checked * c.gamma * widths);
    form.p_coefficients.push_back(F::zero());
    form.q_coefficients.push_back(-weight);
  }
  const std::size_t vars = layout.block_num_vars(range.multiplicity_block);
  const F weight = block_weight(r, vars, layout.offset(range.multiplicity_block));
  form.p_coefficients.push_back(-weight);
  form.q_coefficients.push_back(F::zero());
  form.q_constant -= weight * table_key_extension(r.first(vars), c.gamma);
  return form;
}

// p~(r) and q~(r) from the blocks' values at r (in sent_blocks order).
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
  const auto blocks = sent_blocks(range);
  auto claim = [&](const std::vector<F>& coefficients, const F& constant, const gkr::MaskedValue<F>& value) {
    CommittedClaim<F> out{matrix, {}, value};
    out.value.value -= constant;
    for (std::size_t k = 0; k < blocks.size(); ++k) {
      if (coefficients[k] == F::zero()) continue;
      const std::vector<F> point = block_point(r, layout.block_num_vars(blocks[k]));
      out.terms.push_back({coefficients[k], layout.embed(blocks[k], std::span<const F>(point))});
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
  P::absorb_commitment(transcript, commitment);
  const auto challenges = detail::lookup_challenges<F>(transcript);
  const detail::LookupLeaves<F> leaves(layout, range, witness, challenges);
  auto proven = gkr::prove_fraction_sum(leaves, layout.num_vars(), transcript, challenges.alpha);
  RangeCheckProof<P> out;
  out.lookup = std::move(proven.proof);
  const std::span<const F> r(proven.claims.point);
  for (std::size_t block : detail::sent_blocks(range)) {
    const std::size_t vars = layout.block_num_vars(block);
    const auto begin = witness.begin() + static_cast<std::ptrdiff_t>(layout.offset(block));
    std::vector<F> point = detail::block_point(r, vars);
    const F value = evaluate_multilinear(std::span<const F>(&*begin, std::size_t{1} << vars), std::span<const F>(point));
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
  P::absorb_commitment(transcript, commitment);
  const auto challenges = detail::lookup_challenges<F>(transcript);
  auto lookup = gkr::verify_fraction_sum(layout.num_vars(), proof.lookup, transcript);
  if (!lookup) return lookup.error();
  if (lookup->root_numerator != F::zero() || lookup->root_denominator == F::zero()) {
    return make_error(Errc::verification_failed, "range check: a digit is outside its range");
  }
  const auto blocks = detail::sent_blocks(range);
  if (proof.block_values.size() != blocks.size()) return make_error(Errc::malformed_proof, "range check: wrong number of block values");
  gkr::absorb_evaluations(transcript, std::span<const F>(proof.block_values));
  const std::span<const F> r(lookup->point);
  const auto [p, q] = detail::leaves_at(layout, range, r, std::span<const F>(proof.block_values), challenges);
  if (p != lookup->numerator.value || q != lookup->denominator.value) {
    return make_error(Errc::verification_failed, "range check: the leaves do not match the committed digits");
  }
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    const std::vector<F> point = detail::block_point(r, layout.block_num_vars(blocks[k]));
    claims.push_back({layout.embed(blocks[k], std::span<const F>(point)), proof.block_values[k]});
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
  const auto challenges = detail::lookup_challenges<F>(transcript);
  const detail::LookupLeaves<F> leaves(layout, range, witness, challenges);
  auto proven = gkr::prove_fraction_sum(leaves, layout.num_vars(), transcript, challenges.alpha);
  auto claims = detail::leaf_claims(layout, range, matrix, proven.claims, challenges);
  return {std::move(proven.proof), std::move(claims)};
}

template <EncodableField F, class T>
Result<std::vector<CommittedClaim<F>>> verify_masked_range_check(const BlockLayout& layout, const RangeCheckLayout& range,
                                                                 std::size_t matrix, const gkr::FractionSumProof<F>& proof,
                                                                 T& transcript) {
  const auto challenges = detail::lookup_challenges<F>(transcript);
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
  for (std::size_t k = 0; k < range.digit_blocks.size() + 1; ++k) {
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
