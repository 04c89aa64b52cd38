//===- DeviceBinaries.cpp - The device modules of a GPU artifact ----------===//

#include "lib/Target/GPU/DeviceBinaries.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

/// File name suffix of one object: the chip for NVVM targets (several
/// architectures may sit in one binary), then the format's extension.
static std::string getFileSuffix(mlir::gpu::ObjectAttr object) {
  auto nvvm = dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget());
  // SPIR-V objects are serialized modules whatever format they claim.
  if (!nvvm)
    return ".spv";
  std::string chip = "." + nvvm.getChip().str();
  switch (object.getFormat()) {
  case mlir::gpu::CompilationTarget::Assembly:
    return chip + ".ptx";
  case mlir::gpu::CompilationTarget::Binary:
    return chip + ".cubin";
  case mlir::gpu::CompilationTarget::Fatbin:
    return ".fatbin";
  case mlir::gpu::CompilationTarget::Offload:
    return chip + ".bc";
  }
  return ".bin";
}

LogicalResult tessera::gpu::writeDeviceBinaries(ModuleOp module,
                                                StringRef directory) {
  if (std::error_code ec = llvm::sys::fs::create_directories(directory))
    return module.emitError("cannot create folder '")
           << directory << "': " << ec.message();
  unsigned written = 0;
  for (auto binary : module.getOps<mlir::gpu::BinaryOp>()) {
    for (Attribute attr : binary.getObjects()) {
      auto object = cast<mlir::gpu::ObjectAttr>(attr);
      SmallString<256> path(directory);
      llvm::sys::path::append(path,
                              binary.getSymName() + getFileSuffix(object));
      std::error_code ec;
      llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
      if (ec)
        return module.emitError("cannot write '") << path
                                                  << "': " << ec.message();
      out << object.getObject().getValue();
      ++written;
    }
  }
  // A model of copies only (Flatten, Constant, ...) runs without kernels.
  if (written == 0)
    module.emitWarning("the model has no GPU kernels (only copies): nothing "
                       "written to '")
        << directory << "'";
  return success();
}
