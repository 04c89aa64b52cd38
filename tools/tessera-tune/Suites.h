//===- Suites.h - Named workload suites of tessera-tune ---------*- C++ -*-===//
//
// One-op workloads as Graph-dialect MLIR: the convolution, depthwise,
// matmul, pooling and elementwise shapes of the benchmark models (ResNet-18,
// ResNet-50, MobileNetV2, SqueezeNet 1.1, a Transformer encoder layer).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_TOOLS_TESSERA_TUNE_SUITES_H
#define TESSERA_TOOLS_TESSERA_TUNE_SUITES_H

#include <optional>
#include <string>
#include <vector>

namespace tessera::tune {

struct SuiteWorkload {
  /// e.g. `conv_c64_h56_k64_r3_s1`.
  std::string name;
  /// The suite it belongs to (the `source` of its records).
  std::string suite;
  /// Graph-dialect module with one public function.
  std::string mlir;
};

/// Names of the suites: resnet18, resnet50, mobilenet_v2, squeezenet1_1,
/// transformer, smoke (three tiny workloads for tests), all (the five
/// models, without duplicates).
std::vector<std::string> getSuiteNames();

/// The workloads of `suite`; std::nullopt for an unknown name.
std::optional<std::vector<SuiteWorkload>> getSuite(const std::string &suite);

} // namespace tessera::tune

#endif
