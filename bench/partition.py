#!/usr/bin/python3
"""Measured check of the partitioner (docs/partitioning.md): each benchmark
model compiled for every single device, for the partitioner's plan over all
of them, and with its dispatches forced to alternate between devices, timed
in the same run on this machine.

  /usr/bin/python3 bench/partition.py [--build build] [--work-dir DIR]
      [--models resnet18,...] [--targets cpu,vulkan] [--runs 20]
      [--device-runs 5] [--threads 1] [--no-alternate]

For each model (test/e2e/zoo.py exports it with PyTorch's output):
  - `--target=D` for every D in --targets: one artifact per device;
  - `--target=cpu,vulkan` (--targets): the partitioner's plan; its
    --explain JSON gives the predicted makespan, the lower bound and how long
    placement took;
  - `--placement` alternating the dispatches over the targets (test/e2e/zoo.py
    --placement=alternate): a mixed plan with transfers at every step.
All variants are compiled first, then timed with `tessera-run --benchmark`
in --rounds interleaved rounds (this machine's speed drifts within minutes;
the figure is the median of the round medians; --device-runs in all for
devices other than the cpu and the alternating plan, which are slow on
lavapipe), their outputs checked against PyTorch. The table gives plan / best single device (the issue's bar:
at most 1.05) and writes WORK/partition.md and WORK/partition.json.
"""

import argparse
import json
import os
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
    parser.add_argument("--work-dir", help="default: BUILD/bench-partition")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--targets", default="cpu,vulkan")
    parser.add_argument("--runs", type=int, default=20, help="timed runs on the cpu")
    parser.add_argument("--device-runs", type=int, default=5,
                        help="timed runs of artifacts that use another device")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved timing rounds (each variant gets runs/rounds "
                        "runs per round)")
    parser.add_argument("--no-alternate", action="store_true",
                        help="skip the forced alternating placement")
    parser.add_argument("--opt-level", default="-O3")
    parser.add_argument("--compile-timeout", type=float, default=1800)
    parser.add_argument("--run-timeout", type=float, default=1800)
    args = parser.parse_args(argv)
    args.build = os.path.abspath(args.build)
    args.tessera_compile = os.path.join(args.build, "bin", "tessera-compile")
    args.tessera_run = os.path.join(args.build, "bin", "tessera-run")
    args.work = os.path.abspath(args.work_dir or os.path.join(args.build, "bench-partition"))
    args.target_list = args.targets.split(",")
    return args


def compile_variant(args, state, name, model_dir, label, compile_args, runs):
    """Compiles one variant: a result dict (timed later, see time_variants)."""
    library = os.path.join(args.work, f"{name}.{label}.so")
    explain = os.path.join(args.work, f"{name}.{label}.explain.json")
    argv = [args.tessera_compile, os.path.join(model_dir, "model.onnx"), "-o", library,
            args.opt_level, *compile_args]
    if "," in label or label == "alternate":
        argv += [f"--explain={explain}", "--explain-format=json"]
    log(f"{name}: tessera-compile {' '.join(argv[5:])} ...")
    r = run_tool(argv, args.compile_timeout)
    result = {"label": label, "compile_s": r.seconds, "ms": None, "check": "FAIL",
              "library": library if r.ok else None, "runs": runs, "medians": []}
    if not r.ok:
        state["notes"].append(f"{name} {label}: compile failed: {first_line(r)}")
        return result
    result["plan"] = describe_artifact(library)
    if os.path.exists(explain):
        with open(explain) as f:
            placement = json.load(f).get("placement") or {}
        result["predicted_us"] = placement.get("makespan_us")
        result["lower_bound_us"] = placement.get("lower_bound_us")
        result["placement_ms"] = placement.get("placement_ms")
    return result


