#!/usr/bin/python3
"""Unit tests of bench/run.py's pieces that need no measurement: the
acceptance summary, the Markdown report and the plots on made-up results,
option handling, the output check and the kernel models. Seconds, no
compiler run:

  /usr/bin/python3 test/bench/test_bench.py -v
"""

import contextlib
import json
import os
import stat
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "bench"))
import report  # noqa: E402

MODELS = report.ACCEPTANCE_MODELS


def import_bench_module(name):
    """A bench/ script that needs numpy, or the test class is skipped."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise unittest.SkipTest("numpy is not installed")
    import importlib
    return importlib.import_module(name)


def fake_results(ratios_1t=(1.2, 1.4, 1.3, 1.1, 1.6), r50_1t=100.0, r50_2t=55.0,
                 sgemm_ms=20.0, r50_compile_s=30.0):
    """Five models at 1 and 2 threads with onnxruntime at 10 ms and Tessera
    at ratio x 10 ms (ResNet-50 Tessera times given), an SGEMM 1024^3 row
    and a conv row, a 150 GFLOP/s core."""
    models = []
    for name, r in zip(MODELS, ratios_1t):
        for t in (1, 2):
            tess = r * 10.0 / t
            if name == "resnet50":
                tess = r50_1t if t == 1 else r50_2t
            models.append({"model": name, "threads": t, "gflop": 0.5, "compiled": True,
                           "compile_s": r50_compile_s if name == "resnet50" else 5.0,
                           "tessera": tess, "ort": 10.0 if name != "resnet50" else 80.0,
                           "torch": 30.0, "check": "ok", "error": 1e-6})
    return {
        "machine": "test machine", "date": "today", "command": "bench/run.py",
        "runs": 30, "warmup": 5, "threads": [1, 2], "opt_level": "-O3",
        "ort_version": "1.30.0", "torch_version": "1.13",
        "peak": [{"threads": 1, "measured": 150.0}, {"threads": 2, "measured": 280.0}],
        "models": models,
        "gemm": [{"m": 1024, "n": 1024, "k": 1024, "threads": 1, "gflop": 2.147483648,
                  "compile_s": 1.0, "tessera": sgemm_ms, "ort": 15.0, "check": "ok",
                  "error": 1e-4}],
        "conv": [{"name": "resnet 3x3/1", "label": "3x3/1 64->64 @56", "threads": 1,
                  "gflop": 0.231, "compile_s": 1.0, "tessera": 3.0, "ort": 2.0,
                  "check": "ok", "error": 1e-6}],
        "notes": ["a note"],
    }


def figures(results):
    return {f.name: f for f in report.summary(results)}


def figure(results, prefix):
    return next(f for name, f in figures(results).items() if name.startswith(prefix))


class SummaryTest(unittest.TestCase):
    def test_all_pass(self):
        results = fake_results()
        for f in report.summary(results):
            self.assertIn(f.verdict, ("PASS", "-"), f.row())
        # ResNet-50: 100 / 80 = 1.25; geomean of 1.2, 1.25, 1.3, 1.1, 1.6.
        self.assertEqual(figure(results, "geomean Tessera / onnxruntime, 1").value, "1.28x")
        self.assertEqual(figure(results, "max Tessera").value, "1.60x (transformer)")
        self.assertEqual(figure(results, "ResNet-50 Tessera speedup").value, "1.82x")
        # 2 x 1024^3 flop in 20 ms = 107.4 GFLOP/s = 72% of 150.
        self.assertEqual(figure(results, "SGEMM").value, "72% (107.4 GFLOP/s)")
        self.assertEqual(figure(results, "ResNet-50 compile").value, "30.0 s")
        self.assertEqual(figure(results, "outputs").value, "12 of 12")

    def test_each_bar_fails(self):
        self.assertEqual(figure(fake_results(ratios_1t=(2, 2, 2, 2, 2)),
                                "geomean Tessera / onnxruntime, 1").verdict, "FAIL")
        self.assertEqual(figure(fake_results(ratios_1t=(1, 1, 1, 1, 3)),
                                "max Tessera").verdict, "FAIL")
        self.assertEqual(figure(fake_results(r50_2t=70.0), "ResNet-50 Tessera speedup").verdict,
                         "FAIL")
        self.assertEqual(figure(fake_results(sgemm_ms=40.0), "SGEMM").verdict, "FAIL")
        self.assertEqual(figure(fake_results(r50_compile_s=61.0), "ResNet-50 compile").verdict,
                         "FAIL")
        results = fake_results()
        results["conv"][0]["check"] = "FAIL"
        self.assertEqual(figure(results, "outputs").verdict, "FAIL")

    def test_partial_run_is_not_a_verdict(self):
        results = fake_results()
        results["models"] = [r for r in results["models"] if r["model"] == "resnet18"]
        results["threads"] = [1]
        geo = figure(results, "geomean Tessera / onnxruntime, 1")
        self.assertEqual(geo.value, "1.20x (1 of 5 models)")
        self.assertTrue(geo.verdict.startswith("n/a"))
        self.assertEqual(figure(results, "ResNet-50 Tessera speedup").verdict, "n/a")
        self.assertEqual(figure(results, "ResNet-50 compile").verdict, "n/a")
        self.assertNotIn("geomean Tessera / onnxruntime, 2 thread(s)", figures(results))

    def test_tessera_failure_fails_the_ratio_bars(self):
        results = fake_results()
        for row in results["models"]:
            if row["model"] == "mobilenet_v2":
                row.update(tessera=None, compiled=False, check="FAIL")
        geo = figure(results, "geomean Tessera / onnxruntime, 1")
        self.assertEqual(geo.verdict, "FAIL (no Tessera time: mobilenet_v2)")
        self.assertIn("(4 of 5 models)", geo.value)

    def test_missing_onnxruntime_and_peak(self):
        results = fake_results()
        for row in results["models"] + results["gemm"]:
            row["ort"] = None
        results["peak"] = [{"threads": 1, "measured": None}]
        self.assertTrue(figure(results, "geomean").verdict.startswith("n/a"))
        self.assertEqual(figure(results, "SGEMM").verdict, "n/a")
        self.assertEqual(report.peaks(results), {1: None, 2: None})

    def test_peak_uses_best_core(self):
        # 2 threads measured 280 (140 per core) < 150: both use 150 per core.
        self.assertEqual(report.peaks(fake_results()), {1: 150.0, 2: 300.0})


class RenderTest(unittest.TestCase):
    def test_report_sections(self):
        text = report.render(fake_results(), ["/x/models.png"])
        for needle in ("## Summary", "| geomean Tessera / onnxruntime, 1 thread(s) | 1.28x",
                       "## FP32 FMA peak", "| resnet50 | 0.50 | 30.0 | 1 | 100.00 | 80.00 |",
                       "## GEMM sweep", "| 1024 | 1024 | 1024 | 1 | 20.000 | 107.4 (72%) |",
                       "## Conv sweep", "| resnet 3x3/1 | 3x3/1 64->64 @56 | 0.231 | 1 |",
                       "1.50x | ok (1.0e-06) |", "- a note", "![models.png](models.png)"):
            self.assertIn(needle, text)

    def test_low_peak_warning(self):
        self.assertNotIn("measured low", report.render(fake_results()))
        results = fake_results()
        results["peak"] = [{"threads": 1, "measured": 50.0}]
        self.assertIn("Warning: a kernel ran at 286% of this peak", report.render(results))

    def test_failed_compile_and_empty_results(self):
        results = fake_results()
        results["models"][0].update(compiled=False, tessera=None, check="FAIL", error=None)
        self.assertIn("| resnet18 | 0.50 | failed (5.0) | 1 | n/a |", report.render(results))
        text = report.render({})
        self.assertIn("## Summary", text)
        self.assertNotIn("## Models", text)

    def test_plots(self):
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            self.skipTest("matplotlib is not installed")
        with tempfile.TemporaryDirectory() as tmp:
            files = report.plot(fake_results(), tmp)
            self.assertEqual(sorted(os.path.basename(f) for f in files),
                             ["conv.png", "gemm.png", "models.png", "ratios.png"])
            for f in files:
                with open(f, "rb") as png:
                    self.assertEqual(png.read(8), b"\x89PNG\r\n\x1a\n")

    def test_json_round_trip(self):
        results = fake_results()
        self.assertEqual(report.render(json.loads(json.dumps(results))), report.render(results))


class RunOptionsTest(unittest.TestCase):
    """bench/run.py's option handling and output check (needs numpy)."""

    @classmethod
    def setUpClass(cls):
        cls.bench_run = import_bench_module("run")
        cls.tmp = tempfile.TemporaryDirectory()
        os.makedirs(os.path.join(cls.tmp.name, "bin"))
        for tool in ("tessera-compile", "tessera-run"):
            path = os.path.join(cls.tmp.name, "bin", tool)
            with open(path, "w") as f:
                f.write("#!/bin/sh\nexit 1\n")
            os.chmod(path, stat.S_IRWXU)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_defaults_keep_30_runs(self):
        args = self.bench_run.parse_args(["--build", self.tmp.name])
        self.assertEqual((args.runs, args.warmup, args.thread_list), (30, 5, [1, 2]))
        self.assertEqual(args.rounds, 3)
        self.assertEqual(args.models.split(","), MODELS)
        self.assertFalse(args.no_torch)

    def test_quick(self):
        args = self.bench_run.parse_args(["--build", self.tmp.name, "--quick"])
        self.assertEqual((args.runs, args.thread_list, args.no_torch), (5, [1], True))
        self.assertEqual(args.models, "resnet18,transformer")
        args = self.bench_run.parse_args(["--build", self.tmp.name, "--quick", "--runs", "7",
                                    "--models", "resnet50"])
        self.assertEqual((args.runs, args.models), (7, "resnet50"))

    def test_bad_options_are_usage_errors(self):
        for argv in (["--models", "resnet18,nosuch"], ["--threads", "0"], ["--threads", "a"],
                     ["--runs", "0"], ["--rounds", "0"], ["--build", os.path.join(self.tmp.name, "nothing")]):
            with self.assertRaises(SystemExit, msg=argv), open(os.devnull, "w") as null, \
                    contextlib.redirect_stderr(null):
                self.bench_run.parse_args(["--build", self.tmp.name] + argv)

    def run_rounds(self, args, fake_tessera, fake_ort, state):
        """run_tessera_and_ort on one model with the two timers replaced."""
        import unittest.mock as mock
        with mock.patch.object(self.bench_run, "bench_tessera", fake_tessera), \
                mock.patch.object(self.bench_run, "bench_ort", fake_ort), \
                mock.patch.object(self.bench_run, "first_line", lambda r: r), \
                mock.patch.object(self.bench_run, "log", lambda _: None):
            return self.bench_run.run_tessera_and_ort(args, state, "m", "m.onnx", "m.so", [],
                                                      None, True, {"model": "m"})

    def test_rounds_alternate_and_take_the_median(self):
        """Tessera and onnxruntime alternate block by block (T O, O T, T O) and
        each keeps the median of its blocks; a failed Tessera block fails the row."""
        args = self.bench_run.parse_args(["--build", self.tmp.name, "--threads", "1",
                                          "--rounds", "3"])
        calls = []
        tessera_ms, ort_ms = iter([10.0, 30.0, 11.0]), iter([5.0, 4.0, 50.0])

        def fake_tessera(*_, **__):
            calls.append("T")
            return next(tessera_ms), None

        def fake_ort(*_, **__):
            calls.append("O")
            return next(ort_ms), "1.2.3", None

        state = {"have_ort": True, "ort_version": None, "notes": []}
        rows = self.run_rounds(args, fake_tessera, fake_ort, state)
        self.assertEqual("".join(calls), "TOOTTO")
        self.assertEqual((rows[0]["tessera"], rows[0]["ort"]), (11.0, 5.0))
        self.assertEqual(state["ort_version"], "1.2.3")

        failing = iter([10.0, None])
        rows = self.run_rounds(args, lambda *_, **__: (next(failing), "error"),
                               lambda *_, **__: (4.0, "1.2.3", None), state)
        self.assertEqual((rows[0]["tessera"], rows[0]["check"]), (None, "FAIL"))
        self.assertEqual(rows[0]["ort"], 4.0)

    def test_rounds_visit_every_thread_count(self):
        """Each round times every thread count, in alternating order, so a slow
        phase of the machine lands on both sides of the 2-thread speedup."""
        args = self.bench_run.parse_args(["--build", self.tmp.name, "--threads", "1,2",
                                          "--rounds", "3"])
        calls = []

        def fake_tessera(_args, _library, _inputs, threads, _out_dir):
            calls.append(f"T{threads}")
            return 10.0 * len(calls), None

        def fake_ort(_args, _model, _inputs, threads):
            calls.append(f"O{threads}")
            return 1.0, "1.2.3", None

        state = {"have_ort": True, "ort_version": None, "notes": []}
        rows = self.run_rounds(args, fake_tessera, fake_ort, state)
        self.assertEqual(" ".join(calls),
                         "T1 O1 T2 O2 O2 T2 O1 T1 T1 O1 T2 O2")
        self.assertEqual([row["threads"] for row in rows], [1, 2])
        # Tessera's block medians: 1 thread 10, 80, 90 ms; 2 threads 30, 60, 110 ms.
        self.assertEqual([row["tessera_rounds"] for row in rows],
                         [[10.0, 80.0, 90.0], [30.0, 60.0, 110.0]])
        self.assertEqual([row["tessera"] for row in rows], [80.0, 60.0])

    def test_check_output(self):
        import numpy as np
        expected = np.linspace(-1, 1, 10, dtype=np.float32)
        with tempfile.TemporaryDirectory() as out:
            self.assertEqual(self.bench_run.check_output(out, expected), ("FAIL", None))
            np.save(os.path.join(out, "output_0.npy"), expected + 1e-6)
            check, error = self.bench_run.check_output(out, expected)
            self.assertEqual(check, "ok")
            np.save(os.path.join(out, "output_0.npy"), expected + 1e-2)
            self.assertEqual(self.bench_run.check_output(out, expected)[0], "FAIL")
            np.save(os.path.join(out, "output_0.npy"), np.full(10, np.nan, np.float32))
            self.assertEqual(self.bench_run.check_output(out, expected), ("FAIL", None))


