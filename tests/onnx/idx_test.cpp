// The IDX / Fashion-MNIST reader of examples/onnx: valid files of every shape it accepts, and
// every kind of damage to the header, the data or the gzip stream giving a clear error.

#include <zlib.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "idx.hpp"

namespace {

using zkcnn::data::gunzip;
using zkcnn::data::parse_idx;
using Bytes = std::vector<std::uint8_t>;

Bytes idx_bytes(const std::vector<std::uint32_t>& dims, const Bytes& values) {
  Bytes out{0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
  for (std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(d >> shift));
  }
  out.insert(out.end(), values.begin(), values.end());
  return out;
}

Bytes gzip(const Bytes& plain) {
  z_stream stream{};
  REQUIRE(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  Bytes out(deflateBound(&stream, static_cast<uLong>(plain.size())));
  stream.next_in = const_cast<Bytef*>(plain.data());
  stream.avail_in = static_cast<uInt>(plain.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&stream, Z_FINISH) == Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

/// A fresh directory under the system's temporary directory, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name) : path(std::filesystem::temp_directory_path() / ("zkcnn_idx_test_" + name)) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  void write(const std::string& file, const Bytes& bytes) const {
    std::ofstream(path / file, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
};

void require_error(const auto& result, const std::string& fragment) {
  REQUIRE_FALSE(result);
  INFO(result.error().message);
  CHECK(result.error().message.find(fragment) != std::string::npos);
}

const Bytes three_images = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};  // 3 images of 2x2

}  // namespace

TEST_CASE("IDX reader: a valid file parses into its dimensions and values", "[idx]") {
  const auto array = parse_idx(idx_bytes({3, 2, 2}, three_images));
  REQUIRE(array);
  CHECK(array->dims == std::vector<std::size_t>{3, 2, 2});
  CHECK(array->values == three_images);
}

TEST_CASE("IDX reader: a damaged header or a size mismatch is a clear error", "[idx]") {
  const Bytes good = idx_bytes({3, 2, 2}, three_images);
  require_error(parse_idx(Bytes{}), "truncated header");
  require_error(parse_idx(Bytes{0, 0, 8}), "truncated header");
  Bytes magic = good;
  magic[1] = 1;
  require_error(parse_idx(magic), "bad magic");
  Bytes type = good;
  type[2] = 0x0D;  // floats
  require_error(parse_idx(type), "unsupported value type 13");
  require_error(parse_idx(Bytes{0, 0, 8, 0}), "no dimensions");
  require_error(parse_idx(Bytes(good.begin(), good.begin() + 10)), "truncated header");
  require_error(parse_idx(idx_bytes({3, 0, 2}, {})), "dimension 1 is zero");
  require_error(parse_idx(idx_bytes({0xffffffff, 0xffffffff}, {})), "more than");
  require_error(parse_idx(Bytes(good.begin(), good.end() - 1)), "(truncated)");
  Bytes longer = good;
  longer.push_back(0);
  require_error(parse_idx(longer), "(trailing bytes)");
  // Every prefix of a valid file is rejected, none crashes.
  for (std::size_t n = 0; n < good.size(); ++n) CHECK_FALSE(parse_idx(Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n))));
}

TEST_CASE("IDX reader: gzip streams are inflated and checked", "[idx]") {
  const Bytes plain = idx_bytes({3, 2, 2}, three_images);
  const Bytes compressed = gzip(plain);
  const auto inflated = gunzip(compressed);
  REQUIRE(inflated);
  CHECK(*inflated == plain);

  for (std::size_t n = 0; n < compressed.size(); ++n) {
    INFO("truncated to " << n << " bytes");
    CHECK_FALSE(gunzip(Bytes(compressed.begin(), compressed.begin() + static_cast<std::ptrdiff_t>(n))));
  }
  require_error(gunzip(Bytes(compressed.begin(), compressed.end() - 1)), "truncated");
  Bytes crc = compressed;
  crc[crc.size() - 6] ^= 1;  // the CRC-32 of the data, in the trailer
  require_error(gunzip(crc), "corrupt");
  Bytes header = compressed;
  header[2] = 7;  // an unknown compression method
  require_error(gunzip(header), "corrupt");
  Bytes trailing = compressed;
  trailing.push_back(0);
  require_error(gunzip(trailing), "after the end");
}

