#!/usr/bin/python3
"""Regenerates the bundled example model, examples/cnn/:

  model.onnx    a small CNN (conv-bn-relu-maxpool x2, global average pool,
                linear; input `input` 1x3x32x32 float32, output `output` 1x10),
                seeded random weights, exported from PyTorch with opset 14
  input.npy     a seeded random input
  expected.npy  PyTorch's output for input.npy

It is the same network as the end-to-end test model test/e2e/models/cnn.

  /usr/bin/python3 examples/make_example.py
"""

import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "test", "e2e"))
from torch_models import build_cnn, export  # noqa: E402


def main():
    out_dir = os.path.join(HERE, "cnn")
    os.makedirs(out_dir, exist_ok=True)
    model, x = build_cnn()
    with tempfile.TemporaryDirectory() as tmp:
        export(model, x, tmp)
        shutil.copy(os.path.join(tmp, "model.onnx"), os.path.join(out_dir, "model.onnx"))
        shutil.copy(os.path.join(tmp, "input_0.npy"), os.path.join(out_dir, "input.npy"))
        shutil.copy(os.path.join(tmp, "expected_0.npy"), os.path.join(out_dir, "expected.npy"))
    print(f"wrote {out_dir}/model.onnx, input.npy, expected.npy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
