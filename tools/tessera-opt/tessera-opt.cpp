//===- tessera-opt.cpp - Tessera's mlir-opt driver ------------------------===//
//
// mlir-opt with Tessera's dialects and passes registered, plus the upstream
// dialects and passes that Tessera's pipelines use (not all of MLIR).
//
// Input that would crash one of upstream MLIR's parsers (ParserCrashGuard.h)
// is rejected with an error and exit status 1 before the normal driver runs.
//
//===----------------------------------------------------------------------===//

#include "tessera/InitAll.h"
#include "tools/tessera-opt/ParserCrashGuard.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

/// Runs MlirOptMain on the input file unless parsing it crashes one of
/// upstream's parsers.
static LogicalResult runGuarded(llvm::StringRef inputFilename,
                                llvm::StringRef outputFilename,
                                DialectRegistry &registry,
                                const MlirOptMainConfig &config) {
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openInputFile(inputFilename, &error);
  if (!input) {
    llvm::errs() << error << "\n";
    return failure();
  }
  if (std::optional<tessera::ParserCrash> crash = tessera::findKnownParserCrash(
          *input, registry, config.inputSplitMarker())) {
    if (!crash->lastDiagnostic.empty())
      llvm::errs() << crash->lastDiagnostic << "\n";
    llvm::errs() << "tessera-opt: internal error in MLIR's parser of "
                 << crash->opName
                 << " (upstream MLIR 22 bug), input rejected\n";
    return failure();
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return failure();
  }
  if (failed(MlirOptMain(output->os(), std::move(input), registry, config)))
    return failure();
  output->keep();
  return success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  DialectRegistry registry;
  tessera::registerAllDialects(registry);
  tessera::registerAllPasses();
  auto [inputFilename, outputFilename] = registerAndParseCLIOptions(
      argc, argv, "Tessera optimizer driver\n", registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  // What MlirOptMain's argv overload does besides running the buffer.
  if (config.shouldShowDialects()) {
    llvm::outs() << "Available Dialects: ";
    llvm::interleave(registry.getDialectNames(), llvm::outs(), ",");
    llvm::outs() << "\n";
    return 0;
  }
  if (config.shouldListPasses()) {
    printRegisteredPasses();
    return 0;
  }
  return asMainReturnCode(
      runGuarded(inputFilename, outputFilename, registry, config));
}
