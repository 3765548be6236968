#!/usr/bin/python3
"""Train LeNet-5 on Fashion-MNIST and export it as ONNX for zkcnn's importer.

The network is the paper's LeNet-5 (zkCNN section 6): a 1x32x32 input (the 28x28 images padded
by 2 pixels of zero on every side, done here in the data, not in the model), conv 6@5x5, ReLU,
max pool 2, conv 16@5x5, ReLU, max pool 2, flatten, dense 120, ReLU, dense 84, ReLU, dense 10.
Pixels are scaled to [0, 1] as pixel / 255, the convention examples/onnx's reader uses too.

Uses Debian's packages only (python3-torch, python3-onnx, python3-numpy, dataset-fashion-mnist)
and one thread, so it runs the same on every machine in a few minutes:

    nice -n 10 /usr/bin/python3 examples/models/train_lenet5.py
"""

import argparse
import gzip
import struct
import sys

import numpy as np
import torch
from torch import nn

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path, expected_dims):
    """An IDX file of unsigned bytes (the format of the MNIST family) as a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        sys.exit(f"{path}: not an IDX file of unsigned bytes")
    dims = data[3]
    if dims != expected_dims or len(data) < 4 + 4 * dims:
        sys.exit(f"{path}: expected {expected_dims} dimensions")
    shape = struct.unpack(f">{dims}I", data[4 : 4 + 4 * dims])
    payload = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    if payload.size != int(np.prod(shape)):
        sys.exit(f"{path}: {payload.size} data bytes for shape {shape}")
    return payload.reshape(shape)


def load_split(data_dir, prefix):
    images = read_idx(f"{data_dir}/{prefix}-images-idx3-ubyte.gz", 3)
    labels = read_idx(f"{data_dir}/{prefix}-labels-idx1-ubyte.gz", 1)
    if images.shape[0] != labels.shape[0]:
        sys.exit(f"{prefix}: {images.shape[0]} images but {labels.shape[0]} labels")
    padded = np.pad(images, ((0, 0), (2, 2), (2, 2)))  # 28x28 -> 32x32, as in the paper
    x = torch.from_numpy(padded.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )


def accuracy(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i : i + batch]).argmax(1) == y[i : i + batch]).sum().item()
    return correct / len(x)


def train(model, train_x, train_y, test_x, test_y, epochs, lr, batch):
    """Adam with a cosine schedule, reporting the test accuracy after every epoch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(train_x))
        for i in range(0, len(order), batch):
            index = order[i : i + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(train_x[index]), train_y[index])
            loss.backward()
            optimizer.step()
        schedule.step()
        print(f"epoch {epoch + 1}: test accuracy {accuracy(model, test_x, test_y):.4f}", flush=True)
    print(f"float test accuracy (PyTorch, 10000 images): {accuracy(model, test_x, test_y):.4f}")


def export(model, output, **options):
    """The model in evaluation mode as ONNX (opset 13) of a 1x32x32 image, any batch size."""
    model.eval()
    torch.onnx.export(
        model, torch.zeros(1, 1, 32, 32), output, opset_version=13, input_names=["image"], output_names=["logits"],
        dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, **options)
    print(f"wrote {output}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=DEFAULT_DATA, help="directory of the gzipped IDX files")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", default="examples/models/lenet5_fashion_mnist.onnx")
    args = parser.parse_args()

    # One thread: the same result everywhere, and room for whatever else the machine runs.
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)

    train_x, train_y = load_split(args.data, "train")
    test_x, test_y = load_split(args.data, "t10k")
    model = lenet5()
    train(model, train_x, train_y, test_x, test_y, args.epochs, lr=2e-3, batch=64)
    export(model, args.output)


if __name__ == "__main__":
    main()
