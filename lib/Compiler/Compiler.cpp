//===- Compiler.cpp - Tessera's compiler entry points ---------------------===//
//
// Drives the stages: Graph dialect → linalg → LLVM dialect → LLVM IR →
// object → artifact. Each stage's pipeline is textual (see Pipelines.h).
//
//===----------------------------------------------------------------------===//

#include "tessera/Compiler.h"

#include "lib/Target/CPU/Artifact.h"
#include "lib/Target/CPU/TileConfig.h"
#include "tessera/Support/NodeName.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
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
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace tessera;

std::optional<EmitKind> tessera::parseEmitKind(StringRef name) {
  return llvm::StringSwitch<std::optional<EmitKind>>(name)
      .Case("graph", EmitKind::Graph)
      .Case("linalg", EmitKind::Linalg)
      .Case("llvm", EmitKind::LLVM)
      .Case("obj", EmitKind::Object)
      .Case("lib", EmitKind::Library)
      .Default(std::nullopt);
}

namespace {

/// Records the tile configuration of every op right after
/// tessera-select-tile-config wrote them (the tiling pass consumes them).
struct DecisionRecorder : PassInstrumentation {
  explicit DecisionRecorder(CompileDecisions &decisions)
      : decisions(decisions) {}

  void runAfterPass(Pass *pass, Operation *op) override {
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
      decisions.tiles.push_back(std::move(decision));
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
        << "; the CPU target needs static shapes: specialize it with --shape "
        << name << "=" << llvm::join(dims, "x") << " (N = the size you run)";
    ok = false;
  }
  return success(ok);
}

} // namespace

LogicalResult tessera::lowerModule(ModuleOp module,
                                   const CompileOptions &options) {
  if (options.target != "cpu")
    return module.emitError("target '")
           << options.target
           << "' is not available yet; available targets: cpu";
  if (options.decisions)
    options.decisions->target = options.target;
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

  // Record names, dtypes and shapes while they are still in the types.
  std::unique_ptr<llvm::TargetMachine> machine =
      cpu::createHostTargetMachine(options.cpu.optLevel);
  if (!machine)
    return module.emitError("cannot create an LLVM target for the host CPU");
  if (failed(cpu::prepareArtifactEntry(entry, cpu::describeTarget(*machine))))
    return failure();
  std::string pipeline = getLinalgToLLVMPipeline(options.cpu);
  // The ABI pass wraps the entry function, whatever its name.
  size_t pos = pipeline.find("tessera-emit-artifact-abi");
  pipeline.replace(pos, strlen("tessera-emit-artifact-abi"),
                   "tessera-emit-artifact-abi{entry=" +
                       entry.getSymName().str() + "}");
  if (options.decisions)
    options.decisions->pipelines.push_back({"linalg-to-llvm", pipeline});
  return runPipeline(module, pipeline, options);
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
    os << "\n";
  }
}

LogicalResult tessera::emitModule(ModuleOp module,
                                  const CompileOptions &options,
                                  StringRef outputPath) {
  if (options.emit == EmitKind::Graph || options.emit == EmitKind::Linalg) {
    std::string error;
    auto out = openOutputFile(outputPath, &error);
    if (!out)
      return module.emitError("cannot write '") << outputPath << "': "
                                                << error;
    module.print(out->os());
    out->keep();
    return success();
  }

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
