//===- TransposeNarrowContractions.cpp - Vectorize along output channels --===//
//
// A convolution in contraction form, out[n, f, p] += W[f, k] * col[n, k, p],
// is vectorized along p = OH*OW, its contiguous output dimension. When p is
// not a multiple of the vector width (7x7 = 49, 13x13 = 169, 55x55 = 3025)
// every register tile row ends in an odd remainder that runs at a fraction
// of the FMA rate, while f (the output channels: 64, 128, 1000) usually is
// a multiple. For those convolutions this pass computes the transposed
// product, outT[n, p, f] += col[n, k, p] * Wt[k, f] with Wt transposed once
// at compile time, so the vector dimension is f; the epilogue (bias,
// activation, residual add) reads outT transposed and writes the original
// layout, tile by tile once tessera-tile-and-vectorize fuses them.
//
// Channels that do not fill whole register tiles (SqueezeNet's classifier:
// 1000 = 31 * 32 + 8) are padded with zero weights to the next multiple
// when the weight is a constant and the padding costs little: the
// transposed weight is then built at compile time with the extra columns,
// and the epilogue reads only the real channels of the product.
//
// Matrix products with a constant right-hand side (Gemm, MatMul) whose N
// leaves a partial register tile get the same zero columns: the product is
// computed over the padded N and the original init is added to its first N
// columns.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/ConstantBytes.h"
#include "lib/Target/CPU/EpilogueUtils.h"
#include "lib/Target/CPU/MulAddContraction.h"
#include "lib/Target/CPU/Passes.h"
#include "lib/Target/CPU/TileConfig.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

#include <cstring>
#include <vector>

