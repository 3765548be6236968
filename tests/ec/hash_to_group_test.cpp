// hash_to_group: deterministic, distinct across indices and domains, in the prime-order
// subgroup, never the identity; the attempt structure of try-and-increment.

#include <catch2/catch.hpp>

#include <array>
#include <set>
#include <string>
#include <vector>

#include "ec/ec_test_support.hpp"

namespace {

TEMPLATE_TEST_CASE("hash_to_group is deterministic and lands in the subgroup", "[ec][hash]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  std::set<std::vector<std::uint8_t>> seen;
  const G g = G::generator();
  for (std::uint64_t index = 0; index < 24; ++index) {
    const G p = G::hash_to_group("zkcnn test", index);
    CHECK(p == G::hash_to_group("zkcnn test", index));
    CHECK(!p.is_identity());
    CHECK(p.is_on_curve());
    CHECK(p.is_in_prime_subgroup());
    if (index < 6) CHECK(p.is_in_prime_subgroup_generic());
    CHECK(p != g);
    CHECK(p != -g);
    const auto bytes = p.encode();
    CHECK(seen.insert(std::vector<std::uint8_t>(bytes.begin(), bytes.end())).second);
  }
}

TEMPLATE_TEST_CASE("hash_to_group separates domains", "[ec][hash]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  // Length-prefixed framing: ("ab", 0) differs from ("a", 0) and from every other domain here.
  const std::array<std::string, 7> domains{"", "a", "ab", "abc", "zkcnn test", "zkcnn test ", std::string("\0", 1)};
  std::set<std::vector<std::uint8_t>> seen;
  for (const auto& domain : domains) {
    for (std::uint64_t index : {std::uint64_t{0}, std::uint64_t{1}, ~std::uint64_t{0}}) {
      const auto bytes = G::hash_to_group(domain, index).encode();
      CHECK(seen.insert(std::vector<std::uint8_t>(bytes.begin(), bytes.end())).second);
    }
  }
  CHECK(seen.size() == domains.size() * 3);
}

TEMPLATE_TEST_CASE("hash_to_group is the first successful attempt", "[ec][hash]", ZKCNN_TEST_ALL_GROUPS) {
  using G = TestType;
  int failures = 0;
  int attempts = 0;
  for (std::uint64_t index = 0; index < 16; ++index) {
    const G p = G::hash_to_group("attempts", index);
    for (std::uint64_t counter = 0;; ++counter) {
      ++attempts;
      const auto attempt = G::hash_to_group_attempt("attempts", index, counter);
      if (attempt) {
        CHECK(*attempt == p);
        break;
      }
      ++failures;
      REQUIRE(counter < 64);
    }
  }
  // About half the attempts fail (x^3 + a x + b is a square for about half of all x).
  CHECK(failures > 0);
  CHECK(failures < attempts);
}

TEST_CASE("hash_to_group outputs have unrelated small multiples", "[ec][hash]") {
  // A sanity check against a degenerate construction (e.g. H(i) = [i]G): no small relation
  // [a]H(0) = [b]H(1) or H(i) = [k]G for small a, b, k.
  using G = zkcnn::bn254::G1;
  const G h0 = G::hash_to_group("relations", 0);
  const G h1 = G::hash_to_group("relations", 1);
  G multiple_g = G::identity();
  for (std::uint64_t k = 1; k <= 32; ++k) {
    multiple_g += G::generator();
    CHECK(h0 != multiple_g);
    CHECK(h0 != -multiple_g);
    CHECK(h1 != multiple_g);
    for (std::uint64_t j = 1; j <= 8; ++j) CHECK(h0.mul_u64(k) != h1.mul_u64(j));
  }
}

}  // namespace
