//===- OutlineParallelLoops.cpp - scf.parallel to the runtime's pool ------===//
//
// Each outermost scf.parallel without results becomes a call to the
// runtime's `tessera_rt_parallel_for(n, body, ctx)` (include/tessera-c/
// Artifact.h). The loop body moves to a new function
// `body(i64 begin, i64 end, ptr ctx)` that runs the linearized iterations
// [begin, end) sequentially; the values the body uses from above are stored
// into a struct on the caller's stack (`ctx`) and loaded back in the body.
// Memrefs travel as their LLVM descriptors through
// builtin.unrealized_conversion_cast, which the LLVM conversions fold away.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"
#include "tessera/Support/NodeName.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/StringMap.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_OUTLINEPARALLELLOOPS
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

constexpr StringLiteral kParallelForName = "tessera_rt_parallel_for";

/// Type of the outlined body: (i64 begin, i64 end, ptr ctx) -> ().
FunctionType getBodyType(MLIRContext *context) {
  Type i64 = IntegerType::get(context, 64);
  return FunctionType::get(context,
                           {i64, i64, LLVM::LLVMPointerType::get(context)}, {});
}

/// `<func>_parallel_<N>`, followed by the ONNX node that most of the
/// loop's FMAs (or, without FMAs, operations) came from, when their
/// locations name one
/// (`main_parallel_3__layer1_layer1_0_conv1_Conv`, not the ReLU whose tile
/// the convolution was fused into): profilers such as perf then attribute
/// a model's time to its nodes.
std::string getBodyName(func::FuncOp parent, scf::ParallelOp loop,
                        unsigned counter) {
  std::string name =
      (parent.getSymName() + "_parallel_" + Twine(counter)).str();
  // FMAs count before any other operation: a transposing epilogue's
  // unrolled shuffles outnumber its product's FMAs.
  llvm::StringMap<std::pair<unsigned, unsigned>> opsPerNode;
  std::string node;
  std::pair<unsigned, unsigned> most = {0, 0};
  loop.getBody()->walk([&](Operation *op) {
    std::string opNode = tessera::getNodeName(op->getLoc());
    if (opNode.empty())
      return;
    std::pair<unsigned, unsigned> &count = opsPerNode[opNode];
    if (isa<vector::FMAOp>(op))
      ++count.first;
    ++count.second;
    if (count > most) {
      most = count;
      node = opNode;
    }
  });
  if (node.empty())
    node = tessera::getNodeName(loop.getLoc());
  if (node.empty())
    return name;
  name += "_";
  for (char c : node)
    name += llvm::isAlnum(c) ? c : '_';
  return name;
}

/// Declares `tessera_rt_parallel_for` in `module` if needed.
func::FuncOp getOrDeclareParallelFor(ModuleOp module) {
  if (auto func = module.lookupSymbol<func::FuncOp>(kParallelForName))
    return func;
  MLIRContext *context = module.getContext();
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  Type i64 = IntegerType::get(context, 64);
  auto type = FunctionType::get(
      context,
      {i64, getBodyType(context), LLVM::LLVMPointerType::get(context)}, {});
  auto func = func::FuncOp::create(builder, module.getLoc(), kParallelForName,
                                   type);
  func.setPrivate();
  return func;
}

/// How a captured value is stored in the context struct: its LLVM type, or
/// null if it cannot travel.
Type getStorageType(const LLVMTypeConverter &converter, Value value) {
  Type type = value.getType();
  if (type.isIndex())
    return IntegerType::get(type.getContext(), 64);
  if (isa<MemRefType>(type))
    return converter.convertType(type);
  if (LLVM::isCompatibleType(type))
    return type;
  return nullptr;
}

/// Converts `value` to its storage type (in the caller).
Value toStorage(OpBuilder &b, Location loc, Value value, Type storage) {
  if (value.getType().isIndex())
    return arith::IndexCastOp::create(b, loc, storage, value);
  if (isa<MemRefType>(value.getType()))
    return UnrealizedConversionCastOp::create(b, loc, storage, value)
        .getResult(0);
  return value;
}

/// Converts a loaded storage value back to `type` (in the body).
Value fromStorage(OpBuilder &b, Location loc, Value stored, Type type) {
  if (type.isIndex())
    return arith::IndexCastOp::create(b, loc, type, stored);
  if (isa<MemRefType>(type))
    return UnrealizedConversionCastOp::create(b, loc, type, stored)
        .getResult(0);
  return stored;
}

