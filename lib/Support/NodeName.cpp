//===- NodeName.cpp - ONNX node names from MLIR locations -----------------===//
//
// Implements getNodeName: a walk over nested and fused locations.
//
//===----------------------------------------------------------------------===//

#include "tessera/Support/NodeName.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"

using namespace mlir;

std::string tessera::getNodeName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string name = getNodeName(inner); !name.empty())
        return name;
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return getNodeName(callSite.getCallee());
  return "";
}
