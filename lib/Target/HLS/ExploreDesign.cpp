//===- ExploreDesign.cpp - Search HLS directives within a budget ----------===//
//
// Implements `thls-explore-design`: a greedy search over the unroll factor
// of each kernel's pipelined innermost loops, driven by the QoR estimator,
// under the FPGA profile's resource budget.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/HLS/Passes.h"

#include "lib/Target/HLS/QoR.h"

#include "mlir/Dialect/Affine/Analysis/LoopAnalysis.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/Support/MathExtras.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace tessera::hls {
#define GEN_PASS_DEF_EXPLOREDESIGN
#include "lib/Target/HLS/Passes.h.inc"
} // namespace tessera::hls

using namespace mlir;
using namespace tessera::hls;

namespace {

/// Innermost loops: the ones pipelined.
SmallVector<affine::AffineForOp> getInnermostLoops(func::FuncOp kernel) {
  SmallVector<affine::AffineForOp> loops;
  kernel.walk([&](affine::AffineForOp loop) {
    if (loop.getBody()->getOps<affine::AffineForOp>().empty())
      loops.push_back(loop);
  });
  return loops;
}

/// Sets II=1 pipelining and `unroll` (capped by each trip count) on the
/// innermost loops of `kernel`.
void applyDesign(func::FuncOp kernel, int64_t unroll) {
  MLIRContext *context = kernel.getContext();
  for (affine::AffineForOp loop : getInnermostLoops(kernel)) {
    loop->setAttr(HLSDialect::kPipelineAttrName, PipelineAttr::get(context, 1));
    int64_t trip = affine::getConstantTripCount(loop).value_or(1);
    int64_t factor = std::min(unroll, trip);
    if (factor > 1)
      loop->setAttr(HLSDialect::kUnrollAttrName,
                    UnrollAttr::get(context, factor));
    else
      loop->removeAttr(HLSDialect::kUnrollAttrName);
  }
  // Local arrays (accumulators) get one bank per unrolled copy.
  kernel.walk([&](memref::AllocaOp alloca) {
    int64_t size = alloca.getType().getRank() == 1
                       ? alloca.getType().getDimSize(0)
                       : 1;
    int64_t factor = std::min(unroll, size);
    if (factor > 1)
      alloca->setAttr(HLSDialect::kPartitionAttrName,
                      PartitionAttr::get(context, PartitionKind::cyclic,
                                         factor, /*dim=*/1));
    else
      alloca->removeAttr(HLSDialect::kPartitionAttrName);
  });
}

int64_t getMaxTrip(func::FuncOp kernel) {
  int64_t best = 1;
  for (affine::AffineForOp loop : getInnermostLoops(kernel))
    best = std::max<int64_t>(best, affine::getConstantTripCount(loop).value_or(1));
  return best;
}

struct Candidate {
  func::FuncOp kernel;
  int64_t unroll = 1;
  QoR qor;
  bool done = false;
};

DictionaryAttr getQoRAttr(Builder &b, const QoR &qor, int64_t baseline,
                          int64_t unroll) {
  SmallVector<NamedAttribute> fields = {
      b.getNamedAttr("latency", b.getI64IntegerAttr(qor.latency)),
      b.getNamedAttr("dsp", b.getI64IntegerAttr(qor.dsp)),
      b.getNamedAttr("bram18k", b.getI64IntegerAttr(qor.bram18k)),
      b.getNamedAttr("lut", b.getI64IntegerAttr(qor.lut)),
      b.getNamedAttr("ff", b.getI64IntegerAttr(qor.ff)),
      b.getNamedAttr("baseline", b.getI64IntegerAttr(baseline))};
  if (unroll > 0) {
    fields.push_back(b.getNamedAttr("unroll", b.getI64IntegerAttr(unroll)));
    fields.push_back(b.getNamedAttr("ii", b.getI64IntegerAttr(qor.worstII)));
  }
  return b.getDictionaryAttr(fields);
}

struct ExploreDesignPass
    : tessera::hls::impl::ExploreDesignBase<ExploreDesignPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::Expected<FPGAProfile> loaded = loadFPGAProfile(profile);
    if (!loaded) {
      module.emitError(llvm::toString(loaded.takeError()));
      return signalPassFailure();
    }
    const FPGAProfile &fpga = *loaded;

    std::vector<Candidate> candidates;
    for (auto kernel : module.getOps<func::FuncOp>())
      if (kernel->hasAttr(HLSDialect::kKernelAttrName) &&
          !kernel.isDeclaration())
        candidates.push_back(Candidate{kernel, 1, QoR{}, false});
    QoR total;
    for (Candidate &c : candidates) {
      applyDesign(c.kernel, 1);
      c.qor = estimateKernel(c.kernel, fpga);
      total += c.qor;
    }
    if (!total.fits(fpga)) {
      module.emitError("the design does not fit the '")
          << fpga.name << "' profile even without unrolling";
      return signalPassFailure();
    }
    search(candidates, total, fpga);

    Builder b(module.getContext());
    QoR sum;
    int64_t baselineSum = 0;
    for (Candidate &c : candidates) {
      int64_t baseline =
          estimateKernel(c.kernel, fpga, /*directives=*/false).latency;
      c.kernel->setAttr(HLSDialect::kQoRAttrName,
                        getQoRAttr(b, c.qor, baseline,
                                   std::min(c.unroll, getMaxTrip(c.kernel))));
      sum += c.qor;
      baselineSum += baseline;
    }
    module->setAttr(HLSDialect::kQoRAttrName,
                    getQoRAttr(b, sum, baselineSum, /*unroll=*/0));
  }

  /// Raises the unroll factor of the slowest kernel to the smallest larger
  /// power of two that lowers its latency by 2% (looking past plateaus,
  /// where a larger factor only trades II for width) while the design stays
  /// within budget; a kernel with no such factor keeps its design.
  void search(std::vector<Candidate> &candidates, QoR &total,
              const FPGAProfile &fpga) {
    while (true) {
      Candidate *slowest = nullptr;
      for (Candidate &c : candidates)
        if (!c.done && (!slowest || c.qor.latency > slowest->qor.latency))
          slowest = &c;
      if (!slowest)
        return;
      int64_t limit = std::min<int64_t>(maxUnroll.getValue(),
                               llvm::PowerOf2Ceil(getMaxTrip(slowest->kernel)));
      bool improved = false;
      for (int64_t next = slowest->unroll * 2; next <= limit; next *= 2) {
        applyDesign(slowest->kernel, next);
        QoR qor = estimateKernel(slowest->kernel, fpga);
        QoR trial = total;
        trial.dsp += qor.dsp - slowest->qor.dsp;
        trial.bram18k += qor.bram18k - slowest->qor.bram18k;
        trial.lut += qor.lut - slowest->qor.lut;
        trial.ff += qor.ff - slowest->qor.ff;
        if (!trial.fits(fpga))
          break;
        // Only clear gains: replicas that buy a rounding error cost area.
        if (qor.latency <= slowest->qor.latency * 0.98) {
          total = trial;
          slowest->unroll = next;
          slowest->qor = qor;
          improved = true;
          break;
        }
      }
      if (!improved) {
        applyDesign(slowest->kernel, slowest->unroll);
        slowest->done = true;
      }
    }
  }
};

} // namespace
