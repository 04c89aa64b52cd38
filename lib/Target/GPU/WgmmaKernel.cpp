//===- WgmmaKernel.cpp - Hopper warpgroup tensor-core contractions --------===//
//
// Kernel for C[b, m, n] += A[b, m, k] * B[b, k, n] with f16 or bf16 operands
// and f32 accumulation on sm_90a's warpgroup MMA (`wgmma.mma_async`), which
// reads both operands straight from shared memory through 64-bit matrix
// descriptors instead of through registers as mma.sync does:
//
//   block (x: N tile, y: M tile, z: batch) of BM/64 warpgroups (128 threads
//   each); warpgroup w owns rows 64w .. 64w+63 and all BN columns of the
//   block's output tile: acc = one wgmma.m64n{BN}k16 accumulator, BN/2 f32
//   per thread, initialised from C (zero when the zero fill of C before the
//   product was dropped)
//   tiles 0 .. S-2 in flight (cp.async, one group per tile)
//   for k0 in 0 .. K step 64 (tile i in stage i % S):
//     issue tile i + S - 1 into stage (i - 1) % S
//     wgmma.fence; acc = 4 x wgmma(A desc, B desc, acc) (k16 steps)
//     wgmma.commit_group; wgmma.wait_group 0
//     cp.async.wait_group S - 2 (tile i + 1 landed); fence.proxy.async
//     barrier
// With `wgmma_overlap` one batch of wgmma stays in flight across the
// barrier (wgmma.wait_group 1, then 0 after the loop), so its stage is
// free one iteration later: S - 2 tiles are copied ahead instead, into
// stage (i - 2) % S, and the wait is for S - 3 pending groups.
//   C = acc (converted to C's type, inside the bounds)
//
// Shared memory holds each operand tile in the PTX ISA's canonical 128-byte
// swizzle layouts ("Shared Memory Matrix Layout", CUTLASS's
// Swizzle<3,4,3>): 1024-byte atoms of 8 rows of 128 bytes (64 16-bit
// elements) in which the 16-byte chunk c of row r lies at chunk c ^ (r % 8).
// An operand contiguous along k (K-major: A row-major, B of Gemm transB)
// has R (BM or BN) rows of its 64 k in R / 8 consecutive atoms: descriptor
// stride byte offset (SBO) 1024 between 8-row groups, a k16 step 32 bytes
// further inside the atom (the hardware swizzles the address it forms). An
// operand contiguous along its m or n (MN-major: the usual row-major B) has
// R / 64 blocks of 64 k rows of 64 m/n elements: leading byte offset (LBO)
// 8192 between the blocks of 64 columns, SBO 1024 between groups of 8 k
// rows, a k16 step 2048 bytes (two atoms); wgmma transposes it (layout
// "row" for B, "col" for A). Every thread copies 16-byte pieces to their
// swizzled places; the copies are the generic proxy and wgmma the async
// proxy, hence the proxy fence before the barrier that publishes a tile.
//
// Descriptor (PTX ISA "Matrix Descriptor Format"): bits 0-13 the shared
// address >> 4, 16-29 LBO >> 4, 32-45 SBO >> 4, 62-63 the swizzle mode (1:
// 128 bytes). The tiles start 1024-byte aligned (the dynamic shared memory
// is rounded up at run time), so the base-offset bits stay 0.
//
// The accumulator layout (PTX ISA "Register Fragments" of wgmma .m64nNk16,
// D): register i of a thread of warp q (of its warpgroup), lane l, holds
// D[16q + l/4 + 8((i/2) % 2)][8(i/4) + 2(l%4) + i%2].
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/TensorCoreKernel.h"

#include "lib/Target/GPU/ContractionKernel.h"
#include "lib/Target/GPU/ContractionKernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using tessera::gpu::ContractionLoops;
using tessera::gpu::isInnermost;
using tessera::gpu::operandElementType;
using tessera::gpu::TensorCoreTiling;

