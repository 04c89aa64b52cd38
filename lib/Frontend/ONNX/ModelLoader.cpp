//===- ModelLoader.cpp - Reading and validating ONNX models ---------------===//
//
// Everything that happens to a ModelProto before it is translated: parsing,
// opset checks, external data, topological ordering, and libonnx's checker
// and shape inference. libonnx reports problems by throwing; every call into
// it is wrapped so that bad models become diagnostics.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/ModelLoader.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <climits>
#include <optional>
#include <queue>

using namespace mlir;

namespace tessera::onnx {

/// Collapses the multi-line messages of libonnx into one line.
static std::string oneLine(llvm::StringRef message) {
  std::string result;
  bool pendingSpace = false;
  for (char c : message) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      pendingSpace = !result.empty();
      continue;
    }
    if (pendingSpace)
      result.push_back(' ');
    pendingSpace = false;
    result.push_back(c);
  }
  return result;
}

LogicalResult parseModel(llvm::StringRef bytes, llvm::StringRef displayName,
                         ::onnx::ModelProto &model, Location loc) {
  auto fail = [&](const llvm::Twine &why) {
    emitError(loc) << "failed to parse ONNX model '" << displayName
                   << "': " << why;
    return failure();
  };
  if (bytes.empty())
    return fail("the file is empty");
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    return fail("models over 2 GiB must keep their weights in external data");
  bool parsed = false;
  try {
    parsed = model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  } catch (...) {
    parsed = false;
  }
  if (!parsed)
    return fail("not a valid ONNX protobuf (truncated or corrupted file?)");
  if (!model.has_ir_version() || !model.has_graph())
    return fail("not an ONNX model (no IR version or no graph)");
  return success();
}

LogicalResult checkOpsetImports(const ::onnx::ModelProto &model, Location loc) {
  bool hasDefault = false;
  for (const auto &opset : model.opset_import()) {
    if (!opset.domain().empty() && opset.domain() != "ai.onnx")
      continue;
    hasDefault = true;
    if (opset.version() < 1) {
      emitError(loc) << "model imports invalid ONNX opset version "
                     << opset.version();
      return failure();
    }
    if (opset.version() > kMaxKnownOpset)
      emitWarning(loc) << "model uses ONNX opset " << opset.version()
                       << ", newer than the newest this importer knows ("
                       << kMaxKnownOpset << "); importing it with opset "
                       << kMaxKnownOpset << " semantics";
  }
  if (!hasDefault) {
    emitError(loc) << "model does not import an opset of the default ONNX "
                      "domain (opset_import has no entry for 'ai.onnx')";
    return failure();
  }
  return success();
}

namespace {
/// Reads external data files, each at most once.
class ExternalDataReader {
public:
  ExternalDataReader(llvm::StringRef baseDir, Location loc)
      : baseDir(baseDir), loc(loc) {}

  LogicalResult resolve(::onnx::TensorProto &tensor);

private:
  llvm::StringRef baseDir;
  Location loc;
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> files;
};
} // namespace

LogicalResult ExternalDataReader::resolve(::onnx::TensorProto &tensor) {
  if (tensor.data_location() != ::onnx::TensorProto::EXTERNAL)
    return success();
  const std::string &name = tensor.name();
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &entry : tensor.external_data()) {
    llvm::StringRef value = entry.value();
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      int64_t parsed;
      if (value.getAsInteger(10, parsed) || parsed < 0) {
        emitError(loc) << "tensor '" << name << "' has invalid external data "
                       << entry.key() << " '" << value << "'";
        return failure();
      }
      (entry.key() == "offset" ? offset : length) = parsed;
    }
  }
  if (baseDir.empty()) {
    emitError(loc) << "tensor '" << name
                   << "' uses external data, which is only supported when "
                      "the model is read from a file";
    return failure();
  }
  namespace path = llvm::sys::path;
  bool escapes = location.empty() || path::is_absolute(location);
  for (auto it = path::begin(location), e = path::end(location); it != e; ++it)
    escapes |= *it == "..";
  if (escapes) {
    emitError(loc) << "tensor '" << name << "' has external data location '"
                   << location << "' outside the model's folder";
    return failure();
  }
  llvm::SmallString<256> filePath(baseDir);
  path::append(filePath, location);

  auto it = files.find(filePath);
  if (it == files.end()) {
    auto buffer = llvm::MemoryBuffer::getFile(filePath, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer) {
      emitError(loc) << "cannot open external data file '" << filePath
                     << "' of tensor '" << name
                     << "': " << buffer.getError().message();
      return failure();
    }
    it = files.try_emplace(filePath, std::move(*buffer)).first;
  }
  llvm::StringRef data = it->second->getBuffer();
  int64_t fileSize = static_cast<int64_t>(data.size());
  if (length < 0)
    length = std::max<int64_t>(fileSize - offset, 0);
  if (offset > fileSize || length > fileSize - offset) {
    emitError(loc) << "external data file '" << filePath << "' of tensor '"
                   << name << "' is too short: needs " << length
                   << " bytes at offset " << offset << ", has " << fileSize
                   << " bytes";
    return failure();
  }
  tensor.set_raw_data(data.data() + offset, length);
  tensor.clear_external_data();
  tensor.set_data_location(::onnx::TensorProto::DEFAULT);
  return success();
}

