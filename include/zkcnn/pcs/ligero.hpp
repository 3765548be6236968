#pragma once
// A transparent, hash-based, zero-knowledge multilinear commitment scheme in the style of
// Ligero (Ames, Hazay, Ishai, Venkitasubramaniam, CCS 2017, section 4): tables in a field F,
// challenges in an extension EF (Goldilocks and its quadratic extension), Merkle trees over
// SHA-256 (pcs/merkle.hpp). docs/protocol.md (section 7, "A hash-based commitment") gives the
// construction, its soundness and its zero knowledge.
//
// Commit. The table's 2^n entries form a matrix of R = 2^(n-k) rows and C = 2^k columns, entry
// (i, j) at index i C + j (a point's first k coordinates select the column). Each row is
// encoded by the hiding Reed-Solomon code (pcs/reed_solomon.hpp), with r random coefficients;
// the commitment is the Merkle root over the N codeword columns, each leaf a column's R values
// behind a random salt.
//
// Open claims w~(p_k) = v_k. With a_k = eq(row part of p_k) and b_k = eq(column part),
// w~(p_k) = sum_i a_k,i <b_k, row_i>. The prover commits, in a second tree with the same
// columns, fresh random polynomials over EF: a proximity mask L and an inner-product mask
// D = D_low + X^C D_high, all three of degree < C + r, with D's sum over H zero. (The halves
// overlap: a D determines them only up to (D_low + X^C E, D_high - E), deg E < r, so their values
// at the opened positions stay uniform.) Then the
// verifier draws u (one coefficient per row and one for each half of D) and beta, and the prover
// sends, as coefficients,
//     proximity     = L + sum_i u_i P_i + u_low D_low + u_high D_high,
//     inner product = D + sum_k beta^(k+1) B_k sum_i a_k,i P_i,
// (P_i: row i's polynomial, B_k: the interpolant of b_k on H). At t columns drawn from the
// transcript it opens both trees. The verifier checks
//   - the inner product's sum over H, C times the sum of its coefficients at multiples of C,
//     against sum_k beta^(k+1) v_k (on H, P_i is row i and B_k is b_k);
//   - at every opened column x, both sent polynomials against the opened values.
// The proximity test makes the rows and D's halves close to codewords on a common set of
// positions (the proximity gap for affine spaces, BCIKS20), so the inner product's only freedom
// is D's sum over H, fixed before beta: a wrong claim survives beta with probability at most
// (claims) / |EF|, and a wrong polynomial a query with the probability queries() bounds. The
// masks make both sent polynomials uniformly random but for the claimed sum, and the opened
// columns uniform while the columns ever opened on one commitment stay within r (hence the
// `openings` a commitment is made for).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/detail/random.hpp"
#include "zkcnn/field/pow.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/size_bits.hpp"
#include "zkcnn/field/small_integers.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/pcs/batch_opening.hpp"
#include "zkcnn/pcs/claims.hpp"
#include "zkcnn/pcs/ligero_columns.hpp"
#include "zkcnn/pcs/ligero_masks.hpp"
#include "zkcnn/pcs/ligero_model_opening.hpp"
#include "zkcnn/pcs/merkle.hpp"
#include "zkcnn/pcs/reed_solomon.hpp"
#include "zkcnn/poly/eq.hpp"

namespace zkcnn::pcs {

/// The scheme's public choices: the security level its query count is set for and the code's
/// rate (codewords 2^rate_bits times as long as the messages).
struct LigeroParameters {
  unsigned security_bits = 100;
  unsigned rate_bits = 2;
  /// The zero-knowledge proofs a model's commitment is made for: each opens t of its columns,
  /// and its hiding coefficients cover that many (docs/protocol.md section 7).
  std::size_t model_proofs = 16;
};

template <TwoAdicField F, class EF>
  requires EncodableField<F> && EncodableField<EF> && ExtensionFieldOf<EF, F>
class Ligero {
 public:
  using Scalar = F;
  using Challenge = EF;
  using Digest = merkle::Digest;
  static constexpr std::size_t salt_size = ligero::salt_size;
  using Salt = ligero::Salt;

  /// The largest shapes a verifier accepts: beyond them a hostile commitment could make it
  /// transform or read without bound.
  static constexpr std::size_t max_column_vars = 20;
  static constexpr std::size_t max_num_vars = 40;
  static constexpr unsigned max_rate_bits = 4;
  /// A model opening's sumcheck mask (1 + 2k coefficients, rounded up to a power of two) is a row
  /// of its own: at least 2^3 columns.
  static constexpr std::size_t min_model_column_vars = 3;

  /// The public commitment: the Merkle root and the shape of the committed matrix and code.
  struct Commitment {
    Digest root{};
    std::uint32_t num_vars = 0;
    std::uint32_t column_vars = 0;
    std::uint32_t hiding = 0;
    std::uint32_t rate_bits = 0;
    friend bool operator==(const Commitment&, const Commitment&) = default;
  };

  /// The committer's secret: every row's hiding coefficients, the codewords by column, the
  /// salts and the tree.
  struct Opening {
    std::vector<F> hiding_rows;  // R x r, row-major
    std::vector<F> columns;      // N x R: column q at [q R, (q + 1) R)
    std::vector<Salt> salts;     // one per column
    std::shared_ptr<const merkle::Tree> tree;
  };

