#!/usr/bin/python3
"""Whole-model check of the learned tile policy (docs/cost-model.md): each
benchmark model compiled with --tile-policy=heuristic and with
--tile-policy=model (or tune), timed PAIRED on this machine.

  /usr/bin/python3 bench/tile_policy.py [--build build] [--work-dir DIR]
      [--models resnet18,...] [--policies heuristic,model] [--rounds 5]
      [--runs 200] [--threads 1] [--control] [--cost-model FILE]
      [--tuning-db FILE]

For each model (test/e2e/zoo.py exports it with PyTorch's output) every
policy is compiled with --explain (comparing the policies' tile configs op by
op says on how many the learned policy left the heuristic's config, and its
explanation says why). A policy whose artifact is byte-identical to the
baseline's is not timed (ratio 1 by construction). The others are timed
against the baseline in --rounds rounds of `tessera-run BASE.so
--compare=POLICY.so --benchmark RUNS`: RUNS pairs of runs in one process,
the first of each pair alternating, so that both runs of a pair see the
same machine (its speed drifts within seconds here). Per model and policy
the table gives the median of the round medians and the median over rounds
of the pairs' median policy / baseline ratio, the figure the issue's bar is
about: no model slower, the geometric mean faster. --control also times the
baseline against itself, which shows the method's noise. Outputs are
checked against PyTorch. Writes WORK/tile_policy.md and WORK/tile_policy.json.
"""

import argparse
import collections
import filecmp
import json
import math
import os
import re
import statistics
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, os.path.join(REPO, "test", "e2e"))
sys.path.insert(0, BENCH)

from check_model import run_tool  # noqa: E402
from check_model import tool_env  # noqa: E402
from run import bench_tessera, check_output, first_line, log  # noqa: E402

MODELS = ["resnet18", "resnet50", "mobilenet_v2", "squeezenet1_1", "transformer"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.environ.get("TESSERA_BUILD_DIR",
                                                          os.path.join(REPO, "build")))
    parser.add_argument("--work-dir", help="default: BUILD/bench-tile-policy")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--policies", default="heuristic,model",
                        help="the first is the baseline of the ratios")
    parser.add_argument("--rounds", type=int, default=5, help="paired timing rounds")
    parser.add_argument("--runs", type=int, default=200, help="pairs of runs per round")
    parser.add_argument("--control", action="store_true",
                        help="also time the baseline against itself (A/A): the method's noise")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--cost-model", help="default: the shipped model")
    parser.add_argument("--tuning-db", help="for --policies ...,tune")
    parser.add_argument("--opt-level", default="-O3")
    parser.add_argument("--compile-timeout", type=float, default=1800)
    parser.add_argument("--run-timeout", type=float, default=1800)
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite the report from WORK/tile_policy.json and the explain files")
    args = parser.parse_args(argv)
    args.build = os.path.abspath(args.build)
    args.tessera_compile = os.path.join(args.build, "bin", "tessera-compile")
    args.tessera_run = os.path.join(args.build, "bin", "tessera-run")
    args.work = os.path.abspath(args.work_dir or os.path.join(args.build, "bench-tile-policy"))
    args.policy_list = [p for p in args.policies.split(",") if p]
    return args


