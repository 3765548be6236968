#pragma once
// The argmax gadget of accuracy proofs (docs/protocol.md section 6): for each sample b of a batch,
// a committed one-hot vector h_b picks the predicted class c*_b among the logits z_b, and the
// public count k of samples whose predicted class is their public label is proven without
// revealing the predictions.
//
// Tie rule: the predicted class is the first class of largest logit (as numpy's and PyTorch's
// argmax). With t_b(c) = sum_{c' <= c} h_b(c') (0 before c*_b, 1 from it on) and
// m_b = sum_c h_b(c) z_b(c) = z_b(c*_b), the committed differences
//   D_b(c) = m_b - z_b(c) - 1 + t_b(c)   (real samples and classes; 0 elsewhere)
// are range-checked to [0, 2^40): z_b(c) < m_b before c*_b and z_b(c) <= m_b from it on, which
// holds for exactly one one-hot h_b. The one-hot table is a digit table (nn/digits.hpp) with
// one 1-bit digit per class and width-0 rows for the padded classes, so the range check proves
// its entries are bits and zero past the last class; the gadget proves the rest:
//   1. sum_c h_b(c) = [b < B]:  2^nc h~(1/2, ..., 1/2, tau) = [b < B]~(tau), a claim whose value
//      the verifier computes itself;
//   2. k = sum_{b,c} h(b, c) L(b, c), L the public one-hot matrix of the labels: a sumcheck;
//   3. D~(rho) = sum_x eq(rho, x) I(x) (M(x) - Z(x) - 1 + T(x)), I the real entries, M the
//      maxima repeated over the classes, T the prefix sums: a degree-3 sumcheck, after which
//      the prover sends M, Z and T at its final point sigma;
//   4. m~(sigma_b) = sum_x eq(sigma_b, x_b) h(x) z(x): a sumcheck;
//   5. T~(sigma) = sum_x eq(sigma_b, x_b) LE(x_c, sigma_c) h(x), LE(c', c) = [c' <= c]: a
//      sumcheck.
// What is left: claims on the logits (for the layers to prove), on the one-hot table and on the
// differences' digits (for the auxiliary witness's opening). In zero knowledge the sent values
// are masked (gkr/sumcheck_step.hpp), and D~(rho) is sent masked instead of its digits, which
// become one claim on their rows combined. Tables use the logits' layout,
// entry (b, c) at b 2^nc + c; the one-hot digit table holds class c's row at c 2^nb + b.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/detail/bits.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/field/one_half.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"
#include "zkcnn/io/byte_stream.hpp"
#include "zkcnn/nn/digits.hpp"
#include "zkcnn/nn/integer.hpp"
#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"
#include "zkcnn/pcs/claims.hpp"

namespace zkcnn::zk {

template <EncodableField F>
class ArgmaxGadget {
 public:
  /// The differences' range: logits of up to 39 bits either side of zero.
  static constexpr std::size_t difference_bits = 40;

  struct Proof {
    gkr::SumcheckStep<F> count;         // sends H(lambda)
    std::vector<F> difference_digits;   // the digits of D at rho (D~(rho), masked, in zero knowledge)
    gkr::SumcheckStep<F> differences;   // sends M, Z, T at sigma
    gkr::SumcheckStep<F> maxima;        // sends H, Z at pi
    gkr::SumcheckStep<F> prefix_sums;   // sends H at kappa

    friend bool operator==(const Proof&, const Proof&) = default;
  };

  /// The claims a proof leaves: on the logits, on the one-hot digit table and on the
  /// differences' digit table (points in those tables' own variables).
  struct Claims {
    std::vector<gkr::Claim<F>> logits;
    std::vector<gkr::Claim<F>> choices;
    /// Each a weighted sum of the digit table's values at points.
    std::vector<std::pair<std::vector<WeightedPoint<F>>, gkr::MaskedValue<F>>> differences;
  };

  struct Witness {
    std::vector<F> choices;      // the one-hot digit table
    std::vector<F> differences;  // the differences' digit table
    std::size_t correct = 0;     // k
  };

  ArgmaxGadget(std::size_t batch, std::size_t classes, std::size_t digit_bits)
      : batch_(batch),
        classes_(classes),
        batch_vars_(zkcnn::detail::ceil_log2(batch)),
        class_vars_(zkcnn::detail::ceil_log2(classes)),
        choice_digits_(std::span<const std::size_t>(std::vector<std::size_t>(classes, 1)), digit_bits),
        difference_digits_({difference_bits}, digit_bits) {
    if (batch == 0 || classes < 2) throw std::invalid_argument("ArgmaxGadget: at least one sample and two classes");
  }

