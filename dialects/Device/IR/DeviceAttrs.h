//===- DeviceAttrs.h - Device dialect attributes -------------*- C++ -*-===//
//
// Declares `#tdev.target` and the names of the discardable attributes the
// partitioner writes (placement of each dispatch, its predicted latency,
// the module's target list).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_DEVICE_IR_DEVICEATTRS_H
#define TESSERA_DIALECTS_DEVICE_IR_DEVICEATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"

#define GET_ATTRDEF_CLASSES
#include "dialects/Device/IR/DeviceAttrs.h.inc"

namespace tessera::device {

/// On a `tdev.dispatch`: the `#tdev.target` it runs on.
inline constexpr llvm::StringLiteral kPlacementAttrName = "tdev.placement";
/// On a `tdev.dispatch`: the predicted latency on its device (f64, us).
inline constexpr llvm::StringLiteral kPredictedUsAttrName = "tdev.predicted_us";
/// On the module: the `#tdev.target`s the partitioner placed over.
inline constexpr llvm::StringLiteral kTargetsAttrName = "tdev.targets";

} // namespace tessera::device

#endif // TESSERA_DIALECTS_DEVICE_IR_DEVICEATTRS_H
