//===- Artifact.h - ABI between a compiled model and the runtime --*- C -*-===//
//
// Every artifact produced by tessera-compile is one shared library that
// exports the symbols below and links only against libtessera_runtime (plus
// libc/libm). The runtime loads it with dlopen() and talks to it only through
// this header, so the two can be versioned independently.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_C_ARTIFACT_H
#define TESSERA_C_ARTIFACT_H

#include <stdint.h>
#include <stddef.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// Version of the artifact ABI. Bumped whenever the metadata format or the
/// calling convention of `tessera_artifact_run` changes.
#define TESSERA_ARTIFACT_ABI_VERSION 1

/// Name of the exported metadata function:
///   const char *tessera_artifact_metadata(void);
/// It returns a NUL-terminated text, one record per line:
///   tessera-artifact 1                      (magic and ABI version)
///   target cpu <llvm-cpu-name> <feature,...>  (enabled CPU features the
///                                              code needs, or -)
///   input <name> <dtype> <dims>
///   output <name> <dtype> <dims>
/// `name` is percent-encoded (every byte outside [A-Za-z0-9_.:/-] becomes
/// %XX). `dtype` is the ONNX name in lower case (float32, float64, float16,
/// int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool).
/// `dims` is the shape joined with 'x' (for example 1x3x224x224), or the
/// word `scalar` for rank 0. Inputs and outputs appear in model order.
#define TESSERA_ARTIFACT_METADATA_SYMBOL "tessera_artifact_metadata"

/// Name of the exported entry point:
///   int32_t tessera_artifact_run(void **buffers);
/// `buffers` holds one pointer per input followed by one per output, in
/// metadata order. Each buffer is dense, row-major, 64-byte aligned data of
/// the declared dtype and shape; outputs are written in place. Returns 0 on
/// success.
#define TESSERA_ARTIFACT_RUN_SYMBOL "tessera_artifact_run"

typedef const char *(*tessera_artifact_metadata_fn)(void);
typedef int32_t (*tessera_artifact_run_fn)(void **buffers);

//===----------------------------------------------------------------------===//
// Services the runtime provides to artifacts.
//===----------------------------------------------------------------------===//

/// Heap allocation used by generated code (MLIR's generic allocation
/// functions, selected with finalize-memref-to-llvm{use-generic-functions}).
void *_mlir_memref_to_llvm_alloc(uint64_t size);
void *_mlir_memref_to_llvm_aligned_alloc(uint64_t alignment, uint64_t size);
void _mlir_memref_to_llvm_free(void *ptr);

/// Runs body(begin, end, ctx) over [0, n) split into chunks on the runtime's
/// thread pool; returns when every chunk has run. Called by generated code
/// for parallel loops.
void tessera_rt_parallel_for(int64_t n,
                             void (*body)(int64_t begin, int64_t end,
                                          void *ctx),
                             void *ctx);

/// Called by generated code when a run-time check fails (for example a shape
/// input whose values disagree with the shape the model was compiled for).
/// The run goes on without touching memory out of bounds; the runtime then
/// fails the run with the first message recorded. Safe to call from parallel
/// loop bodies.
void tessera_rt_set_error(const char *message);

//===----------------------------------------------------------------------===//
// GPU services: the ABI of MLIR's GPU runtime wrappers ("mgpu"), called by
// the host code of gpu-to-llvm and #gpu.select_object (artifacts whose
// target record is `target cuda ...` or `target vulkan ...`). None returns
// an error: the first failure is recorded as with tessera_rt_set_error and
// the following calls that compute or move data do nothing.
//===----------------------------------------------------------------------===//

/// Loads a kernel module: SPIR-V words (runs on Vulkan), a cubin or a CUDA
/// fatbin (CUDA). Called from the artifact's constructors. NULL on failure.
void *mgpuModuleLoad(void *data, size_t sizeBytes);
/// Loads NUL-terminated PTX text (CUDA; the driver compiles it).
void *mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(void *module);
/// The kernel `name` of `module`; looked up before every launch.
void *mgpuModuleGetFunction(void *module, const char *name);
/// `params[i]` points to the value of kernel argument i; memrefs are bare
/// pointers from mgpuMemAlloc. On Vulkan, argument i is the storage buffer
/// of descriptor set 0, binding i, and the block must equal the kernel's
/// SPIR-V LocalSize.
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t paramsCount);
void *mgpuStreamCreate(void);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamDestroy(void *stream);
void *mgpuEventCreate(void);
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
/// Device memory that host code never dereferences.
void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, bool isHostShared);
void mgpuMemFree(void *ptr, void *stream);
/// Copies host<->device or device<->device (the direction is inferred).
void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream);
void mgpuMemset32(void *dst, unsigned int value, size_t count, void *stream);
void mgpuMemset16(void *dst, unsigned short value, size_t count,
                  void *stream);

/// The device copy of the `bytes` of constant data (weights) at address
/// `host`, for the model being run: uploaded on the loaded model's first
/// call for that address, which returns once the upload is complete, and
/// the same buffer on later calls; freed when the model is freed. Called by
/// the host code of GPU artifacts instead of copying weights on every run.
void *tessera_rt_gpu_constant(uintptr_t host, uint64_t bytes);

#ifdef __cplusplus
}
#endif

#endif // TESSERA_C_ARTIFACT_H
