//===- Eval.cpp - tessera-tune eval ---------------------------------------===//
//
// Ranking metrics (TenSet's pairwise accuracy, peak@1, peak@5) of a model
// on held-out workloads, and what the guarded policy would gain there.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include <algorithm>
#include <cmath>

using namespace tessera;
using namespace tessera::tune;

namespace {

/// What the model/tune policies would gain on these workloads: the
/// predicted-fastest config replaces the heuristic's when its predicted
/// ratio (2^(prediction difference), log2 labels) is below 1 - guard, or,
/// for a ranking model, when its probability of beating the heuristic's
/// (the logistic of the score difference) is at least the guard.
std::string describeGuardedPolicy(const cm::Dataset &data,
                                  const std::vector<double> &predicted,
                                  bool ranking) {
  std::string line = ranking ? "          policy with P(faster) at least:"
                             : "          policy with guard:";
  std::vector<double> guards =
      ranking ? std::vector<double>{0.5, 0.6, 0.7, 0.8, 0.9}
              : std::vector<double>{0.0, 0.02, 0.05, 0.10};
  for (double guard : guards) {
    double logSpeedup = 0;
    size_t changed = 0, worse = 0, compared = 0, start = 0;
    for (size_t g = 0; g < data.groups.size(); ++g) {
      size_t end = start + data.groups[g];
      long h = data.heuristicRows[g];
      if (h >= 0) {
        size_t top = std::min_element(predicted.begin() + start,
                                      predicted.begin() + end) -
                     predicted.begin();
        size_t chosen = h;
        if (ranking ? cm::logistic(predicted[h] - predicted[top]) >= guard &&
                          top != static_cast<size_t>(h)
                    : std::exp2(predicted[top] - predicted[h]) < 1 - guard)
          chosen = top;
        changed += chosen != static_cast<size_t>(h);
        worse += data.latencies[chosen] > data.latencies[h] * 1.05;
        logSpeedup += std::log(data.latencies[h] / data.latencies[chosen]);
        ++compared;
      }
      start = end;
    }
    if (compared)
      line +=
          llvm::formatv(ranking ? " {0:f2}: {1:f3}x ({2} changed, {3} worse)"
                                : " {0:f0}%: {1:f3}x ({2} changed, {3} worse)",
                        ranking ? guard : guard * 100,
                        std::exp(logSpeedup / compared), changed, worse)
              .str();
  }
  return line + "\n";
}

/// Ranking metrics of `model` on `records`; `policy` gets the guarded
/// policy's line.
cm::RankingMetrics evaluate(const cm::XGBoostModel &model,
                            const std::vector<cm::TuningRecord> &records,
                            const cm::HardwareProfile &hw,
                            std::string &policy) {
  cm::Dataset data = cm::buildDataset(records, hw);
  if (data.features.rows == 0)
    return {};
  std::vector<float> raw = model.predict(data.features);
  std::vector<double> predicted(raw.begin(), raw.end());
  bool ranking = llvm::StringRef(model.getAttribute("tessera_objective"))
                     .starts_with("rank:");
  policy = describeGuardedPolicy(data, predicted, ranking);
  if (perWorkloadOption) {
    size_t start = 0;
    for (size_t g = 0; g < data.groups.size(); ++g) {
      unsigned size = data.groups[g];
      std::vector<double> l(data.latencies.begin() + start,
                            data.latencies.begin() + start + size);
      std::vector<double> p(predicted.begin() + start,
                            predicted.begin() + start + size);
      cm::RankingMetrics m = cm::evaluateRanking(l, p, {size});
      std::optional<cm::Workload> w =
          cm::Workload::fromJSON(records.empty() ? "" : [&] {
            for (const cm::TuningRecord &r : records)
              if (r.workloadKey == data.groupKeys[g])
                return r.workloadJSON;
            return std::string();
          }());
      llvm::outs() << llvm::formatv(
          "  {0,-34} configs {1,3}  pairwise {2:f3}  peak@1 {3:f3}  peak@5 "
          "{4:f3}  spread {5:f2}x\n",
          w ? describe(*w) : "?", size, m.pairwiseAccuracy, m.peakAt1,
          m.peakAt5,
          *std::max_element(l.begin(), l.end()) /
              *std::min_element(l.begin(), l.end()));
      start += size;
    }
  }
  return cm::evaluateRanking(data.latencies, predicted, data.groups,
                             data.heuristicRows);
}

} // namespace

int tessera::tune::runEval() {
  std::optional<Split> split = loadSplit();
  std::optional<cm::HardwareProfile> hw = getProfile();
  if (!split || !hw)
    return 1;
  std::string path = getModelPath();
  std::string error;
  std::unique_ptr<cm::CostModel> check = cm::CostModel::load(path, *hw, &error);
  if (!check)
    return fail(error);
  std::unique_ptr<cm::XGBoostModel> model =
      cm::XGBoostModel::load(path, &error);
  auto print = [&](const char *name, const cm::RankingMetrics &m) {
    llvm::outs() << llvm::formatv(
        "{0,-9} workloads {1,3}  pairs {2,6}  pairwise {3:f3}  peak@1 "
        "{4:f3}  peak@5 {5:f3}  (pairwise beyond 5% noise {6:f3} on {7} "
        "pairs)\n",
        name, m.workloads, m.pairs, m.pairwiseAccuracy, m.peakAt1, m.peakAt5,
        m.pairwiseAccuracyBeyondNoise, m.pairsBeyondNoise);
    if (m.workloads)
      llvm::outs() << llvm::formatv(
          "{0,-9} heuristic's peak {1:f3}; the model's top-1 is {2:f3}x as "
          "fast as the heuristic (geomean), worse on {3} workloads\n",
          "", m.heuristicPeak, m.top1Speedup, m.top1SlowerThanHeuristic);
  };
  llvm::outs() << "model " << path << ", database " << dbOption
               << ", held out: "
               << (heldOutSuiteOption.empty()
                       ? llvm::formatv("{0:f2} of workloads",
                                       heldOutOption.getValue())
                             .str()
                       : "suite " + heldOutSuiteOption.getValue())
               << "\n";
  std::string policy;
  cm::RankingMetrics heldOut = evaluate(*model, split->heldOut, *hw, policy);
  print("held-out", heldOut);
  llvm::outs() << policy;
  cm::RankingMetrics train = evaluate(*model, split->train, *hw, policy);
  print("train", train);
  llvm::outs() << policy;
  // The baseline the model must beat: always the heuristic (candidate 0 of
  // each workload is not known here, so use the roofline estimate).
  if (heldOut.workloads == 0)
    llvm::outs() << "note: no held-out workloads; collect more workloads or "
                    "raise --held-out\n";
  return 0;
}
