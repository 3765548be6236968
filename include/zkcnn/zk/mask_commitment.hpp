#pragma once
// The committed randomness of a zero-knowledge proof (PROTOCOL.md section 8).
//
// Every masked sumcheck step draws fresh random field elements (gkr/sumcheck_step.hpp): its
// mask polynomial's coefficients and one random line per sent value. They fill the rows of a
// Hyrax-style matrix of `width` columns one after the other. A draw is committed when it is
// made, before the step's first challenge: one hiding Pedersen commitment per row it touches,
// over the generators of the columns it fills, bound into the transcript. Pedersen
// commitments add up, so a row's commitment is the sum of its pieces' and the matrix opens
// like any Hyrax commitment. A draw is the same call on both sides, so prover and verifier
// agree on every entry's index; the verifier takes the pieces from the proof's mask section in
// order. The values the steps reveal are linear in the entries; they are recorded as
// LinearClaims and opened together, with every other committed claim, at the end of the proof
// (zk/hiding_opening.hpp).

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/ec/msm.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/pcs/pedersen.hpp"
#include "zkcnn/transcript/transcript.hpp"

namespace zkcnn::zk {

namespace detail {

template <CommitmentGroup G, class T>
void absorb_mask_piece(T& transcript, const G& piece) {
  transcript.absorb_bytes("zk/mask_piece", group_traits<G>::encode(piece));
}

// The pieces a draw of `count` entries starting at entry `first` commits: (first entry, length)
// per row it touches.
inline std::vector<std::pair<std::size_t, std::size_t>> draw_pieces(std::size_t first, std::size_t count,
                                                                    std::size_t width) {
  std::vector<std::pair<std::size_t, std::size_t>> pieces;
  for (std::size_t at = first; at < first + count;) {
    const std::size_t length = std::min(width - at % width, first + count - at);
    pieces.emplace_back(at, length);
    at += length;
  }
  return pieces;
}

// Sums the pieces of each row into the row commitments.
template <CommitmentGroup G>
std::vector<G> rows_of(std::span<const G> pieces, std::span<const std::size_t> piece_rows, std::size_t rows) {
  std::vector<G> out(rows, group_traits<G>::identity());
  for (std::size_t p = 0; p < pieces.size(); ++p) out[piece_rows[p]] = group_traits<G>::add(out[piece_rows[p]], pieces[p]);
  return out;
}

}  // namespace detail

/// The prover's side: the drawn values, the blinding factors and commitments of their pieces,
/// and the claims the steps made on them.
template <CommitmentGroup G, class Rng>
class MaskProver {
 public:
  using Scalar = scalar_of<G>;

  /// Rows of `width` entries (at most the key's size), random values from `rng` (the OS
  /// generator outside tests).
  MaskProver(const PedersenKey<G>& key, std::size_t width, Rng& rng) : key_(key), width_(width), rng_(rng) {
    if (width == 0 || width > key.size()) throw std::invalid_argument("MaskProver: row width exceeds the key");
  }

  /// Draws `count` fresh random entries, commits them into the transcript and returns the
  /// first entry's index.
  template <class T>
  std::size_t draw(std::size_t count, T& transcript) {
    const std::size_t first = values_.size();
    for (std::size_t j = 0; j < count; ++j) values_.push_back(Scalar::random(rng_));
    for (const auto& [at, length] : detail::draw_pieces(first, count, width_)) {
      const std::size_t column = at % width_;
      const Scalar blind = Scalar::random(rng_);
      const G body = msm<G>(key_.generators().subspan(column, length), std::span<const Scalar>(values_).subspan(at, length), 1);
      pieces_.push_back(group_traits<G>::add(body, group_traits<G>::scalar_mul(key_.blinding_generator(), blind)));
      piece_rows_.push_back(at / width_);
      piece_blinds_.push_back(blind);
      detail::absorb_mask_piece(transcript, pieces_.back());
    }
    return first;
  }

