//===- HLSCompile.cpp - The FPGA (HLS C++) target -------------------------===//
//
// Drives the `fpga-hls` target: Graph → linalg (shared with the CPU path)
// → buffers → one HLS kernel per linalg op (affine loops, directives from
// the design search) → HLS C++. For the artifact, the kernels' C++ is
// compiled by the host C++ compiler (C-simulation: pragmas are ignored,
// the arithmetic is the one a synthesized kernel computes) and linked with
// the host schedule, lowered like the CPU path, into the usual artifact.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/HLS/HLSCompile.h"

#include "dialects/HLS/IR/HLSDialect.h"
#include "lib/Target/CPU/Artifact.h"
#include "lib/Target/HLS/EmitCpp.h"
#include "lib/Target/HLS/Profile.h"
#include "lib/Target/HLS/QoR.h"
#include "tessera/Compiler.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace tessera;
using namespace tessera::hls;

std::string tessera::hls::getLinalgToHLSPipeline(StringRef profile) {
  std::vector<std::string> passes = {
      "func.func(tessera-inline-dispatches,tessera-fold-constant-transposes)"};
  // Buffers as on the CPU path.
  llvm::append_range(passes, getBufferizationPasses());
  std::vector<std::string> kernels = {
      "tessera-flatten-constant-globals",
      "func.func(tessera-copies-to-linalg)",
      // One kernel per linalg op; the model function calls them.
      "thls-outline-kernels",
      "canonicalize",
      // Loops ready for II=1: reductions outward, then affine loops.
      "func.func(linalg-generalize-named-ops,thls-permute-loops,"
      "convert-linalg-to-affine-loops)",
      "canonicalize",
      // Accumulations in on-chip buffers instead of through the m_axi port.
      "func.func(thls-buffer-accumulators)",
      "thls-explore-design{profile=" + profile.str() + "}",
  };
  llvm::append_range(passes, kernels);
  return "builtin.module(" + llvm::join(passes, ",") + ")";
}

std::string tessera::hls::getHLSHostToLLVMPipeline(StringRef entry) {
  std::vector<std::string> passes = {
      "convert-scf-to-cf",
      "expand-strided-metadata",
      "lower-affine",
      "finalize-memref-to-llvm{use-generic-functions=true}",
      "convert-math-to-llvm",
      "convert-arith-to-llvm",
      "convert-index-to-llvm",
      // Kernels take bare pointers: `extern "C" void k(float *a0, ...)`.
      "convert-func-to-llvm{use-bare-ptr-memref-call-conv=true}",
      "convert-cf-to-llvm",
      "convert-ub-to-llvm",
      "reconcile-unrealized-casts",
      "tessera-emit-artifact-abi{entry=" + entry.str() + "}",
      "canonicalize",
  };
  return "builtin.module(" + llvm::join(passes, ",") + ")";
}

