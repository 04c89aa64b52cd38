//===- MatMul.cpp - Lowering of tg.matmul and tg.gemm ---------------------===//
//
// tg.matmul follows numpy.matmul:
//   - 2-D x 2-D                       -> linalg.matmul
//   - batched x 2-D                   -> linalg.matmul on collapsed rows
//   - equal batch dimensions          -> linalg.batch_matmul (batch collapsed)
//   - broadcasting batch dimensions   -> a linalg.generic contraction
// 1-D operands are promoted to matrices and the unit dimension dropped from
// the result. tg.gemm transposes with linalg.transpose, accumulates into
// beta * C (broadcast) with linalg.matmul and scales by alpha when needed.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"
#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tessera::graph_to_linalg;
namespace tg = tessera::graph;

namespace {

int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}

/// `lhs x rhs` for 2-D static tensors with linalg.matmul into `init`.
Value buildMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                  Value init) {
  return linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                  ValueRange{lhs, rhs}, ValueRange{init})
      .getResult(0);
}

/// Lowers tg.matmul; see the file comment.
struct MatMulLowering : OpConversionPattern<tg::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    if (!isFloatOrSignlessInt(elementType))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    Value zero = createScalar(rewriter, loc, elementType, 0.0);

    // Promote 1-D operands: [K] x ... -> [1, K]; ... x [K] -> [K, 1].
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    if (lhsType.getRank() == 1) {
      lhsType = RankedTensorType::get({1, lhsType.getDimSize(0)}, elementType);
      lhs = reshapeTo(rewriter, loc, lhs, lhsType);
    }
    if (rhsType.getRank() == 1) {
      rhsType = RankedTensorType::get({rhsType.getDimSize(0), 1}, elementType);
      rhs = reshapeTo(rewriter, loc, rhs, rhsType);
    }
    ArrayRef<int64_t> lhsShape = lhsType.getShape(),
                      rhsShape = rhsType.getShape();
    ArrayRef<int64_t> lhsBatch = lhsShape.drop_back(2),
                      rhsBatch = rhsShape.drop_back(2);
    int64_t m = lhsShape[lhsShape.size() - 2], k = lhsShape.back();
    int64_t n = rhsShape.back();
    std::optional<SmallVector<int64_t>> batch =
        tessera::graph::broadcastShapes(lhsBatch, rhsBatch);
    if (!batch)
      return rewriter.notifyMatchFailure(op, "batch dims do not broadcast");
    int64_t numBatch = batch->size();
    SmallVector<int64_t> fullShape(*batch);
    fullShape.append({m, n});
    auto fullType = RankedTensorType::get(fullShape, elementType);

    Value full;
    if (rhsBatch.empty()) {
      // [B..., M, K] x [K, N]: one matmul over B*M rows.
      int64_t rows = product(lhsBatch) * m;
      Value lhs2d = reshapeTo(rewriter, loc, lhs,
                              RankedTensorType::get({rows, k}, elementType));
      auto flatType = RankedTensorType::get({rows, n}, elementType);
      Value init = createFilled(rewriter, loc, flatType, zero);
      full = reshapeTo(rewriter, loc,
                       buildMatmul(rewriter, loc, lhs2d, rhs, init), fullType);
    } else if (lhsBatch == ArrayRef<int64_t>(*batch) &&
               rhsBatch == ArrayRef<int64_t>(*batch)) {
      // Equal batch dimensions: one batch_matmul over their product.
      int64_t count = product(*batch);
      Value lhs3d =
          reshapeTo(rewriter, loc, lhs,
                    RankedTensorType::get({count, m, k}, elementType));
      Value rhs3d =
          reshapeTo(rewriter, loc, rhs,
                    RankedTensorType::get({count, k, n}, elementType));
      auto flatType = RankedTensorType::get({count, m, n}, elementType);
      Value init = createFilled(rewriter, loc, flatType, zero);
      Value product3d = linalg::BatchMatmulOp::create(
                            rewriter, loc, TypeRange{flatType},
                            ValueRange{lhs3d, rhs3d}, ValueRange{init})
                            .getResult(0);
      full = reshapeTo(rewriter, loc, product3d, fullType);
    } else {
      // Broadcasting batch dimensions: a generic contraction over
      // (b..., m, n, k).
      SmallVector<int64_t> loopSizes(fullShape);
      loopSizes.push_back(k);
      unsigned mLoop = numBatch, nLoop = numBatch + 1, kLoop = numBatch + 2;
      SmallVector<unsigned> lhsLoops, rhsLoops;
      for (size_t i = 0; i < lhsBatch.size(); ++i)
        lhsLoops.push_back(numBatch - lhsBatch.size() + i);
      lhsLoops.append({mLoop, kLoop});
      for (size_t i = 0; i < rhsBatch.size(); ++i)
        rhsLoops.push_back(numBatch - rhsBatch.size() + i);
      rhsLoops.append({kLoop, nLoop});
      auto [lhsOperand, lhsMap] =
          broadcastToLoops(rewriter, loc, lhs, lhsLoops, loopSizes);
      auto [rhsOperand, rhsMap] =
          broadcastToLoops(rewriter, loc, rhs, rhsLoops, loopSizes);
      SmallVector<AffineExpr> outExprs;
      for (unsigned i = 0; i < numBatch + 2; ++i)
        outExprs.push_back(rewriter.getAffineDimExpr(i));
      AffineMap outMap =
          AffineMap::get(numBatch + 3, 0, outExprs, rewriter.getContext());
      SmallVector<utils::IteratorType> iterators(numBatch + 2,
                                                 utils::IteratorType::parallel);
      iterators.push_back(utils::IteratorType::reduction);
      Value init = createFilled(rewriter, loc, fullType, zero);
      full = buildGeneric(rewriter, loc, ValueRange{lhsOperand, rhsOperand},
                          init, {lhsMap, rhsMap, outMap}, iterators,
                          [](OpBuilder &b, Location l, ValueRange args) {
                            Value p = createMul(b, l, args[0], args[1]);
                            return createAdd(b, l, args[2], p);
                          });
    }
    // Drop the unit dimensions that 1-D operands introduced.
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, full, resultType));
    return success();
  }
};

