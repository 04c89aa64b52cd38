// FP32 FMA peak of this machine: each thread runs 12 independent 512-bit FMA
// chains (enough to cover the FMA latency x throughput of two FMA ports), so
// the loop is bound by FMA throughput alone. Build and run:
//   cc -O3 -march=native -pthread bench/fma_peak.c -o fma_peak && ./fma_peak [THREADS]
// Prints `peak: X GFLOP/s` for THREADS threads together (default 1).
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERS 1200000000L

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *kernel(void *out) {
  __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  __m512 c0 = _mm512_set1_ps(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0,
         c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
  for (long i = 0; i < ITERS / 12; ++i) {
    c0 = _mm512_fmadd_ps(c0, a, b); c1 = _mm512_fmadd_ps(c1, a, b);
    c2 = _mm512_fmadd_ps(c2, a, b); c3 = _mm512_fmadd_ps(c3, a, b);
    c4 = _mm512_fmadd_ps(c4, a, b); c5 = _mm512_fmadd_ps(c5, a, b);
    c6 = _mm512_fmadd_ps(c6, a, b); c7 = _mm512_fmadd_ps(c7, a, b);
    c8 = _mm512_fmadd_ps(c8, a, b); c9 = _mm512_fmadd_ps(c9, a, b);
    c10 = _mm512_fmadd_ps(c10, a, b); c11 = _mm512_fmadd_ps(c11, a, b);
    __asm__ volatile("" : "+v"(c0), "+v"(c1), "+v"(c2), "+v"(c3), "+v"(c4),
                     "+v"(c5), "+v"(c6), "+v"(c7), "+v"(c8), "+v"(c9),
                     "+v"(c10), "+v"(c11));
  }
  __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)),
                           _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(c6, c7)));
  s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(c8, c9), _mm512_add_ps(c10, c11)));
  *(float *)out = _mm512_reduce_add_ps(s);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 256)
    threads = 1;
  pthread_t ids[256];
  float sinks[256];
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    double start = now();
    for (int t = 0; t < threads; ++t)
      pthread_create(&ids[t], NULL, kernel, &sinks[t]);
    for (int t = 0; t < threads; ++t)
      pthread_join(ids[t], NULL);
    double seconds = now() - start;
    // ITERS/12 iterations x 12 FMAs x 16 lanes x 2 flops.
    double gflops = threads * (double)(ITERS / 12) * 12 * 16 * 2 / seconds / 1e9;
    if (gflops > best)
      best = gflops;
  }
  printf("sink %g\n", (double)sinks[0]);
  printf("peak: %.1f GFLOP/s (%d thread(s), 12 x 512-bit FMA chains each)\n", best, threads);
  return 0;
}
