//===- CudaDevice.cpp - NVIDIA GPUs through the CUDA driver API -----------===//
//
// The driver library is opened with dlopen("libcuda.so.1") (or
// $TESSERA_CUDA_LIBRARY), never linked, so the runtime loads everywhere and
// says clearly when a CUDA artifact meets a machine without a driver. Only
// the handful of driver types and entry points used here are declared.
//
//===----------------------------------------------------------------------===//

#include "runtime/gpu/GpuDevice.h"
#include "runtime/gpu/JSONWriter.h"

#include "runtime/RunErrors.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

namespace tessera::runtime {
namespace {

// The driver API's types and the constants used below (cuda.h).
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
using CUevent = struct CUevent_st *;
constexpr int kAttrMaxThreadsPerBlock = 1;
constexpr int kAttrMaxSharedMemoryPerBlock = 8;
constexpr int kAttrWarpSize = 10;
constexpr int kAttrClockRate = 13;
constexpr int kAttrMultiprocessorCount = 16;
constexpr int kAttrMemoryClockRate = 36;
constexpr int kAttrGlobalMemoryBusWidth = 37;
constexpr int kAttrL2CacheSize = 38;
constexpr int kAttrComputeCapabilityMajor = 75;
constexpr int kAttrComputeCapabilityMinor = 76;
constexpr int kJitErrorLogBuffer = 5;
constexpr int kJitErrorLogBufferSize = 6;
constexpr unsigned kStreamNonBlocking = 1;
constexpr unsigned kEventDisableTiming = 2;

/// The driver entry points, resolved once.
struct Driver {
  void *library = nullptr;
  CUresult (*cuInit)(unsigned);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetName)(char *, int, CUdevice);
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*cuDeviceTotalMem)(size_t *, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuFuncSetAttribute)(CUfunction, int, int);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemAllocAsync)(CUdeviceptr *, size_t, CUstream); // optional
  CUresult (*cuMemFreeAsync)(CUdeviceptr, CUstream);            // optional
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
  CUresult (*cuMemsetD16Async)(CUdeviceptr, unsigned short, size_t, CUstream);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuEventSynchronize)(CUevent);
  CUresult (*cuStreamWaitEvent)(CUstream, CUevent, unsigned);

  /// Opens the library; "" on success, else why not.
  std::string open(const char *name) {
    library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char *why = dlerror();
      return std::string("no CUDA driver was found (dlopen ") + name + ": " +
             (why ? why : "failed") + ")";
    }
    std::string missing;
    int numMissing = 0;
    auto bind = [&](auto &fn, const char *symbol, bool required = true) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
          dlsym(library, symbol));
      if (!fn && required && ++numMissing <= 3)
        missing += std::string(missing.empty() ? "" : ", ") + symbol;
    };
    bind(cuInit, "cuInit");
    bind(cuGetErrorString, "cuGetErrorString");
    bind(cuDeviceGetCount, "cuDeviceGetCount");
    bind(cuDeviceGet, "cuDeviceGet");
    bind(cuDeviceGetName, "cuDeviceGetName");
    bind(cuDeviceGetAttribute, "cuDeviceGetAttribute");
    bind(cuDeviceTotalMem, "cuDeviceTotalMem_v2");
    bind(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
    bind(cuCtxSetCurrent, "cuCtxSetCurrent");
    bind(cuModuleLoadData, "cuModuleLoadData");
    bind(cuModuleLoadDataEx, "cuModuleLoadDataEx");
    bind(cuModuleUnload, "cuModuleUnload");
    bind(cuModuleGetFunction, "cuModuleGetFunction");
    bind(cuLaunchKernel, "cuLaunchKernel");
    bind(cuFuncSetAttribute, "cuFuncSetAttribute");
    bind(cuStreamCreate, "cuStreamCreate");
    bind(cuStreamSynchronize, "cuStreamSynchronize");
    bind(cuStreamDestroy, "cuStreamDestroy_v2");
    bind(cuMemAlloc, "cuMemAlloc_v2");
    bind(cuMemFree, "cuMemFree_v2");
    bind(cuMemAllocAsync, "cuMemAllocAsync", false);
    bind(cuMemFreeAsync, "cuMemFreeAsync", false);
    bind(cuMemcpyAsync, "cuMemcpyAsync");
    bind(cuMemsetD32Async, "cuMemsetD32Async");
    bind(cuMemsetD16Async, "cuMemsetD16Async");
    bind(cuEventCreate, "cuEventCreate");
    bind(cuEventDestroy, "cuEventDestroy_v2");
    bind(cuEventRecord, "cuEventRecord");
    bind(cuEventSynchronize, "cuEventSynchronize");
    bind(cuStreamWaitEvent, "cuStreamWaitEvent");
    if (numMissing)
      return std::string(name) + " is not a usable CUDA driver: it lacks " +
             std::to_string(numMissing) + " entry points (" + missing +
             (numMissing > 3 ? ", ..." : "") + ")";
    return "";
  }

  std::string errorText(CUresult result) const {
    const char *text = nullptr;
    if (cuGetErrorString)
      cuGetErrorString(result, &text);
    return text ? text : "error " + std::to_string(result);
  }
};

