//===- DTypeTest.cpp - Tests of the element type table --------------------===//

#include "runtime/DType.h"
#include "runtime/Float16.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace tessera::runtime;

namespace {

TEST(DType, NamesSizesOnnxAndNumpy) {
  struct Row {
    DType dtype;
    const char *name;
    size_t size;
    int onnx;
    const char *descr;
  };
  const Row rows[] = {
      {DType::Float32, "float32", 4, 1, "<f4"},
      {DType::Float64, "float64", 8, 11, "<f8"},
      {DType::Float16, "float16", 2, 10, "<f2"},
      {DType::Int8, "int8", 1, 3, "|i1"},
      {DType::Int16, "int16", 2, 5, "<i2"},
      {DType::Int32, "int32", 4, 6, "<i4"},
      {DType::Int64, "int64", 8, 7, "<i8"},
      {DType::UInt8, "uint8", 1, 2, "|u1"},
      {DType::UInt16, "uint16", 2, 4, "<u2"},
      {DType::UInt32, "uint32", 4, 12, "<u4"},
      {DType::UInt64, "uint64", 8, 13, "<u8"},
      {DType::Bool, "bool", 1, 9, "|b1"},
  };
  for (const Row &row : rows) {
    EXPECT_EQ(dtypeName(row.dtype), row.name);
    EXPECT_EQ(dtypeSize(row.dtype), row.size);
    EXPECT_EQ(dtypeToOnnx(row.dtype), row.onnx);
    EXPECT_EQ(dtypeNpyDescr(row.dtype), row.descr);
    EXPECT_EQ(parseDTypeName(row.name), row.dtype);
    EXPECT_EQ(dtypeFromOnnx(row.onnx), row.dtype);
    EXPECT_EQ(dtypeFromNpyDescr(row.descr), row.dtype);
    EXPECT_STREQ(tessera_dtype_name(static_cast<tessera_dtype>(row.onnx)),
                 row.name);
    EXPECT_EQ(tessera_dtype_size(static_cast<tessera_dtype>(row.onnx)),
              row.size);
  }
}

TEST(DType, RejectsUnknown) {
  EXPECT_FALSE(parseDTypeName("complex64"));
  EXPECT_FALSE(dtypeFromOnnx(8));  // STRING
  EXPECT_FALSE(dtypeFromOnnx(16)); // BFLOAT16
  EXPECT_FALSE(dtypeFromNpyDescr(">f4"));
  EXPECT_FALSE(dtypeFromNpyDescr("<c8"));
  EXPECT_FALSE(dtypeFromNpyDescr("<U3"));
  EXPECT_EQ(dtypeFromNpyDescr("|b1"), DType::Bool);
  EXPECT_EQ(dtypeFromNpyDescr("=f4"), DType::Float32);
  EXPECT_STREQ(tessera_dtype_name(TESSERA_DTYPE_INVALID), "invalid");
  EXPECT_EQ(tessera_dtype_size(TESSERA_DTYPE_INVALID), 0u);
}

TEST(Float16, RoundTripsExactValues) {
  for (float value :
       {0.0f, -0.0f, 1.0f, -2.5f, 65504.0f, 0.099975586f,
        6.1035156e-05f /*min normal*/, 5.9604645e-08f /*min subnormal*/}) {
    EXPECT_EQ(halfToFloat(floatToHalf(value)), value) << value;
  }
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(1e6f), 0x7c00);               // Overflow to +inf.
  EXPECT_EQ(floatToHalf(1.0f + 1.0f / 4096), 0x3c00); // Ties to even.
  EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(NAN))));
  EXPECT_TRUE(std::isinf(halfToFloat(0x7c00)));
}

} // namespace
