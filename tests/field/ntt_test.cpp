// The radix-2 NTT (include/zkcnn/field/ntt.hpp) against the definition: a naive O(n^2) DFT,
// the inverse transform, the convolution theorem, and the length checks.

#include <zkcnn/field/bls12_381.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/montgomery.hpp>
#include <zkcnn/field/ntt.hpp>
#include <zkcnn/field/pow.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "support/field_test_support.hpp"

namespace {

using zkcnn::testing::make_rng;
using zkcnn::testing::random_elements;

/// A[i] = sum_x a[x] w^(i x) with w = root_of_unity(log2 n), straight from the definition.
template <class F>
std::vector<F> naive_dft(const std::vector<F>& a) {
  const std::size_t n = a.size();
  unsigned log_n = 0;
  while ((std::size_t{1} << log_n) < n) ++log_n;
  const F w = F::root_of_unity(log_n);
  std::vector<F> out(n, F::zero());
  F w_i = F::one();  // w^i
  for (std::size_t i = 0; i < n; ++i) {
    F w_ix = F::one();  // w^(i x)
    for (std::size_t x = 0; x < n; ++x) {
      out[i] += a[x] * w_ix;
      w_ix *= w_i;
    }
    w_i *= w;
  }
  return out;
}

/// c[k] = sum_i a[i] b[(k - i) mod n].
template <class F>
std::vector<F> cyclic_convolution(const std::vector<F>& a, const std::vector<F>& b) {
  const std::size_t n = a.size();
  std::vector<F> c(n, F::zero());
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) c[(i + j) % n] += a[i] * b[j];
  }
  return c;
}

template <class F>
void ntt_in_place(std::vector<F>& v) {
  zkcnn::ntt(std::span<F>(v));
}

template <class F>
void inverse_ntt_in_place(std::vector<F>& v) {
  zkcnn::inverse_ntt(std::span<F>(v));
}

// A field with two-adicity 1 (p = 3 mod 4): only lengths 1 and 2 are transformable.
using LowTwoAdicity = zkcnn::bn254::Fq;

// A small Montgomery field with two-adicity 8 (p = 257).
struct P257Params {
  static constexpr std::string_view modulus = "0x101";
};
using P257 = zkcnn::MontgomeryField<P257Params>;

}  // namespace

TEMPLATE_TEST_CASE("ntt: matches the naive DFT for n = 1 .. 256", "[field][ntt]",
                   ZKCNN_TEST_NTT_FIELDS) {
  using F = TestType;
  auto rng = make_rng(101);
  for (std::size_t n = 1; n <= 256; n *= 2) {
    INFO("n = " << n);
    const std::vector<F> input = random_elements<F>(rng, n);
    std::vector<F> transformed = input;
    ntt_in_place(transformed);
    const std::vector<F> expected = naive_dft(input);
    REQUIRE(transformed.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
      INFO("index " << i);
      CHECK(transformed[i] == expected[i]);
    }
  }
}

TEMPLATE_TEST_CASE("ntt: transforms of a delta and of a constant", "[field][ntt]",
                   ZKCNN_TEST_NTT_FIELDS) {
  using F = TestType;
  const std::size_t n = 32;
  std::vector<F> delta(n, F::zero());
  delta[0] = F::one();
  ntt_in_place(delta);
  for (const F& v : delta) CHECK(v == F::one());

  std::vector<F> constant(n, F::from_u64(3));
  ntt_in_place(constant);
  CHECK(constant[0] == F::from_u64(3 * n));
  for (std::size_t i = 1; i < n; ++i) CHECK(constant[i].is_zero());

  // a[x] = w^(-x) transforms to n at index 1 and 0 elsewhere.
  const F w_inv = *F::root_of_unity(5).inverse();
  std::vector<F> tone(n);
  F power = F::one();
  for (std::size_t x = 0; x < n; ++x) {
    tone[x] = power;
    power *= w_inv;
  }
  ntt_in_place(tone);
  for (std::size_t i = 0; i < n; ++i) CHECK(tone[i] == (i == 1 ? F::from_u64(n) : F::zero()));
}

TEMPLATE_TEST_CASE("ntt: inverse_ntt(ntt(a)) == a up to n = 2^12", "[field][ntt]",
                   ZKCNN_TEST_NTT_FIELDS) {
  using F = TestType;
  auto rng = make_rng(102);
  for (std::size_t n = 1; n <= (std::size_t{1} << 12); n *= 2) {
    INFO("n = " << n);
    const std::vector<F> input = random_elements<F>(rng, n);
    std::vector<F> v = input;
    ntt_in_place(v);
    inverse_ntt_in_place(v);
    CHECK(v == input);
    // And the other way round.
    inverse_ntt_in_place(v);
    ntt_in_place(v);
    CHECK(v == input);
  }
}

