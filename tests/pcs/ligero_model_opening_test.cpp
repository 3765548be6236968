// The hash-based scheme's side of a zero-knowledge model proof (pcs/ligero_masks.hpp,
// pcs/ligero_model_opening.hpp through Ligero's ModelCommitmentScheme members): claims on the
// weights (kept as integers), on a witness narrower than the weights' columns, with mask terms,
// and linear claims on the masks, opened together. Completeness; rejection of a wrong value of
// each kind of claim, of every tampered proof element and of a mask root from elsewhere; and
// decoding of truncated and random bytes.

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include <zkcnn/concepts/model_commitment.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/pcs/ligero.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>

namespace {

using F = zkcnn::Goldilocks;
using EF = zkcnn::GoldilocksExt2;
using Scheme = zkcnn::pcs::Ligero<F, EF>;
using Claim = zkcnn::CommittedClaim<EF>;
using Proof = zkcnn::pcs::ligero::ModelOpeningProof<F, EF>;
using zkcnn::testing::DeterministicRng;

static_assert(zkcnn::ModelCommitmentScheme<Scheme>);

const Scheme& scheme() {
  static const Scheme ligero(zkcnn::pcs::LigeroParameters{100, 2, 1});
  return ligero;
}

template <class Table>
EF evaluate(const Table& table, std::span<const EF> point) {
  const auto weights = zkcnn::eq_table(point);
  EF sum = EF::zero();
  for (std::size_t j = 0; j < table.size(); ++j) sum += weights[j] * F::from_i64(static_cast<std::int64_t>(table[j]));
  return sum;
}

std::vector<EF> random_point(std::size_t vars, DeterministicRng& rng) {
  std::vector<EF> point(vars);
  for (auto& v : point) v = EF::random(rng);
  return point;
}

// Everything a prover and a verifier share, and the proof between them.
struct Opening {
  DeterministicRng rng{21};
  std::vector<std::int64_t> weights;
  std::vector<F> weights_field;
  std::vector<std::int64_t> witness_integers;
  std::vector<F> witness;
  Scheme::Commitment weights_commitment, witness_commitment;
  Scheme::Opening weights_opening, witness_opening;
  std::vector<zkcnn::merkle::Digest> mask_roots;
  std::vector<Claim> weights_claims, witness_claims;
  std::vector<zkcnn::gkr::LinearClaim<EF>> linear_claims;
  std::size_t mask_entries = 0;
  Proof proof;

  static constexpr std::size_t weights_vars = 12, witness_vars = 7;  // the witness narrower than a row

  Opening() {
    for (std::size_t i = 0; i < (std::size_t{1} << weights_vars); ++i) weights.push_back(static_cast<std::int64_t>(rng() % 255) - 127);
    for (std::int64_t w : weights) weights_field.push_back(F::from_i64(w));
    for (std::size_t i = 0; i < 100; ++i) witness_integers.push_back(static_cast<std::int64_t>(rng() % 16));
    for (std::int64_t w : witness_integers) witness.push_back(F::from_i64(w));
    std::tie(weights_commitment, weights_opening) = scheme().commit_model(std::span<const std::int64_t>(weights), weights_vars, rng);
    std::tie(witness_commitment, witness_opening) =
        scheme().commit_witness(std::span<const F>(witness), witness_vars, weights_commitment, true, rng);

    zkcnn::Sha256Transcript transcript("ligero model opening test");
    auto masks = scheme().mask_prover(witness_commitment, rng);
    const std::size_t first = masks.draw(10, transcript);
    const std::size_t second = masks.draw(1500, transcript);  // reaches a second row
    mask_entries = masks.values().size();
    // Claims with mask terms: value = W~(p) + kappa (2 c + d) for the line at (mask, mask + 1).
    for (std::size_t k = 0; k < 3; ++k) {
      auto point = random_point(weights_vars, rng);
      Claim claim = Claim::at(0, point, {evaluate(weights, point)});
      const EF kappa = EF::random(rng);
      claim.value.masks.push_back({kappa, first + 2 * k});
      claim.value.value += kappa * zkcnn::gkr::line_sum(masks, first + 2 * k);
      weights_claims.push_back(std::move(claim));
    }
    {
      Claim claim{0, {}, {EF::zero()}};
      for (std::size_t t = 0; t < 2; ++t) {
        auto point = random_point(witness_vars, rng);
        const EF coefficient = EF::random(rng);
        claim.value.value += coefficient * evaluate(witness_integers, point);
        claim.terms.push_back({coefficient, std::move(point)});
      }
      witness_claims.push_back(std::move(claim));
    }
    zkcnn::gkr::LinearClaim<EF> linear{{}, EF::zero()};
    for (std::size_t entry : {second, second + 700, second + 1499}) {
      const EF coefficient = EF::random(rng);
      linear.terms.emplace_back(entry, coefficient);
      linear.value += coefficient * masks.value(entry);
    }
    masks.claim(linear);
    linear_claims.push_back(linear);
    zkcnn::io::ByteWriter mask_section;
    Scheme::write_masks(mask_section, masks);
    for (const auto& row : masks.rows()) mask_roots.push_back(row.tree->root());

    zkcnn::io::ByteWriter out;
    scheme().prove_hidden_claims({weights_commitment, weights_opening, std::span<const std::int64_t>(weights)},
                                 {witness_commitment, witness_opening, std::span<const F>(witness)}, masks,
                                 weights_claims, witness_claims, transcript, rng, out);
    const auto bytes = std::move(out).take();
    zkcnn::io::ByteReader in(bytes);
    proof = zkcnn::pcs::ligero::read_model_opening<F, EF>(in).value();
  }

