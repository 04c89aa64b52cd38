//===- TensorCoreKernel.cpp - Warp-level tensor-core contractions ---------===//
//
// Kernel for C[b, m, n] += A[b, m, k] * B[b, k, n] (any operand layout) on
// tensor cores, with mma.sync.aligned.m16n8k16 (f16, bf16) or m16n8k8 (TF32):
//
//   block (x: N tile, y: M tile, z: batch), W = WM x WN warps
//   warp w owns rows wRow .. wRow + BM/WM and columns wCol .. wCol + BN/WN:
//   acc[MT][NT] : vector<2x2xf32>, one 16 x 8 mma accumulator each,
//                 initialised from C (f32 accumulation for every type)
//   regs = this invocation's pieces of the A and B tiles at k = 0 (16-byte
//          global loads where the layout allows, zero outside the operands)
//   for k0 in 0 .. K step BK:
//     As = A tile, Bs = B tile from regs, each in its operand's layout
//       (As[BM][BK+pad] when A is k-minor, As[BK][BM+pad] when m-minor; Bs
//       likewise with n)
//     barrier
//     regs = pieces of the tiles at k0 + BK  (in flight during the mma work)
//     for kk in 0 .. BK step MMA_K:
//       a[i] = A fragment (16 x MMA_K) of As, b[j] = B fragment of Bs
//       acc[i][j] = mma.sync(a[i], b[j], acc[i][j])
//     barrier
//   C = acc (converted to C's type, inside the bounds)
//
// The fragments follow the register layouts of the PTX ISA ("Matrix
// Fragments for mma.m16n8k16 / mma.m16n8k8"), with g = lane / 4 and
// t = lane % 4:
//   A (16 x 16, 16-bit): register r = (A[g + 8(r%2)][2t + 8(r/2)], next col)
//   B (16 x 8, 16-bit):  register r = (B[2t + 8r][g], B[2t + 8r + 1][g])
//   A (16 x 8, TF32):    register r = A[g + 8(r%2)][t + 4(r/2)]
//   B (8 x 8, TF32):     register r = B[t + 4r][g]
//   C (16 x 8, f32):     element (r, v) = C[g + 8r][2t + v]
// the same mapping as upstream's nvgpu::getLaneIdAndValueIdToOperandCoord.
// 16-bit fragments are made of 8 x 8 matrices of 16-byte rows, which
// `ldmatrix` (nvgpu.ldmatrix) reads in one instruction per fragment, each
// lane receiving row lane/4, columns 2(lane%4) and 2(lane%4)+1 of every
// matrix: the register layout above when the tile is k-minor (A row-major,
// B "col"), and with `.trans` when it is not (the usual row-major B, a
// transposed A). Staging in the operand's own layout keeps the copies
// 16-byte loads and stores. TF32 fragments are read with 32-bit loads.
// Rows are padded by 16 bytes so that the eight rows read at once fall in
// distinct banks.
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
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/FormatVariadic.h"

#include <functional>
#include <numeric>

using namespace mlir;
using tessera::gpu::ContractionLoops;
using tessera::gpu::operandElementType;
using tessera::gpu::TensorCoreTiling;

namespace {

constexpr int64_t kWarpSize = 32;
/// Static shared memory a CUDA kernel may use without opting in; larger
/// tiles go to dynamic shared memory, up to what every GPU of compute
/// capability 8.x and 9.x gives a block (99 KiB on sm_86/89).
constexpr int64_t kMaxStaticSharedBytes = 48 * 1024;
constexpr int64_t kMaxSharedBytes = 99 * 1024;
/// Row padding of the staged tiles, in bytes (see the file comment).
constexpr int64_t kRowPaddingBytes = 16;
/// Widest global load of the tile copies (ld.global.v4.b32).
constexpr int64_t kVectorBytes = 16;

int64_t bytesOf(Type type) { return type.getIntOrFloatBitWidth() / 8; }

/// Shape of a staged tile of `rows` x BK that keeps the operand's
/// contiguous dimension (k, or the rows' m or n) contiguous, padded.
/// With several stages the tiles are [stages][...], the stage first.
SmallVector<int64_t, 3> tileShape(const TensorCoreTiling &t, Type type,
                                  int64_t rows, bool kInner) {
  int64_t padding = kRowPaddingBytes / bytesOf(type);
  SmallVector<int64_t, 3> shape;
  if (t.stages > 1)
    shape.push_back(t.stages);
  if (kInner)
    shape.append({rows, t.blockK + padding});
  else
    shape.append({t.blockK, rows + padding});
  return shape;
}

struct TileCopy;

/// Builds the kernel body; `b` is inside the gpu.launch.
class TensorCoreKernelBuilder : tessera::gpu::ContractionKernelBuilder {
public:
  TensorCoreKernelBuilder(OpBuilder &b, Location loc, linalg::LinalgOp op,
                          const ContractionLoops &loops,
                          const TensorCoreTiling &t, bool fromZero = false)
      : ContractionKernelBuilder(b, loc, op, loops), t(t), fromZero(fromZero),
        elementType(operandElementType(op, 0)) {}

  void build(mlir::gpu::LaunchOp launch, Value aTile, Value bTile);
  /// Whether both operand tiles can be copied with cp.async (16 bytes).
  bool copiesAsync();

private:
  /// Indices of element (i, j) of a staged tile in `stage` (unused with
  /// one stage).
  SmallVector<Value, 3> tileIndices(Value stage, Value i, Value j) {
    if (t.stages > 1)
      return {stage, i, j};
    return {i, j};
  }

  /// The value at the (b, m, n, k) point of `operand`, or zero where the
  /// value of a loop of `checks` leaves its range; out-of-range reads are
  /// clamped so that every load stays in bounds.
  Value loadOrZero(OpOperand &operand, Value batch, Value m, Value n, Value k,
                   ArrayRef<int64_t> checks) {
    SmallVector<Value> values = loopValues(batch, m, n, k);
    Value inBounds;
    for (int64_t loop : checks)
      checkAndClamp(inBounds, loop, values[loop]);
    Value v = memref::LoadOp::create(b, loc, operand.get(),
                                     indicesOf(operand, values));
    if (!inBounds)
      return v;
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(v.getType()));
    return arith::SelectOp::create(b, loc, inBounds, v, zero);
  }

  /// Whether (m, n) lies inside C, or null when every tile is whole.
  Value outputInBounds(Value m, Value n) {
    return ContractionKernelBuilder::outputInBounds(m, n, t.blockM, t.blockN);
  }

