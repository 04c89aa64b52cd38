//===- HLSBase.td - HLS dialect definition -----------------*- tablegen -*-===//
//
// The HLS dialect (`thls`) holds the directives of the FPGA path: how a
// loop is pipelined or unrolled, how an on-chip array is partitioned, how a
// kernel's ports are mapped to AXI interfaces.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_HLS_BASE_TD
#define TESSERA_HLS_BASE_TD

include "mlir/IR/OpBase.td"

def HLS_Dialect : Dialect {
  let name = "thls";
  let cppNamespace = "::tessera::hls";
  let summary = "High-level-synthesis directives for the FPGA target";
  let description = [{
    The HLS dialect annotates upstream IR (affine loops, memrefs, functions)
    with the directives a high-level-synthesis tool such as Vitis HLS
    understands. It has no operations: every directive is an attribute on
    the op it applies to, so the loop nest stays plain `affine` IR that
    upstream passes and the C++ emitter both understand.

    | attribute          | on                       | C++ pragma                     |
    |--------------------|--------------------------|--------------------------------|
    | `thls.kernel`      | `func.func`              | an `extern "C"` top function   |
    | `thls.dataflow`    | `func.func`              | `#pragma HLS DATAFLOW`         |
    | `thls.interface`   | `func.func` arguments    | `#pragma HLS INTERFACE ...`    |
    | `thls.pipeline`    | `affine.for`, `scf.for`  | `#pragma HLS PIPELINE II=n`    |
    | `thls.unroll`      | `affine.for`, `scf.for`  | `#pragma HLS UNROLL factor=n`  |
    | `thls.partition`   | `memref.alloc(a)`        | `#pragma HLS ARRAY_PARTITION`  |
    | `thls.qor`         | `func.func` (kernel)     | (estimate, a comment)          |

    The dialect verifies that each directive sits on an op it applies to
    and that its numbers make sense (II >= 1, a partition dimension within
    the array's rank, an m_axi port is a memref).
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
    /// Names of the discardable attributes that carry the directives.
    static constexpr llvm::StringLiteral kKernelAttrName = "thls.kernel";
    static constexpr llvm::StringLiteral kDataflowAttrName = "thls.dataflow";
    static constexpr llvm::StringLiteral kInterfaceAttrName = "thls.interface";
    static constexpr llvm::StringLiteral kPipelineAttrName = "thls.pipeline";
    static constexpr llvm::StringLiteral kUnrollAttrName = "thls.unroll";
    static constexpr llvm::StringLiteral kPartitionAttrName = "thls.partition";
    static constexpr llvm::StringLiteral kQoRAttrName = "thls.qor";
  }];
}

#endif // TESSERA_HLS_BASE_TD
