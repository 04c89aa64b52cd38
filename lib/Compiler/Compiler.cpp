//===- Compiler.cpp - Tessera's compiler entry points ---------------------===//
//
// Drives the stages: Graph dialect → linalg → LLVM dialect → LLVM IR →
// object → artifact. Each stage's pipeline is textual (see Pipelines.h).
//
//===----------------------------------------------------------------------===//

#include "tessera/Compiler.h"

#include "Lowering.h"

#include "lib/Target/CPU/Artifact.h"
#include "lib/Target/CPU/TileConfig.h"
#include "lib/Target/GPU/DeviceBinaries.h"
#include "lib/Target/GPU/TensorCoreKernel.h"
#include "lib/Target/HLS/HLSCompile.h"
#include "tessera/Support/NodeName.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace tessera;
using namespace tessera::driver;

std::optional<EmitKind> tessera::parseEmitKind(StringRef name) {
  return llvm::StringSwitch<std::optional<EmitKind>>(name)
      .Case("graph", EmitKind::Graph)
      .Case("linalg", EmitKind::Linalg)
      .Case("device", EmitKind::Device)
      .Case("llvm", EmitKind::LLVM)
      .Case("obj", EmitKind::Object)
      .Case("lib", EmitKind::Library)
      .Case("spirv", EmitKind::SPIRV)
      .Case("ptx", EmitKind::PTX)
      .Case("hls-cpp", EmitKind::HLSCpp)
      .Default(std::nullopt);
}

namespace {

/// Records the tile configuration of every op right after
/// tessera-select-tile-config wrote them (the tiling pass consumes them).
struct DecisionRecorder : PassInstrumentation {
  explicit DecisionRecorder(CompileDecisions &decisions)
      : decisions(decisions) {}

  void runAfterPass(Pass *pass, Operation *op) override {
    if (pass->getArgument() == "tessera-select-gpu-kernel")
      return recordGPUKernels(op);
    if (pass->getArgument() == "tessera-split-parallel-tiles")
      return recordSplitTiles(op);
    if (pass->getArgument() != "tessera-select-tile-config")
      return;
    op->walk([&](Operation *inner) {
      auto attr =
          inner->getAttrOfType<DictionaryAttr>(cpu::kTileConfigAttrName);
      if (!attr)
        return;
      auto field = [&](StringRef name) {
        SmallVector<int64_t> values;
        if (auto array = attr.getAs<DenseI64ArrayAttr>(name))
          llvm::append_range(values, array.asArrayRef());
        return values;
      };
      TileDecision decision;
      decision.op = inner->getName().getStringRef().str();
      llvm::raw_string_ostream loc(decision.location);
      inner->getLoc().print(loc);
      decision.node = getNodeName(inner->getLoc());
      decision.parallel = field("parallel");
      decision.reduction = field("reduction");
      decision.vector = field("vector");
      decision.packRhs = static_cast<bool>(attr.get("pack_rhs"));
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(inner))
        if (!linalgOp.hasDynamicShape())
          decision.loops = linalgOp.getStaticLoopRanges();
      if (auto why = inner->getAttrOfType<StringAttr>("tessera.tile_explain"))
        decision.explanation = why.str();
      decisions.tiles.push_back(std::move(decision));
    });
  }

  /// tessera-split-parallel-tiles ran on `op` right after
  /// tessera-select-tile-config: the last records are its ops, in the same
  /// walk order; their parallel tiles are updated.
  void recordSplitTiles(Operation *op) {
    SmallVector<DictionaryAttr> configs;
    op->walk([&](Operation *inner) {
      if (auto attr =
              inner->getAttrOfType<DictionaryAttr>(cpu::kTileConfigAttrName))
        configs.push_back(attr);
    });
    if (configs.size() > decisions.tiles.size())
      return;
    size_t first = decisions.tiles.size() - configs.size();
    for (auto [index, attr] : llvm::enumerate(configs))
      if (auto array = attr.getAs<DenseI64ArrayAttr>("parallel"))
        decisions.tiles[first + index].parallel.assign(
            array.asArrayRef().begin(), array.asArrayRef().end());
  }