  int64_t vectorWidth(OpOperand &operand, int64_t loop, int64_t tile,
                      int64_t tileElements);
  TileCopy planCopy(OpOperand &operand, int64_t rowLoop, int64_t rowTile);
  std::pair<Value, Value> pieceOrigin(const TileCopy &copy, int64_t l);
  std::pair<SmallVector<Value>, Value> pieceSource(OpOperand &operand,
                                                   const TileCopy &copy,
                                                   int64_t rowLoop,
                                                   int64_t rowTile, Value row0,
                                                   Value k0, int64_t l);
  SmallVector<Value> loadTile(OpOperand &operand, const TileCopy &copy,
                              int64_t rowLoop, int64_t rowTile, Value row0,
                              Value k0);
  void storeTile(const TileCopy &copy, Value tile, Value stage,
                 ValueRange pieces);
  Value loadElement(Value tile, bool kInner, Value row, Value k);
  Value loadFragmentA(Value tile, bool kInner, Value row, Value col);
  Value loadFragmentB(Value tile, bool kInner, Value row, Value col);
  std::pair<Value, Value> loadFragmentPairB(Value tile, bool kInner, Value row,
                                            Value col);
  Value mma(Value a, Value bFragment, Value acc);
  Value outputRow(int64_t i, int64_t r);
  Value outputColumn(int64_t j, int64_t v);
  Type outElementType() {
    return cast<MemRefType>(op.getDpsInits()[0].getType()).getElementType();
  }
  int64_t outputWidth();
  SmallVector<Value> loadAccumulators();
  void storeAccumulators(ValueRange accs);
  void multiplyTiles(Value aTile, bool aKInner, Value bTile, bool bKInner,
                     SmallVector<Value> &accs);
  void buildRegisterLoop(Value aTile, Value bTile, const TileCopy &aCopy,
                         const TileCopy &bCopy,
                         const std::function<SmallVector<Value>(Value)> &,
                         SmallVector<Value> &accs);
  void copyTileAsync(OpOperand &operand, const TileCopy &copy, int64_t rowLoop,
                     int64_t rowTile, Value row0, Value k0, Value tile,
                     Value stage, SmallVectorImpl<Value> &tokens);
  void buildAsyncLoop(Value aTile, Value bTile, const TileCopy &aCopy,
                      const TileCopy &bCopy, SmallVector<Value> &accs);

  TensorCoreTiling t;
  /// Whether the product starts from zero instead of C's contents.
  bool fromZero;
  Type elementType;
  /// Lane coordinates of the fragment layouts: g = lane / 4, t = lane % 4.
  Value lane, laneGroup, laneInGroup;
  Value tid;
  /// Origins of the block's output tile and of the warp's part of it.
  Value m0, n0, warpRow, warpCol;
  /// The stage the fragments are read from (several stages only).
  Value readStage;
};

/// Elements per 16-byte global load of `operand` along its contiguous
/// dimension `loop`, whose tile extent is `tile` (of `tileElements`): 16 /
/// element size when every vector stays aligned and inside one row of the
/// operand and the tile splits evenly over the invocations, else 1.
int64_t TensorCoreKernelBuilder::vectorWidth(OpOperand &operand, int64_t loop,
                                             int64_t tile,
                                             int64_t tileElements) {
  auto type = cast<MemRefType>(operand.get().getType());
  int64_t width = kVectorBytes / bytesOf(type.getElementType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || strides.empty() ||
      strides.back() != 1 || ShapedType::isDynamic(offset) || offset % width)
    return 1;
  for (int64_t stride : ArrayRef<int64_t>(strides).drop_back())
    if (ShapedType::isDynamic(stride) || stride % width)
      return 1;
  if (tile % width || ranges[loop] % width ||
      (tileElements / width) % t.numThreads())
    return 1;
  return width;
}

/// How the invocations copy one operand tile: pieces of `width` elements
/// along the operand's contiguous dimension, consecutive invocations on
/// consecutive pieces, `count` pieces each.
struct TileCopy {
  bool kInner;
  int64_t innerLoop, width, piecesPerLine, count;
};

/// Whether cp.async can copy the pieces: 16 bytes each (cp.async.cg).
bool isAsyncCopyable(const TileCopy &copy, Type elementType) {
  return copy.width * bytesOf(elementType) == kVectorBytes;
}

bool TensorCoreKernelBuilder::copiesAsync() {
  OpOperand &lhs = op->getOpOperand(0), &rhs = op->getOpOperand(1);
  return isAsyncCopyable(planCopy(lhs, loops.m, t.blockM), elementType) &&
         isAsyncCopyable(planCopy(rhs, loops.n, t.blockN), elementType);
}

TileCopy TensorCoreKernelBuilder::planCopy(OpOperand &operand, int64_t rowLoop,
                                           int64_t rowTile) {
  TileCopy copy;
  copy.kInner = isInnermost(operand, loops.k);
  copy.innerLoop = copy.kInner ? loops.k : rowLoop;
  int64_t innerTile = copy.kInner ? t.blockK : rowTile;
  // Vectors run along the operand's last dimension: only when that is the
  // loop the copy walks fastest (not, say, a batch dimension).
  copy.width =
      isInnermost(operand, copy.innerLoop)
          ? vectorWidth(operand, copy.innerLoop, innerTile, rowTile * t.blockK)
          : 1;
  copy.piecesPerLine = innerTile / copy.width;
  copy.count = rowTile * t.blockK / copy.width / t.numThreads();
  return copy;
}

/// The tile coordinates (row, k) of this invocation's piece `l`.
std::pair<Value, Value>
TensorCoreKernelBuilder::pieceOrigin(const TileCopy &copy, int64_t l) {
  Value e = add(tid, l * t.numThreads());
  Value inner = mul(rem(e, copy.piecesPerLine), copy.width);
  Value outer = div(e, copy.piecesPerLine);
  return copy.kInner ? std::make_pair(outer, inner)
                     : std::make_pair(inner, outer);
}

/// Where piece `l` of this invocation comes from in `operand` (A: rowLoop
/// m, B: rowLoop n) for the tile at (row0, k0): see pieceIndices.
std::pair<SmallVector<Value>, Value>
TensorCoreKernelBuilder::pieceSource(OpOperand &operand, const TileCopy &copy,
                                     int64_t rowLoop, int64_t rowTile,
                                     Value row0, Value k0, int64_t l) {
  auto [r, c] = pieceOrigin(copy, l);
  Value row = add(row0, r), k = add(k0, c);
  return pieceIndices(operand, rowLoop, rowTile, t.blockK, copy.innerLoop,
                      copy.width, row, k);
}

