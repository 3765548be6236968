#pragma once
// What a proof about a committed model (zk/model_proof.hpp) needs of its commitment scheme
// (docs/protocol.md sections 7 and 8). Hyrax (pcs/hyrax.hpp) models it; a user's scheme that
// models it runs the whole pipeline.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/hash.hpp"
#include "zkcnn/concepts/pcs.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/pcs/claims.hpp"

namespace zkcnn {

/// A model proof commits two tables: the model's weights once, published (`commit_model`,
/// which takes them as the integers they are, so that a scheme may convert a row at a time and
/// a table of 2^25 weights never exists as field elements: 1 GiB for BN254), and per proof the
/// auxiliary witness (`commit_witness`, whose shape may follow the weights' commitment). The
/// proof's field is the scheme's Challenge, two-adic for the FFT convolutions. At its end:
///   - plain proofs open each table's claims with `prove_batch` / `verify_batch`;
///   - zero-knowledge proofs draw every sumcheck step's masks from the scheme's committed
///     randomness (`MaskProver` / `MaskVerifier`: `draw(count, transcript)` returns the first
///     entry's index and binds what the draw reaches into the transcript before any challenge
///     that depends on it; `claim` records a linear claim on the entries), whose commitments
///     travel at the front of the proof (`write_masks` / `read_masks`), and one zero-knowledge
///     opening of every claim on the two tables together with the masks' linear claims
///     (`prove_hidden_claims` / `verify_hidden_claims`) reveals nothing beyond them.
/// Verifiers take every commitment and proof byte as hostile and answer with an error: a model
/// commitment is checked against the architecture's table (`check_model_commitment`) and a
/// witness commitment against the model's (`check_witness_commitment`) before anything depends
/// on their shapes; `check_zero_knowledge` is the prover's, refusing commitments whose
/// openings could not hide.
template <class P>
concept ModelCommitmentScheme =
    SerializablePCS<P> && TwoAdicField<typename P::Challenge> &&
    requires(const P& pcs, std::span<const typename P::Scalar> table, std::span<const std::int64_t> integers,
             std::size_t num_vars, bool zero_knowledge, const typename P::Commitment& commitment,
             const typename P::Opening& opening, const typename P::template MaskProver<CryptoRngArchetype>& mask_prover,
             const typename P::MaskVerifier& mask_verifier,
             std::vector<CommittedClaim<typename P::Challenge>> claims,
             std::span<const EvaluationClaim<typename P::Challenge>> evaluation_claims,
             const typename P::BatchProof& batch_proof, TranscriptArchetype& transcript, CryptoRngArchetype& rng,
             const std::function<void(std::uint64_t, std::uint64_t)>& progress, io::ByteWriter& out,
             io::ByteReader& in, std::span<const std::uint8_t> bytes) {
      pcs.absorb_parameters(transcript);
      { pcs.commit_model(integers, num_vars, rng, progress) } -> std::same_as<std::pair<typename P::Commitment, typename P::Opening>>;
      {
        pcs.commit_witness(table, num_vars, commitment, zero_knowledge, rng)
      } -> std::same_as<std::pair<typename P::Commitment, typename P::Opening>>;
      { pcs.check_model_commitment(commitment, num_vars) } -> std::same_as<Status>;
      { pcs.check_witness_commitment(commitment, num_vars, commitment, zero_knowledge) } -> std::same_as<Status>;
      { pcs.check_zero_knowledge(commitment, num_vars) } -> std::same_as<Status>;

      {
        pcs.prove_batch(table, opening, commitment, evaluation_claims, transcript, rng)
      } -> std::same_as<typename P::BatchProof>;
      { pcs.verify_batch(commitment, evaluation_claims, batch_proof, transcript) } -> std::same_as<Status>;
      { P::encode_batch_proof(batch_proof) } -> std::same_as<std::vector<std::uint8_t>>;
      { P::decode_batch_proof(bytes) } -> std::same_as<Result<typename P::BatchProof>>;

      { pcs.mask_prover(commitment, rng) } -> std::same_as<typename P::template MaskProver<CryptoRngArchetype>>;
      P::write_masks(out, mask_prover);
      { pcs.read_masks(in, commitment) } -> std::same_as<Result<typename P::MaskVerifier>>;
      pcs.prove_hidden_claims(CommittedTable<typename P::Commitment, typename P::Opening, std::int64_t>{commitment, opening, integers},
                              CommittedTable<typename P::Commitment, typename P::Opening, typename P::Scalar>{commitment, opening, table},
                              mask_prover, claims, claims, transcript, rng, out);
      {
        pcs.verify_hidden_claims(commitment, commitment, mask_verifier, claims, claims, transcript, in)
      } -> std::same_as<Status>;
    };

}  // namespace zkcnn
