//===- DeviceAttrs.cpp - Device dialect attributes ------------------------===//
//
// `#tdev.target`: verification of the device kind and registration.
//
//===----------------------------------------------------------------------===//

#include "dialects/Device/IR/DeviceAttrs.h"
#include "dialects/Device/IR/DeviceDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tessera::device;

#define GET_ATTRDEF_CLASSES
#include "dialects/Device/IR/DeviceAttrs.cpp.inc"

ArrayRef<StringRef> TargetAttr::getKnownKinds() {
  static const StringRef kinds[] = {"cpu", "vulkan", "cuda", "fpga"};
  return kinds;
}

LogicalResult TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 StringRef kind, StringAttr profile) {
  if (!llvm::is_contained(getKnownKinds(), kind))
    return emitError() << "unknown device kind '" << kind
                       << "'; expected cpu, vulkan, cuda or fpga";
  if (profile && profile.getValue().empty())
    return emitError() << "empty profile name; omit it instead";
  return success();
}

void DeviceDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/Device/IR/DeviceAttrs.cpp.inc"
      >();
}
