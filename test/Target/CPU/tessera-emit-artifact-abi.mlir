// RUN: tessera-opt %s --split-input-file --verify-diagnostics --tessera-emit-artifact-abi | FileCheck %s

// The entry point loads one pointer per buffer from the array and calls the
// (now internal) model function; the metadata function returns the text.
// CHECK:       llvm.func internal @main(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// CHECK-NOT:     tessera.artifact_metadata
// CHECK:       llvm.mlir.global internal constant @tessera_artifact_metadata_text("tessera-artifact 1\0Ainput x float32 4\0Aoutput y float32 4\0A\00")
// CHECK-LABEL: llvm.func @tessera_artifact_metadata() -> !llvm.ptr
// CHECK:         %[[TEXT:.+]] = llvm.mlir.addressof @tessera_artifact_metadata_text
// CHECK:         llvm.return %[[TEXT]]
// CHECK-LABEL: llvm.func @tessera_artifact_run(
// CHECK-SAME:    %[[BUFFERS:.+]]: !llvm.ptr) -> i32
// CHECK:         %[[S0:.+]] = llvm.getelementptr %[[BUFFERS]][0]
// CHECK:         %[[B0:.+]] = llvm.load %[[S0]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[S1:.+]] = llvm.getelementptr %[[BUFFERS]][1]
// CHECK:         %[[B1:.+]] = llvm.load %[[S1]] : !llvm.ptr -> !llvm.ptr
// CHECK:         llvm.call @main(%[[B0]], %[[B1]])
// CHECK:         llvm.return %{{.+}} : i32
module {
  llvm.func @main(%in: !llvm.ptr, %out: !llvm.ptr) attributes {tessera.artifact_metadata = "tessera-artifact 1\0Ainput x float32 4\0Aoutput y float32 4\0A"} {
    llvm.return
  }
}

// -----

// The model function must exist.
// expected-error @+1 {{no LLVM function 'main' to wrap}}
module {
  llvm.func @other() {
    llvm.return
  }
}

// -----

// Without the metadata attribute there is nothing to describe the buffers.
module {
  // expected-error @+1 {{missing 'tessera.artifact_metadata' attribute}}
  llvm.func @main(%in: !llvm.ptr) {
    llvm.return
  }
}

// -----

// Memref descriptors (not the bare-pointer convention) are rejected.
module {
  // expected-error @+1 {{expects only pointer arguments (bare-pointer calling convention)}}
  llvm.func @main(%in: i64) attributes {tessera.artifact_metadata = "tessera-artifact 1\0A"} {
    llvm.return
  }
}