  /// Changes the differences' digit width, keeping the one-hot layout (one 1-bit digit per
  /// class, the same for every width): the model circuit tries every width, and rebuilding
  /// the gadget would cost O(classes) each time.
  void set_digit_bits(std::size_t digit_bits) { difference_digits_ = nn::DigitLayout({difference_bits}, digit_bits); }

  std::size_t batch() const { return batch_; }
  std::size_t classes() const { return classes_; }
  /// Variables of the logits' table: classes low, samples high.
  std::size_t logits_num_vars() const { return batch_vars_ + class_vars_; }
  const nn::DigitLayout& choice_digits() const { return choice_digits_; }
  const nn::DigitLayout& difference_digits() const { return difference_digits_; }
  /// The one-hot digit table: 2^nb columns, one row per (padded) class.
  std::size_t choice_num_vars() const { return batch_vars_ + choice_digits_.row_vars(); }
  std::size_t choice_column_vars() const { return batch_vars_; }
  std::size_t difference_num_vars() const { return logits_num_vars() + difference_digits_.row_vars(); }
  std::size_t difference_column_vars() const { return logits_num_vars(); }

  /// Labels are public inputs, checked before use: one per sample, each a class.
  Status check_labels(std::span<const std::size_t> labels) const {
    if (labels.size() != batch_) {
      return make_error(Errc::invalid_argument, "accuracy: " + std::to_string(labels.size()) + " labels for " +
                                                    std::to_string(batch_) + " samples");
    }
    for (std::size_t label : labels) {
      if (label >= classes_) {
        return make_error(Errc::invalid_argument, "accuracy: label " + std::to_string(label) + " is not one of the model's " +
                                                      std::to_string(classes_) + " classes");
      }
    }
    return {};
  }

  /// The predicted classes, one-hot, and the differences' digits, from the logits' table;
  /// `correct` counts the samples whose predicted class is their label.
  Result<Witness> witness(std::span<const F> logits, std::span<const std::size_t> labels) const {
    if (auto ok = check_labels(labels); !ok) return ok.error();
    const std::size_t columns = std::size_t{1} << batch_vars_;
    Witness out;
    out.choices.assign(choice_digits_.row_count() * columns, F::zero());
    std::vector<F> differences(std::size_t{1} << logits_num_vars(), F::zero());
    for (std::size_t b = 0; b < batch_; ++b) {
      std::vector<std::int64_t> z(classes_);
      for (std::size_t c = 0; c < classes_; ++c) {
        const auto value = nn::to_small_integer(logits[index(b, c)]);
        if (!value) return make_error(Errc::invalid_argument, "argmax: a logit is not a small integer");
        z[c] = *value;
      }
      const auto predicted = static_cast<std::size_t>(std::max_element(z.begin(), z.end()) - z.begin());
      out.choices[predicted * columns + b] = F::one();
      if (predicted == labels[b]) ++out.correct;
      for (std::size_t c = 0; c < classes_; ++c) {
        differences[index(b, c)] = F::from_i64(z[predicted] - z[c] - (c < predicted ? 1 : 0));
      }
    }
    auto digits = nn::digit_table(difference_digits_, std::span<const F>(differences), logits_num_vars(), 0);
    if (!digits) return make_error(digits.error().code, "argmax: logits too far apart: " + digits.error().message);
    out.differences = std::move(*digits);
    return out;
  }