  /// An opening of claims: the masks' root, the two polynomials, and t columns of both trees
  /// (in increasing position) with their salts and Merkle digests.
  struct EvaluationProof {
    Digest mask_root{};
    std::vector<EF> proximity;
    std::vector<EF> inner_product;
    std::vector<F> columns;        // t x R
    std::vector<Salt> salts;       // t
    std::vector<Digest> siblings;  // the opening of the columns' tree
    std::vector<EF> mask_columns;  // t x 3: L, D_low and D_high at each opened position
    std::vector<Salt> mask_salts;  // t
    std::vector<Digest> mask_siblings;
    friend bool operator==(const EvaluationProof&, const EvaluationProof&) = default;
  };

  explicit Ligero(LigeroParameters parameters = {}) : parameters_(parameters) {
    if (parameters.rate_bits < 2 || parameters.rate_bits > max_rate_bits) {
      throw std::invalid_argument("ligero: the rate must be 1/4 to 1/16 (rate_bits 2 to 4)");
    }
    if (parameters.security_bits == 0 || parameters.security_bits > 256) {
      throw std::invalid_argument("ligero: the security level must be 1 to 256 bits");
    }
    // Each random combination (the proximity test's, the claims') errs with probability about
    // N / |EF| (BCIKS20, unique decoding): the challenge field must be that much larger than
    // the security level asks.
    if (challenge_field_bits() < parameters.security_bits + max_column_vars + parameters.rate_bits) {
      throw std::invalid_argument("ligero: the challenge field is too small for the security level (use an extension)");
    }
  }

  const LigeroParameters& parameters() const { return parameters_; }

  /// Columns opened per proof on a code with C = 2^column_vars, r hiding coefficients and
  /// N = C 2^rate_bits. A query misses a cheating prover with probability at most
  /// max(1 - delta, delta + d), d = (2C + r - 1) / N the inner product's degree over the
  /// length: either the committed rows (and masks) are delta-far from the code, which the
  /// proximity test sees at a query with probability delta, or they agree with codewords but on
  /// a delta fraction and a wrong inner product agrees with the right one on at most d N
  /// positions. delta = (1 - d) / 2 (within unique decoding, (1 - (C + r) / N) / 2) balances the
  /// two: (1 + d) / 2 per query.
  std::size_t queries(std::size_t column_vars, std::size_t hiding, unsigned rate_bits) const {
    const double c = std::ldexp(1.0, static_cast<int>(column_vars));
    const double d = (2 * c + static_cast<double>(hiding) - 1) / std::ldexp(c, static_cast<int>(rate_bits));
    const double per_query = -std::log2((1 + d) / 2);
    return static_cast<std::size_t>(std::ceil(parameters_.security_bits / per_query));
  }

  /// The hiding that lets a commitment be opened `openings` times: r >= t openings (a fixed
  /// point, t growing with r), or nothing when C cannot accommodate it.
  std::optional<std::size_t> hiding_for(std::size_t column_vars, std::size_t openings) const {
    if (column_vars > max_column_vars) return std::nullopt;
    const std::size_t c = std::size_t{1} << column_vars;
    std::size_t hiding = 0;
    for (;;) {
      const std::size_t per_opening = queries(column_vars, hiding, parameters_.rate_bits);
      // At most half the columns: a verifier refuses more (check_shape).
      if (openings == 0 || per_opening > c / 2 / openings) return std::nullopt;
      const std::size_t needed = per_opening * openings;
      if (needed <= hiding) return hiding;
      hiding = needed;
    }
  }

  /// Column variables that balance a proof's two halves (the sent polynomials, about 3C values
  /// of EF, against t columns of R values of F), at least enough to hide `openings` openings.
  std::size_t default_column_vars(std::size_t num_vars, std::size_t openings = 1) const {
    const double t = static_cast<double>(queries(num_vars / 2, 0, parameters_.rate_bits));
    const double balance = (static_cast<double>(num_vars) + std::log2(t * F::byte_size / (3.0 * EF::byte_size))) / 2;
    std::size_t column_vars = static_cast<std::size_t>(std::clamp(std::lround(balance), 1L, static_cast<long>(max_column_vars)));
    while (column_vars < max_column_vars && !hiding_for(column_vars, openings)) ++column_vars;
    return column_vars;
  }

  /// Commits to the table with the given entries (at most 2^num_vars, the rest zero), for
  /// `openings` zero-knowledge openings.
  template <CryptoRng Rng>
  std::pair<Commitment, Opening> commit(std::span<const F> evaluations, std::size_t num_vars, Rng& rng,
                                        std::size_t openings = 1) const {
    return commit(evaluations, num_vars, rng, default_column_vars(num_vars, openings), openings);
  }

  template <CryptoRng Rng>
  std::pair<Commitment, Opening> commit(std::span<const F> evaluations, std::size_t num_vars, Rng& rng,
                                        std::size_t column_vars, std::size_t openings) const {
    const auto hiding = hiding_for(column_vars, openings);
    if (!hiding) throw std::invalid_argument("ligero: too few columns to hide that many openings (use more column variables)");
    const std::size_t rows = std::size_t{1} << (num_vars > column_vars ? num_vars - column_vars : 0);
    std::vector<F> hiding_rows(rows * *hiding);
    for (auto& h : hiding_rows) h = F::random(rng);
    return commit_with_randomness(evaluations, num_vars, column_vars, std::move(hiding_rows),
                                  ligero::random_salts(std::size_t{1} << (column_vars + parameters_.rate_bits), rng));
  }

