// The FFT sumcheck (gkr/fft.hpp): the product-tree table F(r, .) against its definition,
// the single-position product, the closed form F~(r, v) against the double sum that defines
// it, the identity A~(r) = sum_x F(r, x) a[x] that the proof rests on, and the FFT and IFFT
// layers through the shared layer checks (completeness, encoding, soundness; in zero knowledge
// on BN254).

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/ntt.hpp>
#include <zkcnn/field/pow.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/gkr/fft.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <type_traits>
#include <vector>

#include "support/layer_test_support.hpp"

namespace {

using namespace zkcnn_layer_test;
using zkcnn::fft::Direction;

// prod_k ((1 - r_k) + r_k root^(2^k x)), each power computed from scratch.
template <class F>
F fourier_by_definition(std::span<const F> r, const F& root, std::size_t x) {
  const std::size_t size = std::size_t{1} << r.size();
  F result = F::one();
  for (std::size_t k = 0; k < r.size(); ++k) {
    const F power = zkcnn::pow(root, std::uint64_t{((x << k) % size)});
    result *= F::one() - r[k] + r[k] * power;
  }
  return result;
}

TEMPLATE_TEST_CASE("fourier table: the product tree matches the definition", "[fft]", zkcnn::bn254::Fr,
                   zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(101);
  for (std::size_t n = 0; n <= 9; ++n) {
    for (Direction direction : {Direction::forward, Direction::inverse}) {
      const F root = zkcnn::fft::transform_root<F>(n, direction);
      // A random point, and one with coordinates 1 and 0 (factors root^(2^k x) and 1, which
      // the table builds without dividing by 1 - r_k).
      auto special = random_point<F>(rng, n);
      for (std::size_t k = 0; k < n; k += 2) special[k] = k % 4 == 0 ? F::one() : F::zero();
      for (const auto& r : {random_point<F>(rng, n), special}) {
        const auto table = zkcnn::fft::fourier_table(std::span<const F>(r), root);
        REQUIRE(table.size() == std::size_t{1} << n);
        for (std::size_t x = 0; x < table.size(); ++x) {
          INFO("n = " << n << ", x = " << x);
          REQUIRE(table[x] == fourier_by_definition(std::span<const F>(r), root, x));
          REQUIRE(zkcnn::fft::fourier_at(std::span<const F>(r), zkcnn::pow(root, std::uint64_t{x})) == table[x]);
        }
      }
    }
  }
}

TEMPLATE_TEST_CASE("fourier table: the extension of the transform", "[fft]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(102);
  for (std::size_t n = 0; n <= 8; ++n) {
    const std::size_t size = std::size_t{1} << n;
    const auto a = random_table<F>(rng, size);
    const auto r = random_point<F>(rng, n);
    // A~(r) = sum_x F(r, x) a[x] for the NTT, and (1/N) sum_x F_{w^-1}(r, x) a[x] for its inverse.
    for (Direction direction : {Direction::forward, Direction::inverse}) {
      auto transformed = a;
      if (direction == Direction::forward) {
        zkcnn::ntt(std::span<F>(transformed));
      } else {
        zkcnn::inverse_ntt(std::span<F>(transformed));
      }
      const auto table = zkcnn::fft::fourier_table(std::span<const F>(r), zkcnn::fft::transform_root<F>(n, direction));
      F sum = F::zero();
      for (std::size_t x = 0; x < size; ++x) sum += table[x] * a[x];
      if (direction == Direction::inverse) sum *= *F::from_u64(size).inverse();
      INFO("n = " << n);
      CHECK(sum == zkcnn::evaluate_multilinear(std::span<const F>(transformed), std::span<const F>(r)));
    }
  }
}

TEMPLATE_TEST_CASE("fourier extension: the closed form against the double sum", "[fft]", zkcnn::bn254::Fr,
                   zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(103);
  for (std::size_t n = 0; n <= 6; ++n) {
    const std::size_t size = std::size_t{1} << n;
    for (Direction direction : {Direction::forward, Direction::inverse}) {
      const F root = zkcnn::fft::transform_root<F>(n, direction);
      const auto r = random_point<F>(rng, n);
      const auto v = random_point<F>(rng, n);
      // sum_{i, x} eq(r, i) eq(v, x) root^(i x)
      const auto eq_r = zkcnn::eq_table(std::span<const F>(r));
      const auto eq_v = zkcnn::eq_table(std::span<const F>(v));
      F expected = F::zero();
      for (std::size_t i = 0; i < size; ++i) {
        for (std::size_t x = 0; x < size; ++x) {
          expected += eq_r[i] * eq_v[x] * zkcnn::pow(root, std::uint64_t{(i * x) % size});
        }
      }
      INFO("n = " << n);
      CHECK(zkcnn::fft::fourier_extension(std::span<const F>(r), std::span<const F>(v), root) == expected);
      CHECK(zkcnn::fft::fourier_extension(std::span<const F>(v), std::span<const F>(r), root) == expected);
    }
  }
}

TEMPLATE_TEST_CASE("fft and inverse fft layers", "[fft]", zkcnn::bn254::Fr, zkcnn::Goldilocks) {
  using F = TestType;
  zkcnn::testing::DeterministicRng rng(104);
  for (std::size_t n : {0, 1, 2, 3, 5, 8}) {
    INFO("n = " << n);
    const std::size_t size = std::size_t{1} << n;
    const zkcnn::fft::FftLayer<F> fft(n);
    const zkcnn::fft::InverseFftLayer<F> ifft(n);
    CHECK(fft.input_count() == 1);
    CHECK(fft.input_num_vars(0) == n);
    CHECK(fft.output_num_vars() == n);

    // A table shorter than 2^n is zero-padded.
    const std::vector<std::vector<F>> inputs{random_table<F>(rng, size - size / 4)};
    const auto spectrum = fft.forward(views(inputs));
    auto expected = inputs[0];
    expected.resize(size, F::zero());
    zkcnn::ntt(std::span<F>(expected));
    CHECK(spectrum == expected);
    const std::vector<std::vector<F>> spectra{spectrum};
    auto back = ifft.forward(views(spectra));
    auto padded = inputs[0];
    padded.resize(size, F::zero());
    CHECK(back == padded);

    const auto fft_claim = claim_at_random_point<F>(rng, std::span<const F>(spectrum), n);
    const auto ifft_claim = claim_at_random_point<F>(rng, std::span<const F>(back), n);
    check_layer<F>(fft, inputs, fft_claim);
    check_layer<F>(ifft, spectra, ifft_claim);
    if constexpr (std::is_same_v<F, zkcnn::bn254::Fr>) {
      if (n <= 5) {
        zkcnn_layer_test::check_layer_zero_knowledge<zkcnn::bn254::G1>(fft, inputs, fft_claim, rng);
        zkcnn_layer_test::check_layer_zero_knowledge<zkcnn::bn254::G1>(ifft, spectra, ifft_claim, rng);
      }
    }
  }
}

TEST_CASE("fft layer: a length beyond the two-adicity is rejected", "[fft]") {
  CHECK_THROWS_AS(zkcnn::fft::FftLayer<zkcnn::bn254::Fr>(zkcnn::bn254::Fr::two_adicity + 1), std::invalid_argument);
  CHECK_NOTHROW(zkcnn::fft::FftLayer<zkcnn::bn254::Fr>(zkcnn::bn254::Fr::two_adicity));
}

TEST_CASE("fft layer: a claim on the wrong transform is rejected", "[fft]") {
  // The forward proof of a claim on IFFT(a) (and the converse) must not verify.
  using F = zkcnn::bn254::Fr;
  zkcnn::testing::DeterministicRng rng(105);
  const std::size_t n = 4;
  const std::vector<std::vector<F>> inputs{random_table<F>(rng, 16)};
  const zkcnn::fft::FftLayer<F> fft(n);
  const zkcnn::fft::InverseFftLayer<F> ifft(n);
  const auto inverse = ifft.forward(views(inputs));
  const auto claim = claim_at_random_point<F>(rng, std::span<const F>(inverse), n);
  auto t = transcript();
  const auto proven = fft.prove(std::span<const std::span<const F>>(views(inputs)), claim, t);
  CHECK_FALSE(accepted<F>(fft, claim, proven.proof, inputs));
}

}  // namespace
