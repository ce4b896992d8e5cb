/*
 * FP32 FMA throughput ceiling: independent fused multiply-add chains on
 * VEC_BYTES-wide vectors (64 = AVX-512, 16 = 128-bit SIMD as wasm uses), one
 * pthread per core. Prints JSON: {"vecBytes", "threads", "gflops": [per run]}.
 * Build: gcc -O3 -march=native -DVEC_BYTES=64 fma-peak.c -o peak -lpthread
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef VEC_BYTES
#define VEC_BYTES 64
#endif
#define LANES (VEC_BYTES / 4)
#define CHAINS 16

typedef float vec __attribute__((vector_size(VEC_BYTES)));

static long iterations;
static volatile float sink;

#define ACCS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define DECLARE(i) vec a##i = m * (float)(i + 1) * 1e-3f;
#define STEP(i) a##i = a##i * m + c;
#define SUM(i) for (int l = 0; l < LANES; l++) s += a##i[l];

static void *work(void *arg) {
  (void)arg;
  vec m, c;
  for (int l = 0; l < LANES; l++) { m[l] = 0.999999f; c[l] = 1e-6f; }
  /* CHAINS (16) named accumulators so they live in registers; enough independent FMAs to fill both pipes. */
  ACCS(DECLARE)
  for (long i = 0; i < iterations; i++) {
    ACCS(STEP)
    /* An empty asm on one accumulator keeps the compiler from folding iterations together. */
    __asm__ volatile("" : "+v"(a0));
  }
  float s = 0;
  ACCS(SUM)
  sink = s;
  return NULL;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 2;
  int runs = argc > 2 ? atoi(argv[2]) : 5;
  iterations = argc > 3 ? atol(argv[3]) : 20000000L;
  pthread_t tid[256];
  printf("{\"vecBytes\": %d, \"threads\": %d, \"gflops\": [", VEC_BYTES, threads);
  for (int r = 0; r < runs; r++) {
    double t0 = now();
    for (int t = 0; t < threads; t++) pthread_create(&tid[t], NULL, work, NULL);
    for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);
    double s = now() - t0;
    double flops = 2.0 * LANES * CHAINS * (double)iterations * threads;
    printf("%s%.2f", r ? ", " : "", flops / s / 1e9);
  }
  printf("]}\n");
  return 0;
}
