#!/usr/bin/python3
"""Whole-model check of the learned tile policy (docs/cost-model.md): each
benchmark model compiled with --tile-policy=heuristic and with
--tile-policy=model (or tune), timed INTERLEAVED on this machine.

  /usr/bin/python3 bench/tile_policy.py [--build build] [--work-dir DIR]
      [--models resnet18,...] [--policies heuristic,model] [--rounds 5]
      [--runs 30] [--threads 1] [--cost-model FILE] [--tuning-db FILE]

For each model (test/e2e/zoo.py exports it with PyTorch's output) every
policy is compiled with --explain (comparing the policies' tile configs op by
op says on how many the learned policy left the heuristic's config, and its
explanation says why). A policy whose artifact is byte-identical to the
baseline's is not timed (ratio 1 by construction). The others are timed in
--rounds rounds, the policies' order alternating between rounds (A B, B A,
A B, ...), each a `tessera-run --benchmark RUNS` median; this machine's
speed drifts within minutes, so policies compared are always timed side by
side. Per model and policy the table gives the median of the round medians
and the median over rounds of (policy / heuristic) of the same round,
the figure the issue's bar is about: no model slower, the geometric mean
faster. Outputs are checked against PyTorch. Writes WORK/tile_policy.md and
WORK/tile_policy.json.
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
    parser.add_argument("--rounds", type=int, default=5, help="interleaved timing rounds")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per round")
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


def time_interleaved(args, state, name, model_dir, expected, results):
    inputs = [os.path.join(model_dir, "input_0.npy")]
    live = [r for r in results if r["library"]]
    for round_index in range(args.rounds):
        order = live if round_index % 2 == 0 else list(reversed(live))
        for result in order:
            if result.get("failed"):
                continue
            out_dir = result["library"][:-3] + ".out"
            ms, r = bench_tessera(args, result["library"], inputs, args.threads, out_dir,
                                  runs=args.runs)
            if ms is None:
                result["failed"] = True
                state["notes"].append(f"{name} {result['policy']}: run failed: {first_line(r)}")
                continue
            result["medians"].append(ms)
            result["check"] = check_output(out_dir, expected)[0]
        log(f"{name}: round {round_index + 1}: " + ", ".join(
            f"{r['policy']} {r['medians'][-1]:.2f} ms" for r in live
            if r["medians"] and not r.get("failed")))
    if not results:
        return
    base = results[0]
    for result in results:
        if result["medians"] and not result.get("failed"):
            result["ms"] = statistics.median(result["medians"])
        if result is not base and result["ms"] and base["ms"] and \
                len(result["medians"]) == len(base["medians"]):
            result["ratio"] = statistics.median(
                m / b for m, b in zip(result["medians"], base["medians"]))
            result["ratio_min"] = min(m / b for m, b in zip(result["medians"], base["medians"]))
            result["ratio_max"] = max(m / b for m, b in zip(result["medians"], base["medians"]))
            # The least disturbed round of each: load only ever adds time.
            result["ratio_of_mins"] = min(result["medians"]) / min(base["medians"])


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
    time_interleaved(args, state, name, model_dir, expected,
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
             f"{args.rounds} interleaved rounds of {args.runs} runs (each figure: median of "
             f"round medians; ratio: median over rounds of policy / {base} of the same round). "
             f"Load average at the end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}.",
             "",
             "| model | " + " | ".join(f"{p} ms" for p in args.policy_list) + " | " +
             " | ".join(f"{p} / {base} (min-max)" for p in others) + " | " +
             " | ".join(f"fastest {p} / fastest {base}" for p in others) +
             " | changed dispatches | checks |",
             "|---|" + "---:|" * len(args.policy_list) + "---:|" * (2 * len(others)) + "---:|---|"]
    logs = {p: [] for p in others}
    changed_lines = []
    for name, rows in results.items():
        by = {r["policy"]: r for r in rows}
        ratios, mins = [], []
        for p in others:
            r = by[p]
            if r.get("identical"):
                logs[p].append(0.0)
                ratios.append("1 (same code)")
                mins.append("1")
            elif r.get("ratio"):
                logs[p].append(math.log(r["ratio"]))
                ratios.append(f"{r['ratio']:.3f} ({r['ratio_min']:.2f}-{r['ratio_max']:.2f})")
                mins.append(f"{r['ratio_of_mins']:.3f}" if r.get("ratio_of_mins") else "-")
            else:
                ratios.append("-")
                mins.append("-")
            changed_lines += [f"{name} ({p}): {c}" for c in r.get("changed", [])]
        changed = ", ".join(f"{len(by[p].get('changed', []))}/{by[p].get('decisions', 0)}"
                            for p in others)
        checks = ", ".join(f"{r['policy']} {r['check']}" for r in rows)
        lines.append(f"| {name} | " + " | ".join(fmt(by[p]["ms"]) for p in args.policy_list) +
                     " | " + " | ".join(ratios) + " | " + " | ".join(mins) +
                     f" | {changed} | {checks} |")
    lines.append("")
    for p in others:
        fastest = [by_model[p] for by_model in
                   ({r["policy"]: r.get("ratio_of_mins", 1.0 if r.get("identical") else None)
                     for r in rows} for rows in results.values())
                   if by_model.get(p)]
        if fastest:
            lines.append(f"{p} / {base}, fastest rounds: geometric mean "
                         f"{math.exp(sum(map(math.log, fastest)) / len(fastest)):.3f}, "
                         f"worst {max(fastest):.3f}.")
        if logs[p]:
            worst = max(logs[p])
            lines.append(f"{p} / {base}: geometric mean {math.exp(sum(logs[p]) / len(logs[p])):.3f}, "
                         f"worst {math.exp(worst):.3f} (bar: geomean < 1, no model slower).")
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
                if row["medians"] and rows[0]["medians"]:
                    row["ratio_of_mins"] = min(row["medians"]) / min(rows[0]["medians"])
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
