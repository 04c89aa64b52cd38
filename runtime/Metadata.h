//===- Metadata.h - Artifact metadata text ----------------------*- C++ -*-===//
//
// The parsed form of the text returned by an artifact's
// `tessera_artifact_metadata()` (format documented in
// include/tessera-c/Artifact.h), and the parser for it.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_METADATA_H
#define TESSERA_RUNTIME_METADATA_H

#include "runtime/DType.h"
#include "runtime/Status.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::runtime {

/// Name, element type and static shape of one model input or output.
struct TensorSpec {
  std::string name;
  DType dtype = DType::Float32;
  std::vector<int64_t> shape; ///< Empty for a scalar.
  int64_t numElements = 1;    ///< Product of `shape`.

  size_t sizeInBytes() const {
    return static_cast<size_t>(numElements) * dtypeSize(dtype);
  }
};

/// The `target` record: what the code was compiled for.
struct TargetInfo {
  std::string device; ///< "cpu".
  std::string cpu;    ///< LLVM CPU name, e.g. "skylake-avx512".
  /// Comma-separated features as written, e.g. "avx2,fma" or "+avx2,+fma";
  /// empty when absent or written as "-".
  std::string features;
};

/// Everything an artifact declares about itself.
struct ArtifactMetadata {
  int version = 0;
  TargetInfo target;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
};

/// Parses metadata text. Fails with a message naming the line for a bad
/// magic word, an unsupported ABI version, an unknown record, an unknown
/// dtype, a malformed shape or name, or a duplicate name.
TESSERA_RT_EXPORT Status parseMetadata(std::string_view text,
                                       ArtifactMetadata &metadata);

/// Splits `line` into whitespace-separated words (also used by the plan
/// format, runtime/Plan.h).
TESSERA_RT_EXPORT std::vector<std::string_view> splitWords(std::string_view line);

/// Parses the words of an `input <name> <dtype> <dims>` (or `output ...`)
/// record into `spec`.
TESSERA_RT_EXPORT Status parseTensorRecord(
    const std::vector<std::string_view> &words, TensorSpec &spec);

/// Decodes %XX escapes. Fails on a truncated or non-hex escape.
TESSERA_RT_EXPORT Status percentDecode(std::string_view encoded,
                                       std::string &decoded);

/// Encodes every byte outside [A-Za-z0-9_.:/-] as %XX (upper-case hex).
TESSERA_RT_EXPORT std::string percentEncode(std::string_view text);

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_METADATA_H