namespace tessera::cpu {
#define GEN_PASS_DEF_TRANSPOSENARROWCONTRACTIONS
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;
using namespace tessera::cpu;

namespace {

/// True if `op` is out[n, f, p] += W[f, k] * col[n, k, p] on static f32
/// tensors, the form of tessera-convert-conv-to-im2col.
bool isConvContraction(linalg::GenericOp op) {
  if (op.getNumLoops() != 4 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 1 ||
      op.hasDynamicShape())
    return false;
  SmallVector<AffineMap> expected = getConvContractionMaps(op.getContext());
  if (op.getIndexingMapsArray() != expected ||
      !cast<ShapedType>(op.getResultTypes()[0]).getElementType().isF32())
    return false;
  return isMulAddBody(op);
}

/// Channels are padded only when the extra work is at most 1 / this.
constexpr int64_t kMaxPaddingFraction = 8;

/// The bytes of `weight` if it is an f32 constant (through reshapes, which
/// keep the row-major order), else std::nullopt.
std::optional<ArrayRef<char>> getWeightBytes(Value weight) {
  auto type = cast<RankedTensorType>(weight.getType());
  if (!type.getElementType().isF32())
    return std::nullopt;
  int64_t size = type.getNumElements() * sizeof(float);
  while (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
      weight.getDefiningOp()))
    weight = weight.getDefiningOp()->getOperand(0);
  auto constant = weight.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  std::optional<ArrayRef<char>> bytes =
      tessera::cpu::getConstantBytes(constant.getValue());
  if (!bytes || static_cast<int64_t>(bytes->size()) != size)
    return std::nullopt;
  return bytes;
}

/// The number of channels the transposed product computes: `channels` when
/// they fill whole register tiles (two vectors), else the next multiple
/// when the weight is a constant and the padding costs at most
/// 1/kMaxPaddingFraction of the work; std::nullopt when neither.
std::optional<int64_t> getComputedChannels(int64_t channels, int64_t width,
                                           bool constantWeight) {
  int64_t tile = 2 * width;
  if (channels % tile == 0)
    return channels;
  int64_t padded = llvm::alignTo(channels, tile);
  if (constantWeight && (padded - channels) * kMaxPaddingFraction <= channels)
    return padded;
  return std::nullopt;
}

/// Whether the pixels' remainder after whole two-vector register tiles is
/// a short power-of-two vector of at least 4 lanes (14x14 = 196 = 6 x 32 +
/// 4): the register tiles along pixels then lose little, and the product
/// needs no transposing epilogue. Left untransposed, ResNet's and
/// MobileNetV2's 14x14 convolutions got 1-20% faster (3x3 256->256 -5%,
/// 1x1 1024->256 -3%, 1x1 96->576 -20%); 7x7 = 49 = 32 + 17 and 13x13 =
/// 169 = 5 x 32 + 9 are still transposed.
bool hasShortPixelRemainder(int64_t pixels, int64_t width) {
  int64_t remainder = pixels % (2 * width);
  return remainder >= 4 && (remainder & (remainder - 1)) == 0;
}

/// Whether vectorizing along the output channels pays: the pixels leave an
/// odd remainder, the channels fill whole register tiles (possibly padded),
/// and the reduction is deep enough to amortize the transposing epilogue
/// (SqueezeNet's 3-channel stem, K = 27, got slower; so did its
/// 1000-channel classifier with 8-wide register tiles, before padding).
bool prefersChannels(int64_t channels, int64_t pixels, int64_t depth,
                     int64_t width, bool constantWeight) {
  return pixels % width != 0 && !hasShortPixelRemainder(pixels, width) &&
         depth >= 64 && getComputedChannels(channels, width, constantWeight);
}

/// The constant Wt[k, f] (f < `padded`) = W[f, k] for f < channels, else 0,
/// from the row-major f32 bytes of W[channels, depth].
Value buildPaddedTransposedWeight(RewriterBase &rewriter, Location loc,
                                  ArrayRef<char> bytes, int64_t channels,
                                  int64_t depth, int64_t padded) {
  std::vector<float> weight(channels * depth);
  std::memcpy(weight.data(), bytes.data(), weight.size() * sizeof(float));
  std::vector<float> data(depth * padded, 0.0f);
  for (int64_t f = 0; f < channels; ++f)
    for (int64_t k = 0; k < depth; ++k)
      data[k * padded + f] = weight[f * depth + k];
  auto type = RankedTensorType::get({depth, padded}, rewriter.getF32Type());
  ArrayRef<char> raw(reinterpret_cast<const char *>(data.data()),
                     data.size() * sizeof(float));
  auto attr = DenseResourceElementsAttr::get(
      type, "transposed",
      HeapAsmResourceBlob::allocateAndCopyWithAlign(raw, alignof(float)));
  return arith::ConstantOp::create(rewriter, loc, type, attr);
}

/// Builds outT[n, p, f] = sum_k col[n, k, p] * Wt[k, f] from a zero init,
/// f over the channels getComputedChannels chose; returns the real channels
/// of it.
Value buildTransposedContraction(RewriterBase &rewriter, linalg::GenericOp op,
                                 int64_t width) {
  Location loc = op.getLoc();
  MLIRContext *context = rewriter.getContext();
  Value weight = op.getDpsInputs()[0], col = op.getDpsInputs()[1];
  auto outType = cast<RankedTensorType>(op.getResultTypes()[0]);
  auto weightType = cast<RankedTensorType>(weight.getType());
  int64_t batch = outType.getDimSize(0), channels = outType.getDimSize(1),
          pixels = outType.getDimSize(2), depth = weightType.getDimSize(1);
  Type f32 = outType.getElementType();
  std::optional<ArrayRef<char>> bytes = getWeightBytes(weight);
  int64_t computed = *getComputedChannels(channels, width, bytes.has_value());

  Value transposedWeight;
  if (computed != channels) {
    transposedWeight = buildPaddedTransposedWeight(rewriter, loc, *bytes,
                                                   channels, depth, computed);
  } else {
    Value transposedInit = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{depth, channels}, f32);
    transposedWeight =
        linalg::TransposeOp::create(rewriter, loc, weight, transposedInit,
                                    ArrayRef<int64_t>{1, 0})
            ->getResult(0);
  }
  Value zero =
      arith::ConstantOp::create(rewriter, loc, f32, rewriter.getZeroAttr(f32));
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, ArrayRef<int64_t>{batch, pixels, computed}, f32);
  Value init = linalg::FillOp::create(rewriter, loc, zero, empty).result();

  AffineExpr n, p, f, k;
  bindDims(context, n, p, f, k);
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {n, k, p}, context),
                                 AffineMap::get(4, 0, {k, f}, context),
                                 AffineMap::get(4, 0, {n, p, f}, context)};
  auto product =
      createMulAddContraction(rewriter, loc, col, transposedWeight, init, maps);
  product->setDiscardableAttrs(op->getDiscardableAttrDictionary());
  if (computed == channels)
    return product.getResult(0);
  // The epilogue reads the real channels. Through this slice the product is
  // no longer fused into the epilogue's tiles (which would compute only the
  // real channels again): it is tiled on its own over the padded channels.
  return tensor::ExtractSliceOp::create(
      rewriter, loc, product.getResult(0),
      getAsIndexOpFoldResult(context, {0, 0, 0}),
      getAsIndexOpFoldResult(context, {batch, pixels, channels}),
      getAsIndexOpFoldResult(context, {1, 1, 1}));
}

