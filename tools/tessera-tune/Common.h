//===- Common.h - What the tessera-tune commands share ----------*- C++ -*-===//
//
// The command line's options, and what more than one command uses: the
// workloads to measure, the hardware profile, the measuring session
// (database, paired timer, injected faults), the progress bar, the split of
// the database's records into training and held-out workloads, and
// training with the command line's options. One file per command
// (Collect.cpp, Train.cpp, Eval.cpp, Show.cpp, Tune.cpp, Efficiency.cpp)
// implements its `run...` function; tessera-tune.cpp dispatches.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_TOOLS_TESSERA_TUNE_COMMON_H
#define TESSERA_TOOLS_TESSERA_TUNE_COMMON_H

#include "Measure.h"
#include "Suites.h"

#include "cost-model/CostModel.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace tessera::tune {

namespace cm = tessera::costmodel;

/// The options of all commands (Common.cpp); each command reads those it
/// documents.
extern llvm::cl::OptionCategory category;
extern llvm::cl::list<std::string> workloadFiles;
extern llvm::cl::opt<std::string> suiteOption;
extern llvm::cl::opt<unsigned> suiteSizeOption;
extern llvm::cl::opt<std::string> dbOption;
extern llvm::cl::opt<std::string> targetOption;
extern llvm::cl::opt<int> trialsOption;
extern llvm::cl::opt<int> budgetOption;
extern llvm::cl::opt<double> exploreOption;
extern llvm::cl::opt<int> confirmOption;
extern llvm::cl::opt<double> confirmBelowOption;
extern llvm::cl::opt<int> repeatOption;
extern llvm::cl::opt<bool> pairedOption;
extern llvm::cl::opt<double> targetMsOption;
extern llvm::cl::opt<int> pairRoundsOption;
extern llvm::cl::opt<Pairing> pairingOption;
extern llvm::cl::opt<int> threadsOption;
extern llvm::cl::opt<double> timeoutOption;
extern llvm::cl::opt<unsigned> seedOption;
extern llvm::cl::opt<std::string> modelOption;
extern llvm::cl::opt<std::string> outputOption;
extern llvm::cl::opt<double> heldOutOption;
extern llvm::cl::opt<std::string> heldOutSuiteOption;
extern llvm::cl::opt<int> roundsOption;
extern llvm::cl::opt<int> depthOption;
extern llvm::cl::opt<double> etaOption;
extern llvm::cl::opt<std::string> objectiveOption;
extern llvm::cl::opt<std::string> profileOption;
extern llvm::cl::opt<std::string> labelOption;
extern llvm::cl::list<std::string> dropFeaturesOption;
extern llvm::cl::opt<bool> perWorkloadOption;
extern llvm::cl::opt<int> randomFactorOption;
extern llvm::cl::opt<std::string> onlyOption;
extern llvm::cl::opt<int> limitOption;
extern llvm::cl::opt<std::string> injectOption;

/// Prints `error: message` and returns 1 (a command's exit status).
int fail(const std::string &message);
/// --hardware-profile, or this machine's probed profile.
std::optional<cm::HardwareProfile> getProfile();
/// The generated suite of the command line (--suite-size, --seed).
GeneratedSuiteOptions getGeneratedOptions();

/// A workload to measure: a file on disk and where it came from.
struct WorkloadFile {
  std::string name, source, path;
};

/// The suite's workloads written to `dir`, or the files given.
std::optional<std::vector<WorkloadFile>> getWorkloads(const std::string &dir);
/// Faults to inject, by measurement index.
std::map<int, Fault> parseFaults(const std::string &text, bool &ok);

/// A one-line progress bar with an ETA on stderr.
class Progress {
public:
  explicit Progress(size_t total)
      : total(total), start(std::chrono::steady_clock::now()), tty(isatty(2)) {}

  void update(size_t done, const std::string &what) {
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    double eta = done ? elapsed / done * (total - std::min(done, total)) : 0;
    const int width = 30;
    int filled = total ? static_cast<int>(width * done / total) : width;
    std::string bar(filled, '#');
    bar += std::string(width - filled, '.');
    llvm::errs() << (tty ? "\r" : "") << "[" << bar << "] " << done << "/"
                 << total
                 << llvm::formatv(" eta {0}m{1:d2}s ",
                                  static_cast<int>(eta) / 60,
                                  static_cast<int>(eta) % 60)
                 << what << (tty ? "\x1b[K" : "\n");
  }
  void finish() {
    if (tty)
      llvm::errs() << "\n";
  }

private:
  size_t total;
  std::chrono::steady_clock::time_point start;
  bool tty;
};

/// Shared state of collect and tune.
struct Session {
  mlir::MLIRContext *context;
  cm::HardwareProfile hw;
  std::unique_ptr<cm::TuningDatabase> db;
  MeasureOptions measure;
  std::map<int, Fault> faults;
  int measured = 0;
  size_t failures = 0;
  bool paired = true;
  /// The paired timer of the workload measured last.
  std::unique_ptr<PairedTimer> timer;
  std::string timerWorkload;

