//===- DeviceAttrs.td - Device dialect attributes ----------*- tablegen -*-===//
//
// Attributes of the Device dialect: `#tdev.target`, the device a dispatch
// is placed on and the hardware profile that describes it.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DEVICE_ATTRS_TD
#define TESSERA_DEVICE_ATTRS_TD

include "dialects/Device/IR/DeviceBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

class Device_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Device_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

//===----------------------------------------------------------------------===//
// TargetAttr
//===----------------------------------------------------------------------===//

def Device_TargetAttr : Device_Attr<"Target", "target"> {
  let summary = "A device kind and, optionally, the hardware profile of it";
  let description = [{
    Names the device that runs a dispatch (the `tdev.placement` attribute a
    partitioner writes on each `tdev.dispatch`) or the ends of a
    `tdev.transfer`. `kind` is one of `cpu`, `vulkan`, `cuda`, `fpga`;
    `profile`, when present, names the hardware profile the costs were
    predicted from (`h100`, `u250`, a probed device's name, ...).

    ```mlir
    #tdev.target<"cpu">
    #tdev.target<"cuda", "h100">
    ```
  }];
  let parameters = (ins StringRefParameter<"device kind">:$kind,
                        OptionalParameter<"::mlir::StringAttr">:$profile);
  let assemblyFormat = "`<` $kind (`,` $profile^)? `>`";
  let builders = [
    AttrBuilder<(ins "::llvm::StringRef":$kind,
                     CArg<"::llvm::StringRef", "{}">:$profile), [{
      return $_get($_ctxt, kind,
                   profile.empty() ? ::mlir::StringAttr()
                                   : ::mlir::StringAttr::get($_ctxt, profile));
    }]>
  ];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The device kinds a target may name.
    static ::llvm::ArrayRef<::llvm::StringRef> getKnownKinds();
  }];
}

#endif // TESSERA_DEVICE_ATTRS_TD
