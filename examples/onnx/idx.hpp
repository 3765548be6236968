#pragma once
// The IDX format of the MNIST family of data sets (Fashion-MNIST among them), gzipped or not:
// a big-endian header (two zero bytes, a type byte, the number of dimensions, each dimension
// as a u32) followed by the values. Only unsigned bytes (type 0x08) are supported, which is
// what image and label files use. Every check reports a zkcnn::Error; no input crashes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <zkcnn/error.hpp>

namespace zkcnn::data {

/// An IDX array of unsigned bytes: its dimensions and its values, row-major.
struct IdxArray {
  std::vector<std::size_t> dims;
  std::vector<std::uint8_t> values;
};

/// The largest decompressed file accepted: well above Fashion-MNIST's 47 MB training images,
/// small enough that a corrupt or hostile file cannot exhaust memory.
inline constexpr std::size_t max_idx_bytes = std::size_t{1} << 30;

/// A whole file of at most `max_bytes` bytes (a larger one is refused before it is read).
Result<std::vector<std::uint8_t>> read_bounded_file(const std::filesystem::path& path, std::size_t max_bytes);

/// Decompresses a whole gzip stream (one member, nothing after it).
Result<std::vector<std::uint8_t>> gunzip(std::span<const std::uint8_t> compressed);

/// Parses an uncompressed IDX file.
Result<IdxArray> parse_idx(std::span<const std::uint8_t> bytes);

/// Reads an IDX file, gunzipping it first when it starts with the gzip magic bytes. Errors
/// name the file.
Result<IdxArray> read_idx_file(const std::filesystem::path& path);

/// Images with their labels: `count` images of `height` x `width` pixels, row-major, one byte
/// per pixel.
struct LabelledImages {
  std::size_t count = 0;
  std::size_t height = 0;
  std::size_t width = 0;
  std::vector<std::uint8_t> pixels;
  std::vector<std::uint8_t> labels;

  std::span<const std::uint8_t> image(std::size_t index) const {
    return std::span(pixels).subspan(index * height * width, height * width);
  }
};

/// Pairs an image file (3 dimensions) with a label file (1 dimension): the counts must match
/// and every label must be below `classes`.
Result<LabelledImages> make_labelled_images(IdxArray images, IdxArray labels, std::size_t classes);

enum class Split { train, test };

/// Fashion-MNIST's class names, indexed by label.
inline constexpr std::array<std::string_view, 10> fashion_mnist_classes = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

/// Fashion-MNIST from the directory of its four gzipped IDX files (Debian's
/// dataset-fashion-mnist installs them in /usr/share/datasets/fashion-mnist).
Result<LabelledImages> load_fashion_mnist(const std::filesystem::path& directory, Split split);

/// Images first to first + count - 1 with their labels; the range must lie within the set.
LabelledImages slice_images(const LabelledImages& images, std::size_t first, std::size_t count);

/// Pixels as the float inputs of the shipped models: pixel / 255, in [0, 1].
std::vector<double> to_unit_interval(std::span<const std::uint8_t> pixels);

/// Surrounds every image with `border` pixels of zero (LeNet-5 takes the 28x28 images as 32x32).
LabelledImages pad_images(const LabelledImages& images, std::size_t border);

/// The images as a model's (channels, height, width) inputs: padded with the same border of
/// zeros on every side. Fails, giving both shapes, unless the model takes one channel and such a
/// border exists.
Result<LabelledImages> pad_to_input(const LabelledImages& images, std::size_t channels, std::size_t height,
                                    std::size_t width);

}  // namespace zkcnn::data