/// Reads this invocation's pieces of the tile of `operand` (A: rowLoop m,
/// B: rowLoop n) at (row0, k0), zero outside the operand.
SmallVector<Value>
TensorCoreKernelBuilder::loadTile(OpOperand &operand, const TileCopy &copy,
                                  int64_t rowLoop, int64_t rowTile, Value row0,
                                  Value k0) {
  SmallVector<Value> pieces;
  auto vectorType = VectorType::get({copy.width}, elementType);
  for (int64_t l = 0; l < copy.count; ++l) {
    auto [indices, inBounds] =
        pieceSource(operand, copy, rowLoop, rowTile, row0, k0, l);
    // Aligned to the whole vector (vectorWidth checked the offsets; device
    // buffers start 256-byte aligned), so that it is one 16-byte load.
    Value v = vector::LoadOp::create(
        b, loc, vectorType, operand.get(), indices, /*nontemporal=*/false,
        llvm::Align(copy.width * bytesOf(elementType)));
    if (inBounds) {
      Value zero = arith::ConstantOp::create(b, loc, vectorType,
                                             b.getZeroAttr(vectorType));
      v = arith::SelectOp::create(b, loc, inBounds, v, zero);
    }
    pieces.push_back(v);
  }
  return pieces;
}

/// Writes the pieces loadTile read into the tile, which keeps the
/// operand's contiguous dimension: tile[row][k] or tile[k][row].
void TensorCoreKernelBuilder::storeTile(const TileCopy &copy, Value tile,
                                        Value stage, ValueRange pieces) {
  for (int64_t l = 0; l < copy.count; ++l) {
    auto [r, c] = pieceOrigin(copy, l);
    // Tile rows are whole 16-byte units (tileShape) and the tile is
    // 16-byte aligned (tessera-align-workgroup-memory).
    vector::StoreOp::create(b, loc, pieces[l], tile,
                            copy.kInner ? tileIndices(stage, r, c)
                                        : tileIndices(stage, c, r),
                            /*nontemporal=*/false,
                            llvm::Align(copy.width * bytesOf(elementType)));
  }
}

/// Element (row, k) of a staged f32 tile (tile[row][k] or tile[k][row]),
/// rounded to TF32, as a vector<1xf32>.
Value TensorCoreKernelBuilder::loadElement(Value tile, bool kInner, Value row,
                                           Value k) {
  Value value = memref::LoadOp::create(b, loc, tile,
                                       kInner ? tileIndices(readStage, row, k)
                                              : tileIndices(readStage, k, row));
  // TF32 operands rounded to nearest (cvt.rna.tf32.f32), as cuBLAS and
  // cuDNN do: mma.sync would truncate the 13 low mantissa bits, an error
  // biased towards zero that adds up through deep networks.
  Value bits = NVVM::ConvertFloatToTF32Op::create(
      b, loc, b.getI32Type(), value, NVVM::FPRoundingMode::RNA,
      NVVM::SaturationMode::NONE, /*relu=*/false);
  Value rounded = arith::BitcastOp::create(b, loc, b.getF32Type(), bits);
  return vector::BroadcastOp::create(b, loc, VectorType::get({1}, elementType),
                                     rounded);
}

/// The A fragment (16 x MMA_K) whose top-left element is (row, col) of the
/// staged A tile: vector<4x2xT> (16-bit types) or vector<4x1xf32> (TF32).
Value TensorCoreKernelBuilder::loadFragmentA(Value tile, bool kInner, Value row,
                                             Value col) {
  if (!t.tf32) {
    // ldmatrix.x4: lanes 8q .. 8q+7 give the addresses of the 8 rows of
    // 16 bytes of matrix q, which becomes register q: q = 0 is m 0-7, k
    // 0-7; 1 is m 8-15; 2 and 3 the same at k 8-15 (the A register order
    // above). An m-minor tile (A transposed in memory) holds those matrices
    // transposed: its rows are k, and ldmatrix transposes them back.
    Value quarter = div(lane, 8), r = rem(lane, 8);
    Value i, j;
    if (kInner) {
      i = add(add(row, r), mul(rem(quarter, 2), 8));
      j = add(col, mul(div(quarter, 2), 8));
    } else {
      i = add(add(col, r), mul(div(quarter, 2), 8));
      j = add(row, mul(rem(quarter, 2), 8));
    }
    return nvgpu::LdMatrixOp::create(
        b, loc, VectorType::get({4, 2}, elementType), tile,
        tileIndices(readStage, i, j),
        /*transpose=*/!kInner, /*numTiles=*/4);
  }
  auto type = VectorType::get({4, 1}, elementType);
  Value fragment = arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
  Value rowBase = add(row, laneGroup);
  Value colBase = add(col, laneInGroup);
  for (int64_t r = 0; r < 4; ++r) {
    Value reg = loadElement(tile, kInner, add(rowBase, 8 * (r % 2)),
                            add(colBase, 4 * (r / 2)));
    fragment = vector::InsertOp::create(b, loc, reg, fragment, r);
  }
  return fragment;
}

/// The B fragment (MMA_K x 8) of B[k][n] for k = col .., n = row .. of the
/// staged B tile: vector<2x2xT> (16-bit types) or vector<2x1xf32> (TF32).
Value TensorCoreKernelBuilder::loadFragmentB(Value tile, bool kInner, Value row,
                                             Value col) {
  if (!t.tf32) {
    // ldmatrix.x2: register q is the 8 x 8 matrix n 0-7, k 8q .. 8q+7,
    // whose row addresses lanes 8q .. 8q+7 give (the other lanes' are
    // ignored; they repeat them). A k-minor tile (Bs[n][k]) has them as
    // rows; an n-minor one (B row-major in memory, Bs[k][n]) transposed.
    Value i, j;
    if (kInner) {
      i = add(row, rem(lane, 8));
      j = add(col, mul(rem(div(lane, 8), 2), 8));
    } else {
      i = add(col, rem(lane, 16));
      j = row;
    }
    return nvgpu::LdMatrixOp::create(
        b, loc, VectorType::get({2, 2}, elementType), tile,
        tileIndices(readStage, i, j),
        /*transpose=*/!kInner, /*numTiles=*/2);
  }
  auto type = VectorType::get({2, 1}, elementType);
  Value fragment = arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
  Value n = add(row, laneGroup);
  Value colBase = add(col, laneInGroup);
  for (int64_t r = 0; r < 2; ++r) {
    Value reg = loadElement(tile, kInner, n, add(colBase, 4 * r));
    fragment = vector::InsertOp::create(b, loc, reg, fragment, r);
  }
  return fragment;
}

