//===- XGBoostModel.cpp - Gradient-boosted trees through XGBoost's C API --===//
//
// Every C API call returns 0 on success; XGBGetLastError() explains a
// failure. The booster is single-threaded (nthread=1): the machines this
// runs on are small and shared, and results must not depend on scheduling.
//
//===----------------------------------------------------------------------===//

#include "cost-model/XGBoostModel.h"

#include <xgboost/c_api.h>

#include <cmath>

using namespace tessera::costmodel;

void FeatureMatrix::addRow(const std::vector<float> &row) {
  if (rows == 0)
    cols = row.size();
  values.insert(values.end(), row.begin(), row.end());
  ++rows;
}

static bool check(int status, std::string *error, const char *what) {
  if (status == 0)
    return true;
  if (error)
    *error = std::string(what) + ": " + XGBGetLastError();
  return false;
}

namespace {
/// Frees a DMatrix at scope exit.
struct MatrixHandle {
  DMatrixHandle handle = nullptr;
  ~MatrixHandle() {
    if (handle)
      XGDMatrixFree(handle);
  }
};
} // namespace

static bool makeMatrix(const FeatureMatrix &features, MatrixHandle &matrix,
                       std::string *error) {
  if (features.rows == 0 || features.cols == 0) {
    if (error)
      *error = "no rows to use";
    return false;
  }
  return check(XGDMatrixCreateFromMat(features.values.data(), features.rows,
                                      features.cols, /*missing=*/NAN,
                                      &matrix.handle),
               error, "cannot create a DMatrix");
}

XGBoostModel::~XGBoostModel() { XGBoosterFree(booster); }

std::unique_ptr<XGBoostModel>
XGBoostModel::train(const FeatureMatrix &features,
                    const std::vector<float> &labels,
                    const TrainOptions &options, std::string *error) {
  if (labels.size() != features.rows) {
    if (error)
      *error = "one label per row is required";
    return nullptr;
  }
  MatrixHandle matrix;
  if (!makeMatrix(features, matrix, error) ||
      !check(XGDMatrixSetFloatInfo(matrix.handle, "label", labels.data(),
                                   labels.size()),
             error, "cannot set labels"))
    return nullptr;
  if (!options.groups.empty() &&
      !check(XGDMatrixSetUIntInfo(matrix.handle, "group",
                                  options.groups.data(),
                                  options.groups.size()),
             error, "cannot set groups"))
    return nullptr;
  if (!options.weights.empty() &&
      !check(XGDMatrixSetFloatInfo(matrix.handle, "weight",
                                   options.weights.data(),
                                   options.weights.size()),
             error, "cannot set weights"))
    return nullptr;
  BoosterHandle booster = nullptr;
  if (!check(XGBoosterCreate(&matrix.handle, 1, &booster), error,
             "cannot create a booster"))
    return nullptr;
  std::unique_ptr<XGBoostModel> model(new XGBoostModel(booster));
  const std::pair<std::string, std::string> params[] = {
      {"objective", options.objective},
      {"max_depth", std::to_string(options.maxDepth)},
      {"eta", std::to_string(options.learningRate)},
      {"subsample", std::to_string(options.subsample)},
      {"seed", std::to_string(options.seed)},
      {"nthread", "1"},
      {"tree_method", "exact"},
      {"verbosity", "0"},
  };
  for (const auto &[name, value] : params)
    if (!check(XGBoosterSetParam(booster, name.c_str(), value.c_str()), error,
               "bad XGBoost parameter"))
      return nullptr;
  if (!options.groups.empty() &&
      !check(XGBoosterSetParam(booster, "num_pairsample",
                               std::to_string(options.pairsPerRow).c_str()),
             error, "bad XGBoost parameter"))
    return nullptr;
  for (const auto &[name, value] : options.extraParams)
    if (!check(XGBoosterSetParam(booster, name.c_str(), value.c_str()), error,
               "bad XGBoost parameter"))
      return nullptr;
  for (int round = 0; round < options.rounds; ++round)
    if (!check(XGBoosterUpdateOneIter(booster, round, matrix.handle), error,
               "training failed"))
      return nullptr;
  return model;
}

std::unique_ptr<XGBoostModel> XGBoostModel::load(const std::string &path,
                                                 std::string *error) {
  BoosterHandle booster = nullptr;
  if (!check(XGBoosterCreate(nullptr, 0, &booster), error,
             "cannot create a booster"))
    return nullptr;
  std::unique_ptr<XGBoostModel> model(new XGBoostModel(booster));
  if (!check(XGBoosterLoadModel(booster, path.c_str()), error,
             ("cannot load the cost model '" + path + "'").c_str()))
    return nullptr;
  XGBoosterSetParam(booster, "nthread", "1");
  return model;
}

bool XGBoostModel::save(const std::string &path, std::string *error) const {
  return check(XGBoosterSaveModel(booster, path.c_str()), error,
               ("cannot save the cost model to '" + path + "'").c_str());
}

std::vector<float> XGBoostModel::run(const FeatureMatrix &features, int type,
                                     std::string *error) const {
  MatrixHandle matrix;
  if (!makeMatrix(features, matrix, error))
    return {};
  std::string config = "{\"type\": " + std::to_string(type) +
                       ", \"training\": false, \"iteration_begin\": 0, "
                       "\"iteration_end\": 0, \"strict_shape\": false}";
  const bst_ulong *shape = nullptr;
  bst_ulong dims = 0;
  const float *result = nullptr;
  if (!check(XGBoosterPredictFromDMatrix(booster, matrix.handle,
                                         config.c_str(), &shape, &dims,
                                         &result),
             error, "prediction failed"))
    return {};
  size_t count = 1;
  for (bst_ulong i = 0; i < dims; ++i)
    count *= shape[i];
  return std::vector<float>(result, result + count);
}

std::vector<float> XGBoostModel::predict(const FeatureMatrix &features,
                                         std::string *error) const {
  return run(features, /*normal=*/0, error);
}

std::vector<float> XGBoostModel::contributions(const FeatureMatrix &features,
                                               std::string *error) const {
  return run(features, /*contributions=*/2, error);
}

void XGBoostModel::setAttribute(const std::string &name,
                                const std::string &value) {
  XGBoosterSetAttr(booster, name.c_str(), value.c_str());
}

std::string XGBoostModel::getAttribute(const std::string &name) const {
  const char *value = nullptr;
  int success = 0;
  if (XGBoosterGetAttr(booster, name.c_str(), &value, &success) != 0 ||
      !success || !value)
    return "";
  return value;
}

size_t XGBoostModel::numFeatures() const {
  bst_ulong count = 0;
  if (XGBoosterGetNumFeature(booster, &count) != 0)
    return 0;
  return count;
}
