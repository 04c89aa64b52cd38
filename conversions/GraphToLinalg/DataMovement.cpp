//===- DataMovement.cpp - Lowering of reshapes, transpose and concat ------===//
//
// tg.reshape and tg.flatten become tensor.collapse_shape/expand_shape (one
// of them where a reassociation exists, else through a 1-D tensor),
// tg.dynamic_reshape also gets a run-time check of its shape operand
// (a failed check makes the run fail with an error naming the node),
// tg.transpose becomes linalg.transpose, tg.concat inserts each input
// into a tensor.empty with tensor.insert_slice, tg.expand and tg.tile are
// copying generics (tile collapses a repeat x size iteration space) and
// tg.slice is a strided tensor.extract_slice, reversed by a generic where a
// step is negative; tg.gather reads its data with tensor.extract at
// normalized and clamped run-time indices; tg.pad is tensor.pad (constant
// mode) or a generic mapping result indices back into the input.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/RuntimeCheck.h"
#include "conversions/GraphToLinalg/Utils.h"
#include "tessera/Support/NodeName.h"
#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tessera::graph_to_linalg;
namespace tg = tessera::graph;

namespace {

/// Lowers tg.reshape and tg.flatten: only the result type matters.
template <typename TgOp> struct ReshapeLowering : OpConversionPattern<TgOp> {
  using OpConversionPattern<TgOp>::OpConversionPattern;
  using OpAdaptor = typename TgOp::Adaptor;

  LogicalResult
  matchAndRewrite(TgOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(
        op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(), resultType));
    return success();
  }
};

/// Lowers tg.dynamic_reshape: the data is reshaped to the static result
/// type, and a run-time check that the shape operand, with
/// ONNX's `0` and `-1` rules, denotes that shape; if not, the run fails
/// with an error naming the node.
struct DynamicReshapeLowering : OpConversionPattern<tg::DynamicReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::DynamicReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType inType = op.getInput().getType();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type i64 = rewriter.getI64Type();
    auto constI64 = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(rewriter, loc, i64, v);
    };
    Value ok = arith::ConstantIntOp::create(rewriter, loc, 1, 1);
    Value inferred = constI64(0);
    Value minusOne = constI64(-1);
    for (int64_t i = 0, e = resultType.getRank(); i < e; ++i) {
      Value index = arith::ConstantIndexOp::create(rewriter, loc, i);
      Value v = tensor::ExtractOp::create(rewriter, loc, adaptor.getShape(),
                                          ValueRange{index});
      int64_t expected = resultType.getDimSize(i);
      Value match = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, v, constI64(expected));
      if (!op.getAllowzero() && i < inType.getRank() &&
          inType.getDimSize(i) == expected) {
        Value copies = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::eq, v, constI64(0));
        match = arith::OrIOp::create(rewriter, loc, match, copies);
      }
      Value isInferred = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, v, minusOne);
      match = arith::OrIOp::create(rewriter, loc, match, isInferred);
      ok = arith::AndIOp::create(rewriter, loc, ok, match);
      inferred = arith::AddIOp::create(
          rewriter, loc, inferred,
          arith::ExtUIOp::create(rewriter, loc, i64, isInferred));
    }
    // With the other dimensions equal (and equal element counts, checked by
    // the verifier), a single -1 denotes the result's dimension.
    Value single = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::sle, inferred, constI64(1));
    ok = arith::AndIOp::create(rewriter, loc, ok, single);

    std::string message;
    llvm::raw_string_ostream os(message);
    os << "tessera: Reshape";
    if (std::string name = tessera::getNodeName(loc); !name.empty())
      os << " '" << name << "'";
    os << ": the run-time shape input does not give the shape ";
    llvm::interleave(resultType.getShape(), os, "x");
    os << " that the model was compiled for (from its recorded output "
          "shape)";
    emitRuntimeCheck(rewriter, loc, op, ok, message);

    rewriter.replaceOp(
        op, reshapeTo(rewriter, loc, adaptor.getInput(), resultType));
    return success();
  }
};

/// Lowers tg.transpose to linalg.transpose.
struct TransposeLowering : OpConversionPattern<tg::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto transpose = linalg::TransposeOp::create(
        rewriter, loc, adaptor.getInput(),
        createEmpty(rewriter, loc, resultType), op.getPerm());
    rewriter.replaceOp(op, transpose.getResult()[0]);
    return success();
  }
};

