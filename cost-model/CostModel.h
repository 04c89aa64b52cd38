//===- CostModel.h - Predict, rank and explain tile configs -----*- C++ -*-===//
//
// The pieces that turn tuning records into a model and a model into
// decisions: the training target, datasets grouped by workload, ranking
// metrics (TenSet's pairwise accuracy and peak@k), and CostModel, which
// predicts the latency of candidate configs and explains a prediction with
// its largest SHAP contributions.
//
// The model predicts log2(latency / reference), where the reference is the
// single-core roofline of the untiled workload (a config-independent
// number): the target is "how far from peak", which is comparable across
// workloads and machines, while the reference restores microseconds.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_COST_MODEL_COSTMODEL_H
#define TESSERA_COST_MODEL_COSTMODEL_H

#include "cost-model/Features.h"
#include "cost-model/TuningDatabase.h"
#include "cost-model/XGBoostModel.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tessera::costmodel {

/// The config-independent reference latency of `workload` in microseconds.
double referenceMicros(const Workload &workload, const HardwareProfile &hw);

/// Rows of successful records, grouped by workload (consecutive rows).
struct Dataset {
  FeatureMatrix features;
  /// Training target per row (see the file comment).
  std::vector<float> labels;
  /// Measured latency per row, microseconds.
  std::vector<double> latencies;
  /// Rows per workload, in order, and each group's workload key.
  std::vector<unsigned> groups;
  std::vector<std::string> groupKeys;
};

/// Featurizes the `ok` records (failed ones carry no latency). Records with
/// a workload that does not parse are skipped.
/// With `relative`, labels are log2(latency / the workload's median
/// latency) instead: a pure ranking target (predictions are then relative).
Dataset buildDataset(const std::vector<TuningRecord> &records,
                     const HardwareProfile &hw, bool relative = false);

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
};

/// Metrics of `predictedLatency` (lower is better) against `latencies`,
/// grouped as `groups`.
RankingMetrics evaluateRanking(const std::vector<double> &latencies,
                               const std::vector<double> &predictedLatency,
                               const std::vector<unsigned> &groups);

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
class CostModel {
public:
  /// Loads a model file (JSON) and checks its feature version.
  static std::unique_ptr<CostModel> load(const std::string &path,
                                         const HardwareProfile &hw,
                                         std::string *error);
  /// Wraps a trained model.
  CostModel(std::unique_ptr<XGBoostModel> model, const HardwareProfile &hw)
      : model(std::move(model)), hw(hw) {}

  /// Predicted latency of each candidate, in order; empty with `error` set
  /// on failure.
  std::vector<double> predictMicros(const Workload &workload,
                                    const std::vector<TileSizes> &candidates,
                                    std::string *error = nullptr) const;
  /// The `top` features that moved the prediction of `config` most.
  std::vector<Contribution> explain(const Workload &workload,
                                    const TileSizes &config, size_t top) const;
  const HardwareProfile &getHardware() const { return hw; }

  /// The model shipped for the CPU (cost-model/models/cpu.json), or the
  /// file $TESSERA_COST_MODEL names.
  static std::string getDefaultModelPath();

private:
  std::unique_ptr<XGBoostModel> model;
  HardwareProfile hw;
};

/// Trains the log-latency model from a dataset.
std::unique_ptr<XGBoostModel> trainModel(const Dataset &dataset,
                                         const TrainOptions &options,
                                         std::string *error);

} // namespace tessera::costmodel

#endif // TESSERA_COST_MODEL_COSTMODEL_H
