//===- CostModel.h - Predict, rank and explain tile configs -----*- C++ -*-===//
//
// The pieces that turn tuning records into a model and a model into
// decisions: the training target, datasets grouped by workload, ranking
// metrics (TenSet's pairwise accuracy and peak@k), and CostModel, which
// predicts the latency of candidate configs and explains a prediction with
// its largest SHAP contributions.
//
// What the model predicts is its Label. Label::Roofline (the default) is
// log2(latency / the single-core roofline of the untiled workload): "how
// far from peak", comparable across workloads and machines, and the
// reference restores absolute microseconds (which the partitioner needs).
// Label::Heuristic is log2(latency / the latency of the workload's
// heuristic config): ranking only asks about the order of configs WITHIN a
// workload, and a relative target spends no capacity on the 1000x spread
// between workloads (TenSet and Ansor normalize throughput per task the
// same way). The policies compare candidates with the heuristic's config
// through predictRatios, which works for every label.
//
// Paired measurements (TuningRecord::referenceUs) time each candidate
// interleaved with the heuristic's config; datasets use their ratio, which
// cancels the load of a shared machine.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_COST_MODEL_COSTMODEL_H
#define TESSERA_COST_MODEL_COSTMODEL_H

#include "cost-model/Features.h"
#include "cost-model/TuningDatabase.h"
#include "cost-model/XGBoostModel.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tessera::costmodel {

/// The config-independent reference latency of `workload` in microseconds.
double referenceMicros(const Workload &workload, const HardwareProfile &hw);

/// The training target of a model (see the file comment).
enum class Label {
  /// log2(latency / the workload's roofline reference): absolute.
  Roofline,
  /// log2(latency / the heuristic config's latency of the workload).
  Heuristic,
  /// log2(latency / the workload's best or median measured latency).
  Best,
  Median,
};
const char *toString(Label label);
std::optional<Label> parseLabel(const std::string &name);

/// Rows of successful records, grouped by workload (consecutive rows).
struct Dataset {
  FeatureMatrix features;
  /// Training target per row (see the file comment).
  std::vector<float> labels;
  /// Measured latency per row, microseconds; paired records are scaled to
  /// the workload's heuristic measurement (latency / reference x the
  /// heuristic's latency), so that rows of one workload compare without
  /// the load drift between their measurements.
  std::vector<double> latencies;
  /// The row of each group's heuristic config (absolute index), or -1.
  std::vector<long> heuristicRows;
  /// Rows per workload, in order, and each group's workload key.
  std::vector<unsigned> groups;
  std::vector<std::string> groupKeys;
};

/// Featurizes the `ok` records (failed ones carry no latency). Records with
/// a workload that does not parse are skipped. A workload's heuristic
/// record is the one flagged `heuristic`, else its first record (collect
/// always measures the heuristic's config first).
Dataset buildDataset(const std::vector<TuningRecord> &records,
                     const HardwareProfile &hw,
                     Label label = Label::Roofline);

/// Splits workload keys into training and held-out sets: a workload is
/// held out when a hash of its key falls in `heldOutFraction`, so the
/// split is by workload and stable as the database grows.
bool isHeldOut(const std::string &workloadKey, double heldOutFraction);

struct RankingMetrics {
  /// Fraction of pairs (same workload, different latency) that the
  /// prediction orders correctly.
  double pairwiseAccuracy = 0;
  /// Mean over workloads of best latency / best latency among the k
  /// configs predicted fastest (TenSet's top-k score).
  double peakAt1 = 0, peakAt5 = 0;
  /// Pairwise accuracy over the pairs whose latencies differ by more than
  /// 5% (beyond the noise of a shared machine).
  double pairwiseAccuracyBeyondNoise = 0;
  size_t workloads = 0, pairs = 0, pairsBeyondNoise = 0;
  /// Against the heuristic (when its rows are known): the mean of best
  /// latency / the heuristic's latency, the geometric mean of the
  /// heuristic's latency / the predicted-fastest config's latency (what
  /// the policy gains without its guard), and on how many workloads the
  /// predicted-fastest config is more than 5% slower than the heuristic's.
  double heuristicPeak = 0, top1Speedup = 0;
  size_t top1SlowerThanHeuristic = 0;
};

