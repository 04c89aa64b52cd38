//===- ImportConstants.cpp - Constants and shape computations -------------===//
//
// Constant nodes become tg.constant. Shape and Size of a static-shaped value
// fold to an i64 constant, and Gather and Cast are evaluated on constant
// inputs (other Gathers become tg.gather), so that the `Reshape(x, Concat(Shape(x)[0], -1))` pattern of simple
// exporters imports with a constant shape. Cast between equal types is a no-op;
// Cast and CastLike of other values become tg.cast. ConstantOfShape becomes
// a splat constant.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"
#include "lib/Frontend/ONNX/NodeContext.h"
#include "lib/Frontend/ONNX/RuntimeShapeOperand.h"
#include "lib/Frontend/ONNX/TensorConversion.h"

using namespace mlir;

namespace tessera::onnx {

static LogicalResult importConstant(NodeContext &node) {
  OpBuilder &b = node.getBuilder();
  const ::onnx::NodeProto &proto = node.getNode();
  std::string name = proto.output_size() ? proto.output(0) : proto.name();
  ElementsAttr value;
  if (const auto *attr = node.getAttr("value")) {
    value = convertTensor(attr->t(), name, node.getLoc());
    if (!value)
      return failure();
  } else if (const auto *attr = node.getAttr("value_float")) {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                   attr->f());
  } else if (auto floats = node.getFloats("value_floats")) {
    auto type = RankedTensorType::get({static_cast<int64_t>(floats->size())},
                                      b.getF32Type());
    value = DenseElementsAttr::get(type, llvm::ArrayRef<float>(*floats));
  } else if (const auto *attr = node.getAttr("value_int")) {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                   static_cast<int64_t>(attr->i()));
  } else if (auto ints = node.getInts("value_ints")) {
    auto type = RankedTensorType::get({static_cast<int64_t>(ints->size())},
                                      b.getI64Type());
    value = DenseElementsAttr::get(type, llvm::ArrayRef<int64_t>(*ints));
  } else {
    node.emitError() << "only 'value', 'value_float(s)' and 'value_int(s)' "
                        "constants are supported";
    return failure();
  }
  node.setOutput(0, node.createConstant(value));
  return success();
}

static LogicalResult importShape(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  RankedTensorType type = node.getInputType(0);
  int64_t rank = type.getRank();
  auto clampIndex = [&](int64_t i) {
    if (i < 0)
      i += rank;
    return std::clamp<int64_t>(i, 0, rank);
  };
  int64_t start = clampIndex(node.getInt("start", 0));
  int64_t end = clampIndex(node.getInt("end", rank));
  llvm::SmallVector<int64_t> dims;
  for (int64_t i = start; i < end; ++i) {
    if (type.isDynamicDim(i)) {
      node.emitError() << "Shape of a value with dynamic dimension " << i
                       << " (" << type
                       << ") is not supported; give static input shapes "
                          "with --shape";
      return failure();
    }
    dims.push_back(type.getDimSize(i));
  }
  node.setOutput(
      0, node.createI64Constant(dims, {static_cast<int64_t>(dims.size())}));
  return success();
}

/// Size of a static-shaped value: a rank-0 i64 constant.
static LogicalResult importSize(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  RankedTensorType type = node.getInputType(0);
  if (!type.hasStaticShape()) {
    node.emitError() << "Size of a value with a dynamic shape (" << type
                     << ") is not supported; give static input shapes with "
                        "--shape";
    return failure();
  }
  node.setOutput(0, node.createI64Constant({type.getNumElements()}, {}));
  return success();
}

/// ConstantOfShape: a splat of `value` (default float 0) with the constant
/// shape input.
static LogicalResult importConstantOfShape(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  llvm::SmallVector<int64_t> shape;
  if (auto constant = node.getConstantInts(0)) {
    shape = *constant;
  } else {
    // Computed at run time: the recorded output shape, checked at run time.
    FailureOr<RankedTensorType> resultType =
        getRecordedOutputType(node, 0, 0, "input");
    if (failed(resultType))
      return failure();
    shape.assign(resultType->getShape().begin(), resultType->getShape().end());
    if (failed(addShapeCheck(node, 0, "input", "equals", {}, shape)))
      return failure();
  }
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; })) {
    node.emitError() << "shape values must be >= 0";
    return failure();
  }
  OpBuilder &b = node.getBuilder();
  Attribute element = b.getF32FloatAttr(0.0f);
  Type elementType = b.getF32Type();
  if (const auto *attr = node.getAttr("value")) {
    if (attr->type() != ::onnx::AttributeProto::TENSOR) {
      node.emitError() << "attribute 'value' must be a tensor";
      return failure();
    }
    ElementsAttr value = convertTensor(attr->t(), "value", node.getLoc());
    if (!value)
      return failure();
    if (value.getNumElements() != 1) {
      node.emitError() << "attribute 'value' must have one element, it has "
                       << value.getNumElements();
      return failure();
    }
    auto dense = dyn_cast<DenseElementsAttr>(value);
    if (!dense) {
      node.emitError() << "attribute 'value' must be a dense tensor";
      return failure();
    }
    element = dense.getSplatValue<Attribute>();
    elementType = value.getElementType();
  }
  auto type = RankedTensorType::get(shape, elementType);
  node.setOutput(0, node.createConstant(DenseElementsAttr::get(type, element)));
  return success();
}