  /// commit with the given hiding coefficients (R rows of r) and salts (one per codeword
  /// position). Hiding needs them fresh from a cryptographic generator, as commit draws them;
  /// the tests choose them to measure what a proof reveals.
  std::pair<Commitment, Opening> commit_with_randomness(std::span<const F> evaluations, std::size_t num_vars,
                                                        std::size_t column_vars, std::vector<F> hiding_rows,
                                                        std::vector<Salt> salts) const {
    const std::size_t rows = std::size_t{1} << (num_vars > column_vars ? num_vars - column_vars : 0);
    if (num_vars > max_num_vars || column_vars > max_column_vars || evaluations.size() > (std::size_t{1} << num_vars) ||
        hiding_rows.size() % rows != 0 || hiding_rows.size() / rows > (std::size_t{1} << column_vars) / 2 ||
        salts.size() != (std::size_t{1} << (column_vars + parameters_.rate_bits))) {
      throw std::invalid_argument("ligero: a table, shape or randomness beyond the scheme's limits");
    }
    Commitment commitment;
    commitment.num_vars = static_cast<std::uint32_t>(num_vars);
    commitment.column_vars = static_cast<std::uint32_t>(column_vars);
    commitment.hiding = static_cast<std::uint32_t>(hiding_rows.size() / rows);
    commitment.rate_bits = parameters_.rate_bits;
    const Shape shape = shape_of(commitment);
    const HidingReedSolomon<F> code(column_vars, shape.hiding, parameters_.rate_bits);

    Opening opening;
    opening.hiding_rows = std::move(hiding_rows);
    opening.salts = std::move(salts);
    opening.columns.resize(shape.codeword * shape.rows);
    // Rows are encoded a block at a time and written to the columns a block-wide run at once:
    // one row at a time would scatter single values R apart.
    constexpr std::size_t block = 8;
    const std::size_t blocks = (shape.rows + block - 1) / block;
    detail::parallel_for(0, blocks, [&](std::size_t first, std::size_t last) {
      std::vector<F> message(shape.columns), coefficients(code.dimension()), codewords(block * shape.codeword);
      for (std::size_t b = first; b < last; ++b) {
        const std::size_t begin = b * block, end = std::min(shape.rows, begin + block);
        for (std::size_t i = begin; i < end; ++i) {
          row_of(evaluations, shape, i, message);
          code.row_coefficients(std::span<const F>(message), hiding_row(opening, shape, i), std::span<F>(coefficients));
          code.evaluate(std::span<const F>(coefficients), std::span<F>(codewords).subspan((i - begin) * shape.codeword, shape.codeword));
        }
        for (std::size_t q = 0; q < shape.codeword; ++q) {
          F* column = opening.columns.data() + q * shape.rows;
          for (std::size_t i = begin; i < end; ++i) column[i] = codewords[(i - begin) * shape.codeword + q];
        }
      }
    });
    opening.tree = std::make_shared<const merkle::Tree>(ligero::leaf_digests(opening.columns, shape.rows, opening.salts));
    commitment.root = opening.tree->root();
    return {commitment, std::move(opening)};
  }

  /// Binds a commitment into a transcript (prover and verifier alike).
  template <class T>
  static void absorb_commitment(T& transcript, const Commitment& commitment) {
    transcript.absorb_bytes("ligero/root", commitment.root);
    transcript.absorb_u64("ligero/num_vars", commitment.num_vars);
    transcript.absorb_u64("ligero/column_vars", commitment.column_vars);
    transcript.absorb_u64("ligero/hiding", commitment.hiding);
    transcript.absorb_u64("ligero/rate_bits", commitment.rate_bits);
  }

  // What a model proof needs (ModelCommitmentScheme; pcs/ligero_masks.hpp and
  // pcs/ligero_model_opening.hpp). The witness and the masks take the weights' code, so that one
  // opening covers all three.

  template <class T>
  void absorb_parameters(T& transcript) const {
    transcript.absorb_u64("ligero/security_bits", parameters_.security_bits);
    transcript.absorb_u64("ligero/rate_bits", parameters_.rate_bits);
  }

  /// A model's weights, hidden through parameters().model_proofs zero-knowledge proofs (a table
  /// narrower than the columns that needs is committed padded).
  template <CryptoRng Rng>
  std::pair<Commitment, Opening> commit_model(std::span<const std::int64_t> weights, std::size_t num_vars, Rng& rng,
                                              const std::function<void(std::uint64_t, std::uint64_t)>& progress = {}) const {
    const std::size_t column_vars = std::max(default_column_vars(num_vars, parameters_.model_proofs), min_model_column_vars);
    // The code's rows are encoded whole: the table as field elements (as wide as the integers
    // for the small fields this scheme is used with).
    const SmallIntegers<F> to_element;
    std::vector<F> table(weights.size());
    for (std::size_t i = 0; i < weights.size(); ++i) table[i] = to_element(weights[i]);
    auto committed = commit(std::span<const F>(table), std::max(num_vars, column_vars), rng, column_vars, parameters_.model_proofs);
    if (progress) progress(1, 1);
    return committed;
  }

  /// A proof's auxiliary witness, in the weights' code.
  template <CryptoRng Rng>
  std::pair<Commitment, Opening> commit_witness(std::span<const F> values, std::size_t num_vars, const Commitment& model,
                                                bool /*zero_knowledge*/, Rng& rng) const {
    const std::size_t vars = std::max<std::size_t>(num_vars, model.column_vars);
    std::vector<F> hiding_rows((std::size_t{1} << (vars - model.column_vars)) * model.hiding);
    for (auto& h : hiding_rows) h = F::random(rng);
    return commit_with_randomness(values, vars, model.column_vars, std::move(hiding_rows),
                                  ligero::random_salts(std::size_t{1} << (model.column_vars + model.rate_bits), rng));
  }

