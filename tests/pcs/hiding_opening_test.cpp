// The zero-knowledge opening of every committed claim at once (pcs/hiding_opening.hpp): claims
// on two Hyrax-committed tables (with mask terms) and linear claims on committed masks verify
// together; a false value anywhere, every field element of the proof changed, and a claim
// moved to another matrix are rejected; the encoding round trips; a table of integers opens as
// the field elements it stands for.

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/nn/integer.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>
#include <zkcnn/pcs/hiding_opening.hpp>
#include <zkcnn/pcs/hyrax_masks.hpp>
#include <zkcnn/zk/masking_transcript.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <span>
#include <vector>

namespace {

using G = zkcnn::bn254::G1;
using Pcs = zkcnn::Hyrax<G>;
using F = Pcs::Scalar;
using Claim = zkcnn::CommittedClaim<F>;
using Linear = zkcnn::gkr::LinearClaim<F>;
constexpr std::size_t column_vars = 3;

const Pcs& pcs() {
  static const Pcs scheme("zkcnn hiding opening test", 4);
  return scheme;
}

std::vector<F> random_vector(std::size_t size, zkcnn::testing::DeterministicRng& rng) {
  std::vector<F> v(size);
  for (auto& x : v) x = F::random(rng);
  return v;
}

struct Setup {
  zkcnn::testing::DeterministicRng rng{11};
  std::vector<F> first = random_vector(40, rng);   // 6 variables: 8 rows of 8, short table
  std::vector<F> second = random_vector(16, rng);  // 4 variables: 2 rows of 8
  Pcs::Commitment first_commitment, second_commitment;
  Pcs::Opening first_opening, second_opening;
  zkcnn::hyrax::MaskProver<G, zkcnn::testing::DeterministicRng> masks{pcs().key(), 8, rng};
  std::vector<Claim> claims;
  std::vector<Linear> linear;
  std::vector<std::int64_t> first_integers;  // when set, the prover reads `first` as these integers

  explicit Setup(bool integer_first = false) {
    if (integer_first) {
      // Integers of one byte and beyond: the opening takes a byte's multiple from a table and
      // multiplies larger ones.
      for (std::size_t i = 0; i < first.size(); ++i) first_integers.push_back(static_cast<std::int64_t>(i * 37 % 601) - 300);
      first = zkcnn::nn::to_field<F>(first_integers);
    }
    std::tie(first_commitment, first_opening) = pcs().commit(std::span<const F>(first), 6, rng, column_vars);
    std::tie(second_commitment, second_opening) = pcs().commit(std::span<const F>(second), 4, rng, column_vars);
    zkcnn::Sha256Transcript scratch("draws");
    const std::size_t a = masks.draw(5, scratch);
    const std::size_t b = masks.draw(6, scratch);  // spans two rows
    // Linear claims on the masks.
    linear.push_back({{{a, F::from_u64(3)}, {b + 5, F::from_u64(7)}}, F::from_u64(3) * masks.value(a) + F::from_u64(7) * masks.value(b + 5)});
    linear.push_back({{{a + 4, F::one()}}, masks.value(a + 4)});
    // Claims on the tables, one of them masked by the line at entries b, b + 1.
    auto point = [&](std::size_t n) { return random_vector(n, rng); };
    auto p1 = point(6), p2 = point(6), p3 = point(4);
    claims.push_back(Claim::at(0, p1, {zkcnn::evaluate_multilinear(std::span<const F>(first), std::span<const F>(p1))}));
    const F kappa = F::random(rng);
    const F masked = zkcnn::evaluate_multilinear(std::span<const F>(first), std::span<const F>(p2)) +
                     kappa * (masks.value(b) + masks.value(b) + masks.value(b + 1));
    claims.push_back(Claim::at(0, p2, {masked, {{kappa, b}}}));
    // Two terms: 3 second~(p3) - first~(p1).
    claims.push_back({1,
                      {{F::from_u64(3), p3}},
                      {F::from_u64(3) * zkcnn::evaluate_multilinear(std::span<const F>(second), std::span<const F>(p3))}});
    claims.push_back({0,
                      {{F::one(), p2}, {-F::one(), p1}},
                      {zkcnn::evaluate_multilinear(std::span<const F>(first), std::span<const F>(p2)) -
                       zkcnn::evaluate_multilinear(std::span<const F>(first), std::span<const F>(p1))}});
  }

  std::vector<G> mask_rows() const { return std::vector<G>(masks.rows().begin(), masks.rows().end()); }

  zkcnn::hyrax::HidingOpeningProof<G> prove() {
    const auto blinds = masks.row_blinds();
    const auto rows = mask_rows();
    const zkcnn::hyrax::OpenedMatrix<G> matrices[] = {
        {first_commitment.rows,
         first_integers.empty() ? zkcnn::column_reduction::MatrixEntries<F>(first) : zkcnn::column_reduction::MatrixEntries<F>(first_integers),
         first_opening.row_blinds},
        {second_commitment.rows, second, second_opening.row_blinds},
        {rows, masks.values(), blinds}};
    zkcnn::Sha256Transcript t("opening");
    return zkcnn::hyrax::prove_hiding_opening<G>(pcs().key(), column_vars, std::span<const zkcnn::hyrax::OpenedMatrix<G>>(matrices), 2,
                                              std::span<const Claim>(claims), std::span<const Linear>(linear), {}, t, rng);
  }

