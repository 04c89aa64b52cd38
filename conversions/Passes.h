//===- Passes.h - Tessera conversion passes ------------------*- C++ -*-===//
//
// Declares every conversion pass of Tessera and their registration.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_CONVERSIONS_PASSES_H
#define TESSERA_CONVERSIONS_PASSES_H

#include "conversions/GraphToLinalg/GraphToLinalg.h"

#include "mlir/Pass/Pass.h"

namespace tessera {

#define GEN_PASS_DECL
#include "conversions/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "conversions/Passes.h.inc"

} // namespace tessera

#endif // TESSERA_CONVERSIONS_PASSES_H
