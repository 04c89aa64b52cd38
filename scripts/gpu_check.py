#!/usr/bin/env python3
"""Runs a bundle made by scripts/gpu-prepare.sh on a GPU machine and writes one
report (Markdown + JSON).

The GPU machine has no LLVM, no protobuf and no Tessera compiler: it has this
script, numpy, the bundle (libtessera_runtime.so, compiled --target=cuda
artifacts, inputs and expected outputs as .npy), and optionally PyTorch and
onnxruntime for the peer timings. Tessera's artifacts are driven through the
runtime's C API with ctypes.

  python3 gpu_check.py BUNDLE_DIR --out OUT_DIR [--runs N] [--skip-conformance]
"""
import argparse
import ctypes
import json
import os
import platform
import statistics
import subprocess
import sys
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


def run_conformance(rt, bundle, report):
    root = os.path.join(bundle, "conformance")
    if not os.path.isdir(root):
        return
    results = {}
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        try:
            model = Model(rt, os.path.join(folder, "model.so"))
            outs = model.run(load_arrays(folder, "input_"))
            model.close()
            problems = [compare(o, e, 1e-3, 1e-5)
                        for o, e in zip(outs, load_arrays(folder, "expected_"))]
            problems = [p for p in problems if p]
            results[name] = "pass" if not problems else "wrong: " + "; ".join(problems)
        except Exception as e:  # a failure of this test, not of the script
            results[name] = f"error: {e}"
    passed = sum(r == "pass" for r in results.values())
    report["conformance"] = {"passed": passed, "total": len(results), "results": results}


def torch_gemm_ms(n, dtype, runs):
    """cuBLAS through PyTorch: f32, tf32 (f32 with allow_tf32), f16, bf16."""
    import torch
    dt = {"f32": torch.float32, "tf32": torch.float32, "f16": torch.float16,
          "bf16": torch.bfloat16}[dtype.split("_")[0]]
    torch.backends.cuda.matmul.allow_tf32 = dtype == "tf32"
    try:
        a = torch.randn(n, n, device="cuda", dtype=dt)
        b = torch.randn(n, n, device="cuda", dtype=dt)
        for _ in range(3):
            torch.matmul(a, b)
        torch.cuda.synchronize()
        samples = []
        for _ in range(runs):
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            torch.matmul(a, b)
            end.record()
            torch.cuda.synchronize()
            samples.append(start.elapsed_time(end))
        return statistics.median(samples)
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


def check_gemm(out, a, b, dtype, trans_b=False):
    """Compares a GEMM's output with the f64 product of the inputs it
    multiplied (b transposed with trans_b); returns (relative error,
    tolerance)."""
    dtype = dtype.split("_")[0]
    if dtype == "bf16":
        a, b = round_to_bf16(a), round_to_bf16(b)
    ref = gemm_reference(a, np.ascontiguousarray(b.T) if trans_b else b)
    scale = float(np.sqrt(np.mean(ref * ref))) or 1.0
    err = float(np.max(np.abs(out.astype(np.float64) - ref))) / scale
    return err, GEMM_TOLERANCE[dtype]


KERNEL_TIMER = "libcuda_kernel_timer.so"


def kernel_times(bundle, folder, runs):
    """In this process, started by gemm_kernel_ms with TESSERA_CUDA_LIBRARY
    naming the kernel timer: runs the GEMM in `folder` and returns the median
    over runs of its longest kernel and of all its kernels (ms)."""
    rt = Runtime(os.path.join(bundle, "lib", "libtessera_runtime.so"))
    model = Model(rt, os.path.join(folder, "model.so"))  # loads the timer
    timer = ctypes.CDLL(os.environ["TESSERA_CUDA_LIBRARY"])
    timer.tessera_kernel_times.argtypes = [ctypes.POINTER(ctypes.c_float), ctypes.c_int]
    rng = np.random.default_rng(0)
    n = model.inputs[0][2][0]
    arrays = [rng.standard_normal((n, n)).astype(model.inputs[i][1]) for i in range(2)]
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
            "kernels_total_ms": statistics.median(total)}


