#!/usr/bin/python3
"""ResNet-18 end to end: exports torchvision's resnet18() (random weights,
torch.manual_seed(0), eval mode, opset 14, input 1x3x224x224) into the work
folder, computes PyTorch's reference output, compiles the model with
tessera-compile, runs it once with tessera-run and checks

    max |tessera - pytorch| <= 1e-4 * max |pytorch|

It prints the compile time and the error. The ~45 MB model is written to the
work folder (the build tree under ctest), never to the source tree.

  /usr/bin/python3 test/e2e/resnet18.py [--work-dir DIR]
      [--tessera-compile PATH] [--tessera-run PATH]

Exit status: 0 pass, 1 fail, 77 when torchvision is not installed.
"""

import argparse
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_model import check, default_tool  # noqa: E402

SKIP_RETURN_CODE = 77


def export_resnet18(model_dir):
    """Writes model.onnx, input_0.npy and expected_0.npy into model_dir."""
    import torch
    import torchvision
    from torch_models import export

    torch.manual_seed(0)
    model = torchvision.models.resnet18()
    x = np.random.RandomState(0).standard_normal((1, 3, 224, 224)).astype(np.float32)
    return export(model.eval(), x, model_dir)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tessera-compile", default=default_tool("tessera-compile"))
    parser.add_argument("--tessera-run", default=default_tool("tessera-run"))
    parser.add_argument("--work-dir", help="where the model and artifact go "
                        "(default: a temporary folder)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--compile-timeout", type=float, default=900)
    parser.add_argument("--run-timeout", type=float, default=120)
    args = parser.parse_args()

    try:
        import torch  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError as e:
        print(f"resnet18: skipped: {e} (install python3-torch python3-torchvision)")
        return SKIP_RETURN_CODE

    with tempfile.TemporaryDirectory(prefix="tessera-resnet18-") as tmp:
        work_dir = os.path.abspath(args.work_dir or tmp)
        model_dir = os.path.join(work_dir, "resnet18")
        start = time.monotonic()
        expected = export_resnet18(model_dir)
        size = os.path.getsize(os.path.join(model_dir, "model.onnx"))
        print(f"resnet18: exported {model_dir}/model.onnx ({size / 1e6:.1f} MB) and the "
              f"PyTorch reference {expected.shape} in {time.monotonic() - start:.1f} s")
        ok = check(model_dir, args.tessera_compile, args.tessera_run, work_dir,
                   threads=args.threads, compile_timeout=args.compile_timeout,
                   run_timeout=args.run_timeout)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
