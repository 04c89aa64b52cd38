//===- GraphImporter.h - ONNX graph to func.func of tg ops ------*- C++ -*-===//
//
// Translates a checked, topologically sorted ONNX main graph into a module
// with one function: graph inputs become arguments, initializers become
// tg.constant ops, every node goes through its op importer, and graph
// outputs are returned.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_FRONTEND_ONNX_GRAPHIMPORTER_H
#define TESSERA_LIB_FRONTEND_ONNX_GRAPHIMPORTER_H

#include "tessera/Frontend/ONNXImporter.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <onnx/onnx_pb.h>

namespace tessera::onnx {

class GraphImporter {
public:
  GraphImporter(const ::onnx::ModelProto &model, llvm::StringRef sourceName,
                mlir::MLIRContext &ctx, const ImportOptions &options);

  /// Builds the module; nullptr (after diagnostics) on failure.
  mlir::OwningOpRef<mlir::ModuleOp> importModel();

  /// The value bound to an ONNX name; null if none.
  mlir::Value lookup(llvm::StringRef name) const { return values.lookup(name); }
  /// Binds an ONNX name.
  void bind(llvm::StringRef name, mlir::Value value) { values[name] = value; }
  /// Whether a node or the graph outputs read the ONNX value `name`.
  bool isUsed(llvm::StringRef name) const { return usedValues.contains(name); }

  /// The fully static tensor type that the model records for the value
  /// `name` (graph outputs and value_info, after ONNX shape inference);
  /// null when none is recorded or a dimension is unknown.
  mlir::RankedTensorType getDeclaredStaticType(llvm::StringRef name) const;

  /// `NameLoc(name, FileLineColLoc(source, 0, 0))`.
  mlir::Location getNameLoc(llvm::StringRef name);

  /// Opset of `domain` ("" and "ai.onnx" are the default domain); 0 when the
  /// model does not import it.
  int64_t getOpset(llvm::StringRef domain) const;

private:
  mlir::LogicalResult reportUnsupportedNodes();
  mlir::LogicalResult importInputs(llvm::SmallVectorImpl<mlir::Type> &types,
                                   llvm::SmallVectorImpl<mlir::Location> &locs,
                                   llvm::SmallVectorImpl<std::string> &names);
  mlir::LogicalResult importInitializers(mlir::OpBuilder &builder);
  mlir::LogicalResult importNode(const ::onnx::NodeProto &node,
                                 mlir::OpBuilder &builder);

  const ::onnx::GraphProto &graph;
  std::string sourceName;
  mlir::MLIRContext &ctx;
  const ImportOptions &options;
  llvm::StringMap<mlir::Value> values;
  llvm::StringSet<> usedValues;
  llvm::StringSet<> initializerNames;
  llvm::StringMap<int64_t> opsets;
  llvm::StringMap<const ::onnx::TypeProto *> declaredTypes;
};

} // namespace tessera::onnx

#endif // TESSERA_LIB_FRONTEND_ONNX_GRAPHIMPORTER_H