  template <class T>
  std::pair<Proof, Claims> prove(std::span<const F> logits, std::span<const F> choices, std::span<const F> difference_digits,
                                 std::span<const std::size_t> labels, std::size_t correct, T& transcript) const {
    // Precondition (prove_accuracy checks it): the labels fit.
    if (auto ok = check_labels(labels); !ok) throw std::invalid_argument(ok.error().message);
    absorb_statement(transcript, labels, correct);
    const std::size_t length = std::size_t{1} << logits_num_vars();
    std::vector<F> z(length, F::zero());
    std::copy(logits.begin(), logits.begin() + static_cast<std::ptrdiff_t>(std::min(logits.size(), length)), z.begin());
    const std::vector<F> h = one_hot_in_logits_layout(choices);
    Proof proof;
    Claims claims;

    // 1. One class per real sample.
    claims.choices.push_back(choice_mean_claim(transcript));

    // 2. The count.
    {
      sumcheck::SumOfProducts<F> g(logits_num_vars(), {h, label_table(labels)}, {{F::one(), {0, 1}}});
      const std::size_t sent[] = {0};
      auto proven = gkr::prove_step(std::move(g), F::from_u64(correct), std::span<const std::size_t>(sent), transcript);
      claims.choices.push_back(choice_claim(proven.point, proven.sent(0)));
      proof.count = std::move(proven.step);
    }

    // 3. The differences at rho.
    const std::vector<F> rho = transcript.template challenges<F>("zkcnn/argmax/rho", logits_num_vars());
    std::vector<F> digits;
    for (std::size_t j = 0; j < difference_digits_.digit_count(); ++j) {
      digits.push_back(evaluate_multilinear(nn::digit_row(difference_digits, j, length), std::span<const F>(rho)));
    }
    gkr::MaskedValue<F> difference;
    if (gkr::masks_of(transcript) != nullptr) {
      difference = gkr::send_value(difference_digits_.recompose(std::span<const F>(digits)), transcript);
      proof.difference_digits = {difference.value};
      claims.differences.push_back({recomposition(rho), difference});
    } else {
      proof.difference_digits = digits;
      gkr::absorb_evaluations(transcript, std::span<const F>(proof.difference_digits));
      claims.differences.push_back(difference_claim(rho, proof.difference_digits, transcript));
      difference = {difference_digits_.recompose(std::span<const F>(digits))};
    }
    std::vector<F> maxima(length, F::zero()), prefix(length, F::zero());
    for (std::size_t b = 0; b < (std::size_t{1} << batch_vars_); ++b) {
      F m = F::zero(), running = F::zero();
      for (std::size_t c = 0; c < (std::size_t{1} << class_vars_); ++c) m += h[index(b, c)] * z[index(b, c)];
      for (std::size_t c = 0; c < (std::size_t{1} << class_vars_); ++c) {
        running += h[index(b, c)];
        maxima[index(b, c)] = m;
        prefix[index(b, c)] = running;
      }
    }
    std::vector<F> sigma;
    gkr::MaskedValue<F> maximum, prefix_sum;
    {
      sumcheck::SumOfProducts<F> g(logits_num_vars(),
                                   {eq_table(std::span<const F>(rho)), real_entries_table(), std::move(maxima), z, std::move(prefix)},
                                   difference_terms());
      const std::size_t sent[] = {2, 3, 4};
      auto proven = gkr::prove_step(std::move(g), difference, std::span<const std::size_t>(sent), transcript);
      sigma = proven.point;
      maximum = proven.sent(0);
      claims.logits.push_back(gkr::make_claim(sigma, proven.sent(1)));
      prefix_sum = proven.sent(2);
      proof.differences = std::move(proven.step);
    }

    // 4. The maxima at sigma.
    {
      sumcheck::SumOfProducts<F> g(logits_num_vars(), {batch_eq(sigma), h, z}, {{F::one(), {0, 1, 2}}});
      const std::size_t sent[] = {1, 2};
      auto proven = gkr::prove_step(std::move(g), maximum, std::span<const std::size_t>(sent), transcript);
      claims.choices.push_back(choice_claim(proven.point, proven.sent(0)));
      claims.logits.push_back(gkr::make_claim(proven.point, proven.sent(1)));
      proof.maxima = std::move(proven.step);
    }

    // 5. The prefix sums at sigma.
    {
      sumcheck::SumOfProducts<F> g(logits_num_vars(), {prefix_weights(sigma), h}, {{F::one(), {0, 1}}});
      const std::size_t sent[] = {1};
      auto proven = gkr::prove_step(std::move(g), prefix_sum, std::span<const std::size_t>(sent), transcript);
      claims.choices.push_back(choice_claim(proven.point, proven.sent(0)));
      proof.prefix_sums = std::move(proven.step);
    }
    return {std::move(proof), std::move(claims)};
  }

