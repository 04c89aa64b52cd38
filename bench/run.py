#!/usr/bin/python3
"""One-command CPU benchmark: Tessera vs onnxruntime vs PyTorch on the model
zoo, plus the machine's FP32 FMA peak and GEMM and conv kernel sweeps, all in
the same run on the same machine.

  /usr/bin/python3 bench/run.py [--build build] [--work-dir BUILD/bench]
      [--threads 1,2] [--runs 30] [--rounds 3] [--warmup 5] [--models NAME,...]
      [--no-gemm] [--no-conv] [--no-ort] [--no-torch] [--quick]

Models (test/e2e/zoo.py builds them: seeded random weights, randomized
batch-norm statistics, opset 14): resnet18, resnet50, mobilenet_v2,
squeezenet1_1 (1x3x224x224) and transformer (2-layer encoder, 1x128 token
ids). Each is exported with PyTorch's reference output, compiled with
tessera-compile -O3 (wall time reported), checked against PyTorch, then timed
at each thread count: Tessera (tessera-run --benchmark, one warm-up run),
onnxruntime (bench/ort_latency.js, onnxruntime-node CPU EP,
intraOpNumThreads=N) and PyTorch eager (torch.set_num_threads(N)), medians of
--runs runs after --warmup warm-up runs. Tessera and onnxruntime alternate in
--rounds blocks (T O, O T, T O) and each reports the median of its block
medians, so a burst of load on this shared machine cannot land on one side only;
each round visits every thread count (1 2, 2 1, 1 2), for the same reason.

Kernel sweeps (bench/kernels.py): one-MatMul and one-Conv ONNX models with the
shapes of those models, timed with Tessera and onnxruntime, Tessera's output
checked against float64 numpy / PyTorch; GFLOP/s and % of the FMA peak that
bench/fma_peak.c measures (cc -O3 -march=native) at the start and the end of
the run (the better value counts).

Writes WORK/results.json, WORK/report.md (summary with the issue's acceptance
figures, tables, notes) and WORK/{models,ratios,gemm,conv}.png, and prints
the report. A model or kernel that fails to export, compile or run, a wrong
output, or a missing node / onnxruntime / torch is a note or a FAIL in the
report, never a crash. onnxruntime-node is installed into bench/node_modules
when missing (npm install --prefix bench --ignore-scripts onnxruntime-node).

--quick is a smoke run: 5 runs, 1 round, 2 warm-ups, 1 thread, no PyTorch timing,
resnet18 and transformer, two GEMMs and two convolutions (explicit options
still win).
"""

import argparse
import glob
import json
import os
import platform
import re
import shutil
import statistics
import sys
import time

# PyTorch runs in this process; its OpenMP threads would otherwise keep
# spinning after each measurement and steal the cores from the next
# tessera-run / onnxruntime child process (ResNet-50 at 2 threads measured
# 448 ms instead of ~130 ms that way). Set before torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, os.path.join(REPO, "test", "e2e"))
sys.path.insert(0, BENCH)
import kernels  # noqa: E402
import report  # noqa: E402
from check_model import relative_error_check, run_tool, tool_env  # noqa: E402
from resnet18_latency import ensure_onnxruntime, model_flops, parse_median  # noqa: E402

MODELS = report.ACCEPTANCE_MODELS
QUICK_MODELS = ["resnet18", "transformer"]


def log(message):
    print(message, file=sys.stderr, flush=True)


def first_line(result):
    """One line saying why a tool failed."""
    text = result.describe()
    return text.splitlines()[0] if text else f"exit status {result.returncode}"


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


def fma_peak(work_dir, threads, notes):
    exe = os.path.join(work_dir, "fma_peak")
    r = run_tool(["cc", "-O3", "-march=native", "-pthread",
                  os.path.join(BENCH, "fma_peak.c"), "-o", exe], 120)
    if not r.ok:
        notes.append(f"fma_peak.c did not build, no % of peak: {first_line(r)}")
        return None
    r = run_tool([exe, str(threads)], 300)
    m = re.search(r"peak:\s*([0-9.]+)", r.stdout)
    if not m:
        notes.append(f"fma_peak {threads}: {first_line(r)}")
    return float(m.group(1)) if m else None


# --- the three runtimes ---

