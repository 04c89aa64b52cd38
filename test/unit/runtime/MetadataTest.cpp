//===- MetadataTest.cpp - Tests of the artifact metadata parser -----------===//

#include "runtime/Metadata.h"

#include <gtest/gtest.h>

using namespace tessera::runtime;

namespace {

/// Parses `text`, expecting failure, and returns the message.
std::string parseError(const std::string &text) {
  ArtifactMetadata metadata;
  Status status = parseMetadata(text, metadata);
  EXPECT_FALSE(status.ok()) << "parsed unexpectedly: " << text;
  return status.message();
}

TEST(Metadata, ParsesGoodText) {
  ArtifactMetadata metadata;
  Status status = parseMetadata("tessera-artifact 1\n"
                                "target cpu skylake-avx512 +avx2,+fma\n"
                                "input x float32 1x3x224x224\n"
                                "input mask bool 7\n"
                                "output y float16 1x1000\n",
                                metadata);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(metadata.version, 1);
  EXPECT_EQ(metadata.target.device, "cpu");
  EXPECT_EQ(metadata.target.cpu, "skylake-avx512");
  EXPECT_EQ(metadata.target.features, "+avx2,+fma");
  ASSERT_EQ(metadata.inputs.size(), 2u);
  ASSERT_EQ(metadata.outputs.size(), 1u);
  EXPECT_EQ(metadata.inputs[0].name, "x");
  EXPECT_EQ(metadata.inputs[0].dtype, DType::Float32);
  EXPECT_EQ(metadata.inputs[0].shape, (std::vector<int64_t>{1, 3, 224, 224}));
  EXPECT_EQ(metadata.inputs[0].numElements, 3 * 224 * 224);
  EXPECT_EQ(metadata.inputs[0].sizeInBytes(), 3u * 224 * 224 * 4);
  EXPECT_EQ(metadata.inputs[1].dtype, DType::Bool);
  EXPECT_EQ(metadata.inputs[1].shape, (std::vector<int64_t>{7}));
  EXPECT_EQ(metadata.outputs[0].name, "y");
  EXPECT_EQ(metadata.outputs[0].dtype, DType::Float16);
  EXPECT_EQ(metadata.outputs[0].sizeInBytes(), 2000u);
}

TEST(Metadata, ToleratesBlankLinesCrlfAndMissingFeatures) {
  ArtifactMetadata metadata;
  Status status = parseMetadata("\r\ntessera-artifact 1\r\n\r\n"
                                "target cpu generic\r\n"
                                "output y int64 2\r\n",
                                metadata);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(metadata.target.cpu, "generic");
  EXPECT_EQ(metadata.target.features, "");
  EXPECT_TRUE(metadata.inputs.empty());
  EXPECT_EQ(metadata.outputs[0].dtype, DType::Int64);

  // tessera-compile writes "-" for an empty feature list.
  ASSERT_TRUE(
      parseMetadata("tessera-artifact 1\ntarget cpu znver4 -\n", metadata)
          .ok());
  EXPECT_EQ(metadata.target.cpu, "znver4");
  EXPECT_EQ(metadata.target.features, "");
}

TEST(Metadata, Scalar) {
  ArtifactMetadata metadata;
  ASSERT_TRUE(parseMetadata("tessera-artifact 1\ninput s float64 scalar\n"
                            "output z uint8 0x4\n",
                            metadata)
                  .ok());
  EXPECT_TRUE(metadata.inputs[0].shape.empty());
  EXPECT_EQ(metadata.inputs[0].numElements, 1);
  EXPECT_EQ(metadata.inputs[0].sizeInBytes(), 8u);
  EXPECT_EQ(metadata.outputs[0].numElements, 0);
}

TEST(Metadata, PercentDecodesNames) {
  ArtifactMetadata metadata;
  Status status = parseMetadata("tessera-artifact 1\n"
                                "input input%20image%3A0 float32 1\n"
                                "output out/put%25.1-x:y float32 1\n",
                                metadata);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(metadata.inputs[0].name, "input image:0");
  EXPECT_EQ(metadata.outputs[0].name, "out/put%.1-x:y");

  std::string decoded;
  EXPECT_TRUE(percentDecode("%e2%82%AC", decoded).ok());
  EXPECT_EQ(decoded, "\xe2\x82\xac");
  EXPECT_FALSE(percentDecode("a%2", decoded).ok());
  EXPECT_FALSE(percentDecode("a%G0", decoded).ok());
  EXPECT_EQ(percentEncode("input image:0/x%"), "input%20image:0/x%25");
  ASSERT_TRUE(percentDecode(percentEncode("a b\tc=é"), decoded).ok());
  EXPECT_EQ(decoded, "a b\tc=é");
}

TEST(Metadata, RejectsBadMagic) {
  std::string message = parseError("tessera-model 1\ninput x float32 1\n");
  EXPECT_NE(message.find("bad magic"), std::string::npos) << message;
  EXPECT_NE(message.find("line 1"), std::string::npos) << message;
  EXPECT_NE(parseError("").find("empty"), std::string::npos);
}

TEST(Metadata, RejectsBadVersion) {
  std::string message = parseError("tessera-artifact 2\n");
  EXPECT_NE(message.find("version 2 is not supported"), std::string::npos)
      << message;
  EXPECT_NE(parseError("tessera-artifact one\n").find("tessera-artifact <"),
            std::string::npos);
  EXPECT_FALSE(parseError("tessera-artifact\n").empty());
}

TEST(Metadata, RejectsMalformedRecords) {
  const std::string header = "tessera-artifact 1\n";
  EXPECT_NE(parseError(header + "input x complex64 1\n").find("unknown dtype"),
            std::string::npos);
  EXPECT_NE(parseError(header + "input x float32 2x-3\n").find("invalid dims"),
            std::string::npos);
  EXPECT_NE(parseError(header + "input x float32 2xx3\n").find("invalid dims"),
            std::string::npos);
  EXPECT_NE(parseError(header + "input x float32 ?x3\n").find("invalid dims"),
            std::string::npos);
  EXPECT_NE(parseError(header + "input x float32\n").find("expected"),
            std::string::npos);
  EXPECT_NE(parseError(header + "input x%zz float32 1\n").find("percent"),
            std::string::npos);
  std::string message =
      parseError(header + "input x float32 1\ninput x float32 2\n");
  EXPECT_NE(message.find("duplicate input name 'x'"), std::string::npos);
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  EXPECT_NE(parseError(header + "weights w.bin\n").find("unknown record"),
            std::string::npos);
  EXPECT_NE(parseError(header + "target cpu a b c d\n").find("target"),
            std::string::npos);
  EXPECT_NE(parseError(header + "input x float32 "
                                "1000000000x1000000000x1000000000\n")
                .find("too large"),
            std::string::npos);
}

} // namespace
