#!/usr/bin/python3
"""The report of bench/run.py: acceptance summary, Markdown tables and plots,
computed from the results it measured (WORK/results.json). No measuring here,
so the functions can be tested on made-up results and a report can be
re-rendered from a saved run:

  /usr/bin/python3 bench/report.py WORK/results.json [--plots]

Results (a JSON object):
  machine, load_end, date, command, runs, warmup, threads [1, 2], opt_level,
  ort_version, torch_version
  peak    [{threads, measured}]                 GFLOP/s of bench/fma_peak.c
  models  [{model, threads, gflop, compile_s, tessera, ort, torch, check, error,
            vulkan, vulkan_check}]
  gemm    [{m, n, k, threads, gflop, compile_s, tessera, ort, check, error}]
  conv    [{name, label, threads, gflop, compile_s, tessera, ort, check, error}]
  notes   [str]
Latencies are median milliseconds or null (not measured / failed); check is
"ok", "FAIL" or null (not checked); error is the max abs error of the check.
"""

import argparse
import json
import math
import os
import sys

# The five models of the issue and its acceptance bars.
ACCEPTANCE_MODELS = ["resnet18", "resnet50", "mobilenet_v2", "squeezenet1_1", "transformer"]
GEOMEAN_BAR = 1.5           # Tessera / onnxruntime, 1 thread, geometric mean
MAX_RATIO_BAR = 2.5         # Tessera / onnxruntime, 1 thread, every model
RESNET50_SPEEDUP_BAR = 1.7  # Tessera ResNet-50, 1 thread / 2 threads
SGEMM_PEAK_BAR = 70.0       # % of the measured 1-thread FMA peak, SGEMM 1024^3
COMPILE_BAR_S = 60.0        # ResNet-50, tessera-compile -O3


def fmt(value, digits=2):
    return "n/a" if value is None else f"{value:.{digits}f}"


def peaks(results):
    """{threads: GFLOP/s used for percentages}. The per-core peak is a
    property of the hardware, while a multi-thread measurement drops when
    another process holds a core, so each thread count uses threads x the
    best per-core value measured."""
    per_core = [p["measured"] / p["threads"] for p in results.get("peak", [])
                if p.get("measured")]
    best = max(per_core, default=None)
    return {t: best * t if best else None for t in results.get("threads", [])}


def ratio(row):
    tess, ort = row.get("tessera"), row.get("ort")
    return tess / ort if tess and ort else None


def gflops(row, key="tessera"):
    ms = row.get(key)
    return row["gflop"] / ms * 1e3 if ms and row.get("gflop") else None


def percent_of_peak(row, peak_by_threads, key="tessera"):
    gf, peak = gflops(row, key), peak_by_threads.get(row["threads"])
    return 100.0 * gf / peak if gf and peak else None


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def max_percent_of_peak(results):
    """Highest % of peak of any Tessera or onnxruntime time in the run."""
    peak_by_threads = peaks(results)
    values = [percent_of_peak(row, peak_by_threads, key)
              for group in ("models", "gemm", "conv") for row in results.get(group, [])
              for key in ("tessera", "ort")]
    return max([v for v in values if v is not None], default=None)


class Figure:
    """One acceptance figure: what, measured value, bar, verdict."""

    def __init__(self, name, value, bar, verdict):
        self.name, self.value, self.bar, self.verdict = name, value, bar, verdict

    def row(self):
        return f"| {self.name} | {self.value} | {self.bar} | {self.verdict} |"


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def _find(rows, **match):
    return next((r for r in rows if all(r.get(k) == v for k, v in match.items())), None)


def _ratio_figures(models, threads, with_bars):
    """Geometric mean (and, with bars, max) of Tessera / ort over the five
    models at `threads`. A verdict needs all five; a model Tessera failed on
    is a FAIL, a missing onnxruntime time or an unselected model is n/a."""
    rows = [_find(models, model=m, threads=threads) for m in ACCEPTANCE_MODELS]
    measured = [(r["model"], ratio(r)) for r in rows if r and ratio(r)]
    tessera_failed = [r["model"] for r in rows if r and not r.get("tessera")]
    complete = len(measured) == len(ACCEPTANCE_MODELS)
    partial = f" ({len(measured)} of {len(ACCEPTANCE_MODELS)} models)" if not complete else ""

    def verdict(ok):
        if tessera_failed:
            return f"FAIL (no Tessera time: {', '.join(tessera_failed)})"
        return _verdict(ok) if complete else "n/a" + partial

    mean = geomean([r for _, r in measured])
    figures = [Figure(f"geomean Tessera / onnxruntime, {threads} thread(s)",
                      (f"{mean:.2f}x" if mean else "n/a") + partial,
                      f"<= {GEOMEAN_BAR}x" if with_bars else "(info)",
                      verdict(mean is not None and mean <= GEOMEAN_BAR)
                      if with_bars else "-")]
    if with_bars:
        worst = max(measured, key=lambda m: m[1], default=None)
        figures.append(Figure(f"max Tessera / onnxruntime, {threads} thread(s)",
                              f"{worst[1]:.2f}x ({worst[0]})" if worst else "n/a",
                              f"<= {MAX_RATIO_BAR}x",
                              verdict(worst is not None and worst[1] <= MAX_RATIO_BAR)))
    return figures


