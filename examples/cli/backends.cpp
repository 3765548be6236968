#include "backends.hpp"

#include <algorithm>
#include <array>

#include <zkcnn/nn/integer.hpp>

namespace zkcnn::cli {

namespace {

struct Named {
  Backend backend;
  std::string_view name;
};
constexpr std::array<Named, 2> names{{{Backend::bn254_hyrax, "bn254-hyrax"}, {Backend::goldilocks_hash, "goldilocks-hash"}}};

Error invalid(std::string message) { return make_error(Errc::invalid_encoding, std::move(message)); }

/// A count, then that many fields of `T` of `size` bytes each, bounded by what remains before
/// anything is allocated.
template <class T, class Read>
Result<std::vector<T>> read_counted(io::ByteReader& in, std::size_t size, const std::string& what, Read read) {
  auto count = in.read_u32(what + " count");
  if (!count) return count.error();
  if (*count > in.remaining() / size) return invalid(what + ": truncated");
  std::vector<T> values;
  values.reserve(*count);
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto value = read();
    if (!value) return value.error();
    values.push_back(std::move(*value));
  }
  return values;
}

}  // namespace

bool is_backend(std::uint8_t number) {
  return std::any_of(names.begin(), names.end(),
                     [number](const Named& named) { return static_cast<std::uint8_t>(named.backend) == number; });
}

std::string_view backend_name(Backend backend) {
  for (const Named& named : names) {
    if (named.backend == backend) return named.name;
  }
  return "unknown";
}

Result<Backend> backend_named(std::string_view name) {
  for (const Named& named : names) {
    if (named.name == name) return named.backend;
  }
  return make_error(Errc::invalid_argument, "'" + std::string(name) + "' is none of " + backend_names());
}

std::string backend_names() {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i].name);
  }
  return text;
}

// --- bn254-hyrax -----------------------------------------------------------------------------

Result<std::size_t> Bn254Hyrax::key_column_vars(const Circuit& circuit) {
  // Hyrax's default shape without the key's bound: balanced, or wider to stay within
  // 2^max_default_row_vars rows.
  auto preferred = [](std::size_t num_vars) {
    const std::size_t wide = num_vars > Pcs::max_default_row_vars ? num_vars - Pcs::max_default_row_vars : 0;
    return std::max(Pcs::balanced_column_vars(num_vars), wide);
  };
  const std::size_t column_vars =
      std::max(preferred(circuit.weights_layout().num_vars()), preferred(circuit.aux_layout().num_vars()));
  if (column_vars > max_key_column_vars) {
    const std::size_t batch = circuit.batch();
    return make_error(Errc::invalid_argument, "a proof over " + std::to_string(batch) + (batch == 1 ? " sample" : " samples") +
                                                  " needs a key of 2^" + std::to_string(column_vars) +
                                                  " generators, more than the 2^" + std::to_string(max_key_column_vars) +
                                                  " this tool accepts");
  }
  return column_vars;
}

Bn254Hyrax::Pcs Bn254Hyrax::scheme(std::size_t column_vars, std::size_t /*proofs*/) { return Pcs(key_domain, column_vars); }

Result<Bn254Hyrax::Pcs::Opening> Bn254Hyrax::reopen(const Pcs& /*pcs*/, std::span<const std::int64_t> /*weights*/,
                                                    const Pcs::Commitment& commitment,
                                                    const Randomness& randomness) {
  if (randomness.row_blinds.size() != commitment.rows.size()) {
    return make_error(Errc::invalid_argument, "its blinding factors do not fit the commitment's shape");
  }
  return randomness;
}

void Bn254Hyrax::write_randomness(io::ByteWriter& out, const Randomness& randomness) {
  out.write_u32(static_cast<std::uint32_t>(randomness.row_blinds.size()));
  for (const auto& blind : randomness.row_blinds) out.write_field(blind);
}

