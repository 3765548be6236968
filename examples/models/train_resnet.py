#!/usr/bin/python3
"""Train a small residual network on Fashion-MNIST and export it as ONNX for zkcnn's importer.

The network follows He, Zhang, Ren, Sun ("Deep Residual Learning for Image Recognition", CVPR
2016, section 4.2) at a small size: a 1x32x32 input (the 28x28 images padded by 2 zero pixels
on every side, in the data as for LeNet-5, pixels scaled as pixel / 255), a 3x3 stem
convolution of 8 channels, then three stages of one basic block each (8, 16 and 32 channels;
the second and third start with a stride-2 convolution and add a 1x1 stride-2 projection of
their input), global average pooling over the final 8x8 map and a dense layer of 10 outputs.
Every convolution is bias-free and followed by batch normalization, as ResNets are exported;
the importer folds each normalization into its convolution.

Uses Debian's packages only (python3-torch, python3-onnx, python3-numpy, dataset-fashion-mnist)
and one thread, so it runs the same on every machine in a few minutes:

    nice -n 10 /usr/bin/python3 examples/models/train_resnet.py
"""

import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_lenet5 import DEFAULT_DATA, export, load_split, train  # noqa: E402  (the same data, loop and export)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions; the input, projected when the shape changes, is added before the last ReLU."""

    def __init__(self, inputs, outputs, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(outputs)
        self.conv2 = nn.Conv2d(outputs, outputs, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(outputs)
        self.shortcut = nn.Sequential()
        if stride != 1 or inputs != outputs:
            self.shortcut = nn.Sequential(nn.Conv2d(inputs, outputs, 1, stride=stride, bias=False), nn.BatchNorm2d(outputs))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(y)) + self.shortcut(x))


def resnet(stages=(8, 16, 32)):
    layers = [nn.Conv2d(1, stages[0], 3, padding=1, bias=False), nn.BatchNorm2d(stages[0]), nn.ReLU()]
    width = stages[0]
    for i, channels in enumerate(stages):
        layers.append(BasicBlock(width, channels, 1 if i == 0 else 2))
        width = channels
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, 10)]
    return nn.Sequential(*layers)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=DEFAULT_DATA, help="directory of the gzipped IDX files")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", default="examples/models/resnet_fashion_mnist.onnx")
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)

    train_x, train_y = load_split(args.data, "train")
    test_x, test_y = load_split(args.data, "t10k")
    model = resnet()
    print(f"parameters: {sum(p.numel() for p in model.parameters())}", flush=True)
    train(model, train_x, train_y, test_x, test_y, args.epochs, lr=3e-3, batch=128)
    # Without constant folding, so that each normalization stays a BatchNormalization node after
    # its bias-free convolution (the importer folds it).
    export(model, args.output, do_constant_folding=False, training=torch.onnx.TrainingMode.EVAL)


if __name__ == "__main__":
    main()