  bool verify(const zkcnn::hyrax::HidingOpeningProof<G>& proof, const std::vector<Claim>& c, const std::vector<Linear>& l) const {
    const auto rows = mask_rows();
    const zkcnn::hyrax::CommittedMatrix<G> matrices[] = {{first_commitment.rows}, {second_commitment.rows}, {rows}};
    zkcnn::Sha256Transcript t("opening");
    return static_cast<bool>(zkcnn::hyrax::verify_hiding_opening<G>(pcs().key(), column_vars,
                                                                 std::span<const zkcnn::hyrax::CommittedMatrix<G>>(matrices), 2,
                                                                 std::span<const Claim>(c), std::span<const Linear>(l), {}, proof, t));
  }
};

std::vector<std::uint8_t> encode(const zkcnn::hyrax::HidingOpeningProof<G>& proof) {
  zkcnn::io::ByteWriter out;
  zkcnn::hyrax::write_hiding_opening(out, proof);
  return std::move(out).take();
}

}  // namespace

TEST_CASE("hiding opening: a table of integers opens as its field elements do") {
  Setup integers(true), fields(true);
  fields.first_integers.clear();  // the same values, read as field elements
  const auto proof = integers.prove();
  CHECK(encode(proof) == encode(fields.prove()));
  CHECK(integers.verify(proof, integers.claims, integers.linear));
}

TEST_CASE("hiding opening: honest claims verify; false ones and tampered proofs are rejected") {
  Setup setup;
  const auto proof = setup.prove();
  CHECK(setup.verify(proof, setup.claims, setup.linear));

  for (std::size_t k = 0; k < setup.claims.size(); ++k) {
    auto wrong = setup.claims;
    wrong[k].value.value += F::one();
    CHECK_FALSE(setup.verify(proof, wrong, setup.linear));
  }
  for (std::size_t k = 0; k < setup.linear.size(); ++k) {
    auto wrong = setup.linear;
    wrong[k].value += F::one();
    CHECK_FALSE(setup.verify(proof, setup.claims, wrong));
  }
  {
    auto moved = setup.claims;
    moved[2].matrix = 0;
    moved[2].terms[0].point.resize(6, F::zero());
    CHECK_FALSE(setup.verify(proof, moved, setup.linear));
  }
  {
    auto unmasked = setup.claims;
    unmasked[1].value.masks.clear();
    CHECK_FALSE(setup.verify(proof, unmasked, setup.linear));
  }

  const auto bytes = encode(proof);
  zkcnn::io::ByteReader reader(bytes);
  auto decoded = zkcnn::hyrax::read_hiding_opening<G>(reader, column_vars);
  REQUIRE(decoded);
  CHECK(reader.remaining() == 0);
  CHECK(*decoded == proof);
  for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
    zkcnn::io::ByteReader short_reader(std::span<const std::uint8_t>(bytes.data(), cut));
    CHECK_FALSE(zkcnn::hyrax::read_hiding_opening<G>(short_reader, column_vars));
  }
  // Every scalar of the proof changed, and each commitment moved.
  auto tampered = proof;
  tampered.masked_sum += F::one();
  CHECK_FALSE(setup.verify(tampered, setup.claims, setup.linear));
  for (auto point : {&zkcnn::hyrax::HidingOpeningProof<G>::mask_commitment, &zkcnn::hyrax::HidingOpeningProof<G>::mask_value_commitment}) {
    auto t = proof;
    t.*point = zkcnn::group_traits<G>::add(t.*point, pcs().key().value_generator());
    CHECK_FALSE(setup.verify(t, setup.claims, setup.linear));
  }
  for (std::size_t r = 0; r < proof.rounds.size(); ++r) {
    for (std::size_t i = 0; i < proof.rounds[r].size(); ++i) {
      auto t = proof;
      t.rounds[r][i] += F::one();
      CHECK_FALSE(setup.verify(t, setup.claims, setup.linear));
    }
  }
  for (auto argument : {&zkcnn::hyrax::HidingOpeningProof<G>::opening, &zkcnn::hyrax::HidingOpeningProof<G>::mask_opening}) {
    auto t = proof;
    (t.*argument).opening_response += F::one();
    CHECK_FALSE(setup.verify(t, setup.claims, setup.linear));
    t = proof;
    (t.*argument).blinding_response += F::one();
    CHECK_FALSE(setup.verify(t, setup.claims, setup.linear));
  }

  // A mask row's commitment changed after its draw (a component on any column): rejected.
  for (std::size_t r = 0; r < setup.mask_rows().size(); ++r) {
    for (std::size_t column : {std::size_t{0}, std::size_t{5}}) {
      auto rows = setup.mask_rows();
      rows[r] = zkcnn::group_traits<G>::add(rows[r], pcs().key().generators()[column]);
      const zkcnn::hyrax::CommittedMatrix<G> matrices[] = {{setup.first_commitment.rows}, {setup.second_commitment.rows}, {rows}};
      zkcnn::Sha256Transcript t("opening");
      CHECK_FALSE(zkcnn::hyrax::verify_hiding_opening<G>(pcs().key(), column_vars,
                                                      std::span<const zkcnn::hyrax::CommittedMatrix<G>>(matrices), 2,
                                                      std::span<const Claim>(setup.claims),
                                                      std::span<const Linear>(setup.linear), {}, proof, t));
    }
  }

  // Two openings of the same claims differ (fresh blinding).
  CHECK_FALSE(setup.prove() == proof);
}

