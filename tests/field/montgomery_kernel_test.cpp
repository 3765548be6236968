// Montgomery multiplication kernels against the portable reference
// (MontgomeryField::montgomery_multiply_portable, separated operand scanning on 128-bit
// integers): the multiplication the fields dispatch to (the MULX/ADX assembly kernel of
// include/zkcnn/field/detail/montgomery_x86_64.hpp when the build targets BMI2 and ADX, the
// add-with-carry CIOS otherwise) and, when compiled in, the assembly kernels called directly
// (four limbs: BN254 Fr and Fq, BLS12-381 Fr; six limbs: BLS12-381 Fq).
// Random operands, edge cases (0, 1, p - 1, values next to p and to powers of two, R mod p),
// squares, long dependent chains, and results stored over their operands.

#include <zkcnn/field/bls12_381.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/montgomery.hpp>

#include <catch2/catch.hpp>

#include "field/montgomery_kernel_context.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

// The library declares this template and befriends it from MontgomeryField; defining it here
// gives the test the field's raw (Montgomery form) limbs and its multiplication kernels.
namespace zkcnn::detail {

template <class Field>
struct MontgomeryKernelAccess {
  using Limbs = typename Field::Limbs;
  static constexpr std::size_t limb_count = Field::limb_count;
  static constexpr bool has_spare_bit = Field::has_spare_bit;

  static Limbs raw(const Field& x) { return x.value_; }
  static Field from_raw(const Limbs& montgomery) { return Field{typename Field::RawTag{}, montgomery}; }
  static Limbs r_mod_p() { return Field::r_mod_p; }
  static Limbs r2_mod_p() { return Field::r2_mod_p; }

  static Limbs portable(const Limbs& a, const Limbs& b) { return Field::montgomery_multiply_portable(a, b); }
  static Limbs dispatched(const Limbs& a, const Limbs& b) { return Field::montgomery_multiply(a, b); }

  /// Whether the assembly kernel applies to this field (and is compiled in).
  static constexpr bool has_asm_kernel =
      ZKCNN_HAS_X86_64_MONTGOMERY_ASM && (limb_count == 4 || limb_count == 6) && has_spare_bit;
  /// Whether it can run here: compiled in, and this CPU has BMI2 and ADX.
  static bool runs_asm_kernel() {
#if ZKCNN_HAS_X86_64_MONTGOMERY_ASM
    return has_asm_kernel && use_x86_64_montgomery_asm();
#else
    return false;
#endif
  }

  static Limbs asm_kernel(const Limbs& a, const Limbs& b) {
#if ZKCNN_HAS_X86_64_MONTGOMERY_ASM
    if constexpr (limb_count == 4 && has_spare_bit) {
      return montgomery_multiply_x86_64_4<Field::kernel_constants>(a, b);
    } else if constexpr (limb_count == 6 && has_spare_bit) {
      return montgomery_multiply_x86_64_6<Field::kernel_constants>(a, b);
    }
#endif
    (void)b;
    return a;  // unreachable: callers check has_asm_kernel
  }
};

}  // namespace zkcnn::detail

namespace {

std::mt19937_64 make_rng(std::uint64_t stream) { return std::mt19937_64(0x7a6b636e6e5f6d6bull ^ stream); }

template <class F>
using Access = zkcnn::detail::MontgomeryKernelAccess<F>;

template <class F>
using LimbsOf = typename F::Limbs;

constexpr std::size_t kRandomPairs = std::size_t{1} << 20;  // per field, per kernel

template <class F>
std::string hex(const LimbsOf<F>& x) {
  std::ostringstream os;
  os << "0x" << std::hex;
  for (std::size_t i = F::limb_count; i-- > 0;) {
    os.width(16);
    os.fill('0');
    os << x[i];
  }
  return os.str();
}

template <class F>
bool less_than_p(const LimbsOf<F>& x) {
  for (std::size_t i = F::limb_count; i-- > 0;) {
    if (x[i] != F::modulus[i]) return x[i] < F::modulus[i];
  }
  return false;
}

// x + delta mod 2^(64n), for small signed delta.
template <class F>
LimbsOf<F> add_small(LimbsOf<F> x, std::int64_t delta) {
  const std::uint64_t step = delta < 0 ? ~std::uint64_t{0} : 0;  // sign extension of delta
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < F::limb_count; ++i) {
    const std::uint64_t addend = i == 0 ? static_cast<std::uint64_t>(delta) : step;
    const std::uint64_t sum = x[i] + addend;
    const std::uint64_t c1 = sum < x[i];
    x[i] = sum + carry;
    carry = c1 | (x[i] < sum);
  }
  return x;
}

