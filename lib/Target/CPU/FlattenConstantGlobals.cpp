//===- FlattenConstantGlobals.cpp - Constant globals as 1-D arrays --------===//
//
// The translation to LLVM IR turns a constant memref.global of shape
// 256x64x3x3 into nested arrays whose innermost rows (3 floats) are each a
// uniqued ConstantDataArray: millions of tiny constants for a ResNet's
// weights, which dominated compile time (hashing, allocation, and freeing
// them). Weights are contiguous row-major data, so this pass gives every
// multi-dimensional constant global a 1-D type with the same data, and each
// memref.get_global an expand_shape back to the shape its users expect.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_FLATTENCONSTANTGLOBALS
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// The initial value of `global` reshaped to one dimension, or a null
/// attribute when it cannot be (no value, or an unknown attribute kind).
Attribute flattenInitialValue(memref::GlobalOp global, ShapedType flatType) {
  std::optional<Attribute> value = global.getInitialValue();
  if (!value)
    return {};
  if (auto dense = dyn_cast<DenseElementsAttr>(*value))
    return dense.reshape(flatType);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(*value))
    return DenseResourceElementsAttr::get(flatType, resource.getRawHandle());
  return {};
}

struct FlattenConstantGlobalsPass
    : tessera::cpu::impl::FlattenConstantGlobalsBase<
          FlattenConstantGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The original type of each flattened global, by name.
    llvm::StringMap<MemRefType> flattened;
    for (auto global : module.getOps<memref::GlobalOp>()) {
      MemRefType type = global.getType();
      if (!global.getConstant() || type.getRank() < 2 ||
          !type.hasStaticShape() || !type.getLayout().isIdentity())
        continue;
      auto flatTensorType =
          RankedTensorType::get({type.getNumElements()}, type.getElementType());
      Attribute flatValue = flattenInitialValue(global, flatTensorType);
      if (!flatValue)
        continue;
      global.setType(MemRefType::get({type.getNumElements()},
                                     type.getElementType(), AffineMap(),
                                     type.getMemorySpace()));
      global.setInitialValueAttr(flatValue);
      flattened[global.getSymName()] = type;
    }
    if (flattened.empty())
      return;

    IRRewriter rewriter(&getContext());
    module.walk([&](memref::GetGlobalOp get) {
      auto it = flattened.find(get.getName());
      if (it == flattened.end())
        return;
      MemRefType shaped = it->second;
      rewriter.setInsertionPoint(get);
      auto flat = memref::GetGlobalOp::create(
          rewriter, get.getLoc(),
          MemRefType::get({shaped.getNumElements()}, shaped.getElementType(),
                          AffineMap(), shaped.getMemorySpace()),
          get.getName());
      ReassociationIndices all;
      for (int64_t dim = 0; dim < shaped.getRank(); ++dim)
        all.push_back(dim);
      Value expanded = memref::ExpandShapeOp::create(
          rewriter, get.getLoc(), shaped, flat.getResult(),
          ArrayRef<ReassociationIndices>{all});
      rewriter.replaceOp(get, expanded);
    });
  }
};

} // namespace
