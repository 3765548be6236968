#pragma once
// Which random generators a prover accepts. Blinding factors and masks are the whole of zero
// knowledge: drawn from a predictable generator, or from one whose outputs repeat across
// proofs, they reveal what they hide (two proofs of different inputs under one seed already
// give away a layer's bias, since the masks cancel in the difference of what is sent). So
// every prover entry point takes a CryptoRng: a generator that declares itself fit for
// secrets. The library has two: OsRng, the operating system's generator, for every real use;
// and testing::DeterministicRng, whose draws are predictable by design, for tests and
// benchmarks that must be reproducible, under a name no one writes by accident. Standard
// library engines such as std::mt19937_64 are not accepted.

#include <concepts>
#include <cstdint>
#include <random>
#include <type_traits>

namespace zkcnn {

/// A uniform random bit generator that declares `static constexpr bool cryptographic = true`.
template <class R>
concept CryptoRng = std::uniform_random_bit_generator<std::remove_cvref_t<R>> && requires {
  requires std::remove_cvref_t<R>::cryptographic;
};

/// The least a CryptoRng provides: what concepts' requires-expressions draw with. Never
/// instantiated.
struct CryptoRngArchetype {
  using result_type = std::uint64_t;
  static constexpr bool cryptographic = true;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()();
};
static_assert(CryptoRng<CryptoRngArchetype>);
static_assert(!CryptoRng<std::mt19937_64>);

}  // namespace zkcnn
