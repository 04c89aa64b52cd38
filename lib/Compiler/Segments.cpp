//===- Segments.cpp - Split a placed model into per-device segments -------===//

#include "Segments.h"

#include "dialects/Device/IR/DeviceAttrs.h"
#include "dialects/Device/IR/DeviceOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>

using namespace mlir;
using namespace tessera;

namespace {

/// Where each top-level op of the entry goes, and what crosses segments.
class SegmentBuilder {
public:
  SegmentBuilder(ModuleOp module, func::FuncOp entry)
      : module(module), entry(entry), body(entry.getBody().front()) {}

  FailureOr<std::vector<Segment>> run();

private:
  /// Constants and other operand-free pure ops: copied where used.
  static bool isCopiedIntoUsers(Operation *op) {
    return op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
           isMemoryEffectFree(op);
  }
  /// `value` with transfers looked through.
  static Value resolve(Value value) {
    while (auto transfer = value.getDefiningOp<device::TransferOp>())
      value = transfer.getInput();
    return value;
  }
  /// The op of the entry's block that holds `op` (or null).
  Operation *getTopLevelOp(Operation *op) const {
    return body.findAncestorOpInBlock(*op);
  }

  void assignDevices();
  void formSegments();
  LogicalResult nameValues();
  Segment buildSegment(unsigned index);

  ModuleOp module;
  func::FuncOp entry;
  Block &body;
  /// Top-level ops that are units of placement, in program order.
  SmallVector<Operation *> units;
  llvm::DenseMap<Operation *, std::string> deviceOf;
  llvm::DenseMap<Operation *, unsigned> segmentOf;
  SmallVector<SmallVector<Operation *>> segmentOps;
  /// Names of the values that cross segments (and of model inputs and
  /// outputs); a value returned under several names has them all.
  llvm::MapVector<Value, SmallVector<std::string, 1>> names;
};

} // namespace

void SegmentBuilder::assignDevices() {
  for (Operation &op : body.without_terminator()) {
    if (isCopiedIntoUsers(&op) || isa<device::TransferOp>(op))
      continue;
    units.push_back(&op);
    if (auto target =
            op.getAttrOfType<device::TargetAttr>(device::kPlacementAttrName))
      deviceOf[&op] = target.getKind().str();
  }
  // Unplaced ops (reshapes between dispatches, ...) follow their producer.
  for (Operation *op : units) {
    if (deviceOf.count(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *producer = resolve(operand).getDefiningOp())
        if (auto it = deviceOf.find(producer); it != deviceOf.end()) {
          deviceOf[op] = it->second;
          break;
        }
  }
  // Or their first placed user; the cpu when nothing says otherwise.
  for (Operation *op : llvm::reverse(units)) {
    if (deviceOf.count(op))
      continue;
    std::string device = "cpu";
    for (Operation *user : op->getUsers())
      if (Operation *top = getTopLevelOp(user))
        if (auto it = deviceOf.find(top); it != deviceOf.end()) {
          device = it->second;
          break;
        }
    deviceOf[op] = device;
  }
}

void SegmentBuilder::formSegments() {
  for (Operation *op : units) {
    // The latest segment this op reads from: it cannot join an earlier one.
    int latestProducer = -1;
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (Operation *producer = resolve(operand).getDefiningOp())
          if (auto it = segmentOf.find(producer); it != segmentOf.end())
            latestProducer = std::max<int>(latestProducer, it->second);
    });
    // Join the device's latest segment when that keeps the data flow
    // forward (independent branches on two devices make two segments, not
    // one per alternation), else start a new one.
    int target = -1;
    for (int i = segmentOps.size() - 1; i >= 0; --i)
      if (deviceOf[segmentOps[i].front()] == deviceOf[op]) {
        target = i;
        break;
      }
    if (target < 0 || target < latestProducer) {
      segmentOps.emplace_back();
      target = segmentOps.size() - 1;
    }
    segmentOf[op] = target;
    segmentOps[target].push_back(op);
  }
}

