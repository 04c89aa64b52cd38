//===- GpuServices.cpp - The GPU services artifacts call ------------------===//
//
// GPU artifacts are lowered by MLIR's gpu-to-llvm and #gpu.select_object,
// whose host code calls the `mgpu*` functions below (the ABI of MLIR's
// runtime wrappers, see include/tessera-c/Artifact.h). They forward to the
// process's GpuDevice of the right family: module loads by the binary's
// magic (they run in the artifact's constructors, at dlopen), everything
// else by the handle it receives or the artifact being run on this thread.
//
//===----------------------------------------------------------------------===//

#include "runtime/gpu/GpuDevice.h"

#include "runtime/RunErrors.h"
#include "tessera-c/Artifact.h"
#include "tessera-c/Runtime.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

namespace tessera::runtime {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<GpuDevice>> devices;
  std::map<std::string, std::string> failures;  // kind -> why none
  std::map<std::string, std::string> selectors; // kind -> user choice
  std::string lastKind;
};

/// Set once exit() has begun. Artifacts unload their modules in global
/// destructors, which at exit run after the drivers' own static destructors
/// (atexit handlers run before the shared libraries' destructors): by then
/// calling into a driver is unsafe, and the process is ending anyway.
std::atomic<bool> exiting{false};

Registry &registry() {
  static Registry *instance = [] {
    std::atexit([] { exiting = true; });
    return new Registry(); // never destroyed: artifacts unload after exit
  }();
  return *instance;
}

thread_local std::string currentKind;
thread_local const void *currentOwner = nullptr;

/// Device copies of constants, per loaded model and device, keyed by the
/// constant's host address (stable while the model's artifact is loaded).
struct ConstantCache {
  struct Key {
    const void *owner;
    GpuDevice *device;
    const void *host;
    bool operator<(const Key &other) const {
      return std::tie(owner, device, host) <
             std::tie(other.owner, other.device, other.host);
    }
  };
  struct Entry {
    void *buffer = nullptr;
    uint64_t bytes = 0;
    bool ready = false; ///< False while its first caller uploads it.
  };
  /// Guards the entries, never held across an upload: other models' runs
  /// go on while one model uploads its weights.
  std::mutex mutex;
  /// Signalled when an upload ends: concurrent first runs of one model
  /// wait for the thread that uploads a constant instead of uploading it
  /// again.
  std::condition_variable uploaded;
  std::map<Key, Entry> entries;
  uint64_t uploads = 0;
};

ConstantCache &constantCache() {
  static auto *cache = new ConstantCache(); // outlives the artifacts
  return *cache;
}

/// Handles given to generated code remember their device and what they
/// are, so a handle of the wrong kind is caught instead of misused.
struct Handle {
  enum Kind { Module, Function, Stream, Event };
  Handle(Kind kind, GpuDevice *device, void *native)
      : kind(kind), device(device), native(native) {}

  Kind kind;
  GpuDevice *device;
  void *native;
  void *recordedStream = nullptr; ///< Events: where they were recorded.
  /// Modules: the handles of their kernels, by native function.
  std::map<void *, Handle *> functions;
};

/// Guards the modules' function maps.
std::mutex &functionsMutex() {
  static auto *mutex = new std::mutex();
  return *mutex;
}

Handle *asHandle(void *pointer, Handle::Kind kind) {
  auto *handle = static_cast<Handle *>(pointer);
  return handle && handle->kind == kind ? handle : nullptr;
}

GpuDevice *currentDevice() {
  std::string kind = currentKind;
  if (kind.empty()) {
    std::lock_guard<std::mutex> lock(registry().mutex);
    kind = registry().lastKind;
  }
  if (kind.empty()) {
    setRunError("a GPU service was called before any GPU module was loaded");
    return nullptr;
  }
  std::string error;
  GpuDevice *device = getGpuDevice(kind, error);
  if (!device)
    setRunError("no " + kind + " device: " + error);
  return device;
}

} // namespace

const char *detectDeviceKind(const void *data, size_t size) {
  const auto *bytes = static_cast<const unsigned char *>(data);
  if (!bytes || size < 4)
    return "";
  uint32_t word;
  std::memcpy(&word, bytes, 4);
  if (word == 0x07230203u)
    return "vulkan"; // SPIR-V magic
  if (word == 0xBA55ED50u || std::memcmp(bytes, "\177ELF", 4) == 0)
    return "cuda"; // fatbin, cubin
  return "";
}

