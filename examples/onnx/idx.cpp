#include "idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <fstream>
#include <utility>

namespace zkcnn::data {

namespace {

Error fail(const std::string& message) { return make_error(Errc::invalid_encoding, message); }

bool is_gzip(std::span<const std::uint8_t> bytes) { return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b; }

std::uint32_t read_be32(std::span<const std::uint8_t> bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) | bytes[3];
}

}  // namespace

Result<std::vector<std::uint8_t>> read_bounded_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return make_error(Errc::invalid_argument, path.string() + ": cannot read: " + ec.message());
  if (size > max_bytes) return fail(path.string() + ": larger than " + std::to_string(max_bytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) {
    return make_error(Errc::invalid_argument, path.string() + ": cannot read");
  }
  return bytes;
}

Result<std::vector<std::uint8_t>> gunzip(std::span<const std::uint8_t> compressed) {
  z_stream stream{};
  // 16 + MAX_WBITS: a gzip header and trailer (whose CRC-32 and length zlib checks).
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return fail("gzip: cannot initialize zlib");
  std::vector<std::uint8_t> out;
  std::uint8_t chunk[1 << 16];
  const std::uint8_t* next = compressed.data();
  std::size_t remaining = compressed.size();
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    if (stream.avail_in == 0) {
      if (remaining == 0) break;
      const auto take = std::min<std::size_t>(remaining, UINT_MAX);
      stream.next_in = const_cast<Bytef*>(next);  // zlib's API is not const-correct; it only reads
      stream.avail_in = static_cast<uInt>(take);
      next += take;
      remaining -= take;
    }
    stream.next_out = chunk;
    stream.avail_out = sizeof chunk;
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
      std::string why = stream.msg != nullptr ? stream.msg : "error " + std::to_string(status);
      inflateEnd(&stream);
      return fail("gzip: corrupt data: " + why);
    }
    out.insert(out.end(), chunk, chunk + (sizeof chunk - stream.avail_out));
    if (out.size() > max_idx_bytes) {
      inflateEnd(&stream);
      return fail("gzip: decompresses to more than " + std::to_string(max_idx_bytes) + " bytes");
    }
  }
  const bool trailing = stream.avail_in != 0 || remaining != 0;
  inflateEnd(&stream);
  if (status != Z_STREAM_END) return fail("gzip: truncated stream (it ends before its trailer)");
  if (trailing) return fail("gzip: bytes after the end of the stream");
  return out;
}

Result<IdxArray> parse_idx(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 4) return fail("idx: truncated header (" + std::to_string(bytes.size()) + " bytes)");
  if (bytes[0] != 0 || bytes[1] != 0) return fail("idx: bad magic (the first two bytes must be zero)");
  if (bytes[2] != 0x08) {
    return fail("idx: unsupported value type " + std::to_string(bytes[2]) + " (only unsigned bytes, type 8)");
  }
  const std::size_t rank = bytes[3];
  if (rank == 0) return fail("idx: no dimensions");
  if (bytes.size() < 4 + 4 * rank) return fail("idx: truncated header (" + std::to_string(rank) + " dimensions)");
  IdxArray array;
  std::size_t count = 1;
  for (std::size_t d = 0; d < rank; ++d) {
    const std::size_t dim = read_be32(bytes.subspan(4 + 4 * d, 4));
    if (dim == 0) return fail("idx: dimension " + std::to_string(d) + " is zero");
    if (dim > max_idx_bytes / count) return fail("idx: the dimensions describe more than " + std::to_string(max_idx_bytes) + " values");
    count *= dim;
    array.dims.push_back(dim);
  }
  const auto data = bytes.subspan(4 + 4 * rank);
  if (data.size() != count) {
    return fail("idx: the dimensions describe " + std::to_string(count) + " values but the file holds " +
                std::to_string(data.size()) + (data.size() < count ? " (truncated)" : " (trailing bytes)"));
  }
  array.values.assign(data.begin(), data.end());
  return array;
}

Result<IdxArray> read_idx_file(const std::filesystem::path& path) {
  auto bytes = read_bounded_file(path, max_idx_bytes);
  if (!bytes) return bytes.error();
  auto named = [&](const Error& e) { return Error{e.code, path.string() + ": " + e.message}; };
  if (is_gzip(*bytes)) {
    auto inflated = gunzip(*bytes);
    if (!inflated) return named(inflated.error());
    *bytes = std::move(*inflated);
  }
  auto array = parse_idx(*bytes);
  if (!array) return named(array.error());
  return array;
}

