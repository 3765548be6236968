// The Fiat-Shamir transcript (docs/protocol.md section 9): determinism, unambiguous framing (every
// difference in the history changes the challenges), squeezing, forking, and a known-answer test
// checked against an independent Python re-implementation of the framing.

#include <zkcnn/concepts/hash.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/transcript/sha256.hpp>
#include <zkcnn/transcript/transcript.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/sumcheck_test_support.hpp"

namespace {

using zkcnn::Sha256Transcript;
using zkcnn::bn254::Fr;
using zkcnn_sumcheck_test::as_bytes;
using zkcnn_sumcheck_test::to_hex;

static_assert(zkcnn::Hash<zkcnn::Sha256>);
static_assert(zkcnn::Transcript<Sha256Transcript>);

template <class F>
std::string str(const F& x) {
  std::ostringstream os;
  os << x;
  return os.str();
}

std::string digest_hex(const Sha256Transcript& t) {
  const auto d = t.state_digest();
  return to_hex(d);
}

std::vector<std::uint8_t> squeeze(Sha256Transcript& t, std::string_view label, std::size_t n) {
  std::vector<std::uint8_t> out(n);
  t.squeeze_bytes(label, out);
  return out;
}

/// The next Fr challenge of a copy (the transcript itself is left alone).
Fr peek_challenge(const Sha256Transcript& t, std::string_view label = "c") {
  Sha256Transcript copy = t;
  return copy.challenge<Fr>(label);
}

}  // namespace

TEST_CASE("transcript: identical operations give identical challenges", "[transcript]") {
  auto run = [] {
    Sha256Transcript t("zkcnn transcript test");
    t.absorb_bytes("statement", as_bytes("some statement"));
    t.absorb_u64("n", 42);
    t.absorb_field("x", Fr::from_u64(7));
    std::vector<std::string> out;
    out.push_back(str(t.challenge<Fr>("r1")));
    t.absorb_field("y", zkcnn::GoldilocksExt2::from_u64(9));
    out.push_back(str(t.challenge<zkcnn::GoldilocksExt2>("r2")));
    out.push_back(to_hex(squeeze(t, "bytes", 77)));
    out.push_back(digest_hex(t));
    return out;
  };
  const auto a = run();
  const auto b = run();
  CHECK(a == b);
}

TEST_CASE("transcript: every difference in the history changes the challenge", "[transcript][framing]") {
  using Setup = std::function<void(Sha256Transcript&)>;
  const Fr a = Fr::from_u64(1234);
  const Fr b = Fr::from_u64(5678);
  const std::array<Fr, 2> ab{a, b};

  // Each variant builds a transcript; all must lead to different next challenges.
  std::vector<std::pair<std::string, std::pair<std::string, Setup>>> variants{
      {"base", {"D", [](auto& t) { t.absorb_bytes("a", as_bytes("xyz")); t.absorb_bytes("b", as_bytes("uvw")); }}},
      {"other domain", {"E", [](auto& t) { t.absorb_bytes("a", as_bytes("xyz")); t.absorb_bytes("b", as_bytes("uvw")); }}},
      {"longer domain", {"D ", [](auto& t) { t.absorb_bytes("a", as_bytes("xyz")); t.absorb_bytes("b", as_bytes("uvw")); }}},
      {"other label", {"D", [](auto& t) { t.absorb_bytes("A", as_bytes("xyz")); t.absorb_bytes("b", as_bytes("uvw")); }}},
      {"other data", {"D", [](auto& t) { t.absorb_bytes("a", as_bytes("xyZ")); t.absorb_bytes("b", as_bytes("uvw")); }}},
      {"swapped order", {"D", [](auto& t) { t.absorb_bytes("b", as_bytes("uvw")); t.absorb_bytes("a", as_bytes("xyz")); }}},
      {"data split in two absorbs",
       {"D", [](auto& t) {
          t.absorb_bytes("a", as_bytes("xy"));
          t.absorb_bytes("a", as_bytes("z"));
          t.absorb_bytes("b", as_bytes("uvw"));
        }}},
      {"label/data boundary moved",
       {"D", [](auto& t) { t.absorb_bytes("ax", as_bytes("yz")); t.absorb_bytes("b", as_bytes("uvw")); }}},
      {"data moved across absorbs",
       {"D", [](auto& t) { t.absorb_bytes("a", as_bytes("xyzu")); t.absorb_bytes("b", as_bytes("vw")); }}},
      {"extra empty absorb",
       {"D", [](auto& t) {
          t.absorb_bytes("a", as_bytes("xyz"));
          t.absorb_bytes("b", as_bytes("uvw"));
          t.absorb_bytes("", {});
        }}},
      {"absorb moved into the domain", {"Dxyz", [](auto& t) { t.absorb_bytes("b", as_bytes("uvw")); }}},
      {"squeeze in between",
       {"D", [](auto& t) {
          t.absorb_bytes("a", as_bytes("xyz"));
          std::array<std::uint8_t, 1> sink{};
          t.squeeze_bytes("c", sink);
          t.absorb_bytes("b", as_bytes("uvw"));
        }}},
      {"fork instead of absorb",
       {"D", [](auto& t) {
          t.absorb_bytes("a", as_bytes("xyz"));
          t.absorb_bytes("b", as_bytes("uvw"));
          t = t.fork("");
        }}},
      {"fields as one message", {"D", [=](auto& t) { t.template absorb_fields<Fr>("f", ab); }}},
      {"fields one by one",
       {"D", [=](auto& t) {
          t.absorb_field("f", a);
          t.absorb_field("f", b);
        }}},
      {"fields in the other order", {"D", [=](auto& t) { t.template absorb_fields<Fr>("f", std::array<Fr, 2>{b, a}); }}},
      {"one field", {"D", [=](auto& t) { t.absorb_field("f", a); }}},
      {"same bytes, Goldilocks width",
       {"D", [](auto& t) { t.absorb_field("f", zkcnn::Goldilocks::from_u64(1234)); }}},
      {"empty", {"D", [](auto&) {}}},
  };

  std::map<std::string, std::string> seen;  // challenge -> variant name
  for (const auto& [name, variant] : variants) {
    CAPTURE(name);
    Sha256Transcript t(variant.first);
    variant.second(t);
    const std::string challenge = str(peek_challenge(t));
    const std::string digest = digest_hex(t);
    const auto [it, inserted] = seen.emplace(challenge, name);
    CAPTURE(it->second);
    CHECK(inserted);
    CHECK(seen.count(digest) == 0);
    seen.emplace(digest, name + " (digest)");
  }

  // The challenge's own label and length are framed too.
  Sha256Transcript t("D");
  CHECK(peek_challenge(t, "c") != peek_challenge(t, "d"));
  CHECK(peek_challenge(t, "c") != peek_challenge(t, "c "));
}

