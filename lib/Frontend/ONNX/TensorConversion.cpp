//===- TensorConversion.cpp - ONNX tensors and types to MLIR --------------===//
//
// Element type mapping, value type conversion and TensorProto payload
// decoding (raw_data and the typed repeated fields) into ElementsAttr.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/TensorConversion.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include <cstring>

using namespace mlir;

namespace tessera::onnx {

using TP = ::onnx::TensorProto;

Type convertElementType(int32_t onnxType, MLIRContext *ctx) {
  Builder b(ctx);
  switch (onnxType) {
  case TP::FLOAT:
    return b.getF32Type();
  case TP::DOUBLE:
    return b.getF64Type();
  case TP::FLOAT16:
    return b.getF16Type();
  case TP::BFLOAT16:
    return b.getBF16Type();
  case TP::INT8:
    return b.getIntegerType(8);
  case TP::INT16:
    return b.getIntegerType(16);
  case TP::INT32:
    return b.getIntegerType(32);
  case TP::INT64:
    return b.getIntegerType(64);
  case TP::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case TP::UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case TP::UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case TP::UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  case TP::BOOL:
    return b.getI1Type();
  default:
    return nullptr;
  }
}

std::string onnxTypeName(int32_t onnxType) {
  switch (onnxType) {
  case TP::FLOAT:
    return "float32";
  case TP::DOUBLE:
    return "float64";
  case TP::FLOAT16:
    return "float16";
  case TP::BFLOAT16:
    return "bfloat16";
  case TP::INT8:
    return "int8";
  case TP::INT16:
    return "int16";
  case TP::INT32:
    return "int32";
  case TP::INT64:
    return "int64";
  case TP::UINT8:
    return "uint8";
  case TP::UINT16:
    return "uint16";
  case TP::UINT32:
    return "uint32";
  case TP::UINT64:
    return "uint64";
  case TP::BOOL:
    return "bool";
  case TP::STRING:
    return "string";
  case TP::COMPLEX64:
    return "complex64";
  case TP::COMPLEX128:
    return "complex128";
  default:
    return "data type " + std::to_string(onnxType);
  }
}

/// Bytes per element in the MLIR storage of a supported ONNX type.
static int64_t elementByteWidth(int32_t onnxType) {
  switch (onnxType) {
  case TP::DOUBLE:
  case TP::INT64:
  case TP::UINT64:
    return 8;
  case TP::FLOAT:
  case TP::INT32:
  case TP::UINT32:
    return 4;
  case TP::FLOAT16:
  case TP::BFLOAT16:
  case TP::INT16:
  case TP::UINT16:
    return 2;
  default:
    return 1;
  }
}

RankedTensorType convertTensorType(const ::onnx::TypeProto &type,
                                   llvm::StringRef what, Location loc) {
  if (!type.has_tensor_type()) {
    emitError(loc) << what << " is not a tensor (sequence, map, optional and "
                   << "sparse values are not supported)";
    return nullptr;
  }
  const auto &tensorType = type.tensor_type();
  Type elementType =
      convertElementType(tensorType.elem_type(), loc->getContext());
  if (!elementType) {
    emitError(loc) << what << " has unsupported element type "
                   << onnxTypeName(tensorType.elem_type());
    return nullptr;
  }
  if (!tensorType.has_shape()) {
    emitError(loc) << what << " has no shape (unknown rank); give one with "
                   << "--shape";
    return nullptr;
  }
  llvm::SmallVector<int64_t> shape;
  for (const auto &dim : tensorType.shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() >= 0)
      shape.push_back(dim.dim_value());
    else
      shape.push_back(ShapedType::kDynamic);
  }
  return RankedTensorType::get(shape, elementType);
}

std::string sanitizeBlobName(llvm::StringRef name) {
  std::string result;
  for (char c : name)
    result.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (result.empty() || llvm::isDigit(result.front()) || result.front() == '.')
    result.insert(result.begin(), '_');
  return result;
}

