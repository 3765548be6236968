#pragma once
// The committed randomness of a zero-knowledge proof (PROTOCOL.md section 8).
//
// Every masked sumcheck step draws fresh random field elements (gkr/sumcheck_step.hpp): its
// mask polynomial's coefficients and one random line per sent value. They are the rows of a
// Hyrax-style matrix of `width` columns. A draw starts on a fresh row and is committed when it
// is made, before the step's first challenge: one hiding Pedersen commitment per row it fills,
// bound into the transcript. No later commitment touches its rows: were draws packed into
// shared rows, a later piece could carry a component on an earlier draw's columns and change
// its values after that draw's challenges. A draw is the same call on both sides, so prover and
// verifier agree on every entry's index; the verifier takes the row commitments from the
// proof's mask section in order. The values the steps reveal are linear in the entries; they are recorded as
// LinearClaims and opened together, with every other committed claim, at the end of the proof
// (zk/hiding_opening.hpp).

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/pcs/pedersen.hpp"
#include "zkcnn/transcript/transcript.hpp"

namespace zkcnn::zk {

namespace detail {

template <CommitmentGroup G, class T>
void absorb_mask_row(T& transcript, const G& row) {
  transcript.absorb_bytes("zk/mask_row", group_traits<G>::encode(row));
}

// The rows a draw of `count` entries fills.
inline std::size_t rows_for(std::size_t count, std::size_t width) { return (count + width - 1) / width; }

}  // namespace detail

/// The prover's side: the drawn values, their rows' blinding factors and commitments, and the
/// claims the steps made on them.
template <CommitmentGroup G, class Rng>
class MaskProver {
 public:
  using Scalar = scalar_of<G>;

  /// Rows of `width` entries (at most the key's size), random values from `rng` (the OS
  /// generator outside tests).
  MaskProver(const PedersenKey<G>& key, std::size_t width, Rng& rng) : key_(key), width_(width), rng_(rng) {
    if (width == 0 || width > key.size()) throw std::invalid_argument("MaskProver: row width exceeds the key");
  }

  /// Draws `count` fresh random entries on fresh rows, commits the rows into the transcript
  /// and returns the first entry's index.
  template <class T>
  std::size_t draw(std::size_t count, T& transcript) {
    const std::size_t first = rows_.size() * width_;
    const std::size_t rows = detail::rows_for(count, width_);
    values_.resize(first + rows * width_, Scalar::zero());
    for (std::size_t j = 0; j < count; ++j) values_[first + j] = Scalar::random(rng_);
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t used = std::min(width_, count - r * width_);
      const Scalar blind = Scalar::random(rng_);
      rows_.push_back(key_.commit(std::span<const Scalar>(values_).subspan(first + r * width_, used), blind, 1));
      blinds_.push_back(blind);
      detail::absorb_mask_row(transcript, rows_.back());
    }
    return first;
  }

  const Scalar& value(std::size_t index) const { return values_.at(index); }
  void claim(gkr::LinearClaim<Scalar> claim) { claims_.push_back(std::move(claim)); }

  std::size_t width() const { return width_; }
  /// Row-major, width() entries per row.
  std::span<const Scalar> values() const { return values_; }
  /// The rows' commitments in draw order: the proof's mask section.
  std::span<const G> rows() const { return rows_; }
  std::span<const Scalar> row_blinds() const { return blinds_; }
  std::span<const gkr::LinearClaim<Scalar>> claims() const { return claims_; }

 private:
  const PedersenKey<G>& key_;
  std::size_t width_;
  Rng& rng_;
  std::vector<Scalar> values_;
  std::vector<G> rows_;
  std::vector<Scalar> blinds_;
  std::vector<gkr::LinearClaim<Scalar>> claims_;
};

/// The verifier's side: the row commitments from the proof, handed out in draw order.
template <CommitmentGroup G>
class MaskVerifier {
 public:
  using Scalar = scalar_of<G>;

  MaskVerifier(std::size_t width, std::vector<G> rows) : width_(width), rows_(std::move(rows)) {
    if (width == 0) throw std::invalid_argument("MaskVerifier: zero row width");
  }

  /// The rows of a draw of `count` entries, bound into the transcript; the first entry's
  /// index, or an error when the proof committed fewer rows.
  template <class T>
  Result<std::size_t> draw(std::size_t count, T& transcript) {
    const std::size_t rows = detail::rows_for(count, width_);
    if (rows > rows_.size() - next_row_) {
      return make_error(Errc::malformed_proof, "zero knowledge: the proof commits fewer mask rows than its steps use");
    }
    const std::size_t first = next_row_ * width_;
    for (std::size_t r = 0; r < rows; ++r) detail::absorb_mask_row(transcript, rows_[next_row_ + r]);
    next_row_ += rows;
    return first;
  }

  void claim(gkr::LinearClaim<Scalar> claim) { claims_.push_back(std::move(claim)); }

  std::size_t width() const { return width_; }
  std::span<const G> rows() const { return rows_; }
  std::span<const gkr::LinearClaim<Scalar>> claims() const { return claims_; }
  /// Whether every committed row was used (a proof with spare rows is malformed).
  bool exhausted() const { return next_row_ == rows_.size(); }

 private:
  std::size_t width_;
  std::vector<G> rows_;
  std::size_t next_row_ = 0;
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
