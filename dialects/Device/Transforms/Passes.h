//===- Passes.h - Device dialect passes ----------------------*- C++ -*-===//
//
// Declares the passes that form and dissolve dispatch regions.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_DEVICE_TRANSFORMS_PASSES_H
#define TESSERA_DIALECTS_DEVICE_TRANSFORMS_PASSES_H

#include "dialects/Device/IR/DeviceDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace tessera::device {

#define GEN_PASS_DECL
#include "dialects/Device/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/Device/Transforms/Passes.h.inc"

} // namespace tessera::device

#endif // TESSERA_DIALECTS_DEVICE_TRANSFORMS_PASSES_H