namespace {

constexpr int64_t kWarpgroupRows = 64;
constexpr int64_t kWarpgroupThreads = 128;
/// Bytes of one 16-byte piece (cp.async.cg, one swizzle chunk).
constexpr int64_t kChunkBytes = 16;
/// The 128-byte swizzle: rows of 128 bytes, atoms of 8 rows.
constexpr int64_t kRowBytes = 128;
constexpr int64_t kAtomBytes = 1024;
/// Elements of a 16-bit type per 128-byte row: the block's BK.
constexpr int64_t kRowElements = 64;
constexpr int64_t kMmaK = 16;

/// Why `operand`, whose contiguous dimension must be k or `rowLoop`, cannot
/// be copied in 16-byte pieces (8 elements), or "".
std::string whyNotCopyable(linalg::LinalgOp op, OpOperand &operand,
                           int64_t rowLoop, int64_t kLoop, StringRef name) {
  bool kInner = isInnermost(op, operand, kLoop);
  if (!kInner && !isInnermost(op, operand, rowLoop))
    return llvm::formatv("{0} must be contiguous along k or along {1}", name,
                         name == "A" ? "m" : "n")
        .str();
  auto type = cast<MemRefType>(operand.get().getType());
  int64_t offset;
  SmallVector<int64_t> strides;
  if (failed(type.getStridesAndOffset(strides, offset)) || strides.empty() ||
      strides.back() != 1 || ShapedType::isDynamic(offset) || offset % 8 ||
      llvm::any_of(ArrayRef<int64_t>(strides).drop_back(),
                   [](int64_t s) { return ShapedType::isDynamic(s) || s % 8; }))
    return llvm::formatv("{0} must have static strides and offset that are "
                         "multiples of 8 elements (16-byte copies)",
                         name)
        .str();
  int64_t inner = op.getStaticLoopRanges()[kInner ? kLoop : rowLoop];
  if (inner % 8)
    return llvm::formatv("{0}'s contiguous extent {1} must be a multiple of 8 "
                         "(16-byte copies)",
                         name, inner)
        .str();
  return "";
}

/// Where one operand's tiles live and how wgmma reads them.
struct OperandTile {
  OpOperand *operand;
  /// m for A, n for B; R = BM or BN rows (the tile's extent along it).
  int64_t rowLoop, rows;
  bool kInner;
  /// Bytes of one stage's tile and the first stage's offset in the
  /// (1024-byte aligned) tile memory.
  int64_t stageBytes, offset;

  int64_t pieces() const { return rows * kRowElements * 2 / kChunkBytes; }
  /// Bytes from one k16 step to the next, and from a warpgroup's 64 rows
  /// to the next's (A only).
  int64_t kStepBytes() const { return kInner ? kMmaK * 2 : kMmaK * kRowBytes; }
  int64_t rowBlockBytes() const { return kWarpgroupRows * kRowBytes; }
  /// The descriptor's constant bits: LBO, SBO, 128-byte swizzle.
  uint64_t descriptorBits() const {
    uint64_t lbo = kInner ? 1 : rowBlockBytes() >> 4;
    uint64_t sbo = kAtomBytes >> 4;
    return (lbo << 16) | (sbo << 32) | (uint64_t(1) << 62);
  }
};

class WgmmaKernelBuilder : tessera::gpu::ContractionKernelBuilder {
public:
  WgmmaKernelBuilder(OpBuilder &b, Location loc, linalg::LinalgOp op,
                     const ContractionLoops &loops, const TensorCoreTiling &t,
                     bool fromZero)
      : ContractionKernelBuilder(b, loc, op, loops), t(t), fromZero(fromZero),
        elementType(operandElementType(op, 0)) {}

  void build(mlir::gpu::LaunchOp launch, Value rawShared, const OperandTile &a,
             const OperandTile &bTile);

private:
  Value i64(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
  }

  void copyTile(const OperandTile &tile, Value row0, Value k0, Value stage,
                SmallVectorImpl<Value> &tokens);
  Value issueTiles(Value k0, Value stage);
  Value descriptor(const OperandTile &tile, Value stage, int64_t extraBytes);
  Value outputRow(int64_t i);
  Value outputColumn(int64_t i);
  Value loadAccumulators();
  void storeAccumulators(Value acc);