/// Builds an integer constant of `type` from int64 values.
static ElementsAttr getIntegerAttr(RankedTensorType type,
                                   llvm::ArrayRef<int64_t> values) {
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  llvm::SmallVector<llvm::APInt> ints;
  for (int64_t v : values)
    ints.push_back(llvm::APInt(width, static_cast<uint64_t>(v),
                               /*isSigned=*/true, /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, ints);
}

static LogicalResult importGather(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  RankedTensorType dataType = node.getInputType(0);
  RankedTensorType indicesType = node.getInputType(1);
  auto data = node.getConstantInts(0);
  auto indices = node.getConstantInts(1);
  if (!data || !indices || dataType.getRank() != 1) {
    // Not a shape computation: gather at run time.
    OpBuilder &b = node.getBuilder();
    FailureOr<Value> result = node.create<graph::GatherOp>(
        {node.getInput(0), node.getInput(1)},
        {b.getNamedAttr("axis", b.getI64IntegerAttr(node.getInt("axis", 0)))});
    if (failed(result))
      return failure();
    node.setOutput(0, *result);
    return success();
  }
  if (!graph::normalizeAxis(node.getInt("axis", 0), 1)) {
    node.emitError() << "axis " << node.getInt("axis", 0)
                     << " is out of range for 1-D data";
    return failure();
  }
  int64_t size = data->size();
  llvm::SmallVector<int64_t> values;
  for (int64_t index : *indices) {
    if (index < -size || index >= size) {
      node.emitError() << "index " << index << " is out of range for "
                       << dataType;
      return failure();
    }
    values.push_back((*data)[index < 0 ? index + size : index]);
  }
  auto type =
      RankedTensorType::get(indicesType.getShape(), dataType.getElementType());
  node.setOutput(0, node.createConstant(getIntegerAttr(type, values)));
  return success();
}

/// Cast of input 0 to `elementType`: folded for constant inputs (so shape
/// computations stay constant), a tg.cast otherwise.
static LogicalResult importCastTo(NodeContext &node, Type elementType) {
  RankedTensorType inputType = node.getInputType(0);
  if (inputType.getElementType() == elementType) {
    node.setOutput(0, node.getInput(0));
    return success();
  }
  auto resultType = inputType.clone(elementType);
  if (auto intType = dyn_cast<IntegerType>(elementType)) {
    std::optional<llvm::SmallVector<int64_t>> ints = node.getConstantInts(0);
    if (!ints) {
      if (auto doubles = node.getConstantDoubles(0)) {
        ints.emplace();
        for (double d : *doubles)
          ints->push_back(intType.getWidth() == 1 ? d != 0
                                                  : static_cast<int64_t>(d));
      }
    }
    if (ints) {
      // To bool: nonzero is true.
      if (intType.getWidth() == 1)
        for (int64_t &v : *ints)
          v = v != 0;
      node.setOutput(0, node.createConstant(getIntegerAttr(resultType, *ints)));
      return success();
    }
  } else if (auto floatType = dyn_cast<FloatType>(elementType)) {
    if (auto doubles = node.getConstantDoubles(0)) {
      llvm::SmallVector<llvm::APFloat> floats;
      for (double d : *doubles) {
        llvm::APFloat f(d);
        bool lost;
        f.convert(floatType.getFloatSemantics(),
                  llvm::APFloat::rmNearestTiesToEven, &lost);
        floats.push_back(f);
      }
      node.setOutput(
          0, node.createConstant(DenseElementsAttr::get(resultType, floats)));
      return success();
    }
  }
  FailureOr<Value> result =
      node.create<graph::CastOp>(node.getInput(0), {}, resultType);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importCast(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  if (!node.hasAttr("to")) {
    node.emitError() << "Cast needs the 'to' attribute";
    return failure();
  }
  int64_t to = node.getInt("to", 0);
  Type elementType = convertElementType(to, node.getContext());
  if (!elementType) {
    node.emitError() << "unsupported target type " << onnxTypeName(to);
    return failure();
  }
  return importCastTo(node, elementType);
}

/// CastLike: Cast to the element type of input 1.
static LogicalResult importCastLike(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  return importCastTo(node, node.getInputType(1).getElementType());
}

void registerConstantImporters(OpImporterRegistry &registry) {
  registry["Constant"] = importConstant;
  registry["Shape"] = importShape;
  registry["Size"] = importSize;
  registry["ConstantOfShape"] = importConstantOfShape;
  registry["Gather"] = importGather;
  registry["Cast"] = importCast;
  registry["CastLike"] = importCastLike;
}

} // namespace tessera::onnx
