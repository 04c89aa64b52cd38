//===- PlaceBuffersOnDevice.cpp - Device memory for GPU programs ----------===//
//
// After tessera-map-linalg-to-gpu, the model function only allocates,
// takes views and launches kernels. This pass moves every buffer to device
// memory and adds the transfers at the boundary: the caller's inputs are
// copied in at entry, outputs copied back at exit. Constant weights are not
// copied per run: each becomes a call of the runtime's
// tessera_rt_gpu_constant, which uploads it on a loaded model's first run
// and returns the same device buffer afterwards. All GPU operations are
// then made asynchronous on one stream by gpu-async-region, so a run is one
// stream of copies and launches.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/Passes.h"

#include "tessera/Support/NodeName.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

#include <optional>

namespace tessera::gpu {
#define GEN_PASS_DEF_PLACEBUFFERSONDEVICE
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

/// The runtime's cache of device copies of constants (include/tessera-c/
/// Artifact.h): `void *tessera_rt_gpu_constant(uintptr_t host, uint64_t
/// bytes)`.
constexpr StringLiteral kGpuConstantName = "tessera_rt_gpu_constant";

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

  /// Host buffer → its device copy, in the function being placed.
  DenseMap<Value, Value> deviceCopies;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp func : funcs) {
      deviceCopies.clear();
      if (failed(placeFunction(module, func)))
        return signalPassFailure();
    }
  }

  LogicalResult placeFunction(ModuleOp module, func::FuncOp func) {
    if (func.isDeclaration())
      return success();
    if (failed(checkHostOps(func)))
      return failure();
    SmallVector<func::ReturnOp> returns(func.getOps<func::ReturnOp>());
    if (returns.empty() && !func.getBody().hasOneBlock())
      return success();

    replaceAllocations(func);
    replaceCopies(func);
    // Device copies created here are freed before every return.
    SmallVector<Value> toFree;
    placeArguments(func, returns, toFree);
    // After the arguments, so that the constants come first at entry: a
    // call after an asynchronous copy would make gpu-async-region wait.
    placeConstants(module, func, toFree);
    if (failed(sinkHostScalars(func)))
      return failure();
    for (func::ReturnOp ret : returns) {
      OpBuilder b(ret);
      for (Value buffer : toFree)
        mlir::gpu::DeallocOp::create(b, ret.getLoc(), TypeRange(),
                                     ValueRange(), buffer);
    }
    return success();
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

  /// Bytes of the device copy of `global` when the runtime may cache it
  /// (a constant the host code can address as plain bytes), else nullopt.
  static std::optional<int64_t> getCachedConstantBytes(ModuleOp module,
                                                       memref::GetGlobalOp op) {
    auto global = dyn_cast_or_null<memref::GlobalOp>(
        SymbolTable::lookupSymbolIn(module, op.getNameAttr()));
    MemRefType type = op.getType();
    Type element = type.getElementType();
    if (!global || !global.getConstant() || !type.hasStaticShape() ||
        !type.getNumElements() || !type.getLayout().isIdentity() ||
        type.getMemorySpace() || !element.isIntOrFloat() ||
        element.getIntOrFloatBitWidth() % 8)
      return std::nullopt;
    return type.getNumElements() * (element.getIntOrFloatBitWidth() / 8);
  }

  /// `host`'s device copy from the runtime's cache, viewed with the
  /// global's type. The call's result is typed one byte long, because
  /// host code passes memrefs as bare pointers (which need a static shape,
  /// and one declaration serves every constant); the reinterpret_cast gives
  /// it the constant's length.
  Value getCachedDeviceCopy(OpBuilder &b, Location loc, Value host,
                            int64_t bytes) {
    Value address =
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, host);
    Value size = arith::ConstantIntOp::create(b, loc, bytes, 64);
    auto rawType = MemRefType::get({1}, b.getI8Type());
    Value raw = func::CallOp::create(b, loc, kGpuConstantName, rawType,
                                     ValueRange{address, size})
                    .getResult(0);
    auto bytesType = MemRefType::get({bytes}, b.getI8Type());
    Value all = memref::ReinterpretCastOp::create(
        b, loc, bytesType, raw, /*offset=*/0, /*sizes=*/{bytes},
        /*strides=*/{1});
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    return memref::ViewOp::create(b, loc, host.getType(), all, zero,
                                  ValueRange())
        .getResult();
  }

  /// Declares `tessera_rt_gpu_constant` in `module` unless it is there.
  static void declareGpuConstant(ModuleOp module) {
    if (module.lookupSymbol(kGpuConstantName))
      return;
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    MLIRContext *ctx = module.getContext();
    auto type =
        FunctionType::get(ctx, {IndexType::get(ctx), IntegerType::get(ctx, 64)},
                          {MemRefType::get({1}, IntegerType::get(ctx, 8))});
    auto decl =
        func::FuncOp::create(b, module.getLoc(), kGpuConstantName, type);
    decl.setPrivate();
  }

  /// Constant globals come from the runtime's per-model cache, at entry;
  /// other globals get a device copy per run, like inputs.
  void placeConstants(ModuleOp module, func::FuncOp func,
                      SmallVectorImpl<Value> &toFree) {
    SmallVector<memref::GetGlobalOp> globals;
    func.walk([&](memref::GetGlobalOp op) {
      if (isOnHost(op))
        globals.push_back(op);
    });
    Block &entry = func.getBody().front();
    // Keeps the globals' order at entry, ahead of everything else.
    OpBuilder atEntry = OpBuilder::atBlockBegin(&entry);
    for (memref::GetGlobalOp global : globals) {
      Location loc = global.getLoc();
      Value host = global.getResult();
      std::optional<int64_t> bytes = getCachedConstantBytes(module, global);
      if (!bytes) {
        OpBuilder b(global->getBlock(), std::next(global->getIterator()));
        toFree.push_back(copyToDevice(b, loc, host, /*copyIn=*/true));
        continue;
      }
      declareGpuConstant(module);
      // Kernels use the device copy; host scalar reads keep the host data.
      SmallVector<OpOperand *> deviceUses;
      for (OpOperand &use : host.getUses())
        if (!isHostRead(use.getOwner()))
          deviceUses.push_back(&use);
      if (global->getIterator() != atEntry.getInsertionPoint())
        global->moveBefore(&entry, atEntry.getInsertionPoint());
      atEntry.setInsertionPointAfter(global);
      Value device = getCachedDeviceCopy(atEntry, loc, host, *bytes);
      for (OpOperand *use : deviceUses)
        use->set(device);
      deviceCopies[host] = device;
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
