//===- Spatial.cpp - Spatial ops to linalg
//------------------------------------===//
//
// Lowering of the ops in SpatialOps.td to linalg/tensor/arith.
//
// tg.conv_transpose becomes a tg.conv (lowered by Conv.cpp in the same
// conversion) of the input with zeros inserted between its elements
// (`strides - 1` of them) and padded by `dilation * (k - 1)` minus the pads,
// with the weight flipped along every spatial dimension and its two channel
// dimensions swapped per group. This keeps the named linalg convolutions
// (and their CPU tiling) for the common 2-D case.
//
// tg.resize becomes one linalg.generic over the output with no inputs: the
// body maps every output coordinate to the input (linalg.index, then the
// coordinate transformation in f64, as the ONNX reference does), picks 1, 2
// or 4 taps per resized dimension and reads them with tensor.extract.
//
// tg.einsum becomes one linalg.generic with a loop per letter: the output
// letters parallel, the others reductions; a letter repeated in a term
// indexes the diagonal.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/RuntimeCheck.h"
#include "conversions/GraphToLinalg/Utils.h"
#include "tessera/Support/NodeName.h"

#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tessera::graph_to_linalg;
namespace tg = tessera::graph;

namespace {

//===----------------------------------------------------------------------===//
// tg.conv_transpose
//===----------------------------------------------------------------------===//

/// The conv weight of a transposed convolution: `C x M/G x K...` becomes
/// `M x C/G x K...` with every spatial dimension reversed, i.e.
/// `out[g*Mg + m, c, k] = w[g*Cg + c, m, K-1-k]`.
Value transposeWeight(OpBuilder &b, Location loc, Value weight, int64_t group) {
  auto type = cast<RankedTensorType>(weight.getType());
  int64_t rank = type.getRank(), spatial = rank - 2;
  int64_t cg = type.getDimSize(0) / group, mg = type.getDimSize(1);
  ArrayRef<int64_t> kernel = type.getShape().drop_front(2);

  // G x Cg x Mg x K... -> G x Mg x Cg x K... (flipped).
  SmallVector<int64_t> groupedShape = {group, cg, mg};
  llvm::append_range(groupedShape, kernel);
  SmallVector<ReassociationIndices> reassociation = {{0, 1}, {2}};
  for (int64_t i = 0; i < spatial; ++i)
    reassociation.push_back({3 + i});
  Type elementType = type.getElementType();
  Value grouped = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(groupedShape, elementType), weight,
      reassociation);

  MLIRContext *ctx = b.getContext();
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inputExprs = {d(0), d(2), d(1)};
  for (int64_t i = 0; i < spatial; ++i)
    inputExprs.push_back(kernel[i] - 1 - d(3 + i));
  SmallVector<int64_t> swappedShape = {group, mg, cg};
  llvm::append_range(swappedShape, kernel);
  auto swappedType = RankedTensorType::get(swappedShape, elementType);
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank + 1, 0, inputExprs, ctx),
      AffineMap::getMultiDimIdentityMap(rank + 1, ctx)};
  SmallVector<utils::IteratorType> iterators(rank + 1,
                                             utils::IteratorType::parallel);
  Value swapped = buildGeneric(
      b, loc, ValueRange{grouped}, createEmpty(b, loc, swappedType), maps,
      iterators,
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });

  SmallVector<int64_t> resultShape = {group * mg, cg};
  llvm::append_range(resultShape, kernel);
  return tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get(resultShape, elementType), swapped,
      reassociation);
}