/// Lowers tg.gemm: alpha * op(A) * op(B) + beta * C.
struct GemmLowering : OpConversionPattern<tg::GemmOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    if (!isFloatOrSignlessInt(elementType))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value c = adaptor.getC();
    if (c && beta == 0.0)
      c = nullptr;
    bool isFloat = isa<FloatType>(elementType);
    if (!isFloat && (alpha != 1.0 || (c && beta != 1.0)))
      return rewriter.notifyMatchFailure(
          op, "integer gemm supports alpha = beta = 1 only");

    auto transpose = [&](Value v) -> Value {
      auto type = cast<RankedTensorType>(v.getType());
      auto transposedType = RankedTensorType::get(
          {type.getDimSize(1), type.getDimSize(0)}, elementType);
      return linalg::TransposeOp::create(
                 rewriter, loc, v, createEmpty(rewriter, loc, transposedType),
                 ArrayRef<int64_t>{1, 0})
          .getResult()[0];
    };
    Value a = op.getTransA() ? transpose(adaptor.getA()) : adaptor.getA();
    Value b = op.getTransB() ? transpose(adaptor.getB()) : adaptor.getB();

    Value result;
    if (c && alpha == 1.0) {
      // Accumulate onto beta * C broadcast to M x N.
      Value init = buildBroadcastElementwise(
          rewriter, loc, resultType, ValueRange{c},
          [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            if (beta == 1.0)
              return args[0];
            return createMul(nb, nl, args[0],
                             createScalar(nb, nl, elementType, beta));
          });
      result = buildMatmul(rewriter, loc, a, b, init);
    } else {
      Value zero = createScalar(rewriter, loc, elementType, 0.0);
      Value init = createFilled(rewriter, loc, resultType, zero);
      result = buildMatmul(rewriter, loc, a, b, init);
      if (alpha != 1.0 || c) {
        SmallVector<Value> inputs = {result};
        if (c)
          inputs.push_back(c);
        result = buildBroadcastElementwise(
            rewriter, loc, resultType, inputs,
            [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
              Value v = args[0];
              if (alpha != 1.0)
                v = createMul(nb, nl, v,
                              createScalar(nb, nl, elementType, alpha));
              if (args.size() > 2) {
                Value cv = args[1];
                if (beta != 1.0)
                  cv = createMul(nb, nl, cv,
                                 createScalar(nb, nl, elementType, beta));
                v = createAdd(nb, nl, v, cv);
              }
              return v;
            });
      }
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populateMatMulPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering>(patterns.getContext());
}
