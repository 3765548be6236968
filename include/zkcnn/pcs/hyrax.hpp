#pragma once
// Hyrax commitments to multilinear polynomials (Wahby et al., S&P 2018, section 6;
// docs/protocol.md section 7).
//
// The 2^n evaluations are a 2^a x 2^b matrix M (row r, column c hold index r 2^b + c, so the
// low b coordinates of a point select the column). Each row is committed with a hiding Pedersen
// commitment C_r = <M_r, G> + rho_r H. At z = (z_col, z_row), M~(z) = <L^T M, R> with
// L = eq(z_row, .) and R = eq(z_col, .): the verifier forms C' = sum_r L_r C_r, a commitment
// to u = L^T M with blinding sum_r L_r rho_r, and the prover shows <u, R> = v with the
// zero-knowledge inner-product argument, u never revealed. The value v is either public, or
// hidden in V = v U + tau H. Both enter the argument as x V with a fresh challenge x, so the
// prover cannot trade value for vector once C' and V are fixed.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/concepts/random.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/detail/zk_probes.hpp"
#include "zkcnn/ec/msm.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/small_integers.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/pcs/batch_opening.hpp"
#include "zkcnn/pcs/hyrax_commitment.hpp"
#include "zkcnn/pcs/hyrax_model_opening.hpp"
#include "zkcnn/pcs/inner_product.hpp"
#include "zkcnn/pcs/pedersen.hpp"
#include "zkcnn/poly/eq.hpp"

namespace zkcnn {

template <CommitmentGroup G>
class Hyrax {
 public:
  using Group = G;
  using Scalar = scalar_of<G>;
  /// Points and values live in the table's own field.
  using Challenge = Scalar;
  using Commitment = HyraxCommitment<G>;
  using Opening = HyraxOpening<G>;
  using EvaluationProof = HyraxEvaluationProof<G>;

  /// A key for rows of up to 2^max_column_vars entries, derived from `domain`.
  Hyrax(std::string_view domain, std::size_t max_column_vars)
      : max_column_vars_(max_column_vars), key_(std::string(domain) + "/hyrax", std::size_t{1} << max_column_vars) {}

  const PedersenKey<G>& key() const { return key_; }

  /// Binds the key a proof is made with: its domain and number of generators, so that a
  /// proof verifies only with the key it was made with (a verifier cannot be talked into
  /// another key's commitments or into deriving a larger key than the statement implies).
  template <class T>
  void absorb_parameters(T& transcript) const {
    transcript.absorb_string("hyrax/key_domain", key_.domain());
    transcript.absorb_u64("hyrax/key_size", key_.size());
  }

  /// The byte encodings (defined below with the free functions they forward to).
  static std::vector<std::uint8_t> encode_commitment(const Commitment& commitment);
  static Result<Commitment> decode_commitment(std::span<const std::uint8_t> bytes);
  static std::vector<std::uint8_t> encode_proof(const EvaluationProof& proof);
  static Result<EvaluationProof> decode_proof(std::span<const std::uint8_t> bytes);
  using BatchProof = HyraxBatchProof<G>;
  static std::vector<std::uint8_t> encode_batch_proof(const BatchProof& proof);
  static Result<BatchProof> decode_batch_proof(std::span<const std::uint8_t> bytes);
  std::size_t max_column_vars() const { return max_column_vars_; }

  /// The square-ish shape: columns take the larger half of the variables, which balances the
  /// commitment (2^a rows) against the verifier's multi-scalar multiplication (2^b columns).
  static std::size_t balanced_column_vars(std::size_t num_vars) { return (num_vars + 1) / 2; }

  /// Rows a default-shaped commitment keeps to when the key allows (2^11 rows: 64 KiB on
  /// BN254), because commitments made per proof travel inside the proof.
  static constexpr std::size_t max_default_row_vars = 11;

  /// The default shape: balanced, or with more columns when that keeps the commitment within
  /// 2^max_default_row_vars rows, as far as the key allows.
  std::size_t default_column_vars(std::size_t num_vars) const {
    const std::size_t wide = num_vars > max_default_row_vars ? num_vars - max_default_row_vars : 0;
    return std::min(std::max(balanced_column_vars(num_vars), wide), max_column_vars_);
  }

  /// Hears of each row committed: the rows done so far and in all.
  using RowProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

