//===- GraphDialect.h - Graph dialect declaration ------------*- C++ -*-===//
//
// Declares the Graph (`tg`) dialect class.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_GRAPH_IR_GRAPHDIALECT_H
#define TESSERA_DIALECTS_GRAPH_IR_GRAPHDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Graph/IR/GraphDialect.h.inc"

#endif // TESSERA_DIALECTS_GRAPH_IR_GRAPHDIALECT_H
