//===- RuntimeCheck.cpp - Checks that fail a run with a message -----------===//
//
// emitRuntimeCheck, and the lowerings of the ops whose shape-like operands
// are only known at run time: tg.shape_check (the operand's elements are
// read with tensor.extract and the rule of the op's `kind` becomes scalar
// arith on them, all unrolled: shape operands are short) and
// tg.dynamic_slice and tg.dynamic_pad (ONNX's normalization of the operands
// at run time, checked against the static result shape, then a gathering
// generic).
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/RuntimeCheck.h"
#include "conversions/GraphToLinalg/Utils.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "tessera/Support/NodeName.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tessera::graph_to_linalg;
namespace tg = tessera::graph;

namespace {

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
void emitRuntimeCheckImpl(OpBuilder &b, Location loc, Operation *op, Value ok,
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

/// Scalar i64 arithmetic for the checks.
class CheckBuilder {
public:
  CheckBuilder(OpBuilder &b, Location loc, Value operand)
      : b(b), loc(loc), operand(operand) {}

  /// Element `i` of the operand, as i64.
  Value element(int64_t i) { return elementOf(operand, i); }
  /// Element `i` of the 1-D integer tensor `tensor`, as i64.
  Value elementOf(Value tensor, int64_t i) {
    Value index = arith::ConstantIndexOp::create(b, loc, i);
    Value v = tensor::ExtractOp::create(b, loc, tensor, ValueRange{index});
    if (v.getType().getIntOrFloatBitWidth() < 64)
      v = arith::ExtSIOp::create(b, loc, b.getI64Type(), v);
    return v;
  }
  Value constant(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
  }
  Value boolean(bool v) { return arith::ConstantIntOp::create(b, loc, v, 1); }
  Value cmp(arith::CmpIPredicate pred, Value lhs, Value rhs) {
    return arith::CmpIOp::create(b, loc, pred, lhs, rhs);
  }
  Value eq(Value lhs, int64_t rhs) {
    return cmp(arith::CmpIPredicate::eq, lhs, constant(rhs));
  }
  Value both(Value lhs, Value rhs) {
    return arith::AndIOp::create(b, loc, lhs, rhs);
  }
  Value either(Value lhs, Value rhs) {
    return arith::OrIOp::create(b, loc, lhs, rhs);
  }
  Value max(Value lhs, Value rhs) {
    return arith::MaxSIOp::create(b, loc, lhs, rhs);
  }
  Value min(Value lhs, Value rhs) {
    return arith::MinSIOp::create(b, loc, lhs, rhs);
  }
  Value clamp(Value v, int64_t lo, int64_t hi) {
    return min(max(v, constant(lo)), constant(hi));
  }
  Value select(Value cond, Value lhs, Value rhs) {
    return arith::SelectOp::create(b, loc, cond, lhs, rhs);
  }
  Value add(Value lhs, Value rhs) {
    return arith::AddIOp::create(b, loc, lhs, rhs);
  }
  Value sub(Value lhs, Value rhs) {
    return arith::SubIOp::create(b, loc, lhs, rhs);
  }
  Value toI64(Value flag) {
    return arith::ExtUIOp::create(b, loc, b.getI64Type(), flag);
  }
  /// `values[index]` for a run-time `index`; -1 when out of range.
  Value lookup(ArrayRef<int64_t> values, Value index) {
    Value result = constant(-1);
    for (auto [i, v] : llvm::enumerate(values))
      result = select(eq(index, i), constant(v), result);
    return result;
  }

  /// The operand's axes normalized against `rank`, and whether they are all
  /// in range and distinct.
  Value normalizedAxes(int64_t length, int64_t rank,
                       SmallVectorImpl<Value> &axes) {
    Value ok = boolean(true);
    for (int64_t i = 0; i < length; ++i) {
      Value axis = element(i);
      Value negative = cmp(arith::CmpIPredicate::slt, axis, constant(0));
      axis = select(negative, add(axis, constant(rank)), axis);
      ok = both(ok, cmp(arith::CmpIPredicate::sge, axis, constant(0)));
      ok = both(ok, cmp(arith::CmpIPredicate::slt, axis, constant(rank)));
      for (Value previous : axes)
        ok = both(ok, cmp(arith::CmpIPredicate::ne, axis, previous));
      axes.push_back(axis);
    }
    return ok;
  }

  /// Whether position `j` is one of `axes`, and how many axes precede it.
  std::pair<Value, Value> classify(ArrayRef<Value> axes, int64_t j) {
    Value isAxis = boolean(false), before = constant(0);
    for (Value axis : axes) {
      isAxis = either(isAxis, cmp(arith::CmpIPredicate::eq, axis, constant(j)));
      before = add(before,
                   toI64(cmp(arith::CmpIPredicate::slt, axis, constant(j))));
    }
    return {isAxis, before};
  }

private:
  OpBuilder &b;
  Location loc;
  Value operand;
};

/// Whether the operand, read at run time, satisfies the op's rule.
Value buildShapeCheck(CheckBuilder &cb, tg::ShapeCheckOp op) {
  ArrayRef<int64_t> in = op.getInputShape(), out = op.getResultShape();
  int64_t length = op.getOperand().getType().getDimSize(0);
  int64_t inRank = in.size(), outRank = out.size();
  StringRef kind = op.getKind();
  Value ok = cb.boolean(true);
  if (kind == "equals") {
    for (int64_t i = 0; i < length; ++i)
      ok = cb.both(ok, cb.eq(cb.element(i), out[i]));
  } else if (kind == "tile") {
    for (int64_t i = 0; i < length; ++i) {
      // repeats[i] * in[i] == out[i]; with in[i] == 0 any repeat gives 0.
      if (in[i] == 0)
        ok = cb.both(ok, cb.boolean(out[i] == 0));
      else if (out[i] % in[i] != 0)
        ok = cb.boolean(false);
      else
        ok = cb.both(ok, cb.eq(cb.element(i), out[i] / in[i]));
    }
  } else if (kind == "expand") {
    // Right-aligned numpy broadcasting of the input shape with the operand.
    for (int64_t j = 0; j < outRank; ++j) {
      int64_t a = j >= outRank - inRank ? in[j - (outRank - inRank)] : 1;
      Value b = j >= outRank - length ? cb.element(j - (outRank - length))
                                      : cb.constant(1);
      Value dimOk;
      if (a == out[j])
        dimOk = cb.either(cb.eq(b, out[j]), cb.eq(b, 1));
      else if (a == 1)
        dimOk = cb.eq(b, out[j]);
      else
        dimOk = cb.boolean(false);
      ok = cb.both(ok, dimOk);
    }
  } else if (kind == "unsqueeze") {
    SmallVector<Value> axes;
    ok = cb.normalizedAxes(length, outRank, axes);
    for (int64_t j = 0; j < outRank; ++j) {
      auto [isAxis, before] = cb.classify(axes, j);
      // Position j holds a new 1, or input dim j - (axes before j).
      Value inputIndex = cb.sub(cb.constant(j), before);
      Value kept = cb.eq(cb.lookup(in, inputIndex), out[j]);
      ok = cb.both(ok, cb.select(isAxis, cb.boolean(out[j] == 1), kept));
    }
  } else if (kind == "squeeze") {
    SmallVector<Value> axes;
    ok = cb.normalizedAxes(length, inRank, axes);
    for (int64_t j = 0; j < inRank; ++j) {
      auto [isAxis, before] = cb.classify(axes, j);
      Value outputIndex = cb.sub(cb.constant(j), before);
      Value kept = cb.eq(cb.lookup(out, outputIndex), in[j]);
      ok = cb.both(ok, cb.select(isAxis, cb.boolean(in[j] == 1), kept));
    }
  }
  return ok;
}

/// "tessera: node '<name>': <what>" for run-time check messages.
std::string checkMessage(Location loc, llvm::function_ref<void(llvm::raw_ostream &)> what) {
  std::string message;
  llvm::raw_string_ostream os(message);
  os << "tessera: node";
  if (std::string name = tessera::getNodeName(loc); !name.empty())
    os << " '" << name << "'";
  os << ": ";
  what(os);
  return message;
}

/// Lowers tg.dynamic_slice: per dimension, the start and step given by the
/// operands (normalized as ONNX Slice does) at run time, a check that they
/// select the result's extent, and a generic reading input[start + i*step]
/// with the index clamped into the input.
struct DynamicSliceLowering : OpConversionPattern<tg::DynamicSliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::DynamicSliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inType = op.getInput().getType();
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t rank = inType.getRank();
    int64_t length =
        cast<RankedTensorType>(op.getStarts().getType()).getDimSize(0);
    CheckBuilder cb(rewriter, loc, adaptor.getStarts());

    // Per-dimension operands: the defaults, overridden by the entries whose
    // (normalized) axis names the dimension.
    SmallVector<Value> start, end, step;
    for (int64_t d = 0; d < rank; ++d) {
      start.push_back(cb.constant(0));
      end.push_back(cb.constant(inType.getDimSize(d)));
      step.push_back(cb.constant(1));
    }
    Value ok = cb.boolean(true);
    SmallVector<Value> axes;
    for (int64_t k = 0; k < length; ++k) {
      Value axis = adaptor.getAxes() ? cb.elementOf(adaptor.getAxes(), k)
                                     : cb.constant(k);
      Value negative = cb.cmp(arith::CmpIPredicate::slt, axis, cb.constant(0));
      axis = cb.select(negative, cb.add(axis, cb.constant(rank)), axis);
      ok = cb.both(ok, cb.cmp(arith::CmpIPredicate::sge, axis, cb.constant(0)));
      ok = cb.both(ok,
                   cb.cmp(arith::CmpIPredicate::slt, axis, cb.constant(rank)));
      for (Value previous : axes)
        ok = cb.both(ok, cb.cmp(arith::CmpIPredicate::ne, axis, previous));
      axes.push_back(axis);
      Value s = cb.elementOf(adaptor.getStarts(), k);
      Value e = cb.elementOf(adaptor.getEnds(), k);
      Value st = adaptor.getSteps() ? cb.elementOf(adaptor.getSteps(), k)
                                    : cb.constant(1);
      for (int64_t d = 0; d < rank; ++d) {
        Value here = cb.eq(axis, d);
        start[d] = cb.select(here, s, start[d]);
        end[d] = cb.select(here, e, end[d]);
        step[d] = cb.select(here, st, step[d]);
      }
    }

    // ONNX Slice's normalization, then the number of selected elements.
    SmallVector<Value> startIndex, stepIndex;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t dim = inType.getDimSize(d);
      Value zeroStep = cb.eq(step[d], 0);
      ok = cb.both(ok, cb.cmp(arith::CmpIPredicate::ne, step[d], cb.constant(0)));
      Value st = cb.select(zeroStep, cb.constant(1), step[d]);
      Value forward = cb.cmp(arith::CmpIPredicate::sgt, st, cb.constant(0));
      auto fromEnd = [&](Value v) {
        Value negative = cb.cmp(arith::CmpIPredicate::slt, v, cb.constant(0));
        return cb.select(negative, cb.add(v, cb.constant(dim)), v);
      };
      Value s = fromEnd(start[d]), e = fromEnd(end[d]);
      s = cb.select(forward, cb.clamp(s, 0, dim), cb.clamp(s, 0, dim - 1));
      e = cb.select(forward, cb.clamp(e, 0, dim), cb.clamp(e, -1, dim - 1));
      Value span = cb.select(forward, cb.sub(e, s), cb.sub(s, e));
      Value stride = cb.select(forward, st, cb.sub(cb.constant(0), st));
      Value count = arith::CeilDivSIOp::create(
          rewriter, loc, cb.max(span, cb.constant(0)), stride);
      ok = cb.both(ok, cb.eq(count, outType.getDimSize(d)));
      Type indexType = rewriter.getIndexType();
      startIndex.push_back(
          arith::IndexCastOp::create(rewriter, loc, indexType, s));
      stepIndex.push_back(
          arith::IndexCastOp::create(rewriter, loc, indexType, st));
    }
    emitRuntimeCheckImpl(
        rewriter, loc, op, ok, checkMessage(loc, [&](llvm::raw_ostream &os) {
          os << "the run-time Slice inputs do not select the output shape ";
          llvm::interleave(outType.getShape(), os, "x");
          os << " that the model was compiled for (from its recorded output "
                "shape)";
        }));