  /// A published model commitment: a shape this verifier accepts, the architecture's table
  /// padded to at least one row as commit_model pads it, and columns enough for the opening's
  /// sumcheck mask (2^k >= 1 + 2k coefficients, rounded up to a power of two).
  Status check_model_commitment(const Commitment& model, std::size_t num_vars) const {
    if (auto ok = check_shape(model); !ok) return ok;
    if (model.num_vars != std::max<std::size_t>(num_vars, model.column_vars) || model.column_vars < min_model_column_vars) {
      return make_error(Errc::invalid_argument, "the model commitment does not fit the architecture's weights");
    }
    return {};
  }

  Status check_witness_commitment(const Commitment& witness, std::size_t num_vars, const Commitment& model,
                                  bool /*zero_knowledge*/) const {
    if (auto ok = check_shape(witness); !ok) return ok;
    if (witness.num_vars != std::max<std::size_t>(num_vars, model.column_vars) || witness.column_vars != model.column_vars ||
        witness.hiding != model.hiding || witness.rate_bits != model.rate_bits) {
      return make_error(Errc::malformed_proof, "the auxiliary commitment has the wrong shape");
    }
    return {};
  }

  /// The prover's check before a zero-knowledge proof: the code's hiding coefficients must cover
  /// an opening's columns (every tree of the opening takes them), or the opened columns, and
  /// D's halves, would show the rows.
  Status check_zero_knowledge(const Commitment& model, std::size_t /*witness_vars*/) const {
    if (auto ok = check_shape(model); !ok) return ok;
    if (model.column_vars < min_model_column_vars ||
        model.hiding < queries(model.column_vars, model.hiding, model.rate_bits)) {
      return make_error(Errc::invalid_argument, "the model commitment's code cannot hide a zero-knowledge opening");
    }
    return {};
  }

  template <CryptoRng Rng>
  using MaskProver = ligero::MaskProver<F, EF, Rng>;
  using MaskVerifier = ligero::MaskVerifier<EF>;

  template <CryptoRng Rng>
  MaskProver<Rng> mask_prover(const Commitment& witness, Rng& rng) const {
    return MaskProver<Rng>(opening_code(witness).code, witness.column_vars, witness.hiding, rng);
  }
  template <CryptoRng Rng>
  static void write_masks(io::ByteWriter& out, const MaskProver<Rng>& masks) {
    ligero::write_mask_roots(out, masks);
  }
  Result<MaskVerifier> read_masks(io::ByteReader& in, const Commitment& witness) const {
    return ligero::read_mask_roots<EF>(in, std::size_t{1} << witness.column_vars);
  }

  template <class T, CryptoRng Rng>
  void prove_hidden_claims(const CommittedTable<Commitment, Opening, std::int64_t>& weights,
                           const CommittedTable<Commitment, Opening, F>& witness, const MaskProver<Rng>& masks,
                           std::vector<CommittedClaim<EF>> weights_claims, std::vector<CommittedClaim<EF>> witness_claims,
                           T& transcript, Rng& rng, io::ByteWriter& out) const {
    auto rows_of = [&](const auto& table) {
      return ligero::OpenedRows<F>{table.values, table.opening.hiding_rows, table.opening.columns, table.opening.salts,
                                   *table.opening.tree, shape_of(table.commitment).rows};
    };
    ligero::write_model_opening(
        out, ligero::prove_model_opening(opening_code(witness.commitment), rows_of(weights), weights.commitment.num_vars,
                                         rows_of(witness), witness.commitment.num_vars, masks, std::move(weights_claims),
                                         std::move(witness_claims), transcript, rng));
  }

  template <class T>
  Status verify_hidden_claims(const Commitment& weights, const Commitment& witness, const MaskVerifier& masks,
                              std::vector<CommittedClaim<EF>> weights_claims, std::vector<CommittedClaim<EF>> witness_claims,
                              T& transcript, io::ByteReader& in) const {
    if (!masks.exhausted()) return make_error(Errc::malformed_proof, "model proof: unused mask rows");
    // The opening's trees share one code: the weights' (the model proof has checked the shapes;
    // checked again here, for callers of the scheme alone).
    if (auto ok = check_shape(weights); !ok) return ok;
    if (weights.column_vars < min_model_column_vars || weights.num_vars < weights.column_vars ||
        witness.num_vars < witness.column_vars || witness.column_vars != weights.column_vars ||
        witness.hiding != weights.hiding || witness.rate_bits != weights.rate_bits) {
      return make_error(Errc::malformed_proof, "ligero: the weights' and the witness's commitments do not share a code");
    }
    auto proof = ligero::read_model_opening<F, EF>(in);
    if (!proof) return proof.error();
    if (auto ok = ligero::verify_model_opening(opening_code(witness), {weights.root, shape_of(weights).rows}, weights.num_vars,
                                               {witness.root, shape_of(witness).rows}, witness.num_vars, masks,
                                               std::move(weights_claims), std::move(witness_claims), *proof, transcript);
        !ok) {
      return make_error(ok.error().code, "committed claims: " + ok.error().message);
    }
    return {};
  }

  /// Proves w~(point) = value; nothing else about the table is revealed.
  template <class T, CryptoRng Rng>
  EvaluationProof prove(std::span<const F> evaluations, const Opening& opening, const Commitment& commitment,
                        std::span<const EF> point, const EF& value, T& transcript, Rng& rng) const {
    const EvaluationClaim<EF> claim{std::vector<EF>(point.begin(), point.end()), value};
    return prove_batch(evaluations, opening, commitment, std::span(&claim, 1), transcript, rng);
  }

