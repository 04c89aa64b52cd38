#!/usr/bin/env bash
# Builds Tessera and runs every test: GoogleTest unit tests, lit + FileCheck
# tests (IR, importer, tools), and end-to-end tests (ONNX backend node tests,
# PyTorch models) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
BUILD_DIR=${TESSERA_BUILD_DIR:-build}
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"${TESSERA_JOBS:-$(nproc)}" "$@"