def bench_tessera(args, library, inputs, threads, out_dir, runs=None):
    argv = [args.tessera_run, library, "--benchmark", str(runs or args.runs),
            f"--threads={threads}", "--output-dir", out_dir]
    for f in inputs:
        argv += ["--input", f]
    for f in glob.glob(os.path.join(out_dir, "output_*.npy")):
        os.remove(f)  # a stale output must not pass the check
    r = run_tool(argv, args.run_timeout, env=tool_env(threads))
    return (parse_median(r.stdout) if r.ok else None), r


def bench_ort(args, model_path, inputs, threads):
    argv = ["node", os.path.join(BENCH, "ort_latency.js"), model_path, "--runs",
            str(args.runs), "--warmup", str(args.warmup), "--threads", str(threads)]
    for f in inputs:
        argv += ["--input", f]
    r = run_tool(argv, args.run_timeout)
    version = re.search(r"onnxruntime ([0-9.]+)", r.stdout)
    return (parse_median(r.stdout) if r.ok else None), (version.group(1) if version else None), r


def bench_torch(args, name, threads):
    """PyTorch's median in a child process (bench/torch_latency.py): in this
    process its threads slowed the next Tessera and onnxruntime children."""
    r = run_tool([sys.executable, os.path.join(BENCH, "torch_latency.py"), name,
                  "--threads", str(threads), "--runs", str(args.runs),
                  "--warmup", str(args.warmup)], args.run_timeout)
    return (parse_median(r.stdout) if r.ok else None), r


def compile_model(args, model_path, library, extra=()):
    if os.path.exists(library):
        os.remove(library)
    return run_tool([args.tessera_compile, model_path, "-o", library, args.opt_level, *extra],
                    args.compile_timeout)


def check_output(out_dir, expected):
    """(check, error) of Tessera's output_0.npy against `expected`."""
    path = os.path.join(out_dir, "output_0.npy")
    try:
        actual = np.load(path)
    except (OSError, ValueError):  # missing or unreadable
        return "FAIL", None
    ok, error, _, _ = relative_error_check(actual, expected)
    return ("ok" if ok else "FAIL"), (error if np.isfinite(error) else None)


def run_tessera_and_ort(args, state, label, model_path, library, inputs, expected,
                        compiled, base_row):
    """Rows of one compiled model or kernel at every thread count.

    Tessera and onnxruntime are timed in --rounds alternating blocks (T O, O T,
    T O, ...) and each keeps the median of its block medians: on a shared
    machine load comes in bursts, and one burst during one runtime's only
    block would decide the ratio. Every round visits every thread count (in
    alternating order), so a slow phase of the machine cannot land on one
    thread count only either (it decided ResNet-50's 2-thread speedup once)."""
    out_dir = library[:-3] + ".out"
    rows = {t: dict(base_row, threads=t, tessera=None, ort=None, error=None,
                    check=None if compiled else "FAIL", tessera_rounds=[], ort_rounds=[])
            for t in args.thread_list}
    for round_index in range(args.rounds):
        order = ("tessera", "ort") if round_index % 2 == 0 else ("ort", "tessera")
        threads = args.thread_list if round_index % 2 == 0 else args.thread_list[::-1]
        for t in threads:
            row = rows[t]
            for runtime in order:
                if runtime == "tessera" and compiled and row["check"] != "FAIL":
                    log(f"{label}: tessera-run --threads={t} (round {round_index + 1}) ...")
                    ms, r = bench_tessera(args, library, inputs, t, out_dir)
                    if ms is None:
                        state["notes"].append(f"{label}, {t} thread(s): tessera-run failed: "
                                              f"{first_line(r)}")
                        row["check"] = "FAIL"
                        continue
                    row["tessera_rounds"].append(ms)
                    if expected is not None and row["check"] in (None, "ok"):
                        row["check"], row["error"] = check_output(out_dir, expected)
                if runtime == "ort" and state["have_ort"] and \
                        (round_index == 0 or row["ort_rounds"]):
                    log(f"{label}: onnxruntime --threads={t} (round {round_index + 1}) ...")
                    ms, version, r = bench_ort(args, model_path, inputs, t)
                    state["ort_version"] = state["ort_version"] or version
                    if ms is None:
                        state["notes"].append(f"{label}, {t} thread(s): onnxruntime failed: "
                                              f"{first_line(r)}")
                        continue
                    row["ort_rounds"].append(ms)
    for row in rows.values():
        if row["check"] != "FAIL" and row["tessera_rounds"]:
            row["tessera"] = statistics.median(row["tessera_rounds"])
        if row["ort_rounds"]:
            row["ort"] = statistics.median(row["ort_rounds"])
    return [rows[t] for t in args.thread_list]


