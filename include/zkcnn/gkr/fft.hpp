#pragma once
// The FFT as one sumcheck (docs/protocol.md section 5; zkCNN, Liu-Xie-Zhang CCS 2021, eprint 2021/673:
// its sumcheck protocol for FFT, the first contribution listed in its introduction).
//
// For N = 2^n and w of order N, the transform A[i] = sum_x a[x] w^(i x) is linear, and its
// multilinear extension at a point r is
//   A~(r) = sum_i eq(r, i) A[i] = sum_x F(r, x) a[x],
//   F(r, x) = sum_i eq(r, i) w^(i x) = prod_{k<n} ((1 - r_k) + r_k w^(2^k x)),
// the product because w^(i x) = prod_k (w^(2^k x))^(i_k). So a claim on A~(r) is one sumcheck
// of degree 2 over x, with the wiring table F(r, .) built in O(N) (below), which is less than
// the O(N log N) of computing the transform itself. At the sumcheck's final point s the prover
// sends a~(s), and the verifier computes F~(r, s) = sum_x eq(s, x) F(r, x) in O(N).
//
// The inverse transform a[x] = (1/N) sum_i A[i] w^(-i x) is the same with w^-1 and a factor
// 1/N, which the sumcheck carries as its term's coefficient rather than in the table.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/batch_inverse.hpp"
#include "zkcnn/field/ntt.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/layer.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"

namespace zkcnn::fft {

enum class Direction { forward, inverse };

/// w^(+-1) of order 2^log_n, the root the transform of that direction uses (the ntt()
/// convention: w = F::root_of_unity(log_n)). Throws std::invalid_argument beyond the field's
/// two-adicity.
template <TwoAdicField F>
F transform_root(std::size_t log_n, Direction direction) {
  if (log_n > F::two_adicity) throw std::invalid_argument("fft: the length exceeds the field's two-adicity");
  const F root = F::root_of_unity(static_cast<unsigned>(log_n));
  return direction == Direction::forward ? root : *root.inverse();
}

/// The table x -> F(r, x) = prod_{k<n} ((1 - r_k) + r_k root^(2^k x)) for x < N = 2^n, n =
/// r.size(), root of order N, in about 2.5 N multiplications (zkCNN's O(N) prover for FFT).
///
/// Factor k depends only on x mod 2^(n-k), because root^(2^k) has order 2^(n-k). So the table
/// is a product tree: start from one entry and, for k = n-1 down to 0, double the table by
/// multiplying in factor k. Each factor is written (1 - r_k)(1 + rho_k root^(2^k x)) with
/// rho_k = r_k / (1 - r_k) (one batch inversion for all k); the constants (1 - r_k) multiply
/// the first entry once. Within a doubling, x and x + N/2^(k+1) share the smaller table's entry
/// and root^(2^k x) changes sign between them (root^(N/2) = -1), so each pair of new entries
/// costs two multiplications: below * (rho_k root^(2^k x)), then an addition and a
/// subtraction. The powers root^j, j < N/2, come from one table built by doubling
/// (independent multiplications). A factor with r_k = 1 is root^(2^k x) itself.
template <Field F>
std::vector<F> fourier_table(std::span<const F> r, const F& root) {
  const std::size_t n = r.size();
  if (n >= 63) throw std::invalid_argument("fourier_table: too many variables");
  const std::size_t size = std::size_t{1} << n;
  std::vector<F> table(size);
  table[0] = F::one();
  if (n == 0) return table;

  std::vector<F> powers(size / 2);  // root^j for j < N/2
  powers[0] = F::one();
  F step = root;  // root^filled
  for (std::size_t filled = 1; filled < powers.size(); filled *= 2, step = step.square()) {
    for (std::size_t j = 0; j < filled; ++j) powers[filled + j] = powers[j] * step;
  }

  std::vector<F> rho(n);
  for (std::size_t k = 0; k < n; ++k) {
    rho[k] = F::one() - r[k];
    if (!rho[k].is_zero()) table[0] *= rho[k];
  }
  batch_inverse_vartime(std::span<F>(rho));  // a challenge point: public; zeros (r_k = 1) stay zero
  for (std::size_t k = 0; k < n; ++k) rho[k] *= r[k];

  for (std::size_t k = n; k-- > 0;) {
    const std::size_t half = std::size_t{1} << (n - 1 - k);
    if (r[k] == F::one()) {
      for (std::size_t x = 0; x < half; ++x) {
        const F value = table[x] * powers[x << k];
        table[x] = value;
        table[x + half] = -value;
      }
      continue;
    }
    for (std::size_t x = 0; x < half; ++x) {
      const F below = table[x];
      const F scaled = below * (rho[k] * powers[x << k]);
      table[x] = below + scaled;
      table[x + half] = below - scaled;
    }
  }
  return table;
}

/// F(r, x) at one integer x, given z = root^x: prod_k ((1 - r_k) + r_k z^(2^k)), in 3n
/// multiplications. Cheaper than the table when a verifier needs F(r, .) at fewer than about
/// N / n integers (a kernel's few positions, a small output).
template <Field F>
F fourier_at(std::span<const F> r, F z) {
  F result = F::one();
  for (std::size_t k = 0; k < r.size(); ++k) {
    result *= F::one() + r[k] * (z - F::one());
    z = z.square();
  }
  return result;
}

/// The closed form the verifier needs: F~(r, v) = sum_x eq(v, x) F(r, x), the extension of
/// the table in its second argument, in O(N). (zkCNN also gives an O(log^2 N) verifier, by
/// delegating this evaluation with a GKR proof of the FFT circuit; this library stays at O(N).)
template <Field F>
F fourier_extension(std::span<const F> r, std::span<const F> v, const F& root) {
  if (r.size() != v.size()) throw std::invalid_argument("fourier_extension: points of different dimensions");
  const std::vector<F> table = fourier_table(r, root);
  return evaluate_multilinear(std::span<const F>(table), v);
}

/// The transform of `direction` on one vector of N = 2^n entries, modelling gkr::Layer: input 0
/// is a (shorter tables are zero-padded), the output its transform (ntt / inverse_ntt). The
/// proof of a claim A~(r) = value is one degree-2 sumcheck over x of
/// c F_root(r, x) a(x) (c = 1, or 1/N for the inverse), after which the prover sends a~(s); the
/// claim left on the input is a~(s). Soundness error 2n/|F| (the sumcheck's). In zero knowledge
/// the claim's mask terms are discharged by the sumcheck and the sent a~(s) is masked; the
/// claim on the input carries its mask term (gkr/sumcheck_step.hpp).
template <TwoAdicField F, Direction D>
  requires EncodableField<F>
class FourierLayer {
 public:
  struct Proof {
    gkr::SumcheckStep<F> step;