  TensorCoreTiling t;
  /// Whether the product starts from zero (its zero fill of C dropped).
  bool fromZero;
  Type elementType;
  const OperandTile *aTile = nullptr, *bTile = nullptr;
  /// The tiles as 16-bit elements (from the aligned start), and that
  /// start's shared-window address as i64.
  Value tiles, tilesAddress;
  Value tid, m0, n0;
  /// This thread's warpgroup, warp in it, lane / 4 and lane % 4.
  Value warpgroup, warp, laneGroup, laneInGroup;
  /// The accumulator: an LLVM struct of BN / 2 f32, what wgmma takes.
  Type accType;
};

/// Issues cp.async copies of this thread's pieces of `tile` (A: rows m,
/// B: rows n) at (row0, k0) into `stage`, at their swizzled places. Pieces
/// outside the operand copy no bytes (zero fill) from a clamped address.
void WgmmaKernelBuilder::copyTile(const OperandTile &tile, Value row0, Value k0,
                                  Value stage, SmallVectorImpl<Value> &tokens) {
  int64_t perThread = tile.pieces() / t.numThreads();
  for (int64_t l = 0; l < perThread; ++l) {
    Value e = add(tid, l * t.numThreads());
    // (row, k) of the piece's first element in the tile and its byte
    // offset in the stage: row-major 128-byte rows of k (K-major) or
    // blocks of 64 rows/cols of 128-byte k rows (MN-major), the 16-byte
    // chunk index XORed with the 128-byte row's index mod 8.
    Value row, k, byteOffset;
    if (tile.kInner) {
      row = div(e, 8);
      Value chunk = rem(e, 8);
      k = mul(chunk, 8);
      Value swizzled = arith::XOrIOp::create(b, loc, chunk, rem(row, 8));
      byteOffset = add(mul(row, kRowBytes), mul(swizzled, kChunkBytes));
    } else {
      int64_t chunksPerK = tile.rows / 8;
      k = div(e, chunksPerK);
      Value p = rem(e, chunksPerK);
      row = mul(p, 8);
      Value swizzled = arith::XOrIOp::create(b, loc, rem(p, 8), rem(k, 8));
      byteOffset =
          add(add(mul(div(p, 8), tile.rowBlockBytes()), mul(k, kRowBytes)),
              mul(swizzled, kChunkBytes));
    }
    byteOffset = add(add(byteOffset, mul(stage, tile.stageBytes)), tile.offset);
    Value rowValue = add(row0, row), kValue = add(k0, k);
    auto [indices, inBounds] = pieceIndices(
        *tile.operand, tile.rowLoop, tile.rows, kRowElements,
        tile.kInner ? loops.k : tile.rowLoop, /*width=*/8, rowValue, kValue);
    Value sourceElements;
    if (inBounds)
      sourceElements =
          arith::SelectOp::create(b, loc, inBounds, index(8), index(0));
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), tiles,
        ValueRange{div(byteOffset, 2)}, tile.operand->get(), indices,
        b.getIndexAttr(8), sourceElements, /*bypassL1=*/b.getUnitAttr()));
  }
}

/// Issues both tiles at k0 into `stage` as one cp.async group.
Value WgmmaKernelBuilder::issueTiles(Value k0, Value stage) {
  SmallVector<Value> tokens;
  copyTile(*aTile, m0, k0, stage, tokens);
  copyTile(*bTile, n0, k0, stage, tokens);
  return nvgpu::DeviceAsyncCreateGroupOp::create(
      b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), tokens);
}

/// The matrix descriptor of `tile`'s stage `stage`, `extraBytes` further.
/// Tiles stay below 2^18 bytes, so the address field cannot carry into the
/// LBO bits and adding is or-ing.
Value WgmmaKernelBuilder::descriptor(const OperandTile &tile, Value stage,
                                     int64_t extraBytes) {
  Value stageOffset = arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                                 mul(stage, tile.stageBytes));
  Value address = arith::AddIOp::create(
      b, loc, arith::AddIOp::create(b, loc, tilesAddress, stageOffset),
      i64(tile.offset + extraBytes));
  Value field = arith::ShRUIOp::create(b, loc, address, i64(4));
  return arith::OrIOp::create(b, loc, field,
                              i64(static_cast<int64_t>(tile.descriptorBits())));
}