/// The B fragments of n = row .. row + 7 and row + 8 .. row + 15 (16-bit
/// types) with one ldmatrix.x4: matrices 0 and 1 are the first fragment's
/// (k 0-7, 8-15), 2 and 3 the second's, their row addresses from lanes
/// 0-15 and 16-31.
std::pair<Value, Value>
TensorCoreKernelBuilder::loadFragmentPairB(Value tile, bool kInner, Value row,
                                           Value col) {
  Value half = mul(div(lane, 16), 8);
  Value i, j;
  if (kInner) {
    i = add(add(row, rem(lane, 8)), half);
    j = add(col, mul(rem(div(lane, 8), 2), 8));
  } else {
    i = add(col, rem(lane, 16));
    j = add(row, half);
  }
  Value both = nvgpu::LdMatrixOp::create(
      b, loc, VectorType::get({4, 2}, elementType), tile,
      tileIndices(readStage, i, j), /*transpose=*/!kInner, /*numTiles=*/4);
  // Rows first, first + 1 as a vector<2x2xT> (row moves, which lower to
  // LLVM aggregates; an n-D strided slice would not).
  auto type = VectorType::get({2, 2}, elementType);
  auto slice = [&](int64_t first) {
    Value fragment =
        arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
    for (int64_t r = 0; r < 2; ++r) {
      Value row = vector::ExtractOp::create(b, loc, both, first + r);
      fragment = vector::InsertOp::create(b, loc, row, fragment, r);
    }
    return fragment;
  };
  return {slice(0), slice(2)};
}

/// acc + a * b on the tensor cores. nvgpu.mma.sync has no bf16 lowering in
/// MLIR 22 (convert-nvgpu-to-nvvm), so bf16 goes straight to nvvm.mma.sync,
/// whose bf16 operands are 32-bit registers holding two values each.
Value TensorCoreKernelBuilder::mma(Value a, Value bFragment, Value acc) {
  if (!elementType.isBF16())
    return nvgpu::MmaSyncOp::create(b, loc, a, bFragment, acc,
                                    ArrayRef<int64_t>{16, 8, t.mmaK()}, t.tf32);
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  auto registers = [&](Value fragment, int64_t count) {
    SmallVector<Value> words;
    for (int64_t r = 0; r < count; ++r) {
      Value pair = vector::ExtractOp::create(b, loc, fragment, r);
      Value word =
          vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), pair);
      words.push_back(vector::ExtractOp::create(b, loc, word, 0));
    }
    return words;
  };
  SmallVector<Value> accs;
  for (int64_t r = 0; r < 2; ++r)
    for (int64_t v = 0; v < 2; ++v)
      accs.push_back(
          vector::ExtractOp::create(b, loc, acc, ArrayRef<int64_t>{r, v}));
  auto resultType =
      LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  Value result = NVVM::MmaOp::create(
      b, loc, resultType, registers(a, 4), registers(bFragment, 2), accs,
      ArrayRef<int64_t>{16, 8, 16}, /*b1Op=*/std::nullopt,
      /*intOverflow=*/std::nullopt,
      std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  Value d = acc;
  for (int64_t q = 0; q < 4; ++q) {
    Value element = LLVM::ExtractValueOp::create(b, loc, result, q);
    d = vector::InsertOp::create(b, loc, element, d,
                                 ArrayRef<int64_t>{q / 2, q % 2});
  }
  return d;
}

/// Output coordinates of element (r, v) of accumulator (i, j).
Value TensorCoreKernelBuilder::outputRow(int64_t i, int64_t r) {
  return add(add(m0, warpRow), add(laneGroup, 16 * i + 8 * r));
}
Value TensorCoreKernelBuilder::outputColumn(int64_t j, int64_t v) {
  return add(add(n0, warpCol), add(mul(laneInGroup, 2), 8 * j + v));
}

