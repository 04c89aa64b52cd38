//===- FuzzONNX.cpp - Fuzz entry point of the ONNX importer ---------------===//
//
// Bytes -> importONNXBytes -> verify. Every input must end in a module or in
// diagnostics; a crash, sanitizer report, hang or runaway allocation is a bug.
// Built as a libFuzzer binary with TESSERA_ENABLE_FUZZERS and as a replay tool
// (ReplayMain.cpp) otherwise; see docs/robustness.md.
//
//===----------------------------------------------------------------------===//

#include "tessera/Frontend/ONNXImporter.h"

#include "dialects/Graph/IR/GraphDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstddef>
#include <cstdint>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context per input: uniqued types and attributes of one input
  // must neither leak into the next nor accumulate over millions of runs.
  MLIRContext ctx(MLIRContext::Threading::DISABLED);
  ctx.loadDialect<tessera::graph::GraphDialect, func::FuncDialect>();
  // Diagnostics are the expected outcome for most inputs; keep them quiet.
  ScopedDiagnosticHandler quiet(&ctx, [](Diagnostic &) { return success(); });
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  // An empty base directory: fuzz inputs must not read external data files.
  OwningOpRef<ModuleOp> module =
      tessera::onnx::importONNXBytes(bytes, /*baseDir=*/"", ctx, {});
  if (module)
    (void)verify(*module);
  return 0;
}
