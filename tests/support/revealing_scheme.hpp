#pragma once
// A commitment scheme for tests only that models ModelCommitmentScheme by revealing everything:
// a "commitment" is the table itself (support/plain_pcs.hpp, which it extends), the masks are sent in the clear (bound into the
// transcript as each draw takes them, before the challenges that depend on them), and every
// claim is checked by evaluating the tables. It is binding but neither hiding nor succinct:
// the reference against which the model proof's pipeline is tested in a field of its own, with
// tables in F and the proof in an extension EF, apart from any real scheme's openings.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/integer.hpp"
#include "zkcnn/pcs/claims.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "support/plain_pcs.hpp"

namespace zkcnn::testing {

template <TwoAdicField F, TwoAdicField EF>
  requires EncodableField<F> && EncodableField<EF> && ExtensionFieldOf<EF, F>
class RevealingScheme : public PlainPCS<F, EF> {
  using Base = PlainPCS<F, EF>;

 public:
  using typename Base::Commitment;
  using typename Base::EvaluationProof;
  using typename Base::Opening;
  using Base::commit;
  using Base::verify;
  using BatchProof = EvaluationProof;

  /// The largest table a decoded commitment may describe.
  static constexpr std::uint32_t max_num_vars = 24;

  template <class T>
  void absorb_parameters(T& transcript) const {
    transcript.absorb_string("revealing/scheme", "tables in the clear");
  }

  template <CryptoRng Rng>
  std::pair<Commitment, Opening> commit_model(std::span<const std::int64_t> weights, std::size_t num_vars, Rng& rng,
                                              const std::function<void(std::uint64_t, std::uint64_t)>& = {}) const {
    return commit(std::span<const F>(nn::to_field<F>(weights)), num_vars, rng);
  }
  template <CryptoRng Rng>
  std::pair<Commitment, Opening> commit_witness(std::span<const F> evaluations, std::size_t num_vars, const Commitment&,
                                                bool, Rng& rng) const {
    return commit(evaluations, num_vars, rng);
  }
  Status check_model_commitment(const Commitment& model, std::size_t num_vars) const {
    if (model.num_vars != num_vars) return make_error(Errc::invalid_argument, "the model commitment has the wrong shape");
    return {};
  }
  Status check_witness_commitment(const Commitment& witness, std::size_t num_vars, const Commitment&, bool) const {
    if (witness.num_vars != num_vars) return make_error(Errc::malformed_proof, "the auxiliary commitment has the wrong shape");
    return {};
  }
  Status check_zero_knowledge(const Commitment&, std::size_t) const { return {}; }

  template <class T, CryptoRng Rng>
  BatchProof prove_batch(std::span<const F>, const Opening&, const Commitment& commitment,
                         std::span<const EvaluationClaim<EF>> claims, T& transcript, Rng&) const {
    for (const auto& claim : claims) Base::absorb_claim(transcript, commitment, claim.point, claim.value);
    return {};
  }
  template <class T>
  Status verify_batch(const Commitment& commitment, std::span<const EvaluationClaim<EF>> claims, const BatchProof& proof,
                      T& transcript) const {
    for (const auto& claim : claims) {
      if (auto ok = verify(commitment, claim.point, claim.value, proof, transcript); !ok) return ok;
    }
    return {};
  }

  static std::vector<std::uint8_t> encode_commitment(const Commitment& commitment) {
    io::ByteWriter out;
    out.write_u32(commitment.num_vars);
    out.write_u32(static_cast<std::uint32_t>(commitment.evaluations.size()));
    for (const F& value : commitment.evaluations) out.write_field(value);
    return std::move(out).take();
  }
  static Result<Commitment> decode_commitment(std::span<const std::uint8_t> bytes) {
    io::ByteReader in(bytes);
    auto num_vars = in.read_u32("revealing num_vars");
    if (!num_vars) return num_vars.error();
    auto size = in.read_u32("revealing size");
    if (!size) return size.error();
    if (*num_vars > max_num_vars || *size > (std::uint64_t{1} << *num_vars) || *size > in.remaining() / F::byte_size) {
      return make_error(Errc::invalid_encoding, "revealing: a commitment beyond its bytes or limits");
    }
    Commitment commitment{*num_vars, {}};
    for (std::uint32_t i = 0; i < *size; ++i) {
      auto value = in.read_field<F>("revealing entry");
      if (!value) return value.error();
      commitment.evaluations.push_back(*value);
    }
    if (auto end = in.expect_end("revealing commitment"); !end) return end.error();
    return commitment;
  }
  static std::vector<std::uint8_t> encode_proof(const EvaluationProof&) { return {}; }
  static Result<EvaluationProof> decode_proof(std::span<const std::uint8_t> bytes) {
    if (!bytes.empty()) return make_error(Errc::invalid_encoding, "revealing: a proof has no bytes");
    return EvaluationProof{};
  }
  static std::vector<std::uint8_t> encode_batch_proof(const BatchProof& proof) { return encode_proof(proof); }
  static Result<BatchProof> decode_batch_proof(std::span<const std::uint8_t> bytes) { return decode_proof(bytes); }