  // The verifier's side, replaying the draws, with the given proof and claims.
  zkcnn::Status verify(const Proof& p, std::vector<Claim> on_weights, std::vector<Claim> on_witness,
                       const std::vector<zkcnn::gkr::LinearClaim<EF>>& linear, std::vector<zkcnn::merkle::Digest> roots,
                       const Scheme::Commitment* weights_override = nullptr) const {
    zkcnn::Sha256Transcript transcript("ligero model opening test");
    Scheme::MaskVerifier masks(std::size_t{1} << witness_commitment.column_vars, std::move(roots));
    if (auto first = masks.draw(10, transcript); !first) return first.error();
    if (auto second = masks.draw(1500, transcript); !second) return second.error();
    for (const auto& claim : linear) masks.claim(claim);
    zkcnn::io::ByteWriter out;
    zkcnn::pcs::ligero::write_model_opening(out, p);
    const auto bytes = std::move(out).take();
    zkcnn::io::ByteReader in(bytes);
    if (auto ok = scheme().verify_hidden_claims(weights_override ? *weights_override : weights_commitment,
                                                witness_commitment, masks, std::move(on_weights),
                                                std::move(on_witness), transcript, in);
        !ok) {
      return ok;
    }
    return in.expect_end("opening");
  }
  zkcnn::Status verify(const Proof& p) const { return verify(p, weights_claims, witness_claims, linear_claims, mask_roots); }
};

}  // namespace

TEST_CASE("ligero model opening: claims on the weights, the witness and the masks verify", "[pcs][ligero]") {
  const Opening o;
  CHECK(o.mask_roots.size() == 2);
  CHECK(o.witness_commitment.num_vars == o.weights_commitment.column_vars);  // padded to one row
  REQUIRE(o.verify(o.proof));
}

TEST_CASE("ligero model opening: a wrong value of any kind of claim is rejected", "[pcs][ligero]") {
  const Opening o;
  auto weights_claims = o.weights_claims;
  weights_claims[1].value.value += EF::one();
  CHECK_FALSE(o.verify(o.proof, weights_claims, o.witness_claims, o.linear_claims, o.mask_roots));
  auto witness_claims = o.witness_claims;
  witness_claims[0].terms[1].coefficient += EF::one();
  CHECK_FALSE(o.verify(o.proof, o.weights_claims, witness_claims, o.linear_claims, o.mask_roots));
  auto linear = o.linear_claims;
  linear[0].value += EF::one();
  CHECK_FALSE(o.verify(o.proof, o.weights_claims, o.witness_claims, linear, o.mask_roots));
  auto masked = o.weights_claims;
  masked[0].value.masks[0].mask += 2;  // another line's sum
  CHECK_FALSE(o.verify(o.proof, masked, o.witness_claims, o.linear_claims, o.mask_roots));
  auto roots = o.mask_roots;
  roots[1][0] ^= 1;
  CHECK_FALSE(o.verify(o.proof, o.weights_claims, o.witness_claims, o.linear_claims, roots));
}