GpuDevice *getGpuDevice(const std::string &kind, std::string &error) {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  if (auto it = r.devices.find(kind); it != r.devices.end()) {
    r.lastKind = kind;
    return it->second.get();
  }
  if (auto it = r.failures.find(kind); it != r.failures.end()) {
    error = it->second;
    return nullptr;
  }
  std::string selector = r.selectors[kind];
  const char *env = std::getenv(kind == "cuda" ? "TESSERA_CUDA_DEVICE"
                                               : "TESSERA_VULKAN_DEVICE");
  if (selector.empty() && env)
    selector = env;
  GpuDevice *device = nullptr;
  if (kind == "cuda")
    device = createCudaDevice(selector, error);
  else if (kind == "vulkan")
    device = createVulkanDevice(selector, error);
  else
    error = "unknown device kind '" + kind + "'";
  if (!device) {
    r.failures[kind] = error;
    return nullptr;
  }
  r.devices[kind].reset(device);
  r.lastKind = kind;
  return device;
}

ScopedGpuKind::ScopedGpuKind(const std::string &kind, const void *owner)
    : previous(currentKind), previousOwner(currentOwner) {
  currentKind = kind;
  currentOwner = owner;
}
ScopedGpuKind::~ScopedGpuKind() {
  currentKind = previous;
  currentOwner = previousOwner;
}

void *getGpuConstant(const void *host, uint64_t bytes) {
  if (hasRunError())
    return nullptr;
  if (!host) {
    setRunError("a GPU constant has a null address");
    return nullptr;
  }
  GpuDevice *device = currentDevice();
  if (!device)
    return nullptr;
  ConstantCache &cache = constantCache();
  ConstantCache::Key key{currentOwner, device, host};
  std::unique_lock<std::mutex> lock(cache.mutex);
  for (;;) {
    auto it = cache.entries.find(key);
    if (it == cache.entries.end())
      break; // this thread uploads it
    if (it->second.ready) {
      if (it->second.bytes == bytes)
        return it->second.buffer;
      setRunError("a GPU constant changed size between runs");
      return nullptr;
    }
    cache.uploaded.wait(lock); // another thread uploads it
  }
  cache.entries[key] = ConstantCache::Entry{nullptr, bytes, false};
  lock.unlock();

  // Outside any stream: a synchronous upload that every later run's
  // streams see completed.
  void *buffer = device->allocate(bytes, nullptr);
  if (buffer) {
    if (bytes)
      device->copy(buffer, host, bytes, nullptr);
    device->synchronize(nullptr);
    if (hasRunError()) {
      device->deallocate(buffer, nullptr);
      buffer = nullptr;
    }
  }

  lock.lock();
  if (buffer) {
    cache.entries[key] = ConstantCache::Entry{buffer, bytes, true};
    ++cache.uploads;
  } else {
    cache.entries.erase(key); // a waiting run tries again, or fails too
  }
  cache.uploaded.notify_all();
  return buffer;
}

void releaseGpuConstants(const void *owner) {
  ConstantCache &cache = constantCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  for (auto it = cache.entries.begin(); it != cache.entries.end();) {
    // An entry still being uploaded belongs to a run in progress of the
    // model being freed (a caller error): it is left to its uploader.
    if (it->first.owner != owner || !it->second.ready) {
      ++it;
      continue;
    }
    if (!exiting) // see `exiting`: the driver may be gone
      it->first.device->deallocate(it->second.buffer, nullptr);
    it = cache.entries.erase(it);
  }
}

GpuConstantStats getGpuConstantStats() {
  ConstantCache &cache = constantCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  GpuConstantStats stats;
  stats.uploads = cache.uploads;
  for (const auto &entry : cache.entries)
    if (entry.second.ready) {
      ++stats.buffers;
      stats.bytesHeld += entry.second.bytes;
    }
  return stats;
}

} // namespace tessera::runtime

using namespace tessera::runtime;

//===----------------------------------------------------------------------===//
// The mgpu ABI (generated code).
//===----------------------------------------------------------------------===//

#define MGPU_EXPORT extern "C" TESSERA_RT_EXPORT

// The ABI has no error results: the first failure is recorded (setRunError)
// and, while it is pending, calls that would compute or move data do
// nothing, so a failed load or launch can never produce a wrong answer
// silently; calls that release resources always run.

