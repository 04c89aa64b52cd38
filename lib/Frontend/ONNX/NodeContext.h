//===- NodeContext.h - What an op importer sees of its node -----*- C++ -*-===//
//
// Op importers translate one ONNX node each. They get a NodeContext: typed
// access to the node's attributes, its inputs as MLIR values (with constant
// lookups), a way to bind outputs, and `create<OpTy>()`, which infers result
// types up front and verifies the new op so that a bad model produces a
// diagnostic instead of the fatal error of ODS builders.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_FRONTEND_ONNX_NODECONTEXT_H
#define TESSERA_LIB_FRONTEND_ONNX_NODECONTEXT_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/StringMap.h"
#include <onnx/onnx_pb.h>
#include <optional>
#include <type_traits>

namespace tessera::onnx {

class GraphImporter;
class NodeContext;

/// Translates one node; emits errors through NodeContext::emitError.
using OpImportFn = mlir::LogicalResult (*)(NodeContext &);

/// Op importers of the default ONNX domain, by op type.
using OpImporterRegistry = llvm::StringMap<OpImportFn>;

/// Registration functions of the op families (one per Import*.cpp).
void registerConstantImporters(OpImporterRegistry &registry);
void registerConvPoolImporters(OpImporterRegistry &registry);
void registerDataMovementImporters(OpImporterRegistry &registry);
void registerElementwiseImporters(OpImporterRegistry &registry);
void registerMatMulImporters(OpImporterRegistry &registry);
void registerNormalizationImporters(OpImporterRegistry &registry);
void registerReductionImporters(OpImporterRegistry &registry);
void registerIndexingImporters(OpImporterRegistry &registry);
void registerSpatialImporters(OpImporterRegistry &registry);
void registerQuantizationImporters(OpImporterRegistry &registry);

/// The registry with every supported op.
const OpImporterRegistry &getOpImporterRegistry();

class NodeContext {
public:
  NodeContext(GraphImporter &importer, const ::onnx::NodeProto &node,
              int64_t opset, mlir::OpBuilder &builder, mlir::Location loc)
      : importer(importer), node(node), opset(opset), builder(builder),
        loc(loc) {}

  const ::onnx::NodeProto &getNode() const { return node; }
  int64_t getOpset() const { return opset; }
  mlir::OpBuilder &getBuilder() { return builder; }
  mlir::Location getLoc() const { return loc; }
  mlir::MLIRContext *getContext() const { return loc->getContext(); }

  /// Reports an error about this node (the importer prefixes the node).
  mlir::InFlightDiagnostic emitError() { return mlir::emitError(loc); }

  //===--------------------------------------------------------------------===//
  // Inputs and outputs
  //===--------------------------------------------------------------------===//

  /// Number of inputs, including trailing omitted (empty) ones.
  unsigned getNumInputs() const { return node.input_size(); }
  /// Whether optional input `i` is given.
  bool hasInput(unsigned i) const {
    return i < getNumInputs() && !node.input(i).empty();
  }
  /// Input `i`; null if it is omitted.
  mlir::Value getInput(unsigned i) const;
  /// Input `i` as a ranked tensor (all values are), null if omitted.
  mlir::RankedTensorType getInputType(unsigned i) const;
  /// Checks there are at least `min` given inputs; reports otherwise.
  mlir::LogicalResult requireInputs(unsigned min);

  /// Whether output `i` exists and something reads it (a node or the graph
  /// outputs).
  bool isOutputUsed(unsigned i) const;
  /// The fully static type the model records for output `i` (value_info or
  /// graph output, after ONNX shape inference); null if unknown.
  mlir::RankedTensorType getDeclaredOutputType(unsigned i) const;
  /// Binds output `i` (if present) to `value`.
  void setOutput(unsigned i, mlir::Value value);

  /// The integer elements of a constant input (tg.constant); nullopt if the
  /// input is omitted or not a constant integer tensor.
  std::optional<llvm::SmallVector<int64_t>> getConstantInts(unsigned i) const;
  /// The elements of a constant numeric input as doubles.
  std::optional<llvm::SmallVector<double>> getConstantDoubles(unsigned i) const;

  /// Creates a tg.constant for `value`.
  mlir::Value createConstant(mlir::ElementsAttr value);
  /// Creates a tg.constant holding an i64 tensor of the given shape.
  mlir::Value createI64Constant(llvm::ArrayRef<int64_t> values,
                                llvm::ArrayRef<int64_t> shape);

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//

  const ::onnx::AttributeProto *getAttr(llvm::StringRef name) const;
  bool hasAttr(llvm::StringRef name) const { return getAttr(name); }
  int64_t getInt(llvm::StringRef name, int64_t defaultValue) const;
  float getFloat(llvm::StringRef name, float defaultValue) const;
  std::string getString(llvm::StringRef name,
                        llvm::StringRef defaultValue) const;
  std::optional<llvm::SmallVector<int64_t>> getInts(llvm::StringRef name) const;
  std::optional<llvm::SmallVector<float>> getFloats(llvm::StringRef name) const;

  //===--------------------------------------------------------------------===//
  // Op creation
  //===--------------------------------------------------------------------===//

  /// Creates `OpTy` with result types inferred by the op (or `resultType`,
  /// by default the first operand's type, for ops without inference) and
  /// verifies it. Reports and returns failure when inference or
  /// verification fails.
  template <typename OpTy>
  mlir::FailureOr<mlir::Value>
  create(mlir::ValueRange operands,
         llvm::ArrayRef<mlir::NamedAttribute> attributes = {},
         mlir::Type resultType = {});

private:
  /// Inserts the op described by `state` and verifies it.
  mlir::FailureOr<mlir::Value> finishCreate(mlir::OperationState &state);

  GraphImporter &importer;
  const ::onnx::NodeProto &node;
  int64_t opset;
  mlir::OpBuilder &builder;
  mlir::Location loc;
};

template <typename OpTy>
mlir::FailureOr<mlir::Value>
NodeContext::create(mlir::ValueRange operands,
                    llvm::ArrayRef<mlir::NamedAttribute> attributes,
                    mlir::Type resultType) {
  mlir::MLIRContext *ctx = getContext();
  mlir::OperationState state(loc, OpTy::getOperationName());
  state.addOperands(operands);
  mlir::NamedAttrList attrList(attributes);
  mlir::DictionaryAttr dict = attrList.getDictionary(ctx);
  using Properties = typename OpTy::Properties;
  if constexpr (!std::is_same_v<Properties, mlir::EmptyProperties>) {
    Properties &props = state.getOrAddProperties<Properties>();
    if (mlir::failed(OpTy::setPropertiesFromAttr(props, dict,
                                                 [&] { return emitError(); })))
      return mlir::failure();
    // Unset default-valued attributes get their defaults (as ODS builders do).
    state.name.populateDefaultProperties(state.getRawProperties());
  } else {
    state.addAttributes(attributes);
  }
  llvm::SmallVector<mlir::Type, 1> types;
  if constexpr (OpTy::template hasTrait<mlir::InferTypeOpInterface::Trait>()) {
    if (mlir::failed(OpTy::inferReturnTypes(ctx, loc, state.operands, dict,
                                            state.getRawProperties(),
                                            state.regions, types)))
      return mlir::failure();
  } else {
    if (!resultType && !operands.empty())
      resultType = operands.front().getType();
    types.push_back(resultType);
  }
  state.addTypes(types);
  return finishCreate(state);
}

} // namespace tessera::onnx

#endif // TESSERA_LIB_FRONTEND_ONNX_NODECONTEXT_H
