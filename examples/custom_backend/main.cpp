// Commits to a multilinear polynomial with Hyrax over secp256k1, through libsecp256k1, a curve
// library zkcnn does not ship and that was not written for it (see secp256k1_backend.hpp), then
// proves and verifies an evaluation, with both a public and a hidden value. Exits non-zero if
// anything fails or if a wrong value is accepted.

#include <fmt/core.h>

#include <cstdlib>
#include <vector>

#include "secp256k1_backend.hpp"

int main() {
  using Point = secp256k1_backend::Point;
  using F = secp256k1_backend::Scalar;
  constexpr std::size_t num_vars = 8;

  zkcnn::OsRng rng;
  std::vector<F> polynomial(std::size_t{1} << num_vars);
  for (auto& v : polynomial) v = F::random(rng);
  std::vector<F> point(num_vars);
  for (auto& v : point) v = F::random(rng);
  const F value = zkcnn::evaluate_multilinear<F>(polynomial, point);

  const zkcnn::Hyrax<Point> hyrax("custom backend example", zkcnn::Hyrax<Point>::balanced_column_vars(num_vars));
  const auto [commitment, opening] = hyrax.commit(polynomial, num_vars, rng);
  fmt::print("committed to 2^{} evaluations over secp256k1: {} row commitments of 33 bytes\n", num_vars,
             commitment.rows.size());

  zkcnn::Sha256Transcript prover_transcript("custom backend example");
  zkcnn::Hyrax<Point>::absorb_commitment(prover_transcript, commitment);
  const auto proof = hyrax.prove(polynomial, opening, commitment, point, value, prover_transcript, rng);
  const auto proof_bytes = zkcnn::serialize(proof);

  zkcnn::Sha256Transcript verifier_transcript("custom backend example");
  zkcnn::Hyrax<Point>::absorb_commitment(verifier_transcript, commitment);
  const auto received = zkcnn::deserialize_hyrax_proof<Point>(proof_bytes);
  if (!received) {
    fmt::print(stderr, "could not decode the proof: {}\n", received.error().message);
    return EXIT_FAILURE;
  }
  const auto status = hyrax.verify(commitment, point, value, *received, verifier_transcript);
  fmt::print("public-value opening ({} bytes): {}\n", proof_bytes.size(),
             status ? "accepted" : "REJECTED: " + status.error().message);

  zkcnn::Sha256Transcript cheating_transcript("custom backend example");
  zkcnn::Hyrax<Point>::absorb_commitment(cheating_transcript, commitment);
  const bool wrong_value_rejected =
      !hyrax.verify(commitment, point, value + F::one(), *received, cheating_transcript);
  fmt::print("the same proof for value + 1: {}\n", wrong_value_rejected ? "rejected" : "ACCEPTED");

  zkcnn::Sha256Transcript hidden_prover("custom backend example");
  zkcnn::Hyrax<Point>::absorb_commitment(hidden_prover, commitment);
  const auto [hidden_proof, tau] = hyrax.prove_hidden(polynomial, opening, commitment, point, value, hidden_prover, rng);
  (void)tau;
  zkcnn::Sha256Transcript hidden_verifier("custom backend example");
  zkcnn::Hyrax<Point>::absorb_commitment(hidden_verifier, commitment);
  const auto hidden_status = hyrax.verify_hidden(commitment, point, hidden_proof, hidden_verifier);
  fmt::print("hidden-value opening: {}\n", hidden_status ? "accepted" : "REJECTED: " + hidden_status.error().message);

  return status && wrong_value_rejected && hidden_status ? EXIT_SUCCESS : EXIT_FAILURE;
}