  /// Commits to the multilinear polynomial with the given evaluations (zero-padded to 2^n),
  /// with `column_vars` columns' worth of variables (default: default_column_vars);
  /// `progress`, if given, hears of every row committed.
  template <CryptoRng Rng>
  std::pair<Commitment, Opening> commit(std::span<const Scalar> evaluations, std::size_t num_vars, Rng& rng,
                                        std::optional<std::size_t> column_vars = std::nullopt,
                                        const RowProgress& progress = {}) const {
    return commit_entries(evaluations, num_vars, rng, column_vars, progress);
  }

 private:
  // The same for entries that are field elements or integers: an integer row is converted into
  // a buffer of its thread's just before its MSM.
  template <class Entry, CryptoRng Rng>
  std::pair<Commitment, Opening> commit_entries(std::span<const Entry> evaluations, std::size_t num_vars, Rng& rng,
                                                std::optional<std::size_t> column_vars, const RowProgress& progress) const {
    const std::size_t b = column_vars.value_or(default_column_vars(num_vars));
    if (b > num_vars || b > max_column_vars_ || num_vars >= 64 || evaluations.size() > (std::size_t{1} << num_vars)) {
      throw std::invalid_argument("Hyrax::commit: shape does not fit the polynomial or the key");
    }
    const std::size_t columns = std::size_t{1} << b;
    const std::size_t rows = std::size_t{1} << (num_vars - b);
    Commitment commitment{static_cast<std::uint32_t>(num_vars), static_cast<std::uint32_t>(b), {}};
    Opening opening;
    opening.row_blinds.reserve(rows);
    for (std::size_t r = 0; r < rows; ++r) {
      opening.row_blinds.push_back(zk_probes::masking_random<Scalar>(rng, zk_probes::Mutation::witness_row_blinds));
    }
    // Rows are independent: with as many rows as threads, each row's MSM runs on one thread.
    // Rows are dealt to the threads in turn, not in halves: a model's table puts its layers'
    // weights in blocks padded to powers of two, so runs of zero rows (cheap) alternate with
    // full ones, and halves left one thread idle for a third of VGG-16's commitment.
    commitment.rows.resize(rows);
    const std::size_t threads = detail::default_thread_count();
    const std::size_t msm_threads = rows >= threads ? 1 : threads;
    std::mutex reporting;  // progress hears of rows one at a time, in increasing counts
    std::uint64_t rows_done = 0;
    const SmallIntegers<Scalar> to_scalar;
    detail::parallel_for_dealt(0, rows, rows, [&](std::size_t, std::size_t first, std::size_t last) {
      std::vector<Scalar> converted;
      for (std::size_t r = first; r < last; ++r) {
        const std::size_t begin = std::min(evaluations.size(), r * columns);
        const std::size_t end = std::min(evaluations.size(), begin + columns);
        const auto row = evaluations.subspan(begin, end - begin);
        if constexpr (std::same_as<Entry, Scalar>) {
          commitment.rows[r] = key_.commit(row, opening.row_blinds[r], msm_threads);
        } else {
          converted.resize(row.size());
          for (std::size_t i = 0; i < row.size(); ++i) converted[i] = to_scalar(row[i]);
          commitment.rows[r] = key_.commit(std::span<const Scalar>(converted), opening.row_blinds[r], msm_threads);
        }
        if (progress) {
          const std::lock_guard lock(reporting);
          progress(++rows_done, rows);
        }
      }
    }, rows >= threads ? threads : 1);
    // Affine rows, with one shared inversion: every later encoding (the transcript's, the
    // file's) and every verifier's multi-scalar multiplication then reads them as they are.
    group_traits<G>::batch_normalize(std::span<G>(commitment.rows));
    return {std::move(commitment), std::move(opening)};
  }

 public:
  // What a model proof needs (ModelCommitmentScheme; pcs/hyrax_model_opening.hpp).

  /// A model's weights: columns take the smaller half of the variables. The verifier's
  /// multi-scalar multiplication covers the rows and the columns alike, but the prover's
  /// inner-product argument folds one generator per column with a scalar multiplication, and
  /// the weights' commitment, published once, does not travel in proofs.
  template <CryptoRng Rng>
  std::pair<Commitment, Opening> commit_model(std::span<const std::int64_t> weights, std::size_t num_vars, Rng& rng,
                                              const RowProgress& progress = {}) const {
    const std::size_t columns = std::min({std::max<std::size_t>(num_vars / 2, 1), num_vars, max_column_vars_});
    return commit_entries(weights, num_vars, rng, columns, progress);
  }

  /// A proof's auxiliary witness, shaped by hyrax::aux_column_vars.
  template <CryptoRng Rng>
  std::pair<Commitment, Opening> commit_witness(std::span<const Scalar> values, std::size_t num_vars,
                                                const Commitment& model, bool zero_knowledge, Rng& rng) const {
    return commit(values, num_vars, rng, witness_column_vars(num_vars, model, zero_knowledge));
  }

