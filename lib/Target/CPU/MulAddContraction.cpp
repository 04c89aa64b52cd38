//===- MulAddContraction.cpp - out += lhs * rhs generics ------------------===//

#include "lib/Target/CPU/MulAddContraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

bool tessera::cpu::isMulAddBody(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  auto yield = dyn_cast<linalg::YieldOp>(body->getTerminator());
  if (!yield || yield.getNumOperands() != 1 ||
      body->getOperations().size() != 3 || body->getNumArguments() != 3)
    return false;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value acc = body->getArgument(2);
  Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  if ((add.getLhs() == acc) == (add.getRhs() == acc))
    return false;
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  Value a = body->getArgument(0), b = body->getArgument(1);
  return (mul.getLhs() == a && mul.getRhs() == b) ||
         (mul.getLhs() == b && mul.getRhs() == a);
}

linalg::GenericOp
tessera::cpu::createMulAddContraction(OpBuilder &builder, Location loc,
                                      Value lhs, Value rhs, Value init,
                                      ArrayRef<AffineMap> maps) {
  unsigned numLoops = maps.front().getNumDims();
  SmallVector<utils::IteratorType> iterators(numLoops - 1,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return linalg::GenericOp::create(
      builder, loc, init.getType(), ValueRange{lhs, rhs}, ValueRange{init},
      maps, iterators, [](OpBuilder &b, Location nestedLoc, ValueRange args) {
        Value product = arith::MulFOp::create(b, nestedLoc, args[0], args[1]);
        Value sum = arith::AddFOp::create(b, nestedLoc, product, args[2]);
        linalg::YieldOp::create(b, nestedLoc, sum);
      });
}

SmallVector<AffineMap>
tessera::cpu::getConvContractionMaps(MLIRContext *context) {
  AffineExpr n, f, p, k;
  bindDims(context, n, f, p, k);
  return {AffineMap::get(4, 0, {f, k}, context),
          AffineMap::get(4, 0, {n, k, p}, context),
          AffineMap::get(4, 0, {n, f, p}, context)};
}
