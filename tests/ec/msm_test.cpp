// Multi-scalar multiplication against naive summation: random, small, signed-small, bit and
// zero scalars, sizes around the window-choice boundaries, thread counts, and a backend
// without the affine fast path (the generic bucket path).

#include <catch2/catch.hpp>

#include <cstdint>
#include <iterator>
#include <random>
#include <vector>

#include <zkcnn/ec/bls12_381_g1.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/ec/msm.hpp>
#include <zkcnn/field/one_half.hpp>

namespace {

template <class G>
G naive_msm(const std::vector<G>& points, const std::vector<zkcnn::scalar_of<G>>& scalars) {
  G sum = G::identity();
  for (std::size_t i = 0; i < points.size(); ++i) sum = sum + points[i] * scalars[i];
  return sum;
}

template <class G>
std::vector<G> random_points(std::size_t n, std::mt19937_64& rng) {
  std::vector<G> points;
  const G base = G::generator() * zkcnn::scalar_of<G>::random(rng);
  G p = base;
  for (std::size_t i = 0; i < n; ++i) {
    points.push_back(i % 7 == 3 ? G::identity() : p);  // identities among the inputs
    p = p + base.doubled();
  }
  return points;
}

enum class ScalarKind { random, small, signed_small, bits, zero };

template <class F>
std::vector<F> make_scalars(std::size_t n, ScalarKind kind, std::mt19937_64& rng) {
  std::vector<F> out(n);
  std::uniform_int_distribution<std::int64_t> small(-32768, 32767);
  for (auto& s : out) {
    switch (kind) {
      case ScalarKind::random: s = F::random(rng); break;
      case ScalarKind::small: s = F::from_u64(rng() & 0xff); break;
      case ScalarKind::signed_small: s = F::from_i64(small(rng)); break;
      case ScalarKind::bits: s = F::from_u64(rng() & 1); break;
      case ScalarKind::zero: s = F::zero(); break;
    }
  }
  return out;
}

// The same group without msm_point_ops' affine specialization: exercises the generic path.
struct GenericBn254 : zkcnn::bn254::G1 {
  using Base = zkcnn::bn254::G1;
  GenericBn254() = default;
  GenericBn254(const Base& p) : Base(p) {}  // NOLINT: implicit by design
};

}  // namespace

template <>
struct zkcnn::group_traits<GenericBn254> {
  using P = zkcnn::bn254::G1;
  using scalar_type = P::Scalar;
  static constexpr std::size_t encoded_size = P::encoded_size;
  static GenericBn254 identity() { return P::identity(); }
  static GenericBn254 generator() { return P::generator(); }
  static GenericBn254 add(const GenericBn254& a, const GenericBn254& b) { return P(a) + P(b); }
  static GenericBn254 negate(const GenericBn254& a) { return -P(a); }
  static GenericBn254 doubled(const GenericBn254& a) { return P(a).doubled(); }
  static GenericBn254 scalar_mul(const GenericBn254& a, const scalar_type& k) { return P(a) * k; }
  static bool equal(const GenericBn254& a, const GenericBn254& b) { return P(a) == P(b); }
  static bool is_identity(const GenericBn254& a) { return P(a).is_identity(); }
  static void batch_normalize(std::span<GenericBn254>) {}
  static std::array<std::uint8_t, encoded_size> encode(const GenericBn254& a) { return P(a).encode(); }
  static zkcnn::Result<GenericBn254> decode(std::span<const std::uint8_t> bytes) {
    auto p = P::decode(bytes);
    if (!p) return p.error();
    return GenericBn254(*p);
  }
  static GenericBn254 hash_to_group(std::string_view domain, std::uint64_t index) {
    return P::hash_to_group(domain, index);
  }
};

static_assert(zkcnn::CommitmentGroup<GenericBn254>);

