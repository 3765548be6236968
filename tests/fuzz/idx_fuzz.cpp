// The IDX reader (examples/onnx/idx.hpp) on hostile files, gzipped or not, as read_idx_file
// reads them (gunzip when the bytes start with the gzip magic, then parse_idx); a file of
// images is then paired with labels and padded as the command-line tool does with Fashion-MNIST
// (make_labelled_images, pad_to_input). The IDX format has one encoding per array, so an
// accepted array must re-encode to the bytes it was parsed from.

#include <utility>
#include <vector>

#include "fuzz_support.hpp"
#include "idx_encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto bytes = zkcnn_fuzz::input(data, size);
  std::vector<std::uint8_t> inflated;
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
    auto decompressed = zkcnn::data::gunzip(bytes);
    if (!decompressed) return 0;
    inflated = std::move(*decompressed);
    bytes = inflated;
  }
  auto array = zkcnn::data::parse_idx(bytes);
  if (!array) return 0;
  zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(zkcnn_fuzz::encode_idx(*array), bytes), "idx round trip");
  if (array->dims.size() != 3) return 0;
  zkcnn::data::IdxArray labels{{array->dims[0]}, std::vector<std::uint8_t>(array->dims[0], 0)};
  auto images = zkcnn::data::make_labelled_images(std::move(*array), std::move(labels), zkcnn::data::fashion_mnist_classes.size());
  zkcnn_fuzz::require(static_cast<bool>(images), "images with valid labels pair up");
  (void)zkcnn::data::pad_to_input(*images, 1, images->height + 4, images->width + 4);
  return 0;
}
