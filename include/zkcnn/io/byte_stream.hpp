#pragma once
// Appending and reading the fixed-width little-endian encodings that proofs and commitments
// are serialized with. The reader treats its input as untrusted: every read is bounds-checked
// and reports failure as an Error naming what was being read.

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/group.hpp"
#include "zkcnn/detail/bytes.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/error.hpp"

namespace zkcnn::io {

/// Below this many points a thread costs more than it saves when encoding or decoding them.
inline constexpr std::size_t points_per_thread = 64;

class ByteWriter {
 public:
  void write_bytes(std::span<const std::uint8_t> data) { bytes_.insert(bytes_.end(), data.begin(), data.end()); }
  void write_u8(std::uint8_t value) { bytes_.push_back(value); }
  /// Room for `count` more bytes, so that a long encoding grows its buffer once.
  void reserve(std::size_t count) { bytes_.reserve(bytes_.size() + count); }
  void write_u32(std::uint32_t value) {
    const auto encoded = detail::le_bytes(value);
    bytes_.insert(bytes_.end(), encoded.begin(), encoded.begin() + 4);
  }
  void write_u64(std::uint64_t value) { write_bytes(detail::le_bytes(value)); }
  template <EncodableField F>
  void write_field(const F& value) {
    write_bytes(value.to_bytes());
  }

  template <CommitmentGroup G>
  void write_group(const G& point) {
    write_bytes(group_traits<G>::encode(point));
  }

  /// The points one after another, encoded in parallel (a commitment's thousands of rows).
  template <CommitmentGroup G>
  void write_groups(std::span<const G> points) {
    constexpr std::size_t size = group_traits<G>::encoded_size;
    const std::size_t start = bytes_.size();
    bytes_.resize(start + points.size() * size);
    detail::parallel_for(
        0, points.size(),
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) {
            const auto encoded = group_traits<G>::encode(points[i]);
            std::copy(encoded.begin(), encoded.end(), bytes_.begin() + static_cast<std::ptrdiff_t>(start + i * size));
          }
        },
        detail::threads_for(points.size(), points_per_thread));
  }

  std::vector<std::uint8_t> take() && { return std::move(bytes_); }

 private:
  std::vector<std::uint8_t> bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::size_t remaining() const { return bytes_.size() - offset_; }

  /// Whether the bytes encode a zero-knowledge proof, whose sumcheck steps carry mask values
  /// (gkr/sumcheck_step.hpp): a property of the whole encoding, set by the proof's reader from
  /// its header.
  bool zero_knowledge() const { return zero_knowledge_; }
  void set_zero_knowledge(bool on) { zero_knowledge_ = on; }

  Result<std::span<const std::uint8_t>> read_bytes(std::size_t count, std::string_view what) {
    if (remaining() < count) {
      return make_error(Errc::invalid_encoding, std::string(what) + ": truncated (needs " + std::to_string(count) +
                                                    " bytes, " + std::to_string(remaining()) + " left)");
    }
    const auto out = bytes_.subspan(offset_, count);
    offset_ += count;
    return out;
  }

  Result<std::uint8_t> read_u8(std::string_view what) {
    auto bytes = read_bytes(1, what);
    if (!bytes) return bytes.error();
    return (*bytes)[0];
  }

  Result<std::uint32_t> read_u32(std::string_view what) {
    auto bytes = read_bytes(4, what);
    if (!bytes) return bytes.error();
    std::uint32_t value = 0;
    for (std::size_t i = 4; i-- > 0;) value = (value << 8) | (*bytes)[i];
    return value;
  }

  Result<std::uint64_t> read_u64(std::string_view what) {
    auto bytes = read_bytes(8, what);
    if (!bytes) return bytes.error();
    std::uint64_t value = 0;
    for (std::size_t i = 8; i-- > 0;) value = (value << 8) | (*bytes)[i];
    return value;
  }

  template <EncodableField F>
  Result<F> read_field(std::string_view what) {
    auto bytes = read_bytes(F::byte_size, what);
    if (!bytes) return bytes.error();
    auto value = F::from_bytes(*bytes);
    if (!value) return make_error(Errc::invalid_encoding, std::string(what) + ": " + value.error().message);
    return value;
  }

  /// A group element, validated by the backend's decoder (on the curve, in the subgroup).
  template <CommitmentGroup G>
  Result<G> read_group(std::string_view what) {
    auto bytes = read_bytes(group_traits<G>::encoded_size, what);
    if (!bytes) return bytes.error();
    auto point = group_traits<G>::decode(*bytes);
    if (!point) return make_error(Errc::invalid_encoding, std::string(what) + ": " + point.error().message);
    return point;
  }

  /// `count` group elements one after another, decoded in parallel: decoding a compressed point
  /// takes a square root, and a commitment has thousands of rows. On failure the error is the
  /// first invalid element's, as reading them one by one would report.
  template <CommitmentGroup G>
  Result<std::vector<G>> read_groups(std::size_t count, std::string_view what) {
    constexpr std::size_t size = group_traits<G>::encoded_size;
    if (count > remaining() / size) {
      return make_error(Errc::invalid_encoding, std::string(what) + ": truncated (needs " + std::to_string(count) +
                                                    " elements of " + std::to_string(size) + " bytes, " +
                                                    std::to_string(remaining()) + " bytes left)");
    }
    const std::span<const std::uint8_t> encoded = bytes_.subspan(offset_, count * size);
    std::vector<G> points(count);
    // A chunk stops at its first invalid element; every element below the lowest one recorded
    // has then been decoded, so the lowest is the first invalid element of all.
    std::mutex failure_lock;
    std::size_t first_invalid = count;
    std::optional<Error> failure;
    detail::parallel_for(
        0, count,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) {
            auto point = group_traits<G>::decode(encoded.subspan(i * size, size));
            if (point) {
              points[i] = *point;
              continue;
            }
            const std::lock_guard guard(failure_lock);
            if (i < first_invalid) {
              first_invalid = i;
              failure = make_error(Errc::invalid_encoding, std::string(what) + ": " + point.error().message);
            }
            return;
          }
        },
        detail::threads_for(count, points_per_thread));
    if (failure) return *failure;
    offset_ += count * size;
    return points;
  }

  /// Fails unless every byte has been consumed: trailing bytes make an encoding non-canonical.
  Status expect_end(std::string_view what) const {
    if (remaining() != 0) {
      return make_error(Errc::invalid_encoding,
                        std::string(what) + ": " + std::to_string(remaining()) + " unexpected trailing bytes");
    }
    return {};
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t offset_ = 0;
  bool zero_knowledge_ = false;
};

}  // namespace zkcnn::io

