// FP32 FMA peak of this machine: each thread runs 12 independent FMA chains
// of the widest vectors the host has (512-bit with AVX-512, else 256-bit
// with AVX2 + FMA; enough chains to cover the FMA latency x throughput of
// two FMA ports), so the loop is bound by FMA throughput alone. Build and run:
//   cc -O3 -march=native -pthread bench/fma_peak.c -o fma_peak && ./fma_peak [THREADS]
// Prints `peak: X GFLOP/s` for THREADS threads together (default 1).
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERS 1200000000L

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMADD _mm512_fmadd_ps
#define ADD _mm512_add_ps
static float reduce(vec v) { return _mm512_reduce_add_ps(v); }
#elif defined(__AVX2__) && defined(__FMA__)
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMADD _mm256_fmadd_ps
#define ADD _mm256_add_ps
static float reduce(vec v) {
  float lanes[8];
  _mm256_storeu_ps(lanes, v);
  float sum = 0;
  for (int i = 0; i < 8; ++i)
    sum += lanes[i];
  return sum;
}
#else
#error "fma_peak.c needs AVX-512F or AVX2 with FMA (build with -march=native)"
#endif

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *kernel(void *out) {
  vec a = SET1(0.999999f), b = SET1(1e-7f);
  vec c0 = SET1(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0,
      c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
  for (long i = 0; i < ITERS / 12; ++i) {
    c0 = FMADD(c0, a, b); c1 = FMADD(c1, a, b);
    c2 = FMADD(c2, a, b); c3 = FMADD(c3, a, b);
    c4 = FMADD(c4, a, b); c5 = FMADD(c5, a, b);
    c6 = FMADD(c6, a, b); c7 = FMADD(c7, a, b);
    c8 = FMADD(c8, a, b); c9 = FMADD(c9, a, b);
    c10 = FMADD(c10, a, b); c11 = FMADD(c11, a, b);
    __asm__ volatile("" : "+v"(c0), "+v"(c1), "+v"(c2), "+v"(c3), "+v"(c4),
                     "+v"(c5), "+v"(c6), "+v"(c7), "+v"(c8), "+v"(c9),
                     "+v"(c10), "+v"(c11));
  }
  vec s = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));
  s = ADD(s, ADD(ADD(c8, c9), ADD(c10, c11)));
  *(float *)out = reduce(s);
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
    // ITERS/12 iterations x 12 FMAs x LANES lanes x 2 flops.
    double gflops = threads * (double)(ITERS / 12) * 12 * LANES * 2 / seconds / 1e9;
    if (gflops > best)
      best = gflops;
  }
  printf("sink %g\n", (double)sinks[0]);
  printf("peak: %.1f GFLOP/s (%d thread(s), 12 x %d-bit FMA chains each)\n", best, threads,
         LANES * 32);
  return 0;
}
