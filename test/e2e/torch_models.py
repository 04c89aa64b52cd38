#!/usr/bin/python3
"""Builds Tessera's small PyTorch end-to-end models and their references.

For each model this writes, into test/e2e/models/<name>/ (or --out-dir):
  model.onnx     torch.onnx.export, opset 14, eval mode, constant folding
  input_0.npy    the input, seeded
  expected_0.npy PyTorch's output for that input

Everything is seeded, so regenerating gives the same weights and data. The
files are committed; tests never need to run this script (check_model.py does
the compile / run / compare step).

  /usr/bin/python3 test/e2e/torch_models.py [--out-dir DIR] [NAME ...]
"""

import argparse
import io
import os
import sys

import numpy as np
import torch
import torch.nn as nn

OPSET = 14
HERE = os.path.dirname(os.path.abspath(__file__))


class SmallCNN(nn.Module):
    """conv-bn-relu-maxpool x2, global average pool, linear. 1x3x32x32 -> 1x10."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool(self.features(x))
        return self.fc(torch.flatten(x, 1))


class MLP(nn.Module):
    """784-256-128-10 with ReLU. 1x784 -> 1x10."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(),
            nn.Linear(256, 128), nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.net(x)


def randomize_batchnorm(model, generator):
    """Gives BatchNorm layers non-trivial statistics so that folding them
    into the convolutions changes the weights."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=generator) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=generator) * 0.1)


def build_cnn():
    torch.manual_seed(0)
    model = SmallCNN()
    randomize_batchnorm(model, torch.Generator().manual_seed(1))
    x = np.random.RandomState(0).standard_normal((1, 3, 32, 32)).astype(np.float32)
    return model.eval(), x


def build_mlp():
    torch.manual_seed(0)
    model = MLP()
    x = np.random.RandomState(0).standard_normal((1, 784)).astype(np.float32)
    return model.eval(), x


MODELS = {
    "cnn": build_cnn,
    "mlp": build_mlp,
}


def export(model, x, out_dir, trace_with_grad=False, dynamic_axes=None):
    """Exports `model` with example input `x` and writes model.onnx,
    input_0.npy and expected_0.npy into out_dir. Returns the expected output.

    `trace_with_grad` traces with autograd on: PyTorch's fused inference
    kernels (the TransformerEncoderLayer "fast path") only run under no_grad
    and have no ONNX export. `dynamic_axes` ({"input": {0: "batch"}}) keeps
    those input dimensions symbolic in the model."""
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    tx = torch.from_numpy(x)
    with torch.no_grad():
        expected = model(tx).numpy()
    buffer = io.BytesIO()
    with torch.set_grad_enabled(trace_with_grad):
        torch.onnx.export(model, (tx,), buffer, opset_version=OPSET,
                          do_constant_folding=True,
                          training=torch.onnx.TrainingMode.EVAL,
                          input_names=["input"], output_names=["output"],
                          dynamic_axes=dynamic_axes)
    with open(os.path.join(out_dir, "model.onnx"), "wb") as f:
        f.write(buffer.getvalue())
    np.save(os.path.join(out_dir, "input_0.npy"), x)
    np.save(os.path.join(out_dir, "expected_0.npy"), expected)
    return expected


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="models to build (default: all): "
                        + ", ".join(MODELS))
    parser.add_argument("--out-dir", default=os.path.join(HERE, "models"),
                        help="parent folder of the model folders (default: %(default)s)")
    args = parser.parse_args()
    names = args.names or list(MODELS)
    for name in names:
        if name not in MODELS:
            parser.error(f"unknown model '{name}' (known: {', '.join(MODELS)})")
    for name in names:
        model, x = MODELS[name]()
        out_dir = os.path.join(args.out_dir, name)
        expected = export(model, x, out_dir)
        size = os.path.getsize(os.path.join(out_dir, "model.onnx"))
        print(f"{name}: {out_dir}/model.onnx ({size} bytes), input {x.shape}, "
              f"output {expected.shape}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
