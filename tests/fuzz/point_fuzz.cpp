// Compressed point decoding (decode, and io::ByteReader::read_group through group_traits) for
// BN254 G1 and BLS12-381 G1: flags, canonical x, the curve equation, the square root, the
// subgroup check (BLS12-381's endomorphism test). The input is decoded as one point of each
// curve, and as a sequence of points read one after another. The encoding is injective, so
// an accepted point must re-encode to the bytes it came from.

#include <zkcnn/ec/bls12_381_g1.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/io/byte_stream.hpp>

#include "fuzz_support.hpp"

namespace {

template <class G>
void decode(std::span<const std::uint8_t> bytes) {
  if (auto point = G::decode(bytes)) zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(point->encode(), bytes), "point round trip");
  zkcnn::io::ByteReader in(bytes);
  for (std::size_t offset = 0;; offset += G::encoded_size) {
    auto point = in.read_group<G>("point");
    if (!point) break;
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(point->encode(), bytes.subspan(offset, G::encoded_size)),
                        "point round trip in a sequence");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = zkcnn_fuzz::input(data, size);
  decode<zkcnn::bn254::G1>(bytes);
  decode<zkcnn::bls12_381::G1>(bytes);
  return 0;
}