class KernelsTest(unittest.TestCase):
    def test_conv_shapes(self):
        import kernels
        stem = kernels.CONVS[0]
        self.assertEqual(kernels.conv_output_size(stem), 112)
        self.assertEqual(kernels.conv_flops(stem), 2.0 * 64 * 112 * 112 * 3 * 49)
        depthwise = next(c for c in kernels.CONVS if c.groups > 1 and c.stride == 2)
        self.assertEqual(kernels.conv_label(depthwise), "3x3/2 dw 96->96 @112")
        self.assertEqual(kernels.conv_flops(depthwise), 2.0 * 96 * 56 * 56 * 9)
        self.assertEqual(len({kernels.conv_key(c) for c in kernels.CONVS}), len(kernels.CONVS))

    def test_models_are_valid_onnx(self):
        try:
            import numpy as np
            import onnx
        except ImportError:
            self.skipTest("numpy or onnx is not installed")
        import kernels
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "g.onnx")
            a, w = kernels.gemm_model(path, 4, 3, 5)
            onnx.checker.check_model(onnx.load(path))
            self.assertEqual(kernels.gemm_reference(a, w).shape, (4, 3))
            c = kernels.Conv("t", 4, 9, 4, 3, 2, 1, 4)
            path = os.path.join(tmp, "c.onnx")
            x, w, b = kernels.conv_model(path, c)
            graph = onnx.load(path).graph
            self.assertEqual([n.op_type for n in graph.node], ["Conv"])
            self.assertEqual(x.shape, (1, 4, 9, 9))
            try:
                y = kernels.conv_reference(c, x, w, b)
            except ImportError:
                return
            self.assertEqual(y.shape, (1, 4, 5, 5))
            self.assertAlmostEqual(float(y[0, 1, 0, 0]),
                                   float(np.sum(x[0, 1, 0:2, 0:2] * w[1, 0, 1:, 1:]) + b[1]),
                                   places=5)