TEST_CASE("transcript: the documented encodings of u64 and field absorbs", "[transcript][framing]") {
  // absorb_u64 is absorb_bytes of the 8 little-endian bytes; absorb_field of the canonical
  // encoding; absorb_fields of the concatenated encodings (one framed message).
  const Fr a = Fr::from_u64(3);
  const Fr b = -Fr::one();
  const auto ab = std::array<Fr, 2>{a, b};
  std::vector<std::uint8_t> concatenated;
  for (const Fr& x : ab) {
    const auto bytes = x.to_bytes();
    concatenated.insert(concatenated.end(), bytes.begin(), bytes.end());
  }

  Sha256Transcript t1("D"), t2("D");
  t1.absorb_u64("n", 0x0102030405060708ull);
  t2.absorb_bytes("n", std::array<std::uint8_t, 8>{8, 7, 6, 5, 4, 3, 2, 1});
  CHECK(digest_hex(t1) == digest_hex(t2));

  t1.absorb_field("x", b);
  t2.absorb_bytes("x", b.to_bytes());
  CHECK(digest_hex(t1) == digest_hex(t2));

  t1.absorb_fields<Fr>("v", ab);
  t2.absorb_bytes("v", concatenated);
  CHECK(digest_hex(t1) == digest_hex(t2));

  t1.absorb_fields<Fr>("empty", std::span<const Fr>{});
  t2.absorb_bytes("empty", {});
  CHECK(digest_hex(t1) == digest_hex(t2));
}

