//===- EpilogueUtils.cpp - Contractions and their epilogues ---------------===//

#include "lib/Target/CPU/EpilogueUtils.h"

using namespace mlir;

bool tessera::cpu::isContraction(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumReductionLoops() > 0;
}

bool tessera::cpu::isElementwiseLike(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic && generic.getNumReductionLoops() == 0 &&
         generic.getNumDpsInits() == 1 &&
         cast<linalg::LinalgOp>(op).hasOnlyProjectedPermutations();
}

linalg::GenericOp tessera::cpu::getEpilogue(linalg::LinalgOp contraction,
                                            OpOperand *&use) {
  if (contraction->getNumResults() != 1 ||
      !contraction->getResult(0).hasOneUse())
    return {};
  use = &*contraction->getResult(0).getUses().begin();
  auto epilogue = dyn_cast<linalg::GenericOp>(use->getOwner());
  if (!epilogue || !isElementwiseLike(epilogue))
    return {};
  AffineMap map = epilogue.getMatchingIndexingMap(use);
  bool isInit = epilogue.getDpsInitOperand(0) == use;
  // An input use is the transposed read of tessera-transpose-narrow-
  // contractions; other epilogues have been made in-place updates.
  if (isInit ? !map.isIdentity() : !map.isPermutation() || map.isIdentity())
    return {};
  AffineMap contractionOut =
      contraction.getMatchingIndexingMap(contraction.getDpsInitOperand(0));
  if (!contractionOut.isProjectedPermutation())
    return {};
  return epilogue;
}
