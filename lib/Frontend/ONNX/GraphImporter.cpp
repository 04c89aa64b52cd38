//===- GraphImporter.cpp - ONNX graph to func.func of tg ops --------------===//
//
// Builds the entry function: arguments from graph inputs (with --shape
// overrides), tg.constant ops from initializers, one importer call per node
// (diagnostics prefixed with the node's name and op type), and the returned
// graph outputs with their ONNX names as function attributes.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/GraphImporter.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "lib/Frontend/ONNX/NodeContext.h"
#include "lib/Frontend/ONNX/TensorConversion.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace tessera::onnx {

/// Tensors of more than 2^40 elements (the limit of initializers too, see
/// convertTensor) fit no machine's memory. They are rejected at import, with
/// the value's name, before a folder, a pass or the runtime allocates them.
static bool exceedsSizeLimit(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return false;
  int64_t elements = 1;
  for (int64_t dim : tensor.getShape()) {
    if (ShapedType::isDynamic(dim))
      continue;
    if (llvm::MulOverflow(elements, dim, elements) ||
        elements > (int64_t(1) << 40))
      return true;
  }
  return false;
}

static constexpr llvm::StringLiteral kSizeLimitHint =
    " has more than 2^40 elements; no machine can hold it (check the "
    "model's shapes and shape-like inputs)";