/// Lowers tg.concat to tensor.insert_slice of each input into an empty
/// tensor.
struct ConcatLowering : OpConversionPattern<tg::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    std::optional<int64_t> axis =
        tessera::graph::normalizeAxis(op.getAxis(), rank);
    if (!axis)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    Value result = createEmpty(rewriter, loc, resultType);
    int64_t offset = 0;
    for (Value input : adaptor.getInputs()) {
      auto type = cast<RankedTensorType>(input.getType());
      int64_t size = type.getDimSize(*axis);
      if (size == 0)
        continue;
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[*axis] = rewriter.getIndexAttr(offset);
      SmallVector<OpFoldResult> sizes, strides(rank, rewriter.getIndexAttr(1));
      for (int64_t d : type.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             offsets, sizes, strides);
      offset += size;
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tg.expand: a broadcasting generic that copies its input.
struct ExpandLowering : OpConversionPattern<tg::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    rewriter.replaceOp(
        op, buildBroadcastElementwise(
                rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
                ValueRange{adaptor.getInput()},
                [](OpBuilder &, Location, ValueRange args) { return args[0]; }));
    return success();
  }
};

/// tg.tile: a generic over `r0 x d0 x r1 x d1 ...` reading input dimension
/// `i` with loop `2i + 1`, collapsed pairwise to `r0*d0 x r1*d1 ...`.
struct TileLowering : OpConversionPattern<tg::TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = inType.getRank();
    SmallVector<int64_t> loops;
    SmallVector<AffineExpr> inExprs;
    SmallVector<ReassociationIndices> groups;
    for (int64_t i = 0; i < rank; ++i) {
      loops.push_back(op.getRepeats()[i]);
      loops.push_back(inType.getDimSize(i));
      inExprs.push_back(rewriter.getAffineDimExpr(2 * i + 1));
      groups.push_back({2 * i, 2 * i + 1});
    }
    auto loopType = RankedTensorType::get(loops, inType.getElementType());
    Value init = createEmpty(rewriter, loc, loopType);
    SmallVector<AffineMap> maps = {
        AffineMap::get(2 * rank, 0, inExprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(2 * rank)};
    SmallVector<utils::IteratorType> iterators(2 * rank,
                                               utils::IteratorType::parallel);
    Value tiled = buildGeneric(
        rewriter, loc, ValueRange{adaptor.getInput()}, init, maps, iterators,
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    if (rank > 0)
      tiled = tensor::CollapseShapeOp::create(rewriter, loc, resultType, tiled,
                                              groups);
    rewriter.replaceOp(op, tiled);
    return success();
  }
};

/// tg.slice: tensor.extract_slice with the absolute steps as strides, from
/// the lowest index taken; dimensions with a negative step are then
/// reversed by a generic that reads with tensor.extract.
struct SliceLowering : OpConversionPattern<tg::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOp(op, createEmpty(rewriter, loc, resultType));
      return success();
    }
    SmallVector<int64_t> offsets, strides;
    SmallVector<bool> reversed;
    for (int64_t i = 0; i < rank; ++i) {
      int64_t start = op.getStarts()[i], step = op.getSteps()[i],
              size = resultType.getDimSize(i);
      if (size == 0) {
        // An empty slice may start at the end; any in-bounds offset does.
        offsets.push_back(0);
        strides.push_back(1);
      } else if (step > 0) {
        offsets.push_back(start);
        strides.push_back(step);
      } else {
        offsets.push_back(start + (size - 1) * step);
        strides.push_back(-step);
      }
      reversed.push_back(step < 0 && size > 1);
    }
    Value sliced = tensor::ExtractSliceOp::create(
        rewriter, loc, resultType, adaptor.getInput(),
        /*offsets=*/ValueRange{}, /*sizes=*/ValueRange{}, /*strides=*/ValueRange{},
        rewriter.getDenseI64ArrayAttr(offsets),
        rewriter.getDenseI64ArrayAttr(resultType.getShape()),
        rewriter.getDenseI64ArrayAttr(strides));
    if (llvm::any_of(reversed, [](bool r) { return r; })) {
      Value init = createEmpty(rewriter, loc, resultType);
      SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
      SmallVector<utils::IteratorType> iterators(
          rank, utils::IteratorType::parallel);
      sliced = buildGeneric(
          rewriter, loc, ValueRange{}, init, maps, iterators,
          [&](OpBuilder &b, Location l, ValueRange) -> Value {
            SmallVector<Value> indices;
            for (int64_t i = 0; i < rank; ++i) {
              Value index = linalg::IndexOp::create(b, l, i);
              if (reversed[i])
                index = arith::SubIOp::create(
                    b, l,
                    arith::ConstantIndexOp::create(
                        b, l, resultType.getDimSize(i) - 1),
                    index);
              indices.push_back(index);
            }
            return tensor::ExtractOp::create(b, l, sliced, indices);
          });
    }
    rewriter.replaceOp(op, sliced);
    return success();
  }
};