# --- models ---

def bench_model(args, state, name):
    import zoo
    from torch_models import export
    build, compile_args = zoo.MODELS[name]
    model_dir = os.path.join(args.work, name)
    log(f"{name}: export ...")
    try:
        torch_model, x, options = build()
        expected = export(torch_model, x, model_dir, **options)
    except Exception as e:  # noqa: BLE001 - any export failure is a note
        state["notes"].append(f"{name}: export failed: {type(e).__name__}: {e}")
        return []
    model_path = os.path.join(model_dir, "model.onnx")
    inputs = [os.path.join(model_dir, "input_0.npy")]
    try:
        gflop = model_flops(model_path) / 1e9
    except Exception:  # noqa: BLE001 - FLOP count is informative only
        gflop = None
    library = os.path.join(args.work, f"{name}.so")
    log(f"{name}: tessera-compile {args.opt_level} ...")
    r = compile_model(args, model_path, library, compile_args)
    if not r.ok:
        state["notes"].append(f"{name}: tessera-compile failed after {r.seconds:.1f} s, "
                              f"skipped for Tessera: {first_line(r)}")
    base = {"model": name, "gflop": gflop, "compile_s": r.seconds, "compiled": r.ok}
    rows = run_tessera_and_ort(args, state, name, model_path, library, inputs, expected,
                               r.ok, base)
    if state.get("have_vulkan"):
        vulkan_ms = bench_vulkan(args, state, name, model_path, inputs, expected, compile_args)
        for row in rows:
            row["vulkan"], row["vulkan_check"] = vulkan_ms
    if not args.no_torch:
        for row in rows:
            log(f"{name}: PyTorch --threads={row['threads']} ...")
            row["torch"], r = bench_torch(args, name, row["threads"])
            if row["torch"] is None:
                state["notes"].append(f"{name}, {row['threads']} thread(s): PyTorch timing "
                                      f"failed: {first_line(r)}")
    return rows


def bench_vulkan(args, state, name, model_path, inputs, expected, compile_args):
    """The model on the Vulkan device (lavapipe on these machines: a CPU
    driver, so this measures the GPU code path, not a GPU): (median ms or
    None, check)."""
    library = os.path.join(args.work, f"{name}.vulkan.so")
    log(f"{name}: tessera-compile --target=vulkan ...")
    r = compile_model(args, model_path, library, [*compile_args, "--target=vulkan"])
    if not r.ok:
        state["notes"].append(f"{name}: --target=vulkan failed to compile: {first_line(r)}")
        return None, "FAIL"
    out_dir = library[:-3] + ".out"
    log(f"{name}: tessera-run on vulkan ...")
    ms, r = bench_tessera(args, library, inputs, 1, out_dir, runs=args.vulkan_runs)
    if ms is None:
        state["notes"].append(f"{name}: vulkan run failed: {first_line(r)}")
        return None, "FAIL"
    return ms, check_output(out_dir, expected)[0]


def have_vulkan(args, notes):
    if args.no_vulkan:
        return False
    r = run_tool([args.tessera_run, "--list-devices"], 60)
    if not any(line.startswith("vulkan ") for line in r.stdout.splitlines()):
        notes.append("no Vulkan device: the Vulkan column is empty")
        return False
    return True


# --- kernel sweeps ---

def bench_kernel(args, state, label, model_path, make_model, base_row):
    """Writes the model (make_model(path) -> (input, reference or None)),
    compiles it and times it."""
    x, expected = make_model(model_path)
    input_path = model_path[:-5] + ".input.npy"
    np.save(input_path, x)
    library = model_path[:-5] + ".so"
    log(f"{label}: tessera-compile ...")
    r = compile_model(args, model_path, library)
    if not r.ok:
        state["notes"].append(f"{label}: tessera-compile failed: {first_line(r)}")
    base = dict(base_row, compile_s=r.seconds)
    return run_tessera_and_ort(args, state, label, model_path, library, [input_path],
                               expected, r.ok, base)