LogicalResult resolveExternalData(::onnx::ModelProto &model,
                                  llvm::StringRef baseDir, Location loc) {
  ExternalDataReader reader(baseDir, loc);
  ::onnx::GraphProto *graph = model.mutable_graph();
  for (auto &tensor : *graph->mutable_initializer())
    if (failed(reader.resolve(tensor)))
      return failure();
  for (auto &node : *graph->mutable_node())
    for (auto &attr : *node.mutable_attribute())
      if (attr.has_t() && failed(reader.resolve(*attr.mutable_t())))
        return failure();
  return success();
}

LogicalResult sortGraph(::onnx::GraphProto &graph, Location loc) {
  int numNodes = graph.node_size();
  for (int i = 0; i < numNodes; ++i) {
    ::onnx::NodeProto *node = graph.mutable_node(i);
    if (node->name().empty())
      node->set_name(node->op_type() + "_" + std::to_string(i));
  }

  // Values available before any node runs.
  llvm::StringSet<> graphValues;
  for (const auto &input : graph.input())
    graphValues.insert(input.name());
  for (const auto &init : graph.initializer())
    graphValues.insert(init.name());

  llvm::StringMap<int> producer;
  for (int i = 0; i < numNodes; ++i) {
    for (const std::string &output : graph.node(i).output()) {
      if (output.empty())
        continue;
      auto [it, inserted] = producer.try_emplace(output, i);
      if (!inserted || graphValues.contains(output)) {
        emitError(loc) << "value '" << output << "' is defined more than once "
                       << "(by node '" << graph.node(i).name() << "')";
        return failure();
      }
    }
  }

  // Edges producer -> consumer; report undefined inputs, all of them.
  std::vector<llvm::SmallVector<int>> users(numNodes);
  std::vector<int> pendingInputs(numNodes, 0);
  bool undefined = false;
  for (int i = 0; i < numNodes; ++i) {
    const ::onnx::NodeProto &node = graph.node(i);
    for (const std::string &input : node.input()) {
      if (input.empty())
        continue;
      auto it = producer.find(input);
      if (it != producer.end()) {
        users[it->second].push_back(i);
        ++pendingInputs[i];
        continue;
      }
      if (graphValues.contains(input))
        continue;
      emitError(loc) << "node '" << node.name() << "' (" << node.op_type()
                     << ") uses undefined value '" << input << "'";
      undefined = true;
    }
  }
  for (const auto &output : graph.output()) {
    if (!producer.count(output.name()) &&
        !graphValues.contains(output.name())) {
      emitError(loc) << "graph output '" << output.name()
                     << "' is not computed by any node";
      undefined = true;
    }
  }
  if (undefined)
    return failure();

  // Kahn's algorithm, always taking the ready node of smallest index so that
  // an already sorted graph keeps its order.
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < numNodes; ++i)
    if (pendingInputs[i] == 0)
      ready.push(i);
  std::vector<int> order;
  order.reserve(numNodes);
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int user : users[i])
      if (--pendingInputs[user] == 0)
        ready.push(user);
  }
  if (static_cast<int>(order.size()) != numNodes) {
    // Walk backwards through unfinished producers until a node repeats: that
    // node lies on a cycle.
    int current = 0;
    while (pendingInputs[current] == 0)
      ++current;
    std::vector<bool> seen(numNodes, false);
    while (!seen[current]) {
      seen[current] = true;
      for (const std::string &input : graph.node(current).input()) {
        auto it = producer.find(input);
        if (it != producer.end() && pendingInputs[it->second] != 0) {
          current = it->second;
          break;
        }
      }
    }
    const ::onnx::NodeProto &node = graph.node(current);
    emitError(loc) << "graph has a cycle through node '" << node.name() << "' ("
                   << node.op_type() << ")";
    return failure();
  }

  bool sorted = true;
  for (int i = 0; i < numNodes; ++i)
    sorted &= order[i] == i;
  if (!sorted) {
    google::protobuf::RepeatedPtrField<::onnx::NodeProto> nodes;
    nodes.Swap(graph.mutable_node());
    for (int i : order)
      *graph.add_node() = std::move(nodes[i]);
  }
  return success();
}

