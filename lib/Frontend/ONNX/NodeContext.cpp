//===- NodeContext.cpp - What an op importer sees of its node -------------===//
//
// Attribute and input accessors of NodeContext, op creation with
// verification, and the registry of op importers.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/NodeContext.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "lib/Frontend/ONNX/GraphImporter.h"
#include "lib/Frontend/ONNX/TensorConversion.h"

using namespace mlir;

namespace tessera::onnx {

const OpImporterRegistry &getOpImporterRegistry() {
  static const OpImporterRegistry registry = [] {
    OpImporterRegistry r;
    registerConstantImporters(r);
    registerConvPoolImporters(r);
    registerDataMovementImporters(r);
    registerElementwiseImporters(r);
    registerMatMulImporters(r);
    registerNormalizationImporters(r);
    registerReductionImporters(r);
    registerIndexingImporters(r);
    registerSpatialImporters(r);
    registerQuantizationImporters(r);
    return r;
  }();
  return registry;
}

Value NodeContext::getInput(unsigned i) const {
  if (!hasInput(i))
    return nullptr;
  return importer.lookup(node.input(i));
}

RankedTensorType NodeContext::getInputType(unsigned i) const {
  Value value = getInput(i);
  return value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
}

LogicalResult NodeContext::requireInputs(unsigned min) {
  for (unsigned i = 0; i < min; ++i) {
    if (!getInput(i)) {
      emitError() << "expects at least " << min << " inputs, input " << i
                  << " is missing";
      return failure();
    }
  }
  return success();
}

bool NodeContext::isOutputUsed(unsigned i) const {
  return static_cast<int>(i) < node.output_size() && !node.output(i).empty() &&
         importer.isUsed(node.output(i));
}

RankedTensorType NodeContext::getDeclaredOutputType(unsigned i) const {
  if (static_cast<int>(i) >= node.output_size() || node.output(i).empty())
    return nullptr;
  return importer.getDeclaredStaticType(node.output(i));
}

void NodeContext::setOutput(unsigned i, Value value) {
  if (static_cast<int>(i) < node.output_size() && !node.output(i).empty())
    importer.bind(node.output(i), value);
}

/// The ElementsAttr of a tg.constant, or null.
static ElementsAttr getConstantAttr(Value value) {
  if (!value)
    return nullptr;
  if (auto constant = value.getDefiningOp<graph::ConstantOp>())
    return constant.getValue();
  return nullptr;
}

std::optional<llvm::SmallVector<int64_t>>
NodeContext::getConstantInts(unsigned i) const {
  if (ElementsAttr attr = getConstantAttr(getInput(i)))
    return getIntegerValues(attr);
  return std::nullopt;
}

std::optional<llvm::SmallVector<double>>
NodeContext::getConstantDoubles(unsigned i) const {
  if (ElementsAttr attr = getConstantAttr(getInput(i)))
    return getDoubleValues(attr);
  return std::nullopt;
}

Value NodeContext::createConstant(ElementsAttr value) {
  return graph::ConstantOp::create(builder, loc, value);
}

Value NodeContext::createI64Constant(llvm::ArrayRef<int64_t> values,
                                     llvm::ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, builder.getI64Type());
  return createConstant(DenseIntElementsAttr::get(type, values));
}

const ::onnx::AttributeProto *NodeContext::getAttr(llvm::StringRef name) const {
  for (const auto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t NodeContext::getInt(llvm::StringRef name, int64_t defaultValue) const {
  const auto *attr = getAttr(name);
  return attr && attr->has_i() ? attr->i() : defaultValue;
}

float NodeContext::getFloat(llvm::StringRef name, float defaultValue) const {
  const auto *attr = getAttr(name);
  return attr && attr->has_f() ? attr->f() : defaultValue;
}

std::string NodeContext::getString(llvm::StringRef name,
                                   llvm::StringRef defaultValue) const {
  const auto *attr = getAttr(name);
  return attr && attr->has_s() ? attr->s() : defaultValue.str();
}

std::optional<llvm::SmallVector<int64_t>>
NodeContext::getInts(llvm::StringRef name) const {
  const auto *attr = getAttr(name);
  if (!attr)
    return std::nullopt;
  return llvm::SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

std::optional<llvm::SmallVector<float>>
NodeContext::getFloats(llvm::StringRef name) const {
  const auto *attr = getAttr(name);
  if (!attr)
    return std::nullopt;
  return llvm::SmallVector<float>(attr->floats().begin(), attr->floats().end());
}

/// Folds `op` when all its operands are inline constants (shape
/// computations such as Shape -> Gather -> Add -> Concat), so that the
/// importers of later nodes see constants. Returns the folded value or null.
static Value foldConstantOperands(Operation *op, OpBuilder &builder) {
  if (op->getNumResults() != 1 || op->getNumOperands() == 0)
    return nullptr;
  SmallVector<Attribute> operands;
  for (Value operand : op->getOperands()) {
    ElementsAttr attr = getConstantAttr(operand);
    if (!attr || !isa<DenseElementsAttr>(attr))
      return nullptr;
    operands.push_back(attr);
  }
  SmallVector<OpFoldResult> results;
  if (failed(op->fold(operands, results)) || results.empty()) {
    // Folders of elementwise ops want operands of the result's shape: retry
    // with single-element constants (scalars in shape arithmetic) splatted.
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape() ||
        !isa<graph::AddOp, graph::SubOp, graph::MulOp, graph::DivOp>(op))
      return nullptr;
    bool changed = false;
    for (Attribute &attr : operands) {
      auto dense = cast<DenseElementsAttr>(attr);
      if (dense.getType().getShape() == resultType.getShape())
        continue;
      if (dense.getNumElements() != 1)
        return nullptr;
      attr = DenseElementsAttr::get(
          RankedTensorType::get(resultType.getShape(), dense.getElementType()),
          dense.getValues<Attribute>()[0]);
      changed = true;
    }
    results.clear();
    if (!changed || failed(op->fold(operands, results)) || results.empty())
      return nullptr;
  }
  if (results.size() != 1)
    return nullptr;
  if (auto value = dyn_cast<Value>(results[0]))
    return value == op->getResult(0) ? nullptr : value; // in place: no fold

  auto attr = dyn_cast<ElementsAttr>(cast<Attribute>(results[0]));
  if (!attr || attr.getType() != op->getResult(0).getType())
    return nullptr;
  return graph::ConstantOp::create(builder, op->getLoc(), attr);
}

FailureOr<Value> NodeContext::finishCreate(OperationState &state) {
  Operation *op = builder.create(state);
  if (failed(verify(op))) {
    op->erase();
    return failure();
  }
  if (Value folded = foldConstantOperands(op, builder)) {
    op->erase();
    return folded;
  }
  return op->getResult(0);
}

} // namespace tessera::onnx