/// Elements of C each invocation reads or writes at once: the pair (v = 0,
/// 1) of an accumulator row is two neighbouring columns, one 2-element
/// access when n is C's contiguous dimension and every pair stays aligned
/// and inside one row (even offset, strides and width N); else 1.
int64_t TensorCoreKernelBuilder::outputWidth() {
  OpOperand &out = op.getDpsInitsMutable()[0];
  auto type = cast<MemRefType>(out.get().getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!isInnermost(out, loops.n) || ranges[loops.n] % 2 ||
      failed(type.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1 || ShapedType::isDynamic(offset) || offset % 2)
    return 1;
  for (int64_t stride : ArrayRef<int64_t>(strides).drop_back())
    if (ShapedType::isDynamic(stride) || stride % 2)
      return 1;
  return 2;
}

/// The accumulators: zero when the product starts from zero (its zero fill
/// was dropped), else loaded from C (zero outside it) as f32.
SmallVector<Value> TensorCoreKernelBuilder::loadAccumulators() {
  OpOperand &out = op.getDpsInitsMutable()[0];
  Type f32 = b.getF32Type();
  auto accType = VectorType::get({2, 2}, f32);
  Value accZero =
      arith::ConstantOp::create(b, loc, accType, b.getZeroAttr(accType));
  if (fromZero)
    return SmallVector<Value>(t.fragmentsM() * t.fragmentsN(), accZero);
  int64_t width = outputWidth();
  auto pairType = VectorType::get({2}, f32);
  SmallVector<Value> accs;
  for (int64_t i = 0; i < t.fragmentsM(); ++i)
    for (int64_t j = 0; j < t.fragmentsN(); ++j) {
      Value acc = accZero;
      for (int64_t r = 0; r < 2; ++r) {
        if (width == 2) {
          Value m = outputRow(i, r), n = outputColumn(j, 0);
          // Outside C: read from a clamped (in-bounds) place, use zero.
          Value ok = outputInBounds(m, n);
          if (ok) {
            m = arith::MinUIOp::create(b, loc, m, index(ranges[loops.m] - 1));
            n = arith::MinUIOp::create(b, loc, n, index(ranges[loops.n] - 2));
          }
          Value pair = vector::LoadOp::create(
              b, loc, VectorType::get({2}, outElementType()), out.get(),
              indicesOf(out, batch, m, n, Value()), /*nontemporal=*/false,
              llvm::Align(2 * bytesOf(outElementType())));
          if (outElementType() != f32)
            pair = arith::ExtFOp::create(b, loc, pairType, pair);
          if (ok) {
            Value zero = arith::ConstantOp::create(b, loc, pairType,
                                                   b.getZeroAttr(pairType));
            pair = arith::SelectOp::create(b, loc, ok, pair, zero);
          }
          acc = vector::InsertOp::create(b, loc, pair, acc, r);
          continue;
        }
        for (int64_t v = 0; v < 2; ++v) {
          Value m = outputRow(i, r), n = outputColumn(j, v);
          SmallVector<int64_t, 2> checks;
          if (needsCheck(loops.m, t.blockM))
            checks.push_back(loops.m);
          if (needsCheck(loops.n, t.blockN))
            checks.push_back(loops.n);
          Value c = loadOrZero(out, batch, m, n, Value(), checks);
          if (c.getType() != f32)
            c = arith::ExtFOp::create(b, loc, f32, c);
          acc =
              vector::InsertOp::create(b, loc, c, acc, ArrayRef<int64_t>{r, v});
        }
      }
      accs.push_back(acc);
    }
  return accs;
}

/// Stores the accumulators into C, converted to its element type, inside
/// its bounds.
void TensorCoreKernelBuilder::storeAccumulators(ValueRange accs) {
  OpOperand &out = op.getDpsInitsMutable()[0];
  Type outType = outElementType();
  int64_t width = outputWidth();
  for (int64_t i = 0; i < t.fragmentsM(); ++i)
    for (int64_t j = 0; j < t.fragmentsN(); ++j)
      for (int64_t r = 0; r < 2; ++r)
        for (int64_t v = 0; v < 2; v += width) {
          Value m = outputRow(i, r), n = outputColumn(j, v);
          Value acc = accs[i * t.fragmentsN() + j];
          Value value =
              width == 2
                  ? vector::ExtractOp::create(b, loc, acc, r).getResult()
                  : vector::ExtractOp::create(b, loc, acc,
                                              ArrayRef<int64_t>{r, v})
                        .getResult();
          if (outType != b.getF32Type())
            value = arith::TruncFOp::create(
                b, loc,
                width == 2 ? Type(VectorType::get({2}, outType)) : outType,
                value);
          OpBuilder::InsertionGuard inner(b);
          if (Value ok = outputInBounds(m, n)) {
            auto guard = scf::IfOp::create(b, loc, ok, /*withElse=*/false);
            b.setInsertionPointToStart(guard.thenBlock());
          }
          SmallVector<Value> indices = indicesOf(out, batch, m, n, Value());
          if (width == 2)
            vector::StoreOp::create(b, loc, value, out.get(), indices,
                                    /*nontemporal=*/false,
                                    llvm::Align(2 * bytesOf(outType)));
          else
            memref::StoreOp::create(b, loc, value, out.get(), indices);
        }
}

/// One BK step of the warp's accumulators from the staged tiles.
void TensorCoreKernelBuilder::multiplyTiles(Value aTile, bool aKInner,
                                            Value bTile, bool bKInner,
                                            SmallVector<Value> &accs) {
  int64_t fragsM = t.fragmentsM(), fragsN = t.fragmentsN();
  for (int64_t kk = 0; kk < t.blockK; kk += t.mmaK()) {
    Value col = index(kk);
    SmallVector<Value> as, bs;
    for (int64_t i = 0; i < fragsM; ++i)
      as.push_back(loadFragmentA(aTile, aKInner, add(warpRow, 16 * i), col));
    if (t.bLoadTiles == 4) {
      for (int64_t j = 0; j < fragsN; j += 2) {
        auto [first, second] =
            loadFragmentPairB(bTile, bKInner, add(warpCol, 8 * j), col);
        bs.append({first, second});
      }
    } else {
      for (int64_t j = 0; j < fragsN; ++j)
        bs.push_back(loadFragmentB(bTile, bKInner, add(warpCol, 8 * j), col));
    }
    for (int64_t i = 0; i < fragsM; ++i)
      for (int64_t j = 0; j < fragsN; ++j)
        accs[i * fragsN + j] = mma(as[i], bs[j], accs[i * fragsN + j]);
  }
}

void TensorCoreKernelBuilder::build(mlir::gpu::LaunchOp launch, Value aTile,
                                    Value bTile) {
  auto ids = launch.getBlockIds();
  tid = launch.getThreadIds().x;
  batch = ids.z;
  m0 = mul(ids.y, t.blockM);
  n0 = mul(ids.x, t.blockN);
  Value warp = div(tid, kWarpSize);
  lane = rem(tid, kWarpSize);
  laneGroup = div(lane, 4);
  laneInGroup = rem(lane, 4);
  warpRow = mul(div(warp, t.warpsN), t.blockM / t.warpsM);
  warpCol = mul(rem(warp, t.warpsN), t.blockN / t.warpsN);
  SmallVector<Value> init = loadAccumulators();

  OpOperand &lhs = op->getOpOperand(0), &rhs = op->getOpOperand(1);
  TileCopy aCopy = planCopy(lhs, loops.m, t.blockM);
  TileCopy bCopy = planCopy(rhs, loops.n, t.blockN);
  std::function<SmallVector<Value>(Value)> loadTiles = [&](Value k0) {
    SmallVector<Value> pieces =
        loadTile(lhs, aCopy, loops.m, t.blockM, m0, k0);
    llvm::append_range(pieces,
                       loadTile(rhs, bCopy, loops.n, t.blockN, n0, k0));
    return pieces;
  };
  if (t.asyncCopy)
    buildAsyncLoop(aTile, bTile, aCopy, bCopy, init);
  else
    buildRegisterLoop(aTile, bTile, aCopy, bCopy, loadTiles, init);
  storeAccumulators(init);
}

/// Software pipelining through registers; `accs` holds the accumulators
/// before and after. One stage: the loop stores the pieces read in the
/// previous iteration, passes a barrier, reads the next tile's pieces
/// (their latency hidden by this tile's mma work), multiplies and passes a
/// second barrier. Two stages (tile i in stage i % 2): tile 0 is stored and
/// tile 1 read before the loop; iteration i stores tile i + 1 into the
/// other stage, reads tile i + 2, multiplies tile i and passes the one
/// barrier, which publishes tile i + 1 and frees stage i % 2. Reads past
/// the last tile are clamped to it (in bounds, unused).
void TensorCoreKernelBuilder::buildRegisterLoop(
    Value aTile, Value bTile, const TileCopy &aCopy, const TileCopy &bCopy,
    const std::function<SmallVector<Value>(Value)> &loadTiles,
    SmallVector<Value> &accs) {
  bool twoStages = t.stages > 1;
  int64_t numAccs = accs.size();
  int64_t lastTile =
      (llvm::divideCeil(ranges[loops.k], t.blockK) - 1) * t.blockK;
  auto storeTiles = [&](Value stage, ArrayRef<Value> pieces) {
    storeTile(aCopy, aTile, stage, pieces.take_front(aCopy.count));
    storeTile(bCopy, bTile, stage, pieces.drop_front(aCopy.count));
  };
  SmallVector<Value> init(accs);
  if (twoStages) {
    storeTiles(index(0), loadTiles(index(0)));
    mlir::gpu::BarrierOp::create(b, loc);
    llvm::append_range(init, loadTiles(index(std::min(t.blockK, lastTile))));
  } else {
    llvm::append_range(init, loadTiles(index(0)));
  }
  auto kLoop = scf::ForOp::create(b, loc, index(0), index(ranges[loops.k]),
                                  index(t.blockK), init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value k0 = kLoop.getInductionVar();
    ValueRange iterArgs = kLoop.getRegionIterArgs();
    SmallVector<Value> pieces(iterArgs.drop_front(numAccs));
    Value writeStage;
    if (twoStages) {
      readStage = rem(div(k0, t.blockK), 2);
      writeStage = arith::SubIOp::create(b, loc, index(1), readStage);
    }
    storeTiles(writeStage, pieces);
    if (!twoStages)
      mlir::gpu::BarrierOp::create(b, loc);
    Value ahead = add(k0, (twoStages ? 2 : 1) * t.blockK);
    SmallVector<Value> nextPieces =
        loadTiles(arith::MinUIOp::create(b, loc, ahead, index(lastTile)));
    SmallVector<Value> loopAccs(iterArgs.take_front(numAccs));
    multiplyTiles(aTile, aCopy.kInner, bTile, bCopy.kInner, loopAccs);
    mlir::gpu::BarrierOp::create(b, loc);
    llvm::append_range(loopAccs, nextPieces);
    scf::YieldOp::create(b, loc, loopAccs);
  }
  accs.assign(kLoop.getResults().begin(), kLoop.getResults().begin() + numAccs);
}

/// Issues cp.async copies of this invocation's pieces of the tile of
/// `operand` at (row0, k0) into `stage` of `tile` and appends their tokens
/// to `tokens`. Pieces outside the operand copy no bytes (cp.async fills
/// the 16 with zeros) from a clamped address.
void TensorCoreKernelBuilder::copyTileAsync(OpOperand &operand,
                                            const TileCopy &copy,
                                            int64_t rowLoop, int64_t rowTile,
                                            Value row0, Value k0, Value tile,
                                            Value stage,
                                            SmallVectorImpl<Value> &tokens) {
  for (int64_t l = 0; l < copy.count; ++l) {
    auto [r, c] = pieceOrigin(copy, l);
    auto [indices, inBounds] =
        pieceSource(operand, copy, rowLoop, rowTile, row0, k0, l);
    Value sourceElements;
    if (inBounds)
      sourceElements = arith::SelectOp::create(b, loc, inBounds,
                                               index(copy.width), index(0));
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), tile,
        copy.kInner ? tileIndices(stage, r, c) : tileIndices(stage, c, r),
        operand.get(), indices, b.getIndexAttr(copy.width), sourceElements,
        /*bypassL1=*/b.getUnitAttr()));
  }
}

