//===- Suites.h - Named workload suites of tessera-tune ---------*- C++ -*-===//
//
// One-op workloads as Graph-dialect MLIR: the convolution, depthwise,
// matmul, pooling and elementwise shapes of the benchmark models (ResNet-18,
// ResNet-50, MobileNetV2, SqueezeNet 1.1, a Transformer encoder layer), and
// a generated suite of many shapes around theirs (training data that lets
// the cost model generalize to shapes it has not seen).
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

/// How the `generated` suite is drawn.
struct GeneratedSuiteOptions {
  /// Number of workloads.
  unsigned size = 200;
  /// The same seed and size give the same workloads, in the same order, on
  /// every platform.
  unsigned seed = 0;
};

/// Names of the suites: resnet18, resnet50, mobilenet_v2, squeezenet1_1,
/// transformer, smoke (three tiny workloads for tests), all (the five
/// models, without duplicates), generated (shapes drawn around the
/// models': see getGeneratedSuite).
std::vector<std::string> getSuiteNames();

/// The workloads of `suite`; std::nullopt for an unknown name. `generated`
/// is used by the `generated` suite only.
std::optional<std::vector<SuiteWorkload>>
getSuite(const std::string &suite, const GeneratedSuiteOptions &generated = {});

/// `options.size` distinct workloads drawn from the families of the
/// benchmark models, batch 1: 3x3 and 1x1 convolutions (stride 1 and 2),
/// 3x3 and 7x7 stride-2 stems, depthwise 3x3, fully connected and
/// transformer matmuls, batched attention matmuls, max and global average
/// pools, residual add+relu. Channel counts and spatial sizes come from
/// the models' (and their neighbours'); kernels of more than about 0.4
/// GFLOP are not drawn (each is measured many times). None has the name
/// of a workload of `all`. The families are interleaved in a random order,
/// so the first N workloads of a run are a fair sample of the whole.
std::vector<SuiteWorkload>
getGeneratedSuite(const GeneratedSuiteOptions &options);

} // namespace tessera::tune

#endif
