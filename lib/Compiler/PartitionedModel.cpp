//===- PartitionedModel.cpp - Compile a model placed over devices ---------===//
//
// `--target=cpu,vulkan` (or `auto`): the partitioner places every dispatch
// (lib/Partition), the model is cut into per-device segments
// (Segments.h), each segment is lowered by its device's pipeline into a
// nested module, and emission writes one artifact per segment plus the
// plan that runs them (runtime/Plan.h). A model that lands on one device
// is compiled as a plain artifact.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "Segments.h"

#include "dialects/Device/IR/DeviceAttrs.h"
#include "dialects/Device/IR/DeviceOps.h"
#include "lib/Target/CPU/Artifact.h"

#include "mlir/IR/Builders.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace tessera;

/// Module attribute of a partitioned model: the plan's input and output
/// records (the segments are the nested modules).
static constexpr llvm::StringLiteral kPlanRecordsAttr = "tessera.plan_records";
/// Attribute of each segment module: its device.
static constexpr llvm::StringLiteral kSegmentDeviceAttr =
    "tessera.segment_device";

static bool isGPUDevice(StringRef device) {
  return device == "vulkan" || device == "cuda";
}

/// The `input`/`output` records of the model function's artifact metadata.
static FailureOr<std::string> getInterfaceRecords(func::FuncOp entry) {
  if (failed(cpu::prepareArtifactEntry(entry, "target plan")))
    return failure();
  auto text = entry->getAttrOfType<StringAttr>(cpu::kArtifactMetadataAttr);
  std::string records;
  SmallVector<StringRef> lines;
  text.getValue().split(lines, '\n', -1, /*KeepEmpty=*/false);
  for (StringRef line : lines)
    if (line.starts_with("input ") || line.starts_with("output "))
      records += line.str() + "\n";
  return records;
}

/// "segment 1 (3 dispatches: conv1, relu1, ...)".
static std::string describeSegment(unsigned index, const Segment &segment) {
  SmallVector<StringRef> shown;
  for (const std::string &name : segment.dispatches)
    if (shown.size() < 3)
      shown.push_back(name);
  std::string list = llvm::join(shown, ", ");
  if (segment.dispatches.size() > shown.size())
    list += ", ...";
  return llvm::formatv("segment {0} ({1} dispatches: {2})", index,
                       segment.dispatches.size(), list)
      .str();
}

/// Lowers one segment (or the whole model) for `device`, falling back to
/// the cpu when a GPU cannot take it. Returns the device it is for.
static FailureOr<std::string> lowerForDevice(ModuleOp module,
                                             StringRef device,
                                             const CompileOptions &options,
                                             StringRef what) {
  if (!isGPUDevice(device)) {
    if (device != "cpu")
      return module.emitError()
             << what << " is placed on " << device
             << ", which this compiler plans for but cannot build a runnable "
                "segment for; use --emit=device to see the plan, or leave "
             << device << " out of --target";
    if (failed(driver::lowerLinalgFor(module, "cpu", options)))
      return failure();
    return std::string("cpu");
  }
  std::string loweredFor;
  if (failed(driver::lowerLinalgWithFallback(module, device, options, what,
                                             &loweredFor)))
    return failure();
  return loweredFor;
}

LogicalResult driver::lowerPartitioned(ModuleOp module,
                                       const CompileOptions &options) {
  func::FuncOp entry = findModelEntry(module);
  partition::PartitionOptions partitionOptions = options.partition;
  partitionOptions.targets.clear();
  for (StringRef target : llvm::split(options.target, ','))
    partitionOptions.targets.push_back(target.str());
  partition::PartitionPlan plan;
  if (failed(partition::partitionModule(module, partitionOptions, plan)))
    return failure();
  if (options.decisions)
    options.decisions->placement = plan;
  if (options.emit == EmitKind::Device)
    return success();

  FailureOr<std::string> records = getInterfaceRecords(entry);
  if (failed(records))
    return failure();
  FailureOr<std::vector<Segment>> segments = splitIntoSegments(module, entry);
  if (failed(segments))
    return failure();
  if (segments->size() == 1) {
    // Everything on one device: a plain artifact, no plan.
    if (failed(lowerForDevice(module, segments->front().device, options,
                              "the model")))
      return failure();
    return success();
  }

  OpBuilder builder(module.getContext());
  SmallVector<ModuleOp> lowered;
  for (auto [index, segment] : llvm::enumerate(*segments)) {
    FailureOr<std::string> device =
        lowerForDevice(*segment.module, segment.device, options,
                       describeSegment(index, segment));
    if (failed(device))
      return failure();
    ModuleOp segmentModule = segment.module.release();
    segmentModule.setSymName(("segment" + Twine(index)).str());
    segmentModule->setAttr(kSegmentDeviceAttr, builder.getStringAttr(*device));
    lowered.push_back(segmentModule);
  }
  // The model becomes its segments.
  module.getBody()->clear();
  for (ModuleOp segmentModule : lowered)
    module.getBody()->push_back(segmentModule);
  module->setAttr(kPlanRecordsAttr, builder.getStringAttr(*records));
  return success();
}

bool driver::isPartitioned(ModuleOp module) {
  return module->hasAttr(kPlanRecordsAttr);
}

LogicalResult driver::emitPartitioned(ModuleOp module,
                                      const CompileOptions &options,
                                      StringRef outputPath) {
  if (options.emit != EmitKind::Library)
    return module.emitError("a model partitioned over several devices is "
                            "written as a plan and one library per segment: "
                            "use --emit=lib (the default) or --emit=device");
  if (outputPath == "-")
    return module.emitError("a partitioned model needs an output file (-o "
                            "model.plan): its segments are written next to it");
  // Segments are `<stem>.seg<i>.<device>.so` next to the plan.
  SmallString<256> stem(outputPath);
  llvm::sys::path::replace_extension(stem, "");
  std::string plan = "tessera-plan 1\n";
  plan += module->getAttrOfType<StringAttr>(kPlanRecordsAttr).str();
  unsigned index = 0;
  for (auto segment : module.getOps<ModuleOp>()) {
    StringRef device =
        segment->getAttrOfType<StringAttr>(kSegmentDeviceAttr).getValue();
    std::string path =
        (stem + ".seg" + Twine(index++) + "." + device + ".so").str();
    if (failed(emitModule(segment, options, path)))
      return failure();
    plan += ("segment " + device + " " + llvm::sys::path::filename(path) +
             "\n")
                .str();
  }
  std::string error;
  auto out = openOutputFile(outputPath, &error);
  if (!out)
    return module.emitError("cannot write '") << outputPath << "': " << error;
  out->os() << plan;
  out->keep();
  return success();
}
