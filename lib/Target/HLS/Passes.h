//===- Passes.h - HLS target passes --------------------------*- C++ -*-===//
//
// Declares the passes of the FPGA target (design search, C++ emission).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_HLS_PASSES_H
#define TESSERA_LIB_TARGET_HLS_PASSES_H

#include "dialects/HLS/IR/HLSDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace tessera::hls {

#define GEN_PASS_DECL
#include "lib/Target/HLS/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Target/HLS/Passes.h.inc"

} // namespace tessera::hls

#endif // TESSERA_LIB_TARGET_HLS_PASSES_H
