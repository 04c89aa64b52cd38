//===- tessera-compile.cpp - Tessera's model compiler ---------------------===//
//
// tessera-compile MODEL.onnx -o MODEL.so [--target=cpu] [--shape N=DIMS]
//                 [--emit=graph|device|linalg|llvm|obj|lib|spirv|ptx] [-O0..-O3]
//                 [--target=cpu,vulkan|auto --profiles=A.json,B.json
//                  --placement=FILE.json --explain-dot=FILE.dot]
//
// Imports an ONNX model (or reads Graph-dialect IR from a .mlir file),
// lowers it to the requested stage and writes the result. Diagnostics go to
// stderr as `error: ...` lines and the exit status is 1 on any error.
//
//===----------------------------------------------------------------------===//

#include "tessera/Compiler.h"
#include "tessera/Frontend/ONNXImporter.h"
#include "tessera/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("tessera-compile options");

static cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx|model.mlir>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("Output file"),
                                       cl::value_desc("path"), cl::init(""),
                                       cl::cat(category));
static cl::opt<std::string>
    emitOption("emit", cl::desc("What to produce: graph, device (the linalg IR placed over "
                           "the --target list), linalg, llvm, obj, lib, or the device "
                           "modules of a GPU target (spirv, ptx: -o names a folder)"),
               cl::init("lib"), cl::cat(category));
static cl::opt<std::string> targetOption(
    "target",
    cl::desc("Device to compile for: cpu, vulkan, cuda or fpga-hls; a list "
             "(cpu,vulkan) or auto places each dispatch on one of them and "
             "writes a plan with one library per segment "
             "(docs/partitioning.md)"),
    cl::init("cpu"), cl::cat(category));
static cl::opt<std::string> fpgaProfileOption(
    "fpga-profile",
    cl::desc("--target=fpga-hls (HLS C++, C-simulation artifact; "
             "--emit=hls-cpp -o DIR for the C++): FPGA profile, u250, zcu102 "
             "or a JSON file"),
    cl::init("u250"), cl::cat(category));
static cl::list<std::string> cudaArchOptions(
    "cuda-arch",
    cl::desc("CUDA architectures of a --target=cuda artifact (default "
             "sm_80,sm_90; one cubin each plus PTX of the newest)"),
    cl::value_desc("sm_XY,..."), cl::CommaSeparated, cl::cat(category));
static cl::opt<bool> allowTF32Option(
    "allow-tf32",
    cl::desc("--target=cuda: compute f32 MatMul/Gemm/convolutions on tensor "
             "cores with TF32 operands (10-bit mantissa, as PyTorch's "
             "allow_tf32); off: f32 products keep full precision. f16 and "
             "bf16 products always use tensor cores"),
    cl::init(false), cl::cat(category));
static cl::opt<std::string> cudaTensorCoreTilesOption(
    "cuda-tensor-core-tiles",
    cl::desc("--target=cuda: tensor-core tiles for every matrix product "
             "instead of the chosen ones, BMxBNxBK:WMxWN[:STAGES[:FLAGS]] "
             "with FLAGS async (cp.async copies) and/or x4 (B fragments two "
             "per ldmatrix) joined by '+' (e.g. 128x256x32:2x4:3:async+x4), "
             "or wgmma:BMxBNxBK[:STAGES[:overlap]] for sm_90a's warpgroup "
             "MMA (e.g. wgmma:128x128x64:4:overlap, with "
             "--cuda-arch=sm_90a; overlap keeps one wgmma batch in flight), "
             "for tuning and experiments"),
    cl::value_desc(
        "BMxBNxBK:WMxWN[:S[:async+x4]]|wgmma:BMxBNxBK[:S[:overlap]]"),
    cl::init(""), cl::cat(category));
static cl::list<std::string>
    shapeOptions("shape", cl::desc("Fix an input's shape: NAME=1x3x224x224"),
                 cl::value_desc("NAME=DIMS"), cl::cat(category));
enum OptLevel { O0 = 0, O1 = 1, O2 = 2, O3 = 3 };
static cl::opt<OptLevel> optLevel(
    cl::desc("Optimization level"),
    cl::values(clEnumValN(O0, "O0", "No optimization"),
               clEnumValN(O1, "O1", "Light optimization"),
               clEnumValN(O2, "O2", "Default optimization"),
               clEnumValN(O3, "O3", "Full optimization (default)")),
    cl::init(O3), cl::cat(category));
static cl::opt<std::string> explainOption(
    "explain",
    cl::desc("Print the compiler's decisions (target, pipelines, tile "
             "configurations) to stdout, or to FILE with --explain=FILE"),
    cl::value_desc("FILE"), cl::ValueOptional, cl::init(""),
    cl::cat(category));
