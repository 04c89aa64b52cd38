//===- FeaturesTest.cpp - Feature vectors ---------------------------------===//

#include "TestWorkloads.h"
#include "cost-model/Features.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace tessera::costmodel;
using namespace tessera::costmodel::test;

static size_t index(const std::string &name) {
  const std::vector<std::string> &names = getFeatureNames();
  return std::find(names.begin(), names.end(), name) - names.begin();
}

TEST(Features, OneValuePerNameAndFinite) {
  HardwareProfile hw;
  Workload w = makeMatmul(64, 256, 512);
  for (const TileSizes &t : enumerateCandidates(w, hw.vectorWidth)) {
    std::vector<float> f = computeFeatures(w, t, hw);
    ASSERT_EQ(f.size(), getFeatureNames().size());
    for (float v : f)
      EXPECT_TRUE(std::isfinite(v));
  }
  std::vector<float> none = computeFeatures(w, TileSizes(), hw);
  EXPECT_EQ(none[index("has_config")], 0);
}

TEST(Features, TilingShowsInTheFeatures) {
  HardwareProfile hw;
  hw.cores = 2;
  Workload w = makeMatmul(128, 512, 1024);
  TileSizes small, large;
  small.parallel = {8, 16, 0};
  small.reduction = {0, 0, 64};
  small.vector = {4, 16, 1};
  large.parallel = {128, 256, 0};
  large.reduction = {0, 0, 0};
  large.vector = {8, 32, 1};
  std::vector<float> fs = computeFeatures(w, small, hw);
  std::vector<float> fl = computeFeatures(w, large, hw);
  EXPECT_GT(fs[index("log2_parallel_tiles")], fl[index("log2_parallel_tiles")]);
  EXPECT_EQ(fl[index("accumulator_registers")], 16);
  EXPECT_EQ(fs[index("accumulator_registers")], 4);
  // Smaller register tiles reload more bytes per flop.
  EXPECT_GT(fl[index("intensity_vector_level")],
            fs[index("intensity_vector_level")]);
  EXPECT_GT(fl[index("working_set_cache_over_l2")],
            fs[index("working_set_cache_over_l2")]);
  EXPECT_EQ(fl[index("hw_cores")], 2);
  EXPECT_EQ(fl[index("core_utilization")], 1);
}

TEST(Features, RooflineScalesWithCores) {
  HardwareProfile one, four;
  one.cores = 1;
  four.cores = 4;
  Workload w = makeMatmul(256, 256, 256);
  TileSizes t = enumerateCandidates(w, 16).front();
  EXPECT_GT(estimateRooflineMicros(w, t, one),
            estimateRooflineMicros(w, t, four));
}

TEST(HardwareProfile, JSONRoundTripAndProbe) {
  HardwareProfile p = HardwareProfile::probeHost();
  EXPECT_GT(p.cores, 0);
  EXPECT_GT(p.l1Bytes, 0);
  std::optional<HardwareProfile> back = HardwareProfile::fromJSON(p.toJSON());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->machineId(), p.machineId());
  EXPECT_EQ(back->vectorWidth, p.vectorWidth);
  std::string error;
  EXPECT_FALSE(HardwareProfile::fromJSON("{\"cores\": 0}", &error));
  EXPECT_FALSE(HardwareProfile::load("/nonexistent/profile.json", &error));
  EXPECT_NE(error.find("cannot read"), std::string::npos);
}

// Register tiles that do not divide the parallel tile pad work.
TEST(Features, PaddedWork) {
  HardwareProfile hw;
  Workload w = makeMatmul(128, 512, 1024);
  TileSizes large;
  large.parallel = {128, 256, 0};
  large.reduction = {0, 0, 0};
  large.vector = {8, 32, 1};
  std::vector<float> fl = computeFeatures(w, large, hw);
  TileSizes odd = large;
  odd.vector = {6, 32, 1}; // 128 rows in tiles of 6: 22 tiles, 132 rows
  std::vector<float> fo = computeFeatures(w, odd, hw);
  EXPECT_NEAR(fo[index("padded_work_register")], 132.0 / 128 - 1, 1e-6);
  EXPECT_EQ(fl[index("padded_work_register")], 0);
  EXPECT_FLOAT_EQ(fl[index("log2_tiles_n")], 1); // 512 / 256
}
