#pragma once
// A commitment scheme for tests only: the "commitment" is the polynomial itself, and the
// verifier evaluates it. It is binding but neither hiding nor succinct, which makes it the
// reference against which protocols built on a commitment scheme are tested in isolation.
// Tables live in F; points and values in EF (F itself by default).

#include <cstdint>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/poly/multilinear.hpp"

namespace zkcnn::testing {

template <EncodableField F, EncodableField EF = F>
  requires ExtensionFieldOf<EF, F>
class PlainPCS {
 public:
  using Scalar = F;
  using Challenge = EF;
  struct Commitment {
    std::uint32_t num_vars = 0;
    std::vector<F> evaluations;
    friend bool operator==(const Commitment&, const Commitment&) = default;
  };
  struct Opening {};
  struct EvaluationProof {
    friend bool operator==(const EvaluationProof&, const EvaluationProof&) = default;
  };

  template <CryptoRng Rng>
  std::pair<Commitment, Opening> commit(std::span<const F> evaluations, std::size_t num_vars, Rng&) const {
    return {Commitment{static_cast<std::uint32_t>(num_vars), {evaluations.begin(), evaluations.end()}}, Opening{}};
  }

  template <class T>
  static void absorb_commitment(T& transcript, const Commitment& commitment) {
    transcript.absorb_u64("plain/num_vars", commitment.num_vars);
    transcript.absorb_fields("plain/evaluations", std::span<const F>(commitment.evaluations));
  }

  template <class T, CryptoRng Rng>
  EvaluationProof prove(std::span<const F>, const Opening&, const Commitment& commitment, std::span<const EF> point,
                        const EF& value, T& transcript, Rng&) const {
    absorb_claim(transcript, commitment, point, value);
    return {};
  }

  template <class T>
  Status verify(const Commitment& commitment, std::span<const EF> point, const EF& value, const EvaluationProof&,
                T& transcript) const {
    absorb_claim(transcript, commitment, point, value);
    if (point.size() != commitment.num_vars || commitment.num_vars >= 64 ||
        commitment.evaluations.size() > (std::size_t{1} << commitment.num_vars)) {
      return make_error(Errc::malformed_proof, "plain commitment: shape does not match the point");
    }
    if (evaluate(commitment, point) != value) {
      return make_error(Errc::verification_failed, "plain commitment: wrong evaluation");
    }
    return {};
  }

 protected:
  /// The table's extension at a point of EF.
  static EF evaluate(const Commitment& commitment, std::span<const EF> point) {
    std::vector<EF> table(commitment.evaluations.size());
    for (std::size_t i = 0; i < table.size(); ++i) table[i] = embed<EF>(commitment.evaluations[i]);
    return evaluate_multilinear<EF>(table, point);
  }

  template <class T>
  static void absorb_claim(T& transcript, const Commitment& commitment, std::span<const EF> point, const EF& value) {
    absorb_commitment(transcript, commitment);
    transcript.absorb_fields("plain/point", point);
    transcript.absorb_field("plain/value", value);
  }
};

}  // namespace zkcnn::testing
