// The hash-based commitment (pcs/ligero.hpp) over Goldilocks with challenges in its quadratic
// extension: completeness over shapes and batches, soundness against a wrong claim, a changed
// commitment and every tampered proof element, decoding of truncated and random bytes, the
// parameters' soundness arithmetic, and the hiding of opened columns (pcs/reed_solomon.hpp).

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <zkcnn/concepts/pcs.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/pcs/ligero.hpp>
#include <zkcnn/poly/eq.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>

namespace {

using F = zkcnn::Goldilocks;
using EF = zkcnn::GoldilocksExt2;
using Scheme = zkcnn::pcs::Ligero<F, EF>;
using Claim = zkcnn::EvaluationClaim<EF>;
using zkcnn::Errc;
using zkcnn::Sha256Transcript;
using zkcnn::testing::DeterministicRng;

static_assert(zkcnn::MultilinearPCS<Scheme>);
static_assert(zkcnn::SerializablePCS<Scheme>);

constexpr std::string_view domain = "zkcnn ligero tests";

std::vector<F> random_table(std::size_t size, DeterministicRng& rng) {
  std::vector<F> table(size);
  for (auto& v : table) v = F::random(rng);
  return table;
}

std::vector<EF> random_point(std::size_t vars, DeterministicRng& rng) {
  std::vector<EF> point(vars);
  for (auto& v : point) v = EF::random(rng);
  return point;
}

/// w~(point) by its definition, sum_j eq(point, j) w_j.
EF evaluate(std::span<const F> table, std::span<const EF> point) {
  const auto weights = zkcnn::eq_table(point);
  EF sum = EF::zero();
  for (std::size_t j = 0; j < table.size(); ++j) sum += weights[j] * table[j];
  return sum;
}

struct Instance {
  std::vector<F> table;
  Scheme::Commitment commitment;
  Scheme::Opening opening;
  std::vector<Claim> claims;
};

Instance make_instance(const Scheme& scheme, std::size_t num_vars, std::size_t length, std::size_t claims,
                       DeterministicRng& rng, std::size_t openings = 1) {
  Instance instance;
  instance.table = random_table(length, rng);
  auto [commitment, opening] = scheme.commit(std::span<const F>(instance.table), num_vars, rng, openings);
  instance.commitment = commitment;
  instance.opening = std::move(opening);
  for (std::size_t k = 0; k < claims; ++k) {
    auto point = random_point(num_vars, rng);
    const EF value = evaluate(instance.table, point);
    instance.claims.push_back({std::move(point), value});
  }
  return instance;
}

Scheme::EvaluationProof prove(const Scheme& scheme, const Instance& instance, DeterministicRng& rng) {
  Sha256Transcript transcript(domain);
  return scheme.prove_batch(std::span<const F>(instance.table), instance.opening, instance.commitment,
                            std::span<const Claim>(instance.claims), transcript, rng);
}

zkcnn::Status verify(const Scheme& scheme, const Scheme::Commitment& commitment, std::span<const Claim> claims,
                     const Scheme::EvaluationProof& proof) {
  Sha256Transcript transcript(domain);
  return scheme.verify_batch(commitment, claims, proof, transcript);
}

zkcnn::Status verify(const Scheme& scheme, const Instance& instance, const Scheme::EvaluationProof& proof) {
  return verify(scheme, instance.commitment, std::span<const Claim>(instance.claims), proof);
}

}  // namespace

TEST_CASE("ligero refuses a challenge field too small for its security level", "[ligero]") {
  CHECK_THROWS_AS((zkcnn::pcs::Ligero<F, F>()), std::invalid_argument);
  CHECK_THROWS_AS(Scheme({.security_bits = 100, .rate_bits = 1}), std::invalid_argument);
  CHECK_NOTHROW(Scheme({.security_bits = 100, .rate_bits = 3}));
}