/// Lowers tg.conv_transpose to a stride-1 tg.conv; see the file comment.
struct ConvTransposeLowering : OpConversionPattern<tg::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::ConvTransposeOp op, OpAdaptor adaptor,
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
    int64_t rank = inputType.getRank(), spatial = rank - 2;
    ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads(),
                      dilations = op.getDilations(),
                      outputPadding = op.getOutputPadding();

    // Per spatial dimension: the zero-interleaved input has `dilated`
    // elements; padding it by `low` and `high` (negative: cropping) makes
    // the stride-1 convolution produce exactly the result.
    SmallVector<int64_t> paddedShape(inputType.getShape().take_front(2));
    SmallVector<int64_t> insertOffsets(rank, 0), insertStrides(rank, 1);
    SmallVector<int64_t> cropOffsets(rank, 0),
        cropSizes(inputType.getShape().take_front(2));
    bool needsCrop = false;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t extent = (weightType.getDimSize(2 + i) - 1) * dilations[i];
      int64_t dilated = (inputType.getDimSize(2 + i) - 1) * strides[i] + 1;
      int64_t low = extent - pads[i];
      int64_t high = extent - pads[spatial + i] + outputPadding[i];
      int64_t lowPad = std::max<int64_t>(low, 0);
      paddedShape.push_back(dilated + lowPad + std::max<int64_t>(high, 0));
      insertOffsets[2 + i] = lowPad;
      insertStrides[2 + i] = strides[i];
      cropOffsets[2 + i] = lowPad - low;
      cropSizes.push_back(dilated + low + high);
      needsCrop |= low < 0 || high < 0;
    }
    Value zero = createScalar(rewriter, loc, elementType, 0.0);
    Value padded;
    if (llvm::all_of(strides, [](int64_t s) { return s == 1; })) {
      // Nothing to interleave: a plain zero padding.
      SmallVector<int64_t> high(rank, 0);
      for (int64_t i = 2; i < rank; ++i)
        high[i] = paddedShape[i] - inputType.getDimSize(i) - insertOffsets[i];
      padded = padTensor(rewriter, loc, adaptor.getInput(), insertOffsets, high,
                         zero);
    } else {
      padded = createFilled(
          rewriter, loc, RankedTensorType::get(paddedShape, elementType), zero);
      SmallVector<int64_t> inputSizes(inputType.getShape());
      padded = tensor::InsertSliceOp::create(
          rewriter, loc, adaptor.getInput(), padded, ValueRange{}, ValueRange{},
          ValueRange{}, insertOffsets, inputSizes, insertStrides);
    }
    if (needsCrop) {
      SmallVector<int64_t> ones(rank, 1);
      padded = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(cropSizes, elementType), padded,
          ValueRange{}, ValueRange{}, ValueRange{}, cropOffsets, cropSizes,
          ones);
    }

    Value weight =
        transposeWeight(rewriter, loc, adaptor.getWeight(), op.getGroup());
    SmallVector<Value> operands = {padded, weight};
    if (Value bias = adaptor.getBias())
      operands.push_back(bias);
    SmallVector<int64_t> ones(spatial, 1), noPads(2 * spatial, 0);
    auto conv = tg::ConvOp::create(
        rewriter, loc, resultType, operands,
        {rewriter.getNamedAttr("strides", rewriter.getDenseI64ArrayAttr(ones)),
         rewriter.getNamedAttr("pads", rewriter.getDenseI64ArrayAttr(noPads)),
         rewriter.getNamedAttr("dilations",
                               rewriter.getDenseI64ArrayAttr(dilations)),
         rewriter.getNamedAttr("group",
                               rewriter.getI64IntegerAttr(op.getGroup()))});
    rewriter.replaceOp(op, conv.getResult());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// tg.resize
//===----------------------------------------------------------------------===//

/// The f64 scalar arithmetic of the resize body.
struct F64Builder {
  OpBuilder &b;
  Location loc;

  Value c(double v) {
    return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  Value fromIndex(Value index) {
    Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
    return arith::SIToFPOp::create(b, loc, b.getF64Type(), i64);
  }
  Value toIndex(Value x) {
    Value i64 = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), i64);
  }
};

/// Per resized dimension, what the body needs from outside the generic:
/// its scale and roi bounds as f64 values.
struct ResizeDim {
  int64_t dim, inSize;
  Value scale, roiStart, roiEnd;
};

/// The taps of one dimension at one output coordinate: input indices
/// (clamped into the input) and their weights (null for nearest).
struct Taps {
  SmallVector<Value> indices, weights;
  Value outside; // tf_crop_and_resize: the coordinate is outside the input.
};

/// The ONNX cubic convolution coefficients of the 4 taps at `ratio`.
SmallVector<Value> cubicCoefficients(F64Builder &f, Value r, double a) {
  // ((A*(x) - 5A)*x + 8A)*x - 4A for 1 < x < 2; ((A+2)x - (A+3))x^2 + 1
  // for x <= 1, at distances 1+r, r, 1-r, 2-r.
  auto far = [&](Value x) {
    Value v = f.sub(f.mul(f.c(a), x), f.c(5 * a));
    v = f.add(f.mul(v, x), f.c(8 * a));
    return f.sub(f.mul(v, x), f.c(4 * a));
  };
  auto near = [&](Value x) {
    Value v = f.sub(f.mul(f.c(a + 2), x), f.c(a + 3));
    return f.add(f.mul(f.mul(v, x), x), f.c(1.0));
  };
  Value oneMinus = f.sub(f.c(1.0), r);
  return {far(f.add(r, f.c(1.0))), near(r), near(oneMinus),
          far(f.add(oneMinus, f.c(1.0)))};
}

