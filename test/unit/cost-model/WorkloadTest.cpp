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

TEST(Candidates, OddSizesStillHaveCandidates) {
  // The im2col form of a 7x7 output: 49 rows.
  Workload w = makeMatmul(49, 512, 4608);
  std::vector<TileSizes> candidates = enumerateCandidates(w, 16);
  ASSERT_FALSE(candidates.empty());
  EXPECT_EQ(candidates.front().parallel[0], 49);
}

TEST(Candidates, ElementwiseIncludesNoTiling) {
  std::vector<TileSizes> candidates =
      enumerateCandidates(makeElementwise(64, 56), 16);
  ASSERT_GT(candidates.size(), 3u);
  EXPECT_TRUE(candidates.front().empty());
  for (size_t i = 1; i < candidates.size(); ++i)
    EXPECT_EQ(64 % candidates[i].parallel[1], 0);
}
