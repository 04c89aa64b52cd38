//===- HLSAttrs.h - HLS dialect attributes -------------------*- C++ -*-===//
//
// Declares the directive attributes (pipeline, unroll, partition,
// interface) and their enums.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_HLS_IR_HLSATTRS_H
#define TESSERA_DIALECTS_HLS_IR_HLSATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "dialects/HLS/IR/HLSEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/HLS/IR/HLSAttrs.h.inc"

#endif // TESSERA_DIALECTS_HLS_IR_HLSATTRS_H
