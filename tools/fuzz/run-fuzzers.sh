#!/usr/bin/env bash
# Runs both libFuzzer harnesses at the lowest priority, side by side, for
# SECONDS each (default 3600), seeded with the test models and IR files
# (docs/robustness.md). Needs a build configured with
# -DTESSERA_ENABLE_FUZZERS=ON:
#
#   tools/fuzz/run-fuzzers.sh BUILD_DIR WORK_DIR [SECONDS]
#
# WORK_DIR receives corpus-{onnx,ir}/ (the evolving corpora), crashes-*/
# (reproducers: minimize them, fix the bug, add them to
# test/fuzz/regressions/) and fuzz-*.log (exec counts and coverage).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
B=$1 W=$2 T=${3:-3600}
mkdir -p "$W"/corpus-onnx "$W"/corpus-ir "$W"/crashes-onnx "$W"/crashes-ir
# Seeds: small test models and IR files (libFuzzer skips ones > -max_len).
find "$SRC/test" -name '*.onnx' -size -64k -exec cp -t "$W/corpus-onnx" {} + 2>/dev/null || true
find "$SRC/test" -name '*.mlir' -size -64k | while read -r f; do
  cp "$f" "$W/corpus-ir/$(echo "$f" | md5sum | cut -c1-16)"
done
cp "$SRC"/test/fuzz/regressions/onnx/* "$W/corpus-onnx/" 2>/dev/null || true
cp "$SRC"/test/fuzz/regressions/ir/* "$W/corpus-ir/" 2>/dev/null || true

# Leaks are not checked (MLIR keeps process-lifetime allocations).
# allow_user_poisoning=0: LLVM's header-only allocators poison freed slabs
# when compiled into our instrumented code, but libMLIR.so reuses them
# without unpoisoning (it is not instrumented): false use-after-poison.
# -rss_limit_mb catches runaway allocations, -timeout hangs.
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:allow_user_poisoning=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Fork mode with -ignore_*: a finding is saved and fuzzing goes on, so one
# crash does not end the hour.
common=(-max_total_time="$T" -rss_limit_mb=2048 -malloc_limit_mb=1024
        -timeout=20 -max_len=65536 -print_final_stats=1
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
nice -n 19 "$B/bin/tessera-fuzz-onnx" "${common[@]}" \
  -artifact_prefix="$W/crashes-onnx/" "$W/corpus-onnx" \
  > "$W/fuzz-onnx.log" 2>&1 &
nice -n 19 "$B/bin/tessera-fuzz-ir" "${common[@]}" -dict="$SRC/tools/fuzz/mlir.dict" \
  -artifact_prefix="$W/crashes-ir/" "$W/corpus-ir" \
  > "$W/fuzz-ir.log" 2>&1 &
wait
