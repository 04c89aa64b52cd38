//===- ArtifactLinker.cpp - Link the CPU artifact shared library ----------===//
//
// Turns the model's object file into the artifact: one shared library that
// depends only on libtessera_runtime (plus libc/libm). The system C
// compiler driver (`cc`, or $TESSERA_LINKER) does the link, with lld when
// it is installed.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Artifact.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace mlir;

namespace {

/// The linker driver: $TESSERA_LINKER, else cc, clang or gcc from PATH.
std::optional<std::string> findLinkerDriver() {
  if (const char *env = std::getenv("TESSERA_LINKER"))
    return std::string(env);
  for (StringRef name : {"cc", "clang", "gcc"})
    if (auto path = llvm::sys::findProgramByName(name))
      return *path;
  return std::nullopt;
}

} // namespace

LogicalResult tessera::cpu::linkArtifact(ModuleOp module, StringRef objectPath,
                                         StringRef runtimeDir,
                                         StringRef outputPath) {
  std::optional<std::string> driver = findLinkerDriver();
  if (!driver)
    return module.emitError(
        "no C compiler driver to link the artifact: install gcc or clang, "
        "or set TESSERA_LINKER");
  SmallString<256> runtimeLib(runtimeDir);
  llvm::sys::path::append(runtimeLib, "libtessera_runtime.so");
  if (!llvm::sys::fs::exists(runtimeLib))
    return module.emitError("libtessera_runtime.so not found in '")
           << runtimeDir
           << "': build the runtime or set TESSERA_RUNTIME_DIR to its folder";

  SmallVector<std::string> args = {
      *driver,
      "-shared",
      "-o",
      outputPath.str(),
      objectPath.str(),
      ("-L" + runtimeDir).str(),
      "-ltessera_runtime",
      "-lm",
      // Find the runtime beside the artifact, then where it was built.
      "-Wl,-rpath,$ORIGIN",
      ("-Wl,-rpath," + runtimeDir).str(),
      "-Wl,--as-needed",
  };
  if (llvm::sys::findProgramByName("ld.lld"))
    args.push_back("-fuse-ld=lld");
  SmallVector<StringRef> argRefs(args.begin(), args.end());

  SmallString<128> logPath;
  llvm::sys::fs::createTemporaryFile("tessera-link", "log", logPath);
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logPath),
                                          StringRef(logPath)};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(argRefs[0], argRefs, std::nullopt,
                                         redirects, 0, 0, &error);
  std::string log;
  if (auto buffer = llvm::MemoryBuffer::getFile(logPath))
    log = (*buffer)->getBuffer().str();
  llvm::sys::fs::remove(logPath);
  if (status != 0)
    return module.emitError("linking the artifact with '")
           << *driver << "' failed"
           << (error.empty() ? "" : ": " + error) << "\n"
           << log;
  return success();
}