/// Lowers tg.resize; see the file comment.
struct ResizeLowering : OpConversionPattern<tg::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    StringRef mode = op.getMode();
    StringRef coord = op.getCoordinateTransformationMode();
    if (mode != "nearest" && !isa<FloatType>(elementType))
      return rewriter.notifyMatchFailure(op, "interpolation needs floats");
    int64_t rank = inputType.getRank();

    // Scales and roi bounds, read once outside the generic.
    F64Builder outer{rewriter, loc};
    auto readF64 = [&](Value tensor, int64_t i) -> Value {
      Value index = arith::ConstantIndexOp::create(rewriter, loc, i);
      Value v = tensor::ExtractOp::create(rewriter, loc, tensor, index);
      if (v.getType().isF64())
        return v;
      return arith::ExtFOp::create(rewriter, loc, rewriter.getF64Type(), v);
    };
    SmallVector<ResizeDim> dims;
    Value unitScales, scalesMatch;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t in = inputType.getDimSize(d), out = resultType.getDimSize(d);
      // A dimension keeps its coordinates when its size is unchanged (its
      // scale is then 1, checked at run time for run-time scales), except
      // in the modes that shift even at scale 1.
      bool shifts =
          coord == "tf_half_pixel_for_nn" || coord == "tf_crop_and_resize";
      if (in == 0 || out == 0)
        continue;
      if (in == out && !shifts) {
        if (adaptor.getScales() && in > 1) {
          Value isOne =
              outer.cmp(arith::CmpFPredicate::OEQ,
                        readF64(adaptor.getScales(), d), outer.c(1.0));
          unitScales = unitScales ? arith::AndIOp::create(rewriter, loc,
                                                          unitScales, isOne)
                                  : isOne;
        }
        continue;
      }
      ResizeDim dim{d, in, {}, {}, {}};
      dim.scale = adaptor.getScales() ? readF64(adaptor.getScales(), d)
                                      : outer.c((double)out / (double)in);
      if (adaptor.getScales()) {
        // ONNX's output size is floor(in * scale): the scale read at run
        // time must give the size the model was compiled for.
        Value size = math::FloorOp::create(
            rewriter, loc, outer.mul(outer.c((double)in), dim.scale));
        Value matches = outer.cmp(arith::CmpFPredicate::OEQ, size,
                                  outer.c((double)out));
        scalesMatch = scalesMatch ? arith::AndIOp::create(rewriter, loc,
                                                          scalesMatch, matches)
                                  : matches;
      }
      if (coord == "tf_crop_and_resize") {
        dim.roiStart = readF64(adaptor.getRoi(), d);
        dim.roiEnd = readF64(adaptor.getRoi(), rank + d);
      }
      dims.push_back(dim);
    }

    if (unitScales) {
      std::string message = "tessera: Resize";
      if (std::string name = tessera::getNodeName(loc); !name.empty())
        message += " '" + name + "'";
      message += ": a dimension whose output size equals its input size must "
                 "have scale 1 (the model was compiled for that)";
      emitRuntimeCheck(rewriter, loc, op, unitScales, message);
    }
    if (scalesMatch) {
      std::string message = "tessera: Resize";
      if (std::string name = tessera::getNodeName(loc); !name.empty())
        message += " '" + name + "'";
      message += ": the run-time 'scales' do not give the output shape the "
                 "model was compiled for (floor(input size * scale))";
      emitRuntimeCheck(rewriter, loc, op, scalesMatch, message);
    }

    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value input = adaptor.getInput();
    Value result = buildGeneric(
        rewriter, loc, ValueRange{}, createEmpty(rewriter, loc, resultType),
        {rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          return buildBody(b, l, op, input, dims, rank);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  /// The input coordinate of output index `x` along `dim` (ONNX
  /// coordinate_transformation_mode), in f64.
  static Value transformCoordinate(F64Builder &f, tg::ResizeOp op, Value x,
                                   const ResizeDim &dim) {
    StringRef coord = op.getCoordinateTransformationMode();
    if (coord == "asymmetric")
      return f.div(x, dim.scale);
    if (coord == "tf_half_pixel_for_nn")
      return f.div(f.add(x, f.c(0.5)), dim.scale);
    if (coord == "half_pixel")
      return f.sub(f.div(f.add(x, f.c(0.5)), dim.scale), f.c(0.5));
    // The reference takes scale * input size as the output length, which
    // differs from the result size for scales that do not divide evenly.
    Value outLength = f.mul(dim.scale, f.c((double)dim.inSize));
    Value isSingle = f.cmp(arith::CmpFPredicate::OEQ, outLength, f.c(1.0));
    if (coord == "pytorch_half_pixel")
      return f.select(isSingle, f.c(-0.5),
                      f.sub(f.div(f.add(x, f.c(0.5)), dim.scale), f.c(0.5)));
    Value inLast = f.c((double)dim.inSize - 1);
    Value outLast = f.sub(outLength, f.c(1.0));
    if (coord == "align_corners")
      return f.select(isSingle, f.c(0.0), f.div(f.mul(x, inLast), outLast));
    assert(coord == "tf_crop_and_resize" && "verifier checks the modes");
    Value extent = f.mul(f.sub(dim.roiEnd, dim.roiStart), inLast);
    Value crop = f.select(isSingle, f.div(extent, f.c(2.0)),
                          f.div(f.mul(x, extent), outLast));
    return f.add(crop, f.mul(dim.roiStart, inLast));
  }

  /// The taps of `dim` at output index `x`. With `f = ceil(xo) - 1` and
  /// `r = xo - f` in (0, 1], the ONNX reference uses the input elements
  /// f, f+1 (nearest, linear) or f-1 .. f+2 (cubic), edge-clamped.
  static Taps computeTaps(F64Builder &f, tg::ResizeOp op, Value x,
                          const ResizeDim &dim) {
    OpBuilder &b = f.b;
    Location loc = f.loc;
    Value xo = transformCoordinate(f, op, x, dim);
    Value floorIndex = f.sub(math::CeilOp::create(b, loc, xo), f.c(1.0));
    Value r = f.sub(xo, floorIndex);
    Taps taps;
    if (op.getCoordinateTransformationMode() == "tf_crop_and_resize")
      taps.outside = arith::OrIOp::create(
          b, loc, f.cmp(arith::CmpFPredicate::OLT, xo, f.c(0.0)),
          f.cmp(arith::CmpFPredicate::OGT, xo, f.c((double)dim.inSize - 1)));
    auto clampIndex = [&](Value pos) {
      pos = arith::MaximumFOp::create(b, loc, pos, f.c(0.0));
      pos = arith::MinimumFOp::create(b, loc, pos, f.c((double)dim.inSize - 1));
      return f.toIndex(pos);
    };
    StringRef mode = op.getMode();
    if (mode == "nearest") {
      // The second tap when the coordinate is an integer (r == 1) or
      // rounds up by nearest_mode.
      StringRef nearest = op.getNearestMode();
      Value second;
      if (nearest == "ceil")
        second = arith::ConstantIntOp::create(b, loc, 1, 1);
      else if (nearest == "floor")
        second = f.cmp(arith::CmpFPredicate::OEQ, r, f.c(1.0));
      else if (nearest == "round_prefer_ceil")
        second = f.cmp(arith::CmpFPredicate::OGE, r, f.c(0.5));
      else
        second = f.cmp(arith::CmpFPredicate::OGT, r, f.c(0.5));
      Value pos = f.add(floorIndex, f.select(second, f.c(1.0), f.c(0.0)));
      taps.indices.push_back(clampIndex(pos));
      return taps;
    }
    SmallVector<Value> coefficients;
    int64_t first;
    if (mode == "linear") {
      coefficients = {f.sub(f.c(1.0), r), r};
      first = 0;
    } else {
      coefficients =
          cubicCoefficients(f, r, op.getCubicCoeffA().convertToDouble());
      first = -1;
    }
    Value weightSum = f.c(0.0);
    for (auto [i, coefficient] : llvm::enumerate(coefficients)) {
      Value pos = f.add(floorIndex, f.c((double)(first + (int64_t)i)));
      if (op.getExcludeOutside()) {
        // Taps outside the input get weight 0; the rest are renormalized.
        Value inside = arith::AndIOp::create(
            b, loc, f.cmp(arith::CmpFPredicate::OGE, pos, f.c(0.0)),
            f.cmp(arith::CmpFPredicate::OLE, pos, f.c((double)dim.inSize - 1)));
        coefficient = f.select(inside, coefficient, f.c(0.0));
        weightSum = f.add(weightSum, coefficient);
      }
      taps.indices.push_back(clampIndex(pos));
      taps.weights.push_back(coefficient);
    }
    if (op.getExcludeOutside())
      for (Value &w : taps.weights)
        w = f.div(w, weightSum);
    return taps;
  }

  /// The generic's body: the weighted sum over every combination of taps.
  static Value buildBody(OpBuilder &b, Location loc, tg::ResizeOp op,
                         Value input, ArrayRef<ResizeDim> dims, int64_t rank) {
    F64Builder f{b, loc};
    Type elementType = cast<RankedTensorType>(op.getType()).getElementType();
    SmallVector<Value> identity;
    for (int64_t d = 0; d < rank; ++d)
      identity.push_back(linalg::IndexOp::create(b, loc, d));
    SmallVector<Taps> taps;
    Value outside;
    for (const ResizeDim &dim : dims) {
      taps.push_back(computeTaps(f, op, f.fromIndex(identity[dim.dim]), dim));
      if (Value o = taps.back().outside)
        outside = outside ? arith::OrIOp::create(b, loc, outside, o) : o;
    }

    if (op.getMode() == "nearest") {
      SmallVector<Value> indices = identity;
      for (auto [dim, t] : llvm::zip(dims, taps))
        indices[dim.dim] = t.indices.front();
      Value v = tensor::ExtractOp::create(b, loc, input, indices);
      if (outside) {
        Value extrapolation = createScalar(
            b, loc, elementType, op.getExtrapolationValue().convertToDouble());
        v = f.select(outside, extrapolation, v);
      }
      return v;
    }

    // Odometer over the tap combinations.
    Value sum = f.c(0.0);
    SmallVector<size_t> choice(dims.size(), 0);
    while (true) {
      SmallVector<Value> indices = identity;
      Value weight;
      for (size_t i = 0; i < dims.size(); ++i) {
        indices[dims[i].dim] = taps[i].indices[choice[i]];
        Value w = taps[i].weights[choice[i]];
        weight = weight ? f.mul(weight, w) : w;
      }
      Value v = tensor::ExtractOp::create(b, loc, input, indices);
      if (!v.getType().isF64())
        v = arith::ExtFOp::create(b, loc, b.getF64Type(), v);
      sum = weight ? f.add(sum, f.mul(weight, v)) : v;
      size_t i = 0;
      for (; i < dims.size(); ++i) {
        if (++choice[i] < taps[i].indices.size())
          break;
        choice[i] = 0;
      }
      if (i == dims.size())
        break;
    }
    if (outside)
      sum = f.select(outside, f.c(op.getExtrapolationValue().convertToDouble()),
                     sum);
    if (!elementType.isF64())
      sum = arith::TruncFOp::create(b, loc, elementType, sum);
    return sum;
  }
};

//===----------------------------------------------------------------------===//
// tg.einsum
//===----------------------------------------------------------------------===//

/// Lowers tg.einsum (explicit equation, checked by the op) to a generic.
struct EinsumLowering : OpConversionPattern<tg::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    if (!isFloatOrSignlessInt(elementType))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    Location loc = op.getLoc();
    auto [lhs, output] = op.getEquation().split("->");
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');

    // Loops: the output letters in order, then the summed letters.
    std::string letters = output.str();
    for (StringRef term : terms)
      for (char c : term)
        if (letters.find(c) == std::string::npos)
          letters.push_back(c);
    MLIRContext *ctx = rewriter.getContext();
    auto mapOf = [&](StringRef term) {
      SmallVector<AffineExpr> exprs;
      for (char c : term)
        exprs.push_back(getAffineDimExpr(letters.find(c), ctx));
      return AffineMap::get(letters.size(), 0, exprs, ctx);
    };
    SmallVector<AffineMap> maps;
    for (StringRef term : terms)
      maps.push_back(mapOf(term));
    maps.push_back(mapOf(output));
    SmallVector<utils::IteratorType> iterators(letters.size(),
                                               utils::IteratorType::reduction);
    for (size_t i = 0; i < output.size(); ++i)
      iterators[i] = utils::IteratorType::parallel;

    Value zero = createScalar(rewriter, loc, elementType, 0.0);
    Value init = createFilled(rewriter, loc, resultType, zero);
    Value result =
        buildGeneric(rewriter, loc, adaptor.getInputs(), init, maps, iterators,
                     [](OpBuilder &b, Location l, ValueRange args) {
                       Value product = args.front();
                       for (Value v : args.drop_front().drop_back())
                         product = createMul(b, l, product, v);
                       return createAdd(b, l, args.back(), product);
                     });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populateSpatialPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvTransposeLowering, ResizeLowering, EinsumLowering>(
      patterns.getContext());
}
