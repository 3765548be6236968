#!/usr/bin/python3
"""An independent numpy reference for the quantized LeNet-5 of examples/models: it quantizes the
ONNX model's weights with the rules examples/onnx/onnx_import.hpp documents, calibrates the
rescales on a few Fashion-MNIST test images, runs integer inference on them and writes
tests/onnx/data/lenet5_reference.txt (the images, the quantized architecture and the logits),
which the C++ test compares with the importer and nn::infer. Checked in; rerun it only when the
model or the rules change:

    /usr/bin/python3 tests/onnx/make_lenet5_reference.py

The rules, for bit widths (weights W, activations A, input scale I, margin M):
  input        round(pixel / 255 * 2^I), halves away from zero
  weights      scale 2^s with s = W - 1 - e, where max|w| < 2^e (numpy.frexp); round, then clamp
               to at most 2^(W-1) - 1
  bias         round(b * 2^(scale of the accumulator))
  rescale      m = bit length of the largest |accumulator| over the calibration images (at
               least 1); bits = m + 1 + M, shift = max(0, m - A); output max(0, floor(acc / 2^shift))
"""

import gzip
import os
import struct

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "examples", "models", "lenet5_fashion_mnist.onnx")
DATA = "/usr/share/datasets/fashion-mnist"
OUT = os.path.join(ROOT, "tests", "onnx", "data", "lenet5_reference.txt")
WEIGHT_BITS, ACTIVATION_BITS, INPUT_BITS, MARGIN_BITS = 8, 8, 8, 1
IMAGES = 8


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(f">{dims}I", data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def round_half_away(x):
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def quantize_weights(w):
    largest = np.max(np.abs(w))
    scale = WEIGHT_BITS - 1 - (np.frexp(largest)[1] if largest > 0 else 0)
    assert scale >= 0
    q = np.minimum(round_half_away(w.astype(np.float64) * 2.0**scale), 2 ** (WEIGHT_BITS - 1) - 1)
    return q.astype(np.int64), scale


def conv(x, w, b):
    """Valid convolution, stride 1, of x (C, H, W) with w (O, C, k, k), in int64."""
    o, c, k, _ = w.shape
    h, wd = x.shape[1] - k + 1, x.shape[2] - k + 1
    y = np.zeros((o, h, wd), dtype=np.int64) + b[:, None, None]
    for a in range(k):
        for d in range(k):
            y += np.einsum("oc,chw->ohw", w[:, :, a, d], x[:, a : a + h, d : d + wd])
    return y


def maxpool(x):
    c, h, w = x.shape
    return x.reshape(c, h // 2, 2, w // 2, 2).max(axis=(2, 4))


def main():
    graph = onnx.load(MODEL).graph
    params = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    # The layers in order: the Conv and Gemm nodes' weights and biases.
    linear = [(n.op_type, params[n.input[1]], params[n.input[2]]) for n in graph.node if n.op_type in ("Conv", "Gemm")]
    assert [kind for kind, _, _ in linear] == ["Conv", "Conv", "Gemm", "Gemm", "Gemm"]

    images = read_idx(f"{DATA}/t10k-images-idx3-ubyte.gz")[:IMAGES]
    labels = read_idx(f"{DATA}/t10k-labels-idx1-ubyte.gz")[:IMAGES]
    padded = np.pad(images, ((0, 0), (2, 2), (2, 2)))
    inputs = [round_half_away(p.astype(np.float64) / 255.0 * 2.0**INPUT_BITS).astype(np.int64)[None] for p in padded]

    layers = []  # lines describing the quantized architecture
    scale = INPUT_BITS
    activations = inputs
    for index, (kind, w, b) in enumerate(linear):
        q, s = quantize_weights(w)
        scale += s
        bias = round_half_away(b.astype(np.float64) * 2.0**scale).astype(np.int64)
        if kind == "Conv":
            layers.append(f"conv2d {w.shape[0]} {w.shape[2]} 0 1 {s}")
            accumulators = [conv(x, q, bias) for x in activations]
        else:
            if activations[0].ndim == 3:
                layers.append("flatten")
                activations = [x.reshape(-1) for x in activations]
            layers.append(f"dense {w.shape[0]} {s}")
            accumulators = [q @ x + bias for x in activations]
        if index == len(linear) - 1:
            activations = accumulators
            break
        largest = max(1, max(int(np.max(np.abs(a))) for a in accumulators))
        magnitude = largest.bit_length()
        bits, shift = magnitude + 1 + MARGIN_BITS, max(0, magnitude - ACTIVATION_BITS)
        layers.append(f"rescale-relu {bits} {shift}")
        scale -= shift
        activations = [np.maximum(0, a >> shift) for a in accumulators]  # >> floors, as in zkcnn
        if kind == "Conv":
            layers.append("maxpool 2")
            activations = [maxpool(a) for a in activations]

    with open(OUT, "w") as f:
        f.write("# Written by tests/onnx/make_lenet5_reference.py from examples/models/lenet5_fashion_mnist.onnx\n")
        f.write(f"# and the first {IMAGES} Fashion-MNIST test images; see the script for the quantization rules.\n")
        f.write(f"options {WEIGHT_BITS} {ACTIVATION_BITS} {INPUT_BITS} {MARGIN_BITS}\n")
        f.write(f"layers {len(layers)}\n")
        for line in layers:
            f.write(line + "\n")
        f.write(f"output-scale {scale}\n")
        f.write(f"images {IMAGES}\n")
        for image, label, logits in zip(images, labels, activations):
            f.write(f"label {label}\n")
            f.write("pixels " + " ".join(str(v) for v in image.ravel()) + "\n")
            f.write("logits " + " ".join(str(v) for v in logits) + "\n")


if __name__ == "__main__":
    main()
