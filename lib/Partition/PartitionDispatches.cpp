//===- PartitionDispatches.cpp - The partitioner as a pass ----------------===//
//
// tessera-partition-dispatches: partitionModule with the options of a
// pass, so that placement and transfers are testable with lit.
//
//===----------------------------------------------------------------------===//

#include "lib/Partition/Passes.h"
#include "tessera/Partition/Partition.h"

namespace tessera::partition {
#define GEN_PASS_DEF_PARTITIONDISPATCHES
#include "lib/Partition/Passes.h.inc"
} // namespace tessera::partition

using namespace mlir;
using namespace tessera::partition;

namespace {

struct PartitionDispatchesPass
    : tessera::partition::impl::PartitionDispatchesBase<
          PartitionDispatchesPass> {
  using Base::Base;

  void runOnOperation() override {
    PartitionOptions options;
    options.targets.assign(targets.begin(), targets.end());
    options.profilePaths.assign(profiles.begin(), profiles.end());
    options.placementPath = placement;
    options.costModelPath = costModel;
    PartitionPlan plan;
    if (failed(partitionModule(getOperation(), options, plan)))
      signalPassFailure();
  }
};

} // namespace
