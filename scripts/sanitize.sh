#!/usr/bin/env bash
# Builds Tessera with sanitizers and runs the tests that fit them
# (docs/robustness.md).
#
#   scripts/sanitize.sh asan [--runtime-only] [LIT-PATH...]
#       AddressSanitizer + UndefinedBehaviorSanitizer in build-asan: the
#       runtime's unit tests, the fuzz replay tools over their corpora, and
#       lit (test/robustness, test/fuzz, test/Frontend and test/dialects by
#       default, or the lit paths given, relative to test/).
#   scripts/sanitize.sh tsan
#       ThreadSanitizer in build-tsan: the runtime alone (no compiler) and its
#       unit tests, which load and run artifacts from several threads.
#
# Only Tessera's own code is instrumented; libMLIR.so, libLLVM.so, libonnx
# and libprotobuf are not. TESSERA_SANITIZE_BUILD_DIR overrides the build
# folder, TESSERA_JOBS the build parallelism (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-}
shift || true
JOBS=${TESSERA_JOBS:-2}
LIT=${LIT:-/usr/lib/llvm-22/bin/lit}

configure() { # BUILD_DIR SANITIZERS EXTRA-CMAKE-ARGS...
  local dir=$1 sanitizers=$2
  shift 2
  cmake -G Ninja -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    "-DTESSERA_SANITIZER=$sanitizers" "$@" >/dev/null
}

case "$MODE" in
asan)
  RUNTIME_ONLY=0
  if [ "${1:-}" = --runtime-only ]; then RUNTIME_ONLY=1; shift; fi
  B=${TESSERA_SANITIZE_BUILD_DIR:-build-asan}
  # Leaks are checked in the runtime's tests; the compiler's tools keep
  # MLIR's process-lifetime allocations on purpose, so not there.
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp
  if [ "$RUNTIME_ONLY" = 1 ]; then
    configure "$B" "address;undefined" -DTESSERA_BUILD_COMPILER=OFF
    ninja -C "$B" -j"$JOBS" tessera_runtime_tests tessera-run
    ASAN_OPTIONS=detect_leaks=1 "$B/bin/tessera_runtime_tests"
    exit 0
  fi
  configure "$B" "address;undefined"
  ninja -C "$B" -j"$JOBS" tessera_runtime_tests tessera-run tessera-compile tessera-tune \
    tessera-opt tessera-fuzz-onnx tessera-fuzz-ir
  ASAN_OPTIONS=detect_leaks=1 "$B/bin/tessera_runtime_tests"
  # allow_user_poisoning=0: LLVM's inline allocators poison memory from our
  # instrumented code that uninstrumented libMLIR.so then reuses (false
  # use-after-poison reports; see docs/robustness.md).
  export ASAN_OPTIONS=detect_leaks=0:allow_user_poisoning=0
  "$B/bin/tessera-fuzz-onnx" test/fuzz/regressions/onnx test/robustness/Inputs \
    test/Frontend/ONNX/Inputs
  "$B/bin/tessera-fuzz-ir" test/fuzz/regressions/ir test/dialects test/conversions
  if [ $# -eq 0 ]; then set -- robustness fuzz Frontend dialects; fi
  paths=()
  for p in "$@"; do paths+=("$B/test/$p"); done
  "$LIT" -sv "${paths[@]}"
  ;;
tsan)
  B=${TESSERA_SANITIZE_BUILD_DIR:-build-tsan}
  configure "$B" thread -DTESSERA_BUILD_COMPILER=OFF
  ninja -C "$B" -j"$JOBS" tessera_runtime_tests tessera-run
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    "$B/bin/tessera_runtime_tests"
  ;;
*)
  echo "usage: $0 asan [--runtime-only] [LIT-PATH...] | tsan" >&2
  exit 2
  ;;
esac
