//===- QoR.cpp - HLS quality-of-results estimator -------------------------===//
//
// An analytical model in the spirit of ScaleHLS's and COMBA's estimators:
//
// - A sequential loop costs trip x (body latency + 1).
// - A pipelined innermost loop, with the perfect nest above it flattened
//   (as Vitis HLS does for perfect nests with constant bounds), costs
//   (iterations - 1) x II + depth, where iterations = outer trips x
//   ceil(trip / unroll) and depth is the body's critical path.
// - II is the largest of the requested II, the memory-port bound (an m_axi
//   port moves width/element-bits elements per cycle on contiguous
//   accesses and one otherwise, reads and writes on separate channels; an
//   on-chip array 2 per bank) and the recurrence bound of accumulations
//   (read-modify-write of the same element: path latency over dependence
//   distance in iterations).
// - A kernel takes at least its off-chip bytes over the profile bandwidth.
// - Operators cost typical Vitis floating-point core latencies and
//   resources at 200-300 MHz; unrolled operators are replicated.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/HLS/QoR.h"

#include "dialects/HLS/IR/HLSDialect.h"

#include "mlir/Dialect/Affine/Analysis/LoopAnalysis.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include <cmath>

using namespace mlir;
using namespace tessera::hls;

QoR &QoR::operator+=(const QoR &other) {
  latency += other.latency;
  dsp += other.dsp;
  bram18k += other.bram18k;
  lut += other.lut;
  ff += other.ff;
  worstII = std::max(worstII, other.worstII);
  return *this;
}

double QoR::utilization(const FPGAProfile &p) const {
  return std::max({double(dsp) / p.dsp, double(bram18k) / p.bram18k,
                   double(lut) / p.lut, double(ff) / p.ff});
}

bool QoR::fits(const FPGAProfile &p) const {
  return utilization(p) <= p.usableFraction;
}

void tessera::hls::printQoR(const QoR &qor, const FPGAProfile &p,
                            llvm::raw_ostream &os) {
  os << "latency=" << qor.latency << " cycles ("
     << llvm::format("%.1f", qor.latency / p.clockMHz) << " us) dsp="
     << qor.dsp << " bram18k=" << qor.bram18k << " lut=" << qor.lut
     << " ff=" << qor.ff;
}

