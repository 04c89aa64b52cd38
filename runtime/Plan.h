//===- Plan.h - A model partitioned across devices --------------*- C++ -*-===//
//
// A partitioned model is a plan file plus one artifact per segment (a run
// of dispatches placed on one device), written by `tessera-compile
// --target=cpu,vulkan` (docs/partitioning.md). The plan is text, like
// artifact metadata:
//
//   tessera-plan 1
//   input x float32 1x3x224x224          (model inputs, in order)
//   output y float32 1x1000              (model outputs, in order)
//   segment cpu model.seg0.cpu.so        (in an order that respects the data
//   segment vulkan model.seg1.vulkan.so   flow; files relative to the plan)
//
// A segment's inputs and outputs are named by its own metadata; equal
// names connect segments. Running the plan runs every segment once, as
// soon as its inputs exist and its device is free, so segments on
// different devices overlap when the graph allows it; a value between
// segments lives in a host buffer that is freed after its last reader.
// The copy into and out of a device is the segment artifact's own.
// With TESSERA_PLAN_TRACE=1 in the environment, every run prints when each
// segment started and ended (ms from the start of the run) to stderr.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_PLAN_H
#define TESSERA_RUNTIME_PLAN_H

#include "runtime/Metadata.h"
#include "runtime/Status.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::runtime {

class Model;

/// The magic word that starts a plan file.
inline constexpr std::string_view kPlanMagic = "tessera-plan";

class ExecutionPlan {
public:
  /// Parses `text` (the content of the plan file at `path`), loads every
  /// segment artifact and checks that the segments connect.
  static Status load(const std::string &path, std::string_view text,
                     std::unique_ptr<ExecutionPlan> &plan);
  ~ExecutionPlan();

  /// The model's inputs and outputs; the target device is "plan".
  const ArtifactMetadata &metadata() const { return meta; }

  /// Runs every segment; pointers as in Model::run. Thread-safe.
  Status run(const void *const *inputs, void *const *outputs) const;

  /// Devices of the segments, in plan order ("cpu", "vulkan", ...).
  std::vector<std::string> segmentDevices() const;

private:
  ExecutionPlan() = default;

  struct Segment {
    std::string device;
    std::unique_ptr<Model> model;
    /// Value ids of the artifact's inputs and outputs, in metadata order.
    std::vector<int> inputs, outputs;
    /// Segments whose outputs this one reads.
    std::vector<int> producers;
  };

  ArtifactMetadata meta;
  /// Every value: model inputs first, then segment outputs.
  std::vector<TensorSpec> values;
  std::vector<Segment> segments;
  /// Per value: how many segment inputs read it (for freeing).
  std::vector<int> readers;
  /// Per model output: the value it returns.
  std::vector<int> outputValues;
  /// $TESSERA_PLAN_TRACE: print when each segment runs, to stderr.
  bool trace = false;
};

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_PLAN_H
