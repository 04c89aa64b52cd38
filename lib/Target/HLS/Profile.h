//===- Profile.h - FPGA hardware profiles --------------------*- C++ -*-===//
//
// An FPGA profile is data (JSON): kernel clock, resource counts, off-chip
// bandwidth and AXI port shape. Alveo U250 and ZCU102 profiles are built in
// (lib/Target/HLS/profiles/); any other board is a JSON file of the same
// shape. Free of MLIR includes so that estimator tests build fast.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_HLS_PROFILE_H
#define TESSERA_LIB_TARGET_HLS_PROFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>

namespace tessera::hls {

struct FPGAProfile {
  std::string name;
  double clockMHz = 300;
  int64_t dsp = 0, bram18k = 0, lut = 0, ff = 0;
  /// Off-chip memory bandwidth in GB/s, all channels together.
  double offchipGBps = 0;
  /// Data width of one m_axi port (bits per beat) and the latency of one
  /// isolated read on it.
  int64_t maxiWidthBits = 512;
  int64_t maxiLatencyCycles = 20;
  /// Share of the resources a design may use (the rest is the platform).
  double usableFraction = 0.8;

  /// Off-chip bytes per kernel clock cycle.
  double bytesPerCycle() const { return offchipGBps * 1e3 / clockMHz; }
};

/// Parses a profile from JSON text; `origin` names it in errors.
llvm::Expected<FPGAProfile> parseFPGAProfile(llvm::StringRef json,
                                             llvm::StringRef origin);

/// A built-in profile (`u250`, `zcu102`) or a JSON file.
llvm::Expected<FPGAProfile> loadFPGAProfile(llvm::StringRef nameOrPath);

} // namespace tessera::hls

#endif // TESSERA_LIB_TARGET_HLS_PROFILE_H
