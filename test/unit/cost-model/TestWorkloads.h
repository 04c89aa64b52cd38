//===- TestWorkloads.h - Workloads shared by the cost-model tests -*- C++ -*-===//

#ifndef TESSERA_TEST_UNIT_COSTMODEL_TESTWORKLOADS_H
#define TESSERA_TEST_UNIT_COSTMODEL_TESTWORKLOADS_H

#include "cost-model/Workload.h"

namespace tessera::costmodel::test {

/// C[m, n] += A[m, k] * B[k, n] with loops (m, n, k).
inline Workload makeMatmul(int64_t m, int64_t n, int64_t k) {
  Workload w;
  w.opClass = OpClass::Contraction;
  w.loopSizes = {m, n, k};
  w.reductionLoops = {false, false, true};
  w.operandLoops = {{0, 2}, {2, 1}, {0, 1}};
  w.m = 0;
  w.n = 1;
  w.k = 2;
  return w;
}

/// out[n, c, h, w] = a + b, loops (n, c, h, w).
inline Workload makeElementwise(int64_t c, int64_t hw) {
  Workload w;
  w.opClass = OpClass::Elementwise;
  w.loopSizes = {1, c, hw, hw};
  w.reductionLoops = {false, false, false, false};
  w.operandLoops = {{0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3}};
  w.m = 1;
  w.n = 3;
  return w;
}

/// A decomposed 3x3 depthwise convolution: out[n, c, oh, ow] = sum of 9
/// windows (each read through an identity map) times per-channel weights,
/// loops (n, c, oh, ow); `stride` is the windows' stride.
inline Workload makeDepthwise(int64_t c, int64_t hw, int64_t stride) {
  Workload w;
  w.opClass = OpClass::Depthwise;
  w.loopSizes = {1, c, hw, hw};
  w.reductionLoops = {false, false, false, false};
  for (int tap = 0; tap < 9; ++tap)
    w.operandLoops.push_back({0, 1, 2, 3});
  w.operandLoops.push_back({1});
  w.operandLoops.push_back({0, 1, 2, 3});
  w.m = 1;
  w.n = 3;
  w.inputStride = stride;
  return w;
}

} // namespace tessera::costmodel::test

#endif
