//===- Conv.cpp - Lowering of tg.conv -------------------------------------===//
//
// tg.conv becomes a named linalg convolution on a zero-padded input:
//   - 2-D, group 1:              linalg.conv_2d_nchw_fchw
//   - 2-D, group == C == M:      linalg.depthwise_conv_2d_nchw_chw
//   - 2-D, other groups:         linalg.conv_2d_ngchw_gfchw on expanded shapes
//   - 1-D / 3-D, group 1:        linalg.conv_1d_ncw_fcw / conv_3d_ncdhw_fcdhw
//   - anything else:             a grouped linalg.generic convolution
// The accumulator starts as the broadcast bias (or zero), so the bias costs
// no extra pass over the output.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tessera::graph_to_linalg;
namespace tg = tessera::graph;

namespace {

/// Splits dimension `dim` of a static tensor into `(groups, size / groups)`.
Value splitDim(OpBuilder &b, Location loc, Value value, int64_t dim,
               int64_t groups) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t i = 0, e = type.getRank(); i < e; ++i) {
    int64_t next = shape.size();
    if (i == dim) {
      shape.push_back(groups);
      shape.push_back(type.getDimSize(i) / groups);
      reassociation.push_back({next, next + 1});
    } else {
      shape.push_back(type.getDimSize(i));
      reassociation.push_back({next});
    }
  }
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), value,
      reassociation);
}

/// Merges dimensions `dim` and `dim + 1` of a static tensor back into
/// `type`.
Value mergeDims(OpBuilder &b, Location loc, Value value, int64_t dim,
                RankedTensorType type) {
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t i = 0, e = type.getRank(); i < e; ++i) {
    if (i < dim)
      reassociation.push_back({i});
    else if (i == dim)
      reassociation.push_back({i, i + 1});
    else
      reassociation.push_back({i + 1});
  }
  return tensor::CollapseShapeOp::create(b, loc, type, value, reassociation);
}

/// A convolution of any spatial rank and group count as a linalg.generic on
/// grouped shapes: input N x G x C x S..., weight G x F x C x K...,
/// output N x G x F x O...
Value buildGenericConv(OpBuilder &b, Location loc, Value input, Value weight,
                       Value init, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> dilations) {
  MLIRContext *ctx = b.getContext();
  int64_t spatial = strides.size();
  // Loops: n, g, f, o_1..o_s, c, k_1..k_s.
  int64_t numLoops = 4 + 2 * spatial;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  int64_t cLoop = 3 + spatial;
  SmallVector<AffineExpr> inputExprs = {d(0), d(1), d(cLoop)};
  SmallVector<AffineExpr> weightExprs = {d(1), d(2), d(cLoop)};
  SmallVector<AffineExpr> outputExprs = {d(0), d(1), d(2)};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = d(3 + i), k = d(cLoop + 1 + i);
    inputExprs.push_back(o * strides[i] + k * dilations[i]);
    weightExprs.push_back(k);
    outputExprs.push_back(o);
  }
  SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, inputExprs, ctx),
                                 AffineMap::get(numLoops, 0, weightExprs, ctx),
                                 AffineMap::get(numLoops, 0, outputExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(numLoops,
                                             utils::IteratorType::parallel);
  for (int64_t i = cLoop; i < numLoops; ++i)
    iterators[i] = utils::IteratorType::reduction;
  return buildGeneric(b, loc, ValueRange{input, weight}, init, maps, iterators,
                      [](OpBuilder &nb, Location nl, ValueRange args) {
                        Value product = createMul(nb, nl, args[0], args[1]);
                        return createAdd(nb, nl, args[2], product);
                      });
}

