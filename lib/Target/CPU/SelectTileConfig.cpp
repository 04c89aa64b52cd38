//===- SelectTileConfig.cpp - Choose tile configs of linalg ops -----------===//
//
// Writes the `tessera.tile_config` attribute on every linalg op that does
// not have one yet. An attribute already present (written by hand or a
// tuner) is kept. The choice is a policy: the heuristic of TileConfig.h, or
// the candidate that the learned cost model (cost-model/) predicts fastest,
// optionally corrected by measurements from the tuning database, or a
// fixed candidate index (how tessera-tune measures one candidate).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"
#include "lib/Target/CPU/TileConfig.h"

#include "cost-model/CostModel.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>
#include <mutex>

namespace tessera::cpu {
#define GEN_PASS_DEF_SELECTTILECONFIG
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;
using namespace tessera::cpu;
namespace cm = tessera::costmodel;

/// The `model` and `tune` policies keep the heuristic's config unless
/// another candidate is predicted (or measured) faster by this fraction:
/// predictions carry errors of that order, and the heuristic is a good
/// default.
static constexpr double kMinGain = 0.10;

/// Name of the explanation attribute (`explain=true`).
static constexpr llvm::StringLiteral kTileExplainAttrName =
    "tessera.tile_explain";

namespace {

/// What the `model` and `tune` policies share between pass clones: the
/// model, the hardware profile, measured latencies, a lock for XGBoost.
struct ModelState {
  std::unique_ptr<cm::CostModel> model;
  std::string modelPath;
  cm::HardwareProfile hw;
  std::unique_ptr<cm::TuningDatabase> db;
  std::mutex mutex;
};

/// One candidate's predicted latency relative to the heuristic's config and
/// its measured latency (negative when not measured on this machine).
struct Scored {
  size_t index;
  double predictedRatio, measuredUs;
  /// Latency relative to the heuristic's config: measured where known.
  double score = 0;
};

/// Fills `Scored::score`. Measurements become ratios through an anchor:
/// the heuristic's measured latency, else the median of measured latency
/// over predicted ratio (so that measured and predicted candidates compare
/// on one scale).
static void scoreCandidates(MutableArrayRef<Scored> scored) {
  double anchor = -1;
  std::vector<double> implied;
  for (const Scored &s : scored) {
    if (s.measuredUs < 0)
      continue;
    if (s.index == 0)
      anchor = s.measuredUs;
    implied.push_back(s.measuredUs / s.predictedRatio);
  }
  if (anchor < 0 && !implied.empty()) {
    std::nth_element(implied.begin(), implied.begin() + implied.size() / 2,
                     implied.end());
    anchor = implied[implied.size() / 2];
  }
  for (Scored &s : scored)
    s.score = s.measuredUs >= 0 ? s.measuredUs / anchor : s.predictedRatio;
}

struct SelectTileConfigPass
    : tessera::cpu::impl::SelectTileConfigBase<SelectTileConfigPass> {
  using SelectTileConfigBase::SelectTileConfigBase;

  LogicalResult initialize(MLIRContext *context) override {
    if (policy != "heuristic" && policy != "model" && policy != "tune" &&
        policy != "candidate")
      return emitError(UnknownLoc::get(context))
             << "unknown tile policy '" << policy
             << "' (expected heuristic, model, tune or candidate)";
    if (policy == "candidate" && candidate < 0)
      return emitError(UnknownLoc::get(context))
             << "the candidate tile policy needs candidate=N (N >= 0)";
    if (policy != "model" && policy != "tune")
      return success();
    state = std::make_shared<ModelState>();
    state->hw = cm::HardwareProfile::probeHost();
    state->hw.vectorWidth = vectorWidth;
    state->modelPath =
        costModel.empty() ? cm::CostModel::getDefaultModelPath() : costModel;
    std::string error;
    state->model = cm::CostModel::load(state->modelPath, state->hw, &error);
    if (!state->model)
      return emitError(UnknownLoc::get(context)) << error;
    if (policy == "tune" && !tuningDatabase.empty()) {
      state->db = cm::TuningDatabase::open(tuningDatabase, &error);
      if (!state->db)
        return emitError(UnknownLoc::get(context)) << error;
    }
    return success();
  }

  void runOnOperation() override {
    CPUTargetInfo target;
    target.vectorWidth = vectorWidth;
    Operation *root = policy == "candidate"
                          ? findTuningRoot(getOperation())
                          : nullptr;
    WalkResult result = getOperation().walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kTileConfigAttrName))
        return WalkResult::advance();
      if (policy == "model" || policy == "tune") {
        if (std::optional<cm::Workload> workload = getWorkload(op))
          return WalkResult(chooseWithModel(op, *workload, target));
      } else if (op == root) {
        return WalkResult(chooseCandidate(op, target));
      }
      if (std::optional<TileConfig> config = selectTileConfig(op, target))
        op->setAttr(kTileConfigAttrName, config->toAttr(&getContext()));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }

  /// The `candidate` policy: the root op gets candidate number `candidate`.
  LogicalResult chooseCandidate(Operation *op, const CPUTargetInfo &target) {
    std::optional<cm::Workload> workload = getWorkload(op);
    std::vector<cm::TileSizes> candidates =
        getCandidateConfigs(op, *workload, target);
    if (candidate >= static_cast<int64_t>(candidates.size()))
      return op->emitError("tile candidate ")
             << static_cast<int64_t>(candidate) << " does not exist (the op has "
             << candidates.size() << " candidates)";
    setConfig(op, candidates[candidate]);
    return success();
  }

