//===- ParallelizeCopies.cpp - Large copies as parallel loops -------------===//
//
// After bufferization, a Concat (tensor.insert_slice), the interior of a pad
// and any copy bufferization had to make are memref.copy ops in the model
// function: serial code, which tessera-copies-to-linalg and
// convert-linalg-to-loops turn into a scalar loop nest when the buffers are
// strided. This pass splits each large static copy along its outermost
// dimension that allows several tiles into an scf.parallel loop of copies
// of subviews, so that tessera-outline-parallel-loops runs the pieces on the
// thread pool like the tiles of any other op. Copies of a view onto an
// identical view (in-place slices, e.g. the border fills of
// tessera-decompose-pads, which bufferization copies onto themselves when
// no CSE ran in between) are dropped.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_PARALLELIZECOPIES
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// Pieces per copy, where the dimension allows: enough for the thread pool
/// to balance, few enough that each piece is a long run of memory.
constexpr int64_t kPieces = 8;

/// The outermost dimension of `shape` with more than one element and the
/// largest divisor of its extent that gives at least kPieces pieces (1 when
/// none but 1 does), or std::nullopt for a shape of single elements.
std::optional<std::pair<unsigned, int64_t>>
choosePieces(ArrayRef<int64_t> shape) {
  for (unsigned dim = 0; dim < shape.size(); ++dim) {
    if (shape[dim] <= 1)
      continue;
    int64_t tile = std::max<int64_t>(1, shape[dim] / kPieces);
    while (shape[dim] % tile != 0)
      --tile;
    return std::make_pair(dim, tile);
  }
  return std::nullopt;
}

/// Rewrites `copy` into scf.parallel over pieces of dimension `dim`, each a
/// memref.copy of `tile` slices of the source into the same slices of the
/// target.
void splitCopy(memref::CopyOp copy, unsigned dim, int64_t tile) {
  OpBuilder builder(copy);
  Location loc = copy.getLoc();
  auto type = cast<MemRefType>(copy.getSource().getType());
  int64_t rank = type.getRank();
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value upper =
      arith::ConstantIndexOp::create(builder, loc, type.getDimSize(dim));
  Value step = arith::ConstantIndexOp::create(builder, loc, tile);
  auto loop = scf::ParallelOp::create(builder, loc, ValueRange{zero},
                                      ValueRange{upper}, ValueRange{step});
  builder.setInsertionPointToStart(loop.getBody());
  SmallVector<OpFoldResult> offsets(rank, builder.getIndexAttr(0));
  offsets[dim] = loop.getInductionVars()[0];
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank; ++d)
    sizes.push_back(builder.getIndexAttr(d == dim ? tile : type.getDimSize(d)));
  SmallVector<OpFoldResult> strides(rank, builder.getIndexAttr(1));
  Value source = memref::SubViewOp::create(builder, loc, copy.getSource(),
                                           offsets, sizes, strides);
  Value target = memref::SubViewOp::create(builder, loc, copy.getTarget(),
                                           offsets, sizes, strides);
  memref::CopyOp::create(builder, loc, source, target);
  copy->erase();
}

/// True if `source` and `target` are the same memory: the same value or
/// subviews of the same value with the same offsets, sizes and strides.
bool isSameView(Value source, Value target) {
  if (source == target)
    return true;
  auto a = source.getDefiningOp<memref::SubViewOp>();
  auto b = target.getDefiningOp<memref::SubViewOp>();
  return a && b && a.getSource() == b.getSource() &&
         a.getMixedOffsets() == b.getMixedOffsets() &&
         a.getMixedSizes() == b.getMixedSizes() &&
         a.getMixedStrides() == b.getMixedStrides();
}

struct ParallelizeCopiesPass
    : tessera::cpu::impl::ParallelizeCopiesBase<ParallelizeCopiesPass> {
  using ParallelizeCopiesBase::ParallelizeCopiesBase;

  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    for (Operation &op : getOperation().getBody().getOps())
      if (auto copy = dyn_cast<memref::CopyOp>(&op))
        copies.push_back(copy);
    for (memref::CopyOp copy : copies) {
      if (isSameView(copy.getSource(), copy.getTarget())) {
        copy->erase();
        continue;
      }
      auto sourceType = dyn_cast<MemRefType>(copy.getSource().getType());
      auto targetType = dyn_cast<MemRefType>(copy.getTarget().getType());
      if (!sourceType || !targetType || !sourceType.hasStaticShape() ||
          sourceType.getShape() != targetType.getShape() ||
          sourceType.getNumElements() < minElements)
        continue;
      if (std::optional<std::pair<unsigned, int64_t>> pieces =
              choosePieces(sourceType.getShape()))
        splitCopy(copy, pieces->first, pieces->second);
    }
  }
};

} // namespace