TEST_CASE("ligero query counts follow the per-query soundness bound", "[ligero]") {
  const Scheme scheme;
  // C = 2^10, r = 0, N = 4C: d = (2C - 1) / 4C, per query (1 + d) / 2 just below 3/4, so
  // 100 / log2(4/3) = 240.9 -> 241 queries.
  CHECK(scheme.queries(10, 0, 2) == 241);
  // Rate 1/8: per query just below 5/8, 100 / log2(8/5) = 147.5 -> 148.
  CHECK(scheme.queries(10, 0, 3) == 148);
  // Hiding for several openings: r >= t openings, t computed with that r.
  const auto hiding = scheme.hiding_for(14, 4);
  REQUIRE(hiding);
  CHECK(*hiding >= 4 * scheme.queries(14, *hiding, 2));
  CHECK_FALSE(scheme.hiding_for(6, 1));
}

TEST_CASE("ligero opens claims on tables of every shape", "[ligero]") {
  const Scheme scheme;
  DeterministicRng rng(1);
  struct Case {
    std::size_t num_vars, length, claims;
  };
  for (const Case c : {Case{0, 1, 1}, Case{3, 8, 1}, Case{9, 512, 2}, Case{12, 4096, 1}, Case{12, 3000, 3},
                       Case{15, 1u << 15, 2}}) {
    CAPTURE(c.num_vars, c.length, c.claims);
    const Instance instance = make_instance(scheme, c.num_vars, c.length, c.claims, rng);
    const auto proof = prove(scheme, instance, rng);
    CHECK(verify(scheme, instance, proof));
    // The encoding round-trips.
    const auto decoded = Scheme::decode_proof(Scheme::encode_proof(proof));
    REQUIRE(decoded);
    CHECK(*decoded == proof);
    const auto commitment = Scheme::decode_commitment(Scheme::encode_commitment(instance.commitment));
    REQUIRE(commitment);
    CHECK(*commitment == instance.commitment);
  }
  // The single-claim interface.
  const Instance instance = make_instance(scheme, 10, 1024, 1, rng);
  Sha256Transcript prover(domain), verifier(domain);
  const auto proof = scheme.prove(std::span<const F>(instance.table), instance.opening, instance.commitment,
                                  std::span<const EF>(instance.claims[0].point), instance.claims[0].value, prover, rng);
  CHECK(scheme.verify(instance.commitment, std::span<const EF>(instance.claims[0].point), instance.claims[0].value, proof,
                      verifier));
  CHECK(prover.state_digest() == verifier.state_digest());
}

