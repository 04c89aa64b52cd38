//===- CostModel.cpp - Predict, rank and explain tile configs -------------===//

#include "cost-model/CostModel.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

using namespace tessera::costmodel;

#ifndef TESSERA_DEFAULT_COST_MODEL
#define TESSERA_DEFAULT_COST_MODEL ""
#endif
#ifndef TESSERA_DEFAULT_POLICY_MODEL
#define TESSERA_DEFAULT_POLICY_MODEL TESSERA_DEFAULT_COST_MODEL
#endif

double tessera::costmodel::logistic(double x) { return 1 / (1 + std::exp(-x)); }

double tessera::costmodel::referenceMicros(const Workload &workload,
                                           const HardwareProfile &hw) {
  HardwareProfile oneCore = hw;
  oneCore.cores = 1;
  return std::max(1e-3, estimateRooflineMicros(workload, TileSizes(), oneCore));
}

const char *tessera::costmodel::toString(Label label) {
  switch (label) {
  case Label::Heuristic:
    return "heuristic";
  case Label::Roofline:
    return "roofline";
  case Label::Best:
    return "best";
  case Label::Median:
    return "median";
  }
  return "heuristic";
}

std::optional<Label> tessera::costmodel::parseLabel(const std::string &name) {
  for (Label label :
       {Label::Heuristic, Label::Roofline, Label::Best, Label::Median})
    if (name == toString(label))
      return label;
  return std::nullopt;
}

namespace {

/// The record of the workload's heuristic config: the flagged one, else
/// the first (collect measures the heuristic first).
const TuningRecord *
findHeuristic(const std::vector<const TuningRecord *> &rows) {
  for (const TuningRecord *r : rows)
    if (r->heuristic)
      return r;
  return rows.empty() ? nullptr : rows.front();
}

/// Latencies of one workload's rows on one scale: a paired record's ratio
/// to the heuristic timed next to it, times the heuristic's own latency.
std::vector<double>
getComparableLatencies(const std::vector<const TuningRecord *> &rows,
                       const TuningRecord *heuristic) {
  std::vector<double> latencies;
  for (const TuningRecord *r : rows)
    latencies.push_back(heuristic && r->referenceUs > 0 && r != heuristic
                            ? r->latencyUs / r->referenceUs *
                                  heuristic->latencyUs
                            : r->latencyUs);
  return latencies;
}

double median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2,
                   values.end());
  return values[values.size() / 2];
}

} // namespace

Dataset tessera::costmodel::buildDataset(const std::vector<TuningRecord> &records,
                                         const HardwareProfile &hw,
                                         Label label) {
  // Group rows by workload, keeping the first-seen order of workloads.
  std::map<std::string, std::vector<const TuningRecord *>> byKey;
  std::vector<std::string> order;
  for (const TuningRecord &r : records) {
    if (!r.ok() || r.latencyUs <= 0)
      continue;
    auto [it, inserted] = byKey.try_emplace(r.workloadKey);
    if (inserted)
      order.push_back(r.workloadKey);
    it->second.push_back(&r);
  }
  Dataset data;
  for (const std::string &key : order) {
    const std::vector<const TuningRecord *> &rows = byKey[key];
    std::optional<Workload> workload =
        Workload::fromJSON(rows.front()->workloadJSON);
    if (!workload)
      continue;
    const TuningRecord *heuristic = findHeuristic(rows);
    std::vector<double> latencies = getComparableLatencies(rows, heuristic);
    double reference = referenceMicros(*workload, hw);
    switch (label) {
    case Label::Roofline:
      break;
    case Label::Heuristic:
      reference = heuristic->latencyUs;
      break;
    case Label::Best:
      reference = *std::min_element(latencies.begin(), latencies.end());
      break;
    case Label::Median:
      reference = median(latencies);
      break;
    }
    unsigned count = 0;
    long heuristicRow = -1;
    for (size_t i = 0; i < rows.size(); ++i) {
      std::optional<TileSizes> config = TileSizes::parse(rows[i]->config);
      if (!config)
        continue;
      if (rows[i] == heuristic)
        heuristicRow = static_cast<long>(data.latencies.size());
      data.features.addRow(computeFeatures(*workload, *config, hw));
      data.labels.push_back(
          static_cast<float>(std::log2(latencies[i] / reference)));
      data.latencies.push_back(latencies[i]);
      ++count;
    }
    if (count) {
      data.groups.push_back(count);
      data.groupKeys.push_back(key);
      data.heuristicRows.push_back(heuristicRow);
    }
  }
  return data;
}

