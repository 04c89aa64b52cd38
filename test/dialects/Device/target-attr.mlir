// RUN: tessera-opt %s --split-input-file | FileCheck %s
// RUN: tessera-opt %s --split-input-file --mlir-print-op-generic | tessera-opt --split-input-file | FileCheck %s

// A placed dispatch and a transfer round-trip; the profile is optional.
// CHECK: module attributes {tdev.targets = [#tdev.target<"cpu">, #tdev.target<"cuda", "h100">]}
// CHECK-LABEL: func.func @placed
// CHECK: %[[D:.+]] = tdev.dispatch root("elementwise") name("relu0")
// CHECK-SAME: tdev.placement = #tdev.target<"cpu">
// CHECK-SAME: tdev.predicted_us = 1.500000e+00 : f64
// CHECK: %[[T:.+]] = tdev.transfer %[[D]] : tensor<4xf32> from #tdev.target<"cpu"> to #tdev.target<"cuda", "h100">
// CHECK: tdev.dispatch root("elementwise") attributes {tdev.placement = #tdev.target<"cuda", "h100">}
// CHECK: tg.relu %[[T]]
module attributes {tdev.targets = [#tdev.target<"cpu">, #tdev.target<"cuda", "h100">]} {
  func.func @placed(%x: tensor<4xf32>) -> tensor<4xf32> {
    %0 = tdev.dispatch root("elementwise") name("relu0") attributes {tdev.placement = #tdev.target<"cpu">, tdev.predicted_us = 1.5 : f64} -> tensor<4xf32> {
      %1 = tg.relu %x : tensor<4xf32>
      tdev.yield %1 : tensor<4xf32>
    }
    %2 = tdev.transfer %0 : tensor<4xf32> from #tdev.target<"cpu"> to #tdev.target<"cuda", "h100">
    %3 = tdev.dispatch root("elementwise") attributes {tdev.placement = #tdev.target<"cuda", "h100">} -> tensor<4xf32> {
      %4 = tg.relu %2 : tensor<4xf32>
      tdev.yield %4 : tensor<4xf32>
    }
    return %3 : tensor<4xf32>
  }
}
