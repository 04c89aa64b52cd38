//===- ParserCrashGuard.h - Contain known crashes of MLIR's parsers -*- C++ -*-===//
//
// Upstream MLIR 22 has custom op parsers that crash (SEGV) on some malformed
// input instead of reporting a parse error. tessera-opt and the IR fuzzing
// harness parse such input once first under llvm::CrashRecoveryContext, so
// that it is rejected with an error instead of killing the process
// (docs/robustness.md).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_TOOLS_TESSERA_OPT_PARSERCRASHGUARD_H
#define TESSERA_TOOLS_TESSERA_OPT_PARSERCRASHGUARD_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <optional>
#include <string>

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace tessera {

/// A crash inside one of MLIR's parsers, contained.
struct ParserCrash {
  /// The op whose parser crashed, e.g. "linalg.transpose".
  std::string opName;
  /// The last diagnostic the parser emitted before crashing (the actual
  /// syntax error, with its location), or empty.
  std::string lastDiagnostic;
};

/// Parses `buffer` (split at `splitMarker` like `--split-input-file`, or
/// whole when it is empty) with the dialects of `registry` in a private
/// context, if it uses an op whose upstream parser is known to crash.
/// Returns the crash if one happened; std::nullopt when the buffer uses no
/// such op or parsing ended normally, successfully or with errors (the
/// caller then parses it for real and reports those errors itself).
std::optional<ParserCrash>
findKnownParserCrash(llvm::MemoryBufferRef buffer,
                     mlir::DialectRegistry &registry,
                     llvm::StringRef splitMarker);

} // namespace tessera

#endif // TESSERA_TOOLS_TESSERA_OPT_PARSERCRASHGUARD_H