TEST_CASE("ligero rejects wrong claims, changed commitments and every tampered proof element", "[ligero]") {
  const Scheme scheme;
  DeterministicRng rng(2);
  const Instance instance = make_instance(scheme, 11, 2048, 2, rng);
  const auto proof = prove(scheme, instance, rng);
  REQUIRE(verify(scheme, instance, proof));

  // The statement: each claim's value and each point coordinate.
  for (std::size_t k = 0; k < instance.claims.size(); ++k) {
    auto claims = instance.claims;
    claims[k].value += EF::one();
    CHECK_FALSE(verify(scheme, instance.commitment, claims, proof));
    for (std::size_t c = 0; c < claims[k].point.size(); ++c) {
      auto moved = instance.claims;
      moved[k].point[c] += EF::one();
      CHECK_FALSE(verify(scheme, instance.commitment, moved, proof));
    }
  }
  // The commitment: its root and every field of its shape.
  const std::vector<std::function<void(Scheme::Commitment&)>> commitment_changes = {
      [](auto& c) { c.root[5] ^= 1; }, [](auto& c) { c.num_vars += 1; }, [](auto& c) { c.column_vars -= 1; },
      [](auto& c) { c.hiding += 1; },  [](auto& c) { c.rate_bits += 1; }, [](auto& c) { c.rate_bits = 40; }};
  for (const auto& change : commitment_changes) {
    auto commitment = instance.commitment;
    change(commitment);
    CHECK_FALSE(verify(scheme, commitment, instance.claims, proof));
  }

  // Every element of the proof, one at a time (a sample of each long vector's entries).
  const auto each = [](std::size_t size) {
    std::vector<std::size_t> picks;
    for (std::size_t i = 0; i < size; i += 1 + size / 13) picks.push_back(i);
    if (size > 0) picks.push_back(size - 1);
    return picks;
  };
  const auto rejects = [&](const std::function<void(Scheme::EvaluationProof&)>& change) {
    auto tampered = proof;
    change(tampered);
    return !verify(scheme, instance, tampered);
  };
  CHECK(rejects([](auto& p) { p.mask_root[0] ^= 1; }));
  for (std::size_t i : each(proof.proximity.size())) CHECK(rejects([i](auto& p) { p.proximity[i] += EF::one(); }));
  for (std::size_t i : each(proof.inner_product.size())) CHECK(rejects([i](auto& p) { p.inner_product[i] += EF::one(); }));
  for (std::size_t i : each(proof.columns.size())) CHECK(rejects([i](auto& p) { p.columns[i] += F::one(); }));
  for (std::size_t i : each(proof.salts.size())) CHECK(rejects([i](auto& p) { p.salts[i][3] ^= 1; }));
  for (std::size_t i : each(proof.siblings.size())) CHECK(rejects([i](auto& p) { p.siblings[i][7] ^= 1; }));
  for (std::size_t i : each(proof.mask_columns.size())) CHECK(rejects([i](auto& p) { p.mask_columns[i] += EF::one(); }));
  for (std::size_t i : each(proof.mask_salts.size())) CHECK(rejects([i](auto& p) { p.mask_salts[i][0] ^= 1; }));
  for (std::size_t i : each(proof.mask_siblings.size())) CHECK(rejects([i](auto& p) { p.mask_siblings[i][31] ^= 1; }));
  // Shapes: an entry missing or to spare anywhere.
  CHECK(rejects([](auto& p) { p.proximity.pop_back(); }));
  CHECK(rejects([](auto& p) { p.inner_product.push_back(EF::zero()); }));
  CHECK(rejects([](auto& p) { p.columns.pop_back(); }));
  CHECK(rejects([](auto& p) { p.salts.pop_back(); }));
  CHECK(rejects([](auto& p) { p.siblings.pop_back(); }));
  CHECK(rejects([](auto& p) { p.mask_columns.pop_back(); }));
  CHECK(rejects([](auto& p) { p.mask_siblings.push_back(p.mask_siblings.front()); }));

  // Shapes a verifier refuses before anything else, whatever the proof: another rate than its
  // own, a hiding that leaves the inner product nearly as long as the codeword, and columns so
  // few that the queries the bound asks for exceed half the positions (capping them would let
  // a wrong inner product through).
  const auto refuses_shape = [&](const std::function<void(Scheme::Commitment&)>& change) {
    auto commitment = instance.commitment;
    change(commitment);
    const auto status = verify(scheme, commitment, instance.claims, proof);
    return !status && status.error().message.find("ligero: the commitment") != std::string::npos;
  };
  CHECK(refuses_shape([](auto& c) { c.rate_bits = 3; }));
  CHECK(refuses_shape([](auto& c) { c.hiding = (1u << c.column_vars) / 2 + 1; }));
  CHECK(refuses_shape([](auto& c) {
    c.column_vars = 1;
    c.hiding = 0;
  }));

  // A proof for one table does not open another's commitment to the same claims.
  Instance other = make_instance(scheme, 11, 2048, 0, rng);
  other.claims = instance.claims;
  CHECK_FALSE(verify(scheme, other.commitment, other.claims, proof));
}