  std::size_t witness_column_vars(std::size_t num_vars, const Commitment& model, bool zero_knowledge) const {
    return hyrax::aux_column_vars(default_column_vars(num_vars), num_vars, model.column_vars, zero_knowledge);
  }

  /// A published model commitment: the architecture's `num_vars` variables, columns the key holds.
  Status check_model_commitment(const Commitment& model, std::size_t num_vars) const {
    if (model.num_vars != num_vars || model.column_vars > max_column_vars_) {
      return make_error(Errc::invalid_argument, "the model commitment does not fit the architecture's weights or the key");
    }
    return {};
  }

  /// A witness commitment read from a proof: `num_vars` variables, columns the key holds.
  Status check_witness_commitment(const Commitment& witness, std::size_t num_vars, const Commitment& /*model*/,
                                  bool zero_knowledge) const {
    if (witness.num_vars != num_vars || witness.column_vars > max_column_vars_ ||
        (zero_knowledge && !hyrax::opening_fits_key(witness.column_vars, key_.size()))) {
      return make_error(Errc::malformed_proof, "the auxiliary commitment has the wrong shape");
    }
    return {};
  }

  /// Whether the key holds the zero-knowledge openings of a model committed as `model` with an
  /// auxiliary witness of `witness_vars` variables (checked before a prover does any work).
  Status check_zero_knowledge(const Commitment& model, std::size_t witness_vars) const {
    if (!hyrax::opening_fits_key(model.column_vars, key_.size()) ||
        !hyrax::opening_fits_key(witness_column_vars(witness_vars, model, true), key_.size())) {
      return make_error(Errc::invalid_argument, "the commitment key is too small for a zero-knowledge opening (" +
                                                    std::to_string(key_.size()) + " generators)");
    }
    return {};
  }

  template <CryptoRng Rng>
  using MaskProver = hyrax::MaskProver<G, Rng>;
  using MaskVerifier = hyrax::MaskVerifier<G>;

  /// The masks' rows are as wide as the witness's: the joint opening takes them as a matrix.
  template <CryptoRng Rng>
  MaskProver<Rng> mask_prover(const Commitment& witness, Rng& rng) const {
    return MaskProver<Rng>(key_, std::size_t{1} << witness.column_vars, rng);
  }
  template <CryptoRng Rng>
  static void write_masks(io::ByteWriter& out, const MaskProver<Rng>& masks) {
    hyrax::write_mask_rows(out, masks);
  }
  Result<MaskVerifier> read_masks(io::ByteReader& in, const Commitment& witness) const {
    return hyrax::read_mask_rows<G>(in, std::size_t{1} << witness.column_vars);
  }

  template <class T, CryptoRng Rng>
  void prove_hidden_claims(const CommittedTable<Commitment, Opening, std::int64_t>& weights,
                           const CommittedTable<Commitment, Opening, Scalar>& witness, const MaskProver<Rng>& masks,
                           std::vector<CommittedClaim<Scalar>> weights_claims,
                           std::vector<CommittedClaim<Scalar>> witness_claims, T& transcript, Rng& rng,
                           io::ByteWriter& out) const {
    hyrax::prove_model_claims(key_, weights, witness, masks, std::move(weights_claims), std::move(witness_claims),
                              transcript, rng, out);
  }
  template <class T>
  Status verify_hidden_claims(const Commitment& weights, const Commitment& witness, const MaskVerifier& masks,
                              std::vector<CommittedClaim<Scalar>> weights_claims,
                              std::vector<CommittedClaim<Scalar>> witness_claims, T& transcript, io::ByteReader& in) const {
    return hyrax::verify_model_claims(key_, weights, witness, masks, std::move(weights_claims), std::move(witness_claims),
                                      transcript, in);
  }

  /// Binds a commitment into a transcript; prover and verifier both call this (and prove and
  /// verify call it themselves before their first challenge, so no caller can forget it).
  template <class T>
  static void absorb_commitment(T& transcript, const Commitment& commitment) {
    transcript.absorb_u64("hyrax/num_vars", commitment.num_vars);
    transcript.absorb_u64("hyrax/column_vars", commitment.column_vars);
    std::vector<G> rows = commitment.rows;
    group_traits<G>::batch_normalize(rows);  // one shared inversion for all the encodings
    io::ByteWriter encoded;
    encoded.write_groups(std::span<const G>(rows));
    transcript.absorb_bytes("hyrax/rows", std::move(encoded).take());
  }

