//===- ShapeUtils.h - ONNX shape arithmetic ------------------*- C++ -*-===//
//
// Shape rules shared by the Graph dialect's type inference and the ONNX
// importer: numpy broadcasting and the output size of sliding windows.
// Dynamic dimensions are mlir::ShapedType::kDynamic and propagate.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_GRAPH_IR_SHAPEUTILS_H
#define TESSERA_DIALECTS_GRAPH_IR_SHAPEUTILS_H

#include "mlir/IR/TypeRange.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <optional>
#include <string>

namespace tessera::graph {

/// Multidirectional (numpy) broadcast of two shapes; std::nullopt when two
/// static dimensions differ and neither is 1.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// Output size of a sliding window along one dimension:
/// floor-or-ceil((in + padBegin + padEnd - dilation*(kernel-1) - 1) / stride) + 1.
/// With ceil mode, a last window that starts inside the end padding is
/// dropped (the ONNX/PyTorch rule). Returns kDynamic for a dynamic input and
/// std::nullopt when the window does not fit.
std::optional<int64_t> slidingWindowOutputSize(int64_t in, int64_t kernel,
                                               int64_t stride,
                                               int64_t padBegin,
                                               int64_t padEnd,
                                               int64_t dilation,
                                               bool ceilMode);

/// Normalizes an axis in [-rank, rank) to [0, rank); std::nullopt when out
/// of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Whether ONNX Reshape of a static `inShape` by `requested` (`0` copies the
/// input dimension unless `allowZero`, one `-1` is inferred) gives the
/// static `outShape`. The run-time check of tg.dynamic_reshape applies the
/// same rule.
bool reshapeMatches(llvm::ArrayRef<int64_t> inShape,
                    llvm::ArrayRef<int64_t> requested, bool allowZero,
                    llvm::ArrayRef<int64_t> outShape);

/// `2x?x4`: a shape for diagnostics.
std::string shapeString(llvm::ArrayRef<int64_t> shape);

/// The `isCompatibleReturnTypes` rule of every op with inferred result
/// types: a written result type may be less static than the inferred one (a
/// `?` where inference knows the size), never different.
bool areCompatibleResultTypes(mlir::TypeRange written, mlir::TypeRange inferred);

} // namespace tessera::graph

#endif // TESSERA_DIALECTS_GRAPH_IR_SHAPEUTILS_H