/// Metrics of `predictedLatency` (lower is better) against `latencies`,
/// grouped as `groups`; `heuristicRows` (absolute row per group, -1 when
/// unknown) adds the comparison with the heuristic.
RankingMetrics evaluateRanking(const std::vector<double> &latencies,
                               const std::vector<double> &predictedLatency,
                               const std::vector<unsigned> &groups,
                               const std::vector<long> &heuristicRows = {});

/// The logistic function: a ranking model's probability that the config
/// scored `a` is slower than the one scored `b` is logistic(a - b).
double logistic(double x);

/// One candidate's prediction.
struct Prediction {
  TileSizes config;
  double latencyUs = 0;
  /// From the tuning database when the config was measured on this
  /// machine (negative when not).
  double measuredUs = -1;
};

/// One feature's share of a prediction (SHAP value, in log2 units).
struct Contribution {
  std::string feature;
  float value = 0, contribution = 0;
};

/// A trained model and the hardware profile it predicts for.
/// Predictions are comparable within one workload; `predictRatios` turns
/// them into "x the heuristic's latency" whatever the model's label.
class CostModel {
public:
  /// Loads a model file (JSON) and checks its feature version.
  static std::unique_ptr<CostModel> load(const std::string &path,
                                         const HardwareProfile &hw,
                                         std::string *error);
  /// Wraps a trained model.
  CostModel(std::unique_ptr<XGBoostModel> model, const HardwareProfile &hw);

  /// Predicted latency of each candidate divided by the predicted latency
  /// of `candidates[0]` (the heuristic's config), in order; empty with
  /// `error` set on failure.
  std::vector<double> predictRatios(const Workload &workload,
                                    const std::vector<TileSizes> &candidates,
                                    std::string *error = nullptr) const;
  /// Predicted latency of each candidate in microseconds. Only a
  /// Label::Roofline model knows absolute latencies: for the others the
  /// result is empty with `error` set.
  std::vector<double> predictMicros(const Workload &workload,
                                    const std::vector<TileSizes> &candidates,
                                    std::string *error = nullptr) const;
  /// The raw model output per candidate (log2 units for regression).
  std::vector<double> predictRaw(const Workload &workload,
                                 const std::vector<TileSizes> &candidates,
                                 std::string *error = nullptr) const;
  /// A ranking model's probability that each candidate is faster than
  /// `candidates[0]` (the heuristic's config): the logistic of the score
  /// difference, which is what `rank:pairwise` fits to each measured pair.
  /// 0.5 for candidate 0. Empty with `error` set for a regression model.
  std::vector<double>
  predictWinProbabilities(const Workload &workload,
                          const std::vector<TileSizes> &candidates,
                          std::string *error = nullptr) const;
  Label getLabel() const { return label; }
  /// Whether the model was trained with a ranking objective (`rank:*`):
  /// its scores order configs of one workload and are no latencies.
  bool isRanking() const { return ranking; }
  /// The `top` features that moved the prediction of `config` most.
  std::vector<Contribution> explain(const Workload &workload,
                                    const TileSizes &config, size_t top) const;
  const HardwareProfile &getHardware() const { return hw; }

  /// The model shipped for the CPU (cost-model/models/cpu.json), or the
  /// file $TESSERA_COST_MODEL names. It predicts microseconds (the
  /// partitioner's costs).
  static std::string getDefaultModelPath();
  /// The model the `model` and `tune` tile policies use by default: the
  /// shipped ranking model (cost-model/models/cpu-rank.json), or the file
  /// $TESSERA_COST_MODEL names.
  static std::string getDefaultPolicyModelPath();

private:
  std::unique_ptr<XGBoostModel> model;
  HardwareProfile hw;
  Label label = Label::Roofline;
  bool ranking = false;
};

/// Trains a model from a dataset built with `label` (stored in the model
/// file, so that predictions are read back the same way).
std::unique_ptr<XGBoostModel> trainModel(const Dataset &dataset,
                                         const TrainOptions &options,
                                         Label label, std::string *error);

} // namespace tessera::costmodel

#endif // TESSERA_COST_MODEL_COSTMODEL_H
