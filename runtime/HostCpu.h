//===- HostCpu.h - Does this CPU run an artifact's code? --------*- C++ -*-===//
//
// An artifact records the CPU features its code was compiled for (the
// `target` metadata record). Code using an instruction this CPU lacks dies
// with SIGILL in the middle of a run; checking at load time turns that into
// an error that names the missing features.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_HOSTCPU_H
#define TESSERA_RUNTIME_HOSTCPU_H

#include "runtime/Metadata.h"
#include "runtime/Status.h"

namespace tessera::runtime {

/// Fails when `target` needs an instruction-set feature this CPU lacks.
/// Only the features that change generated code (SSE/AVX/AVX-512/AMX, FMA,
/// F16C, BMI, ...) are checked; others are ignored. The host's features come
/// from /proc/cpuinfo, or from TESSERA_HOST_CPU_FEATURES (comma-separated
/// LLVM names, for tests and for hosts that hide cpuinfo flags);
/// TESSERA_IGNORE_CPU_FEATURES=1 skips the check.
Status checkHostCpuFeatures(const TargetInfo &target);

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_HOSTCPU_H
