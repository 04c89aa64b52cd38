//===- ShapeUtils.cpp - ONNX shape arithmetic -----------------------------===//
//
// Implements the broadcasting and sliding-window rules of ShapeUtils.h.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/ShapeUtils.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using mlir::ShapedType;

namespace tessera::graph {

std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  llvm::SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l == 1) {
      result[i] = r;
    } else if (r == 1) {
      result[i] = l;
    } else if (ShapedType::isDynamic(l) || ShapedType::isDynamic(r)) {
      // One side may still turn out to be 1 at run time; keep it dynamic
      // unless the other side fixes the size.
      result[i] = ShapedType::isDynamic(l) ? r : l;
    } else if (l == r) {
      result[i] = l;
    } else {
      return std::nullopt;
    }
  }
  return result;
}

std::optional<int64_t> slidingWindowOutputSize(int64_t in, int64_t kernel,
                                               int64_t stride,
                                               int64_t padBegin,
                                               int64_t padEnd,
                                               int64_t dilation,
                                               bool ceilMode) {
  if (ShapedType::isDynamic(in))
    return ShapedType::kDynamic;
  if (stride <= 0 || kernel <= 0 || dilation <= 0)
    return std::nullopt;
  // In 128 bits: attributes from a hostile file may overflow int64 here.
  __int128 wide = static_cast<__int128>(in) + padBegin + padEnd -
                  static_cast<__int128>(dilation) * (kernel - 1) - 1;
  if (wide < 0 || wide > INT64_MAX / 2)
    return std::nullopt;
  int64_t span = static_cast<int64_t>(wide);
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  // A window may not start in the end padding.
  if (ceilMode && (out - 1) * stride >= static_cast<__int128>(in) + padBegin)
    --out;
  return out;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

bool reshapeMatches(llvm::ArrayRef<int64_t> inShape,
                    llvm::ArrayRef<int64_t> requested, bool allowZero,
                    llvm::ArrayRef<int64_t> outShape) {
  if (requested.size() != outShape.size())
    return false;
  int64_t inferred = 0;
  for (auto [i, d] : llvm::enumerate(requested)) {
    if (d == -1) {
      ++inferred;
      continue;
    }
    if (d == 0 && !allowZero) {
      if (i >= inShape.size() || inShape[i] != outShape[i])
        return false;
      continue;
    }
    if (d != outShape[i])
      return false;
  }
  // With the other dimensions equal and equal element counts (checked by
  // the op), a single -1 necessarily denotes the result's dimension.
  return inferred <= 1;
}

std::string shapeString(llvm::ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (mlir::ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      "x");
  return s;
}

bool areCompatibleResultTypes(mlir::TypeRange written,
                              mlir::TypeRange inferred) {
  if (written.size() != inferred.size())
    return false;
  for (auto [w, i] : llvm::zip(written, inferred)) {
    auto wt = mlir::dyn_cast<mlir::RankedTensorType>(w);
    auto it = mlir::dyn_cast<mlir::RankedTensorType>(i);
    if (!wt || !it || wt.getElementType() != it.getElementType() ||
        mlir::failed(mlir::verifyCompatibleShape(wt, it)))
      return false;
  }
  return true;
}

} // namespace tessera::graph
