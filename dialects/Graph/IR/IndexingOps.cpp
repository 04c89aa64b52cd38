//===- IndexingOps.cpp - Graph dialect: indexing ops ----------------------===//
//
// Result-type inference and verifiers of the ops in IndexingOps.td.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace tessera::graph;

namespace {

RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Index operands are tensors of (signed, unsigned or signless) integers
/// other than i1.
LogicalResult checkIndexElements(std::optional<Location> loc, StringRef name,
                                 RankedTensorType type) {
  Type element = type.getElementType();
  if (!isa<IntegerType>(element) || element.isInteger(1))
    return emitOptionalError(loc, "'", name, "' must hold integers, got ",
                             element);
  return success();
}

/// The element-combining modes of the scatter ops.
LogicalResult checkScatterReduction(std::optional<Location> loc,
                                    StringRef reduction) {
  if (reduction != "none" && reduction != "add" && reduction != "mul")
    return emitOptionalError(loc, "unknown reduction '", reduction,
                             "' (expected none, add or mul)");
  return success();
}

/// Whether two dimensions may be equal (a dynamic one matches anything).
bool dimsAgree(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

} // namespace

#define TG_COMPATIBLE_RESULTS(OP)                                              \
  bool OP::isCompatibleReturnTypes(TypeRange l, TypeRange r) {                 \
    return areCompatibleResultTypes(l, r);                                         \
  }
TG_COMPATIBLE_RESULTS(GatherElementsOp)
TG_COMPATIBLE_RESULTS(ScatterElementsOp)
TG_COMPATIBLE_RESULTS(GatherNDOp)
TG_COMPATIBLE_RESULTS(ScatterNDOp)
TG_COMPATIBLE_RESULTS(TriluOp)
TG_COMPATIBLE_RESULTS(OneHotOp)
TG_COMPATIBLE_RESULTS(NLLLossOp)
#undef TG_COMPATIBLE_RESULTS

//===----------------------------------------------------------------------===//
// Element-wise gathers and scatters
//===----------------------------------------------------------------------===//

/// Checks the operands shared by GatherElements and ScatterElements: integer
/// indices of the data's rank and an axis in range.
static LogicalResult verifyElementsIndexing(std::optional<Location> loc,
                                            RankedTensorType data,
                                            RankedTensorType indices,
                                            int64_t axis) {
  if (failed(checkIndexElements(loc, "indices", indices)))
    return failure();
  if (indices.getRank() != data.getRank())
    return emitOptionalError(loc, "'indices' must have the rank of 'data' (",
                             data.getRank(), "), got ", indices.getRank());
  if (!normalizeAxis(axis, data.getRank()))
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             data.getRank());
  return success();
}

LogicalResult
GatherElementsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                   Adaptor adaptor,
                                   SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = rankedType(adaptor.getData()),
                   indices = rankedType(adaptor.getIndices());
  if (failed(verifyElementsIndexing(loc, data, indices, adaptor.getAxis())))
    return failure();
  inferred.push_back(data.clone(indices.getShape()));
  return success();
}

LogicalResult
ScatterElementsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = rankedType(adaptor.getData()),
                   indices = rankedType(adaptor.getIndices()),
                   updates = rankedType(adaptor.getUpdates());
  if (failed(verifyElementsIndexing(loc, data, indices, adaptor.getAxis())) ||
      failed(checkScatterReduction(loc, adaptor.getReduction())))
    return failure();
  if (updates.getElementType() != data.getElementType())
    return emitOptionalError(
        loc, "'updates' elements (", updates.getElementType(),
        ") differ from 'data' elements (", data.getElementType(), ")");
  if (failed(verifyCompatibleShape(updates.getShape(), indices.getShape())))
    return emitOptionalError(loc,
                             "'updates' must have the shape of 'indices' (",
                             shapeString(indices.getShape()), "), got ",
                             shapeString(updates.getShape()));
  inferred.push_back(data);
  return success();
}

