#!/usr/bin/env python3
"""Runs a bundle made by scripts/gpu_prepare.py on a GPU machine and writes one
report (Markdown + JSON).

The GPU machine has no LLVM, no protobuf and no Tessera compiler: it has this
script, numpy, the bundle (libtessera_runtime.so, compiled --target=cuda
artifacts, inputs and expected outputs as .npy), and optionally PyTorch and
onnxruntime for the peer timings. Tessera's artifacts are driven through the
runtime's C API with ctypes.

  python3 gpu_check.py BUNDLE_DIR --out OUT_DIR [--runs N] [--skip-conformance]
      [--deadline SECONDS] [--sections gemm,models,conformance]

Kernels that have never run on a GPU may hang or crash the process, so each
section runs its items in a child process (`--worker`) that appends one JSON
line per item; a child that stops making progress for the item's timeout is
killed, the item is reported as hung (or crashed) and a new child goes on
with the rest. The report is rewritten after every section, and the sections
still pending at --deadline are reported as not run.
"""
import argparse
import ctypes
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

DTYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16, 6: np.int32,
          7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64, 12: np.uint32,
          13: np.uint64}


class TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int), ("rank", ctypes.c_int32),
                ("dims", ctypes.POINTER(ctypes.c_int64)), ("num_elements", ctypes.c_int64),
                ("size_bytes", ctypes.c_uint64)]


class Runtime:
    """The C API of libtessera_runtime (include/tessera-c/Runtime.h)."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        lib = self.lib
        lib.tessera_last_error.restype = ctypes.c_char_p
        lib.tessera_model_load.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
        lib.tessera_model_free.argtypes = [ctypes.c_void_p]
        for f in ("tessera_model_num_inputs", "tessera_model_num_outputs"):
            getattr(lib, f).argtypes = [ctypes.c_void_p]
            getattr(lib, f).restype = ctypes.c_int32
        for f in ("tessera_model_input_info", "tessera_model_output_info"):
            getattr(lib, f).argtypes = [ctypes.c_void_p, ctypes.c_int32,
                                        ctypes.POINTER(TensorInfo)]
        lib.tessera_model_run.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p),
                                          ctypes.POINTER(ctypes.c_void_p)]

    def error(self):
        return self.lib.tessera_last_error().decode(errors="replace")


class Model:
    def __init__(self, runtime, path):
        self.rt = runtime
        self.handle = ctypes.c_void_p()
        if runtime.lib.tessera_model_load(path.encode(), ctypes.byref(self.handle)) != 0:
            raise RuntimeError(runtime.error())
        self.inputs = [self._info(runtime.lib.tessera_model_input_info, i)
                       for i in range(runtime.lib.tessera_model_num_inputs(self.handle))]
        self.outputs = [self._info(runtime.lib.tessera_model_output_info, i)
                        for i in range(runtime.lib.tessera_model_num_outputs(self.handle))]

    def _info(self, fn, i):
        info = TensorInfo()
        if fn(self.handle, i, ctypes.byref(info)) != 0:
            raise RuntimeError(self.rt.error())
        shape = tuple(info.dims[d] for d in range(info.rank))
        return info.name.decode(), DTYPES[info.dtype], shape

    def run(self, arrays):
        ins = [np.ascontiguousarray(a, dtype=dt).reshape(shape)
               for a, (_, dt, shape) in zip(arrays, self.inputs)]
        outs = [np.empty(shape, dtype=dt) for _, dt, shape in self.outputs]
        in_ptrs = (ctypes.c_void_p * max(1, len(ins)))(*[a.ctypes.data for a in ins])
        out_ptrs = (ctypes.c_void_p * max(1, len(outs)))(*[a.ctypes.data for a in outs])
        if self.rt.lib.tessera_model_run(self.handle, in_ptrs, out_ptrs) != 0:
            raise RuntimeError(self.rt.error())
        return outs

    def time(self, arrays, runs, warmup=3):
        for _ in range(warmup):
            self.run(arrays)
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            self.run(arrays)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples) * 1e3

    def close(self):
        self.rt.lib.tessera_model_free(self.handle)


def compare(actual, expected, rtol, atol):
    if actual.shape != expected.shape:
        return f"shape {actual.shape} != {expected.shape}"
    if expected.dtype.kind in "fc":
        a = actual.astype(np.float64)
        e = expected.astype(np.float64)
        nan = np.isnan(e)
        if not np.array_equal(nan, np.isnan(a)):
            return "NaN mismatch"
        ok = np.isclose(a[~nan], e[~nan], rtol=rtol, atol=atol)
        if not ok.all():
            worst = np.max(np.abs(a[~nan] - e[~nan]))
            return f"max abs error {worst:.3g}"
        return None
    return None if np.array_equal(actual, expected) else "values differ"


def load_arrays(folder, stem):
    files = sorted((f for f in os.listdir(folder) if f.startswith(stem) and f.endswith(".npy")),
                   key=lambda f: int(f[len(stem):-4]))
    return [np.load(os.path.join(folder, f), allow_pickle=False) for f in files]


def conformance_item(rt, bundle, name, runs):
    folder = os.path.join(bundle, "conformance", name)
    model = Model(rt, os.path.join(folder, "model.so"))
    try:
        outs = model.run(load_arrays(folder, "input_"))
    finally:
        model.close()
    problems = [compare(o, e, 1e-3, 1e-5) for o, e in zip(outs, load_arrays(folder, "expected_"))]
    problems = [p for p in problems if p]
    return {"name": name, "result": "pass" if not problems else "wrong: " + "; ".join(problems)}


def cuda_event_ms(fn, runs, warmup=3):
    """Median GPU time (ms) of fn() between two CUDA events, after warm-up."""
    import torch
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    samples = []
    for _ in range(runs):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        samples.append(start.elapsed_time(end))
    return statistics.median(samples)


def torch_gemm_ms(m, k, n, dtype, runs):
    """cuBLAS through PyTorch: f32, tf32 (f32 with allow_tf32), f16, bf16."""
    import torch
    dt = {"f32": torch.float32, "tf32": torch.float32, "f16": torch.float16,
          "bf16": torch.bfloat16}[dtype.split("_")[0]]
    torch.backends.cuda.matmul.allow_tf32 = dtype == "tf32"
    try:
        a = torch.randn(m, k, device="cuda", dtype=dt)
        b = torch.randn(k, n, device="cuda", dtype=dt)
        return cuda_event_ms(lambda: torch.matmul(a, b), runs)
    finally:
        torch.backends.cuda.matmul.allow_tf32 = False


def round_to_bf16(x):
    """f32 values rounded to bf16 (nearest even), as f32: what the bf16
    GEMM's Cast nodes give the product."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.astype(np.uint32).view(np.float32)


