//===- Measure.h - Analyze and measure one-op workloads ---------*- C++ -*-===//
//
// Analysis runs the CPU pipeline in-process up to tessera-select-tile-config
// and describes the workload's root op (its Workload and candidate
// configs). Measurement compiles one candidate with `tessera-compile
// --tile-candidate=N` and times it with `tessera-run --benchmark`, each in
// a child process with a timeout, so a candidate that crashes or hangs
// becomes a failed record and the tuner goes on.
//
// Paired measurement (PairedTimer) times each candidate against the
// workload's heuristic config: the ratio of the two is what the machine's
// load cannot move much, so the ranking data stays usable on a shared
// machine. By default both run in one `tessera-run H.so --compare C.so`
// process, alternating run by run (H C, C H, ...), and the ratio is the
// median of the pairs' ratios: adjacent runs share the load, which changes
// between processes. The older way (Pairing::Processes) alternates whole
// processes (H C, C H, H C) and takes the median of the rounds' ratios of
// per-process minima. Either way the timed work is about --target-ms per
// artifact and round, so short kernels are not timer noise.
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
  /// The heuristic's latency timed in the same rounds (paired), or 0.
  double referenceUs = 0;
  /// The failing step's last output line, for the progress log.
  std::string detail;
};

/// How a candidate is paired with the heuristic's config.
enum class Pairing {
  InProcess, ///< One process, alternating run by run (tessera-run --compare).
  Processes, ///< Alternating processes, `pairRounds` of each.
};

struct MeasureOptions {
  std::string compiler, runner;
  std::string workDir;
  /// Timed runs per process: at least `repeat`, and enough for about
  /// `targetMs` of timed work (paired measurement only).
  int repeat = 5;
  double targetMs = 20;
  /// Rounds of interleaved timing per paired measurement: processes of
  /// each, or (in-process) the multiple of one process's runs timed as pairs.
  int pairRounds = 3;
  Pairing pairing = Pairing::InProcess;
  int threads = 0;
  double compileTimeoutS = 180, runTimeoutS = 30;
};

/// Compiles candidate `index` of the workload in `path` and times it once
/// (median of `repeat` runs): an unpaired measurement.
Measurement measureCandidate(const std::string &path, size_t index,
                             const MeasureOptions &options, Fault fault);

/// Paired measurements of one workload's candidates against its heuristic
/// config (candidate 0), which is compiled once.
class PairedTimer {
public:
  PairedTimer(std::string path, const MeasureOptions &options)
      : path(std::move(path)), options(options) {}

  /// Compiles and times the heuristic's config alone (`pairRounds` rounds,
  /// the median kept); the reference of later `measure` calls. A failure
  /// leaves the timer unprepared (measure then times unpaired).
  Measurement prepare();
  bool isPrepared() const { return referenceEstimateUs > 0; }

  /// Candidate `index` timed alternating with the heuristic's (a short
  /// probe of the candidate alone first finds crashes and hangs):
  /// latencyUs / referenceUs is the median of the pairs' (or rounds')
  /// ratios, referenceUs the median of the heuristic's times.
  Measurement measure(size_t index, Fault fault);

private:
  /// Timed runs per process for a kernel of about `estimateUs`.
  int runsFor(double estimateUs) const;
  /// The ratio of `library` to the heuristic's config in alternating
  /// processes (Pairing::Processes), `runs` timed runs each.
  Measurement measureInProcesses(const std::string &library, int runs);
  std::string path;
  MeasureOptions options;
  std::string referenceLibrary;
  double referenceEstimateUs = 0;
};

} // namespace tessera::tune

#endif