  /// Proves that the committed polynomial takes the value `value` at `point` (public value).
  template <class T, CryptoRng Rng>
  EvaluationProof prove(std::span<const Scalar> evaluations, const Opening& opening, const Commitment& commitment,
                        std::span<const Scalar> point, const Scalar& value, T& transcript, Rng& rng) const {
    absorb_evaluation_claim(transcript, commitment, point, value);
    return prove_after_claim(evaluations, opening, commitment, point, std::nullopt, Scalar::zero(), transcript, rng);
  }

  /// Proves an evaluation whose value stays hidden in V = value U + tau H (returned in the
  /// proof); `tau` is returned for protocols that use V further.
  template <class T, CryptoRng Rng>
  std::pair<EvaluationProof, Scalar> prove_hidden(std::span<const Scalar> evaluations, const Opening& opening,
                                                  const Commitment& commitment, std::span<const Scalar> point,
                                                  const Scalar& value, T& transcript, Rng& rng) const {
    const Scalar tau = Scalar::random(rng);
    const G value_commitment = group_traits<G>::add(group_traits<G>::scalar_mul(key_.value_generator(), value),
                                                    group_traits<G>::scalar_mul(key_.blinding_generator(), tau));
    absorb_hidden_claim(transcript, commitment, point, value_commitment);
    auto proof = prove_after_claim(evaluations, opening, commitment, point, value_commitment, tau, transcript, rng);
    return {std::move(proof), tau};
  }

  /// Checks a public-value evaluation proof.
  template <class T>
  Status verify(const Commitment& commitment, std::span<const Scalar> point, const Scalar& value,
                const EvaluationProof& proof, T& transcript) const {
    if (proof.value_commitment) {
      return make_error(Errc::malformed_proof, "hyrax: a public-value proof must not carry a value commitment");
    }
    absorb_evaluation_claim(transcript, commitment, point, value);
    return verify_after_claim(commitment, point, key_.value_generator(), value, proof, transcript);
  }

  /// Opens K claims M~(z_k) = v_k at once, at the cost of one pass over the rows the claims
  /// select plus one inner-product argument. Writing z_k = (c_k, w_k) (column and row
  /// coordinates) and u_k = eq(w_k, .)^T M, the claims say sum_k alpha^k v_k =
  /// sum_x sum_k alpha^k eq(c_k, x) u_k~(x) over the 2^b columns x: a sumcheck over the column
  /// variables reduces this to the values u_k~(s) = M~(s, w_k) at one random s, which all share
  /// their column point, so (sum_k gamma^k eq(w_k, .))^T M opens all of them with one argument.
  /// The prover never runs a sumcheck over the whole table, and the verifier's work is one MSM
  /// over the rows as for a single opening.
  template <class T, CryptoRng Rng>
  HyraxBatchProof<G> prove_batch(std::span<const Scalar> evaluations, const Opening& opening,
                                 const Commitment& commitment, std::span<const EvaluationClaim<Scalar>> claims,
                                 T& transcript, Rng& rng) const {
    check_opening(evaluations, opening, commitment);
    for (const auto& claim : claims) {
      if (claim.point.size() != commitment.num_vars) throw std::invalid_argument("Hyrax::prove_batch: claim of the wrong dimension");
    }
    const std::size_t b = commitment.column_vars;
    const std::size_t columns = std::size_t{1} << b;
    const Scalar alpha = absorb_batch(transcript, commitment, claims);
    // u_k = L_k^T M for every claim, touching only the rows L_k selects.
    std::vector<std::vector<Scalar>> partial;
    partial.reserve(claims.size());
    for (const auto& claim : claims) partial.push_back(row_combination(evaluations, commitment, row_weights(claim.point, b)));
    // The sumcheck over the columns: g(x) = sum_k alpha^k eq(c_k, x) u_k(x).
    std::vector<std::vector<Scalar>> tables;
    std::vector<sumcheck::Term<Scalar>> terms;
    Scalar sum = Scalar::zero(), power = Scalar::one();
    for (std::size_t k = 0; k < claims.size(); ++k) {
      tables.push_back(eq_table<Scalar>(std::span<const Scalar>(claims[k].point).first(b)));
      tables.push_back(partial[k]);
      terms.push_back({power, {2 * k, 2 * k + 1}});
      sum += power * claims[k].value;
      power *= alpha;
    }
    auto reduced = sumcheck::prove(sumcheck::SumOfProducts<Scalar>(b, std::move(tables), std::move(terms)), sum, transcript);
    HyraxBatchProof<G> proof;
    proof.rounds = std::move(reduced.proof.round_messages);
    for (std::size_t k = 0; k < claims.size(); ++k) proof.row_values.push_back(reduced.factor_values[2 * k + 1]);
    transcript.absorb_fields("hyrax/batch/row_values", std::span<const Scalar>(proof.row_values));
    // One argument for sum_k gamma^k u_k at the column point s.
    const Scalar gamma = transcript.template challenge<Scalar>("hyrax/batch/gamma");
    std::vector<Scalar> u(columns, Scalar::zero());
    Scalar blind = Scalar::zero();
    power = Scalar::one();
    for (std::size_t k = 0; k < claims.size(); ++k) {
      for (std::size_t c = 0; c < columns; ++c) u[c] += power * partial[k][c];
      const auto weights = row_weights(claims[k].point, b);
      for (std::size_t r = 0; r < weights.size(); ++r) blind += power * weights[r] * opening.row_blinds[r];
      power *= gamma;
    }
    const Scalar x = value_challenge(transcript);
    proof.inner_product = prove_inner_product<G>(transcript, key_.generators().first(columns),
                                                 group_traits<G>::scalar_mul(key_.value_generator(), x),
                                                 key_.blinding_generator(), std::move(u),
                                                 eq_table<Scalar>(std::span<const Scalar>(reduced.point)), blind, rng);
    return proof;
  }