  template <class T>
  Status verify(const Commitment& commitment, std::span<const EF> point, const EF& value,
                const EvaluationProof& proof, T& transcript) const {
    const EvaluationClaim<EF> claim{std::vector<EF>(point.begin(), point.end()), value};
    return verify_batch(commitment, std::span(&claim, 1), proof, transcript);
  }

  /// The prover's fresh masks for one opening, as coefficients over EF: L (degree < C + r) and
  /// D = D_low + X^C D_high (each half of degree < C + r, D's sum over H zero).
  struct Masks {
    std::vector<EF> proximity;
    std::vector<EF> inner_low;
    std::vector<EF> inner_high;
  };

  /// Random masks for an opening on this commitment.
  template <CryptoRng Rng>
  Masks random_masks(const Commitment& commitment, Rng& rng) const {
    const Shape shape = shape_of(commitment);
    const std::size_t dimension = shape.columns + shape.hiding;
    Masks masks{std::vector<EF>(dimension), std::vector<EF>(dimension), std::vector<EF>(dimension)};
    for (auto* mask : {&masks.proximity, &masks.inner_low, &masks.inner_high}) {
      for (auto& m : *mask) m = EF::random(rng);
    }
    // D's sum over H is C times its coefficients at multiples of C: D_low's constant term
    // cancels the others.
    const std::vector<EF> inner = inner_mask(masks, shape);
    for (std::size_t m = 0; m < inner.size(); m += shape.columns) masks.inner_low[0] -= inner[m];
    return masks;
  }

  /// Proves every claim at once, with one pair of polynomials and one set of columns.
  template <class T, CryptoRng Rng>
  EvaluationProof prove_batch(std::span<const F> evaluations, const Opening& opening, const Commitment& commitment,
                              std::span<const EvaluationClaim<EF>> claims, T& transcript, Rng& rng) const {
    return prove_with_masks(evaluations, opening, commitment, claims, random_masks(commitment, rng), transcript, rng);
  }

  /// prove_batch with the given masks. Zero knowledge needs them fresh from random_masks for
  /// every opening; soundness holds whatever they are (the tests try masks that are not).
  template <class T, CryptoRng Rng>
  EvaluationProof prove_with_masks(std::span<const F> evaluations, const Opening& opening, const Commitment& commitment,
                                   std::span<const EvaluationClaim<EF>> claims, const Masks& masks, T& transcript,
                                   Rng& rng) const {
    const Shape shape = shape_of(commitment);
    if (claims.empty() || evaluations.size() > (std::size_t{1} << commitment.num_vars) ||
        opening.columns.size() != shape.codeword * shape.rows || masks.proximity.size() != shape.columns + shape.hiding ||
        masks.inner_low.size() != masks.proximity.size() || masks.inner_high.size() != masks.proximity.size()) {
      throw std::invalid_argument("ligero: claims, table, opening and masks disagree with the commitment");
    }
    for (const auto& claim : claims) {
      if (claim.point.size() > commitment.num_vars) throw std::invalid_argument("ligero: a point of the wrong dimension");
    }
    const HidingReedSolomon<F> code(commitment.column_vars, shape.hiding, commitment.rate_bits);
    absorb_claims(transcript, commitment, claims);

    // The masks' tree: L, D_low and D_high at every position.
    EvaluationProof proof;
    std::vector<EF> mask_codewords(mask_rows * shape.codeword);
    {
      std::vector<EF> codeword(shape.codeword);
      std::size_t offset = 0;
      for (const auto* mask : {&masks.proximity, &masks.inner_low, &masks.inner_high}) {
        code.evaluate(std::span<const EF>(*mask), std::span<EF>(codeword));
        for (std::size_t q = 0; q < shape.codeword; ++q) mask_codewords[mask_rows * q + offset] = codeword[q];
        ++offset;
      }
    }
    const std::vector<Salt> mask_salts = ligero::random_salts(shape.codeword, rng);
    const merkle::Tree mask_tree(ligero::leaf_digests(mask_codewords, mask_rows, mask_salts));
    proof.mask_root = mask_tree.root();
    transcript.absorb_bytes("ligero/mask_root", proof.mask_root);
    const Challenges challenges = draw_challenges(transcript, shape);

    // proximity = L + sum_i u_i P_i + u_R D_low + u_(R+1) D_high, the rows combined before
    // encoding (P is linear in the row and its hiding coefficients).
    const auto row_weights = std::span<const EF>(challenges.proximity).first(shape.rows);
    proof.proximity = combined_row(evaluations, opening, shape, code, row_weights);
    for (std::size_t m = 0; m < proof.proximity.size(); ++m) {
      proof.proximity[m] += masks.proximity[m] + challenges.proximity[shape.rows] * masks.inner_low[m] +
                            challenges.proximity[shape.rows + 1] * masks.inner_high[m];
    }

    // inner product = D + sum_k beta^(k+1) B_k P_(a_k), the products through transforms.
    proof.inner_product = inner_mask(masks, shape);
    const Radix2Domain<F> product_domain(std::size_t{1} << detail::ceil_log2(shape.inner_product_size));
    EF beta_power = challenges.beta;
    for (std::size_t k = 0; k < claims.size(); ++k, beta_power *= challenges.beta) {
      const auto [column_point, row_point] = split_point(shape, claims[k].point);
      std::vector<EF> row_poly =
          combined_row(evaluations, opening, shape, code, std::span<const EF>(eq_table(std::span<const EF>(row_point))));
      std::vector<EF> column_poly = eq_table(std::span<const EF>(column_point));
      code.interpolate_message(std::span<EF>(column_poly));
      const auto product =
          ligero::detail::product(product_domain, std::move(row_poly), std::move(column_poly), shape.inner_product_size);
      for (std::size_t m = 0; m < shape.inner_product_size; ++m) proof.inner_product[m] += beta_power * product[m];
    }
    absorb_polynomials(transcript, proof);

    const std::vector<std::size_t> positions = ligero::draw_positions(transcript, shape.codeword, shape.queries);
    proof.columns.reserve(positions.size() * shape.rows);
    for (std::size_t q : positions) {
      const auto column = std::span<const F>(opening.columns).subspan(q * shape.rows, shape.rows);
      proof.columns.insert(proof.columns.end(), column.begin(), column.end());
      proof.salts.push_back(opening.salts[q]);
      for (std::size_t m = 0; m < mask_rows; ++m) proof.mask_columns.push_back(mask_codewords[mask_rows * q + m]);
      proof.mask_salts.push_back(mask_salts[q]);
    }
    proof.siblings = opening.tree->open(positions);
    proof.mask_siblings = mask_tree.open(positions);
    return proof;
  }

