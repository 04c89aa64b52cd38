//===- HLSAttrs.td - HLS dialect attributes ----------------*- tablegen -*-===//
//
// The directive attributes of the HLS dialect.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_HLS_ATTRS_TD
#define TESSERA_HLS_ATTRS_TD

include "dialects/HLS/IR/HLSBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def HLS_PartitionKind : I32EnumAttr<"PartitionKind", "array partitioning", [
    I32EnumAttrCase<"cyclic", 0>,
    I32EnumAttrCase<"block", 1>,
    I32EnumAttrCase<"complete", 2>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::tessera::hls";
}

def HLS_InterfaceMode : I32EnumAttr<"InterfaceMode", "port interface", [
    I32EnumAttrCase<"m_axi", 0>,
    I32EnumAttrCase<"s_axilite", 1>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::tessera::hls";
}

class HLS_Attr<string name, string attrMnemonic> : AttrDef<HLS_Dialect, name> {
  let mnemonic = attrMnemonic;
}

def HLS_PipelineAttr : HLS_Attr<"Pipeline", "pipeline"> {
  let summary = "Pipelines a loop with an initiation interval";
  let description = [{
    On a loop: start a new iteration every `ii` cycles; loops nested in it
    are fully unrolled by the HLS tool.

    ```mlir
    affine.for %i = 0 to 64 {
      ...
    } {thls.pipeline = #thls.pipeline<ii = 1>}
    ```
  }];
  let parameters = (ins "int64_t":$ii);
  let assemblyFormat = "`<` `ii` `=` $ii `>`";
  let genVerifyDecl = 1;
}

def HLS_UnrollAttr : HLS_Attr<"Unroll", "unroll"> {
  let summary = "Unrolls a loop by a factor";
  let description = [{
    On a loop: replicate its body `factor` times (the HLS tool unrolls; the
    IR keeps the rolled loop, so C-simulation runs the same loop).

    ```mlir
    affine.for %i = 0 to 64 {
      ...
    } {thls.unroll = #thls.unroll<factor = 8>}
    ```
  }];
  let parameters = (ins "int64_t":$factor);
  let assemblyFormat = "`<` `factor` `=` $factor `>`";
  let genVerifyDecl = 1;
}

def HLS_PartitionAttr : HLS_Attr<"Partition", "partition"> {
  let summary = "Partitions an on-chip array into banks";
  let description = [{
    On a `memref.alloc`/`memref.alloca` of a kernel: split the array along
    dimension `dim` (1-based as in Vitis; 0 means every dimension) into
    `factor` banks, cyclically (element i in bank i mod factor), in blocks,
    or completely (into registers; `factor` is ignored).

    ```mlir
    %buf = memref.alloca() {thls.partition = #thls.partition<cyclic, factor = 4, dim = 2>}
        : memref<16x64xf32>
    ```
  }];
  let parameters = (ins EnumParameter<HLS_PartitionKind>:$kind,
                        "int64_t":$factor, "int64_t":$dim);
  let assemblyFormat = "`<` $kind `,` `factor` `=` $factor `,` `dim` `=` $dim `>`";
  let genVerifyDecl = 1;
}

def HLS_InterfaceAttr : HLS_Attr<"Interface", "interface"> {
  let summary = "Maps a kernel argument to an AXI interface";
  let description = [{
    On a kernel argument: an AXI4 master port (`m_axi`, with the bundle it
    shares; one bundle per port lets ports be read in parallel) or an
    AXI4-Lite register (`s_axilite`, for scalars).

    ```mlir
    func.func @k(%a: memref<64xf32> {thls.interface = #thls.interface<m_axi, bundle = "gmem0">})
    ```
  }];
  let parameters = (ins EnumParameter<HLS_InterfaceMode>:$mode,
                        OptionalParameter<"mlir::StringAttr">:$bundle);
  let assemblyFormat = "`<` $mode (`,` `bundle` `=` $bundle^)? `>`";
}

#endif // TESSERA_HLS_ATTRS_TD
