//===- SpatialOps.cpp - Graph dialect: spatial ops
//--------------------------===//
//
// Result-type inference and verifiers of the ops in SpatialOps.td.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace tessera::graph;

namespace {

RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Checks that a per-spatial-dimension attribute has `expected` entries of
/// at least `minValue`.
LogicalResult checkSpatialAttr(std::optional<Location> loc, StringRef name,
                               ArrayRef<int64_t> values, size_t expected,
                               int64_t minValue) {
  if (values.size() != expected)
    return emitOptionalError(loc, "'", name, "' needs ", expected,
                             " values, got ", values.size());
  for (int64_t v : values)
    if (v < minValue)
      return emitOptionalError(loc, "'", name, "' values must be >= ", minValue,
                               ", got ", v);
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// ConvTransposeOp
//===----------------------------------------------------------------------===//

bool ConvTransposeOp::isCompatibleReturnTypes(TypeRange written,
                                              TypeRange inferred) {
  return areCompatibleResultTypes(written, inferred);
}

LogicalResult
ConvTransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                  Adaptor adaptor,
                                  SmallVectorImpl<Type> &inferred) {
  RankedTensorType in = rankedType(adaptor.getInput());
  RankedTensorType w = rankedType(adaptor.getWeight());
  if (in.getRank() < 3)
    return emitOptionalError(loc, "expects an N x C x spatial input, got rank ",
                             in.getRank());
  if (w.getRank() != in.getRank())
    return emitOptionalError(loc, "weight rank ", w.getRank(),
                             " differs from input rank ", in.getRank());
  if (in.getElementType() != w.getElementType())
    return emitOptionalError(loc, "input and weight element types differ");
  int64_t group = adaptor.getGroup();
  if (group < 1)
    return emitOptionalError(loc, "'group' must be >= 1, got ", group);
  int64_t channels = in.getDimSize(1);
  if (!ShapedType::isDynamic(channels) && !w.isDynamicDim(0) &&
      channels != w.getDimSize(0))
    return emitOptionalError(loc, "input has ", channels,
                             " channels but the weight (C x M/group x k...) "
                             "has ",
                             w.getDimSize(0));
  if (!ShapedType::isDynamic(channels) && channels % group != 0)
    return emitOptionalError(loc, "input channels ", channels,
                             " are not divisible by group ", group);
  if (!w.isDynamicDim(1) && w.getDimSize(1) > INT64_MAX / group)
    return emitOptionalError(loc, "weight dimension 1 (", w.getDimSize(1),
                             ") x group ", group, " overflows");
  int64_t outChannels =
      w.isDynamicDim(1) ? ShapedType::kDynamic : w.getDimSize(1) * group;
  if (Value bias = adaptor.getBias()) {
    RankedTensorType b = rankedType(bias);
    if (b.getRank() != 1 ||
        (!b.isDynamicDim(0) && !ShapedType::isDynamic(outChannels) &&
         b.getDimSize(0) != outChannels))
      return emitOptionalError(loc, "bias must be 1-D of size ", outChannels,
                               ", got ", b);
    if (b.getElementType() != in.getElementType())
      return emitOptionalError(loc, "bias element type ", b.getElementType(),
                               " differs from input element type ",
                               in.getElementType());
  }
  size_t spatial = in.getRank() - 2;
  ArrayRef<int64_t> strides = adaptor.getStrides(), pads = adaptor.getPads(),
                    dilations = adaptor.getDilations(),
                    outputPadding = adaptor.getOutputPadding();
  if (failed(checkSpatialAttr(loc, "strides", strides, spatial, 1)) ||
      failed(checkSpatialAttr(loc, "pads", pads, 2 * spatial, 0)) ||
      failed(checkSpatialAttr(loc, "dilations", dilations, spatial, 1)) ||
      failed(
          checkSpatialAttr(loc, "output_padding", outputPadding, spatial, 0)))
    return failure();
  SmallVector<int64_t> shape = {in.getDimSize(0), outChannels};
  for (size_t i = 0; i < spatial; ++i) {
    int64_t size = in.getDimSize(2 + i), k = w.getDimSize(2 + i);
    if (ShapedType::isDynamic(k))
      return emitOptionalError(loc, "kernel sizes must be static");
    if (ShapedType::isDynamic(size)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    // In 128 bits: attributes from a hostile file may overflow int64 here.
    __int128 out = static_cast<__int128>(strides[i]) * (size - 1) +
                   outputPadding[i] +
                   static_cast<__int128>(k - 1) * dilations[i] + 1 - pads[i] -
                   pads[spatial + i];
    if (out < 1)
      return emitOptionalError(loc, "pads ", pads[i], "+", pads[spatial + i],
                               " leave no output in spatial dimension ", i);
    if (out > INT64_MAX / 2)
      return emitOptionalError(loc, "output size of spatial dimension ", i,
                               " overflows");
    shape.push_back(static_cast<int64_t>(out));
  }
  inferred.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// ResizeOp
//===----------------------------------------------------------------------===//

LogicalResult ResizeOp::verify() {
  RankedTensorType in = getInput().getType();
  auto out = cast<RankedTensorType>(getType());
  if (in.getRank() != out.getRank())
    return emitOpError("result rank ")
           << out.getRank() << " differs from input rank " << in.getRank();
  if (in.getElementType() != out.getElementType())
    return emitOpError("result element type ")
           << out.getElementType() << " differs from input element type "
           << in.getElementType();
  StringRef mode = getMode();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitOpError("unknown mode '")
           << mode << "' (expected nearest, linear or cubic)";
  if (mode != "nearest" && !isa<FloatType>(in.getElementType()))
    return emitOpError("mode '") << mode << "' needs floating-point elements";
  StringRef nearest = getNearestMode();
  if (nearest != "round_prefer_floor" && nearest != "round_prefer_ceil" &&
      nearest != "floor" && nearest != "ceil")
    return emitOpError("unknown nearest_mode '")
           << nearest
           << "' (expected round_prefer_floor, round_prefer_ceil, floor or "
              "ceil)";
  StringRef coord = getCoordinateTransformationMode();
  if (coord != "half_pixel" && coord != "pytorch_half_pixel" &&
      coord != "align_corners" && coord != "asymmetric" &&
      coord != "tf_half_pixel_for_nn" && coord != "tf_crop_and_resize")
    return emitOpError("unknown coordinate_transformation_mode '")
           << coord << "'";

  // A 1-D float operand with `size` elements.
  auto checkVector = [&](Value v, StringRef name,
                         int64_t size) -> LogicalResult {
    RankedTensorType t = rankedType(v);
    if (t.getRank() != 1 || !isa<FloatType>(t.getElementType()) ||
        (!t.isDynamicDim(0) && t.getDimSize(0) != size))
      return emitOpError("'") << name << "' must be a 1-D float tensor of "
                              << size << " elements, got " << t;
    return success();
  };
  if (Value scales = getScales())
    if (failed(checkVector(scales, "scales", in.getRank())))
      return failure();
  if (coord == "tf_crop_and_resize") {
    if (!getRoi())
      return emitOpError("coordinate_transformation_mode tf_crop_and_resize "
                         "needs the 'roi' operand");
    if (failed(checkVector(getRoi(), "roi", 2 * in.getRank())))
      return failure();
  }
  for (int64_t i = 0; i < in.getRank(); ++i)
    if (in.getDimSize(i) == 0 && out.getDimSize(i) != 0)
      return emitOpError("cannot resize the empty dimension ") << i;
  return success();
}

//===----------------------------------------------------------------------===//
// EinsumOp
//===----------------------------------------------------------------------===//

bool EinsumOp::isCompatibleReturnTypes(TypeRange written, TypeRange inferred) {
  return areCompatibleResultTypes(written, inferred);
}

LogicalResult EinsumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  StringRef equation = adaptor.getEquation();
  auto [lhs, output] = equation.split("->");
  if (!equation.contains("->"))
    return emitOptionalError(loc, "equation '", equation,
                             "' must be explicit (terms->output)");
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  ValueRange inputs = adaptor.getInputs();
  if (terms.size() != inputs.size())
    return emitOptionalError(loc, "equation '", equation, "' has ",
                             terms.size(), " input terms for ", inputs.size(),
                             " operands");
  if (inputs.empty())
    return emitOptionalError(loc, "expects at least one operand");
  // The size of every letter, from the operands.
  llvm::SmallDenseMap<char, int64_t> sizes;
  Type elementType = rankedType(inputs.front()).getElementType();
  for (auto [term, input] : llvm::zip(terms, inputs)) {
    RankedTensorType type = rankedType(input);
    if (type.getElementType() != elementType)
      return emitOptionalError(loc, "operand element types differ");
    if ((int64_t)term.size() != type.getRank())
      return emitOptionalError(loc, "term '", term, "' has ", term.size(),
                               " letters for an operand of rank ",
                               type.getRank());
    for (auto [letter, size] : llvm::zip(term, type.getShape())) {
      if (!llvm::isAlpha(letter))
        return emitOptionalError(loc, "equation '", equation,
                                 "' may only hold letters, ',' and '->'");
      auto [it, inserted] = sizes.try_emplace(letter, size);
      if (ShapedType::isDynamic(it->second))
        it->second = size;
      else if (!inserted && !ShapedType::isDynamic(size) && it->second != size)
        return emitOptionalError(loc, "letter '", StringRef(&letter, 1),
                                 "' has sizes ", it->second, " and ", size);
    }
  }
  SmallVector<int64_t> shape;
  for (char letter : output) {
    auto it = sizes.find(letter);
    if (it == sizes.end())
      return emitOptionalError(loc, "output letter '", StringRef(&letter, 1),
                               "' appears in no input term");
    if (output.count(letter) != 1)
      return emitOptionalError(loc, "output letter '", StringRef(&letter, 1),
                               "' is repeated");
    shape.push_back(it->second);
  }
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}