namespace {

/// Runs one stage and records it under `stage` for --explain.
LogicalResult runStage(ModuleOp module, StringRef stage, StringRef pipeline,
                       const CompileOptions &options) {
  if (options.decisions)
    options.decisions->pipelines.push_back({stage.str(), pipeline.str()});
  return runPassPipeline(module, pipeline, options);
}

int64_t getField(DictionaryAttr dict, StringRef name) {
  auto value = dict ? dict.getAs<IntegerAttr>(name) : nullptr;
  return value ? value.getInt() : 0;
}

/// `--explain` lines: the design of each kernel and the budget use.
void recordDesign(ModuleOp module, const FPGAProfile &profile,
                  CompileDecisions &decisions) {
  auto line = [&](func::FuncOp kernel, DictionaryAttr qor) {
    std::string text;
    llvm::raw_string_ostream os(text);
    int64_t latency = getField(qor, "latency");
    int64_t baseline = getField(qor, "baseline");
    os << (kernel ? "kernel " + kernel.getSymName().str() : "design") << ": ";
    if (kernel)
      os << "pipeline II=" << getField(qor, "ii")
         << " unroll=" << getField(qor, "unroll") << ", ";
    os << "latency " << latency << " cycles ("
       << llvm::format("%.1f", latency / profile.clockMHz) << " us), without "
       << "directives " << baseline << " ("
       << llvm::format("%.1f", latency ? double(baseline) / latency : 0.0)
       << "x)";
    os << ", dsp " << getField(qor, "dsp") << " bram18k "
       << getField(qor, "bram18k") << " lut " << getField(qor, "lut")
       << " ff " << getField(qor, "ff");
    decisions.designNotes.push_back(text);
  };
  decisions.designNotes.push_back(
      "fpga profile " + profile.name + ": " +
      llvm::formatv("{0} MHz, {1} DSP, {2} BRAM18K, {3} LUT, {4} FF, {5} GB/s, "
                    "budget {6}%",
                    profile.clockMHz, profile.dsp, profile.bram18k,
                    profile.lut, profile.ff, profile.offchipGBps,
                    int(profile.usableFraction * 100))
          .str());
  for (auto kernel : module.getOps<func::FuncOp>())
    if (auto qor = kernel->getAttrOfType<DictionaryAttr>(
            HLSDialect::kQoRAttrName))
      line(kernel, qor);
  auto total =
      module->getAttrOfType<DictionaryAttr>(HLSDialect::kQoRAttrName);
  line(nullptr, total);
  decisions.designNotes.push_back(llvm::formatv(
      "budget use: dsp {0:f1}% bram18k {1:f1}% lut {2:f1}% ff {3:f1}%",
      100.0 * getField(total, "dsp") / profile.dsp,
      100.0 * getField(total, "bram18k") / profile.bram18k,
      100.0 * getField(total, "lut") / profile.lut,
      100.0 * getField(total, "ff") / profile.ff));
}

/// Keeps the kernels' C++ on the module and turns the kernels into the
/// external declarations the host calls.
LogicalResult stashKernelSources(ModuleOp module) {
  std::vector<HLSFile> files;
  if (failed(emitHLSCpp(module, files)))
    return failure();
  Builder b(module.getContext());
  SmallVector<NamedAttribute> sources;
  for (const HLSFile &file : files)
    sources.push_back(b.getNamedAttr(file.name, b.getStringAttr(file.text)));
  module->setAttr(kCSimSourcesAttr, b.getDictionaryAttr(sources));
  // The host sees plain external functions: no body, no directives.
  module->removeAttr(HLSDialect::kQoRAttrName);
  for (auto kernel : module.getOps<func::FuncOp>()) {
    if (!kernel->hasAttr(HLSDialect::kKernelAttrName))
      continue;
    kernel.getBody().getBlocks().clear();
    kernel->removeAttr(HLSDialect::kKernelAttrName);
    kernel->removeAttr(HLSDialect::kQoRAttrName);
    kernel->removeAttr(HLSDialect::kDataflowAttrName);
    kernel.removeArgAttrsAttr();
  }
  return success();
}

std::optional<std::string> findCxxCompiler() {
  if (const char *env = std::getenv("TESSERA_HLS_CXX"))
    return std::string(env);
  for (StringRef name : {"c++", "clang++", "g++"})
    if (auto path = llvm::sys::findProgramByName(name))
      return *path;
  return std::nullopt;
}

/// Runs `args`; on failure reports `what` with the tool's output.
LogicalResult runTool(ModuleOp module, ArrayRef<std::string> args,
                      StringRef what) {
  SmallVector<StringRef> refs(args.begin(), args.end());
  SmallString<128> logPath;
  llvm::sys::fs::createTemporaryFile("tessera-hls", "log", logPath);
  llvm::FileRemover removeLog(logPath);
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logPath),
                                          StringRef(logPath)};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(refs[0], refs, std::nullopt,
                                         redirects, 0, 0, &error);
  if (status == 0)
    return success();
  std::string log;
  if (auto buffer = llvm::MemoryBuffer::getFile(logPath))
    log = (*buffer)->getBuffer().str();
  return module.emitError(what) << " failed ('" << args[0] << "')"
                                << (error.empty() ? "" : ": " + error) << "\n"
                                << log;
}

/// Compiles the kernels' C++ (C-simulation) and the host object into one
/// relocatable object at `combinedPath`.
LogicalResult buildCSimObject(ModuleOp module, StringRef hostObject,
                              StringRef dir, StringRef combinedPath) {
  auto sources = module->getAttrOfType<DictionaryAttr>(kCSimSourcesAttr);
  std::optional<std::string> cxx = findCxxCompiler();
  if (!cxx)
    return module.emitError("no C++ compiler to build the HLS C-simulation: "
                            "install g++ or clang++, or set TESSERA_HLS_CXX");
  std::vector<HLSFile> files;
  for (NamedAttribute source : sources)
    files.push_back({source.getName().str(),
                     cast<StringAttr>(source.getValue()).str()});
  if (failed(writeHLSFiles(module, files, dir)))
    return failure();
  std::vector<std::string> link = {"ld", "-r", "-o", combinedPath.str(),
                                   hostObject.str()};
  if (auto lld = llvm::sys::findProgramByName("ld.lld"))
    link[0] = *lld;
  else if (auto ld = llvm::sys::findProgramByName("ld"))
    link[0] = *ld;
  for (const HLSFile &file : files) {
    if (!StringRef(file.name).ends_with(".cpp"))
      continue;
    SmallString<256> source(dir), object(dir);
    llvm::sys::path::append(source, file.name);
    llvm::sys::path::append(object, file.name + ".o");
    if (failed(runTool(module,
                       {*cxx, "-std=c++17", "-O2", "-fPIC", "-fno-exceptions",
                        "-fno-rtti", "-Wno-unknown-pragmas", "-c",
                        source.str().str(), "-o", object.str().str()},
                       "compiling the HLS C++ of '" + file.name + "'")))
      return failure();
    link.push_back(object.str().str());
  }
  return runTool(module, link, "combining the HLS C-simulation objects");
}

} // namespace

