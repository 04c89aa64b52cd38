//===- ParserCrashGuard.cpp - Contain known crashes of MLIR's parsers -----===//
//
// Upstream MLIR 22's linalg.transpose, linalg.broadcast and linalg.reduce
// parse their `permutation` / `dimensions` array with a helper
// (parseDenseI64ArrayAttr in mlir/lib/Dialect/Linalg/IR/LinalgOps.cpp) that
// stores the result of DenseI64ArrayAttr::parse without checking it: after a
// malformed array (`permutation = [1, x 0]`) the attribute is null and
// NamedAttrList::set dereferences it (SEGV, found by tessera-fuzz-ir). The
// parser has already reported the syntax error by then.
//
// Tessera cannot fix upstream's parser, and MLIR offers no hook to replace
// a registered op's parser. An input that names one of these ops is
// therefore parsed once first, in a private context under
// llvm::CrashRecoveryContext: a crash there is contained and the input
// rejected; otherwise the caller parses it for real. Only such inputs pay
// for the second parse.
//
//===----------------------------------------------------------------------===//

#include "tools/tessera-opt/ParserCrashGuard.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/ToolUtilities.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace tessera {

/// Ops whose upstream MLIR 22 parser crashes on some malformed input. Remove
/// an entry when Debian's MLIR has the fix (docs/robustness.md).
static constexpr llvm::StringLiteral kOpsWithCrashingParser[] = {
    "linalg.transpose", "linalg.broadcast", "linalg.reduce"};

/// Byte offset of 1-based (line, column) in `text`, clamped to its size.
static size_t offsetOf(llvm::StringRef text, unsigned line, unsigned column) {
  size_t offset = 0;
  for (unsigned l = 1; l < line && offset < text.size(); ++l) {
    size_t newline = text.find('\n', offset);
    if (newline == llvm::StringRef::npos)
      return text.size();
    offset = newline + 1;
  }
  return std::min(text.size(), offset + (column ? column - 1 : 0));
}

/// The crashing op named last before `offset` (the parse error's position),
/// else the one named first in `text`.
static std::string crashingOp(llvm::StringRef text, size_t offset) {
  llvm::StringRef before = text.substr(0, offset + 1);
  llvm::StringRef found;
  size_t foundPos = 0;
  for (llvm::StringRef name : kOpsWithCrashingParser) {
    size_t pos = before.rfind(name);
    if (pos != llvm::StringRef::npos && (found.empty() || pos > foundPos))
      found = name, foundPos = pos;
  }
  for (llvm::StringRef name : kOpsWithCrashingParser) {
    size_t pos = text.find(name);
    if (found.empty() && pos != llvm::StringRef::npos)
      found = name, foundPos = pos;
  }
  return found.str();
}

/// Parses one chunk in a private context under a CrashRecoveryContext.
static std::optional<ParserCrash> parseChunk(llvm::StringRef text,
                                             llvm::StringRef bufferName,
                                             DialectRegistry &registry) {
  if (llvm::none_of(kOpsWithCrashingParser, [&](llvm::StringRef name) {
        return text.contains(name);
      }))
    return std::nullopt;

  // Written by the diagnostic handler before any crash; they live outside
  // the recovered frame.
  std::string lastDiagnostic;
  size_t errorOffset = text.size();
  // The context too, so that it is freed after a crash (a fuzzer meets many
  // such inputs). The parser's own objects are abandoned: the half-built IR
  // and the source manager leak, a few KiB per crash.
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.allowUnregisteredDialects();
  auto parse = [&] {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      std::string message;
      llvm::raw_string_ostream os(message);
      if (auto loc = dyn_cast<FileLineColLoc>(diag.getLocation())) {
        os << loc.getFilename().getValue() << ":" << loc.getLine() << ":"
           << loc.getColumn() << ": ";
        errorOffset = offsetOf(text, loc.getLine(), loc.getColumn());
      }
      os << "error: " << diag.str();
      lastDiagnostic = message;
      return success();
    });
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, bufferName), llvm::SMLoc());
    ParserConfig config(&context, /*verifyAfterParse=*/false);
    (void)parseSourceFile<ModuleOp>(sourceMgr, config);
  };

  llvm::CrashRecoveryContext::Enable();
  llvm::CrashRecoveryContext crashRecovery;
  bool finished = crashRecovery.RunSafely(parse);
  llvm::CrashRecoveryContext::Disable();
  if (finished)
    return std::nullopt;
  return ParserCrash{crashingOp(text, errorOffset), lastDiagnostic};
}

std::optional<ParserCrash>
findKnownParserCrash(llvm::MemoryBufferRef buffer, DialectRegistry &registry,
                     llvm::StringRef splitMarker) {
  std::optional<ParserCrash> crash;
  auto chunkFn = [&](std::unique_ptr<llvm::MemoryBuffer> chunk,
                     llvm::raw_ostream &) {
    if (!crash)
      crash = parseChunk(chunk->getBuffer(), chunk->getBufferIdentifier(),
                         registry);
    return success();
  };
  (void)splitAndProcessBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(buffer.getBuffer(),
                                           buffer.getBufferIdentifier()),
      chunkFn, llvm::nulls(), splitMarker);
  return crash;
}

} // namespace tessera
