#include <zkcnn/transcript/sha256.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using zkcnn::Sha256;

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string to_hex(const Sha256::Digest& d) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * d.size());
  for (std::uint8_t b : d) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

std::string hex_of(std::string_view msg) { return to_hex(Sha256::hash(as_bytes(msg))); }

// Deterministic test message: byte i = (i * mul + add) mod 256.
std::vector<std::uint8_t> pattern(std::size_t n, unsigned mul, unsigned add) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>((i * mul + add) & 0xff);
  return v;
}

constexpr std::string_view msg448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr std::string_view msg896 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopq"
    "rsmnopqrstnopqrstu";

}  // namespace

TEST_CASE("SHA-256 FIPS 180-4 / NIST example vectors", "[sha256]") {
  CHECK(hex_of("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_of(msg448) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(msg896.size() == 112);
  CHECK(hex_of(msg896) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST_CASE("SHA-256 of one million 'a' fed in uneven chunks", "[sha256]") {
  const std::string million(1'000'000, 'a');
  const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

  CHECK(hex_of(million) == expected);

  // Chunk sizes cycle through values that straddle block boundaries in every way.
  const std::size_t chunk_sizes[] = {1, 63, 64, 65, 7, 128, 1000, 0, 3, 4093};
  Sha256 h;
  std::size_t pos = 0;
  for (std::size_t i = 0; pos < million.size(); ++i) {
    const std::size_t n = std::min(chunk_sizes[i % std::size(chunk_sizes)], million.size() - pos);
    h.update(as_bytes(std::string_view(million).substr(pos, n)));
    pos += n;
  }
  CHECK(to_hex(h.finalize()) == expected);
}

TEST_CASE("SHA-256 padding boundaries (55, 56, 63, 64, 65 bytes)", "[sha256]") {
  // Expected values from Python: hashlib.sha256(bytes((i*7+3)&0xff for i in range(n))).hexdigest()
  struct Case {
    std::size_t len;
    std::string_view hex;
  };
  const Case cases[] = {
      {55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
      {56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
      {63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
      {64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
      {65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"},
  };
  for (const auto& c : cases) {
    INFO("length " << c.len);
    const auto msg = pattern(c.len, 7, 3);
    CHECK(to_hex(Sha256::hash(msg)) == c.hex);

    // Byte-at-a-time must agree too (exercises the buffered path).
    Sha256 h;
    for (std::uint8_t b : msg) h.update(std::span<const std::uint8_t>(&b, 1));
    CHECK(to_hex(h.finalize()) == c.hex);
  }
}

TEST_CASE("SHA-256 incremental update split at every position", "[sha256]") {
  // Expected value from Python: hashlib.sha256(bytes((i*31+11)&0xff for i in range(200))).hexdigest()
  const auto msg = pattern(200, 31, 11);
  const std::span<const std::uint8_t> all(msg);
  const auto one_shot = Sha256::hash(all);
  REQUIRE(to_hex(one_shot) == "65a413fd3aaf927ee035bd5edb601841569c6e5a1d2cd1b4df01c49080fc5f83");

  for (std::size_t i = 0; i <= msg.size(); ++i) {
    INFO("split at " << i);
    Sha256 h;
    h.update(all.first(i));
    h.update(all.subspan(i));
    CHECK(h.finalize() == one_shot);
  }

  // Three pieces, two split points at every combination.
  for (std::size_t i = 0; i <= msg.size(); ++i) {
    for (std::size_t j = i; j <= msg.size(); ++j) {
      Sha256 h;
      h.update(all.subspan(0, i));
      h.update(all.subspan(i, j - i));
      h.update(all.subspan(j));
      if (h.finalize() != one_shot) FAIL("split at " << i << " and " << j);
    }
  }
}

TEST_CASE("SHA-256 finalize does not mutate the hasher", "[sha256]") {
  const auto msg = pattern(150, 13, 5);
  const std::span<const std::uint8_t> all(msg);

  for (std::size_t split : {std::size_t{0}, std::size_t{3}, std::size_t{55}, std::size_t{56},
                            std::size_t{64}, std::size_t{100}, std::size_t{150}}) {
    INFO("split at " << split);
    Sha256 h;
    h.update(all.first(split));

    const auto d1 = h.finalize();
    const auto d2 = h.finalize();
    CHECK(d1 == d2);
    CHECK(d1 == Sha256::hash(all.first(split)));

    // Continuing after finalize equals hashing the concatenation.
    h.update(all.subspan(split));
    CHECK(h.finalize() == Sha256::hash(all));
  }
}

TEST_CASE("SHA-256 copies diverge independently", "[sha256]") {
  Sha256 base;
  base.update(as_bytes("common prefix that is longer than one block, so that the forked "
                       "state includes compressed blocks and a partial buffer"));
  const auto base_digest = base.finalize();

  Sha256 left = base;
  Sha256 right = base;
  CHECK(left.finalize() == base_digest);
  CHECK(right.finalize() == base_digest);

  left.update(as_bytes("left"));
  right.update(as_bytes("right"));

  Sha256 expect_left;
  expect_left.update(as_bytes("common prefix that is longer than one block, so that the forked "
                              "state includes compressed blocks and a partial buffer"
                              "left"));
  Sha256 expect_right;
  expect_right.update(as_bytes("common prefix that is longer than one block, so that the forked "
                               "state includes compressed blocks and a partial buffer"
                               "right"));

  CHECK(left.finalize() == expect_left.finalize());
  CHECK(right.finalize() == expect_right.finalize());
  CHECK(left.finalize() != right.finalize());
  CHECK(base.finalize() == base_digest);  // the original is untouched by its copies
}

TEST_CASE("SHA-256 is usable in constant expressions", "[sha256]") {
  constexpr auto d = [] {
    constexpr std::uint8_t abc[] = {'a', 'b', 'c'};
    return Sha256::hash(abc);
  }();
  STATIC_REQUIRE(d[0] == 0xba);
  STATIC_REQUIRE(d[31] == 0xad);
  CHECK(to_hex(d) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
