#!/usr/bin/env python3
"""Writes IDX images or labels (Fashion-MNIST's format, gzipped or not) as a NumPy .npy file,
without NumPy: items FIRST to FIRST+COUNT-1. Images are padded with BORDER zero pixels on every
side and shaped COUNT x 1 x H x W (or 1 x H x W with --one), as uint8 pixels or as float32
pixel / 255; labels are an int64 vector of COUNT.

    idx_to_npy.py IMAGES.idx[.gz] OUT.npy --first 0 --count 10 --border 2 [--float] [--one]
    idx_to_npy.py LABELS.idx[.gz] OUT.npy --first 0 --count 10

cli_test.sh uses it to give `zkcnn` calibration data and inputs from files.
"""
import argparse
import gzip
import struct


def read_idx(path):
    """The dimensions and the bytes of an IDX file of unsigned bytes."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:3] != b"\x00\x00\x08" or data[3] not in (1, 3):
        raise SystemExit(f"{path}: not an IDX file of unsigned-byte images or labels")
    dims = struct.unpack(f">{data[3]}I", data[4:4 + 4 * data[3]])
    return dims, data[4 + 4 * data[3]:]


def npy_bytes(descr, shape, values):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join(f"{d}, " for d in shape).rstrip(" "))
    # numpy.lib.format: the values start at a multiple of 64 bytes; the header ends with '\n'.
    padding = -(10 + len(header) + 1) % 64
    header = header + " " * padding + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("ascii") + values


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("idx", help="an IDX file of images or labels")
    parser.add_argument("out")
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--border", type=int, default=0)
    parser.add_argument("--float", action="store_true", help="float32 pixel / 255 instead of uint8 pixels")
    parser.add_argument("--one", action="store_true", help="one image without the batch dimension")
    args = parser.parse_args()

    dims, items = read_idx(args.idx)
    count = dims[0]
    if args.first < 0 or args.count < 1 or args.first + args.count > count:
        raise SystemExit(f"{args.idx}: items {args.first} to {args.first + args.count - 1} out of 0 to {count - 1}")
    if len(dims) == 1:
        labels = items[args.first:args.first + args.count]
        with open(args.out, "wb") as f:
            f.write(npy_bytes("<i8", (args.count,), struct.pack(f"<{args.count}q", *labels)))
        return
    height, width = dims[1], dims[2]
    pixels = items
    if args.one and args.count != 1:
        raise SystemExit("--one takes --count 1")
    b = args.border
    out_h, out_w = height + 2 * b, width + 2 * b
    padded = bytearray()
    for i in range(args.first, args.first + args.count):
        image = pixels[i * height * width:(i + 1) * height * width]
        padded += bytes(out_w) * b
        for row in range(height):
            padded += bytes(b) + image[row * width:(row + 1) * width] + bytes(b)
        padded += bytes(out_w) * b
    shape = (1, out_h, out_w) if args.one else (args.count, 1, out_h, out_w)
    if args.float:
        values = struct.pack(f"<{len(padded)}f", *(p / 255.0 for p in padded))
        descr = "<f4"
    else:
        values = bytes(padded)
        descr = "|u1"
    with open(args.out, "wb") as f:
        f.write(npy_bytes(descr, shape, values))


if __name__ == "__main__":
    main()