TEST_CASE("ligero masks chosen by a cheating prover do not shift a claim", "[ligero]") {
  // The inner-product mask D must sum to zero over H. A prover that commits a D whose sum is
  // s C (its constant coefficient raised by s) would prove v + s C in place of v if the claims
  // entered the inner product unscaled: the random multiplier beta, drawn after the masks are
  // bound, defeats that.
  const Scheme scheme;
  DeterministicRng rng(5);
  Instance instance = make_instance(scheme, 10, 1024, 1, rng);
  const auto honest_masks = scheme.random_masks(instance.commitment, rng);
  {
    Sha256Transcript transcript(domain);
    const auto proof = scheme.prove_with_masks(std::span<const F>(instance.table), instance.opening, instance.commitment,
                                               std::span<const Claim>(instance.claims), honest_masks, transcript, rng);
    CHECK(verify(scheme, instance, proof));
  }
  const std::size_t columns = std::size_t{1} << instance.commitment.column_vars;
  for (const EF shift : {EF::one(), EF::random(rng)}) {
    auto masks = honest_masks;
    masks.inner_low[0] += shift;
    auto claims = instance.claims;
    claims[0].value += shift * F::from_u64(columns);
    Sha256Transcript transcript(domain);
    const auto proof = scheme.prove_with_masks(std::span<const F>(instance.table), instance.opening, instance.commitment,
                                               std::span<const Claim>(claims), masks, transcript, rng);
    CHECK_FALSE(verify(scheme, instance.commitment, claims, proof));
  }
}

TEST_CASE("ligero decoders refuse truncated and random bytes", "[ligero]") {
  const Scheme scheme;
  DeterministicRng rng(3);
  const Instance instance = make_instance(scheme, 8, 256, 1, rng);
  const auto bytes = Scheme::encode_proof(prove(scheme, instance, rng));
  for (std::size_t length = 0; length < bytes.size(); length += 1 + length / 64) {
    CHECK_FALSE(Scheme::decode_proof(std::span(bytes).first(length)));
  }
  auto longer = bytes;
  longer.push_back(0);
  CHECK_FALSE(Scheme::decode_proof(longer));
  // Random bytes: decoding fails or the proof does not verify, never a crash or a huge
  // allocation (counts are bounded by the bytes left).
  for (std::size_t trial = 0; trial < 200; ++trial) {
    std::vector<std::uint8_t> noise(trial * 7);
    for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
    if (noise.size() >= 36) noise[32] = noise[33] = 0;  // a small first count, so decoding goes further
    const auto decoded = Scheme::decode_proof(noise);
    if (decoded) CHECK_FALSE(verify(scheme, instance, *decoded));
  }
  const auto commitment = Scheme::encode_commitment(instance.commitment);
  for (std::size_t length = 0; length < commitment.size(); ++length) {
    CHECK_FALSE(Scheme::decode_commitment(std::span(commitment).first(length)));
  }
  auto hostile = instance.commitment;
  hostile.column_vars = 60;
  CHECK_FALSE(Scheme::decode_commitment(Scheme::encode_commitment(hostile)));
  hostile = instance.commitment;
  hostile.hiding = 1u << 30;
  CHECK_FALSE(Scheme::decode_commitment(Scheme::encode_commitment(hostile)));
}

namespace {

/// A transcript whose challenges ignore what is absorbed: the same stream for every proof, as
/// the honest-verifier simulation fixes the verifier's coins. With them fixed, a proof's field
/// elements are a linear function of the table and the prover's randomness.
class FixedChallengeTranscript {
 public:
  void absorb_bytes(std::string_view, std::span<const std::uint8_t>) {}
  void absorb_u64(std::string_view, std::uint64_t) {}
  template <class V>
  void absorb_field(std::string_view, const V&) {}
  template <class V>
  void absorb_fields(std::string_view, std::span<const V>) {}
  void squeeze_bytes(std::string_view, std::span<std::uint8_t> out) {
    for (auto& b : out) b = static_cast<std::uint8_t>(stream_());
  }
  template <class V>
  V challenge(std::string_view) {
    return V::random(stream_);
  }
  template <class V>
  std::vector<V> challenges(std::string_view label, std::size_t count) {
    std::vector<V> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back(challenge<V>(label));
    return out;
  }