TEST_CASE("transcript: squeezes of many lengths", "[transcript][squeeze]") {
  Sha256Transcript base("zkcnn squeeze test");
  base.absorb_bytes("m", as_bytes("message"));

  const std::vector<std::size_t> lengths{0, 1, 31, 32, 33, 63, 64, 65, 100, 1000};
  std::vector<std::vector<std::uint8_t>> outputs;
  for (std::size_t n : lengths) {
    CAPTURE(n);
    Sha256Transcript t = base;
    auto out = squeeze(t, "s", n);
    CHECK(out.size() == n);
    // Deterministic.
    Sha256Transcript again = base;
    CHECK(squeeze(again, "s", n) == out);
    // Not degenerate: for n >= 32, no all-zero output, and blocks differ from each other.
    if (n >= 32) CHECK(std::any_of(out.begin(), out.end(), [](std::uint8_t x) { return x != 0; }));
    if (n >= 64) CHECK(!std::equal(out.begin(), out.begin() + 32, out.begin() + 32));
    outputs.push_back(std::move(out));
  }
  // The requested length is framed, so different lengths give unrelated outputs: not even their
  // common prefix agrees (compared over the first 8 bytes, or fewer if shorter).
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    for (std::size_t j = i + 1; j < lengths.size(); ++j) {
      const std::size_t common = std::min<std::size_t>({lengths[i], lengths[j], 8});
      if (common == 0) continue;
      CAPTURE(lengths[i], lengths[j]);
      CHECK(!std::equal(outputs[i].begin(), outputs[i].begin() + static_cast<std::ptrdiff_t>(common),
                        outputs[j].begin()));
    }
  }

  // Successive squeezes (same label, same length) differ: each squeeze enters the state.
  Sha256Transcript t = base;
  std::set<std::vector<std::uint8_t>> successive;
  for (int i = 0; i < 20; ++i) successive.insert(squeeze(t, "s", 32));
  CHECK(successive.size() == 20);
  Sha256Transcript u = base;
  std::set<std::string> fields;
  for (int i = 0; i < 20; ++i) fields.insert(str(u.challenge<Fr>("r")));
  CHECK(fields.size() == 20);

  // A zero-length squeeze still advances the state.
  Sha256Transcript v = base;
  (void)squeeze(v, "s", 0);
  CHECK(digest_hex(v) != digest_hex(base));
}

TEST_CASE("transcript: challenges in bn254::Fr, Goldilocks and GoldilocksExt2", "[transcript][challenge]") {
  Sha256Transcript t("zkcnn challenge test");
  t.absorb_bytes("m", as_bytes("message"));

  // challenge<F> is F::from_uniform_bytes of an F::uniform_bytes-byte squeeze under the label.
  {
    Sha256Transcript x = t, y = t;
    std::array<std::uint8_t, Fr::uniform_bytes> bytes{};
    y.squeeze_bytes("r", bytes);
    CHECK(x.challenge<Fr>("r") == Fr::from_uniform_bytes(bytes));
    CHECK(digest_hex(x) == digest_hex(y));
  }
  {
    Sha256Transcript x = t, y = t;
    std::array<std::uint8_t, zkcnn::GoldilocksExt2::uniform_bytes> bytes{};
    y.squeeze_bytes("r", bytes);
    CHECK(x.challenge<zkcnn::GoldilocksExt2>("r") == zkcnn::GoldilocksExt2::from_uniform_bytes(bytes));
  }

  // Many challenges: all distinct, and extension challenges use both coefficients.
  std::set<std::string> fr, gl, ext;
  std::size_t ext_with_both = 0;
  for (int i = 0; i < 200; ++i) {
    fr.insert(str(t.challenge<Fr>("fr")));
    gl.insert(str(t.challenge<zkcnn::Goldilocks>("gl")));
    const auto e = t.challenge<zkcnn::GoldilocksExt2>("ext");
    ext.insert(str(e));
    const auto c = e.coefficients();
    if (!c[0].is_zero() && !c[1].is_zero()) ++ext_with_both;
  }
  CHECK(fr.size() == 200);
  CHECK(gl.size() == 200);
  CHECK(ext.size() == 200);
  CHECK(ext_with_both == 200);

  // challenges(label, count) is count successive challenge(label) calls.
  Sha256Transcript x = t, y = t;
  const auto batch = x.challenges<zkcnn::GoldilocksExt2>("batch", 5);
  REQUIRE(batch.size() == 5);
  for (std::size_t i = 0; i < 5; ++i) CHECK(batch[i] == y.challenge<zkcnn::GoldilocksExt2>("batch"));
  CHECK(digest_hex(x) == digest_hex(y));
  Sha256Transcript z = t;
  CHECK(z.challenges<Fr>("none", 0).empty());
  CHECK(digest_hex(z) == digest_hex(t));
}

