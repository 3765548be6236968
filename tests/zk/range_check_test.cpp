// The auxiliary witness's range check and opening (zk/range_check.hpp): honest digits,
// multiplicities and claims verify; a digit outside its width (looked up in another width's
// part of the table, or not an integer at all), wrong multiplicities, a false claim, and every
// changed element of the proof are rejected; the encoding round trips and fails cleanly on
// truncated or random bytes.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/nn/digits.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>
#include <zkcnn/zk/range_check.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace {

using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;
using F = Pcs::Scalar;
using Claims = std::vector<zkcnn::EvaluationClaim<F>>;
using zkcnn::nn::DigitLayout;
using zkcnn::zk::BlockLayout;
using zkcnn::zk::RangeCheckLayout;

const Pcs& pcs() {
  static const Pcs scheme("zkcnn range check test", 4);
  return scheme;
}

// Two digit tables of different shapes and the multiplicities, digits of at most 3 bits.
struct Setup {
  static constexpr std::size_t digit_bits = 3;
  DigitLayout first{{3, 2}, digit_bits};  // widths 3, 2 | 2: 3 digits in 4 rows
  DigitLayout second{{5}, digit_bits};    // widths 3, 2
  BlockLayout layout{{4 + first.row_vars(), 3 + second.row_vars(), RangeCheckLayout::table_vars(digit_bits)}};
  // The second table's columns are a tensor of 5 entries padded to 8, whose padding holds the
  // value 9: only the first 5 columns are looked up.
  static constexpr std::uint64_t padding_value = 9;
  RangeCheckLayout range{
      digit_bits, {{0, first, 4}, {1, second, 3, zkcnn::nn::TensorShape{5}, second.digits_of(padding_value)}}, 2};

  std::vector<F> witness(zkcnn::testing::DeterministicRng& rng) const {
    std::vector<F> aux(layout.size(), F::zero());
    auto place = [&](std::size_t block, const DigitLayout& digits, std::size_t column_vars) {
      std::vector<F> values;
      for (std::size_t x = 0; x < (std::size_t{1} << column_vars); ++x) {
        const bool padding = block == 1 && x >= 5;
        values.push_back(F::from_u64(padding ? padding_value : rng() % (std::uint64_t{1} << digits.total_bits())));
      }
      const auto table = zkcnn::nn::digit_table(digits, std::span<const F>(values), column_vars, 0).value();
      layout.place(block, std::span<const F>(table), std::span<F>(aux));
    };
    place(0, first, 4);
    place(1, second, 3);
    const auto multiplicities = range.multiplicities(layout, std::span<const F>(aux));
    layout.place(2, std::span<const F>(multiplicities), std::span<F>(aux));
    return aux;
  }

  // Claims as the layers make them: on a block, at a random point of its variables.
  Claims claims_on(const std::vector<F>& aux, zkcnn::testing::DeterministicRng& rng) const {
    Claims claims;
    for (std::size_t block : {0, 1, 0}) {
      std::vector<F> point(layout.block_num_vars(block));
      for (auto& c : point) c = F::random(rng);
      const auto begin = aux.begin() + static_cast<std::ptrdiff_t>(layout.offset(block));
      const F value = zkcnn::evaluate_multilinear(std::span<const F>(&*begin, std::size_t{1} << point.size()),
                                                  std::span<const F>(point));
      claims.push_back({layout.embed(block, std::span<const F>(point)), value});
    }
    return claims;
  }
};

struct Proven {
  zkcnn::HyraxCommitment<zkcnn::bn254::G1> commitment;
  Claims claims;
  zkcnn::zk::RangeCheckProof<Pcs> proof;
};

Proven prove(const Setup& s, const std::vector<F>& aux, zkcnn::testing::DeterministicRng& rng) {
  auto [commitment, opening] = pcs().commit(std::span<const F>(aux), s.layout.num_vars(), rng);
  Claims claims = s.claims_on(aux, rng);
  zkcnn::Sha256Transcript t("range check test");
  auto proof = zkcnn::zk::prove_range_check(pcs(), s.layout, s.range, std::span<const F>(aux), std::span<const F>(aux),
                                            opening, commitment, claims, t, rng);
  return {std::move(commitment), std::move(claims), std::move(proof)};
}

bool verifies(const Setup& s, const Proven& p) {
  zkcnn::Sha256Transcript t("range check test");
  return static_cast<bool>(zkcnn::zk::verify_range_check(pcs(), s.layout, s.range, p.commitment, p.claims, p.proof, t));
}

