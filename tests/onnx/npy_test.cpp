// The .npy reader of examples/onnx: files laid out as numpy.save writes them (numpy.lib.format),
// every supported type and header version; malformed, truncated and random files refused with
// an error that says why.

#include <npy.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using zkcnn::data::NpyType;
using zkcnn::data::parse_npy;

// A .npy file as numpy.save lays it out: the header padded with spaces and ended by a newline
// so that the values start at a multiple of 64 bytes.
std::vector<std::uint8_t> npy_file(const std::string& dict, const std::vector<std::uint8_t>& values, std::uint8_t major = 1) {
  std::vector<std::uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', major, 0};
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  std::string header = dict;
  while ((out.size() + length_bytes + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  for (std::size_t i = 0; i < length_bytes; ++i) out.push_back(static_cast<std::uint8_t>(header.size() >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), values.begin(), values.end());
  return out;
}

template <class T>
std::vector<std::uint8_t> raw(const std::vector<T>& values) {
  std::vector<std::uint8_t> out(values.size() * sizeof(T));
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

std::string error_of(const std::vector<std::uint8_t>& bytes) {
  auto parsed = parse_npy(bytes);
  REQUIRE_FALSE(parsed);
  return parsed.error().message;
}

}  // namespace

TEST_CASE("npy: float32, float64 and uint8 arrays in C order, header versions 1 to 3", "[npy]") {
  const std::vector<float> floats{0.0f, 0.5f, -1.25f, 3.0f, 1e-3f, 255.0f};
  const auto f32 = parse_npy(npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 3), }", raw(floats)));
  REQUIRE(f32);
  CHECK(f32->type == NpyType::float32);
  CHECK(f32->shape == std::vector<std::size_t>{2, 1, 3});
  for (std::size_t i = 0; i < floats.size(); ++i) CHECK(f32->values[i] == static_cast<double>(floats[i]));

  const std::vector<double> doubles{0.25, -7.0};
  for (const std::uint8_t major : {1, 2, 3}) {
    const auto f64 = parse_npy(npy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", raw(doubles), major));
    REQUIRE(f64);
    CHECK(f64->values == doubles);
  }

  const std::vector<std::uint8_t> pixels{0, 17, 255, 128};
  const auto u8 = parse_npy(npy_file("{\"descr\":\"|u1\",\"fortran_order\":False,\"shape\":(2,2)}", pixels));
  REQUIRE(u8);
  CHECK(u8->type == NpyType::uint8);
  CHECK(u8->values == std::vector<double>{0, 17, 255, 128});

  const std::vector<std::int64_t> labels{0, 9, 3};
  const auto i64 = parse_npy(npy_file("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", raw(labels)));
  REQUIRE(i64);
  CHECK(i64->type == NpyType::int64);
  CHECK(i64->values == std::vector<double>{0, 9, 3});
  const auto i32 = parse_npy(npy_file("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
                                      raw(std::vector<std::int32_t>{-5, 7})));
  REQUIRE(i32);
  CHECK(i32->values == std::vector<double>{-5, 7});

  const auto scalar = parse_npy(npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", raw(std::vector<float>{2})));
  REQUIRE(scalar);
  CHECK(scalar->shape.empty());
  CHECK(scalar->values == std::vector<double>{2});
  const auto empty = parse_npy(npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", {}));
  REQUIRE(empty);
  CHECK(empty->values.empty());
}

TEST_CASE("npy: encode_npy writes what parse_npy reads, in numpy.save's layout", "[npy]") {
  using zkcnn::data::NpyArray;
  for (const NpyArray& array : {NpyArray{NpyType::float32, {2, 1, 3}, {0, 0.5, -1.25, 3, 255, 1e-3}},
                                NpyArray{NpyType::float64, {2}, {0.1, -7}}, NpyArray{NpyType::uint8, {1, 3}, {0, 128, 255}},
                                NpyArray{NpyType::int32, {3}, {-1, 0, 7}}, NpyArray{NpyType::int64, {}, {42}}}) {
    const auto bytes = zkcnn::data::encode_npy(array);
    const std::size_t header_end = 10 + (bytes[8] | (bytes[9] << 8));
    CHECK(header_end % 64 == 0);
    CHECK(bytes[header_end - 1] == '\n');
    const auto parsed = parse_npy(bytes);
    REQUIRE(parsed);
    CHECK(parsed->type == array.type);
    CHECK(parsed->shape == array.shape);
    for (std::size_t i = 0; i < array.values.size(); ++i) {
      CHECK(parsed->values[i] == (array.type == NpyType::float32 ? static_cast<double>(static_cast<float>(array.values[i]))
                                                                 : array.values[i]));
    }
  }
  // numpy.save's own header for a 2x3 float32 array, byte for byte.
  const auto bytes = zkcnn::data::encode_npy({NpyType::float32, {2, 3}, std::vector<double>(6, 0)});
  CHECK(std::string(bytes.begin() + 10, bytes.begin() + 10 + 59) == "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
}

TEST_CASE("npy: unsupported and malformed files are refused, saying why", "[npy]") {
  const auto four_floats = raw(std::vector<float>{1, 2, 3, 4});
  auto with = [&](const std::string& dict) { return error_of(npy_file(dict, four_floats)); };
  CHECK_THAT(with("{'descr': '>f4', 'fortran_order': False, 'shape': (4,), }"), Catch::Contains("'>f4' is not supported"));
  CHECK_THAT(with("{'descr': '<i2', 'fortran_order': False, 'shape': (8,), }"), Catch::Contains("'<i2' is not supported"));
  CHECK_THAT(error_of(npy_file("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                               raw(std::vector<std::int64_t>{(std::int64_t{1} << 53) + 1}))),
             Catch::Contains("beyond 2^53"));
  CHECK_THAT(with("{'descr': '<f4', 'fortran_order': True, 'shape': (4,), }"), Catch::Contains("Fortran"));
  CHECK_THAT(with("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }"), Catch::Contains("needs 20 bytes"));
  CHECK_THAT(with("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), Catch::Contains("the file has 16"));
  CHECK_THAT(with("{'descr': '<f4', 'fortran_order': False, }"), Catch::Contains("lacks"));
  CHECK_THAT(with("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'extra': 1}"), Catch::Contains("unknown header key"));
  CHECK_THAT(with("{'descr': '<f4', 'fortran_order': False, 'shape': (-4,), }"), Catch::Contains("non-negative integers"));
  CHECK_THAT(with("{'descr': '<f4', 'fortran_order': False, 'shape': (4,) } trailing"), Catch::Contains("after the header"));
  CHECK_THAT(with("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"), Catch::Contains("too large"));
  CHECK_THAT(with("['descr']"), Catch::Contains("not a dict"));
  CHECK_THAT(error_of({'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0, 0}), Catch::Contains("magic"));
  auto version_4 = npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", four_floats);
  version_4[6] = 4;
  CHECK_THAT(error_of(version_4), Catch::Contains("version 4"));
}

TEST_CASE("npy: every truncation of a file and random bytes are refused without a crash", "[npy]") {
  const auto file = npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", raw(std::vector<float>(6, 1.5f)));
  REQUIRE(parse_npy(file));
  for (std::size_t length = 0; length < file.size(); ++length) {
    CAPTURE(length);
    CHECK_FALSE(parse_npy(std::span(file).first(length)));
  }
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 2000; ++trial) {
    auto bytes = file;
    for (int flips = 0; flips < 4; ++flips) bytes[rng() % bytes.size()] = static_cast<std::uint8_t>(rng());
    (void)parse_npy(bytes);  // any result, but no crash, hang or sanitizer report
  }
}