/// cp.async pipeline of S stages: tile i lives in stage i % S. Before the
/// loop, tiles 0 .. S-2 are in flight and tile 0 has landed; iteration i
/// issues tile i + S - 1 into the stage iteration i - 1 read (every warp
/// passed the barrier after it), multiplies tile i, waits until tile i + 1
/// has landed (at most S - 2 groups pending) and passes one barrier, which
/// publishes it and frees stage i % S. Copies past the last tile repeat
/// it (in bounds, into a stage nobody reads again).
void TensorCoreKernelBuilder::buildAsyncLoop(Value aTile, Value bTile,
                                             const TileCopy &aCopy,
                                             const TileCopy &bCopy,
                                             SmallVector<Value> &accs) {
  OpOperand &lhs = op->getOpOperand(0), &rhs = op->getOpOperand(1);
  int64_t numAccs = accs.size();
  int64_t lastTile =
      (llvm::divideCeil(ranges[loops.k], t.blockK) - 1) * t.blockK;
  // One group per tile (both operands), so that waiting for all but the
  // newest S - 2 groups waits for exactly the tile needed next.
  auto issue = [&](Value k0, Value stage) {
    SmallVector<Value> tokens;
    copyTileAsync(lhs, aCopy, loops.m, t.blockM, m0, k0, aTile, stage, tokens);
    copyTileAsync(rhs, bCopy, loops.n, t.blockN, n0, k0, bTile, stage, tokens);
    return nvgpu::DeviceAsyncCreateGroupOp::create(
        b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), tokens);
  };
  auto waitAndSync = [&](Value group) {
    nvgpu::DeviceAsyncWaitOp::create(b, loc, group,
                                     b.getI32IntegerAttr(t.stages - 2));
    mlir::gpu::BarrierOp::create(b, loc);
  };
  Value group;
  for (int64_t s = 0; s < t.stages - 1; ++s)
    group = issue(index(std::min(s * t.blockK, lastTile)), index(s));
  waitAndSync(group);
  auto kLoop = scf::ForOp::create(b, loc, index(0), index(ranges[loops.k]),
                                  index(t.blockK), accs);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value k0 = kLoop.getInductionVar();
    Value tileIndex = div(k0, t.blockK);
    readStage = rem(tileIndex, t.stages);
    Value ahead = arith::MinUIOp::create(
        b, loc, add(k0, (t.stages - 1) * t.blockK), index(lastTile));
    Value writeStage = rem(add(tileIndex, t.stages - 1), t.stages);
    Value next = issue(ahead, writeStage);
    SmallVector<Value> loopAccs(kLoop.getRegionIterArgs());
    multiplyTiles(aTile, aCopy.kInner, bTile, bCopy.kInner, loopAccs);
    waitAndSync(next);
    scf::YieldOp::create(b, loc, loopAccs);
  }
  // Nothing may still be writing workgroup memory when the block ends.
  nvgpu::DeviceAsyncWaitOp::create(b, loc, group, b.getI32IntegerAttr(0));
  accs.assign(kLoop.getResults().begin(), kLoop.getResults().begin() + numAccs);
}

} // namespace

std::optional<TensorCoreTiling> TensorCoreTiling::get(linalg::LinalgOp op) {
  auto attr = op->getAttrOfType<DictionaryAttr>(kGPUTileConfigAttrName);
  if (!attr)
    return std::nullopt;
  auto mma = attr.getAs<StringAttr>("mma");
  if (!mma)
    return std::nullopt;
  TensorCoreTiling tiling;
  tiling.tf32 = mma.getValue() == kMmaTF32;
  tiling.wgmma = mma.getValue() == kMmaWgmma;
  if (tiling.wgmma)
    tiling.blockK = 64;
  if (auto overlap = attr.getAs<BoolAttr>("wgmma_overlap"))
    tiling.wgmmaOverlap = overlap.getValue();
  if (!tiling.tf32 && !tiling.wgmma && mma.getValue() != kMmaF16)
    tiling.blockK = 0; // Rejected by check(): unknown instruction.
  if (auto block = attr.getAs<DenseI64ArrayAttr>("block");
      block && block.size() == 3) {
    tiling.blockM = block[0];
    tiling.blockN = block[1];
    tiling.blockK = tiling.blockK ? block[2] : 0;
  }
  if (auto warps = attr.getAs<DenseI64ArrayAttr>("warps");
      warps && warps.size() == 2) {
    tiling.warpsM = warps[0];
    tiling.warpsN = warps[1];
  }
  if (auto stages = attr.getAs<IntegerAttr>("stages"))
    tiling.stages = stages.getInt();
  if (auto copy = attr.getAs<StringAttr>("copy"))
    tiling.asyncCopy = copy.getValue() == "async";
  if (auto tiles = attr.getAs<IntegerAttr>("ldmatrix_b_tiles"))
    tiling.bLoadTiles = tiles.getInt();
  return tiling;
}