def time_variants(args, state, name, model_dir, expected, results):
    """Times the compiled variants in --rounds interleaved rounds (this
    machine's speed drifts within minutes: variants compared must be timed
    side by side); each variant's figure is the median of its round
    medians, its check that of its last output."""
    inputs = [os.path.join(model_dir, "input_0.npy")]
    for round_index in range(args.rounds):
        for result in results:
            if not result["library"] or result.get("failed"):
                continue
            out_dir = result["library"][:-3] + ".out"
            log(f"{name}: tessera-run {result['label']} (round {round_index + 1}) ...")
            ms, r = bench_tessera(args, result["library"], inputs, args.threads, out_dir,
                                  runs=max(1, result["runs"] // args.rounds))
            if ms is None:
                result["failed"] = True
                state["notes"].append(f"{name} {result['label']}: run failed: {first_line(r)}")
                continue
            result["medians"].append(ms)
            result["check"] = check_output(out_dir, expected)[0]
    for result in results:
        if result["medians"] and not result.get("failed"):
            result["ms"] = statistics.median(result["medians"])


def describe_artifact(path):
    """'1 artifact' or the devices of a plan's segments."""
    with open(path, "rb") as f:
        head = f.read(12)
    if head != b"tessera-plan":
        return "one artifact"
    with open(path) as f:
        devices = [line.split()[1] for line in f if line.startswith("segment ")]
    counts = {d: devices.count(d) for d in dict.fromkeys(devices)}
    return f"{len(devices)} segments (" + ", ".join(f"{n} {d}" for d, n in counts.items()) + ")"


def bench_model(args, state, name):
    import zoo
    from torch_models import export
    build, compile_args = zoo.MODELS[name]
    model_dir = os.path.join(args.work, name)
    log(f"{name}: export ...")
    torch_model, x, options = build()
    expected = export(torch_model, x, model_dir, **options)
    rows = {}
    for target in args.target_list:
        runs = args.runs if target == "cpu" else args.device_runs
        rows[target] = compile_variant(args, state, name, model_dir, target,
                                       [*compile_args, f"--target={target}"], runs)
    rows["plan"] = compile_variant(args, state, name, model_dir, args.targets,
                                   [*compile_args, f"--target={args.targets}"], args.runs)
    if not args.no_alternate and len(args.target_list) > 1:
        placement = zoo.write_alternating_placement(
            args.tessera_compile, os.path.join(model_dir, "model.onnx"),
            [*compile_args, f"--target={args.targets}"], args.target_list, model_dir)
        rows["alternate"] = compile_variant(args, state, name, model_dir, "alternate",
                                            [*compile_args, f"--target={args.targets}",
                                             f"--placement={placement}"], args.device_runs)
    time_variants(args, state, name, model_dir, expected, list(rows.values()))
    return rows


def fmt(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"


def report(args, results, notes):
    lines = [f"Partitioning over {args.targets}, {args.threads} thread(s), medians of "
             f"{args.runs} runs (cpu, plan) / {args.device_runs} runs (other devices, alternate).",
             "",
             "| model | " + " | ".join(f"{t} ms" for t in args.target_list) +
             " | plan ms | plan | plan / best single | predicted us | lower bound us | "
             "placement ms | alternate ms | alternate | checks |",
             "|---|" + "---:|" * len(args.target_list) + "---:|---|---:|---:|---:|---:|---:|---|---|"]
    worst = None
    for name, rows in results.items():
        singles = [rows[t]["ms"] for t in args.target_list if rows[t]["ms"] is not None]
        plan = rows["plan"]
        ratio = plan["ms"] / min(singles) if singles and plan["ms"] else None
        if ratio is not None:
            worst = max(worst or 0, ratio)
        alternate = rows.get("alternate", {})
        checks = ", ".join(f"{r['label']} {r['check']}" for r in rows.values())
        lines.append(
            f"| {name} | " + " | ".join(fmt(rows[t]["ms"]) for t in args.target_list) +
            f" | {fmt(plan['ms'])} | {plan.get('plan', '-')} | {fmt(ratio)} | "
            f"{fmt(plan.get('predicted_us'), 0)} | {fmt(plan.get('lower_bound_us'), 0)} | "
            f"{fmt(plan.get('placement_ms'), 1)} | {fmt(alternate.get('ms'))} | "
            f"{alternate.get('plan', '-')} | {checks} |")
    lines += ["", f"Worst plan / best single device: {fmt(worst)} (bar: at most 1.05)."]
    if notes:
        lines += ["", "Notes:", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    state = {"notes": []}
    results = {}
    for name in [m for m in args.models.split(",") if m]:
        try:
            results[name] = bench_model(args, state, name)
        except Exception as e:  # noqa: BLE001 - one model's failure is a note
            state["notes"].append(f"{name}: {type(e).__name__}: {e}")
    text = report(args, results, state["notes"])
    with open(os.path.join(args.work, "partition.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.work, "partition.json"), "w") as f:
        json.dump({"results": results, "notes": state["notes"]}, f, indent=1,
                  default=str)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