def gemm_kernel_ms(bundle, folder, runs):
    """GPU time of the GEMM's kernels, measured in a child process that loads
    the driver through the bundle's kernel timer (cuda_kernel_timer.c)."""
    timer = os.path.abspath(os.path.join(bundle, "lib", KERNEL_TIMER))
    if not os.path.exists(timer):
        raise RuntimeError(f"the bundle has no {KERNEL_TIMER}")
    env = dict(os.environ, TESSERA_CUDA_LIBRARY=timer)
    result = subprocess.run([sys.executable, os.path.abspath(__file__), bundle,
                             "--kernel-times", folder, "--runs", str(runs)],
                            capture_output=True, text=True, env=env, timeout=1800)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise RuntimeError(lines[-1] if lines else "the kernel timer failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_gemm(rt, bundle, report, runs):
    root = os.path.join(bundle, "gemm")
    if not os.path.isdir(root):
        return
    rows = []
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        meta = json.load(open(os.path.join(folder, "gemm.json")))
        n, dtype = meta["n"], meta["dtype"]
        row = {"name": name, "n": n, "dtype": dtype}
        flops = 2.0 * n * n * n
        try:
            model = Model(rt, os.path.join(folder, "model.so"))
            rng = np.random.default_rng(0)
            np_dt = model.inputs[0][1]
            a = rng.standard_normal((n, n)).astype(np_dt)
            b = rng.standard_normal((n, n)).astype(np_dt)
            out = model.run([a, b])[0]
            err, tol = check_gemm(out, a, b, dtype, meta.get("trans_b", False))
            row.update(max_error=err, tolerance=tol, ok=err <= tol)
            ms = model.time([a, b], runs, warmup=2)
            model.close()
            row.update(tessera_ms=ms, tessera_tflops=flops / ms / 1e9)
        except Exception as e:
            row["tessera_error"] = str(e)
        try:
            row.update(gemm_kernel_ms(bundle, folder, runs))
            row["kernel_tflops"] = flops / row["kernel_ms"] / 1e9
        except Exception as e:
            row["kernel_timer_error"] = str(e)
        try:
            ms = torch_gemm_ms(n, dtype, runs)
            row.update(cublas_ms=ms, cublas_tflops=flops / ms / 1e9)
        except Exception as e:
            row["cublas_error"] = str(e)
        # Whole runs include the PCIe copies of inputs and output, which the
        # cuBLAS time does not: the kernel's percentage is the one to compare.
        if "tessera_ms" in row and "cublas_ms" in row:
            row["percent_of_cublas"] = 100.0 * row["cublas_ms"] / row["tessera_ms"]
        if "kernel_ms" in row and "cublas_ms" in row:
            row["kernel_percent_of_cublas"] = 100.0 * row["cublas_ms"] / row["kernel_ms"]
        rows.append(row)
    report["gemm"] = rows


def ort_gpu_ms(onnx_path, inputs, runs):
    import onnxruntime as ort
    if "CUDAExecutionProvider" not in ort.get_available_providers():
        raise RuntimeError("onnxruntime has no CUDAExecutionProvider here")
    session = ort.InferenceSession(onnx_path, providers=["CUDAExecutionProvider"])
    feeds = {i.name: a for i, a in zip(session.get_inputs(), inputs)}
    for _ in range(3):
        session.run(None, feeds)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feeds)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e3


def run_models(rt, bundle, report, runs):
    root = os.path.join(bundle, "models")
    if not os.path.isdir(root):
        return
    rows = []
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        row = {"name": name}
        inputs = load_arrays(folder, "input_")
        try:
            model = Model(rt, os.path.join(folder, "model.so"))
            outs = model.run(inputs)
            expected = load_arrays(folder, "expected_")
            scale = max(float(np.max(np.abs(e))) for e in expected) or 1.0
            err = max(float(np.max(np.abs(o.astype(np.float64) - e))) for o, e in zip(outs, expected))
            row.update(max_error=err, tolerance=1e-4 * scale, ok=err <= 1e-4 * scale)
            row["tessera_ms"] = model.time(inputs, runs)
            model.close()
        except Exception as e:
            row["tessera_error"] = str(e)
        onnx_path = os.path.join(folder, "model.onnx")
        if os.path.exists(onnx_path):
            try:
                row["ort_cuda_ms"] = ort_gpu_ms(onnx_path, inputs, runs)
            except Exception as e:
                row["ort_error"] = str(e)
        rows.append(row)
    report["models"] = rows