/// The driver of the library named by $TESSERA_CUDA_LIBRARY (tests point it
/// at a missing file) or libcuda.so.1, opened and initialized once per name.
Driver *getDriver(std::string &error) {
  struct Opened {
    Driver *driver = nullptr;
    std::string failure;
  };
  static std::mutex mutex;
  static auto *opened = new std::map<std::string, Opened>();
  const char *env = std::getenv("TESSERA_CUDA_LIBRARY");
  std::string name = env && *env ? env : "libcuda.so.1";
  std::lock_guard<std::mutex> lock(mutex);
  auto [it, inserted] = opened->try_emplace(name);
  Opened &entry = it->second;
  if (inserted) {
    auto d = std::make_unique<Driver>();
    entry.failure = d->open(name.c_str());
    if (entry.failure.empty())
      if (CUresult r = d->cuInit(0))
        entry.failure =
            "the CUDA driver failed to initialize: " + d->errorText(r);
    if (entry.failure.empty())
      entry.driver = d.release(); // never freed: the library stays open
    else if (d->library)
      dlclose(d->library);
  }
  error = entry.failure;
  return entry.driver;
}

class CudaDevice final : public GpuDevice {
public:
  CudaDevice(Driver &driver, CUdevice device, CUcontext context)
      : d(driver), device(device), context(context) {}

  const char *kind() const override { return "cuda"; }

  int attribute(int which) const {
    int value = 0;
    d.cuDeviceGetAttribute(&value, which, device);
    return value;
  }

  std::string name() const {
    char text[256] = {0};
    d.cuDeviceGetName(text, sizeof(text) - 1, device);
    return text;
  }

  std::string describe() const override {
    return name() + " (sm_" +
           std::to_string(attribute(kAttrComputeCapabilityMajor)) +
           std::to_string(attribute(kAttrComputeCapabilityMinor)) + ", " +
           std::to_string(attribute(kAttrMultiprocessorCount)) + " SMs)";
  }

  std::string profileJSON() const override {
    size_t memory = 0;
    d.cuDeviceTotalMem(&memory, device);
    // Peak bandwidth: double data rate, memory clock in kHz, bus in bits.
    double bandwidth = 2.0 * attribute(kAttrMemoryClockRate) * 1e3 *
                       attribute(kAttrGlobalMemoryBusWidth) / 8.0;
    JSONWriter json;
    json.string("kind", "cuda");
    json.string("name", name());
    json.integer("compute_capability",
                 attribute(kAttrComputeCapabilityMajor) * 10 +
                     attribute(kAttrComputeCapabilityMinor));
    json.integer("sm_count", attribute(kAttrMultiprocessorCount));
    json.integer("clock_khz", attribute(kAttrClockRate));
    json.integer("memory_clock_khz", attribute(kAttrMemoryClockRate));
    json.integer("memory_bus_width_bits", attribute(kAttrGlobalMemoryBusWidth));
    json.integer("memory_bytes", memory);
    json.integer("memory_bandwidth_bytes_per_s",
                 static_cast<uint64_t>(bandwidth));
    json.integer("l2_cache_bytes", attribute(kAttrL2CacheSize));
    json.integer("max_threads_per_block", attribute(kAttrMaxThreadsPerBlock));
    json.integer("max_shared_memory_per_block",
                 attribute(kAttrMaxSharedMemoryPerBlock));
    json.integer("warp_size", attribute(kAttrWarpSize));
    return json.finish();
  }