bool tessera::costmodel::isHeldOut(const std::string &workloadKey,
                                   double heldOutFraction) {
  // FNV-1a: stable across runs and platforms (std::hash is not).
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : workloadKey)
    hash = (hash ^ c) * 1099511628211ull;
  return static_cast<double>(hash % 10000) / 10000.0 < heldOutFraction;
}

RankingMetrics
tessera::costmodel::evaluateRanking(const std::vector<double> &latencies,
                                    const std::vector<double> &predicted,
                                    const std::vector<unsigned> &groups,
                                    const std::vector<long> &heuristicRows) {
  RankingMetrics m;
  size_t correct = 0, correctBeyondNoise = 0, start = 0, compared = 0;
  double logSpeedup = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    unsigned size = groups[g];
    size_t end = start + size;
    for (size_t i = start; i < end; ++i)
      for (size_t j = i + 1; j < end; ++j) {
        if (latencies[i] == latencies[j])
          continue;
        ++m.pairs;
        bool right =
            (latencies[i] < latencies[j]) == (predicted[i] < predicted[j]);
        correct += right;
        double ratio = std::max(latencies[i], latencies[j]) /
                       std::min(latencies[i], latencies[j]);
        if (ratio > 1.05) {
          ++m.pairsBeyondNoise;
          correctBeyondNoise += right;
        }
      }
    std::vector<size_t> byPrediction(size);
    std::iota(byPrediction.begin(), byPrediction.end(), start);
    std::stable_sort(byPrediction.begin(), byPrediction.end(),
                     [&](size_t a, size_t b) {
                       return predicted[a] < predicted[b];
                     });
    double best = *std::min_element(latencies.begin() + start,
                                    latencies.begin() + end);
    auto peakAt = [&](size_t k) {
      double bestInTop = latencies[byPrediction[0]];
      for (size_t i = 0; i < std::min<size_t>(k, size); ++i)
        bestInTop = std::min(bestInTop, latencies[byPrediction[i]]);
      return best / bestInTop;
    };
    m.peakAt1 += peakAt(1);
    m.peakAt5 += peakAt(5);
    ++m.workloads;
    if (g < heuristicRows.size() && heuristicRows[g] >= 0) {
      double heuristic = latencies[heuristicRows[g]];
      double top1 = latencies[byPrediction[0]];
      m.heuristicPeak += best / heuristic;
      logSpeedup += std::log(heuristic / top1);
      m.top1SlowerThanHeuristic += top1 > heuristic * 1.05;
      ++compared;
    }
    start = end;
  }
  if (m.workloads) {
    m.peakAt1 /= m.workloads;
    m.peakAt5 /= m.workloads;
  }
  if (compared) {
    m.heuristicPeak /= compared;
    m.top1Speedup = std::exp(logSpeedup / compared);
  }
  m.pairwiseAccuracy = m.pairs ? static_cast<double>(correct) / m.pairs : 1.0;
  m.pairwiseAccuracyBeyondNoise =
      m.pairsBeyondNoise
          ? static_cast<double>(correctBeyondNoise) / m.pairsBeyondNoise
          : 1.0;
  return m;
}

std::unique_ptr<XGBoostModel>
tessera::costmodel::trainModel(const Dataset &dataset,
                               const TrainOptions &options, Label label,
                               std::string *error) {
  TrainOptions withGroups = options;
  if (options.objective.rfind("rank:", 0) == 0)
    withGroups.groups = dataset.groups;
  std::unique_ptr<XGBoostModel> model =
      XGBoostModel::train(dataset.features, dataset.labels, withGroups, error);
  if (model) {
    model->setAttribute("tessera_features", kFeatureVersion);
    model->setAttribute("tessera_objective", options.objective);
    model->setAttribute("tessera_label", toString(label));
  }
  return model;
}