static bool isDefaultDomain(llvm::StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

GraphImporter::GraphImporter(const ::onnx::ModelProto &model,
                             llvm::StringRef sourceName, MLIRContext &ctx,
                             const ImportOptions &options)
    : graph(model.graph()), sourceName(sourceName.str()),
      ctx(ctx), options(options) {
  for (const auto &opset : model.opset_import()) {
    std::string domain = isDefaultDomain(opset.domain()) ? "" : opset.domain();
    int64_t &version = opsets[domain];
    version = std::max<int64_t>(version, opset.version());
  }
  for (const auto &node : graph.node())
    for (const std::string &input : node.input())
      if (!input.empty())
        usedValues.insert(input);
  for (const auto &output : graph.output())
    usedValues.insert(output.name());
  for (const auto &init : graph.initializer())
    initializerNames.insert(init.name());
  for (const auto &info : graph.value_info())
    declaredTypes[info.name()] = &info.type();
  for (const auto &output : graph.output())
    declaredTypes[output.name()] = &output.type();
}

RankedTensorType
GraphImporter::getDeclaredStaticType(llvm::StringRef name) const {
  const ::onnx::TypeProto *type = declaredTypes.lookup(name);
  if (!type || !type->has_tensor_type() || !type->tensor_type().has_shape())
    return nullptr;
  Type elementType = convertElementType(type->tensor_type().elem_type(), &ctx);
  if (!elementType)
    return nullptr;
  llvm::SmallVector<int64_t> shape;
  for (const auto &dim : type->tensor_type().shape().dim()) {
    if (!dim.has_dim_value() || dim.dim_value() < 0)
      return nullptr;
    shape.push_back(dim.dim_value());
  }
  return RankedTensorType::get(shape, elementType);
}

Location GraphImporter::getNameLoc(llvm::StringRef name) {
  return NameLoc::get(StringAttr::get(&ctx, name),
                      FileLineColLoc::get(&ctx, sourceName, 0, 0));
}

int64_t GraphImporter::getOpset(llvm::StringRef domain) const {
  return opsets.lookup(isDefaultDomain(domain) ? "" : domain);
}

LogicalResult GraphImporter::reportUnsupportedNodes() {
  const OpImporterRegistry &registry = getOpImporterRegistry();
  bool anyUnsupported = false;
  for (const auto &node : graph.node()) {
    if (isDefaultDomain(node.domain()) && registry.count(node.op_type()))
      continue;
    std::string opName = isDefaultDomain(node.domain())
                             ? node.op_type()
                             : node.domain() + "." + node.op_type();
    emitError(getNameLoc(node.name()))
        << "unsupported ONNX op '" << opName << "' (node '" << node.name()
        << "', opset " << getOpset(node.domain()) << ")";
    anyUnsupported = true;
  }
  return failure(anyUnsupported);
}

LogicalResult
GraphImporter::importInputs(llvm::SmallVectorImpl<Type> &types,
                            llvm::SmallVectorImpl<Location> &locs,
                            llvm::SmallVectorImpl<std::string> &names) {
  llvm::SmallVector<const ::onnx::ValueInfoProto *> inputs;
  for (const auto &input : graph.input())
    if (!initializerNames.contains(input.name()))
      inputs.push_back(&input);

  // Every --shape must name a real input.
  bool ok = true;
  llvm::SmallVector<llvm::StringRef> overrideNames;
  for (const auto &entry : options.shapeOverrides)
    overrideNames.push_back(entry.getKey());
  llvm::sort(overrideNames);
  for (llvm::StringRef name : overrideNames) {
    if (llvm::any_of(inputs, [&](auto *in) { return in->name() == name; }))
      continue;
    std::string known;
    for (auto *in : inputs)
      known += (known.empty() ? "'" : ", '") + in->name() + "'";
    emitError(FileLineColLoc::get(&ctx, sourceName, 0, 0))
        << "--shape names '" << name << "', which is not an input of the "
        << "model (inputs: " << (known.empty() ? "none" : known) << ")";
    ok = false;
  }
  if (!ok)
    return failure();

  for (const ::onnx::ValueInfoProto *input : inputs) {
    const std::string &name = input->name();
    Location loc = getNameLoc(name);
    auto found = options.shapeOverrides.find(name);
    const auto &typeProto = input->type();
    RankedTensorType type;
    if (found != options.shapeOverrides.end() && typeProto.has_tensor_type() &&
        !typeProto.tensor_type().has_shape()) {
      // Unknown rank: the override gives the whole shape.
      Type elementType =
          convertElementType(typeProto.tensor_type().elem_type(), &ctx);
      if (!elementType) {
        emitError(loc) << "graph input '" << name
                       << "' has unsupported element type "
                       << onnxTypeName(typeProto.tensor_type().elem_type());
        return failure();
      }
      llvm::SmallVector<int64_t> shape;
      for (int64_t d : found->second)
        shape.push_back(d < 0 ? ShapedType::kDynamic : d);
      type = RankedTensorType::get(shape, elementType);
    } else {
      type = convertTensorType(typeProto, "graph input '" + name + "'", loc);
      if (!type)
        return failure();
      if (found != options.shapeOverrides.end()) {
        llvm::ArrayRef<int64_t> dims = found->second;
        if (static_cast<int64_t>(dims.size()) != type.getRank()) {
          emitError(loc) << "--shape " << name << " gives " << dims.size()
                         << " dimensions, but input '" << name << "' has rank "
                         << type.getRank() << " (" << type << ")";
          return failure();
        }
        llvm::SmallVector<int64_t> shape(type.getShape());
        for (auto [i, d] : llvm::enumerate(dims)) {
          if (d < 0)
            continue;
          if (!ShapedType::isDynamic(shape[i]) && shape[i] != d) {
            emitError(loc) << "--shape " << name << ": dimension " << i
                           << " of input '" << name << "' is " << shape[i]
                           << " in the model, not " << d;
            return failure();
          }
          shape[i] = d;
        }
        type = RankedTensorType::get(shape, type.getElementType());
      }
    }
    if (exceedsSizeLimit(type)) {
      emitError(loc) << "graph input '" << name << "' of type " << type
                     << kSizeLimitHint;
      return failure();
    }
    types.push_back(type);
    locs.push_back(loc);
    names.push_back(name);
  }
  return success();
}

LogicalResult GraphImporter::importInitializers(OpBuilder &builder) {
  for (const auto &init : graph.initializer()) {
    if (!usedValues.contains(init.name()) || values.count(init.name()))
      continue;
    Location loc = getNameLoc(init.name());
    ElementsAttr attr = convertTensor(init, init.name(), loc);
    if (!attr)
      return failure();
    values[init.name()] = graph::ConstantOp::create(builder, loc, attr);
  }
  return success();
}

LogicalResult GraphImporter::importNode(const ::onnx::NodeProto &node,
                                        OpBuilder &builder) {
  Location loc = getNameLoc(node.name());
  OpImportFn importFn = getOpImporterRegistry().lookup(node.op_type());
  NodeContext nodeContext(*this, node, getOpset(node.domain()), builder, loc);

  // Collect the errors of the op importer, of type inference and of the
  // verifier, and re-emit them prefixed with the node.
  llvm::SmallVector<std::string> errors;
  LogicalResult result = failure();
  {
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
      if (diag.getSeverity() != DiagnosticSeverity::Error)
        return failure(); // Let warnings through.
      errors.push_back(diag.str());
      return success();
    });
    result = importFn ? importFn(nodeContext) : failure();
    if (succeeded(result) && errors.empty()) {
      for (auto [i, output] : llvm::enumerate(node.output())) {
        if (output.empty() || values.count(output) || !isUsed(output))
          continue;
        errors.push_back("output " + std::to_string(i) + " ('" + output +
                         "') is not supported");
      }
      for (const std::string &output : node.output()) {
        Value value = output.empty() ? Value() : lookup(output);
        if (!value || !exceedsSizeLimit(value.getType()))
          continue;
        std::string type;
        llvm::raw_string_ostream os(type);
        os << value.getType();
        errors.push_back("output '" + output + "' of type '" + type + "'" +
                         kSizeLimitHint.str());
      }
    }
  }
  if (succeeded(result) && errors.empty())
    return success();
  if (errors.empty())
    errors.push_back("failed to import");
  for (const std::string &message : errors)
    emitError(loc) << "node '" << node.name() << "' (" << node.op_type()
                   << "): " << message;
  return failure();
}

