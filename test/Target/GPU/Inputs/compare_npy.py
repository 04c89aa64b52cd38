"""Prints `match` when two .npy files agree within 1e-4 of the expected
output's largest magnitude, else the largest difference (and exits 1)."""
import sys

import numpy as np

actual, expected = (np.load(path) for path in sys.argv[1:3])
tolerance = 1e-4 * max(float(np.max(np.abs(expected))), 1e-30)
error = float(np.max(np.abs(actual.astype(np.float64) - expected)))
print("match" if actual.shape == expected.shape and error <= tolerance
      else f"mismatch: shapes {actual.shape} {expected.shape}, max error {error}")
sys.exit(0 if error <= tolerance else 1)
