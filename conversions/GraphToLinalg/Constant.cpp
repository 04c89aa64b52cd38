//===- Constant.cpp - Lowering of tg.constant -----------------------------===//
//
// `tg.constant` becomes `arith.constant` with the same attribute, so a
// `dense_resource` weight keeps referring to its blob and is not copied.
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
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populateConstantPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConstantLowering>(patterns.getContext());
}
