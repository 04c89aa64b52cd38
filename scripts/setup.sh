#!/usr/bin/env bash
# From a fresh Debian 12 machine to a running model: installs the packages
# (scripts/install-deps.sh), builds Tessera (scripts/build.sh), compiles the
# bundled example model examples/cnn/model.onnx to build/examples/cnn.so, runs
# it on examples/cnn/input.npy and prints its outputs, then benchmarks it and
# prints the median latency. Works from any folder.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${TESSERA_BUILD_DIR:-build}

echo "== Installing dependencies"
scripts/install-deps.sh
echo "== Building Tessera in $BUILD_DIR"
scripts/build.sh

MODEL=examples/cnn/model.onnx
OUT="$BUILD_DIR/examples"
mkdir -p "$OUT/cnn.out"
echo "== Compiling $MODEL"
echo "\$ $BUILD_DIR/bin/tessera-compile $MODEL -o $OUT/cnn.so"
"$BUILD_DIR/bin/tessera-compile" "$MODEL" -o "$OUT/cnn.so"

echo "== Running it on examples/cnn/input.npy"
echo "\$ $BUILD_DIR/bin/tessera-run $OUT/cnn.so --input input=examples/cnn/input.npy --output-dir $OUT/cnn.out"
"$BUILD_DIR/bin/tessera-run" "$OUT/cnn.so" --input input=examples/cnn/input.npy \
  --output-dir "$OUT/cnn.out"
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  /usr/bin/python3 - "$OUT/cnn.out/output_0.npy" examples/cnn/expected.npy <<'PY'
import sys
import numpy as np
np.set_printoptions(precision=5, suppress=True, linewidth=100)
actual, expected = np.load(sys.argv[1]), np.load(sys.argv[2])
print("output_0 (Tessera):", actual.reshape(-1))
print("PyTorch reference: ", expected.reshape(-1))
print("max abs difference: %.3g" % float(np.max(np.abs(actual - expected))))
PY
fi

echo "== Benchmark (50 runs)"
echo "\$ $BUILD_DIR/bin/tessera-run $OUT/cnn.so --input input=examples/cnn/input.npy --benchmark 50"
"$BUILD_DIR/bin/tessera-run" "$OUT/cnn.so" --input input=examples/cnn/input.npy --benchmark 50

echo "== Python: export PYTHONPATH=$PWD/$BUILD_DIR/python_packages   # then: /usr/bin/python3 -c 'import tessera'"
