#!/usr/bin/env bash
# Builds Tessera and runs every test: GoogleTest unit tests, lit + FileCheck
# tests (IR, importer, tools), and end-to-end tests (ONNX backend node tests,
# PyTorch models) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
BUILD_DIR=${TESSERA_BUILD_DIR:-build}
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"${TESSERA_JOBS:-$(nproc)}" "$@"
# ThreadSanitizer run of the runtime's multi-threaded paths in build-tsan
# (runtime only, no compiler: about 1-2 minutes on 2 cores; see
# docs/robustness.md). TESSERA_SKIP_TSAN=1 skips it.
if [ "${TESSERA_SKIP_TSAN:-0}" != 1 ]; then
  scripts/sanitize.sh tsan
fi