  /// CUDA: the matrix products tessera-select-gpu-kernel put on tensor
  /// cores, one note each.
  void recordGPUKernels(Operation *op) {
    op->walk([&](linalg::LinalgOp inner) {
      std::optional<tessera::gpu::TensorCoreTiling> tiling =
          tessera::gpu::TensorCoreTiling::get(inner);
      if (!tiling)
        return;
      std::string node = getNodeName(inner->getLoc());
      decisions.designNotes.push_back(llvm::formatv(
          "gpu kernel {0} (node '{1}'): {2}", inner->getName(),
          node.empty() ? "?" : node,
          tiling->describe(
              cast<ShapedType>(inner->getOperand(0).getType())
                  .getElementType())));
    });
  }

  CompileDecisions &decisions;
};

LogicalResult runPipeline(ModuleOp module, StringRef pipeline,
                          const CompileOptions &options) {
  PassManager pm(module.getContext());
  if (options.decisions) {
    // Recording walks the IR from pass hooks: keep them on one thread.
    module.getContext()->disableMultithreading();
    pm.addInstrumentation(
        std::make_unique<DecisionRecorder>(*options.decisions));
  }
  // `pm` is anchored on builtin.module already: parse what is inside the
  // textual pipeline's `builtin.module(...)`.
  StringRef inner = pipeline;
  if (inner.consume_front("builtin.module("))
    inner.consume_back(")");
  if (failed(parsePassPipeline(inner, pm, llvm::errs())))
    return module.emitError("internal error: bad pipeline: ") << pipeline;
  if (options.printIRAfterAll) {
    module.getContext()->disableMultithreading();
    pm.enableIRPrinting([](Pass *, Operation *) { return false; },
                        [](Pass *, Operation *) { return true; },
                        /*printModuleScope=*/true);
  }
  return pm.run(module);
}

func::FuncOp findEntry(ModuleOp module) {
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isDeclaration() && func.isPublic())
      return func;
  return nullptr;
}

/// Folder of libtessera_runtime.so: the option, $TESSERA_RUNTIME_DIR, or
/// ../lib next to the running executable.
std::string findRuntimeDir(const CompileOptions &options) {
  if (!options.runtimeLibraryDir.empty())
    return options.runtimeLibraryDir;
  if (const char *env = std::getenv("TESSERA_RUNTIME_DIR"))
    return env;
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable("tessera", &anchor);
  SmallString<256> dir(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(dir, "..", "lib");
  SmallString<256> real;
  if (!llvm::sys::fs::real_path(dir, real))
    return std::string(real);
  return std::string(dir);
}

/// The CPU path needs static shapes: name every input that still has a
/// symbolic dimension, and the flag that fixes it.
/// The ONNX name of entry argument or result `i` (from the importer's
/// attributes), or "input<i>"/"output<i>".
std::string getValueName(func::FuncOp entry, StringRef attrName,
                         StringRef fallback, unsigned i) {
  if (auto names = entry->getAttrOfType<ArrayAttr>(attrName))
    if (i < names.size())
      if (auto attr = dyn_cast<StringAttr>(names[i]))
        return attr.str();
  return (fallback + Twine(i)).str();
}

LogicalResult checkStaticInputs(func::FuncOp entry) {
  bool ok = true;
  for (auto [i, type] : llvm::enumerate(entry.getArgumentTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || tensor.hasStaticShape())
      continue;
    std::string name = getValueName(entry, "tessera.input_names", "input", i);
    SmallVector<std::string> dims;
    for (int64_t d : tensor.getShape())
      dims.push_back(ShapedType::isDynamic(d) ? "N" : std::to_string(d));
    entry.emitError("input '")
        << name << "' has a symbolic shape " << type
        << "; the compiler needs static shapes: specialize it with --shape "
        << name << "=" << llvm::join(dims, "x") << " (N = the size you run)";
    ok = false;
  }
  return success(ok);
}

bool isGPUTarget(StringRef target) {
  return target == "vulkan" || target == "cuda";
}

GPUPipelineOptions getGPUOptions(const CompileOptions &options) {
  GPUPipelineOptions gpu = options.gpu;
  gpu.target = options.target == "cuda" ? GPUPipelineOptions::Target::CUDA
                                        : GPUPipelineOptions::Target::Vulkan;
  gpu.optLevel = options.cpu.optLevel;
  // --emit=ptx shows the PTX of each architecture, not the bundle.
  if (options.emit == EmitKind::PTX)
    gpu.cudaFatbin = false;
  return gpu;
}

} // namespace