TEST_CASE("transcript: forks are independent of their parent and of each other", "[transcript][fork]") {
  Sha256Transcript parent("zkcnn fork test");
  parent.absorb_bytes("m", as_bytes("message"));
  const Sha256Transcript untouched = parent;

  Sha256Transcript left = parent.fork("left");
  Sha256Transcript left_again = parent.fork("left");
  Sha256Transcript right = parent.fork("right");

  // Forking does not modify the parent: its later challenges are those of a never-forked copy.
  CHECK(digest_hex(parent) == digest_hex(untouched));
  Sha256Transcript reference = untouched;
  CHECK(parent.challenge<Fr>("c") == reference.challenge<Fr>("c"));
  CHECK(digest_hex(parent) == digest_hex(reference));

  // A fork differs from the parent (before and after the parent moves on) and from another label.
  const Fr from_left = peek_challenge(left);
  CHECK(from_left == peek_challenge(left_again));
  CHECK(from_left != peek_challenge(right));
  CHECK(from_left != peek_challenge(untouched));
  CHECK(from_left != peek_challenge(parent));
  CHECK(digest_hex(left) != digest_hex(untouched));

  // A fork is not an absorb of its label with empty data.
  Sha256Transcript absorbed = untouched;
  absorbed.absorb_bytes("left", {});
  CHECK(from_left != peek_challenge(absorbed));

  // Activity in a fork never reaches the parent.
  left.absorb_bytes("child", as_bytes("data"));
  (void)left.challenge<Fr>("c");
  CHECK(digest_hex(parent) == digest_hex(reference));
}

TEST_CASE("transcript: state_digest", "[transcript]") {
  Sha256Transcript a("zkcnn digest test");
  Sha256Transcript b("zkcnn digest test");
  CHECK(digest_hex(a) == digest_hex(b));
  CHECK(digest_hex(a) != digest_hex(Sha256Transcript("zkcnn digest test 2")));

  a.absorb_bytes("x", as_bytes("1"));
  CHECK(digest_hex(a) != digest_hex(b));
  b.absorb_bytes("x", as_bytes("1"));
  CHECK(digest_hex(a) == digest_hex(b));

  // Taking the digest does not change the state.
  const auto before = digest_hex(a);
  CHECK(digest_hex(a) == before);
  CHECK(a.challenge<Fr>("r") == b.challenge<Fr>("r"));
  CHECK(digest_hex(a) == digest_hex(b));
  CHECK(digest_hex(a) != before);
}

TEST_CASE("transcript: known-answer test against an independent implementation", "[transcript][kat]") {
  // Expected values computed with Python's hashlib from the framing documented in
  // transcript.hpp, independently of this library:
  //
  //   import hashlib, struct
  //   r = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001
  //   p = 2**64 - 2**32 + 1
  //   u64 = lambda n: struct.pack('<Q', n)
  //   frame = lambda op, label, data: bytes([op]) + u64(len(label)) + label + u64(len(data)) + data
  //   st = frame(1, b"zkcnn transcript v1", b"zkcnn test") + frame(2, b"msg", b"abc")
  //   def squeeze(label, n):
  //       global st
  //       st += frame(3, label, u64(n))
  //       seed = hashlib.sha256(st).digest()
  //       out = b"".join(hashlib.sha256(seed + u64(c)).digest() for c in range((n + 31) // 32))
  //       return out[:n]
  //   fr = int.from_bytes(squeeze(b"challenge", 48), 'little') % r      # Fr: 48 bytes, wide reduction
  //   e = squeeze(b"ext", 48)                                             # Ext2: 24 bytes per coefficient
  //   c0, c1 = int.from_bytes(e[:24], 'little') % p, int.from_bytes(e[24:], 'little') % p
  //   raw = squeeze(b"bytes", 100).hex()
  //   digest = hashlib.sha256(st).hexdigest()
  Sha256Transcript t("zkcnn test");
  t.absorb_bytes("msg", as_bytes("abc"));
  CHECK(str(t.challenge<Fr>("challenge")) == "0x03144c9ac2225d4ddd49e522c15c2992a7d04e1b9184fd24da7a7453688e287f");
  const auto e = t.challenge<zkcnn::GoldilocksExt2>("ext");
  CHECK(e.coefficients()[0].value() == 4894442583502300029ull);
  CHECK(e.coefficients()[1].value() == 1590956601621664997ull);
  CHECK(to_hex(squeeze(t, "bytes", 100)) ==
        "596887f6311d74a3094e0332e030db8aa98cf030829afc16756d242a7a0d874f78e4af8321af03b3714a9f07738dd343079e09a4b6"
        "48e208ed68289b36767ed75f0ddece09a53b5ca4e254ba211fd237ca6326ecfdd640ca09a3e48e3ba70ed46563ba43");
  CHECK(digest_hex(t) == "c12be219fcec589e32e80fa4bfe5448296d26235a11836980c3df08ce0435eff");
  // The fresh transcript's state is SHA-256 of the domain frame alone.
  CHECK(digest_hex(Sha256Transcript("zkcnn test")) ==
        "51c1a4140f95cec0e4e6d314e59507191e272b43c88d11795371b3fee4bc0d56");
}
