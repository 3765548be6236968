// Field element decoding (F::from_bytes, io::ByteReader::read_field) for every shipped field:
// the BN254 and BLS12-381 scalar and base fields, Goldilocks and its quadratic extension. The
// input is decoded as one element of each field, and as a sequence of elements read one after
// another. An accepted element must re-encode to the bytes it came from (the encoding is
// canonical: every value >= p is rejected).

#include <zkcnn/field/bls12_381.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/io/byte_stream.hpp>

#include "fuzz_support.hpp"

namespace {

template <class F>
void decode(std::span<const std::uint8_t> bytes) {
  if (auto value = F::from_bytes(bytes)) zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(value->to_bytes(), bytes), "scalar round trip");
  zkcnn::io::ByteReader in(bytes);
  for (std::size_t offset = 0;; offset += F::byte_size) {
    auto value = in.read_field<F>("element");
    if (!value) break;
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(value->to_bytes(), bytes.subspan(offset, F::byte_size)),
                        "scalar round trip in a sequence");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = zkcnn_fuzz::input(data, size);
  decode<zkcnn::bn254::Fr>(bytes);
  decode<zkcnn::bn254::Fq>(bytes);
  decode<zkcnn::bls12_381::Fr>(bytes);
  decode<zkcnn::bls12_381::Fq>(bytes);
  decode<zkcnn::Goldilocks>(bytes);
  decode<zkcnn::GoldilocksExt2>(bytes);
  return 0;
}
