#pragma once
// The committed randomness of a zero-knowledge model proof over the hash-based scheme
// (pcs/ligero.hpp; docs/protocol.md sections 7 and 8).
//
// Every masked sumcheck step draws fresh random values of the proof's field EF
// (gkr/sumcheck_step.hpp). They are taken one after the other from rows of C = 2^k entries,
// every entry random. A row is committed whole when the first draw reaches it, before that
// draw's challenges: encoded by the hiding Reed-Solomon code the weights' commitment uses (its
// C, r and rate), with r random coefficients of its own, and committed as a Merkle tree over
// its N codeword positions, each leaf a salt and one value; the root is bound into the
// transcript. The proof carries the roots at its front, and the final opening
// (pcs/ligero_model_opening.hpp) opens every row at the same positions as the weights' and the
// witness's columns: the rows are those of one matrix, committed in several trees.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/pcs/ligero_columns.hpp"
#include "zkcnn/pcs/merkle.hpp"
#include "zkcnn/pcs/reed_solomon.hpp"

namespace zkcnn::pcs::ligero {

template <class T>
void absorb_mask_root(T& transcript, const merkle::Digest& root) {
  transcript.absorb_bytes("ligero/mask_row", root);
}

/// One committed mask row as its prover keeps it.
template <class EF>
struct MaskRow {
  std::vector<EF> hiding;    // r coefficients
  std::vector<EF> codeword;  // N values
  std::vector<Salt> salts;   // N
  std::shared_ptr<const merkle::Tree> tree;
};

/// The prover's side: values, rows and the claims the steps made on them.
template <TwoAdicField F, class EF, CryptoRng Rng>
class MaskProver {
 public:
  using Scalar = EF;

  MaskProver(std::shared_ptr<const HidingReedSolomon<F>> code, std::size_t column_vars, std::size_t hiding, Rng& rng)
      : code_(std::move(code)), width_(std::size_t{1} << column_vars), hiding_(hiding), rng_(rng) {}

  /// Takes the next `count` entries, committing the rows they reach first into the transcript,
  /// and returns the first entry's index.
  template <class T, class Zeroed = int>
  std::size_t draw(std::size_t count, T& transcript, Zeroed = {}) {
    const std::size_t first = used_;
    used_ += count;
    while (values_.size() < used_) commit_row(transcript);
    return first;
  }

  const EF& value(std::size_t index) const { return values_.at(index); }
  void claim(gkr::LinearClaim<EF> claim) { claims_.push_back(std::move(claim)); }

  std::size_t width() const { return width_; }
  /// Row-major, width() entries per row.
  std::span<const EF> values() const { return values_; }
  std::span<const MaskRow<EF>> rows() const { return rows_; }
  std::span<const gkr::LinearClaim<EF>> claims() const { return claims_; }

 private:
  template <class T>
  void commit_row(T& transcript) {
    const std::size_t begin = values_.size();
    for (std::size_t j = 0; j < width_; ++j) values_.push_back(EF::random(rng_));
    MaskRow<EF> row;
    row.hiding.resize(hiding_);
    for (auto& h : row.hiding) h = EF::random(rng_);
    std::vector<EF> coefficients(code_->dimension());
    code_->row_coefficients(std::span<const EF>(values_).subspan(begin, width_), std::span<const EF>(row.hiding),
                            std::span<EF>(coefficients));
    row.codeword.resize(code_->codeword_size());
    code_->evaluate(std::span<const EF>(coefficients), std::span<EF>(row.codeword));
    row.salts = random_salts(row.codeword.size(), rng_);
    row.tree = std::make_shared<const merkle::Tree>(leaf_digests(row.codeword, 1, row.salts));
    absorb_mask_root(transcript, row.tree->root());
    rows_.push_back(std::move(row));
  }

  std::shared_ptr<const HidingReedSolomon<F>> code_;
  std::size_t width_;
  std::size_t hiding_;
  Rng& rng_;
  std::size_t used_ = 0;
  std::vector<EF> values_;
  std::vector<MaskRow<EF>> rows_;
  std::vector<gkr::LinearClaim<EF>> claims_;
};

/// The verifier's side: the rows' roots from the proof, bound as the draws reach them.
template <class EF>
class MaskVerifier {
 public:
  using Scalar = EF;

  MaskVerifier(std::size_t width, std::vector<merkle::Digest> roots) : width_(width), roots_(std::move(roots)) {
    if (width == 0) throw std::invalid_argument("ligero masks: zero row width");
  }

  /// The next `count` entries' first index, or an error when the proof committed fewer rows.
  template <class T>
  Result<std::size_t> draw(std::size_t count, T& transcript) {
    const std::size_t first = used_;
    used_ += count;
    while (next_row_ * width_ < used_) {
      if (next_row_ == roots_.size()) {
        return make_error(Errc::malformed_proof, "zero knowledge: the proof commits fewer mask rows than its steps use");
      }
      absorb_mask_root(transcript, roots_[next_row_++]);
    }
    return first;
  }

  void claim(gkr::LinearClaim<EF> claim) { claims_.push_back(std::move(claim)); }

  std::size_t width() const { return width_; }
  std::span<const merkle::Digest> roots() const { return roots_; }
  std::span<const gkr::LinearClaim<EF>> claims() const { return claims_; }
  /// Whether every committed row was reached (a proof with spare rows is malformed).
  bool exhausted() const { return next_row_ == roots_.size(); }

 private:
  std::size_t width_;
  std::vector<merkle::Digest> roots_;
  std::size_t next_row_ = 0;
  std::size_t used_ = 0;
  std::vector<gkr::LinearClaim<EF>> claims_;
};

/// The proof's mask section: the rows' roots in order.
template <TwoAdicField F, class EF, CryptoRng Rng>
void write_mask_roots(io::ByteWriter& out, const MaskProver<F, EF, Rng>& masks) {
  std::vector<merkle::Digest> roots;
  for (const auto& row : masks.rows()) roots.push_back(row.tree->root());
  write_digests(out, roots);
}

template <class EF>
Result<MaskVerifier<EF>> read_mask_roots(io::ByteReader& in, std::size_t width) {
  std::vector<merkle::Digest> roots;
  if (auto read = read_blocks(in, roots, "ligero mask roots"); !read) return read.error();
  return MaskVerifier<EF>(width, std::move(roots));
}

}  // namespace zkcnn::pcs::ligero