/// Replaces `op` (and its in-place epilogue, if any) by the transposed
/// product plus an epilogue that adds the original init (the bias) to the
/// transposed product, applies the old epilogue's body, and writes the
/// original layout in place of the init.
void transposeContraction(RewriterBase &rewriter, linalg::GenericOp op,
                          int64_t width) {
  OpOperand *use = nullptr;
  linalg::GenericOp epilogue = getEpilogue(op, use);
  if (epilogue && epilogue.getDpsInitOperand(0) != use)
    epilogue = {}; // Only in-place epilogues are folded into the new one.
  Operation *anchor = epilogue ? epilogue.getOperation() : op.getOperation();
  rewriter.setInsertionPoint(anchor);
  Location loc = anchor->getLoc();
  MLIRContext *context = rewriter.getContext();
  Value product = buildTransposedContraction(rewriter, op, width);
  Value originalInit = op.getDpsInitOperand(0)->get();

  AffineExpr n, f, p;
  bindDims(context, n, f, p);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(3, context);
  SmallVector<Value> inputs = {product};
  SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {n, p, f}, context)};
  if (epilogue)
    for (OpOperand *input : epilogue.getDpsInputOperands()) {
      inputs.push_back(input->get());
      maps.push_back(epilogue.getMatchingIndexingMap(input));
    }
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  auto combined = linalg::GenericOp::create(
      rewriter, loc, op.getResultTypes(), inputs, ValueRange{originalInit},
      maps, iterators, [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
        // args: product, the epilogue's inputs..., the original init.
        Value value =
            arith::AddFOp::create(b, nestedLoc, args.front(), args.back());
        if (!epilogue) {
          linalg::YieldOp::create(b, nestedLoc, value);
          return;
        }
        Block *body = epilogue.getBlock();
        IRMapping mapping;
        for (unsigned i = 0, e = epilogue.getNumDpsInputs(); i < e; ++i)
          mapping.map(body->getArgument(i), args[1 + i]);
        mapping.map(body->getArgument(epilogue.getNumDpsInputs()), value);
        for (Operation &nested : body->without_terminator())
          b.clone(nested, mapping);
        auto yield = cast<linalg::YieldOp>(body->getTerminator());
        linalg::YieldOp::create(b, nestedLoc,
                                mapping.lookupOrDefault(yield.getValues()[0]));
      });
  if (!epilogue) {
    rewriter.replaceOp(op, combined->getResults());
    return;
  }
  combined->setDiscardableAttrs(epilogue->getDiscardableAttrDictionary());
  rewriter.replaceOp(epilogue, combined->getResults());
  // The product may have had other users than its epilogue.
  if (op->use_empty())
    rewriter.eraseOp(op);
}

