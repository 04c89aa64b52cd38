//===- PlaceBuffersOnDevice.cpp - Device memory for GPU programs ----------===//
//
// After tessera-map-linalg-to-gpu, the model function only allocates,
// takes views and launches kernels. This pass moves every buffer to device
// memory and adds the transfers at the boundary: the caller's inputs and the
// constant weights are copied in at entry, outputs copied back at exit. All
// GPU operations are then made asynchronous on one stream by
// gpu-async-region, so a run is one stream of copies and launches.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/Passes.h"

#include "tessera/Support/NodeName.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace tessera::gpu {
#define GEN_PASS_DEF_PLACEBUFFERSONDEVICE
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

bool isOnHost(Operation *op) {
  return !op->getParentOfType<mlir::gpu::LaunchOp>();
}

/// True for buffers whose contents the host has: the caller's buffers and
/// constant globals.
bool isHostBuffer(Value buffer) {
  if (auto arg = dyn_cast<BlockArgument>(buffer))
    return isa<FunctionOpInterface>(arg.getOwner()->getParentOp());
  return buffer.getDefiningOp<memref::GetGlobalOp>() != nullptr;
}

/// Scalar reads that stay on the host: shape checks and other host logic
/// reading an input or a constant.
bool isHostRead(Operation *op) {
  auto load = dyn_cast<memref::LoadOp>(op);
  return load && isOnHost(op) && isHostBuffer(load.getMemRef());
}

/// True when `op`, run on the host, would read or write buffer contents.
bool touchesBufferContents(Operation *op) {
  if (isa<mlir::gpu::GPUDialect>(op->getDialect()))
    return false;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return false;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [](const MemoryEffects::EffectInstance &e) {
    return isa<MemoryEffects::Read, MemoryEffects::Write>(e.getEffect()) &&
           e.getValue() && isa<MemRefType>(e.getValue().getType());
  });
}

