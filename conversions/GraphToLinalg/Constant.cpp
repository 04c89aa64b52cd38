//===- Constant.cpp - Lowering of tg.constant -----------------------------===//
//
// `tg.constant` becomes `arith.constant` with the same attribute, so a
// `dense_resource` weight keeps referring to its blob and is not copied.
// Unsigned constants are built signless and converted by an elementwise
// generic: arith's scalar constants must be signless, and elementwise fusion
// turns a splat tensor constant into a scalar one inside the loop body.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
namespace tg = tessera::graph;

namespace {

/// tg.constant -> arith.constant (the attribute is reused as is).
struct ConstantLowering : OpConversionPattern<tg::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(tessera::graph_to_linalg::requireStaticShapes(op, rewriter)))
      return failure();
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "value is not a typed attribute");
    auto type = cast<RankedTensorType>(op.getType());
    auto intType = dyn_cast<IntegerType>(type.getElementType());
    auto dense = dyn_cast<DenseIntElementsAttr>(value);
    if (!intType || intType.isSignless() || !dense) {
      rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
      return success();
    }
    auto signless = RankedTensorType::get(
        type.getShape(),
        rewriter.getIntegerType(intType.getWidth()));
    Value constant = arith::ConstantOp::create(
        rewriter, op.getLoc(),
        dense.mapValues(signless.getElementType(),
                        [](const APInt &v) { return v; }));
    rewriter.replaceOp(
        op, tessera::graph_to_linalg::buildSignlessElementwise(
                rewriter, op.getLoc(), type, ValueRange{constant},
                [](OpBuilder &, Location, ValueRange args) { return args[0]; }));
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populateConstantPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConstantLowering>(patterns.getContext());
}