  /// The driver call `what` failed: record it; true if it did.
  bool failed(CUresult result, const char *what) const {
    if (result == 0)
      return false;
    setRunError(std::string("cuda: ") + what +
                " failed: " + d.errorText(result));
    return true;
  }

  bool bind() const {
    return !failed(d.cuCtxSetCurrent(context), "cuCtxSetCurrent");
  }

  void *loadModule(const void *data, size_t, bool isPTX) override {
    if (!bind())
      return nullptr;
    CUmodule module = nullptr;
    if (!isPTX) {
      if (failed(d.cuModuleLoadData(&module, data), "loading a kernel module"))
        return nullptr;
      return module;
    }
    // PTX is compiled by the driver; keep its log for the error.
    std::vector<char> log(8192, 0);
    int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize};
    void *values[] = {log.data(), reinterpret_cast<void *>(log.size() - 1)};
    CUresult r = d.cuModuleLoadDataEx(&module, data, 2, options, values);
    if (r != 0) {
      setRunError("cuda: compiling PTX failed: " + d.errorText(r) +
                  (log[0] ? std::string(": ") + log.data() : std::string()));
      return nullptr;
    }
    return module;
  }

  void unloadModule(void *module) override {
    if (bind())
      d.cuModuleUnload(static_cast<CUmodule>(module));
  }

  void *getFunction(void *module, const char *name) override {
    CUfunction function = nullptr;
    if (!bind() || failed(d.cuModuleGetFunction(
                              &function, static_cast<CUmodule>(module), name),
                          "finding a kernel"))
      return nullptr;
    return function;
  }

  void launch(void *function, const int64_t grid[3], const int64_t block[3],
              int32_t sharedMemoryBytes, void *stream, void **params,
              size_t) override {
    if (!bind())
      return;
    // Kernels with more than 48 KiB of dynamic shared memory (large
    // tensor-core tiles) must opt in to it.
    constexpr int kMaxDynamicSharedSizeBytes = 8;
    constexpr int32_t kDefaultSharedLimit = 48 * 1024;
    if (sharedMemoryBytes > kDefaultSharedLimit &&
        failed(d.cuFuncSetAttribute(static_cast<CUfunction>(function),
                                    kMaxDynamicSharedSizeBytes,
                                    sharedMemoryBytes),
               "allowing a kernel more than 48 KiB of shared memory"))
      return;
    failed(d.cuLaunchKernel(static_cast<CUfunction>(function), grid[0], grid[1],
                            grid[2], block[0], block[1], block[2],
                            sharedMemoryBytes, static_cast<CUstream>(stream),
                            params, nullptr),
           "launching a kernel");
  }

  void *createStream() override {
    CUstream stream = nullptr;
    if (!bind() ||
        failed(d.cuStreamCreate(&stream, kStreamNonBlocking), "cuStreamCreate"))
      return nullptr;
    return stream;
  }

  void synchronize(void *stream) override {
    if (bind())
      failed(d.cuStreamSynchronize(static_cast<CUstream>(stream)),
             "running the model's kernels");
  }

  void destroyStream(void *stream) override {
    if (stream && bind())
      d.cuStreamDestroy(static_cast<CUstream>(stream));
  }

  void *allocate(uint64_t size, void *stream) override {
    CUdeviceptr pointer = 0;
    if (!bind())
      return nullptr;
    size = size ? size : 1;
    // Stream-ordered allocation (CUDA 11.2+) is fast and needs no sync.
    CUresult r =
        d.cuMemAllocAsync && stream
            ? d.cuMemAllocAsync(&pointer, size, static_cast<CUstream>(stream))
            : d.cuMemAlloc(&pointer, size);
    if (failed(r, "allocating device memory"))
      return nullptr;
    return reinterpret_cast<void *>(pointer);
  }

  void deallocate(void *pointer, void *stream) override {
    if (!bind())
      return;
    auto address = reinterpret_cast<CUdeviceptr>(pointer);
    if (d.cuMemFreeAsync && stream)
      d.cuMemFreeAsync(address, static_cast<CUstream>(stream));
    else
      d.cuMemFree(address);
  }

  void copy(void *dst, const void *src, size_t size, void *stream) override {
    if (bind())
      failed(d.cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                             reinterpret_cast<CUdeviceptr>(src), size,
                             static_cast<CUstream>(stream)),
             "copying memory");
  }

  void fill32(void *dst, uint32_t value, size_t count, void *stream) override {
    if (bind())
      failed(d.cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                count, static_cast<CUstream>(stream)),
             "filling memory");
  }

  void fill16(void *dst, uint16_t value, size_t count, void *stream) override {
    if (bind())
      failed(d.cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                count, static_cast<CUstream>(stream)),
             "filling memory");
  }

  void *createEvent() override {
    CUevent event = nullptr;
    if (!bind() ||
        failed(d.cuEventCreate(&event, kEventDisableTiming), "cuEventCreate"))
      return nullptr;
    return event;
  }

  void destroyEvent(void *event) override {
    if (event && bind())
      d.cuEventDestroy(static_cast<CUevent>(event));
  }

  void recordEvent(void *event, void *stream) override {
    if (event && bind())
      failed(d.cuEventRecord(static_cast<CUevent>(event),
                             static_cast<CUstream>(stream)),
             "cuEventRecord");
  }

  void waitEvent(void *stream, void *event) override {
    if (event && bind())
      failed(d.cuStreamWaitEvent(static_cast<CUstream>(stream),
                                 static_cast<CUevent>(event), 0),
             "cuStreamWaitEvent");
  }

  void synchronizeEvent(void *event, void *) override {
    if (event && bind())
      failed(d.cuEventSynchronize(static_cast<CUevent>(event)),
             "running the model's kernels");
  }

