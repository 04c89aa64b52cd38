//===- Partition.cpp - Place dispatches on devices ------------------------===//
//
// partitionModule: resolves the targets and their profiles, predicts the
// cost of every dispatch on every target, builds the dispatch graph
// (edges through the ops outside dispatches, model inputs and outputs on
// the host), schedules it (HEFT, or the best single device when that is
// predicted faster, or the user's placement file), then writes the
// placement attributes and inserts one tdev.transfer per crossing.
//
//===----------------------------------------------------------------------===//

#include "tessera/Partition/Partition.h"

#include "dialects/Device/IR/DeviceOps.h"
#include "lib/Partition/Cost.h"
#include "lib/Partition/Profiles.h"
#include "lib/Partition/Schedule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <chrono>
#include <cmath>
#include <map>

using namespace mlir;
using namespace tessera;
using namespace tessera::partition;
using tessera::device::DispatchOp;
using tessera::device::TargetAttr;
using tessera::device::TransferOp;

StringRef tessera::partition::stringifyCostSource(CostSource source) {
  switch (source) {
  case CostSource::Model:
    return "model";
  case CostSource::Roofline:
    return "roofline";
  case CostSource::Unsupported:
    return "unsupported";
  }
  llvm_unreachable("unknown cost source");
}

namespace {

//===----------------------------------------------------------------------===//
// Targets and profiles
//===----------------------------------------------------------------------===//

/// The shipped example profiles (profiles/*.json at the source root).
std::string shippedProfilePath(StringRef name) {
  llvm::SmallString<128> path(TESSERA_PROFILES_DIR);
  llvm::sys::path::append(path, name + ".json");
  return path.str().str();
}

/// Resolves one target spec ("cuda", "cuda:h100", "fpga-hls", ...) to a
/// profile: a --profiles file of that kind (and name), a shipped profile,
/// or a probe.
FailureOr<DeviceProfile> resolveTarget(ModuleOp module, StringRef spec,
                                       ArrayRef<DeviceProfile> files,
                                       const DeviceProfile *host) {
  auto [kind, name] = spec.split(':');
  if (kind == "fpga-hls")
    kind = "fpga";
  if (!llvm::is_contained(TargetAttr::getKnownKinds(), kind)) {
    module.emitError("unknown target '")
        << spec << "'; targets are cpu, vulkan, cuda, fpga or auto";
    return failure();
  }
  for (const DeviceProfile &file : files)
    if (file.kind == kind && (name.empty() || file.name == name))
      return file;
  std::string error;
  if (!name.empty()) {
    if (kind == "fpga")
      if (std::optional<DeviceProfile> fpga = loadFPGA(name.str(), &error))
        return *fpga;
    std::optional<DeviceProfile> shipped =
        DeviceProfile::load(shippedProfilePath(name), &error);
    if (shipped && shipped->kind == kind)
      return *shipped;
    module.emitError("no profile '")
        << name << "' for " << kind << ": give it with --profiles=FILE.json ("
        << error << ")";
    return failure();
  }
  if (kind == "cpu")
    return probeCPU();
  if (kind == "fpga") {
    std::optional<DeviceProfile> fpga = loadFPGA("u250", &error);
    if (!fpga) {
      module.emitError("cannot load the u250 profile: ") << error;
      return failure();
    }
    return *fpga;
  }
  // A software GPU's numbers derive from the host CPU's.
  std::optional<DeviceProfile> gpu =
      probeGPU(kind.str(), host ? *host : probeCPU(), &error);
  if (!gpu) {
    module.emitError(error) << "; to plan for a " << kind
                            << " device that is not here, give its profile "
                               "with --profiles=FILE.json";
    return failure();
  }
  return *gpu;
}

LogicalResult resolveTargets(ModuleOp module, const PartitionOptions &options,
                             PartitionPlan &plan,
                             std::vector<DeviceProfile> &profiles) {
  std::vector<DeviceProfile> files;
  for (const std::string &path : options.profilePaths) {
    std::string error;
    std::optional<DeviceProfile> profile = DeviceProfile::load(path, &error);
    if (!profile)
      return module.emitError(error);
    files.push_back(*profile);
  }
  std::vector<std::string> specs;
  for (const std::string &spec : options.targets) {
    if (spec == "auto")
      llvm::append_range(specs, listAvailableKinds());
    else if (!spec.empty())
      specs.push_back(spec);
  }
  if (specs.empty()) {
    // No list: the host and every profile given.
    specs.push_back("cpu");
    for (const DeviceProfile &file : files)
      specs.push_back(file.kind + ":" + file.name);
  }
  std::optional<DeviceProfile> host;
  for (const std::string &spec : specs) {
    FailureOr<DeviceProfile> profile =
        resolveTarget(module, spec, files, host ? &*host : nullptr);
    if (failed(profile))
      return failure();
    bool seen = llvm::any_of(profiles, [&](const DeviceProfile &p) {
      return p.kind == profile->kind && p.name == profile->name;
    });
    if (seen)
      continue;
    profiles.push_back(*profile);
    if (profile->kind == "cpu" && !host)
      host = *profile;
  }
  // The host is the CPU: transfers to and from it cost one link hop.
  for (DeviceProfile &profile : profiles)
    if (profile.kind == "cpu")
      profile.linkGBps = profile.linkLatencyUs = 0;
  for (const DeviceProfile &profile : profiles) {
    TargetInfo info;
    info.kind = profile.kind;
    info.profile = profile.name;
    info.profileSource = profile.source;
    info.peakGflops = profile.peakGflops;
    info.memoryGBps = profile.memoryGBps;
    info.launchUs = profile.launchUs;
    info.linkGBps = profile.linkGBps;
    info.linkLatencyUs = profile.linkLatencyUs;
    info.sharesHostCores = profile.sharesHostCores;
    plan.targets.push_back(info);
    if (!profile.note.empty())
      plan.notes.push_back(profile.kind + " (" + profile.name +
                           "): " + profile.note);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// The dispatch graph
//===----------------------------------------------------------------------===//

int64_t valueBytes(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return 0;
  unsigned bits = type.getElementType().isIntOrFloat()
                      ? type.getElementType().getIntOrFloatBitWidth()
                      : 32;
  return type.getNumElements() * std::max(1u, bits / 8);
}

/// Where the data of each value comes from: dispatches and model inputs,
/// seen through the ops outside dispatches (reshapes); constants come from
/// nowhere (weights are loaded on every device with the model).
class ValueSources {
public:
  ValueSources(func::FuncOp entry, const DenseMap<Operation *, unsigned> &ids)
      : entry(entry), ids(ids) {}

  struct Sources {
    SmallVector<unsigned, 2> dispatches;
    bool fromInput = false;
  };

  const Sources &get(Value value) {
    auto it = cache.find(value);
    if (it != cache.end())
      return it->second;
    Sources sources;
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      sources.fromInput = arg.getOwner()->getParentOp() == entry;
    } else if (Operation *def = value.getDefiningOp()) {
      auto id = ids.find(def);
      if (id != ids.end()) {
        sources.dispatches.push_back(id->second);
      } else {
        for (Value operand : def->getOperands()) {
          const Sources &inner = get(operand);
          for (unsigned d : inner.dispatches)
            if (!llvm::is_contained(sources.dispatches, d))
              sources.dispatches.push_back(d);
          sources.fromInput |= inner.fromInput;
        }
      }
    }
    return cache[value] = sources;
  }

private:
  func::FuncOp entry;
  const DenseMap<Operation *, unsigned> &ids;
  DenseMap<Value, Sources> cache;
};

/// Values a dispatch uses from outside, in order of first use.
SmallVector<Value> capturedValues(DispatchOp dispatch) {
  llvm::SetVector<Value> values;
  dispatch->walk([&](Operation *op) {
    for (Value operand : op->getOperands())
      if (!dispatch->isAncestor(operand.getParentRegion()->getParentOp()))
        values.insert(operand);
  });
  return values.takeVector();
}

TaskGraph buildTaskGraph(func::FuncOp entry, ArrayRef<DispatchOp> dispatches,
                         ValueSources &sources, PartitionPlan &plan) {
  TaskGraph graph;
  unsigned n = dispatches.size();
  for (const DispatchPlan &dispatch : plan.dispatches) {
    std::vector<double> costs;
    for (const DispatchCost &cost : dispatch.costs)
      costs.push_back(cost.us);
    graph.cost.push_back(std::move(costs));
  }
  graph.inputBytes.assign(n, 0);
  graph.outputBytes.assign(n, 0);
  // Devices on the host's cores share the CPU's resource.
  int hostResource = -1;
  for (const TargetInfo &target : plan.targets) {
    graph.linkGBps.push_back(target.linkGBps);
    graph.linkLatencyUs.push_back(target.linkLatencyUs);
    graph.resource.push_back(graph.resource.size());
    if (target.kind == "cpu" && hostResource < 0)
      hostResource = graph.resource.back();
  }
  for (auto [index, target] : llvm::enumerate(plan.targets))
    if (target.sharesHostCores && hostResource >= 0)
      graph.resource[index] = hostResource;
  std::map<std::pair<unsigned, unsigned>, int64_t> edgeBytes;
  for (auto [index, dispatch] : llvm::enumerate(dispatches)) {
    for (Value value : capturedValues(dispatch)) {
      const ValueSources::Sources &from = sources.get(value);
      for (unsigned src : from.dispatches)
        edgeBytes[{src, static_cast<unsigned>(index)}] += valueBytes(value);
      if (from.fromInput)
        graph.inputBytes[index] += valueBytes(value);
    }
  }
  for (auto &[edge, bytes] : edgeBytes) {
    graph.edges.push_back({edge.first, edge.second, bytes});
    plan.dispatches[edge.second].preds.push_back(edge.first);
  }
  entry.walk([&](func::ReturnOp ret) {
    for (Value value : ret.getOperands())
      for (unsigned src : sources.get(value).dispatches)
        graph.outputBytes[src] += valueBytes(value);
  });
  return graph;
}

//===----------------------------------------------------------------------===//
// Placement overrides
//===----------------------------------------------------------------------===//

/// The index of the target a placement file names ("vulkan", "cuda:h100").
FailureOr<int> findTarget(ModuleOp module, const PartitionPlan &plan,
                          StringRef spec) {
  auto [kind, name] = spec.split(':');
  if (kind == "fpga-hls")
    kind = "fpga";
  for (auto [index, target] : llvm::enumerate(plan.targets))
    if (target.kind == kind && (name.empty() || target.profile == name))
      return static_cast<int>(index);
  std::string targets;
  for (const TargetInfo &target : plan.targets)
    targets += (targets.empty() ? "" : ", ") + target.kind;
  module.emitError("placement: device '")
      << spec << "' is not a target of this compilation (targets: " << targets
      << ")";
  return failure();
}

/// Reads --placement=FILE.json into one forced device per dispatch (-1:
/// free).
FailureOr<std::vector<int>> readPlacement(ModuleOp module, StringRef path,
                                          const PartitionPlan &plan) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    module.emitError("cannot read placement file '")
        << path << "': " << buffer.getError().message();
    return failure();
  }
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json) {
    module.emitError("placement file '")
        << path << "' is not JSON: " << llvm::toString(json.takeError());
    return failure();
  }
  const llvm::json::Object *object = json->getAsObject();
  if (!object) {
    module.emitError("placement file '")
        << path
        << "': expected {\"dispatches\": {NAME: DEVICE}, "
           "\"default\": DEVICE}";
    return failure();
  }
  std::vector<int> forced(plan.dispatches.size(), -1);
  if (std::optional<StringRef> fallback = object->getString("default")) {
    FailureOr<int> device = findTarget(module, plan, *fallback);
    if (failed(device))
      return failure();
    forced.assign(forced.size(), *device);
  }
  if (const llvm::json::Object *names = object->getObject("dispatches")) {
    for (const auto &entry : *names) {
      std::string key = entry.first.str();
      std::optional<StringRef> spec = entry.second.getAsString();
      if (!spec) {
        module.emitError("placement: the device of '")
            << key << "' must be a string";
        return failure();
      }
      FailureOr<int> device = findTarget(module, plan, *spec);
      if (failed(device))
        return failure();
      auto it = llvm::find_if(plan.dispatches, [&](const DispatchPlan &d) {
        return d.name == key;
      });
      if (it == plan.dispatches.end()) {
        std::string known;
        for (unsigned i = 0; i < plan.dispatches.size() && i < 5; ++i)
          known += (i ? ", '" : "'") + plan.dispatches[i].name + "'";
        if (plan.dispatches.size() > 5)
          known += ", ...";
        module.emitError("placement: no dispatch named '")
            << key << "' (dispatches: " << known << ")";
        return failure();
      }
      forced[it - plan.dispatches.begin()] = *device;
    }
  }
  for (auto [index, device] : llvm::enumerate(forced)) {
    if (device < 0)
      continue;
    const DispatchCost &cost = plan.dispatches[index].costs[device];
    if (cost.source == CostSource::Unsupported) {
      module.emitError("placement: dispatch '")
          << plan.dispatches[index].name << "' cannot run on "
          << plan.targets[device].kind << ": " << cost.note;
      return failure();
    }
  }
  return forced;
}

