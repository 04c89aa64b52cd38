//===- EmitCppPass.cpp - Print the HLS C++ of a module --------------------===//
//
// Implements `thls-emit-cpp`, which prints the files of `emitHLSCpp` to
// stdout so that lit tests can FileCheck (and compile) the emitted C++.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/HLS/Passes.h"

#include "lib/Target/HLS/EmitCpp.h"

#include "llvm/Support/raw_ostream.h"

namespace tessera::hls {
#define GEN_PASS_DEF_EMITCPP
#include "lib/Target/HLS/Passes.h.inc"
} // namespace tessera::hls

using namespace mlir;
using namespace tessera::hls;

namespace {

struct EmitCppPass : tessera::hls::impl::EmitCppBase<EmitCppPass> {
  void runOnOperation() override {
    std::vector<HLSFile> files;
    if (failed(emitHLSCpp(getOperation(), files)))
      return signalPassFailure();
    for (const HLSFile &file : files)
      llvm::outs() << "// ===== " << file.name << "\n" << file.text;
    markAllAnalysesPreserved();
  }
};

} // namespace