  /// The `model` and `tune` policies.
  LogicalResult chooseWithModel(Operation *op, const cm::Workload &workload,
                                const CPUTargetInfo &target) {
    std::vector<cm::TileSizes> candidates =
        getCandidateConfigs(op, workload, target);
    std::lock_guard<std::mutex> lock(state->mutex);
    std::string error;
    std::vector<double> predicted =
        state->model->predictRatios(workload, candidates, &error);
    if (predicted.size() != candidates.size())
      return op->emitError("cost model: ") << error;
    std::map<std::string, cm::TuningRecord> measured = getMeasurements(workload);
    std::vector<Scored> scored;
    for (size_t i = 0; i < candidates.size(); ++i) {
      auto it = measured.find(candidates[i].toString());
      if (it != measured.end() && !it->second.ok())
        continue; // Crashed, hung or did not compile here.
      // Leaving a tiled op untiled also drops its parallel tiles, which
      // single-threaded training data cannot value (whole models got
      // slower): only a measurement here may choose it.
      if (candidates[i].empty() && !candidates[0].empty() &&
          it == measured.end())
        continue;
      scored.push_back({i, predicted[i],
                        it != measured.end() ? it->second.latencyUs : -1});
    }
    scoreCandidates(scored);
    if (scored.empty()) {
      // Every candidate failed on this machine: keep the heuristic.
      if (std::optional<TileConfig> config = fromTileSizes(candidates[0])) {
        config->packRhs = shouldPackRhs(op, *config);
        op->setAttr(kTileConfigAttrName, config->toAttr(&getContext()));
      }
      return success();
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const Scored &a, const Scored &b) {
                       return a.score < b.score;
                     });
    // Keep the heuristic (candidate 0) unless the best is clearly faster.
    auto heuristic = llvm::find_if(
        scored, [](const Scored &s) { return s.index == 0; });
    if (heuristic != scored.end() &&
        scored.front().score > heuristic->score * (1 - kMinGain))
      std::rotate(scored.begin(), heuristic, heuristic + 1);
    const cm::TileSizes &chosen = candidates[scored.front().index];
    setConfig(op, chosen);
    if (explain)
      op->setAttr(kTileExplainAttrName,
                  StringAttr::get(&getContext(),
                                  describe(workload, candidates, scored)));
    return success();
  }

  /// Latencies measured for `workload` on this machine (the `tune` policy).
  std::map<std::string, cm::TuningRecord>
  getMeasurements(const cm::Workload &workload) {
    std::map<std::string, cm::TuningRecord> byConfig;
    if (!state->db)
      return byConfig;
    cm::RecordFilter filter;
    filter.workloadKey = workload.key();
    filter.target = "cpu";
    filter.machine = state->hw.machineId();
    for (cm::TuningRecord &record : state->db->query(filter))
      byConfig[record.config] = std::move(record);
    return byConfig;
  }

  /// The explanation: policy, top 5 candidates, the features that drove
  /// the chosen prediction.
  std::string describe(const cm::Workload &workload,
                       const std::vector<cm::TileSizes> &candidates,
                       ArrayRef<Scored> scored) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "policy " << policy << ", " << candidates.size()
       << " candidates, workload " << cm::toString(workload.opClass) << " [";
    llvm::interleave(workload.loopSizes, os, "x");
    os << "], model " << state->modelPath << "\n";
    for (size_t i = 0; i < std::min<size_t>(5, scored.size()); ++i) {
      const Scored &s = scored[i];
      os << "  " << (i == 0 ? "chosen " : "       ") << "#" << s.index << " "
         << candidates[s.index].toString()
         << llvm::formatv(" predicted {0:f2}x the heuristic's",
                          s.predictedRatio);
      if (s.measuredUs >= 0)
        os << llvm::formatv(", measured {0:f1} us ({1:f2}x)", s.measuredUs,
                            s.score);
      if (s.index == 0)
        os << " (heuristic)";
      os << "\n";
    }
    if (scored.front().index == 0 && scored.size() > 1)
      os << "  kept the heuristic's config: no candidate is "
         << llvm::formatv("{0:f0}", kMinGain * 100) << "% faster\n";
    os << "  drivers (SHAP, log2 latency"
       << (state->model->getLabel() == cm::Label::Roofline
               ? ""
               : " relative to the heuristic's")
       << "):";
    for (const cm::Contribution &c : state->model->explain(
             workload, candidates[scored.front().index], 5))
      os << " " << c.feature << "=" << llvm::formatv("{0:f2}", c.value)
         << "(" << (c.contribution >= 0 ? "+" : "")
         << llvm::formatv("{0:f2}", c.contribution) << ")";
    return text;
  }

  void setConfig(Operation *op, const cm::TileSizes &sizes) {
    // The cost model picks tile sizes; packing follows from them.
    if (std::optional<TileConfig> config = fromTileSizes(sizes)) {
      config->packRhs = shouldPackRhs(op, *config);
      op->setAttr(kTileConfigAttrName, config->toAttr(&getContext()));
    }
  }

  std::shared_ptr<ModelState> state;
};

} // namespace