DictionaryAttr TensorCoreTiling::toAttr(MLIRContext *context) const {
  Builder b(context);
  if (wgmma) {
    SmallVector<NamedAttribute> entries = {
        b.getNamedAttr("mma", b.getStringAttr(kMmaWgmma)),
        b.getNamedAttr("block",
                       b.getDenseI64ArrayAttr({blockM, blockN, blockK})),
        b.getNamedAttr("stages", b.getI64IntegerAttr(stages)),
    };
    if (wgmmaOverlap)
      entries.push_back(b.getNamedAttr("wgmma_overlap", b.getBoolAttr(true)));
    return b.getDictionaryAttr(entries);
  }
  SmallVector<NamedAttribute> entries = {
      b.getNamedAttr("mma", b.getStringAttr(tf32 ? kMmaTF32 : kMmaF16)),
      b.getNamedAttr("block", b.getDenseI64ArrayAttr({blockM, blockN, blockK})),
      b.getNamedAttr("warps", b.getDenseI64ArrayAttr({warpsM, warpsN})),
  };
  if (stages != 1)
    entries.push_back(b.getNamedAttr("stages", b.getI64IntegerAttr(stages)));
  if (asyncCopy)
    entries.push_back(b.getNamedAttr("copy", b.getStringAttr("async")));
  if (bLoadTiles != 2)
    entries.push_back(
        b.getNamedAttr("ldmatrix_b_tiles", b.getI64IntegerAttr(bLoadTiles)));
  return b.getDictionaryAttr(entries);
}

std::string TensorCoreTiling::describe(Type operandType) const {
  std::string type;
  llvm::raw_string_ostream os(type);
  operandType.print(os);
  if (wgmma)
    return llvm::formatv("tensor cores: wgmma m64n{0}k16 (sm_90a), {1} "
                         "operands, f32 accumulation; block {2}x{0}x{3}, {4} "
                         "warpgroups, {5} stages (cp.async, 128-byte "
                         "swizzle){6}",
                         blockN, type, blockM, blockK, blockM / 64, stages,
                         wgmmaOverlap ? ", one wgmma batch in flight" : "")
        .str();
  return llvm::formatv("tensor cores: mma.sync m16n8k{0}, {1} operands{2}, "
                       "f32 accumulation; block {3}x{4}x{5}, {6}x{7} warps{8}",
                       mmaK(), tf32 ? "tf32" : type,
                       tf32 ? " (f32 rounded, --allow-tf32)" : "", blockM,
                       blockN, blockK, warpsM, warpsN,
                       (stages > 1 ? llvm::formatv(", {0} stages{1}", stages,
                                                   asyncCopy ? " (cp.async)" : "")
                                         .str()
                                   : std::string()) +
                           (bLoadTiles == 4 ? ", B by ldmatrix.x4" : ""))
      .str();
}

/// The most dynamic shared memory a block of a compute capability 9.0 GPU
/// may use (227 KiB), all that wgmma kernels (sm_90a only) need to fit.
static constexpr int64_t kMaxWgmmaSharedBytes = 227 * 1024;

/// check() for wgmma tilings.
static std::string checkWgmma(const TensorCoreTiling &t, Type operandType) {
  if (!operandType.isF16() && !operandType.isBF16())
    return "wgmma kernels need f16 or bf16 operands";
  if ((t.blockM != 64 && t.blockM != 128) || t.blockN % 64 || t.blockN <= 0 ||
      t.blockN > 256 || t.blockK != 64)
    return "wgmma blocks are 64 or 128 x 64, 128, 192 or 256 x 64 (BM x BN x "
           "BK: one warpgroup per 64 rows, one wgmma.m64n{BN}k16 per 16 of "
           "the reduction, 128-byte rows of k)";
  if (t.stages < (t.wgmmaOverlap ? 3 : 2))
    return t.wgmmaOverlap
               ? "wgmma pipelines with wgmma_overlap have at least 3 "
                 "cp.async stages"
               : "wgmma pipelines have at least 2 cp.async stages";
  // Both tiles per stage, 2 bytes per element, plus 1 KiB of alignment.
  int64_t shared = (t.blockM + t.blockN) * t.blockK * 2 * t.stages + 1024;
  if (shared > kMaxWgmmaSharedBytes)
    return llvm::formatv("the staged tiles need {0} bytes of shared memory "
                         "(at most {1})",
                         shared, kMaxWgmmaSharedBytes)
        .str();
  return "";
}

std::string TensorCoreTiling::check(Type operandType) const {
  if (wgmma)
    return checkWgmma(*this, operandType);
  if (blockK <= 0)
    return llvm::formatv("unknown mma instruction (expected '{0}', '{1}' or "
                         "'{2}')",
                         kMmaF16, kMmaTF32, kMmaWgmma)
        .str();
  if (tf32 ? !operandType.isF32()
           : !(operandType.isF16() || operandType.isBF16()))
    return tf32 ? "TF32 tensor cores need f32 operands"
                : "m16n8k16 tensor cores need f16 or bf16 operands";
  if (blockM <= 0 || blockN <= 0 || warpsM <= 0 || warpsN <= 0 ||
      blockM % (16 * warpsM) || blockN % (8 * warpsN) || blockK % mmaK())
    return llvm::formatv("the block tile must be whole 16 x 8 x {0} mma "
                         "tiles per warp",
                         mmaK())
        .str();
  if (bLoadTiles != 2 &&
      (bLoadTiles != 4 || tf32 || (blockN / warpsN / 8) % 2))
    return "ldmatrix_b_tiles = 4 needs 16-bit operands and an even number of "
           "B fragments per warp";
  if (asyncCopy ? stages < 2 || stages > 4 : stages != 1 && stages != 2)
    return asyncCopy ? "cp.async pipelines have 2 to 4 stages"
                     : "stages must be 1 or 2 (more need copy = \"async\")";
  if (numThreads() > 1024 || (blockM * blockK) % numThreads() ||
      (blockN * blockK) % numThreads())
    return "the staged tiles must split evenly over at most 1024 invocations";
  // Either layout of each tile (see tileShape).
  auto elements = [&](int64_t rows) {
    int64_t most = 0;
    for (bool kInner : {true, false}) {
      SmallVector<int64_t, 3> shape =
          tileShape(*this, operandType, rows, kInner);
      most = std::max(most, std::accumulate(shape.begin(), shape.end(),
                                            int64_t(1), std::multiplies<>()));
    }
    return most;
  };
  int64_t shared = (elements(blockM) + elements(blockN)) * bytesOf(operandType);
  if (shared > kMaxSharedBytes)
    return llvm::formatv("the staged tiles need {0} bytes of workgroup "
                         "memory (at most {1})",
                         shared, kMaxSharedBytes)
        .str();
  return "";
}