    friend bool operator==(const Proof&, const Proof&) = default;
  };

  explicit FourierLayer(std::size_t num_vars)
      : num_vars_(num_vars), root_(transform_root<F>(num_vars, D)), scale_(F::one()) {
    if constexpr (D == Direction::inverse) scale_ = *F::from_u64(std::uint64_t{1} << num_vars).inverse();
  }

  std::size_t input_count() const { return 1; }
  std::size_t input_num_vars(std::size_t input) const {
    if (input != 0) throw std::invalid_argument("FourierLayer: it has one input");
    return num_vars_;
  }
  std::size_t output_num_vars() const { return num_vars_; }

  std::vector<F> forward(std::span<const std::span<const F>> inputs) const {
    std::vector<F> values = padded_input(inputs);
    if constexpr (D == Direction::forward) {
      ntt(std::span<F>(values));
    } else {
      inverse_ntt(std::span<F>(values));
    }
    return values;
  }

  template <class T>
  gkr::LayerProverOutput<Proof, F> prove(std::span<const std::span<const F>> inputs, const gkr::Claim<F>& claim,
                                         T& transcript) const {
    check_claim(claim);
    gkr::absorb_claim(transcript, claim);
    std::vector<F> wiring = fourier_table(std::span<const F>(claim.point), root_);
    std::vector<F> values = padded_input(inputs);
    sumcheck::SumOfProducts<F> g(num_vars_, {std::move(wiring), std::move(values)}, {{scale_, {0, 1}}});
    const std::size_t sent[] = {1};
    auto proven = gkr::prove_step(std::move(g), claim.masked_value(), std::span<const std::size_t>(sent), transcript);
    gkr::LayerProverOutput<Proof, F> out{{}, {}};
    out.input_claims.push_back({0, gkr::make_claim(std::move(proven.point), proven.sent(0))});
    out.proof.step = std::move(proven.step);
    return out;
  }

  template <class T>
  Result<std::vector<gkr::InputClaim<F>>> verify(const gkr::Claim<F>& claim, const Proof& proof, T& transcript) const {
    check_claim(claim);
    gkr::absorb_claim(transcript, claim);
    auto subclaim = gkr::verify_step(claim.masked_value(), num_vars_, 2, 1, proof.step, transcript);
    if (!subclaim) return subclaim.error();
    const F input_value = proof.step.evaluations[0];
    const F wiring = fourier_extension(std::span<const F>(claim.point), std::span<const F>(subclaim->point), root_);
    if (auto ok = gkr::check_step(*subclaim, scale_ * wiring * input_value, name()); !ok) return ok.error();
    std::vector<gkr::InputClaim<F>> claims;
    claims.push_back({0, gkr::make_claim(std::move(subclaim->point), gkr::sent_value(proof.step, *subclaim, 0))});
    return claims;
  }

  void write_proof(const Proof& proof, io::ByteWriter& out) const { gkr::write_step(out, proof.step); }

  Result<Proof> read_proof(io::ByteReader& in) const {
    auto step = gkr::read_step<F>(in, num_vars_, 2, 1);
    if (!step) return step.error();
    return Proof{std::move(*step)};
  }

 private:
  static std::string name() { return D == Direction::forward ? "fft layer" : "inverse fft layer"; }

  void check_claim(const gkr::Claim<F>& claim) const {
    gkr::require_dimension(claim, num_vars_, "FourierLayer");
  }

  std::vector<F> padded_input(std::span<const std::span<const F>> inputs) const {
    if (inputs.size() != 1) throw std::invalid_argument("FourierLayer: expected one input");
    const std::size_t size = std::size_t{1} << num_vars_;
    if (inputs[0].size() > size) throw std::invalid_argument("FourierLayer: input longer than 2^num_vars");
    std::vector<F> values(size, F::zero());
    std::copy(inputs[0].begin(), inputs[0].end(), values.begin());
    return values;
  }

  std::size_t num_vars_;
  F root_;
  F scale_;
};

/// A~ = FFT(a): output[i] = sum_x a[x] w^(i x).
template <TwoAdicField F>
  requires EncodableField<F>
using FftLayer = FourierLayer<F, Direction::forward>;

/// a = IFFT(A): output[x] = (1/N) sum_i A[i] w^(-i x).
template <TwoAdicField F>
  requires EncodableField<F>
using InverseFftLayer = FourierLayer<F, Direction::inverse>;

}  // namespace zkcnn::fft
