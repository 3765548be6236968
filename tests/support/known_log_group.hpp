#pragma once
// A commitment group whose discrete logarithms are known: the additive group of BN254's scalar
// field, each element its own logarithm to the base 1. It models CommitmentGroup, so every
// prover of the library runs on it, but commitments in it bind nothing: it is for tests of zero
// knowledge only. There every commitment, like every scalar, is a field element, and with the
// challenges fixed a whole proof is an affine function of the prover's randomness
// (tests/zk/probes/distribution_probe.cpp). Known logarithms also let a test give two different
// weight tables one commitment.

#include <zkcnn/detail/bytes.hpp>
#include <zkcnn/error.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/transcript/sha256.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace zkcnn_test {

struct KnownLogGroup {
  using Scalar = zkcnn::bn254::Fr;
  static constexpr std::size_t encoded_size = Scalar::byte_size;

  Scalar log{};

  static KnownLogGroup identity() { return {Scalar::zero()}; }
  static KnownLogGroup generator() { return {Scalar::one()}; }
  KnownLogGroup operator+(const KnownLogGroup& b) const { return {log + b.log}; }
  KnownLogGroup operator-(const KnownLogGroup& b) const { return {log - b.log}; }
  KnownLogGroup operator-() const { return {-log}; }
  KnownLogGroup doubled() const { return {log + log}; }
  KnownLogGroup operator*(const Scalar& k) const { return {log * k}; }
  bool operator==(const KnownLogGroup&) const = default;
  bool is_identity() const { return log == Scalar::zero(); }
  static void batch_normalize(std::span<KnownLogGroup>) {}
  std::array<std::uint8_t, encoded_size> encode() const { return log.to_bytes(); }

  static zkcnn::Result<KnownLogGroup> decode(std::span<const std::uint8_t> bytes) {
    auto value = Scalar::from_bytes(bytes);
    if (!value) return value.error();
    return KnownLogGroup{*value};
  }

  /// Uniform and independent for each (domain, index), as a curve's hash to the group.
  static KnownLogGroup hash_to_group(std::string_view domain, std::uint64_t index) {
    std::array<std::uint8_t, Scalar::uniform_bytes> wide{};
    for (std::size_t block = 0; block * 32 < wide.size(); ++block) {
      zkcnn::Sha256 hasher;
      hasher.update({reinterpret_cast<const std::uint8_t*>(domain.data()), domain.size()});
      hasher.update(zkcnn::detail::le_bytes(index));
      const std::array<std::uint8_t, 1> counter{static_cast<std::uint8_t>(block)};
      hasher.update(counter);
      const auto digest = hasher.finalize();
      for (std::size_t i = 0; i < 32 && block * 32 + i < wide.size(); ++i) wide[block * 32 + i] = digest[i];
    }
    return {Scalar::from_uniform_bytes(wide)};
  }
};

}  // namespace zkcnn_test
