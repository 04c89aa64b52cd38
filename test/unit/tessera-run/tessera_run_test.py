#!/usr/bin/python3
"""End-to-end tests of tessera-run on the hand-written test artifact.

The artifact (test/unit/runtime/TestArtifact.c) has inputs a, b (float32 2x3)
and outputs sum = a + b, "a*b" = a * b (float32 2x3) and total = sum(a + b)
(float64 scalar). Each test case is one function; ctest runs one case per
process:

  tessera_run_test.py --tool T --artifact A --non-artifact SO --work-dir D CASE

Exit status: 0 pass, 1 fail, 77 skip (numpy or onnx missing).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

try:
    import numpy as np
except ImportError:
    print("skipped: numpy is not available for", sys.executable)
    sys.exit(77)

ARGS = None


class Skip(Exception):
    pass


def run(*extra, env=None):
    """Runs tessera-run and returns (exit status, stdout, stderr)."""
    cmd = [ARGS.tool] + [str(arg) for arg in extra]
    full_env = dict(os.environ)
    full_env.pop("TESSERA_NUM_THREADS", None)
    if env:
        full_env.update(env)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env,
                          timeout=60)
    print("$", " ".join(cmd))
    print(proc.stdout, end="")
    print(proc.stderr, end="", file=sys.stderr)
    # Never a crash: the status is a plain exit code, not a signal.
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}"
    return proc.returncode, proc.stdout, proc.stderr


def expect_error(expected, *extra):
    """Runs tessera-run, expecting exit status 1 and `expected` in stderr."""
    code, out, err = run(*extra)
    assert code == 1, f"expected exit status 1, got {code}"
    assert err.startswith("error: "), f"stderr does not start with 'error: '"
    if isinstance(expected, re.Pattern):
        assert expected.search(err), f"stderr does not match {expected.pattern!r}"
    else:
        assert expected in err, f"stderr lacks {expected!r}"
    return err


def inputs():
    a = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
    b = np.linspace(-1, 2, 6, dtype=np.float32).reshape(2, 3)
    return a, b


def save(name, array):
    path = os.path.join(ARGS.work_dir, name)
    np.save(path, array)
    return path


def save_inputs():
    a, b = inputs()
    return save("a.npy", a), save("b.npy", b)


def check_summary(out):
    lines = out.splitlines()
    assert any(l.startswith("output 0 'sum': float32 2x3 min=") for l in lines), out
    assert any(l.startswith("output 1 'a*b': float32 2x3 min=") for l in lines), out
    assert any(l.startswith("output 2 'total': float64 scalar min=") for l in lines), out
    a, b = inputs()
    s = a + b
    sum_line = next(l for l in lines if l.startswith("output 0"))
    match = re.search(r"min=(\S+) max=(\S+) mean=(\S+)", sum_line)
    assert match, sum_line
    assert np.isclose(float(match.group(1)), s.min(), atol=1e-5)
    assert np.isclose(float(match.group(2)), s.max(), atol=1e-5)
    assert np.isclose(float(match.group(3)), s.mean(), atol=1e-5)


# --- good runs -------------------------------------------------------------

def case_by_name():
    a, b = save_inputs()
    code, out, _ = run(ARGS.artifact, "--input", f"b={b}", "--input", f"a={a}")
    assert code == 0
    check_summary(out)


def case_by_position():
    a, b = save_inputs()
    code, out, _ = run(ARGS.artifact, "--input", a, f"--input={b}")
    assert code == 0
    check_summary(out)


def case_mixed_name_and_position():
    a, b = save_inputs()
    # b by name first; the positional file fills the first unfilled input, a.
    code, out, _ = run(ARGS.artifact, "--input", f"b={b}", "--input", a)
    assert code == 0
    check_summary(out)


def onnx_helpers():
    try:
        from onnx import helper, numpy_helper, TensorProto
    except ImportError:
        raise Skip("onnx is not available")
    return helper, numpy_helper, TensorProto


def case_pb_input():
    _, numpy_helper, _ = onnx_helpers()
    a, b = inputs()
    a_path = save("a.npy", a)
    b_path = os.path.join(ARGS.work_dir, "b.pb")
    with open(b_path, "wb") as f:
        f.write(numpy_helper.from_array(b, "b").SerializeToString())
    out_dir = os.path.join(ARGS.work_dir, "out")
    code, out, _ = run(ARGS.artifact, "--input", a_path, "--input", b_path,
                       "--output-dir", out_dir)
    assert code == 0
    check_summary(out)
    np.testing.assert_array_equal(np.load(os.path.join(out_dir, "output_0.npy")), a + b)


def case_pb_typed_fields():
    helper, _, TensorProto = onnx_helpers()
    a, b = inputs()
    paths = []
    for name, array in (("a", a), ("b", b)):
        # raw=False stores the values in float_data, not raw_data.
        tensor = helper.make_tensor(name, TensorProto.FLOAT, array.shape,
                                    array.flatten().tolist(), raw=False)
        assert not tensor.raw_data and len(tensor.float_data) == 6
        path = os.path.join(ARGS.work_dir, name + ".pb")
        with open(path, "wb") as f:
            f.write(tensor.SerializeToString())
        paths.append(path)
    out_dir = os.path.join(ARGS.work_dir, "out")
    code, out, _ = run(ARGS.artifact, "--input", f"a={paths[0]}",
                       "--input", f"b={paths[1]}", f"--output-dir={out_dir}")
    assert code == 0
    check_summary(out)
    np.testing.assert_array_equal(np.load(os.path.join(out_dir, "output_1.npy")), a * b)
    # A typed tensor of the wrong element type is reported like any mismatch.
    bad = helper.make_tensor("a", TensorProto.INT64, [2, 3], list(range(6)))
    bad_path = os.path.join(ARGS.work_dir, "bad.pb")
    with open(bad_path, "wb") as f:
        f.write(bad.SerializeToString())
    expect_error(f"error: input 'a' expects shape 2x3 float32, got 2x3 int64 "
                 f"from {bad_path}", ARGS.artifact, "--input", bad_path,
                 "--input", paths[1])


def case_output_dir():
    a_path, b_path = save_inputs()
    a, b = inputs()
    out_dir = os.path.join(ARGS.work_dir, "new", "nested")
    shutil.rmtree(os.path.join(ARGS.work_dir, "new"), ignore_errors=True)
    code, _, _ = run(ARGS.artifact, "--input", a_path, "--input", b_path,
                     "--output-dir", out_dir)
    assert code == 0
    assert sorted(os.listdir(out_dir)) == ["output_0.npy", "output_1.npy", "output_2.npy"]
    s = np.load(os.path.join(out_dir, "output_0.npy"))
    p = np.load(os.path.join(out_dir, "output_1.npy"))
    t = np.load(os.path.join(out_dir, "output_2.npy"))
    assert s.dtype == np.float32 and s.shape == (2, 3)
    assert t.dtype == np.float64 and t.shape == ()
    np.testing.assert_array_equal(s, a + b)
    np.testing.assert_array_equal(p, a * b)
    np.testing.assert_allclose(t, (a + b).astype(np.float64).sum(), rtol=1e-12)


def case_random_inputs():
    out_dir = os.path.join(ARGS.work_dir, "out")
    code, out1, _ = run(ARGS.artifact, "--random-inputs", "--seed", "7",
                        "--output-dir", out_dir)
    assert code == 0
    check_summary_shape = [l.split(" min=")[0] for l in out1.splitlines()]
    assert check_summary_shape == ["output 0 'sum': float32 2x3",
                                   "output 1 'a*b': float32 2x3",
                                   "output 2 'total': float64 scalar"], out1
    s = np.load(os.path.join(out_dir, "output_0.npy"))
    assert np.all(np.abs(s) <= 2.0), s
    assert len(np.unique(s)) > 1, s
    # Deterministic for a seed, different across seeds.
    code, out2, _ = run(ARGS.artifact, "--random-inputs", "--seed=7")
    assert code == 0 and out2 == out1
    code, out3, _ = run(ARGS.artifact, "--random-inputs", "--seed", "8")
    assert code == 0 and out3 != out1
    # Given inputs are kept; only the rest is random.
    a_path, _ = save_inputs()
    code, out4, _ = run(ARGS.artifact, "--input", a_path, "--random-inputs")
    assert code == 0 and out4 != out1


def case_benchmark():
    code, out, _ = run(ARGS.artifact, "--random-inputs", "--benchmark", "5")
    assert code == 0
    assert re.search(r"^median: [0-9]+(\.[0-9]+)? ms$", out, re.M), out
    for stat in ("min", "mean", "p90"):
        assert re.search(rf"^{stat}: [0-9.]+ ms$", out, re.M), stat
    expect_error("invalid --benchmark", ARGS.artifact, "--benchmark", "0")
    expect_error("invalid --benchmark", ARGS.artifact, "--benchmark=x")


def case_threads():
    code, out, _ = run(ARGS.artifact, "--random-inputs", "--threads=2",
                       "--benchmark", "2")
    assert code == 0 and "2 thread(s)" in out, out
    code, out, _ = run(ARGS.artifact, "--random-inputs", "--benchmark", "2",
                       env={"TESSERA_NUM_THREADS": "3"})
    assert code == 0 and "3 thread(s)" in out, out
    code, out, _ = run(ARGS.artifact, "--random-inputs", "--benchmark", "2")
    assert code == 0 and "1 thread(s)" in out, out
    expect_error("invalid --threads", ARGS.artifact, "--threads=-1")


def case_compare():
    # B (the "side" variant: the same inputs a, b, other outputs) sleeps
    # 100 ms a run, A takes microseconds: every pair's ratio B/A is large.
    code, out, _ = run(ARGS.artifact, "--random-inputs", "--benchmark", "3",
                       "--compare", ARGS.side_artifact)
    assert code == 0, code
    assert "compare: 3 pairs (A B, B A, ...), 1 thread(s)" in out, out
    stats = {}
    for label in ("A", "B"):
        for stat in ("min", "median"):
            match = re.search(rf"^{label} {stat}: ([0-9.]+) ms$", out, re.M)
            assert match, f"no '{label} {stat}' line"
            stats[label, stat] = float(match.group(1))
    assert stats["B", "min"] >= 100 > stats["A", "median"], stats
    match = re.search(r"^ratio median: ([0-9.]+) \(B/A per pair; "
                      r"min ([0-9.]+), max ([0-9.]+)\)$", out, re.M)
    assert match, "no 'ratio median' line"
    median, low, high = map(float, match.groups())
    assert 10 < low <= median <= high, (low, median, high)
    # A's outputs are printed, as without --compare.
    assert "output 0 'sum'" in out and "side_sum" not in out, out
    # An artifact against itself, with --threads: a ratio near 1.
    code, out, _ = run(ARGS.artifact, "--random-inputs", "--benchmark=200",
                       "--compare=" + ARGS.artifact, "--threads=2")
    assert code == 0 and "2 thread(s)" in out, out
    match = re.search(r"^ratio median: ([0-9.]+)", out, re.M)
    assert match and 0.2 < float(match.group(1)) < 5, out


def case_compare_errors():
    # The chain variant takes inputs 'sum' and 'a*b': not comparable.
    expect_error(f"error: cannot compare '{ARGS.chain_artifact}' with "
                 f"'{ARGS.artifact}': they take different inputs ('sum' "
                 "(float32 2x3), 'a*b' (float32 2x3) against 'a' (float32 "
                 "2x3), 'b' (float32 2x3))", ARGS.artifact, "--random-inputs",
                 "--benchmark", "2", "--compare", ARGS.chain_artifact)
    expect_error("error: --compare needs --benchmark N", ARGS.artifact,
                 "--random-inputs", "--compare", ARGS.side_artifact)
    expect_error("error: --compare and --fallback cannot be combined",
                 ARGS.artifact, "--benchmark", "2", "--compare",
                 ARGS.side_artifact, "--fallback", ARGS.side_artifact)
    expect_error("error: --compare needs an artifact", ARGS.artifact,
                 "--benchmark", "2", "--compare=")
    missing = os.path.join(ARGS.work_dir, "missing.so")
    expect_error(f"error: cannot load artifact '{missing}'", ARGS.artifact,
                 "--random-inputs", "--benchmark", "2", "--compare", missing)


def case_help():
    for flag in ("-h", "--help"):
        code, out, _ = run(flag)
        assert code == 0 and out.startswith("usage: tessera-run"), out


# --- errors ----------------------------------------------------------------

def case_wrong_shape():
    _, b = save_inputs()
    bad = save("small.npy", np.zeros((1, 3), np.float32))
    err = expect_error("", ARGS.artifact, "--input", f"a={bad}", "--input", b)
    assert err == (f"error: input 'a' expects shape 2x3 float32, got 1x3 float32 "
                   f"from {bad}\n"), err
    scalar = save("scalar.npy", np.float32(1))
    expect_error(f"error: input 'b' expects shape 2x3 float32, got scalar float32 "
                 f"from {scalar}", ARGS.artifact, "--input", f"b={scalar}",
                 "--random-inputs")


def case_wrong_dtype():
    a, _ = save_inputs()
    bad = save("double.npy", np.zeros((2, 3), np.float64))
    expect_error(f"error: input 'b' expects shape 2x3 float32, got 2x3 float64 "
                 f"from {bad}", ARGS.artifact, "--input", a, "--input", bad)


def case_unknown_input_name():
    a, _ = save_inputs()
    err = expect_error("error: unknown input name 'c'", ARGS.artifact,
                       "--input", f"c={a}")
    assert "'a' (float32 2x3)" in err and "'b' (float32 2x3)" in err, err


def case_missing_input():
    a, _ = save_inputs()
    expect_error("error: input 'b' (float32 2x3) is not given", ARGS.artifact,
                 "--input", a)


def case_too_many_inputs():
    a, b = save_inputs()
    expect_error("error: too many inputs: the model has 2 input(s)",
                 ARGS.artifact, "--input", a, "--input", b, "--input", a)


def case_duplicate_input():
    a, b = save_inputs()
    expect_error("error: input 'a' is given more than once", ARGS.artifact,
                 "--input", f"a={a}", "--input", f"a={b}")


def case_missing_model():
    missing = os.path.join(ARGS.work_dir, "missing.so")
    err = expect_error("", missing)
    assert err == (f"error: cannot load artifact '{missing}': No such file or "
                   f"directory\n"), err


def case_not_an_artifact():
    expect_error(f"error: cannot load artifact '{ARGS.non_artifact}': not a "
                 f"Tessera artifact", ARGS.non_artifact)
    text = os.path.join(ARGS.work_dir, "text.so")
    with open(text, "w") as f:
        f.write("not a shared library\n")
    expect_error(f"error: cannot load artifact '{text}'", text)


def case_missing_input_file():
    missing = os.path.join(ARGS.work_dir, "nope.npy")
    expect_error(f"error: input 'a': input file '{missing}' does not exist",
                 ARGS.artifact, "--input", missing, "--random-inputs")


def case_not_npy_or_pb():
    path = os.path.join(ARGS.work_dir, "input.txt")
    with open(path, "w") as f:
        f.write("1 2 3\n")
    expect_error("is neither a .npy file nor an ONNX TensorProto .pb file",
                 ARGS.artifact, "--input", path, "--random-inputs")


def case_corrupted_npy():
    a, _ = save_inputs()
    with open(a, "rb") as f:
        data = f.read()
    truncated = os.path.join(ARGS.work_dir, "truncated.npy")
    with open(truncated, "wb") as f:
        f.write(data[:-5])
    expect_error(f"error: input 'a': {truncated}: data size mismatch",
                 ARGS.artifact, "--input", truncated, "--random-inputs")
    garbage = os.path.join(ARGS.work_dir, "garbage.npy")
    with open(garbage, "wb") as f:
        f.write(b"\x00\x01 definitely not numpy")
    expect_error("not a .npy file (bad magic)", ARGS.artifact,
                 "--input", garbage, "--random-inputs")
    fortran = save("fortran.npy", np.asfortranarray(inputs()[0]))
    expect_error("Fortran-ordered arrays are not supported", ARGS.artifact,
                 "--input", fortran, "--random-inputs")


def case_corrupted_pb():
    path = os.path.join(ARGS.work_dir, "garbage.pb")
    with open(path, "wb") as f:
        f.write(b"\xff\xff\xff\xff\xff garbage \x00\x12")
    expect_error(f"error: input 'a': {path}: not a valid ONNX TensorProto",
                 ARGS.artifact, "--input", path, "--random-inputs")
    empty = os.path.join(ARGS.work_dir, "empty.pb")
    open(empty, "wb").close()
    expect_error("not a valid ONNX TensorProto", ARGS.artifact,
                 "--input", empty, "--random-inputs")


def case_artifact_failure():
    a, b = inputs()
    a[0, 0] = -12345.0
    path = save("trigger.npy", a)
    expect_error(f"error: artifact '{ARGS.artifact}' failed with status 42",
                 ARGS.artifact, "--input", path, "--random-inputs")


def case_unknown_option():
    expect_error("error: unknown option '--frobnicate'", ARGS.artifact,
                 "--frobnicate")
    expect_error("error: option '--input' needs a value", ARGS.artifact,
                 "--input")
    expect_error("error: unexpected argument", ARGS.artifact, "extra.npy")


def case_no_model():
    expect_error("error: no model given", "--random-inputs")


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True)
    parser.add_argument("--artifact", required=True)
    parser.add_argument("--non-artifact", required=True)
    # Variants of the artifact for --compare: the same inputs (side), other
    # inputs (chain).
    parser.add_argument("--side-artifact", required=True)
    parser.add_argument("--chain-artifact", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("case")
    ARGS = parser.parse_args()
    case = globals().get("case_" + ARGS.case)
    if case is None:
        print(f"unknown case {ARGS.case}", file=sys.stderr)
        return 1
    os.makedirs(ARGS.work_dir, exist_ok=True)
    try:
        case()
    except Skip as skip:
        print("skipped:", skip)
        return 77
    except AssertionError as failure:
        print(f"FAIL {ARGS.case}: {failure}", file=sys.stderr)
        raise
    print(f"PASS {ARGS.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
