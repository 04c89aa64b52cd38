//===- ContractionKernel.cpp - Shared-memory tiled GPU contractions -------===//
//
// Kernel for C[b, m, n] += A[b, m, k] * B[b, k, n] (any operand layout, as
// linalg indexing maps):
//
//   block (x: N tile, y: M tile, z: batch), invocations t = 0 .. T-1
//   acc[TM][TN] = C tile of t                    (registers: loop values)
//   for k0 in 0 .. K step BK:
//     As[BM][BK] = A[m0.., k0..], Bs[BK][BN] = B[k0.., n0..]   (all of the
//       block's invocations load, zero outside the operands)
//     barrier
//     for kk in 0 .. BK:  acc[i][j] += As[tm + i][kk] * Bs[kk][tn + j]
//     barrier
//   C tile of t = acc                             (inside the bounds)
//
// Zero padding is exact for a multiply-add body. Workgroup memory and
// barriers are gpu dialect ops, so the same kernel lowers to NVVM and SPIR-V.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/ContractionKernel.h"

#include "lib/Target/GPU/ContractionKernelBuilder.h"

#include "lib/Target/CPU/MulAddContraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using tessera::gpu::ContractionLoops;
using tessera::gpu::ContractionTiling;
using tessera::gpu::operandElementType;

ContractionTiling ContractionTiling::get(linalg::LinalgOp op) {
  ContractionTiling tiling;
  auto attr = op->getAttrOfType<DictionaryAttr>(kGPUTileConfigAttrName);
  if (!attr)
    return tiling;
  auto block = attr.getAs<DenseI64ArrayAttr>("block");
  auto thread = attr.getAs<DenseI64ArrayAttr>("thread");
  if (block && block.size() == 3 && thread && thread.size() == 2) {
    tiling.blockM = block[0];
    tiling.blockN = block[1];
    tiling.blockK = block[2];
    tiling.threadM = thread[0];
    tiling.threadN = thread[1];
  }
  return tiling;
}

/// With `oneSidedBatch`: the loop of a second m (n) dimension, which only
/// A (B) and C index, made the batch loop, e.g. the image of a convolution
/// in im2col form, C[i, f, p] += W[f, k] * X[i, k, p]. The dimension the
/// operand indexes last (its contiguous one) stays the product's m (n).
static void moveOneSidedBatch(linalg::LinalgOp op,
                              linalg::ContractionDimensions &dims) {
  if (!dims.batch.empty() || dims.m.size() + dims.n.size() != 3)
    return;
  bool fromM = dims.m.size() == 2;
  SmallVector<unsigned, 2> &twoDims = fromM ? dims.m : dims.n;
  AffineMap map = op.getMatchingIndexingMap(&op->getOpOperand(fromM ? 0 : 1));
  auto position = [&](unsigned loop) {
    return *map.getResultPosition(getAffineDimExpr(loop, op.getContext()));
  };
  unsigned batch =
      position(twoDims[0]) < position(twoDims[1]) ? twoDims[0] : twoDims[1];
  dims.batch.push_back(batch);
  llvm::erase(twoDims, batch);
}

std::optional<tessera::gpu::ContractionLoops>
tessera::gpu::matchContraction(linalg::LinalgOp op, bool oneSidedBatch) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !tessera::cpu::isMulAddBody(op))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (succeeded(dims) && oneSidedBatch)
    moveOneSidedBatch(op, *dims);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1 || dims->batch.size() > 1)
    return std::nullopt;
  if (!llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
        return map.isProjectedPermutation();
      }))
    return std::nullopt;
  if (llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
    return std::nullopt;
  ContractionLoops loops;
  loops.batch =
      dims->batch.empty() ? -1 : static_cast<int64_t>(dims->batch[0]);
  loops.m = dims->m[0];
  loops.n = dims->n[0];
  loops.k = dims->k[0];
  return loops;
}

