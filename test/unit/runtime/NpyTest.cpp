//===- NpyTest.cpp - Tests of the .npy reader and writer ------------------===//

#include "runtime/Npy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

using namespace tessera::runtime;

namespace {

/// Builds a .npy image by hand: version, header dict text and raw data.
std::string makeNpy(int major, const std::string &dict,
                    const std::string &data) {
  std::string header = dict + "\n";
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(major);
  out += '\0';
  size_t size = header.size();
  int lengthBytes = major == 1 ? 2 : 4;
  for (int i = 0; i < lengthBytes; ++i)
    out += static_cast<char>((size >> (8 * i)) & 0xff);
  return out + header + data;
}

std::string floatBytes(std::initializer_list<float> values) {
  std::string bytes(values.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), values.begin(), bytes.size());
  return bytes;
}

/// Parses `bytes`, expecting failure, and returns the message.
std::string parseError(const std::string &bytes) {
  HostTensor tensor;
  Status status = parseNpy(bytes, "test.npy", tensor);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.message().rfind("test.npy: ", 0), 0u) << status.message();
  return status.message();
}

TEST(Npy, RoundTripsEveryDType) {
  const DType dtypes[] = {DType::Float32, DType::Float64, DType::Float16,
                          DType::Int8,    DType::Int16,   DType::Int32,
                          DType::Int64,   DType::UInt8,   DType::UInt16,
                          DType::UInt32,  DType::UInt64,  DType::Bool};
  const std::vector<int64_t> shapes[] = {{2, 3}, {}, {5}, {0, 4}, {2, 1, 3}};
  for (DType dtype : dtypes) {
    for (const std::vector<int64_t> &shape : shapes) {
      HostTensor source;
      source.dtype = dtype;
      source.shape = shape;
      ASSERT_TRUE(source.allocate());
      auto *bytes = static_cast<unsigned char *>(source.data());
      for (size_t i = 0; i < source.sizeInBytes(); ++i)
        bytes[i] = dtype == DType::Bool ? (i % 2)
                                        : static_cast<unsigned char>(i * 7 + 1);

      std::string image = serializeNpy(dtype, shape, source.data());
      // numpy's layout: data starts at a multiple of 64.
      EXPECT_EQ((image.size() - source.sizeInBytes()) % 64, 0u);
      EXPECT_EQ(image[image.size() - source.sizeInBytes() - 1], '\n');

      HostTensor parsed;
      Status status = parseNpy(image, "image", parsed);
      ASSERT_TRUE(status.ok()) << status.message();
      EXPECT_EQ(parsed.dtype, dtype);
      EXPECT_EQ(parsed.shape, shape);
      ASSERT_EQ(parsed.sizeInBytes(), source.sizeInBytes());
      EXPECT_TRUE(isAligned(parsed.data()));
      EXPECT_EQ(std::memcmp(parsed.data(), source.data(), source.sizeInBytes()),
                0)
          << dtypeName(dtype) << " " << formatShape(shape);
    }
  }
}

TEST(Npy, WritesNumpyStyleHeader) {
  float value = 1.5f;
  std::string image = serializeNpy(DType::Float32, {}, &value);
  EXPECT_NE(
      image.find("{'descr': '<f4', 'fortran_order': False, 'shape': (), }"),
      std::string::npos);
  std::vector<float> values(3);
  image = serializeNpy(DType::Float32, {3}, values.data());
  EXPECT_NE(image.find("'shape': (3,)"), std::string::npos);
  EXPECT_EQ(image[6], 1); // Version 1.0.
}

TEST(Npy, FileRoundTrip) {
  std::string path = std::string(TEST_TMP_DIR) + "/npy_file_round_trip.npy";
  std::vector<int64_t> values = {1, -2, 3, 1LL << 40};
  ASSERT_TRUE(writeNpyFile(path, DType::Int64, {2, 2}, values.data()).ok());
  HostTensor tensor;
  Status status = readNpyFile(path, tensor);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(tensor.dtype, DType::Int64);
  EXPECT_EQ(tensor.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(std::memcmp(tensor.data(), values.data(), 32), 0);
}

TEST(Npy, ReadsVersions2And3AndVariants) {
  std::string data = floatBytes({1, 2, 3, 4, 5, 6});
  for (int major : {1, 2, 3}) {
    HostTensor tensor;
    Status status = parseNpy(
        makeNpy(major,
                "{\"shape\": (2,3), 'descr':'<f4' , 'fortran_order':False}",
                data),
        "test.npy", tensor);
    ASSERT_TRUE(status.ok()) << "v" << major << ": " << status.message();
    EXPECT_EQ(tensor.shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(static_cast<float *>(tensor.data())[5], 6.0f);
  }
  HostTensor tensor;
  ASSERT_TRUE(parseNpy(makeNpy(1,
                               "{'descr': '|b1', 'fortran_order': False, "
                               "'shape': (2L,), }",
                               std::string("\1\0", 2)),
                       "test.npy", tensor)
                  .ok());
  EXPECT_EQ(tensor.dtype, DType::Bool);
}

TEST(Npy, RejectsBadFiles) {
  const std::string goodDict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  std::string data = floatBytes({1, 2});
  EXPECT_NE(parseError("hello world, not numpy").find("bad magic"),
            std::string::npos);
  EXPECT_NE(parseError(std::string("\x93NUMPY", 6)).find("bad magic"),
            std::string::npos);
  EXPECT_NE(parseError(makeNpy(4, goodDict, data)).find("version 4.0"),
            std::string::npos);
  EXPECT_NE(parseError(makeNpy(1, goodDict, data.substr(0, 5)))
                .find("data size mismatch"),
            std::string::npos);
  EXPECT_NE(parseError(makeNpy(1, goodDict, data + "x")).find("mismatch"),
            std::string::npos);
  std::string truncatedHeader = makeNpy(1, goodDict, "").substr(0, 20);
  EXPECT_NE(parseError(truncatedHeader).find("truncated"), std::string::npos);
  EXPECT_NE(parseError(makeNpy(1,
                               "{'descr': '<f4', 'fortran_order': True, "
                               "'shape': (2,), }",
                               data))
                .find("Fortran"),
            std::string::npos);
  EXPECT_NE(parseError(makeNpy(1,
                               "{'descr': '>f4', 'fortran_order': False, "
                               "'shape': (2,), }",
                               data))
                .find("unsupported .npy dtype '>f4'"),
            std::string::npos);
  EXPECT_NE(parseError(makeNpy(1,
                               "{'descr': [('x', '<f4')], 'fortran_order': "
                               "False, 'shape': (2,), }",
                               data))
                .find("structured"),
            std::string::npos);
  EXPECT_NE(parseError(makeNpy(1, "{'descr': '<f4', 'shape': (2,)}", data))
                .find("lacks"),
            std::string::npos);
  EXPECT_NE(parseError(makeNpy(1,
                               "{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (-2,), }",
                               data))
                .find("shape"),
            std::string::npos);
  EXPECT_NE(parseError(makeNpy(1, "garbage", data)).find("invalid .npy header"),
            std::string::npos);
}

TEST(Npy, MissingFile) {
  HostTensor tensor;
  Status status = readNpyFile("/nonexistent/dir/x.npy", tensor);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("cannot open '/nonexistent/dir/x.npy'"),
            std::string::npos)
      << status.message();
}

} // namespace
