//===- ContractionKernelBuilder.cpp - Shared kernel builder pieces --------===//
//
// Index arithmetic, operand indices and partial-tile bounds checks of the
// contraction kernel builders (see ContractionKernelBuilder.h).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/ContractionKernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using tessera::gpu::ContractionKernelBuilder;

bool tessera::gpu::isInnermost(linalg::LinalgOp op, OpOperand &operand,
                               int64_t loop) {
  AffineMap map = op.getMatchingIndexingMap(&operand);
  return cast<AffineDimExpr>(map.getResults().back()).getPosition() == loop;
}

Type tessera::gpu::operandElementType(linalg::LinalgOp op, unsigned index) {
  return cast<ShapedType>(op->getOperand(index).getType()).getElementType();
}

ContractionKernelBuilder::ContractionKernelBuilder(
    OpBuilder &b, Location loc, linalg::LinalgOp op,
    const ContractionLoops &loops)
    : b(b), loc(loc), op(op), loops(loops), ranges(op.getStaticLoopRanges()) {}

Value ContractionKernelBuilder::index(int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}
Value ContractionKernelBuilder::add(Value x, int64_t v) {
  return v == 0 ? x : arith::AddIOp::create(b, loc, x, index(v));
}
Value ContractionKernelBuilder::add(Value x, Value y) {
  return arith::AddIOp::create(b, loc, x, y);
}
Value ContractionKernelBuilder::mul(Value x, int64_t v) {
  return arith::MulIOp::create(b, loc, x, index(v));
}
Value ContractionKernelBuilder::div(Value x, int64_t v) {
  return arith::DivUIOp::create(b, loc, x, index(v));
}
Value ContractionKernelBuilder::rem(Value x, int64_t v) {
  return arith::RemUIOp::create(b, loc, x, index(v));
}

SmallVector<Value> ContractionKernelBuilder::loopValues(Value batch, Value m,
                                                        Value n, Value k) {
  SmallVector<Value> values(ranges.size());
  if (loops.batch >= 0)
    values[loops.batch] = batch;
  values[loops.m] = m;
  values[loops.n] = n;
  values[loops.k] = k;
  return values;
}

SmallVector<Value> ContractionKernelBuilder::indicesOf(OpOperand &operand,
                                                       ArrayRef<Value> values) {
  SmallVector<Value> indices;
  for (AffineExpr e : op.getMatchingIndexingMap(&operand).getResults())
    indices.push_back(values[cast<AffineDimExpr>(e).getPosition()]);
  return indices;
}

void ContractionKernelBuilder::checkInRange(Value &inBounds, int64_t loop,
                                            Value value) {
  Value ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, value,
                                   index(ranges[loop]));
  inBounds = inBounds ? arith::AndIOp::create(b, loc, inBounds, ok) : ok;
}

void ContractionKernelBuilder::checkAndClamp(Value &inBounds, int64_t loop,
                                             Value &value, int64_t width) {
  checkInRange(inBounds, loop, value);
  value = arith::MinUIOp::create(b, loc, value, index(ranges[loop] - width));
}

std::pair<SmallVector<Value>, Value> ContractionKernelBuilder::pieceIndices(
    OpOperand &operand, int64_t rowLoop, int64_t rowTile, int64_t kTile,
    int64_t innerLoop, int64_t width, Value row, Value k) {
  Value inBounds;
  auto check = [&](int64_t loop, int64_t tile, Value &value) {
    if (needsCheck(loop, tile))
      checkAndClamp(inBounds, loop, value, loop == innerLoop ? width : 1);
  };
  check(rowLoop, rowTile, row);
  check(loops.k, kTile, k);
  SmallVector<Value> indices = rowLoop == loops.m
                                   ? indicesOf(operand, batch, row, Value(), k)
                                   : indicesOf(operand, batch, Value(), row, k);
  return {indices, inBounds};
}

Value ContractionKernelBuilder::outputInBounds(Value m, Value n, int64_t blockM,
                                               int64_t blockN) {
  Value ok;
  if (needsCheck(loops.m, blockM))
    checkInRange(ok, loops.m, m);
  if (needsCheck(loops.n, blockN))
    checkInRange(ok, loops.n, n);
  return ok;
}