struct OutlineParallelLoopsPass
    : tessera::cpu::impl::OutlineParallelLoopsBase<OutlineParallelLoopsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    LLVMTypeConverter converter(context);
    SymbolTable symbols(module);

    SmallVector<scf::ParallelOp> loops;
    module.walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>() &&
          loop.getNumResults() == 0)
        loops.push_back(loop);
    });
    unsigned counter = 0;
    for (scf::ParallelOp loop : loops)
      outline(loop, converter, symbols, counter);
  }

  void outline(scf::ParallelOp loop, const LLVMTypeConverter &converter,
               SymbolTable &symbols, unsigned &counter) {
    MLIRContext *context = &getContext();
    Location loc = loop.getLoc();
    auto parent = loop->getParentOfType<func::FuncOp>();
    if (!parent)
      return;

    // Values from above: constants are rematerialized in the body, the rest
    // travels in the context struct.
    llvm::SetVector<Value> used;
    getUsedValuesDefinedAbove(loop.getRegion(), used);
    for (Value v : llvm::concat<Value>(loop.getLowerBound(), loop.getUpperBound(),
                                          loop.getStep()))
      used.insert(v);
    SmallVector<Value> constants, captures;
    SmallVector<Type> storageTypes;
    for (Value value : used) {
      if (matchPattern(value, m_Constant())) {
        constants.push_back(value);
        continue;
      }
      Type storage = getStorageType(converter, value);
      if (!storage)
        return; // Leave the loop sequential.
      captures.push_back(value);
      storageTypes.push_back(storage);
    }
    auto ctxType = LLVM::LLVMStructType::getLiteral(context, storageTypes);
    auto ptrType = LLVM::LLVMPointerType::get(context);
    Type i64 = IntegerType::get(context, 64);

    // The body function.
    OpBuilder moduleBuilder(parent);
    auto body = func::FuncOp::create(moduleBuilder, loc,
                                     getBodyName(parent, loop, counter++),
                                     getBodyType(context));
    body.setPrivate();
    symbols.insert(body);
    Block *entry = body.addEntryBlock();
    OpBuilder b = OpBuilder::atBlockBegin(entry);
    IRMapping mapping;
    for (Value value : constants)
      mapping.map(value, b.clone(*value.getDefiningOp())->getResult(0));
    Value ctxArg = entry->getArgument(2);
    for (auto [index, value] : llvm::enumerate(captures)) {
      Value address = LLVM::GEPOp::create(
          b, loc, ptrType, ctxType, ctxArg,
          ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(index)});
      Value stored = LLVM::LoadOp::create(b, loc, storageTypes[index], address);
      mapping.map(value, fromStorage(b, loc, stored, value.getType()));
    }
    // Trip counts, recomputed in the body from the (mapped) bounds.
    auto tripCounts = [&](OpBuilder &builder, auto lookup) {
      SmallVector<Value> counts;
      for (auto [lb, ub, step] :
           llvm::zip(loop.getLowerBound(), loop.getUpperBound(),
                     loop.getStep())) {
        Value span = arith::SubIOp::create(builder, loc, lookup(ub), lookup(lb));
        counts.push_back(
            arith::CeilDivSIOp::create(builder, loc, span, lookup(step)));
      }
      return counts;
    };
    auto lookupInBody = [&](Value v) { return mapping.lookupOrDefault(v); };
    SmallVector<Value> counts = tripCounts(b, lookupInBody);
    Value begin = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                             entry->getArgument(0));
    Value end = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                           entry->getArgument(1));
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto forOp = scf::ForOp::create(b, loc, begin, end, one);
    func::ReturnOp::create(b, loc);
    b.setInsertionPointToStart(forOp.getBody());
    // Delinearize, innermost dimension fastest.
    Value rest = forOp.getInductionVar();
    SmallVector<Value> ivs(counts.size());
    for (int64_t d = counts.size() - 1; d >= 0; --d) {
      Value index = d == 0 ? rest
                           : arith::RemSIOp::create(b, loc, rest, counts[d]);
      if (d > 0)
        rest = arith::DivSIOp::create(b, loc, rest, counts[d]);
      Value scaled = arith::MulIOp::create(
          b, loc, index, lookupInBody(loop.getStep()[d]));
      ivs[d] = arith::AddIOp::create(b, loc, scaled,
                                     lookupInBody(loop.getLowerBound()[d]));
    }
    for (auto [iv, value] : llvm::zip(loop.getInductionVars(), ivs))
      mapping.map(iv, value);
    for (Operation &op : loop.getBody()->without_terminator())
      b.clone(op, mapping);

    // The call in the caller: context struct on the stack (allocated once,
    // at function entry), then the runtime call.
    OpBuilder entryBuilder = OpBuilder::atBlockBegin(&parent.front());
    Value size = LLVM::ConstantOp::create(entryBuilder, loc, i64,
                                          entryBuilder.getI64IntegerAttr(1));
    Value ctx =
        LLVM::AllocaOp::create(entryBuilder, loc, ptrType, ctxType, size);
    OpBuilder call(loop);
    for (auto [index, value] : llvm::enumerate(captures)) {
      Value address = LLVM::GEPOp::create(
          call, loc, ptrType, ctxType, ctx,
          ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(index)});
      LLVM::StoreOp::create(call, loc,
                            toStorage(call, loc, value, storageTypes[index]),
                            address);
    }
    Value total = arith::ConstantIndexOp::create(call, loc, 1);
    for (Value count : tripCounts(call, [](Value v) { return v; }))
      total = arith::MulIOp::create(call, loc, total, count);
    Value n = arith::IndexCastOp::create(call, loc, i64, total);
    Value fn = func::ConstantOp::create(call, loc, getBodyType(context),
                                        body.getSymName());
    func::FuncOp parallelFor = getOrDeclareParallelFor(getOperation());
    func::CallOp::create(call, loc, parallelFor, ValueRange{n, fn, ctx});
    loop->erase();
  }
};

} // namespace