//===----------------------------------------------------------------------===//
// Decisions
//===----------------------------------------------------------------------===//

/// Why the schedule put `dispatch` where it did.
std::string explainChoice(const PartitionPlan &plan,
                          const DispatchPlan &dispatch) {
  unsigned fastest = 0, supported = 0;
  for (unsigned d = 0; d < dispatch.costs.size(); ++d) {
    if (std::isfinite(dispatch.costs[d].us))
      ++supported;
    if (dispatch.costs[d].us < dispatch.costs[fastest].us)
      fastest = d;
  }
  if (supported == 1)
    return "only device that can run it";
  if (fastest == dispatch.device)
    return "fastest";
  return llvm::formatv("earliest finish: {0} is faster ({1:f1} us) but "
                       "transfers or its queue delay it",
                       plan.targets[fastest].kind, dispatch.costs[fastest].us)
      .str();
}

void applySchedule(PartitionPlan &plan, const Schedule &schedule) {
  plan.makespanUs = schedule.makespan;
  for (auto [index, dispatch] : llvm::enumerate(plan.dispatches)) {
    dispatch.device = schedule.device[index];
    dispatch.startUs = schedule.start[index];
    dispatch.finishUs = schedule.finish[index];
  }
}

/// Chooses the schedule: the placement file's, else HEFT's unless a single
/// device is predicted faster.
LogicalResult schedule(ModuleOp module, const PartitionOptions &options,
                       const TaskGraph &graph, PartitionPlan &plan) {
  plan.lowerBoundUs = lowerBound(graph);
  unsigned best = 0;
  for (unsigned d = 0; d < plan.targets.size(); ++d) {
    plan.targets[d].singleDeviceUs = scheduleOnDevice(graph, d).makespan;
    if (plan.targets[d].singleDeviceUs < plan.targets[best].singleDeviceUs)
      best = d;
  }
  std::vector<int> forced;
  if (!options.placementPath.empty()) {
    FailureOr<std::vector<int>> read =
        readPlacement(module, options.placementPath, plan);
    if (failed(read))
      return failure();
    forced = std::move(*read);
  }
  Schedule heft = scheduleHEFT(graph, forced);
  plan.heftUs = heft.makespan;
  // Dispatch graphs are small (tens to hundreds of dispatches): a few
  // sweeps of single moves cost milliseconds and fix HEFT's greedy misses.
  if (graph.numTasks() <= 300)
    heft = improveByMoves(graph, std::move(heft), forced);
  if (!std::isfinite(heft.makespan)) {
    for (const DispatchPlan &dispatch : plan.dispatches)
      if (llvm::all_of(dispatch.costs, [](const DispatchCost &cost) {
            return cost.source == CostSource::Unsupported;
          }))
        return module.emitError("no target can run dispatch '")
               << dispatch.name << "' (" << dispatch.costs.front().note
               << "); add cpu to the targets";
    return module.emitError("no target can run every dispatch");
  }
  bool anyForced = llvm::any_of(forced, [](int d) { return d >= 0; });
  // On a tie HEFT's plan stays: it keeps small dispatches near their data.
  if (!anyForced && plan.targets[best].singleDeviceUs < heft.makespan) {
    applySchedule(plan, scheduleOnDevice(graph, best));
    plan.strategy = "single device (" + plan.targets[best].kind + ")";
    for (DispatchPlan &dispatch : plan.dispatches)
      dispatch.reason = llvm::formatv("whole model on {0}: predicted faster "
                                      "than HEFT's mix ({1:f1} us)",
                                      plan.targets[best].kind, heft.makespan)
                            .str();
    return success();
  }
  applySchedule(plan, heft);
  plan.strategy = anyForced ? "placement file, HEFT for the rest"
                  : heft.makespan < plan.heftUs ? "heft + moves"
                                                : "heft";
  for (auto [index, dispatch] : llvm::enumerate(plan.dispatches))
    dispatch.reason = index < forced.size() && forced[index] >= 0
                          ? "placement file"
                          : explainChoice(plan, dispatch);
  return success();
}

