//===- DemoteF64Math.cpp - f64 math functions computed in f32 -------------===//

#include "lib/Target/GPU/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"

namespace tessera::gpu {
#define GEN_PASS_DEF_DEMOTEF64MATH
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

bool isF64(Type type) { return getElementTypeOrSelf(type).isF64(); }

Type toF32(Type type) {
  Type f32 = Float32Type::get(type.getContext());
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.clone(f32);
  return f32;
}

struct DemoteF64MathPass
    : tessera::gpu::impl::DemoteF64MathBase<DemoteF64MathPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<math::MathDialect>(op->getDialect()) &&
          op->getNumResults() == 1 && isF64(op->getResult(0).getType()))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      OpBuilder b(op);
      Location loc = op->getLoc();
      IRMapping mapping;
      for (Value operand : op->getOperands())
        if (isF64(operand.getType()))
          mapping.map(operand, arith::TruncFOp::create(
                                   b, loc, toF32(operand.getType()), operand));
      Operation *narrow = b.clone(*op, mapping);
      Type resultType = op->getResult(0).getType();
      narrow->getResult(0).setType(toF32(resultType));
      Value wide =
          arith::ExtFOp::create(b, loc, resultType, narrow->getResult(0));
      op->getResult(0).replaceAllUsesWith(wide);
      op->erase();
    }
  }
};

} // namespace
