#!/usr/bin/env bash
# Runs the GPU check on a machine with an NVIDIA GPU and driver (no LLVM
# needed): the bundle built here by scripts/gpu_prepare.py, checked and timed
# by the bundle's gpu_check.py (numpy; PyTorch and onnxruntime for peers).
#
#   scripts/gpu-check.sh [BUNDLE] [OUT] [gpu_check.py options]
#       BUNDLE: a folder or a .tar.xz from gpu_prepare.py --archive
#       (defaults: gpu-bundle, $OUT or gpu-out)
#
# Steps on a build machine, then on the GPU machine:
#   /usr/bin/python3 scripts/gpu_prepare.py --out gpu-bundle --build build
#   (copy gpu-bundle and this script to the GPU machine)
#   scripts/gpu-check.sh gpu-bundle out      → out/gpu-report.md, out/gpu-report.json
#   or: gpu_prepare.py ... --archive gpu-bundle.tar.xz, then
#   scripts/gpu-check.sh gpu-bundle.tar.xz out
set -euo pipefail
BUNDLE=${1:-gpu-bundle}
OUT_DIR=${2:-${OUT:-gpu-out}}
PYTHON=${PYTHON:-python3}
if [ -f "$BUNDLE" ]; then
  # An archive: unpacked with Python's tarfile (the GPU machine may lack xz).
  UNPACKED=$(mktemp -d)
  "$PYTHON" -c 'import sys, tarfile; t = tarfile.open(sys.argv[1]); t.extractall(sys.argv[2], **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))' \
    "$BUNDLE" "$UNPACKED"
  BUNDLE=$(echo "$UNPACKED"/*)
fi
if [ ! -f "$BUNDLE/gpu_check.py" ]; then
  echo "error: $BUNDLE is not a bundle from scripts/gpu_prepare.py" >&2
  exit 2
fi
mkdir -p "$OUT_DIR"
nvidia-smi > "$OUT_DIR/nvidia-smi.txt" 2>&1 || echo "warning: nvidia-smi failed" >&2
export LD_LIBRARY_PATH="$BUNDLE/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$PYTHON" "$BUNDLE/gpu_check.py" "$BUNDLE" --out "$OUT_DIR" "${@:3}"
