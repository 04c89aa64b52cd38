//===- DataMovement.cpp - Lowering of reshapes, transpose and concat ------===//
//
// tg.reshape and tg.flatten become tensor.collapse_shape/expand_shape (one
// of them where a reassociation exists, else through a 1-D tensor),
// tg.dynamic_reshape also gets a run-time check of its shape operand
// (a failed check makes the run fail with an error naming the node),
// tg.transpose becomes linalg.transpose, and tg.concat inserts each input
// into a tensor.empty with tensor.insert_slice.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"
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

/// The ONNX node name in `loc` (a NameLoc, possibly fused), or "".
std::string nodeName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string name = nodeName(inner); !name.empty())
        return name;
  return "";
}

/// Declares the C function `name` in the module of `op` unless it exists.
void declareCFunction(OpBuilder &b, Location loc, Operation *op,
                      StringRef name, LLVM::LLVMFunctionType type) {
  auto module = op->getParentOfType<ModuleOp>();
  if (module.lookupSymbol(name))
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  LLVM::LLVMFuncOp::create(b, loc, name, type);
}

/// Emits `if (!ok) tessera_rt_set_error(message);`: the runtime fails the run
/// with `message` (see include/tessera-c/Artifact.h). The computation goes on
/// with the static shape, so nothing is accessed out of bounds.
void emitRuntimeCheck(OpBuilder &b, Location loc, Operation *op, Value ok,
                      StringRef message) {
  MLIRContext *ctx = b.getContext();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  declareCFunction(b, loc, op, "tessera_rt_set_error",
                   LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx),
                                               {ptrType}));
  auto module = op->getParentOfType<ModuleOp>();
  std::string name = "tessera_check_message";
  for (unsigned i = 0; module.lookupSymbol(name); ++i)
    name = "tessera_check_message_" + std::to_string(i);

  Value failed = arith::XOrIOp::create(
      b, loc, ok, arith::ConstantIntOp::create(b, loc, 1, 1));
  auto ifOp = scf::IfOp::create(b, loc, failed, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  std::string text = message.str();
  text.push_back('\0');
  Value str = LLVM::createGlobalString(loc, b, name, text,
                                       LLVM::Linkage::Private);
  LLVM::CallOp::create(b, loc, TypeRange{}, "tessera_rt_set_error",
                       ValueRange{str});
}

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
    if (std::string name = nodeName(loc); !name.empty())
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

} // namespace

void tessera::graph_to_linalg::populateDataMovementPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering<tg::ReshapeOp>, ReshapeLowering<tg::FlattenOp>,
               DynamicReshapeLowering, TransposeLowering, ConcatLowering>(
      patterns.getContext());
}