def summary(results):
    """The issue's acceptance figures, computed from this run."""
    models = results.get("models", [])
    threads = results.get("threads", [])
    figures = _ratio_figures(models, 1, with_bars=True)
    if 2 in threads:
        figures += _ratio_figures(models, 2, with_bars=False)

    one, two = _find(models, model="resnet50", threads=1), _find(models, model="resnet50",
                                                                  threads=2)
    if one and two and one.get("tessera") and two.get("tessera"):
        speedup = one["tessera"] / two["tessera"]
        figures.append(Figure("ResNet-50 Tessera speedup, 2 threads vs 1",
                              f"{speedup:.2f}x", f">= {RESNET50_SPEEDUP_BAR}x",
                              _verdict(speedup >= RESNET50_SPEEDUP_BAR)))
    else:
        figures.append(Figure("ResNet-50 Tessera speedup, 2 threads vs 1", "n/a",
                              f">= {RESNET50_SPEEDUP_BAR}x", "n/a"))

    sgemm = _find(results.get("gemm", []), m=1024, n=1024, k=1024, threads=1)
    pct = percent_of_peak(sgemm, peaks(results)) if sgemm else None
    figures.append(Figure("SGEMM 1024^3, 1 thread, % of measured FMA peak",
                          f"{pct:.0f}% ({gflops(sgemm):.1f} GFLOP/s)" if pct else "n/a",
                          f">= {SGEMM_PEAK_BAR:.0f}%",
                          _verdict(pct >= SGEMM_PEAK_BAR) if pct else "n/a"))

    r50 = _find(models, model="resnet50")
    seconds = r50.get("compile_s") if r50 else None
    compiled = r50 is not None and r50.get("compiled", True)
    figures.append(Figure(f"ResNet-50 compile time ({results.get('opt_level', '-O3')})",
                          f"{seconds:.1f} s" if seconds is not None else "n/a",
                          f"<= {COMPILE_BAR_S:.0f} s",
                          ("FAIL (did not compile)" if not compiled else
                           _verdict(seconds <= COMPILE_BAR_S)) if seconds is not None
                          else "n/a"))

    checks = [r.get("check") for key in ("models", "gemm", "conv")
              for r in results.get(key, []) if r.get("check")]
    failed = checks.count("FAIL")
    figures.append(Figure("outputs that match the reference", f"{len(checks) - failed} of "
                          f"{len(checks)}", "all", _verdict(failed == 0) if checks else "n/a"))
    return figures


def _check_text(row):
    if not row.get("check"):
        return "n/a"
    error = row.get("error")
    return row["check"] + (f" ({error:.1e})" if error is not None else "")


def _efficiency(row, peak_by_threads, key="tessera"):
    gf, pct = gflops(row, key), percent_of_peak(row, peak_by_threads, key)
    if gf is None:
        return "n/a"
    return f"{gf:.1f} ({pct:.0f}%)" if pct is not None else f"{gf:.1f}"