TEST_CASE("range check: honest digits verify, every changed element is rejected", "[zk]") {
  const Setup s;
  zkcnn::testing::DeterministicRng rng(61);
  const auto aux = s.witness(rng);
  const Proven honest = prove(s, aux, rng);
  CHECK(verifies(s, honest));

  SECTION("a false claim") {
    for (std::size_t k = 0; k < honest.claims.size(); ++k) {
      auto wrong = honest;
      wrong.claims[k].value += F::one();
      CHECK_FALSE(verifies(s, wrong));
    }
  }
  SECTION("every element of the lookup and every block value") {
    for (std::size_t i = 0; i < 4; ++i) {
      auto tampered = honest;
      tampered.proof.lookup.top[i] += F::one();
      CHECK_FALSE(verifies(s, tampered));
    }
    for (std::size_t level = 0; level < honest.proof.lookup.levels.size(); ++level) {
      const auto& step = honest.proof.lookup.levels[level];
      for (std::size_t round = 0; round < step.sumcheck.round_messages.size(); ++round) {
        for (std::size_t i = 0; i < step.sumcheck.round_messages[round].size(); ++i) {
          auto tampered = honest;
          tampered.proof.lookup.levels[level].sumcheck.round_messages[round][i] += F::one();
          CHECK_FALSE(verifies(s, tampered));
        }
      }
      for (std::size_t i = 0; i < step.evaluations.size(); ++i) {
        auto tampered = honest;
        tampered.proof.lookup.levels[level].evaluations[i] += F::one();
        CHECK_FALSE(verifies(s, tampered));
      }
    }
    for (std::size_t k = 0; k < honest.proof.block_values.size(); ++k) {
      auto tampered = honest;
      tampered.proof.block_values[k] += F::one();
      CHECK_FALSE(verifies(s, tampered));
    }
  }
  SECTION("encoding: round trip, every byte of the opening, truncation and random bytes") {
    zkcnn::io::ByteWriter out;
    zkcnn::zk::write_range_check(out, honest.proof);
    const auto bytes = std::move(out).take();
    auto decode = [&](std::span<const std::uint8_t> b) {
      zkcnn::io::ByteReader in(b);
      auto proof = zkcnn::zk::read_range_check<Pcs>(in, s.layout, s.range);
      if (proof && in.remaining() != 0) return decltype(proof)(zkcnn::make_error(zkcnn::Errc::invalid_encoding, "trailing"));
      return proof;
    };
    const auto decoded = decode(bytes);
    REQUIRE(decoded);
    Proven round_trip = honest;
    round_trip.proof = *decoded;
    CHECK(verifies(s, round_trip));
    // The batch opening is the last part of the encoding: change each of its bytes.
    const std::size_t opening_bytes = Pcs::encode_batch_proof(honest.proof.opening).size();
    for (std::size_t i = bytes.size() - opening_bytes; i < bytes.size(); i += 7) {
      auto changed = bytes;
      changed[i] ^= 0x01;
      const auto tampered_proof = decode(changed);
      if (!tampered_proof) continue;  // rejected by the decoder
      Proven tampered = honest;
      tampered.proof = *tampered_proof;
      CHECK_FALSE(verifies(s, tampered));
    }
    for (std::size_t cut : {std::size_t{0}, std::size_t{31}, bytes.size() / 2, bytes.size() - 1}) {
      CHECK_FALSE(decode(std::span<const std::uint8_t>(bytes).first(cut)));
    }
    std::vector<std::uint8_t> noise(bytes.size());
    for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
    CHECK_FALSE(decode(noise));
  }
}

TEST_CASE("range check: digits outside their range and wrong multiplicities are rejected", "[zk]") {
  const Setup s;
  zkcnn::testing::DeterministicRng rng(62);
  const auto aux = s.witness(rng);
  const std::size_t multiplicities = s.layout.offset(2);
  // Row 1 of the first block has width 2; its first entry is a digit in [0, 4).
  const std::size_t entry = s.layout.offset(0) + 16;
  const auto digit = static_cast<std::size_t>(*zkcnn::nn::to_small_integer(aux[entry]));

  SECTION("a width-2 digit of 4, counted as the width-3 entry 4") {
    auto bad = aux;
    bad[entry] = F::from_u64(4);
    bad[multiplicities + RangeCheckLayout::table_index(2, digit)] -= F::one();
    bad[multiplicities + RangeCheckLayout::table_index(3, 4)] += F::one();
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
  SECTION("a digit that is not an integer: -1") {
    auto bad = aux;
    bad[entry] = -F::one();
    bad[multiplicities + RangeCheckLayout::table_index(2, digit)] -= F::one();
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
  SECTION("a padding row with a non-zero entry") {
    auto bad = aux;
    bad[s.layout.offset(0) + 3 * 16 + 5] = F::one();
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
  SECTION("a digit of a real column of the second table outside its range") {
    auto bad = aux;
    const std::size_t real = s.layout.offset(1) + 8 + 4;  // row 1 (width 2), column 4
    const auto old_digit = static_cast<std::size_t>(*zkcnn::nn::to_small_integer(bad[real]));
    bad[real] = F::from_u64(7);
    bad[multiplicities + RangeCheckLayout::table_index(2, old_digit)] -= F::one();
    bad[multiplicities + RangeCheckLayout::table_index(3, 7)] += F::one();
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
  SECTION("digits in padding columns are not looked up, whatever they hold") {
    auto other = aux;
    other[s.layout.offset(1) + 5] = F::from_u64(1000);  // row 0, column 5
    other[s.layout.offset(1) + 8 + 7] = -F::one();     // row 1, column 7
    CHECK(verifies(s, prove(s, other, rng)));
  }
  SECTION("one multiplicity too many") {
    auto bad = aux;
    bad[multiplicities + RangeCheckLayout::table_index(1, 1)] += F::one();
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
}

}  // namespace
