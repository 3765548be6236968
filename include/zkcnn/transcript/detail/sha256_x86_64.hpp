#pragma once
// The SHA-256 compression function on the x86 SHA extensions (SHA256RNDS2, SHA256MSG1,
// SHA256MSG2), for the Merkle trees of the hash-based commitment scheme, which hash hundreds of
// megabytes per commitment: about 7x the portable rounds' throughput on CPUs that have them.
//
// Like the field's multiplication kernel (field/detail/montgomery_x86_64.hpp), it is compiled
// into every x86-64 build with g++ or clang++ and chosen at run time: the function carries
// its own target attribute, so that a build without -msha gets it, and runs only where CPUID
// reports SHA (leaf 7, EBX bit 29) and SSE4.1 (leaf 1, ECX bit 19). The environment variable
// ZKCNN_PORTABLE_SHA256 rules it out (the tests run both paths).
//
// The instructions keep the eight working variables as two vectors, ABEF and CDGH (Intel,
// "Intel SHA Extensions", Gulley, Gopal, Yap, Feghali, Guilford, Wolrich, 2013): each
// SHA256RNDS2 performs two rounds with the two message-plus-constant words in the low half of
// its third operand. The message schedule runs four words at a time:
//     W[t..t+3] = MSG2(MSG1(W[t-16..t-13], W[t-12..t-9]) + W[t-7..t-4], W[t-4..t-1]),
// where MSG1 adds sigma0 of the next word to each of the first four, the addition brings in
// W[t-7..t-4] (an ALIGNR of the two previous vectors), and MSG2 adds sigma1 of the words two
// back, the last two of them computed in the same instruction.

#include <cstddef>
#include <cstdint>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(ZKCNN_NO_SHA_EXTENSIONS)
#define ZKCNN_HAS_SHA256_X86_64 1
#include <cpuid.h>
#include <immintrin.h>

#include <cstdlib>
#else
#define ZKCNN_HAS_SHA256_X86_64 0
#endif

#if ZKCNN_HAS_SHA256_X86_64

namespace zkcnn::detail::sha256 {

/// Whether this CPU has the SHA extensions and SSE4.1, unless ZKCNN_PORTABLE_SHA256 is set.
inline bool detect_sha_extensions() {
  if (std::getenv("ZKCNN_PORTABLE_SHA256") != nullptr) return false;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0 || (ecx >> 19 & 1) == 0) return false;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  return (ebx >> 29 & 1) != 0;
}

/// False until dynamic initialization has run: hashing during other objects' static
/// initialization takes the portable rounds, which are always correct.
inline const bool sha_extensions_available = detect_sha_extensions();

/// Compresses `blocks` consecutive 64-byte blocks into `state` (H0..H7 of FIPS 180-4).
/// `round_constants` is K(256) in order.
__attribute__((target("sha,sse4.1"))) inline void compress_blocks_sha_extensions(
    std::uint32_t* state, const std::uint8_t* data, std::size_t blocks, const std::uint32_t* round_constants) {
  // Reorder (A..D, E..H) into ABEF and CDGH, the instructions' layout.
  const __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
  const __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
  // Message words are big-endian.
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);

  for (; blocks != 0; --blocks, data += 64) {
    const __m128i abef_before = abef;
    const __m128i cdgh_before = cdgh;
    __m128i schedule[4];  // W[4i..4i+3] for the last four groups i, indexed by i mod 4
#pragma GCC unroll 16
    for (int group = 0; group < 16; ++group) {
      __m128i& words = schedule[group % 4];
      if (group < 4) {
        words = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * group)), byte_swap);
      } else {
        const __m128i& previous = schedule[(group + 3) % 4];
        const __m128i seven_back = _mm_alignr_epi8(previous, schedule[(group + 2) % 4], 4);
        words = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(words, schedule[(group + 1) % 4]), seven_back),
                                     previous);
      }
      __m128i words_with_constants =
          _mm_add_epi32(words, _mm_loadu_si128(reinterpret_cast<const __m128i*>(round_constants + 4 * group)));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, words_with_constants);
      words_with_constants = _mm_shuffle_epi32(words_with_constants, 0x0E);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, words_with_constants);
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }

  // Back to (A..D, E..H).
  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

}  // namespace zkcnn::detail::sha256

#endif
