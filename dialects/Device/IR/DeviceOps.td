//===- DeviceOps.td - Device dialect operations ------------*- tablegen -*-===//
//
// Operations of the Device dialect: the dispatch region and its terminator.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DEVICE_OPS_TD
#define TESSERA_DEVICE_OPS_TD

include "dialects/Device/IR/DeviceAttrs.td"
include "dialects/Device/IR/DeviceBase.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Device_Op<string mnemonic, list<Trait> traits = []>
    : Op<Device_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// DispatchOp
//===----------------------------------------------------------------------===//

def Device_DispatchOp : Device_Op<"dispatch", [RecursiveMemoryEffects]> {
  let summary = "A group of ops compiled and launched as one unit";
  let description = [{
    Holds a root op (a convolution, matrix product, reduction, pooling, ...)
    and the elementwise ops fused into it, in program order, in one block
    terminated by `tdev.yield`. The yielded values are the dispatch's
    results: the values used after the dispatch.

    The region is not isolated from above: its ops use values of the
    enclosing function directly (weights, results of earlier dispatches),
    as IREE's `flow.dispatch.region` does. `root` names the root op (`tg.conv`,
    `tg.matmul`, ..., or `elementwise` for a group of elementwise ops only);
    `name` is the ONNX node name of the root, when it has one.

    The op has the memory effects of its body, so a dispatch of pure ops
    whose results are unused is erased; canonicalization drops unused
    results.

    ```mlir
    %0 = tdev.dispatch root("tg.conv") name("conv1") -> tensor<1x8x16x16xf32> {
      %1 = tg.conv %x, %w, %b {...} : (...) -> tensor<1x8x16x16xf32>
      %2 = tg.relu %1 : tensor<1x8x16x16xf32>
      tdev.yield %2 : tensor<1x8x16x16xf32>
    }
    ```
  }];
  let arguments = (ins StrAttr:$root, OptionalAttr<StrAttr>:$name);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `root` `(` $root `)` (`name` `(` $name^ `)`)? attr-dict-with-keyword
    (`->` type($results)^)? $body
  }];
  let extraClassDeclaration = [{
    /// The terminator of the body.
    YieldOp getYield();
  }];
  let hasRegionVerifier = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// TransferOp
//===----------------------------------------------------------------------===//

// A `#tdev.target` held as a plain attribute, so that the op's assembly
// prints it in full (`#tdev.target<"cpu">`), not stripped to `<"cpu">`.
def Device_TargetAttrOperand : Attr<
    CPred<"::llvm::isa<::tessera::device::TargetAttr>($_self)">,
    "device target"> {
  let storageType = "::tessera::device::TargetAttr";
  let returnType = "::tessera::device::TargetAttr";
  let convertFromStorage = "$_self";
}

def Device_TransferOp : Device_Op<"transfer",
    [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "Moves a tensor from the memory of one device to another's";
  let description = [{
    Makes the value `input`, produced on device `source`, available on
    device `dest`. The partitioner (`tessera-partition-dispatches`) inserts
    one transfer per (value, destination device) crossing, right after the
    producer; every consumer placed on `dest` uses the transfer's result.
    The type does not change: memory spaces are a property of the placement,
    not of the tensor type.

    The type comes before the targets: an attribute at the end of an op
    would take a following `: type` as its own.

    ```mlir
    %1 = tdev.transfer %0 : tensor<1x64x56x56xf32>
        from #tdev.target<"cpu"> to #tdev.target<"vulkan">
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       Device_TargetAttrOperand:$source,
                       Device_TargetAttrOperand:$dest);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `:` type($result) `from` custom<Target>($source)
    `to` custom<Target>($dest) attr-dict
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

def Device_YieldOp : Device_Op<"yield",
    [Pure, ReturnLike, Terminator, HasParent<"DispatchOp">]> {
  let summary = "Returns the results of a dispatch region";
  let description = [{
    Terminates the body of a `tdev.dispatch`; its operand types are the
    dispatch's result types.

    ```mlir
    tdev.yield %2 : tensor<1x8x16x16xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

#endif // TESSERA_DEVICE_OPS_TD
