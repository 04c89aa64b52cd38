#!/usr/bin/python3
"""The model zoo end to end: exports a real architecture with random weights
(fixed seeds, eval mode, opset 14) into the work folder, computes PyTorch's
reference output, compiles the model with tessera-compile, runs it once with
tessera-run and checks

    max |tessera - pytorch| <= 1e-4 * max |pytorch|

Models (inputs are seeded too):
  resnet18, resnet50, mobilenet_v2, squeezenet1_1   torchvision, 1x3x224x224,
                batch-norm statistics randomized
  transformer   2-layer nn.TransformerEncoder (d_model 128, 2 heads, ff 512,
                gelu, batch_first) over an Embedding of 128 token ids,
                mean-pooled into a Linear head; 1x128 int64 -> 1x10
  transformer_dynamic   the same, exported with symbolic batch and sequence
                dimensions and compiled with --shape input=1x128

Large models are written to the work folder (the build tree under ctest),
never to the source tree.

  /usr/bin/python3 test/e2e/zoo.py NAME [--work-dir DIR] [--target cpu|vulkan|cuda]
      [--tessera-compile PATH] [--tessera-run PATH] [--threads N]

Exit status: 0 pass, 1 fail, 77 when torch or torchvision is not installed.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_model import check, default_tool  # noqa: E402

SKIP_RETURN_CODE = 77
IMAGE_SHAPE = (1, 3, 224, 224)
SEQUENCE_LENGTH = 128
VOCABULARY = 1000


def torchvision_model(name):
    def build():
        import torch
        import torchvision
        from torch_models import randomize_batchnorm
        torch.manual_seed(0)
        model = getattr(torchvision.models, name)()
        # Non-trivial batch-norm statistics, so that folding them matters and
        # activations keep their scale through deep networks.
        randomize_batchnorm(model, torch.Generator().manual_seed(1))
        x = np.random.RandomState(0).standard_normal(IMAGE_SHAPE).astype(np.float32)
        return model.eval(), x, {}
    return build


def transformer_model(dynamic):
    def build():
        import torch
        import torch.nn as nn

        class TransformerClassifier(nn.Module):
            def __init__(self, d_model=128, heads=2, ff=512, layers=2, classes=10):
                super().__init__()
                self.embed = nn.Embedding(VOCABULARY, d_model)
                layer = nn.TransformerEncoderLayer(d_model, heads, ff, activation="gelu",
                                                   batch_first=True)
                self.encoder = nn.TransformerEncoder(layer, layers)
                self.head = nn.Linear(d_model, classes)

            def forward(self, ids):
                return self.head(self.encoder(self.embed(ids)).mean(dim=1))

        torch.manual_seed(0)
        model = TransformerClassifier()
        x = np.random.RandomState(0).randint(0, VOCABULARY, (1, SEQUENCE_LENGTH)).astype(np.int64)
        options = {"trace_with_grad": True}
        if dynamic:
            options["dynamic_axes"] = {"input": {0: "batch", 1: "sequence"},
                                       "output": {0: "batch"}}
        return model.eval(), x, options
    return build


MODELS = {
    "resnet18": (torchvision_model("resnet18"), []),
    "resnet50": (torchvision_model("resnet50"), []),
    "mobilenet_v2": (torchvision_model("mobilenet_v2"), []),
    "squeezenet1_1": (torchvision_model("squeezenet1_1"), []),
    "transformer": (transformer_model(dynamic=False), []),
    "transformer_dynamic": (transformer_model(dynamic=True),
                            [f"--shape=input=1x{SEQUENCE_LENGTH}"]),
}


def write_alternating_placement(compiler, model, compile_args, targets, out_dir):
    """A --placement file (in `out_dir`) that puts the model's dispatches on
    `targets` in turn, in program order (names from --emit=device)."""
    placed = subprocess.run([compiler, model, *compile_args, "--emit=device", "-o", "-"],
                            capture_output=True, text=True, check=True).stdout
    names = re.findall(r'tdev\.dispatch root\("[^"]*"\) name\("([^"]*)"\)', placed)
    placement = {"dispatches": {name: targets[i % len(targets)]
                                for i, name in enumerate(dict.fromkeys(names))},
                 "default": targets[0]}
    path = os.path.join(out_dir, "placement.json")
    with open(path, "w") as f:
        json.dump(placement, f, indent=1)
    print(f"placement: {len(placement['dispatches'])} dispatches alternate over "
          f"{', '.join(targets)} ({path})")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", choices=sorted(MODELS))
    parser.add_argument("--tessera-compile", default=default_tool("tessera-compile"))
    parser.add_argument("--tessera-run", default=default_tool("tessera-run"))
    parser.add_argument("--work-dir", help="where the model and artifact go "
                        "(default: a temporary folder)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--target", default="cpu", help="tessera-compile --target "
                        "(a list such as cpu,vulkan partitions the model)")
    parser.add_argument("--placement", choices=["auto", "alternate"], default="auto",
                        help="with several targets: let the partitioner place the "
                        "dispatches (auto), or put consecutive dispatches on the targets "
                        "in turn (alternate: a mixed plan with many transfers)")
    parser.add_argument("--compile-timeout", type=float, default=900)
    parser.add_argument("--run-timeout", type=float, default=120)
    args = parser.parse_args()

    try:
        import torch  # noqa: F401
        import torchvision  # noqa: F401
        from torch_models import export
    except ImportError as e:
        print(f"{args.name}: skipped: {e} (install python3-torch python3-torchvision)")
        return SKIP_RETURN_CODE

    targets = args.target.split(",")
    if any(target != "cpu" for target in targets):
        devices = subprocess.run([args.tessera_run, "--list-devices"], capture_output=True,
                                 text=True).stdout.split("\n")
        for target in targets:
            if target != "cpu" and not any(line.startswith(target + " ") for line in devices):
                print(f"{args.name}: skipped: no {target} device on this machine")
                return SKIP_RETURN_CODE

    build, compile_args = MODELS[args.name]
    with tempfile.TemporaryDirectory(prefix=f"tessera-{args.name}-") as tmp:
        work_dir = os.path.abspath(args.work_dir or tmp)
        model_dir = os.path.join(work_dir, args.name)
        start = time.monotonic()
        model, x, options = build()
        expected = export(model, x, model_dir, **options)
        size = os.path.getsize(os.path.join(model_dir, "model.onnx"))
        print(f"{args.name}: exported {model_dir}/model.onnx ({size / 1e6:.1f} MB) and the "
              f"PyTorch reference {expected.shape} in {time.monotonic() - start:.1f} s")
        target_args = [f"--target={args.target}"]
        if len(targets) > 1 and args.placement == "alternate":
            placement = write_alternating_placement(
                args.tessera_compile, os.path.join(model_dir, "model.onnx"),
                [*compile_args, *target_args], targets, model_dir)
            target_args.append(f"--placement={placement}")
        ok = check(model_dir, args.tessera_compile, args.tessera_run, work_dir,
                   threads=args.threads, compile_timeout=args.compile_timeout,
                   run_timeout=args.run_timeout,
                   extra_compile_args=[*compile_args, *target_args])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