  /// Checks a proof of the claims. Every part of the proof and the commitment may be hostile.
  template <class T>
  Status verify_batch(const Commitment& commitment, std::span<const EvaluationClaim<EF>> claims,
                      const EvaluationProof& proof, T& transcript) const {
    if (auto valid = check_shape(commitment); !valid) return valid;
    const Shape shape = shape_of(commitment);
    if (claims.empty()) return make_error(Errc::invalid_argument, "ligero: no claim to verify");
    for (const auto& claim : claims) {
      if (claim.point.size() > commitment.num_vars) {
        return make_error(Errc::invalid_argument, "ligero: a claim's point has the wrong dimension");
      }
    }
    if (proof.proximity.size() != shape.columns + shape.hiding || proof.inner_product.size() != shape.inner_product_size ||
        proof.salts.size() != shape.queries || proof.mask_salts.size() != shape.queries ||
        proof.columns.size() != shape.queries * shape.rows || proof.mask_columns.size() != mask_rows * shape.queries) {
      return make_error(Errc::malformed_proof, "ligero: the proof's sizes do not match the commitment's shape");
    }
    const HidingReedSolomon<F> code(commitment.column_vars, shape.hiding, commitment.rate_bits);
    absorb_claims(transcript, commitment, claims);
    transcript.absorb_bytes("ligero/mask_root", proof.mask_root);
    const Challenges challenges = draw_challenges(transcript, shape);
    absorb_polynomials(transcript, proof);
    const std::vector<std::size_t> positions = ligero::draw_positions(transcript, shape.codeword, shape.queries);

    // The claims' combination is the inner product's sum over H.
    EF claimed = EF::zero(), beta_power = challenges.beta;
    for (const auto& claim : claims) {
      claimed += beta_power * claim.value;
      beta_power *= challenges.beta;
    }
    EF sum_over_h = EF::zero();
    for (std::size_t m = 0; m < proof.inner_product.size(); m += shape.columns) sum_over_h += proof.inner_product[m];
    if (sum_over_h * F::from_u64(shape.columns) != claimed) {
      return make_error(Errc::verification_failed, "ligero: the inner product does not sum to the claimed values");
    }

    // Both trees hold the opened columns.
    if (auto opened = merkle::verify_opening(commitment.root, shape.codeword, positions,
                                             ligero::leaf_digests(proof.columns, shape.rows, proof.salts), proof.siblings);
        !opened) {
      return make_error(opened.error().code, "ligero: opened columns: " + opened.error().message);
    }
    if (auto opened = merkle::verify_opening(proof.mask_root, shape.codeword, positions,
                                             ligero::leaf_digests(proof.mask_columns, mask_rows, proof.mask_salts), proof.mask_siblings);
        !opened) {
      return make_error(opened.error().code, "ligero: opened masks: " + opened.error().message);
    }

    // The sent polynomials and the claims' column interpolants at the opened positions (each
    // evaluated on the whole codeword domain by one transform).
    const auto at_positions = [&](std::span<const EF> coefficients) {
      return ligero::detail::at_positions(code, coefficients, std::span<const std::size_t>(positions));
    };
    const std::vector<EF> proximity = at_positions(proof.proximity);
    const std::vector<EF> inner_product = at_positions(proof.inner_product);
    std::vector<std::vector<EF>> row_weights, column_weights;
    for (const auto& claim : claims) {
      const auto [column_point, row_point] = split_point(shape, claim.point);
      row_weights.push_back(eq_table(std::span<const EF>(row_point)));
      std::vector<EF> column_poly = eq_table(std::span<const EF>(column_point));
      code.interpolate_message(std::span<EF>(column_poly));
      column_weights.push_back(at_positions(column_poly));
    }
    const auto row_challenges = std::span<const EF>(challenges.proximity).first(shape.rows);
    for (std::size_t s = 0; s < positions.size(); ++s) {
      const std::size_t q = positions[s];
      const auto column = std::span<const F>(proof.columns).subspan(s * shape.rows, shape.rows);
      const EF* masks = &proof.mask_columns[mask_rows * s];  // L, D_low, D_high at q
      if (masks[0] + dot(row_challenges, column) + challenges.proximity[shape.rows] * masks[1] +
              challenges.proximity[shape.rows + 1] * masks[2] !=
          proximity[s]) {
        return make_error(Errc::verification_failed, "ligero: an opened column fails the proximity test");
      }
      EF expected = masks[1] + masks[2] * pow(code.point(q), shape.columns);
      beta_power = challenges.beta;
      for (std::size_t k = 0; k < claims.size(); ++k, beta_power *= challenges.beta) {
        expected += beta_power * column_weights[k][s] * dot(row_weights[k], column);
      }
      if (expected != inner_product[s]) {
        return make_error(Errc::verification_failed, "ligero: an opened column fails the inner-product test");
      }
    }
    return {};
  }

