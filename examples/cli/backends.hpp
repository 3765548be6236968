#pragma once
// The commitment schemes the tool offers ("backends"), chosen by `zkcnn commit --backend` and
// recorded in the commitment file, which every later command follows:
//
//   bn254-hyrax      Hyrax over BN254 G1 (the default). Its key is the generators hash_to_group
//                    derives from one fixed public domain string, so anyone rebuilds it from the
//                    number of column variables alone (stored in the commitment file; an
//                    accuracy proof's larger key is derived from its batch, see operations.cpp);
//                    no one knows relations between them. Proofs of about 40 KB on LeNet-5.
//   goldilocks-hash  the hash-based scheme over Goldilocks with Goldilocks^2 challenges
//                    (pcs/ligero.hpp, docs/protocol.md section 7): transparent, no key, no
//                    curve. Every proof opens columns of the model's commitment, whose random
//                    coefficients hide a number of proofs fixed when committing (--proofs); the
//                    secret file counts the proofs made and the tool refuses beyond that.
//
// Each backend is a type with the same members; the operations (operations.cpp) are written
// once against them and dispatched on the file's backend by with_backend.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/error.hpp>
#include <zkcnn/io/byte_stream.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/precompiled.hpp>
#include <zkcnn/zk/model_circuit.hpp>

namespace zkcnn::cli {

/// A backend's number in the commitment and secret files.
enum class Backend : std::uint8_t { bn254_hyrax = 1, goldilocks_hash = 2 };

/// Whether `number` is a backend's (a file's byte).
bool is_backend(std::uint8_t number);

/// The backend's name on the command line and in the tool's output.
std::string_view backend_name(Backend backend);

/// Every backend's name, for help texts and errors: "bn254-hyrax or goldilocks-hash".
std::string backend_names();

/// The backend named `name`, or an error that lists the names.
Result<Backend> backend_named(std::string_view name);

struct Bn254Hyrax {
  static constexpr Backend id = Backend::bn254_hyrax;
  using Pcs = Hyrax<bn254::G1>;
  using Circuit = zk::ModelCircuit<Pcs::Challenge>;
  /// What the secret file keeps to open the model's commitment: the rows' blinding factors.
  using Randomness = Pcs::Opening;

  /// The key's domain: part of the commitment format (another string gives other generators).
  static constexpr std::string_view key_domain = "zkcnn command-line tool/bn254/v1";

  /// The largest key a commitment file may ask for: 2^16 generators (a model of 2^38 weights
  /// would fit in 2^22 rows; hostile files must not make the verifier derive millions).
  static constexpr std::size_t max_key_column_vars = 16;

  /// The smallest key with which the library's default commitment shape
  /// (Hyrax::default_column_vars) fits both polynomials a proof of the circuit commits: the
  /// model's weights and the proof's auxiliary witness. Fails beyond max_key_column_vars.
  static Result<std::size_t> key_column_vars(const Circuit& circuit);

  /// Derives the key's 2^column_vars generators (the commitment's and every proof's); a key
  /// hides any number of proofs.
  static Pcs scheme(std::size_t column_vars, std::size_t proofs);

  static Randomness randomness(const Pcs::Opening& opening) { return opening; }

  /// The opening of the published commitment to `weights` (the table of weights_layout) from
  /// the secret's randomness, once pcs.check_model_commitment has accepted the commitment; an
  /// error when they do not fit its shape.
  static Result<Pcs::Opening> reopen(const Pcs& pcs, std::span<const std::int64_t> weights,
                                     const Pcs::Commitment& commitment, const Randomness& randomness);

  /// Unlimited: a Pedersen commitment's blinding hides every opening.
  static std::optional<std::size_t> proof_budget(const Pcs::Commitment&) { return std::nullopt; }

  static void write_randomness(io::ByteWriter& out, const Randomness& randomness);
  static Result<Randomness> read_randomness(io::ByteReader& in);
};

struct GoldilocksHash {
  static constexpr Backend id = Backend::goldilocks_hash;
  using Pcs = GoldilocksLigero;
  using Circuit = zk::ModelCircuit<Pcs::Challenge>;
  /// What the secret file keeps to rebuild the model's commitment: every row's hiding
  /// coefficients and the codeword columns' salts (the codewords themselves, four times the
  /// weights, are encoded again when a proof needs them).
  struct Randomness {
    std::vector<Goldilocks> hiding_rows;
    std::vector<Pcs::Salt> salts;
  };

  /// The proofs a model commitment hides unless asked otherwise (`zkcnn commit --proofs`).
  static constexpr std::size_t default_proofs = 16;
  /// The most a commitment can be made for: their columns' worth of hiding coefficients must
  /// fit in half a row of the widest code the scheme accepts (Ligero::hiding_for).
  static std::size_t max_proofs();

  /// Transparent: no key, whatever the circuit.
  static Result<std::size_t> key_column_vars(const Circuit&) { return std::size_t{0}; }

  /// The scheme at the library's parameters (100 bits, rate 1/4), committing models for
  /// `proofs` proofs.
  static Pcs scheme(std::size_t column_vars, std::size_t proofs);

  static Randomness randomness(const Pcs::Opening& opening) { return {opening.hiding_rows, opening.salts}; }

  /// Encodes the weights again with the secret's randomness and checks that the result is the
  /// published commitment (accepted by pcs.check_model_commitment).
  static Result<Pcs::Opening> reopen(const Pcs& pcs, std::span<const std::int64_t> weights,
                                     const Pcs::Commitment& commitment, const Randomness& randomness);

  /// The proofs the commitment hides: its hiding coefficients over one proof's opened columns;
  /// none for a commitment whose code cannot hide one.
  static std::optional<std::size_t> proof_budget(const Pcs::Commitment& commitment);

  static void write_randomness(io::ByteWriter& out, const Randomness& randomness);
  static Result<Randomness> read_randomness(io::ByteReader& in);
};

/// The generators of a key of 2^column_vars (none for a backend without a key: column_vars 0).
inline std::size_t key_generators(std::size_t column_vars) { return column_vars == 0 ? 0 : std::size_t{1} << column_vars; }

/// Calls `f` with the backend type's value: f(Bn254Hyrax{}) or f(GoldilocksHash{}). A Backend
/// holds one of the two: the file decoders refuse any other number (is_backend).
template <class F>
decltype(auto) with_backend(Backend backend, F&& f) {
  switch (backend) {
    case Backend::goldilocks_hash:
      return f(GoldilocksHash{});
    case Backend::bn254_hyrax:
      break;
  }
  return f(Bn254Hyrax{});
}

}  // namespace zkcnn::cli
