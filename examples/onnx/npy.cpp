#include "npy.hpp"

#include "idx.hpp"

#include <bit>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

namespace zkcnn::data {

namespace {

Error fail(const std::string& message) { return make_error(Errc::invalid_encoding, ".npy: " + message); }

// The header's dict literal: keys and values as numpy writes them (strings in single or double
// quotes, True/False, tuples of integers), with any spacing.
class HeaderParser {
 public:
  explicit HeaderParser(std::string_view text) : text_(text) {}

  Result<NpyArray> parse() {
    NpyArray array;
    std::optional<std::string> descr;
    std::optional<bool> fortran_order;
    std::optional<std::vector<std::size_t>> shape;
    if (!consume('{')) return fail("the header is not a dict literal");
    while (!consume('}')) {
      auto key = string();
      if (!key) return fail("expected a quoted key in the header");
      if (!consume(':')) return fail("expected ':' after '" + *key + "' in the header");
      if (*key == "descr") {
        descr = string();
        if (!descr) return fail("'descr' is not a string");
      } else if (*key == "fortran_order") {
        fortran_order = boolean();
        if (!fortran_order) return fail("'fortran_order' is not True or False");
      } else if (*key == "shape") {
        auto parsed = tuple();
        if (!parsed) return parsed.error();
        shape = std::move(*parsed);
      } else {
        return fail("unknown header key '" + *key + "'");
      }
      if (!consume(',') && !peek('}')) return fail("expected ',' or '}' in the header");
    }
    skip_space();
    if (position_ != text_.size()) return fail("text after the header's dict");
    if (!descr || !fortran_order || !shape) return fail("the header lacks 'descr', 'fortran_order' or 'shape'");
    if (*fortran_order) return fail("Fortran-ordered arrays are not supported (save a C-ordered copy)");
    if (*descr == "|u1" || *descr == "<u1" || *descr == "u1") {
      array.type = NpyType::uint8;
    } else if (*descr == "<i4") {
      array.type = NpyType::int32;
    } else if (*descr == "<i8") {
      array.type = NpyType::int64;
    } else if (*descr == "<f4") {
      array.type = NpyType::float32;
    } else if (*descr == "<f8") {
      array.type = NpyType::float64;
    } else {
      return fail("dtype '" + *descr + "' is not supported (little-endian float32, float64, int32 or int64, or uint8)");
    }
    array.shape = std::move(*shape);
    return array;
  }

 private:
  void skip_space() {
    while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\n' || text_[position_] == '\t')) {
      ++position_;
    }
  }
  bool peek(char c) {
    skip_space();
    return position_ < text_.size() && text_[position_] == c;
  }
  bool consume(char c) {
    if (!peek(c)) return false;
    ++position_;
    return true;
  }
  bool consume_word(std::string_view word) {
    skip_space();
    if (text_.substr(position_, word.size()) != word) return false;
    position_ += word.size();
    return true;
  }
  std::optional<std::string> string() {
    skip_space();
    if (position_ >= text_.size() || (text_[position_] != '\'' && text_[position_] != '"')) return std::nullopt;
    const char quote = text_[position_++];
    const auto end = text_.find(quote, position_);
    if (end == std::string_view::npos) return std::nullopt;
    std::string out(text_.substr(position_, end - position_));
    position_ = end + 1;
    return out;
  }
  std::optional<bool> boolean() {
    if (consume_word("True")) return true;
    if (consume_word("False")) return false;
    return std::nullopt;
  }
  Result<std::vector<std::size_t>> tuple() {
    if (!consume('(')) return fail("'shape' is not a tuple");
    std::vector<std::size_t> out;
    while (!consume(')')) {
      skip_space();
      std::size_t value = 0;
      std::size_t digits = 0;
      while (position_ < text_.size() && text_[position_] >= '0' && text_[position_] <= '9') {
        if (value > (max_npy_bytes >> 4)) return fail("a dimension of 'shape' is too large");
        value = value * 10 + static_cast<std::size_t>(text_[position_++] - '0');
        ++digits;
      }
      if (digits == 0) return fail("'shape' holds something other than non-negative integers");
      out.push_back(value);
      if (!consume(',') && !peek(')')) return fail("expected ',' or ')' in 'shape'");
    }
    return out;
  }

