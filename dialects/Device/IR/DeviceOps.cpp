//===- DeviceOps.cpp - Device dialect operations --------------------------===//
//
// Verifiers of `tdev.dispatch` and `tdev.transfer`, canonicalization of
// `tdev.dispatch`.
//
//===----------------------------------------------------------------------===//

#include "dialects/Device/IR/DeviceOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace tessera::device;

//===----------------------------------------------------------------------===//
// Custom directives
//===----------------------------------------------------------------------===//

/// `#tdev.target<...>` in full: ODS would print a typed attribute stripped
/// of its `#tdev.target` prefix.
static ParseResult parseTarget(OpAsmParser &parser, TargetAttr &target) {
  SMLoc loc = parser.getCurrentLocation();
  Attribute attr;
  if (parser.parseAttribute(attr))
    return failure();
  target = dyn_cast<TargetAttr>(attr);
  if (!target)
    return parser.emitError(loc, "expected a #tdev.target attribute, got ")
           << attr;
  return success();
}

static void printTarget(OpAsmPrinter &printer, Operation *,
                        TargetAttr target) {
  printer.printAttribute(target);
}

#define GET_OP_CLASSES
#include "dialects/Device/IR/DeviceOps.cpp.inc"

//===----------------------------------------------------------------------===//
// DispatchOp
//===----------------------------------------------------------------------===//

YieldOp DispatchOp::getYield() {
  return cast<YieldOp>(getBody().front().getTerminator());
}

LogicalResult DispatchOp::verifyRegions() {
  Block &block = getBody().front();
  auto yield = block.empty() ? YieldOp() : dyn_cast<YieldOp>(block.back());
  if (!yield)
    return emitOpError("body must end with 'tdev.yield'");
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("result types (")
           << getResultTypes() << ") differ from the yielded types ("
           << yield.getValues().getTypes() << ")";
  return success();
}

namespace {

/// Drops results without uses: the yielded values they stood for become dead
/// inside the body, where the usual dead-code elimination removes them.
struct DropUnusedResults : OpRewritePattern<DispatchOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DispatchOp op,
                                PatternRewriter &rewriter) const override {
    YieldOp yield = op.getYield();
    SmallVector<Value> kept;
    SmallVector<Type> keptTypes;
    for (auto [result, yielded] :
         llvm::zip_equal(op.getResults(), yield.getValues()))
      if (!result.use_empty()) {
        kept.push_back(yielded);
        keptTypes.push_back(result.getType());
      }
    if (kept.size() == op.getNumResults())
      return rewriter.notifyMatchFailure(op, "every result is used");

    auto newOp = DispatchOp::create(rewriter, op.getLoc(), keptTypes,
                                    op.getRootAttr(), op.getNameAttr());
    newOp->setDiscardableAttrs(op->getDiscardableAttrDictionary());
    rewriter.inlineRegionBefore(op.getBody(), newOp.getBody(),
                                newOp.getBody().end());
    rewriter.modifyOpInPlace(yield, [&] { yield->setOperands(kept); });
    unsigned next = 0;
    for (OpResult result : op.getResults())
      if (!result.use_empty())
        rewriter.replaceAllUsesWith(result, newOp.getResult(next++));
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void DispatchOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                             MLIRContext *context) {
  results.add<DropUnusedResults>(context);
}

//===----------------------------------------------------------------------===//
// TransferOp
//===----------------------------------------------------------------------===//

LogicalResult TransferOp::verify() {
  // A transfer to the device the value is on already would be a copy that
  // the partitioner never needs; it is most likely a mistake.
  if (getSource() == getDest())
    return emitOpError("source and destination are the same device (")
           << getSource() << ")";
  return success();
}
