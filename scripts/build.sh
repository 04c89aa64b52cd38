#!/usr/bin/env bash
# Configures and builds Tessera in ./build (Release, Ninja, clang + lld +
# ccache). Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${TESSERA_BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ] || [ $# -gt 0 ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "$@"
fi
ninja -C "$BUILD_DIR" -j"${TESSERA_JOBS:-$(nproc)}"
