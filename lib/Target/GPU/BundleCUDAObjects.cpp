//===- BundleCUDAObjects.cpp - One fatbin for all CUDA architectures -------===//
//
// `#gpu.select_object` embeds one object per gpu.binary, so an artifact for
// several architectures needs them in one object: a CUDA fatbin, from which
// the driver picks the cubin of the GPU it runs on (or JIT-compiles the
// PTX). ptxas and fatbinary come from the CUDA toolkit, like a linker.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/Passes.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include <deque>

namespace tessera::gpu {
#define GEN_PASS_DEF_BUNDLECUDAOBJECTS
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

/// `tool` in the toolkit's bin folder, or on PATH; "" if missing.
std::string findTool(StringRef toolkit, StringRef tool) {
  SmallVector<std::string> folders;
  if (!toolkit.empty())
    folders.push_back(toolkit.str());
  if (const char *home = std::getenv("CUDA_HOME"))
    folders.push_back(home);
  folders.push_back("/usr/local/cuda");
  for (const std::string &folder : folders) {
    SmallString<256> path(folder);
    llvm::sys::path::append(path, "bin", tool);
    if (llvm::sys::fs::can_execute(path))
      return std::string(path);
  }
  if (auto onPath = llvm::sys::findProgramByName(tool))
    return *onPath;
  return "";
}

/// A temporary file holding `contents`, removed when this goes away.
struct TempFile {
  SmallString<128> path;
  std::optional<llvm::FileRemover> remover;

  LogicalResult create(StringRef suffix, StringRef contents = {}) {
    int fd;
    if (llvm::sys::fs::createTemporaryFile("tessera-cuda", suffix, fd, path))
      return failure();
    remover.emplace(path);
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << contents;
    return success();
  }
};

LogicalResult run(Operation *op, StringRef program, ArrayRef<StringRef> args) {
  std::string message;
  SmallVector<StringRef> argv = {program};
  llvm::append_range(argv, args);
  int status = llvm::sys::ExecuteAndWait(program, argv, std::nullopt, {}, 0,
                                         0, &message);
  if (status != 0)
    return op->emitError("'")
           << llvm::sys::path::filename(program) << "' failed"
           << (message.empty() ? "" : ": " + message);
  return success();
}

struct BundleCUDAObjectsPass
    : tessera::gpu::impl::BundleCUDAObjectsBase<BundleCUDAObjectsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<mlir::gpu::BinaryOp> binaries;
    for (auto binary : module.getOps<mlir::gpu::BinaryOp>())
      if (llvm::all_of(binary.getObjects(), isPTX))
        binaries.push_back(binary);
    if (binaries.empty())
      return;
    std::string ptxas = findTool(toolkitPath, "ptxas");
    std::string fatbinary = findTool(toolkitPath, "fatbinary");
    if (ptxas.empty() || fatbinary.empty()) {
      module.emitRemark("no CUDA toolkit (ptxas, fatbinary) found: the "
                        "artifact carries PTX for the driver to compile");
      return;
    }
    for (mlir::gpu::BinaryOp binary : binaries)
      if (failed(bundle(binary, ptxas, fatbinary)))
        return signalPassFailure();
  }

  static bool isPTX(Attribute attr) {
    auto object = cast<mlir::gpu::ObjectAttr>(attr);
    return object.getFormat() == mlir::gpu::CompilationTarget::Assembly &&
           isa<NVVM::NVVMTargetAttr>(object.getTarget());
  }

  LogicalResult bundle(mlir::gpu::BinaryOp binary, StringRef ptxas,
                       StringRef fatbinary) {
    std::deque<TempFile> files; // stable addresses
    SmallVector<std::string> images;
    std::string newestPTX;
    int newestArch = -1;
    for (Attribute attr : binary.getObjects()) {
      auto object = cast<mlir::gpu::ObjectAttr>(attr);
      StringRef chip = cast<NVVM::NVVMTargetAttr>(object.getTarget()).getChip();
      StringRef number = chip;
      int arch;
      if (!number.consume_front("sm_") ||
          number.take_while(llvm::isDigit).getAsInteger(10, arch))
        return binary.emitError("unexpected CUDA architecture '")
               << chip << "'";
      TempFile &ptx = files.emplace_back();
      TempFile &cubin = files.emplace_back();
      if (failed(ptx.create("ptx", object.getObject().getValue())) ||
          failed(cubin.create("cubin")))
        return binary.emitError("cannot create temporary files");
      std::string archOption = ("-arch=" + chip).str();
      if (failed(run(binary, ptxas,
                     {archOption, ptx.path, "-o", cubin.path})))
        return failure();
      images.push_back("--image3=kind=elf,sm=" + number.str() +
                       ",file=" + cubin.path.str().str());
      if (arch > newestArch) {
        newestArch = arch;
        newestPTX = "--image3=kind=ptx,sm=" + number.str() +
                    ",file=" + ptx.path.str().str();
      }
    }
    images.push_back(newestPTX);
    TempFile &out = files.emplace_back();
    if (failed(out.create("fatbin")))
      return binary.emitError("cannot create temporary files");
    std::string create = ("--create=" + out.path).str();
    SmallVector<StringRef> args = {"-64", create};
    for (const std::string &image : images)
      args.push_back(image);
    if (failed(run(binary, fatbinary, args)))
      return failure();
    auto buffer = llvm::MemoryBuffer::getFile(out.path, /*IsText=*/false);
    if (!buffer)
      return binary.emitError("cannot read the fatbin");
    auto first = cast<mlir::gpu::ObjectAttr>(binary.getObjects()[0]);
    auto fatbin = mlir::gpu::ObjectAttr::get(
        &getContext(), first.getTarget(),
        mlir::gpu::CompilationTarget::Fatbin,
        StringAttr::get(&getContext(), (*buffer)->getBuffer()),
        /*properties=*/nullptr, /*kernels=*/nullptr);
    binary.setObjectsAttr(ArrayAttr::get(&getContext(), {fatbin}));
    return success();
  }
};

} // namespace