  template <class T>
  Status verify_batch(const Commitment& commitment, std::span<const EvaluationClaim<Scalar>> claims,
                      const HyraxBatchProof<G>& proof, T& transcript) const {
    const std::size_t n = commitment.num_vars;
    const std::size_t b = commitment.column_vars;
    if (b > n || b > max_column_vars_ || n - b >= 40 || commitment.rows.size() != (std::size_t{1} << (n - b))) {
      return make_error(Errc::malformed_proof, "hyrax: the commitment's shape is inconsistent or exceeds the key");
    }
    if (claims.empty()) return make_error(Errc::invalid_argument, "hyrax batch: no claims");
    for (const auto& claim : claims) {
      if (claim.point.size() != n) return make_error(Errc::invalid_argument, "hyrax batch: a claim of the wrong dimension");
    }
    if (proof.rounds.size() != b || proof.row_values.size() != claims.size()) {
      return make_error(Errc::malformed_proof, "hyrax batch: the proof's shape does not match the claims");
    }
    const Scalar alpha = absorb_batch(transcript, commitment, claims);
    Scalar sum = Scalar::zero(), power = Scalar::one();
    for (const auto& claim : claims) {
      sum += power * claim.value;
      power *= alpha;
    }
    auto subclaim = sumcheck::verify(sum, b, 2, sumcheck::Proof<Scalar>{proof.rounds}, transcript);
    if (!subclaim) return subclaim.error();
    const std::span<const Scalar> s(subclaim->point);
    Scalar expected = Scalar::zero();
    power = Scalar::one();
    for (std::size_t k = 0; k < claims.size(); ++k) {
      expected += power * eq_eval(std::span<const Scalar>(claims[k].point).first(b), s) * proof.row_values[k];
      power *= alpha;
    }
    if (auto ok = sumcheck::check_subclaim(*subclaim, expected); !ok) {
      return make_error(Errc::verification_failed, "hyrax batch: " + ok.error().message);
    }
    transcript.absorb_fields("hyrax/batch/row_values", std::span<const Scalar>(proof.row_values));
    const Scalar gamma = transcript.template challenge<Scalar>("hyrax/batch/gamma");
    LinearCombination<G> statement;
    statement.points = commitment.rows;
    statement.scalars.assign(commitment.rows.size(), Scalar::zero());
    Scalar value = Scalar::zero();
    power = Scalar::one();
    for (std::size_t k = 0; k < claims.size(); ++k) {
      const auto weights = eq_table<Scalar>(std::span<const Scalar>(claims[k].point).subspan(b));
      for (std::size_t r = 0; r < weights.size(); ++r) statement.scalars[r] += power * weights[r];
      value += power * proof.row_values[k];
      power *= gamma;
    }
    const Scalar x = value_challenge(transcript);
    statement.points.push_back(key_.value_generator());
    statement.scalars.push_back(x * value);
    return verify_inner_product<G>(transcript, key_.generators().first(std::size_t{1} << b),
                                   group_traits<G>::scalar_mul(key_.value_generator(), x), key_.blinding_generator(),
                                   eq_table<Scalar>(s), std::move(statement), proof.inner_product);
  }

