//===- Passes.h - Partitioner passes -------------------------*- C++ -*-===//
//
// Declares tessera-partition-dispatches and its registration.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_PARTITION_PASSES_H
#define TESSERA_LIB_PARTITION_PASSES_H

#include "dialects/Device/IR/DeviceDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace tessera::partition {

#define GEN_PASS_DECL
#include "lib/Partition/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Partition/Passes.h.inc"

} // namespace tessera::partition

#endif // TESSERA_LIB_PARTITION_PASSES_H
