//===- XGBoostModel.h - Gradient-boosted trees through XGBoost's C API -*- C++ -*-===//
//
// A thin owner of an XGBoost booster: train from a dense row-major matrix,
// save and load JSON, batch prediction and per-feature contributions
// (`pred_contribs`, SHAP values, one column per feature plus the bias).
// Errors are returned as text, never thrown.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_COST_MODEL_XGBOOSTMODEL_H
#define TESSERA_COST_MODEL_XGBOOSTMODEL_H

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tessera::costmodel {

/// A dense row-major matrix of features.
struct FeatureMatrix {
  std::vector<float> values;
  size_t rows = 0, cols = 0;

  void addRow(const std::vector<float> &row);
  const float *row(size_t i) const { return values.data() + i * cols; }
};

struct TrainOptions {
  /// `reg:squarederror` on log-latency, or `rank:pairwise` with groups.
  std::string objective = "reg:squarederror";
  int rounds = 100;
  int maxDepth = 3;
  double learningRate = 0.1;
  double subsample = 0.9;
  uint64_t seed = 0;
  /// Rows per group (consecutive), for ranking objectives.
  std::vector<unsigned> groups;
  /// Ranking objectives (with groups): partners sampled per row and
  /// boosting round from its group (XGBoost's `num_pairsample`, default 1).
  int pairsPerRow = 1;
  /// Weight of each group (ranking) or row (regression); empty: all 1.
  std::vector<float> weights;
  /// Further XGBoost parameters (name, value), set last.
  std::vector<std::pair<std::string, std::string>> extraParams;
};

class XGBoostModel {
public:
  ~XGBoostModel();
  XGBoostModel(const XGBoostModel &) = delete;
  XGBoostModel &operator=(const XGBoostModel &) = delete;

  /// Fits a model to `labels` (one per row). nullptr with `error` set.
  static std::unique_ptr<XGBoostModel>
  train(const FeatureMatrix &features, const std::vector<float> &labels,
        const TrainOptions &options, std::string *error);
  /// Loads a model saved by `save` (JSON). nullptr with `error` set.
  static std::unique_ptr<XGBoostModel> load(const std::string &path,
                                            std::string *error);
  /// Writes the model as JSON (the `.json` extension selects the format).
  bool save(const std::string &path, std::string *error) const;

  /// One prediction per row; empty with `error` set on failure.
  std::vector<float> predict(const FeatureMatrix &features,
                             std::string *error = nullptr) const;
  /// SHAP values: rows x (cols + 1), the last column is the bias; each row
  /// sums to the prediction.
  std::vector<float> contributions(const FeatureMatrix &features,
                                   std::string *error = nullptr) const;

  /// A string attribute stored in the model file (the feature version).
  void setAttribute(const std::string &name, const std::string &value);
  std::string getAttribute(const std::string &name) const;
  /// Number of features the model was trained on.
  size_t numFeatures() const;

private:
  explicit XGBoostModel(void *booster) : booster(booster) {}
  std::vector<float> run(const FeatureMatrix &features, int type,
                         std::string *error) const;
  void *booster;
};

} // namespace tessera::costmodel

#endif // TESSERA_COST_MODEL_XGBOOSTMODEL_H
