#pragma once
// A reproducible generator for tests and benchmarks only (see concepts/random.hpp): every value
// it draws follows from its seed, so every blinding factor and mask of a proof made with it is
// known to anyone who knows the seed. It is accepted where a CryptoRng is required so that
// tests can make the same proofs on every run; nothing outside tests and benchmarks may use it.

#include <cstdint>
#include <limits>

namespace zkcnn::testing {

/// xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number generators", ACM
/// TOMS 47(4), 2021), its state expanded from the seed by splitmix64: fast, and statistically
/// sound for tests; predictable by design.
class DeterministicRng {
 public:
  using result_type = std::uint64_t;
  /// Declared for CryptoRng's sake only: this generator is predictable.
  static constexpr bool cryptographic = true;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  explicit DeterministicRng(std::uint64_t seed = 0) {
    for (auto& word : state_) {
      seed += 0x9e3779b97f4a7c15ull;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      word = z ^ (z >> 31);
    }
  }

  result_type operator()() {
    const std::uint64_t result = rotate(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotate(state_[3], 45);
    return result;
  }

 private:
  static constexpr std::uint64_t rotate(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

}  // namespace zkcnn::testing