TEMPLATE_TEST_CASE("ntt: inverse_ntt matches the naive inverse DFT", "[field][ntt]",
                   ZKCNN_TEST_NTT_FIELDS) {
  using F = TestType;
  auto rng = make_rng(103);
  for (std::size_t n = 1; n <= 64; n *= 2) {
    INFO("n = " << n);
    const std::vector<F> input = random_elements<F>(rng, n);
    std::vector<F> v = input;
    inverse_ntt_in_place(v);
    // a[x] = (1/n) sum_i A[i] w^(-i x): the naive DFT with w^-1, scaled.
    unsigned log_n = 0;
    while ((std::size_t{1} << log_n) < n) ++log_n;
    const F w_inv = *F::root_of_unity(log_n).inverse();
    const F n_inv = *F::from_u64(n).inverse();
    for (std::size_t x = 0; x < n; ++x) {
      F sum = F::zero();
      const F step = zkcnn::pow(w_inv, static_cast<std::uint64_t>(x));
      F power = F::one();
      for (std::size_t i = 0; i < n; ++i) {
        sum += input[i] * power;
        power *= step;
      }
      CHECK(v[x] == sum * n_inv);
    }
  }
}

TEMPLATE_TEST_CASE("ntt: convolution theorem at n = 64", "[field][ntt]", ZKCNN_TEST_NTT_FIELDS) {
  using F = TestType;
  auto rng = make_rng(104);
  const std::size_t n = 64;
  const std::vector<F> a = random_elements<F>(rng, n);
  const std::vector<F> b = random_elements<F>(rng, n);
  std::vector<F> c = cyclic_convolution(a, b);

  std::vector<F> a_hat = a;
  std::vector<F> b_hat = b;
  ntt_in_place(a_hat);
  ntt_in_place(b_hat);
  std::vector<F> product(n);
  for (std::size_t i = 0; i < n; ++i) product[i] = a_hat[i] * b_hat[i];

  std::vector<F> c_hat = c;
  ntt_in_place(c_hat);
  CHECK(c_hat == product);

  inverse_ntt_in_place(product);
  CHECK(product == c);
}

TEMPLATE_TEST_CASE("ntt: lengths that are not powers of two are rejected", "[field][ntt]",
                   ZKCNN_TEST_NTT_FIELDS) {
  using F = TestType;
  for (std::size_t n : {3u, 5u, 6u, 7u, 12u, 100u}) {
    INFO("n = " << n);
    std::vector<F> v(n, F::one());
    const std::vector<F> before = v;
    CHECK_THROWS_AS(ntt_in_place(v), std::invalid_argument);
    CHECK_THROWS_AS(inverse_ntt_in_place(v), std::invalid_argument);
    CHECK(v == before);  // rejected before touching the data
  }
  // The empty span is a no-op.
  std::vector<F> empty;
  CHECK_NOTHROW(ntt_in_place(empty));
  CHECK_NOTHROW(inverse_ntt_in_place(empty));
}

TEST_CASE("ntt: lengths beyond 2^two_adicity are rejected", "[field][ntt]") {
  // bn254::Fq has two-adicity 1: length 2 is the largest transformable power of two.
  STATIC_REQUIRE(LowTwoAdicity::two_adicity == 1);
  std::vector<LowTwoAdicity> two{LowTwoAdicity::from_u64(5), LowTwoAdicity::from_u64(7)};
  ntt_in_place(two);
  CHECK(two[0] == LowTwoAdicity::from_u64(12));
  CHECK(two[1] == -LowTwoAdicity::from_u64(2));
  for (std::size_t n : {4u, 8u, 64u}) {
    INFO("n = " << n);
    std::vector<LowTwoAdicity> v(n, LowTwoAdicity::one());
    CHECK_THROWS_AS(ntt_in_place(v), std::invalid_argument);
    CHECK_THROWS_AS(inverse_ntt_in_place(v), std::invalid_argument);
  }
  // A non-power-of-two length in the same field (three elements) is rejected too.
  std::vector<LowTwoAdicity> three(3, LowTwoAdicity::one());
  CHECK_THROWS_AS(ntt_in_place(three), std::invalid_argument);

  // A small Montgomery field with two-adicity 8 (p = 257): 256 works against the naive DFT,
  // 512 does not.
  STATIC_REQUIRE(P257::two_adicity == 8);
  auto rng = make_rng(105);
  const std::vector<P257> input = random_elements<P257>(rng, 256);
  std::vector<P257> v = input;
  ntt_in_place(v);
  CHECK(v == naive_dft(input));
  std::vector<P257> too_long(512, P257::one());
  CHECK_THROWS_AS(ntt_in_place(too_long), std::invalid_argument);
  CHECK_THROWS_AS(inverse_ntt_in_place(too_long), std::invalid_argument);
}