def gemm_sweep(args, state, shapes):
    folder = os.path.join(args.work, "gemm")
    os.makedirs(folder, exist_ok=True)
    rows = []
    for m, n, k in shapes:
        def make(path, m=m, n=n, k=k):
            a, w = kernels.gemm_model(path, m, n, k)
            return a, kernels.gemm_reference(a, w)
        label = kernels.gemm_key(m, n, k)
        try:
            rows += bench_kernel(args, state, label, os.path.join(folder, label + ".onnx"),
                                 make, {"m": m, "n": n, "k": k,
                                        "gflop": kernels.gemm_flops(m, n, k) / 1e9})
        except Exception as e:  # noqa: BLE001 - one kernel must not end the run
            state["notes"].append(f"{label}: {type(e).__name__}: {e}")
    return rows


def conv_sweep(args, state, shapes):
    folder = os.path.join(args.work, "conv")
    os.makedirs(folder, exist_ok=True)
    rows = []
    for c in shapes:
        def make(path, c=c):
            x, w, b = kernels.conv_model(path, c)
            try:
                reference = kernels.conv_reference(c, x, w, b)
            except ImportError:
                reference = None
            return x, reference
        label = kernels.conv_key(c)
        try:
            rows += bench_kernel(args, state, label, os.path.join(folder, label + ".onnx"),
                                 make, {"name": c.name, "label": kernels.conv_label(c),
                                        "gflop": kernels.conv_flops(c) / 1e9})
        except Exception as e:  # noqa: BLE001 - one kernel must not end the run
            state["notes"].append(f"{label}: {type(e).__name__}: {e}")
    return rows


# --- driver ---

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.environ.get("TESSERA_BUILD_DIR",
                                                          os.path.join(REPO, "build")),
                        help="build folder with bin/tessera-compile and bin/tessera-run")
    parser.add_argument("--work-dir", help="where models, artifacts, the report and the "
                        "plots go (default: BUILD/bench)")
    parser.add_argument("--threads", help="thread counts, comma-separated (default: 1,2)")
    parser.add_argument("--runs", type=int, help="timed runs per measurement (default: 30)")
    parser.add_argument("--warmup", type=int, help="warm-up runs (default: 5)")
    parser.add_argument("--rounds", type=int, help="alternating Tessera/onnxruntime blocks of "
                        "--runs runs; each reports the median of its block medians "
                        "(default: 3)")
    parser.add_argument("--models", help="comma-separated (default: " + ",".join(MODELS) + ")")
    parser.add_argument("--opt-level", default="-O3", choices=["-O0", "-O1", "-O2", "-O3"])
    parser.add_argument("--no-gemm", action="store_true", help="skip the GEMM sweep")
    parser.add_argument("--no-conv", action="store_true", help="skip the conv sweep")
    parser.add_argument("--no-ort", action="store_true", help="skip onnxruntime")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch timing")
    parser.add_argument("--no-vulkan", action="store_true",
                        help="skip the models on the Vulkan device (lavapipe here)")
    parser.add_argument("--vulkan-runs", type=int, default=5,
                        help="timed runs on Vulkan (lavapipe is slow; default: 5)")
    parser.add_argument("--no-plots", action="store_true")
    parser.add_argument("--quick", action="store_true", help="smoke run (see above)")
    parser.add_argument("--compile-timeout", type=float, default=1800)
    parser.add_argument("--run-timeout", type=float, default=1800)
    args = parser.parse_args(argv)
    quick = args.quick
    args.threads = args.threads or ("1" if quick else "1,2")
    args.runs = args.runs if args.runs is not None else (5 if quick else 30)
    args.warmup = args.warmup if args.warmup is not None else (2 if quick else 5)
    args.rounds = args.rounds if args.rounds is not None else (1 if quick else 3)
    args.models = args.models if args.models is not None else \
        ",".join(QUICK_MODELS if quick else MODELS)
    args.no_torch = args.no_torch or quick
    import zoo
    unknown = [m for m in args.models.split(",") if m and m not in zoo.MODELS]
    if unknown:
        parser.error(f"--models: unknown {', '.join(unknown)} (known: "
                     f"{', '.join(sorted(zoo.MODELS))})")
    args.gemms = kernels.QUICK_GEMMS if quick else kernels.GEMMS
    args.convs = kernels.QUICK_CONVS if quick else kernels.CONVS
    try:
        args.thread_list = [int(t) for t in args.threads.split(",") if t]
    except ValueError:
        parser.error(f"--threads: expected numbers like 1,2, got '{args.threads}'")
    if not args.thread_list or min(args.thread_list) < 1:
        parser.error("--threads: thread counts must be at least 1")
    if args.runs < 1 or args.warmup < 0 or args.rounds < 1:
        parser.error("--runs and --rounds must be at least 1 and --warmup at least 0")
    args.build = os.path.abspath(args.build)
    args.tessera_compile = os.path.join(args.build, "bin", "tessera-compile")
    args.tessera_run = os.path.join(args.build, "bin", "tessera-run")
    for tool in (args.tessera_compile, args.tessera_run):
        if not os.access(tool, os.X_OK):
            parser.error(f"{tool} not found: build it or pass --build")
    args.work = os.path.abspath(args.work_dir or os.path.join(args.build, "bench"))
    return args


