//===- EmitArtifactABI.cpp - Artifact entry points in the LLVM dialect ----===//
//
// Adds the two C entry points every artifact exports (see
// include/tessera-c/Artifact.h) around the lowered model function:
//   int32_t tessera_artifact_run(void **buffers);
//   const char *tessera_artifact_metadata(void);
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "tessera-c/Artifact.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_EMITARTIFACTABI
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

constexpr StringLiteral kMetadataAttr = "tessera.artifact_metadata";

struct EmitArtifactABIPass
    : tessera::cpu::impl::EmitArtifactABIBase<EmitArtifactABIPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto entry = module.lookupSymbol<LLVM::LLVMFuncOp>(entryName);
    if (!entry) {
      module.emitError("no LLVM function '") << entryName << "' to wrap";
      return signalPassFailure();
    }
    auto metadata = entry->getAttrOfType<StringAttr>(kMetadataAttr);
    if (!metadata) {
      entry.emitError("missing '") << kMetadataAttr << "' attribute";
      return signalPassFailure();
    }
    for (Type type : entry.getArgumentTypes()) {
      if (!isa<LLVM::LLVMPointerType>(type)) {
        entry.emitError("expects only pointer arguments (bare-pointer "
                        "calling convention), got ")
            << type;
        return signalPassFailure();
      }
    }
    entry->removeAttr(kMetadataAttr);
    entry.setLinkage(LLVM::Linkage::Internal);

    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    buildMetadataFunction(builder, module.getLoc(), metadata.getValue());
    buildRunFunction(builder, module.getLoc(), entry);
  }

  /// const char *tessera_artifact_metadata(void) { return "<text>"; }
  void buildMetadataFunction(OpBuilder &builder, Location loc,
                             StringRef text) {
    MLIRContext *ctx = builder.getContext();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    std::string data = text.str();
    data.push_back('\0');
    auto arrayType =
        LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8), data.size());
    auto global = LLVM::GlobalOp::create(
        builder, loc, arrayType, /*isConstant=*/true, LLVM::Linkage::Internal,
        "tessera_artifact_metadata_text", builder.getStringAttr(data));
    (void)global;

    auto func = LLVM::LLVMFuncOp::create(
        builder, loc, TESSERA_ARTIFACT_METADATA_SYMBOL,
        LLVM::LLVMFunctionType::get(ptrType, {}));
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(func.addEntryBlock(builder));
    Value address = LLVM::AddressOfOp::create(
        builder, loc, ptrType, "tessera_artifact_metadata_text");
    LLVM::ReturnOp::create(builder, loc, address);
  }

  /// int32_t tessera_artifact_run(void **buffers) {
  ///   main(buffers[0], ..., buffers[n-1]); return 0;
  /// }
  void buildRunFunction(OpBuilder &builder, Location loc,
                        LLVM::LLVMFuncOp entry) {
    MLIRContext *ctx = builder.getContext();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    auto i32 = IntegerType::get(ctx, 32);
    auto func = LLVM::LLVMFuncOp::create(
        builder, loc, TESSERA_ARTIFACT_RUN_SYMBOL,
        LLVM::LLVMFunctionType::get(i32, {ptrType}));
    OpBuilder::InsertionGuard guard(builder);
    Block *body = func.addEntryBlock(builder);
    builder.setInsertionPointToStart(body);
    Value buffers = body->getArgument(0);
    SmallVector<Value> args;
    for (unsigned i = 0, e = entry.getNumArguments(); i < e; ++i) {
      Value slot = LLVM::GEPOp::create(builder, loc, ptrType, ptrType, buffers,
                                       ArrayRef<LLVM::GEPArg>{(int32_t)i});
      args.push_back(LLVM::LoadOp::create(builder, loc, ptrType, slot));
    }
    LLVM::CallOp::create(builder, loc, entry, args);
    Value zero = LLVM::ConstantOp::create(builder, loc, i32, 0);
    LLVM::ReturnOp::create(builder, loc, zero);
  }
};

} // namespace
