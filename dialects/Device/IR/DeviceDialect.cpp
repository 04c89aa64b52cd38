//===- DeviceDialect.cpp - Device dialect registration --------------------===//
//
// Registers the Device dialect's operations and attributes.
//
//===----------------------------------------------------------------------===//

#include "dialects/Device/IR/DeviceDialect.h"
#include "dialects/Device/IR/DeviceAttrs.h"
#include "dialects/Device/IR/DeviceOps.h"

using namespace mlir;
using namespace tessera::device;

#include "dialects/Device/IR/DeviceDialect.cpp.inc"

void DeviceDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Device/IR/DeviceOps.cpp.inc"
      >();
  registerAttributes();
}
