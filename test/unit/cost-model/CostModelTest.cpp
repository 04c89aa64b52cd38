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
  Dataset data = buildDataset(records, hw, Label::Roofline);
  ASSERT_EQ(data.groups.size(), 12u);
  ASSERT_EQ(data.features.rows, records.size());
  TrainOptions options;
  options.rounds = 60;
  std::string error;
  std::unique_ptr<XGBoostModel> xgb =
      trainModel(data, options, Label::Roofline, &error);
  ASSERT_TRUE(xgb) << error;
  CostModel model(std::move(xgb), hw);
  EXPECT_EQ(model.getLabel(), Label::Roofline);

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

namespace {
TuningRecord makeRecord(const Workload &w, const TileSizes &t, double us) {
  TuningRecord r;
  r.workloadKey = w.key();
  r.workloadJSON = w.toJSON();
  r.config = t.toString();
  r.latencyUs = us;
  return r;
}
} // namespace

// Relative labels: log2(latency / the heuristic's latency), where the
// heuristic's record is the flagged one (else the first), and a paired
// record counts by its ratio to the heuristic timed next to it.
TEST(Dataset, RelativeToTheHeuristic) {
  HardwareProfile hw;
  Workload w = makeMatmul(64, 256, 256);
  std::vector<TileSizes> c = enumerateCandidates(w, 16);
  ASSERT_GE(c.size(), 3u);
  std::vector<TuningRecord> records = {makeRecord(w, c[0], 100),
                                       makeRecord(w, c[1], 50),
                                       makeRecord(w, c[2], 300)};
  records[1].heuristic = true;
  // Timed at 300 us while the heuristic took 200 us next to it: 1.5x.
  records[2].referenceUs = 200;
  Dataset data = buildDataset(records, hw, Label::Heuristic);
  ASSERT_EQ(data.labels.size(), 3u);
  EXPECT_FLOAT_EQ(data.labels[0], 1);   // 100 / 50
  EXPECT_FLOAT_EQ(data.labels[1], 0);   // the heuristic itself
  EXPECT_NEAR(data.latencies[2], 75, 1e-9); // 1.5 x 50
  EXPECT_NEAR(data.labels[2], std::log2(1.5), 1e-6);
  ASSERT_EQ(data.heuristicRows.size(), 1u);
  EXPECT_EQ(data.heuristicRows[0], 1);
  // Without a flag the first record is the heuristic's.
  records[1].heuristic = false;
  data = buildDataset(records, hw, Label::Heuristic);
  EXPECT_FLOAT_EQ(data.labels[0], 0);
  EXPECT_FLOAT_EQ(data.labels[1], -1);
  EXPECT_EQ(data.heuristicRows[0], 0);
  data = buildDataset(records, hw, Label::Best);
  EXPECT_FLOAT_EQ(data.labels[1], 0);
  EXPECT_EQ(parseLabel("median"), Label::Median);
  EXPECT_FALSE(parseLabel("nonsense"));
}

// A relative model ranks configs of workloads whose scales differ 1000x;
// its label survives a save and load, and predictRatios is 1 for the
// heuristic (candidate 0).
TEST(CostModel, RelativeModelPredictsRatios) {
  HardwareProfile hw;
  auto fakeLatency = [&](const Workload &w, const TileSizes &t) {
    double vecM = t.vector[0], vecN = t.vector[1];
    return w.flops() * 1e-4 * (1 / vecM + 16 / vecN);
  };
  std::vector<TuningRecord> records;
  for (int64_t m : {16, 128, 1024})
    for (int64_t n : {64, 512})
      for (int64_t k : {64, 1024}) {
        Workload w = makeMatmul(m, n, k);
        for (const TileSizes &t : enumerateCandidates(w, 16))
          records.push_back(makeRecord(w, t, fakeLatency(w, t)));
      }
  Dataset data = buildDataset(records, hw, Label::Heuristic);
  TrainOptions options;
  options.rounds = 60;
  std::string error;
  std::unique_ptr<XGBoostModel> xgb =
      trainModel(data, options, Label::Heuristic, &error);
  ASSERT_TRUE(xgb) << error;
  std::string path = std::string(TEST_TMP_DIR) + "/relative-model.json";
  ASSERT_TRUE(xgb->save(path, &error)) << error;
  std::unique_ptr<CostModel> model = CostModel::load(path, hw, &error);
  ASSERT_TRUE(model) << error;
  EXPECT_EQ(model->getLabel(), Label::Heuristic);

  Workload unseen = makeMatmul(256, 1024, 512);
  std::vector<TileSizes> candidates = enumerateCandidates(unseen, 16);
  std::vector<double> ratios = model->predictRatios(unseen, candidates);
  ASSERT_EQ(ratios.size(), candidates.size());
  EXPECT_DOUBLE_EQ(ratios[0], 1);
  std::vector<double> truth;
  for (const TileSizes &t : candidates)
    truth.push_back(fakeLatency(unseen, t));
  RankingMetrics m = evaluateRanking(
      truth, ratios, {static_cast<unsigned>(candidates.size())}, {0});
  EXPECT_GT(m.pairwiseAccuracy, 0.8);
  EXPECT_GT(m.peakAt5, 0.9);
  // The true ratio of the predicted-fastest config vs candidate 0.
  EXPECT_NEAR(m.top1Speedup,
              truth[0] / truth[std::min_element(ratios.begin(), ratios.end()) -
                               ratios.begin()],
              1e-9);
}