namespace {

/// Builds the kernel body; `b` is inside the gpu.launch.
class KernelBuilder : tessera::gpu::ContractionKernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc, linalg::LinalgOp op,
                const ContractionLoops &loops, const ContractionTiling &t)
      : ContractionKernelBuilder(b, loc, op, loops), t(t) {}

  /// Loads `operand` at the loop values `values`, or `zero` where the value
  /// of a loop of `checks` is out of range; reads stay in bounds by
  /// clamping.
  Value loadOrZero(OpOperand &operand, SmallVector<Value> values,
                   ArrayRef<int64_t> checks, Value zero) {
    Value inBounds;
    for (int64_t loop : checks)
      checkAndClamp(inBounds, loop, values[loop]);
    Value v = memref::LoadOp::create(b, loc, operand.get(),
                                     indicesOf(operand, values));
    return inBounds ? arith::SelectOp::create(b, loc, inBounds, v, zero) : v;
  }

  /// acc' = body(a, b, acc), with the op's own region.
  Value applyBody(Value lhs, Value rhs, Value acc) {
    IRMapping mapping;
    Block *body = op.getBlock();
    mapping.map(body->getArgument(0), lhs);
    mapping.map(body->getArgument(1), rhs);
    mapping.map(body->getArgument(2), acc);
    for (Operation &inner : body->without_terminator())
      b.clone(inner, mapping);
    return mapping.lookup(body->getTerminator()->getOperand(0));
  }

  void build(mlir::gpu::LaunchOp launch, Value aTile, Value bTile) {
    OpOperand &lhs = op->getOpOperand(0), &rhs = op->getOpOperand(1);
    OpOperand &out = op.getDpsInitsMutable()[0];
    Type accType = cast<MemRefType>(out.get().getType()).getElementType();
    Type aType = cast<MemRefType>(lhs.get().getType()).getElementType();
    Type bType = cast<MemRefType>(rhs.get().getType()).getElementType();
    auto ids = launch.getBlockIds();
    Value tid = launch.getThreadIds().x;
    batch = ids.z;
    Value m0 = arith::MulIOp::create(b, loc, ids.y, index(t.blockM));
    Value n0 = arith::MulIOp::create(b, loc, ids.x, index(t.blockN));
    int64_t threadsN = t.blockN / t.threadN;
    Value tm = arith::MulIOp::create(
        b, loc, arith::DivUIOp::create(b, loc, tid, index(threadsN)),
        index(t.threadM));
    Value tn = arith::MulIOp::create(
        b, loc, arith::RemUIOp::create(b, loc, tid, index(threadsN)),
        index(t.threadN));
    Value accZero = arith::ConstantOp::create(b, loc, b.getZeroAttr(accType));
    Value aZero = arith::ConstantOp::create(b, loc, b.getZeroAttr(aType));
    Value bZero = arith::ConstantOp::create(b, loc, b.getZeroAttr(bType));

    // Output coordinates of register tile element (i, j).
    auto outM = [&](int64_t i) {
      return arith::AddIOp::create(
          b, loc, m0, arith::AddIOp::create(b, loc, tm, index(i)));
    };
    auto outN = [&](int64_t j) {
      return arith::AddIOp::create(
          b, loc, n0, arith::AddIOp::create(b, loc, tn, index(j)));
    };
    SmallVector<Value> init;
    for (int64_t i = 0; i < t.threadM; ++i)
      for (int64_t j = 0; j < t.threadN; ++j) {
        Value m = outM(i), n = outN(j);
        init.push_back(loadOrZero(out, loopValues(batch, m, n, Value()),
                                  {loops.m, loops.n}, accZero));
      }

    int64_t numThreads = t.numThreads();
    auto kLoop = scf::ForOp::create(b, loc, index(0), index(ranges[loops.k]),
                                    index(t.blockK), init);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(kLoop.getBody());
      Value k0 = kLoop.getInductionVar();
      // Stage the A and B tiles: every invocation copies a strided share.
      for (int64_t l = 0; l * numThreads < t.blockM * t.blockK; ++l) {
        Value e = arith::AddIOp::create(b, loc, tid, index(l * numThreads));
        Value r = arith::DivUIOp::create(b, loc, e, index(t.blockK));
        Value c = arith::RemUIOp::create(b, loc, e, index(t.blockK));
        Value m = arith::AddIOp::create(b, loc, m0, r);
        Value k = arith::AddIOp::create(b, loc, k0, c);
        Value v = loadOrZero(lhs, loopValues(batch, m, Value(), k),
                             {loops.m, loops.k}, aZero);
        memref::StoreOp::create(b, loc, v, aTile, ValueRange{r, c});
      }
      for (int64_t l = 0; l * numThreads < t.blockK * t.blockN; ++l) {
        Value e = arith::AddIOp::create(b, loc, tid, index(l * numThreads));
        Value r = arith::DivUIOp::create(b, loc, e, index(t.blockN));
        Value c = arith::RemUIOp::create(b, loc, e, index(t.blockN));
        Value k = arith::AddIOp::create(b, loc, k0, r);
        Value n = arith::AddIOp::create(b, loc, n0, c);
        Value v = loadOrZero(rhs, loopValues(batch, Value(), n, k),
                             {loops.k, loops.n}, bZero);
        memref::StoreOp::create(b, loc, v, bTile, ValueRange{r, c});
      }
      mlir::gpu::BarrierOp::create(b, loc);

      auto kkLoop = scf::ForOp::create(b, loc, index(0), index(t.blockK),
                                       index(1), kLoop.getRegionIterArgs());
      {
        OpBuilder::InsertionGuard inner(b);
        b.setInsertionPointToStart(kkLoop.getBody());
        Value kk = kkLoop.getInductionVar();
        SmallVector<Value> as, bs, next;
        for (int64_t i = 0; i < t.threadM; ++i)
          as.push_back(memref::LoadOp::create(
              b, loc, aTile,
              ValueRange{arith::AddIOp::create(b, loc, tm, index(i)), kk}));
        for (int64_t j = 0; j < t.threadN; ++j)
          bs.push_back(memref::LoadOp::create(
              b, loc, bTile,
              ValueRange{kk, arith::AddIOp::create(b, loc, tn, index(j))}));
        for (int64_t i = 0; i < t.threadM; ++i)
          for (int64_t j = 0; j < t.threadN; ++j)
            next.push_back(applyBody(as[i], bs[j],
                                     kkLoop.getRegionIterArgs()[i * t.threadN + j]));
        scf::YieldOp::create(b, loc, next);
      }
      mlir::gpu::BarrierOp::create(b, loc);
      scf::YieldOp::create(b, loc, kkLoop.getResults());
    }

    for (int64_t i = 0; i < t.threadM; ++i)
      for (int64_t j = 0; j < t.threadN; ++j) {
        Value m = outM(i), n = outN(j);
        Value ok = arith::AndIOp::create(
            b, loc,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, m,
                                  index(ranges[loops.m])),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, n,
                                  index(ranges[loops.n])));
        auto guard = scf::IfOp::create(b, loc, ok, /*withElse=*/false);
        OpBuilder::InsertionGuard inner(b);
        b.setInsertionPointToStart(guard.thenBlock());
        memref::StoreOp::create(b, loc, kLoop.getResult(i * t.threadN + j),
                                out.get(),
                                indicesOf(out, batch, m, n, Value()));
      }
  }

