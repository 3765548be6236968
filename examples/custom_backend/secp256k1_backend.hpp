#pragma once
// Adapting a third-party curve library to zkcnn's CommitmentGroup concept without editing it:
// libsecp256k1 (Debian's libsecp256k1-dev) knows nothing of zkcnn, so the adaptation lives
// entirely in a thin value type and a group_traits specialization.
//
// libsecp256k1 cannot represent the point at infinity as a public key, so the wrapper adds an
// explicit identity. Its API is meant for keys, not for heavy arithmetic: this backend is for
// showing that any curve plugs in, not for speed (a fast backend would also provide
// group_traits<G>::msm).

#include <secp256k1.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>

#include <zkcnn/zkcnn.hpp>

namespace secp256k1_backend {

/// The order of secp256k1's group (SEC 2, section 2.4.1): the scalar field.
struct ScalarParams {
  static constexpr std::string_view modulus = "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141";
};
using Scalar = zkcnn::MontgomeryField<ScalarParams>;

/// A point of secp256k1, or the identity.
class Point {
 public:
  Point() = default;  // the identity

  static Point from_key(const secp256k1_pubkey& key) {
    Point p;
    p.identity_ = false;
    p.key_ = key;
    return p;
  }

  bool is_identity() const { return identity_; }
  const secp256k1_pubkey& key() const { return key_; }

  /// 33-byte compressed encoding; the identity is 33 zero bytes.
  std::array<std::uint8_t, 33> encode() const {
    std::array<std::uint8_t, 33> out{};
    if (identity_) return out;
    std::size_t length = out.size();
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, out.data(), &length, &key_, SECP256K1_EC_COMPRESSED);
    return out;
  }

  friend bool operator==(const Point& a, const Point& b) { return a.encode() == b.encode(); }

 private:
  bool identity_ = true;
  secp256k1_pubkey key_{};
};

inline const secp256k1_context* context() { return secp256k1_context_static; }

}  // namespace secp256k1_backend

template <>
struct zkcnn::group_traits<secp256k1_backend::Point> {
  using Point = secp256k1_backend::Point;
  using scalar_type = secp256k1_backend::Scalar;
  static constexpr std::size_t encoded_size = 33;

  static Point identity() { return {}; }

  static Point generator() {
    // SEC 2's generator, compressed (its y is even).
    static constexpr std::array<std::uint8_t, 33> encoded{
        0x02, 0x79, 0xBE, 0x66, 0x7E, 0xF9, 0xDC, 0xBB, 0xAC, 0x55, 0xA0, 0x62, 0x95, 0xCE, 0x87, 0x0B, 0x07,
        0x02, 0x9B, 0xFC, 0xDB, 0x2D, 0xCE, 0x28, 0xD9, 0x59, 0xF2, 0x81, 0x5B, 0x16, 0xF8, 0x17, 0x98};
    return decode(encoded).value();
  }

  static Point add(const Point& a, const Point& b) {
    if (a.is_identity()) return b;
    if (b.is_identity()) return a;
    const secp256k1_pubkey* inputs[2] = {&a.key(), &b.key()};
    secp256k1_pubkey sum;
    // The library reports a sum at infinity (a == -b) as failure.
    if (!secp256k1_ec_pubkey_combine(secp256k1_backend::context(), &sum, inputs, 2)) return {};
    return Point::from_key(sum);
  }

  static Point negate(const Point& a) {
    if (a.is_identity()) return a;
    secp256k1_pubkey key = a.key();
    if (!secp256k1_ec_pubkey_negate(secp256k1_backend::context(), &key)) {
      throw std::logic_error("secp256k1 backend: negation failed");
    }
    return Point::from_key(key);
  }

  static Point doubled(const Point& a) { return add(a, a); }

  static Point scalar_mul(const Point& a, const scalar_type& k) {
    if (a.is_identity() || k.is_zero()) return {};
    // libsecp256k1 takes scalars big-endian; zkcnn encodes them little-endian.
    auto tweak = k.to_bytes();
    std::reverse(tweak.begin(), tweak.end());
    secp256k1_pubkey key = a.key();
    if (!secp256k1_ec_pubkey_tweak_mul(secp256k1_backend::context(), &key, tweak.data())) {
      throw std::logic_error("secp256k1 backend: scalar multiplication failed");
    }
    return Point::from_key(key);
  }

  static bool equal(const Point& a, const Point& b) { return a == b; }
  static bool is_identity(const Point& a) { return a.is_identity(); }
  static void batch_normalize(std::span<Point>) {}  // points are kept affine by the library
  static std::array<std::uint8_t, encoded_size> encode(const Point& a) { return a.encode(); }

  /// Only the canonical compressed form; the curve has cofactor 1, so a point on the curve is in
  /// the group.
  static zkcnn::Result<Point> decode(std::span<const std::uint8_t> bytes) {
    if (bytes.size() != encoded_size) {
      return zkcnn::make_error(zkcnn::Errc::invalid_encoding, "secp256k1 point: expected 33 bytes");
    }
    if (std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; })) return Point{};
    if (bytes[0] != 0x02 && bytes[0] != 0x03) {
      return zkcnn::make_error(zkcnn::Errc::invalid_encoding, "secp256k1 point: not a compressed encoding");
    }
    secp256k1_pubkey key;
    if (!secp256k1_ec_pubkey_parse(secp256k1_backend::context(), &key, bytes.data(), bytes.size())) {
      return zkcnn::make_error(zkcnn::Errc::invalid_encoding, "secp256k1 point: not on the curve");
    }
    return Point::from_key(key);
  }

  /// Try-and-increment: x = SHA-256(framed domain, index, counter) until 02 || x is on the curve.
  static Point hash_to_group(std::string_view domain, std::uint64_t index) {
    for (std::uint64_t counter = 0;; ++counter) {
      zkcnn::Sha256 hasher;
      const std::string_view tag = "zkcnn secp256k1 hash_to_group v1";
      hasher.update(zkcnn::detail::le_bytes(tag.size()));
      hasher.update({reinterpret_cast<const std::uint8_t*>(tag.data()), tag.size()});
      hasher.update(zkcnn::detail::le_bytes(domain.size()));
      hasher.update({reinterpret_cast<const std::uint8_t*>(domain.data()), domain.size()});
      hasher.update(zkcnn::detail::le_bytes(index));
      hasher.update(zkcnn::detail::le_bytes(counter));
      const auto digest = hasher.finalize();
      std::array<std::uint8_t, 33> candidate{};
      candidate[0] = 0x02;
      std::copy(digest.begin(), digest.end(), candidate.begin() + 1);
      if (auto point = decode(candidate)) return *point;
    }
  }
};

static_assert(zkcnn::CommitmentGroup<secp256k1_backend::Point>);
