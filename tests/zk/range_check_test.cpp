// The auxiliary witness's range check and opening (zk/range_check.hpp): honest digits,
// multiplicities and claims verify; a digit outside its width (looked up in another width's
// part of the table, or not an integer at all), wrong multiplicities, a false claim, and every
// changed element of the proof are rejected; the encoding round trips and fails cleanly on
// truncated or random bytes. The same for packed blocks (a key per column), beside single
// digits, where a tuple of digits out of range must fail even when it makes the same integer
// as a tuple in range.

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

// Block `block` of `aux`: the digits of a random integer of the layout's width in each column,
// except columns from `real` on, which hold `padding_value` (the padding of a smaller tensor).
void place_digits(const BlockLayout& layout, std::vector<F>& aux, std::size_t block, const DigitLayout& digits,
                  std::size_t column_vars, std::size_t real, std::uint64_t padding_value,
                  zkcnn::testing::DeterministicRng& rng) {
  std::vector<F> values;
  for (std::size_t x = 0; x < (std::size_t{1} << column_vars); ++x) {
    values.push_back(F::from_u64(x >= real ? padding_value : rng() % (std::uint64_t{1} << digits.total_bits())));
  }
  const auto table = zkcnn::nn::digit_table(digits, std::span<const F>(values), column_vars, 0).value();
  layout.place(block, std::span<const F>(table), std::span<F>(aux));
}

// The multiplicities of the digits in `aux`, in their block.
void place_multiplicities(const BlockLayout& layout, const RangeCheckLayout& range, std::vector<F>& aux) {
  const auto multiplicities = range.multiplicities(layout, std::span<const F>(aux));
  layout.place(range.multiplicity_block, std::span<const F>(multiplicities), std::span<F>(aux));
}

// Claims as the layers make them: on each of `blocks`, at a random point of its variables.
Claims random_claims(const BlockLayout& layout, const std::vector<F>& aux, std::initializer_list<std::size_t> blocks,
                     zkcnn::testing::DeterministicRng& rng) {
  Claims claims;
  for (std::size_t block : blocks) {
    std::vector<F> point(layout.block_num_vars(block));
    for (auto& c : point) c = F::random(rng);
    const auto begin = aux.begin() + static_cast<std::ptrdiff_t>(layout.offset(block));
    const F value = zkcnn::evaluate_multilinear(std::span<const F>(&*begin, std::size_t{1} << point.size()),
                                                std::span<const F>(point));
    claims.push_back({layout.embed(block, std::span<const F>(point)), value});
  }
  return claims;
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
    place_digits(layout, aux, 0, first, 4, 16, 0, rng);
    place_digits(layout, aux, 1, second, 3, 5, padding_value, rng);
    place_multiplicities(layout, range, aux);
    return aux;
  }

  Claims claims_on(const std::vector<F>& aux, zkcnn::testing::DeterministicRng& rng) const {
    return random_claims(layout, aux, {0, 1, 0}, rng);
  }
};

struct Proven {
  zkcnn::HyraxCommitment<zkcnn::bn254::G1> commitment;
  Claims claims;
  zkcnn::zk::RangeCheckProof<Pcs> proof;
};

template <class S>
Proven prove(const S& s, const std::vector<F>& aux, zkcnn::testing::DeterministicRng& rng) {
  auto [commitment, opening] = pcs().commit(std::span<const F>(aux), s.layout.num_vars(), rng);
  Claims claims = s.claims_on(aux, rng);
  zkcnn::Sha256Transcript t("range check test");
  auto proof = zkcnn::zk::prove_range_check(pcs(), s.layout, s.range, std::span<const F>(aux), std::span<const F>(aux),
                                            opening, commitment, claims, t, rng);
  return {std::move(commitment), std::move(claims), std::move(proof)};
}

template <class S>
bool verifies(const S& s, const Proven& p) {
  zkcnn::Sha256Transcript t("range check test");
  return static_cast<bool>(zkcnn::zk::verify_range_check(pcs(), s.layout, s.range, p.commitment, p.claims, p.proof, t));
}