class TilePolicyTest(unittest.TestCase):
    """bench/tile_policy.py's paired timing with tessera-run replaced."""

    COMPARE = ("compare: 200 pairs (A B, B A, ...), 1 thread(s)\nA min: 9.0 ms\n"
               "A median: {a} ms\nB min: 8.5 ms\nB median: {b} ms\n"
               "ratio median: {r} (B/A per pair; min 0.5, max 1.9)\n")

    @classmethod
    def setUpClass(cls):
        cls.tile_policy = import_bench_module("tile_policy")

    def test_parse_compare(self):
        text = self.COMPARE.format(a="10.5", b="9.75", r="0.9301")
        self.assertEqual(self.tile_policy.parse_compare(text), (10.5, 9.75, 0.9301))
        self.assertIsNone(self.tile_policy.parse_compare("A median: 1 ms\n"))

    def time_paired(self, argv, outputs):
        """time_paired on two policies and a fake tessera-run whose --compare
        prints `outputs` in turn; returns (results, the compare argvs, state)."""
        import types
        import unittest.mock as mock
        args = self.tile_policy.parse_args(["--build", "/nonexistent", *argv])
        results = [{"policy": p, "library": f"/w/m.{p}.so", "medians": [], "ms": None,
                    "check": "FAIL"} for p in ("heuristic", "model")]
        compares = []
        outputs = iter(outputs)

        def fake_run_tool(cmd, *_, **__):
            compares.append(cmd)
            return types.SimpleNamespace(ok=True, stdout=next(outputs))

        state = {"notes": []}
        tp = self.tile_policy
        with mock.patch.object(tp, "bench_tessera", lambda *a, **k: (1.0, None)), \
                mock.patch.object(tp, "check_output", lambda *_: ("PASS", None)), \
                mock.patch.object(tp, "run_tool", fake_run_tool), \
                mock.patch.object(tp, "first_line", lambda r: r.stdout), \
                mock.patch.object(tp, "log", lambda _: None):
            tp.time_paired(args, state, "m", "/w/m", None, results)
        return results, compares, state

    def test_rounds_pair_the_policy_with_the_baseline(self):
        """Each round is one `--compare` of the baseline (A) with the policy
        (B); the ratio is the median of the rounds' pair-ratio medians."""
        outputs = [self.COMPARE.format(a=a, b=b, r=r) for a, b, r in
                   (("10", "9", "0.95"), ("20", "19", "0.99"), ("11", "12", "1.01"))]
        results, compares, state = self.time_paired(["--rounds", "3", "--runs", "7"], outputs)
        base, model = results
        self.assertEqual(len(compares), 3)
        self.assertEqual(compares[0][1:5], ["/w/m.heuristic.so", "--compare=/w/m.model.so",
                                            "--benchmark", "7"])
        self.assertEqual((model["ratio"], model["ratio_min"], model["ratio_max"]),
                         (0.99, 0.95, 1.01))
        self.assertEqual((base["ms"], model["ms"]), (11.0, 12.0))
        self.assertEqual((base["check"], model["check"]), ("PASS", "PASS"))
        self.assertEqual(state["notes"], [])

    def test_control_and_failure(self):
        """--control times the baseline against itself; a compare whose
        output cannot be read is a note, not a ratio."""
        outputs = [self.COMPARE.format(a="10", b="9", r="0.9"), "crashed",
                   self.COMPARE.format(a="10", b="10.1", r="1.004"),
                   self.COMPARE.format(a="10", b="9.9", r="0.998")]
        results, compares, state = self.time_paired(["--rounds", "2", "--control"], outputs)
        base, model = results
        self.assertEqual(model["ratios"], [0.9])
        self.assertIn("--compare failed", state["notes"][0])
        self.assertEqual(compares[-1][2], "--compare=/w/m.heuristic.so")
        self.assertEqual(base["control_ratios"], [1.004, 0.998])


class FmaPeakTest(unittest.TestCase):
    """bench/fma_peak.c compiles for AVX-512 and for AVX2 hosts (it once
    needed AVX-512, and the bench lost its peak on AVX2-only machines)."""

    def test_compiles_for_both_vector_widths(self):
        import shutil
        import subprocess
        cc = shutil.which("cc")
        if not cc:
            self.skipTest("no C compiler")
        for flags in (["-mavx512f", "-mfma"], ["-mavx2", "-mfma"]):
            with tempfile.TemporaryDirectory() as tmp:
                r = subprocess.run([cc, "-O3", *flags, "-pthread", "-c",
                                    os.path.join(REPO, "bench", "fma_peak.c"),
                                    "-o", os.path.join(tmp, "fma_peak.o")],
                                   capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, f"{flags}: {r.stderr}")


if __name__ == "__main__":
    unittest.main()