static cl::opt<std::string> explainFormatOption(
    "explain-format",
    cl::desc("Format of --explain: text (default) or json"),
    cl::init("text"), cl::cat(category));
static cl::opt<std::string> tilePolicyOption(
    "tile-policy",
    cl::desc("How CPU tile configs are chosen: heuristic (default), model "
             "(the learned cost model's best candidate) or tune (model "
             "predictions replaced by latencies that tessera-tune measured "
             "on this machine, see --tuning-db)"),
    cl::init("heuristic"), cl::cat(category));
static cl::opt<std::string> costModelOption(
    "cost-model",
    cl::desc("Cost model file of --tile-policy=model|tune (default: the "
             "shipped CPU model, or $TESSERA_COST_MODEL)"),
    cl::value_desc("FILE"), cl::init(""), cl::cat(category));
static cl::opt<std::string> tuningDbOption(
    "tuning-db",
    cl::desc("Tuning database (SQLite) that --tile-policy=tune reads"),
    cl::value_desc("FILE"), cl::init(""), cl::cat(category));
static cl::opt<int64_t> tileCandidateOption(
    "tile-candidate",
    cl::desc("Use candidate N for the root op's tile config (tessera-tune)"),
    cl::init(-1), cl::Hidden, cl::cat(category));
static cl::list<std::string> profilesOption(
    "profiles",
    cl::desc("Hardware profiles (JSON) of the devices to place over, instead "
             "of probing this machine: plan for a deployment machine "
             "(docs/partitioning.md)"),
    cl::value_desc("A.json,B.json"), cl::CommaSeparated, cl::cat(category));
static cl::opt<std::string> placementOption(
    "placement",
    cl::desc("Override the partitioner: {\"dispatches\": {NAME: DEVICE}, "
             "\"default\": DEVICE}"),
    cl::value_desc("FILE.json"), cl::init(""), cl::cat(category));
static cl::opt<std::string> explainDotOption(
    "explain-dot",
    cl::desc("Write the placed dispatch graph (Graphviz dot, coloured by "
             "device) to FILE, and FILE's .svg when `dot` is installed"),
    cl::value_desc("FILE"), cl::init(""), cl::cat(category));
static cl::opt<bool> printIRAfterAll("print-ir-after-all",
                                     cl::desc("Print the IR after every pass"),
                                     cl::init(false), cl::cat(category));

/// Prints diagnostics as `error: <message> (at <location>)`.
static void printDiagnostic(Diagnostic &diag) {
  llvm::raw_ostream &os = llvm::errs();
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Error:
    os << "error: ";
    break;
  case DiagnosticSeverity::Warning:
    os << "warning: ";
    break;
  case DiagnosticSeverity::Note:
    os << "note: ";
    break;
  case DiagnosticSeverity::Remark:
    os << "remark: ";
    break;
  }
  os << diag;
  std::string loc;
  llvm::raw_string_ostream locStream(loc);
  diag.getLocation().print(locStream);
  if (!isa<UnknownLoc>(diag.getLocation()))
    os << " [at " << loc << "]";
  os << "\n";
  for (Diagnostic &note : diag.getNotes())
    printDiagnostic(note);
}

/// Parses `NAME=D0xD1x...` (a `?` keeps a dimension symbolic).
static LogicalResult parseShapeOption(StringRef option,
                                      tessera::onnx::ImportOptions &options) {
  auto [name, dims] = option.rsplit('=');
  if (name.empty() || dims.empty()) {
    llvm::errs() << "error: --shape expects NAME=DIMS (for example "
                    "input=1x3x224x224), got '"
                 << option << "'\n";
    return failure();
  }
  SmallVector<int64_t> shape;
  SmallVector<StringRef> parts;
  dims.split(parts, 'x');
  for (StringRef part : parts) {
    int64_t d;
    if (part == "?") {
      shape.push_back(ShapedType::kDynamic);
    } else if (part.getAsInteger(10, d) || d < 0) {
      llvm::errs() << "error: --shape " << option << ": '" << part
                   << "' is not a dimension size\n";
      return failure();
    } else {
      shape.push_back(d);
    }
  }
  options.shapeOverrides[name] = shape;
  return success();
}

