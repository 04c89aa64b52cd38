/* A stand-in libcuda.so.1 for testing scripts/cuda_kernel_timer.c without a
 * GPU: launches count themselves, and an event records the number of
 * launches so far, so the "elapsed time" between the events around a launch
 * is 1 ms. */
#include <stdlib.h>

typedef int CUresult;
static int launches;

CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned shared,
                        void *stream, void **params, void **extra) {
  (void)f, (void)gx, (void)gy, (void)gz, (void)bx, (void)by, (void)bz;
  (void)shared, (void)stream, (void)params, (void)extra;
  ++launches;
  return 0;
}
CUresult cuEventCreate(int **event, unsigned flags) {
  (void)flags;
  *event = calloc(1, sizeof(int));
  return 0;
}
CUresult cuEventRecord(int *event, void *stream) {
  (void)stream;
  *event = launches;
  return 0;
}
CUresult cuEventSynchronize(int *event) { return event ? 0 : 1; }
CUresult cuEventElapsedTime(float *ms, int *start, int *end) {
  *ms = (float)(*end - *start);
  return 0;
}
CUresult cuEventDestroy_v2(int *event) {
  free(event);
  return 0;
}