/// tg.gather: a generic over the result reading the indices with the loops
/// of their dimensions; the body normalizes a negative index, clamps it into
/// range and reads the data with tensor.extract.
struct GatherLowering : OpConversionPattern<tg::GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + dataType.getRank()
                                    : op.getAxis();
    int64_t idxRank = indicesType.getRank(), rank = resultType.getRank();
    int64_t dim = dataType.getDimSize(axis);
    SmallVector<AffineExpr> idxExprs;
    for (int64_t i = 0; i < idxRank; ++i)
      idxExprs.push_back(rewriter.getAffineDimExpr(axis + i));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, idxExprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value data = adaptor.getData();
    Value result = buildGeneric(
        rewriter, loc, ValueRange{adaptor.getIndices()},
        createEmpty(rewriter, loc, resultType), maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value idx = toClampedIndex(b, l, args[0], dim);
          SmallVector<Value> indices;
          for (int64_t i = 0; i < axis; ++i)
            indices.push_back(linalg::IndexOp::create(b, l, i));
          indices.push_back(idx);
          for (int64_t i = axis + 1; i < dataType.getRank(); ++i)
            indices.push_back(linalg::IndexOp::create(b, l, i - 1 + idxRank));
          return tensor::ExtractOp::create(b, l, data, indices);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tg.pad: tensor.pad for constant mode; for reflect and edge, a generic
/// over the result that maps each index back into the input and reads it
/// with tensor.extract.
struct PadLowering : OpConversionPattern<tg::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = inType.getElementType();
    int64_t rank = inType.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    ArrayRef<int64_t> low = pads.take_front(rank), high = pads.drop_front(rank);
    if (op.getMode() == "constant") {
      if (!isFloatOrSignlessInt(elementType))
        return rewriter.notifyMatchFailure(op, "unsupported element type");
      Value pad = createScalar(rewriter, loc, elementType,
                               op.getValue().convertToDouble());
      rewriter.replaceOp(op, padTensor(rewriter, loc, adaptor.getInput(), low,
                                       high, pad));
      return success();
    }
    bool reflect = op.getMode() == "reflect";
    Value input = adaptor.getInput();
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value result = buildGeneric(
        rewriter, loc, ValueRange{}, createEmpty(rewriter, loc, resultType),
        maps, iterators, [&](OpBuilder &b, Location l, ValueRange) -> Value {
          SmallVector<Value> indices;
          for (int64_t i = 0; i < rank; ++i) {
            int64_t d = inType.getDimSize(i);
            Value j = linalg::IndexOp::create(b, l, i);
            if (low[i] == 0 && high[i] == 0) {
              indices.push_back(j);
              continue;
            }
            auto c = [&](int64_t v) {
              return arith::ConstantIndexOp::create(b, l, v);
            };
            j = arith::SubIOp::create(b, l, j, c(low[i]));
            if (reflect) {
              // j < 0 -> -j; j > d - 1 -> 2 (d - 1) - j.
              Value neg = arith::SubIOp::create(b, l, c(0), j);
              j = arith::MaxSIOp::create(b, l, j, neg);
              Value mirrored = arith::SubIOp::create(b, l, c(2 * (d - 1)), j);
              j = arith::MinSIOp::create(b, l, j, mirrored);
            } else {
              j = arith::MaxSIOp::create(b, l, j, c(0));
              j = arith::MinSIOp::create(b, l, j, c(d - 1));
            }
            indices.push_back(j);
          }
          return tensor::ExtractOp::create(b, l, input, indices);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populateDataMovementPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering<tg::ReshapeOp>, ReshapeLowering<tg::FlattenOp>,
               DynamicReshapeLowering, TransposeLowering, ConcatLowering,
               ExpandLowering, TileLowering, SliceLowering, GatherLowering,
               PadLowering>(
      patterns.getContext());
}
