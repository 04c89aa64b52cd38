//===- ReductionUtils.h - Axis sets of the reduction ops ------*- C++ -*-===//
//
// Shape rules of the reductions over a set of axes, shared by their type
// inference, the ONNX importer (which derives the axes of a reduction whose
// axes are known only at run time from the recorded output shape) and the
// lowering (which picks among the reductions giving that shape at run time).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_GRAPH_IR_REDUCTIONUTILS_H
#define TESSERA_DIALECTS_GRAPH_IR_REDUCTIONUTILS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>

namespace tessera::graph {

/// The shape of `shape` reduced along the sorted `axes`: the reduced
/// dimensions become 1 with `keepDims` and are removed otherwise.
llvm::SmallVector<int64_t> reducedShape(llvm::ArrayRef<int64_t> shape,
                                        llvm::ArrayRef<int64_t> axes,
                                        bool keepDims);

/// Every sorted axis set whose reduction of the static `inShape` gives
/// `outShape`, in increasing order of their bit masks. With `keepDims`,
/// reducing a dimension of size 1 changes nothing, so those dimensions are
/// left out of the sets. Empty when the rank exceeds 16.
llvm::SmallVector<llvm::SmallVector<int64_t>>
reductionsGivingShape(llvm::ArrayRef<int64_t> inShape,
                      llvm::ArrayRef<int64_t> outShape, bool keepDims);

} // namespace tessera::graph

#endif // TESSERA_DIALECTS_GRAPH_IR_REDUCTIONUTILS_H