LogicalResult tessera::hls::lowerModuleForHLS(ModuleOp module,
                                              const CompileOptions &options) {
  if (options.decisions)
    options.decisions->target = options.target;
  switch (options.emit) {
  case EmitKind::Graph:
    return runPassPipeline(module, "builtin.module(canonicalize)", options);
  case EmitKind::Linalg:
  case EmitKind::HLSCpp:
  case EmitKind::Library:
    break;
  default:
    return module.emitError("the fpga-hls target emits graph, linalg, "
                            "hls-cpp or lib");
  }
  func::FuncOp entry = findModelEntry(module);
  if (!entry)
    return module.emitError("no model function to compile");
  if (failed(checkStaticInputShapes(entry)))
    return failure();
  llvm::Expected<FPGAProfile> profile = loadFPGAProfile(options.fpgaProfile);
  if (!profile)
    return module.emitError(llvm::toString(profile.takeError()));
  if (failed(runStage(module, "graph-to-linalg",
                      getGraphToLinalgPipeline(options.cpu), options)))
    return failure();
  if (options.emit == EmitKind::Linalg)
    return success();

  // The host schedule runs on this CPU: the record names the device, then
  // the host CPU and its features.
  std::unique_ptr<llvm::TargetMachine> machine =
      cpu::createHostTargetMachine(options.cpu.optLevel);
  if (!machine)
    return module.emitError("cannot create an LLVM target for the host CPU");
  std::string record = cpu::describeTarget(*machine);
  record.replace(record.find("cpu"), 3, "fpga-hls");
  if (failed(cpu::prepareArtifactEntry(entry, record)))
    return failure();
  std::string entryName = entry.getSymName().str();
  if (failed(runStage(module, "linalg-to-hls",
                      getLinalgToHLSPipeline(options.fpgaProfile), options)))
    return failure();
  if (options.decisions)
    recordDesign(module, *profile, *options.decisions);
  if (options.emit == EmitKind::HLSCpp)
    return success();
  if (failed(stashKernelSources(module)))
    return failure();
  return runStage(module, "hls-host-to-llvm",
                  getHLSHostToLLVMPipeline(entryName), options);
}

LogicalResult tessera::hls::emitModuleForHLS(ModuleOp module,
                                             const CompileOptions &options,
                                             StringRef outputPath,
                                             StringRef runtimeDir) {
  if (options.emit == EmitKind::HLSCpp) {
    if (outputPath == "-")
      return module.emitError("--emit=hls-cpp writes a folder: give -o DIR");
    std::vector<HLSFile> files;
    if (failed(emitHLSCpp(module, files)))
      return failure();
    return writeHLSFiles(module, files, outputPath);
  }
  assert(options.emit == EmitKind::Library && "lowerModuleForHLS checked");
  SmallString<128> dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("tessera-hls", dir))
    return module.emitError("cannot create a temporary folder: ")
           << ec.message();
  llvm::scope_exit removeDir([&] { llvm::sys::fs::remove_directories(dir); });

  std::unique_ptr<llvm::TargetMachine> machine =
      cpu::createHostTargetMachine(options.cpu.optLevel);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule = cpu::translateAndOptimize(
      module, llvmContext, *machine, options.cpu.optLevel);
  if (!llvmModule)
    return module.emitError("translation of the host schedule to LLVM IR "
                            "failed");
  SmallString<256> hostObject(dir), combined(dir);
  llvm::sys::path::append(hostObject, "host.o");
  llvm::sys::path::append(combined, "model.o");
  if (failed(cpu::writeObjectFile(*llvmModule, *machine, hostObject)) ||
      failed(buildCSimObject(module, hostObject, dir, combined)))
    return failure();
  return cpu::linkArtifact(module, combined, runtimeDir, outputPath);
}