def gpu_name():
    try:
        return subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total",
                               "--format=csv,noheader"], capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except Exception as e:
        return f"unknown ({e})"


def markdown(report):
    lines = [f"# GPU check ({report['date']})", "", f"GPU: {report['gpu']}", ""]
    c = report.get("conformance")
    if c:
        lines += [f"Conformance (ONNX backend tests compiled --target=cuda): "
                  f"{c['passed']} of {c['total']} pass", ""]
    if report.get("gemm"):
        lines += ["GEMM kernel: the longest kernel of a run (the product; bf16 also "
                  "has Cast kernels), timed with CUDA events by the bundle's kernel timer. "
                  "Whole run: tessera_model_run from host memory, with the PCIe copies.", "",
                  "| GEMM | ok | max error / RMS | kernel ms | TFLOP/s | cuBLAS ms | TFLOP/s "
                  "| kernel % of cuBLAS | whole run ms | whole run % of cuBLAS |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for r in report["gemm"]:
            f = lambda k, fmt: (fmt % r[k]) if k in r else "n/a"
            lines.append(f"| {r['dtype']} {r['n']}^3 | {r.get('ok', 'n/a')} | "
                         f"{f('max_error', '%.2e')} | {f('kernel_ms', '%.3f')} | "
                         f"{f('kernel_tflops', '%.1f')} | {f('cublas_ms', '%.3f')} | "
                         f"{f('cublas_tflops', '%.1f')} | "
                         f"{f('kernel_percent_of_cublas', '%.1f')} | "
                         f"{f('tessera_ms', '%.2f')} | {f('percent_of_cublas', '%.1f')} |")
        lines.append("")
    if report.get("models"):
        lines += ["| model | ok | max error | Tessera ms | ORT CUDA ms |", "|---|---|---|---|---|"]
        for r in report["models"]:
            f = lambda k, fmt: (fmt % r[k]) if k in r else "n/a"
            lines.append(f"| {r['name']} | {r.get('ok', 'n/a')} | {f('max_error', '%.2e')} | "
                         f"{f('tessera_ms', '%.2f')} | {f('ort_cuda_ms', '%.2f')} |")
        lines.append("")
    errors = [(k, r) for sec in ("gemm", "models") for r in report.get(sec, [])
              for k in r if k.endswith("_error") and k != "max_error"]
    if errors:
        lines += ["Errors:", ""] + [f"- {r['name']}: {k}: {r[k]}" for k, r in errors]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundle")
    parser.add_argument("--out")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--skip-conformance", action="store_true")
    parser.add_argument("--kernel-times", metavar="GEMM_FOLDER",
                        help=argparse.SUPPRESS)  # the child of gemm_kernel_ms
    args = parser.parse_args()
    if args.kernel_times:
        print(json.dumps(kernel_times(args.bundle, args.kernel_times, args.runs)))
        return 0
    if not args.out:
        parser.error("--out is required")
    os.makedirs(args.out, exist_ok=True)
    rt = Runtime(os.path.join(args.bundle, "lib", "libtessera_runtime.so"))
    report = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "gpu": gpu_name(),
              "host": platform.node(), "runs": args.runs}
    started = time.monotonic()
    if not args.skip_conformance:
        run_conformance(rt, args.bundle, report)
    run_gemm(rt, args.bundle, report, args.runs)
    run_models(rt, args.bundle, report, args.runs)
    report["seconds"] = round(time.monotonic() - started, 1)
    with open(os.path.join(args.out, "gpu-report.json"), "w") as f:
        json.dump(report, f, indent=1)
    text = markdown(report)
    with open(os.path.join(args.out, "gpu-report.md"), "w") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