Result<Bn254Hyrax::Randomness> Bn254Hyrax::read_randomness(io::ByteReader& in) {
  auto blinds = read_counted<Pcs::Scalar>(in, Pcs::Scalar::byte_size, "blinding factors",
                                          [&in] { return in.read_field<Pcs::Scalar>("blinding factor"); });
  if (!blinds) return blinds.error();
  return Randomness{std::move(*blinds)};
}

// --- goldilocks-hash -------------------------------------------------------------------------

GoldilocksHash::Pcs GoldilocksHash::scheme(std::size_t /*column_vars*/, std::size_t proofs) {
  return Pcs(pcs::LigeroParameters{.model_proofs = proofs});
}

Result<GoldilocksHash::Pcs::Opening> GoldilocksHash::reopen(const Pcs& pcs, std::span<const std::int64_t> weights,
                                                            const Pcs::Commitment& commitment,
                                                            const Randomness& randomness) {
  // check_model_commitment has bounded the shape: these sizes are small.
  const std::size_t rows = std::size_t{1} << (commitment.num_vars - commitment.column_vars);
  if (randomness.hiding_rows.size() != rows * commitment.hiding ||
      randomness.salts.size() != std::size_t{1} << (commitment.column_vars + commitment.rate_bits)) {
    return make_error(Errc::invalid_argument, "its hiding coefficients or salts do not fit the commitment's shape");
  }
  auto [rebuilt, opening] = pcs.commit_with_randomness(std::span<const Goldilocks>(nn::to_field<Goldilocks>(weights)),
                                                       commitment.num_vars, commitment.column_vars,
                                                       randomness.hiding_rows, randomness.salts);
  if (rebuilt != commitment) {
    return make_error(Errc::invalid_argument, "its randomness and weights encode to another Merkle root");
  }
  return std::move(opening);
}

std::size_t GoldilocksHash::max_proofs() {
  static const std::size_t most = [] {
    // hiding_for fails from some count on: the last that succeeds, by bisection.
    const Pcs pcs;
    std::size_t fits = 1, fails = std::size_t{1} << Pcs::max_column_vars;
    while (fails - fits > 1) {
      const std::size_t middle = fits + (fails - fits) / 2;
      (pcs.hiding_for(Pcs::max_column_vars, middle) ? fits : fails) = middle;
    }
    return fits;
  }();
  return most;
}

std::optional<std::size_t> GoldilocksHash::proof_budget(const Pcs::Commitment& commitment) {
  // Read from an untrusted file: a shape the scheme refuses, or a code too narrow for one
  // opening, hides nothing.
  const Pcs pcs;
  if (!pcs.check_zero_knowledge(commitment, 0)) return 0;
  return commitment.hiding / pcs.queries(commitment.column_vars, commitment.hiding, commitment.rate_bits);
}

void GoldilocksHash::write_randomness(io::ByteWriter& out, const Randomness& randomness) {
  out.write_u32(static_cast<std::uint32_t>(randomness.hiding_rows.size()));
  for (const Goldilocks& h : randomness.hiding_rows) out.write_field(h);
  out.write_u32(static_cast<std::uint32_t>(randomness.salts.size()));
  for (const auto& salt : randomness.salts) out.write_bytes(salt);
}

Result<GoldilocksHash::Randomness> GoldilocksHash::read_randomness(io::ByteReader& in) {
  auto hiding = read_counted<Goldilocks>(in, Goldilocks::byte_size, "hiding coefficients",
                                         [&in] { return in.read_field<Goldilocks>("hiding coefficient"); });
  if (!hiding) return hiding.error();
  auto salts = read_counted<Pcs::Salt>(in, Pcs::salt_size, "salts", [&in]() -> Result<Pcs::Salt> {
    auto bytes = in.read_bytes(Pcs::salt_size, "salt");
    if (!bytes) return bytes.error();
    Pcs::Salt salt;
    std::copy(bytes->begin(), bytes->end(), salt.begin());
    return salt;
  });
  if (!salts) return salts.error();
  return Randomness{std::move(*hiding), std::move(*salts)};
}

}  // namespace zkcnn::cli