LogicalResult tessera::runPassPipeline(ModuleOp module, StringRef pipeline,
                                       const CompileOptions &options) {
  return runPipeline(module, pipeline, options);
}

func::FuncOp tessera::findModelEntry(ModuleOp module) {
  return findEntry(module);
}

LogicalResult tessera::checkStaticInputShapes(func::FuncOp entry) {
  return checkStaticInputs(entry);
}

/// Lowers `module` (linalg on tensors) for one device to the LLVM dialect.
LogicalResult tessera::driver::lowerLinalgFor(ModuleOp module,
                                              StringRef device,
                                              const CompileOptions &options) {
  func::FuncOp entry = findEntry(module);
  if (!entry)
    return module.emitError("no model function to compile");
  // Record names, dtypes and shapes while they are still in the types.
  std::unique_ptr<llvm::TargetMachine> machine =
      cpu::createHostTargetMachine(options.cpu.optLevel);
  if (!machine)
    return module.emitError("cannot create an LLVM target for the host CPU");
  // The host code runs on this CPU whatever the device: the record names
  // the device, then the host CPU and its features.
  bool isGPU = isGPUTarget(device);
  std::string targetRecord = cpu::describeTarget(*machine);
  if (isGPU)
    targetRecord.replace(targetRecord.find("cpu"), 3, device.str());
  if (failed(cpu::prepareArtifactEntry(entry, targetRecord)))
    return failure();
  CompileOptions deviceOptions = options;
  deviceOptions.target = device.str();
  std::string pipeline =
      isGPU ? getLinalgToGPUPipeline(getGPUOptions(deviceOptions))
            : getLinalgToLLVMPipeline(options.cpu);
  // The ABI pass wraps the entry function, whatever its name.
  size_t pos = pipeline.find("tessera-emit-artifact-abi");
  pipeline.replace(pos, strlen("tessera-emit-artifact-abi"),
                   "tessera-emit-artifact-abi{entry=" +
                       entry.getSymName().str() + "}");
  if (options.decisions)
    options.decisions->pipelines.push_back({"linalg-to-llvm", pipeline});
  return runPipeline(module, pipeline, options);
}

/// Lowers for `device`; when that fails, reports why and lowers `module`
/// (the model, or one segment of it: `what`) for the CPU instead.
LogicalResult tessera::driver::lowerLinalgWithFallback(
    ModuleOp module, StringRef device, const CompileOptions &options,
    StringRef what, std::string *loweredFor) {
  OwningOpRef<ModuleOp> attempt = module.clone();
  std::string firstError;
  LogicalResult result = success();
  {
    ScopedDiagnosticHandler collect(
        module.getContext(), [&](Diagnostic &diag) {
          if (diag.getSeverity() == DiagnosticSeverity::Error &&
              firstError.empty()) {
            firstError = diag.str();
            std::string node = getNodeName(diag.getLocation());
            if (!node.empty())
              firstError = "node '" + node + "': " + firstError;
          }
          return success();
        });
    result = lowerLinalgFor(*attempt, device, options);
  }
  if (succeeded(result)) {
    module.getBodyRegion().takeBody(attempt->getBodyRegion());
    if (loweredFor)
      *loweredFor = device.str();
    return success();
  }
  module.emitWarning()
      << what << " cannot run on " << device << " (" << firstError
      << "); it runs on cpu instead, as --target=" << options.target
      << " allows";
  if (options.decisions && what == "the model") {
    options.decisions->target = "cpu (fallback from " + device.str() + ")";
    options.decisions->pipelines.clear();
  }
  if (loweredFor)
    *loweredFor = "cpu";
  return lowerLinalgFor(module, "cpu", options);
}

