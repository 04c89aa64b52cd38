//===- Runtime.h - C++ wrapper of the runtime C API -------------*- C++ -*-===//
//
// Header-only RAII wrapper over tessera-c/Runtime.h for C++ users (tools,
// tests). It adds no symbols to the runtime; errors come back as Status.
//
//   tessera::runtime::ModelHandle model;
//   if (Status s = model.load("model.so"); !s) { report(s.message()); }
//   Status s = model.run(inputs, outputs);
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_RUNTIME_H
#define TESSERA_RUNTIME_RUNTIME_H

#include "runtime/DType.h"
#include "runtime/Status.h"
#include "tessera-c/Runtime.h"

#include <string>
#include <utility>
#include <vector>

namespace tessera::runtime {

/// Description of one model input or output, owned by value.
struct TensorInfo {
  std::string name;
  DType dtype = DType::Float32;
  std::vector<int64_t> shape;
  int64_t numElements = 1;
  size_t sizeInBytes = 0;
};

/// Owns a tessera_model*.
class ModelHandle {
public:
  ModelHandle() = default;
  ModelHandle(const ModelHandle &) = delete;
  ModelHandle &operator=(const ModelHandle &) = delete;
  ModelHandle(ModelHandle &&other) noexcept
      : model(std::exchange(other.model, nullptr)) {}
  ModelHandle &operator=(ModelHandle &&other) noexcept {
    std::swap(model, other.model);
    return *this;
  }
  ~ModelHandle() { tessera_model_free(model); }

  /// Loads the artifact at `path`, replacing any loaded one.
  Status load(const std::string &path) {
    tessera_model_free(std::exchange(model, nullptr));
    if (tessera_model_load(path.c_str(), &model) != TESSERA_OK)
      return Status::error(tessera_last_error());
    return Status::success();
  }

  tessera_model *get() const { return model; }
  int numInputs() const { return tessera_model_num_inputs(model); }
  int numOutputs() const { return tessera_model_num_outputs(model); }
  TensorInfo input(int index) const { return info(index, /*isInput=*/true); }
  TensorInfo output(int index) const { return info(index, /*isInput=*/false); }

  /// Runs the model on caller buffers (see tessera_model_run).
  Status run(const void *const *inputs, void *const *outputs) const {
    if (tessera_model_run(model, inputs, outputs) != TESSERA_OK)
      return Status::error(tessera_last_error());
    return Status::success();
  }

private:
  TensorInfo info(int index, bool isInput) const {
    tessera_tensor_info raw;
    tessera_status status = isInput
                                ? tessera_model_input_info(model, index, &raw)
                                : tessera_model_output_info(model, index, &raw);
    TensorInfo result;
    if (status != TESSERA_OK)
      return result;
    result.name = raw.name;
    result.dtype = static_cast<DType>(raw.dtype);
    result.shape.assign(raw.dims, raw.dims + raw.rank);
    result.numElements = raw.num_elements;
    result.sizeInBytes = static_cast<size_t>(raw.size_bytes);
    return result;
  }

  tessera_model *model = nullptr;
};

/// Sets the runtime's thread count (0 = one per hardware thread).
inline Status setNumThreads(int numThreads) {
  if (tessera_runtime_set_num_threads(numThreads) != TESSERA_OK)
    return Status::error(tessera_last_error());
  return Status::success();
}

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_RUNTIME_H
