//===- OutlineKernels.cpp - Outline linalg ops into HLS kernels -----------===//
//
// Implements `thls-outline-kernels`: every linalg op of the model function
// (on buffers) becomes a `thls.kernel` function whose ports are root
// buffers, and the model function becomes the host schedule that calls them.
//
//===----------------------------------------------------------------------===//

#include "dialects/HLS/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace tessera::hls {
#define GEN_PASS_DEF_OUTLINEKERNELS
#include "dialects/HLS/Transforms/Passes.h.inc"
} // namespace tessera::hls

using namespace mlir;
using namespace tessera::hls;

namespace {

/// Ops that only reinterpret their source buffer; they are re-created in
/// the kernel so that ports stay root buffers.
bool isView(Operation *op) {
  return isa<memref::SubViewOp, memref::ExpandShapeOp, memref::CollapseShapeOp,
             memref::ReinterpretCastOp, memref::CastOp>(op);
}

/// Follows `value` through views to the buffer it aliases; appends the views
/// crossed (outermost first) to `views`.
Value traceRoot(Value value, SmallVectorImpl<Operation *> &views) {
  SmallVector<Operation *> chain;
  while (Operation *def = value.getDefiningOp()) {
    if (!isView(def))
      break;
    chain.push_back(def);
    value = def->getOperand(0);
  }
  views.append(chain.rbegin(), chain.rend());
  return value;
}

/// A C identifier for the kernel: index and op name (`k3_conv_2d_nchw_fchw`).
std::string kernelName(Operation *op, unsigned index) {
  std::string name = "k" + std::to_string(index) + "_";
  for (char c : op->getName().stripDialect())
    name.push_back(isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return name;
}

/// A port must be what a bare `T *` can point at: a statically shaped,
/// contiguous buffer.
LogicalResult checkPort(Operation *op, Value root) {
  auto type = dyn_cast<MemRefType>(root.getType());
  if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity())
    return op->emitOpError("cannot become an HLS kernel: operand buffer ")
           << root.getType()
           << " is not a static, contiguous memref (bufferize with "
              "identity layouts at function boundaries)";
  return success();
}

struct OutlineKernelsPass
    : tessera::hls::impl::OutlineKernelsBase<OutlineKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> models;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isDeclaration() &&
          !func->hasAttr(HLSDialect::kKernelAttrName))
        models.push_back(func);
    unsigned index = 0;
    for (func::FuncOp model : models) {
      SmallVector<linalg::LinalgOp> ops;
      model.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
      for (linalg::LinalgOp op : ops)
        if (failed(outline(module, op, index++)))
          return signalPassFailure();
    }
  }

  LogicalResult outline(ModuleOp module, linalg::LinalgOp op,
                        unsigned index) {
    if (!op.hasPureBufferSemantics())
      return op->emitOpError("cannot become an HLS kernel: it works on "
                             "tensors; bufferize first");
    // Values from above the op's body: constants are cloned, nothing else
    // can cross into a kernel.
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(op->getRegions(), captured);
    for (Value value : captured)
      if (!value.getDefiningOp<arith::ConstantOp>())
        return op->emitOpError("cannot become an HLS kernel: its body uses ")
               << value << " from outside";

    llvm::SetVector<Value> roots;
    SmallVector<Operation *> views;
    for (Value operand : op->getOperands()) {
      // Constant scalars (a fill value) are cloned like captured constants.
      if (operand.getDefiningOp<arith::ConstantOp>()) {
        captured.insert(operand);
        continue;
      }
      if (!isa<MemRefType>(operand.getType()))
        return op->emitOpError("cannot become an HLS kernel: scalar operand ")
               << operand.getType() << " is not a constant";
      roots.insert(traceRoot(operand, views));
    }
    for (Value root : roots)
      if (failed(checkPort(op, root)))
        return failure();
    for (Operation *view : views)
      if (view->getNumOperands() != 1)
        return view->emitOpError("has dynamic sizes or offsets; an HLS kernel "
                                 "needs static views of its ports");

    OpBuilder builder(module.getContext());
    builder.setInsertionPointToEnd(module.getBody());
    Location loc = op->getLoc();
    SmallVector<Type> types = llvm::map_to_vector(
        roots, [](Value root) { return root.getType(); });
    auto kernel = func::FuncOp::create(builder, loc, kernelName(op, index),
                                       builder.getFunctionType(types, {}));
    kernel.setPrivate();
    kernel->setAttr(HLSDialect::kKernelAttrName, builder.getUnitAttr());
    for (unsigned i = 0; i < roots.size(); ++i)
      kernel.setArgAttr(
          i, HLSDialect::kInterfaceAttrName,
          InterfaceAttr::get(builder.getContext(), InterfaceMode::m_axi,
                             builder.getStringAttr("gmem" + Twine(i))));

    Block *body = kernel.addEntryBlock();
    builder.setInsertionPointToStart(body);
    IRMapping mapping;
    for (auto [root, arg] : llvm::zip(roots, body->getArguments()))
      mapping.map(root, arg);
    for (Value value : captured)
      builder.clone(*value.getDefiningOp(), mapping);
    for (Operation *view : views)
      if (!mapping.contains(view->getResult(0)))
        builder.clone(*view, mapping);
    builder.clone(*op, mapping);
    func::ReturnOp::create(builder, loc);

    OpBuilder host(op);
    func::CallOp::create(host, loc, kernel, roots.getArrayRef());
    op->erase();
    return success();
  }
};

} // namespace
