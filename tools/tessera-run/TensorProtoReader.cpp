//===- TensorProtoReader.cpp - Read ONNX TensorProto files ----------------===//
//
// Parses the file with libonnx_proto's generated classes and copies the
// payload (raw_data or a typed repeated field) into aligned memory.
//
//===----------------------------------------------------------------------===//

#include "TensorProtoReader.h"

#include <onnx/onnx_pb.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

using namespace tessera::runtime;

namespace tessera::tools {

/// Copies `count` values of a repeated field into `out`, converting each to
/// the element type T.
template <typename T, typename Field>
static void copyField(const Field &field, void *out) {
  T *dest = static_cast<T *>(out);
  for (int i = 0; i < field.size(); ++i)
    dest[i] = static_cast<T>(field.Get(i));
}

Status readTensorProtoFile(const std::string &path, HostTensor &tensor) {
  auto error = [&](const std::string &message) {
    return Status::error(path + ": " + message);
  };
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return Status::error("cannot open '" + path + "': " + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(file)),
                    std::istreambuf_iterator<char>());
  onnx::TensorProto proto;
  if (bytes.empty() || !proto.ParseFromString(bytes))
    return error("not a valid ONNX TensorProto file (corrupted or empty)");
  if (!proto.has_data_type())
    return error("TensorProto has no data_type (not a tensor file?)");
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    return error("TensorProto with external data is not supported");
  std::optional<DType> dtype = dtypeFromOnnx(proto.data_type());
  if (!dtype)
    return error("unsupported TensorProto data_type " +
                 std::to_string(proto.data_type()));

  std::vector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  int64_t numElements;
  if (!computeNumElements(shape, dtypeSize(*dtype), numElements))
    return error("invalid dims (negative or too large)");
  tensor.dtype = *dtype;
  tensor.shape = std::move(shape);
  size_t size = tensor.sizeInBytes();
  if (!tensor.allocate())
    return error("out of memory");

  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != size)
      return error("raw_data has " + std::to_string(proto.raw_data().size()) +
                   " bytes, expected " + std::to_string(size) + " for " +
                   std::string(dtypeName(*dtype)) + " " +
                   formatShape(tensor.shape));
    if (size)
      std::memcpy(tensor.data(), proto.raw_data().data(), size);
    return Status::success();
  }

  // Typed storage: which repeated field holds which element type is fixed by
  // onnx.proto.
  int count = 0;
  void *out = tensor.data();
  switch (*dtype) {
  case DType::Float32:
    count = proto.float_data_size();
    if (count == numElements)
      copyField<float>(proto.float_data(), out);
    break;
  case DType::Float64:
    count = proto.double_data_size();
    if (count == numElements)
      copyField<double>(proto.double_data(), out);
    break;
  case DType::Int64:
    count = proto.int64_data_size();
    if (count == numElements)
      copyField<int64_t>(proto.int64_data(), out);
    break;
  case DType::UInt32:
    count = proto.uint64_data_size();
    if (count == numElements)
      copyField<uint32_t>(proto.uint64_data(), out);
    break;
  case DType::UInt64:
    count = proto.uint64_data_size();
    if (count == numElements)
      copyField<uint64_t>(proto.uint64_data(), out);
    break;
  case DType::Int32:
    count = proto.int32_data_size();
    if (count == numElements)
      copyField<int32_t>(proto.int32_data(), out);
    break;
  case DType::Int16:
    count = proto.int32_data_size();
    if (count == numElements)
      copyField<int16_t>(proto.int32_data(), out);
    break;
  case DType::Int8:
    count = proto.int32_data_size();
    if (count == numElements)
      copyField<int8_t>(proto.int32_data(), out);
    break;
  case DType::UInt16:
  case DType::Float16: // The IEEE half bits, stored as integers.
    count = proto.int32_data_size();
    if (count == numElements)
      copyField<uint16_t>(proto.int32_data(), out);
    break;
  case DType::UInt8:
    count = proto.int32_data_size();
    if (count == numElements)
      copyField<uint8_t>(proto.int32_data(), out);
    break;
  case DType::Bool:
    count = proto.int32_data_size();
    if (count == numElements)
      for (int i = 0; i < count; ++i)
        static_cast<uint8_t *>(out)[i] = proto.int32_data(i) != 0;
    break;
  }
  if (count != numElements)
    return error("TensorProto holds " + std::to_string(count) +
                 " values, expected " + std::to_string(numElements) + " for " +
                 std::string(dtypeName(*dtype)) + " " +
                 formatShape(tensor.shape));
  return Status::success();
}

} // namespace tessera::tools
