//===- HLSDialect.h - HLS dialect declaration ----------------*- C++ -*-===//
//
// Declares the HLS (`thls`) dialect class and its directive attributes.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_HLS_IR_HLSDIALECT_H
#define TESSERA_DIALECTS_HLS_IR_HLSDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/HLS/IR/HLSDialect.h.inc"

#include "dialects/HLS/IR/HLSAttrs.h"

#endif // TESSERA_DIALECTS_HLS_IR_HLSDIALECT_H