    Value init = tensor::EmptyOp::create(rewriter, loc, outType.getShape(),
                                         outType.getElementType());
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value input = adaptor.getInput();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{outType}, ValueRange{}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            Value i = linalg::IndexOp::create(b, l, d);
            Value index = arith::AddIOp::create(
                b, l, startIndex[d], arith::MulIOp::create(b, l, i, stepIndex[d]));
            indices.push_back(clampIndex(b, l, index, inType.getDimSize(d)));
          }
          Value v = tensor::ExtractOp::create(b, l, input, indices);
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Lowers tg.dynamic_pad: a generic over the result that maps each index
/// back by the run-time begin pad, then reads the input (constant mode: the
/// value outside it; edge: the clamped index; reflect: the mirrored index),
/// after a run-time check that the pads give the result shape.
struct DynamicPadLowering : OpConversionPattern<tg::DynamicPadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::DynamicPadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inType = op.getInput().getType();
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t rank = inType.getRank();
    StringRef mode = op.getMode();
    CheckBuilder cb(rewriter, loc, adaptor.getPads());
    Value ok = cb.boolean(true);
    SmallVector<Value> begins;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t dim = inType.getDimSize(d);
      Value begin = cb.element(d), end = cb.element(rank + d);
      ok = cb.both(ok, cb.eq(cb.add(cb.add(begin, end), cb.constant(dim)),
                             outType.getDimSize(d)));
      if (mode == "reflect")
        for (Value pad : {begin, end}) {
          ok = cb.both(ok, cb.cmp(arith::CmpIPredicate::sge, pad, cb.constant(0)));
          ok = cb.both(ok, cb.cmp(arith::CmpIPredicate::slt, pad, cb.constant(dim)));
        }
      begins.push_back(arith::IndexCastOp::create(
          rewriter, loc, rewriter.getIndexType(), begin));
    }
    emitRuntimeCheckImpl(
        rewriter, loc, op, ok, checkMessage(loc, [&](llvm::raw_ostream &os) {
          os << "the run-time 'pads' input does not give the output shape ";
          llvm::interleave(outType.getShape(), os, "x");
          os << " that the model was compiled for (from its recorded output "
                "shape)";
          if (mode == "reflect")
            os << ", or a pad is not smaller than its dimension";
        }));

    Type elementType = outType.getElementType();
    Value padValue;
    if (adaptor.getValue()) {
      auto valueType = cast<RankedTensorType>(adaptor.getValue().getType());
      SmallVector<Value> zeros(
          valueType.getRank(), arith::ConstantIndexOp::create(rewriter, loc, 0));
      padValue = tensor::ExtractOp::create(rewriter, loc, adaptor.getValue(),
                                           zeros);
    } else {
      padValue = arith::ConstantOp::create(rewriter, loc, elementType,
                                           rewriter.getZeroAttr(elementType));
    }
    Value init = tensor::EmptyOp::create(rewriter, loc, outType.getShape(),
                                         elementType);
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value input = adaptor.getInput();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{outType}, ValueRange{}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange) {
          Value inside = arith::ConstantIntOp::create(b, l, 1, 1);
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t dim = inType.getDimSize(d);
            Value zero = arith::ConstantIndexOp::create(b, l, 0);
            Value last = arith::ConstantIndexOp::create(
                b, l, std::max<int64_t>(dim - 1, 0));
            Value src = arith::SubIOp::create(
                b, l, linalg::IndexOp::create(b, l, d), begins[d]);
            Value below = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::slt, src, zero);
            Value above = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::sgt, src, last);
            inside = arith::AndIOp::create(
                b, l, inside,
                arith::XOrIOp::create(
                    b, l, arith::OrIOp::create(b, l, below, above),
                    arith::ConstantIntOp::create(b, l, 1, 1)));
            if (mode == "reflect") {
              // -src below the start, 2*(dim-1) - src past the end.
              src = arith::SelectOp::create(
                  b, l, below, arith::SubIOp::create(b, l, zero, src), src);
              Value mirrored = arith::SubIOp::create(
                  b, l, arith::AddIOp::create(b, l, last, last), src);
              src = arith::SelectOp::create(b, l, above, mirrored, src);
            }
            indices.push_back(clampIndex(b, l, src, dim));
          }
          Value v = tensor::ExtractOp::create(b, l, input, indices);
          if (mode == "constant")
            v = arith::SelectOp::create(b, l, inside, v, padValue);
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Lowers tg.shape_check to the scalar check and erases it.
struct ShapeCheckLowering : OpConversionPattern<tg::ShapeCheckOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::ShapeCheckOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    CheckBuilder cb(rewriter, loc, adaptor.getOperand());
    Value ok = buildShapeCheck(cb, op);

    emitRuntimeCheckImpl(
        rewriter, loc, op, ok, checkMessage(loc, [&](llvm::raw_ostream &os) {
          os << "the run-time '" << op.getOperandName()
             << "' input does not give the output shape ";
          llvm::interleave(op.getResultShape(), os, "x");
          os << " that the model was compiled for (from its recorded output "
                "shape)";
        }));
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::emitRuntimeCheck(OpBuilder &b, Location loc,
                                                Operation *op, Value ok,
                                                StringRef message) {
  emitRuntimeCheckImpl(b, loc, op, ok, message);
}

void tessera::graph_to_linalg::populateRuntimeShapePatterns(
    RewritePatternSet &patterns) {
  patterns.add<ShapeCheckLowering, DynamicSliceLowering, DynamicPadLowering>(patterns.getContext());
}
