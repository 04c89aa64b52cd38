//===- Cost.cpp - Per-dispatch latency estimates --------------------------===//
//
// Work of a dispatch (FLOPs, bytes), the op-support predicate per device
// kind, the roofline and the learned CPU model's prediction.
//
//===----------------------------------------------------------------------===//

#include "lib/Partition/Cost.h"

#include "cost-model/CostModel.h"
#include "lib/Partition/Schedule.h"
#include "lib/Target/CPU/TileConfig.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace tessera::partition;

namespace {

int64_t tensorBytes(Type type) {
  auto shaped = dyn_cast<RankedTensorType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return 0;
  Type element = shaped.getElementType();
  int64_t bits = element.isIntOrFloat() ? element.getIntOrFloatBitWidth() : 32;
  return shaped.getNumElements() * std::max<int64_t>(1, bits / 8);
}

/// FLOPs of a linalg op: iterations x arithmetic ops of its body (a
/// multiply-add counts 2; a copy or fill at least 1 per element).
double linalgFlops(linalg::LinalgOp op) {
  double iterations = 1;
  for (int64_t size : op.getStaticLoopRanges())
    iterations *= ShapedType::isDynamic(size) ? 1 : size;
  double perIteration = 1;
  if (Block *body = op.getBlock())
    perIteration = std::max<size_t>(1, body->getOperations().size() - 1);
  return iterations * perIteration;
}

} // namespace

DispatchWork tessera::partition::analyzeDispatch(Operation *dispatch) {
  DispatchWork work;
  if (auto root = dispatch->getAttrOfType<StringAttr>("root"))
    work.root = root.str();
  // Each value from outside is read once, whatever its number of uses.
  llvm::DenseSet<Value> readOnce;
  dispatch->walk([&](Operation *op) {
    for (Value operand : op->getOperands()) {
      if (dispatch->isAncestor(operand.getParentRegion()->getParentOp()))
        continue;
      if (readOnce.insert(operand).second)
        work.bytes += tensorBytes(operand.getType());
    }
    for (Type type : op->getResultTypes())
      if (auto tensor = dyn_cast<RankedTensorType>(type)) {
        if (!tensor.hasStaticShape())
          work.dynamicShapes = true;
        if (!tensor.getElementType().isF32() &&
            !tensor.getElementType().isInteger(1))
          work.allF32 = false;
      }
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      double flops = linalgFlops(linalgOp);
      work.flops += flops;
      if (flops > work.heaviestFlops) {
        work.heaviestFlops = flops;
        work.heaviest = op;
      }
    }
    if (auto extract = dyn_cast<tensor::ExtractOp>(op))
      if (extract->getParentOp() == dispatch &&
          !extract.getTensor().getDefiningOp<arith::ConstantOp>())
        work.extractsComputedValue = true;
  });
  for (Type type : dispatch->getResultTypes())
    work.bytes += tensorBytes(type);
  return work;
}

std::optional<std::string>
tessera::partition::unsupportedReason(const DispatchWork &work,
                                      StringRef kind) {
  if (kind == "cpu")
    return std::nullopt;
  if (work.dynamicShapes)
    return "dynamic shapes";
  if (kind == "fpga") {
    static const StringRef supported[] = {
        "tg.conv",     "tg.matmul",       "tg.gemm",
        "tg.max_pool", "tg.average_pool", "tg.global_average_pool",
        "elementwise"};
    if (!llvm::is_contained(supported, work.root))
      return "root " + work.root +
             " (fpga: conv, matmul, gemm, pools, elementwise only)";
    if (!work.allF32)
      return std::string("not f32 (fpga: f32 only)");
    return std::nullopt;
  }
  if (work.extractsComputedValue)
    return std::string("reads a size from a computed tensor");
  return std::nullopt;
}

double tessera::partition::rooflineUs(const DispatchWork &work,
                                      const DeviceProfile &profile) {
  // GFLOP/s = 1e3 FLOP/us, GB/s = 1e3 B/us.
  double compute =
      work.flops / (profile.peakGflops * profile.computeEfficiency * 1e3);
  double memory = work.bytes / (profile.memoryGBps * 1e3);
  return std::max(compute, memory) + profile.launchUs;
}

std::unique_ptr<CPUModel> CPUModel::load(const std::string &path,
                                         std::string *error) {
  std::unique_ptr<CPUModel> result(new CPUModel());
  std::string file =
      path.empty() ? costmodel::CostModel::getDefaultModelPath() : path;
  result->model = costmodel::CostModel::load(
      file, costmodel::HardwareProfile::probeHost(), error);
  if (!result->model)
    return nullptr;
  return result;
}

CPUModel::~CPUModel() = default;

std::optional<double> CPUModel::predictUs(Operation *op) const {
  if (!op)
    return std::nullopt;
  // The shipped model is trained on convolutions and matrix products; its
  // predictions for pools and reductions are far off (10x on a ResNet max
  // pool), so those get the roofline.
  std::optional<costmodel::Workload> workload = cpu::getWorkload(op);
  if (!workload || (workload->opClass != costmodel::OpClass::Contraction &&
                    workload->opClass != costmodel::OpClass::Depthwise))
    return std::nullopt;
  cpu::CPUTargetInfo target;
  target.vectorWidth = model->getHardware().vectorWidth;
  std::vector<costmodel::TileSizes> candidates =
      cpu::getCandidateConfigs(op, *workload, target);
  if (candidates.empty())
    return std::nullopt;
  std::vector<double> predicted = model->predictMicros(*workload, candidates);
  if (predicted.empty())
    return std::nullopt;
  double best = *std::min_element(predicted.begin(), predicted.end());
  if (!std::isfinite(best) || best <= 0)
    return std::nullopt;
  return best;
}

DispatchCost tessera::partition::estimateCost(const DispatchWork &work,
                                              const DeviceProfile &profile,
                                              const CPUModel *model) {
  DispatchCost cost;
  if (std::optional<std::string> why = unsupportedReason(work, profile.kind)) {
    cost.us = kInfinity;
    cost.source = CostSource::Unsupported;
    cost.note = *why;
    return cost;
  }
  // The model was trained on, and predicts for, this machine's CPU: a
  // simulated CPU (a profile file) gets the roofline of its own numbers.
  if (profile.kind == "cpu" && profile.source == "probed" && model) {
    // The model predicts the op it was trained on (contractions, pools,
    // reductions); the rest of the dispatch (fused elementwise ops, pads)
    // is a roofline.
    if (std::optional<double> us = model->predictUs(work.heaviest)) {
      DispatchWork rest = work;
      rest.flops = std::max(0.0, work.flops - work.heaviestFlops);
      rest.bytes = 0;
      cost.us = *us + rooflineUs(rest, profile);
      cost.source = CostSource::Model;
      cost.note = llvm::formatv("model {0:f1} us for the root", *us).str();
      return cost;
    }
  }
  cost.us = rooflineUs(work, profile);
  cost.source = CostSource::Roofline;
  return cost;
}
