#!/usr/bin/env python3
"""Known-answer test vectors for zkcnn's elliptic-curve groups.

What it produces
----------------
A C++20 header (written to stdout) that defines, in namespace
``zkcnn::test_vectors::curves``, for each shipped group

    bn254_g1       y^2 = x^3 + 3 over the BN254 base field, prime order
    bls12_381_g1   y^2 = x^3 + 4 over the BLS12-381 base field, cofactor h
    toy_g1         y^2 = x^3 + x over a 63-bit prime p = 4r - 1 (test-only: a != 0,
                   cofactor 4, a point (0, 0) with y = 0, and a field too full
                   for in-band flags, so the encoding has an extra flag byte)

a ``constants`` record (p, r, h, a, b, the generator, encoded_size and, for
BLS12-381, the cube root of unity beta of the subgroup check), and arrays of
known-answer vectors:

* ``multiples``: [k]G for k = 0, 1, 2, 3, 5, 7, r - 1, r - 2, r and random
  large k, with the affine coordinates and the compressed encoding of [k]G;
* ``hashes``: hash_to_group(domain, index) for a few domains and indices, with
  the number of the try-and-increment attempt that succeeded;
* ``invalid``: byte strings that decode must reject, each with the reason.

How to run it
-------------
    python3 tests/ec/generate_curve_vectors.py > tests/ec/curve_vectors.hpp

The output is deterministic (random.Random with a fixed seed), so re-running
the command reproduces the checked-in header byte for byte. It takes a few
seconds.

Independence
------------
This is an independent reference: plain Python integers (``%``, ``pow``),
``hashlib.sha256``, affine point arithmetic with field inversions, no
third-party packages and no code or tables shared with the C++ implementation.
The curve parameters are hard-coded and cross-checked against their
definitions: both curves are derived from their family parameter u (BN:
p(u) = 36u^4 + 36u^3 + 24u^2 + 6u + 1, r(u) = 36u^4 + 36u^3 + 18u^2 + 6u + 1,
trace 6u^2 + 1; BLS12: r(u) = u^4 - u^2 + 1, p(u) = (u - 1)^2 r(u) / 3 + u,
trace u + 1, h = (u - 1)^2 / 3); p and r are checked prime; the group order
p + 1 - trace is checked to equal h * r; every generator is checked to be on
the curve and of order r.

Conventions (the C++ tests rely on these exactly)
-------------------------------------------------
* Integers and coordinates are lowercase big-endian hex without "0x"; a
  coordinate is zero-padded to 2*byte_size digits. The identity has x = y = "".
* An encoding is hex of the bytes in order (first byte first).
* Encoding of a point (x, y) (the format documented in
  include/zkcnn/ec/short_weierstrass.hpp): x as byte_size bytes little-endian;
  when the field leaves at least two spare bits in its top byte (both shipped
  curves) the flags live in the top two bits of the last byte, otherwise in
  one extra trailing byte. Flag 0x80 = point at infinity (and every other bit
  zero), flag 0x40 = y is odd (y's canonical value in [0, p) has its lowest
  bit set).
* hash_to_group(domain, index), try-and-increment, for counter = 0, 1, ...:
      T    = b"zkcnn hash_to_group v1"
      seed = SHA-256(le64(len T) || T || le64(len domain) || domain
                     || le64(index) || le64(counter))
      S    = SHA-256(seed || le64(0)) || SHA-256(seed || le64(1)) || ...
      x    = int.from_bytes(S[0 : byte_size + 16], "little") mod p
      sign = S[byte_size + 16] & 1
      if x^3 + a x + b is a square: y = its square root with y mod 2 == sign
      (y = 0 keeps y = 0), P = [h](x, y); return P unless P is the identity.
  ``counter`` in the vectors is the counter value of the attempt returned.
"""

import hashlib
import pathlib
import random
import sys

SEED = 0x7A6B636E6E6563  # "zkcnnec"

# ---------------------------------------------------------------------------
# Primality
# ---------------------------------------------------------------------------

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from reference_primes import is_probable_prime  # noqa: E402  (shared with the other reference)