  using BatchProof = EvaluationProof;
  static std::vector<std::uint8_t> encode_batch_proof(const BatchProof& proof) { return encode_proof(proof); }
  static Result<BatchProof> decode_batch_proof(std::span<const std::uint8_t> bytes) { return decode_proof(bytes); }

  /// Commitment: root, then the shape as four u32.
  static std::vector<std::uint8_t> encode_commitment(const Commitment& commitment) {
    io::ByteWriter out;
    out.write_bytes(commitment.root);
    out.write_u32(commitment.num_vars);
    out.write_u32(commitment.column_vars);
    out.write_u32(commitment.hiding);
    out.write_u32(commitment.rate_bits);
    return std::move(out).take();
  }

  static Result<Commitment> decode_commitment(std::span<const std::uint8_t> bytes) {
    io::ByteReader in(bytes);
    Commitment commitment;
    if (auto root = ligero::read_block(in, commitment.root, "ligero commitment root"); !root) return root.error();
    for (std::uint32_t* field : {&commitment.num_vars, &commitment.column_vars, &commitment.hiding, &commitment.rate_bits}) {
      auto value = in.read_u32("ligero commitment shape");
      if (!value) return value.error();
      *field = *value;
    }
    if (auto end = in.expect_end("ligero commitment"); !end) return end.error();
    if (auto valid = validate(commitment); !valid) return valid.error();
    return commitment;
  }

  /// Proof: the mask root, then each vector as a u32 count and its entries.
  static std::vector<std::uint8_t> encode_proof(const EvaluationProof& proof) {
    io::ByteWriter out;
    out.write_bytes(proof.mask_root);
    ligero::write_fields(out, proof.proximity);
    ligero::write_fields(out, proof.inner_product);
    ligero::write_fields(out, proof.columns);
    ligero::write_salts(out, proof.salts);
    ligero::write_digests(out, proof.siblings);
    ligero::write_fields(out, proof.mask_columns);
    ligero::write_salts(out, proof.mask_salts);
    ligero::write_digests(out, proof.mask_siblings);
    return std::move(out).take();
  }

  static Result<EvaluationProof> decode_proof(std::span<const std::uint8_t> bytes) {
    io::ByteReader in(bytes);
    EvaluationProof proof;
    if (auto root = ligero::read_block(in, proof.mask_root, "ligero proof mask root"); !root) return root.error();
    if (auto s = ligero::read_fields(in, proof.proximity, "ligero proximity polynomial"); !s) return s.error();
    if (auto s = ligero::read_fields(in, proof.inner_product, "ligero inner-product polynomial"); !s) return s.error();
    if (auto s = ligero::read_fields(in, proof.columns, "ligero opened columns"); !s) return s.error();
    if (auto s = ligero::read_blocks(in, proof.salts, "ligero salts"); !s) return s.error();
    if (auto s = ligero::read_blocks(in, proof.siblings, "ligero Merkle digests"); !s) return s.error();
    if (auto s = ligero::read_fields(in, proof.mask_columns, "ligero opened masks"); !s) return s.error();
    if (auto s = ligero::read_blocks(in, proof.mask_salts, "ligero mask salts"); !s) return s.error();
    if (auto s = ligero::read_blocks(in, proof.mask_siblings, "ligero mask Merkle digests"); !s) return s.error();
    if (auto end = in.expect_end("ligero proof"); !end) return end.error();
    return proof;
  }

 private:
  struct Shape {
    std::size_t rows, columns, hiding, codeword, queries, inner_product_size;
  };

  struct Challenges {
    std::vector<EF> proximity;  // one per row, then D_low's and D_high's
    EF beta;
  };

  /// The masks' tree holds three values of EF per position: L, D_low, D_high.
  static constexpr std::size_t mask_rows = 3;

  /// Bounds a commitment's shape before any work depends on it (what a decoder can check
  /// without the scheme's parameters).
  static Status validate(const Commitment& commitment) {
    if (commitment.num_vars > max_num_vars || commitment.column_vars > max_column_vars ||
        commitment.rate_bits < 2 || commitment.rate_bits > max_rate_bits ||
        commitment.hiding > (std::size_t{1} << commitment.column_vars)) {
      return make_error(Errc::invalid_encoding, "ligero: a commitment shape beyond the scheme's limits");
    }
    return {};
  }

  /// Whether a verifier with these parameters accepts the shape: its own rate, and a query
  /// count the codeword can supply. The shape is the committer's choice: a hiding so large
  /// that the inner product nearly fills the codeword would need more queries than positions,
  /// and capping them would let a wrong inner product through.
  Status check_shape(const Commitment& commitment) const {
    if (auto valid = validate(commitment); !valid) return valid;
    if (commitment.rate_bits != parameters_.rate_bits) {
      return make_error(Errc::verification_failed, "ligero: the commitment uses another code rate than this verifier's");
    }
    const Shape shape = shape_of(commitment);
    if (shape.queries > shape.codeword / 2 || shape.hiding > shape.columns / 2) {
      return make_error(Errc::verification_failed,
                        "ligero: the commitment's shape leaves too few positions for a sound opening");
    }
    return {};
  }

