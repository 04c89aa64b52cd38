//===- Passes.td - Partitioner passes ----------------------*- tablegen -*-===//
//
// The partitioner as a pass for tessera-opt. Keep this file alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_PARTITION_PASSES_TD
#define TESSERA_PARTITION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// PartitionDispatches
//===----------------------------------------------------------------------===//

def PartitionDispatches
    : Pass<"tessera-partition-dispatches", "mlir::ModuleOp"> {
  let summary = "Place each dispatch on a device and insert the transfers";
  let description = [{
    Runs the partitioner (include/tessera/Partition/Partition.h,
    docs/partitioning.md) on the model function: predicts the latency of
    every `tdev.dispatch` on every target (learned CPU cost model, else a
    roofline from the target's profile), schedules the dispatch graph with
    HEFT including transfer costs (or takes the best single device when it
    is predicted faster), and writes the decisions:
    `tdev.placement` and `tdev.predicted_us` on each dispatch,
    `tdev.targets` on the module, and one `tdev.transfer` per (value,
    destination device) crossing, placed right after the producer. Model
    inputs and outputs live on the host CPU; constants (weights) on every
    device.

    Before:
    ```mlir
    %0 = tdev.dispatch root("tg.conv") name("big") -> tensor<...> {...}
    %1 = tdev.dispatch root("elementwise") name("small") -> tensor<...> {
      ... %0 ...
    }
    ```
    After (`targets=cpu,cuda:h100`):
    ```mlir
    %t = tdev.transfer %arg0 : tensor<...> from #tdev.target<"cpu"> to #tdev.target<"cuda", "h100">
    %0 = tdev.dispatch root("tg.conv") name("big")
        attributes {tdev.placement = #tdev.target<"cuda", "h100">,
                    tdev.predicted_us = 12.5 : f64} -> tensor<...> {... %t ...}
    %2 = tdev.transfer %0 : tensor<...> from #tdev.target<"cuda", "h100"> to #tdev.target<"cpu">
    %1 = tdev.dispatch root("elementwise") name("small")
        attributes {tdev.placement = #tdev.target<"cpu">, ...} { ... %2 ... }
    ```
  }];
  let options = [
    ListOption<"targets", "targets", "std::string",
               "Devices to place over: cpu, vulkan, cuda, fpga, kind:profile "
               "(cuda:h100) or auto; empty = cpu and every profile given">,
    ListOption<"profiles", "profiles", "std::string",
               "Hardware profile files (JSON) that replace probing">,
    Option<"placement", "placement", "std::string", /*default=*/"\"\"",
           "Placement overrides: {\"dispatches\": {NAME: DEVICE}, "
           "\"default\": DEVICE}">,
    Option<"costModel", "cost-model", "std::string", /*default=*/"\"\"",
           "CPU cost model file; empty = the shipped one, none = roofline">,
  ];
  let dependentDialects = ["tessera::device::DeviceDialect"];
}

#endif // TESSERA_PARTITION_PASSES_TD