template <class F>
LimbsOf<F> power_of_two(std::size_t bit) {
  LimbsOf<F> x{};
  x[bit / 64] = std::uint64_t{1} << (bit % 64);
  return x;
}

/// Raw (Montgomery-form) operands every kernel must get right, all below p.
template <class F>
std::vector<LimbsOf<F>> edge_operands() {
  using L = LimbsOf<F>;
  const L zero{};
  const L p = F::modulus;
  std::vector<L> candidates;
  for (std::int64_t d = 0; d <= 3; ++d) candidates.push_back(add_small<F>(zero, d));  // 0..3
  for (std::int64_t d = 1; d <= 4; ++d) candidates.push_back(add_small<F>(p, -d));    // p-1..p-4
  L half = p;  // (p - 1) / 2 and (p + 1) / 2
  for (std::size_t i = 0; i < F::limb_count; ++i) {
    half[i] = (half[i] >> 1) | (i + 1 < F::limb_count ? half[i + 1] << 63 : 0);
  }
  candidates.push_back(half);
  candidates.push_back(add_small<F>(half, 1));
  candidates.push_back(Access<F>::r_mod_p());  // one
  candidates.push_back(Access<F>::r2_mod_p());
  L minus_one = p;  // p - (R mod p), i.e. -1
  {
    std::uint64_t borrow = 0;
    const L r = Access<F>::r_mod_p();
    for (std::size_t i = 0; i < F::limb_count; ++i) {
      const std::uint64_t d = minus_one[i] - r[i];
      const std::uint64_t b1 = minus_one[i] < r[i];
      minus_one[i] = d - borrow;
      borrow = b1 | (d < borrow);
    }
  }
  candidates.push_back(minus_one);
  // Powers of two and their neighbours, all-ones patterns, p minus powers of two.
  for (std::size_t bit = 0; bit < F::modulus_bits; bit += 13) {
    candidates.push_back(power_of_two<F>(bit));
    candidates.push_back(add_small<F>(power_of_two<F>(bit), -1));
  }
  for (std::size_t limb = 1; limb < F::limb_count; ++limb) {
    candidates.push_back(power_of_two<F>(64 * limb));
    candidates.push_back(add_small<F>(power_of_two<F>(64 * limb), -1));  // limbs below all ones
    L below = p;
    below[limb] -= 1;  // p - 2^(64 limb), if limb `limb` of p is non-zero
    candidates.push_back(below);
  }
  candidates.push_back(power_of_two<F>(F::modulus_bits - 1));
  candidates.push_back(add_small<F>(power_of_two<F>(F::modulus_bits - 1), -1));
  {
    L top = p;  // top limb of p minus one, every lower limb all ones: just below p
    top[F::limb_count - 1] -= 1;
    for (std::size_t i = 0; i + 1 < F::limb_count; ++i) top[i] = ~std::uint64_t{0};
    candidates.push_back(top);
  }
  std::vector<L> edges;
  for (const L& x : candidates) {
    if (less_than_p<F>(x)) edges.push_back(x);
  }
  return edges;
}

