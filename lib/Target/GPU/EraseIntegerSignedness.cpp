//===- EraseIntegerSignedness.cpp - Signless integers everywhere ----------===//

#include "lib/Target/GPU/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace tessera::gpu {
#define GEN_PASS_DEF_ERASEINTEGERSIGNEDNESS
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

Type toSignless(Type type) {
  if (auto integer = dyn_cast<IntegerType>(type))
    return integer.isSignless()
               ? type
               : IntegerType::get(type.getContext(), integer.getWidth());
  if (auto shaped = dyn_cast<ShapedType>(type))
    if (shaped.hasRank() || isa<UnrankedMemRefType>(type)) {
      Type element = toSignless(shaped.getElementType());
      return element == shaped.getElementType()
                 ? type
                 : shaped.clone(element);
    }
  if (auto function = dyn_cast<FunctionType>(type)) {
    auto map = [](TypeRange types) {
      return llvm::map_to_vector(types, toSignless);
    };
    return FunctionType::get(type.getContext(), map(function.getInputs()),
                             map(function.getResults()));
  }
  return type;
}

/// Dense integer data reinterpreted with a signless element type (same
/// bits); other attributes unchanged.
Attribute toSignless(Attribute attr) {
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    auto type = cast<ShapedType>(toSignless(dense.getType()));
    return type == dense.getType() ? attr : dense.bitcast(type.getElementType());
  }
  if (auto integer = dyn_cast<IntegerAttr>(attr))
    if (isa<IntegerType>(integer.getType()))
      return IntegerAttr::get(toSignless(integer.getType()),
                              integer.getValue());
  if (auto typeAttr = dyn_cast<TypeAttr>(attr))
    return TypeAttr::get(toSignless(typeAttr.getValue()));
  return attr;
}

struct EraseIntegerSignednessPass
    : tessera::gpu::impl::EraseIntegerSignednessBase<
          EraseIntegerSignednessPass> {
  void runOnOperation() override {
    SmallVector<UnrealizedConversionCastOp> casts;
    getOperation().walk([&](Operation *op) {
      for (OpResult result : op->getResults())
        result.setType(toSignless(result.getType()));
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            arg.setType(toSignless(arg.getType()));
      // Function types, global types and constant values are attributes.
      for (NamedAttribute named : op->getAttrs()) {
        Attribute converted = toSignless(named.getValue());
        if (converted != named.getValue())
          op->setAttr(named.getName(), converted);
      }
      if (auto cast = dyn_cast<UnrealizedConversionCastOp>(op))
        casts.push_back(cast);
    });
    for (UnrealizedConversionCastOp cast : casts) {
      if (cast->getNumOperands() != 1 || cast->getNumResults() != 1 ||
          cast.getOperand(0).getType() != cast.getResult(0).getType())
        continue;
      cast.getResult(0).replaceAllUsesWith(cast.getOperand(0));
      cast->erase();
    }
  }
};

} // namespace