 private:
  DeterministicRng stream_{99};
};

/// The proof's field elements as base-field coordinates.
std::vector<F> view_of(const Scheme::EvaluationProof& proof) {
  std::vector<F> view;
  for (const auto* values : {&proof.proximity, &proof.inner_product, &proof.mask_columns}) {
    for (const EF& v : *values) {
      for (const F& c : v.coefficients()) view.push_back(c);
    }
  }
  view.insert(view.end(), proof.columns.begin(), proof.columns.end());
  return view;
}

/// Adds `vector` to a reduced echelon basis unless it depends on it; returns whether it was.
bool extend_basis(std::vector<std::vector<F>>& basis, std::vector<std::size_t>& pivots, std::vector<F> vector) {
  for (std::size_t b = 0; b < basis.size(); ++b) {
    const F factor = vector[pivots[b]];
    if (factor.is_zero()) continue;
    for (std::size_t j = 0; j < vector.size(); ++j) vector[j] -= factor * basis[b][j];
  }
  const auto pivot = std::find_if(vector.begin(), vector.end(), [](const F& v) { return !v.is_zero(); });
  if (pivot == vector.end()) return false;
  const F inverse = *pivot->inverse();
  for (auto& v : vector) v *= inverse;
  const auto column = static_cast<std::size_t>(pivot - vector.begin());
  for (std::size_t b = 0; b < basis.size(); ++b) {  // keep the basis reduced at the new pivot
    const F factor = basis[b][column];
    if (factor.is_zero()) continue;
    for (std::size_t j = 0; j < vector.size(); ++j) basis[b][j] -= factor * vector[j];
  }
  basis.push_back(std::move(vector));
  pivots.push_back(column);
  return true;
}

}  // namespace

TEST_CASE("ligero proofs reveal nothing of the table beyond the claimed value", "[ligero]") {
  // With the challenges fixed, proof = A table + B randomness (hiding coefficients and masks).
  // Zero knowledge asks that A table lie in B's image plus what the claim determines: tables
  // add at most two dimensions (one value of EF) to the span of the randomness' proofs, however
  // many are tried. A leak (a mask too small, a part of the view the masks do not cover) adds
  // one dimension per revealed functional of the table: splitting D at X^(C + r) instead of
  // X^C, for one, revealed t of them and fails here.
  const Scheme scheme({.security_bits = 10, .rate_bits = 2});
  const std::size_t num_vars = 8, column_vars = 7;
  DeterministicRng rng(6);
  const std::size_t rows = std::size_t{1} << (num_vars - column_vars), columns = std::size_t{1} << column_vars;
  const auto hiding_for_one = scheme.hiding_for(column_vars, 1);
  REQUIRE(hiding_for_one);
  const std::size_t hiding = *hiding_for_one;
  const std::size_t codeword = columns << 2;
  const std::vector<EF> point = random_point(num_vars, rng);

  const auto proof_view = [&](const std::vector<F>& table, const std::vector<F>& hiding_rows, const Scheme::Masks& masks) {
    auto [commitment, opening] = scheme.commit_with_randomness(std::span<const F>(table), num_vars, column_vars, hiding_rows,
                                                               std::vector<Scheme::Salt>(codeword));
    const std::vector<Claim> claims{{point, evaluate(table, point)}};
    FixedChallengeTranscript transcript;
    return view_of(scheme.prove_with_masks(std::span<const F>(table), opening, commitment, std::span<const Claim>(claims),
                                           masks, transcript, rng));
  };
  const std::vector<F> zero_table(rows * columns, F::zero());
  const std::vector<F> zero_hiding(rows * hiding, F::zero());
  const std::size_t dimension = columns + hiding;
  const Scheme::Masks zero_masks{std::vector<EF>(dimension), std::vector<EF>(dimension), std::vector<EF>(dimension)};

  std::vector<std::vector<F>> basis;
  std::vector<std::size_t> pivots;
  for (std::size_t j = 0; j < zero_hiding.size(); ++j) {
    auto hiding_rows = zero_hiding;
    hiding_rows[j] = F::one();
    extend_basis(basis, pivots, proof_view(zero_table, hiding_rows, zero_masks));
  }
  for (std::size_t mask = 0; mask < 3; ++mask) {
    for (std::size_t m = 0; m < dimension; ++m) {
      for (const EF unit : {EF::one(), EF(F::zero(), F::one())}) {
        auto masks = zero_masks;
        (mask == 0 ? masks.proximity : mask == 1 ? masks.inner_low : masks.inner_high)[m] = unit;
        // D = D_low + X^C D_high must sum to zero over H (its coefficients at multiples of C):
        // its constant term takes the rest.
        EF sum = EF::zero();
        for (std::size_t c = 0; c < dimension; c += columns) sum += masks.inner_low[c] + masks.inner_high[c];
        masks.inner_low[0] -= sum;
        extend_basis(basis, pivots, proof_view(zero_table, zero_hiding, masks));
      }
    }
  }
  // Every class of randomness counts: the proofs span all of it but D's constraint.
  CHECK(basis.size() == zero_hiding.size() + 3 * 2 * dimension - 2);
  std::size_t added = 0;
  for (std::size_t trial = 0; trial < 6; ++trial) {
    added += extend_basis(basis, pivots, proof_view(random_table(rows * columns, rng), zero_hiding, zero_masks)) ? 1 : 0;
  }
  CHECK(added <= 2);
}