LogicalResult tessera::lowerModule(ModuleOp module,
                                   const CompileOptions &options) {
  if (options.target == "fpga-hls") // The FPGA target: lib/Target/HLS.
    return hls::lowerModuleForHLS(module, options);
  // One device, or several (or `auto`) to place the model's dispatches over.
  SmallVector<StringRef> devices;
  StringRef(options.target).split(devices, ',');
  for (StringRef target : devices) {
    // A kind, optionally with the profile to plan with: cuda:h100.
    StringRef device = target.split(':').first;
    if (device != "cpu" && device != "auto" && device != "fpga" &&
        !isGPUTarget(device))
      return module.emitError("unknown target '")
             << device
             << "'; available targets: cpu, vulkan, cuda, fpga-hls, a list "
                "of them to partition the model over (cpu,vulkan), or auto";
  }
  bool partitioned = devices.size() > 1 || devices[0] == "auto" ||
                     devices[0].split(':').first == "fpga" ||
                     devices[0].contains(':');
  StringRef device = devices[0];
  if (options.decisions)
    options.decisions->target = options.target;
  if ((options.emit == EmitKind::SPIRV &&
       (partitioned || device != "vulkan")) ||
      (options.emit == EmitKind::PTX && (partitioned || device != "cuda")))
    return module.emitError("--emit=")
           << (options.emit == EmitKind::SPIRV ? "spirv needs --target=vulkan"
                                                : "ptx needs --target=cuda");
  if (options.emit == EmitKind::Graph)
    return runPipeline(module, "builtin.module(canonicalize)", options);

  func::FuncOp entry = findEntry(module);
  if (!entry)
    return module.emitError("no model function to compile");
  if (failed(checkStaticInputs(entry)))
    return failure();
  if (options.decisions)
    options.decisions->pipelines.push_back(
        {"graph-to-linalg", getGraphToLinalgPipeline(options.cpu)});
  if (failed(runPipeline(module, getGraphToLinalgPipeline(options.cpu),
                         options)))
    return failure();
  if (options.emit == EmitKind::Linalg)
    return success();
  if (partitioned || options.emit == EmitKind::Device)
    return lowerPartitioned(module, options);
  return lowerLinalgFor(module, device, options);
}

int64_t tessera::TileDecision::countParallelTiles() const {
  return cpu::countParallelTiles(parallel, loops);
}

void tessera::printDecisions(const CompileDecisions &decisions,
                             llvm::raw_ostream &os) {
  os << "target: " << decisions.target << "\n";
  for (const auto &[stage, pipeline] : decisions.pipelines)
    os << "pipeline " << stage << ": " << pipeline << "\n";
  os << "tile configs (" << decisions.tiles.size() << "):\n";
  auto list = [&](ArrayRef<int64_t> values) {
    os << "[";
    llvm::interleaveComma(values, os);
    os << "]";
  };
  for (const TileDecision &tile : decisions.tiles) {
    os << "  " << tile.op << " (node '"
       << (tile.node.empty() ? "?" : tile.node) << "'): parallel=";
    list(tile.parallel);
    os << " reduction=";
    list(tile.reduction);
    os << " vector=";
    list(tile.vector);
    if (tile.packRhs)
      os << " pack_rhs";
    if (!tile.loops.empty()) {
      os << " loops=";
      list(tile.loops);
      os << " tiles=" << tile.countParallelTiles();
    }
    os << "\n";
    if (!tile.explanation.empty()) {
      SmallVector<StringRef> lines;
      StringRef(tile.explanation).split(lines, '\n');
      for (StringRef line : lines)
        os << "    " << line << "\n";
    }
  }
  for (const std::string &note : decisions.designNotes)
    os << note << "\n";
  if (decisions.placement) {
    os << "\n";
    partition::printPlanMarkdown(*decisions.placement, os);
  }
}

