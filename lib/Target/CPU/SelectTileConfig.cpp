//===- SelectTileConfig.cpp - Choose tile configs of linalg ops -----------===//
//
// Writes the `tessera.tile_config` attribute on every linalg op that does
// not have one yet. An attribute already present (written by hand or a
// tuner) is kept. The choice is a policy: the heuristic of TileConfig.h, or
// the candidate that the learned cost model (cost-model/) predicts fastest
// (a regression model predicts latency ratios, a ranking model the
// probability of beating the heuristic's config), optionally corrected by
// measurements from the tuning database, or a fixed candidate index (how
// tessera-tune measures one candidate).
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

/// With a ranking model (scores, no latencies), the policies keep the
/// heuristic's config unless the model gives another candidate at least
/// this probability of being faster than it (the logistic of the score
/// difference, what `rank:pairwise` fits to measured pairs). Chosen on
/// held-out workloads with `tessera-tune eval` (docs/cost-model.md).
static constexpr double kMinWinProbability = 0.8;

/// Name of the explanation attribute (`explain=true`).
static constexpr llvm::StringLiteral kTileExplainAttrName =
    "tessera.tile_explain";

/// Whether the learned policies may take candidate `index` over the
/// heuristic's (candidate 0): not with fewer parallel tiles (or untiled,
/// which also means scalar code). The measurements (docs/cost-model.md
/// collects with `--run-threads 1`) run on one thread, which cannot value
/// parallel tiles, and predictions learn from them:
/// MobileNetV2's depthwise convolutions in one tile each, the ranking
/// model's favourites, were 1.2% faster at one thread and 3.4% slower at two.
static bool keepsParallelTiles(const cm::Workload &workload,
                               ArrayRef<cm::TileSizes> candidates,
                               size_t index) {
  const cm::TileSizes &heuristic = candidates.front();
  const cm::TileSizes &candidate = candidates[index];
  if (candidate.empty() && !heuristic.empty())
    return false;
  return countParallelTiles(candidate.parallel, workload.loopSizes) >=
         countParallelTiles(heuristic.parallel, workload.loopSizes);
}

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
    state->hw.vectorRegisters = cm::defaultVectorRegisters(vectorWidth);
    state->modelPath = costModel.empty()
                           ? cm::CostModel::getDefaultPolicyModelPath()
                           : costModel;
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
    std::map<std::string, cm::TuningRecord> measured =
        getMeasurements(workload);
    if (state->model->isRanking())
      return chooseWithRanking(op, workload, candidates, measured);
    std::string error;
    std::vector<double> predicted =
        state->model->predictRatios(workload, candidates, &error);
    if (predicted.size() != candidates.size())
      return op->emitError("cost model: ") << error;
    std::vector<Scored> scored;
    for (size_t i = 0; i < candidates.size(); ++i) {
      auto it = measured.find(candidates[i].toString());
      if (it != measured.end() && !it->second.ok())
        continue; // Crashed, hung or did not compile here.
      if (!keepsParallelTiles(workload, candidates, i))
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

  /// The `model` and `tune` policies with a ranking model, whose scores
  /// give each candidate's probability of beating the heuristic's config
  /// but no latency ratio. A candidate measured here (with the heuristic's
  /// config measured too) is judged by its measurement: chosen when it is
  /// kMinGain faster, never when it is not. An unmeasured one is chosen
  /// when its probability is at least kMinWinProbability. Measured gains
  /// come first, then the probabilities.
  LogicalResult
  chooseWithRanking(Operation *op, const cm::Workload &workload,
                    const std::vector<cm::TileSizes> &candidates,
                    const std::map<std::string, cm::TuningRecord> &measured) {
    std::string error;
    std::vector<double> win =
        state->model->predictWinProbabilities(workload, candidates, &error);
    if (win.size() != candidates.size())
      return op->emitError("cost model: ") << error;
    auto lookup = [&](size_t i) -> const cm::TuningRecord * {
      auto it = measured.find(candidates[i].toString());
      return it == measured.end() ? nullptr : &it->second;
    };
    const cm::TuningRecord *heuristicRecord = lookup(0);
    double heuristicUs = heuristicRecord && heuristicRecord->ok()
                             ? heuristicRecord->latencyUs
                             : -1;
    // A probability says nothing of the size of a gain. The measured
    // configs of an elementwise op or a reduction differ by 1-3% at one
    // thread (docs/cost-model.md): there only measurements (`tune`) may
    // move the config. Contractions (1.69x) and depthwise convolutions
    // (1.09x) are worth a prediction.
    bool predictionsMayChoose =
        workload.opClass == cm::OpClass::Contraction ||
        workload.opClass == cm::OpClass::Depthwise;
    std::vector<Ranked> ranked;
    for (size_t i = 0; i < candidates.size(); ++i) {
      const cm::TuningRecord *record = lookup(i);
      if (record && !record->ok())
        continue; // Crashed, hung or did not compile here.
      if (!keepsParallelTiles(workload, candidates, i))
        continue;
      Ranked r{i, win[i], record ? record->latencyUs : -1, -1,
               predictionsMayChoose};
      if (record)
        r.measuredRatio = record->ratioToHeuristic(heuristicUs);
      ranked.push_back(r);
    }
    if (ranked.empty()) {
      setConfig(op, candidates[0]);
      return success();
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const Ranked &a, const Ranked &b) {
                       if (a.tier() != b.tier())
                         return a.tier() < b.tier();
                       return a.tier() == 1 ? a.probability > b.probability
                                            : a.measuredRatio < b.measuredRatio;
                     });
    auto heuristic =
        llvm::find_if(ranked, [](const Ranked &r) { return r.index == 0; });
    if (heuristic != ranked.end() && !ranked.front().passesGuard())
      std::rotate(ranked.begin(), heuristic, heuristic + 1);
    setConfig(op, candidates[ranked.front().index]);
    if (explain) {
      std::string text = describeRanked(workload, candidates, ranked);
      op->setAttr(kTileExplainAttrName, StringAttr::get(&getContext(), text));
    }
    return success();
  }

  /// One candidate of the ranking path.
  struct Ranked {
    size_t index;
    /// Predicted probability of beating the heuristic's config.
    double probability;
    /// Measured here: microseconds, and the ratio to the heuristic's
    /// measured latency (negative when unknown).
    double measuredUs, measuredRatio;
    /// Whether a prediction alone may choose it (see chooseWithRanking).
    bool predictionMayChoose;

    /// 0: measured kMinGain faster; 1: judged by prediction; 2: measured,
    /// not faster enough.
    int tier() const {
      if (measuredRatio < 0)
        return 1;
      return measuredRatio < 1 - kMinGain ? 0 : 2;
    }
    bool passesGuard() const {
      return index != 0 &&
             (tier() == 0 || (tier() == 1 && predictionMayChoose &&
                              probability >= kMinWinProbability));
    }
  };

  /// The ranking path's explanation: the top 5 with their probabilities
  /// (and measurements), the features that drove the chosen score.
  std::string describeRanked(const cm::Workload &workload,
                             const std::vector<cm::TileSizes> &candidates,
                             ArrayRef<Ranked> ranked) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "policy " << policy << ", " << candidates.size()
       << " candidates, workload " << cm::toString(workload.opClass) << " [";
    llvm::interleave(workload.loopSizes, os, "x");
    os << "], ranking model " << state->modelPath << "\n";
    for (size_t i = 0; i < std::min<size_t>(5, ranked.size()); ++i) {
      const Ranked &r = ranked[i];
      os << "  " << (i == 0 ? "chosen " : "       ") << "#" << r.index << " "
         << candidates[r.index].toString();
      if (r.index == 0)
        os << " (heuristic)";
      else
        os << llvm::formatv(" P(faster than the heuristic's) {0:f2}",
                            r.probability);
      if (r.measuredUs >= 0)
        os << llvm::formatv(", measured {0:f1} us", r.measuredUs);
      if (r.measuredRatio >= 0)
        os << llvm::formatv(" ({0:f2}x)", r.measuredRatio);
      os << "\n";
    }
    if (ranked.front().index == 0 && ranked.size() > 1) {
      os << "  kept the heuristic's config: no candidate is ";
      if (!ranked.front().predictionMayChoose)
        os << "measured " << llvm::formatv("{0:f0}", kMinGain * 100)
           << "% faster (predictions choose for contractions and depthwise "
              "convolutions only)\n";
      else
        os << "faster with probability "
           << llvm::formatv("{0:f2}", kMinWinProbability) << " or measured "
           << llvm::formatv("{0:f0}", kMinGain * 100) << "% faster\n";
    }
    os << "  drivers (SHAP, ranking score; lower ranks faster):";
    for (const cm::Contribution &c : state->model->explain(
             workload, candidates[ranked.front().index], 5))
      os << " " << c.feature << "=" << llvm::formatv("{0:f2}", c.value)
         << "(" << (c.contribution >= 0 ? "+" : "")
         << llvm::formatv("{0:f2}", c.contribution) << ")";
    return text;
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