/// The device kinds of listDevices(), e.g. "cpu, vulkan".
static std::string availableTargets() {
  std::string kinds;
  std::string listing = listDevices();
  size_t start = 0;
  while (start < listing.size()) {
    size_t end = listing.find('\n', start);
    std::string kind = listing.substr(start, listing.find(' ', start) - start);
    if (kinds.find(kind) == std::string::npos)
      kinds += (kinds.empty() ? "" : ", ") + kind;
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return kinds;
}

static void *loadModule(const void *data, size_t size, bool isPTX) {
  if (hasRunError())
    return nullptr;
  std::string kind = isPTX ? "cuda" : detectDeviceKind(data, size);
  if (kind.empty()) {
    setRunError("unrecognized GPU binary in the artifact (neither SPIR-V nor "
                "CUDA)");
    return nullptr;
  }
  std::string error;
  GpuDevice *device = getGpuDevice(kind, error);
  if (!device) {
    setRunError("this model runs on " + kind + ", but " + error +
                "; compile it with --target=cpu, or run it where a " + kind +
                " device is present (tessera-run --list-devices); targets "
                "with a device here: " +
                availableTargets());
    return nullptr;
  }
  void *module = device->loadModule(data, size, isPTX);
  return module ? new Handle{Handle::Module, device, module} : nullptr;
}

MGPU_EXPORT void *mgpuModuleLoad(void *data, size_t sizeBytes) {
  return loadModule(data, sizeBytes, false);
}

MGPU_EXPORT void *mgpuModuleLoadJIT(void *data, int /*optLevel*/) {
  return loadModule(data, data ? std::strlen(static_cast<char *>(data)) : 0,
                    true);
}

MGPU_EXPORT void mgpuModuleUnload(void *module) {
  if (Handle *handle = asHandle(module, Handle::Module)) {
    if (!exiting)
      handle->device->unloadModule(handle->native);
    std::lock_guard<std::mutex> lock(functionsMutex());
    for (auto &entry : handle->functions)
      delete entry.second;
    delete handle;
  }
}

MGPU_EXPORT void *mgpuModuleGetFunction(void *module, const char *name) {
  Handle *handle = asHandle(module, Handle::Module);
  if (!handle || !name || hasRunError())
    return nullptr; // the load failed and said why
  void *function = handle->device->getFunction(handle->native, name);
  if (!function)
    return nullptr;
  // Generated code looks the kernel up at every launch: one handle each.
  std::lock_guard<std::mutex> lock(functionsMutex());
  Handle *&result = handle->functions[function];
  if (!result)
    result = new Handle{Handle::Function, handle->device, function};
  return result;
}

MGPU_EXPORT void mgpuLaunchKernel(void *function, intptr_t gridX,
                                  intptr_t gridY, intptr_t gridZ,
                                  intptr_t blockX, intptr_t blockY,
                                  intptr_t blockZ, int32_t smem, void *stream,
                                  void **params, void ** /*extra*/,
                                  size_t paramsCount) {
  if (hasRunError())
    return;
  Handle *handle = asHandle(function, Handle::Function);
  if (!handle) {
    setRunError("a GPU kernel of this artifact could not be loaded");
    return;
  }
  const int64_t grid[3] = {gridX, gridY, gridZ};
  const int64_t block[3] = {blockX, blockY, blockZ};
  for (int i = 0; i < 3; ++i)
    if (grid[i] < 0 || block[i] <= 0) {
      setRunError("a GPU kernel was launched with an invalid grid or block");
      return;
    }
  if (!gridX || !gridY || !gridZ)
    return; // nothing to run
  Handle *streamHandle = asHandle(stream, Handle::Stream);
  handle->device->launch(handle->native, grid, block, smem,
                         streamHandle ? streamHandle->native : nullptr, params,
                         paramsCount);
}

MGPU_EXPORT void *mgpuStreamCreate() {
  GpuDevice *device = currentDevice();
  if (!device)
    return nullptr;
  return new Handle{Handle::Stream, device, device->createStream()};
}

MGPU_EXPORT void mgpuStreamSynchronize(void *stream) {
  if (Handle *handle = asHandle(stream, Handle::Stream))
    handle->device->synchronize(handle->native);
}

MGPU_EXPORT void mgpuStreamDestroy(void *stream) {
  if (Handle *handle = asHandle(stream, Handle::Stream)) {
    handle->device->destroyStream(handle->native);
    delete handle;
  }
}

MGPU_EXPORT void *mgpuEventCreate() {
  GpuDevice *device = currentDevice();
  if (!device)
    return nullptr;
  return new Handle{Handle::Event, device, device->createEvent()};
}

MGPU_EXPORT void mgpuEventDestroy(void *event) {
  // gpu-to-llvm treats a token it cannot trace to mgpuStreamCreate as an
  // event: accept the stream it really is.
  if (asHandle(event, Handle::Stream))
    return mgpuStreamDestroy(event);
  if (Handle *handle = asHandle(event, Handle::Event)) {
    handle->device->destroyEvent(handle->native);
    delete handle;
  }
}

MGPU_EXPORT void mgpuEventSynchronize(void *event) {
  if (asHandle(event, Handle::Stream))
    return mgpuStreamSynchronize(event);
  if (Handle *handle = asHandle(event, Handle::Event))
    handle->device->synchronizeEvent(handle->native, handle->recordedStream);
}

MGPU_EXPORT void mgpuEventRecord(void *event, void *stream) {
  Handle *handle = asHandle(event, Handle::Event);
  Handle *streamHandle = asHandle(stream, Handle::Stream);
  if (!handle || !streamHandle)
    return;
  handle->recordedStream = streamHandle->native;
  handle->device->recordEvent(handle->native, streamHandle->native);
}

MGPU_EXPORT void mgpuStreamWaitEvent(void *stream, void *event) {
  Handle *streamHandle = asHandle(stream, Handle::Stream);
  Handle *handle = asHandle(event, Handle::Event);
  if (handle && streamHandle)
    handle->device->waitEvent(streamHandle->native, handle->native);
}

static void *nativeStream(void *stream) {
  Handle *handle = asHandle(stream, Handle::Stream);
  return handle ? handle->native : nullptr;
}

static GpuDevice *deviceOf(void *stream) {
  Handle *handle = asHandle(stream, Handle::Stream);
  return handle ? handle->device : currentDevice();
}

MGPU_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, void *stream,
                               bool /*isHostShared*/) {
  if (hasRunError())
    return nullptr;
  GpuDevice *device = deviceOf(stream);
  return device ? device->allocate(sizeBytes, nativeStream(stream)) : nullptr;
}

