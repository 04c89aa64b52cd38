//===- GraphOps.h - Graph dialect operations -----------------*- C++ -*-===//
//
// Declares the operations of the Graph dialect.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_GRAPH_IR_GRAPHOPS_H
#define TESSERA_DIALECTS_GRAPH_IR_GRAPHOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/Graph/IR/GraphDialect.h"

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphOps.h.inc"

#endif // TESSERA_DIALECTS_GRAPH_IR_GRAPHOPS_H
