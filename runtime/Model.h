//===- Model.h - A loaded artifact ------------------------------*- C++ -*-===//
//
// Model owns a dlopen()ed artifact, its parsed metadata, and runs it on
// caller buffers, staging through aligned memory only where the caller's
// pointers are not 64-byte aligned. Internal to the runtime: users go
// through the C API (tessera-c/Runtime.h) or its C++ wrapper
// (runtime/Runtime.h).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_MODEL_H
#define TESSERA_RUNTIME_MODEL_H

#include "runtime/Metadata.h"
#include "runtime/Status.h"
#include "tessera-c/Artifact.h"

#include <memory>
#include <string>

namespace tessera::runtime {

class ExecutionPlan;

/// A loaded artifact, or a plan of artifacts (runtime/Plan.h).
class Model {
public:
  /// Loads and validates the artifact at `path`, or the plan of a model
  /// partitioned across devices. Messages name the file.
  static Status load(const std::string &path, std::unique_ptr<Model> &model);
  ~Model();
  Model(const Model &) = delete;
  Model &operator=(const Model &) = delete;

  const std::string &path() const { return filePath; }
  const ArtifactMetadata &metadata() const { return meta; }
  /// The plan when this is a partitioned model, else null.
  const ExecutionPlan *plan() const { return executionPlan.get(); }

  /// Runs the artifact: `inputs` and `outputs` hold one pointer per
  /// metadata entry, of any alignment. Thread-safe.
  Status run(const void *const *inputs, void *const *outputs) const;

private:
  Model() = default;

  std::string filePath;
  void *handle = nullptr;
  tessera_artifact_run_fn runFn = nullptr;
  ArtifactMetadata meta;
  std::unique_ptr<ExecutionPlan> executionPlan;
};

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_MODEL_H