TEMPLATE_TEST_CASE("msm equals naive summation", "[ec][msm]", zkcnn::bn254::G1, zkcnn::bls12_381::G1) {
  using G = TestType;
  using F = zkcnn::scalar_of<G>;
  std::mt19937_64 rng(0x6d736d);
  for (ScalarKind kind : {ScalarKind::random, ScalarKind::small, ScalarKind::signed_small, ScalarKind::bits,
                          ScalarKind::zero}) {
    for (std::size_t n : {0u, 1u, 2u, 3u, 17u, 64u, 257u}) {
      CAPTURE(static_cast<int>(kind), n);
      const auto points = random_points<G>(n, rng);
      const auto scalars = make_scalars<F>(n, kind, rng);
      CHECK(zkcnn::msm(points, scalars) == naive_msm(points, scalars));
    }
  }
}

TEST_CASE("msm: scalars near the modulus (small negatives) and extreme values", "[ec][msm]") {
  using G = zkcnn::bn254::G1;
  using F = G::Scalar;
  std::mt19937_64 rng(0x6d736e);
  const auto points = random_points<G>(40, rng);
  std::vector<F> scalars;
  for (std::size_t i = 0; i < points.size(); ++i) {
    switch (i % 6) {
      case 0: scalars.push_back(-F::one()); break;
      case 1: scalars.push_back(-F::from_u64(i)); break;
      case 2: scalars.push_back(F::from_u64(~std::uint64_t{0})); break;
      case 3: scalars.push_back(-F::from_u64(~std::uint64_t{0})); break;
      case 4: scalars.push_back(F::from_u64(2).inverse().value()); break;  // (p+1)/2: the first negative
      default: scalars.push_back(F::from_i64(-1) * F::from_u64(2).inverse().value()); break;  // (p-1)/2 region
    }
  }
  CHECK(zkcnn::msm(points, scalars) == naive_msm(points, scalars));
}

TEST_CASE("msm: the result does not depend on the thread count", "[ec][msm]") {
  using G = zkcnn::bn254::G1;
  using F = G::Scalar;
  std::mt19937_64 rng(0x6d736f);
  const auto points = random_points<G>(9000, rng);  // enough points for several chunks
  const auto scalars = make_scalars<F>(points.size(), ScalarKind::signed_small, rng);
  const G one_thread = zkcnn::msm<G>(std::span<const G>(points), std::span<const F>(scalars), 1);
  CHECK(zkcnn::msm<G>(std::span<const G>(points), std::span<const F>(scalars), 2) == one_thread);
  CHECK(zkcnn::msm<G>(std::span<const G>(points), std::span<const F>(scalars), 3) == one_thread);
  // Spot-check against the naive sum on a prefix.
  std::vector<G> prefix(points.begin(), points.begin() + 100);
  std::vector<F> prefix_scalars(scalars.begin(), scalars.begin() + 100);
  CHECK(zkcnn::msm(prefix, prefix_scalars) == naive_msm(prefix, prefix_scalars));
}

TEST_CASE("msm: windows summed in groups, the last one partial", "[ec][msm]") {
  // 200-bit scalars over a few hundred or thousand points (too short for the endomorphism to
  // pay): the windows' buckets are summed several windows at a time
  // (zkcnn::detail::joint_bucket_inputs), and the window count is not a multiple of the
  // group's size.
  using G = zkcnn::bn254::G1;
  using F = G::Scalar;
  std::mt19937_64 rng(0x6d7371);
  const F two_64 = F::from_u64(std::uint64_t{1} << 32).square();
  for (std::size_t n : {700u, 3000u}) {
    CAPTURE(n);
    const std::size_t bits = 200;
    REQUIRE_FALSE(zkcnn::detail::endomorphism_pays(n, bits));
    const std::size_t c = zkcnn::detail::choose_window(n, bits).width;
    const std::size_t windows = (bits + 1 + c - 1) / c;
    const std::size_t group = zkcnn::detail::joint_bucket_inputs / n;
    REQUIRE(group > 1);
    REQUIRE(windows % group != 0);
    const auto points = random_points<G>(n, rng);
    std::vector<F> scalars(n);
    for (std::size_t i = 0; i < n; ++i) {
      F k = F::from_u64((rng() & 0xff) | 0x80);  // 8 bits, the top one set
      for (int word = 0; word < 3; ++word) k = k * two_64 + F::from_u64(rng());
      scalars[i] = i % 2 == 0 ? k : -k;
    }
    CHECK(zkcnn::msm<G>(std::span<const G>(points), std::span<const F>(scalars), 1) == naive_msm(points, scalars));
  }
}

