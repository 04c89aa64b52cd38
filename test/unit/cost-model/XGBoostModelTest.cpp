//===- XGBoostModelTest.cpp - The XGBoost C API wrapper -------------------===//

#include "cost-model/XGBoostModel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <random>

using namespace tessera::costmodel;

/// y = 3 x0 - 2 x1 + noise-free step on x2.
static void makeData(size_t rows, FeatureMatrix &x, std::vector<float> &y) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(0, 1);
  for (size_t i = 0; i < rows; ++i) {
    std::vector<float> row = {u(rng), u(rng), u(rng)};
    x.addRow(row);
    y.push_back(3 * row[0] - 2 * row[1] + (row[2] > 0.5f ? 1.0f : 0.0f));
  }
}

TEST(XGBoostModel, TrainPredictSaveLoadContribs) {
  FeatureMatrix x;
  std::vector<float> y;
  makeData(400, x, y);
  TrainOptions options;
  options.rounds = 80;
  std::string error;
  std::unique_ptr<XGBoostModel> model =
      XGBoostModel::train(x, y, options, &error);
  ASSERT_TRUE(model) << error;
  EXPECT_EQ(model->numFeatures(), 3u);

  std::vector<float> p = model->predict(x, &error);
  ASSERT_EQ(p.size(), y.size()) << error;
  double mse = 0;
  for (size_t i = 0; i < y.size(); ++i)
    mse += (p[i] - y[i]) * (p[i] - y[i]);
  EXPECT_LT(mse / y.size(), 0.05);

  // SHAP: one column per feature plus the bias; rows sum to the prediction,
  // and the unused-looking feature matters least.
  std::vector<float> c = model->contributions(x, &error);
  ASSERT_EQ(c.size(), x.rows * 4) << error;
  double sum0 = 0, sum2 = 0;
  for (size_t i = 0; i < x.rows; ++i) {
    EXPECT_NEAR(c[i * 4] + c[i * 4 + 1] + c[i * 4 + 2] + c[i * 4 + 3], p[i],
                1e-3);
    sum0 += std::fabs(c[i * 4]);
    sum2 += std::fabs(c[i * 4 + 2]);
  }
  EXPECT_GT(sum0, sum2);

  model->setAttribute("tessera_features", "test-v1");
  std::string path = std::string(TEST_TMP_DIR) + "/xgb-test.json";
  ASSERT_TRUE(model->save(path, &error)) << error;
  std::unique_ptr<XGBoostModel> loaded = XGBoostModel::load(path, &error);
  ASSERT_TRUE(loaded) << error;
  EXPECT_EQ(loaded->getAttribute("tessera_features"), "test-v1");
  std::vector<float> q = loaded->predict(x);
  ASSERT_EQ(q.size(), p.size());
  for (size_t i = 0; i < p.size(); ++i)
    EXPECT_FLOAT_EQ(p[i], q[i]);
}

TEST(XGBoostModel, ErrorsAreReported) {
  std::string error;
  EXPECT_FALSE(XGBoostModel::load("/nonexistent/model.json", &error));
  EXPECT_FALSE(error.empty());
  FeatureMatrix x;
  x.addRow({1, 2});
  EXPECT_FALSE(XGBoostModel::train(x, {1, 2}, TrainOptions(), &error));
  EXPECT_NE(error.find("one label per row"), std::string::npos);
}

// Ranking options: more sampled pairs per row and round (num_pairsample),
// one weight per group, and further parameters reach XGBoost and are kept
// in the model file; a weight count that fits neither rows nor groups is
// an error.
TEST(XGBoostModel, RankingPairsWeightsAndParameters) {
  FeatureMatrix x;
  std::vector<float> labels;
  for (int g = 0; g < 4; ++g)
    for (int i = 0; i < 6; ++i) {
      x.addRow({static_cast<float>(i), static_cast<float>(g)});
      labels.push_back(static_cast<float>(i));
    }
  TrainOptions options;
  options.objective = "rank:pairwise";
  options.rounds = 20;
  options.groups = {6, 6, 6, 6};
  options.pairsPerRow = 4;
  options.weights = {1, 0.5, 0.5, 2};
  options.extraParams = {{"fix_list_weight", "6"}};
  std::string error;
  std::unique_ptr<XGBoostModel> model =
      XGBoostModel::train(x, labels, options, &error);
  ASSERT_TRUE(model) << error;
  std::string path = std::string(TEST_TMP_DIR) + "/ranking-options.json";
  ASSERT_TRUE(model->save(path, &error)) << error;
  std::ifstream file(path);
  std::string text((std::istreambuf_iterator<char>(file)),
                   std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"num_pairsample\":\"4\""), std::string::npos);
  EXPECT_NE(text.find("\"fix_list_weight\":\"6\""), std::string::npos);
  std::vector<float> p = model->predict(x);
  ASSERT_EQ(p.size(), x.rows);
  EXPECT_LT(p[0], p[5]); // Higher label, higher score.

  options.weights = {1, 2, 3};
  EXPECT_FALSE(XGBoostModel::train(x, labels, options, &error));
}