// A false claim, and every element of the lookup and every block value changed.
template <class S>
void check_tampering(const S& s, const Proven& honest) {
  for (std::size_t k = 0; k < honest.claims.size(); ++k) {
    auto wrong = honest;
    wrong.claims[k].value += F::one();
    CHECK_FALSE(verifies(s, wrong));
  }
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

// An honest witness's proof, which verifies, and fails with any element changed.
template <class S>
Proven prove_and_tamper(const S& s, zkcnn::testing::DeterministicRng& rng) {
  const auto aux = s.witness(rng);
  Proven honest = prove(s, aux, rng);
  CHECK(verifies(s, honest));
  check_tampering(s, honest);
  return honest;
}

TEST_CASE("range check: honest digits verify, every changed element is rejected", "[zk]") {
  const Setup s;
  zkcnn::testing::DeterministicRng rng(61);
  const Proven honest = prove_and_tamper(s, rng);

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

// Digits of at most 4 bits in four tables: two packed whole (a key per column), one packed
// after its first row (a single digit, then a key), one of single digits.
struct PackedSetup {
  static constexpr std::size_t digit_bits = 4;
  DigitLayout pair{{3, 1}, digit_bits};       // widths 3, 1: packed
  DigitLayout triple{{2, 1, 1}, digit_bits};  // widths 2, 1, 1 | 0: packed, with its padding row
  DigitLayout single{{6}, digit_bits};        // widths 4, 2: 6 bits, too many for one key
  DigitLayout tail{{4, 2, 1}, digit_bits};    // widths 4 | 2, 1, 0: row 0 single, the rest packed
  // The triple's columns are a tensor of 5 entries padded to 8, whose padding holds 9; the
  // tail's a tensor of 6, whose padding holds 45 (digits 13 | 2, 1, 0).
  static constexpr std::uint64_t padding_value = 9;
  static constexpr std::uint64_t tail_padding_value = 45;
  RangeCheckLayout range = packed_range();
  BlockLayout layout{{4 + pair.row_vars(), 3 + triple.row_vars(), 3 + single.row_vars(), 3 + tail.row_vars(),
                      range.multiplicity_vars()}};

  RangeCheckLayout packed_range() const {
    RangeCheckLayout r{digit_bits,
                       {{0, pair, 4},
                        {1, triple, 3, zkcnn::nn::TensorShape{5}, triple.digits_of(padding_value)},
                        {2, single, 3},
                        {3, tail, 3, zkcnn::nn::TensorShape{6}, tail.digits_of(tail_padding_value)}},
                       4};
    r.pack(zkcnn::zk::Packing::whenever_possible);
    return r;
  }

  std::vector<F> witness(zkcnn::testing::DeterministicRng& rng) const {
    std::vector<F> aux(layout.size(), F::zero());
    place_digits(layout, aux, 0, pair, 4, 16, 0, rng);
    place_digits(layout, aux, 1, triple, 3, 5, padding_value, rng);
    place_digits(layout, aux, 2, single, 3, 8, 0, rng);
    place_digits(layout, aux, 3, tail, 3, 6, tail_padding_value, rng);
    place_multiplicities(layout, range, aux);
    return aux;
  }

  Claims claims_on(const std::vector<F>& aux, zkcnn::testing::DeterministicRng& rng) const {
    return random_claims(layout, aux, {0, 1, 2, 3}, rng);
  }

  // Table entry of a packed block's tuple, given as the integer its packed digits make.
  std::size_t section_entry(std::size_t block, std::uint64_t integer) const {
    return layout.offset(4) + range.sections.at(*range.digit_blocks.at(block).section).offset + integer;
  }
};

TEST_CASE("range check: packing a block only where it saves leaves, one section per layout", "[zk]") {
  const PackedSetup s;
  REQUIRE(s.range.sections.size() == 3);
  CHECK(s.range.first_packed_row(s.range.digit_blocks[0]) == 0);
  CHECK(s.range.first_packed_row(s.range.digit_blocks[1]) == 0);
  CHECK_FALSE(s.range.digit_blocks[2].section);
  CHECK(s.range.first_packed_row(s.range.digit_blocks[3]) == 1);
  // 2^5 single digits' entries, then the sections of 16, 16 and 8 tuples: 72 entries.
  CHECK(s.range.multiplicity_vars() == 7);
  // Keys: 16 + 5 packed, 8 * 2 single, 6 single and 6 packed; the table: 32 + 16 + 16 + 8.
  CHECK(s.range.lookup_leaves() == (16 + 5 + 8 * 2 + 6 + 6) + (32 + 16 + 16 + 8));

  // By default a layout is packed only where its columns save more leaves than its section
  // adds: 16 columns of 2 rows save 16 leaves, as many as the 16 tuples of 4 bits, and 5
  // columns of 4 rows 15; 6 columns of 3 packed rows save 12, more than their 8 tuples.
  RangeCheckLayout by_default = s.range;
  by_default.pack();
  REQUIRE(by_default.sections.size() == 1);
  CHECK(by_default.digit_blocks[3].section);
  CHECK(by_default.multiplicity_vars() == RangeCheckLayout::table_vars(s.digit_bits) + 1);
  RangeCheckLayout wide{s.digit_bits, {{0, s.pair, 5}, {1, s.pair, 4}, {2, s.single, 3}}, 3};
  wide.pack();
  REQUIRE(wide.sections.size() == 1);  // 32 + 16 columns of the same layout share it
  CHECK(wide.digit_blocks[0].section == wide.digit_blocks[1].section);
  CHECK_FALSE(wide.digit_blocks[2].section);

  // Widths 1, 2, 1, 0 (4 bits) are packed whole, though their rows 1.. are the tail's packed
  // rows 2, 1, 0: two sections, each layout packed from its own first row, in either order.
  const DigitLayout narrow{{1, 2, 1}, s.digit_bits};
  for (bool tail_first : {true, false}) {
    RangeCheckLayout both{s.digit_bits, {{0, tail_first ? s.tail : narrow, 4}, {1, tail_first ? narrow : s.tail, 4}}, 2};
    both.pack(zkcnn::zk::Packing::whenever_possible);
    REQUIRE(both.sections.size() == 2);
    const auto& narrow_block = both.digit_blocks[tail_first ? 1 : 0];
    const auto& tail_block = both.digit_blocks[tail_first ? 0 : 1];
    REQUIRE(narrow_block.section);
    REQUIRE(tail_block.section);
    CHECK(narrow_block.section != tail_block.section);
    CHECK(both.first_packed_row(narrow_block) == 0);
    CHECK(both.first_packed_row(tail_block) == 1);
  }
}

TEST_CASE("range check: packed blocks verify, every changed element is rejected", "[zk]") {
  const PackedSetup s;
  zkcnn::testing::DeterministicRng rng(63);
  const Proven honest = prove_and_tamper(s, rng);

  // A layout whose multiplicity block has the unpacked table's size is refused, not misread.
  const BlockLayout unpacked_table{{s.layout.block_num_vars(0), s.layout.block_num_vars(1), s.layout.block_num_vars(2),
                                    s.layout.block_num_vars(3), RangeCheckLayout::table_vars(s.digit_bits)}};
  zkcnn::Sha256Transcript t("range check test");
  const auto refused = zkcnn::zk::verify_range_check(pcs(), unpacked_table, s.range, honest.commitment, honest.claims, honest.proof, t);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == zkcnn::Errc::invalid_argument);
}

TEST_CASE("range check: packed digits outside their range and wrong multiplicities are rejected", "[zk]") {
  const PackedSetup s;
  zkcnn::testing::DeterministicRng rng(64);
  const auto aux = s.witness(rng);
  const std::size_t pair = s.layout.offset(0), triple = s.layout.offset(1);
  auto integer_at = [&](const std::vector<F>& witness, std::size_t begin, const DigitLayout& digits, std::size_t length,
                        std::size_t column) {
    std::uint64_t value = 0;
    for (std::size_t row = 0; row < digits.row_count(); ++row) {
      value += static_cast<std::uint64_t>(*zkcnn::nn::to_small_integer(witness[begin + row * length + column])) << digits.offset(row);
    }
    return value;
  };

  SECTION("a 3-bit digit of 8 with a top digit of 0: the integer of the tuple (0, 1), counted as that tuple") {
    auto bad = aux;
    const std::uint64_t old = integer_at(aux, pair, s.pair, 16, 3);
    bad[pair + 3] = F::from_u64(8);
    bad[pair + 16 + 3] = F::zero();
    bad[s.section_entry(0, old)] -= F::one();
    bad[s.section_entry(0, 8)] += F::one();
    CHECK_THROWS_AS(s.range.multiplicities(s.layout, std::span<const F>(bad)), std::invalid_argument);
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
  SECTION("digits (d + 8, -1) for (d, 0): the same integer, not an integer digit, multiplicities unchanged") {
    std::size_t column = 0;
    while (column < 16 && aux[pair + 16 + column] != F::zero()) ++column;
    REQUIRE(column < 16);
    auto bad = aux;
    bad[pair + column] += F::from_u64(8);
    bad[pair + 16 + column] = -F::one();
    CHECK(integer_at(bad, pair, s.pair, 16, column) == integer_at(aux, pair, s.pair, 16, column));
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
  SECTION("a packed block's second digit changed, the multiplicities left as they were") {
    auto bad = aux;
    bad[pair + 16 + 9] = F::one() - bad[pair + 16 + 9];  // still a bit, another tuple
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
  SECTION("a packed block's padding row with a non-zero entry") {
    auto bad = aux;
    bad[triple + 3 * 8 + 2] = F::one();
    CHECK_THROWS_AS(s.range.multiplicities(s.layout, std::span<const F>(bad)), std::invalid_argument);
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
  SECTION("digits in padding columns of a packed block are not looked up, whatever they hold") {
    auto other = aux;
    other[triple + 5] = F::from_u64(1000);  // row 0, column 5
    other[triple + 8 + 7] = -F::one();     // row 1, column 7
    other[triple + 3 * 8 + 6] = F::one();  // the padding row, column 6
    CHECK(verifies(s, prove(s, other, rng)));
  }
  SECTION("one multiplicity too many in a section") {
    auto bad = aux;
    bad[s.section_entry(1, 5)] += F::one();
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
  SECTION("a tuple counted as a single digit of the same integer") {
    auto bad = aux;
    const std::uint64_t old = integer_at(aux, pair, s.pair, 16, 0);
    bad[s.section_entry(0, old)] -= F::one();
    bad[s.layout.offset(4) + RangeCheckLayout::table_index(4, old)] += F::one();
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
  SECTION("after a single first row, packed digits (d + 4, 0) for (d, 1): the same integer, multiplicities unchanged") {
    // Column 0's packed digits made (1, 1, 0), tuple 5, honestly: its multiplicities follow.
    const std::size_t tail = s.layout.offset(3);
    auto base = aux;
    base[s.section_entry(3, integer_at(aux, tail, s.tail, 8, 0) >> 4)] -= F::one();
    base[tail + 8] = F::one();
    base[tail + 2 * 8] = F::one();
    base[s.section_entry(3, 5)] += F::one();
    REQUIRE(verifies(s, prove(s, base, rng)));
    auto bad = base;
    bad[tail + 8] += F::from_u64(4);
    bad[tail + 2 * 8] = F::zero();
    CHECK(integer_at(bad, tail, s.tail, 8, 0) == integer_at(base, tail, s.tail, 8, 0));
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
  SECTION("after a single first row, digits in padding columns are not looked up, whatever they hold") {
    const std::size_t tail = s.layout.offset(3);
    auto other = aux;
    other[tail + 6] = F::from_u64(1000);         // row 0, column 6
    other[tail + 8 + 7] = -F::one();             // row 1, column 7
    other[tail + 3 * 8 + 6] = F::from_u64(3);    // the padding row, column 6
    CHECK(verifies(s, prove(s, other, rng)));
  }
  SECTION("after a single first row, that row's digit out of its width") {
    const std::size_t tail = s.layout.offset(3);
    auto bad = aux;
    const auto old = static_cast<std::size_t>(*zkcnn::nn::to_small_integer(aux[tail + 2]));
    bad[tail + 2] = F::from_u64(16);
    bad[s.layout.offset(4) + RangeCheckLayout::table_index(4, old)] -= F::one();
    bad[s.layout.offset(4) + RangeCheckLayout::table_index(4, 0)] += F::one();
    CHECK_FALSE(verifies(s, prove(s, bad, rng)));
  }
}

}  // namespace
