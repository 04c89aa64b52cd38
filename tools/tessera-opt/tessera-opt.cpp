//===- tessera-opt.cpp - Tessera's mlir-opt driver ------------------------===//
//
// mlir-opt with Tessera's dialects and passes registered, plus the upstream
// dialects and passes that Tessera's pipelines use (not all of MLIR).
//
//===----------------------------------------------------------------------===//

#include "tessera/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  tessera::registerAllDialects(registry);
  tessera::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Tessera optimizer driver\n", registry));
}
