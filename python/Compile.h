//===- Compile.h - The compiler half of the Python module -------*- C++ -*-===//
//
// A plain C++ front of Tessera's compiler for the `_tessera` module: import
// an ONNX model (a path or serialized bytes), lower it and write the
// requested output, collecting MLIR's diagnostics instead of printing them.
// This header includes neither MLIR nor pybind11, so the binding code and
// the compiler code are compiled apart.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_PYTHON_COMPILE_H
#define TESSERA_PYTHON_COMPILE_H

#include <cstdint>
#include "tessera/Compiler.h"

#include <string>
#include <utility>
#include <vector>

namespace tessera::python {

/// What to compile and how; the fields mirror tessera-compile's flags.
struct CompileRequest {
  /// A file path (`isPath`) or the serialized ModelProto.
  std::string source;
  bool isPath = true;
  /// Where the output goes (a file path).
  std::string outputPath;
  /// graph, linalg, llvm, obj or lib (--emit).
  std::string emit = "lib";
  /// --target.
  std::string target = "cpu";
  /// --shape NAME=DIMS; a negative dimension keeps the model's one.
  std::vector<std::pair<std::string, std::vector<int64_t>>> shapes;
  /// -O0..-O3.
  unsigned optLevel = 3;
  /// --print-ir-after-all (to stderr).
  bool printIRAfterAll = false;
  /// Folder holding libtessera_runtime.so; empty lets the compiler search.
  std::string runtimeLibraryDir;
};

/// One diagnostic the compiler reported.
struct Diagnostic {
  std::string severity; ///< error, warning, note or remark.
  std::string message;
  std::string location; ///< Printed location; "" when unknown.
  std::string node;     ///< ONNX node or value name when the location has one.
};

struct CompileResult {
  bool ok = false;
  std::vector<Diagnostic> diagnostics;
  /// What the compiler decided (tile configurations, pipelines).
  CompileDecisions decisions;
};

/// Runs the compiler. Never throws for bad input: failures come back as
/// `ok == false` with diagnostics. Thread-safe (one MLIRContext per call).
CompileResult compileModel(const CompileRequest &request);

/// The pass pipelines the CPU target runs at `optLevel`, as (stage, textual
/// pipeline) pairs in order.
std::vector<std::pair<std::string, std::string>>
getCPUPipelines(unsigned optLevel);

} // namespace tessera::python

#endif // TESSERA_PYTHON_COMPILE_H