bool tessera::gpu::canUseTensorCores(linalg::LinalgOp op, bool allowTF32) {
  if (!matchContraction(op, /*oneSidedBatch=*/true))
    return false;
  // Kernel arguments are bare pointers: views need static layouts.
  for (Value operand : op->getOperands()) {
    int64_t offset;
    SmallVector<int64_t> strides;
    auto type = cast<MemRefType>(operand.getType());
    if (failed(type.getStridesAndOffset(strides, offset)) ||
        ShapedType::isDynamic(offset) ||
        llvm::any_of(strides, ShapedType::isDynamic))
      return false;
  }
  Type type = operandElementType(op, 0);
  if (operandElementType(op, 1) != type || operandElementType(op, 2) != type)
    return false;
  return type.isF16() || type.isBF16() || (allowTF32 && type.isF32());
}

/// `tiling`, or where it copies with cp.async and the operands' pieces are
/// not 16 bytes each (unaligned views, sizes that are no multiple of 16
/// bytes), the same tiles through the two-stage register pipeline.
static TensorCoreTiling withCopiesThatFit(linalg::LinalgOp op,
                                          const ContractionLoops &loops,
                                          TensorCoreTiling tiling) {
  if (!tiling.asyncCopy)
    return tiling;
  OpBuilder unused(op);
  TensorCoreKernelBuilder planner(unused, op.getLoc(), op, loops, tiling);
  if (!planner.copiesAsync()) {
    tiling.asyncCopy = false;
    tiling.stages = 2;
  }
  return tiling;
}

TensorCoreTiling tessera::gpu::chooseTensorCoreTiling(linalg::LinalgOp op) {
  // The fastest tilings of the GPU check's sweeps on an H200 (docs/perf.md,
  // 4096^3: f16 310 TFLOP/s, TF32 135; 1000^3 bf16 87): 128 x 128 blocks of
  // 2 x 2 warps (64 x 64 warp tiles) in two stages, BK 64 (f16, bf16; 72
  // KiB of dynamic shared memory) or BK 32 copied with cp.async (TF32; 70
  // KiB). Products with fewer than 128 such blocks (about one per
  // multiprocessor of an H100/H200: 1000^3 has 64) take 64 x 64 blocks, so
  // that every multiprocessor has work, with more cp.async stages in
  // flight (1000^3 bf16: 0.023 ms against 0.044 with 128 x 128 blocks).
  TensorCoreTiling tiling;
  tiling.tf32 = operandElementType(op, 0).isF32();
  tiling.warpsM = tiling.warpsN = 2;
  tiling.stages = 2;
  tiling.blockK = tiling.tf32 ? 32 : 64;
  tiling.asyncCopy = tiling.tf32;
  std::optional<ContractionLoops> loops =
      matchContraction(op, /*oneSidedBatch=*/true);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t batches = loops->batch >= 0 ? ranges[loops->batch] : 1;
  int64_t bigBlocks = llvm::divideCeil(ranges[loops->m], 128) *
                      llvm::divideCeil(ranges[loops->n], 128) * batches;
  if (bigBlocks < 128) {
    tiling.blockM = tiling.blockN = 64;
    tiling.blockK = tiling.tf32 ? 16 : 32;
    tiling.stages = tiling.tf32 ? 3 : 4;
    tiling.asyncCopy = true;
  }
  return withCopiesThatFit(op, *loops, tiling);
}

LogicalResult
tessera::gpu::mapContractionToTensorCores(linalg::LinalgOp op,
                                          const TensorCoreTiling &tiling,
                                          bool fromZero) {
  std::optional<ContractionLoops> loops =
      matchContraction(op, /*oneSidedBatch=*/true);
  if (!loops)
    return op.emitError("tensor-core kernels compute matrix products "
                        "(C[b,m,n] += A[b,m,k] * B[b,k,n]); this op is not "
                        "one: remove its 'mma' tile config");
  Type type = operandElementType(op, 0);
  if (operandElementType(op, 1) != type || operandElementType(op, 2) != type)
    return op.emitError("tensor-core kernels need operands and result of one "
                        "element type");
  if (std::string why = tiling.check(type); !why.empty())
    return op.emitError("invalid tensor-core tile config: ") << why;
  if (llvm::is_contained(op.getStaticLoopRanges(), 0))
    return op.emitError("tensor-core kernels need non-empty operands");
  if (tiling.wgmma)
    return mapContractionToWgmma(op, tiling, fromZero);

  // A hand-written cp.async config on operands it cannot copy falls back
  // like the chosen ones (see withCopiesThatFit).
  TensorCoreTiling t = withCopiesThatFit(op, *loops, tiling);
  auto tileType = [&](unsigned operand, int64_t rows) {
    bool kInner =
        tessera::gpu::isInnermost(op, op->getOpOperand(operand), loops->k);
    return tessera::gpu::workgroupBufferType(
        tileShape(t, type, rows, kInner), type);
  };
  MemRefType aType = tileType(0, t.blockM), bType = tileType(1, t.blockN);
  auto bytesOfTile = [&](MemRefType tile) {
    return tile.getNumElements() * bytesOf(type);
  };
  // B's tile starts 16-byte aligned after A's (the base is 16-byte aligned).
  int64_t bOffset = llvm::alignTo(bytesOfTile(aType), kVectorBytes);
  int64_t shared = bOffset + bytesOfTile(bType);
  bool dynamic = shared > kMaxStaticSharedBytes;
  tessera::gpu::createContractionLaunch(
      op, *loops, t.blockM, t.blockN, t.numThreads(), aType, bType,
      [&](OpBuilder &b, mlir::gpu::LaunchOp launch) {
        TensorCoreKernelBuilder builder(b, op.getLoc(), op, *loops, t,
                                        fromZero);
        if (!dynamic)
          return builder.build(launch, launch.getWorkgroupAttributions()[0],
                               launch.getWorkgroupAttributions()[1]);
        // The tiles as views of the block's dynamic shared memory.
        Location loc = op.getLoc();
        auto space = mlir::gpu::AddressSpaceAttr::get(
            b.getContext(), mlir::gpu::AddressSpace::Workgroup);
        Value raw = mlir::gpu::DynamicSharedMemoryOp::create(
            b, loc,
            MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                            MemRefLayoutAttrInterface(), space));
        auto view = [&](MemRefType tile, int64_t offset) -> Value {
          auto viewType = MemRefType::get(tile.getShape(),
                                          tile.getElementType(),
                                          MemRefLayoutAttrInterface(), space);
          return memref::ViewOp::create(
              b, loc, viewType, raw,
              arith::ConstantIndexOp::create(b, loc, offset), ValueRange{});
        };
        builder.build(launch, view(aType, 0), view(bType, bOffset));
      },
      dynamic ? shared : 0);
  return success();
}
