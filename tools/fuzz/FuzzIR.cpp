//===- FuzzIR.cpp - Fuzz entry point of the textual IR parser -------------===//
//
// Bytes -> parse as textual MLIR with Tessera's dialects (tg, tdev, thls) and
// the upstream dialects its pipelines use -> verify -> print. Exercises the
// dialects' custom parsers, printers and verifiers. Built as a libFuzzer
// binary with TESSERA_ENABLE_FUZZERS and as a replay tool otherwise.
//
// The dialect list mirrors tessera::registerAllDialects (lib/InitAll) without
// linking the passes and targets behind it, which keeps the instrumented
// fuzzing build to the dialect libraries.
//
//===----------------------------------------------------------------------===//

#include "dialects/Device/IR/DeviceDialect.h"
#include "dialects/Graph/IR/GraphDialect.h"
#include "dialects/HLS/IR/HLSDialect.h"
#include "tools/tessera-opt/ParserCrashGuard.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>

using namespace mlir;

static DialectRegistry &fuzzRegistry() {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    r->insert<tessera::graph::GraphDialect, tessera::device::DeviceDialect,
              tessera::hls::HLSDialect, affine::AffineDialect,
              arith::ArithDialect, bufferization::BufferizationDialect,
              cf::ControlFlowDialect, func::FuncDialect, linalg::LinalgDialect,
              math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
              tensor::TensorDialect>();
    return r;
  }();
  return *registry;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // MLIR's lexer, like LLVM's, expects a NUL after the buffer (files read by
  // tessera-opt have one); libFuzzer's bytes do not, so copy them.
  std::string text(reinterpret_cast<const char *>(data), size);
  // Input that crashes one of upstream MLIR 22's parsers is rejected, as
  // tessera-opt rejects it (tools/tessera-opt/ParserCrashGuard.h).
  if (tessera::findKnownParserCrash(llvm::MemoryBufferRef(text, "<fuzz>"),
                                    fuzzRegistry(), /*splitMarker=*/""))
    return 0;
  MLIRContext ctx(fuzzRegistry(), MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler quiet(&ctx, [](Diagnostic &) { return success(); });
  // parseSourceString verifies the module it parsed.
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &ctx);
  if (!module)
    return 0;
  // Printing a verified module must not crash either (custom printers).
  std::string printed;
  llvm::raw_string_ostream os(printed);
  module->print(os);
  return 0;
}
