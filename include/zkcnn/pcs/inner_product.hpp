#pragma once
// A zero-knowledge inner-product argument with one public vector (Bulletproofs, Bunz et al.,
// S&P 2018, section 3, with the blinded rounds and final Schnorr-style step Hyrax uses for its
// proofs of dot products: Wahby et al., S&P 2018, section 5 and appendix A).
//
// Statement, for public generators G (2^k of them), U, H and a public vector b:
//   P = <u, G> + <u, b> U + rho H        for some u, rho known to the prover.
// Round j halves everything: the prover sends L = <u_lo, G_hi> + <u_lo, b_hi> U + l H and
// R = <u_hi, G_lo> + <u_hi, b_lo> U + r H with fresh random l, r; for the challenge x both sides
// fold u' = x u_lo + x^-1 u_hi, G' = x^-1 G_lo + x G_hi, b' = x^-1 b_lo + x b_hi,
// P' = x^2 L + P + x^-2 R. With one element left (a, g, beta, rho'), the prover shows it knows
// a and rho' with P' = a (g + beta U) + rho' H by a Schnorr proof, revealing neither. The
// verifier never folds G: g = sum_i s_i G_i with s_i the product of x_j^(+-1) along i's bits,
// and the whole check is one multi-scalar multiplication.

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/detail/zk_probes.hpp"
#include "zkcnn/ec/msm.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/inverse_vartime.hpp"
#include "zkcnn/io/byte_stream.hpp"

namespace zkcnn {

/// The decoder's bound on the number of rounds (vectors of up to 2^40 entries).
inline constexpr std::uint32_t max_inner_product_rounds = 40;

template <CommitmentGroup G>
struct InnerProductProof {
  using Scalar = scalar_of<G>;
  std::vector<G> left;
  std::vector<G> right;
  G schnorr_commitment{};
  Scalar opening_response{};   // d + c a
  Scalar blinding_response{};  // s + c rho'

