#!/usr/bin/python3
"""One-command CPU benchmark: Tessera vs onnxruntime vs PyTorch, plus the
machine's FMA peak and a GEMM sweep, all in the same run on the same machine.

  /usr/bin/python3 bench/run.py [--build build] [--work-dir BUILD/bench]
      [--threads 1,2] [--runs 30] [--warmup 5]
      [--models resnet18,mobilenet_v2,squeezenet1_1,resnet50] [--no-gemm]

For each torchvision model (torch.manual_seed(0) weights, eval, opset 14,
1x3x224x224) it exports ONNX, compiles it with tessera-compile (a model that
fails to compile is listed with the error and skipped), checks Tessera's
output against PyTorch's, then times Tessera (tessera-run --benchmark),
onnxruntime (bench/ort_latency.js, CPU EP, intraOpNumThreads=N) and PyTorch
(torch.set_num_threads(N)) at each thread count: medians of --runs runs after
warm-up. It measures the FP32 FMA peak with bench/fma_peak.c (cc -O3
-march=native), and times one-MatMul ONNX models (GFLOP/s, % of peak).
Writes WORK/report.md (and WORK/*.png when matplotlib is installed) and prints
the report. onnxruntime-node is installed into bench/node_modules when
missing (npm install --prefix bench --ignore-scripts onnxruntime-node).
"""

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time

import numpy as np

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, os.path.join(REPO, "test", "e2e"))
sys.path.insert(0, BENCH)
from check_model import relative_error_check, run_tool, tool_env  # noqa: E402
from resnet18_latency import ensure_onnxruntime, model_flops, parse_median  # noqa: E402

MODELS = ["resnet18", "mobilenet_v2", "squeezenet1_1", "resnet50"]
GEMMS = [  # (M, N, K): square, and shapes of ResNet-18's im2col contractions
    (256, 256, 256), (512, 512, 512), (1024, 1024, 1024),
    (64, 3136, 576), (128, 784, 1152), (256, 196, 2304), (512, 49, 4608),
    (1, 1000, 512),
]


def log(message):
    print(message, file=sys.stderr, flush=True)


def machine_description():
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()
    return (f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} "
            f"{platform.release()}; load average at start {load[0]:.2f}")


def fma_peak(work_dir, threads):
    exe = os.path.join(work_dir, "fma_peak")
    src = os.path.join(BENCH, "fma_peak.c")
    r = run_tool(["cc", "-O3", "-march=native", "-pthread", src, "-o", exe], 120)
    if not r.ok:
        log(f"fma_peak: {r.describe()}")
        return None
    r = run_tool([exe, str(threads)], 120)
    m = re.search(r"peak:\s*([0-9.]+)", r.stdout)
    return float(m.group(1)) if m else None


def export_model(name, model_dir):
    import torch
    import torchvision
    from torch_models import export
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)().eval()
    x = np.random.RandomState(0).standard_normal((1, 3, 224, 224)).astype(np.float32)
    if not os.path.exists(os.path.join(model_dir, "model.onnx")):
        export(model, x, model_dir)
    return model, x


def bench_torch(model, x, threads, runs, warmup):
    import torch
    torch.set_num_threads(threads)
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


def bench_tessera(args, library, inputs, threads, out_dir=None):
    argv = [args.tessera_run, library, "--benchmark", str(args.runs), f"--threads={threads}"]
    for f in inputs:
        argv += ["--input", f]
    if not inputs:
        argv.append("--random-inputs")
    if out_dir:
        argv += ["--output-dir", out_dir]
    r = run_tool(argv, 1800, env=tool_env(threads))
    return (parse_median(r.stdout) if r.ok else None), r


def bench_ort(args, model_path, inputs, threads):
    argv = ["node", os.path.join(BENCH, "ort_latency.js"), model_path, "--runs",
            str(args.runs), "--warmup", str(args.warmup), "--threads", str(threads)]
    for f in inputs:
        argv += ["--input", f]
    r = run_tool(argv, 1800)
    version = re.search(r"onnxruntime ([0-9.]+)", r.stdout)
    return (parse_median(r.stdout) if r.ok else None), (version.group(1) if version else None), r