def read_configs(path):
    """The tile-config lines of a text --explain, one per op, in order."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.strip() for line in f if re.match(r"\s*linalg\.\S+ \(node", line)]


def summarize_changes(baseline_explain, explain):
    """(ops with a config under the baseline, lines describing the ops whose
    config differs under the policy: the learned choice and its predicted
    ratio, or 'untiled' where the policy chose no tiling)."""
    base = read_configs(baseline_explain)
    mine = read_configs(explain)
    base_only = collections.Counter(base) - collections.Counter(mine)
    mine_only = collections.Counter(mine) - collections.Counter(base)
    lines = open(explain).read().splitlines() if os.path.exists(explain) else []
    changed = []
    for line in mine_only.elements():
        # The policy's explanation follows its config line.
        at = next(i for i, text in enumerate(lines) if text.strip() == line)
        # A regression model predicts a ratio, a ranking model the
        # probability of beating the heuristic's config.
        chosen = next((re.search(r"chosen #(\d+) (\S+) (predicted ([0-9.]+)x the heuristic's|"
                                 r"P\(faster than the heuristic's\) [0-9.]+)", text)
                       for text in lines[at + 1:at + 4] if "chosen #" in text), None)
        node = re.search(r"node '([^']*)'", line)
        what = (f"#{chosen.group(1)} {chosen.group(2)} {chosen.group(3)}"
                if chosen else line.split("): ", 1)[-1])
        changed.append(f"{node.group(1) if node else '?'} ({line.split(' ')[0]}): {what}")
    mine_nodes = {re.search(r"node '([^']*)'", line).group(1) for line in mine_only
                  if re.search(r"node '([^']*)'", line)}
    for line in base_only.elements():
        node = re.search(r"node '([^']*)'", line)
        if node and node.group(1) in mine_nodes:
            continue
        changed.append(f"{node.group(1) if node else '?'} ({line.split(' ')[0]}): untiled "
                       f"(heuristic: {line.split('): ', 1)[-1]})")
    return len(base), changed


def compile_policy(args, state, name, model_dir, compile_args, policy):
    library = os.path.join(args.work, f"{name}.{policy}.so")
    explain = os.path.join(args.work, f"{name}.{policy}.explain.txt")
    argv = [args.tessera_compile, os.path.join(model_dir, "model.onnx"), "-o", library,
            args.opt_level, *compile_args, f"--tile-policy={policy}", f"--explain={explain}"]
    if policy != "heuristic":
        if args.cost_model:
            argv.append(f"--cost-model={args.cost_model}")
        if policy == "tune" and args.tuning_db:
            argv.append(f"--tuning-db={args.tuning_db}")
    log(f"{name}: tessera-compile --tile-policy={policy} ...")
    r = run_tool(argv, args.compile_timeout)
    result = {"policy": policy, "compile_s": r.seconds, "library": library if r.ok else None,
              "explain": explain, "medians": [], "ms": None, "check": "FAIL"}
    if not r.ok:
        state["notes"].append(f"{name} {policy}: compile failed: {first_line(r)}")
    return result


def parse_compare(stdout):
    """(A median ms, B median ms, median of the pairs' B/A) of `tessera-run
    --compare`, or None."""
    a = re.search(r"^A median: ([0-9.]+) ms", stdout, re.M)
    b = re.search(r"^B median: ([0-9.]+) ms", stdout, re.M)
    ratio = re.search(r"^ratio median: ([0-9.]+)", stdout, re.M)
    if not (a and b and ratio):
        return None
    return float(a.group(1)), float(b.group(1)), float(ratio.group(1))


def time_paired(args, state, name, model_dir, expected, results):
    """Checks every policy's output once, then times each policy against
    the baseline in --rounds rounds of `tessera-run BASE.so --compare
    POLICY.so --benchmark RUNS`: RUNS pairs of runs in one process, the
    first of each pair alternating. The two runs of a pair see the same
    machine, so their ratio is far steadier than that of separately timed
    processes (whose rounds here ranged 0.87-1.27 for one and the same
    pair of artifacts; an A/A pair of identical artifacts gives 0.99-1.01)."""
    inputs = [os.path.join(model_dir, "input_0.npy")]
    live = []
    for result in results:
        out_dir = result["library"][:-3] + ".out"
        ms, r = bench_tessera(args, result["library"], inputs, args.threads, out_dir, runs=1)
        if ms is None:
            state["notes"].append(f"{name} {result['policy']}: run failed: {first_line(r)}")
            continue
        result["check"] = check_output(out_dir, expected)[0]
        live.append(result)
    if not results or results[0] not in live:
        return
    base = results[0]
    # The control: the baseline against itself, the noise of the method.
    control = {"policy": f"{base['policy']} (A/A)", "library": base["library"], "medians": []}
    for result in live[1:] + ([control] if args.control and len(live) > 1 else []):
        result["ratios"] = []
        for round_index in range(args.rounds):
            argv = [args.tessera_run, base["library"], f"--compare={result['library']}",
                    "--benchmark", str(args.runs), f"--threads={args.threads}"]
            for f in inputs:
                argv += ["--input", f]
            r = run_tool(argv, args.run_timeout, env=tool_env(args.threads))
            paired = parse_compare(r.stdout) if r.ok else None
            if paired is None:
                state["notes"].append(f"{name} {result['policy']}: --compare failed: "
                                      f"{first_line(r)}")
                break
            base["medians"].append(paired[0])
            result["medians"].append(paired[1])
            result["ratios"].append(paired[2])
            log(f"{name}: round {round_index + 1}: {base['policy']} {paired[0]:.2f} ms, "
                f"{result['policy']} {paired[1]:.2f} ms, pairs' median ratio {paired[2]:.4f}")
        if result is control:
            base["control_ratios"] = result["ratios"]
        elif result["ratios"]:
            result["ms"] = statistics.median(result["medians"])
            result["ratio"] = statistics.median(result["ratios"])
            result["ratio_min"] = min(result["ratios"])
            result["ratio_max"] = max(result["ratios"])
    if base["medians"]:
        base["ms"] = statistics.median(base["medians"])


def bench_model(args, state, name):
    import zoo
    from torch_models import export
    build, compile_args = zoo.MODELS[name]
    model_dir = os.path.join(args.work, name)
    log(f"{name}: export ...")
    torch_model, x, options = build()
    expected = export(torch_model, x, model_dir, **options)
    results = [compile_policy(args, state, name, model_dir, compile_args, p)
               for p in args.policy_list]
    base = results[0]
    for result in results[1:]:
        result["decisions"], result["changed"] = summarize_changes(base["explain"],
                                                                   result["explain"])
        result["identical"] = bool(base["library"] and result["library"] and
                                   filecmp.cmp(base["library"], result["library"],
                                               shallow=False))
    time_paired(args, state, name, model_dir, expected,
                [r for r in results if not r.get("identical")])
    for result in results[1:]:
        if result.get("identical"):
            result.update(ms=base["ms"], ratio=1.0, ratio_min=1.0, ratio_max=1.0,
                          check=base["check"])
    return results


def fmt(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"


def report(args, results, notes):
    base = args.policy_list[0]
    others = args.policy_list[1:]
    load = os.getloadavg()
    lines = [f"--tile-policy {' vs '.join(args.policy_list)}, {args.threads} thread(s), "
             f"{args.rounds} rounds of {args.runs} pairs of runs in one process (`tessera-run "
             f"--compare`, the first of a pair alternating); ms: median of the rounds' medians; "
             f"ratio: median over rounds of the median of the pairs' policy / {base}. "
             f"Load average at the end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}.",
             "",
             "| model | " + " | ".join(f"{p} ms" for p in args.policy_list) + " | " +
             " | ".join(f"{p} / {base} (min-max)" for p in others) +
             " | changed dispatches | checks |",
             "|---|" + "---:|" * len(args.policy_list) + "---:|" * len(others) + "---:|---|"]
    logs = {p: [] for p in others}
    changed_lines, controls = [], []
    for name, rows in results.items():
        by = {r["policy"]: r for r in rows}
        ratios = []
        for p in others:
            r = by[p]
            if r.get("identical"):
                logs[p].append(0.0)
                ratios.append("1 (same code)")
            elif r.get("ratio"):
                logs[p].append(math.log(r["ratio"]))
                ratios.append(f"{r['ratio']:.3f} ({r['ratio_min']:.3f}-{r['ratio_max']:.3f})")
            else:
                ratios.append("-")
            changed_lines += [f"{name} ({p}): {c}" for c in r.get("changed", [])]
        control = by[base].get("control_ratios")
        if control:
            controls.append(f"{name}: {statistics.median(control):.3f} "
                            f"({min(control):.3f}-{max(control):.3f})")
        changed = ", ".join(f"{len(by[p].get('changed', []))}/{by[p].get('decisions', 0)}"
                            for p in others)
        checks = ", ".join(f"{r['policy']} {r['check']}" for r in rows)
        lines.append(f"| {name} | " + " | ".join(fmt(by[p]["ms"]) for p in args.policy_list) +
                     " | " + " | ".join(ratios) +
                     f" | {changed} | {checks} |")
    lines.append("")
    for p in others:
        if logs[p]:
            worst = max(logs[p])
            lines.append(f"{p} / {base}: geometric mean {math.exp(sum(logs[p]) / len(logs[p])):.3f}, "
                         f"worst {math.exp(worst):.3f} (bar: geomean < 1, no model slower).")
    if controls:
        lines += ["", f"A/A control ({base} against itself, same rounds): " + ", ".join(controls)
                  + "."]
    if changed_lines:
        lines += ["", "Dispatches where the learned policy left the heuristic's config:", ""]
        lines += [f"- {c}" for c in changed_lines]
    if notes:
        lines += ["", "Notes:", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    state = {"notes": []}
    results = {}
    if args.report_only:
        with open(os.path.join(args.work, "tile_policy.json")) as f:
            saved = json.load(f)
        results, state["notes"] = saved["results"], saved["notes"]
        for rows in results.values():
            for row in rows[1:]:
                row["decisions"], row["changed"] = summarize_changes(rows[0]["explain"],
                                                                     row["explain"])
    for name in [m for m in args.models.split(",") if m and not args.report_only]:
        try:
            results[name] = bench_model(args, state, name)
        except Exception as e:  # noqa: BLE001 - one model's failure is a note
            state["notes"].append(f"{name}: {type(e).__name__}: {e}")
    text = report(args, results, state["notes"])
    with open(os.path.join(args.work, "tile_policy.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.work, "tile_policy.json"), "w") as f:
        json.dump({"results": results, "notes": state["notes"]}, f, indent=1, default=str)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
