#!/usr/bin/python3
"""Writes the small ONNX models of tests/onnx/data/operators, one per supported operator (with
what the architecture needs around it) and one per unsupported operator, attribute or shape,
a small classifier of 3x32x32 images, and residual graphs (supported, and not).

For each supported model it also writes NAME.txt: one line "input" and one line "output" with
the float input and the output PyTorch computes for it (an implementation independent of the
importer's). The files are checked in; run this again only to change them:

    /usr/bin/python3 tests/onnx/make_operator_models.py
"""

import os

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "operators")
rng = np.random.default_rng(7)


def floats(*shape):
    return rng.uniform(-1, 1, size=shape).astype(np.float32)


def save(name, nodes, input_shape, output_shape, initializers=(), opset=13):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, input_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, output_shape)],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in initializers])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="zkcnn tests")
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name + ".onnx"))


def save_expected(name, x, y):
    with open(os.path.join(OUT, name + ".txt"), "w") as f:
        f.write("input " + " ".join(f"{v:.9g}" for v in np.asarray(x, dtype=np.float64).ravel()) + "\n")
        f.write("output " + " ".join(f"{v:.9g}" for v in np.asarray(y, dtype=np.float64).ravel()) + "\n")


def t(a):
    return torch.from_numpy(np.asarray(a, dtype=np.float32))


