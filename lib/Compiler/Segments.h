//===- Segments.h - Split a placed model into per-device segments -*- C++ -*-===//
//
// After the partitioner has placed every `tdev.dispatch` (the
// `tdev.placement` attribute) and inserted `tdev.transfer`s, the model is
// cut into segments: groups of top-level ops on one device, in program
// order, where an op joins its device's latest segment unless it reads a
// value of a later segment (so independent branches on two devices make two
// segments, which the runtime runs at the same time). Each segment becomes a module of its own with one public
// function, which the device's pipeline compiles into an artifact; the
// values that cross segments get names, which the runtime's plan
// (runtime/Plan.h) uses to connect the artifacts.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_COMPILER_SEGMENTS_H
#define TESSERA_LIB_COMPILER_SEGMENTS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

namespace tessera {

struct Segment {
  /// Device kind: cpu, vulkan, cuda.
  std::string device;
  /// A module with one public function over tensors (linalg inside
  /// dispatches), named inputs and outputs.
  mlir::OwningOpRef<mlir::ModuleOp> module;
  /// Names of the dispatches it holds, for messages and --explain.
  std::vector<std::string> dispatches;
};

/// Cuts `entry` (in `module`) into segments (see above); segments come in
/// an order that respects the data flow. Ops outside
/// dispatches go with the device of the op that produces their first
/// operand (else of their first user, else the cpu); constants are copied
/// into every segment that uses them; transfers become segment
/// boundaries. Fails with an error on `entry` for a model output that is a
/// model input.
mlir::FailureOr<std::vector<Segment>> splitIntoSegments(mlir::ModuleOp module,
                                                        mlir::func::FuncOp entry);

} // namespace tessera

#endif // TESSERA_LIB_COMPILER_SEGMENTS_H