def models_table(results):
    peak_by_threads = peaks(results)
    lines = ["| model | GFLOP | compile (s) | threads | Tessera | onnxruntime | PyTorch | "
             "Tessera / ort | Tessera GFLOP/s (% of peak) | output vs PyTorch | "
             "Tessera on Vulkan |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for row in results.get("models", []):
        r = ratio(row)
        compile_s = fmt(row.get("compile_s"), 1)
        if row.get("compiled") is False:
            compile_s = f"failed ({compile_s})"
        lines.append(
            f"| {row['model']} | {fmt(row.get('gflop'))} | {compile_s} | "
            f"{row['threads']} | {fmt(row.get('tessera'))} | {fmt(row.get('ort'))} | "
            f"{fmt(row.get('torch'))} | {f'{r:.2f}x' if r else 'n/a'} | "
            f"{_efficiency(row, peak_by_threads)} | {_check_text(row)} | "
            f"{_vulkan_text(row)} |")
    return lines


def _vulkan_text(row):
    """Latency of the --target=vulkan artifact (one device, so the same at
    every thread count) and its output check."""
    if row.get("vulkan") is None:
        return "FAIL" if row.get("vulkan_check") == "FAIL" else "n/a"
    check = "" if row.get("vulkan_check") == "ok" else f" ({row.get('vulkan_check')})"
    return f"{fmt(row['vulkan'])}{check}"


def kernel_table(rows, results, first_columns):
    """GEMM or conv sweep: `first_columns` is [(header, function of row)]."""
    peak_by_threads = peaks(results)
    head = [h for h, _ in first_columns]
    lines = ["| " + " | ".join(head + ["threads", "Tessera ms", "Tessera GFLOP/s (% of peak)",
                                       "ort ms", "ort GFLOP/s (% of peak)", "Tessera / ort",
                                       "check"]) + " |",
             "|" + "---|" * len(head) + "---:|" * 6 + "---|"]
    for row in rows:
        r = ratio(row)
        cells = [str(f(row)) for _, f in first_columns] + [
            str(row["threads"]), fmt(row.get("tessera"), 3), _efficiency(row, peak_by_threads),
            fmt(row.get("ort"), 3), _efficiency(row, peak_by_threads, "ort"),
            f"{r:.2f}x" if r else "n/a", _check_text(row)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render(results, plot_files=()):
    """The whole report as Markdown."""
    peak_by_threads = peaks(results)
    lines = ["# Tessera CPU benchmark", "",
             f"- machine: {results.get('machine', '?')}"
             + (f", at the end {results['load_end']:.2f}" if "load_end" in results else ""),
             f"- date: {results.get('date', '?')}",
             f"- command: `{results.get('command', '?')}`",
             f"- latencies: medians of {results.get('runs', '?')} runs in ms"
             + (f" (Tessera and onnxruntime: median of {results['rounds']} alternating blocks)"
                if results.get("rounds", 1) > 1 else "")
             + f" (onnxruntime and PyTorch after {results.get('warmup', '?')} warm-up runs, tessera-run after one); "
             f"tessera-compile {results.get('opt_level', '-O3')}; onnxruntime-node "
             f"{results.get('ort_version') or '(not run)'} (CPU EP, intraOpNumThreads = threads); "
             f"PyTorch {results.get('torch_version') or '?'} eager",
             "", "## Summary (acceptance figures of the issue)", "",
             "| figure | this run | bar | verdict |", "|---|---|---|---|"]
    lines += [f.row() for f in summary(results)] + [""]

    lines += ["## FP32 FMA peak (bench/fma_peak.c, 12 FMA chains of the widest vectors per thread, "
              "best of the start and the end of the run)", "",
              "| threads | measured GFLOP/s | peak used for % (threads x best per core) |",
              "|---:|---:|---:|"]
    lines += [f"| {p['threads']} | {fmt(p.get('measured'), 1)} | "
              f"{fmt(peak_by_threads.get(p['threads']), 1)} |" for p in results.get("peak", [])]
    above = max_percent_of_peak(results)
    if above is not None and above > 100:
        lines += ["", f"Warning: a kernel ran at {above:.0f}% of this peak, so the peak was "
                  "measured low (another process held the core): every % of peak in this "
                  "report is too high."]
    lines.append("")

    if results.get("models"):
        lines += ["## Models", "", "torchvision CNNs at 1x3x224x224 and the 2-layer "
                  "Transformer encoder at 1x128 token ids (test/e2e/zoo.py), seeded random "
                  "weights; GFLOP counts Conv/Gemm/MatMul.", ""]
        lines += models_table(results) + [""]
    if results.get("gemm"):
        lines += ["## GEMM sweep", "", "One-MatMul ONNX models: A[M,K] input x constant "
                  "B[K,N]; check against float64 numpy.", ""]
        lines += kernel_table(results["gemm"], results,
                              [("M", lambda r: r["m"]), ("N", lambda r: r["n"]),
                               ("K", lambda r: r["k"])]) + [""]
    if results.get("conv"):
        lines += ["## Conv sweep", "", "One-Conv ONNX models (batch 1, constant weights and "
                  "bias) with shapes from the benchmark models; check against PyTorch's "
                  "float64 conv2d.", ""]
        lines += kernel_table(results["conv"], results,
                              [("layer", lambda r: r["name"]),
                               ("shape", lambda r: r["label"]),
                               ("GFLOP", lambda r: f"{r['gflop']:.3f}")]) + [""]
    if results.get("notes"):
        lines += ["## Notes", ""] + [f"- {n}" for n in results["notes"]] + [""]
    if plot_files:
        lines += ["## Plots", ""] + [f"![{os.path.basename(p)}]({os.path.basename(p)})"
                                     for p in plot_files] + [""]
    return "\n".join(lines)


def plot(results, out_dir):
    """Writes models.png, ratios.png, gemm.png and conv.png (those that have
    data) into out_dir with matplotlib's Agg backend; returns their paths.
    Returns [] when matplotlib is not installed."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter
    except ImportError:
        return []
    plain = FuncFormatter(lambda v, _: f"{v:g}")
    files = []
    threads = results.get("threads", [])
    models = results.get("models", [])

    def save(fig, name):
        path = os.path.join(out_dir, name)
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)
        files.append(path)

    if models and threads:
        fig, axes = plt.subplots(1, len(threads), figsize=(6 * len(threads), 4.5),
                                 squeeze=False)
        for ax, t in zip(axes[0], threads):
            sel = [r for r in models if r["threads"] == t]
            xs = range(len(sel))
            for i, (key, label) in enumerate([("tessera", "Tessera"), ("ort", "onnxruntime"),
                                              ("torch", "PyTorch")]):
                ax.bar([x + (i - 1) * 0.27 for x in xs], [r.get(key) or 0 for r in sel], 0.27,
                       label=label)
            ax.set_xticks(list(xs))
            ax.set_xticklabels([r["model"] for r in sel], rotation=20)
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(plain)
            ax.set_ylabel("median latency (ms, log scale)")
            ax.set_title(f"{t} thread(s)")
            ax.legend()
        save(fig, "models.png")

        fig, ax = plt.subplots(figsize=(7, 4.5))
        names = list(dict.fromkeys(r["model"] for r in models))
        width = 0.8 / len(threads)
        for i, t in enumerate(threads):
            values = [ratio(_find(models, model=n, threads=t) or {}) or 0 for n in names]
            ax.bar([x + (i - (len(threads) - 1) / 2) * width for x in range(len(names))],
                   values, width, label=f"{t} thread(s)")
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.axhline(GEOMEAN_BAR, color="green", linestyle="--", label=f"geomean bar {GEOMEAN_BAR}x")
        ax.axhline(MAX_RATIO_BAR, color="red", linestyle="--", label=f"max bar {MAX_RATIO_BAR}x")
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names, rotation=20)
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(plain)
        ax.yaxis.set_minor_formatter(plain)
        ax.set_ylabel("Tessera / onnxruntime latency (log scale)")
        ax.legend()
        save(fig, "ratios.png")

    peak_by_threads = peaks(results)
    for key, label in (("gemm", lambda r: f"{r['m']}x{r['n']}x{r['k']}"),
                       ("conv", lambda r: f"{r['name']}\n{r['label']}")):
        rows = results.get(key, [])
        if not rows or not any(peak_by_threads.values()):
            continue
        shapes = list(dict.fromkeys(label(r) for r in rows))
        fig, ax = plt.subplots(figsize=(max(7, 0.9 * len(shapes)), 5))
        series = [(t, k, name) for t in threads
                  for k, name in (("tessera", "Tessera"), ("ort", "onnxruntime"))]
        width = 0.8 / len(series)
        for i, (t, k, name) in enumerate(series):
            values = []
            for s in shapes:
                row = next((r for r in rows if label(r) == s and r["threads"] == t), None)
                values.append((percent_of_peak(row, peak_by_threads, k) if row else None) or 0)
            ax.bar([x + (i - (len(series) - 1) / 2) * width for x in range(len(shapes))],
                   values, width, label=f"{name}, {t} thread(s)")
        if key == "gemm":
            ax.axhline(SGEMM_PEAK_BAR, color="red", linestyle="--",
                       label=f"SGEMM 1024^3 bar {SGEMM_PEAK_BAR:.0f}%")
        ax.set_xticks(range(len(shapes)))
        ax.set_xticklabels(shapes, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel("% of measured FP32 FMA peak")
        ax.set_title(f"{key.upper() if key == 'gemm' else 'Conv'} sweep")
        ax.legend(fontsize=8)
        save(fig, f"{key}.png")
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="results.json written by bench/run.py")
    parser.add_argument("--plots", action="store_true",
                        help="also write the PNG plots next to the results")
    args = parser.parse_args()
    with open(args.results) as f:
        results = json.load(f)
    files = plot(results, os.path.dirname(os.path.abspath(args.results))) if args.plots else []
    print(render(results, files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