/// Output coordinates of accumulator register i of this thread.
Value WgmmaKernelBuilder::outputRow(int64_t i) {
  Value row = add(mul(warpgroup, kWarpgroupRows), mul(warp, 16));
  return add(add(m0, row), add(laneGroup, 8 * ((i / 2) % 2)));
}
Value WgmmaKernelBuilder::outputColumn(int64_t i) {
  return add(n0, add(mul(laneInGroup, 2), 8 * (i / 4) + i % 2));
}

/// The accumulator: zero when the product starts from zero, else loaded
/// from C (zero outside it) as f32.
Value WgmmaKernelBuilder::loadAccumulators() {
  OpOperand &out = op.getDpsInitsMutable()[0];
  Type f32 = b.getF32Type();
  Value acc = LLVM::UndefOp::create(b, loc, accType);
  if (fromZero) {
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
    for (int64_t i = 0; i < t.blockN / 2; ++i)
      acc = LLVM::InsertValueOp::create(b, loc, acc, zero, i);
    return acc;
  }
  Value zero = arith::ConstantOp::create(
      b, loc,
      b.getZeroAttr(cast<MemRefType>(out.get().getType()).getElementType()));
  for (int64_t i = 0; i < t.blockN / 2; ++i) {
    Value m = outputRow(i), n = outputColumn(i);
    Value inBounds;
    if (needsCheck(loops.m, t.blockM))
      checkAndClamp(inBounds, loops.m, m);
    if (needsCheck(loops.n, t.blockN))
      checkAndClamp(inBounds, loops.n, n);
    Value c = memref::LoadOp::create(b, loc, out.get(),
                                     indicesOf(out, batch, m, n, Value()));
    if (inBounds)
      c = arith::SelectOp::create(b, loc, inBounds, c, zero);
    if (c.getType() != f32)
      c = arith::ExtFOp::create(b, loc, f32, c);
    acc = LLVM::InsertValueOp::create(b, loc, acc, c, i);
  }
  return acc;
}

/// Stores the accumulator into C, converted to its type, inside its bounds.
void WgmmaKernelBuilder::storeAccumulators(Value acc) {
  OpOperand &out = op.getDpsInitsMutable()[0];
  Type outType = cast<MemRefType>(out.get().getType()).getElementType();
  for (int64_t i = 0; i < t.blockN / 2; ++i) {
    Value m = outputRow(i), n = outputColumn(i);
    Value value = LLVM::ExtractValueOp::create(b, loc, acc, i);
    if (outType != b.getF32Type())
      value = arith::TruncFOp::create(b, loc, outType, value);
    OpBuilder::InsertionGuard guard(b);
    if (Value ok = outputInBounds(m, n, t.blockM, t.blockN)) {
      auto ifOp = scf::IfOp::create(b, loc, ok, /*withElse=*/false);
      b.setInsertionPointToStart(ifOp.thenBlock());
    }
    memref::StoreOp::create(b, loc, value, out.get(),
                            indicesOf(out, batch, m, n, Value()));
  }
}

