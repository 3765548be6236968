#pragma once
// Concepts for multilinear polynomial commitment schemes (docs/protocol.md section 7).

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/hash.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/error.hpp"

namespace zkcnn {

/// commit / prove / verify for multilinear polynomials given by their evaluations. The table's
/// entries are Scalars; points and values are Challenges, the same field or an extension of it
/// (a small field's tables opened at points drawn from an extension large enough for soundness).
/// Commitments are bound into transcripts by the scheme's own absorb_commitment, which prover
/// and verifier share; verify returns an Error for any proof or commitment it cannot accept.
template <class P>
concept MultilinearPCS =
    requires(const P& pcs, std::span<const typename P::Scalar> evaluations, std::size_t num_vars,
             CryptoRngArchetype& rng, const typename P::Commitment& commitment, const typename P::Opening& opening,
             std::span<const typename P::Challenge> point, const typename P::Challenge& value,
             const typename P::EvaluationProof& proof, TranscriptArchetype& transcript) {
      requires EncodableField<typename P::Scalar>;
      requires EncodableField<typename P::Challenge>;
      requires ExtensionFieldOf<typename P::Challenge, typename P::Scalar>;
      {
        pcs.commit(evaluations, num_vars, rng)
      } -> std::same_as<std::pair<typename P::Commitment, typename P::Opening>>;
      P::absorb_commitment(transcript, commitment);
      {
        pcs.prove(evaluations, opening, commitment, point, value, transcript, rng)
      } -> std::same_as<typename P::EvaluationProof>;
      { pcs.verify(commitment, point, value, proof, transcript) } -> std::same_as<Status>;
    };

/// A scheme whose commitments hide the polynomial and which can also prove an evaluation whose
/// value stays hidden inside a commitment carried by the proof.
template <class P>
concept ZkMultilinearPCS =
    MultilinearPCS<P> &&
    requires(const P& pcs, std::span<const typename P::Scalar> evaluations, CryptoRngArchetype& rng,
             const typename P::Commitment& commitment, const typename P::Opening& opening,
             std::span<const typename P::Scalar> point, const typename P::Scalar& value,
             const typename P::EvaluationProof& proof, TranscriptArchetype& transcript) {
      {
        pcs.prove_hidden(evaluations, opening, commitment, point, value, transcript, rng)
      } -> std::same_as<std::pair<typename P::EvaluationProof, typename P::Scalar>>;
      { pcs.verify_hidden(commitment, point, proof, transcript) } -> std::same_as<Status>;
    };

/// A scheme whose commitments and evaluation proofs have byte encodings, decoded as untrusted
/// input (every group element validated).
template <class P>
concept SerializablePCS =
    MultilinearPCS<P> && requires(const typename P::Commitment& commitment, const typename P::EvaluationProof& proof,
                                  std::span<const std::uint8_t> bytes) {
      { P::encode_commitment(commitment) } -> std::same_as<std::vector<std::uint8_t>>;
      { P::decode_commitment(bytes) } -> std::same_as<Result<typename P::Commitment>>;
      { P::encode_proof(proof) } -> std::same_as<std::vector<std::uint8_t>>;
      { P::decode_proof(bytes) } -> std::same_as<Result<typename P::EvaluationProof>>;
    };

}  // namespace zkcnn
