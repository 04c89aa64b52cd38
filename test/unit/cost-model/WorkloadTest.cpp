//===- WorkloadTest.cpp - Workloads, tile sizes, candidates ---------------===//

#include "TestWorkloads.h"

#include <gtest/gtest.h>

using namespace tessera::costmodel;
using namespace tessera::costmodel::test;

TEST(Workload, JSONRoundTrip) {
  Workload w = makeMatmul(64, 256, 512);
  std::optional<Workload> back = Workload::fromJSON(w.toJSON());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->key(), w.key());
  EXPECT_EQ(back->loopSizes, w.loopSizes);
  EXPECT_EQ(back->operandLoops, w.operandLoops);
  EXPECT_DOUBLE_EQ(w.flops(), 2.0 * 64 * 256 * 512);
}

TEST(Workload, BadJSONIsAnError) {
  std::string error;
  EXPECT_FALSE(Workload::fromJSON("{\"op_class\": \"conv\"}", &error));
  EXPECT_NE(error.find("op_class"), std::string::npos);
  EXPECT_FALSE(Workload::fromJSON("not json", &error));
  EXPECT_FALSE(Workload::fromJSON(
      R"({"op_class":"contraction","loops":[4],"reduction":[false],"operands":[[3]]})",
      &error));
}

TEST(Workload, KeysDifferByShape) {
  EXPECT_NE(makeMatmul(64, 256, 512).key(), makeMatmul(64, 256, 256).key());
}

// A stride-2 depthwise convolution has the loops of a stride-1 one over the
// same output; the stride keeps them apart, and a stride of 1 leaves the key
// (and so older databases' keys) as it was.
TEST(Workload, DepthwiseStrideIsInTheKey) {
  Workload s1 = makeDepthwise(96, 56, 1), s2 = makeDepthwise(96, 56, 2);
  EXPECT_NE(s1.key(), s2.key());
  EXPECT_EQ(s1.key().find(":s"), std::string::npos);
  EXPECT_EQ(s1.toJSON().find("input_stride"), std::string::npos);
  std::optional<Workload> back = Workload::fromJSON(s2.toJSON());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->inputStride, 2);
  EXPECT_EQ(back->key(), s2.key());
  // JSON written before the field reads as stride 1.
  std::optional<Workload> old = Workload::fromJSON(s1.toJSON());
  ASSERT_TRUE(old);
  EXPECT_EQ(old->inputStride, 1);
  std::string error;
  std::string bad = s2.toJSON();
  bad.replace(bad.find("\"input_stride\":2"), 16, "\"input_stride\":0");
  EXPECT_FALSE(Workload::fromJSON(bad, &error));
}

TEST(TileSizes, TextRoundTrip) {
  TileSizes t;
  t.parallel = {64, 256, 0};
  t.reduction = {0, 0, 256};
  t.vector = {8, 32, 1};
  t.order = {1, 0, 2};
  EXPECT_EQ(t.toString(), "p=64,256,0;r=0,0,256;v=8,32,1;o=1,0,2");
  std::optional<TileSizes> back = TileSizes::parse(t.toString());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, t);
  std::optional<TileSizes> none = TileSizes::parse("none");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(TileSizes::parse("p=1,2;r=0;v=1,1"));
  EXPECT_FALSE(TileSizes::parse("x=1"));
  EXPECT_FALSE(TileSizes::parse("p=-1;r=0;v=1"));
}

TEST(Candidates, ContractionTilesDivideTheLoops) {
  Workload w = makeMatmul(128, 512, 1024);
  std::vector<TileSizes> candidates = enumerateCandidates(w, 16);
  ASSERT_GT(candidates.size(), 50u);
  for (const TileSizes &t : candidates) {
    ASSERT_EQ(t.parallel.size(), 3u);
    EXPECT_EQ(128 % t.parallel[0], 0);
    EXPECT_EQ(512 % t.parallel[1], 0);
    EXPECT_EQ(t.parallel[0] % t.vector[0], 0);
    EXPECT_EQ(t.vector[2], 1);
    EXPECT_TRUE(t.reduction[2] == 0 || 1024 % t.reduction[2] == 0);
    EXPECT_EQ(t.order.size(), 3u);
  }
  // Deterministic.
  EXPECT_EQ(candidates.size(), enumerateCandidates(w, 16).size());
}

// With AVX2's 16 registers (8 lanes): no 8-row x 2-vector register tile
// (16 accumulators spill), and 6-row tiles, which need not divide the
// parallel tile (the remainder is peeled). With 32 registers the space is
// the AVX-512 one: 4 and 8 rows that divide.
TEST(Candidates, RegisterTilesFitTheRegisters) {
  Workload w = makeMatmul(128, 512, 1024);
  bool sixRows = false;
  for (const TileSizes &t : enumerateCandidates(w, 8, 16)) {
    int64_t vectors = (t.vector[1] + 7) / 8;
    EXPECT_LE(t.vector[0] * vectors + vectors + 1, 16) << t.toString();
    sixRows |= t.vector[0] == 6;
  }
  EXPECT_TRUE(sixRows);
  EXPECT_EQ(enumerateCandidates(w, 8).size(),
            enumerateCandidates(w, 8, 16).size());
  for (const TileSizes &t : enumerateCandidates(w, 16, 32)) {
    EXPECT_TRUE(t.vector[0] == 4 || t.vector[0] == 8) << t.toString();
    EXPECT_EQ(t.parallel[0] % t.vector[0], 0);
  }
}

// The reduction loop's register tile: 4 k steps per micro-kernel iteration
// with 16 registers (AVX2), 1 with 32, and 1 where the loop is shorter.
TEST(Candidates, ReductionRegisterTileFollowsTheRegisters) {
  EXPECT_TRUE(hasFewVectorRegisters(16));
  EXPECT_FALSE(hasFewVectorRegisters(32));
  EXPECT_EQ(reductionRegisterTile(16, 576), 4);
  EXPECT_EQ(reductionRegisterTile(16, 3), 1);
  EXPECT_EQ(reductionRegisterTile(32, 576), 1);
  Workload w = makeMatmul(128, 512, 1024);
  for (const TileSizes &t : enumerateCandidates(w, 8, 16))
    EXPECT_EQ(t.vector[2], 4) << t.toString();
  EXPECT_EQ(registerOverflow(8, 2, 16), 3);
  EXPECT_EQ(registerOverflow(6, 2, 16), 0);
}

TEST(Candidates, OddSizesStillHaveCandidates) {
  // The im2col form of a 7x7 output: 49 rows.
  Workload w = makeMatmul(49, 512, 4608);
  std::vector<TileSizes> candidates = enumerateCandidates(w, 16);
  ASSERT_FALSE(candidates.empty());
  EXPECT_EQ(candidates.front().parallel[0], 49);
  EXPECT_FALSE(enumerateCandidates(w, 8, 16).empty());
}

TEST(Candidates, ElementwiseIncludesNoTiling) {
  std::vector<TileSizes> candidates =
      enumerateCandidates(makeElementwise(64, 56), 16);
  ASSERT_GT(candidates.size(), 3u);
  EXPECT_TRUE(candidates.front().empty());
  for (size_t i = 1; i < candidates.size(); ++i)
    EXPECT_EQ(64 % candidates[i].parallel[1], 0);
}
