//===- Profiles.h - Device profiles for the partitioner --------*- C++ -*-===//
//
// One JSON schema describes every device the partitioner places on
// (docs/partitioning.md): peak f32 GFLOP/s, memory bandwidth, the fraction
// of peak generated code reaches, launch overhead, and the link to the host
// (bandwidth, latency). CPU profiles are probed (costmodel::HardwareProfile),
// Vulkan and CUDA devices through the runtime when one exists, FPGA
// profiles come from the HLS target's shipped files; any profile can be a
// file (--profiles=...) to plan for hardware that is not here.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_PARTITION_PROFILES_H
#define TESSERA_LIB_PARTITION_PROFILES_H

#include <optional>
#include <string>
#include <vector>

namespace tessera::partition {

struct DeviceProfile {
  std::string kind; ///< cpu, vulkan, cuda, fpga.
  std::string name; ///< h100, u250, the probed device's name, ...
  /// "probed", "file <path>", or "built-in" (estimated defaults).
  std::string source;
  double peakGflops = 100;        ///< f32 peak, all cores / SMs / DSPs.
  double memoryGBps = 10;         ///< Device memory bandwidth.
  double computeEfficiency = 0.5; ///< Fraction of peak generated code gets.
  double launchUs = 1;            ///< Overhead of one dispatch.
  double linkGBps = 0;            ///< To the host; 0 = this is the host.
  double linkLatencyUs = 0;
  /// Runs on the host CPU's cores (Mesa's lavapipe): it cannot compute
  /// while the CPU does.
  bool sharesHostCores = false;
  /// Notes for --explain (how numbers were estimated).
  std::string note;

  std::string toJSON() const;
  /// Parses the schema of docs/partitioning.md; std::nullopt and `error`
  /// on a missing or ill-typed field.
  static std::optional<DeviceProfile> fromJSON(const std::string &text,
                                               std::string *error);
  static std::optional<DeviceProfile> load(const std::string &path,
                                           std::string *error);
};

/// The host CPU (costmodel::HardwareProfile::probeHost).
DeviceProfile probeCPU();
/// A Vulkan or CUDA device through libtessera_runtime; std::nullopt with
/// `error` when there is none.
std::optional<DeviceProfile> probeGPU(const std::string &kind,
                                      const DeviceProfile &host,
                                      std::string *error);
/// An FPGA from lib/Target/HLS/profiles/<name>.json (u250, zcu102) or a
/// file in that format.
std::optional<DeviceProfile> loadFPGA(const std::string &nameOrPath,
                                      std::string *error);
/// The device kinds this machine offers: cpu, then vulkan/cuda when the
/// runtime finds them (for --target=auto).
std::vector<std::string> listAvailableKinds();

} // namespace tessera::partition

#endif // TESSERA_LIB_PARTITION_PROFILES_H
