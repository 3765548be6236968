#pragma once
// Precompiled model proofs for the shipped configurations: Hyrax over BN254 and over
// BLS12-381, and the hash-based scheme over Goldilocks (GoldilocksLigero), with OsRng (every
// real proof) and testing::DeterministicRng (tests, benchmarks).
//
// A program that proves and verifies a model instantiates the whole stack below the model
// proof (circuit compilation, witness, every layer's prover and verifier, the openings, the
// multi-scalar multiplications); at -O1 that is most of 40 s of compilation for every
// translation unit that calls it. The declarations here say that these instantiations exist
// compiled elsewhere, in the library target zkcnn::precompiled, so that a translation unit
// only parses the headers and compiles its own code.
//
// Use: link zkcnn::precompiled instead of (or as well as) zkcnn::zkcnn, and include this header
// or zkcnn/zkcnn.hpp (which includes it). The target defines ZKCNN_PRECOMPILED, under which the
// declarations at the end are made. Header-only use is unchanged: without the target nothing is
// declared, and every configuration, these included, is instantiated where it is used. Other
// configurations (a user's curve, a user's generator) are instantiated where they are used in
// either case.

#include "zkcnn/ec/bls12_381_g1.hpp"
#include "zkcnn/ec/bn254_g1.hpp"
#include "zkcnn/field/goldilocks.hpp"
#include "zkcnn/field/goldilocks_ext2.hpp"
#include "zkcnn/pcs/hyrax.hpp"
#include "zkcnn/pcs/ligero.hpp"
#include "zkcnn/random/deterministic_rng.hpp"
#include "zkcnn/random/os_rng.hpp"
#include "zkcnn/zk/accuracy.hpp"
#include "zkcnn/zk/model_circuit.hpp"
#include "zkcnn/zk/model_proof.hpp"
#include "zkcnn/zk/prediction.hpp"
#include "zkcnn/zk/verifier_cost.hpp"

// The instantiations that depend on the generator: commitment and the provers. prove_prediction
// calls prove_model; tests call prove_with_witness with tables of their own.
#define ZKCNN_PRECOMPILED_PROVERS(EXTERN, P, RNG)                                                                          \
  EXTERN template ::zkcnn::Result<std::pair<::zkcnn::zk::ModelCommitment<P>, ::zkcnn::zk::ModelProverState<P>>>          \
  zkcnn::zk::commit_model<P, RNG>(const P&, const ::zkcnn::nn::QuantizedModel&, RNG&,                                   \
                                  const ::zkcnn::zk::ProgressReport&);                                                  \
  EXTERN template ::zkcnn::Result<::zkcnn::zk::ProvenBatch<P>> zkcnn::zk::prove_model<P, RNG>(                          \
      const P&, const ::zkcnn::nn::QuantizedModel&, const ::zkcnn::zk::ModelProverState<P>&,                            \
      const ::zkcnn::zk::ModelCommitment<P>&, std::span<const std::vector<std::int64_t>>, RNG&,                         \
      const ::zkcnn::zk::ProverOptions&);                                                                               \
  EXTERN template ::zkcnn::Result<::zkcnn::zk::AccuracyProof<P>> zkcnn::zk::prove_accuracy<P, RNG>(                     \
      const P&, const ::zkcnn::nn::QuantizedModel&, const ::zkcnn::zk::ModelProverState<P>&,                           \
      const ::zkcnn::zk::ModelCommitment<P>&, std::span<const std::vector<std::int64_t>>, std::span<const std::size_t>, \
      RNG&, const ::zkcnn::zk::ProverOptions&);                                                                         \
  EXTERN template ::zkcnn::zk::ModelProof zkcnn::zk::detail::prove_with_witness<P, RNG>(                                \
      const P&, const ::zkcnn::zk::ModelCircuit<typename P::Challenge>&, const ::zkcnn::zk::ModelProverState<P>&,          \
      const ::zkcnn::zk::ModelCommitment<P>&, std::span<const std::vector<std::int64_t>>,                               \
      typename ::zkcnn::zk::ModelCircuit<typename P::Challenge>::Witness, std::span<const std::size_t>,                    \
      ::zkcnn::ProverProfile&, RNG&, const ::zkcnn::zk::ProverOptions&,                                                 \
      std::function<void(::zkcnn::zk::TableRef::Source, std::size_t, std::span<const typename P::Challenge>)>)

// Everything for one commitment scheme P: the circuit over its challenges, the verifier and the
// provers.
#define ZKCNN_PRECOMPILED_SCHEME(EXTERN, P)                                                                               \
  EXTERN template class zkcnn::zk::ModelCircuit<typename P::Challenge>;                                                 \
  EXTERN template ::zkcnn::Result<::zkcnn::zk::ModelCircuit<typename P::Challenge>>                                    \
  zkcnn::zk::compile_for_verifier<typename P::Challenge>(const ::zkcnn::nn::Architecture&, std::size_t,                 \
                                                         ::zkcnn::zk::Conclusion, const ::zkcnn::zk::VerifierLimits&);  \
  EXTERN template ::zkcnn::Status zkcnn::zk::detail::verify_statement<P>(                                               \
      const P&, const ::zkcnn::zk::ModelCircuit<typename P::Challenge>&, const ::zkcnn::zk::ModelCommitment<P>&,        \
      std::span<const std::vector<std::int64_t>>, const ::zkcnn::zk::detail::ClaimedResult&,                            \
      const ::zkcnn::zk::ModelProof&);                                                                                  \
  ZKCNN_PRECOMPILED_PROVERS(EXTERN, P, ::zkcnn::OsRng);                                                                 \
  ZKCNN_PRECOMPILED_PROVERS(EXTERN, P, ::zkcnn::testing::DeterministicRng)

// Everything for one curve G with Hyrax: the key, then the scheme's model proofs.
#define ZKCNN_PRECOMPILED_HYRAX(EXTERN, G)                                                                                 \
  EXTERN template class zkcnn::Hyrax<G>;                                                                                \
  ZKCNN_PRECOMPILED_SCHEME(EXTERN, ::zkcnn::Hyrax<G>)

namespace zkcnn {
/// The transparent configuration: Goldilocks tables, Goldilocks^2 challenges, the hash-based
/// scheme of pcs/ligero.hpp.
using GoldilocksLigero = pcs::Ligero<Goldilocks, GoldilocksExt2>;
}  // namespace zkcnn

#define ZKCNN_PRECOMPILED_GOLDILOCKS_LIGERO(EXTERN)                                                                        \
  EXTERN template class zkcnn::pcs::Ligero<::zkcnn::Goldilocks, ::zkcnn::GoldilocksExt2>;                               \
  ZKCNN_PRECOMPILED_SCHEME(EXTERN, ::zkcnn::GoldilocksLigero)

#if defined(ZKCNN_PRECOMPILED)
#if defined(ZKCNN_ZK_PROBES)
#error "the zero-knowledge probes (zkcnn/detail/zk_probes.hpp) need the model proof compiled with them: do not link zkcnn::precompiled"
#endif
ZKCNN_PRECOMPILED_HYRAX(extern, ::zkcnn::bn254::G1);
ZKCNN_PRECOMPILED_HYRAX(extern, ::zkcnn::bls12_381::G1);
ZKCNN_PRECOMPILED_GOLDILOCKS_LIGERO(extern);
#endif
