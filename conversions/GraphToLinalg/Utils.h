//===- Utils.h - Helpers shared by the Graph to linalg patterns -*- C++ -*-===//
//
// Private header of conversions/GraphToLinalg: the per-family populate
// functions and the small builders every lowering uses (empty and filled
// tensors, scalar constants, padding, reshapes and broadcasting generics).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_CONVERSIONS_GRAPHTOLINALG_UTILS_H
#define TESSERA_CONVERSIONS_GRAPHTOLINALG_UTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace tessera::graph_to_linalg {

/// The diagnostic attached to an op whose operand or result has a dynamic
/// dimension; the CPU lowering needs static shapes.
inline constexpr const char *kDynamicShapeMessage =
    "dynamic shapes are not supported yet by the CPU lowering; fix the "
    "dimension with --shape NAME=DIMS";

/// True when an operand or result of `op` is not a statically shaped tensor.
bool hasDynamicShapes(mlir::Operation *op);

/// Succeeds when `op` has static shapes; otherwise reports
/// kDynamicShapeMessage on the op and fails the match.
mlir::LogicalResult requireStaticShapes(mlir::Operation *op,
                                        mlir::PatternRewriter &rewriter);

/// Body builder of a linalg.generic: gets the block arguments and returns
/// the value to yield.
using ScalarBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// `tensor.empty` of a static type.
mlir::Value createEmpty(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type);

/// `tensor.empty` filled with `scalar` by `linalg.fill`.
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, mlir::Value scalar);

/// Scalar constant of a float or signless integer type (`value` is truncated
/// toward zero for integers).
mlir::Value createScalar(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Type elementType, double value);

/// The identity of a max reduction: -inf for floats, the smallest signed
/// value for integers.
mlir::Value createLowest(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Type elementType);

/// `tensor.pad` of `input` with `padValue`; returns `input` when every pad
/// is zero.
mlir::Value padTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                      llvm::ArrayRef<int64_t> low, llvm::ArrayRef<int64_t> high,
                      mlir::Value padValue);

/// Reshapes a static tensor to `type` with one `tensor.collapse_shape` or
/// `tensor.expand_shape` where a reassociation exists, else by collapsing to
/// 1-D and expanding again.
mlir::Value reshapeTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                      mlir::RankedTensorType type);

/// Prepares `operand` for a linalg.generic whose loops have sizes
/// `loopSizes`: operand dimension `i` is indexed by loop `loopOfDim[i]`.
/// Dimensions of size 1 whose loop is larger are broadcast: they are
/// collapsed away and left out of the returned indexing map, which keeps
/// every map a projected permutation.
std::pair<mlir::Value, mlir::AffineMap>
broadcastToLoops(mlir::OpBuilder &b, mlir::Location loc, mlir::Value operand,
                 llvm::ArrayRef<unsigned> loopOfDim,
                 llvm::ArrayRef<int64_t> loopSizes);

/// Builds an elementwise linalg.generic producing `resultType` from `inputs`
/// broadcast with numpy rules (trailing dimensions aligned). `init`, when
/// given, is the destination; otherwise a `tensor.empty`.
mlir::Value buildBroadcastElementwise(mlir::OpBuilder &b, mlir::Location loc,
                                      mlir::RankedTensorType resultType,
                                      mlir::ValueRange inputs,
                                      ScalarBuilder body,
                                      mlir::Value init = nullptr);

/// The signless integer type of a signed or unsigned integer type; other
/// types unchanged.
mlir::Type toSignless(mlir::Type type);

/// Like buildBroadcastElementwise, but `body` sees signed and unsigned
/// integer elements as signless ones, and the value it returns is cast back
/// to the result's element type. The casts are scalar
/// `builtin.unrealized_conversion_cast`s inside the generic: the LLVM
/// lowering maps `ui8` and `i8` to the same type, so they disappear. The
/// body picks the arith op by signedness (divui, remui, cmpi ult, ...).
mlir::Value buildSignlessElementwise(mlir::OpBuilder &b, mlir::Location loc,
                                     mlir::RankedTensorType resultType,
                                     mlir::ValueRange inputs,
                                     ScalarBuilder body);

/// Creates a linalg.generic with one result of `init`'s type and yields
/// what `body` returns.
mlir::Value buildGeneric(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::ValueRange inputs, mlir::Value init,
                         llvm::ArrayRef<mlir::AffineMap> maps,
                         llvm::ArrayRef<mlir::utils::IteratorType> iterators,
                         ScalarBuilder body);

/// Clamps the `index` value into [0, size) (0 for an empty dimension), so
/// that run-time indices never read or write out of bounds.
mlir::Value clampIndex(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value index, int64_t size);

/// Converts an element read from an integer indices tensor (signless,
/// signed or unsigned) to `index`. With `wrapNegative`, a negative index
/// counts from `size`; the result is then clamped into [0, size).
mlir::Value toClampedIndex(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value raw, int64_t size,
                           bool wrapNegative = true);

/// Scalar arithmetic on float or signless integer values.
mlir::Value createAdd(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lhs,
                      mlir::Value rhs);
mlir::Value createMul(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lhs,
                      mlir::Value rhs);
mlir::Value createMax(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lhs,
                      mlir::Value rhs);

/// True for the element types the arithmetic lowerings handle: floats and
/// signless integers.
bool isFloatOrSignlessInt(mlir::Type type);

/// The per-family pattern sets.
void populateConstantPatterns(mlir::RewritePatternSet &patterns);
void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
void populateConvPatterns(mlir::RewritePatternSet &patterns);
void populateMatMulPatterns(mlir::RewritePatternSet &patterns);
void populatePoolingPatterns(mlir::RewritePatternSet &patterns);
void populateNormalizationPatterns(mlir::RewritePatternSet &patterns);
void populateDataMovementPatterns(mlir::RewritePatternSet &patterns);
void populateReductionPatterns(mlir::RewritePatternSet &patterns);
void populateIndexingPatterns(mlir::RewritePatternSet &patterns);
void populateSpatialPatterns(mlir::RewritePatternSet &patterns);
void populateQuantizationPatterns(mlir::RewritePatternSet &patterns);

} // namespace tessera::graph_to_linalg

#endif // TESSERA_CONVERSIONS_GRAPHTOLINALG_UTILS_H
