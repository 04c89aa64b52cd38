#!/usr/bin/python3
"""Tests of tessera-run's GPU device options on the hand-written GPU artifacts.

The artifacts (test/unit/runtime/TestGpuArtifact.c) compute c = a + b
(float32 256) with one kernel, on Vulkan (SPIR-V) or CUDA (PTX). One case per
process:

  tessera_run_device_test.py --tool T --cuda-artifact C [--vulkan-artifact V] CASE

Exit status: 0 pass, 1 fail, 77 skip (no such device here).
"""

import argparse
import json
import os
import subprocess
import sys

ARGS = None


class Skip(Exception):
    pass


def run(*extra, env=None):
    """Runs tessera-run and returns (exit status, stdout, stderr)."""
    cmd = [ARGS.tool] + [str(arg) for arg in extra]
    full_env = dict(os.environ)
    for name in ("TESSERA_CUDA_DEVICE", "TESSERA_VULKAN_DEVICE",
                 "TESSERA_CUDA_LIBRARY", "VK_ICD_FILENAMES", "VK_DRIVER_FILES"):
        full_env.pop(name, None)
    full_env.update(env or {})
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env,
                          timeout=60)
    print("$", " ".join(cmd))
    print(proc.stdout, end="")
    print(proc.stderr, end="", file=sys.stderr)
    # Never a crash: the status is a plain exit code, not a signal.
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}"
    return proc.returncode, proc.stdout, proc.stderr


def expect_error(expected, *extra, env=None):
    code, _, err = run(*extra, env=env)
    assert code == 1, f"expected exit status 1, got {code}"
    assert err.startswith("error: "), "stderr does not start with 'error: '"
    assert expected in err, f"stderr lacks {expected!r}"


def require(kind):
    _, out, _ = run("--list-devices")
    if not any(line.startswith(kind + " ") for line in out.splitlines()):
        raise Skip(f"no {kind} device on this machine")


def vulkan_artifact():
    if not ARGS.vulkan_artifact:
        raise Skip("built without spirv-as: no Vulkan artifact")
    require("vulkan")
    return ARGS.vulkan_artifact


def case_list_devices():
    code, out, _ = run("--list-devices")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "cpu 0 host CPU", lines
    for line in lines[1:]:
        kind, index, name = line.split(" ", 2)
        assert kind in ("cuda", "vulkan") and index.isdigit() and name, line


def case_unknown_device_kind():
    expect_error("unknown device kind 'tpu' (expected cuda or vulkan)",
                 ARGS.cuda_artifact, "--device=tpu:0")


def case_vulkan_run():
    code, out, _ = run(vulkan_artifact(), "--random-inputs", "--device=vulkan:0")
    assert code == 0
    assert "output 0 'c': float32 256" in out


def case_vulkan_profile():
    require("vulkan")
    code, out, _ = run("--device-profile=vulkan", "--device=vulkan:0")
    assert code == 0
    profile = json.loads(out)
    assert profile["kind"] == "vulkan" and profile["max_workgroup_invocations"] > 0
    assert isinstance(profile["shader_int64"], bool), profile


def case_vulkan_bad_selector():
    expect_error("no Vulkan device matches 'no-such-gpu'", vulkan_artifact(),
                 "--random-inputs", "--device=vulkan:no-such-gpu")


def case_vulkan_without_driver():
    if not ARGS.vulkan_artifact:
        raise Skip("built without spirv-as: no Vulkan artifact")
    # The loader finds no driver manifest: no instance, a clear error.
    expect_error("this model runs on vulkan, but no Vulkan driver: "
                 "vkCreateInstance failed (VK_ERROR_INCOMPATIBLE_DRIVER)",
                 ARGS.vulkan_artifact, "--random-inputs",
                 env={"VK_ICD_FILENAMES": "/nonexistent/icd.json",
                      "VK_DRIVER_FILES": "/nonexistent/icd.json"})


def case_cuda_without_driver():
    expect_error("this model runs on cuda, but no CUDA driver was found "
                 "(dlopen /nonexistent/libcuda.so.1", ARGS.cuda_artifact,
                 "--random-inputs",
                 env={"TESSERA_CUDA_LIBRARY": "/nonexistent/libcuda.so.1"})


def case_cuda_run():
    require("cuda")
    code, out, _ = run(ARGS.cuda_artifact, "--random-inputs", "--device=cuda:0")
    assert code == 0
    assert "output 0 'c': float32 256" in out


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True)
    parser.add_argument("--cuda-artifact", required=True)
    parser.add_argument("--vulkan-artifact")
    parser.add_argument("case")
    ARGS = parser.parse_args()
    case = globals().get("case_" + ARGS.case)
    if case is None:
        print(f"unknown case {ARGS.case}", file=sys.stderr)
        return 1
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
