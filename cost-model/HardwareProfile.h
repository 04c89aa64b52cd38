//===- HardwareProfile.h - Numbers that describe a target -------*- C++ -*-===//
//
// A hardware profile is data: peak FLOP/s, bandwidth, cache sizes, cores and
// vector width of one target. The cost model's features include these
// numbers so that one model can be used (and retrained) across machines.
// CPU profiles are probed from /proc/cpuinfo and sysfs; any profile can be
// written to and read from a JSON file.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_COST_MODEL_HARDWAREPROFILE_H
#define TESSERA_COST_MODEL_HARDWAREPROFILE_H

#include <cstdint>
#include <optional>
#include <string>

namespace tessera::costmodel {

/// The vector registers of an x86 CPU with `vectorWidth` f32 lanes: 32
/// with AVX-512 (16 lanes), 16 with AVX2 or SSE.
int64_t defaultVectorRegisters(int64_t vectorWidth);

struct HardwareProfile {
  /// Target family: `cpu` today.
  std::string target = "cpu";
  /// CPU model name (from /proc/cpuinfo).
  std::string name = "unknown";
  /// f32 lanes of one vector register (16 with AVX-512, 8 with AVX2).
  int64_t vectorWidth = 16;
  /// Vector registers (32 with AVX-512, 16 with AVX2): how many
  /// accumulators a register tile can hold before it spills.
  int64_t vectorRegisters = 32;
  /// Cores the runtime's thread pool uses.
  int64_t cores = 1;
  /// Single-core f32 peak in GFLOP/s (FMA throughput).
  double peakGflopsPerCore = 100;
  /// Sustained memory bandwidth of one core, GB/s.
  double dramGBps = 10;
  /// Data cache sizes in bytes (L3 is the whole shared cache).
  int64_t l1Bytes = 32 << 10, l2Bytes = 1 << 20, l3Bytes = 16 << 20;

  /// An identifier of the machine for the tuning database: the CPU model,
  /// its cores and caches (two identical machines share measurements).
  std::string machineId() const;
  std::string toJSON() const;
  static std::optional<HardwareProfile> fromJSON(const std::string &text,
                                                 std::string *error = nullptr);
  /// Reads a JSON file; std::nullopt with `error` set on failure.
  static std::optional<HardwareProfile> load(const std::string &path,
                                             std::string *error = nullptr);
  /// The host CPU: model name and vector width from /proc/cpuinfo, caches
  /// from /sys/devices/system/cpu/cpu0/cache, cores from the affinity mask.
  /// The peak assumes two FMA units (2 x 2 x lanes x GHz) unless
  /// $TESSERA_PEAK_GFLOPS gives a measured value.
  static HardwareProfile probeHost();
};

} // namespace tessera::costmodel

#endif // TESSERA_COST_MODEL_HARDWAREPROFILE_H
