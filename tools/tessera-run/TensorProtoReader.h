//===- TensorProtoReader.h - Read ONNX TensorProto files --------*- C++ -*-===//
//
// Reads a serialized onnx.TensorProto (.pb, as written by
// onnx.numpy_helper.from_array(...).SerializeToString()) into a HostTensor.
// Kept apart so that only this file sees protobuf.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_TOOLS_TESSERA_RUN_TENSORPROTOREADER_H
#define TESSERA_TOOLS_TESSERA_RUN_TENSORPROTOREADER_H

#include "runtime/Status.h"
#include "runtime/Tensor.h"

#include <string>

namespace tessera::tools {

/// Reads the TensorProto file at `path`. Supports raw_data and the typed
/// fields float_data, int32_data, int64_data, double_data and uint64_data.
/// Error messages name the file.
runtime::Status readTensorProtoFile(const std::string &path,
                                    runtime::HostTensor &tensor);

} // namespace tessera::tools

#endif // TESSERA_TOOLS_TESSERA_RUN_TENSORPROTOREADER_H
