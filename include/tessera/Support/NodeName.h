//===- NodeName.h - ONNX node names from MLIR locations -------*- C++ -*-===//
//
// The importer gives every op the location `"node"("model.onnx":0:0)`;
// passes fuse and nest such locations. This finds the node name again for
// diagnostics and explanations.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_SUPPORT_NODENAME_H
#define TESSERA_SUPPORT_NODENAME_H

#include <string>

namespace mlir {
class Location;
} // namespace mlir

namespace tessera {

/// The first ONNX node (or value) name that `loc` carries through NameLoc,
/// FusedLoc and CallSiteLoc, or "" when there is none.
std::string getNodeName(mlir::Location loc);

} // namespace tessera

#endif // TESSERA_SUPPORT_NODENAME_H
