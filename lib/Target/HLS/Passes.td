//===- Passes.td - HLS target passes -----------------------*- tablegen -*-===//
//
// Passes of the FPGA (HLS C++) target: the design-space search and the C++
// emitter. Keep this file alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_HLS_TARGET_PASSES_TD
#define TESSERA_HLS_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// EmitCpp
//===----------------------------------------------------------------------===//

def EmitCpp : Pass<"thls-emit-cpp", "mlir::ModuleOp"> {
  let summary = "Print the HLS C++ of every kernel (for tests and debugging)";
  let description = [{
    Prints what `tessera-compile --emit=hls-cpp -o DIR` writes: one
    Vitis-HLS-style C++ file per `thls.kernel` function and the header that
    declares them, each after a `// ===== FILE` line, to stdout. The IR is
    not changed.

    Input:
    ```mlir
    func.func private @k0(%a0: memref<64xf32> {thls.interface = ...})
        attributes {thls.kernel} {
      affine.for %i = 0 to 64 { ... } {thls.pipeline = #thls.pipeline<ii = 1>}
      return
    }
    ```
    Output:
    ```c++
    // ===== k0.cpp
    extern "C" void k0(float *a0) {
    #pragma HLS INTERFACE m_axi port=a0 bundle=gmem0 offset=slave depth=64
    #pragma HLS INTERFACE s_axilite port=return
      for (int64_t v0 = 0; v0 < 64; v0 += 1) {
    #pragma HLS PIPELINE II=1
        ...
    ```
  }];
}

//===----------------------------------------------------------------------===//
// ExploreDesign
//===----------------------------------------------------------------------===//

def ExploreDesign : Pass<"thls-explore-design", "mlir::ModuleOp"> {
  let summary = "Choose HLS directives for the lowest estimated latency "
                "within the FPGA's resource budget";
  let description = [{
    Searches, over all `thls.kernel` functions of the module together, the
    directives of each kernel: its innermost loops are pipelined with II=1
    and unrolled by a factor (a power of two, at most `max-unroll` and the
    trip count), and its local arrays (accumulators) are partitioned
    cyclically by the same factor so the unrolled copies use different
    banks. The search is greedy on the estimated model latency (kernels run
    one after the other): it raises the factor of the slowest kernel to the
    smallest larger one that lowers its latency by 2% while the whole
    design fits the usable share of the profile's DSP, BRAM, LUT and FF, and
    freezes a kernel when no factor does. The estimator is
    lib/Target/HLS/QoR.cpp.

    Each kernel gets `thls.qor`: the chosen `unroll`, the achieved `ii`, the
    estimated `latency` and resources, and `baseline`, the latency of the
    same loops without directives. The module gets the totals.

    Before:
    ```mlir
    affine.for %i = 0 to 64 {
      affine.for %j = 0 to 256 { ... }
    }
    ```
    After:
    ```mlir
    affine.for %i = 0 to 64 {
      affine.for %j = 0 to 256 { ... }
          {thls.pipeline = #thls.pipeline<ii = 1>,
           thls.unroll = #thls.unroll<factor = 16>}
    }
    ```
  }];
  let options = [
    Option<"profile", "profile", "std::string", /*default=*/"\"u250\"",
           "FPGA profile: u250, zcu102 or a JSON file">,
    Option<"maxUnroll", "max-unroll", "int64_t", /*default=*/"64",
           "Largest unroll factor tried">,
  ];
  let dependentDialects = ["tessera::hls::HLSDialect"];
}

#endif // TESSERA_HLS_TARGET_PASSES_TD
