#!/usr/bin/python3
"""Compares the outputs of nan_inf.onnx (run by tessera-run --output-dir)
with numpy: NaN and Inf must propagate as IEEE 754 arithmetic says.

    check_nan_inf.py INPUT.npy OUTPUT_DIR
"""

import sys

import numpy as np


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def main():
    x = np.load(sys.argv[1])
    out = sys.argv[2]
    with np.errstate(invalid="ignore", over="ignore"):
        expected = [x + x, np.maximum(x, 0), softmax(x), x.max(axis=1), x @ x.T]
    names = ["sum", "relu", "softmax", "max", "mm"]
    ok = True
    for i, (name, want) in enumerate(zip(names, expected)):
        got = np.load("%s/output_%d.npy" % (out, i))
        if got.shape != want.shape or not np.allclose(got, want, equal_nan=True):
            print("MISMATCH %s:\n got %s\nwant %s" % (name, got, want))
            ok = False
        else:
            print("ok %s nan=%d inf=%d" % (name, np.isnan(got).sum(),
                                          np.isinf(got).sum()))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
