//===- Partition.h - Place dispatches on devices ---------------*- C++ -*-===//
//
// The partitioner decides which device runs each `tdev.dispatch` of a model
// and explains why. It predicts the latency of every dispatch on every
// target (learned CPU cost model or a roofline from the target's hardware
// profile), the cost of moving tensors between devices, and list-schedules
// the dispatch graph with HEFT (then single-dispatch moves) to minimize the
// predicted makespan; a plan never predicted slower than the best single
// device is returned.
//
// partitionModule works on the module after getGraphToLinalgPipeline
// (tdev.dispatch ops holding linalg on tensors) and writes its decisions as
// attributes (docs/partitioning.md):
//   - `tdev.placement = #tdev.target<...>` and `tdev.predicted_us` on each
//     tdev.dispatch,
//   - `tdev.targets = [#tdev.target<...>, ...]` on the module,
//   - one `tdev.transfer` per (value, destination device) crossing, right
//     after the producer; consumers on that device use its result.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_PARTITION_PARTITION_H
#define TESSERA_PARTITION_PARTITION_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace tessera::partition {

struct PartitionOptions {
  /// Device kinds to place over, e.g. {"cpu", "vulkan"}; "auto" means every
  /// device this machine offers (cpu, plus vulkan/cuda when the runtime
  /// finds one). A kind may carry a profile name: "cuda:h100".
  std::vector<std::string> targets;
  /// Hardware profiles (JSON files) that replace probing: simulate hardware
  /// that is not here (--profiles=a.json,b.json). A profile's `kind`
  /// matches it to a target.
  std::vector<std::string> profilePaths;
  /// --placement=FILE.json: {"dispatches": {"<name>": "vulkan"}, "default":
  /// "cpu"}; overrides the decisions per dispatch name.
  std::string placementPath;
  /// The CPU cost model; empty = cost-model/models/cpu.json (or
  /// $TESSERA_COST_MODEL).
  std::string costModelPath;
};

/// One target the plan places over.
struct TargetInfo {
  std::string kind;    ///< cpu, vulkan, cuda, fpga.
  std::string profile; ///< Profile name (device name, h100, u250, ...).
  /// Where the profile came from: "probed", a file path, or "built-in".
  std::string profileSource;
  double peakGflops = 0, memoryGBps = 0, launchUs = 0;
  double linkGBps = 0, linkLatencyUs = 0;
  /// Runs on the host CPU's cores (lavapipe): never concurrent with cpu.
  bool sharesHostCores = false;
  /// Predicted makespan when every dispatch runs here (+inf when some
  /// dispatch cannot run here).
  double singleDeviceUs = 0;
};

/// How a latency was obtained.
enum class CostSource {
  Model,       ///< Learned CPU cost model (best predicted tile config).
  Roofline,    ///< max(FLOPs / peak, bytes / bandwidth) + launch overhead.
  Unsupported, ///< The target cannot run the dispatch (latency = +inf).
};
llvm::StringRef stringifyCostSource(CostSource source);

struct DispatchCost {
  double us = 0; ///< +inf when unsupported.
  CostSource source = CostSource::Roofline;
  std::string note; ///< Why unsupported, or the model's detail.
};

struct DispatchPlan {
  std::string name; ///< Node name, or dispatch<N> when unnamed.
  std::string root; ///< tdev.dispatch's root, e.g. tg.conv.
  double flops = 0;
  int64_t bytes = 0;                ///< Operands + results.
  std::vector<DispatchCost> costs;  ///< One per PartitionPlan::targets.
  std::vector<unsigned> preds;      ///< Dispatches it depends on.
  unsigned device = 0;              ///< Index into PartitionPlan::targets.
  double startUs = 0, finishUs = 0; ///< In the predicted schedule.
  /// Why this device: "fastest", "earliest finish (HEFT)", "override", ...
  std::string reason;
};

/// One inserted tdev.transfer (a function input or output counts too).
struct TransferPlan {
  std::string value; ///< Producer dispatch name, or "input <N>".
  int producer = -1; ///< Dispatch index; -1 for a function input.
  int consumer = -1; ///< First consumer dispatch; -1 for the output.
  /// Indices into PartitionPlan::targets; -1 is the host when no cpu
  /// target is listed.
  int from = -1, to = -1;
  int64_t bytes = 0;
  double us = 0;
};

struct PartitionPlan {
  std::vector<TargetInfo> targets;
  std::vector<DispatchPlan> dispatches;
  std::vector<TransferPlan> transfers;
  /// "heft", "heft + moves", "single device (cpu)", "placement file, HEFT
  /// for the rest".
  std::string strategy;
  double makespanUs = 0;          ///< Predicted makespan of the chosen plan.
  double heftUs = 0;              ///< HEFT's own makespan (before the check).
  double lowerBoundUs = 0;        ///< No plan can be predicted faster.
  double placementMs = 0;         ///< Time partitionModule took.
  std::vector<std::string> notes; ///< Warnings (probe failures, ...).
};

/// Places every tdev.dispatch of `module`'s model function, writes the
/// attributes and transfers (see the file comment) and fills `plan`.
/// Errors (bad profile or placement file, unknown target) are emitted on
/// the module.
mlir::LogicalResult partitionModule(mlir::ModuleOp module,
                                    const PartitionOptions &options,
                                    PartitionPlan &plan);

/// The plan for people: one table row per dispatch (time on every target,
/// chosen device, why), the transfers, makespans and the lower bound.
void printPlanMarkdown(const PartitionPlan &plan, llvm::raw_ostream &os);
/// The same as one JSON object.
void printPlanJSON(const PartitionPlan &plan, llvm::raw_ostream &os);
/// The dispatch graph in Graphviz dot, nodes coloured by device.
void printPlanDot(const PartitionPlan &plan, llvm::raw_ostream &os);

} // namespace tessera::partition

#endif // TESSERA_PARTITION_PARTITION_H
