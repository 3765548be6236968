// Merkle trees (pcs/merkle.hpp): roots against an independent computation, openings of every
// shape of leaf set, and rejection of every tampered or malformed opening.
#include <zkcnn/pcs/merkle.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using zkcnn::Errc;
using zkcnn::merkle::Digest;

std::vector<Digest> leaves_of(std::size_t count) {
  std::vector<Digest> leaves;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t byte = static_cast<std::uint8_t>(i);
    leaves.push_back(zkcnn::merkle::hash_leaf(std::span<const std::uint8_t>(&byte, 1)));
  }
  return leaves;
}

std::vector<Digest> digests_at(const std::vector<Digest>& leaves, const std::vector<std::size_t>& indices) {
  std::vector<Digest> out;
  for (std::size_t i : indices) out.push_back(leaves[i]);
  return out;
}

std::vector<std::size_t> random_subset(std::size_t count, std::size_t size, std::mt19937_64& rng) {
  std::vector<std::size_t> all(count);
  for (std::size_t i = 0; i < count; ++i) all[i] = i;
  std::shuffle(all.begin(), all.end(), rng);
  all.resize(size);
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace

TEST_CASE("merkle root matches an independent computation", "[merkle]") {
  // Python: H = sha256; l_i = H(b'\x00' + bytes([i])); root = H(b'\x01' + H(b'\x01' + l0 + l1) +
  // H(b'\x01' + l2 + l3)).
  const zkcnn::merkle::Tree tree(leaves_of(4));
  std::string hex;
  for (std::uint8_t b : tree.root()) {
    static constexpr char digits[] = "0123456789abcdef";
    hex += digits[b >> 4];
    hex += digits[b & 15];
  }
  CHECK(hex == "9bcd51240af4005168f033121ba85be5a6ed4f0e6a5fac262066729b8fbfdecb");
  // A one-leaf tree's root is its leaf, and its openings carry no digest.
  const auto one = leaves_of(1);
  const zkcnn::merkle::Tree single(one);
  CHECK(single.root() == one[0]);
  const std::vector<std::size_t> first{0};
  CHECK(single.open(first).empty());
  CHECK(zkcnn::merkle::verify_opening(single.root(), 1, first, one, {}));
}

TEST_CASE("merkle openings of every shape verify and have the announced size", "[merkle]") {
  std::mt19937_64 rng(7);
  for (std::size_t log_count = 0; log_count <= 10; ++log_count) {
    const std::size_t count = std::size_t{1} << log_count;
    const auto leaves = leaves_of(count);
    const zkcnn::merkle::Tree tree(leaves);
    for (std::size_t size : {std::size_t{1}, std::size_t{2}, count / 3 + 1, count}) {
      if (size > count) continue;
      INFO("leaves " << count << ", opened " << size);
      const auto indices = random_subset(count, size, rng);
      const auto opening = tree.open(indices);
      CHECK(opening.size() == zkcnn::merkle::opening_size(indices, count));
      CHECK(zkcnn::merkle::verify_opening(tree.root(), count, indices, digests_at(leaves, indices), opening));
      if (size == count) CHECK(opening.empty());
      if (size == 1) CHECK(opening.size() == log_count);
    }
  }
}

TEST_CASE("merkle openings reject tampering and malformed shapes", "[merkle]") {
  std::mt19937_64 rng(11);
  const std::size_t count = 256;
  const auto leaves = leaves_of(count);
  const zkcnn::merkle::Tree tree(leaves);
  const auto indices = random_subset(count, 9, rng);
  const auto opened = digests_at(leaves, indices);
  const auto opening = tree.open(indices);
  REQUIRE(zkcnn::merkle::verify_opening(tree.root(), count, indices, opened, opening));

  for (std::size_t k = 0; k < opening.size(); ++k) {
    auto tampered = opening;
    tampered[k][k % 32] ^= 1;
    const auto status = zkcnn::merkle::verify_opening(tree.root(), count, indices, opened, tampered);
    REQUIRE_FALSE(status);
    CHECK(status.error().code == Errc::verification_failed);
  }
  for (std::size_t k = 0; k < opened.size(); ++k) {
    auto tampered = opened;
    tampered[k][31] ^= 0x80;
    CHECK_FALSE(zkcnn::merkle::verify_opening(tree.root(), count, indices, tampered, opening));
    // The right digest claimed at another position.
    auto moved = indices;
    moved[k] = moved[k] ^ 1;
    std::vector<std::size_t> sorted = moved;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end() && sorted == moved) {
      CHECK_FALSE(zkcnn::merkle::verify_opening(tree.root(), count, moved, opened, opening));
    }
  }
  auto root = tree.root();
  root[0] ^= 1;
  CHECK_FALSE(zkcnn::merkle::verify_opening(root, count, indices, opened, opening));

  // Shapes: a digest missing or to spare, indices out of order, repeated or out of range,
  // counts that disagree, a width that is not a power of two.
  const auto code = [&](std::span<const std::size_t> ix, std::span<const Digest> lv, std::span<const Digest> op,
                        std::size_t width) {
    const auto status = zkcnn::merkle::verify_opening(tree.root(), width, ix, lv, op);
    REQUIRE_FALSE(status);
    return status.error().code;
  };
  auto shorter = opening;
  shorter.pop_back();
  CHECK(code(indices, opened, shorter, count) == Errc::malformed_proof);
  auto longer = opening;
  longer.push_back(opening.front());
  CHECK(code(indices, opened, longer, count) == Errc::malformed_proof);
  auto unordered = indices;
  std::swap(unordered[0], unordered[1]);
  CHECK(code(unordered, opened, opening, count) == Errc::malformed_proof);
  auto repeated = indices;
  repeated[1] = repeated[0];
  CHECK(code(repeated, opened, opening, count) == Errc::malformed_proof);
  auto beyond = indices;
  beyond.back() = count;
  CHECK(code(beyond, opened, opening, count) == Errc::malformed_proof);
  CHECK(code(std::span(indices).first(3), opened, opening, count) == Errc::malformed_proof);
  CHECK(code({}, {}, opening, count) == Errc::malformed_proof);
  CHECK(code(indices, opened, opening, 255) == Errc::invalid_argument);
  CHECK(code(indices, opened, opening, 0) == Errc::invalid_argument);
}