  std::string_view text_;
  std::size_t position_ = 0;
};

std::size_t item_size(NpyType type) {
  switch (type) {
    case NpyType::uint8: return 1;
    case NpyType::int32: return 4;
    case NpyType::int64: return 8;
    case NpyType::float32: return 4;
    case NpyType::float64: return 8;
  }
  return 0;
}

template <class T>
T load_le(const std::uint8_t* bytes) {
  static_assert(std::endian::native == std::endian::little, "the .npy reader assumes a little-endian host");
  T value;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

}  // namespace

std::string shape_text(std::span<const std::size_t> shape) {
  if (shape.empty()) return "a scalar";
  std::string out;
  for (std::size_t d : shape) out += (out.empty() ? "" : "x") + std::to_string(d);
  return out;
}

std::vector<std::uint8_t> encode_npy(const NpyArray& array) {
  static constexpr std::string_view descrs[] = {"|u1", "<i4", "<i8", "<f4", "<f8"};
  std::string shape;
  for (std::size_t d : array.shape) shape += std::to_string(d) + ", ";
  if (array.shape.size() > 1) shape.resize(shape.size() - 2);  // (3,) but (2, 3)
  if (array.shape.size() == 1) shape.pop_back();
  std::string header = "{'descr': '" + std::string(descrs[static_cast<std::size_t>(array.type)]) +
                       "', 'fortran_order': False, 'shape': (" + shape + "), }";
  // The values start at a multiple of 64 bytes; the header ends with a newline.
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::vector<std::uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<std::uint8_t>(header.size()),
                                   static_cast<std::uint8_t>(header.size() >> 8)};
  out.insert(out.end(), header.begin(), header.end());
  auto append = [&out](const auto value) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&value);
    out.insert(out.end(), bytes, bytes + sizeof value);
  };
  for (double v : array.values) {
    switch (array.type) {
      case NpyType::uint8: append(static_cast<std::uint8_t>(v)); break;
      case NpyType::int32: append(static_cast<std::int32_t>(v)); break;
      case NpyType::int64: append(static_cast<std::int64_t>(v)); break;
      case NpyType::float32: append(static_cast<float>(v)); break;
      case NpyType::float64: append(v); break;
    }
  }
  return out;
}

Result<NpyArray> parse_npy(std::span<const std::uint8_t> bytes) {
  static constexpr std::uint8_t magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (bytes.size() < 10 || std::memcmp(bytes.data(), magic, sizeof magic) != 0) {
    return fail("not a NumPy array file (no \\x93NUMPY magic string)");
  }
  const std::uint8_t major = bytes[6];
  std::size_t header_length = 0;
  std::size_t header_begin = 0;
  if (major == 1) {
    header_length = std::size_t{bytes[8]} | (std::size_t{bytes[9]} << 8);
    header_begin = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) return fail("truncated header");
    header_length = std::size_t{bytes[8]} | (std::size_t{bytes[9]} << 8) | (std::size_t{bytes[10]} << 16) |
                    (std::size_t{bytes[11]} << 24);
    header_begin = 12;
  } else {
    return fail("format version " + std::to_string(major) + " is not supported (1 to 3)");
  }
  if (header_length > bytes.size() - header_begin) return fail("truncated header");
  const std::string_view header(reinterpret_cast<const char*>(bytes.data() + header_begin), header_length);
  auto array = HeaderParser(header).parse();
  if (!array) return array.error();
  std::size_t count = 1;
  for (std::size_t d : array->shape) {
    if (d != 0 && count > max_npy_bytes / d) return fail("shape " + shape_text(array->shape) + " is too large");
    count *= d;
  }
  const std::size_t size = item_size(array->type);
  const std::size_t data_bytes = bytes.size() - header_begin - header_length;
  if (count > data_bytes / size || data_bytes != count * size) {
    return fail("shape " + shape_text(array->shape) + " needs " + std::to_string(count * size) + " bytes of values, the file has " +
                std::to_string(data_bytes));
  }
  const std::uint8_t* data = bytes.data() + header_begin + header_length;
  array->values.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    switch (array->type) {
      case NpyType::uint8: array->values[i] = data[i]; break;
      case NpyType::int32: array->values[i] = load_le<std::int32_t>(data + 4 * i); break;
      case NpyType::int64: {
        constexpr std::int64_t exact = std::int64_t{1} << 53;  // a double's integers
        const auto value = load_le<std::int64_t>(data + 8 * i);
        if (value > exact || value < -exact) return fail("int64 value " + std::to_string(value) + " beyond 2^53");
        array->values[i] = static_cast<double>(value);
        break;
      }
      case NpyType::float32: array->values[i] = load_le<float>(data + 4 * i); break;
      case NpyType::float64: array->values[i] = load_le<double>(data + 8 * i); break;
    }
  }
  return array;
}

Result<NpyArray> read_npy_file(const std::filesystem::path& path) {
  auto bytes = read_bounded_file(path, max_npy_bytes);
  if (!bytes) return bytes.error();
  auto array = parse_npy(*bytes);
  if (!array) return make_error(array.error().code, path.string() + ": " + array.error().message);
  return array;
}

}  // namespace zkcnn::data