LogicalResult checkModel(const ::onnx::ModelProto &model, Location loc) {
  try {
    ::onnx::checker::check_model(model);
    return success();
  } catch (const std::exception &e) {
    emitError(loc) << "invalid ONNX model: " << oneLine(e.what());
  } catch (...) {
    emitError(loc) << "invalid ONNX model: the ONNX checker failed";
  }
  return failure();
}

/// Attributes that ONNX shape inference (libonnx) divides by or multiplies
/// into sizes without checking them first: a 0 there is a SIGFPE in
/// libonnx, not an exception. Every op that has them requires values >= 1.
static constexpr llvm::StringLiteral kPositiveAttributes[] = {
    "strides", "dilations", "blocksize", "group"};

static LogicalResult checkPositiveAttributes(const ::onnx::GraphProto &graph,
                                             Location loc) {
  for (const auto &node : graph.node()) {
    for (const auto &attr : node.attribute()) {
      // Subgraphs (If, Loop, Scan bodies) are inferred too.
      if (attr.has_g() && failed(checkPositiveAttributes(attr.g(), loc)))
        return failure();
      for (const auto &g : attr.graphs())
        if (failed(checkPositiveAttributes(g, loc)))
          return failure();
      if (!llvm::is_contained(kPositiveAttributes, attr.name()))
        continue;
      llvm::SmallVector<int64_t> values(attr.ints().begin(), attr.ints().end());
      if (attr.type() == ::onnx::AttributeProto::INT)
        values.push_back(attr.i());
      for (int64_t v : values) {
        if (v >= 1)
          continue;
        emitError(loc) << "node '" << node.name() << "' (" << node.op_type()
                       << "): attribute '" << attr.name()
                       << "' must be >= 1, got " << v;
        return failure();
      }
    }
  }
  return success();
}

/// Convolutions whose shape inference in libonnx 1.12 (convPoolShapeInference,
/// convTransposeShapeInference) trusts the ranks of its operands: it takes
/// the kernel rank from the weight and indexes the input's spatial dims, the
/// strides, dilations and pads with it unchecked, so a weight of higher rank
/// than the input reads out of bounds (SEGV, found by tessera-fuzz-onnx), and
/// ConvTranspose reads dim 1 of a rank-1 weight. Returns the positions of
/// the input and the weight, or std::nullopt for other ops. (The pooling ops
/// take the kernel rank from `kernel_shape`, whose size libonnx checks.)
static std::optional<std::pair<int, int>>
convOperandPositions(llvm::StringRef opType) {
  if (opType == "Conv" || opType == "ConvInteger" || opType == "ConvTranspose")
    return std::make_pair(0, 1);
  if (opType == "QLinearConv")
    return std::make_pair(0, 3);
  return std::nullopt;
}

namespace {
/// Ranks of the values visible in a graph (outer scopes included), as the
/// file declares them or as ONNX shape inference has found them.
using RankMap = llvm::StringMap<int64_t>;
} // namespace

static void addRank(RankMap &ranks, const ::onnx::ValueInfoProto &info) {
  if (info.type().has_tensor_type() && info.type().tensor_type().has_shape())
    ranks[info.name()] = info.type().tensor_type().shape().dim_size();
}

/// Compares the ranks of every convolution's input and weight where both are
/// known, in `graph` and its subgraphs (If, Loop, Scan bodies). `ranks`
/// holds the outer scopes' values.
static LogicalResult checkConvRanks(const ::onnx::GraphProto &graph,
                                    RankMap ranks, Location loc) {
  for (const auto &info : graph.input())
    addRank(ranks, info);
  for (const auto &info : graph.value_info())
    addRank(ranks, info);
  for (const auto &init : graph.initializer())
    ranks[init.name()] = init.dims_size();
  for (const auto &node : graph.node()) {
    for (const auto &attr : node.attribute()) {
      if (attr.has_g() && failed(checkConvRanks(attr.g(), ranks, loc)))
        return failure();
      for (const auto &g : attr.graphs())
        if (failed(checkConvRanks(g, ranks, loc)))
          return failure();
    }
    auto positions = convOperandPositions(node.op_type());
    if (!positions || node.input_size() <= positions->second)
      continue;
    const std::string &x = node.input(positions->first);
    const std::string &w = node.input(positions->second);
    auto xRank = ranks.find(x), wRank = ranks.find(w);
    if (xRank == ranks.end() || wRank == ranks.end() ||
        xRank->second == wRank->second)
      continue;
    emitError(loc) << "node '" << node.name() << "' (" << node.op_type()
                   << "): input '" << x << "' has rank " << xRank->second
                   << " but weight '" << w << "' has rank " << wRank->second
                   << "; they must be equal";
    return failure();
  }
  return success();
}