def matmul_model(path, m, n, k):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    w = np.random.RandomState(1).standard_normal((k, n)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "w"], ["y"])], f"matmul_{m}x{n}x{k}",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])],
        [numpy_helper.from_array(w, "w")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    onnx.save(model, path)


def fmt(value, digits=2):
    return "n/a" if value is None else f"{value:.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.environ.get("TESSERA_BUILD_DIR",
                                                          os.path.join(REPO, "build")))
    parser.add_argument("--work-dir")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--no-gemm", action="store_true")
    parser.add_argument("--no-ort", action="store_true")
    parser.add_argument("--no-torch", action="store_true")
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    args.tessera_compile = os.path.join(args.build, "bin", "tessera-compile")
    args.tessera_run = os.path.join(args.build, "bin", "tessera-run")
    work = os.path.abspath(args.work_dir or os.path.join(args.build, "bench"))
    os.makedirs(work, exist_ok=True)
    thread_counts = [int(t) for t in args.threads.split(",")]
    models = [m for m in args.models.split(",") if m]

    report = ["# Tessera CPU benchmark", "",
              f"- machine: {machine_description()}",
              f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
              f"- medians of {args.runs} runs after warm-up; ONNX opset 14, batch 1, "
              "torchvision models with torch.manual_seed(0) weights",
              f"- command: `{' '.join([os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:])}`",
              ""]

    log("measuring the FMA peak ...")
    measured = {t: fma_peak(work, t) for t in thread_counts}
    # The per-core peak is a property of the hardware; a multi-thread
    # measurement drops when another process holds a core. Percentages use
    # threads x the best per-core value measured.
    per_core = max([p / t for t, p in measured.items() if p] or [0]) or None
    peaks = {t: per_core * t if per_core else None for t in thread_counts}
    report += ["## FP32 FMA peak (bench/fma_peak.c, 12 x 512-bit FMA chains per thread)", "",
               "| threads | measured GFLOP/s | peak used for % (threads x best per core) |",
               "|---:|---:|---:|"]
    report += [f"| {t} | {fmt(measured[t], 1)} | {fmt(peaks[t], 1)} |"
               for t in thread_counts] + [""]

    have_ort = not args.no_ort and ensure_onnxruntime()
    ort_version = None
    rows = []  # dicts
    notes = []
    for name in models:
        model_dir = os.path.join(work, name)
        log(f"{name}: export ...")
        try:
            torch_model, x = export_model(name, model_dir)
        except Exception as e:  # noqa: BLE001
            notes.append(f"{name}: export failed: {e}")
            continue
        model_path = os.path.join(model_dir, "model.onnx")
        inputs = [os.path.join(model_dir, "input_0.npy")]
        flops = model_flops(model_path)
        library = os.path.join(work, f"{name}.so")
        log(f"{name}: tessera-compile ...")
        r = run_tool([args.tessera_compile, model_path, "-o", library], 1800)
        compiled = r.ok
        check = "n/a"
        if not compiled:
            notes.append(f"{name}: skipped for Tessera, tessera-compile failed: "
                         f"{r.describe().splitlines()[0] if r.describe() else r.returncode}")
        for t in thread_counts:
            row = {"model": name, "threads": t, "gflop": flops / 1e9}
            if compiled:
                log(f"{name}: tessera-run --threads={t} ...")
                out_dir = os.path.join(work, f"{name}.out")
                row["tessera"], rr = bench_tessera(args, library, inputs, t, out_dir)
                if row["tessera"] is None:
                    notes.append(f"{name}, {t} thread(s): tessera-run failed: "
                                 f"{rr.describe().splitlines()[0]}")
                else:
                    actual = np.load(os.path.join(out_dir, "output_0.npy"))
                    expected = np.load(os.path.join(model_dir, "expected_0.npy"))
                    ok, error, _, _ = relative_error_check(actual, expected)
                    check = f"{'ok' if ok else 'FAIL'} ({error:.1e})"
            row["check"] = check
            if have_ort:
                log(f"{name}: onnxruntime --threads={t} ...")
                row["ort"], version, rr = bench_ort(args, model_path, inputs, t)
                ort_version = ort_version or version
                if row["ort"] is None:
                    notes.append(f"{name}: onnxruntime failed: {rr.describe().splitlines()[0]}")
            if not args.no_torch:
                log(f"{name}: PyTorch --threads={t} ...")
                row["torch"] = bench_torch(torch_model, x, t, args.runs, args.warmup)
            rows.append(row)

    import torch
    report += [f"## Models (latency in ms; onnxruntime-node {ort_version or '?'} CPU EP, "
               f"PyTorch {torch.__version__} eager)", "",
               "| model | GFLOP | threads | Tessera | onnxruntime | PyTorch | "
               "Tessera / ort | Tessera GFLOP/s (% of peak) | output vs PyTorch |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        tess, ort = row.get("tessera"), row.get("ort")
        ratio = f"{tess / ort:.2f}x" if tess and ort else "n/a"
        peak = peaks.get(row["threads"])
        if tess:
            gf = row["gflop"] / tess * 1e3
            eff = f"{gf:.0f} ({100 * gf / peak:.0f}%)" if peak else f"{gf:.0f}"
        else:
            eff = "n/a"
        report.append(f"| {row['model']} | {row['gflop']:.2f} | {row['threads']} | "
                      f"{fmt(tess)} | {fmt(ort)} | {fmt(row.get('torch'))} | {ratio} | "
                      f"{eff} | {row['check']} |")
    report.append("")

    gemm_rows = []
    if not args.no_gemm:
        gdir = os.path.join(work, "gemm")
        os.makedirs(gdir, exist_ok=True)
        for m, n, k in GEMMS:
            path = os.path.join(gdir, f"matmul_{m}x{n}x{k}.onnx")
            library = path[:-5] + ".so"
            matmul_model(path, m, n, k)
            log(f"GEMM {m}x{n}x{k} ...")
            r = run_tool([args.tessera_compile, path, "-o", library], 600)
            for t in thread_counts:
                ms = None
                if r.ok:
                    ms, _ = bench_tessera(args, library, [], t)
                gemm_rows.append((m, n, k, t, ms))
        report += ["## GEMM sweep (one-MatMul ONNX model, A[M,K] input x constant B[K,N], "
                   "tessera-run --benchmark)", "",
                   "| M | N | K | threads | ms | GFLOP/s | % of peak |",
                   "|---:|---:|---:|---:|---:|---:|---:|"]
        for m, n, k, t, ms in gemm_rows:
            gf = 2.0 * m * n * k / ms / 1e6 if ms else None
            pct = f"{100 * gf / peaks[t]:.0f}%" if gf and peaks.get(t) else "n/a"
            report.append(f"| {m} | {n} | {k} | {t} | {fmt(ms, 3)} | {fmt(gf, 1)} | {pct} |")
        report.append("")

    if notes:
        report += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(1, len(thread_counts), figsize=(5 * len(thread_counts), 4))
        axes = np.atleast_1d(axes)
        for ax, t in zip(axes, thread_counts):
            sel = [r for r in rows if r["threads"] == t]
            xs = np.arange(len(sel))
            for i, (key, label) in enumerate([("tessera", "Tessera"), ("ort", "onnxruntime"),
                                              ("torch", "PyTorch")]):
                ax.bar(xs + (i - 1) * 0.27, [r.get(key) or 0 for r in sel], 0.27, label=label)
            ax.set_xticks(xs, [r["model"] for r in sel], rotation=20)
            ax.set_ylabel("median latency (ms)")
            ax.set_title(f"{t} thread(s)")
            ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(work, "models.png"), dpi=100)
        report.append(f"Plot: `{os.path.join(work, 'models.png')}`")
    except ImportError:
        pass

    text = "\n".join(report) + "\n"
    with open(os.path.join(work, "report.md"), "w") as f:
        f.write(text)
    print(text)
    log(f"wrote {os.path.join(work, 'report.md')}")


if __name__ == "__main__":
    main()
