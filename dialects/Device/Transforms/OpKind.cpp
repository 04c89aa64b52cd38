//===- OpKind.cpp - How dispatch formation treats an op -------------------===//
//
// Explicit lists of Graph ops per kind. An op missing from every list is
// Standalone: it still gets a dispatch, it only fuses less.
//
//===----------------------------------------------------------------------===//

#include "dialects/Device/Transforms/OpKind.h"

#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;
using namespace tessera::graph;

namespace tessera::device {

static bool isRoot(Operation *op) {
  return isa<
      // Contractions.
      ConvOp, ConvTransposeOp, MatMulOp, GemmOp, EinsumOp,
      // Pooling.
      MaxPoolOp, AveragePoolOp, GlobalAveragePoolOp,
      // Reductions.
      ReduceSumOp, ReduceMeanOp, ReduceMaxOp, ReduceMinOp, ReduceProdOp,
      ArgMaxOp, ArgMinOp,
      // Normalizations that reduce along an axis.
      SoftmaxOp, LogSoftmaxOp, HardmaxOp>(op);
}

static bool isElementwise(Operation *op) {
  return isa<
      // Binary, with numpy broadcasting.
      AddOp, SubOp, MulOp, DivOp, MinOp, MaxOp, PReluOp, ModOp, PowOp,
      EqualOp, LessOp, LessEqualOp, GreaterOp, GreaterEqualOp, AndOp, OrOp,
      XorOp, BitShiftOp, WhereOp,
      // Unary.
      ReluOp, SigmoidOp, TanhOp, LeakyReluOp, ClipOp, ExpOp, LogOp, SqrtOp,
      ReciprocalOp, ErfOp, SinOp, CosOp, TanOp, AsinOp, AcosOp, AtanOp,
      SinhOp, CoshOp, AsinhOp, AcoshOp, AtanhOp, FloorOp, CeilOp, RoundOp,
      SoftplusOp, SoftsignOp, HardSwishOp, NegOp, AbsOp, SignOp, NotOp, EluOp,
      SeluOp, CeluOp, HardSigmoidOp, ThresholdedReluOp, ShrinkOp, IsNaNOp,
      IsInfOp,
      // Conversions.
      CastOp, QuantizeLinearOp, DequantizeLinearOp,
      // Per-channel scale and shift with running statistics: no reduction.
      BatchNormOp>(op);
}

static bool isOutside(Operation *op) {
  // Reshapes only reinterpret a tensor: later passes fold them into their
  // neighbours' indexing, which a dispatch boundary would block.
  return isa<ConstantOp, ReshapeOp, DynamicReshapeOp, FlattenOp,
             ShapeCheckOp>(op);
}

OpKind classifyOp(Operation *op) {
  if (!isa<GraphDialect>(op->getDialect()) || isOutside(op))
    return OpKind::Outside;
  if (isRoot(op))
    return OpKind::Root;
  if (isElementwise(op))
    return OpKind::Elementwise;
  return OpKind::Standalone;
}

llvm::StringRef stringifyOpKind(OpKind kind) {
  switch (kind) {
  case OpKind::Root:
    return "root";
  case OpKind::Elementwise:
    return "elementwise";
  case OpKind::Standalone:
    return "standalone";
  case OpKind::Outside:
    return "outside";
  }
  llvm_unreachable("unknown OpKind");
}

} // namespace tessera::device
