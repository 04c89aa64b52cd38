//===- ImportSpatial.cpp - ONNX spatial ops
//--------------------------------===//
//
// Importers of the ONNX ops lowered to the ops of SpatialOps.td:
// ConvTranspose (auto_pad and output_shape resolved into pads and
// output_padding), Resize and Upsample (the output shape comes from constant
// sizes or scales, or from the model's recorded output type; scales known
// only at run time stay an operand), and DepthToSpace / SpaceToDepth, which
// are a reshape, a transpose and a reshape; Einsum, whose equation is
// normalized to explicit form with the ellipsis spelled out.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/NodeContext.h"
#include "lib/Frontend/ONNX/RuntimeShapeOperand.h"

#include "dialects/Graph/IR/GraphOps.h"

#include <cmath>

using namespace mlir;

namespace tessera::onnx {

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

/// Reads an ints attribute of `size` entries, `defaultValue` everywhere when
/// it is absent.
static LogicalResult getSpatialInts(NodeContext &node, llvm::StringRef name,
                                    size_t size, int64_t defaultValue,
                                    llvm::SmallVectorImpl<int64_t> &result) {
  std::optional<llvm::SmallVector<int64_t>> values = node.getInts(name);
  if (!values) {
    result.assign(size, defaultValue);
    return success();
  }
  if (values->size() != size) {
    node.emitError() << "'" << name << "' has " << values->size()
                     << " values, expected " << size;
    return failure();
  }
  result.assign(values->begin(), values->end());
  return success();
}

/// Splits the padding that makes the output `target` long into begin and
/// end pads by the ONNX rule (SAME_UPPER puts the odd pad at the end). A
/// negative total (the requested output is longer than the full transposed
/// convolution) becomes output padding, i.e. zeros (plus bias) at the end.
static void splitTotalPadding(int64_t total, bool sameUpper, int64_t &begin,
                              int64_t &end, int64_t &outputPadding) {
  if (total < 0) {
    begin = end = 0;
    outputPadding -= total;
    return;
  }
  begin = sameUpper ? total / 2 : total - total / 2;
  end = total - begin;
}

static LogicalResult importConvTranspose(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  RankedTensorType input = node.getInputType(0);
  RankedTensorType weight = node.getInputType(1);
  if (input.getRank() < 3 || weight.getRank() != input.getRank()) {
    node.emitError() << "expects an N x C x D1 x ... input and a C x M/group "
                        "x k1 x ... weight of the same rank, got "
                     << input << " and " << weight;
    return failure();
  }
  size_t rank = input.getRank() - 2;
  llvm::SmallVector<int64_t> kernel(weight.getShape().drop_front(2));
  if (llvm::any_of(kernel, ShapedType::isDynamic)) {
    node.emitError() << "kernel sizes must be static, got weight " << weight;
    return failure();
  }
  if (auto kernelShape = node.getInts("kernel_shape"))
    if (llvm::ArrayRef<int64_t>(*kernelShape) != llvm::ArrayRef(kernel)) {
      node.emitError() << "kernel_shape does not match the weight " << weight;
      return failure();
    }
  llvm::SmallVector<int64_t> strides, dilations, pads, outputPadding;
  if (failed(getSpatialInts(node, "strides", rank, 1, strides)) ||
      failed(getSpatialInts(node, "dilations", rank, 1, dilations)) ||
      failed(getSpatialInts(node, "output_padding", rank, 0, outputPadding)))
    return failure();

  // The size of the transposed convolution without pads.
  auto fullSize = [&](size_t i) {
    return strides[i] * (input.getDimSize(2 + i) - 1) + outputPadding[i] +
           (kernel[i] - 1) * dilations[i] + 1;
  };
  std::string autoPad = node.getString("auto_pad", "NOTSET");
  std::optional<llvm::SmallVector<int64_t>> outputShape =
      node.getInts("output_shape");
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER") {
    node.emitError() << "unknown auto_pad '" << autoPad << "'";
    return failure();
  }
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  if (outputShape || same) {
    // The target output sizes: output_shape (its spatial part), or
    // input * strides for SAME.
    if (outputShape && outputShape->size() == rank + 2)
      outputShape->erase(outputShape->begin(), outputShape->begin() + 2);
    if (outputShape && outputShape->size() != rank) {
      node.emitError() << "'output_shape' has " << outputShape->size()
                       << " values, expected " << rank;
      return failure();
    }
    pads.assign(2 * rank, 0);
    for (size_t i = 0; i < rank; ++i) {
      if (input.isDynamicDim(2 + i)) {
        node.emitError() << "output_shape / auto_pad need a static spatial "
                            "input size, got "
                         << input;
        return failure();
      }
      int64_t target = outputShape ? (*outputShape)[i]
                                   : input.getDimSize(2 + i) * strides[i];
      splitTotalPadding(fullSize(i) - target, autoPad != "SAME_LOWER", pads[i],
                        pads[rank + i], outputPadding[i]);
    }
  } else if (autoPad == "VALID") {
    pads.assign(2 * rank, 0);
  } else if (failed(getSpatialInts(node, "pads", 2 * rank, 0, pads))) {
    return failure();
  }

  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<Value> operands = {node.getInput(0), node.getInput(1)};
  if (Value bias = node.getInput(2))
    operands.push_back(bias);
  FailureOr<Value> result = node.create<graph::ConvTransposeOp>(
      operands,
      {b.getNamedAttr("strides", b.getDenseI64ArrayAttr(strides)),
       b.getNamedAttr("pads", b.getDenseI64ArrayAttr(pads)),
       b.getNamedAttr("dilations", b.getDenseI64ArrayAttr(dilations)),
       b.getNamedAttr("output_padding", b.getDenseI64ArrayAttr(outputPadding)),
       b.getNamedAttr("group", b.getI64IntegerAttr(node.getInt("group", 1)))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// Resize and Upsample
//===----------------------------------------------------------------------===//

/// Whether input `i` is given with at least one element (opset 11 models
/// pass an empty tensor for an unused roi or scales).
static bool hasNonEmptyInput(NodeContext &node, unsigned i) {
  if (!node.hasInput(i))
    return false;
  RankedTensorType type = node.getInputType(i);
  return type.getRank() != 1 || type.getDimSize(0) != 0;
}

/// The static result type of a Resize: from constant `sizes`, from constant
/// `scales` (floor(in * scale)), or from the model's recorded output type.
static RankedTensorType getResizeType(NodeContext &node, RankedTensorType input,
                                      std::optional<unsigned> scalesIndex,
                                      std::optional<unsigned> sizesIndex) {
  int64_t rank = input.getRank();
  auto withShape = [&](llvm::ArrayRef<int64_t> shape) -> RankedTensorType {
    if ((int64_t)shape.size() != rank) {
      node.emitError() << (sizesIndex ? "'sizes'" : "'scales'") << " has "
                       << shape.size() << " values, expected the input rank "
                       << rank;
      return {};
    }
    return RankedTensorType::get(shape, input.getElementType());
  };
  if (sizesIndex)
    if (auto sizes = node.getConstantInts(*sizesIndex))
      return withShape(*sizes);
  if (scalesIndex && input.hasStaticShape())
    if (auto scales = node.getConstantDoubles(*scalesIndex)) {
      llvm::SmallVector<int64_t> shape;
      for (auto [i, scale] : llvm::enumerate(*scales)) {
        if (scale <= 0) {
          node.emitError() << "'scales' must be positive, got " << scale;
          return {};
        }
        // ONNX computes floor(input_dimension * scale) in float.
        float size =
            static_cast<float>(input.getDimSize(i)) * static_cast<float>(scale);
        // Converting a float beyond int64 is undefined: reject it here (the
        // importer's size limit then rejects merely huge results).
        if (!(size < 0x1p62f)) {
          node.emitError() << "'scales' value " << scale << " makes dimension "
                           << i << " too large";
          return {};
        }
        shape.push_back(static_cast<int64_t>(std::floor(size)));
      }
      return withShape(shape);
    }
  if (RankedTensorType declared = node.getDeclaredOutputType(0))
    return declared;
  node.emitError() << "the output shape must be known at compile time: give "
                      "'scales' or 'sizes' as constants, or record a static "
                      "shape for output '"
                   << node.getNode().output(0) << "' (ONNX shape inference)";
  return {};
}

/// Creates the tg.resize of a Resize or Upsample node.
static LogicalResult createResize(NodeContext &node, Value scales, Value roi,
                                  RankedTensorType resultType,
                                  llvm::ArrayRef<NamedAttribute> modeAttrs) {
  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<Value> operands = {node.getInput(0)};
  if (scales)
    operands.push_back(scales);
  if (roi)
    operands.push_back(roi);
  llvm::SmallVector<NamedAttribute> attrs(modeAttrs);
  attrs.push_back(
      b.getNamedAttr("operandSegmentSizes",
                     b.getDenseI32ArrayAttr({1, scales ? 1 : 0, roi ? 1 : 0})));
  FailureOr<Value> result =
      node.create<graph::ResizeOp>(operands, attrs, resultType);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importResize(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  // Opset 18 additions that change the output shape or the filter.
  if (node.hasAttr("axes") || node.getInt("antialias", 0) != 0 ||
      node.getString("keep_aspect_ratio_policy", "stretch") != "stretch") {
    node.emitError() << "the opset-18 attributes 'axes', 'antialias' and "
                        "'keep_aspect_ratio_policy' are not supported";
    return failure();
  }
  RankedTensorType input = node.getInputType(0);
  bool opset10 = node.getOpset() < 11;
  // Opset 10: (X, scales); from 11: (X, roi, scales, sizes).
  std::optional<unsigned> scalesIndex, sizesIndex, roiIndex;
  if (opset10) {
    if (failed(node.requireInputs(2)))
      return failure();
    scalesIndex = 1;
  } else {
    if (hasNonEmptyInput(node, 3))
      sizesIndex = 3;
    else if (hasNonEmptyInput(node, 2))
      scalesIndex = 2;
    if (hasNonEmptyInput(node, 1))
      roiIndex = 1;
  }
  if (!scalesIndex && !sizesIndex) {
    node.emitError() << "needs one of the inputs 'scales' and 'sizes'";
    return failure();
  }
  RankedTensorType resultType =
      getResizeType(node, input, scalesIndex, sizesIndex);
  if (!resultType)
    return failure();
  // Sizes computed at run time must be the recorded output shape.
  if (sizesIndex && !node.getConstantInts(*sizesIndex) &&
      failed(addShapeCheck(node, *sizesIndex, "sizes", "equals", {},
                           resultType.getShape())))
    return failure();

  OpBuilder &b = node.getBuilder();
  std::string mode = node.getString("mode", "nearest");
  std::string coord =
      opset10 ? "asymmetric"
              : node.getString("coordinate_transformation_mode", "half_pixel");
  std::string nearest =
      opset10 ? "floor" : node.getString("nearest_mode", "round_prefer_floor");
  llvm::SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("mode", b.getStringAttr(mode)),
      b.getNamedAttr("coordinate_transformation_mode", b.getStringAttr(coord)),
      b.getNamedAttr("nearest_mode", b.getStringAttr(nearest)),
      b.getNamedAttr("cubic_coeff_a",
                     b.getF64FloatAttr(node.getFloat("cubic_coeff_a", -0.75))),
      b.getNamedAttr("exclude_outside",
                     b.getBoolAttr(node.getInt("exclude_outside", 0))),
      b.getNamedAttr("extrapolation_value", b.getF64FloatAttr(node.getFloat(
                                                "extrapolation_value", 0.0)))};
  Value roi;
  if (coord == "tf_crop_and_resize") {
    if (!roiIndex) {
      node.emitError() << "coordinate_transformation_mode tf_crop_and_resize "
                          "needs the 'roi' input";
      return failure();
    }
    roi = node.getInput(*roiIndex);
  }
  Value scales = scalesIndex ? node.getInput(*scalesIndex) : Value();
  return createResize(node, scales, roi, resultType, attrs);
}

/// Upsample (opsets 7 and 9) is Resize with asymmetric coordinates and
/// nearest rounding down.
static LogicalResult importUpsample(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  RankedTensorType input = node.getInputType(0);
  // Opset 7: a scales attribute; from 9: a scales input.
  Value scales;
  std::optional<llvm::SmallVector<double>> values;
  if (node.getOpset() < 9) {
    std::optional<llvm::SmallVector<float>> floats = node.getFloats("scales");
    if (!floats) {
      node.emitError() << "missing attribute 'scales'";
      return failure();
    }
    auto type = RankedTensorType::get({(int64_t)floats->size()},
                                      node.getBuilder().getF32Type());
    scales = node.createConstant(
        DenseElementsAttr::get(type, llvm::ArrayRef<float>(*floats)));
    values.emplace(floats->begin(), floats->end());
  } else {
    if (failed(node.requireInputs(2)))
      return failure();
    scales = node.getInput(1);
    values = node.getConstantDoubles(1);
  }
  RankedTensorType resultType;
  if (values) {
    if ((int64_t)values->size() != input.getRank() || !input.hasStaticShape()) {
      node.emitError() << "'scales' needs one value per dimension of a "
                          "static input, got "
                       << values->size() << " for " << input;
      return failure();
    }
    llvm::SmallVector<int64_t> shape;
    for (auto [i, scale] : llvm::enumerate(*values)) {
      float size = std::floor(static_cast<float>(input.getDimSize(i)) *
                              static_cast<float>(scale));
      // Converting a float outside int64 (or NaN) is undefined.
      if (!(size >= 0 && size < 0x1p62f)) {
        node.emitError() << "'scales' value " << scale << " gives dimension "
                         << i << " an invalid size";
        return failure();
      }
      shape.push_back(static_cast<int64_t>(size));
    }
    resultType = RankedTensorType::get(shape, input.getElementType());
  } else if (!(resultType = node.getDeclaredOutputType(0))) {
    node.emitError() << "the output shape must be known at compile time: give "
                        "'scales' as a constant or record a static shape for "
                        "the output";
    return failure();
  }
  std::string mode = node.getString("mode", "nearest");
  if (mode == "bilinear")
    mode = "linear";
  OpBuilder &b = node.getBuilder();
  return createResize(
      node, scales, Value(), resultType,
      {b.getNamedAttr("mode", b.getStringAttr(mode)),
       b.getNamedAttr("coordinate_transformation_mode",
                      b.getStringAttr("asymmetric")),
       b.getNamedAttr("nearest_mode", b.getStringAttr("floor"))});
}

//===----------------------------------------------------------------------===//
// DepthToSpace and SpaceToDepth
//===----------------------------------------------------------------------===//

/// reshape(`first`) -> transpose(`perm`) -> reshape(`last`); `0` in a shape
/// copies the batch dimension.
static LogicalResult importReshapeTranspose(NodeContext &node,
                                            llvm::ArrayRef<int64_t> first,
                                            llvm::ArrayRef<int64_t> perm,
                                            llvm::ArrayRef<int64_t> last) {
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> expanded = node.create<graph::ReshapeOp>(
      node.getInput(0),
      {b.getNamedAttr("shape", b.getDenseI64ArrayAttr(first))});
  if (failed(expanded))
    return failure();
  FailureOr<Value> transposed = node.create<graph::TransposeOp>(
      *expanded, {b.getNamedAttr("perm", b.getDenseI64ArrayAttr(perm))});
  if (failed(transposed))
    return failure();
  FailureOr<Value> result = node.create<graph::ReshapeOp>(
      *transposed, {b.getNamedAttr("shape", b.getDenseI64ArrayAttr(last))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// Checks the N x C x H x W input and the blocksize of DepthToSpace and
/// SpaceToDepth; sets `c`, `h`, `w` and `block`.
static LogicalResult getBlockInput(NodeContext &node, int64_t &c, int64_t &h,
                                   int64_t &w, int64_t &block) {
  if (failed(node.requireInputs(1)))
    return failure();
  RankedTensorType input = node.getInputType(0);
  if (input.getRank() != 4 || !input.hasStaticShape()) {
    node.emitError() << "expects a static N x C x H x W input, got " << input;
    return failure();
  }
  block = node.getInt("blocksize", 0);
  if (block < 1) {
    node.emitError() << "'blocksize' must be >= 1, got " << block;
    return failure();
  }
  c = input.getDimSize(1);
  h = input.getDimSize(2);
  w = input.getDimSize(3);
  return success();
}

static LogicalResult importDepthToSpace(NodeContext &node) {
  int64_t c, h, w, b;
  if (failed(getBlockInput(node, c, h, w, b)))
    return failure();
  if (c % (b * b) != 0) {
    node.emitError() << "channels " << c << " are not divisible by blocksize^2 "
                     << b * b;
    return failure();
  }
  std::string mode = node.getString("mode", "DCR");
  int64_t depth = c / (b * b);
  llvm::SmallVector<int64_t> last = {0, depth, h * b, w * b};
  // DCR: channel = (by, bx, depth); CRD: channel = (depth, by, bx).
  if (mode == "DCR")
    return importReshapeTranspose(node, {0, b, b, depth, h, w},
                                  {0, 3, 4, 1, 5, 2}, last);
  if (mode == "CRD")
    return importReshapeTranspose(node, {0, depth, b, b, h, w},
                                  {0, 1, 4, 2, 5, 3}, last);
  node.emitError() << "unknown mode '" << mode << "' (expected DCR or CRD)";
  return failure();
}

static LogicalResult importSpaceToDepth(NodeContext &node) {
  int64_t c, h, w, b;
  if (failed(getBlockInput(node, c, h, w, b)))
    return failure();
  if (h % b != 0 || w % b != 0) {
    node.emitError() << "spatial sizes " << h << "x" << w
                     << " are not divisible by blocksize " << b;
    return failure();
  }
  return importReshapeTranspose(node, {0, c, h / b, b, w / b, b},
                                {0, 3, 5, 1, 2, 4},
                                {0, c * b * b, h / b, w / b});
}

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

/// Rewrites an ONNX Einsum equation into the explicit form of tg.einsum:
/// spaces removed, `...` replaced by letters the equation does not use
/// (right-aligned, as broadcasting aligns them), and the implicit output
/// (the ellipsis, then the letters used once, sorted) made explicit.
static FailureOr<std::string> normalizeEquation(NodeContext &node,
                                                llvm::StringRef equation,
                                                llvm::ArrayRef<int64_t> ranks) {
  std::string compact;
  for (char c : equation)
    if (c != ' ')
      compact.push_back(c);
  llvm::StringRef text(compact);
  bool hasArrow = text.contains("->");
  auto [lhs, rhs] = text.split("->");
  llvm::SmallVector<llvm::StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != ranks.size()) {
    node.emitError() << "equation '" << equation << "' has " << terms.size()
                     << " input terms for " << ranks.size() << " inputs";
    return failure();
  }
  // Letters for the ellipsis: the widest one any term spans.
  int64_t ellipsisRank = 0;
  for (auto [term, rank] : llvm::zip(terms, ranks))
    if (term.contains("..."))
      ellipsisRank =
          std::max<int64_t>(ellipsisRank, rank - (int64_t)(term.size() - 3));
  std::string fresh;
  for (char c : llvm::StringRef("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if ((int64_t)fresh.size() < ellipsisRank && !text.contains(c))
      fresh.push_back(c);
  if ((int64_t)fresh.size() < ellipsisRank) {
    node.emitError() << "the ellipsis of '" << equation
                     << "' spans too many dimensions";
    return failure();
  }
  auto expand = [&](llvm::StringRef term, int64_t rank) -> std::string {
    size_t pos = term.find("...");
    if (pos == llvm::StringRef::npos)
      return term.str();
    int64_t count = rank < 0 ? ellipsisRank : rank - (int64_t)(term.size() - 3);
    count = std::max<int64_t>(0, count);
    return (term.take_front(pos) + llvm::StringRef(fresh).take_back(count) +
            term.drop_front(pos + 3))
        .str();
  };
  std::string result;
  llvm::StringMap<unsigned> useCount;
  for (auto [i, term] : llvm::enumerate(terms)) {
    std::string expanded = expand(term, ranks[i]);
    if (i)
      result += ",";
    result += expanded;
    for (char c : expanded)
      ++useCount[llvm::StringRef(&c, 1)];
  }
  result += "->";
  if (hasArrow) {
    result += expand(rhs, -1);
  } else {
    result += fresh;
    std::string once;
    for (auto &entry : useCount)
      if (entry.second == 1 && !llvm::StringRef(fresh).contains(entry.first()))
        once += entry.first().str();
    llvm::sort(once);
    result += once;
  }
  return result;
}

static LogicalResult importEinsum(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  llvm::SmallVector<Value> operands;
  llvm::SmallVector<int64_t> ranks;
  for (unsigned i = 0, e = node.getNumInputs(); i < e; ++i) {
    operands.push_back(node.getInput(i));
    ranks.push_back(node.getInputType(i).getRank());
  }
  std::string equation = node.getString("equation", "");
  FailureOr<std::string> normalized = normalizeEquation(node, equation, ranks);
  if (failed(normalized))
    return failure();
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::EinsumOp>(
      operands, {b.getNamedAttr("equation", b.getStringAttr(*normalized))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

void registerSpatialImporters(OpImporterRegistry &registry) {
  registry["Einsum"] = importEinsum;
  registry["ConvTranspose"] = importConvTranspose;
  registry["Resize"] = importResize;
  registry["Upsample"] = importUpsample;
  registry["DepthToSpace"] = importDepthToSpace;
  registry["SpaceToDepth"] = importSpaceToDepth;
}

} // namespace tessera::onnx