assert is_probable_prime(97) and is_probable_prime((1 << 61) - 1)
assert not is_probable_prime(561) and not is_probable_prime(3215031751)

# ---------------------------------------------------------------------------
# Curves
# ---------------------------------------------------------------------------


class Curve:
    def __init__(self, name, p, r, h, a, b, gx, gy, byte_size):
        self.name, self.p, self.r, self.h, self.a, self.b = name, p, r, h, a, b
        self.gx, self.gy, self.byte_size = gx, gy, byte_size
        assert is_probable_prime(p) and is_probable_prime(r), name
        assert p < (1 << (8 * byte_size)) and p >= (1 << (8 * byte_size - 8)), name
        # Two spare bits for the flags in the top byte, or one extra flag byte.
        self.flags_in_x = p.bit_length() + 2 <= 8 * byte_size
        self.encoded_size = byte_size + (0 if self.flags_in_x else 1)
        assert self.on_curve((gx, gy)), name
        assert self.mul(r, (gx, gy)) is None, name
        assert p % 4 == 3, "sqrt below assumes p = 3 mod 4"

    # -- field --
    def rhs(self, x):
        return (x * x * x + self.a * x + self.b) % self.p

    def sqrt(self, v):
        """A square root of v mod p, or None (p = 3 mod 4: v^((p+1)/4))."""
        y = pow(v, (self.p + 1) // 4, self.p)
        return y if y * y % self.p == v % self.p else None

    # -- points: None is the point at infinity, otherwise (x, y) affine --
    def on_curve(self, P):
        return P is None or (P[1] * P[1] - self.rhs(P[0])) % self.p == 0

    def neg(self, P):
        return None if P is None else (P[0], (-P[1]) % self.p)

    def add(self, P, Q):
        p = self.p
        if P is None:
            return Q
        if Q is None:
            return P
        if P[0] == Q[0]:
            if (P[1] + Q[1]) % p == 0:
                return None
            lam = (3 * P[0] * P[0] + self.a) * pow(2 * P[1], -1, p) % p
        else:
            lam = (Q[1] - P[1]) * pow(Q[0] - P[0], -1, p) % p
        x3 = (lam * lam - P[0] - Q[0]) % p
        return (x3, (lam * (P[0] - x3) - P[1]) % p)

    def mul(self, k, P):
        assert k >= 0
        R = None
        for bit in bin(k)[2:]:
            R = self.add(R, R)
            if bit == "1":
                R = self.add(R, P)
        return R

    def in_subgroup(self, P):
        return self.mul(self.r, P) is None

    # -- encoding --
    def encode(self, P):
        out = bytearray(self.encoded_size)
        if P is None:
            out[-1] = 0x80
            return bytes(out)
        out[: self.byte_size] = P[0].to_bytes(self.byte_size, "little")
        if P[1] % 2 == 1:
            out[-1] |= 0x40
        return bytes(out)

    def decode(self, data):
        """The point, or a string saying why `data` is rejected (mirrors the C++ checks)."""
        if len(data) != self.encoded_size:
            return "length"
        flags = data[-1] & 0xC0
        body = bytearray(data)
        body[-1] &= 0x3F
        if not self.flags_in_x and body[-1] != 0:
            return "reserved bits"
        if flags & 0x80:
            if flags != 0x80 or any(body):
                return "flags"
            return None
        x = int.from_bytes(bytes(body[: self.byte_size]), "little")
        if x >= self.p:
            return "non-canonical x"
        y = self.sqrt(self.rhs(x))
        if y is None:
            return "not on curve"
        if y == 0 and flags & 0x40:
            return "flags"
        if y % 2 != (1 if flags & 0x40 else 0):
            y = (-y) % self.p
        P = (x, y)
        if not self.in_subgroup(P):
            return "not in subgroup"
        return P

    # -- hash_to_group --
    def hash_to_group(self, domain: bytes, index: int):
        tag = b"zkcnn hash_to_group v1"
        ub = self.byte_size + 16

        def le64(v):
            return v.to_bytes(8, "little")

        for counter in range(1000):
            seed = hashlib.sha256(le64(len(tag)) + tag + le64(len(domain)) + domain + le64(index)
                                  + le64(counter)).digest()
            stream = b""
            j = 0
            while len(stream) < ub + 1:
                stream += hashlib.sha256(seed + le64(j)).digest()
                j += 1
            x = int.from_bytes(stream[:ub], "little") % self.p
            sign = stream[ub] & 1
            y = self.sqrt(self.rhs(x))
            if y is None:
                continue
            if y % 2 != sign:
                y = (-y) % self.p
            P = self.mul(self.h, (x, y))
            if P is None:
                continue
            return P, counter
        raise AssertionError("hash_to_group did not terminate")


def bn254():
    u = 0x44E992B44A6909F1
    p = 36 * u**4 + 36 * u**3 + 24 * u**2 + 6 * u + 1
    r = 36 * u**4 + 36 * u**3 + 18 * u**2 + 6 * u + 1
    assert p == 0x30644E72E131A029B85045B68181585D97816A916871CA8D3C208C16D87CFD47
    assert r == 0x30644E72E131A029B85045B68181585D2833E84879B9709143E1F593F0000001
    trace = 6 * u * u + 1
    assert p + 1 - trace == r  # prime order: cofactor 1
    return Curve("bn254_g1", p, r, 1, 0, 3, 1, 2, 32)


def bls12_381():
    u = -0xD201000000010000
    r = u**4 - u**2 + 1
    p = (u - 1) ** 2 * r // 3 + u
    assert (u - 1) ** 2 * r % 3 == 0
    assert p == 0x1A0111EA397FE69A4B1BA7B6434BACD764774B84F38512BF6730D2A0F6B0F6241EABFFFEB153FFFFB9FEFFFFFFFFAAAB
    assert r == 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001
    h = (u - 1) ** 2 // 3
    assert h == 0x396C8C005555E1568C00AAAB0000AAAB
    trace = u + 1
    assert p + 1 - trace == h * r
    gx = 0x17F1D3A73197D7942695638C4FA9AC0FC3688C4F9774B905A14E3A3F171BAC586C55E83FF97A1AEFFB3AF00ADB22C6BB
    gy = 0x08B3F481E3AAA0F1A09E30ED741D8AE4FCF5E095D5D00AF600DB18CB2C04B3EDD03CC744A2888AE40CAA232946C5E7E1
    curve = Curve("bls12_381_g1", p, r, h, 0, 4, gx, gy, 48)
    # The endomorphism phi(x, y) = (beta x, y), beta a primitive cube root of unity in Fq, acts on
    # the order-r subgroup as multiplication by one of the two cube roots of unity mod r; pick the
    # beta for which phi(P) = [-u^2]P (Scott, "A note on group membership tests for G1, G2 and GT
    # on BLS pairing-friendly curves", ePrint 2021/1130: on BLS12-381 this equation holds exactly
    # for the points of the subgroup).
    lam = (-u * u) % r
    assert (lam * lam + lam + 1) % r == 0
    z = 2
    while pow(z, (p - 1) // 3, p) == 1:
        z += 1
    w = pow(z, (p - 1) // 3, p)
    G = (gx, gy)
    target = curve.mul(lam, G)
    betas = [b for b in (w, w * w % p) if (b * gx % p, gy) == target]
    assert len(betas) == 1
    curve.beta = betas[0]
    curve.u = u
    return curve


def toy():
    """y^2 = x^3 + x over p = 4r - 1, p = 3 mod 4 (supersingular: #E = p + 1 = 4r).

    Test-only. It covers what the shipped curves cannot: a != 0, the generic
    [r]P subgroup check with a cofactor, a 2-torsion point (0, 0) with y = 0, and
    a 63-bit modulus in 8 bytes, which leaves one spare bit only, so the flags
    go to an extra byte."""
    r = 0x1234567890ABCDEF
    while not (is_probable_prime(r) and is_probable_prime(4 * r - 1)):
        r += 1
    p = 4 * r - 1
    assert p.bit_length() == 63 and p % 4 == 3
    # Generator: [4](x, y) for the smallest x >= 1 on the curve, y the even root.
    x = 1
    while True:
        rhs = (x ** 3 + x) % p
        y = pow(rhs, (p + 1) // 4, p)
        if y * y % p == rhs:
            if y % 2:
                y = p - y
            break
        x += 1
    probe = Curve.__new__(Curve)
    probe.p, probe.a = p, 1
    G = probe.mul(4, (x, y))
    assert G is not None and probe.mul(r, G) is None
    curve = Curve("toy_g1", p, r, 4, 1, 0, G[0], G[1], 8)
    assert not curve.flags_in_x and curve.encoded_size == 9
    # #E = p + 1: [p + 1]Q = O for a few points Q.
    for x in range(2, 50):
        yy = curve.sqrt(curve.rhs(x))
        if yy is not None:
            assert curve.mul(p + 1, (x, yy)) is None
    assert curve.on_curve((0, 0)) and curve.add((0, 0), (0, 0)) is None
    return curve


# ---------------------------------------------------------------------------
# C++ formatting
# ---------------------------------------------------------------------------


def hx(v: int, byte_size: int = 0) -> str:
    if byte_size == 0:
        return '"%x"' % v
    assert 0 <= v < (1 << (8 * byte_size))
    return '"' + format(v, "0%dx" % (2 * byte_size)) + '"'


def point_fields(c, P):
    if P is None:
        return '.x = "", .y = ""'
    return ".x = %s, .y = %s" % (hx(P[0], c.byte_size), hx(P[1], c.byte_size))


def emit_array(out, type_name, name, entries):
    out.append("inline constexpr std::array<%s, %d> %s{{" % (type_name, len(entries), name))
    for e in entries:
        out.append(e + ",")
    out.append("}};")


def cpp_string(b: bytes) -> str:
    assert all(0x20 <= ch < 0x7F and ch not in (0x22, 0x5C) for ch in b)
    return '"' + b.decode("ascii") + '"'


def emit_curve(out, c, rng):
    out.append("namespace %s {" % c.name)
    out.append("inline constexpr CurveConstants constants{")
    out.append("    .p = %s," % hx(c.p))
    out.append("    .r = %s," % hx(c.r))
    out.append("    .h = %s," % hx(c.h))
    out.append("    .a = %d," % c.a)
    out.append("    .b = %d," % c.b)
    out.append("    .generator_x = %s," % hx(c.gx, c.byte_size))
    out.append("    .generator_y = %s," % hx(c.gy, c.byte_size))
    out.append("    .encoded_size = %d," % c.encoded_size)
    out.append("    .beta = %s," % (hx(c.beta, c.byte_size) if hasattr(c, "beta") else '""'))
    out.append("};")

    G = (c.gx, c.gy)
    ks = [0, 1, 2, 3, 5, 7, c.r - 1, c.r - 2, c.r, (c.r + 1) // 2]
    ks += [rng.randrange(c.r) for _ in range(4)]
    ks += [rng.randrange(1 << 64)]
    entries = []
    for k in ks:
        P = c.mul(k, G)
        assert c.on_curve(P)
        enc = c.encode(P)
        assert c.decode(enc) == P
        entries.append('    {.k = %s, %s, .encoding = "%s"}' % (hx(k), point_fields(c, P), enc.hex()))
    emit_array(out, "MultipleVector", "multiples", entries)

    entries = []
    for domain, index in [(b"zkcnn test", 0), (b"zkcnn test", 1), (b"zkcnn test", 2), (b"", 0),
                          (b"pedersen generators", 7), (b"zkcnn test", (1 << 64) - 1)]:
        P, counter = c.hash_to_group(domain, index)
        assert c.on_curve(P) and c.in_subgroup(P)
        enc = c.encode(P)
        assert c.decode(enc) == P
        entries.append('    {.domain = %s, .index = %dULL, .counter = %d, %s, .encoding = "%s"}'
                       % (cpp_string(domain), index, counter, point_fields(c, P), enc.hex()))
    emit_array(out, "HashVector", "hashes", entries)

    invalid = []
    bs, n = c.byte_size, c.encoded_size
    P = c.mul(rng.randrange(1, c.r), G)
    good = c.encode(P)
    invalid.append((good[:-1], "length"))
    invalid.append((good + b"\x00", "length"))
    invalid.append((b"", "length"))
    # x = p and x = p + 1 (non-canonical), with either sign flag.
    for v in (c.p, c.p + 1):
        e = bytearray(n)
        e[:bs] = v.to_bytes(bs, "little")
        invalid.append((bytes(e), "non-canonical x"))
    e = bytearray(n)
    e[:bs] = (c.p + 5).to_bytes(bs, "little")
    e[-1] |= 0x40
    invalid.append((bytes(e), "non-canonical x"))
    # all ones apart from the flags
    e = bytearray(b"\xff" * n)
    e[-1] = 0x3F
    invalid.append((bytes(e), "non-canonical x" if c.flags_in_x else "reserved bits"))
    # infinity with another bit set
    e = bytearray(n)
    e[-1] = 0xC0
    invalid.append((bytes(e), "flags"))
    e = bytearray(n)
    e[-1] = 0x80
    e[0] = 1
    invalid.append((bytes(e), "flags"))
    e = bytearray(good)
    e[-1] |= 0x80
    invalid.append((bytes(e), "flags"))
    # x off the curve: the smallest x >= a random start with x^3 + ax + b a non-residue
    x = rng.randrange(c.p)
    while c.sqrt(c.rhs(x)) is not None:
        x += 1
    for flag in (0, 0x40):
        e = bytearray(n)
        e[:bs] = x.to_bytes(bs, "little")
        e[-1] |= flag
        invalid.append((bytes(e), "not on curve"))
    # the point (x, 0) of order 2, when there is one: with the "y odd" flag the encoding is
    # not canonical, without it the point is outside the subgroup
    if c.rhs(0) == 0:
        e = bytearray(n)
        e[-1] = 0x40
        invalid.append((bytes(e), "flags"))
        invalid.append((bytes(n), "not in subgroup"))
    # a point on the curve outside the prime-order subgroup (only when h > 1)
    if c.h != 1:
        x = 1
        while True:
            y = c.sqrt(c.rhs(x))
            if y is not None and y != 0 and not c.in_subgroup((x, y)):
                break
            x += 1
        for y_choice in (y, (-y) % c.p):
            invalid.append((c.encode((x, y_choice)), "not in subgroup"))
    entries = []
    for data, reason in invalid:
        assert c.decode(data) == reason, (c.name, data.hex(), reason, c.decode(data))
        entries.append('    {.bytes = "%s", .reason = "%s"}' % (data.hex(), reason))
    emit_array(out, "InvalidEncodingVector", "invalid", entries)
    out.append("}  // namespace %s" % c.name)
    out.append("")


HEADER = """\
// generated by tests/ec/generate_curve_vectors.py; do not edit
//
// Regenerate with:
//   python3 tests/ec/generate_curve_vectors.py > tests/ec/curve_vectors.hpp
//
// Integers and coordinates: lowercase big-endian hex (coordinates zero-padded to
// 2*byte_size digits); the identity has x = y = "". Encodings and invalid byte
// strings: hex of the bytes in order. See the generator for the encoding and
// the hash_to_group construction.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace zkcnn::test_vectors::curves {

struct CurveConstants {
    std::string_view p, r, h;
    unsigned a, b;
    std::string_view generator_x, generator_y;
    unsigned encoded_size;
    std::string_view beta;  // cube root of unity of the fast subgroup check; "" when unused
};

struct MultipleVector {
    std::string_view k;  // [k]G
    std::string_view x, y, encoding;
};

struct HashVector {
    std::string_view domain;
    std::uint64_t index;
    unsigned counter;  // the try-and-increment attempt that succeeded
    std::string_view x, y, encoding;
};

struct InvalidEncodingVector {
    std::string_view bytes, reason;
};
"""


def main():
    rng = random.Random(SEED)
    out = [HEADER]
    for curve in (bn254(), bls12_381(), toy()):
        emit_curve(out, curve, rng)
    out.append("}  // namespace zkcnn::test_vectors::curves")
    print("\n".join(out))


if __name__ == "__main__":
    main()