  friend bool operator==(const InnerProductProof&, const InnerProductProof&) = default;
};

/// P in the form sum_i scalars[i] * points[i], so the verifier can fold it into its single
/// final multi-scalar multiplication.
template <CommitmentGroup G>
struct LinearCombination {
  std::vector<G> points;
  std::vector<scalar_of<G>> scalars;
};

namespace detail::ipa {

template <CommitmentGroup G, class T>
scalar_of<G> round_challenge(T& transcript, const G& left, const G& right) {
  transcript.absorb_bytes("ipa/left", group_traits<G>::encode(left));
  transcript.absorb_bytes("ipa/right", group_traits<G>::encode(right));
  return transcript.template challenge<scalar_of<G>>("ipa/round_challenge");
}

template <CommitmentGroup G, class T>
scalar_of<G> final_challenge(T& transcript, const G& schnorr_commitment) {
  transcript.absorb_bytes("ipa/schnorr_commitment", group_traits<G>::encode(schnorr_commitment));
  return transcript.template challenge<scalar_of<G>>("ipa/final_challenge");
}

template <class F>
F inner_product(std::span<const F> a, std::span<const F> b) {
  F sum = F::zero();
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

}  // namespace detail::ipa

/// Proves the statement above. `generators` and `b` must have the same power-of-two length
/// as `u`. Blinding factors come from `rng` (the OS generator outside tests).
template <CommitmentGroup G, class T, CryptoRng Rng>
InnerProductProof<G> prove_inner_product(T& transcript, std::span<const G> generators, const G& value_base,
                                         const G& blinding_base, std::vector<scalar_of<G>> u,
                                         std::vector<scalar_of<G>> b, scalar_of<G> rho, Rng& rng) {
  using F = scalar_of<G>;
  using Traits = group_traits<G>;
  if (u.size() != b.size() || u.size() != generators.size() || u.empty() || (u.size() & (u.size() - 1)) != 0) {
    throw std::invalid_argument("prove_inner_product: vectors must share one power-of-two length");
  }
  // The folded generators are kept as scale * g: G' = x^-1 G_lo + x G_hi = x^-1 (G_lo + x^2 G_hi),
  // so each round costs one scalar multiplication per element (by the same x^2) and the x^-1
  // factors collect in `scale`, applied once per round to L and R.
  std::vector<G> g(generators.begin(), generators.end());
  F scale = F::one();
  InnerProductProof<G> proof;
  for (std::size_t n = u.size(); n > 1; n /= 2) {
    const std::size_t h = n / 2;
    const std::span<const F> u_lo(u.data(), h), u_hi(u.data() + h, h);
    const std::span<const F> b_lo(b.data(), h), b_hi(b.data() + h, h);
    const std::span<const G> g_lo(g.data(), h), g_hi(g.data() + h, h);
    if constexpr (zk_probes::compiled) {
      for (const F& entry : u) zk_probes::observe_secret(entry);
    }
    const F l_blind = zk_probes::masking_random<F>(rng, zk_probes::Mutation::inner_product_round_blinds);
    const F r_blind = zk_probes::masking_random<F>(rng, zk_probes::Mutation::inner_product_round_blinds);
    // L's and R's multi-scalar multiplications are independent: each takes half the threads.
    // Even the last rounds' small ones gain (a multi-scalar multiplication has a fixed cost of
    // about a millisecond, a thread tens of microseconds).
    G cross[2];
    const std::size_t threads = zkcnn::detail::default_thread_count();
    zkcnn::detail::parallel_for(
        0, 2,
        [&](std::size_t first, std::size_t last) {
          for (std::size_t side = first; side < last; ++side) {
            cross[side] = side == 0 ? msm<G>(g_hi, u_lo, std::max<std::size_t>(1, threads / 2))
                                    : msm<G>(g_lo, u_hi, std::max<std::size_t>(1, threads - threads / 2));
          }
        },
        std::min<std::size_t>(threads, 2));
    G left = Traits::scalar_mul(cross[0], scale);
    left = Traits::add(left, Traits::scalar_mul(value_base, detail::ipa::inner_product(u_lo, b_hi)));
    left = Traits::add(left, Traits::scalar_mul(blinding_base, l_blind));
    G right = Traits::scalar_mul(cross[1], scale);
    right = Traits::add(right, Traits::scalar_mul(value_base, detail::ipa::inner_product(u_hi, b_lo)));
    right = Traits::add(right, Traits::scalar_mul(blinding_base, r_blind));
    const F x = detail::ipa::round_challenge(transcript, left, right);
    const auto x_inverse = inverse_vartime(x);  // a challenge: public
    if (!x_inverse) throw std::runtime_error("prove_inner_product: zero challenge (probability 2^-250)");
    proof.left.push_back(left);
    proof.right.push_back(right);
    const F x2 = x.square();
    for (std::size_t i = 0; i < h; ++i) {
      u[i] = x * u[i] + *x_inverse * u[h + i];
      b[i] = *x_inverse * b[i] + x * b[h + i];
    }
    zkcnn::detail::parallel_for(0, h, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) g[i] = Traits::add(g[i], Traits::scalar_mul(g[h + i], x2));
    });
    scale *= *x_inverse;
    u.resize(h);
    b.resize(h);
    g.resize(h);
    rho += x2 * l_blind + x_inverse->square() * r_blind;
  }
  // Schnorr proof of knowledge of (a, rho) with P' = a (g + beta U) + rho H.
  const G base = Traits::add(Traits::scalar_mul(g[0], scale), Traits::scalar_mul(value_base, b[0]));
  zk_probes::observe_secret(u[0]);
  const F d = zk_probes::masking_random<F>(rng, zk_probes::Mutation::inner_product_opening_nonce);
  const F s = zk_probes::masking_random<F>(rng, zk_probes::Mutation::inner_product_blind_nonce);
  proof.schnorr_commitment = Traits::add(Traits::scalar_mul(base, d), Traits::scalar_mul(blinding_base, s));
  const F c = detail::ipa::final_challenge(transcript, proof.schnorr_commitment);
  proof.opening_response = d + c * u[0];
  proof.blinding_response = s + c * rho;
  if constexpr (zk_probes::compiled) {
    // Sent after the last challenge, so never absorbed: shown to the probes' observer directly.
    zk_probes::observe_message("ipa/opening_response", proof.opening_response.to_bytes());
    zk_probes::observe_message("ipa/blinding_response", proof.blinding_response.to_bytes());
  }
  return proof;
}

