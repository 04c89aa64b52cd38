//===- Metadata.cpp - Artifact metadata text ------------------------------===//
//
// A line-oriented parser for the artifact metadata format:
//
//   tessera-artifact 1
//   target cpu skylake-avx512 +avx2,+fma
//   input x float32 1x3x224x224
//   output y float32 1x1000
//
// Records are whitespace-separated words; blank lines are ignored.
//
//===----------------------------------------------------------------------===//

#include "runtime/Metadata.h"

#include "runtime/Tensor.h"
#include "tessera-c/Artifact.h"

#include <cctype>
#include <set>

namespace tessera::runtime {

std::vector<std::string_view> splitWords(std::string_view line) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() &&
           std::isspace(static_cast<unsigned char>(line[pos])))
      ++pos;
    size_t start = pos;
    while (pos < line.size() &&
           !std::isspace(static_cast<unsigned char>(line[pos])))
      ++pos;
    if (pos > start)
      words.push_back(line.substr(start, pos - start));
  }
  return words;
}

/// Parses a non-negative decimal integer without sign or overflow.
static bool parseNonNegative(std::string_view text, int64_t &value) {
  if (text.empty() || text.size() > 18)
    return false;
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

static int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

Status percentDecode(std::string_view encoded, std::string &decoded) {
  decoded.clear();
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      decoded += encoded[i];
      continue;
    }
    int high = i + 1 < encoded.size() ? hexValue(encoded[i + 1]) : -1;
    int low = i + 2 < encoded.size() ? hexValue(encoded[i + 2]) : -1;
    if (high < 0 || low < 0)
      return Status::error("invalid percent escape in '" +
                           std::string(encoded) + "'");
    decoded += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return Status::success();
}

std::string percentEncode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (char c : text) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '_' || c == '.' || c == ':' || c == '/' ||
        c == '-') {
      encoded += c;
      continue;
    }
    encoded += '%';
    encoded += kHex[byte >> 4];
    encoded += kHex[byte & 15];
  }
  return encoded;
}

/// Parses "1x3x224x224" or "scalar" into `shape`.
static bool parseDims(std::string_view text, std::vector<int64_t> &shape) {
  shape.clear();
  if (text == "scalar")
    return true;
  size_t start = 0;
  while (true) {
    size_t end = text.find('x', start);
    std::string_view word = text.substr(start, end - start);
    int64_t dim;
    if (!parseNonNegative(word, dim))
      return false;
    shape.push_back(dim);
    if (end == std::string_view::npos)
      return true;
    start = end + 1;
  }
}

Status parseTensorRecord(const std::vector<std::string_view> &words,
                         TensorSpec &spec) {
  if (words.size() != 4)
    return Status::error("expected '" + std::string(words[0]) +
                         " <name> <dtype> <dims>'");
  if (Status status = percentDecode(words[1], spec.name); !status)
    return status;
  std::optional<DType> dtype = parseDTypeName(words[2]);
  if (!dtype)
    return Status::error("unknown dtype '" + std::string(words[2]) + "'");
  spec.dtype = *dtype;
  if (!parseDims(words[3], spec.shape))
    return Status::error("invalid dims '" + std::string(words[3]) +
                         "' (expected e.g. 1x3x224x224 or 'scalar')");
  if (!computeNumElements(spec.shape, dtypeSize(spec.dtype), spec.numElements))
    return Status::error("tensor '" + spec.name + "' is too large");
  return Status::success();
}

Status parseMetadata(std::string_view text, ArtifactMetadata &metadata) {
  metadata = ArtifactMetadata();
  bool sawHeader = false, sawTarget = false;
  std::set<std::string> inputNames, outputNames;
  size_t lineNumber = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineNumber;
    std::vector<std::string_view> words = splitWords(line);
    if (words.empty())
      continue;
    auto lineError = [&](const std::string &message) {
      return Status::error("metadata line " + std::to_string(lineNumber) +
                           ": " + message);
    };

    if (!sawHeader) {
      if (words[0] != "tessera-artifact")
        return lineError("bad magic: expected 'tessera-artifact', got '" +
                         std::string(line.substr(0, 40)) + "'");
      int64_t version;
      if (words.size() != 2 || !parseNonNegative(words[1], version))
        return lineError("expected 'tessera-artifact <version>'");
      if (version != TESSERA_ARTIFACT_ABI_VERSION)
        return lineError("artifact ABI version " + std::to_string(version) +
                         " is not supported (this runtime supports version " +
                         std::to_string(TESSERA_ARTIFACT_ABI_VERSION) +
                         "); recompile the model with this Tessera's "
                         "tessera-compile");
      metadata.version = static_cast<int>(version);
      sawHeader = true;
      continue;
    }

    if (words[0] == "target") {
      if (sawTarget)
        return lineError("duplicate 'target' record");
      if (words.size() < 2 || words.size() > 4)
        return lineError("expected 'target <device> <cpu> <features>'");
      metadata.target.device = std::string(words[1]);
      if (words.size() > 2)
        metadata.target.cpu = std::string(words[2]);
      // "-" stands for an empty feature list.
      if (words.size() > 3 && words[3] != "-")
        metadata.target.features = std::string(words[3]);
      sawTarget = true;
      continue;
    }

    if (words[0] == "input" || words[0] == "output") {
      bool isInput = words[0] == "input";
      TensorSpec spec;
      if (Status status = parseTensorRecord(words, spec); !status)
        return lineError(status.message());
      std::set<std::string> &names = isInput ? inputNames : outputNames;
      if (!names.insert(spec.name).second)
        return lineError("duplicate " + std::string(words[0]) + " name '" +
                         spec.name + "'");
      (isInput ? metadata.inputs : metadata.outputs).push_back(std::move(spec));
      continue;
    }

    return lineError("unknown record '" + std::string(words[0]) + "'");
  }
  if (!sawHeader)
    return Status::error("metadata is empty (expected 'tessera-artifact " +
                         std::to_string(TESSERA_ARTIFACT_ABI_VERSION) + "')");
  return Status::success();
}

} // namespace tessera::runtime
