//===- DeviceOps.h - Device dialect operations ---------------*- C++ -*-===//
//
// Declares the operations of the Device dialect.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_DEVICE_IR_DEVICEOPS_H
#define TESSERA_DIALECTS_DEVICE_IR_DEVICEOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/Device/IR/DeviceAttrs.h"
#include "dialects/Device/IR/DeviceDialect.h"

#define GET_OP_CLASSES
#include "dialects/Device/IR/DeviceOps.h.inc"

#endif // TESSERA_DIALECTS_DEVICE_IR_DEVICEOPS_H
