#!/usr/bin/python3
"""Compiles a model with tessera-compile, runs it with tessera-run and compares
its outputs with a reference.

MODEL_DIR holds model.onnx, input_<i>.npy (by position) and expected_<i>.npy.
The check passes when, for every output, the shapes match and

    max |actual - expected| <= 1e-4 * max |expected|

  /usr/bin/python3 test/e2e/check_model.py MODEL_DIR \\
      [--tessera-compile PATH] [--tessera-run PATH] [--work-dir DIR]

Exit status: 0 pass, 1 mismatch or tool error.
"""

import argparse
import glob
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RELATIVE_TOLERANCE = 1e-4


def default_tool(name):
    """build/bin/<name> in the repository (or $TESSERA_BUILD_DIR/bin)."""
    build = os.environ.get("TESSERA_BUILD_DIR", os.path.join(REPO, "build"))
    return os.path.join(build, "bin", name)


class ToolResult:
    """Outcome of one tool invocation."""

    def __init__(self, argv, returncode, stdout, stderr, seconds, timed_out):
        self.argv = argv
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.timed_out = timed_out

    @property
    def crashed(self):
        """Killed by a signal (or by our timeout)."""
        return self.timed_out or self.returncode < 0

    @property
    def ok(self):
        return not self.timed_out and self.returncode == 0

    def describe(self):
        """One line naming what went wrong."""
        if self.timed_out:
            return f"timed out after {self.seconds:.0f} s"
        if self.returncode < 0:
            try:
                name = signal.Signals(-self.returncode).name
            except ValueError:
                name = f"signal {-self.returncode}"
            return f"killed by {name}"
        if self.returncode != 0:
            return first_error(self.stderr) or f"exit status {self.returncode}"
        return "ok"

    def command(self):
        return " ".join(shlex.quote(a) for a in self.argv)


def run_tool(argv, timeout, env=None):
    """Runs argv with a timeout, capturing output. Never raises for a tool
    failure; a missing executable is reported as exit status 127. The tool
    runs in its own process group, so a timeout also ends the processes it
    started (a linker, say)."""
    start = time.monotonic()
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, start_new_session=True)
    except OSError as e:
        return ToolResult(argv, 127, "", f"error: cannot run {argv[0]}: {e}",
                          time.monotonic() - start, False)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        return ToolResult(argv, proc.returncode, decode(stdout), decode(stderr),
                          time.monotonic() - start, False)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        stdout, stderr = proc.communicate()
        return ToolResult(argv, -signal.SIGKILL, decode(stdout), decode(stderr),
                          time.monotonic() - start, True)


def decode(data):
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    return data.decode("utf-8", errors="replace")


def first_error(text):
    """The first `error: ...` line of a tool's stderr, else its last line."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for line in lines:
        if re.match(r"^(\S+: )?error: ", line):
            return line
    return lines[-1] if lines else ""


def tool_env(threads=1):
    env = dict(os.environ)
    env["TESSERA_NUM_THREADS"] = str(threads)
    return env


def relative_error_check(actual, expected):
    """Returns (ok, max_abs_error, tolerance, message)."""
    if actual.shape != expected.shape:
        return False, float("inf"), 0.0, f"shape {actual.shape}, expected {expected.shape}"
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    tolerance = RELATIVE_TOLERANCE * float(np.max(np.abs(e))) if e.size else 0.0
    if e.size == 0:
        return True, 0.0, tolerance, "empty"
    if not np.all(np.isfinite(a)):
        return False, float("inf"), tolerance, "non-finite values in the output"
    error = float(np.max(np.abs(a - e)))
    return error <= tolerance, error, tolerance, ""


def compile_model(compiler, model, output, timeout, extra=()):
    return run_tool([compiler, model, "-o", output, *extra], timeout)


def check(model_dir, compiler, runner, work_dir, threads=1,
          compile_timeout=300, run_timeout=300, extra_compile_args=()):
    """Compile, run, compare. Prints a report and returns True on a pass."""
    name = os.path.basename(os.path.normpath(model_dir))
    model = os.path.join(model_dir, "model.onnx")
    inputs = sorted(glob.glob(os.path.join(model_dir, "input_*.npy")),
                    key=lambda p: int(re.search(r"input_(\d+)\.npy$", p).group(1)))
    expected_files = sorted(glob.glob(os.path.join(model_dir, "expected_*.npy")),
                            key=lambda p: int(re.search(r"expected_(\d+)\.npy$", p).group(1)))
    if not os.path.exists(model) or not expected_files:
        print(f"{name}: FAIL: {model_dir} needs model.onnx and expected_<i>.npy")
        return False
    os.makedirs(work_dir, exist_ok=True)
    library = os.path.join(work_dir, f"{name}.so")
    out_dir = os.path.join(work_dir, f"{name}.out")
    for f in glob.glob(os.path.join(out_dir, "output_*.npy")):
        os.remove(f)
    if os.path.exists(library):
        os.remove(library)

    result = compile_model(compiler, model, library, compile_timeout, extra_compile_args)
    print(f"{name}: compile time: {result.seconds:.2f} s")
    if not result.ok:
        print(f"{name}: FAIL: tessera-compile {result.describe()}")
        print(f"  command: {result.command()}")
        sys.stdout.write(indent(result.stderr))
        return False

    argv = [runner, library, "--output-dir", out_dir, f"--threads={threads}"]
    for f in inputs:
        argv += ["--input", f]
    result = run_tool(argv, run_timeout, env=tool_env(threads))
    print(f"{name}: run time: {result.seconds:.2f} s")
    if not result.ok:
        print(f"{name}: FAIL: tessera-run {result.describe()}")
        print(f"  command: {result.command()}")
        sys.stdout.write(indent(result.stderr))
        return False

    passed = True
    for i, expected_file in enumerate(expected_files):
        expected = np.load(expected_file)
        actual_file = os.path.join(out_dir, f"output_{i}.npy")
        if not os.path.exists(actual_file):
            print(f"{name}: FAIL: output {i}: tessera-run wrote no {actual_file}")
            passed = False
            continue
        actual = np.load(actual_file)
        ok, error, tolerance, message = relative_error_check(actual, expected)
        print(f"{name}: output {i}: max abs error {error:.3e}, "
              f"tolerance {tolerance:.3e} (1e-4 * max|expected| = "
              f"1e-4 * {float(np.max(np.abs(expected))) if expected.size else 0.0:.4g})"
              + (f": {message}" if message else ""))
        if not ok:
            passed = False
    print(f"{name}: {'PASS' if passed else 'FAIL'}")
    return passed


def indent(text, prefix="  "):
    lines = text.splitlines()[:30]
    return "".join(prefix + l + "\n" for l in lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model_dirs", nargs="+", metavar="MODEL_DIR")
    parser.add_argument("--tessera-compile", default=default_tool("tessera-compile"))
    parser.add_argument("--tessera-run", default=default_tool("tessera-run"))
    parser.add_argument("--work-dir", help="scratch folder (default: a temporary one)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--compile-timeout", type=float, default=300)
    parser.add_argument("--run-timeout", type=float, default=300)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tessera-e2e-") as tmp:
        work_dir = args.work_dir or tmp
        results = [check(d, args.tessera_compile, args.tessera_run, work_dir,
                         threads=args.threads, compile_timeout=args.compile_timeout,
                         run_timeout=args.run_timeout)
                   for d in args.model_dirs]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
