//===- HLSAttrs.cpp - HLS dialect attributes ------------------------------===//
//
// Verifiers of the directive attributes: the numbers a directive carries
// must be ones an HLS tool accepts.
//
//===----------------------------------------------------------------------===//

#include "dialects/HLS/IR/HLSDialect.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tessera::hls;

#include "dialects/HLS/IR/HLSEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/HLS/IR/HLSAttrs.cpp.inc"

LogicalResult
PipelineAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                     int64_t ii) {
  if (ii < 1)
    return emitError() << "pipeline II must be at least 1, got " << ii;
  return success();
}

LogicalResult UnrollAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 int64_t factor) {
  if (factor < 1)
    return emitError() << "unroll factor must be at least 1, got " << factor;
  return success();
}

LogicalResult
PartitionAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      PartitionKind kind, int64_t factor, int64_t dim) {
  if (dim < 0)
    return emitError() << "partition dim must be 0 (all) or a 1-based "
                          "dimension, got "
                       << dim;
  if (kind != PartitionKind::complete && factor < 2)
    return emitError() << "a " << stringifyPartitionKind(kind)
                       << " partition needs a factor of at least 2, got "
                       << factor;
  return success();
}

void HLSDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/HLS/IR/HLSAttrs.cpp.inc"
      >();
}
