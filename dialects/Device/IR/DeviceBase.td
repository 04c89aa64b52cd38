//===- DeviceBase.td - Device dialect definition -----------*- tablegen -*-===//
//
// The Device dialect (`tdev`) holds the units of placement and code
// generation: dispatch regions that group a root op with the elementwise ops
// fused into it.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DEVICE_BASE_TD
#define TESSERA_DEVICE_BASE_TD

include "mlir/IR/OpBase.td"

def Device_Dialect : Dialect {
  let name = "tdev";
  let cppNamespace = "::tessera::device";
  let summary = "Dispatch regions: the units of placement and code generation";
  let description = [{
    The Device dialect sits between the Graph dialect and the per-target
    lowerings. A `tdev.dispatch` region groups the ops that are compiled
    and launched together: one root (a convolution, a matrix product, a
    reduction, ...) plus the elementwise producers and consumers fused into
    it. Later passes decide per dispatch where it runs and how it is tiled.

    Dispatch regions are not isolated from above: they capture the values
    they use from the enclosing function, so that forming and dissolving
    them is a local rewrite and constants stay shared.
  }];
  let dependentDialects = [];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    /// Registers `#tdev.target` (DeviceAttrs.cpp).
    void registerAttributes();
  }];
}

#endif // TESSERA_DEVICE_BASE_TD