private:
  ContractionTiling t;
};

} // namespace

bool tessera::gpu::mapContractionToTiledKernel(linalg::LinalgOp op) {
  std::optional<ContractionLoops> loops = matchContraction(op);
  if (!loops)
    return false;
  ContractionTiling t = ContractionTiling::get(op);
  if (t.blockM % t.threadM || t.blockN % t.threadN || t.numThreads() <= 0 ||
      t.numThreads() > 1024)
    return false;
  if (llvm::is_contained(op.getStaticLoopRanges(), 0))
    return false;

  tessera::gpu::createContractionLaunch(
      op, *loops, t.blockM, t.blockN, t.numThreads(),
      tessera::gpu::workgroupBufferType({t.blockM, t.blockK},
                                        operandElementType(op, 0)),
      tessera::gpu::workgroupBufferType({t.blockK, t.blockN},
                                        operandElementType(op, 1)),
      [&](OpBuilder &b, mlir::gpu::LaunchOp launch) {
        KernelBuilder builder(b, op.getLoc(), op, *loops, t);
        builder.build(launch, launch.getWorkgroupAttributions()[0],
                      launch.getWorkgroupAttributions()[1]);
      });
  return true;
}

MemRefType tessera::gpu::workgroupBufferType(ArrayRef<int64_t> shape,
                                             Type elementType) {
  MLIRContext *ctx = elementType.getContext();
  Attribute workgroup =
      IntegerAttr::get(IntegerType::get(ctx, 64), kWorkgroupMemorySpace);
  return MemRefType::get(shape, elementType, MemRefLayoutAttrInterface(),
                         workgroup);
}

void tessera::gpu::createContractionLaunch(
    linalg::LinalgOp op, const ContractionLoops &loops, int64_t blockM,
    int64_t blockN, int64_t numThreads, MemRefType aTile, MemRefType bTile,
    function_ref<void(OpBuilder &, mlir::gpu::LaunchOp)> buildBody,
    int64_t dynamicSharedBytes) {
  Location loc = op.getLoc();
  OpBuilder b(op);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t batches = loops.batch >= 0 ? ranges[loops.batch] : 1;
  // The launch sizes, one constant per distinct value.
  llvm::SmallDenseMap<int64_t, Value> sizeConstants;
  auto size = [&](int64_t v) {
    Value &constant = sizeConstants[v];
    if (!constant)
      constant = arith::ConstantIndexOp::create(b, loc, v);
    return constant;
  };
  Value one = size(1);
  auto launch = mlir::gpu::LaunchOp::create(
      b, loc, size(llvm::divideCeil(ranges[loops.n], blockN)),
      size(llvm::divideCeil(ranges[loops.m], blockM)), size(batches),
      size(numThreads), one, one,
      dynamicSharedBytes ? arith::ConstantIntOp::create(
                               b, loc, b.getI32Type(), dynamicSharedBytes)
                               .getResult()
                         : Value(),
      /*asyncTokenType=*/nullptr, /*asyncDependencies=*/ValueRange(),
      dynamicSharedBytes ? TypeRange{} : TypeRange{aTile, bTile});
  b.setInsertionPointToStart(&launch.getBody().front());
  buildBody(b, launch);
  mlir::gpu::TerminatorOp::create(b, loc);
  op->erase();
}
