//===- GpuDevice.h - A GPU the runtime can run kernels on -------*- C++ -*-===//
//
// The interface the GPU services (GpuServices.cpp, the `mgpu*` functions
// that GPU artifacts call) use for every device family. Implementations:
// CudaDevice.cpp (the CUDA driver API through dlopen) and VulkanDevice.cpp
// (the Vulkan loader through dlopen). Failures are reported with
// setRunError() and the call becomes a no-op, since the mgpu ABI has no
// error results; the runtime fails the load or run with the message.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_GPU_GPUDEVICE_H
#define TESSERA_RUNTIME_GPU_GPUDEVICE_H

#include "tessera-c/Runtime.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace tessera::runtime {

class GpuDevice {
public:
  virtual ~GpuDevice() = default;

  /// "cuda" or "vulkan".
  virtual const char *kind() const = 0;
  /// One-line description: name and the facts that matter for placement.
  virtual std::string describe() const = 0;
  /// The device profile as a JSON object.
  virtual std::string profileJSON() const = 0;

  /// A module from a device binary: SPIR-V words, a cubin or fatbin, or
  /// NUL-terminated PTX (`isPTX`). Null on failure.
  virtual void *loadModule(const void *data, size_t size, bool isPTX) = 0;
  virtual void unloadModule(void *module) = 0;
  virtual void *getFunction(void *module, const char *name) = 0;
  virtual void launch(void *function, const int64_t grid[3],
                      const int64_t block[3], int32_t sharedMemoryBytes,
                      void *stream, void **params, size_t numParams) = 0;

  virtual void *createStream() = 0;
  virtual void synchronize(void *stream) = 0;
  virtual void destroyStream(void *stream) = 0;

  /// Device memory; host code never dereferences it.
  virtual void *allocate(uint64_t size, void *stream) = 0;
  virtual void deallocate(void *pointer, void *stream) = 0;
  /// Copies between host and device memory, in either direction.
  virtual void copy(void *dst, const void *src, size_t size, void *stream) = 0;
  virtual void fill32(void *dst, uint32_t value, size_t count,
                      void *stream) = 0;
  virtual void fill16(void *dst, uint16_t value, size_t count,
                      void *stream) = 0;

  /// Events order work between streams (gpu-to-llvm's async tokens). The
  /// defaults suit a device that runs all work in submission order on one
  /// queue: waiting is implicit and synchronizing an event synchronizes the
  /// stream it was recorded on.
  virtual void *createEvent() { return nullptr; }
  virtual void destroyEvent(void *) {}
  virtual void recordEvent(void *, void *) {}
  virtual void waitEvent(void *, void *) {}
  virtual void synchronizeEvent(void *, void *recordedStream) {
    synchronize(recordedStream);
  }
};

/// Which device family a binary is for, from its first bytes: "vulkan"
/// (SPIR-V), "cuda" (ELF cubin, fatbin, PTX text) or "" (unknown).
const char *detectDeviceKind(const void *data, size_t size);

/// The process-wide device of `kind`, created on first use with the
/// selection of tessera_runtime_select_device() or the environment
/// (TESSERA_CUDA_DEVICE, TESSERA_VULKAN_DEVICE). Null, with the reason in
/// `error`, when there is none.
GpuDevice *getGpuDevice(const std::string &kind, std::string &error);

/// Creates the devices (defined in CudaDevice.cpp / VulkanDevice.cpp).
GpuDevice *createCudaDevice(const std::string &selector, std::string &error);
GpuDevice *createVulkanDevice(const std::string &selector, std::string &error);
/// One line per device of that family ("cuda 0 NVIDIA H100 ..."), or "".
std::string listCudaDevices();
std::string listVulkanDevices();

/// Chooses which device of `kind` later models use (an index or a name
/// substring; "" = the first). "" on success, else why not.
std::string selectGpuDevice(const std::string &kind,
                            const std::string &selector);
/// "cpu 0 host CPU\n" then one line per CUDA and Vulkan device.
std::string listDevices();
/// The profile (JSON) of the device of `kind`; "" with `error` set if none.
std::string getGpuProfile(const std::string &kind, std::string &error);

/// The device kind that GPU services on this thread use, and the loaded
/// model that owns the device copies of constants they make: set by the
/// runtime around tessera_artifact_run from the artifact's target record.
class ScopedGpuKind {
public:
  explicit ScopedGpuKind(const std::string &kind, const void *owner = nullptr);
  ~ScopedGpuKind();

private:
  std::string previous;
  const void *previousOwner;
};

/// The device copy of the `bytes` of constant data at `host` for the model
/// running on this thread (tessera_rt_gpu_constant). The first call per
/// (model, device, address) uploads the data and waits for the upload, so
/// any stream may use the buffer; later calls return the same buffer. Null,
/// with the run error set, on failure.
void *getGpuConstant(const void *host, uint64_t bytes);

/// Frees the device copies of constants owned by `owner` (a Model, before
/// it unloads its artifact: its constants' addresses die with it).
void releaseGpuConstants(const void *owner);

/// What the cache of constants holds (tests, diagnostics).
struct GpuConstantStats {
  uint64_t uploads = 0;   ///< Uploads since the process started.
  uint64_t buffers = 0;   ///< Device copies held now.
  uint64_t bytesHeld = 0; ///< Their size.
};
TESSERA_RT_EXPORT GpuConstantStats getGpuConstantStats();

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_GPU_GPUDEVICE_H
