#pragma once
// The committed randomness of a zero-knowledge proof (docs/protocol.md section 8).
//
// Every masked sumcheck step draws fresh random field elements (gkr/sumcheck_step.hpp): its
// mask polynomial's coefficients and one random line per sent value. They are taken one after
// the other from the rows of a Hyrax-style matrix of `width` columns, every entry random. A row
// is committed whole, with one hiding Pedersen commitment bound into the transcript, when the
// first draw reaches it: before that draw's challenges, and never touched again. (Committing a
// row in pieces, one per draw, would let a later piece carry a component on an earlier draw's
// columns and change its values after that draw's challenges.) Whole rows also make the
// commitment cheap: one multi-scalar multiplication per row instead of a small one per step. A
// draw is the same call on both sides, so prover and verifier agree on every entry's index; the
// verifier takes the row commitments from the proof's mask section in order. The values the
// steps reveal are linear in the entries; they are recorded as LinearClaims and opened together, with every other committed claim, at the end of the proof
// (pcs/hiding_opening.hpp).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/detail/profile.hpp"
#include "zkcnn/detail/zk_probes.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/pcs/pedersen.hpp"

namespace zkcnn::hyrax {

namespace detail {

template <CommitmentGroup G, class T>
void absorb_mask_row(T& transcript, const G& row) {
  transcript.absorb_bytes("zk/mask_row", group_traits<G>::encode(row));
}

// Under a test-only mutation, every draw starts a row of its own (detail/zk_probes.hpp).
inline std::size_t round_up_to_row(std::size_t used, std::size_t width) { return (used + width - 1) / width * width; }

}  // namespace detail

/// The prover's side: the rows' values, blinding factors and commitments, and the claims the
/// steps made on them.
template <CommitmentGroup G, CryptoRng Rng>
class MaskProver {
 public:
  using Scalar = scalar_of<G>;

  /// Rows of `width` entries (at most the key's size), random values from `rng` (the OS
  /// generator outside tests).
  MaskProver(const PedersenKey<G>& key, std::size_t width, Rng& rng) : key_(key), width_(width), rng_(rng) {
    if (width == 0 || width > key.size()) throw std::invalid_argument("MaskProver: row width exceeds the key");
  }

  /// Takes the next `count` entries, committing the rows they reach first into the
  /// transcript, and returns the first entry's index. `zeroed(offset)` names the entries of
  /// this draw a test-only mutation sets to zero (detail/zk_probes.hpp); it is never called
  /// outside the probes' build.
  template <class T, class Zeroed = zk_probes::NothingZeroed>
  std::size_t draw(std::size_t count, T& transcript, Zeroed zeroed = {}) {
    const bool separate_rows = zk_probes::separate_mask_rows();
    if (separate_rows) used_ = detail::round_up_to_row(used_, width_);
    const std::size_t first = used_;
    used_ += count;
    zkcnn::detail::PhaseScope scope(ProverPhase::commitments);
    while (values_.size() < used_) {
      const std::size_t begin = values_.size();
      for (std::size_t j = 0; j < width_; ++j) {
        values_.push_back(Scalar::random(rng_));
        if constexpr (zk_probes::compiled) {
          // A row's entries after the draw are left unused: zero, so that they hide nothing.
          if (separate_rows && (begin + j >= used_ || zeroed(begin + j - first))) values_.back() = Scalar::zero();
        }
      }
      blinds_.push_back(zk_probes::masking_random<Scalar>(rng_, zk_probes::Mutation::mask_row_blinds));
      rows_.push_back(key_.commit(std::span<const Scalar>(values_).subspan(begin, width_), blinds_.back()));
      detail::absorb_mask_row(transcript, rows_.back());
    }
    return first;
  }

  const Scalar& value(std::size_t index) const { return values_.at(index); }
  void claim(gkr::LinearClaim<Scalar> claim) { claims_.push_back(std::move(claim)); }

  std::size_t width() const { return width_; }
  /// The entries drawn so far.
  std::size_t used() const { return used_; }
  /// Row-major, width() entries per row.
  std::span<const Scalar> values() const { return values_; }
  /// The rows' commitments in order: the proof's mask section.
  std::span<const G> rows() const { return rows_; }
  std::span<const Scalar> row_blinds() const { return blinds_; }
  std::span<const gkr::LinearClaim<Scalar>> claims() const { return claims_; }

 private:
  const PedersenKey<G>& key_;
  std::size_t width_;
  Rng& rng_;
  std::size_t used_ = 0;
  std::vector<Scalar> values_;
  std::vector<G> rows_;
  std::vector<Scalar> blinds_;
  std::vector<gkr::LinearClaim<Scalar>> claims_;
};

/// The verifier's side: the row commitments from the proof, bound into the transcript as the
/// draws reach them.
template <CommitmentGroup G>
class MaskVerifier {
 public:
  using Scalar = scalar_of<G>;

  MaskVerifier(std::size_t width, std::vector<G> rows) : width_(width), rows_(std::move(rows)) {
    if (width == 0) throw std::invalid_argument("MaskVerifier: zero row width");
  }

  /// The next `count` entries' first index, or an error when the proof committed fewer rows.
  template <class T>
  Result<std::size_t> draw(std::size_t count, T& transcript) {
    if (zk_probes::separate_mask_rows()) used_ = detail::round_up_to_row(used_, width_);
    const std::size_t first = used_;
    used_ += count;
    while (next_row_ * width_ < used_) {
      if (next_row_ == rows_.size()) {
        return make_error(Errc::malformed_proof, "zero knowledge: the proof commits fewer mask rows than its steps use");
      }
      detail::absorb_mask_row(transcript, rows_[next_row_++]);
    }
    return first;
  }

  void claim(gkr::LinearClaim<Scalar> claim) { claims_.push_back(std::move(claim)); }

  std::size_t width() const { return width_; }
  std::span<const G> rows() const { return rows_; }
  std::span<const gkr::LinearClaim<Scalar>> claims() const { return claims_; }
  /// Whether every committed row was reached (a proof with spare rows is malformed).
  bool exhausted() const { return next_row_ == rows_.size(); }

 private:
  std::size_t width_;
  std::vector<G> rows_;
  std::size_t next_row_ = 0;
  std::size_t used_ = 0;
  std::vector<gkr::LinearClaim<Scalar>> claims_;
};

/// The proof's mask section: the rows' commitments, in order. A proof carries it before the
/// steps that draw from it, as the verifier binds each row when the first draw reaches it.
template <CommitmentGroup G, CryptoRng Rng>
void write_mask_rows(io::ByteWriter& out, const MaskProver<G, Rng>& masks) {
  out.write_u32(static_cast<std::uint32_t>(masks.rows().size()));
  out.write_groups(std::span<const G>(masks.rows()));
}

/// Reads a mask section of rows `width` entries wide; the count is bounded by the bytes left.
template <CommitmentGroup G>
Result<MaskVerifier<G>> read_mask_rows(io::ByteReader& in, std::size_t width) {
  auto count = in.read_u32("mask row count");
  if (!count) return count.error();
  if (*count > in.remaining() / group_traits<G>::encoded_size) {
    return make_error(Errc::invalid_encoding, "model proof: truncated mask rows");
  }
  auto rows = in.read_groups<G>(*count, "mask row");
  if (!rows) return rows.error();
  return MaskVerifier<G>(width, std::move(*rows));
}

}  // namespace zkcnn::hyrax