/// A uniformly random raw value below p, or (one draw in four) one within 2^20 of 0, of p or
/// of a power of two.
template <class F>
LimbsOf<F> random_operand(std::mt19937_64& rng) {
  if (rng() % 4 != 0) return Access<F>::raw(F::random(rng));
  for (;;) {
    const std::int64_t delta = static_cast<std::int64_t>(rng() % (1u << 21)) - (1 << 20);
    LimbsOf<F> x{};
    switch (rng() % 3) {
      case 0: x = add_small<F>(LimbsOf<F>{}, delta); break;
      case 1: x = add_small<F>(F::modulus, delta); break;
      default: x = add_small<F>(power_of_two<F>(rng() % F::modulus_bits), delta); break;
    }
    if (less_than_p<F>(x)) return x;
  }
}

/// Counts the operand pairs on which `kernel` and the portable reference disagree, and reports
/// the first.
template <class F, class Kernel>
std::size_t count_mismatches(const std::vector<std::array<LimbsOf<F>, 2>>& pairs, Kernel kernel, std::string& first) {
  std::size_t mismatches = 0;
  for (const auto& [a, b] : pairs) {
    const LimbsOf<F> expected = Access<F>::portable(a, b);
    const LimbsOf<F> got = kernel(a, b);
    if (got != expected) {
      if (mismatches++ == 0) {
        first = "a = " + hex<F>(a) + ", b = " + hex<F>(b) + ": expected " + hex<F>(expected) + ", got " + hex<F>(got);
      }
    }
  }
  return mismatches;
}

template <class F>
void check_kernels(const std::vector<std::array<LimbsOf<F>, 2>>& pairs) {
  std::string first;
  INFO("field modulus " << hex<F>(F::modulus) << ", " << pairs.size() << " operand pairs");
  const std::size_t dispatched =
      count_mismatches<F>(pairs, [](const auto& a, const auto& b) { return Access<F>::dispatched(a, b); }, first);
  INFO("dispatched multiplication, first mismatch: " << first);
  CHECK(dispatched == 0);
  if (Access<F>::runs_asm_kernel()) {
    first.clear();
    const std::size_t direct =
        count_mismatches<F>(pairs, [](const auto& a, const auto& b) { return Access<F>::asm_kernel(a, b); }, first);
    INFO("assembly kernel, first mismatch: " << first);
    CHECK(direct == 0);
  }
}

// Constant evaluation must never reach the assembly: these only compile if it does not.
template <class F>
constexpr bool multiplies_at_compile_time() {
  return F::from_u64(6) * F::from_u64(7) == F::from_u64(42) && (-F::one()).square() == F::one();
}
static_assert(multiplies_at_compile_time<zkcnn::bn254::Fr>());
static_assert(multiplies_at_compile_time<zkcnn::bn254::Fq>());
static_assert(multiplies_at_compile_time<zkcnn::bls12_381::Fr>());
static_assert(multiplies_at_compile_time<zkcnn::bls12_381::Fq>());

// Primes at both ends of what the assembly kernels accept: top limb 2^63 - 2, the largest that
// leaves a spare bit (the intermediate sums then come closest to overflowing n + 1 limbs), and
// top limb 1.
struct Prime4TopParams {
  static constexpr std::string_view modulus = "0x7ffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffe3";
};
struct Prime4LowParams {
  static constexpr std::string_view modulus = "0x1000000000000000000000000000000000000000000000085";
};
struct Prime6TopParams {
  static constexpr std::string_view modulus =
      "0x7ffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd9";
};
struct Prime6LowParams {
  static constexpr std::string_view modulus =
      "0x10000000000000000000000000000000000000000000000000000000000000000000000000000001b";
};
using Prime4Top = zkcnn::MontgomeryField<Prime4TopParams>;
using Prime4Low = zkcnn::MontgomeryField<Prime4LowParams>;
using Prime6Top = zkcnn::MontgomeryField<Prime6TopParams>;
using Prime6Low = zkcnn::MontgomeryField<Prime6LowParams>;
static_assert(Prime4Top::limb_count == 4 && Prime4Low::limb_count == 4);
static_assert(Prime6Top::limb_count == 6 && Prime6Low::limb_count == 6);
static_assert(Access<Prime4Top>::has_spare_bit && Access<Prime6Top>::has_spare_bit);
static_assert(multiplies_at_compile_time<Prime4Top>() && multiplies_at_compile_time<Prime6Top>());

