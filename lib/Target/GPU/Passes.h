//===- Passes.h - GPU target passes --------------------------*- C++ -*-===//
//
// Declares the passes that map linalg to GPU kernels and prepare them for
// the SPIR-V and NVVM code generators.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_GPU_PASSES_H
#define TESSERA_LIB_TARGET_GPU_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace tessera::gpu {

#define GEN_PASS_DECL
#include "lib/Target/GPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Target/GPU/Passes.h.inc"

} // namespace tessera::gpu

#endif // TESSERA_LIB_TARGET_GPU_PASSES_H