TEMPLATE_TEST_CASE("msm: full-size scalars split through the endomorphism", "[ec][msm]", zkcnn::bn254::G1,
                   zkcnn::bls12_381::G1) {
  // k P = k1 P + k2 phi(P) with halves of 128 bits (GLV inside the bucket method): random
  // scalars, and the ones whose split is extreme: lambda and -lambda (halves 0 and +-1), -1,
  // (r - 1) / 2 (the largest magnitude), zero; points equal, opposite and at infinity. The
  // reference multiplies by plain double-and-add (mul_le_bytes), not through the endomorphism,
  // so a beta paired with the wrong lambda would show.
  using G = TestType;
  using F = typename G::Scalar;
  std::mt19937_64 rng(0x676c76);
  const F lambda = zkcnn::detail::ec::field_from_hex<F>(G::Parameters::glv.lambda);
  for (std::size_t n : {1u, 5u, 64u, 700u, 3000u}) {
    CAPTURE(n);
    REQUIRE(zkcnn::detail::endomorphism_pays(n, F::modulus_bits - 1));
    auto points = random_points<G>(n, rng);
    auto scalars = make_scalars<F>(n, ScalarKind::random, rng);
    const F special[] = {lambda, -lambda, -F::one(), -F::one() * zkcnn::one_half<F>(), F::zero(), F::one()};
    for (std::size_t i = 0; i < n && i < std::size(special); ++i) scalars[i] = special[i];
    if (n > 8) {
      points[7] = points[6];   // equal points, equal scalars
      scalars[7] = scalars[6];
      points[8] = -points[6];  // opposite
    }
    G expected = G::identity();
    for (std::size_t i = 0; i < n; ++i) expected = expected + points[i].mul_le_bytes(scalars[i].to_bytes());
    CHECK(zkcnn::msm<G>(std::span<const G>(points), std::span<const F>(scalars), 1) == expected);
    CHECK(zkcnn::msm<G>(std::span<const G>(points), std::span<const F>(scalars), 2) == expected);
  }
}

TEST_CASE("msm: the generic bucket path agrees with the affine one", "[ec][msm]") {
  using F = zkcnn::bn254::Fr;
  std::mt19937_64 rng(0x6d7370);
  const auto points = random_points<zkcnn::bn254::G1>(100, rng);
  const auto scalars = make_scalars<F>(points.size(), ScalarKind::random, rng);
  std::vector<GenericBn254> generic(points.begin(), points.end());
  const GenericBn254 result = zkcnn::msm(generic, scalars);
  CHECK(zkcnn::bn254::G1(result) == zkcnn::msm(points, scalars));
}

TEST_CASE("msm rejects mismatched lengths", "[ec][msm]") {
  using G = zkcnn::bn254::G1;
  std::vector<G> points(3, G::generator());
  std::vector<G::Scalar> scalars(2, G::Scalar::one());
  CHECK_THROWS_AS(zkcnn::msm(points, scalars), std::invalid_argument);
}

TEMPLATE_TEST_CASE("msm: equal, opposite and identity points sharing buckets", "[ec][msm]", zkcnn::bn254::G1,
                   zkcnn::bls12_381::G1) {
  // Batched affine additions must handle doublings (P + P), cancellations (P + -P) and
  // identities inside one bucket: equal scalars put these pairs side by side.
  using G = TestType;
  using F = zkcnn::scalar_of<G>;
  std::mt19937_64 rng(0x6d7371);
  const G p = G::hash_to_group("msm test", 0);
  const G q = G::hash_to_group("msm test", 1);
  for (const F& scalar : {F::one(), F::from_u64(5), -F::from_u64(3), F::random(rng)}) {
    std::vector<G> points{p, p, -p, p, q, q, G::identity(), q, -q, -q, p.doubled(), p};
    std::vector<F> scalars(points.size(), scalar);
    CHECK(zkcnn::msm(points, scalars) == naive_msm(points, scalars));
    // Opposite scalars on equal points cancel inside a bucket too.
    for (std::size_t i = 0; i < scalars.size(); i += 2) scalars[i] = -scalar;
    CHECK(zkcnn::msm(points, scalars) == naive_msm(points, scalars));
  }
}