struct PlaceBuffersOnDevicePass
    : tessera::gpu::impl::PlaceBuffersOnDeviceBase<PlaceBuffersOnDevicePass> {
  using Base::Base;

  /// Host buffer → its device copy.
  DenseMap<Value, Value> deviceCopies;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isDeclaration())
      return;
    if (failed(checkHostOps(func)))
      return signalPassFailure();
    SmallVector<func::ReturnOp> returns(func.getOps<func::ReturnOp>());
    if (returns.empty() && !func.getBody().hasOneBlock())
      return;

    replaceAllocations(func);
    replaceCopies(func);
    // Device copies created here are freed before every return.
    SmallVector<Value> toFree;
    placeConstants(func, toFree);
    placeArguments(func, returns, toFree);
    if (failed(sinkHostScalars(func)))
      return signalPassFailure();
    for (func::ReturnOp ret : returns) {
      OpBuilder b(ret);
      for (Value buffer : toFree)
        mlir::gpu::DeallocOp::create(b, ret.getLoc(), TypeRange(),
                                     ValueRange(), buffer);
    }
  }

  LogicalResult checkHostOps(func::FuncOp func) {
    WalkResult result = func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<mlir::gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (!touchesBufferContents(op) || isHostRead(op) ||
          isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp,
              memref::CopyOp>(op))
        return WalkResult::advance();
      std::string node = tessera::getNodeName(op->getLoc());
      op->emitError("'")
          << op->getName() << "'"
          << (node.empty() ? std::string() : " (node '" + node + "')")
          << " would access buffer contents on the host of a GPU program; "
             "this op has no GPU lowering yet: compile with --target=cpu";
      return WalkResult::interrupt();
    });
    return failure(result.wasInterrupted());
  }

  void replaceAllocations(func::FuncOp func) {
    SmallVector<Operation *> allocs, deallocs;
    func.walk([&](Operation *op) {
      if (!isOnHost(op))
        return;
      if (isa<memref::AllocOp, memref::AllocaOp>(op))
        allocs.push_back(op);
      else if (isa<memref::DeallocOp>(op))
        deallocs.push_back(op);
    });
    for (Operation *op : allocs) {
      OpBuilder b(op);
      auto type = cast<MemRefType>(op->getResult(0).getType());
      auto alloc = mlir::gpu::AllocOp::create(
          b, op->getLoc(), type, /*asyncToken=*/Type(),
          /*asyncDependencies=*/ValueRange(), op->getOperands(),
          /*symbolOperands=*/ValueRange(), /*hostShared=*/false);
      op->getResult(0).replaceAllUsesWith(alloc.getMemref());
      op->erase();
    }
    for (Operation *op : deallocs) {
      OpBuilder b(op);
      mlir::gpu::DeallocOp::create(b, op->getLoc(), TypeRange(), ValueRange(),
                                   op->getOperand(0));
      op->erase();
    }
  }

  /// Contiguous copies (strided ones are kernels already) become
  /// device-to-device transfers.
  void replaceCopies(func::FuncOp func) {
    SmallVector<memref::CopyOp> copies;
    func.walk([&](memref::CopyOp copy) {
      if (isOnHost(copy))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      OpBuilder b(copy);
      mlir::gpu::MemcpyOp::create(b, copy.getLoc(), TypeRange(), ValueRange(),
                                  copy.getTarget(), copy.getSource());
      copy->erase();
    }
  }

  /// Copies `host` into a new device buffer at `b`'s insertion point and
  /// redirects its other uses there.
  Value copyToDevice(OpBuilder &b, Location loc, Value host, bool copyIn) {
    auto type = cast<MemRefType>(host.getType());
    Value device = mlir::gpu::AllocOp::create(
                       b, loc, type, Type(), ValueRange(), ValueRange(),
                       ValueRange(), /*hostShared=*/false)
                       .getMemref();
    Operation *copy = nullptr;
    if (copyIn)
      copy = mlir::gpu::MemcpyOp::create(b, loc, TypeRange(), ValueRange(),
                                         device, host);
    host.replaceUsesWithIf(device, [&](OpOperand &use) {
      return use.getOwner() != copy && !isHostRead(use.getOwner());
    });
    deviceCopies[host] = device;
    return device;
  }

  /// Kernels take buffers only (a SPIR-V kernel's parameters are storage
  /// buffers): a scalar that the host computes from inputs or constants and
  /// a kernel uses is recomputed inside the kernel, from the device copies.
  LogicalResult sinkHostScalars(func::FuncOp func) {
    SmallVector<mlir::gpu::LaunchOp> launches;
    func.walk([&](mlir::gpu::LaunchOp launch) { launches.push_back(launch); });
    for (mlir::gpu::LaunchOp launch : launches) {
      Region &body = launch.getBody();
      SetVector<Value> captured;
      getUsedValuesDefinedAbove(body, captured);
      IRMapping mapping;
      OpBuilder b = OpBuilder::atBlockBegin(&body.front());
      for (Value value : captured) {
        if (isa<MemRefType>(value.getType()) || !value.getDefiningOp())
          continue;
        if (failed(cloneScalar(value, b, mapping)))
          return failure();
        Value inside = mapping.lookup(value);
        value.replaceUsesWithIf(inside, [&](OpOperand &use) {
          return body.isAncestor(use.getOwner()->getParentRegion());
        });
      }
    }
    return success();
  }

  /// Clones the host computation of `value` at `b` (operands first).
  LogicalResult cloneScalar(Value value, OpBuilder &b, IRMapping &mapping) {
    if (mapping.contains(value))
      return success();
    Operation *op = value.getDefiningOp();
    if (!op) // a block argument of host control flow
      return emitError(value.getLoc(), "a kernel uses a value of the host's "
                                        "control flow; not supported on GPU "
                                        "targets yet");
    bool isRead = isHostRead(op);
    if (!isRead && !isPure(op))
      return op->emitError("a kernel uses the result of this host operation; "
                           "not supported on GPU targets yet");
    for (Value operand : op->getOperands()) {
      if (isa<MemRefType>(operand.getType())) {
        Value device = deviceCopies.lookup(operand);
        if (!device)
          return op->emitError("no device copy of this buffer");
        mapping.map(operand, device);
        continue;
      }
      if (failed(cloneScalar(operand, b, mapping)))
        return failure();
    }
    b.clone(*op, mapping);
    return success();
  }

  void placeConstants(func::FuncOp func, SmallVectorImpl<Value> &toFree) {
    SmallVector<memref::GetGlobalOp> globals;
    func.walk([&](memref::GetGlobalOp op) {
      if (isOnHost(op))
        globals.push_back(op);
    });
    for (memref::GetGlobalOp global : globals) {
      OpBuilder b(global->getBlock(), std::next(global->getIterator()));
      toFree.push_back(
          copyToDevice(b, global.getLoc(), global.getResult(), true));
    }
  }

  void placeArguments(func::FuncOp func, ArrayRef<func::ReturnOp> returns,
                      SmallVectorImpl<Value> &toFree) {
    unsigned numArgs = func.getNumArguments();
    unsigned numInputs = numArgs;
    if (auto names = func->getAttrOfType<ArrayAttr>("tessera.input_names"))
      numInputs = std::min<unsigned>(names.size(), numArgs);
    OpBuilder b = OpBuilder::atBlockBegin(&func.getBody().front());
    for (BlockArgument arg : func.getArguments()) {
      if (!isa<MemRefType>(arg.getType()) || arg.use_empty())
        continue;
      bool isInput = arg.getArgNumber() < numInputs;
      // Without input names every argument may be read and written.
      bool isOutput = arg.getArgNumber() >= numInputs || numInputs == numArgs;
      Value device = copyToDevice(b, arg.getLoc(), arg, isInput);
      toFree.push_back(device);
      if (!isOutput)
        continue;
      for (func::ReturnOp ret : returns) {
        OpBuilder atExit(ret);
        mlir::gpu::MemcpyOp::create(atExit, ret.getLoc(), TypeRange(),
                                    ValueRange(), arg, device);
      }
    }
  }
};

} // namespace