TEST_CASE("ligero model opening: commitments of another shape are errors, never crashes", "[pcs][ligero]") {
  const Opening o;
  CHECK(scheme().check_model_commitment(o.weights_commitment, Opening::weights_vars));
  CHECK(scheme().check_zero_knowledge(o.weights_commitment, Opening::witness_vars));
  // Narrower than a row, as the published commitment of another table would be.
  auto narrow = o.weights_commitment;
  narrow.num_vars = narrow.column_vars - 1;
  CHECK_FALSE(scheme().check_model_commitment(narrow, Opening::weights_vars));
  CHECK_FALSE(o.verify(o.proof, o.weights_claims, o.witness_claims, o.linear_claims, o.mask_roots, &narrow));
  auto wider = o.weights_commitment;
  wider.num_vars += 1;
  CHECK_FALSE(scheme().check_model_commitment(wider, Opening::weights_vars));
  // Too few columns for the opening's sumcheck mask, or another code than the witness's.
  auto few_columns = o.weights_commitment;
  few_columns.column_vars = 2;
  CHECK_FALSE(scheme().check_model_commitment(few_columns, Opening::weights_vars));
  auto other_hiding = o.weights_commitment;
  other_hiding.hiding -= 1;
  CHECK_FALSE(o.verify(o.proof, o.weights_claims, o.witness_claims, o.linear_claims, o.mask_roots, &other_hiding));
  // A code without hiding: the prover refuses to make zero-knowledge proofs with it.
  auto unhidden = o.weights_commitment;
  unhidden.hiding = 0;
  CHECK_FALSE(scheme().check_zero_knowledge(unhidden, Opening::witness_vars));
}

TEST_CASE("ligero model opening: every tampered proof element is rejected", "[pcs][ligero]") {
  const Opening o;
  std::vector<std::function<void(Proof&)>> tamperings = {
      [](Proof& p) { p.mask_root[3] ^= 1; },
      [](Proof& p) { p.mask_sum += EF::one(); },
      [](Proof& p) { p.rounds[0][0] += EF::one(); },
      [](Proof& p) { p.rounds.back().back() += EF::one(); },
      [](Proof& p) { p.proximity[5] += EF::one(); },
      [](Proof& p) { p.inner_product[0] += EF::one(); },
      [](Proof& p) { p.inner_product.back() += EF::one(); },
      [](Proof& p) { p.weights_columns[7] += F::one(); },
      [](Proof& p) { p.weights_salts[2][0] ^= 1; },
      [](Proof& p) { p.weights_siblings[1][0] ^= 1; },
      [](Proof& p) { p.witness_columns[0] += F::one(); },
      [](Proof& p) { p.witness_salts[0][0] ^= 1; },
      [](Proof& p) { p.witness_siblings[0][0] ^= 1; },
      [](Proof& p) { p.mask_values[3] += EF::one(); },
      [](Proof& p) { p.mask_salts[1][0] ^= 1; },
      [](Proof& p) { p.mask_siblings[1][2][0] ^= 1; },
      [](Proof& p) { p.opening_values[0] += EF::one(); },  // g
      [](Proof& p) { p.opening_values[5] += EF::one(); },  // L
      [](Proof& p) { p.opening_values[6] += EF::one(); },  // D_low
      [](Proof& p) { p.opening_values[7] += EF::one(); },  // D_high
      [](Proof& p) { p.opening_salts[4][0] ^= 1; },
      [](Proof& p) { p.opening_siblings[0][0] ^= 1; },
      [](Proof& p) { p.weights_columns.pop_back(); },
      [](Proof& p) { p.mask_siblings.pop_back(); },
      [](Proof& p) { p.rounds.pop_back(); },
  };
  for (std::size_t i = 0; i < tamperings.size(); ++i) {
    Proof tampered = o.proof;
    tamperings[i](tampered);
    INFO("tampering " << i);
    CHECK_FALSE(o.verify(tampered));
  }
}

TEST_CASE("ligero model opening: truncated and random bytes are errors, never crashes", "[pcs][ligero]") {
  const Opening o;
  zkcnn::io::ByteWriter out;
  zkcnn::pcs::ligero::write_model_opening(out, o.proof);
  const auto bytes = std::move(out).take();
  for (std::size_t cut = 0; cut < bytes.size(); cut += bytes.size() / 61 + 1) {
    zkcnn::io::ByteReader in(std::span<const std::uint8_t>(bytes).first(cut));
    CHECK_FALSE(zkcnn::pcs::ligero::read_model_opening<F, EF>(in));
  }
  DeterministicRng noise(5);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<std::uint8_t> random(bytes.size());
    for (auto& b : random) b = static_cast<std::uint8_t>(noise());
    zkcnn::io::ByteReader in(random);
    auto decoded = zkcnn::pcs::ligero::read_model_opening<F, EF>(in);
    if (decoded) CHECK_FALSE(o.verify(*decoded));
  }
  // A mask section whose count claims more roots than its bytes hold.
  zkcnn::io::ByteWriter section;
  section.write_u32(1000);
  const auto section_bytes = std::move(section).take();
  zkcnn::io::ByteReader in(section_bytes);
  CHECK_FALSE(scheme().read_masks(in, o.witness_commitment));
}