void WgmmaKernelBuilder::build(mlir::gpu::LaunchOp launch, Value rawShared,
                               const OperandTile &a,
                               const OperandTile &bOperand) {
  aTile = &a;
  bTile = &bOperand;
  auto ids = launch.getBlockIds();
  tid = launch.getThreadIds().x;
  batch = ids.z;
  m0 = mul(ids.y, t.blockM);
  n0 = mul(ids.x, t.blockN);
  warpgroup = div(tid, kWarpgroupThreads);
  warp = rem(div(tid, 32), 4);
  Value lane = rem(tid, 32);
  laneGroup = div(lane, 4);
  laneInGroup = rem(lane, 4);
  Type f32 = b.getF32Type();
  accType = LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(t.blockN / 2, f32));

  // The tiles from the first 1024-byte boundary of the dynamic shared
  // memory (the launch asks for 1024 bytes more), as 16-bit elements.
  Value rawAddress = arith::IndexCastOp::create(
      b, loc, b.getI64Type(),
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, rawShared));
  Value padding = arith::AndIOp::create(
      b, loc, arith::SubIOp::create(b, loc, i64(0), rawAddress),
      i64(kAtomBytes - 1));
  tilesAddress = arith::AddIOp::create(b, loc, rawAddress, padding);
  int64_t tileBytes = (a.stageBytes + bOperand.stageBytes) * t.stages;
  auto space = cast<MemRefType>(rawShared.getType()).getMemorySpace();
  Value bytes = memref::ViewOp::create(
      b, loc,
      MemRefType::get({tileBytes}, b.getI8Type(), MemRefLayoutAttrInterface(),
                      space),
      rawShared, arith::IndexCastOp::create(b, loc, b.getIndexType(), padding),
      ValueRange{});
  // memref.view needs an identity-layout i8 source: view the i8 bytes as
  // 16-bit elements with a second view at offset 0.
  tiles = memref::ViewOp::create(b, loc,
                                 MemRefType::get({tileBytes / 2}, elementType,
                                                 MemRefLayoutAttrInterface(),
                                                 space),
                                 bytes, index(0), ValueRange{});

  Value init = loadAccumulators();
  int64_t lastTile =
      (llvm::divideCeil(ranges[loops.k], kRowElements) - 1) * kRowElements;
  // Tiles copied ahead of the one multiplied: S - 1, or S - 2 when a
  // batch of wgmma stays in flight (its stage is not free until the next
  // iteration's barrier).
  int64_t ahead = t.stages - (t.wgmmaOverlap ? 2 : 1);
  auto waitAndSync = [&](Value group) {
    nvgpu::DeviceAsyncWaitOp::create(b, loc, group,
                                     b.getI32IntegerAttr(ahead - 1));
    // The copies wrote through the generic proxy; wgmma reads through the
    // async proxy.
    NVVM::FenceProxyOp::create(
        b, loc, NVVM::ProxyKind::async_shared,
        NVVM::SharedSpaceAttr::get(b.getContext(),
                                   NVVM::SharedSpace::shared_cta));
    mlir::gpu::BarrierOp::create(b, loc);
  };
  Value group;
  for (int64_t s = 0; s < ahead; ++s)
    group = issueTiles(index(std::min(s * kRowElements, lastTile)), index(s));
  waitAndSync(group);

  auto wgmmaType =
      elementType.isBF16() ? NVVM::WGMMATypes::bf16 : NVVM::WGMMATypes::f16;
  auto kLoop = scf::ForOp::create(b, loc, index(0), index(ranges[loops.k]),
                                  index(kRowElements), ValueRange{init});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value k0 = kLoop.getInductionVar();
    Value tileIndex = div(k0, kRowElements);
    Value readStage = rem(tileIndex, t.stages);
    // The stage iteration i - 1 (overlap: i - 2) read: every warpgroup
    // waited for those wgmma and passed a barrier since.
    Value aheadK = arith::MinUIOp::create(b, loc, add(k0, ahead * kRowElements),
                                          index(lastTile));
    Value next = issueTiles(aheadK, rem(add(tileIndex, ahead), t.stages));
    Value acc = kLoop.getRegionIterArgs()[0];
    NVVM::WgmmaFenceAlignedOp::create(b, loc);
    // This warpgroup's 64 rows of A: the next 64-row block of either
    // layout (K-major: 8 atoms; MN-major: the next block of 64 columns).
    Value aRows = mul(warpgroup, a.rowBlockBytes());
    Value aRowsI64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), aRows);
    for (int64_t kk = 0; kk < kRowElements / kMmaK; ++kk) {
      Value descA = arith::AddIOp::create(
          b, loc, descriptor(a, readStage, kk * a.kStepBytes()),
          arith::ShRUIOp::create(b, loc, aRowsI64, i64(4)));
      Value descB = descriptor(bOperand, readStage, kk * bOperand.kStepBytes());
      acc = NVVM::WgmmaMmaAsyncOp::create(
          b, loc, accType, acc, descA, descB,
          NVVM::MMAShapeAttr::get(b.getContext(), kWarpgroupRows, t.blockN,
                                  kMmaK),
          wgmmaType, wgmmaType, NVVM::WGMMATypes::f32, NVVM::WGMMAScaleOut::one,
          NVVM::WGMMAScaleIn::one, NVVM::WGMMAScaleIn::one,
          a.kInner ? NVVM::MMALayout::row : NVVM::MMALayout::col,
          bOperand.kInner ? NVVM::MMALayout::col : NVVM::MMALayout::row,
          /*satfinite=*/nullptr);
    }
    NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
    NVVM::WgmmaWaitGroupSyncOp::create(b, loc, t.wgmmaOverlap ? 1 : 0);
    waitAndSync(next);
    scf::YieldOp::create(b, loc, acc);
  }
  if (t.wgmmaOverlap)
    NVVM::WgmmaWaitGroupSyncOp::create(b, loc, 0);
  // Nothing may still be writing shared memory when the block ends.
  nvgpu::DeviceAsyncWaitOp::create(b, loc, group, b.getI32IntegerAttr(0));
  storeAccumulators(kLoop.getResult(0));
}

} // namespace

