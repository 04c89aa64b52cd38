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

// The overflow of the vector registers comes from the profile: an 8 x 2
// register tile of 8 lanes (16 accumulators, 2 B vectors and a broadcast)
// fits AVX-512's 32 registers and overflows AVX2's 16 by 3.
TEST(Features, RegisterOverflowFollowsTheTarget) {
  HardwareProfile avx512, avx2;
  avx2.vectorWidth = avx512.vectorWidth = 8;
  avx2.vectorRegisters = 16;
  Workload w = makeMatmul(128, 512, 1024);
  TileSizes t;
  t.parallel = {64, 64, 0};
  t.reduction = {0, 0, 0};
  t.vector = {8, 16, 1};
  EXPECT_EQ(computeFeatures(w, t, avx512)[index("register_overflow")], 0);
  EXPECT_EQ(computeFeatures(w, t, avx2)[index("register_overflow")], 3);
  std::optional<HardwareProfile> old =
      HardwareProfile::fromJSON("{\"vector_width\": 8}");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->vectorRegisters, 16);
  std::optional<HardwareProfile> back =
      HardwareProfile::fromJSON(avx2.toJSON());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->vectorRegisters, 16);
}

// A strided depthwise convolution's windows move twice the input bytes of
// an unstrided one over the same output; the output's bytes are the same.
TEST(Features, DepthwiseStrideMovesMoreInput) {
  HardwareProfile hw;
  TileSizes t;
  t.parallel = {1, 12, 0, 0};
  t.reduction = {0, 0, 0, 0};
  t.vector = {1, 1, 1, 16};
  std::vector<float> f1 = computeFeatures(makeDepthwise(96, 56, 1), t, hw);
  std::vector<float> f2 = computeFeatures(makeDepthwise(96, 56, 2), t, hw);
  EXPECT_GT(f2[index("log2_bytes_operands")], f1[index("log2_bytes_operands")]);
  EXPECT_GT(f2[index("log2_bytes_vector_level")],
            f1[index("log2_bytes_vector_level")]);
  EXPECT_LT(f2[index("intensity_parallel_level")],
            f1[index("intensity_parallel_level")]);
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
