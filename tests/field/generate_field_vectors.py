#!/usr/bin/env python3
"""Known-answer test vectors for zkcnn's finite fields.

What it produces
----------------
A C++20 header (written to stdout) that defines, in namespace
``zkcnn::test_vectors``, for each prime field

    bn254_fr, bn254_fq, bls12_381_fr, bls12_381_fq, goldilocks

a ``constants`` record (modulus, modulus_bits, byte_size, two_adicity,
quadratic_non_residue, max_root_of_unity) and arrays of known-answer
vectors: ``arithmetic`` (a, b, a+b, a-b, a*b, a^2, -a, a^-1), ``pow``
(base^exponent with a 64-bit exponent), ``from_i64`` (signed 64-bit integer
mapped into the field) and ``wide_reduction`` (byte string reduced mod p).
For the quadratic extension ``goldilocks_ext2`` = Goldilocks[X]/(X^2 - 7) it
defines an ``arithmetic`` array (a, b, a+b, a-b, a*b, a^2, a^-1).

How to run it
-------------
    python3 tests/field/generate_field_vectors.py > tests/field/field_vectors.hpp

The output is deterministic (random.Random with a fixed seed), so re-running
the command reproduces the checked-in header byte for byte.

Independence
------------
This is an independent reference: every value is computed with Python's
built-in arbitrary-precision integers (``%``, ``pow(x, e, p)``,
``pow(x, -1, p)``), without any third-party packages and without sharing any
code or constants tables with the C++ implementation. Every modulus is
hard-coded and checked to be prime (Miller-Rabin with many bases) and to have
the expected bit length; inverses and roots of unity are checked by assertion.

Conventions (the C++ tests rely on these exactly)
-------------------------------------------------
* A field element is written as lowercase big-endian hex, without "0x",
  zero-padded to 2*byte_size digits, holding the canonical value in [0, p).
  An extension element (c0, c1) means c0 + c1*X, each coefficient written
  the same way (byte_size 8).
* A byte string (wide reduction input) is written as lowercase hex in byte
  order (first byte first). It is interpreted as a LITTLE-endian integer and
  then reduced mod p. The empty string is the integer 0.
* quadratic_non_residue is the smallest integer z >= 2 with
  z^((p-1)/2) == p-1 (mod p).
* two_adicity is the largest s with 2^s | p-1; max_root_of_unity is
  z^((p-1)/2^s) mod p for that z, a primitive 2^s-th root of unity.
* modulus_bits is p.bit_length().
* "inverse" is the inverse of a, or "" (both coefficients "" for ext2) when
  a == 0.
* from_i64 "expected" is value mod p (the non-negative residue).
* pow uses 0^0 == 1.
"""

import pathlib
import random
import sys

SEED = 0x7A6B636E6E  # "zkcnn"

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1

# ---------------------------------------------------------------------------
# Primality
# ---------------------------------------------------------------------------

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from reference_primes import is_probable_prime  # noqa: E402  (shared with the other reference)


# Sanity check of the primality test itself.
assert is_probable_prime(2) and is_probable_prime(97) and is_probable_prime((1 << 61) - 1)
assert not is_probable_prime(1) and not is_probable_prime(561) and not is_probable_prime((1 << 61) + 1)
assert not is_probable_prime(3215031751)  # strong pseudoprime to bases 2, 3, 5, 7

# ---------------------------------------------------------------------------
# Fields
# ---------------------------------------------------------------------------

FIELDS = [
    # name, modulus, expected bit length, byte_size
    ("bn254_fr", 0x30644E72E131A029B85045B68181585D2833E84879B9709143E1F593F0000001, 254, 32),
    ("bn254_fq", 0x30644E72E131A029B85045B68181585D97816A916871CA8D3C208C16D87CFD47, 254, 32),
    ("bls12_381_fr", 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001, 255, 32),
    ("bls12_381_fq",
     0x1A0111EA397FE69A4B1BA7B6434BACD764774B84F38512BF6730D2A0F6B0F6241EABFFFEB153FFFFB9FEFFFFFFFFAAAB,
     381, 48),
    ("goldilocks", (1 << 64) - (1 << 32) + 1, 64, 8),
]

GOLDILOCKS_P = (1 << 64) - (1 << 32) + 1
EXT2_NON_RESIDUE = 7


