//===- Measure.h - Analyze and measure one-op workloads ---------*- C++ -*-===//
//
// Analysis runs the CPU pipeline in-process up to tessera-select-tile-config
// and describes the workload's root op (its Workload and candidate
// configs). Measurement compiles one candidate with `tessera-compile
// --tile-candidate=N` and times it with `tessera-run --benchmark`, each in
// a child process with a timeout, so a candidate that crashes or hangs
// becomes a failed record and the tuner goes on.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_TOOLS_TESSERA_TUNE_MEASURE_H
#define TESSERA_TOOLS_TESSERA_TUNE_MEASURE_H

#include "cost-model/Workload.h"

#include <string>
#include <vector>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace tessera::tune {

/// The root op of a workload file and its candidates (the heuristic first).
struct Analysis {
  costmodel::Workload workload;
  std::vector<costmodel::TileSizes> candidates;
};

/// Analyzes the Graph-dialect workload in `path`. False with `error` set
/// when it does not parse, does not lower, or has no tileable op.
bool analyzeWorkload(mlir::MLIRContext &context, const std::string &path,
                     int64_t vectorWidth, Analysis &analysis,
                     std::string &error);

/// A fault a test injects into the run of one candidate.
enum class Fault { None, Crash, Hang };

struct Measurement {
  /// `ok`, `crash`, `timeout`, `compile-error`, `run-error`.
  std::string status = "ok";
  double latencyUs = 0;
  /// The failing step's last output line, for the progress log.
  std::string detail;
};

struct MeasureOptions {
  std::string compiler, runner;
  std::string workDir;
  int repeat = 5;
  int threads = 0;
  double compileTimeoutS = 180, runTimeoutS = 30;
};

/// Compiles candidate `index` of the workload in `path` and times it.
Measurement measureCandidate(const std::string &path, size_t index,
                             const MeasureOptions &options, Fault fault);

} // namespace tessera::tune

#endif