//===----------------------------------------------------------------------===//
// Writing the IR
//===----------------------------------------------------------------------===//

/// Writes the attributes and inserts the transfers; records them in
/// `plan.transfers`.
void rewriteIR(ModuleOp module, func::FuncOp entry,
               ArrayRef<DispatchOp> dispatches,
               const DenseMap<Operation *, unsigned> &ids,
               ArrayRef<TargetAttr> attrs, const TaskGraph &graph,
               PartitionPlan &plan) {
  MLIRContext *context = module.getContext();
  module->setAttr(device::kTargetsAttrName,
                  ArrayAttr::get(context, SmallVector<Attribute>(attrs.begin(),
                                                                 attrs.end())));
  for (auto [index, dispatch] : llvm::enumerate(dispatches)) {
    const DispatchPlan &info = plan.dispatches[index];
    dispatch->setAttr(device::kPlacementAttrName, attrs[info.device]);
    dispatch->setAttr(
        device::kPredictedUsAttrName,
        FloatAttr::get(Float64Type::get(context), info.costs[info.device].us));
  }

  // The host end of model inputs and outputs.
  int hostIndex = -1;
  for (auto [index, target] : llvm::enumerate(plan.targets))
    if (target.kind == "cpu" && hostIndex < 0)
      hostIndex = index;
  TargetAttr hostAttr =
      hostIndex >= 0 ? attrs[hostIndex] : TargetAttr::get(context, "cpu");
  constexpr int kAnywhere = -2, kOnHost = -1;
  // The device a value lives on: its dispatch's, the host for inputs,
  // anywhere for constants, else that of its first operand that has one.
  DenseMap<Value, int> homes;
  std::function<int(Value)> home = [&](Value value) -> int {
    if (auto it = homes.find(value); it != homes.end())
      return it->second;
    int where = kAnywhere;
    if (isa<BlockArgument>(value)) {
      where = hostIndex >= 0 ? hostIndex : kOnHost;
    } else if (Operation *def = value.getDefiningOp()) {
      if (auto id = ids.find(def); id != ids.end())
        where = plan.dispatches[id->second].device;
      else
        for (Value operand : def->getOperands())
          if ((where = home(operand)) != kAnywhere)
            break;
    }
    return homes[value] = where;
  };
  auto attrOf = [&](int where) {
    return where == kOnHost ? hostAttr : attrs[where];
  };
  auto unitOf = [&](int where) {
    return where == kOnHost ? TaskGraph::kHost : static_cast<unsigned>(where);
  };
  auto producerOf = [&](Value value) -> int {
    Operation *def = value.getDefiningOp();
    while (def && !ids.count(def) && def->getNumOperands())
      def = def->getOperand(0).getDefiningOp();
    if (def)
      if (auto id = ids.find(def); id != ids.end())
        return id->second;
    return -1;
  };
  auto describe = [&](Value value) -> std::string {
    int producer = producerOf(value);
    if (producer >= 0)
      return plan.dispatches[producer].name;
    if (auto arg = dyn_cast<BlockArgument>(value))
      return "input " + std::to_string(arg.getArgNumber());
    return "value";
  };

  OpBuilder builder(context);
  std::map<std::pair<void *, int>, Value> made;
  auto transfer = [&](Value value, int from, int to, int consumer) {
    auto key = std::make_pair(value.getAsOpaquePointer(), to);
    if (auto it = made.find(key); it != made.end())
      return it->second;
    if (auto arg = dyn_cast<BlockArgument>(value))
      builder.setInsertionPointToStart(arg.getOwner());
    else
      builder.setInsertionPointAfter(value.getDefiningOp());
    Value moved = TransferOp::create(builder, value.getLoc(), value.getType(),
                                     value, attrOf(from), attrOf(to));
    TransferPlan record;
    record.value = describe(value);
    record.producer = producerOf(value);
    record.consumer = consumer;
    record.from = from;
    record.to = to;
    record.bytes = valueBytes(value);
    record.us = graph.commUs(unitOf(from), unitOf(to), record.bytes);
    plan.transfers.push_back(record);
    return made[key] = moved;
  };

  for (unsigned index = 0; index < dispatches.size(); ++index) {
    DispatchOp dispatch = dispatches[index];
    int device = plan.dispatches[index].device;
    dispatch->walk([&](Operation *op) {
      for (OpOperand &use : op->getOpOperands()) {
        Value value = use.get();
        if (dispatch->isAncestor(value.getParentRegion()->getParentOp()))
          continue;
        int from = home(value);
        if (from == kAnywhere || from == device)
          continue;
        use.set(transfer(value, from, device, index));
      }
    });
  }
  int hostEnd = hostIndex >= 0 ? hostIndex : kOnHost;
  entry.walk([&](func::ReturnOp ret) {
    for (OpOperand &use : ret->getOpOperands()) {
      int from = home(use.get());
      if (from != kAnywhere && from != hostEnd)
        use.set(transfer(use.get(), from, hostEnd, -1));
    }
  });
}