void tessera::printDecisionsJSON(const CompileDecisions &decisions,
                                 llvm::raw_ostream &os) {
  llvm::json::Array pipelines, tiles;
  for (const auto &[stage, pipeline] : decisions.pipelines)
    pipelines.push_back(
        llvm::json::Object{{"stage", stage}, {"pipeline", pipeline}});
  for (const TileDecision &tile : decisions.tiles) {
    llvm::json::Array explanation;
    SmallVector<StringRef> lines;
    if (!tile.explanation.empty())
      StringRef(tile.explanation).split(lines, '\n');
    for (StringRef line : lines)
      explanation.push_back(line.trim().str());
    tiles.push_back(llvm::json::Object{
        {"op", tile.op},
        {"node", tile.node},
        {"location", tile.location},
        {"parallel", llvm::json::Array(tile.parallel)},
        {"reduction", llvm::json::Array(tile.reduction)},
        {"vector", llvm::json::Array(tile.vector)},
        {"pack_rhs", tile.packRhs},
        {"loops", llvm::json::Array(tile.loops)},
        {"parallel_tiles", tile.countParallelTiles()},
        {"explanation", std::move(explanation)}});
  }
  llvm::json::Array notes;
  for (const std::string &note : decisions.designNotes)
    notes.push_back(note);
  llvm::json::Object object{{"target", decisions.target},
                            {"pipelines", std::move(pipelines)},
                            {"tiles", std::move(tiles)},
                            {"notes", std::move(notes)}};
  if (decisions.placement) {
    std::string text;
    llvm::raw_string_ostream plan(text);
    partition::printPlanJSON(*decisions.placement, plan);
    if (llvm::Expected<llvm::json::Value> value = llvm::json::parse(text))
      object["placement"] = std::move(*value);
    else
      llvm::consumeError(value.takeError());
  }
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(object))) << "\n";
}

LogicalResult tessera::emitModule(ModuleOp module,
                                  const CompileOptions &options,
                                  StringRef outputPath) {
  if (options.emit == EmitKind::Graph || options.emit == EmitKind::Linalg ||
      options.emit == EmitKind::Device) {
    std::string error;
    auto out = openOutputFile(outputPath, &error);
    if (!out)
      return module.emitError("cannot write '") << outputPath << "': "
                                                << error;
    module.print(out->os());
    out->keep();
    return success();
  }

  if (isPartitioned(module))
    return emitPartitioned(module, options, outputPath);
  if (options.emit == EmitKind::SPIRV || options.emit == EmitKind::PTX)
    return gpu::writeDeviceBinaries(module, outputPath);
  if (options.target == "fpga-hls") // The FPGA target: lib/Target/HLS.
    return hls::emitModuleForHLS(module, options, outputPath,
                                 findRuntimeDir(options));

  std::unique_ptr<llvm::TargetMachine> machine =
      cpu::createHostTargetMachine(options.cpu.optLevel);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule = cpu::translateAndOptimize(
      module, llvmContext, *machine, options.cpu.optLevel);
  if (!llvmModule)
    return module.emitError("translation to LLVM IR failed");

  if (options.emit == EmitKind::LLVM) {
    std::string error;
    auto out = openOutputFile(outputPath, &error);
    if (!out)
      return module.emitError("cannot write '") << outputPath << "': "
                                                << error;
    llvmModule->print(out->os(), nullptr);
    out->keep();
    return success();
  }
  if (options.emit == EmitKind::Object)
    return cpu::writeObjectFile(*llvmModule, *machine, outputPath);

  SmallString<128> objectPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "tessera-model", "o", objectPath))
    return module.emitError("cannot create a temporary file: ")
           << ec.message();
  llvm::FileRemover removeObject(objectPath);
  if (failed(cpu::writeObjectFile(*llvmModule, *machine, objectPath)))
    return failure();
  return cpu::linkArtifact(module, objectPath, findRuntimeDir(options),
                           outputPath);
}
