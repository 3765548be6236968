// Proves and verifies, non-interactively, that the inner product of two vectors of 2^20
// elements of BN254's scalar field has a claimed value: a sumcheck over f(x) * g(x) with f, g
// the vectors' multilinear extensions. The proof is serialized, decoded again as a verifier
// would receive it, and checked; the verifier's final subclaim is discharged by evaluating
// both extensions at the verifier's random point.
//
// Usage: sumcheck_demo [log2 size]   (default 20)

#include <fmt/core.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <zkcnn/zkcnn.hpp>

namespace {

using F = zkcnn::bn254::Fr;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t num_vars = argc > 1 ? std::stoul(argv[1]) : 20;
  if (num_vars > 28) {
    fmt::print(stderr, "size 2^{} is too large for a demo (at most 2^28)\n", num_vars);
    return EXIT_FAILURE;
  }
  const std::size_t n = std::size_t{1} << num_vars;

  // Demo data only: a seeded generator makes runs comparable.
  std::mt19937_64 rng(2021);
  std::vector<F> f(n);
  std::vector<F> g(n);
  for (auto& x : f) x = F::random(rng);
  for (auto& x : g) x = F::random(rng);

  fmt::print("zkcnn {} sumcheck demo: sum of f(x) * g(x) over 2^{} points of BN254 Fr\n", ZKCNN_VERSION_STRING,
             num_vars);

  auto start = Clock::now();
  zkcnn::sumcheck::SumOfProducts<F> product(num_vars, {f, g}, {{F::one(), {0, 1}}});
  const F claimed_sum = product.sum_over_hypercube();
  fmt::print("  witness: claimed sum computed in     {:8.3f} s\n", seconds_since(start));

  start = Clock::now();
  zkcnn::Sha256Transcript prover_transcript("zkcnn sumcheck demo");
  auto output = zkcnn::sumcheck::prove(std::move(product), claimed_sum, prover_transcript);
  const auto proof_bytes = zkcnn::sumcheck::serialize(output.proof);
  fmt::print("  prover:  proof generated in          {:8.3f} s ({} bytes)\n", seconds_since(start),
             proof_bytes.size());

  start = Clock::now();
  auto received = zkcnn::sumcheck::deserialize_proof<F>(proof_bytes);
  if (!received) {
    fmt::print(stderr, "  verifier: could not decode the proof: {}\n", received.error().message);
    return EXIT_FAILURE;
  }
  zkcnn::Sha256Transcript verifier_transcript("zkcnn sumcheck demo");
  auto subclaim = zkcnn::sumcheck::verify(claimed_sum, num_vars, 2, *received, verifier_transcript);
  if (!subclaim) {
    fmt::print(stderr, "  verifier: rejected: {}\n", subclaim.error().message);
    return EXIT_FAILURE;
  }
  const double verify_seconds = seconds_since(start);

  // The verifier here holds f and g, so it discharges the subclaim itself in O(n); inside zkCNN
  // this is where a commitment opening or the next layer's proof takes over.
  start = Clock::now();
  const F f_at_point = zkcnn::evaluate_multilinear<F>(f, subclaim->point);
  const F g_at_point = zkcnn::evaluate_multilinear<F>(g, subclaim->point);
  const auto final_check = zkcnn::sumcheck::check_subclaim(*subclaim, f_at_point * g_at_point);
  fmt::print("  verifier: proof checked in           {:8.6f} s (subclaim evaluated in {:.3f} s)\n", verify_seconds,
             seconds_since(start));
  if (!final_check) {
    fmt::print(stderr, "  verifier: rejected: {}\n", final_check.error().message);
    return EXIT_FAILURE;
  }

  // A wrong claim must fail.
  zkcnn::Sha256Transcript cheating_transcript("zkcnn sumcheck demo");
  auto cheating = zkcnn::sumcheck::verify(claimed_sum + F::one(), num_vars, 2, *received, cheating_transcript);
  const bool wrong_claim_rejected =
      !cheating || !zkcnn::sumcheck::check_subclaim(*cheating, f_at_point * g_at_point);
  fmt::print("  accepted: yes; the same proof for claimed sum + 1 rejected: {}\n", wrong_claim_rejected ? "yes" : "NO");
  return wrong_claim_rejected ? EXIT_SUCCESS : EXIT_FAILURE;
}
