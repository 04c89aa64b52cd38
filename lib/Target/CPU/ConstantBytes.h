//===- ConstantBytes.h - Raw bytes of constant tensors ----------*- C++ -*-===//
//
// Compile-time rewrites of weights (transposes, packing) work on the bytes
// of a constant, whether it is a dense elements attribute or a
// dense_resource blob (how the importer stores large initializers).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_CPU_CONSTANTBYTES_H
#define TESSERA_LIB_TARGET_CPU_CONSTANTBYTES_H

#include "mlir/IR/Attributes.h"

#include <optional>

namespace tessera::cpu {

/// The bytes of a non-splat constant in row-major order, or std::nullopt
/// (splats, i1 data, other attributes).
std::optional<llvm::ArrayRef<char>> getConstantBytes(mlir::Attribute value);

} // namespace tessera::cpu

#endif // TESSERA_LIB_TARGET_CPU_CONSTANTBYTES_H