  template <class T>
  Result<Claims> verify(std::span<const std::size_t> labels, std::size_t correct, const Proof& proof, T& transcript) const {
    if (auto ok = check_labels(labels); !ok) return ok.error();
    const bool masked = gkr::masks_of(transcript) != nullptr;
    if (proof.difference_digits.size() != (masked ? 1 : difference_digits_.digit_count())) {
      return make_error(Errc::malformed_proof, "argmax: wrong number of difference digits");
    }
    absorb_statement(transcript, labels, correct);
    Claims claims;
    const std::size_t n = logits_num_vars();

    // 1.
    claims.choices.push_back(choice_mean_claim(transcript));

    // 2.
    {
      auto subclaim = gkr::verify_step(F::from_u64(correct), n, 2, 1, proof.count, transcript);
      if (!subclaim) return subclaim.error();
      const F h = proof.count.evaluations[0];
      if (auto ok = gkr::check_step(*subclaim, h * label_extension(labels, subclaim->point), "argmax count"); !ok) {
        return ok.error();
      }
      claims.choices.push_back(choice_claim(subclaim->point, gkr::sent_value(proof.count, *subclaim, 0)));
    }

    // 3.
    const std::vector<F> rho = transcript.template challenges<F>("zkcnn/argmax/rho", n);
    gkr::MaskedValue<F> difference;
    if (masked) {
      auto received = gkr::receive_value(proof.difference_digits[0], transcript);
      if (!received) return received.error();
      difference = std::move(*received);
      claims.differences.push_back({recomposition(rho), difference});
    } else {
      gkr::absorb_evaluations(transcript, std::span<const F>(proof.difference_digits));
      claims.differences.push_back(difference_claim(rho, proof.difference_digits, transcript));
      difference = {difference_digits_.recompose(std::span<const F>(proof.difference_digits))};
    }
    std::vector<F> sigma;
    gkr::MaskedValue<F> maximum, prefix_sum;
    {
      auto subclaim = gkr::verify_step(difference, n, 3, 3, proof.differences, transcript);
      if (!subclaim) return subclaim.error();
      const auto& v = proof.differences.evaluations;  // M, Z, T
      const F weight = eq_eval(std::span<const F>(rho), std::span<const F>(subclaim->point)) * real_entries(subclaim->point);
      if (auto ok = gkr::check_step(*subclaim, weight * (v[0] - v[1] - F::one() + v[2]), "argmax differences"); !ok) {
        return ok.error();
      }
      sigma = subclaim->point;
      maximum = gkr::sent_value(proof.differences, *subclaim, 0);
      claims.logits.push_back(gkr::make_claim(sigma, gkr::sent_value(proof.differences, *subclaim, 1)));
      prefix_sum = gkr::sent_value(proof.differences, *subclaim, 2);
    }

    // 4.
    {
      auto subclaim = gkr::verify_step(maximum, n, 3, 2, proof.maxima, transcript);
      if (!subclaim) return subclaim.error();
      const auto& v = proof.maxima.evaluations;  // H, Z
      const F weight = eq_eval(batch_part(sigma), batch_part(subclaim->point));
      if (auto ok = gkr::check_step(*subclaim, weight * v[0] * v[1], "argmax maxima"); !ok) return ok.error();
      claims.choices.push_back(choice_claim(subclaim->point, gkr::sent_value(proof.maxima, *subclaim, 0)));
      claims.logits.push_back(gkr::make_claim(subclaim->point, gkr::sent_value(proof.maxima, *subclaim, 1)));
    }

    // 5.
    {
      auto subclaim = gkr::verify_step(prefix_sum, n, 2, 1, proof.prefix_sums, transcript);
      if (!subclaim) return subclaim.error();
      const F h = proof.prefix_sums.evaluations[0];
      const F weight = eq_eval(batch_part(sigma), batch_part(subclaim->point)) *
                       at_most(class_part(subclaim->point), class_part(sigma));
      if (auto ok = gkr::check_step(*subclaim, weight * h, "argmax prefix sums"); !ok) return ok.error();
      claims.choices.push_back(choice_claim(subclaim->point, gkr::sent_value(proof.prefix_sums, *subclaim, 0)));
    }
    return claims;
  }

  void write_proof(const Proof& proof, io::ByteWriter& out) const {
    gkr::write_step(out, proof.count);
    for (const F& d : proof.difference_digits) out.write_field(d);
    gkr::write_step(out, proof.differences);
    gkr::write_step(out, proof.maxima);
    gkr::write_step(out, proof.prefix_sums);
  }

