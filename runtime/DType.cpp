//===- DType.cpp - Element types of runtime tensors -----------------------===//
//
// One table describes every supported element type; all conversions read it.
//
//===----------------------------------------------------------------------===//

#include "runtime/DType.h"

namespace tessera::runtime {

namespace {
/// One row of the element type table.
struct DTypeInfo {
  DType dtype;
  size_t size;
  std::string_view name;
  std::string_view npyDescr;
};
} // namespace

static constexpr DTypeInfo kDTypes[] = {
    {DType::Float32, 4, "float32", "<f4"},
    {DType::Float64, 8, "float64", "<f8"},
    {DType::Float16, 2, "float16", "<f2"},
    {DType::Int8, 1, "int8", "|i1"},
    {DType::Int16, 2, "int16", "<i2"},
    {DType::Int32, 4, "int32", "<i4"},
    {DType::Int64, 8, "int64", "<i8"},
    {DType::UInt8, 1, "uint8", "|u1"},
    {DType::UInt16, 2, "uint16", "<u2"},
    {DType::UInt32, 4, "uint32", "<u4"},
    {DType::UInt64, 8, "uint64", "<u8"},
    {DType::Bool, 1, "bool", "|b1"},
};

static const DTypeInfo *lookup(DType dtype) {
  for (const DTypeInfo &info : kDTypes)
    if (info.dtype == dtype)
      return &info;
  return nullptr;
}

size_t dtypeSize(DType dtype) {
  const DTypeInfo *info = lookup(dtype);
  return info ? info->size : 0;
}

std::string_view dtypeName(DType dtype) {
  const DTypeInfo *info = lookup(dtype);
  return info ? info->name : std::string_view("invalid");
}

std::optional<DType> parseDTypeName(std::string_view name) {
  for (const DTypeInfo &info : kDTypes)
    if (info.name == name)
      return info.dtype;
  return std::nullopt;
}

std::optional<DType> dtypeFromOnnx(int32_t onnxType) {
  for (const DTypeInfo &info : kDTypes)
    if (static_cast<int32_t>(info.dtype) == onnxType)
      return info.dtype;
  return std::nullopt;
}

std::string_view dtypeNpyDescr(DType dtype) {
  const DTypeInfo *info = lookup(dtype);
  return info ? info->npyDescr : std::string_view();
}

std::optional<DType> dtypeFromNpyDescr(std::string_view descr) {
  if (descr.size() < 2)
    return std::nullopt;
  char order = descr[0];
  std::string_view kind = descr.substr(1);
  if (kind == "?")
    kind = "b1";
  for (const DTypeInfo &info : kDTypes) {
    if (info.npyDescr.substr(1) != kind)
      continue;
    // Multi-byte types must be little-endian (this runtime only runs on
    // little-endian hosts); byte order is meaningless for one-byte types.
    if (order == '<' || order == '=' || order == '|' ||
        (order == '>' && info.size == 1))
      return info.dtype;
    return std::nullopt;
  }
  return std::nullopt;
}

bool isFloatingPoint(DType dtype) {
  return dtype == DType::Float16 || dtype == DType::Float32 ||
         dtype == DType::Float64;
}

} // namespace tessera::runtime