Result<LabelledImages> make_labelled_images(IdxArray images, IdxArray labels, std::size_t classes) {
  if (images.dims.size() != 3) {
    return fail("images: expected 3 dimensions (count, rows, columns), got " + std::to_string(images.dims.size()));
  }
  if (labels.dims.size() != 1) return fail("labels: expected 1 dimension, got " + std::to_string(labels.dims.size()));
  if (images.dims[0] != labels.dims[0]) {
    return fail(std::to_string(images.dims[0]) + " images but " + std::to_string(labels.dims[0]) + " labels");
  }
  const auto bad = std::find_if(labels.values.begin(), labels.values.end(), [&](std::uint8_t l) { return l >= classes; });
  if (bad != labels.values.end()) {
    return fail("label " + std::to_string(*bad) + " at index " + std::to_string(bad - labels.values.begin()) +
                " is not below the number of classes, " + std::to_string(classes));
  }
  return LabelledImages{images.dims[0], images.dims[1], images.dims[2], std::move(images.values), std::move(labels.values)};
}

Result<LabelledImages> load_fashion_mnist(const std::filesystem::path& directory, Split split) {
  const std::string prefix = split == Split::train ? "train" : "t10k";
  auto images = read_idx_file(directory / (prefix + "-images-idx3-ubyte.gz"));
  if (!images) return images.error();
  auto labels = read_idx_file(directory / (prefix + "-labels-idx1-ubyte.gz"));
  if (!labels) return labels.error();
  auto set = make_labelled_images(std::move(*images), std::move(*labels), fashion_mnist_classes.size());
  if (!set) return Error{set.error().code, "fashion-mnist " + prefix + ": " + set.error().message};
  return set;
}

std::vector<double> to_unit_interval(std::span<const std::uint8_t> pixels) {
  std::vector<double> out(pixels.size());
  std::transform(pixels.begin(), pixels.end(), out.begin(), [](std::uint8_t p) { return p / 255.0; });
  return out;
}

LabelledImages pad_images(const LabelledImages& images, std::size_t border) {
  LabelledImages padded{images.count, images.height + 2 * border, images.width + 2 * border, {}, images.labels};
  padded.pixels.assign(padded.count * padded.height * padded.width, 0);
  for (std::size_t i = 0; i < images.count; ++i) {
    const auto source = images.image(i);
    for (std::size_t r = 0; r < images.height; ++r) {
      std::copy_n(source.begin() + static_cast<std::ptrdiff_t>(r * images.width), images.width,
                  padded.pixels.begin() +
                      static_cast<std::ptrdiff_t>((i * padded.height + r + border) * padded.width + border));
    }
  }
  return padded;
}

LabelledImages slice_images(const LabelledImages& images, std::size_t first, std::size_t count) {
  const std::size_t image_size = images.height * images.width;
  LabelledImages chosen{count, images.height, images.width, {}, {}};
  chosen.pixels.assign(images.pixels.begin() + static_cast<std::ptrdiff_t>(first * image_size),
                       images.pixels.begin() + static_cast<std::ptrdiff_t>((first + count) * image_size));
  chosen.labels.assign(images.labels.begin() + static_cast<std::ptrdiff_t>(first),
                       images.labels.begin() + static_cast<std::ptrdiff_t>(first + count));
  return chosen;
}

Result<LabelledImages> pad_to_input(const LabelledImages& images, std::size_t channels, std::size_t height,
                                    std::size_t width) {
  const bool fits = channels == 1 && height >= images.height && width >= images.width &&
                    height - images.height == width - images.width && (height - images.height) % 2 == 0;
  if (!fits) {
    return make_error(Errc::invalid_argument, "the model takes " + std::to_string(channels) + "x" + std::to_string(height) +
                                                  "x" + std::to_string(width) + " inputs, which " +
                                                  std::to_string(images.height) + "x" + std::to_string(images.width) +
                                                  " grayscale images cannot be padded to");
  }
  return pad_images(images, (height - images.height) / 2);
}

}  // namespace zkcnn::data