  /// Checks a hidden-value evaluation proof: the committed polynomial's value at `point` is the
  /// one committed in proof.value_commitment.
  template <class T>
  Status verify_hidden(const Commitment& commitment, std::span<const Scalar> point, const EvaluationProof& proof,
                       T& transcript) const {
    if (!proof.value_commitment) return make_error(Errc::malformed_proof, "hyrax: the value commitment is missing");
    absorb_hidden_claim(transcript, commitment, point, *proof.value_commitment);
    return verify_after_claim(commitment, point, *proof.value_commitment, Scalar::one(), proof, transcript);
  }

 private:
  // The opening, table and commitment must belong together and fit the key (an opening of
  // another shape would otherwise be read out of bounds).
  void check_opening(std::span<const Scalar> evaluations, const Opening& opening, const Commitment& commitment) const {
    const std::size_t n = commitment.num_vars;
    const std::size_t b = commitment.column_vars;
    if (b > n || b > max_column_vars_ || n - b >= 64 || commitment.rows.size() != (std::size_t{1} << (n - b)) ||
        opening.row_blinds.size() != commitment.rows.size() || (n < 64 && evaluations.size() > (std::size_t{1} << n))) {
      throw std::invalid_argument("Hyrax: commitment, opening and evaluations do not match");
    }
  }

  template <class T>
  static Scalar absorb_batch(T& transcript, const Commitment& commitment, std::span<const EvaluationClaim<Scalar>> claims) {
    absorb_commitment(transcript, commitment);
    absorb_evaluation_claims(transcript, "hyrax/batch", claims);
    return transcript.template challenge<Scalar>("hyrax/batch/alpha");
  }

  static std::vector<Scalar> row_weights(std::span<const Scalar> point, std::size_t column_vars) {
    return eq_table<Scalar>(point.subspan(column_vars));
  }

  // L^T M: the rows combined with the weights L, skipping rows of weight zero (a claim on one
  // block of a larger polynomial selects only that block's rows). Columns are split between
  // threads, so the sums do not depend on their number.
  static std::vector<Scalar> row_combination(std::span<const Scalar> evaluations, const Commitment& commitment,
                                             std::span<const Scalar> weights) {
    const std::size_t columns = std::size_t{1} << commitment.column_vars;
    std::vector<Scalar> u(columns, Scalar::zero());
    zkcnn::detail::parallel_for(0, columns, [&](std::size_t first, std::size_t last) {
      for (std::size_t r = 0; r < weights.size(); ++r) {
        if (weights[r] == Scalar::zero()) continue;
        const std::size_t begin = r * columns;
        const std::size_t end = std::min(evaluations.size(), begin + last);
        for (std::size_t c = begin + first; c < end; ++c) u[c - begin] += weights[r] * evaluations[c];
      }
    });
    return u;
  }

  template <class T>
  static void absorb_evaluation_claim(T& transcript, const Commitment& commitment, std::span<const Scalar> point,
                                      const Scalar& value) {
    absorb_commitment(transcript, commitment);
    transcript.absorb_fields("hyrax/point", point);
    transcript.absorb_field("hyrax/value", value);
  }

  template <class T>
  static void absorb_hidden_claim(T& transcript, const Commitment& commitment, std::span<const Scalar> point,
                                  const G& value_commitment) {
    absorb_commitment(transcript, commitment);
    transcript.absorb_fields("hyrax/point", point);
    transcript.absorb_bytes("hyrax/value_commitment", group_traits<G>::encode(value_commitment));
  }

  template <class T>
  static Scalar value_challenge(T& transcript) {
    return transcript.template challenge<Scalar>("hyrax/value_challenge");
  }

  template <class T, CryptoRng Rng>
  EvaluationProof prove_after_claim(std::span<const Scalar> evaluations, const Opening& opening,
                                    const Commitment& commitment, std::span<const Scalar> point,
                                    std::optional<G> value_commitment, const Scalar& tau, T& transcript,
                                    Rng& rng) const {
    const std::size_t n = commitment.num_vars;
    const std::size_t b = commitment.column_vars;
    if (point.size() != n) throw std::invalid_argument("Hyrax::prove: point of the wrong dimension");
    check_opening(evaluations, opening, commitment);
    const std::size_t columns = std::size_t{1} << b;
    const auto weights = row_weights(point, b);
    const auto column_weights = eq_table<Scalar>(point.first(b));
    // u = L^T M and its blinding sum_r L_r rho_r.
    std::vector<Scalar> u = row_combination(evaluations, commitment, weights);
    Scalar blind = Scalar::zero();
    for (std::size_t r = 0; r < weights.size(); ++r) blind += weights[r] * opening.row_blinds[r];
    const Scalar x = value_challenge(transcript);
    const G value_base = group_traits<G>::scalar_mul(key_.value_generator(), x);
    EvaluationProof proof;
    proof.value_commitment = value_commitment;
    proof.inner_product = prove_inner_product<G>(transcript, key_.generators().first(columns), value_base,
                                                 key_.blinding_generator(), std::move(u), column_weights,
                                                 blind + x * tau, rng);
    return proof;
  }

