#!/usr/bin/python3
"""PyTorch's predictions for the residual network of examples/models on Fashion-MNIST test
images, computed from the ONNX file's graph with torch.nn.functional (an implementation
independent of the importer's), written to tests/onnx/data/resnet_reference.txt: the float
logits of the first 8 test images and the predicted classes of the first 100. The C++ test
compares them with the importer's float inference and with the quantized model's predictions.
Checked in; rerun it only when the model changes:

    /usr/bin/python3 tests/onnx/make_resnet_reference.py
"""

import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "examples", "models"))
from train_lenet5 import DEFAULT_DATA, load_split  # noqa: E402  (the same padding and scaling)

MODEL = os.path.join(ROOT, "examples", "models", "resnet_fashion_mnist.onnx")
OUT = os.path.join(ROOT, "tests", "onnx", "data", "resnet_reference.txt")
LOGIT_IMAGES, CLASS_IMAGES = 8, 100


def attribute(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return list(a.ints) if a.ints else a.i
    return default


def run(graph, x):
    """The graph's operators, each through PyTorch's own implementation."""
    values = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    values[graph.input[0].name] = x
    for node in graph.node:
        args = [values[name] for name in node.input if name]
        if node.op_type == "Conv":
            y = F.conv2d(args[0], args[1], args[2] if len(args) > 2 else None,
                         stride=attribute(node, "strides", [1, 1])[0], padding=attribute(node, "pads", [0] * 4)[0])
        elif node.op_type == "BatchNormalization":
            y = F.batch_norm(args[0], args[3], args[4], args[1], args[2], training=False)
        elif node.op_type == "Relu":
            y = F.relu(args[0])
        elif node.op_type == "Add":
            y = args[0] + args[1]
        elif node.op_type == "GlobalAveragePool":
            y = F.adaptive_avg_pool2d(args[0], 1)
        elif node.op_type == "Flatten":
            y = torch.flatten(args[0], 1)
        elif node.op_type == "Gemm":
            y = F.linear(args[0], args[1] if attribute(node, "transB", 0) else args[1].t(), args[2])
        else:
            sys.exit(f"{node.op_type}: not an operator of this model")
        values[node.output[0]] = y
    return values[graph.output[0].name]


def main():
    graph = onnx.load(MODEL).graph
    test_x, _ = load_split(DEFAULT_DATA, "t10k")
    with torch.no_grad():
        logits = run(graph, test_x[:CLASS_IMAGES]).double().numpy()
    with open(OUT, "w") as f:
        for row in logits[:LOGIT_IMAGES]:
            f.write("logits " + " ".join(f"{v:.9g}" for v in row) + "\n")
        f.write("classes " + " ".join(str(c) for c in np.argmax(logits, axis=1)) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