TEST(RankingMetrics, AgainstTheHeuristic) {
  // Group 1: heuristic (row 1) 2, best 1, top-1 predicted is row 0 (1).
  // Group 2: heuristic (row 4) 10, top-1 predicted is row 5 (20).
  std::vector<double> latency = {1, 2, 3, 4, 10, 20};
  std::vector<double> predicted = {1, 2, 3, 4, 2, 1};
  RankingMetrics m =
      evaluateRanking(latency, predicted, {4, 2}, {1, 4});
  EXPECT_DOUBLE_EQ(m.heuristicPeak, (0.5 + 1.0) / 2);
  EXPECT_NEAR(m.top1Speedup, std::sqrt(2.0 * 0.5), 1e-12);
  EXPECT_EQ(m.top1SlowerThanHeuristic, 1u);
}

// Only an absolute (roofline-label) model gives microseconds: the
// partitioner must not read ratios as latencies.
TEST(CostModel, RelativeModelsGiveNoMicroseconds) {
  HardwareProfile hw;
  Workload w = makeMatmul(64, 256, 256);
  std::vector<TileSizes> c = enumerateCandidates(w, 16);
  std::vector<TuningRecord> records;
  for (size_t i = 0; i < c.size(); ++i)
    records.push_back(makeRecord(w, c[i], 100 + static_cast<double>(i)));
  TrainOptions options;
  options.rounds = 5;
  std::string error;
  for (Label label : {Label::Roofline, Label::Heuristic}) {
    std::unique_ptr<XGBoostModel> xgb = trainModel(
        buildDataset(records, hw, label), options, label, &error);
    ASSERT_TRUE(xgb) << error;
    CostModel model(std::move(xgb), hw);
    error.clear();
    std::vector<double> us = model.predictMicros(w, c, &error);
    EXPECT_EQ(us.empty(), label != Label::Roofline);
    EXPECT_EQ(error.empty(), label == Label::Roofline) << error;
    EXPECT_EQ(model.predictRatios(w, c).size(), c.size());
  }
}

// A rank:pairwise model orders the configs of an unseen workload, gives
// the probability that each beats candidate 0 (0.5 for candidate 0
// itself), and no microseconds: its scores are not latencies.
TEST(CostModel, RankingModelGivesWinProbabilities) {
  HardwareProfile hw;
  auto fakeLatency = [&](const Workload &w, const TileSizes &t) {
    double vecM = t.vector[0], vecN = t.vector[1];
    return w.flops() * 1e-4 * (1 / vecM + 16 / vecN);
  };
  std::vector<TuningRecord> records;
  for (int64_t m : {16, 128, 1024})
    for (int64_t n : {64, 512})
      for (int64_t k : {64, 1024}) {
        Workload w = makeMatmul(m, n, k);
        for (const TileSizes &t : enumerateCandidates(w, 16))
          records.push_back(makeRecord(w, t, fakeLatency(w, t)));
      }
  TrainOptions options;
  options.objective = "rank:pairwise";
  options.rounds = 60;
  std::string error;
  std::unique_ptr<XGBoostModel> xgb = trainModel(
      buildDataset(records, hw, Label::Roofline), options, Label::Roofline,
      &error);
  ASSERT_TRUE(xgb) << error;
  std::string path = std::string(TEST_TMP_DIR) + "/ranking-model.json";
  ASSERT_TRUE(xgb->save(path, &error)) << error;
  std::unique_ptr<CostModel> model = CostModel::load(path, hw, &error);
  ASSERT_TRUE(model) << error;
  EXPECT_TRUE(model->isRanking());

  Workload unseen = makeMatmul(256, 1024, 512);
  std::vector<TileSizes> candidates = enumerateCandidates(unseen, 16);
  std::vector<double> win = model->predictWinProbabilities(unseen, candidates);
  ASSERT_EQ(win.size(), candidates.size());
  EXPECT_DOUBLE_EQ(win[0], 0.5);
  std::vector<double> truth, loss;
  for (size_t i = 0; i < candidates.size(); ++i) {
    truth.push_back(fakeLatency(unseen, candidates[i]));
    EXPECT_GT(win[i], 0);
    EXPECT_LT(win[i], 1);
    loss.push_back(-win[i]); // Lower ranks faster.
  }
  loss[0] = -0.5;
  RankingMetrics m = evaluateRanking(
      truth, loss, {static_cast<unsigned>(candidates.size())});
  EXPECT_GT(m.pairwiseAccuracy, 0.8);

  error.clear();
  EXPECT_TRUE(model->predictMicros(unseen, candidates, &error).empty());
  EXPECT_NE(error.find("ranking model"), std::string::npos) << error;
  // A regression model has no win probabilities.
  options.objective = "reg:squarederror";
  CostModel regression(trainModel(buildDataset(records, hw), options,
                                  Label::Roofline, &error),
                       hw);
  EXPECT_FALSE(regression.isRanking());
  EXPECT_TRUE(regression.predictWinProbabilities(unseen, candidates).empty());
  EXPECT_DOUBLE_EQ(logistic(0), 0.5);
}
