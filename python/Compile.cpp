//===- Compile.cpp - The compiler half of the Python module ---------------===//
//
// Imports a model into a fresh MLIRContext, lowers it with the same entry
// points tessera-compile uses (tessera::lowerModule, tessera::emitModule) and
// collects every diagnostic with a ScopedDiagnosticHandler, so that Python
// raises them as one exception instead of seeing them on stderr.
//
//===----------------------------------------------------------------------===//

#include "python/Compile.h"

#include "tessera/Compiler.h"
#include "tessera/Support/NodeName.h"
#include "tessera/Frontend/ONNXImporter.h"
#include "tessera/InitAll.h"
#include "tessera/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

using namespace mlir;

namespace tessera::python {
namespace {

/// Process-wide registrations, done once before the first compile: the pass
/// registry and LLVM's target registry are global and not safe to fill from
/// two threads at once (compiles run without the GIL, so they can overlap).
void initializeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    tessera::registerAllPasses();
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

const char *severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

/// Appends `diag` and its notes to `out`.
void collect(mlir::Diagnostic &diag, std::vector<Diagnostic> &out) {
  Diagnostic entry;
  entry.severity = severityName(diag.getSeverity());
  entry.message = diag.str();
  if (!isa<UnknownLoc>(diag.getLocation())) {
    llvm::raw_string_ostream os(entry.location);
    diag.getLocation().print(os);
  }
  entry.node = getNodeName(diag.getLocation());
  out.push_back(std::move(entry));
  for (mlir::Diagnostic &note : diag.getNotes())
    collect(note, out);
}

/// An error with no location, for problems found before MLIR runs.
void addError(CompileResult &result, std::string message) {
  result.diagnostics.push_back({"error", std::move(message), "", ""});
}

} // namespace

CompileResult compileModel(const CompileRequest &request) {
  CompileResult result;
  std::optional<EmitKind> emit = parseEmitKind(request.emit);
  if (!emit) {
    addError(result, "unknown emit kind '" + request.emit +
                         "' (expected graph, linalg, llvm, obj or lib)");
    return result;
  }
  if (request.optLevel > 3) {
    addError(result, "opt_level must be 0, 1, 2 or 3, got " +
                         std::to_string(request.optLevel));
    return result;
  }

  CompileOptions options;
  options.emit = *emit;
  options.target = request.target;
  options.cpu.optLevel = request.optLevel;
  options.runtimeLibraryDir = request.runtimeLibraryDir;
  options.printIRAfterAll = request.printIRAfterAll;
  options.decisions = &result.decisions;

  onnx::ImportOptions importOptions;
  for (const auto &[name, dims] : request.shapes)
    importOptions.shapeOverrides[name] =
        llvm::SmallVector<int64_t>(dims.begin(), dims.end());

  initializeOnce();
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // One entry per problem, not a dump of the IR around it.
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    collect(diag, result.diagnostics);
    return success();
  });

  OwningOpRef<ModuleOp> module;
  if (request.isPath && llvm::StringRef(request.source).ends_with(".mlir")) {
    if (!request.shapes.empty()) {
      addError(result, "shapes apply to ONNX models only");
      return result;
    }
    llvm::SourceMgr sourceMgr;
    module = parseSourceFile<ModuleOp>(request.source, sourceMgr,
                                       ParserConfig(&context));
    if (!module && result.diagnostics.empty())
      addError(result, "cannot read '" + request.source + "'");
  } else if (request.isPath) {
    module = onnx::importONNXFile(request.source, context, importOptions);
  } else {
    module = onnx::importONNXBytes(request.source, /*baseDir=*/"", context,
                                   importOptions);
  }
  if (!module || failed(lowerModule(*module, options)) ||
      failed(emitModule(*module, options, request.outputPath))) {
    if (result.diagnostics.empty())
      addError(result, "compilation failed");
    return result;
  }
  result.ok = true;
  return result;
}

std::vector<std::pair<std::string, std::string>>
getCPUPipelines(unsigned optLevel) {
  CPUPipelineOptions options;
  options.optLevel = optLevel;
  return {{"graph-to-linalg", getGraphToLinalgPipeline(options)},
          {"linalg-to-llvm", getLinalgToLLVMPipeline(options)}};
}

} // namespace tessera::python
