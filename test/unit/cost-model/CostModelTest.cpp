//===- CostModelTest.cpp - Datasets, ranking metrics, predictions ---------===//

#include "TestWorkloads.h"
#include "cost-model/CostModel.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace tessera::costmodel;
using namespace tessera::costmodel::test;

TEST(RankingMetrics, PerfectAndReversed) {
  std::vector<double> latency = {1, 2, 3, 4, 10, 20};
  std::vector<unsigned> groups = {4, 2};
  RankingMetrics perfect = evaluateRanking(latency, latency, groups);
  EXPECT_DOUBLE_EQ(perfect.pairwiseAccuracy, 1);
  EXPECT_DOUBLE_EQ(perfect.peakAt1, 1);
  EXPECT_DOUBLE_EQ(perfect.peakAt5, 1);
  EXPECT_EQ(perfect.workloads, 2u);
  EXPECT_EQ(perfect.pairs, 7u);
  EXPECT_EQ(perfect.pairsBeyondNoise, 7u);
  EXPECT_DOUBLE_EQ(perfect.pairwiseAccuracyBeyondNoise, 1);
  // Latencies within 5% of each other are beyond nobody's measurement.
  RankingMetrics close = evaluateRanking({100, 101}, {2, 1}, {2});
  EXPECT_EQ(close.pairs, 1u);
  EXPECT_EQ(close.pairsBeyondNoise, 0u);
  EXPECT_DOUBLE_EQ(close.pairwiseAccuracy, 0);
  std::vector<double> reversed = {4, 3, 2, 1, 20, 10};
  RankingMetrics bad = evaluateRanking(latency, reversed, groups);
  EXPECT_DOUBLE_EQ(bad.pairwiseAccuracy, 0);
  // Group 1 picks latency 4 (best 1), group 2 picks 20 (best 10).
  EXPECT_DOUBLE_EQ(bad.peakAt1, (0.25 + 0.5) / 2);
  EXPECT_DOUBLE_EQ(bad.peakAt5, 1);
}

TEST(HeldOut, StableAndByFraction) {
  int held = 0;
  for (int i = 0; i < 1000; ++i)
    held += isHeldOut("workload" + std::to_string(i), 0.3);
  EXPECT_GT(held, 200);
  EXPECT_LT(held, 400);
  EXPECT_EQ(isHeldOut("abc", 0.3), isHeldOut("abc", 0.3));
  EXPECT_FALSE(isHeldOut("abc", 0));
}

// A model trained on synthetic "measurements" (latency grows with the
// register-tile reload traffic) ranks the candidates of unseen workloads.
TEST(CostModel, LearnsASyntheticLatencyAndExplains) {
  HardwareProfile hw;
  std::vector<TuningRecord> records;
  auto fakeLatency = [&](const Workload &w, const TileSizes &t) {
    double vecM = t.vector[0], vecN = t.vector[1];
    return w.flops() * 1e-4 * (1 / vecM + 16 / vecN);
  };
  for (int64_t m : {64, 128, 256})
    for (int64_t n : {256, 512})
      for (int64_t k : {256, 1024}) {
        Workload w = makeMatmul(m, n, k);
        for (const TileSizes &t : enumerateCandidates(w, 16)) {
          TuningRecord r;
          r.workloadKey = w.key();
          r.workloadJSON = w.toJSON();
          r.config = t.toString();
          r.latencyUs = fakeLatency(w, t);
          records.push_back(r);
        }
      }
  Dataset data = buildDataset(records, hw);
  ASSERT_EQ(data.groups.size(), 12u);
  ASSERT_EQ(data.features.rows, records.size());
  TrainOptions options;
  options.rounds = 60;
  std::string error;
  std::unique_ptr<XGBoostModel> xgb = trainModel(data, options, &error);
  ASSERT_TRUE(xgb) << error;
  CostModel model(std::move(xgb), hw);

  Workload unseen = makeMatmul(512, 1024, 512);
  std::vector<TileSizes> candidates = enumerateCandidates(unseen, 16);
  std::vector<double> predicted = model.predictMicros(unseen, candidates);
  ASSERT_EQ(predicted.size(), candidates.size());
  std::vector<double> truth;
  for (const TileSizes &t : candidates)
    truth.push_back(fakeLatency(unseen, t));
  RankingMetrics m = evaluateRanking(
      truth, predicted, {static_cast<unsigned>(candidates.size())});
  EXPECT_GT(m.pairwiseAccuracy, 0.8);
  EXPECT_GT(m.peakAt5, 0.9);

  std::vector<Contribution> why = model.explain(unseen, candidates[0], 3);
  ASSERT_EQ(why.size(), 3u);
  EXPECT_GE(std::fabs(why[0].contribution), std::fabs(why[2].contribution));
}