TEST_CASE("hiding reed-solomon: a codeword's values at r points outside H are uniform", "[ligero]") {
  // The map from the hiding coefficients T to the codeword's values at r positions, T ->
  // ((x_q^C - 1) T(x_q))_q, must be invertible for every choice of r positions: then those
  // values are uniformly distributed whatever the message. Checked by Gaussian elimination on
  // random position sets, and shown tight: the message's own values on H do not depend on T.
  const std::size_t message_vars = 5, hiding = 12;
  const zkcnn::pcs::HidingReedSolomon<F> code(message_vars, hiding, 2);
  DeterministicRng rng(4);
  const std::size_t c = code.message_size();
  for (std::size_t trial = 0; trial < 20; ++trial) {
    std::vector<std::size_t> positions;
    while (positions.size() < hiding) {
      const std::size_t q = rng() % code.codeword_size();
      if (std::find(positions.begin(), positions.end(), q) == positions.end()) positions.push_back(q);
    }
    std::vector<std::vector<F>> matrix;
    for (std::size_t q : positions) {
      const F x = code.point(q);
      const F vanishing = zkcnn::pow(x, c) - F::one();
      REQUIRE_FALSE(vanishing.is_zero());
      std::vector<F> row(hiding);
      F power = F::one();
      for (auto& entry : row) {
        entry = vanishing * power;
        power *= x;
      }
      matrix.push_back(row);
    }
    std::size_t rank = 0;
    for (std::size_t col = 0; col < hiding && rank < hiding; ++col) {
      std::size_t pivot = rank;
      while (pivot < hiding && matrix[pivot][col].is_zero()) ++pivot;
      if (pivot == hiding) continue;
      std::swap(matrix[pivot], matrix[rank]);
      const F inverse = *matrix[rank][col].inverse();
      for (std::size_t r = 0; r < hiding; ++r) {
        if (r == rank || matrix[r][col].is_zero()) continue;
        const F factor = matrix[r][col] * inverse;
        for (std::size_t j = col; j < hiding; ++j) matrix[r][j] -= factor * matrix[rank][j];
      }
      ++rank;
    }
    CHECK(rank == hiding);
  }
  // Two encodings of one message with different hiding agree on H's values (the message) and
  // differ off it.
  std::vector<F> message = random_table(c, rng), hiding_a = random_table(hiding, rng), hiding_b = random_table(hiding, rng);
  std::vector<F> coefficients_a(code.dimension()), coefficients_b(code.dimension());
  code.row_coefficients(std::span<const F>(message), std::span<const F>(hiding_a), std::span<F>(coefficients_a));
  code.row_coefficients(std::span<const F>(message), std::span<const F>(hiding_b), std::span<F>(coefficients_b));
  const F generator = F::root_of_unity(static_cast<unsigned>(message_vars));
  F x = F::one();
  for (std::size_t j = 0; j < c; ++j, x *= generator) {
    F value_a = F::zero(), value_b = F::zero();
    for (std::size_t m = coefficients_a.size(); m-- > 0;) {
      value_a = value_a * x + coefficients_a[m];
      value_b = value_b * x + coefficients_b[m];
    }
    CHECK(value_a == message[j]);
    CHECK(value_b == message[j]);
  }
  CHECK(coefficients_a != coefficients_b);
}