/// --explain-dot: the plan as a dot file, rendered to SVG next to it when
/// Graphviz is installed.
static LogicalResult writePlanDot(const tessera::CompileDecisions &decisions,
                                  llvm::StringRef path) {
  if (!decisions.placement) {
    llvm::errs() << "error: --explain-dot needs a model placed over devices "
                    "(--target=LIST, auto, or --emit=device)\n";
    return failure();
  }
  std::string error;
  auto out = openOutputFile(path, &error);
  if (!out) {
    llvm::errs() << "error: cannot write '" << path << "': " << error << "\n";
    return failure();
  }
  tessera::partition::printPlanDot(*decisions.placement, out->os());
  out->keep();
  out.reset();
  llvm::ErrorOr<std::string> dot = llvm::sys::findProgramByName("dot");
  if (!dot) {
    llvm::errs() << "note: Graphviz `dot` is not installed; render " << path
                 << " with `dot -Tsvg` elsewhere\n";
    return success();
  }
  llvm::SmallString<128> svg(path);
  llvm::sys::path::replace_extension(svg, "svg");
  std::string svgPath = svg.str().str();
  llvm::StringRef args[] = {*dot, "-Tsvg", path, "-o", svgPath};
  if (llvm::sys::ExecuteAndWait(*dot, args, std::nullopt, {}, 60, 0,
                                &error) != 0) {
    llvm::errs() << "error: dot failed on " << path << ": " << error << "\n";
    return failure();
  }
  return success();
}