  const Scalar& value(std::size_t index) const { return values_.at(index); }
  void claim(gkr::LinearClaim<Scalar> claim) { claims_.push_back(std::move(claim)); }

  std::size_t width() const { return width_; }
  std::size_t row_count() const { return (values_.size() + width_ - 1) / width_; }
  /// Row-major, width() entries per row (the last row is short).
  std::span<const Scalar> values() const { return values_; }
  /// The pieces' commitments in draw order: the proof's mask section.
  std::span<const G> pieces() const { return pieces_; }
  std::vector<G> row_commitments() const {
    return detail::rows_of<G>(std::span<const G>(pieces_), std::span<const std::size_t>(piece_rows_), row_count());
  }
  std::vector<Scalar> row_blinds() const {
    std::vector<Scalar> out(row_count(), Scalar::zero());
    for (std::size_t p = 0; p < pieces_.size(); ++p) out[piece_rows_[p]] += piece_blinds_[p];
    return out;
  }
  std::span<const gkr::LinearClaim<Scalar>> claims() const { return claims_; }

 private:
  const PedersenKey<G>& key_;
  std::size_t width_;
  Rng& rng_;
  std::vector<Scalar> values_;
  std::vector<G> pieces_;
  std::vector<std::size_t> piece_rows_;
  std::vector<Scalar> piece_blinds_;
  std::vector<gkr::LinearClaim<Scalar>> claims_;
};

/// The verifier's side: the pieces from the proof, handed out in draw order.
template <CommitmentGroup G>
class MaskVerifier {
 public:
  using Scalar = scalar_of<G>;

  MaskVerifier(std::size_t width, std::vector<G> pieces) : width_(width), pieces_(std::move(pieces)) {
    if (width == 0) throw std::invalid_argument("MaskVerifier: zero row width");
  }

  /// The pieces of a draw of `count` entries, bound into the transcript; the first entry's
  /// index, or an error when the proof committed fewer pieces.
  template <class T>
  Result<std::size_t> draw(std::size_t count, T& transcript) {
    const std::size_t first = entries_;
    const auto pieces = detail::draw_pieces(first, count, width_);
    if (pieces.size() > pieces_.size() - next_piece_) {
      return make_error(Errc::malformed_proof, "zero knowledge: the proof commits fewer mask pieces than its steps use");
    }
    for (const auto& piece : pieces) {
      piece_rows_.push_back(piece.first / width_);
      detail::absorb_mask_piece(transcript, pieces_[next_piece_++]);
    }
    entries_ += count;
    return first;
  }

  void claim(gkr::LinearClaim<Scalar> claim) { claims_.push_back(std::move(claim)); }

  std::size_t width() const { return width_; }
  std::size_t row_count() const { return (entries_ + width_ - 1) / width_; }
  /// The row commitments of the pieces drawn so far.
  std::vector<G> row_commitments() const {
    return detail::rows_of<G>(std::span<const G>(pieces_).first(next_piece_), std::span<const std::size_t>(piece_rows_),
                              row_count());
  }
  std::span<const gkr::LinearClaim<Scalar>> claims() const { return claims_; }
  /// Whether every committed piece was used (a proof with spare pieces is malformed).
  bool exhausted() const { return next_piece_ == pieces_.size(); }

 private:
  std::size_t width_;
  std::vector<G> pieces_;
  std::size_t next_piece_ = 0;
  std::size_t entries_ = 0;
  std::vector<std::size_t> piece_rows_;
  std::vector<gkr::LinearClaim<Scalar>> claims_;
};

/// A SHA-256 transcript that carries a mask commitment: the steps of a proof run with it are
/// zero-knowledge (gkr::masks_of); with a null mask commitment they are plain.
template <class Masks>
class MaskingTranscript : public Sha256Transcript {
 public:
  MaskingTranscript(std::string_view domain_separator, Masks* masks)
      : Sha256Transcript(domain_separator), masks_(masks) {}

  Masks* masks() const { return masks_; }

 private:
  Masks* masks_;
};

}  // namespace zkcnn::zk