private:
  Driver &d;
  CUdevice device;
  CUcontext context;
};

} // namespace

GpuDevice *createCudaDevice(const std::string &selector, std::string &error) {
  Driver *d = getDriver(error);
  if (!d)
    return nullptr;
  int count = 0;
  if (CUresult r = d->cuDeviceGetCount(&count)) {
    error = "cannot count CUDA devices: " + d->errorText(r);
    return nullptr;
  }
  if (count == 0) {
    error = "the CUDA driver found no GPU";
    return nullptr;
  }
  int index = 0;
  if (!selector.empty()) {
    char *end = nullptr;
    long value = std::strtol(selector.c_str(), &end, 10);
    index = -1;
    if (end && *end == 0 && value >= 0 && value < count) {
      index = static_cast<int>(value);
    } else {
      for (int i = 0; i < count && index < 0; ++i) {
        CUdevice device;
        char name[256] = {0};
        if (d->cuDeviceGet(&device, i) == 0 &&
            d->cuDeviceGetName(name, sizeof(name) - 1, device) == 0 &&
            std::strstr(name, selector.c_str()))
          index = i;
      }
    }
    if (index < 0) {
      error = "no CUDA device matches '" + selector + "' (" +
              std::to_string(count) + " present; see --list-devices)";
      return nullptr;
    }
  }
  CUdevice device;
  CUcontext context;
  if (CUresult r = d->cuDeviceGet(&device, index)) {
    error = "cannot open CUDA device " + std::to_string(index) + ": " +
            d->errorText(r);
    return nullptr;
  }
  if (CUresult r = d->cuDevicePrimaryCtxRetain(&context, device)) {
    error = "cannot create a CUDA context: " + d->errorText(r);
    return nullptr;
  }
  return new CudaDevice(*d, device, context);
}

std::string listCudaDevices() {
  std::string error;
  Driver *d = getDriver(error);
  int count = 0;
  if (!d || d->cuDeviceGetCount(&count) != 0)
    return "";
  std::string text;
  for (int i = 0; i < count; ++i) {
    CUdevice device;
    char name[256] = {0};
    if (d->cuDeviceGet(&device, i) == 0 &&
        d->cuDeviceGetName(name, sizeof(name) - 1, device) == 0)
      text += "cuda " + std::to_string(i) + " " + name + "\n";
  }
  return text;
}

} // namespace tessera::runtime