//===----------------------------------------------------------------------===//
// Matrix products with a constant right-hand side (Gemm, MatMul)
//===----------------------------------------------------------------------===//

/// The constant B[K, N] of `matmul` as row-major f32 values: either a
/// constant [K, N], or the compile-time transpose of a constant W[N, K]
/// (a Gemm with transB, before tessera-fold-constant-transposes); std::nullopt
/// otherwise.
std::optional<std::vector<float>> getConstantRhs(linalg::MatmulOp matmul) {
  Value rhs = matmul.getDpsInputs()[1];
  auto type = cast<RankedTensorType>(rhs.getType());
  int64_t depth = type.getDimSize(0), columns = type.getDimSize(1);
  if (std::optional<ArrayRef<char>> bytes = getWeightBytes(rhs)) {
    std::vector<float> values(depth * columns);
    std::memcpy(values.data(), bytes->data(), bytes->size());
    return values;
  }
  auto transpose = rhs.getDefiningOp<linalg::TransposeOp>();
  if (!transpose || transpose.getPermutation() != ArrayRef<int64_t>{1, 0})
    return std::nullopt;
  std::optional<ArrayRef<char>> bytes = getWeightBytes(transpose.getInput());
  if (!bytes)
    return std::nullopt;
  std::vector<float> weight(depth * columns), values(depth * columns);
  std::memcpy(weight.data(), bytes->data(), bytes->size());
  for (int64_t n = 0; n < columns; ++n)
    for (int64_t k = 0; k < depth; ++k)
      values[k * columns + n] = weight[n * depth + k];
  return values;
}

/// Whether `matmul` is a static f32 `linalg.matmul` (no transposed maps)
/// whose N leaves a partial register tile that zero columns can fill.
bool isNarrowConstantMatmul(linalg::MatmulOp matmul, int64_t width) {
  if (!matmul.hasPureTensorSemantics() || matmul.hasDynamicShape() ||
      matmul.getIndexingMapsArray() !=
          linalg::MatmulOp::getDefaultIndexingMaps(matmul.getContext()))
    return false;
  auto outType = cast<RankedTensorType>(matmul.getResultTypes()[0]);
  if (!llvm::all_of(matmul->getOperandTypes(), [](Type type) {
        return getElementTypeOrSelf(type).isF32();
      }))
    return false;
  int64_t columns = outType.getDimSize(1);
  std::optional<int64_t> computed =
      getComputedChannels(columns, width, /*constantWeight=*/true);
  return computed && *computed != columns;
}