TEST_CASE("IDX reader: files are read gzipped or not, and errors name the file", "[idx]") {
  const TempDir dir("files");
  const Bytes plain = idx_bytes({3, 2, 2}, three_images);
  dir.write("plain.idx", plain);
  dir.write("packed.idx.gz", gzip(plain));
  Bytes damaged = gzip(plain);
  damaged.resize(damaged.size() / 2);
  dir.write("damaged.idx.gz", damaged);
  for (const char* name : {"plain.idx", "packed.idx.gz"}) {
    const auto array = zkcnn::data::read_idx_file(dir.path / name);
    REQUIRE(array);
    CHECK(array->values == three_images);
  }
  require_error(zkcnn::data::read_idx_file(dir.path / "damaged.idx.gz"), "damaged.idx.gz: gzip: truncated");
  require_error(zkcnn::data::read_idx_file(dir.path / "missing.idx"), "missing.idx: cannot read");
}

TEST_CASE("IDX reader: images and labels are paired and checked", "[idx]") {
  using zkcnn::data::IdxArray;
  const IdxArray images{{3, 2, 2}, three_images};
  const auto set = zkcnn::data::make_labelled_images(images, IdxArray{{3}, {0, 9, 4}}, 10);
  REQUIRE(set);
  CHECK(set->count == 3);
  CHECK(set->image(1)[0] == 5);
  require_error(zkcnn::data::make_labelled_images(images, IdxArray{{2}, {0, 1}}, 10), "3 images but 2 labels");
  require_error(zkcnn::data::make_labelled_images(images, IdxArray{{3}, {0, 10, 1}}, 10), "label 10 at index 1");
  require_error(zkcnn::data::make_labelled_images(IdxArray{{12}, three_images}, IdxArray{{12}, Bytes(12)}, 10), "3 dimensions");

  const auto padded = zkcnn::data::pad_images(*set, 1);
  CHECK(padded.height == 4);
  CHECK(padded.width == 4);
  CHECK(std::vector<std::uint8_t>(padded.image(0).begin(), padded.image(0).end()) ==
        std::vector<std::uint8_t>{0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0});

  // A model's input: one channel, the same border on every side.
  const auto fitted = zkcnn::data::pad_to_input(*set, 1, 4, 4);
  REQUIRE(fitted);
  CHECK(fitted->pixels == padded.pixels);
  CHECK(zkcnn::data::pad_to_input(*set, 1, 2, 2).value().pixels == set->pixels);
  for (const auto& [channels, height, width] : {std::tuple{3, 4, 4}, {1, 3, 3}, {1, 4, 6}, {1, 1, 1}}) {
    require_error(zkcnn::data::pad_to_input(*set, channels, height, width), "cannot be padded to");
  }
}

TEST_CASE("IDX reader: a Fashion-MNIST directory is loaded, and a damaged one rejected", "[idx]") {
  const TempDir dir("fashion");
  dir.write("t10k-images-idx3-ubyte.gz", gzip(idx_bytes({3, 2, 2}, three_images)));
  dir.write("t10k-labels-idx1-ubyte.gz", gzip(idx_bytes({3}, {1, 2, 3})));
  const auto test = zkcnn::data::load_fashion_mnist(dir.path, zkcnn::data::Split::test);
  REQUIRE(test);
  CHECK(test->labels == Bytes{1, 2, 3});
  require_error(zkcnn::data::load_fashion_mnist(dir.path, zkcnn::data::Split::train), "train-images-idx3-ubyte.gz: cannot read");
  dir.write("t10k-labels-idx1-ubyte.gz", gzip(idx_bytes({3}, {1, 2, 30})));
  require_error(zkcnn::data::load_fashion_mnist(dir.path, zkcnn::data::Split::test), "fashion-mnist t10k: label 30");
}

TEST_CASE("IDX reader: Debian's Fashion-MNIST, when installed, has its documented shape", "[idx]") {
  const std::filesystem::path installed = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(installed / "t10k-images-idx3-ubyte.gz")) {
    WARN("dataset-fashion-mnist is not installed; skipped");
    return;
  }
  const auto test = zkcnn::data::load_fashion_mnist(installed, zkcnn::data::Split::test);
  REQUIRE(test);
  CHECK(test->count == 10000);
  CHECK(test->height == 28);
  CHECK(test->width == 28);
  std::vector<std::size_t> per_class(10);
  for (std::uint8_t label : test->labels) ++per_class[label];
  CHECK(per_class == std::vector<std::size_t>(10, 1000));
}