  // The value enters as x * (value_scalar * value_point): public values as (U, v), hidden
  // ones as (V, 1).
  template <class T>
  Status verify_after_claim(const Commitment& commitment, std::span<const Scalar> point, const G& value_point,
                            const Scalar& value_scalar, const EvaluationProof& proof, T& transcript) const {
    const std::size_t n = commitment.num_vars;
    const std::size_t b = commitment.column_vars;
    if (point.size() != n) return make_error(Errc::invalid_argument, "hyrax: point of the wrong dimension");
    if (b > n || b > max_column_vars_ || n - b >= 40 || commitment.rows.size() != (std::size_t{1} << (n - b))) {
      return make_error(Errc::malformed_proof, "hyrax: the commitment's shape is inconsistent or exceeds the key");
    }
    LinearCombination<G> statement;
    statement.points = commitment.rows;
    statement.scalars = eq_table<Scalar>(point.subspan(b));
    const Scalar x = value_challenge(transcript);
    statement.points.push_back(value_point);
    statement.scalars.push_back(x * value_scalar);
    const G value_base = group_traits<G>::scalar_mul(key_.value_generator(), x);
    const auto column_weights = eq_table<Scalar>(point.first(b));
    return verify_inner_product<G>(transcript, key_.generators().first(std::size_t{1} << b), value_base,
                                   key_.blinding_generator(), column_weights, std::move(statement),
                                   proof.inner_product);
  }

