/*===- TestGpuArtifact.c - Hand-written GPU artifact for runtime tests -*- C
-*-===//
//
// A GPU artifact as gpu-to-llvm and #gpu.select_object produce it, in plain
// C: a constructor loads the embedded kernel module at dlopen time, and the
// run allocates device buffers, copies the inputs in, launches the kernel
// (looking it up first, like generated code), copies the result out and
// frees on the stream before synchronizing it.
//
//   inputs:  a float32 256, b float32 256
//   outputs: c = a + b (float32 256)
//
// TEST_GPU_KERNEL is the kernel file embedded with .incbin:
// AddKernel.spv (TEST_GPU_VULKAN) or AddKernel.ptx (TEST_GPU_CUDA, loaded
// with mgpuModuleLoadJIT). TEST_GPU_BLOCK overrides the block size the
// kernel is launched with (64) to test the mismatch error.
// TEST_GPU_CONSTANT makes b a constant of the artifact (b[i] = 3 i), taken
// from the runtime's cache (tessera_rt_gpu_constant) as compiled GPU models
// take their weights: one input a, c = a + b.
//
//===----------------------------------------------------------------------===*/

#include "tessera-c/Artifact.h"

#include <stddef.h>
#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

#ifndef TEST_GPU_BLOCK
#define TEST_GPU_BLOCK 64
#endif

#ifdef TEST_GPU_CUDA
#define TEST_GPU_DEVICE "cuda"
#else
#define TEST_GPU_DEVICE "vulkan"
#endif

enum { kNumElements = 256 };

// The kernel file, NUL-terminated (PTX is text), 4-byte aligned (SPIR-V).
__asm__(".section .rodata\n"
        ".balign 16\n"
        ".globl test_kernel_begin\n"
        ".hidden test_kernel_begin\n"
        "test_kernel_begin:\n"
        ".incbin \"" TEST_GPU_KERNEL "\"\n"
        ".globl test_kernel_end\n"
        ".hidden test_kernel_end\n"
        "test_kernel_end:\n"
        ".byte 0\n"
        ".previous\n");
extern const char test_kernel_begin[], test_kernel_end[];

static void *module;

__attribute__((constructor)) static void loadKernels(void) {
#ifdef TEST_GPU_CUDA
  module = mgpuModuleLoadJIT((void *)test_kernel_begin, 2);
#else
  module = mgpuModuleLoad((void *)test_kernel_begin,
                          (size_t)(test_kernel_end - test_kernel_begin));
#endif
}

__attribute__((destructor)) static void unloadKernels(void) {
  mgpuModuleUnload(module);
}

#ifdef TEST_GPU_CONSTANT
/// The constant operand: filled once at load, at a fixed address.
static float constantB[kNumElements] __attribute__((aligned(64)));

__attribute__((constructor)) static void initConstant(void) {
  for (int i = 0; i < kNumElements; ++i)
    constantB[i] = 3.0f * (float)i;
}
#endif

EXPORT const char *tessera_artifact_metadata(void) {
  return "tessera-artifact 1\n"
         "target " TEST_GPU_DEVICE " generic -\n"
         "input a float32 256\n"
#ifndef TEST_GPU_CONSTANT
         "input b float32 256\n"
#endif
         "output c float32 256\n";
}

EXPORT int32_t tessera_artifact_run(void **buffers) {
  const size_t bytes = kNumElements * sizeof(float);
  void *stream = mgpuStreamCreate();
  void *a = mgpuMemAlloc(bytes, stream, false);
#ifdef TEST_GPU_CONSTANT
  void *b = tessera_rt_gpu_constant((uintptr_t)constantB, bytes);
  void *output = buffers[1];
#else
  void *b = mgpuMemAlloc(bytes, stream, false);
  void *output = buffers[2];
#endif
  void *c = mgpuMemAlloc(bytes, stream, false);
  mgpuMemcpy(a, buffers[0], bytes, stream);
#ifndef TEST_GPU_CONSTANT
  mgpuMemcpy(b, buffers[1], bytes, stream);
#endif
  mgpuMemset32(c, 0x7fc00000u, kNumElements, stream); // NaN: must be replaced
  void *add = mgpuModuleGetFunction(module, "add");
  void *params[] = {&a, &b, &c};
  mgpuLaunchKernel(add, kNumElements / TEST_GPU_BLOCK, 1, 1, TEST_GPU_BLOCK, 1,
                   1, 0, stream, params, NULL, 3);
  mgpuMemcpy(output, c, bytes, stream);
  mgpuMemFree(a, stream);
#ifndef TEST_GPU_CONSTANT
  mgpuMemFree(b, stream);
#endif
  mgpuMemFree(c, stream);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  return 0;
}
