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

#endif // TESSERA_TARGET_CPU_PASSES_TD
