#!/usr/bin/env bash
# Installs every Debian package Tessera needs to build, test and benchmark.
# Idempotent: when everything is present it only checks and returns quickly.
set -euo pipefail

PACKAGES=(
  # Build
  cmake ninja-build ccache lld clang
  # MLIR / LLVM 22 (linked as libMLIR.so + libLLVM.so)
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools libomp-22-dev
  # ONNX import
  libonnx-dev libprotobuf-dev protobuf-compiler
  # Cost model and tuning records
  libxgboost-dev libsqlite3-dev
  # Vulkan
  libvulkan-dev mesa-vulkan-drivers spirv-tools vulkan-tools
  # Tests
  libgtest-dev python3-pytest
  # Pictures of partitioned graphs (tessera-compile --explain-dot)
  graphviz
  # Python, references and test data
  pybind11-dev python3-dev python3-numpy python3-onnx python3-torch
  python3-torchvision python3-matplotlib libonnx-testdata
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