//===----------------------------------------------------------------------===//
// N-dimensional gathers and scatters
//===----------------------------------------------------------------------===//

/// The static size of the index tuples of GatherND/ScatterND (the last
/// dimension of `indices`), checked against the indexed dimensions of
/// `data` after `batchDims`.
static FailureOr<int64_t> indexTupleSize(std::optional<Location> loc,
                                         RankedTensorType data,
                                         RankedTensorType indices,
                                         int64_t batchDims) {
  if (failed(checkIndexElements(loc, "indices", indices)))
    return failure();
  if (indices.getRank() < 1)
    return emitOptionalError(loc, "'indices' must have rank >= 1");
  int64_t k = indices.getShape().back();
  if (ShapedType::isDynamic(k))
    return emitOptionalError(
        loc, "the last dimension of 'indices' (the index tuple size) must be "
             "static");
  if (batchDims + k > data.getRank())
    return emitOptionalError(
        loc, "index tuples of size ", k, " after ", batchDims,
        " batch dimensions exceed the rank of 'data' (", data.getRank(), ")");
  return k;
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = rankedType(adaptor.getData()),
                   indices = rankedType(adaptor.getIndices());
  int64_t batchDims = adaptor.getBatchDims();
  if (batchDims < 0 || batchDims >= std::min(data.getRank(), indices.getRank()))
    return emitOptionalError(loc, "'batch_dims' must be in [0, ",
                             std::min(data.getRank(), indices.getRank()),
                             "), got ", batchDims);
  FailureOr<int64_t> k = indexTupleSize(loc, data, indices, batchDims);
  if (failed(k))
    return failure();
  for (int64_t i = 0; i < batchDims; ++i)
    if (!dimsAgree(data.getDimSize(i), indices.getDimSize(i)))
      return emitOptionalError(
          loc, "batch dimension ", i, " differs: ", data.getDimSize(i),
          " in 'data' vs ", indices.getDimSize(i), " in 'indices'");
  SmallVector<int64_t> shape(indices.getShape().drop_back());
  llvm::append_range(shape, data.getShape().drop_front(batchDims + *k));
  inferred.push_back(data.clone(shape));
  return success();
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = rankedType(adaptor.getData()),
                   indices = rankedType(adaptor.getIndices()),
                   updates = rankedType(adaptor.getUpdates());
  if (failed(checkScatterReduction(loc, adaptor.getReduction())))
    return failure();
  FailureOr<int64_t> k = indexTupleSize(loc, data, indices, 0);
  if (failed(k))
    return failure();
  if (updates.getElementType() != data.getElementType())
    return emitOptionalError(
        loc, "'updates' elements (", updates.getElementType(),
        ") differ from 'data' elements (", data.getElementType(), ")");
  SmallVector<int64_t> expected(indices.getShape().drop_back());
  llvm::append_range(expected, data.getShape().drop_front(*k));
  if (failed(verifyCompatibleShape(updates.getShape(), expected)))
    return emitOptionalError(
        loc,
        "'updates' must have the shape indices.shape[:-1] + "
        "data.shape[k:] (",
        shapeString(expected), "), got ", shapeString(updates.getShape()));
  inferred.push_back(data);
  return success();
}

//===----------------------------------------------------------------------===//
// Generators and masks
//===----------------------------------------------------------------------===//

LogicalResult TriluOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (input.getRank() < 2)
    return emitOptionalError(loc, "expects a rank >= 2 input, got rank ",
                             input.getRank());
  if (Value k = adaptor.getK()) {
    RankedTensorType kType = rankedType(k);
    if (kType.getRank() != 0 || !kType.getElementType().isSignlessInteger(64))
      return emitOptionalError(loc, "'k' must be a rank-0 tensor of i64, got ",
                               kType);
  }
  inferred.push_back(input);
  return success();
}