  std::size_t max_column_vars_;
  PedersenKey<G> key_;
};

inline constexpr std::uint8_t hyrax_format_version = 1;

/// version || num_vars (u32) || column_vars (u32) || rows (2^(num_vars - column_vars) points).
template <CommitmentGroup G>
std::vector<std::uint8_t> serialize(const HyraxCommitment<G>& commitment) {
  io::ByteWriter out;
  out.reserve(9 + commitment.rows.size() * group_traits<G>::encoded_size);
  out.write_u8(hyrax_format_version);
  out.write_u32(commitment.num_vars);
  out.write_u32(commitment.column_vars);
  out.write_groups(std::span<const G>(commitment.rows));
  return std::move(out).take();
}

/// Decodes a commitment, validating every point; at most 2^max_row_vars rows are accepted.
template <CommitmentGroup G>
Result<HyraxCommitment<G>> deserialize_hyrax_commitment(std::span<const std::uint8_t> bytes,
                                                       std::size_t max_row_vars = 24) {
  io::ByteReader in(bytes);
  auto version = in.read_u8("hyrax commitment version");
  if (!version) return version.error();
  if (*version != hyrax_format_version) {
    return make_error(Errc::invalid_encoding, "hyrax commitment: unsupported format version " + std::to_string(*version));
  }
  auto num_vars = in.read_u32("hyrax commitment num_vars");
  if (!num_vars) return num_vars.error();
  auto column_vars = in.read_u32("hyrax commitment column_vars");
  if (!column_vars) return column_vars.error();
  if (*num_vars >= 64 || *column_vars > *num_vars || *num_vars - *column_vars > max_row_vars) {
    return make_error(Errc::invalid_encoding, "hyrax commitment: shape out of bounds");
  }
  const std::size_t rows = std::size_t{1} << (*num_vars - *column_vars);
  if (in.remaining() != rows * group_traits<G>::encoded_size) {
    return make_error(Errc::invalid_encoding, "hyrax commitment: length does not match its declared shape");
  }
  auto decoded = in.read_groups<G>(rows, "hyrax commitment row");
  if (!decoded) return decoded.error();
  return HyraxCommitment<G>{*num_vars, *column_vars, std::move(*decoded)};
}

/// version || has value commitment (u8: 0 or 1) || [value commitment] || inner-product proof.
template <CommitmentGroup G>
std::vector<std::uint8_t> serialize(const HyraxEvaluationProof<G>& proof) {
  io::ByteWriter out;
  out.write_u8(hyrax_format_version);
  out.write_u8(proof.value_commitment ? 1 : 0);
  if (proof.value_commitment) out.write_group(*proof.value_commitment);
  write_inner_product_proof(out, proof.inner_product);
  return std::move(out).take();
}

template <CommitmentGroup G>
Result<HyraxEvaluationProof<G>> deserialize_hyrax_proof(std::span<const std::uint8_t> bytes) {
  io::ByteReader in(bytes);
  auto version = in.read_u8("hyrax proof version");
  if (!version) return version.error();
  if (*version != hyrax_format_version) {
    return make_error(Errc::invalid_encoding, "hyrax proof: unsupported format version " + std::to_string(*version));
  }
  auto has_value = in.read_u8("hyrax proof value flag");
  if (!has_value) return has_value.error();
  if (*has_value > 1) return make_error(Errc::invalid_encoding, "hyrax proof: value flag must be 0 or 1");
  HyraxEvaluationProof<G> proof;
  if (*has_value == 1) {
    auto value = in.read_group<G>("hyrax proof value commitment");
    if (!value) return value.error();
    proof.value_commitment = *value;
  }
  auto inner = read_inner_product_proof<G>(in);
  if (!inner) return inner.error();
  proof.inner_product = std::move(*inner);
  if (auto end = in.expect_end("hyrax proof"); !end) return end.error();
  return proof;
}

template <CommitmentGroup G>
std::vector<std::uint8_t> Hyrax<G>::encode_commitment(const Commitment& commitment) {
  return serialize(commitment);
}
template <CommitmentGroup G>
Result<HyraxCommitment<G>> Hyrax<G>::decode_commitment(std::span<const std::uint8_t> bytes) {
  return deserialize_hyrax_commitment<G>(bytes);
}
template <CommitmentGroup G>
std::vector<std::uint8_t> Hyrax<G>::encode_proof(const EvaluationProof& proof) {
  return serialize(proof);
}
template <CommitmentGroup G>
Result<HyraxEvaluationProof<G>> Hyrax<G>::decode_proof(std::span<const std::uint8_t> bytes) {
  return deserialize_hyrax_proof<G>(bytes);
}

/// version || rounds (u32) || claims (u32) || 2 values per round || one value per claim ||
/// inner-product proof. The decoder bounds both counts before allocating.
template <CommitmentGroup G>
std::vector<std::uint8_t> Hyrax<G>::encode_batch_proof(const BatchProof& proof) {
  io::ByteWriter out;
  out.write_u8(hyrax_format_version);
  out.write_u32(static_cast<std::uint32_t>(proof.rounds.size()));
  out.write_u32(static_cast<std::uint32_t>(proof.row_values.size()));
  for (const auto& round : proof.rounds) {
    if (round.size() != 2) throw std::invalid_argument("Hyrax::encode_batch_proof: a round without two values");
    for (const Scalar& v : round) out.write_field(v);
  }
  for (const Scalar& v : proof.row_values) out.write_field(v);
  write_inner_product_proof(out, proof.inner_product);
  return std::move(out).take();
}

template <CommitmentGroup G>
Result<HyraxBatchProof<G>> Hyrax<G>::decode_batch_proof(std::span<const std::uint8_t> bytes) {
  io::ByteReader in(bytes);
  auto version = in.read_u8("hyrax batch proof version");
  if (!version) return version.error();
  if (*version != hyrax_format_version) {
    return make_error(Errc::invalid_encoding, "hyrax batch proof: unsupported format version " + std::to_string(*version));
  }
  auto rounds = in.read_u32("hyrax batch proof rounds");
  if (!rounds) return rounds.error();
  auto claims = in.read_u32("hyrax batch proof claims");
  if (!claims) return claims.error();
  if (*rounds > 40 || in.remaining() / Scalar::byte_size < 2 * std::size_t{*rounds} + *claims) {
    return make_error(Errc::invalid_encoding, "hyrax batch proof: shape out of bounds or truncated");
  }
  HyraxBatchProof<G> proof;
  auto read = [&](Scalar& v) -> Status {
    auto decoded = in.read_field<Scalar>("hyrax batch proof value");
    if (!decoded) return decoded.error();
    v = *decoded;
    return {};
  };
  proof.rounds.assign(*rounds, std::vector<Scalar>(2));
  for (auto& round : proof.rounds) {
    for (Scalar& v : round) {
      if (auto ok = read(v); !ok) return ok.error();
    }
  }
  proof.row_values.resize(*claims);
  for (Scalar& v : proof.row_values) {
    if (auto ok = read(v); !ok) return ok.error();
  }
  auto inner = read_inner_product_proof<G>(in);
  if (!inner) return inner.error();
  proof.inner_product = std::move(*inner);
  if (auto end = in.expect_end("hyrax batch proof"); !end) return end.error();
  return proof;
}

}  // namespace zkcnn