func::FuncOp findEntryFunction(ModuleOp module) {
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isDeclaration() && func.isPublic())
      return func;
  return nullptr;
}

} // namespace

LogicalResult tessera::partition::partitionModule(
    ModuleOp module, const PartitionOptions &options, PartitionPlan &plan) {
  auto started = std::chrono::steady_clock::now();
  plan = PartitionPlan();
  func::FuncOp entry = findEntryFunction(module);
  if (!entry)
    return module.emitError("partition: no model function");
  if (!entry.getOps<TransferOp>().empty())
    return module.emitError("partition: the model is placed already (it has "
                            "tdev.transfer ops)");

  std::vector<DeviceProfile> profiles;
  if (failed(resolveTargets(module, options, plan, profiles)))
    return failure();
  std::unique_ptr<CPUModel> model;
  if (options.costModelPath != "none" &&
      llvm::any_of(profiles,
                   [](const DeviceProfile &p) { return p.kind == "cpu"; })) {
    std::string error;
    model = CPUModel::load(options.costModelPath, &error);
    if (!model)
      plan.notes.push_back("cpu: no learned cost model (" + error +
                           "); roofline instead");
  }

  SmallVector<DispatchOp> dispatches;
  DenseMap<Operation *, unsigned> ids;
  entry.walk([&](DispatchOp dispatch) {
    ids[dispatch] = dispatches.size();
    dispatches.push_back(dispatch);
  });
  for (auto [index, dispatch] : llvm::enumerate(dispatches)) {
    DispatchWork work = analyzeDispatch(dispatch);
    DispatchPlan info;
    info.name = dispatch.getName() ? dispatch.getName()->str()
                                   : "dispatch" + std::to_string(index);
    info.root = work.root;
    info.flops = work.flops;
    info.bytes = work.bytes;
    for (const DeviceProfile &profile : profiles)
      info.costs.push_back(estimateCost(work, profile, model.get()));
    plan.dispatches.push_back(std::move(info));
  }
  // Unnamed dispatches and duplicate ONNX names get unique names.
  llvm::StringMap<unsigned> seen;
  for (auto [index, info] : llvm::enumerate(plan.dispatches))
    if (seen[info.name]++)
      info.name += "#" + std::to_string(index);

  ValueSources sources(entry, ids);
  TaskGraph graph = buildTaskGraph(entry, dispatches, sources, plan);
  if (failed(schedule(module, options, graph, plan)))
    return failure();

  SmallVector<TargetAttr> attrs;
  // Probed devices are "this machine's"; simulated ones name their profile.
  for (const DeviceProfile &profile : profiles)
    attrs.push_back(TargetAttr::get(
        module.getContext(), profile.kind,
        profile.source == "probed" ? StringRef() : StringRef(profile.name)));
  rewriteIR(module, entry, dispatches, ids, attrs, graph, plan);
  plan.placementMs = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - started)
                         .count();
  return success();
}