  /// D's coefficients, D_low + X^C D_high.
  static std::vector<EF> inner_mask(const Masks& masks, const Shape& shape) {
    std::vector<EF> inner(shape.inner_product_size, EF::zero());
    for (std::size_t m = 0; m < masks.inner_low.size(); ++m) {
      inner[m] += masks.inner_low[m];
      inner[shape.columns + m] += masks.inner_high[m];
    }
    return inner;
  }

  ligero::OpeningCode<F> opening_code(const Commitment& commitment) const {
    return {std::make_shared<const HidingReedSolomon<F>>(commitment.column_vars, commitment.hiding, commitment.rate_bits),
            commitment.column_vars, commitment.hiding, queries(commitment.column_vars, commitment.hiding, commitment.rate_bits)};
  }

  Shape shape_of(const Commitment& commitment) const {
    Shape shape;
    const std::size_t n = commitment.num_vars, k = commitment.column_vars;
    shape.rows = std::size_t{1} << (n > k ? n - k : 0);
    shape.columns = std::size_t{1} << k;
    shape.hiding = commitment.hiding;
    shape.codeword = shape.columns << commitment.rate_bits;
    shape.queries = queries(k, shape.hiding, commitment.rate_bits);
    shape.inner_product_size = 2 * shape.columns + shape.hiding;
    return shape;
  }

  static std::size_t challenge_field_bits() {
    std::size_t degree = 1;
    if constexpr (!std::same_as<EF, F>) degree = EF::extension_degree;
    return degree * field_size_bits<F>();
  }

  /// The point's column and row parts. A point may have fewer coordinates than the table has
  /// variables: the missing ones are zero (a claim on the table's first 2^|point| entries, as a
  /// table committed with padding).
  static std::pair<std::vector<EF>, std::vector<EF>> split_point(const Shape& shape, std::span<const EF> point) {
    const std::size_t k = detail::ceil_log2(shape.columns), row_vars = detail::ceil_log2(shape.rows);
    std::vector<EF> column(k, EF::zero()), row(row_vars, EF::zero());
    for (std::size_t c = 0; c < std::min(k, point.size()); ++c) column[c] = point[c];
    for (std::size_t c = k; c < point.size(); ++c) row[c - k] = point[c];
    return {std::move(column), std::move(row)};
  }

  static void row_of(std::span<const F> evaluations, const Shape& shape, std::size_t i, std::vector<F>& out) {
    const std::size_t begin = std::min(evaluations.size(), i * shape.columns);
    const std::size_t end = std::min(evaluations.size(), begin + shape.columns);
    std::copy(evaluations.begin() + static_cast<std::ptrdiff_t>(begin), evaluations.begin() + static_cast<std::ptrdiff_t>(end),
              out.begin());
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(end - begin), out.end(), F::zero());
  }

  static std::span<const F> hiding_row(const Opening& opening, const Shape& shape, std::size_t i) {
    return std::span<const F>(opening.hiding_rows).subspan(i * shape.hiding, shape.hiding);
  }

  /// The coefficients of sum_i weights_i P_i: the rows and their hiding coefficients combined
  /// (each column on its own thread's share), then encoded as one row.
  static std::vector<EF> combined_row(std::span<const F> evaluations, const Opening& opening, const Shape& shape,
                                      const HidingReedSolomon<F>& code, std::span<const EF> weights) {
    std::vector<EF> message(shape.columns, EF::zero()), hiding(shape.hiding, EF::zero());
    detail::parallel_for(0, shape.columns, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = 0; i < shape.rows; ++i) {
        const std::size_t row_begin = i * shape.columns;
        if (row_begin >= evaluations.size()) break;
        const std::size_t end = std::min(last, evaluations.size() - row_begin);
        for (std::size_t j = first; j < end; ++j) message[j] += weights[i] * evaluations[row_begin + j];
      }
    });
    for (std::size_t i = 0; i < shape.rows; ++i) {
      const auto row = hiding_row(opening, shape, i);
      for (std::size_t j = 0; j < shape.hiding; ++j) hiding[j] += weights[i] * row[j];
    }
    std::vector<EF> coefficients(code.dimension());
    code.row_coefficients(std::span<const EF>(message), std::span<const EF>(hiding), std::span<EF>(coefficients));
    return coefficients;
  }

  static EF dot(std::span<const EF> weights, std::span<const F> values) {
    EF sum = EF::zero();
    for (std::size_t i = 0; i < values.size(); ++i) sum += weights[i] * values[i];
    return sum;
  }

  template <class T>
  static void absorb_claims(T& transcript, const Commitment& commitment, std::span<const EvaluationClaim<EF>> claims) {
    absorb_commitment(transcript, commitment);
    absorb_evaluation_claims(transcript, "ligero", claims);
  }

  /// The proximity test's coefficients (one per row, then D_low's and D_high's) and the
  /// claims' multiplier, drawn after the masks are bound.
  template <class T>
  static Challenges draw_challenges(T& transcript, const Shape& shape) {
    Challenges challenges;
    challenges.proximity = transcript.template challenges<EF>("ligero/proximity", shape.rows + 2);
    challenges.beta = transcript.template challenge<EF>("ligero/beta");
    return challenges;
  }

  template <class T>
  static void absorb_polynomials(T& transcript, const EvaluationProof& proof) {
    transcript.absorb_fields("ligero/proximity_polynomial", std::span<const EF>(proof.proximity));
    transcript.absorb_fields("ligero/inner_product_polynomial", std::span<const EF>(proof.inner_product));
  }

  LigeroParameters parameters_;
};

}  // namespace zkcnn::pcs
