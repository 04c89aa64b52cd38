//===- ONNXImporter.cpp - ONNX frontend entry points ----------------------===//
//
// importONNXFile / importONNXBytes: parse, validate and prepare the model
// (ModelLoader), then translate its main graph (GraphImporter).
//
//===----------------------------------------------------------------------===//

#include "tessera/Frontend/ONNXImporter.h"

#include "dialects/Graph/IR/GraphDialect.h"
#include "lib/Frontend/ONNX/GraphImporter.h"
#include "lib/Frontend/ONNX/ModelLoader.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace tessera::onnx {

static OwningOpRef<ModuleOp> importModel(llvm::StringRef bytes,
                                         llvm::StringRef displayName,
                                         llvm::StringRef baseDir,
                                         MLIRContext &ctx,
                                         const ImportOptions &options) {
  ctx.loadDialect<graph::GraphDialect, func::FuncDialect>();
  Location loc = FileLineColLoc::get(&ctx, displayName, 0, 0);
  ::onnx::ModelProto model;
  if (failed(parseModel(bytes, displayName, model, loc)) ||
      failed(checkOpsetImports(model, loc)) ||
      failed(resolveExternalData(model, baseDir, loc)) ||
      failed(sortGraph(*model.mutable_graph(), loc)) ||
      failed(checkModel(model, loc)) ||
      failed(checkAttributeValues(model, loc)) ||
      failed(inferShapes(model, loc)))
    return nullptr;
  GraphImporter importer(model, displayName, ctx, options);
  return importer.importModel();
}

OwningOpRef<ModuleOp> importONNXFile(llvm::StringRef path, MLIRContext &ctx,
                                     const ImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(UnknownLoc::get(&ctx))
        << "cannot open '" << path << "': " << buffer.getError().message();
    return nullptr;
  }
  llvm::StringRef baseDir = llvm::sys::path::parent_path(path);
  return importModel((*buffer)->getBuffer(), path,
                     baseDir.empty() ? llvm::StringRef(".") : baseDir, ctx,
                     options);
}

OwningOpRef<ModuleOp> importONNXBytes(llvm::StringRef bytes,
                                      llvm::StringRef baseDir, MLIRContext &ctx,
                                      const ImportOptions &options) {
  return importModel(bytes, "<memory>", baseDir, ctx, options);
}

} // namespace tessera::onnx