#define ZKCNN_KERNEL_TEST_FIELDS                                                                                 \
  zkcnn::bn254::Fr, zkcnn::bn254::Fq, zkcnn::bls12_381::Fr, zkcnn::bls12_381::Fq, Prime4Top, Prime4Low, Prime6Top, \
      Prime6Low

TEST_CASE("montgomery kernel: the assembly kernels are compiled into every optimized small-code-model x86-64 build",
          "[field][montgomery]") {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__) && \
    !defined(__code_model_medium__) && !defined(__code_model_large__) && !defined(ZKCNN_NO_INLINE_ASM)
  STATIC_REQUIRE(ZKCNN_HAS_X86_64_MONTGOMERY_ASM == 1);
  // They run always when the target has BMI2 and ADX, otherwise where the CPU has them and
  // ZKCNN_PORTABLE_FIELD does not rule them out.
#if defined(__BMI2__) && defined(__ADX__)
  CHECK(zkcnn::detail::use_x86_64_montgomery_asm());
#else
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  const bool cpu_has = __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) != 0 && (ebx >> 8 & 1) && (ebx >> 19 & 1);
  CHECK(zkcnn::detail::use_x86_64_montgomery_asm() == (cpu_has && std::getenv("ZKCNN_PORTABLE_FIELD") == nullptr));
#endif
  STATIC_REQUIRE(Access<zkcnn::bn254::Fr>::has_asm_kernel);
  STATIC_REQUIRE(Access<zkcnn::bn254::Fq>::has_asm_kernel);
  STATIC_REQUIRE(Access<zkcnn::bls12_381::Fr>::has_asm_kernel);
  STATIC_REQUIRE(Access<zkcnn::bls12_381::Fq>::has_asm_kernel);
  STATIC_REQUIRE(Access<Prime4Top>::has_asm_kernel && Access<Prime4Low>::has_asm_kernel);
  STATIC_REQUIRE(Access<Prime6Top>::has_asm_kernel && Access<Prime6Low>::has_asm_kernel);
#else
  STATIC_REQUIRE(ZKCNN_HAS_X86_64_MONTGOMERY_ASM == 0);
  STATIC_REQUIRE_FALSE(Access<zkcnn::bls12_381::Fq>::has_asm_kernel);
#endif
}

TEMPLATE_TEST_CASE("montgomery kernel: agrees with the portable reference on every pair of edge operands",
                   "[field][montgomery]", ZKCNN_KERNEL_TEST_FIELDS) {
  using F = TestType;
  const auto edges = edge_operands<F>();
  REQUIRE(edges.size() >= 20);
  std::vector<std::array<LimbsOf<F>, 2>> pairs;
  for (const auto& a : edges) {
    for (const auto& b : edges) pairs.push_back({a, b});
  }
  check_kernels<F>(pairs);
}

TEMPLATE_TEST_CASE("montgomery kernel: agrees with the portable reference on 2^20 random pairs and squares",
                   "[field][montgomery]", ZKCNN_KERNEL_TEST_FIELDS) {
  using F = TestType;
  auto rng = make_rng(0x6d6f6e74);  // "mont"
  constexpr std::size_t block = std::size_t{1} << 16;
  std::vector<std::array<LimbsOf<F>, 2>> pairs(block);
  for (std::size_t done = 0; done < kRandomPairs; done += block) {
    for (std::size_t i = 0; i < block; ++i) {
      const LimbsOf<F> a = random_operand<F>(rng);
      pairs[i] = {a, i % 8 == 0 ? a : random_operand<F>(rng)};  // one pair in eight is a square
    }
    check_kernels<F>(pairs);
  }
}