def have_onnxruntime(args, notes):
    if args.no_ort:
        return False
    if not shutil.which("node"):
        notes.append("onnxruntime skipped: node is not installed (apt-get install nodejs npm)")
        return False
    if not ensure_onnxruntime():
        notes.append("onnxruntime skipped: onnxruntime-node is not in bench/node_modules and "
                     "npm install failed (npm install --prefix bench --ignore-scripts "
                     "onnxruntime-node)")
        return False
    return True


def torch_version():
    try:
        import torch
        return torch.__version__
    except ImportError:
        return None


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    results = {
        "machine": machine_description(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": " ".join(["/usr/bin/python3", os.path.relpath(os.path.abspath(sys.argv[0]),
                                                                  REPO)] + sys.argv[1:]),
        "runs": args.runs, "rounds": args.rounds, "warmup": args.warmup, "threads": args.thread_list,
        "opt_level": args.opt_level, "torch_version": torch_version(),
    }
    notes = []
    state = {"notes": notes, "ort_version": None, "have_ort": have_onnxruntime(args, notes),
             "have_vulkan": have_vulkan(args, notes)}

    log("measuring the FMA peak ...")
    peak_at_start = {t: fma_peak(args.work, t, notes) for t in args.thread_list}
    if results["torch_version"] is None:
        notes.append("PyTorch is not installed: no models (they are exported from PyTorch), "
                     "no conv references (apt-get install python3-torch python3-torchvision)")
    results["models"] = []
    for name in [m for m in args.models.split(",") if m]:
        try:
            results["models"] += bench_model(args, state, name)
        except Exception as e:  # noqa: BLE001 - one model must not end the run
            notes.append(f"{name}: {type(e).__name__}: {e}")
    results["gemm"] = [] if args.no_gemm else gemm_sweep(args, state, args.gemms)
    results["conv"] = [] if args.no_conv else conv_sweep(args, state, args.convs)
    # Measured again at the end, keeping the better value: a peak measured
    # while another process held a core would inflate every percentage.
    log("measuring the FMA peak again ...")
    results["peak"] = []
    for t in args.thread_list:
        values = [v for v in (peak_at_start[t], fma_peak(args.work, t, [])) if v]
        results["peak"].append({"threads": t, "measured": max(values, default=None)})
    results["ort_version"] = state["ort_version"]
    results["load_end"] = os.getloadavg()[0]
    if results["load_end"] > 0.5 * (os.cpu_count() or 1):
        notes.append(f"the machine was busy (load average {results['load_end']:.2f} at the end "
                     f"on {os.cpu_count()} logical CPUs): timings are pessimistic, multi-thread "
                     "ones most; rerun on a quiet machine for numbers to publish")
    results["notes"] = notes

    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    plots = [] if args.no_plots else report.plot(results, args.work)
    if not args.no_plots and not plots:
        notes.append("no plots: matplotlib is not installed (apt-get install python3-matplotlib)")
    text = report.render(results, plots) + "\n"
    with open(os.path.join(args.work, "report.md"), "w") as f:
        f.write(text)
    print(text)
    log(f"wrote {os.path.join(args.work, 'report.md')}, results.json and "
        f"{len(plots)} plot(s) in {args.work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
