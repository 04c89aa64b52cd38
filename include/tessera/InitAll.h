//===- InitAll.h - Register Tessera's dialects and passes -----*- C++ -*-===//
//
// One place that lists every dialect, interface extension and pass the
// Tessera tools need: Tessera's own and the upstream ones its pipelines
// use. Registering only these keeps tools linked against libMLIR.so small to
// start and clear about what they support.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_INITALL_H
#define TESSERA_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace tessera {

/// Adds Tessera's dialects, the upstream dialects its pipelines produce, and
/// their interface extensions (bufferization, LLVM translation) to
/// `registry`.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers Tessera's passes and the upstream passes its pipelines use,
/// so that `tessera-opt` can run each step alone.
void registerAllPasses();

} // namespace tessera

#endif // TESSERA_INITALL_H