TEMPLATE_TEST_CASE("montgomery kernel: long dependent chains match the portable reference",
                   "[field][montgomery]", ZKCNN_KERNEL_TEST_FIELDS) {
  using F = TestType;
  auto rng = make_rng(0x636861696e);  // "chain"
  for (int trial = 0; trial < 4; ++trial) {
    const F y = F::random(rng);
    F x = F::random(rng);
    LimbsOf<F> expected = Access<F>::raw(x);
    for (int i = 0; i < 100000; ++i) {
      x *= y;
      expected = Access<F>::portable(expected, Access<F>::raw(y));
      if (i % 7 == 0) {
        x = x.square();
        expected = Access<F>::portable(expected, expected);
      }
    }
    CHECK(Access<F>::raw(x) == expected);
  }
}

TEMPLATE_TEST_CASE("montgomery kernel: runs in a realigned frame with an object of variable size",
                   "[field][montgomery]", ZKCNN_KERNEL_TEST_FIELDS) {
  using F = TestType;
  auto rng = make_rng(0x6672616d65);  // "frame"
  const F y = F::random(rng);
  const F x = F::random(rng);
  constexpr std::size_t n = 1000;
  LimbsOf<F> expected = Access<F>::raw(x);
  for (std::size_t i = 0; i < n; ++i) expected = Access<F>::portable(expected, Access<F>::raw(y));
  unsigned char out = 1;
  CHECK(Access<F>::raw(zkcnn::test::multiply_in_realigned_frame(x, y, n, &out)) == expected);
  CHECK(out == 0);
}

TEMPLATE_TEST_CASE("montgomery kernel: results stored over their operands", "[field][montgomery]",
                   ZKCNN_KERNEL_TEST_FIELDS) {
  using F = TestType;
  auto rng = make_rng(0x616c696173);  // "alias"
  std::vector<LimbsOf<F>> operands = edge_operands<F>();
  for (int i = 0; i < 2000; ++i) operands.push_back(random_operand<F>(rng));
  for (std::size_t i = 0; i < operands.size(); ++i) {
    const LimbsOf<F> a = operands[i];
    const LimbsOf<F> b = operands[(i * 7 + 3) % operands.size()];
    const LimbsOf<F> ab = Access<F>::portable(a, b);
    const LimbsOf<F> aa = Access<F>::portable(a, a);
    INFO("a = " << hex<F>(a) << ", b = " << hex<F>(b));

    F x = Access<F>::from_raw(a);
    x *= x;  // output, left and right operand all one object
    CHECK(Access<F>::raw(x) == aa);

    x = Access<F>::from_raw(a);
    F y = Access<F>::from_raw(b);
    x *= y;  // output over the left operand
    CHECK(Access<F>::raw(x) == ab);

    x = Access<F>::from_raw(a);
    y = Access<F>::from_raw(b);
    y = x * y;  // output over the right operand
    CHECK(Access<F>::raw(y) == ab);

    std::array<F, 2> v = {Access<F>::from_raw(a), Access<F>::from_raw(b)};
    v[1] = v[0] * v[1];
    v[0] = v[0] * v[0];
    CHECK(Access<F>::raw(v[1]) == ab);
    CHECK(Access<F>::raw(v[0]) == aa);

    if (Access<F>::runs_asm_kernel()) {
      LimbsOf<F> l = a;
      l = Access<F>::asm_kernel(l, l);
      CHECK(l == aa);
      LimbsOf<F> r = b;
      l = a;
      r = Access<F>::asm_kernel(l, r);
      CHECK(r == ab);
    }
  }
}

}  // namespace
