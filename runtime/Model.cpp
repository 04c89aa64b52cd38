//===- Model.cpp - A loaded artifact --------------------------------------===//
//
// Loading: dlopen(RTLD_NOW | RTLD_LOCAL), look up the metadata and run
// symbols, parse and validate the metadata. Running: pass caller pointers
// straight through when they are 64-byte aligned, otherwise stage inputs
// into (and outputs out of) aligned scratch buffers allocated per call.
//
//===----------------------------------------------------------------------===//

#include "runtime/Model.h"

#include "runtime/HostCpu.h"
#include "runtime/Plan.h"
#include "runtime/RunErrors.h"
#include "runtime/gpu/GpuDevice.h"

#include "runtime/Tensor.h"

#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace tessera::runtime {

/// Returns and clears the last dlerror() text.
static std::string takeDlError() {
  const char *text = dlerror();
  return text ? text : "unknown dynamic loader error";
}

/// Reads `path` into `text` when it starts with the plan magic word.
static bool readPlanText(const std::string &path, std::string &text) {
  std::ifstream file(path, std::ios::binary);
  char head[kPlanMagic.size()];
  if (!file.read(head, sizeof(head)) ||
      std::string_view(head, sizeof(head)) != kPlanMagic)
    return false;
  std::ostringstream content;
  content << std::string_view(head, sizeof(head)) << file.rdbuf();
  text = content.str();
  return true;
}

Status Model::load(const std::string &path, std::unique_ptr<Model> &model) {
  model.reset();
  auto error = [&](const std::string &message) {
    return Status::error("cannot load artifact '" + path + "': " + message);
  };
  struct stat info;
  if (path.empty())
    return Status::error("cannot load artifact: empty path");
  if (stat(path.c_str(), &info) != 0)
    return error(std::strerror(errno));
  if (!S_ISREG(info.st_mode))
    return error("not a regular file");

  if (std::string text; readPlanText(path, text)) {
    std::unique_ptr<ExecutionPlan> plan;
    if (Status status = ExecutionPlan::load(path, text, plan); !status)
      return Status::error("cannot load plan '" + path + "': " +
                           status.message());
    std::unique_ptr<Model> result(new Model());
    result->filePath = path;
    result->meta = plan->metadata();
    result->executionPlan = std::move(plan);
    model = std::move(result);
    return Status::success();
  }

  // dlopen() searches the library path for names without a slash; an
  // artifact path always means a file.
  std::string openPath =
      path.find('/') == std::string::npos ? "./" + path : path;
  dlerror();
  takeRunError();
  void *handle = dlopen(openPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return error(takeDlError());
  // GPU artifacts load their kernels in constructors, during dlopen.
  if (std::string gpuError = takeRunError(); !gpuError.empty()) {
    dlclose(handle);
    return error(gpuError);
  }

  std::unique_ptr<Model> result(new Model());
  result->filePath = path;
  result->handle = handle;

  auto *metadataFn = reinterpret_cast<tessera_artifact_metadata_fn>(
      dlsym(handle, TESSERA_ARTIFACT_METADATA_SYMBOL));
  if (!metadataFn)
    return error("not a Tessera artifact (it does not export '" +
                 std::string(TESSERA_ARTIFACT_METADATA_SYMBOL) + "')");
  result->runFn = reinterpret_cast<tessera_artifact_run_fn>(
      dlsym(handle, TESSERA_ARTIFACT_RUN_SYMBOL));
  if (!result->runFn)
    return error("not a Tessera artifact (it does not export '" +
                 std::string(TESSERA_ARTIFACT_RUN_SYMBOL) + "')");

  const char *text = metadataFn();
  if (!text)
    return error("'" + std::string(TESSERA_ARTIFACT_METADATA_SYMBOL) +
                 "' returned NULL");
  if (Status status = parseMetadata(text, result->meta); !status)
    return error(status.message());
  if (Status status = checkHostCpuFeatures(result->meta.target); !status)
    return error(status.message());
  model = std::move(result);
  return Status::success();
}

Model::~Model() {
  executionPlan.reset();
  // The device copies of this model's constants, keyed by addresses in the
  // artifact: freed before dlclose lets another artifact reuse them.
  releaseGpuConstants(this);
  if (handle)
    dlclose(handle);
}

Status Model::run(const void *const *inputs, void *const *outputs) const {
  if (executionPlan)
    return executionPlan->run(inputs, outputs);
  size_t numInputs = meta.inputs.size(), numOutputs = meta.outputs.size();
  if (numInputs && !inputs)
    return Status::error("inputs array is NULL (model has " +
                         std::to_string(numInputs) + " inputs)");
  if (numOutputs && !outputs)
    return Status::error("outputs array is NULL (model has " +
                         std::to_string(numOutputs) + " outputs)");

  std::vector<void *> buffers(numInputs + numOutputs, nullptr);
  // Scratch buffers for misaligned (or empty) tensors; freed on return.
  std::vector<AlignedBuffer> staging(numInputs + numOutputs);
  auto prepare = [&](size_t slot, const TensorSpec &spec, const void *ptr,
                     bool isInput) -> Status {
    size_t size = spec.sizeInBytes();
    const char *kind = isInput ? "input" : "output";
    if (!ptr && size)
      return Status::error(std::string(kind) + " '" + spec.name +
                           "' has a NULL buffer");
    if (ptr && size && isAligned(ptr)) {
      buffers[slot] = const_cast<void *>(ptr);
      return Status::success();
    }
    if (!staging[slot].allocate(size))
      return Status::error("out of memory staging " + std::string(kind) + " '" +
                           spec.name + "' (" + std::to_string(size) +
                           " bytes)");
    if (isInput && size)
      std::memcpy(staging[slot].data(), ptr, size);
    buffers[slot] = staging[slot].data();
    return Status::success();
  };
  for (size_t i = 0; i < numInputs; ++i)
    if (Status status = prepare(i, meta.inputs[i], inputs[i], true); !status)
      return status;
  for (size_t i = 0; i < numOutputs; ++i)
    if (Status status =
            prepare(numInputs + i, meta.outputs[i], outputs[i], false);
        !status)
      return status;

  takeRunError(); // Nothing from an earlier run may leak into this one.
  // GPU services called by the artifact use the device it was built for.
  ScopedGpuKind gpuKind(meta.target.device, this);
  int32_t code = runFn(buffers.data());
  if (std::string error = takeRunError(); !error.empty())
    return Status::error("artifact '" + filePath + "': " + error);
  if (code != 0)
    return Status::error("artifact '" + filePath + "' failed with status " +
                         std::to_string(code));

  for (size_t i = 0; i < numOutputs; ++i) {
    size_t slot = numInputs + i;
    size_t size = meta.outputs[i].sizeInBytes();
    if (staging[slot].data() && size)
      std::memcpy(outputs[i], staging[slot].data(), size);
  }
  return Status::success();
}

} // namespace tessera::runtime