/// Appends `value` truncated to `width` bytes (little endian) to `bytes`.
static void appendLittleEndian(std::vector<char> &bytes, uint64_t value,
                               int64_t width) {
  for (int64_t i = 0; i < width; ++i)
    bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

ElementsAttr convertTensor(const ::onnx::TensorProto &tensor,
                           llvm::StringRef blobName, Location loc) {
  MLIRContext *ctx = loc->getContext();
  const std::string &name = tensor.name();
  if (tensor.data_location() == TP::EXTERNAL) {
    emitError(loc) << "tensor '" << name << "' has unresolved external data";
    return nullptr;
  }
  int32_t dataType = tensor.data_type();
  Type elementType = convertElementType(dataType, ctx);
  if (!elementType) {
    emitError(loc) << "tensor '" << name << "' has unsupported element type "
                   << onnxTypeName(dataType);
    return nullptr;
  }
  llvm::SmallVector<int64_t> shape;
  int64_t numElements = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0 || (dim > 0 && numElements > (int64_t(1) << 40) / dim)) {
      emitError(loc) << "tensor '" << name << "' has invalid dimension " << dim;
      return nullptr;
    }
    shape.push_back(dim);
    numElements *= dim;
  }
  auto type = RankedTensorType::get(shape, elementType);
  int64_t width = elementByteWidth(dataType);
  std::vector<char> bytes;

  auto sizeError = [&](int64_t got, llvm::StringRef unit) {
    emitError(loc) << "tensor '" << name << "' of type " << type << " has "
                   << got << " " << unit << " of data, expected "
                   << (unit == "bytes" ? numElements * width : numElements);
    return nullptr;
  };

  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (static_cast<int64_t>(raw.size()) != numElements * width)
      return sizeError(raw.size(), "bytes");
    bytes.assign(raw.begin(), raw.end());
    if (!llvm::sys::IsLittleEndianHost && width > 1) {
      for (int64_t i = 0; i < numElements; ++i)
        std::reverse(bytes.begin() + i * width,
                     bytes.begin() + (i + 1) * width);
    }
  } else {
    bytes.reserve(numElements * width);
    auto checkCount = [&](int64_t count) { return count == numElements; };
    switch (dataType) {
    case TP::FLOAT:
      if (!checkCount(tensor.float_data_size()))
        return sizeError(tensor.float_data_size(), "elements");
      for (float v : tensor.float_data()) {
        uint32_t bits;
        std::memcpy(&bits, &v, 4);
        appendLittleEndian(bytes, bits, 4);
      }
      break;
    case TP::DOUBLE:
      if (!checkCount(tensor.double_data_size()))
        return sizeError(tensor.double_data_size(), "elements");
      for (double v : tensor.double_data()) {
        uint64_t bits;
        std::memcpy(&bits, &v, 8);
        appendLittleEndian(bytes, bits, 8);
      }
      break;
    case TP::INT64:
      if (!checkCount(tensor.int64_data_size()))
        return sizeError(tensor.int64_data_size(), "elements");
      for (int64_t v : tensor.int64_data())
        appendLittleEndian(bytes, static_cast<uint64_t>(v), 8);
      break;
    case TP::UINT32:
    case TP::UINT64:
      if (!checkCount(tensor.uint64_data_size()))
        return sizeError(tensor.uint64_data_size(), "elements");
      for (uint64_t v : tensor.uint64_data())
        appendLittleEndian(bytes, v, width);
      break;
    default: // int32_data holds all narrower types (and float16 bits).
      if (!checkCount(tensor.int32_data_size()))
        return sizeError(tensor.int32_data_size(), "elements");
      for (int32_t v : tensor.int32_data())
        appendLittleEndian(bytes, static_cast<uint32_t>(v), width);
      break;
    }
    if (!llvm::sys::IsLittleEndianHost && width > 1) {
      for (int64_t i = 0; i < numElements; ++i)
        std::reverse(bytes.begin() + i * width,
                     bytes.begin() + (i + 1) * width);
    }
  }

  if (dataType == TP::BOOL) {
    // Normalize to 0/1 bytes.
    for (char &c : bytes)
      c = c != 0;
    if (numElements <= kMaxInlineElements) {
      llvm::SmallVector<bool> values(bytes.begin(), bytes.end());
      return DenseElementsAttr::get(type, llvm::ArrayRef<bool>(values));
    }
  } else if (numElements <= kMaxInlineElements) {
    return DenseElementsAttr::getFromRawBuffer(type, bytes);
  }
  AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      bytes, alignof(std::max_align_t));
  return DenseResourceElementsAttr::get(type, sanitizeBlobName(blobName),
                                        std::move(blob));
}

std::optional<llvm::SmallVector<int64_t>> getIntegerValues(ElementsAttr attr) {
  auto intType = dyn_cast<IntegerType>(attr.getElementType());
  if (!intType)
    return std::nullopt;
  llvm::SmallVector<int64_t> result;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    bool zeroExtend = intType.isUnsigned() || intType.getWidth() == 1;
    for (const llvm::APInt &v : dense)
      result.push_back(zeroExtend ? static_cast<int64_t>(v.getZExtValue())
                                  : v.getSExtValue());
    return result;
  }
  if (auto resource = dyn_cast<DenseI64ResourceElementsAttr>(attr)) {
    if (auto values = resource.tryGetAsArrayRef()) {
      result.assign(values->begin(), values->end());
      return result;
    }
  }
  if (auto resource = dyn_cast<DenseI32ResourceElementsAttr>(attr)) {
    if (auto values = resource.tryGetAsArrayRef()) {
      result.assign(values->begin(), values->end());
      return result;
    }
  }
  return std::nullopt;
}

std::optional<llvm::SmallVector<double>> getDoubleValues(ElementsAttr attr) {
  llvm::SmallVector<double> result;
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    for (llvm::APFloat v : dense) {
      bool lost;
      v.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
      result.push_back(v.convertToDouble());
    }
    return result;
  }
  if (auto ints = getIntegerValues(attr)) {
    for (int64_t v : *ints)
      result.push_back(static_cast<double>(v));
    return result;
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    if (auto values = resource.tryGetAsArrayRef()) {
      result.assign(values->begin(), values->end());
      return result;
    }
  }
  return std::nullopt;
}

} // namespace tessera::onnx
