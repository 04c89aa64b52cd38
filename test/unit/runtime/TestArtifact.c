/*===- TestArtifact.c - Hand-written artifact for runtime tests ---*- C -*-===//
//
// Implements the artifact ABI (tessera-c/Artifact.h) in plain C, so the
// runtime and tessera-run are tested without the compiler:
//
//   inputs:  a float32 2x3, b float32 2x3
//   outputs: sum = a + b (float32 2x3), "a*b" = a * b (float32 2x3),
//            total = sum of all elements of a + b (float64 scalar)
//
// Like generated code, it takes a temporary buffer from
// _mlir_memref_to_llvm_alloc and runs one loop with tessera_rt_parallel_for.
// It returns 2 if a buffer is not 64-byte aligned, 3 if the runtime's
// allocation is not, and 42 when a[0] == -12345 (to test failure reporting).
//
// Variants for error tests: TEST_ARTIFACT_VERSION=N changes the ABI version,
// TEST_ARTIFACT_NO_RUN=1 omits the entry point, TEST_ARTIFACT_BAD_METADATA=1
// declares an unknown dtype. Variants for plans (PlanTest.cpp):
// TEST_ARTIFACT_PLAN_CHAIN=1 reads `sum` and `a*b` and writes sum2, prod2,
// total2 (a second stage); TEST_ARTIFACT_PLAN_SIDE=1 reads a and b, writes
// side_sum, side_prod, side_total and declares the device `vulkan` (the code
// still runs on the host); TEST_ARTIFACT_SLEEP_MS=N makes each run take at
// least N ms.
//
//===----------------------------------------------------------------------===*/

#include "tessera-c/Artifact.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifndef TEST_ARTIFACT_VERSION
#define TEST_ARTIFACT_VERSION 1
#endif
#define STRINGIFY_IMPL(x) #x
#define STRINGIFY(x) STRINGIFY_IMPL(x)

#define EXPORT __attribute__((visibility("default")))

#ifdef TEST_ARTIFACT_PLAN_SIDE
#define TEST_ARTIFACT_DEVICE "vulkan"
#else
#define TEST_ARTIFACT_DEVICE "cpu"
#endif
#if defined(TEST_ARTIFACT_PLAN_CHAIN)
#define TEST_ARTIFACT_NAMES                                                    \
  "input sum float32 2x3\n"                                                    \
  "input a%2Ab float32 2x3\n"                                                  \
  "output sum2 float32 2x3\n"                                                  \
  "output prod2 float32 2x3\n"                                                 \
  "output total2 float64 scalar\n"
#elif defined(TEST_ARTIFACT_PLAN_SIDE)
#define TEST_ARTIFACT_NAMES                                                    \
  "input a float32 2x3\n"                                                      \
  "input b float32 2x3\n"                                                      \
  "output side_sum float32 2x3\n"                                              \
  "output side_prod float32 2x3\n"                                             \
  "output side_total float64 scalar\n"
#else
#ifdef TEST_ARTIFACT_BAD_METADATA
#define TOTAL_DTYPE "complex64"
#else
#define TOTAL_DTYPE "float64"
#endif
#define TEST_ARTIFACT_NAMES                                                    \
  "input a float32 2x3\n"                                                      \
  "input b float32 2x3\n"                                                      \
  "output sum float32 2x3\n"                                                   \
  "output a%2Ab float32 2x3\n"                                                 \
  "output total " TOTAL_DTYPE " scalar\n"
#endif

EXPORT const char *tessera_artifact_metadata(void) {
  return "tessera-artifact " STRINGIFY(TEST_ARTIFACT_VERSION) "\n"
         "target " TEST_ARTIFACT_DEVICE " generic +sse2\n" TEST_ARTIFACT_NAMES;
}

#ifndef TEST_ARTIFACT_NO_RUN

enum { kNumElements = 6, kNumBuffers = 5 };

/// Context of the parallel multiply loop.
struct MulContext {
  const float *a;
  const float *b;
  float *product;
};

static void multiplyChunk(int64_t begin, int64_t end, void *ctx) {
  struct MulContext *mul = (struct MulContext *)ctx;
  for (int64_t i = begin; i < end; ++i)
    mul->product[i] = mul->a[i] * mul->b[i];
}

EXPORT int32_t tessera_artifact_run(void **buffers) {
  for (int i = 0; i < kNumBuffers; ++i)
    if ((uintptr_t)buffers[i] % 64 != 0)
      return 2;
  const float *a = (const float *)buffers[0];
  const float *b = (const float *)buffers[1];
  float *sum = (float *)buffers[2];
  float *product = (float *)buffers[3];
  double *total = (double *)buffers[4];
  if (a[0] == -12345.0f)
    return 42;

  float *scratch =
      (float *)_mlir_memref_to_llvm_alloc(kNumElements * sizeof(float));
  if (!scratch || (uintptr_t)scratch % 64 != 0)
    return 3;
  struct MulContext ctx = {a, b, scratch};
  tessera_rt_parallel_for(kNumElements, multiplyChunk, &ctx);

  *total = 0;
  for (int i = 0; i < kNumElements; ++i) {
    sum[i] = a[i] + b[i];
    product[i] = scratch[i];
    *total += (double)sum[i];
  }
  _mlir_memref_to_llvm_free(scratch);
#ifdef TEST_ARTIFACT_SLEEP_MS
  struct timespec pause = {0, TEST_ARTIFACT_SLEEP_MS * 1000000L};
  nanosleep(&pause, NULL);
#endif
  return 0;
}

#endif // TEST_ARTIFACT_NO_RUN
