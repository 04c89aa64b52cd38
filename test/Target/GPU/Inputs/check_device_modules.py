"""Checks every device module in a folder with the offline tool of its
format: spirv-val for .spv (Vulkan 1.1 environment), ptxas for .ptx (the
architecture in the file name, <kernel>.sm_XY.ptx). Prints one summary line;
exits non-zero naming each module that fails."""
import os
import subprocess
import sys


def check(path):
    name = os.path.basename(path)
    if name.endswith(".spv"):
        cmd = ["spirv-val", "--target-env", "vulkan1.1", path]
    elif name.endswith(".ptx"):
        arch = name.rsplit(".", 2)[-2]
        cmd = [os.environ.get("PTXAS", "/usr/local/cuda/bin/ptxas"), f"-arch={arch}", path,
               "-o", os.devnull]
    else:
        return None
    result = subprocess.run(cmd, capture_output=True, text=True)
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def main():
    folder = sys.argv[1]
    checked, failed = 0, []
    for name in sorted(os.listdir(folder)):
        outcome = check(os.path.join(folder, name))
        if outcome is None:
            continue
        checked += 1
        if not outcome[0]:
            failed.append(f"{name}: {outcome[1]}")
    for line in failed:
        print(f"FAIL {line}")
    print(f"{checked - len(failed)} of {checked} modules valid")
    return 1 if failed or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