# Largest error of a GEMM's output, relative to the output's RMS, per
# product type. For standard-normal inputs the output's RMS is sqrt(n):
# f16/bf16 outputs are rounded to 11/8 significant bits (half an ulp of the
# largest values, ~5.5 RMS, is 2e-3 / 1.6e-2 RMS); TF32 keeps 10 mantissa
# bits of each operand (an error of ~2^-10 per product, sqrt(n) of them).
GEMM_TOLERANCE = {"f32": 1e-4, "tf32": 2e-2, "f16": 1e-2, "bf16": 4e-2}


def gemm_reference(a, b):
    """a @ b in f64 (on the GPU when PyTorch has one, as numpy may be slow)."""
    try:
        import torch
        if torch.cuda.is_available():
            ta = torch.from_numpy(a.astype(np.float64)).cuda()
            tb = torch.from_numpy(b.astype(np.float64)).cuda()
            return (ta @ tb).cpu().numpy()
    except ImportError:
        pass
    return a.astype(np.float64) @ b.astype(np.float64)


def check_gemm(out, a, b, dtype, trans_b=False, trans_a=False, bias=None):
    """Compares a GEMM's output with the f64 product of the inputs it
    multiplied (a, b transposed with trans_a, trans_b) plus `bias` (a row
    added to every row); returns (relative error, tolerance)."""
    dtype = dtype.split("_")[0]
    if dtype == "bf16":
        a, b = round_to_bf16(a), round_to_bf16(b)
    ref = gemm_reference(np.ascontiguousarray(a.T) if trans_a else a,
                         np.ascontiguousarray(b.T) if trans_b else b)
    if bias is not None:
        ref = ref + bias.astype(np.float64)
    scale = float(np.sqrt(np.mean(ref * ref))) or 1.0
    diff = np.abs(out.astype(np.float64) - ref) / scale
    tol = GEMM_TOLERANCE[dtype]
    diagnosis = {}
    bad = diff > tol
    if bad.any():
        # Where a wrong kernel goes wrong: how much, the first element, and
        # which rows/columns modulo the fragment and tile sizes are hit.
        rows, cols = np.nonzero(bad)
        diagnosis = {"bad_fraction": float(bad.mean()),
                     "first_bad": [int(rows[0]), int(cols[0])],
                     "bad_rows_mod16": sorted(set(int(r) % 16 for r in rows[:4096])),
                     "bad_cols_mod8": sorted(set(int(c) % 8 for c in cols[:4096])),
                     "bad_row_tiles_128": sorted(set(int(r) // 128 for r in rows[:4096]))[:16],
                     "out_zero_fraction": float(np.mean(out == 0)),
                     "out_nan_fraction": float(np.mean(np.isnan(out.astype(np.float64))))}
    return float(np.nanmax(diff)) if not np.isnan(diff).all() else float("nan"), tol, diagnosis


KERNEL_TIMER = "libcuda_kernel_timer.so"


def kernel_times(bundle, folder, runs):
    """In this process, started by kernel_times_in_child with TESSERA_CUDA_LIBRARY
    naming the kernel timer: runs the artifact in `folder` (a GEMM or a
    model) and returns the medians over runs of its longest kernel and of
    all its kernels (ms), and its number of launches."""
    rt = Runtime(os.path.join(bundle, "lib", "libtessera_runtime.so"))
    model = Model(rt, os.path.join(folder, "model.so"))  # loads the timer
    timer = ctypes.CDLL(os.environ["TESSERA_CUDA_LIBRARY"])
    timer.tessera_kernel_times.argtypes = [ctypes.POINTER(ctypes.c_float), ctypes.c_int]
    arrays = load_arrays(folder, "input_")
    if not arrays:  # the GEMMs: random operands, as gemm_item's
        rng = np.random.default_rng(0)
        arrays = [rng.standard_normal(shape).astype(dt) for _, dt, shape in model.inputs]
    times = (ctypes.c_float * 4096)()
    longest, total = [], []
    for i in range(runs + 2):
        model.run(arrays)
        count = timer.tessera_kernel_times(times, len(times))
        if count <= 0:
            raise RuntimeError("the kernel timer saw no launches")
        if i >= 2:  # warm-up runs
            values = list(times[:min(count, len(times))])
            longest.append(max(values))
            total.append(sum(values))
    model.close()
    return {"kernel_ms": statistics.median(longest),
            "kernels_total_ms": statistics.median(total), "launches": count}


def kernel_times_in_child(bundle, folder, runs, timeout=120):
    """GPU time of the kernels of the artifact in `folder`, measured in a
    child process that loads the driver through the bundle's kernel timer
    (cuda_kernel_timer.c)."""
    timer = os.path.abspath(os.path.join(bundle, "lib", KERNEL_TIMER))
    if not os.path.exists(timer):
        raise RuntimeError(f"the bundle has no {KERNEL_TIMER}")
    env = dict(os.environ, TESSERA_CUDA_LIBRARY=timer)
    result = subprocess.run([sys.executable, os.path.abspath(__file__), bundle,
                             "--kernel-times", folder, "--runs", str(runs)],
                            capture_output=True, text=True, env=env, timeout=timeout)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise RuntimeError(lines[-1] if lines else "the kernel timer failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def gemm_item(rt, bundle, name, runs):
    folder = os.path.join(bundle, "gemm", name)
    meta = json.load(open(os.path.join(folder, "gemm.json")))
    m, k, n = (meta[d] for d in "mkn") if "m" in meta else (meta["n"],) * 3
    dtype = meta["dtype"]
    row = {"name": name, "m": m, "k": k, "n": n, "dtype": dtype}
    tiles = [f.split("=", 1)[1] for f in meta.get("flags", [])
             if f.startswith("--cuda-tensor-core-tiles=")]
    if tiles:
        row["tiles"] = tiles[0]
    archs = [f.split("=", 1)[1] for f in meta.get("flags", [])
             if f.startswith("--cuda-arch=")]
    if archs:
        row["arch"] = archs[0]
    flops = 2.0 * m * n * k
    try:
        model = Model(rt, os.path.join(folder, "model.so"))
        rng = np.random.default_rng(0)
        a, b = (rng.standard_normal(shape).astype(dt) for _, dt, shape in model.inputs)
        out = model.run([a, b])[0]
        # The bias of gpu_prepare.py's "f16_bias" GEMM.
        bias = np.linspace(-1, 1, n).astype(np.float16) if meta.get("bias") else None
        err, tol, diagnosis = check_gemm(out, a, b, dtype, meta.get("trans_b", False),
                                         meta.get("trans_a", False), bias)
        row.update(max_error=err, tolerance=tol, ok=bool(err <= tol), **diagnosis)
        ms = model.time([a, b], runs, warmup=2)
        model.close()
        row.update(tessera_ms=ms, tessera_tflops=flops / ms / 1e9)
    except Exception as e:
        row["tessera_error"] = str(e)
    try:
        row.update(kernel_times_in_child(bundle, folder, runs))
        row["kernel_tflops"] = flops / row["kernel_ms"] / 1e9
    except Exception as e:
        row["kernel_timer_error"] = str(e)
    try:
        ms = torch_gemm_ms(m, k, n, dtype, runs)
        row.update(cublas_ms=ms, cublas_tflops=flops / ms / 1e9)
    except Exception as e:
        row["cublas_error"] = str(e)
    # Whole runs include the PCIe copies of inputs and output, which the
    # cuBLAS time does not: the kernel's percentage is the one to compare.
    if "tessera_ms" in row and "cublas_ms" in row:
        row["percent_of_cublas"] = 100.0 * row["cublas_ms"] / row["tessera_ms"]
    if "kernel_ms" in row and "cublas_ms" in row:
        row["kernel_percent_of_cublas"] = 100.0 * row["cublas_ms"] / row["kernel_ms"]
    return row


def ort_ms(onnx_path, inputs, runs):
    """onnxruntime's median run (ms) and its provider: CUDA where this
    onnxruntime has it, else its CPU provider (all cores)."""
    import onnxruntime as ort
    provider = ("CUDAExecutionProvider" if "CUDAExecutionProvider" in
                ort.get_available_providers() else "CPUExecutionProvider")
    session = ort.InferenceSession(onnx_path, providers=[provider])
    feeds = {i.name: a for i, a in zip(session.get_inputs(), inputs)}
    for _ in range(3):
        session.run(None, feeds)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feeds)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e3, provider.replace("ExecutionProvider", "")


def torch_model_ms(bundle, zoo_name, runs):
    """PyTorch eager on the GPU, the same architecture with its own random
    weights (times do not depend on the values): the forward on a device-
    resident input (CUDA events) with TF32 off (Tessera's f32 arithmetic) and
    with PyTorch's default (cuDNN convolutions in TF32), and the whole call
    from and to host memory (wall clock), which Tessera's run is."""
    import torch
    sys.path.insert(0, os.path.join(bundle, "peers"))
    import zoo
    model, x, _ = zoo.MODELS[zoo_name][0]()
    model = model.cuda().eval()
    host = torch.from_numpy(x)
    dev = host.cuda()
    result = {}
    with torch.no_grad():
        for key, tf32 in (("torch_ms", False), ("torch_tf32_ms", True)):
            torch.backends.cudnn.allow_tf32 = tf32
            torch.backends.cuda.matmul.allow_tf32 = tf32
            result[key] = cuda_event_ms(lambda: model(dev), runs, warmup=5)
        # PyTorch's own TF32 error on this model (same weights, TF32 vs
        # f32), the yardstick for Tessera's --allow-tf32 error.
        outputs = {}
        for tf32 in (False, True):
            torch.backends.cudnn.allow_tf32 = tf32
            torch.backends.cuda.matmul.allow_tf32 = tf32
            outputs[tf32] = model(dev).double().cpu()
        result["torch_tf32_relative_error"] = float(
            (outputs[True] - outputs[False]).abs().max() / outputs[False].abs().max())
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cuda.matmul.allow_tf32 = False
        samples = []
        for i in range(runs + 3):
            start = time.perf_counter()
            model(host.cuda()).cpu()
            if i >= 3:
                samples.append((time.perf_counter() - start) * 1e3)
        result["torch_host_ms"] = statistics.median(samples)
    return result


def model_item(rt, bundle, name, runs):
    folder = os.path.join(bundle, "models", name)
    meta_path = os.path.join(folder, "model.json")
    meta = json.load(open(meta_path)) if os.path.exists(meta_path) else {}
    row = {"name": name, "flags": meta.get("flags", [])}
    inputs = load_arrays(folder, "input_")
    try:
        model = Model(rt, os.path.join(folder, "model.so"))
        start = time.perf_counter()
        outs = model.run(inputs)  # the first run uploads the weights
        row["first_run_ms"] = (time.perf_counter() - start) * 1e3
        expected = load_arrays(folder, "expected_")
        scale = max(float(np.max(np.abs(e))) for e in expected) or 1.0
        err = max(float(np.max(np.abs(o.astype(np.float64) - e))) for o, e in zip(outs, expected))
        tolerance = meta.get("tolerance", 1e-4)
        row.update(max_error=err, relative_error=err / scale, tolerance=tolerance,
                   ok=bool(err <= tolerance * scale))
        row["tessera_ms"] = model.time(inputs, runs)
        model.close()
    except Exception as e:
        row["tessera_error"] = str(e)
    try:
        times = kernel_times_in_child(bundle, folder, runs)
        row.update(kernels_total_ms=times["kernels_total_ms"], launches=times["launches"],
                   longest_kernel_ms=times["kernel_ms"])
    except Exception as e:
        row["kernel_timer_error"] = str(e)
    if "zoo" in meta:
        try:
            row.update(torch_model_ms(bundle, meta["zoo"], runs))
        except Exception as e:
            row["torch_error"] = str(e)
    onnx_path = os.path.join(folder, meta.get("onnx", "model.onnx"))
    if os.path.exists(onnx_path):
        try:
            row["ort_ms"], row["ort_provider"] = ort_ms(onnx_path, inputs, runs)
        except Exception as e:
            row["ort_error"] = str(e)
    return row


ITEMS = {"gemm": gemm_item, "models": model_item, "conformance": conformance_item}
# Seconds without progress after which an item counts as hung.
ITEM_TIMEOUT = {"gemm": 90, "models": 120, "conformance": 20}


def run_worker(bundle, section, names, results, runs):
    """The child: one JSON line per item, appended as each one ends."""
    rt = Runtime(os.path.join(bundle, "lib", "libtessera_runtime.so"))
    for name in names:
        try:
            row = ITEMS[section](rt, bundle, name, runs)
        except Exception as e:  # a failure of this item, not of the check
            row = {"name": name, "result": f"error: {e}"}
        with open(results, "a") as f:
            f.write(json.dumps(row) + "\n")


def read_rows(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.endswith("\n")]


def run_section(bundle, section, runs, deadline, log, item_timeout=None):
    """Runs the section's items in child processes; returns their rows, with
    a row for an item that hung or crashed its child, and None for those not
    reached before the deadline."""
    root = os.path.join(bundle, section)
    if not os.path.isdir(root):
        return []
    names = sorted(os.listdir(root))
    results = tempfile.NamedTemporaryFile(prefix=f"gpu-check-{section}-", suffix=".jsonl",
                                          delete=False).name
    timeout = item_timeout or ITEM_TIMEOUT[section]
    rows = []
    while len(rows) < len(names):
        pending = names[len(rows):]
        if time.monotonic() > deadline:
            rows += [{"name": n, "result": "not run (deadline)"} for n in pending]
            break
        child = subprocess.Popen([sys.executable, os.path.abspath(__file__), bundle, "--worker",
                                  section, "--results", results, "--runs", str(runs),
                                  "--items", ",".join(pending)],
                                 stdout=log, stderr=log)
        done, last_progress = len(read_rows(results)), time.monotonic()
        while child.poll() is None:
            time.sleep(0.2)
            now = len(read_rows(results))
            if now != done:
                done, last_progress = now, time.monotonic()
            elif (time.monotonic() - last_progress > timeout
                  or time.monotonic() > deadline + timeout):
                child.kill()
                child.wait()
        rows = read_rows(results)
        if len(rows) < len(names):
            # The child stopped inside the next item: that item hung or crashed.
            code = child.returncode
            why = "hung (killed)" if code == -9 else f"crashed the process (exit {code})"
            rows.append({"name": names[len(rows)], "result": why})
            with open(results, "w") as f:
                f.writelines(json.dumps(r) + "\n" for r in rows)
    os.remove(results)
    return rows


def gpu_name():
    try:
        return subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total",
                               "--format=csv,noheader"], capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except Exception as e:
        return f"unknown ({e})"


def fmt(row, key, spec):
    return (spec % row[key]) if isinstance(row.get(key), (int, float)) else "n/a"


def markdown(report):
    lines = [f"# GPU check ({report['date']})", "", f"GPU: {report['gpu']}", ""]
    c = report.get("conformance")
    if c and c["total"]:
        lines += [f"Conformance (ONNX backend tests compiled --target=cuda): "
                  f"{c['passed']} of {c['total']} pass", ""]
        failed = [(r["name"], r["result"]) for r in c["rows"] if r["result"] != "pass"]
        lines += [f"- {n}: {why}" for n, why in failed[:40]]
        lines += [f"- ... {len(failed) - 40} more" for _ in [0] if len(failed) > 40] + [""]
    if report.get("gemm"):
        lines += ["GEMM kernel: the longest kernel of a run (the product; bf16 also "
                  "has Cast kernels), timed with CUDA events by the bundle's kernel timer. "
                  "Whole run: tessera_model_run from host memory, with the PCIe copies.", "",
                  "| GEMM (m x k x n) | ok | max error / RMS | kernel ms | TFLOP/s | cuBLAS ms "
                  "| TFLOP/s | kernel % of cuBLAS | whole run ms | whole run % of cuBLAS |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for r in report["gemm"]:
            label = (f"{r['dtype']} {r['m']}x{r['k']}x{r['n']}" if "m" in r else r["name"])
            if "tiles" in r:
                label += f" tiles {r['tiles']}"
            if "arch" in r:
                label += f" ({r['arch']})"
            lines.append(f"| {label} | {r.get('ok', 'n/a')} | "
                         f"{fmt(r, 'max_error', '%.2e')} | {fmt(r, 'kernel_ms', '%.3f')} | "
                         f"{fmt(r, 'kernel_tflops', '%.1f')} | {fmt(r, 'cublas_ms', '%.3f')} | "
                         f"{fmt(r, 'cublas_tflops', '%.1f')} | "
                         f"{fmt(r, 'kernel_percent_of_cublas', '%.1f')} | "
                         f"{fmt(r, 'tessera_ms', '%.2f')} | {fmt(r, 'percent_of_cublas', '%.1f')} |")
        lines.append("")
    if report.get("models"):
        lines += ["Models: Tessera's whole run (host memory in and out, weights copied "
                  "every run) and the sum of its kernels; PyTorch eager on the GPU with a "
                  "device-resident input (TF32 off, and its default with cuDNN TF32) and "
                  "from/to host memory; onnxruntime with the provider it has there.", "",
                  "| model | ok | max error / max ref (PyTorch's TF32 error) | Tessera ms "
                  "| first run ms | kernels ms (launches) | PyTorch f32 ms | PyTorch TF32 ms "
                  "| PyTorch host ms | onnxruntime ms |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for r in report["models"]:
            ort = fmt(r, "ort_ms", "%.2f") + (f" ({r['ort_provider']})" if "ort_provider" in r
                                              else "")
            lines.append(f"| {r['name']} | {r.get('ok', 'n/a')} | "
                         f"{fmt(r, 'relative_error', '%.2e')} "
                         f"({fmt(r, 'torch_tf32_relative_error', '%.1e')}) | "
                         f"{fmt(r, 'tessera_ms', '%.2f')} | {fmt(r, 'first_run_ms', '%.1f')} | "
                         f"{fmt(r, 'kernels_total_ms', '%.2f')} ({r.get('launches', 'n/a')}) | "
                         f"{fmt(r, 'torch_ms', '%.2f')} | {fmt(r, 'torch_tf32_ms', '%.2f')} | "
                         f"{fmt(r, 'torch_host_ms', '%.2f')} | {ort} |")
        lines.append("")
    errors = [(k, r) for sec in ("gemm", "models") for r in report.get(sec, [])
              for k in r if (k.endswith("_error") and k not in
                             ("max_error", "relative_error", "torch_tf32_relative_error"))
              or k == "result"]
    diagnoses = [r for r in report.get("gemm", []) if "bad_fraction" in r]
    if errors:
        lines += ["Errors:", ""] + [f"- {r['name']}: {k}: {r[k]}" for k, r in errors] + [""]
    if diagnoses:
        keys = ("bad_fraction", "first_bad", "bad_rows_mod16", "bad_cols_mod8",
                "bad_row_tiles_128", "out_zero_fraction", "out_nan_fraction")
        lines += ["Wrong GEMMs:", ""] + [
            f"- {r['name']}: " + ", ".join(f"{k} {r[k]}" for k in keys if k in r)
            for r in diagnoses] + [""]
    return "\n".join(lines)


def write_report(report, out):
    with open(os.path.join(out, "gpu-report.json"), "w") as f:
        json.dump(report, f, indent=1)
    text = markdown(report)
    with open(os.path.join(out, "gpu-report.md"), "w") as f:
        f.write(text)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundle")
    parser.add_argument("--out")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--skip-conformance", action="store_true")
    parser.add_argument("--sections", default="gemm,conformance,models",
                        help="which sections, in this order (default: %(default)s)")
    parser.add_argument("--deadline", type=float, default=3600,
                        help="seconds after which pending items are reported as not run")
    parser.add_argument("--item-timeout", type=float,
                        help="seconds without progress after which an item counts as hung "
                        "(default: gemm %d, models %d, conformance %d)" % tuple(
                            ITEM_TIMEOUT[s] for s in ("gemm", "models", "conformance")))
    parser.add_argument("--kernel-times", metavar="FOLDER",
                        help=argparse.SUPPRESS)  # the child of kernel_times_in_child
    parser.add_argument("--worker", choices=sorted(ITEMS), help=argparse.SUPPRESS)
    parser.add_argument("--results", help=argparse.SUPPRESS)
    parser.add_argument("--items", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.kernel_times:
        print(json.dumps(kernel_times(args.bundle, args.kernel_times, args.runs)))
        return 0
    if args.worker:
        run_worker(args.bundle, args.worker, [i for i in args.items.split(",") if i],
                   args.results, args.runs)
        return 0
    if not args.out:
        parser.error("--out is required")
    os.makedirs(args.out, exist_ok=True)
    report = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "gpu": gpu_name(),
              "host": platform.node(), "runs": args.runs}
    started = time.monotonic()
    deadline = started + args.deadline
    sections = [s for s in args.sections.split(",") if s]
    if args.skip_conformance and "conformance" in sections:
        sections.remove("conformance")
    with open(os.path.join(args.out, "gpu-check.log"), "a") as log:
        for section in sections:
            if section not in ITEMS:
                parser.error(f"unknown section '{section}'")
            section_start = time.monotonic()
            rows = run_section(args.bundle, section, args.runs, deadline, log,
                               args.item_timeout)
            if section == "conformance":
                passed = sum(r.get("result") == "pass" for r in rows)
                report["conformance"] = {"passed": passed, "total": len(rows), "rows": rows}
            else:
                report[section] = rows
            report.setdefault("section_seconds", {})[section] = round(
                time.monotonic() - section_start, 1)
            report["seconds"] = round(time.monotonic() - started, 1)
            write_report(report, args.out)
            print(f"{section}: {len(rows)} items, {report['section_seconds'][section]} s",
                  flush=True)
    print(write_report(report, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