std::string tessera::gpu::whyNotWgmma(linalg::LinalgOp op) {
  std::optional<ContractionLoops> loops =
      matchContraction(op, /*oneSidedBatch=*/true);
  if (!loops)
    return "not a matrix product";
  Type type = operandElementType(op, 0);
  if (!type.isF16() && !type.isBF16())
    return "wgmma kernels need f16 or bf16 operands";
  if (std::string why =
          whyNotCopyable(op, op->getOpOperand(0), loops->m, loops->k, "A");
      !why.empty())
    return why;
  return whyNotCopyable(op, op->getOpOperand(1), loops->n, loops->k, "B");
}

LogicalResult tessera::gpu::mapContractionToWgmma(linalg::LinalgOp op,
                                                  const TensorCoreTiling &t,
                                                  bool fromZero) {
  assert(t.wgmma && "not a wgmma tiling");
  if (std::string why = whyNotWgmma(op); !why.empty())
    return op.emitError("invalid tensor-core tile config: mma = \"wgmma\": ")
           << why;
  std::optional<ContractionLoops> loops =
      matchContraction(op, /*oneSidedBatch=*/true);
  Type type = operandElementType(op, 0);
  OperandTile a{&op->getOpOperand(0),
                loops->m,
                t.blockM,
                isInnermost(op, op->getOpOperand(0), loops->k),
                t.blockM * kRowBytes,
                0};
  OperandTile bTile{&op->getOpOperand(1),
                    loops->n,
                    t.blockN,
                    isInnermost(op, op->getOpOperand(1), loops->k),
                    t.blockN * kRowBytes,
                    a.stageBytes * t.stages};
  int64_t shared = (a.stageBytes + bTile.stageBytes) * t.stages + kAtomBytes;
  // Unused (no workgroup attributions with dynamic shared memory).
  MemRefType unused = tessera::gpu::workgroupBufferType({1}, type);
  tessera::gpu::createContractionLaunch(
      op, *loops, t.blockM, t.blockN, t.numThreads(), unused, unused,
      [&](OpBuilder &b, mlir::gpu::LaunchOp launch) {
        auto space = mlir::gpu::AddressSpaceAttr::get(
            b.getContext(), mlir::gpu::AddressSpace::Workgroup);
        Value raw = mlir::gpu::DynamicSharedMemoryOp::create(
            b, op.getLoc(),
            MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                            MemRefLayoutAttrInterface(), space));
        WgmmaKernelBuilder(b, op.getLoc(), op, *loops, t, fromZero)
            .build(launch, raw, a, bTile);
      },
      shared);
  return success();
}