std::unique_ptr<CostModel> CostModel::load(const std::string &path,
                                           const HardwareProfile &hw,
                                           std::string *error) {
  std::unique_ptr<XGBoostModel> model = XGBoostModel::load(path, error);
  if (!model)
    return nullptr;
  std::string version = model->getAttribute("tessera_features");
  if (version != kFeatureVersion ||
      model->numFeatures() != getFeatureNames().size()) {
    if (error)
      *error = "the cost model '" + path + "' was trained on features '" +
               version + "', this build computes '" + kFeatureVersion +
               "': retrain it with `tessera-tune train`";
    return nullptr;
  }
  return std::make_unique<CostModel>(std::move(model), hw);
}

CostModel::CostModel(std::unique_ptr<XGBoostModel> xgb,
                     const HardwareProfile &hw)
    : model(std::move(xgb)), hw(hw) {
  // Models from before labels were recorded predict log2(latency/roofline).
  std::string name = model->getAttribute("tessera_label");
  label = parseLabel(name).value_or(Label::Roofline);
  ranking = model->getAttribute("tessera_objective").rfind("rank:", 0) == 0;
}

std::vector<double>
CostModel::predictRaw(const Workload &workload,
                      const std::vector<TileSizes> &candidates,
                      std::string *error) const {
  if (candidates.empty())
    return {};
  FeatureMatrix features;
  for (const TileSizes &config : candidates)
    features.addRow(computeFeatures(workload, config, hw));
  std::vector<float> raw = model->predict(features, error);
  if (raw.size() != candidates.size())
    return {};
  return std::vector<double>(raw.begin(), raw.end());
}

std::vector<double>
CostModel::predictRatios(const Workload &workload,
                         const std::vector<TileSizes> &candidates,
                         std::string *error) const {
  std::vector<double> raw = predictRaw(workload, candidates, error);
  for (size_t i = 1; i < raw.size(); ++i)
    raw[i] = std::exp2(raw[i] - raw[0]);
  if (!raw.empty())
    raw[0] = 1;
  return raw;
}

std::vector<double> CostModel::predictWinProbabilities(
    const Workload &workload, const std::vector<TileSizes> &candidates,
    std::string *error) const {
  if (!ranking) {
    if (error)
      *error = "the cost model is a regression, not a ranking model";
    return {};
  }
  std::vector<double> raw = predictRaw(workload, candidates, error);
  // Higher scores rank slower (the label is log latency).
  for (size_t i = 1; i < raw.size(); ++i)
    raw[i] = logistic(raw[0] - raw[i]);
  if (!raw.empty())
    raw[0] = 0.5;
  return raw;
}

std::vector<double>
CostModel::predictMicros(const Workload &workload,
                         const std::vector<TileSizes> &candidates,
                         std::string *error) const {
  if (ranking) {
    if (error)
      *error = "the cost model is a ranking model: its scores are not "
               "microseconds";
    return {};
  }
  if (label != Label::Roofline) {
    if (error)
      *error = std::string("the cost model predicts latency relative to '") +
               toString(label) + "', not microseconds";
    return {};
  }
  std::vector<double> raw = predictRaw(workload, candidates, error);
  double reference = referenceMicros(workload, hw);
  for (double &r : raw)
    r = reference * std::exp2(r);
  return raw;
}

std::vector<Contribution> CostModel::explain(const Workload &workload,
                                             const TileSizes &config,
                                             size_t top) const {
  FeatureMatrix features;
  features.addRow(computeFeatures(workload, config, hw));
  std::vector<float> shap = model->contributions(features);
  const std::vector<std::string> &names = getFeatureNames();
  std::vector<Contribution> all;
  for (size_t i = 0; i < names.size() && i < shap.size(); ++i)
    all.push_back({names[i], features.values[i], shap[i]});
  std::stable_sort(all.begin(), all.end(),
                   [](const Contribution &a, const Contribution &b) {
                     return std::fabs(a.contribution) >
                            std::fabs(b.contribution);
                   });
  if (all.size() > top)
    all.resize(top);
  return all;
}

std::string CostModel::getDefaultModelPath() {
  if (const char *path = std::getenv("TESSERA_COST_MODEL"))
    return path;
  return TESSERA_DEFAULT_COST_MODEL;
}

std::string CostModel::getDefaultPolicyModelPath() {
  if (const char *path = std::getenv("TESSERA_COST_MODEL"))
    return path;
  return TESSERA_DEFAULT_POLICY_MODEL;
}
