#!/usr/bin/python3
"""End-to-end tests of the FPGA target (--target=fpga-hls) by C-simulation.

Builds each model with PyTorch (seeded), exports it to ONNX, compiles it with
`tessera-compile --target=fpga-hls` (the emitted HLS C++ is compiled by the
host C++ compiler and linked with the host schedule), runs the artifact with
tessera-run and compares with PyTorch within 1e-4 of the output's max
magnitude (check_model.check). Also checks that every emitted kernel of
`--emit=hls-cpp` compiles with `g++ -std=c++17 -fsyntax-only`.

  /usr/bin/python3 test/e2e/fpga_hls.py [NAME ...] [--tessera-compile PATH]
      [--tessera-run PATH] [--work-dir DIR] [--fpga-profile u250|zcu102|FILE]

Models: small_cnn (conv-bn-relu-maxpool x2, global pool, linear on 1x3x32x32)
and resnet18_block1 (ResNet-18's stem and first residual block on
1x3x224x224, random seeded weights). Exit status 77: skipped (no torch).
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
SKIP_RETURN_CODE = 77


def small_cnn():
    import torch
    from torch_models import SmallCNN
    torch.manual_seed(0)
    model = SmallCNN().eval()
    # Non-trivial batch-norm statistics, so folding them is tested.
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
    x = np.random.default_rng(0).standard_normal((1, 3, 32, 32)).astype(np.float32)
    return model, x


def resnet18_block1():
    import torch
    import torchvision
    torch.manual_seed(0)
    net = torchvision.models.resnet18(weights=None).eval()
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
    model = torch.nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool,
                                net.layer1[0]).eval()
    x = np.random.default_rng(0).standard_normal((1, 3, 224, 224)).astype(np.float32)
    return model, x


MODELS = {"small_cnn": small_cnn, "resnet18_block1": resnet18_block1}


def default_tool(name):
    for candidate in [os.path.join(HERE, "..", "..", "build", "bin", name)]:
        if os.path.exists(candidate):
            return candidate
    return shutil.which(name) or name


def check_syntax(compiler, model_dir, work_dir, profile):
    """--emit=hls-cpp, then g++ -fsyntax-only on every kernel."""
    out = os.path.join(work_dir, "hls-cpp")
    result = subprocess.run([compiler, os.path.join(model_dir, "model.onnx"),
                             "--target=fpga-hls", f"--fpga-profile={profile}",
                             "--emit=hls-cpp", "-o", out],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        print(result.stderr)
        return False
    cxx = shutil.which("g++") or shutil.which("c++")
    kernels = sorted(glob.glob(os.path.join(out, "*.cpp")))
    for kernel in kernels:
        r = subprocess.run([cxx, "-std=c++17", "-fsyntax-only", "-Wall",
                            "-Wno-unknown-pragmas", "-I", out, kernel],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{kernel}: does not compile:\n{r.stderr}")
            return False
    print(f"  {len(kernels)} kernels pass {os.path.basename(cxx)} -fsyntax-only")
    return bool(kernels)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", choices=[[], *MODELS], default=[])
    parser.add_argument("--tessera-compile", default=default_tool("tessera-compile"))
    parser.add_argument("--tessera-run", default=default_tool("tessera-run"))
    parser.add_argument("--work-dir")
    parser.add_argument("--fpga-profile", default="u250")
    args = parser.parse_args()
    try:
        import torch  # noqa: F401
        import torchvision  # noqa: F401
        from torch_models import export
        from check_model import check
    except ImportError as e:
        print(f"skipped: {e} (install python3-torch python3-torchvision)")
        return SKIP_RETURN_CODE

    failed = []
    with tempfile.TemporaryDirectory(prefix="tessera-fpga-") as tmp:
        work = os.path.abspath(args.work_dir or tmp)
        for name in args.names or list(MODELS):
            model, x = MODELS[name]()
            model_dir = os.path.join(work, name)
            export(model, x, model_dir)
            print(f"{name}: exported {model_dir}/model.onnx")
            ok = check_syntax(args.tessera_compile, model_dir, model_dir,
                              args.fpga_profile)
            ok = check(model_dir, args.tessera_compile, args.tessera_run,
                       model_dir, compile_timeout=900, run_timeout=300,
                       extra_compile_args=["--target=fpga-hls",
                                           f"--fpga-profile={args.fpga_profile}",
                                           "--explain"]) and ok
            if not ok:
                failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