  /// Measures candidate `index` (paired with the heuristic's config unless
  /// --paired=false) and commits the record. The first measurement of a
  /// workload times the heuristic's config alone and records it too.
  bool measureAndRecord(const WorkloadFile &file, const Analysis &analysis,
                        size_t index, Measurement &m) {
    Fault fault = faults.count(measured) ? faults[measured] : Fault::None;
    ++measured;
    if (!paired) {
      m = measureCandidate(file.path, index, measure, fault);
      return record(file, analysis, index, m);
    }
    if (timerWorkload != analysis.workload.key() || index == 0) {
      Measurement heuristic;
      if (!startPairedTimer(file, analysis, heuristic, index == 0))
        return false;
      if (index == 0) {
        m = heuristic;
        return true;
      }
    }
    m = timer->measure(index, fault);
    return record(file, analysis, index, m);
  }

  /// A paired timer for `analysis`'s workload: times the heuristic's config
  /// alone and records it (a failure too when `recordFailure`).
  bool startPairedTimer(const WorkloadFile &file, const Analysis &analysis,
                        Measurement &heuristic, bool recordFailure) {
    timerWorkload = analysis.workload.key();
    timer = std::make_unique<PairedTimer>(file.path, measure);
    heuristic = timer->prepare();
    if (recordFailure || heuristic.status == "ok")
      return record(file, analysis, 0, heuristic);
    return true;
  }

  /// Measures candidate `index` again without recording it (tune's
  /// confirmation), paired with a timer of this workload (started here,
  /// which records the heuristic's config afresh, unless the last
  /// measurement was of this workload). False on a database error.
  bool remeasure(const WorkloadFile &file, const Analysis &analysis,
                 size_t index, Measurement &m) {
    if (!paired) {
      m = measureCandidate(file.path, index, measure, Fault::None);
      return true;
    }
    if (timerWorkload != analysis.workload.key()) {
      Measurement heuristic;
      if (!startPairedTimer(file, analysis, heuristic, false))
        return false;
    }
    m = timer->measure(index, Fault::None);
    return true;
  }

  bool record(const WorkloadFile &file, const Analysis &analysis, size_t index,
              const Measurement &m) {
    cm::TuningRecord record;
    record.workloadKey = analysis.workload.key();
    record.workloadJSON = analysis.workload.toJSON();
    record.config = analysis.candidates[index].toString();
    record.target = targetOption;
    record.machine = hw.machineId();
    record.source = file.source + "/" + file.name;
    record.status = m.status;
    record.latencyUs = m.latencyUs;
    record.heuristic = index == 0;
    record.referenceUs = m.referenceUs;
    if (!m.status.empty() && m.status != "ok")
      ++failures;
    std::string error;
    if (!db->add(record, &error)) {
      fail(error);
      return false;
    }
    return true;
  }
};

/// Tools next to this executable.
std::string findTool(const char *name);
/// The measuring session of collect, tune and efficiency; std::nullopt
/// after printing an error.
std::optional<Session> openSession(mlir::MLIRContext &context,
                                   const std::string &workDir);
/// A fresh temporary folder for workload files and artifacts.
std::string makeWorkDir();
/// `contraction 64x56x56x576`: op class and loop extents.
std::string describe(const cm::Workload &w);

/// Records of this target, split by workload.
struct Split {
  std::vector<cm::TuningRecord> train, heldOut;
};

/// The ok records of --target, split by --held-out or --held-out-suite;
/// std::nullopt after printing an error.
std::optional<Split> loadSplit();
/// XGBoost options of the command line.
cm::TrainOptions getTrainOptions();
/// Trains a model with the command line's options on `records`; the number
/// of rows and workloads it saw in `data`.
std::unique_ptr<cm::XGBoostModel>
trainOn(const std::vector<cm::TuningRecord> &records,
        const cm::HardwareProfile &hw, cm::Dataset &data, std::string *error);

/// Trains a model on all ok records of --target in `session`'s database.
std::unique_ptr<cm::XGBoostModel> trainOnDatabase(Session &session,
                                                  cm::Dataset &data,
                                                  std::string *error);
/// --model, or the shipped model when it is not given.
std::string getModelPath();
/// The cost model of getModelPath() for `hw`, or null after printing the
/// error.
std::unique_ptr<cm::CostModel> loadCostModel(const cm::HardwareProfile &hw);

/// What collect, tune and efficiency start from: the workload files in a
/// fresh work folder (removed by the command when it is done) and an open
/// measuring session.
struct MeasuringRun {
  std::string workDir;
  std::vector<WorkloadFile> files;
  Session session;
};
/// std::nullopt after printing an error.
std::optional<MeasuringRun> startMeasuringRun(mlir::MLIRContext &context);

/// The commands; each returns the exit status.
int runCollect(mlir::MLIRContext &context);
int runTrain();
int runEval();
int runShow();
int runTune(mlir::MLIRContext &context);
int runEfficiency(mlir::MLIRContext &context);

} // namespace tessera::tune

#endif // TESSERA_TOOLS_TESSERA_TUNE_COMMON_H