  /// The masks in the clear: each draw binds its entries into the transcript.
  template <CryptoRng Rng>
  class MaskProver {
   public:
    explicit MaskProver(Rng& rng) : rng_(rng) {}
    template <class T, class Zeroed = int>
    std::size_t draw(std::size_t count, T& transcript, Zeroed = {}) {
      const std::size_t first = values_.size();
      for (std::size_t i = 0; i < count; ++i) values_.push_back(EF::random(rng_));
      transcript.absorb_fields("revealing/masks", std::span<const EF>(values_).subspan(first));
      return first;
    }
    const EF& value(std::size_t index) const { return values_.at(index); }
    void claim(gkr::LinearClaim<EF> claim) { claims_.push_back(std::move(claim)); }
    std::span<const EF> values() const { return values_; }
    std::span<const gkr::LinearClaim<EF>> claims() const { return claims_; }

   private:
    Rng& rng_;
    std::vector<EF> values_;
    std::vector<gkr::LinearClaim<EF>> claims_;
  };

  class MaskVerifier {
   public:
    explicit MaskVerifier(std::vector<EF> values) : values_(std::move(values)) {}
    template <class T>
    Result<std::size_t> draw(std::size_t count, T& transcript) {
      if (count > values_.size() - used_) return make_error(Errc::malformed_proof, "revealing: too few masks");
      const std::size_t first = used_;
      used_ += count;
      transcript.absorb_fields("revealing/masks", std::span<const EF>(values_).subspan(first, count));
      return first;
    }
    const EF& value(std::size_t index) const { return values_.at(index); }
    void claim(gkr::LinearClaim<EF> claim) { claims_.push_back(std::move(claim)); }
    bool exhausted() const { return used_ == values_.size(); }
    std::span<const gkr::LinearClaim<EF>> claims() const { return claims_; }

   private:
    std::vector<EF> values_;
    std::size_t used_ = 0;
    std::vector<gkr::LinearClaim<EF>> claims_;
  };

  template <CryptoRng Rng>
  MaskProver<Rng> mask_prover(const Commitment&, Rng& rng) const {
    return MaskProver<Rng>(rng);
  }
  template <CryptoRng Rng>
  static void write_masks(io::ByteWriter& out, const MaskProver<Rng>& masks) {
    out.write_u32(static_cast<std::uint32_t>(masks.values().size()));
    for (const EF& value : masks.values()) out.write_field(value);
  }
  Result<MaskVerifier> read_masks(io::ByteReader& in, const Commitment&) const {
    auto count = in.read_u32("revealing mask count");
    if (!count) return count.error();
    if (*count > in.remaining() / EF::byte_size) return make_error(Errc::invalid_encoding, "revealing: truncated masks");
    std::vector<EF> values;
    for (std::uint32_t i = 0; i < *count; ++i) {
      auto value = in.read_field<EF>("revealing mask");
      if (!value) return value.error();
      values.push_back(*value);
    }
    return MaskVerifier(std::move(values));
  }

  /// Nothing to send: the verifier evaluates every claim itself.
  template <class T, CryptoRng Rng>
  void prove_hidden_claims(const CommittedTable<Commitment, Opening, std::int64_t>&,
                           const CommittedTable<Commitment, Opening, F>&,
                           const MaskProver<Rng>&, std::vector<CommittedClaim<EF>>, std::vector<CommittedClaim<EF>>, T&,
                           Rng&, io::ByteWriter&) const {}

  template <class T>
  Status verify_hidden_claims(const Commitment& weights, const Commitment& witness, const MaskVerifier& masks,
                              std::vector<CommittedClaim<EF>> weights_claims, std::vector<CommittedClaim<EF>> witness_claims,
                              T&, io::ByteReader&) const {
    if (!masks.exhausted()) return make_error(Errc::malformed_proof, "revealing: unused masks");
    for (const auto& [table, claims] : {std::pair{&weights, &weights_claims}, std::pair{&witness, &witness_claims}}) {
      for (const auto& claim : *claims) {
        EF value = EF::zero();
        for (const auto& term : claim.terms) {
          if (term.point.size() != table->num_vars) return make_error(Errc::malformed_proof, "revealing: a claim's dimension");
          value += term.coefficient * Base::evaluate(*table, term.point);
        }
        for (const auto& term : claim.value.masks) value += term.coefficient * gkr::line_sum(masks, term.mask);
        if (value != claim.value.value) return make_error(Errc::verification_failed, "revealing: a claim on a table fails");
      }
    }
    for (const auto& claim : masks.claims()) {
      EF value = EF::zero();
      for (const auto& [entry, coefficient] : claim.terms) value += coefficient * masks.value(entry);
      if (value != claim.value) return make_error(Errc::verification_failed, "revealing: a claim on the masks fails");
    }
    return {};
  }

};

}  // namespace zkcnn::testing
