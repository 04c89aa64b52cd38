//===- Passes.td - CPU target passes -----------------------*- tablegen -*-===//
//
// Passes that prepare LLVM-dialect IR for the CPU artifact. Alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_TARGET_CPU_PASSES_TD
#define TESSERA_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// EmitArtifactABI
//===----------------------------------------------------------------------===//

def EmitArtifactABI : Pass<"tessera-emit-artifact-abi", "mlir::ModuleOp"> {
  let summary = "Add the artifact ABI entry points around the model function";
  let description = [{
    Works on the LLVM dialect after lowering with the bare-pointer calling
    convention: the model function takes one pointer per input and one per
    output. Adds `tessera_artifact_run(ptr %buffers)` that loads each
    pointer from the array and calls the model function, and
    `tessera_artifact_metadata()` returning the metadata text described in
    `include/tessera-c/Artifact.h`. The metadata text is the
    `tessera.artifact_metadata` string attribute of the model function,
    written at the tensor level (while names, dtypes and shapes are still
    known) by `buildArtifactMetadata`.

    Before:
    ```mlir
    llvm.func @main(%in: !llvm.ptr, %out: !llvm.ptr) attributes {
        tessera.artifact_metadata = "tessera-artifact 1\n..."}
    ```
    After: the same, plus
    ```mlir
    llvm.func @tessera_artifact_run(%buffers: !llvm.ptr) -> i32
    llvm.func @tessera_artifact_metadata() -> !llvm.ptr
    ```
  }];
  let options = [
    Option<"entryName", "entry", "std::string", /*default=*/"\"main\"",
           "Name of the model function">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

//===----------------------------------------------------------------------===//
// CopiesToLinalg
//===----------------------------------------------------------------------===//

def CopiesToLinalg : Pass<"tessera-copies-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Turn strided memref.copy into linalg.copy";
  let description = [{
    `finalize-memref-to-llvm` lowers a copy between non-contiguous memrefs
    (for example into the interior of a padded buffer) to a call to
    `memrefCopy` from MLIR's C runner utilities, which an artifact must not
    depend on. This pass rewrites such copies into `linalg.copy`, which
    `convert-linalg-to-loops` turns into plain loops. Copies between
    contiguous identity-layout buffers stay `memref.copy` (a memcpy).

    ```mlir
    memref.copy %a, %sub : memref<4x4xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
    // becomes
    linalg.copy ins(%a : ...) outs(%sub : ...)
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

//===----------------------------------------------------------------------===//
// ElideOutputCopies
//===----------------------------------------------------------------------===//

def ElideOutputCopies : Pass<"tessera-elide-output-copies", "mlir::func::FuncOp"> {
  let summary = "Compute outputs directly into the caller's output buffers";
  let description = [{
    After `buffer-results-to-out-params`, each result is computed into a
    fresh `memref.alloc` and then copied into its output argument (upstream's
    `hoist-static-allocs` does not apply to public functions). This pass
    replaces such an allocation by the output argument itself when the copy
    is the allocation's last use, removing one full copy per output.

    Before:
    ```mlir
    func.func @main(%in: memref<4xf32>, %out: memref<4xf32>) {
      %a = memref.alloc() : memref<4xf32>
      linalg.copy ins(%in : memref<4xf32>) outs(%a : memref<4xf32>)
      memref.copy %a, %out : memref<4xf32> to memref<4xf32>
      return
    }
    ```
    After:
    ```mlir
    func.func @main(%in: memref<4xf32>, %out: memref<4xf32>) {
      linalg.copy ins(%in : memref<4xf32>) outs(%out : memref<4xf32>)
      return
    }
    ```
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

#endif // TESSERA_TARGET_CPU_PASSES_TD
