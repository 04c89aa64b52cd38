// Errors of tessera-partition-dispatches: bad profiles, unknown targets and
// placement files that name unknown dispatches.

// RUN: not tessera-opt %s --tessera-partition-dispatches="targets=cpu,cuda profiles=%S/Inputs/bad-profile.json" 2>&1 | FileCheck %s --check-prefix=PROFILE
// PROFILE: error: profile '{{.*}}bad-profile.json': a cuda profile needs link_gbps (bandwidth to the host)

// RUN: not tessera-opt %s --tessera-partition-dispatches="targets=cpu,tpu cost-model=none" 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: error: unknown target 'tpu'; targets are cpu, vulkan, cuda, fpga or auto

// RUN: not tessera-opt %s --tessera-partition-dispatches="targets=cpu,cuda:h100 cost-model=none placement=%S/Inputs/placement-unknown.json" 2>&1 | FileCheck %s --check-prefix=NAME
// NAME: error: placement: no dispatch named 'conv9' (dispatches: 'relu', 'dispatch1')

// RUN: not tessera-opt %s --tessera-partition-dispatches="targets=cpu,cuda:b200 cost-model=none" 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: no profile 'b200' for cuda: give it with --profiles=FILE.json

#id = affine_map<(d0) -> (d0)>
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %0 = tdev.dispatch root("elementwise") name("relu") -> tensor<4xf32> {
    %e = tensor.empty() : tensor<4xf32>
    %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %zero : f32
      linalg.yield %m : f32
    } -> tensor<4xf32>
    tdev.yield %r : tensor<4xf32>
  }
  %1 = tdev.dispatch root("elementwise") -> tensor<4xf32> {
    %e = tensor.empty() : tensor<4xf32>
    %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%0 : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.addf %in, %in : f32
      linalg.yield %m : f32
    } -> tensor<4xf32>
    tdev.yield %r : tensor<4xf32>
  }
  return %1 : tensor<4xf32>
}
