//===- FormDispatches.cpp - Group Graph ops into dispatch regions ---------===//
//
// Forms `tdev.dispatch` regions in each block of a function, in phases:
//   1. every root op, in program order, takes the chain of elementwise ops
//      that consume it (each the only user of the previous value);
//   2. each root group takes the elementwise ops that only feed it;
//   3. every op left that needs a dispatch (elementwise, standalone) seeds
//      one, taking consumers and producers as above.
// Consumers go first so that an elementwise op between two roots becomes
// the epilogue of the first rather than the prologue of the second.
// A group is then placed where its last member was. Placing it there is
// valid unless a non-member uses a member's value before that point (which
// also catches a path that leaves the group and comes back); such a group
// is split into one dispatch per op.
//
//===----------------------------------------------------------------------===//

#include "dialects/Device/IR/DeviceOps.h"
#include "dialects/Device/Transforms/OpKind.h"
#include "dialects/Device/Transforms/Passes.h"
#include "tessera/Support/NodeName.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/STLExtras.h"

namespace tessera::device {
#define GEN_PASS_DEF_FORMDISPATCHES
#include "dialects/Device/Transforms/Passes.h.inc"
} // namespace tessera::device

using namespace mlir;
using namespace tessera::device;

namespace {

/// The ops of one future dispatch and the op that names it.
struct Group {
  Operation *root;
  SmallVector<Operation *> members;
};

/// Forms the dispatches of one block.
class DispatchFormer {
public:
  explicit DispatchFormer(Block &block) : block(block) {
    unsigned index = 0;
    for (Operation &op : block)
      position[&op] = index++;
  }

  void run() {
    // Phases 1 and 2: roots take their consumers, then their producers.
    for (Operation &op : block)
      if (classifyOp(&op) == OpKind::Root)
        growConsumers(newGroup(&op), &op, /*withProducers=*/false);
    for (unsigned g = 0, e = groups.size(); g != e; ++g)
      for (unsigned m = 0; m < groups[g].members.size(); ++m)
        growProducers(g, groups[g].members[m]);
    // Phase 3: everything else that computes gets a dispatch.
    for (Operation &op : block) {
      OpKind kind = classifyOp(&op);
      if (groupOf.contains(&op) ||
          (kind != OpKind::Elementwise && kind != OpKind::Standalone))
        continue;
      unsigned g = newGroup(&op);
      growProducers(g, &op);
      growConsumers(g, &op, /*withProducers=*/true);
    }

    SmallVector<Group> placeable;
    for (Group &group : groups) {
      llvm::sort(group.members, [&](Operation *a, Operation *b) {
        return position.lookup(a) < position.lookup(b);
      });
      if (canPlaceAtLastMember(group)) {
        placeable.push_back(std::move(group));
        continue;
      }
      for (Operation *op : group.members)
        placeable.push_back(Group{op, {op}});
    }
    for (const Group &group : placeable)
      createDispatch(group);
  }

private:
  unsigned newGroup(Operation *root) {
    groups.push_back(Group{root, {}});
    addMember(groups.size() - 1, root);
    return groups.size() - 1;
  }

  void addMember(unsigned g, Operation *op) {
    groupOf[op] = g;
    groups[g].members.push_back(op);
  }

  /// An elementwise op of this block that is in no group yet.
  bool isFreeElementwise(Operation *op) {
    return op && op->getBlock() == &block && !groupOf.contains(op) &&
           classifyOp(op) == OpKind::Elementwise;
  }

  /// The op that holds every use of `op`'s single result, if any.
  static Operation *soleUser(Operation *op) {
    if (op->getNumResults() != 1 || op->getResult(0).use_empty())
      return nullptr;
    Operation *user = *op->getResult(0).user_begin();
    return llvm::all_equal(op->getResult(0).getUsers()) ? user : nullptr;
  }

  /// Follows the chain of elementwise ops that each use the previous value
  /// (and nothing else does). An op that would broadcast the value to a
  /// larger shape ends the chain: the dispatch keeps the iteration space of
  /// its root. With `withProducers`, each op taken also takes its own
  /// producers right away.
  void growConsumers(unsigned g, Operation *op, bool withProducers) {
    while (Operation *user = soleUser(op)) {
      if (!isFreeElementwise(user) || user->getNumResults() != 1 ||
          cast<ShapedType>(user->getResult(0).getType()).getShape() !=
              cast<ShapedType>(op->getResult(0).getType()).getShape())
        return;
      addMember(g, user);
      if (withProducers)
        growProducers(g, user);
      op = user;
    }
  }

  /// Takes the elementwise ops whose results only `op` uses, transitively.
  void growProducers(unsigned g, Operation *op) {
    for (Value operand : op->getOperands()) {
      Operation *producer = operand.getDefiningOp();
      if (!isFreeElementwise(producer) || soleUser(producer) != op)
        continue;
      addMember(g, producer);
      growProducers(g, producer);
    }
  }

  /// Whether every use of a member's value by a non-member comes after the
  /// last member, where the dispatch will be.
  bool canPlaceAtLastMember(const Group &group) {
    unsigned last = position.lookup(group.members.back());
    unsigned g = groupOf.lookup(group.root);
    for (Operation *member : group.members)
      for (Operation *user : member->getUsers()) {
        // A use in another block is dominated by the dispatch as it was by
        // the member.
        Operation *ancestor = block.findAncestorOpInBlock(*user);
        if (!ancestor)
          continue;
        auto it = groupOf.find(ancestor);
        bool isMember = it != groupOf.end() && it->second == g;
        if (!isMember && position.lookup(ancestor) < last)
          return false;
      }
    return true;
  }

  /// Moves the members (sorted) into a new dispatch placed after the last one.
  void createDispatch(const Group &group) {
    llvm::SmallPtrSet<Operation *, 8> members(group.members.begin(),
                                              group.members.end());
    SmallVector<Value> escaping;
    for (Operation *member : group.members)
      for (Value result : member->getResults())
        if (llvm::any_of(result.getUsers(), [&](Operation *user) {
              return !members.contains(block.findAncestorOpInBlock(*user));
            }))
          escaping.push_back(result);

    Operation *root = group.root;
    OpBuilder builder(root->getContext());
    builder.setInsertionPointAfter(group.members.back());
    StringRef rootName = root->getName().getStringRef();
    if (classifyOp(root) == OpKind::Elementwise)
      rootName = "elementwise";
    std::string nodeName = tessera::getNodeName(root->getLoc());
    auto dispatch = DispatchOp::create(
        builder, root->getLoc(), ValueRange(escaping).getTypes(),
        builder.getStringAttr(rootName),
        nodeName.empty() ? StringAttr() : builder.getStringAttr(nodeName));

    Block *body = builder.createBlock(&dispatch.getBody());
    for (Operation *member : group.members)
      member->moveBefore(body, body->end());
    builder.setInsertionPointToEnd(body);
    YieldOp::create(builder, root->getLoc(), escaping);
    for (auto [value, result] : llvm::zip(escaping, dispatch.getResults()))
      value.replaceUsesWithIf(result, [&](OpOperand &use) {
        return !dispatch->isAncestor(use.getOwner());
      });
  }

  Block &block;
  /// Program order of the block's ops before any was moved.
  DenseMap<Operation *, unsigned> position;
  DenseMap<Operation *, unsigned> groupOf;
  SmallVector<Group> groups;
};

struct FormDispatchesPass
    : tessera::device::impl::FormDispatchesBase<FormDispatchesPass> {
  void runOnOperation() override {
    for (Block &block : getOperation().getBody())
      DispatchFormer(block).run();
  }
};

} // namespace
