#!/usr/bin/env python3
"""Writes a commitment file whose architecture is a hostile one (cli_test.sh).

    hostile_commitment.py KIND SOURCE TARGET

SOURCE is a real commitment file (format version 2): its backend, key size and model
commitment are kept, its
architecture is replaced by KIND, an architecture that would cost a verifier without limits
minutes or gigabytes before rejecting anything:
    fft-padding   an FFT convolution with padding 2048, then average pooling
    wide-argmax   a 32x32 input flattened into a dense layer of 2^24 classes (accuracy)
    huge-window   max pooling over 256x256 windows (a zero-check of degree 2^16 + 1)
The encoding is the architecture's canonical one (include/zkcnn/nn/architecture.hpp, format
version 2: sizes as 64-bit little-endian numbers).
"""
import struct
import sys

CONV, DENSE, RELU, MAXPOOL, AVGPOOL, FLATTEN = range(6)


def u32(value):
    return struct.pack("<I", value)


def architecture(name, shape, layers):
    out = bytes([2]) + struct.pack("<Q", len(name)) + name.encode()
    out += struct.pack("<4Q", *shape, 8)  # channels, height, width, input scale bits
    out += struct.pack("<Q", len(layers))
    for kind, *parameters in layers:
        out += bytes([kind]) + struct.pack(f"<{len(parameters)}Q", *parameters)
    return out


KINDS = {
    "fft-padding": architecture("fft-padding", (1, 8, 8), [
        (CONV, 1, 3, 2048, 1, 8, 0), (AVGPOOL, 2), (FLATTEN,), (DENSE, 10, 8)]),
    "wide-argmax": architecture("wide-argmax", (1, 32, 32), [(FLATTEN,), (DENSE, 1 << 24, 8)]),
    "huge-window": architecture("huge-window", (1, 256, 256), [
        (CONV, 1, 1, 0, 1, 8, 0), (RELU, 16, 8), (MAXPOOL, 256), (FLATTEN,), (DENSE, 2, 8)]),
}


def main():
    kind, source, target = sys.argv[1:]
    data = open(source, "rb").read()
    header, payload = data[:13], data[13:]
    backend_and_key_size = payload[:5]
    architecture_length = struct.unpack("<I", payload[5:9])[0]
    commitment_blob = payload[9 + architecture_length:]
    hostile = KINDS[kind]
    payload = backend_and_key_size + u32(len(hostile)) + hostile + commitment_blob
    with open(target, "wb") as out:
        out.write(header[:9] + u32(len(payload)) + payload)


if __name__ == "__main__":
    main()