LogicalResult checkAttributeValues(const ::onnx::ModelProto &model,
                                   Location loc) {
  return failure(failed(checkPositiveAttributes(model.graph(), loc)) ||
                 failed(checkConvRanks(model.graph(), RankMap(), loc)));
}

namespace {
/// The standard ONNX schemas, except that the convolutions' inference
/// functions check the ranks of their operands before libonnx's own runs.
/// checkAttributeValues can only compare the ranks the file declares; the
/// rank of an intermediate value is known only once libonnx's inference has
/// reached its node, so the check has to run inside that inference, for
/// every node (subgraphs and function bodies too: libonnx hands them the
/// same registry). A refused node gets no inferred shape, like any node
/// libonnx cannot infer, and the refusal is remembered.
class RankCheckingSchemaRegistry final : public ::onnx::ISchemaRegistry {
public:
  const ::onnx::OpSchema *
  GetSchema(const std::string &key, const int maxInclusiveVersion,
            const std::string &domain) const override;

  /// Why the first convolution was refused; empty when none was.
  const std::string &firstRefusal() const { return refusal; }

private:
  void checkRanks(llvm::StringRef opType, std::pair<int, int> positions,
                  const ::onnx::InferenceContext &ctx) const;

  /// Copies of the convolutions' schemas with the checking function,
  /// created on first use.
  mutable llvm::DenseMap<const ::onnx::OpSchema *,
                         std::unique_ptr<::onnx::OpSchema>>
      checked;
  mutable std::string refusal;
};
} // namespace

/// The rank of a node's input as inference sees it, or -1 if unknown.
static int64_t inputRank(const ::onnx::InferenceContext &ctx, int index) {
  if (index >= static_cast<int>(ctx.getNumInputs()))
    return -1;
  const ::onnx::TypeProto *type = ctx.getInputType(index);
  if (!type || !type->has_tensor_type() || !type->tensor_type().has_shape())
    return -1;
  return type->tensor_type().shape().dim_size();
}

void RankCheckingSchemaRegistry::checkRanks(
    llvm::StringRef opType, std::pair<int, int> positions,
    const ::onnx::InferenceContext &ctx) const {
  int64_t xRank = inputRank(ctx, positions.first);
  int64_t wRank = inputRank(ctx, positions.second);
  if (xRank < 0 || wRank < 0 || xRank == wRank)
    return;
  std::string why;
  llvm::raw_string_ostream os(why);
  os << "a " << opType << " node's input has rank " << xRank
     << " but its weight has rank " << wRank << "; they must be equal";
  if (refusal.empty())
    refusal = why;
  // libonnx catches InferenceError per node and moves on to the next one.
  // (Not fail_shape_inference: its unqualified ONNX_NAMESPACE would name
  // tessera::onnx here.)
  throw ::onnx::InferenceError("[ShapeInferenceError] " + why);
}

const ::onnx::OpSchema *RankCheckingSchemaRegistry::GetSchema(
    const std::string &key, const int maxInclusiveVersion,
    const std::string &domain) const {
  const ::onnx::OpSchema *schema =
      ::onnx::OpSchemaRegistry::Instance()->GetSchema(key, maxInclusiveVersion,
                                                      domain);
  auto positions = convOperandPositions(key);
  if (!schema || !positions || !schema->has_type_and_shape_inference_function())
    return schema;
  std::unique_ptr<::onnx::OpSchema> &copy = checked[schema];
  if (!copy) {
    copy = std::make_unique<::onnx::OpSchema>(*schema);
    ::onnx::InferenceFunction infer = schema->GetTypeAndShapeInferenceFunction();
    std::string opType = key;
    copy->TypeAndShapeInferenceFunction(
        [this, infer, opType,
         positions = *positions](::onnx::InferenceContext &ctx) {
          checkRanks(opType, positions, ctx);
          infer(ctx);
        });
  }
  return copy.get();
}

LogicalResult inferShapes(::onnx::ModelProto &model, Location loc) {
  RankCheckingSchemaRegistry registry;
  try {
    ::onnx::shape_inference::InferShapes(model, &registry);
  } catch (const std::exception &e) {
    emitWarning(loc) << "ONNX shape inference failed (ignored): "
                     << oneLine(e.what());
  } catch (...) {
    emitWarning(loc) << "ONNX shape inference failed (ignored)";
  }
  if (registry.firstRefusal().empty())
    return success();
  // Name the node: the ranks that inference found are in value_info now.
  if (failed(checkConvRanks(model.graph(), RankMap(), loc)))
    return failure();
  // Only a function body, whose values are not kept, gets here.
  emitError(loc) << "ONNX shape inference: " << registry.firstRefusal()
                 << " (inside a function body)";
  return failure();
}

} // namespace tessera::onnx