  Result<Proof> read_proof(io::ByteReader& in) const {
    const std::size_t n = logits_num_vars();
    Proof proof;
    auto count = gkr::read_step<F>(in, n, 2, 1);
    if (!count) return count.error();
    proof.count = std::move(*count);
    for (std::size_t j = 0; j < (in.zero_knowledge() ? 1 : difference_digits_.digit_count()); ++j) {
      auto d = in.read_field<F>("argmax difference digit");
      if (!d) return d.error();
      proof.difference_digits.push_back(*d);
    }
    auto differences = gkr::read_step<F>(in, n, 3, 3);
    if (!differences) return differences.error();
    proof.differences = std::move(*differences);
    auto maxima = gkr::read_step<F>(in, n, 3, 2);
    if (!maxima) return maxima.error();
    proof.maxima = std::move(*maxima);
    auto prefix_sums = gkr::read_step<F>(in, n, 2, 1);
    if (!prefix_sums) return prefix_sums.error();
    proof.prefix_sums = std::move(*prefix_sums);
    return proof;
  }

 private:
  std::size_t index(std::size_t b, std::size_t c) const { return (b << class_vars_) | c; }

  template <class T>
  void absorb_statement(T& transcript, std::span<const std::size_t> labels, std::size_t correct) const {
    transcript.absorb_u64("zkcnn/argmax/classes", classes_);
    transcript.absorb_u64("zkcnn/argmax/samples", batch_);
    for (std::size_t label : labels) transcript.absorb_u64("zkcnn/argmax/label", label);
    transcript.absorb_u64("zkcnn/argmax/correct", correct);
  }

  std::span<const F> class_part(std::span<const F> point) const { return point.first(class_vars_); }
  std::span<const F> batch_part(std::span<const F> point) const { return point.subspan(class_vars_, batch_vars_); }

  // The one-hot table in the logits' layout, from its digit table (row c, column b).
  std::vector<F> one_hot_in_logits_layout(std::span<const F> choices) const {
    std::vector<F> h(std::size_t{1} << logits_num_vars(), F::zero());
    const std::size_t columns = std::size_t{1} << batch_vars_;
    for (std::size_t c = 0; c < classes_; ++c) {
      for (std::size_t b = 0; b < columns; ++b) {
        if (c * columns + b < choices.size()) h[index(b, c)] = choices[c * columns + b];
      }
    }
    return h;
  }

  // A claim on the one-hot table from a point in the logits' layout (classes low): the digit
  // table has the samples low and the classes in its row variables.
  gkr::Claim<F> choice_claim(std::span<const F> logits_point, gkr::MaskedValue<F> value) const {
    std::vector<F> point(batch_part(logits_point).begin(), batch_part(logits_point).end());
    const auto classes = class_part(logits_point);
    point.insert(point.end(), classes.begin(), classes.end());
    return gkr::make_claim(std::move(point), std::move(value));
  }

  // Step 1: h~(1/2, ..., 1/2, tau) = 2^-nc [b < B]~(tau), a value the verifier knows.
  template <class T>
  gkr::Claim<F> choice_mean_claim(T& transcript) const {
    const std::vector<F> tau = transcript.template challenges<F>("zkcnn/argmax/tau", batch_vars_);
    const F value = prefix_indicator(std::span<const F>(tau), batch_) * *nn::power_of_two<F>(class_vars_).inverse();
    return choice_claim(class_mean_point(tau), {value});
  }

  // D~(rho) = sum_j 2^(j D) digits~(rho, j): the digit table's rows at rho, weighted.
  std::vector<WeightedPoint<F>> recomposition(std::span<const F> rho) const {
    std::vector<WeightedPoint<F>> terms;
    for (std::size_t j = 0; j < difference_digits_.digit_count(); ++j) {
      std::vector<F> point(rho.begin(), rho.end());
      for (std::size_t k = 0; k < difference_digits_.row_vars(); ++k) point.push_back(F::from_u64((j >> k) & 1));
      terms.push_back({difference_digits_.template recompose_weight<F>(j), std::move(point)});
    }
    return terms;
  }

  std::vector<F> class_mean_point(std::span<const F> tau) const {
    std::vector<F> point(class_vars_, one_half<F>());
    point.insert(point.end(), tau.begin(), tau.end());
    return point;
  }

