//===- ApproximateMath.cpp - Polynomial f32 transcendentals ---------------===//
//
// convert-math-to-libm lowers math.erf, math.exp, ... to calls of libm's
// scalar functions. A call per element stops LLVM's loop vectorizer, so an
// elementwise loop holding one (GELU's erf, softmax's exp, a sigmoid) runs
// one element at a time plus the call. This pass expands the f32 ops into
// upstream's polynomial approximations (plain arith / math.fma code that
// vectorizes) before the math lowering runs.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// The ops approximated by default: those whose upstream approximation is
/// accurate to a few ulp over the whole f32 range (not sin / cos, whose
/// range reduction loses precision for large arguments).
constexpr llvm::StringLiteral kDefaultOps[] = {
    "erf", "exp", "expm1", "tanh", "log", "log1p", "log2"};

struct ApproximateMathPass
    : tessera::cpu::impl::ApproximateMathBase<ApproximateMathPass> {
  using ApproximateMathBase::ApproximateMathBase;

  void runOnOperation() override {
    llvm::StringSet<> names;
    // Accept both "erf" and "math.erf".
    auto addName = [&](llvm::StringRef name) {
      name.consume_front("math.");
      names.insert(("math." + name).str());
    };
    if (ops.empty())
      llvm::for_each(kDefaultOps, addName);
    else
      for (const std::string &name : ops)
        addName(name);
    auto selected = [&](llvm::StringRef name) { return names.contains(name); };

    RewritePatternSet patterns(&getContext());
    // f16 / bf16 ops would be extended to f32 first by
    // populateMathF32ExpansionPatterns; the CPU path keeps them on libm.
    populateMathPolynomialApproximationPatterns(patterns, selected);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