LogicalResult SegmentBuilder::nameValues() {
  auto stringAt = [&](StringRef attr, StringRef fallback, unsigned i) {
    if (auto array = entry->getAttrOfType<ArrayAttr>(attr))
      if (i < array.size())
        if (auto name = dyn_cast<StringAttr>(array[i]))
          return name.str();
    return (fallback + Twine(i)).str();
  };
  for (BlockArgument arg : body.getArguments())
    names[arg].push_back(stringAt("tessera.input_names", "input", arg.getArgNumber()));
  auto returnOp = cast<func::ReturnOp>(body.getTerminator());
  for (auto [i, operand] : llvm::enumerate(returnOp.getOperands())) {
    Value value = resolve(operand);
    if (isa<BlockArgument>(value))
      return entry.emitError("model output '")
             << stringAt("tessera.output_names", "output", i)
             << "' is the model input '" << names[value].front()
             << "': a partitioned model cannot return an input unchanged; "
                "compile it for one device";
    names[value].push_back(stringAt("tessera.output_names", "output", i));
  }
  // Values read by a later segment than the one that computes them.
  unsigned next = 0;
  for (Operation *op : units)
    for (Value result : op->getResults())
      for (OpOperand &use : result.getUses()) {
        Operation *user = getTopLevelOp(use.getOwner());
        // A transfer's users are the readers of the value.
        SmallVector<Operation *> readers;
        if (auto transfer = dyn_cast_or_null<device::TransferOp>(user)) {
          for (Operation *transferUser : transfer->getUsers())
            readers.push_back(getTopLevelOp(transferUser));
        } else {
          readers.push_back(user);
        }
        for (Operation *reader : readers)
          if (reader && segmentOf.count(reader) &&
              segmentOf[reader] != segmentOf[op] && !names.count(result))
            names[result].push_back("tessera.v" + std::to_string(next++));
      }
  return success();
}

Segment SegmentBuilder::buildSegment(unsigned index) {
  ArrayRef<Operation *> ops = segmentOps[index];
  llvm::SmallPtrSet<Operation *, 16> inSegment(ops.begin(), ops.end());
  MLIRContext *context = module.getContext();

  // Inputs: values from outside the segment (model inputs, other
  // segments); constants are copied instead.
  llvm::SetVector<Value> inputs;
  llvm::SetVector<Operation *> copied;
  for (Operation *op : ops)
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        Value value = resolve(operand);
        Operation *producer = value.getDefiningOp();
        if (!producer) {
          if (value.getParentBlock() == &body)
            inputs.insert(value);
          continue;
        }
        if (producer->getBlock() != &body || inSegment.contains(producer))
          continue;
        if (isCopiedIntoUsers(producer))
          copied.insert(producer);
        else
          inputs.insert(value);
      }
    });
  // Outputs: named values computed here (each name is one output).
  SmallVector<Value> outputs;
  SmallVector<Attribute> outputNames, inputNames;
  for (auto &[value, valueNames] : names) {
    Operation *producer = value.getDefiningOp();
    if (!producer || !inSegment.contains(producer))
      continue;
    for (const std::string &name : valueNames) {
      outputs.push_back(value);
      outputNames.push_back(StringAttr::get(context, name));
    }
  }
  for (Value input : inputs)
    inputNames.push_back(StringAttr::get(context, names.lookup(input).front()));

  OpBuilder builder(context);
  Segment segment;
  segment.device = deviceOf.lookup(ops.front());
  segment.module = ModuleOp::create(module.getLoc());
  for (NamedAttribute attr : module->getAttrs())
    if (attr.getName() != SymbolTable::getSymbolAttrName())
      (*segment.module)->setAttr(attr.getName(), attr.getValue());
  builder.setInsertionPointToEnd(segment.module->getBody());
  SmallVector<Type> inputTypes, outputTypes;
  for (Value input : inputs)
    inputTypes.push_back(input.getType());
  for (Value output : outputs)
    outputTypes.push_back(output.getType());
  auto func = func::FuncOp::create(builder, entry.getLoc(), entry.getSymName(),
                                   builder.getFunctionType(inputTypes, outputTypes));
  func->setAttr("tessera.input_names", builder.getArrayAttr(inputNames));
  func->setAttr("tessera.output_names", builder.getArrayAttr(outputNames));
  Block *block = func.addEntryBlock();
  builder.setInsertionPointToEnd(block);

  IRMapping mapping;
  for (auto [input, arg] : llvm::zip(inputs, block->getArguments()))
    mapping.map(input, arg);
  // Uses of a transfer's result read its source here.
  auto mapTransfers = [&](Operation *op) {
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (operand.getDefiningOp<device::TransferOp>())
          if (Value source = mapping.lookupOrNull(resolve(operand)))
            mapping.map(operand, source);
    });
  };
  for (Operation &op : body.without_terminator())
    if (copied.contains(&op))
      builder.clone(op, mapping);
  for (Operation *op : ops) {
    mapTransfers(op);
    builder.clone(*op, mapping);
    if (auto name = op->getAttrOfType<StringAttr>("name"))
      segment.dispatches.push_back(name.str());
  }
  SmallVector<Value> results;
  for (Value output : outputs)
    results.push_back(mapping.lookup(output));
  func::ReturnOp::create(builder, entry.getLoc(), results);
  return segment;
}

FailureOr<std::vector<Segment>> SegmentBuilder::run() {
  assignDevices();
  formSegments();
  if (failed(nameValues()))
    return failure();
  std::vector<Segment> segments;
  for (unsigned i = 0; i < segmentOps.size(); ++i)
    segments.push_back(buildSegment(i));
  return segments;
}

FailureOr<std::vector<Segment>>
tessera::splitIntoSegments(ModuleOp module, func::FuncOp entry) {
  return SegmentBuilder(module, entry).run();
}
