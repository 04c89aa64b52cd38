#!/usr/bin/python3
"""Runs the ONNX backend node tests (libonnx-testdata) through Tessera.

For every test folder (model.onnx + test_data_set_*/{input,output}_<i>.pb),
compiles the model with tessera-compile, runs every data set with tessera-run (inputs by position) and
compares each output_<i>.npy with output_<i>.pb: same shape, same dtype, and
np.allclose(rtol=1e-3, atol=1e-7) for floating point (NaN equals NaN), exact
equality otherwise.

Each in-scope test ends as one of
  pass, wrong-result, compile-error, unsupported-op, run-error, crash
(crash: a tool killed by a signal, or a timeout; unsupported-op names every op
tessera-compile rejects). Tests of training ops, sequences, strings, optionals,
control flow and random ops (out_of_scope_ops.txt), and tests whose inputs or
outputs are not tensors, are declared out of scope with the reason; they still
count in the total.

The expectation file lists tests that must pass. The exit status is non-zero
when a listed test does not pass (a regression) or when any test crashes.
Tests that pass but are not listed are reported; --update-expectations
rewrites the list (for the selected tests only) from this run's passes.

The last line printed is `N passed, M failed` (over in-scope tests).

  /usr/bin/python3 test/e2e/onnx_node_tests.py [-j 2] [--filter REGEX]
      [--suite node ...] [--work-dir DIR] [--report-md F] [--report-json F]
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_model import default_tool, first_error, run_tool, tool_env  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA_DIR = "/usr/share/libonnx-testdata/data"
DEFAULT_OUT_OF_SCOPE = os.path.join(HERE, "out_of_scope_ops.txt")
DEFAULT_EXPECTED = os.path.join(HERE, "onnx_expected_pass.txt")
RTOL = 1e-3
ATOL = 1e-7
SKIP_RETURN_CODE = 77

OUTCOMES = ["pass", "wrong-result", "compile-error", "unsupported-op", "run-error", "crash"]
UNSUPPORTED_RE = re.compile(r"unsupported (?:ONNX )?op(?:erator)?(?: type)? '([^']+)'")
CATEGORY_REASONS = {
    "training": "training op (inference compiler)",
    "sequence": "sequence type (tensors only)",
    "string": "string tensors",
    "optional": "optional type (tensors only)",
    "control-flow": "control flow with subgraphs (If/Loop/Scan)",
    "random": "random-number op (no reproducible reference)",
}


# ----------------------------------------------------------------------------
# Discovery
# ----------------------------------------------------------------------------

def read_list(path):
    """Lines of a list file, without comments (#) and blank lines."""
    items = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                items.append(line)
    return items


def test_name(suite, folder):
    return folder if suite == "node" else f"{suite}/{folder}"


def discover(data_dir, suites, pattern):
    """(name, path) of every test folder with a model.onnx, sorted."""
    tests = []
    for suite in suites:
        suite_dir = os.path.join(data_dir, suite)
        if not os.path.isdir(suite_dir):
            raise SystemExit(f"error: no test suite folder {suite_dir}")
        for folder in sorted(os.listdir(suite_dir)):
            path = os.path.join(suite_dir, folder)
            name = test_name(suite, folder)
            if not os.path.isfile(os.path.join(path, "model.onnx")):
                continue
            if pattern and not re.search(pattern, name):
                continue
            tests.append((name, path))
    return tests


def graph_ops(graph, ops):
    """Collects op types of a graph and of its subgraphs."""
    for node in graph.node:
        domain = node.domain if node.domain not in ("", "ai.onnx") else ""
        ops.add(f"{domain}.{node.op_type}" if domain else node.op_type)
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                graph_ops(attr.g, ops)
            elif attr.type == onnx.AttributeProto.GRAPHS:
                for g in attr.graphs:
                    graph_ops(g, ops)
    return ops


def read_out_of_scope(path):
    """{op: category} from the out-of-scope file (`op category` lines)."""
    table = {}
    for line in read_list(path):
        op, category = line.split()
        if category not in CATEGORY_REASONS:
            raise SystemExit(f"error: {path}: unknown category '{category}' of {op}")
        table[op] = category
    return table


def analyze(path, out_of_scope):
    """Returns (ops, reason) where reason is None for in-scope tests."""
    try:
        model = onnx.load(os.path.join(path, "model.onnx"))
    except Exception as e:  # a broken file is out of scope, not our failure
        return [], (OUT_OF_SCOPE_PREFIX + f"model does not load with onnx {onnx.__version__}: {e}")
    ops = sorted(graph_ops(model.graph, set()))
    excluded = [op for op in ops if op in out_of_scope]
    if excluded:
        categories = sorted({out_of_scope[op] for op in excluded})
        return ops, (OUT_OF_SCOPE_PREFIX + "; ".join(CATEGORY_REASONS[c] for c in categories)
                     + ": " + ", ".join(excluded))
    initializers = {t.name for t in model.graph.initializer}
    for value in list(model.graph.input) + list(model.graph.output):
        if value.name in initializers:
            continue
        if not value.type.HasField("tensor_type"):
            return ops, (OUT_OF_SCOPE_PREFIX + "non-tensor graph value (tensors only): "
                         f"'{value.name}' is a sequence, map or optional")
    if not glob.glob(os.path.join(path, "test_data_set_*")):
        return ops, OUT_OF_SCOPE_PREFIX + "no test data: no test_data_set_* folder"
    return ops, None


OUT_OF_SCOPE_PREFIX = "out of scope: "


# ----------------------------------------------------------------------------
# Running one test
# ----------------------------------------------------------------------------

def numbered(folder, stem, ext):
    files = glob.glob(os.path.join(folder, f"{stem}_*.{ext}"))
    regex = re.compile(rf"{stem}_(\d+)\.{ext}$")
    files = [f for f in files if regex.search(f)]
    return sorted(files, key=lambda f: int(regex.search(f).group(1)))


def compare(actual, expected):
    """Returns "" when equal within tolerance, else what differs."""
    if actual.shape != expected.shape:
        return f"shape {list(actual.shape)}, expected {list(expected.shape)}"
    if actual.dtype != expected.dtype:
        return f"dtype {actual.dtype}, expected {expected.dtype}"
    if actual.size == 0:
        return ""
    if expected.dtype.kind in "fc":
        if np.allclose(actual, expected, rtol=RTOL, atol=ATOL, equal_nan=True):
            return ""
        a = actual.astype(np.float64)
        e = expected.astype(np.float64)
        with np.errstate(invalid="ignore"):
            diff = np.abs(a - e)
        diff = np.where(np.isnan(a) & np.isnan(e), 0.0, diff)
        diff = np.where(np.isnan(diff), np.inf, diff)
        bad = ~np.isclose(a, e, rtol=RTOL, atol=ATOL, equal_nan=True)
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        return (f"{int(bad.sum())}/{expected.size} elements differ, max abs error "
                f"{float(diff.max()):.3g}; first at {list(index)}: "
                f"{a[index]!r} vs expected {e[index]!r}")
    if np.array_equal(actual, expected):
        return ""
    bad = actual != expected
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    return (f"{int(bad.sum())}/{expected.size} elements differ; first at {list(index)}: "
            f"{actual[index]!r} vs expected {expected[index]!r}")


def tool_failure(result, tool):
    """(outcome, detail) of a failed tool invocation."""
    if result.crashed:
        return "crash", f"{tool} {result.describe()}"
    message = result.describe()
    if tool == "tessera-compile":
        m = UNSUPPORTED_RE.search(result.stderr)
        if m:
            return "unsupported-op", message
        return "compile-error", message
    return "run-error", message


def run_test(name, path, args):
    """Compiles and runs one test. Returns a result dict."""
    work = os.path.join(args.work_dir, name.replace("/", "__"))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    library = os.path.join(work, "model.so")
    record = {"outcome": None, "detail": "", "compile_seconds": None, "run_seconds": 0.0}

    result = run_tool([args.tessera_compile, os.path.join(path, "model.onnx"), "-o", library,
                       f"--target={args.target}"],
                      args.compile_timeout, env=tool_env(1))
    record["compile_seconds"] = round(result.seconds, 3)
    if not result.ok:
        outcome, detail = tool_failure(result, "tessera-compile")
        record.update(outcome=outcome, detail=detail, command=result.command())
        unsupported = sorted(set(UNSUPPORTED_RE.findall(result.stderr)))
        if unsupported:
            record["unsupported_ops"] = unsupported
        return record

    for data_set in sorted(glob.glob(os.path.join(path, "test_data_set_*"))):
        set_name = os.path.basename(data_set)
        out_dir = os.path.join(work, set_name)
        argv = [args.tessera_run, library, "--output-dir", out_dir]
        for f in numbered(data_set, "input", "pb"):
            argv += ["--input", f]
        result = run_tool(argv, args.run_timeout, env=tool_env(1))
        record["run_seconds"] = round(record["run_seconds"] + result.seconds, 3)
        if not result.ok:
            outcome, detail = tool_failure(result, "tessera-run")
            record.update(outcome=outcome, detail=f"{set_name}: {detail}",
                          command=result.command())
            return record
        for i, expected_file in enumerate(numbered(data_set, "output", "pb")):
            try:
                tensor = onnx.TensorProto()
                with open(expected_file, "rb") as f:
                    tensor.ParseFromString(f.read())
                expected = numpy_helper.to_array(tensor)
            except Exception as e:
                record.update(outcome="wrong-result",
                              detail=f"{set_name}: cannot read {expected_file}: {e}")
                return record
            actual_file = os.path.join(out_dir, f"output_{i}.npy")
            if not os.path.exists(actual_file):
                record.update(outcome="wrong-result",
                              detail=f"{set_name}: output {i}: no output_{i}.npy written")
                return record
            try:
                actual = np.load(actual_file, allow_pickle=False)
            except Exception as e:
                record.update(outcome="wrong-result",
                              detail=f"{set_name}: output {i}: unreadable .npy: {e}")
                return record
            difference = compare(actual, expected)
            if difference:
                record.update(outcome="wrong-result",
                              detail=f"{set_name}: output {i}: {difference}")
                return record
    record["outcome"] = "pass"
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return record


# ----------------------------------------------------------------------------
# Reports
# ----------------------------------------------------------------------------

def markdown_report(results, skipped, regressions, new_passes, unlisted, args, seconds):
    counts = collections.Counter(r["outcome"] for r in results.values())
    total = len(results) + len(skipped)
    lines = ["# ONNX backend tests through Tessera", ""]
    lines.append(f"Suites: {', '.join(args.suite)}"
                 + (f"; filter `{args.filter}`" if args.filter else "")
                 + f"; {total} tests, {len(results)} in scope, {len(skipped)} declared out of "
                 f"scope; {seconds:.0f} s with -j {args.jobs}.")
    lines.append("")
    lines.append(f"**{counts.get('pass', 0)} of {total} tests pass** "
                 f"({counts.get('pass', 0) / max(total, 1):.1%} of all, "
                 f"{counts.get('pass', 0) / max(len(results), 1):.1%} of those in scope).")
    lines.append("")
    lines.append("| outcome | tests |")
    lines.append("|---|---|")
    for outcome in OUTCOMES:
        lines.append(f"| {outcome} | {counts.get(outcome, 0)} |")
    lines.append(f"| out of scope | {len(skipped)} |")
    lines.append("")

    if regressions:
        lines.append("## Regressions (listed as expected to pass)")
        lines.append("")
        for name in regressions:
            r = results.get(name)
            detail = f"{r['outcome']}: {r['detail']}" if r else f"not run: {skipped.get(name, 'missing')}"
            lines.append(f"- `{name}`: {md(detail)}")
        lines.append("")
    if new_passes:
        lines.append("## Newly passing (not yet in the expectation file)")
        lines.append("")
        lines += [f"- `{name}`" for name in new_passes]
        lines.append("")
    if unlisted:
        lines.append("## Expected tests that do not exist in the selected suites")
        lines.append("")
        lines += [f"- `{name}`" for name in unlisted]
        lines.append("")

    for outcome in OUTCOMES[1:]:
        names = sorted(n for n, r in results.items() if r["outcome"] == outcome)
        if not names:
            continue
        lines.append(f"## {outcome} ({len(names)})")
        lines.append("")
        lines.append("| test | detail |")
        lines.append("|---|---|")
        for name in names:
            lines.append(f"| `{name}` | {md(results[name]['detail'])} |")
        lines.append("")

    # Which unsupported ops keep the most tests from compiling.
    alone = collections.Counter()
    anywhere = collections.Counter()
    for r in results.values():
        ops = r.get("unsupported_ops", [])
        for op in ops:
            anywhere[op] += 1
        if len(ops) == 1:
            alone[ops[0]] += 1
    if anywhere:
        lines.append("## Unsupported ops")
        lines.append("")
        lines.append("`alone`: tests this op is the only unsupported op of.")
        lines.append("")
        lines.append("| op | alone | tests |")
        lines.append("|---|---|---|")
        for op, n in sorted(anywhere.items(), key=lambda kv: (-alone[kv[0]], -kv[1], kv[0])):
            lines.append(f"| {op} | {alone[op]} | {n} |")
        lines.append("")
    if skipped:
        lines.append(f"## Declared out of scope ({len(skipped)})")
        lines.append("")
        by_reason = collections.Counter(r.split(":")[1].strip() if r.startswith(OUT_OF_SCOPE_PREFIX)
                                        else r for r in skipped.values())
        lines.append("| reason | tests |")
        lines.append("|---|---|")
        for reason, n in by_reason.most_common():
            lines.append(f"| {md(reason)} | {n} |")
        lines.append("")
        lines += [f"- `{n}`: {md(r)}" for n, r in sorted(skipped.items())]
        lines.append("")
    return "\n".join(lines)


def md(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_expectations(path, names):
    header = ("# ONNX backend tests that must pass (test/e2e/onnx_node_tests.py).\n"
              "# Plain names are in the node suite, SUITE/NAME in another suite.\n"
              "# Regenerate with: /usr/bin/python3 test/e2e/onnx_node_tests.py "
              "--update-expectations [--suite SUITE ...]\n")
    with open(path, "w") as f:
        f.write(header)
        for name in sorted(names):
            f.write(name + "\n")


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tessera-compile", default=default_tool("tessera-compile"))
    parser.add_argument("--tessera-run", default=default_tool("tessera-run"))
    parser.add_argument("--data-dir", default=DEFAULT_DATA_DIR,
                        help="libonnx-testdata data folder (default: %(default)s)")
    parser.add_argument("--suite", action="append",
                        help="test suite folder under the data folder: node (default), "
                             "pytorch-converted, pytorch-operator, simple; repeatable")
    parser.add_argument("--filter", help="only tests whose name matches this regex (re.search)")
    parser.add_argument("--out-of-scope", default=DEFAULT_OUT_OF_SCOPE,
                        help="ops whose tests are declared out of scope, `op category` per "
                             "line (default: %(default)s)")
    parser.add_argument("--target", default="cpu",
                        help="tessera-compile --target (cpu, vulkan, cuda); a target other than "
                             "cpu also reports how many of the CPU-passing tests pass on it")
    parser.add_argument("--expected", default=None,
                        help="tests that must pass (default: %(default)s)")
    parser.add_argument("--update-expectations", action="store_true",
                        help="rewrite the expectation file from this run's passes")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--work-dir", help="scratch folder (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the artifacts and outputs of passing tests too")
    parser.add_argument("--report-md", help="write a Markdown report here")
    parser.add_argument("--report-json", help="write a JSON summary here")
    parser.add_argument("--compile-timeout", type=float, default=120)
    parser.add_argument("--run-timeout", type=float, default=60)
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only tests that do not pass")
    args = parser.parse_args()
    args.suite = args.suite or ["node"]
    if args.expected is None:
        args.expected = (DEFAULT_EXPECTED if args.target == "cpu" else
                         os.path.join(HERE, f"onnx_expected_pass_{args.target}.txt"))

    if not os.path.isdir(args.data_dir):
        print(f"{args.data_dir} not found (install libonnx-testdata); skipping")
        print("0 passed, 0 failed")
        return SKIP_RETURN_CODE
    for tool in (args.tessera_compile, args.tessera_run):
        if not os.access(tool, os.X_OK):
            print(f"error: {tool} is not an executable (build it, or pass "
                  f"--tessera-compile / --tessera-run)", file=sys.stderr)
            return 2
    if args.target != "cpu":
        devices = subprocess.run([args.tessera_run, "--list-devices"], capture_output=True,
                                 text=True).stdout.split("\n")
        if not any(line.startswith(args.target + " ") for line in devices):
            print(f"no {args.target} device on this machine; skipping")
            print("0 passed, 0 failed")
            return SKIP_RETURN_CODE

    out_of_scope = read_out_of_scope(args.out_of_scope)
    expected = set(read_list(args.expected)) if os.path.exists(args.expected) else set()

    tests = discover(args.data_dir, args.suite, args.filter)
    in_scope, skipped, ops_of = [], {}, {}
    for name, path in tests:
        ops, reason = analyze(path, out_of_scope)
        ops_of[name] = ops
        if reason:
            skipped[name] = reason
        else:
            in_scope.append((name, path))

    temp = None
    if not args.work_dir:
        temp = tempfile.TemporaryDirectory(prefix="tessera-node-tests-")
        args.work_dir = temp.name
    os.makedirs(args.work_dir, exist_ok=True)

    print(f"{len(in_scope)} of {len(tests)} tests in scope; running with -j {args.jobs}",
          flush=True)
    start = time.monotonic()
    results = {}
    lock = threading.Lock()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(run_test, name, path, args): name for name, path in in_scope}
        for future in concurrent.futures.as_completed(futures):
            name = futures[future]
            try:
                record = future.result()
            except Exception as e:  # a bug in this script, not in Tessera
                record = {"outcome": "run-error", "detail": f"test runner error: {e!r}"}
            record["ops"] = ops_of[name]
            with lock:
                results[name] = record
                if not args.quiet or record["outcome"] != "pass":
                    detail = f": {record['detail']}" if record["detail"] else ""
                    print(f"[{len(results)}/{len(in_scope)}] {name}: "
                          f"{record['outcome'].upper()}{detail}", flush=True)
    seconds = time.monotonic() - start
    if temp:
        temp.cleanup()

    selected = {name for name, _ in tests}
    passed = {n for n, r in results.items() if r["outcome"] == "pass"}
    crashed = sorted(n for n, r in results.items() if r["outcome"] == "crash")
    regressions = sorted(n for n in expected & selected if n not in passed)
    new_passes = sorted(passed - expected)
    # Expected tests outside the selection only matter when nothing filters it.
    def suite_of(n):
        return n.split("/", 1)[0] if "/" in n else "node"
    unlisted = [] if args.filter else sorted(
        n for n in expected - selected if suite_of(n) in args.suite)

    report = markdown_report(results, skipped, regressions, new_passes, unlisted, args, seconds)
    if args.report_md:
        os.makedirs(os.path.dirname(os.path.abspath(args.report_md)), exist_ok=True)
        with open(args.report_md, "w") as f:
            f.write(report + "\n")
    if args.report_json:
        counts = collections.Counter(r["outcome"] for r in results.values())
        summary = {
            "suites": args.suite,
            "filter": args.filter,
            "seconds": round(seconds, 1),
            "counts": {o: counts.get(o, 0) for o in OUTCOMES},
            "total": len(results) + len(skipped),
            "in_scope": len(results),
            "out_of_scope": len(skipped),
            "passed": len(passed),
            "failed": len(results) - len(passed),
            "regressions": regressions,
            "new_passes": new_passes,
            "crashes": crashed,
            "tests": dict(sorted(results.items())),
            "skipped": dict(sorted(skipped.items())),
        }
        os.makedirs(os.path.dirname(os.path.abspath(args.report_json)), exist_ok=True)
        with open(args.report_json, "w") as f:
            json.dump(summary, f, indent=1, sort_keys=False)
            f.write("\n")

    status = 0
    if args.update_expectations:
        keep = expected - selected
        write_expectations(args.expected, keep | passed)
        print(f"updated {args.expected}: {len(keep | passed)} tests "
              f"({len(new_passes)} added, {len(regressions)} removed)")
    else:
        if regressions:
            print(f"REGRESSIONS: {len(regressions)} test(s) listed in "
                  f"{os.path.basename(args.expected)} do not pass:")
            for name in regressions:
                r = results.get(name)
                detail = (f"{r['outcome']}: {r['detail']}" if r
                          else f"not run: {skipped.get(name, '?')}")
                print(f"  {name}: {detail}")
            status = 1
        if new_passes:
            print(f"newly passing ({len(new_passes)}), not in "
                  f"{os.path.basename(args.expected)} (add them with --update-expectations):")
            for name in new_passes:
                print(f"  {name}")
        if unlisted:
            print(f"warning: {len(unlisted)} expected test(s) not found: {', '.join(unlisted)}")
    if crashed:
        print(f"CRASHES: {len(crashed)} test(s) crashed a tool (never allowed):")
        for name in crashed:
            print(f"  {name}: {results[name]['detail']}")
        status = 1
    if args.report_md:
        print(f"report: {args.report_md}")
    if args.report_json:
        print(f"summary: {args.report_json}")
    if args.target != "cpu" and os.path.exists(DEFAULT_EXPECTED):
        cpu_passing = set(read_list(DEFAULT_EXPECTED)) & selected
        if cpu_passing:
            share = len(cpu_passing & passed) / len(cpu_passing)
            print(f"{args.target}: {len(cpu_passing & passed)} of {len(cpu_passing)} "
                  f"CPU-passing tests pass ({100 * share:.1f}%)")
    print(f"{len(passed)} passed, {len(results) - len(passed)} failed", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
