//===- MapLinalgToGPU.cpp - One gpu.launch per linalg op ------------------===//
//
// The simplest complete mapping of buffer-level linalg to GPU kernels: one
// invocation per point of an op's parallel iteration space, the reduction
// loops sequential inside it. Every op the CPU path compiles (any indexing
// maps, any body) maps this way, which makes it the correctness baseline
// that specialised kernels (shared-memory tiled contractions) replace.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/Passes.h"

#include "lib/Target/GPU/ContractionKernel.h"
#include "lib/Target/GPU/TensorCoreKernel.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace tessera::gpu {
#define GEN_PASS_DEF_MAPLINALGTOGPU
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

/// Splits `linear` into indices of a row-major space of `sizes`.
SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value linear,
                               ArrayRef<int64_t> sizes) {
  SmallVector<Value> indices(sizes.size());
  for (int64_t i = static_cast<int64_t>(sizes.size()) - 1; i >= 0; --i) {
    Value size = arith::ConstantIndexOp::create(b, loc, sizes[i]);
    indices[i] = i == 0 ? linear : arith::RemUIOp::create(b, loc, linear, size);
    if (i > 0)
      linear = arith::DivUIOp::create(b, loc, linear, size);
  }
  return indices;
}

/// Kernel arguments are bare pointers: offsets and strides must be known.
bool hasStaticLayout(MemRefType type) {
  int64_t offset;
  SmallVector<int64_t> strides;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return !ShapedType::isDynamic(offset) &&
         llvm::none_of(strides, ShapedType::isDynamic);
}

/// The zero fill of `op`'s output right before `op`, when `op` is a
/// tensor-core product, which then starts from zero instead (it writes
/// every element of C): the fill's kernel and the product's reads of C
/// disappear.
linalg::FillOp zeroFillBefore(linalg::LinalgOp op) {
  auto fill = dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
  if (!fill || fill.getOutputs()[0] != op.getDpsInits()[0] ||
      !tessera::gpu::TensorCoreTiling::get(op) ||
      !matchPattern(fill.getInputs()[0], m_PosZeroFloat()))
    return nullptr;
  return fill;
}

struct MapLinalgToGPUPass
    : tessera::gpu::impl::MapLinalgToGPUBase<MapLinalgToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<mlir::gpu::LaunchOp>())
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      // Left for the product after it, which erases it.
      if (auto next = dyn_cast_or_null<linalg::LinalgOp>(op->getNextNode());
          next && isa<linalg::FillOp>(op) && zeroFillBefore(next))
        continue;
      // A tensor-core config (tessera-select-gpu-kernel, CUDA) is a request:
      // an op it does not fit is an error, not a silent fallback.
      if (std::optional<tessera::gpu::TensorCoreTiling> tensorCores =
              tessera::gpu::TensorCoreTiling::get(op)) {
        linalg::FillOp fill = zeroFillBefore(op);
        if (failed(tessera::gpu::mapContractionToTensorCores(
                op, *tensorCores, /*fromZero=*/static_cast<bool>(fill))))
          return signalPassFailure();
        if (fill)
          fill->erase();
        continue;
      }
      if (tiledContractions && tessera::gpu::mapContractionToTiledKernel(op))
        continue;
      if (failed(mapToLaunch(op)))
        return signalPassFailure();
    }
  }

  LogicalResult mapToLaunch(linalg::LinalgOp op) {
    if (!op.hasPureBufferSemantics())
      return op.emitError("expected a linalg op on buffers");
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (llvm::any_of(ranges, ShapedType::isDynamic))
      return op.emitError("GPU kernels need static shapes");
    for (Value operand : op->getOperands()) {
      auto type = dyn_cast<MemRefType>(operand.getType());
      if (type && !hasStaticLayout(type))
        return op.emitError("GPU kernels need buffers with static strides and "
                            "offsets; this op reads a view chosen at run time "
                            "(")
               << type << "): compile with --target=cpu";
    }
    auto tileable = cast<TilingInterface>(op.getOperation());

    SmallVector<int64_t> parallelSizes;
    int64_t points = 1;
    for (auto [range, type] :
         llvm::zip(ranges, op.getIteratorTypesArray())) {
      if (type != utils::IteratorType::parallel)
        continue;
      parallelSizes.push_back(range);
      points *= range;
    }
    if (points == 0) {
      op->erase();
      return success();
    }

    int64_t blocks = llvm::divideCeil(points, blockSize);
    int64_t gridX = std::min(blocks, static_cast<int64_t>(maxGridX));
    int64_t gridY = llvm::divideCeil(blocks, gridX);

    Location loc = op.getLoc();
    OpBuilder b(op);
    auto index = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    // The launch sizes, one constant per distinct value.
    llvm::SmallDenseMap<int64_t, Value> sizeConstants;
    auto size = [&](int64_t v) {
      Value &constant = sizeConstants[v];
      if (!constant)
        constant = index(v);
      return constant;
    };
    Value one = size(1);
    auto launch = mlir::gpu::LaunchOp::create(
        b, loc, size(gridX), size(gridY), one, size(blockSize), one, one);

    b.setInsertionPointToStart(&launch.getBody().front());
    // linear = (block.y * gridX + block.x) * blockSize + thread.x
    Value block = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, launch.getBlockIds().y, index(gridX)),
        launch.getBlockIds().x);
    Value linear = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, block, index(blockSize)),
        launch.getThreadIds().x);
    Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          linear, index(points));
    auto guard = scf::IfOp::create(b, loc, inRange, /*withElse=*/false);
    mlir::gpu::TerminatorOp::create(b, loc);

    b.setInsertionPointToStart(guard.thenBlock());
    SmallVector<Value> point = delinearize(b, loc, linear, parallelSizes);
    SmallVector<OpFoldResult> offsets, sizes;
    unsigned next = 0;
    for (auto [range, type] :
         llvm::zip(ranges, op.getIteratorTypesArray())) {
      if (type == utils::IteratorType::parallel) {
        offsets.push_back(point[next++]);
        sizes.push_back(b.getIndexAttr(1));
      } else {
        offsets.push_back(b.getIndexAttr(0));
        sizes.push_back(b.getIndexAttr(range));
      }
    }
    FailureOr<TilingResult> tiled =
        tileable.getTiledImplementation(b, offsets, sizes);
    if (failed(tiled))
      return op.emitError("cannot tile this op to one point per invocation");
    op->erase();
    return success();
  }
};

} // namespace