/// Lowers tg.conv; see the file comment for the forms.
struct ConvLowering : OpConversionPattern<tg::ConvOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    if (!isFloatOrSignlessInt(elementType))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    int64_t spatial = inputType.getRank() - 2;
    int64_t group = op.getGroup();
    int64_t channels = inputType.getDimSize(1);
    int64_t outChannels = weightType.getDimSize(0);
    ArrayRef<int64_t> pads = op.getPads();
    ArrayRef<int64_t> strides = op.getStrides();
    ArrayRef<int64_t> dilations = op.getDilations();

    // Zero padding of the spatial dimensions.
    SmallVector<int64_t> low(2, 0), high(2, 0);
    llvm::append_range(low, pads.take_front(spatial));
    llvm::append_range(high, pads.drop_front(spatial));
    Value zero = createScalar(rewriter, loc, elementType, 0.0);
    Value input = padTensor(rewriter, loc, adaptor.getInput(), low, high, zero);
    Value weight = adaptor.getWeight();

    // The accumulator: the bias broadcast along the channel dimension, or 0.
    Value init;
    if (Value bias = adaptor.getBias()) {
      SmallVector<unsigned> loopOfDim = {1};
      auto [operand, map] = broadcastToLoops(rewriter, loc, bias, loopOfDim,
                                             resultType.getShape());
      SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                                 utils::IteratorType::parallel);
      init = buildGeneric(
          rewriter, loc, ValueRange{operand},
          createEmpty(rewriter, loc, resultType),
          {map, rewriter.getMultiDimIdentityMap(resultType.getRank())},
          iterators,
          [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    } else {
      init = createFilled(rewriter, loc, resultType, zero);
    }

    DenseIntElementsAttr stridesAttr = rewriter.getI64TensorAttr(strides);
    DenseIntElementsAttr dilationsAttr = rewriter.getI64TensorAttr(dilations);
    Value result;
    if (spatial == 2 && group == 1) {
      result =
          linalg::Conv2DNchwFchwOp::create(
              rewriter, loc, TypeRange{resultType}, ValueRange{input, weight},
              ValueRange{init}, stridesAttr, dilationsAttr)
              .getResult(0);
    } else if (spatial == 2 && group == channels && outChannels == channels) {
      // Depthwise: M x 1 x KH x KW -> M x KH x KW.
      auto filterType = RankedTensorType::get(
          {outChannels, weightType.getDimSize(2), weightType.getDimSize(3)},
          elementType);
      Value filter = tensor::CollapseShapeOp::create(
          rewriter, loc, filterType, weight,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
      result =
          linalg::DepthwiseConv2DNchwChwOp::create(
              rewriter, loc, TypeRange{resultType}, ValueRange{input, filter},
              ValueRange{init}, stridesAttr, dilationsAttr)
              .getResult(0);
    } else if (spatial == 2) {
      Value groupedInput = splitDim(rewriter, loc, input, 1, group);
      Value groupedWeight = splitDim(rewriter, loc, weight, 0, group);
      Value groupedInit = splitDim(rewriter, loc, init, 1, group);
      Value grouped = linalg::Conv2DNgchwGfchwOp::create(
                          rewriter, loc, TypeRange{groupedInit.getType()},
                          ValueRange{groupedInput, groupedWeight},
                          ValueRange{groupedInit}, stridesAttr, dilationsAttr)
                          .getResult(0);
      result = mergeDims(rewriter, loc, grouped, 1, resultType);
    } else if (spatial == 1 && group == 1) {
      result =
          linalg::Conv1DNcwFcwOp::create(
              rewriter, loc, TypeRange{resultType}, ValueRange{input, weight},
              ValueRange{init}, stridesAttr, dilationsAttr)
              .getResult(0);
    } else if (spatial == 3 && group == 1) {
      result =
          linalg::Conv3DNcdhwFcdhwOp::create(
              rewriter, loc, TypeRange{resultType}, ValueRange{input, weight},
              ValueRange{init}, stridesAttr, dilationsAttr)
              .getResult(0);
    } else {
      Value groupedInput = splitDim(rewriter, loc, input, 1, group);
      Value groupedWeight = splitDim(rewriter, loc, weight, 0, group);
      Value groupedInit = splitDim(rewriter, loc, init, 1, group);
      Value grouped =
          buildGenericConv(rewriter, loc, groupedInput, groupedWeight,
                           groupedInit, strides, dilations);
      result = mergeDims(rewriter, loc, grouped, 1, resultType);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populateConvPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvLowering>(patterns.getContext());
}