/// Verifies against P given as a linear combination of points. Runs the transcript exactly as
/// the prover did; one multi-scalar multiplication at the end.
template <CommitmentGroup G, class T>
Status verify_inner_product(T& transcript, std::span<const G> generators, const G& value_base, const G& blinding_base,
                            std::span<const scalar_of<G>> b, LinearCombination<G> statement,
                            const InnerProductProof<G>& proof) {
  using F = scalar_of<G>;
  const std::size_t n = generators.size();
  if (n == 0 || (n & (n - 1)) != 0 || b.size() != n) {
    return make_error(Errc::invalid_argument, "inner product: generators and vector must share a power-of-two length");
  }
  std::size_t rounds = 0;
  while ((std::size_t{1} << rounds) < n) ++rounds;
  if (proof.left.size() != rounds || proof.right.size() != rounds) {
    return make_error(Errc::malformed_proof, "inner product: expected " + std::to_string(rounds) + " rounds, got " +
                                                 std::to_string(proof.left.size()));
  }
  // s_i = prod_j x_j^(+-1), the bit of i read by round j (round 0 splits on the top bit).
  std::vector<F> s{F::one()};
  s.reserve(n);
  for (std::size_t j = 0; j < rounds; ++j) {
    const F x = detail::ipa::round_challenge(transcript, proof.left[j], proof.right[j]);
    const auto x_inverse = inverse_vartime(x);  // a challenge: public
    if (!x_inverse) return make_error(Errc::verification_failed, "inner product: zero challenge");
    const F x2 = x.square();
    statement.points.push_back(proof.left[j]);
    statement.scalars.push_back(x2);
    statement.points.push_back(proof.right[j]);
    statement.scalars.push_back(x_inverse->square());
    std::vector<F> next(2 * s.size());
    for (std::size_t t = 0; t < s.size(); ++t) {
      next[2 * t] = s[t] * *x_inverse;
      next[2 * t + 1] = s[t] * x;
    }
    s = std::move(next);
  }
  const F beta = detail::ipa::inner_product<F>(s, b);
  const F c = detail::ipa::final_challenge(transcript, proof.schnorr_commitment);
  // z1 (sum_i s_i G_i + beta U) + z2 H - A - c P' == 0, as one MSM.
  const std::size_t terms = n + 3 + statement.points.size();
  std::vector<G> points;
  points.reserve(terms);
  points.assign(generators.begin(), generators.end());
  std::vector<F> scalars(n);
  scalars.reserve(terms);
  for (std::size_t i = 0; i < n; ++i) scalars[i] = proof.opening_response * s[i];
  points.push_back(value_base);
  scalars.push_back(proof.opening_response * beta);
  points.push_back(blinding_base);
  scalars.push_back(proof.blinding_response);
  points.push_back(proof.schnorr_commitment);
  scalars.push_back(-F::one());
  for (std::size_t i = 0; i < statement.points.size(); ++i) {
    points.push_back(statement.points[i]);
    scalars.push_back(-(c * statement.scalars[i]));
  }
  if (!group_traits<G>::is_identity(msm<G>(points, scalars))) {
    return make_error(Errc::verification_failed, "inner product: the final check fails");
  }
  return {};
}

/// Precondition: as many L as R, at most 40 rounds (as every proof the prover makes has);
/// otherwise std::invalid_argument, since the encoding could not be read back.
template <CommitmentGroup G>
void write_inner_product_proof(io::ByteWriter& out, const InnerProductProof<G>& proof) {
  if (proof.left.size() != proof.right.size() || proof.left.size() > max_inner_product_rounds) {
    throw std::invalid_argument("write_inner_product_proof: ragged or oversized proof");
  }
  out.write_u32(static_cast<std::uint32_t>(proof.left.size()));
  for (std::size_t j = 0; j < proof.left.size(); ++j) {
    out.write_group(proof.left[j]);
    out.write_group(proof.right[j]);
  }
  out.write_group(proof.schnorr_commitment);
  out.write_field(proof.opening_response);
  out.write_field(proof.blinding_response);
}

template <CommitmentGroup G>
Result<InnerProductProof<G>> read_inner_product_proof(io::ByteReader& in) {
  auto rounds = in.read_u32("inner product round count");
  if (!rounds) return rounds.error();
  if (*rounds > max_inner_product_rounds) return make_error(Errc::invalid_encoding, "inner product: too many rounds");
  InnerProductProof<G> proof;
  for (std::uint32_t j = 0; j < *rounds; ++j) {
    auto left = in.read_group<G>("inner product left");
    if (!left) return left.error();
    auto right = in.read_group<G>("inner product right");
    if (!right) return right.error();
    proof.left.push_back(*left);
    proof.right.push_back(*right);
  }
  auto commitment = in.read_group<G>("inner product Schnorr commitment");
  if (!commitment) return commitment.error();
  proof.schnorr_commitment = *commitment;
  auto z1 = in.read_field<scalar_of<G>>("inner product opening response");
  if (!z1) return z1.error();
  auto z2 = in.read_field<scalar_of<G>>("inner product blinding response");
  if (!z2) return z2.error();
  proof.opening_response = *z1;
  proof.blinding_response = *z2;
  return proof;
}

}  // namespace zkcnn
