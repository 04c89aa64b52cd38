//===- FoldConstantTransposes.cpp - Transpose weights at compile time -----===//
//
// Lowerings emit linalg.transpose on weights that a layout needs (Gemm with
// transB = 1 multiplies by the transposed weight). On a constant that
// transpose would run at every inference; this pass evaluates it once, at
// compile time, into a new constant (a resource blob for large weights).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/ConstantBytes.h"
#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_FOLDCONSTANTTRANSPOSES
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// Permutes the elements of a row-major array of `shape` (element size
/// `width` bytes): result dimension i is input dimension `permutation[i]`.
std::vector<char> transposeBytes(ArrayRef<char> input, ArrayRef<int64_t> shape,
                                 ArrayRef<int64_t> permutation, size_t width) {
  size_t rank = shape.size();
  SmallVector<int64_t> inputStrides(rank, 1);
  for (size_t i = rank; i-- > 1;)
    inputStrides[i - 1] = inputStrides[i] * shape[i];
  SmallVector<int64_t> outShape, strides;
  for (int64_t dim : permutation) {
    outShape.push_back(shape[dim]);
    strides.push_back(inputStrides[dim]);
  }
  std::vector<char> output(input.size());
  SmallVector<int64_t> index(rank, 0);
  size_t total = input.size() / width;
  int64_t offset = 0; // Input element of the current output element.
  for (size_t element = 0; element < total; ++element) {
    std::memcpy(output.data() + element * width, input.data() + offset * width,
                width);
    // Odometer increment of the output index, tracking the input offset.
    for (size_t d = rank; d-- > 0;) {
      offset += strides[d];
      if (++index[d] < outShape[d])
        break;
      offset -= strides[d] * outShape[d];
      index[d] = 0;
    }
  }
  return output;
}

struct FoldConstantTranspose : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    // Reshapes of a constant keep its row-major bytes: look through them.
    Value source = op.getInput();
    while (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
        source.getDefiningOp()))
      source = source.getDefiningOp()->getOperand(0);
    auto constant = source.getDefiningOp<arith::ConstantOp>();
    if (!constant)
      return rewriter.notifyMatchFailure(op, "input is not a constant");
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    unsigned bits = inputType.getElementTypeBitWidth();
    if (!inputType.hasStaticShape() || bits % 8 != 0)
      return rewriter.notifyMatchFailure(op, "unsupported element type");

    Attribute folded;
    if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
        dense && dense.isSplat()) {
      folded =
          DenseElementsAttr::get(resultType, dense.getSplatValue<Attribute>());
    } else if (std::optional<ArrayRef<char>> bytes =
                   tessera::cpu::getConstantBytes(constant.getValue())) {
      std::vector<char> data = transposeBytes(*bytes, inputType.getShape(),
                                              op.getPermutation(), bits / 8);
      // Small weights stay inline; large ones keep living in a blob.
      if (isa<DenseElementsAttr>(constant.getValue()))
        folded = DenseElementsAttr::getFromRawBuffer(resultType, data);
      else
        folded = DenseResourceElementsAttr::get(
            resultType, "transposed",
            HeapAsmResourceBlob::allocateAndCopyWithAlign(
                ArrayRef<char>(data), alignof(std::max_align_t)));
    } else {
      return rewriter.notifyMatchFailure(op, "constant data not available");
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, resultType,
                                                   cast<TypedAttr>(folded));
    return success();
  }
};

struct FoldConstantTransposesPass
    : tessera::cpu::impl::FoldConstantTransposesBase<
          FoldConstantTransposesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldConstantTranspose>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