/// Replaces `matmul` (C = init + A * B, B a constant [K, N]) by the product
/// with B padded to the next multiple of the register tile with zero
/// columns, computed from a zero init; the original init is added to the
/// first N columns of it. The padded B is packed at compile time like any
/// constant (tessera-pack-contraction-operands): the 1000-class Gemms of
/// ResNet and MobileNetV2 (M = 1) read their 2-8 MB of weights as one
/// contiguous stream instead of rows 4000 bytes apart in 8-wide vectors.
LogicalResult padMatmulColumns(RewriterBase &rewriter,
                               linalg::MatmulOp matmul, int64_t width) {
  std::optional<std::vector<float>> rhs = getConstantRhs(matmul);
  if (!rhs)
    return failure();
  Location loc = matmul.getLoc();
  MLIRContext *context = rewriter.getContext();
  auto outType = cast<RankedTensorType>(matmul.getResultTypes()[0]);
  int64_t rows = outType.getDimSize(0), columns = outType.getDimSize(1);
  int64_t depth =
      cast<RankedTensorType>(matmul.getDpsInputs()[0].getType()).getDimSize(1);
  int64_t padded = *getComputedChannels(columns, width, true);

  std::vector<float> data(depth * padded, 0.0f);
  for (int64_t k = 0; k < depth; ++k)
    std::memcpy(&data[k * padded], &(*rhs)[k * columns],
                columns * sizeof(float));
  auto rhsType = RankedTensorType::get({depth, padded}, rewriter.getF32Type());
  ArrayRef<char> raw(reinterpret_cast<const char *>(data.data()),
                     data.size() * sizeof(float));
  rewriter.setInsertionPoint(matmul);
  Value paddedRhs = arith::ConstantOp::create(
      rewriter, loc, rhsType,
      DenseResourceElementsAttr::get(
          rhsType, "padded",
          HeapAsmResourceBlob::allocateAndCopyWithAlign(raw, alignof(float))));

  Type f32 = rewriter.getF32Type();
  Value zero =
      arith::ConstantOp::create(rewriter, loc, f32, rewriter.getZeroAttr(f32));
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, ArrayRef<int64_t>{rows, padded}, f32);
  Value init = linalg::FillOp::create(rewriter, loc, zero, empty).result();
  auto product = linalg::MatmulOp::create(
      rewriter, loc, TypeRange{init.getType()},
      ValueRange{matmul.getDpsInputs()[0], paddedRhs}, ValueRange{init});
  product->setDiscardableAttrs(matmul->getDiscardableAttrDictionary());
  Value real = tensor::ExtractSliceOp::create(
      rewriter, loc, product.getResult(0),
      getAsIndexOpFoldResult(context, {0, 0}),
      getAsIndexOpFoldResult(context, {rows, columns}),
      getAsIndexOpFoldResult(context, {1, 1}));

  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, context);
  SmallVector<utils::IteratorType> iterators(2, utils::IteratorType::parallel);
  auto sum = linalg::GenericOp::create(
      rewriter, loc, TypeRange{outType}, ValueRange{real},
      ValueRange{matmul.getDpsInits()[0]},
      SmallVector<AffineMap>{identity, identity}, iterators,
      [](OpBuilder &b, Location nestedLoc, ValueRange args) {
        Value value = arith::AddFOp::create(b, nestedLoc, args[0], args[1]);
        linalg::YieldOp::create(b, nestedLoc, value);
      });
  // The node name goes to both ops, a user's tile config only to the
  // product.
  for (NamedAttribute attr : matmul->getDiscardableAttrs())
    if (attr.getName() != kTileConfigAttrName)
      sum->setAttr(attr.getName(), attr.getValue());
  Operation *oldRhs = matmul.getDpsInputs()[1].getDefiningOp();
  rewriter.replaceOp(matmul, sum->getResults());
  // The unpadded transpose of the weight is dead now.
  if (isa_and_nonnull<linalg::TransposeOp>(oldRhs) && oldRhs->use_empty())
    rewriter.eraseOp(oldRhs);
  return success();
}

struct TransposeNarrowContractionsPass
    : tessera::cpu::impl::TransposeNarrowContractionsBase<
          TransposeNarrowContractionsPass> {
  using TransposeNarrowContractionsBase::TransposeNarrowContractionsBase;

  void runOnOperation() override {
    SmallVector<linalg::GenericOp> candidates;
    getOperation().walk([&](linalg::GenericOp op) {
      if (!isConvContraction(op))
        return;
      auto outType = cast<RankedTensorType>(op.getResultTypes()[0]);
      auto weightType = cast<RankedTensorType>(op.getDpsInputs()[0].getType());
      bool constantWeight = getWeightBytes(op.getDpsInputs()[0]).has_value();
      if (prefersChannels(outType.getDimSize(1), outType.getDimSize(2),
                          weightType.getDimSize(1), vectorWidth,
                          constantWeight))
        candidates.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : candidates)
      transposeContraction(rewriter, op, vectorWidth);

    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) {
      if (isNarrowConstantMatmul(op, vectorWidth))
        matmuls.push_back(op);
    });
    for (linalg::MatmulOp op : matmuls)
      (void)padMatmulColumns(rewriter, op, vectorWidth);
  }
};

} // namespace