TEST_CASE("hiding openings linked by a hidden value: two matrices of different widths") {
  // Matrix a (2^3 columns) and b (2^2 columns); the relation a~(p) + b~(q) = v is split as
  // a~(p) = h and b~(q) = v - h, h hidden in a commitment both openings use.
  zkcnn::testing::DeterministicRng rng(5);
  const auto a = random_vector(64, rng), b = random_vector(16, rng);
  const auto committed_a = pcs().commit(std::span<const F>(a), 6, rng, std::size_t{3});
  const auto committed_b = pcs().commit(std::span<const F>(b), 4, rng, std::size_t{2});
  const auto& ca = committed_a.first;
  const auto& oa = committed_a.second;
  const auto& cb = committed_b.first;
  const auto& ob = committed_b.second;
  const auto p = random_vector(6, rng), q = random_vector(4, rng);
  const F h = zkcnn::evaluate_multilinear(std::span<const F>(a), std::span<const F>(p));
  const F v = h + zkcnn::evaluate_multilinear(std::span<const F>(b), std::span<const F>(q));
  const F blind = F::random(rng);
  const G hidden = zkcnn::group_traits<G>::add(zkcnn::group_traits<G>::scalar_mul(pcs().key().value_generator(), h),
                                               zkcnn::group_traits<G>::scalar_mul(pcs().key().blinding_generator(), blind));
  const Claim on_a = Claim::at(0, p, {F::zero()});
  const Claim on_b = Claim::at(0, q, {v});
  const zkcnn::hyrax::HiddenTerm<G> plus[] = {{0, F::one(), hidden, h, blind}};
  const zkcnn::hyrax::HiddenTerm<G> minus[] = {{0, -F::one(), hidden, h, blind}};
  zkcnn::Sha256Transcript tp("linked");
  const zkcnn::hyrax::OpenedMatrix<G> ma[] = {{ca.rows, a, oa.row_blinds}};
  const zkcnn::hyrax::OpenedMatrix<G> mb[] = {{cb.rows, b, ob.row_blinds}};
  const auto proof_a = zkcnn::hyrax::prove_hiding_opening<G>(pcs().key(), 3, std::span<const zkcnn::hyrax::OpenedMatrix<G>>(ma), 1,
                                                          std::span<const Claim>(&on_a, 1), {},
                                                          std::span<const zkcnn::hyrax::HiddenTerm<G>>(plus), tp, rng);
  const auto proof_b = zkcnn::hyrax::prove_hiding_opening<G>(pcs().key(), 2, std::span<const zkcnn::hyrax::OpenedMatrix<G>>(mb), 1,
                                                          std::span<const Claim>(&on_b, 1), {},
                                                          std::span<const zkcnn::hyrax::HiddenTerm<G>>(minus), tp, rng);
  auto verify = [&](const Claim& claim_b, const G& hidden_point) {
    zkcnn::Sha256Transcript t("linked");
    const zkcnn::hyrax::CommittedMatrix<G> va[] = {{ca.rows}};
    const zkcnn::hyrax::CommittedMatrix<G> vb[] = {{cb.rows}};
    const zkcnn::hyrax::HiddenTerm<G> vplus[] = {{0, F::one(), hidden_point}};
    const zkcnn::hyrax::HiddenTerm<G> vminus[] = {{0, -F::one(), hidden_point}};
    return zkcnn::hyrax::verify_hiding_opening<G>(pcs().key(), 3, std::span<const zkcnn::hyrax::CommittedMatrix<G>>(va), 1,
                                               std::span<const Claim>(&on_a, 1), {},
                                               std::span<const zkcnn::hyrax::HiddenTerm<G>>(vplus), proof_a, t) &&
           zkcnn::hyrax::verify_hiding_opening<G>(pcs().key(), 2, std::span<const zkcnn::hyrax::CommittedMatrix<G>>(vb), 1,
                                               std::span<const Claim>(&claim_b, 1), {},
                                               std::span<const zkcnn::hyrax::HiddenTerm<G>>(vminus), proof_b, t);
  };
  CHECK(verify(on_b, hidden));
  auto wrong = on_b;
  wrong.value.value += F::one();
  CHECK_FALSE(verify(wrong, hidden));
  CHECK_FALSE(verify(on_b, zkcnn::group_traits<G>::add(hidden, pcs().key().value_generator())));
  CHECK_FALSE(verify(on_b, zkcnn::group_traits<G>::add(hidden, pcs().key().blinding_generator())));
}
