#pragma once
// NumPy's .npy format, versions 1.0 to 3.0 (numpy.lib.format): the magic string "\x93NUMPY",
// the version's two bytes, the header's length (little-endian u16 in version 1, u32 after),
// the header, a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (10, 1, 28, 28), }
// then the values. Supported: little-endian float32 and float64, unsigned bytes, and
// little-endian int32 and int64 (labels), in C order: what numpy.save writes for image batches
// and their labels. Every check reports a zkcnn::Error that says what is wrong; no input
// crashes.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <zkcnn/error.hpp>

namespace zkcnn::data {

enum class NpyType { uint8, int32, int64, float32, float64 };

/// An array read from a .npy file: its type, its shape and its values in C order, each
/// converted exactly to a double (int64 values beyond 2^53 are refused).
struct NpyArray {
  NpyType type = NpyType::float32;
  std::vector<std::size_t> shape;
  std::vector<double> values;
};

/// The largest file accepted: a corrupt or hostile file cannot exhaust memory.
inline constexpr std::size_t max_npy_bytes = std::size_t{1} << 30;

/// Parses the bytes of a .npy file.
Result<NpyArray> parse_npy(std::span<const std::uint8_t> bytes);

/// Reads a .npy file; errors name the file.
Result<NpyArray> read_npy_file(const std::filesystem::path& path);

/// The .npy file (version 1.0, laid out as numpy.save does) of an array; the inverse of
/// parse_npy. Values must fit the array's type.
std::vector<std::uint8_t> encode_npy(const NpyArray& array);

/// "1x28x28", for messages.
std::string shape_text(std::span<const std::size_t> shape);

}  // namespace zkcnn::data