/// "128x256x32:2x4:3:async" -> "block=128,256,32 warps=2,4 stages=3
/// async-copy=true" (the options of tessera-select-gpu-kernel), or nullopt
/// when malformed.
static std::optional<std::string> parseTensorCoreTiles(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef, 3> parts;
  // wgmma:BMxBNxBK[:STAGES[:overlap]]: the sm_90a warpgroup kernel (3
  // stages unless given; overlap keeps one wgmma batch in flight).
  if (text.consume_front("wgmma:")) {
    text.split(parts, ':');
    llvm::SmallVector<llvm::StringRef, 3> dims;
    parts[0].split(dims, 'x');
    unsigned value;
    if (parts.size() > 3 || dims.size() != 3 ||
        llvm::any_of(dims, [&](llvm::StringRef d) {
          return d.getAsInteger(10, value) || value == 0;
        }) ||
        (parts.size() >= 2 && (parts[1].getAsInteger(10, value) || !value)) ||
        (parts.size() == 3 && parts[2] != "overlap"))
      return std::nullopt;
    return "mma=wgmma block=" + llvm::join(dims, ",") +
           " stages=" + (parts.size() >= 2 ? parts[1].str() : "3") +
           (parts.size() == 3 ? " wgmma-overlap=true" : "");
  }
  text.split(parts, ':');
  if (parts.size() < 2 || parts.size() > 4)
    return std::nullopt;
  // Flags after the stages: async (cp.async copies), x4 (B fragments two
  // per ldmatrix), joined by '+'.
  bool async = false, wideB = false;
  if (parts.size() == 4) {
    llvm::SmallVector<llvm::StringRef, 2> flags;
    parts[3].split(flags, '+');
    for (llvm::StringRef flag : flags) {
      if (flag == "async")
        async = true;
      else if (flag == "x4")
        wideB = true;
      else
        return std::nullopt;
    }
  }
  auto numbers = [](llvm::StringRef part, size_t count)
      -> std::optional<std::string> {
    llvm::SmallVector<llvm::StringRef, 3> dims;
    part.split(dims, 'x');
    if (dims.size() != count)
      return std::nullopt;
    std::string joined;
    for (llvm::StringRef dim : dims) {
      unsigned value;
      if (dim.getAsInteger(10, value) || value == 0)
        return std::nullopt;
      joined += (joined.empty() ? "" : ",") + std::to_string(value);
    }
    return joined;
  };
  std::optional<std::string> block = numbers(parts[0], 3);
  std::optional<std::string> warps = numbers(parts[1], 2);
  std::optional<std::string> stages =
      parts.size() >= 3 ? numbers(parts[2], 1) : std::string("1");
  if (!block || !warps || !stages)
    return std::nullopt;
  return "block=" + *block + " warps=" + *warps + " stages=" + *stages +
         (async ? " async-copy=true" : "") +
         (wideB ? " ldmatrix-b-tiles=4" : "");
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // --mlir-print-debuginfo and friends, for looking at --emit=graph|linalg.
  registerAsmPrinterCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "Tessera model compiler\n");

  tessera::CompileOptions options;
  std::optional<tessera::EmitKind> emit =
      tessera::parseEmitKind(emitOption.getValue());
  if (!emit) {
    llvm::errs() << "error: unknown --emit=" << emitOption
                 << " (expected graph, linalg, device, llvm, obj, lib, spirv, "
                    "ptx or hls-cpp)\n";
    return 1;
  }
  options.emit = *emit;
  options.target = targetOption;
  options.fpgaProfile = fpgaProfileOption;
  options.cpu.optLevel = optLevel;
  if (!cudaArchOptions.empty())
    options.gpu.cudaArchs.assign(cudaArchOptions.begin(),
                                 cudaArchOptions.end());
  options.gpu.allowTF32 = allowTF32Option;
  if (!cudaTensorCoreTilesOption.empty()) {
    std::optional<std::string> tiles =
        parseTensorCoreTiles(cudaTensorCoreTilesOption);
    if (!tiles) {
      llvm::errs() << "error: --cuda-tensor-core-tiles="
                   << cudaTensorCoreTilesOption
                   << " is not BMxBNxBK:WMxWN[:STAGES[:async+x4]] (e.g. "
                      "128x128x32:2x4:3:async) or wgmma:BMxBNxBK[:STAGES[:overlap]]\n";
      return 1;
    }
    options.gpu.tensorCoreTiles = *tiles;
  }
  options.printIRAfterAll = printIRAfterAll;
  if (tilePolicyOption != "heuristic" && tilePolicyOption != "model" &&
      tilePolicyOption != "tune") {
    llvm::errs() << "error: unknown --tile-policy=" << tilePolicyOption
                 << " (expected heuristic, model or tune)\n";
    return 1;
  }
  if (explainFormatOption != "text" && explainFormatOption != "json") {
    llvm::errs() << "error: unknown --explain-format=" << explainFormatOption
                 << " (expected text or json)\n";
    return 1;
  }
  options.cpu.tilePolicy = tilePolicyOption;
  options.cpu.costModelPath = costModelOption;
  options.cpu.tuningDatabase = tuningDbOption;
  if (tileCandidateOption >= 0) {
    options.cpu.tilePolicy = "candidate";
    options.cpu.tileCandidate = tileCandidateOption;
  }
  options.cpu.explainTiles = explainOption.getNumOccurrences() > 0;
  options.partition.profilePaths.assign(profilesOption.begin(),
                                       profilesOption.end());
  options.partition.placementPath = placementOption;
  options.partition.costModelPath = costModelOption;

  tessera::onnx::ImportOptions importOptions;
  for (const std::string &shape : shapeOptions)
    if (failed(parseShapeOption(shape, importOptions)))
      return 1;

  std::string output = outputPath;
  if (output.empty()) {
    bool text = options.emit == tessera::EmitKind::Graph ||
                options.emit == tessera::EmitKind::Linalg ||
                options.emit == tessera::EmitKind::Device ||
                options.emit == tessera::EmitKind::LLVM;
    if (!text) {
      llvm::errs() << "error: -o is required with --emit=" << emitOption
                   << "\n";
      return 1;
    }
    output = "-";
  }

  DialectRegistry registry;
  tessera::registerAllDialects(registry);
  tessera::registerAllPasses();
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Users get one line per problem, not a dump of the IR around it.
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler handler(&context, [](Diagnostic &diag) {
    printDiagnostic(diag);
    return success();
  });

  OwningOpRef<ModuleOp> module;
  if (StringRef(inputPath).ends_with(".mlir")) {
    if (!shapeOptions.empty()) {
      llvm::errs() << "error: --shape applies to ONNX models only\n";
      return 1;
    }
    llvm::SourceMgr sourceMgr;
    module = parseSourceFile<ModuleOp>(inputPath, sourceMgr,
                                       ParserConfig(&context));
  } else {
    module = tessera::onnx::importONNXFile(inputPath, context, importOptions);
  }
  if (!module)
    return 1;
  tessera::CompileDecisions decisions;
  bool explain = explainOption.getNumOccurrences() > 0;
  if (explain || !explainDotOption.empty())
    options.decisions = &decisions;
  if (failed(tessera::lowerModule(*module, options)) ||
      failed(tessera::emitModule(*module, options, output)))
    return 1;
  if (!explainDotOption.empty() &&
      failed(writePlanDot(decisions, explainDotOption)))
    return 1;
  if (explain) {
    std::string path = explainOption.empty() ? "-" : explainOption.getValue();
    std::string error;
    auto out = openOutputFile(path, &error);
    if (!out) {
      llvm::errs() << "error: cannot write '" << path << "': " << error
                   << "\n";
      return 1;
    }
    if (explainFormatOption == "json")
      tessera::printDecisionsJSON(decisions, out->os());
    else
      tessera::printDecisions(decisions, out->os());
    out->keep();
  }
  return 0;
}
