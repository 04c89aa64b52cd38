#!/usr/bin/python3
"""(See bench/run.py for the full comparison: models, threads, FMA peak, GEMMs.)
Single-thread latency of ResNet-18 (or another ONNX model): Tessera vs
onnxruntime (CPU execution provider, via onnxruntime-node) vs PyTorch.

  /usr/bin/python3 bench/resnet18_latency.py [--runs 30] [--threads 1]
      [--work-dir build/bench] [--model MODEL.onnx] [--skip-torch]

Exports torchvision resnet18() (torch.manual_seed(0), eval, opset 14,
1x3x224x224) into the work folder, compiles it with tessera-compile, and
measures each runtime's median latency over --runs runs after warm-up, all
on the same input and with one thread each (tessera-run --threads=1,
onnxruntime intraOpNumThreads=interOpNumThreads=1, torch.set_num_threads(1)).
Prints a Markdown table. Installs onnxruntime-node into bench/node_modules
when it is missing (npm install --prefix bench --ignore-scripts).

A benchmark, not a test: machines differ, so the peers always run in the
same invocation.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, os.path.join(REPO, "test", "e2e"))
from check_model import default_tool, relative_error_check, run_tool, tool_env  # noqa: E402


def ensure_onnxruntime():
    if os.path.isdir(os.path.join(BENCH, "node_modules", "onnxruntime-node")):
        return True
    if not shutil.which("npm"):
        print("onnxruntime: skipped (npm is not installed)", file=sys.stderr)
        return False
    print("installing onnxruntime-node into bench/node_modules ...", file=sys.stderr)
    proc = subprocess.run(["npm", "install", "--prefix", BENCH, "--ignore-scripts",
                           "--no-audit", "--no-fund", "onnxruntime-node"])
    return proc.returncode == 0


def parse_median(text):
    m = re.search(r"median:\s*([0-9.eE+-]+)\s*ms", text)
    return float(m.group(1)) if m else None


def model_flops(path):
    """FLOPs of Conv, Gemm and MatMul (2 per multiply-add), from ONNX shapes."""
    import onnx
    from onnx import shape_inference
    model = shape_inference.infer_shapes(onnx.load(path))
    g = model.graph
    shapes = {}
    for v in list(g.input) + list(g.value_info) + list(g.output):
        dims = [d.dim_value for d in v.type.tensor_type.shape.dim]
        shapes[v.name] = dims
    for t in g.initializer:
        shapes[t.name] = list(t.dims)
    flops = 0
    for n in g.node:
        out = shapes.get(n.output[0])
        if not out or any(d <= 0 for d in out):
            continue
        if n.op_type == "Conv":
            w = shapes.get(n.input[1])
            if w:
                flops += 2 * int(np.prod(out)) * int(np.prod(w[1:]))
        elif n.op_type in ("Gemm", "MatMul"):
            a = shapes.get(n.input[0])
            if a:
                k = a[0] if any(at.name == "transA" and at.i for at in n.attribute) else a[-1]
                flops += 2 * int(np.prod(out)) * k
    return flops


def bench_torch(model, x, runs, warmup):
    import torch
    torch.set_num_threads(1)
    tx = torch.from_numpy(x)
    with torch.no_grad():
        for _ in range(warmup):
            model(tx)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            model(tx)
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tessera-compile", default=default_tool("tessera-compile"))
    parser.add_argument("--tessera-run", default=default_tool("tessera-run"))
    parser.add_argument("--work-dir", default=os.path.join(
        os.environ.get("TESSERA_BUILD_DIR", os.path.join(REPO, "build")), "bench"))
    parser.add_argument("--model", help="benchmark this ONNX model instead of ResNet-18 "
                        "(inputs: --input files, else random; no PyTorch column)")
    parser.add_argument("--input", action="append", default=[],
                        help="[NAME=]FILE.npy input for --model (repeatable)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--skip-torch", action="store_true")
    parser.add_argument("--skip-ort", action="store_true")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    os.makedirs(args.work_dir, exist_ok=True)

    torch_model = None
    if args.model:
        name = os.path.splitext(os.path.basename(args.model))[0]
        if name == "model":  # folder/model.onnx: name it after the folder
            name = os.path.basename(os.path.dirname(os.path.abspath(args.model))) or name
        model_path = os.path.abspath(args.model)
        inputs = args.input
    else:
        import torch
        import torchvision
        from torch_models import export
        name = "resnet18"
        model_dir = os.path.join(args.work_dir, name)
        torch.manual_seed(0)
        torch_model = torchvision.models.resnet18().eval()
        x = np.random.RandomState(0).standard_normal((1, 3, 224, 224)).astype(np.float32)
        export(torch_model, x, model_dir)
        model_path = os.path.join(model_dir, "model.onnx")
        inputs = [os.path.join(model_dir, "input_0.npy")]

    rows = []  # (runtime, median ms or None, note)

    # Tessera.
    library = os.path.join(args.work_dir, f"{name}.so")
    result = run_tool([args.tessera_compile, model_path, "-o", library], 1800)
    compile_seconds = result.seconds
    if result.ok:
        out_dir = os.path.join(args.work_dir, f"{name}.out")
        argv = [args.tessera_run, library, "--output-dir", out_dir,
                "--benchmark", str(args.runs), f"--threads={args.threads}"]
        for f in inputs:
            argv += ["--input", f]
        if not inputs:
            argv.append("--random-inputs")
        run = run_tool(argv, 1800, env=tool_env(args.threads))
        median = parse_median(run.stdout) if run.ok else None
        note = f"compile {compile_seconds:.1f} s"
        if not run.ok:
            note = f"tessera-run: {run.describe()}"
        elif torch_model is not None:
            actual = np.load(os.path.join(out_dir, "output_0.npy"))
            expected = np.load(os.path.join(args.work_dir, name, "expected_0.npy"))
            ok, error, tolerance, _ = relative_error_check(actual, expected)
            note += f"; max abs error vs PyTorch {error:.2e} ({'ok' if ok else 'FAIL'})"
        rows.append(("Tessera", median, note))
    else:
        rows.append(("Tessera", None, f"tessera-compile: {result.describe()}"))

    # onnxruntime.
    if not args.skip_ort:
        if ensure_onnxruntime():
            argv = ["node", os.path.join(BENCH, "ort_latency.js"), model_path,
                    "--runs", str(args.runs), "--warmup", str(args.warmup),
                    "--threads", str(args.threads)]
            for f in inputs:
                argv += ["--input", f]
            run = run_tool(argv, 1800)
            median = parse_median(run.stdout) if run.ok else None
            version = re.search(r"onnxruntime ([0-9.]+)", run.stdout)
            note = (f"onnxruntime-node {version.group(1)}, CPU EP" if version else "CPU EP") \
                if run.ok else f"ort_latency.js: {run.describe()}"
            rows.append(("onnxruntime", median, note))
        else:
            rows.append(("onnxruntime", None, "onnxruntime-node not installed"))

    # PyTorch.
    if torch_model is not None and not args.skip_torch:
        import torch
        median = bench_torch(torch_model, x, args.runs, args.warmup)
        rows.append(("PyTorch", median, f"torch {torch.__version__}"))

    flops = model_flops(model_path)
    ort = next((m for r, m, _ in rows if r == "onnxruntime" and m), None)
    print()
    print(f"{name}, {args.threads} thread(s), median of {args.runs} runs"
          + (f", {flops / 1e9:.3g} GFLOP per inference (Conv/Gemm/MatMul)" if flops else ""))
    print()
    print("| runtime | median (ms) | GFLOP/s | vs onnxruntime | notes |")
    print("|---|---:|---:|---:|---|")
    for runtime, median, note in rows:
        ms = f"{median:.2f}" if median else "n/a"
        gflops = f"{flops / median / 1e6:.1f}" if median and flops else "n/a"
        ratio = f"{median / ort:.2f}x" if median and ort else "n/a"
        print(f"| {runtime} | {ms} | {gflops} | {ratio} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
