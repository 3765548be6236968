// The hash-based scheme's opening at the end of a model proof (ligero::read_model_opening over
// Goldilocks with Goldilocks^2 challenges): the mask root and sum, the sumcheck's rounds, the two
// polynomials and every tree's columns, salts and digests, each count bounded by the bytes left.
// A decoding that takes every byte must re-encode to them.

#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/pcs/ligero.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using F = zkcnn::Goldilocks;
  using EF = zkcnn::GoldilocksExt2;
  const auto bytes = zkcnn_fuzz::input(data, size);
  zkcnn::io::ByteReader in(bytes);
  auto decoded = zkcnn::pcs::ligero::read_model_opening<F, EF>(in);
  if (decoded && in.remaining() == 0) {
    zkcnn::io::ByteWriter out;
    zkcnn::pcs::ligero::write_model_opening(out, *decoded);
    zkcnn_fuzz::require(zkcnn_fuzz::same_bytes(std::move(out).take(), bytes), "ligero model opening round trip");
  }
  return 0;
}
