// Pedersen vector commitments: linearity, the generators (hashed from the domain, distinct,
// never the identity, different across domains and deterministic), hiding and binding sanity
// checks, and the documented precondition on message length.

#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <set>
#include <span>
#include <stdexcept>
#include <vector>

#include <zkcnn/pcs/pedersen.hpp>
#include <zkcnn/random/deterministic_rng.hpp>

#include "pcs/pcs_test_support.hpp"

namespace {

using zkcnn::group_traits;
using zkcnn::PedersenKey;
using zkcnn::scalar_of;
using zkcnn::pcs_testing::random_vector;

template <class G>
std::vector<std::array<std::uint8_t, G::encoded_size>> all_generators(const PedersenKey<G>& key) {
  std::vector<std::array<std::uint8_t, G::encoded_size>> out;
  for (const G& g : key.generators()) out.push_back(g.encode());
  out.push_back(key.blinding_generator().encode());
  out.push_back(key.value_generator().encode());
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("Pedersen commitments are linear", "[pcs][pedersen]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x5045444552534e31ull);
  const PedersenKey<G> key("pedersen test", 16);
  for (std::size_t length : {0, 1, 5, 16}) {
    CAPTURE(length);
    const auto a = random_vector<F>(length, rng);
    const auto b = random_vector<F>(length, rng);
    const F r = F::random(rng);
    const F s = F::random(rng);
    std::vector<F> sum(length);
    for (std::size_t i = 0; i < length; ++i) sum[i] = a[i] + b[i];
    const G lhs = key.commit(a, r) + key.commit(b, s);
    CHECK(lhs == key.commit(sum, r + s));

    // Scaling: k * commit(a, r) == commit(k a, k r).
    const F k = F::random(rng);
    std::vector<F> scaled(length);
    for (std::size_t i = 0; i < length; ++i) scaled[i] = k * a[i];
    CHECK(key.commit(a, r) * k == key.commit(scaled, k * r));

    // Against the definition.
    G expected = key.blinding_generator() * r;
    for (std::size_t i = 0; i < length; ++i) expected = expected + key.generators()[i] * a[i];
    CHECK(key.commit(a, r) == expected);
  }
}

TEMPLATE_TEST_CASE("Pedersen generators are distinct, non-trivial and domain-bound", "[pcs][pedersen]",
                   ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  const PedersenKey<G> key("pedersen test", 32);
  REQUIRE(key.size() == 32);
  CHECK(key.domain() == "pedersen test");
  const auto encodings = all_generators(key);
  for (const G& g : key.generators()) CHECK_FALSE(g.is_identity());
  CHECK_FALSE(key.blinding_generator().is_identity());
  CHECK_FALSE(key.value_generator().is_identity());
  // None is the group's standard generator (whose discrete logarithm relative to the others
  // would then be known to be 1 for anybody building a second key the same way).
  for (const auto& e : encodings) CHECK(e != G::generator().encode());
  const std::set<std::array<std::uint8_t, G::encoded_size>> distinct(encodings.begin(), encodings.end());
  CHECK(distinct.size() == encodings.size());

  // Deterministic in the domain, and a shorter key is a prefix of a longer one.
  const PedersenKey<G> same("pedersen test", 8);
  for (std::size_t i = 0; i < 8; ++i) CHECK(same.generators()[i] == key.generators()[i]);
  CHECK(same.blinding_generator() == key.blinding_generator());
  CHECK(same.value_generator() == key.value_generator());
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(key.generators()[i] == G::hash_to_group("pedersen test/message", i));
  }

  // Another domain shares no generator with this one.
  const PedersenKey<G> other("pedersen test 2", 32);
  const auto other_encodings = all_generators(other);
  for (const auto& e : other_encodings) CHECK(distinct.count(e) == 0);
}

TEMPLATE_TEST_CASE("Pedersen commitments hide and bind (sanity)", "[pcs][pedersen]", ZKCNN_TEST_PCS_GROUPS) {
  using G = TestType;
  using F = scalar_of<G>;
  zkcnn::testing::DeterministicRng rng(0x5045444552534e32ull);
  const PedersenKey<G> key("pedersen test", 8);
  const auto m = random_vector<F>(8, rng);
  // Same message, fresh blinds: different commitments.
  CHECK(key.commit(m, F::random(rng)) != key.commit(m, F::random(rng)));
  // Different messages, same blind: different commitments (each position matters).
  const F r = F::random(rng);
  const G c = key.commit(m, r);
  for (std::size_t i = 0; i < m.size(); ++i) {
    auto changed = m;
    changed[i] += F::one();
    CHECK(key.commit(changed, r) != c);
  }
  // A zero message with a zero blind commits to the identity; a shorter message is the same
  // as one padded with zeros.
  CHECK(key.commit(std::vector<F>(8, F::zero()), F::zero()).is_identity());
  std::vector<F> padded(m.begin(), m.begin() + 5);
  padded.resize(8, F::zero());
  CHECK(key.commit(std::span<const F>(m).first(5), r) == key.commit(padded, r));
}

TEST_CASE("Pedersen commit rejects a message longer than the key", "[pcs][pedersen]") {
  using G = zkcnn::bn254::G1;
  using F = scalar_of<G>;
  const PedersenKey<G> key("pedersen test", 4);
  const std::vector<F> message(5, F::one());
  CHECK_THROWS_AS(key.commit(message, F::zero()), std::invalid_argument);
}