def supported():
    # Conv with padding, stride and bias.
    x, w, b = floats(1, 2, 6, 6), floats(3, 2, 3, 3), floats(3)
    save("conv", [helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                                   strides=[2, 2])],
         [1, 2, 6, 6], [1, 3, 3, 3], [("w", w), ("b", b)])
    save_expected("conv", x, F.conv2d(t(x), t(w), t(b), stride=2, padding=1))

    # Relu and MaxPool after a Conv.
    x, w, b = floats(1, 1, 4, 4), floats(2, 1, 3, 3), floats(2)
    save("conv_relu_maxpool", [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("MaxPool", ["r"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    ], [1, 1, 4, 4], [1, 2, 2, 2], [("w", w), ("b", b)])
    save_expected("conv_relu_maxpool", x, F.max_pool2d(F.relu(F.conv2d(t(x), t(w), t(b), padding=1)), 2))

    x = floats(1, 2, 4, 4)
    save("averagepool", [helper.make_node("AveragePool", ["x"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2, 2])],
         [1, 2, 4, 4], [1, 2, 2, 2])
    save_expected("averagepool", x, F.avg_pool2d(t(x), 2))

    x = floats(1, 3, 4, 4)
    save("globalaveragepool", [
        helper.make_node("GlobalAveragePool", ["x"], ["g"], name="pool"),
        helper.make_node("Flatten", ["g"], ["y"], name="flatten"),
    ], [1, 3, 4, 4], [1, 3])
    save_expected("globalaveragepool", x, t(x).mean(dim=(2, 3)))

    # Gemm on a flat input, transposed weights, alpha and beta.
    x, w, c = floats(1, 5), floats(4, 5), floats(4)
    save("gemm", [helper.make_node("Gemm", ["x", "w", "c"], ["y"], name="gemm", transB=1, alpha=0.5, beta=2.0)],
         [1, 5], [1, 4], [("w", w), ("c", c)])
    save_expected("gemm", x, 0.5 * t(x) @ t(w).T + 2.0 * t(c))

    # Flatten, then MatMul and Add (its bias).
    x, w, b = floats(1, 2, 2, 2), floats(8, 3), floats(3)
    save("flatten_matmul_add", [
        helper.make_node("Flatten", ["x"], ["f"], name="flatten"),
        helper.make_node("MatMul", ["f", "w"], ["m"], name="matmul"),
        helper.make_node("Add", ["m", "b"], ["y"], name="add"),
    ], [1, 2, 2, 2], [1, 3], [("w", w), ("b", b)])
    save_expected("flatten_matmul_add", x, t(x).reshape(1, -1) @ t(w) + t(b))

    # A Reshape that flattens, its shape from a Constant node, then Gemm (weights not transposed).
    x, w = floats(1, 2, 2, 2), floats(8, 3)
    shape = helper.make_node("Constant", [], ["shape"], name="shape",
                             value=numpy_helper.from_array(np.array([1, -1], dtype=np.int64)))
    save("reshape_gemm", [
        shape,
        helper.make_node("Reshape", ["x", "shape"], ["f"], name="reshape"),
        helper.make_node("Gemm", ["f", "w"], ["y"], name="gemm"),
    ], [1, 2, 2, 2], [1, 3], [("w", w)])
    save_expected("reshape_gemm", x, t(x).reshape(1, -1) @ t(w))

    # Zero padding by a Pad node, folded into the next Conv's padding of 1 (2 in all).
    x, w = floats(1, 1, 3, 3), floats(2, 1, 3, 3)
    save("pad_conv", [
        helper.make_node("Pad", ["x", "pads"], ["p"], name="pad", mode="constant"),
        helper.make_node("Conv", ["p", "w"], ["y"], name="conv", pads=[1, 1, 1, 1]),
    ], [1, 1, 3, 3], [1, 2, 5, 5], [("w", w), ("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64))])
    save_expected("pad_conv", x, F.conv2d(t(x), t(w), padding=2))

    # BatchNormalization folded into the Conv before it.
    x, w, b = floats(1, 2, 4, 4), floats(3, 2, 3, 3), floats(3)
    scale, bias, mean = floats(3), floats(3), floats(3)
    var = rng.uniform(0.5, 2.0, size=3).astype(np.float32)
    save("conv_batchnorm_relu", [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv"),
        helper.make_node("BatchNormalization", ["c", "scale", "bias", "mean", "var"], ["n"], name="bn", epsilon=1e-3),
        helper.make_node("Relu", ["n"], ["y"], name="relu"),
    ], [1, 2, 4, 4], [1, 3, 2, 2],
        [("w", w), ("b", b), ("scale", scale), ("bias", bias), ("mean", mean), ("var", var)])
    y = F.relu(F.batch_norm(F.conv2d(t(x), t(w), t(b)), t(mean), t(var), t(scale), t(bias), training=False, eps=1e-3))
    save_expected("conv_batchnorm_relu", x, y)

    # Identity and Dropout (inference) pass their input through.
    x, w = floats(1, 1, 4, 4), floats(2, 1, 3, 3)
    save("identity_dropout", [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("Identity", ["c"], ["i"], name="identity"),
        helper.make_node("Relu", ["i"], ["r"], name="relu"),
        helper.make_node("Dropout", ["r", "ratio"], ["d"], name="dropout"),
        helper.make_node("Flatten", ["d"], ["y"], name="flatten"),
    ], [1, 1, 4, 4], [1, 8], [("w", w), ("ratio", np.array(0.5, dtype=np.float32))])
    save_expected("identity_dropout", x, F.relu(F.conv2d(t(x), t(w))).reshape(1, -1))


def unsupported():
    """Each is rejected with an error naming the node (name and operator) and the reason."""
    w = floats(2, 1, 3, 3)

    def conv_then(name, node, shape=(1, 1, 6, 6), out=(1, 2, 2, 2), extra=()):
        save(name, [helper.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
                    helper.make_node("Relu", ["c"], ["r"], name="relu"), node],
             list(shape), list(out), [("w", w), *extra])

    save("conv_group2", [helper.make_node("Conv", ["x", "w2"], ["y"], name="conv", group=2)],
         [1, 2, 4, 4], [1, 2, 2, 2], [("w2", floats(2, 1, 3, 3))])
    save("conv_dilation", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", dilations=[2, 2])],
         [1, 1, 6, 6], [1, 2, 2, 2], [("w", w)])
    save("conv_asymmetric_pads", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[0, 0, 1, 1])],
         [1, 1, 4, 4], [1, 2, 3, 3], [("w", w)])
    save("conv_nonsquare_kernel", [helper.make_node("Conv", ["x", "w3"], ["y"], name="conv")],
         [1, 1, 4, 4], [1, 2, 2, 3], [("w3", floats(2, 1, 3, 2))])
    conv_then("maxpool_overlapping",
              helper.make_node("MaxPool", ["r"], ["y"], name="pool", kernel_shape=[3, 3], strides=[2, 2]))
    conv_then("maxpool_window3", helper.make_node("MaxPool", ["r"], ["y"], name="pool", kernel_shape=[3, 3], strides=[3, 3]))
    conv_then("maxpool_padded", helper.make_node("MaxPool", ["r"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2, 2],
                                                 pads=[1, 1, 1, 1]))
    save("conv_without_relu", [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("MaxPool", ["c"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    ], [1, 1, 4, 4], [1, 2, 2, 2], [("w", w)])
    conv_then("sigmoid", helper.make_node("Sigmoid", ["r"], ["y"], name="sigmoid"), out=(1, 2, 6, 6))
    save("pad_reflect", [
        helper.make_node("Pad", ["x", "pads"], ["p"], name="pad", mode="reflect"),
        helper.make_node("Conv", ["p", "w"], ["y"], name="conv"),
    ], [1, 1, 4, 4], [1, 2, 4, 4], [("w", w), ("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64))])
    save("pad_nonzero", [
        helper.make_node("Pad", ["x", "pads", "value"], ["p"], name="pad"),
        helper.make_node("Conv", ["p", "w"], ["y"], name="conv"),
    ], [1, 1, 4, 4], [1, 2, 4, 4],
        [("w", w), ("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64)), ("value", np.array(1.0, dtype=np.float32))])
    save("batchnorm_first", [
        helper.make_node("BatchNormalization", ["x", "s", "s", "m", "s"], ["y"], name="bn"),
    ], [1, 2, 4, 4], [1, 2, 4, 4], [("s", np.ones(2, np.float32)), ("m", np.zeros(2, np.float32))])
    conv_then("dropout_training", helper.make_node("Dropout", ["r", "", "train"], ["y"], name="dropout"),
              out=(1, 2, 6, 6), extra=[("train", np.array(True))])
    save("reshape_not_flatten", [
        helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape"),
    ], [1, 2, 2, 2], [1, 2, 4], [("shape", np.array([1, 2, 4], dtype=np.int64))])
    # A tensor whose raw bytes do not match its dimensions.
    bad = numpy_helper.from_array(np.zeros((2, 1, 3, 3), np.float32), "w")
    bad.raw_data = bad.raw_data[:-4]
    graph = helper.make_graph([helper.make_node("Conv", ["x", "w"], ["y"], name="conv")], "bad_tensor",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 4, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 2, 2])], [bad])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), os.path.join(OUT, "bad_tensor_size.onnx"))


def three_channel_classifier():
    # A classifier of 3x32x32 colour images (CIFAR-10's shape): what calibration and inputs from
    # .npy files are tested on (examples/python/test_zkcnn.py), Fashion-MNIST not fitting it.
    w, b, d, e = floats(4, 3, 3, 3), floats(4), floats(10, 4 * 16 * 16), floats(10)
    save("rgb_classifier", [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("MaxPool", ["r"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "d", "e"], ["y"], name="dense", transB=1),
    ], [1, 3, 32, 32], [1, 10], [("w", w), ("b", b), ("d", d), ("e", e)])


def bn_params(channels):
    return (floats(channels), floats(channels), floats(channels),
            rng.uniform(0.5, 2.0, size=channels).astype(np.float32))


def batch_norm(x, params):
    scale, bias, mean, var = params
    return F.batch_norm(x, t(mean), t(var), t(scale), t(bias), training=False, eps=1e-5)


def residual_graphs():
    """Graphs with residual connections (supported), and graphs the architecture cannot express."""
    # A stem, then a strided block whose 1x1 projection is added to its second convolution; every
    # convolution bias-free with a BatchNormalization, as ResNets export. The projection's nodes
    # come before the block's, another topological order than PyTorch's.
    x = floats(1, 2, 8, 8)
    ws, w1, w2, wp, wd, bd = floats(4, 2, 3, 3), floats(4, 4, 3, 3), floats(4, 4, 3, 3), floats(4, 4, 1, 1), floats(3, 4), floats(3)
    n0, n1, n2, n_p = bn_params(4), bn_params(4), bn_params(4), bn_params(4)

    def bn(name, source, out, params):
        return helper.make_node("BatchNormalization", [source] + [f"{name}_{p}" for p in ("s", "b", "m", "v")], [out], name=name)

    def bn_init(name, params):
        return [(f"{name}_{p}", v) for p, v in zip(("s", "b", "m", "v"), params)]

    save("residual", [
        helper.make_node("Conv", ["x", "ws"], ["c0"], name="stem", pads=[1, 1, 1, 1]),
        bn("bn0", "c0", "n0", n0),
        helper.make_node("Relu", ["n0"], ["r0"], name="relu0"),
        helper.make_node("Conv", ["r0", "wp"], ["cp"], name="projection", strides=[2, 2]),
        bn("bnp", "cp", "np", n_p),
        helper.make_node("Conv", ["r0", "w1"], ["c1"], name="conv1", pads=[1, 1, 1, 1], strides=[2, 2]),
        bn("bn1", "c1", "n1", n1),
        helper.make_node("Relu", ["n1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "w2"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
        bn("bn2", "c2", "n2", n2),
        helper.make_node("Add", ["n2", "np"], ["a"], name="add"),
        helper.make_node("Relu", ["a"], ["r2"], name="relu2"),
        helper.make_node("GlobalAveragePool", ["r2"], ["g"], name="pool"),
        helper.make_node("Flatten", ["g"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "wd", "bd"], ["y"], name="dense", transB=1),
    ], [1, 2, 8, 8], [1, 3],
        [("ws", ws), ("w1", w1), ("w2", w2), ("wp", wp), ("wd", wd), ("bd", bd)] +
        bn_init("bn0", n0) + bn_init("bn1", n1) + bn_init("bn2", n2) + bn_init("bnp", n_p))
    r0 = F.relu(batch_norm(F.conv2d(t(x), t(ws), padding=1), n0))
    r1 = F.relu(batch_norm(F.conv2d(r0, t(w1), stride=2, padding=1), n1))
    a = batch_norm(F.conv2d(r1, t(w2), padding=1), n2) + batch_norm(F.conv2d(r0, t(wp), stride=2), n_p)
    g = F.adaptive_avg_pool2d(F.relu(a), 1).flatten(1)
    save_expected("residual", x, F.linear(g, t(wd), t(bd)))

    # An identity shortcut: the block's input (a ReLU's output) added to its convolution.
    x, w, v = floats(1, 2, 4, 4), floats(2, 2, 3, 3), floats(2, 2, 3, 3)
    save("identity_residual", [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("Conv", ["r", "v"], ["d"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["r", "d"], ["a"], name="add"),
        helper.make_node("Relu", ["a"], ["y"], name="relu2"),
    ], [1, 2, 4, 4], [1, 2, 4, 4], [("w", w), ("v", v)])
    r = F.relu(F.conv2d(t(x), t(w), padding=1))
    save_expected("identity_residual", x, F.relu(r + F.conv2d(r, t(v), padding=1)))

    w2, w3 = floats(2, 1, 3, 3), floats(3, 1, 3, 3)
    save("add_shapes", [
        helper.make_node("Conv", ["x", "w2"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("Conv", ["x", "w3"], ["d"], name="conv3", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["d"], ["s"], name="relu3"),
        helper.make_node("Add", ["r", "s"], ["y"], name="add"),
    ], [1, 1, 4, 4], [1, 2, 4, 4], [("w2", w2), ("w3", w3)])
    save("maxpool_shared_relu", [
        helper.make_node("Conv", ["x", "w2"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("MaxPool", ["r"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["r", "v"], ["q"], name="strided", strides=[2, 2]),
        helper.make_node("Add", ["p", "q"], ["y"], name="add"),
    ], [1, 1, 4, 4], [1, 2, 2, 2], [("w2", w2), ("v", floats(2, 2, 2, 2))])
    save("unused_branch", [
        helper.make_node("Conv", ["x", "w2"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["y"], name="relu"),
        helper.make_node("Conv", ["y", "v"], ["d"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["d"], ["e"], name="unused"),
    ], [1, 1, 4, 4], [1, 2, 4, 4], [("w2", w2), ("v", floats(2, 2, 3, 3))])
    scale, bias, mean, var = bn_params(2)
    save("batchnorm_shared", [
        helper.make_node("Conv", ["x", "w2"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c", "s", "b", "m", "v"], ["n"], name="bn"),
        helper.make_node("Relu", ["n"], ["r"], name="relu"),
        helper.make_node("Add", ["r", "c"], ["a"], name="add"),
        helper.make_node("Relu", ["a"], ["y"], name="relu2"),
    ], [1, 1, 4, 4], [1, 2, 4, 4], [("w2", w2), ("s", scale), ("b", bias), ("m", mean), ("v", var)])


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    supported()
    unsupported()
    three_channel_classifier()
    residual_graphs()
