//===- QoR.h - HLS quality-of-results estimator --------------*- C++ -*-===//
//
// Estimates what an HLS tool would report for a kernel: latency in cycles
// (trip counts, pipelining with its initiation interval and depth, loop
// flattening of perfect nests, unrolling) and resources (DSP, BRAM, LUT,
// FF) from the operations, their replication and the arrays' partitioning.
// It reads the `thls` directives on the IR, so a design is an IR state.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_HLS_QOR_H
#define TESSERA_LIB_TARGET_HLS_QOR_H

#include "lib/Target/HLS/Profile.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

namespace tessera::hls {

/// Estimated latency and resources of a kernel or a design.
struct QoR {
  int64_t latency = 0; ///< Cycles from start to done.
  int64_t dsp = 0, bram18k = 0, lut = 0, ff = 0;
  int64_t worstII = 0; ///< Largest achieved II of a pipelined loop (0: none).

  QoR &operator+=(const QoR &other);
  /// Whether the resources fit the usable share of `profile`.
  bool fits(const FPGAProfile &profile) const;
  /// The largest share of a resource used, in [0, inf).
  double utilization(const FPGAProfile &profile) const;
};

/// Estimates `kernel` on `profile`. With `directives` false, the `thls`
/// directives are ignored: the same loops, run as plain sequential code.
QoR estimateKernel(mlir::func::FuncOp kernel, const FPGAProfile &profile,
                   bool directives = true);

/// One line: `latency=... cycles (... us) dsp=... bram18k=... lut=... ff=...`.
void printQoR(const QoR &qor, const FPGAProfile &profile,
              llvm::raw_ostream &os);

} // namespace tessera::hls

#endif // TESSERA_LIB_TARGET_HLS_QOR_H
