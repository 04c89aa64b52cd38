//===- CApi.cpp - C API of libtessera_runtime -----------------------------===//
//
// Thin C wrappers over the C++ runtime (tessera-c/Runtime.h). Every entry
// point catches all exceptions, records a per-thread error message, and
// returns a tessera_status.
//
//===----------------------------------------------------------------------===//

#include "tessera-c/Runtime.h"

#include "runtime/DType.h"
#include "runtime/Model.h"
#include "runtime/gpu/GpuDevice.h"
#include "runtime/ThreadPool.h"

#include <new>
#include <string>

using namespace tessera::runtime;

/// The opaque handle behind tessera_model*.
struct tessera_model {
  std::unique_ptr<Model> model;
};

/// Message of the last failure on this thread.
static thread_local std::string lastError;

static tessera_status fail(tessera_status code, std::string message) {
  try {
    lastError = std::move(message);
  } catch (...) {
    // Keep whatever was there; there is nothing better to do.
  }
  return code;
}

/// Runs `body` (returning tessera_status), turning exceptions into errors.
template <typename Fn> static tessera_status guarded(Fn &&body) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return fail(TESSERA_ERROR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception &e) {
    return fail(TESSERA_ERROR_INTERNAL,
                std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(TESSERA_ERROR_INTERNAL, "internal error: unknown exception");
  }
}

static void fillInfo(const TensorSpec &spec, tessera_tensor_info *info) {
  info->name = spec.name.c_str();
  info->dtype = static_cast<tessera_dtype>(spec.dtype);
  info->rank = static_cast<int32_t>(spec.shape.size());
  info->dims = spec.shape.empty() ? nullptr : spec.shape.data();
  info->num_elements = spec.numElements;
  info->size_bytes = spec.sizeInBytes();
}

/// Shared body of tessera_model_{input,output}_info.
static tessera_status tensorInfo(const tessera_model *model, int32_t index,
                                 tessera_tensor_info *info, bool isInput) {
  const char *kind = isInput ? "input" : "output";
  if (!model || !info)
    return fail(TESSERA_ERROR_INVALID_ARGUMENT,
                std::string("tessera_model_") + kind +
                    "_info: model and info must not be NULL");
  const auto &specs = isInput ? model->model->metadata().inputs
                              : model->model->metadata().outputs;
  if (index < 0 || static_cast<size_t>(index) >= specs.size())
    return fail(TESSERA_ERROR_INVALID_ARGUMENT,
                std::string(kind) + " index " + std::to_string(index) +
                    " is out of range (model has " +
                    std::to_string(specs.size()) + " " + kind + "s)");
  fillInfo(specs[index], info);
  return TESSERA_OK;
}

extern "C" {

const char *tessera_last_error(void) { return lastError.c_str(); }

const char *tessera_runtime_version(void) { return "0.1.0"; }

tessera_status tessera_model_load(const char *path, tessera_model **model) {
  if (model)
    *model = nullptr;
  return guarded([&] {
    if (!path || !model)
      return fail(TESSERA_ERROR_INVALID_ARGUMENT,
                  "tessera_model_load: path and model must not be NULL");
    auto handle = std::make_unique<tessera_model>();
    if (Status status = Model::load(path, handle->model); !status)
      return fail(TESSERA_ERROR_LOAD, status.message());
    *model = handle.release();
    return TESSERA_OK;
  });
}

void tessera_model_free(tessera_model *model) { delete model; }

const char *tessera_model_path(const tessera_model *model) {
  return model ? model->model->path().c_str() : "";
}

int32_t tessera_model_num_inputs(const tessera_model *model) {
  return model ? static_cast<int32_t>(model->model->metadata().inputs.size())
               : 0;
}

int32_t tessera_model_num_outputs(const tessera_model *model) {
  return model ? static_cast<int32_t>(model->model->metadata().outputs.size())
               : 0;
}

tessera_status tessera_model_input_info(const tessera_model *model,
                                        int32_t index,
                                        tessera_tensor_info *info) {
  return tensorInfo(model, index, info, /*isInput=*/true);
}

tessera_status tessera_model_output_info(const tessera_model *model,
                                         int32_t index,
                                         tessera_tensor_info *info) {
  return tensorInfo(model, index, info, /*isInput=*/false);
}

tessera_status tessera_model_target(const tessera_model *model,
                                    const char **device, const char **cpu,
                                    const char **features) {
  if (!model)
    return fail(TESSERA_ERROR_INVALID_ARGUMENT,
                "tessera_model_target: model must not be NULL");
  const TargetInfo &target = model->model->metadata().target;
  if (device)
    *device = target.device.c_str();
  if (cpu)
    *cpu = target.cpu.c_str();
  if (features)
    *features = target.features.c_str();
  return TESSERA_OK;
}

tessera_status tessera_model_run(tessera_model *model,
                                 const void *const *inputs,
                                 void *const *outputs) {
  return guarded([&] {
    if (!model)
      return fail(TESSERA_ERROR_INVALID_ARGUMENT,
                  "tessera_model_run: model must not be NULL");
    if (Status status = model->model->run(inputs, outputs); !status)
      return fail(TESSERA_ERROR_RUN, status.message());
    return TESSERA_OK;
  });
}

tessera_status tessera_runtime_set_num_threads(int32_t n) {
  return guarded([&] {
    if (Status status = ThreadPool::global().setNumThreads(n); !status)
      return fail(TESSERA_ERROR_INVALID_ARGUMENT, status.message());
    return TESSERA_OK;
  });
}

int32_t tessera_runtime_get_num_threads(void) {
  return ThreadPool::global().getNumThreads();
}

const char *tessera_dtype_name(tessera_dtype dtype) {
  // dtypeName() returns views of string literals, so data() is terminated.
  return dtypeName(static_cast<DType>(dtype)).data();
}

size_t tessera_dtype_size(tessera_dtype dtype) {
  return dtypeSize(static_cast<DType>(dtype));
}

} // extern "C"

//===----------------------------------------------------------------------===//
// GPU devices.
//===----------------------------------------------------------------------===//

tessera_status tessera_runtime_select_device(const char *kind,
                                             const char *selector) {
  return guarded([&] {
    if (!kind)
      return fail(TESSERA_ERROR_INVALID_ARGUMENT, "device kind is NULL");
    std::string error = selectGpuDevice(kind, selector ? selector : "");
    return error.empty() ? TESSERA_OK
                         : fail(TESSERA_ERROR_INVALID_ARGUMENT, error);
  });
}

const char *tessera_runtime_list_devices(void) {
  static thread_local std::string text;
  try {
    text = listDevices();
  } catch (...) {
    text.clear();
  }
  return text.c_str();
}

tessera_status tessera_runtime_device_profile(const char *kind,
                                              const char **json) {
  return guarded([&] {
    if (!kind || !json)
      return fail(TESSERA_ERROR_INVALID_ARGUMENT, "kind or json is NULL");
    static thread_local std::string text;
    std::string error;
    text = getGpuProfile(kind, error);
    *json = text.c_str();
    return error.empty() ? TESSERA_OK : fail(TESSERA_ERROR_LOAD, error);
  });
}