namespace {

struct OpCost {
  int64_t latency = 0, dsp = 0, lut = 0, ff = 0;
};

/// The buffer a memref value views (a kernel argument or an allocation).
Value getRoot(Value memref) {
  while (Operation *def = memref.getDefiningOp()) {
    if (!isa<memref::SubViewOp, memref::ExpandShapeOp, memref::CollapseShapeOp,
             memref::ReinterpretCastOp, memref::CastOp>(def))
      break;
    memref = def->getOperand(0);
  }
  return memref;
}

bool isPort(Value memref) { return isa<BlockArgument>(getRoot(memref)); }

Value getAccessedMemRef(Operation *op) {
  if (auto load = dyn_cast<affine::AffineLoadOp>(op))
    return load.getMemRef();
  if (auto store = dyn_cast<affine::AffineStoreOp>(op))
    return store.getMemRef();
  if (auto load = dyn_cast<memref::LoadOp>(op))
    return load.getMemRef();
  if (auto store = dyn_cast<memref::StoreOp>(op))
    return store.getMemRef();
  return nullptr;
}

bool isStore(Operation *op) {
  return isa<affine::AffineStoreOp, memref::StoreOp>(op);
}

/// Typical latency (cycles) and resources of one operator instance.
OpCost getOpCost(Operation *op, const FPGAProfile &profile) {
  if (Value memref = getAccessedMemRef(op)) {
    if (isStore(op))
      return {1, 0, 0, 0};
    return {isPort(memref) ? profile.maxiLatencyCycles : 2, 0, 0, 0};
  }
  bool wide = op->getNumResults() == 1 &&
              op->getResult(0).getType().isIntOrFloat() &&
              op->getResult(0).getType().getIntOrFloatBitWidth() > 32;
  return llvm::TypeSwitch<Operation *, OpCost>(op)
      .Case<arith::AddFOp, arith::SubFOp>([&](auto) {
        return wide ? OpCost{5, 3, 700, 1000} : OpCost{4, 2, 200, 300};
      })
      .Case<arith::MulFOp>([&](auto) {
        return wide ? OpCost{5, 11, 200, 300} : OpCost{3, 3, 100, 150};
      })
      .Case<arith::DivFOp>([](auto) { return OpCost{12, 0, 800, 1200}; })
      .Case<math::ExpOp, math::LogOp, math::TanhOp, math::ErfOp,
            math::PowFOp>([](auto) { return OpCost{16, 7, 1000, 1500}; })
      .Case<math::SqrtOp, math::RsqrtOp>(
          [](auto) { return OpCost{12, 0, 600, 900}; })
      .Case<arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp,
            arith::MinNumFOp, arith::CmpFOp, arith::SelectOp, math::AbsFOp,
            arith::NegFOp>([](auto) { return OpCost{1, 0, 60, 40}; })
      .Case<arith::MulIOp>([](auto) { return OpCost{2, 3, 50, 50}; })
      .Case<arith::DivSIOp, arith::DivUIOp, arith::RemSIOp, arith::RemUIOp>(
          [](auto) { return OpCost{20, 0, 1200, 1500}; })
      .Case<arith::SIToFPOp, arith::UIToFPOp, arith::FPToSIOp,
            arith::FPToUIOp>([](auto) { return OpCost{4, 0, 200, 200}; })
      .Case<arith::ConstantOp, affine::AffineApplyOp, affine::AffineYieldOp,
            arith::IndexCastOp, memref::SubViewOp, memref::ExpandShapeOp,
            memref::CollapseShapeOp, memref::ReinterpretCastOp,
            memref::CastOp, memref::AllocOp, memref::AllocaOp,
            func::ReturnOp>([](auto) { return OpCost{}; })
      .Default([](Operation *) { return OpCost{1, 0, 32, 32}; });
}

int64_t getTrip(affine::AffineForOp loop) {
  return affine::getConstantTripCount(loop).value_or(1);
}

int64_t getUnroll(affine::AffineForOp loop) {
  auto attr = loop->getAttrOfType<UnrollAttr>(HLSDialect::kUnrollAttrName);
  return attr ? std::clamp<int64_t>(attr.getFactor(), 1, getTrip(loop)) : 1;
}

/// Whether the access `op` (a load or store) uses `iv` in its indices.
bool usesValue(Operation *op, Value iv) {
  return llvm::is_contained(op->getOperands(), iv);
}

/// Element stride of `iv` in the linearized address of an affine access,
/// or nullopt when not affine or not constant.
std::optional<int64_t> getStride(Operation *op, Value iv) {
  AffineMap map;
  ValueRange indices;
  if (auto load = dyn_cast<affine::AffineLoadOp>(op)) {
    map = load.getAffineMap();
    indices = load.getMapOperands();
  } else if (auto store = dyn_cast<affine::AffineStoreOp>(op)) {
    map = store.getAffineMap();
    indices = store.getMapOperands();
  } else {
    return std::nullopt;
  }
  auto type = cast<MemRefType>(getAccessedMemRef(op).getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return std::nullopt;
  // Evaluate the map at iv = 1 and at iv = 0, everything else 0.
  auto evaluate = [&](int64_t ivValue) -> std::optional<int64_t> {
    SmallVector<Attribute> operands;
    Builder b(op->getContext());
    for (Value index : indices)
      operands.push_back(b.getIndexAttr(index == iv ? ivValue : 0));
    SmallVector<Attribute> results;
    if (failed(map.constantFold(operands, results)))
      return std::nullopt;
    int64_t linear = 0;
    for (auto [result, stride] : llvm::zip(results, strides))
      linear += cast<IntegerAttr>(result).getInt() * stride;
    return linear;
  };
  std::optional<int64_t> one = evaluate(1), zero = evaluate(0);
  if (!one || !zero)
    return std::nullopt;
  return *one - *zero;
}

/// Critical path (cycles) of the straight-line ops of `block`; with `from`,
/// only paths that start at `from`'s value and end at `to` (a store).
int64_t getCriticalPath(Block &block, const FPGAProfile &profile,
                        Value from = nullptr, Operation *to = nullptr) {
  llvm::DenseMap<Value, int64_t> ready;
  if (from)
    ready[from] = 0;
  int64_t depth = 0;
  for (Operation &op : block) {
    if (isa<affine::AffineForOp>(op))
      continue;
    bool reached = !from;
    int64_t start = 0;
    for (Value operand : op.getOperands()) {
      auto it = ready.find(operand);
      if (it == ready.end())
        continue;
      reached = true;
      start = std::max(start, it->second);
    }
    if (!reached)
      continue;
    int64_t finish = start + getOpCost(&op, profile).latency;
    for (Value result : op.getResults())
      ready[result] = finish;
    if (!to || &op == to)
      depth = std::max(depth, finish);
  }
  return std::max<int64_t>(depth, 1);
}

class Estimator {
public:
  Estimator(const FPGAProfile &profile, bool directives)
      : profile(profile), directives(directives) {}

  QoR run(func::FuncOp kernel) {
    qor = QoR{};
    qor.latency = getBlockLatency(kernel.front()) + 2;
    addResources(kernel);
    // Off-chip traffic bounds the whole kernel.
    int64_t bound =
        static_cast<int64_t>(std::ceil(bytes / profile.bytesPerCycle()));
    qor.latency = std::max(qor.latency, bound);
    return qor;
  }

private:
  int64_t getBlockLatency(Block &block) {
    int64_t latency = 0;
    for (Operation &op : block)
      if (auto loop = dyn_cast<affine::AffineForOp>(op))
        latency += getLoopLatency(loop, 1);
    return latency + getCriticalPath(block, profile);
  }

  /// `outerTrips`: iterations of the enclosing loops, for traffic.
  int64_t getLoopLatency(affine::AffineForOp loop, int64_t outerTrips) {
    SmallVector<affine::AffineForOp> chain = {loop};
    while (true) {
      Block *body = chain.back().getBody();
      auto inner = dyn_cast<affine::AffineForOp>(body->front());
      if (!inner || body->getOperations().size() != 2)
        break;
      chain.push_back(inner);
    }
    bool pipelined =
        directives &&
        chain.back()->hasAttr(HLSDialect::kPipelineAttrName) &&
        llvm::all_of(ArrayRef(chain).drop_back(), [](affine::AffineForOp l) {
          return !l->hasAttr(HLSDialect::kPipelineAttrName);
        });
    if (pipelined)
      return getPipelineLatency(chain, outerTrips);
    int64_t trip = getTrip(loop);
    countTraffic(*loop.getBody(), outerTrips * trip, 1);
    int64_t body = 0;
    for (Operation &op : *loop.getBody())
      if (auto inner = dyn_cast<affine::AffineForOp>(op))
        body += getLoopLatency(inner, outerTrips * trip);
    body += getCriticalPath(*loop.getBody(), profile);
    return trip * (body + 1) + 1;
  }

  int64_t getPipelineLatency(ArrayRef<affine::AffineForOp> chain,
                             int64_t outerTrips) {
    affine::AffineForOp loop = chain.back();
    Block &body = *loop.getBody();
    int64_t trip = getTrip(loop), unroll = getUnroll(loop);
    int64_t outer = 1;
    for (affine::AffineForOp l : chain.drop_back())
      outer *= getTrip(l);
    int64_t iterations = outer * ((trip + unroll - 1) / unroll);
    int64_t depth = getCriticalPath(body, profile);
    int64_t requested = loop->getAttrOfType<PipelineAttr>(
                                HLSDialect::kPipelineAttrName)
                            .getIi();
    int64_t ii = std::max({requested, getMemoryII(loop, unroll),
                           getRecurrenceII(chain, unroll)});
    qor.worstII = std::max(qor.worstII, ii);
    countTraffic(body, outerTrips * outer * trip, unroll);
    return (iterations - 1) * ii + depth + int64_t(chain.size());
  }

  /// The port bound: accesses per iteration over elements per cycle.
  int64_t getMemoryII(affine::AffineForOp loop, int64_t unroll) {
    Value iv = loop.getInductionVar();
    // (root, is write) -> (accesses per iteration, elements per cycle)
    llvm::DenseMap<std::pair<Value, unsigned>, std::pair<int64_t, int64_t>> use;
    for (Operation &op : *loop.getBody()) {
      Value memref = getAccessedMemRef(&op);
      if (!memref)
        continue;
      bool varies = usesValue(&op, iv);
      int64_t count = varies ? unroll : 1;
      int64_t perCycle = 1;
      Value root = getRoot(memref);
      auto type = cast<MemRefType>(memref.getType());
      if (isa<BlockArgument>(root)) {
        // A burst moves a beat of elements per cycle; a strided access uses
        // one in `stride` of them.
        int64_t beat = std::max<int64_t>(
            1, profile.maxiWidthBits / type.getElementTypeBitWidth());
        std::optional<int64_t> stride = getStride(&op, iv);
        if (!varies)
          perCycle = beat;
        else if (stride && *stride != 0 && std::abs(*stride) < beat)
          perCycle = beat / std::abs(*stride);
      } else {
        perCycle = getBanks(root); // One read and one write port per bank.
      }
      auto &entry = use[{root, isStore(&op) ? 1u : 0u}];
      entry.first += count;
      entry.second = entry.second ? std::min(entry.second, perCycle) : perCycle;
    }
    int64_t ii = 1;
    for (auto &[key, value] : use)
      ii = std::max(ii, (value.first + value.second - 1) / value.second);
    return ii;
  }

  /// Banks of an on-chip array from its partition directive.
  int64_t getBanks(Value root) {
    Operation *def = root.getDefiningOp();
    auto partition =
        def ? def->getAttrOfType<PartitionAttr>(HLSDialect::kPartitionAttrName)
            : nullptr;
    if (!partition || !directives)
      return 1;
    if (partition.getKind() == PartitionKind::complete)
      return cast<MemRefType>(root.getType()).getNumElements();
    return partition.getFactor();
  }

  /// The recurrence bound of read-modify-writes of one element.
  int64_t getRecurrenceII(ArrayRef<affine::AffineForOp> chain,
                          int64_t unroll) {
    affine::AffineForOp loop = chain.back();
    Block &body = *loop.getBody();
    int64_t ii = 1;
    for (Operation &op : body) {
      auto store = dyn_cast<affine::AffineStoreOp>(op);
      if (!store)
        continue;
      for (Operation &other : body) {
        auto load = dyn_cast<affine::AffineLoadOp>(other);
        if (!load || load.getMemRef() != store.getMemRef() ||
            load.getAffineMap() != store.getAffineMap() ||
            load.getMapOperands() != store.getMapOperands())
          continue;
        // The innermost loop of the nest that does not index the element
        // carries the dependence.
        int64_t carrier = -1;
        for (int64_t i = chain.size() - 1; i >= 0; --i)
          if (!usesValue(store, affine::AffineForOp(chain[i]).getInductionVar())) {
            carrier = i;
            break;
          }
        if (carrier < 0)
          continue;
        int64_t path =
            getCriticalPath(body, profile, load.getResult(), store) - 0;
        int64_t distance = 1, length = path;
        if (carrier == int64_t(chain.size()) - 1) {
          length = path * unroll;
        } else {
          for (size_t i = carrier + 1; i < chain.size(); ++i)
            distance *= getTrip(chain[i]);
          distance = std::max<int64_t>(1, distance / unroll);
        }
        ii = std::max(ii, (length + distance - 1) / distance);
      }
    }
    return ii;
  }

  /// Off-chip bytes of the accesses in `block` run `executions` times.
  void countTraffic(Block &block, int64_t executions, int64_t unroll) {
    (void)unroll;
    for (Operation &op : block) {
      Value memref = getAccessedMemRef(&op);
      if (!memref || !isPort(memref))
        continue;
      auto type = cast<MemRefType>(memref.getType());
      bytes += double(executions) * type.getElementTypeBitWidth() / 8;
    }
  }

  /// Operators (replicated by unrolling), ports, arrays.
  void addResources(func::FuncOp kernel) {
    qor.lut += 1500;
    qor.ff += 2000;
    for (BlockArgument arg : kernel.getArguments())
      if (isa<MemRefType>(arg.getType())) {
        qor.lut += 1300;
        qor.ff += 1800;
        qor.bram18k += 2;
      }
    kernel.walk([&](Operation *op) {
      if (auto loop = dyn_cast<affine::AffineForOp>(op)) {
        qor.lut += 60;
        qor.ff += 70;
        return;
      }
      if (isa<memref::AllocOp, memref::AllocaOp>(op)) {
        addArray(op->getResult(0));
        return;
      }
      int64_t copies = 1;
      if (directives)
        if (auto loop = dyn_cast<affine::AffineForOp>(op->getParentOp()))
          copies = getUnroll(loop);
      OpCost cost = getOpCost(op, profile);
      qor.dsp += cost.dsp * copies;
      qor.lut += cost.lut * copies;
      qor.ff += cost.ff * copies;
    });
  }

  void addArray(Value array) {
    auto type = cast<MemRefType>(array.getType());
    int64_t banks = getBanks(array);
    int64_t bits = type.getNumElements() * type.getElementTypeBitWidth();
    int64_t bankBits = (bits + banks - 1) / banks;
    if (bankBits <= 1024)
      qor.lut += banks * std::max<int64_t>(1, bankBits / 64);
    else
      qor.bram18k += banks * ((bankBits + 18431) / 18432);
  }

  const FPGAProfile &profile;
  bool directives;
  QoR qor;
  double bytes = 0;
};

} // namespace

QoR tessera::hls::estimateKernel(func::FuncOp kernel,
                                 const FPGAProfile &profile, bool directives) {
  return Estimator(profile, directives).run(kernel);
}