def field_constants(p: int):
    z = 2
    while pow(z, (p - 1) // 2, p) != p - 1:
        z += 1
    s = 0
    while (p - 1) % (1 << (s + 1)) == 0:
        s += 1
    root = pow(z, (p - 1) >> s, p)
    # Exact order 2^s: root^(2^s) == 1 and root^(2^(s-1)) == -1.
    assert pow(root, 1 << s, p) == 1
    assert pow(root, 1 << (s - 1), p) == p - 1
    return z, s, root


# ---------------------------------------------------------------------------
# C++ formatting
# ---------------------------------------------------------------------------


def fe(x: int, byte_size: int) -> str:
    digits = 2 * byte_size
    assert 0 <= x < (1 << (8 * byte_size))
    return '"' + format(x, "0%dx" % digits) + '"'


def i64_literal(v: int) -> str:
    assert INT64_MIN <= v <= INT64_MAX
    if v == INT64_MIN:
        return "INT64_MIN"
    return str(v)


def u64_literal(v: int) -> str:
    assert 0 <= v <= UINT64_MAX
    return "%dULL" % v


def emit_array(out, type_name, name, entries):
    out.append("inline constexpr std::array<%s, %d> %s{{" % (type_name, len(entries), name))
    for e in entries:
        out.append(e + ",")
    out.append("}};")


# ---------------------------------------------------------------------------
# Prime field vectors
# ---------------------------------------------------------------------------


def arithmetic_vector(p, bs, a, b):
    assert 0 <= a < p and 0 <= b < p
    if a == 0:
        inv = '""'
    else:
        ai = pow(a, -1, p)
        assert a * ai % p == 1
        inv = fe(ai, bs)
    fields = [
        ("a", fe(a, bs)),
        ("b", fe(b, bs)),
        ("sum", fe((a + b) % p, bs)),
        ("difference", fe((a - b) % p, bs)),
        ("product", fe(a * b % p, bs)),
        ("square", fe(a * a % p, bs)),
        ("negation", fe(-a % p, bs)),
        ("inverse", inv),
    ]
    return "    {" + ",\n     ".join(".%s = %s" % kv for kv in fields) + "}"


def arithmetic_cases(p, rng):
    half = (p - 1) // 2          # (p-1)/2
    half_up = (p + 1) // 2       # (p+1)/2 == 1/2
    r = [rng.randrange(p) for _ in range(8)]
    cases = [
        (0, 0), (0, 1), (1, 0), (1, 1),
        (p - 1, 1), (1, p - 1), (p - 1, p - 1), (p - 1, 0), (0, p - 1),
        (half, half), (half, half_up), (half_up, half_up), (2, half_up), (half_up, 2),
        (2, p - 1), (2, 2),
        (r[0], r[0]),            # a == b
        (r[1], (-r[1]) % p),     # a == -b
        (p - 2, p - 3),          # near the modulus
        (r[2], r[3]), (r[4], r[5]), (r[6], r[7]),
        (rng.randrange(1 << 32), rng.randrange(p)),  # small a
    ]
    return cases


def pow_vector(p, bs, base, e):
    result = pow(base, e, p)  # Python: pow(0, 0, p) == 1
    if base == 0 and e == 0:
        assert result == 1
    return "    {.base = %s, .exponent = %s, .result = %s}" % (fe(base, bs), u64_literal(e), fe(result, bs))


def pow_cases(p, rng, z):
    r = [rng.randrange(p) for _ in range(6)]
    cases = [
        (0, 0), (0, 1), (0, UINT64_MAX), (1, UINT64_MAX),
        (r[0], 0), (r[0], 1), (r[0], 2), (r[0], 3),
        (r[1], (1 << 63) + rng.randrange(1 << 32)),
        (r[2], UINT64_MAX),
        (p - 1, UINT64_MAX),     # (-1)^odd == -1
        (p - 1, 1 << 63),        # (-1)^even == 1
        (r[3], rng.randrange(1 << 64)),
        (r[4], rng.randrange(1 << 64)),
        (2, 64),
    ]
    if p - 1 <= UINT64_MAX:  # only Goldilocks: exponents involving p itself fit in 64 bits
        cases += [
            (r[5], p - 1),           # Fermat: 1
            (r[5], p),               # Fermat: base
            (z, (p - 1) // 2),       # Euler criterion on the non-residue: p - 1
        ]
    return cases


def from_i64_cases(rng):
    return [
        0, 1, -1, 2, -2, INT64_MIN, INT64_MAX, INT64_MIN + 1,
        -128, 127, -32768, 32767, -(1 << 32), 1 << 32,
        rng.randrange(INT64_MIN, 0), rng.randrange(INT64_MIN, 0), rng.randrange(0, INT64_MAX + 1),
    ]


def wide_cases(p, bs, rng):
    def rb(n):
        return bytes(rng.randrange(256) for _ in range(n))
    return [
        b"",
        rb(1),
        rb(8),
        rb(bs),
        rb(bs + 16),
        rb(64),
        rb(100),
        b"\xff" * (bs + 16),
        b"\xff" * 64,
        p.to_bytes(bs, "little"),                    # reduces to 0
        (p - 1).to_bytes(bs, "little"),              # stays p - 1
        (p + 5).to_bytes(bs + 1, "little"),          # reduces to 5
        rb(2 * bs),
    ]


def wide_vector(p, bs, data):
    value = int.from_bytes(data, "little") % p
    return '    {.bytes = "%s", .expected = %s}' % (data.hex(), fe(value, bs))


def emit_prime_field(out, name, p, bits, bs, rng):
    assert is_probable_prime(p), name
    assert p.bit_length() == bits, name
    assert p < (1 << (8 * bs)), name
    z, s, root = field_constants(p)
    out.append("namespace %s {" % name)
    out.append("// two_adicity = %d, quadratic_non_residue = %d, modulus_bits = %d" % (s, z, bits))
    out.append("inline constexpr FieldConstants constants{")
    out.append("    .modulus = %s," % fe(p, bs))
    out.append("    .modulus_bits = %d," % p.bit_length())
    out.append("    .byte_size = %d," % bs)
    out.append("    .two_adicity = %d," % s)
    out.append("    .quadratic_non_residue = %s," % fe(z, bs))
    out.append("    .max_root_of_unity = %s," % fe(root, bs))
    out.append("};")
    emit_array(out, "ArithmeticVector", "arithmetic",
               [arithmetic_vector(p, bs, a, b) for a, b in arithmetic_cases(p, rng)])
    emit_array(out, "PowVector", "pow", [pow_vector(p, bs, b, e) for b, e in pow_cases(p, rng, z)])
    emit_array(out, "SignedVector", "from_i64",
               ["    {.value = %s, .expected = %s}" % (i64_literal(v), fe(v % p, bs)) for v in from_i64_cases(rng)])
    emit_array(out, "WideReductionVector", "wide_reduction",
               [wide_vector(p, bs, d) for d in wide_cases(p, bs, rng)])
    out.append("}  // namespace %s" % name)
    out.append("")
    return z, s, root


# ---------------------------------------------------------------------------
# Goldilocks quadratic extension  Fp[X]/(X^2 - 7)
# ---------------------------------------------------------------------------


def ext2_add(a, b, p):
    return ((a[0] + b[0]) % p, (a[1] + b[1]) % p)


def ext2_sub(a, b, p):
    return ((a[0] - b[0]) % p, (a[1] - b[1]) % p)


def ext2_mul(a, b, p):
    # (a0 + a1 X)(b0 + b1 X) = a0 b0 + W a1 b1 + (a0 b1 + a1 b0) X, with X^2 = W
    return ((a[0] * b[0] + EXT2_NON_RESIDUE * a[1] * b[1]) % p, (a[0] * b[1] + a[1] * b[0]) % p)


def ext2_inv(a, p):
    # 1/(a0 + a1 X) = (a0 - a1 X) / (a0^2 - W a1^2); the norm is nonzero since W is a non-residue.
    norm = (a[0] * a[0] - EXT2_NON_RESIDUE * a[1] * a[1]) % p
    assert norm != 0
    n_inv = pow(norm, -1, p)
    return (a[0] * n_inv % p, (-a[1]) * n_inv % p)


def ext2_elem(x):
    return "{.c0 = %s, .c1 = %s}" % (fe(x[0], 8), fe(x[1], 8))


def ext2_vector(a, b, p):
    if a == (0, 0):
        inv = '{.c0 = "", .c1 = ""}'
    else:
        ai = ext2_inv(a, p)
        assert ext2_mul(a, ai, p) == (1, 0)
        inv = ext2_elem(ai)
    fields = [
        ("a", ext2_elem(a)),
        ("b", ext2_elem(b)),
        ("sum", ext2_elem(ext2_add(a, b, p))),
        ("difference", ext2_elem(ext2_sub(a, b, p))),
        ("product", ext2_elem(ext2_mul(a, b, p))),
        ("square", ext2_elem(ext2_mul(a, a, p))),
        ("inverse", inv),
    ]
    return "    {" + ",\n     ".join(".%s = %s" % kv for kv in fields) + "}"


def emit_goldilocks_ext2(out, rng):
    p = GOLDILOCKS_P
    assert pow(EXT2_NON_RESIDUE, (p - 1) // 2, p) == p - 1, "7 must be a non-residue (Euler's criterion)"

    def r():
        return (rng.randrange(p), rng.randrange(p))

    zero, one, x, m = (0, 0), (1, 0), (0, 1), (p - 1, p - 1)
    ra, rb_, rc = r(), r(), r()
    cases = [
        (zero, zero), (zero, one), (one, zero), (one, one),
        (x, x),                       # X * X == 7
        (x, one), (one, x),
        (m, m), (m, one), (m, x),
        ((p - 1, 0), (p - 1, 0)),     # -1 in the base field
        ((0, p - 1), x),              # -X * X == -7
        (ra, ra),                     # a == b
        (rb_, ext2_sub(zero, rb_, p)),  # a == -b
        (rc, zero),
        ((rng.randrange(p), 0), r()),  # a in the base field
        ((0, rng.randrange(p)), r()),  # a purely in X
        (r(), r()), (r(), r()), (r(), r()),
    ]
    out.append("namespace goldilocks_ext2 {")
    out.append("// Goldilocks[X]/(X^2 - 7); an element (c0, c1) is c0 + c1*X")
    emit_array(out, "Ext2Vector", "arithmetic", [ext2_vector(a, b, p) for a, b in cases])
    out.append("}  // namespace goldilocks_ext2")
    out.append("")


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

HEADER = """\
// generated by tests/field/generate_field_vectors.py; do not edit
//
// Regenerate with:
//   python3 tests/field/generate_field_vectors.py > tests/field/field_vectors.hpp
//
// Field elements: lowercase big-endian hex, zero-padded to 2*byte_size digits,
// canonical value in [0, p). Wide-reduction bytes: hex in byte order, read as a
// little-endian integer, then reduced mod p. inverse is "" when a == 0.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace zkcnn::test_vectors {

struct FieldConstants {
    std::string_view modulus;
    unsigned modulus_bits;
    unsigned byte_size;
    unsigned two_adicity;
    std::string_view quadratic_non_residue;
    std::string_view max_root_of_unity;
};

struct ArithmeticVector {
    std::string_view a, b, sum, difference, product, square, negation, inverse;  // inverse of a; "" when a == 0
};

struct PowVector {
    std::string_view base;
    std::uint64_t exponent;
    std::string_view result;
};

struct SignedVector {
    std::int64_t value;
    std::string_view expected;  // value mod p
};

struct WideReductionVector {
    std::string_view bytes;
    std::string_view expected;
};

struct Ext2Element {
    std::string_view c0, c1;
};

struct Ext2Vector {
    Ext2Element a, b, sum, difference, product, square, inverse;  // inverse of a; both "" when a == 0
};
"""


def main():
    rng = random.Random(SEED)
    out = [HEADER]
    computed = {}
    for name, p, bits, bs in FIELDS:
        computed[name] = emit_prime_field(out, name, p, bits, bs, rng)
    emit_goldilocks_ext2(out, rng)
    out.append("}  // namespace zkcnn::test_vectors")

    # Cross-checks against well-known facts.
    assert computed["bn254_fr"][1] == 28
    assert computed["bls12_381_fr"][1] == 32
    assert computed["goldilocks"][1] == 32
    assert computed["goldilocks"][0] == 7
    assert computed["goldilocks"][2] == 1753635133440165772 == pow(7, (GOLDILOCKS_P - 1) >> 32, GOLDILOCKS_P)
    assert computed["bn254_fq"][1] == 1 and computed["bls12_381_fq"][1] == 1  # both p == 3 (mod 4)

    print("\n".join(out))


if __name__ == "__main__":
    main()
