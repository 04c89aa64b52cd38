/* cuda_kernel_timer.c - GPU time of every kernel a Tessera artifact launches.
 *
 * A stand-in for the CUDA driver that the runtime opens when
 * TESSERA_CUDA_LIBRARY names it: it needs libcuda.so.1 (so every driver
 * entry point the runtime looks up resolves to the real driver through this
 * library's dependencies) and defines only cuLaunchKernel, which brackets
 * each launch with two CUDA events on the launch's stream. The GPU check
 * (gpu_check.py) loads the same library with ctypes and reads the times
 * with tessera_kernel_times(), so a GEMM's kernel time can be compared with
 * cuBLAS's without the host<->device copies of a whole run.
 *
 * Built by scripts/gpu_prepare.py against the toolkit's stub driver:
 *   cc -shared -fPIC -O2 cuda_kernel_timer.c -o libcuda_kernel_timer.so \
 *      -L/usr/local/cuda/lib64/stubs -Wl,--no-as-needed -lcuda -ldl
 */
#include <dlfcn.h>
#include <stddef.h>

typedef int CUresult;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;

enum { kMaxLaunches = 1 << 16 };

static struct {
  int ready;
  CUresult (*launch)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                     unsigned, unsigned, unsigned, CUstream, void **,
                     void **);
  CUresult (*eventCreate)(CUevent *, unsigned);
  CUresult (*eventRecord)(CUevent, CUstream);
  CUresult (*eventSynchronize)(CUevent);
  CUresult (*eventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*eventDestroy)(CUevent);
} driver;

static CUevent starts[kMaxLaunches], ends[kMaxLaunches];
static int numLaunches;

/* The real driver's entry points, from libcuda.so.1 (already loaded as this
 * library's dependency). Returns 0 when one is missing. */
static int bindDriver(void) {
  if (driver.ready)
    return driver.ready > 0;
  void *real = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  driver.ready = -1;
  if (!real)
    return 0;
  *(void **)&driver.launch = dlsym(real, "cuLaunchKernel");
  *(void **)&driver.eventCreate = dlsym(real, "cuEventCreate");
  *(void **)&driver.eventRecord = dlsym(real, "cuEventRecord");
  *(void **)&driver.eventSynchronize = dlsym(real, "cuEventSynchronize");
  *(void **)&driver.eventElapsedTime = dlsym(real, "cuEventElapsedTime_v2");
  if (!driver.eventElapsedTime)
    *(void **)&driver.eventElapsedTime = dlsym(real, "cuEventElapsedTime");
  *(void **)&driver.eventDestroy = dlsym(real, "cuEventDestroy_v2");
  if (driver.launch && driver.eventCreate && driver.eventRecord &&
      driver.eventSynchronize && driver.eventElapsedTime &&
      driver.eventDestroy)
    driver.ready = 1;
  return driver.ready > 0;
}

CUresult cuLaunchKernel(CUfunction f, unsigned gridX, unsigned gridY,
                        unsigned gridZ, unsigned blockX, unsigned blockY,
                        unsigned blockZ, unsigned sharedBytes, CUstream stream,
                        void **params, void **extra) {
  if (!bindDriver())
    return 3; /* CUDA_ERROR_NOT_INITIALIZED */
  CUevent start = NULL, end = NULL;
  int timed = numLaunches < kMaxLaunches &&
              driver.eventCreate(&start, 0) == 0 &&
              driver.eventCreate(&end, 0) == 0;
  if (timed)
    driver.eventRecord(start, stream);
  CUresult result = driver.launch(f, gridX, gridY, gridZ, blockX, blockY,
                                  blockZ, sharedBytes, stream, params, extra);
  if (timed) {
    driver.eventRecord(end, stream);
    starts[numLaunches] = start;
    ends[numLaunches] = end;
    ++numLaunches;
  } else {
    if (start)
      driver.eventDestroy(start);
    if (end)
      driver.eventDestroy(end);
  }
  return result;
}

/* Writes the GPU milliseconds of the launches since the last call (at most
 * `capacity`, in launch order) to `times` and forgets them; returns how many
 * launches there were, or -1 without a driver. */
int tessera_kernel_times(float *times, int capacity) {
  if (!bindDriver())
    return -1;
  int count = numLaunches;
  for (int i = 0; i < count; ++i) {
    float ms = -1.0f;
    if (driver.eventSynchronize(ends[i]) == 0)
      driver.eventElapsedTime(&ms, starts[i], ends[i]);
    if (i < capacity)
      times[i] = ms;
    driver.eventDestroy(starts[i]);
    driver.eventDestroy(ends[i]);
  }
  numLaunches = 0;
  return count;
}