  // The claim on the differences' digit table at (rho, xi), xi random over the digit rows.
  template <class T>
  std::pair<std::vector<WeightedPoint<F>>, gkr::MaskedValue<F>> difference_claim(std::span<const F> rho,
                                                                                  std::span<const F> digits,
                                                                                  T& transcript) const {
    const std::vector<F> xi = transcript.template challenges<F>("zkcnn/argmax/digit_index", difference_digits_.row_vars());
    const std::vector<F> weights = eq_table(std::span<const F>(xi));
    F value = F::zero();
    for (std::size_t j = 0; j < digits.size(); ++j) value += weights[j] * digits[j];
    std::vector<F> point(rho.begin(), rho.end());
    point.insert(point.end(), xi.begin(), xi.end());
    return {{{F::one(), std::move(point)}}, {value}};
  }

  // L(b, c) = [b < B][c = label_b].
  std::vector<F> label_table(std::span<const std::size_t> labels) const {
    std::vector<F> table(std::size_t{1} << logits_num_vars(), F::zero());
    for (std::size_t b = 0; b < batch_; ++b) table[index(b, labels[b])] = F::one();
    return table;
  }
  F label_extension(std::span<const std::size_t> labels, std::span<const F> point) const {
    const std::vector<F> classes = eq_table(class_part(point));
    const std::vector<F> samples = eq_table(batch_part(point));
    F value = F::zero();
    for (std::size_t b = 0; b < batch_; ++b) value += samples[b] * classes[labels[b]];
    return value;
  }

  // I(b, c) = [b < B][c < C] and eq(rho, .) I.
  F real_entries(std::span<const F> point) const {
    return prefix_indicator(class_part(point), classes_) * prefix_indicator(batch_part(point), batch_);
  }
  std::vector<F> real_entries_table() const {
    std::vector<F> table(std::size_t{1} << logits_num_vars(), F::zero());
    for (std::size_t b = 0; b < batch_; ++b) {
      for (std::size_t c = 0; c < classes_; ++c) table[index(b, c)] = F::one();
    }
    return table;
  }

  static std::vector<sumcheck::Term<F>> difference_terms() {
    // eq I (M - Z - 1 + T) over the factors eq, I, M, Z, T (eq and I share variables: two
    // factors, so that each is multilinear).
    return {{F::one(), {0, 1, 2}}, {-F::one(), {0, 1, 3}}, {-F::one(), {0, 1}}, {F::one(), {0, 1, 4}}};
  }

  // eq(sigma_b, b), repeated over the classes.
  std::vector<F> batch_eq(std::span<const F> sigma) const {
    const std::vector<F> samples = eq_table(batch_part(sigma));
    std::vector<F> table(std::size_t{1} << logits_num_vars());
    for (std::size_t b = 0; b < samples.size(); ++b) {
      for (std::size_t c = 0; c < (std::size_t{1} << class_vars_); ++c) table[index(b, c)] = samples[b];
    }
    return table;
  }

  // LE~(c', y) = sum_c eq(y, c) [c' <= c], for every c' on the hypercube: a suffix sum.
  std::vector<F> at_most_table(std::span<const F> y) const {
    std::vector<F> table = eq_table(y);
    for (std::size_t c = table.size() - 1; c-- > 0;) table[c] += table[c + 1];
    return table;
  }
  F at_most(std::span<const F> x, std::span<const F> y) const {
    const std::vector<F> suffix = at_most_table(y);
    const std::vector<F> weights = eq_table(x);
    F value = F::zero();
    for (std::size_t c = 0; c < suffix.size(); ++c) value += weights[c] * suffix[c];
    return value;
  }

  // eq(sigma_b, b) LE~(c, sigma_c).
  std::vector<F> prefix_weights(std::span<const F> sigma) const {
    const std::vector<F> samples = eq_table(batch_part(sigma));
    const std::vector<F> classes = at_most_table(class_part(sigma));
    std::vector<F> table(std::size_t{1} << logits_num_vars());
    for (std::size_t b = 0; b < samples.size(); ++b) {
      for (std::size_t c = 0; c < classes.size(); ++c) table[index(b, c)] = samples[b] * classes[c];
    }
    return table;
  }

  std::size_t batch_;
  std::size_t classes_;
  std::size_t batch_vars_;
  std::size_t class_vars_;
  nn::DigitLayout choice_digits_;
  nn::DigitLayout difference_digits_;
};

}  // namespace zkcnn::zk
