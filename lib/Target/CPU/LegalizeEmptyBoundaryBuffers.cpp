//===- LegalizeEmptyBoundaryBuffers.cpp - Zero-element ABI arguments ------===//
//
// Retypes zero-element memref arguments of public functions as memref<1xT>
// plus a reinterpret_cast back, so the bare-pointer calling convention can
// lower the function (it refuses memrefs without elements).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_LEGALIZEEMPTYBOUNDARYBUFFERS
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

bool isEmptyStaticBuffer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.hasStaticShape() && memref.getNumElements() == 0 &&
         memref.getLayout().isIdentity();
}

struct LegalizeEmptyBoundaryBuffersPass
    : tessera::cpu::impl::LegalizeEmptyBoundaryBuffersBase<
          LegalizeEmptyBoundaryBuffersPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || !func.isPublic())
      return;
    Block &entry = func.getBody().front();
    OpBuilder builder = OpBuilder::atBlockBegin(&entry);
    SmallVector<Type> argTypes(func.getArgumentTypes());
    bool changed = false;
    for (BlockArgument arg : entry.getArguments()) {
      if (!isEmptyStaticBuffer(arg.getType()))
        continue;
      auto original = cast<MemRefType>(arg.getType());
      auto placeholder = MemRefType::get({1}, original.getElementType(),
                                         MemRefLayoutAttrInterface(),
                                         original.getMemorySpace());
      arg.setType(placeholder);
      argTypes[arg.getArgNumber()] = placeholder;
      changed = true;
      if (arg.use_empty())
        continue;
      auto [strides, offset] = original.getStridesAndOffset();
      auto cast = memref::ReinterpretCastOp::create(
          builder, func.getLoc(), original, arg, offset, original.getShape(),
          strides);
      arg.replaceAllUsesExcept(cast.getResult(), cast);
    }
    if (changed)
      func.setFunctionType(builder.getFunctionType(
          argTypes, func.getFunctionType().getResults()));
  }
};

} // namespace