LogicalResult OneHotOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  RankedTensorType indices = rankedType(adaptor.getIndices()),
                   values = rankedType(adaptor.getValues());
  Type indexElement = indices.getElementType();
  if (indexElement.isInteger(1) || !isa<IntegerType, FloatType>(indexElement))
    return emitOptionalError(
        loc, "'indices' must hold integers or floats, got ", indexElement);
  if (values.getRank() != 1 || !dimsAgree(values.getDimSize(0), 2))
    return emitOptionalError(loc,
                             "'values' must be a 2-element 1-D tensor, "
                             "got ",
                             values);
  if (Value runtimeDepth = adaptor.getRuntimeDepth()) {
    RankedTensorType t = rankedType(runtimeDepth);
    Type element = t.getElementType();
    if (!t.hasStaticShape() || t.getNumElements() != 1 ||
        element.isInteger(1) || !isa<IntegerType, FloatType>(element))
      return emitOptionalError(
          loc, "'runtime_depth' must be one integer or float, got ", t);
  }
  int64_t depth = adaptor.getDepth();
  if (depth < 1)
    return emitOptionalError(loc, "'depth' must be >= 1, got ", depth);
  std::optional<int64_t> axis =
      normalizeAxis(adaptor.getAxis(), indices.getRank() + 1);
  if (!axis)
    return emitOptionalError(loc, "axis ", adaptor.getAxis(),
                             " is out of range for result rank ",
                             indices.getRank() + 1);
  SmallVector<int64_t> shape(indices.getShape());
  shape.insert(shape.begin() + *axis, depth);
  inferred.push_back(values.clone(shape));
  return success();
}

LogicalResult RangeOp::verify() {
  RankedTensorType type = getType();
  if (type.getRank() != 1)
    return emitOpError("expects a 1-D result, got rank ") << type.getRank();
  if (!isa<FloatType>(type.getElementType()) &&
      !type.getElementType().isSignlessInteger())
    return emitOpError("expects float or signless integer elements, got ")
           << type.getElementType();
  for (auto [name, v] : {std::pair<StringRef, Value>("start", getStart()),
                         std::pair<StringRef, Value>("limit", getLimit()),
                         std::pair<StringRef, Value>("delta", getDelta())}) {
    auto t = rankedType(v);
    if (t.getRank() != 0 || t.getElementType() != type.getElementType())
      return emitOpError("'") << name << "' must be a rank-0 tensor of "
                              << type.getElementType() << ", got " << t;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

LogicalResult NLLLossOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput()),
                   target = rankedType(adaptor.getTarget());
  if (!isa<FloatType>(input.getElementType()))
    return emitOptionalError(loc, "'input' must hold floats, got ",
                             input.getElementType());
  if (input.getRank() < 2)
    return emitOptionalError(loc, "expects an N x C x ... input, got rank ",
                             input.getRank());
  if (failed(checkIndexElements(loc, "target", target)))
    return failure();
  // target is input's shape without the class dimension.
  SmallVector<int64_t> expected(input.getShape());
  expected.erase(expected.begin() + 1);
  if (failed(verifyCompatibleShape(target.getShape(), expected)))
    return emitOptionalError(
        loc, "'target' must have the shape of 'input' without dimension 1 (",
        shapeString(expected), "), got ", shapeString(target.getShape()));
  if (Value weight = adaptor.getWeight()) {
    RankedTensorType w = rankedType(weight);
    if (w.getRank() != 1 || w.getElementType() != input.getElementType() ||
        !dimsAgree(w.getDimSize(0), input.getDimSize(1)))
      return emitOptionalError(loc, "'weight' must hold one ",
                               input.getElementType(), " per class (1-D, size ",
                               input.getDimSize(1), "), got ", w);
  }
  StringRef reduction = adaptor.getReduction();
  if (reduction == "none") {
    inferred.push_back(input.clone(target.getShape()));
    return success();
  }
  if (reduction != "sum" && reduction != "mean")
    return emitOptionalError(loc, "unknown reduction '", reduction,
                             "' (expected none, sum or mean)");
  inferred.push_back(input.clone(ArrayRef<int64_t>{}));
  return success();
}
