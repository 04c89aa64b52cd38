//===- HLSDialect.cpp - HLS dialect registration and verifiers ------------===//
//
// Registers the HLS dialect and checks that each directive attribute sits on
// an op it applies to (a pipeline on a loop, a partition on an on-chip
// array of matching rank, an interface on a kernel argument).
//
//===----------------------------------------------------------------------===//

#include "dialects/HLS/IR/HLSDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace tessera::hls;

#include "dialects/HLS/IR/HLSDialect.cpp.inc"

void HLSDialect::initialize() { registerAttributes(); }

namespace {

bool isLoop(Operation *op) { return isa<affine::AffineForOp, scf::ForOp>(op); }

/// A partition must name a dimension of the array it partitions.
LogicalResult verifyPartition(Operation *op, PartitionAttr partition) {
  if (!isa<memref::AllocOp, memref::AllocaOp>(op))
    return op->emitOpError("'")
           << HLSDialect::kPartitionAttrName
           << "' applies to an on-chip array (memref.alloc or memref.alloca)";
  auto type = cast<MemRefType>(op->getResult(0).getType());
  if (partition.getDim() > type.getRank())
    return op->emitOpError("partition dim ")
           << partition.getDim() << " is out of range for a rank-"
           << type.getRank() << " array (dims are 1-based, 0 means all)";
  return success();
}

} // namespace

LogicalResult HLSDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  if (name == kPipelineAttrName || name == kUnrollAttrName) {
    if (!isLoop(op))
      return op->emitOpError("'") << name << "' applies to a loop "
                                  << "(affine.for or scf.for)";
    if (name == kPipelineAttrName && !isa<PipelineAttr>(value))
      return op->emitOpError("'") << name << "' must be a #thls.pipeline";
    if (name == kUnrollAttrName && !isa<UnrollAttr>(value))
      return op->emitOpError("'") << name << "' must be a #thls.unroll";
    return success();
  }
  if (name == kPartitionAttrName) {
    auto partition = dyn_cast<PartitionAttr>(value);
    if (!partition)
      return op->emitOpError("'") << name << "' must be a #thls.partition";
    return verifyPartition(op, partition);
  }
  if (name == kKernelAttrName || name == kDataflowAttrName) {
    if (!isa<func::FuncOp>(op))
      return op->emitOpError("'") << name << "' applies to a func.func";
    if (!isa<UnitAttr>(value))
      return op->emitOpError("'") << name << "' must be a unit attribute";
    return success();
  }
  if (name == kQoRAttrName) {
    if (!isa<DictionaryAttr>(value))
      return op->emitOpError("'") << name << "' must be a dictionary";
    return success();
  }
  return op->emitOpError("unknown HLS directive '") << name << "'";
}

LogicalResult HLSDialect::verifyRegionArgAttribute(Operation *op,
                                                   unsigned regionIndex,
                                                   unsigned argIndex,
                                                   NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name != kInterfaceAttrName)
    return op->emitOpError("unknown HLS argument directive '") << name << "'";
  auto interface = dyn_cast<InterfaceAttr>(attr.getValue());
  if (!interface)
    return op->emitOpError("'") << name << "' must be a #thls.interface";
  auto func = dyn_cast<func::FuncOp>(op);
  if (!func)
    return op->emitOpError("'") << name << "' applies to func.func arguments";
  // Declarations have no region: read the type from the signature.
  Type type = func.getArgumentTypes()[argIndex];
  bool isArray = isa<MemRefType>(type);
  if (interface.getMode() == InterfaceMode::m_axi && !isArray)
    return op->emitOpError("argument ")
           << argIndex << " is a scalar (" << type
           << "); an m_axi port must be a memref";
  if (interface.getMode() == InterfaceMode::s_axilite && isArray)
    return op->emitOpError("argument ")
           << argIndex << " is an array; use m_axi, not s_axilite";
  if (interface.getMode() == InterfaceMode::s_axilite && interface.getBundle())
    return op->emitOpError("an s_axilite port takes no bundle");
  return success();
}