/// Whether a declared graph output type disagrees with the computed one.
static bool conflicts(const ::onnx::TypeProto &declared, Type computed) {
  auto tensorType = dyn_cast<RankedTensorType>(computed);
  if (!declared.has_tensor_type() || !tensorType)
    return false;
  const auto &declaredTensor = declared.tensor_type();
  Type elementType =
      convertElementType(declaredTensor.elem_type(), computed.getContext());
  if (elementType && elementType != tensorType.getElementType())
    return true;
  if (!declaredTensor.has_shape())
    return false;
  if (declaredTensor.shape().dim_size() != tensorType.getRank())
    return true;
  for (auto [i, dim] : llvm::enumerate(declaredTensor.shape().dim()))
    if (dim.has_dim_value() && !tensorType.isDynamicDim(i) &&
        dim.dim_value() != tensorType.getDimSize(i))
      return true;
  return false;
}

OwningOpRef<ModuleOp> GraphImporter::importModel() {
  Location fileLoc = FileLineColLoc::get(&ctx, sourceName, 0, 0);
  if (failed(reportUnsupportedNodes()))
    return nullptr;

  llvm::SmallVector<Type> inputTypes;
  llvm::SmallVector<Location> inputLocs;
  llvm::SmallVector<std::string> inputNames;
  if (failed(importInputs(inputTypes, inputLocs, inputNames)))
    return nullptr;

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  OpBuilder builder(&ctx);
  builder.setInsertionPointToEnd(module->getBody());
  std::string graphName = graph.name().empty() ? "graph" : graph.name();
  auto func =
      func::FuncOp::create(builder, getNameLoc(graphName), options.entryName,
                           builder.getFunctionType(inputTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, arg] : llvm::enumerate(body->getArguments())) {
    arg.setLoc(inputLocs[i]);
    values[inputNames[i]] = arg;
  }
  builder.setInsertionPointToStart(body);

  if (failed(importInitializers(builder)))
    return nullptr;
  for (const auto &node : graph.node()) {
    if (succeeded(importNode(node, builder)))
      continue;
    // A node that failed may have needed static shapes: say which inputs
    // are symbolic and the flag that specializes them.
    for (auto [name, type] : llvm::zip(inputNames, inputTypes)) {
      auto tensor = cast<RankedTensorType>(type);
      if (tensor.hasStaticShape())
        continue;
      std::string dims;
      for (int64_t d : tensor.getShape())
        dims += (dims.empty() ? "" : "x") +
                (ShapedType::isDynamic(d) ? std::string("N") : std::to_string(d));
      emitRemark(getNameLoc(name))
          << "input '" << name << "' has symbolic dimensions (" << tensor
          << "); if the error above comes from them, specialize the model "
             "with --shape "
          << name << "=" << dims << " (N = the size you run)";
    }
    return nullptr;
  }

  llvm::SmallVector<Value> results;
  llvm::SmallVector<Attribute> outputNames;
  for (const auto &output : graph.output()) {
    Value value = lookup(output.name());
    if (!value) {
      emitError(getNameLoc(output.name()))
          << "graph output '" << output.name() << "' has no value";
      return nullptr;
    }
    if (conflicts(output.type(), value.getType()))
      emitWarning(getNameLoc(output.name()))
          << "graph output '" << output.name()
          << "' is declared with a type that differs from the computed "
          << value.getType();
    results.push_back(value);
    outputNames.push_back(builder.getStringAttr(output.name()));
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(
      builder.getFunctionType(inputTypes, ValueRange(results).getTypes()));

  llvm::SmallVector<Attribute> inputNameAttrs;
  for (const std::string &name : inputNames)
    inputNameAttrs.push_back(builder.getStringAttr(name));
  func->setAttr("tessera.input_names", builder.getArrayAttr(inputNameAttrs));
  func->setAttr("tessera.output_names", builder.getArrayAttr(outputNames));

  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace tessera::onnx
