//===- DeviceDialect.h - Device dialect declaration ----------*- C++ -*-===//
//
// Declares the Device (`tdev`) dialect class.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_DEVICE_IR_DEVICEDIALECT_H
#define TESSERA_DIALECTS_DEVICE_IR_DEVICEDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Device/IR/DeviceDialect.h.inc"

#endif // TESSERA_DIALECTS_DEVICE_IR_DEVICEDIALECT_H