MGPU_EXPORT void mgpuMemFree(void *ptr, void *stream) {
  if (!ptr)
    return;
  if (GpuDevice *device = deviceOf(stream))
    device->deallocate(ptr, nativeStream(stream));
}

MGPU_EXPORT void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                            void *stream) {
  if (sizeBytes == 0 || hasRunError())
    return;
  if (!dst || !src)
    return setRunError("a GPU copy got a null buffer");
  if (GpuDevice *device = deviceOf(stream))
    device->copy(dst, src, sizeBytes, nativeStream(stream));
}

extern "C" TESSERA_RT_EXPORT void *tessera_rt_gpu_constant(uintptr_t host,
                                                           uint64_t bytes) {
  return getGpuConstant(reinterpret_cast<const void *>(host), bytes);
}

MGPU_EXPORT void mgpuMemset32(void *dst, unsigned int value, size_t count,
                              void *stream) {
  if (count == 0 || hasRunError())
    return;
  if (!dst)
    return setRunError("a GPU fill got a null buffer");
  if (GpuDevice *device = deviceOf(stream))
    device->fill32(dst, value, count, nativeStream(stream));
}

MGPU_EXPORT void mgpuMemset16(void *dst, unsigned short value, size_t count,
                              void *stream) {
  if (count == 0 || hasRunError())
    return;
  if (!dst)
    return setRunError("a GPU fill got a null buffer");
  if (GpuDevice *device = deviceOf(stream))
    device->fill16(dst, value, count, nativeStream(stream));
}

//===----------------------------------------------------------------------===//
// Device selection and listing (C API in CApi.cpp).
//===----------------------------------------------------------------------===//

namespace tessera::runtime {

std::string selectGpuDevice(const std::string &kind,
                            const std::string &selector) {
  if (kind != "cuda" && kind != "vulkan")
    return "unknown device kind '" + kind + "' (expected cuda or vulkan)";
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  if (r.devices.count(kind))
    return "the " + kind +
           " device is in use already; select it before loading a model";
  r.selectors[kind] = selector;
  r.failures.erase(kind);
  return "";
}

std::string listDevices() {
  return "cpu 0 host CPU\n" + listCudaDevices() + listVulkanDevices();
}

std::string getGpuProfile(const std::string &kind, std::string &error) {
  GpuDevice *device = getGpuDevice(kind, error);
  if (!device) {
    error = "no " + kind + " device: " + error;
    return "";
  }
  return device->profileJSON();
}

} // namespace tessera::runtime
