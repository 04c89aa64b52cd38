#!/usr/bin/env bash
# Builds Tessera with sanitizers and runs the tests that fit them
# (docs/robustness.md).
#
#   scripts/sanitize.sh asan [--runtime-only] [LIT-PATH...]
#       AddressSanitizer + UndefinedBehaviorSanitizer in build-asan: the
#       runtime's unit tests, the fuzz replay tools over their corpora, and
#       lit (test/robustness, test/fuzz, test/Frontend and test/dialects by
#       default, or the lit paths given, relative to test/).
#   scripts/sanitize.sh asan --ctest [CTEST-ARGS...]
#       The same build, all of it, and the whole ctest suite in it (unit, lit,
#       e2e, python; about an hour on 2 busy cores), or the selection given (e.g.
#       -R e2e-zoo-resnet18). Any sanitizer report fails the run, also one
#       from a tool whose failure a test expected.
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

# The whole ctest suite in the ASan build B (CTEST-ARGS select tests).
# Sanitizer reports go to files in B/sanitizer-logs, not to stderr: the e2e
# harnesses count a failing compile as an expected outcome for some tests,
# and a report there would otherwise pass unnoticed. The python test imports
# the instrumented _tessera module into the uninstrumented interpreter, so the
# ASan runtime is preloaded there (test/python/conftest.py keeps it away
# from the instrumented tools the tests start, which link their own copy).
run_ctest() { # BUILD_DIR CTEST-ARGS...
  local dir=$1 logs=$1/sanitizer-logs status=0
  shift
  rm -rf "$logs"
  mkdir -p "$logs"
  ASAN_OPTIONS=detect_leaks=1 "$dir/bin/tessera_runtime_tests" || status=1
  export ASAN_OPTIONS=detect_leaks=0:allow_user_poisoning=0:log_path=$logs/asan
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan
  ctest --test-dir "$dir" --output-on-failure -LE '^python$' "$@" || status=1
  LD_PRELOAD=$(clang -print-file-name=libclang_rt.asan-x86_64.so) \
    ctest --test-dir "$dir" --output-on-failure -L '^python$' "$@" || status=1
  if [ -n "$(ls -A "$logs")" ]; then
    echo "sanitizer reports in $logs:" >&2
    head -n 40 "$logs"/* >&2
    status=1
  fi
  return $status
}

case "$MODE" in
asan)
  RUNTIME_ONLY=0 CTEST=0
  if [ "${1:-}" = --runtime-only ]; then RUNTIME_ONLY=1; shift; fi
  if [ "${1:-}" = --ctest ]; then CTEST=1; shift; fi
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
  if [ "$CTEST" = 1 ]; then
    ninja -C "$B" -j"$JOBS"
    run_ctest "$B" "$@"
    exit 0
  fi
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
