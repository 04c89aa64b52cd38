#!/usr/bin/python3
"""Patches the metadata text embedded in a compiled artifact, in place and at
the same length, to simulate an artifact from another Tessera version or
compiled for another CPU (test/robustness/runtime.test).

    patch_artifact.py IN.so OUT.so --version 7
    patch_artifact.py IN.so OUT.so --features avx512f,amx-tile
"""

import argparse
import re
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--version", type=int)
    parser.add_argument("--features")
    args = parser.parse_args()
    data = bytearray(open(args.input, "rb").read())
    if args.version is not None:
        match = re.search(rb"tessera-artifact (\d+)\n", data)
        if not match:
            sys.exit("no 'tessera-artifact' record in " + args.input)
        new = str(args.version).encode()
        if len(new) != len(match.group(1)):
            sys.exit("the new version must have as many digits as the old")
        data[match.start(1):match.end(1)] = new
    if args.features is not None:
        match = re.search(rb"target cpu \S+ (\S+)\n", data)
        if not match:
            sys.exit("no 'target cpu' record in " + args.input)
        old = match.group(1)
        new = args.features.encode()
        if len(new) > len(old):
            sys.exit("the new features are longer than the recorded ones")
        # Empty list items (",,,") are ignored by the runtime.
        data[match.start(1):match.end(1)] = new + b"," * (len(old) - len(new))
    with open(args.output, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
