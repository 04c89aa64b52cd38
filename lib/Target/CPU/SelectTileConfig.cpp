//===- SelectTileConfig.cpp - Choose tile configs of linalg ops -----------===//
//
// Writes the `tessera.tile_config` attribute that selectTileConfig (see
// TileConfig.h) picks on every linalg op that does not have one yet. An
// attribute already present (written by hand or a tuner) is kept.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"
#include "lib/Target/CPU/TileConfig.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_SELECTTILECONFIG
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;
using namespace tessera::cpu;

namespace {

struct SelectTileConfigPass
    : tessera::cpu::impl::SelectTileConfigBase<SelectTileConfigPass> {
  using SelectTileConfigBase::SelectTileConfigBase;

  void runOnOperation() override {
    CPUTargetInfo target;
    target.vectorWidth = vectorWidth;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kTileConfigAttrName))
        return;
      if (std::optional<TileConfig> config = selectTileConfig(op, target))
        op->setAttr(kTileConfigAttrName, config->toAttr(&getContext()));
    });
  }
};

} // namespace
