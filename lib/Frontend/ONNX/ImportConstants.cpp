//===- ImportConstants.cpp - Constants and shape computations -------------===//
//
// Constant nodes become tg.constant. Shape of a static-shaped value folds to
// an i64 constant, and Gather and Cast are evaluated on constant inputs, so
// that the `Reshape(x, Concat(Shape(x)[0], -1))` pattern of simple exporters
// imports with a constant shape. Cast between equal types is a no-op.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"
#include "lib/Frontend/ONNX/NodeContext.h"
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
    node.emitError() << "Gather is only supported on constant 1-D integer "
                        "data with constant indices (shape computations)";
    return failure();
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

static LogicalResult importCast(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  int64_t to = node.getInt("to", 0);
  Type elementType = convertElementType(to, node.getContext());
  if (!elementType) {
    node.emitError() << "unsupported target type " << onnxTypeName(to);
    return failure();
  }
  RankedTensorType inputType = node.getInputType(0);
  if (inputType.getElementType() == elementType) {
    node.setOutput(0, node.getInput(0));
    return success();
  }
  auto resultType = inputType.clone(elementType);
  if (auto intType = dyn_cast<IntegerType>(elementType)) {
    if (auto ints = node.getConstantInts(0)) {
      node.setOutput(0, node.createConstant(getIntegerAttr(resultType, *ints)));
      return success();
    }
    if (auto doubles = node.getConstantDoubles(0)) {
      llvm::SmallVector<int64_t> ints;
      for (double d : *doubles)
        ints.push_back(static_cast<int64_t>(d));
      node.setOutput(0, node.createConstant(getIntegerAttr(resultType, ints)));
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
  node.emitError() << "Cast of a non-constant value from "
                   << inputType.getElementType() << " to " << elementType
                   << " is not supported";
  return failure();
}

void registerConstantImporters(OpImporterRegistry &registry) {
  registry["Constant"] = importConstant;
  registry["Shape"] = importShape;
  registry["Gather"] = importGather;
  registry["Cast"] = importCast;
}

} // namespace tessera::onnx
