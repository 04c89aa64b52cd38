//===- tessera-tune.cpp - Measure, learn and evaluate tile configs --------===//
//
// tessera-tune COMMAND [options]
//   collect  measure candidate tile configs of workloads into the database
//   train    fit the XGBoost cost model from the database
//   eval     ranking metrics of a model on held-out workloads
//   show     list the records of the database
//   tune     model-guided search: measure the most promising candidates
//            (with exploration), write them and update the model
//   profile  print this machine's hardware profile (JSON)
//   suites   list the named workload suites
//
// Workloads are named suites (--suite) or Graph-dialect .mlir files with one
// kernel. Every measurement runs in child processes with timeouts and is
// committed to the SQLite database at once, so an interrupted run keeps its
// records and a rerun skips what is measured already.
//
//===----------------------------------------------------------------------===//

#include "Measure.h"
#include "Suites.h"

#include "cost-model/CostModel.h"
#include "tessera/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <unistd.h>

using namespace tessera;
using namespace tessera::tune;
namespace cm = tessera::costmodel;
namespace cl = llvm::cl;

static cl::OptionCategory category("tessera-tune options");
static cl::list<std::string> workloadFiles(cl::Positional,
                                           cl::desc("[workload.mlir ...]"),
                                           cl::cat(category));
static cl::opt<std::string> suiteOption(
    "suite", cl::desc("Named workload suite (see `tessera-tune suites`)"),
    cl::init(""), cl::cat(category));
static cl::opt<std::string> dbOption("db", cl::desc("Tuning database"),
                                     cl::value_desc("FILE"),
                                     cl::init("tessera-tuning.sqlite"),
                                     cl::cat(category));
static cl::opt<std::string>
    targetOption("target", cl::desc("Target to measure (cpu)"),
                 cl::init("cpu"), cl::cat(category));
static cl::opt<int> trialsOption(
    "trials",
    cl::desc("collect: candidates measured per workload (the heuristic's "
             "and random others)"),
    cl::init(8), cl::cat(category));
static cl::opt<int> budgetOption(
    "budget", cl::desc("tune: measurements per workload"), cl::init(8),
    cl::cat(category));
static cl::opt<double> exploreOption(
    "explore",
    cl::desc("tune: probability of measuring a random candidate instead of "
             "the predicted best (exploration)"),
    cl::init(0.25), cl::cat(category));
static cl::opt<int> repeatOption(
    "repeat", cl::desc("Timed runs per measurement (the median is kept)"),
    cl::init(5), cl::cat(category));
static cl::opt<int> threadsOption(
    "run-threads",
    cl::desc("Threads of the measured kernels (0: all cores)"),
    cl::init(0), cl::cat(category));
static cl::opt<double> timeoutOption(
    "timeout", cl::desc("Seconds one run may take before it counts as hung"),
    cl::init(30), cl::cat(category));
static cl::opt<unsigned> seedOption("seed", cl::desc("Random seed"),
                                    cl::init(0), cl::cat(category));
static cl::opt<std::string> modelOption(
    "model",
    cl::desc("Cost model file (train: output; eval/tune: input; default "
             "for eval/tune: the shipped CPU model)"),
    cl::value_desc("FILE"), cl::init(""), cl::cat(category));
static cl::opt<std::string> outputOption("o",
                                         cl::desc("train: model file to write"),
                                         cl::value_desc("FILE"), cl::init(""),
                                         cl::cat(category));
static cl::opt<double> heldOutOption(
    "held-out",
    cl::desc("Fraction of WORKLOADS held out of training and used by eval "
             "(0 trains on everything)"),
    cl::init(0.25), cl::cat(category));
static cl::opt<std::string> heldOutSuiteOption(
    "held-out-suite",
    cl::desc("train/eval: hold out the workloads of this suite (e.g. "
             "resnet18: a model never seen) instead of a hashed fraction"),
    cl::init(""), cl::cat(category));
static cl::opt<int> roundsOption("rounds", cl::desc("Boosting rounds"),
                                 cl::init(100), cl::cat(category));
// Shallow trees generalize best to unseen workloads (depth 3 beat 2, 4, 6
// and 8 on held-out workloads; see docs/cost-model.md).
static cl::opt<int> depthOption("max-depth", cl::desc("Depth of the trees"),
                                cl::init(3), cl::cat(category));
static cl::opt<double> etaOption("learning-rate",
                                 cl::desc("Boosting learning rate"),
                                 cl::init(0.1), cl::cat(category));
static cl::opt<std::string> objectiveOption(
    "objective",
    cl::desc("reg:squarederror (log-latency, default) or rank:pairwise"),
    cl::init("reg:squarederror"), cl::cat(category));
static cl::opt<std::string> profileOption(
    "hardware-profile",
    cl::desc("Hardware profile JSON (default: probe this machine)"),
    cl::value_desc("FILE"), cl::init(""), cl::cat(category));
static cl::opt<bool> relativeOption(
    "relative-labels",
    cl::desc("train: learn log2(latency / the workload's median) (ranking "
             "only) instead of log2(latency / roofline)"),
    cl::init(false), cl::Hidden, cl::cat(category));
static cl::opt<bool> perWorkloadOption(
    "per-workload", cl::desc("eval: also print the metrics of each workload"),
    cl::init(false), cl::cat(category));
static cl::opt<int> limitOption("limit",
                                cl::desc("show: at most N records (0: all)"),
                                cl::init(0), cl::cat(category));
static cl::opt<std::string> injectOption(
    "inject-fault",
    cl::desc("Testing: make measurement I crash or hang, e.g. "
             "crash:1,hang:2 (indices count measurements of this run)"),
    cl::init(""), cl::Hidden, cl::cat(category));

namespace {

int fail(const std::string &message) {
  llvm::errs() << "error: " << message << "\n";
  return 1;
}

std::optional<cm::HardwareProfile> getProfile() {
  if (profileOption.empty())
    return cm::HardwareProfile::probeHost();
  std::string error;
  std::optional<cm::HardwareProfile> p =
      cm::HardwareProfile::load(profileOption, &error);
  if (!p)
    llvm::errs() << "error: " << error << "\n";
  return p;
}

/// A workload to measure: a file on disk and where it came from.
struct WorkloadFile {
  std::string name, source, path;
};

/// The suite's workloads written to `dir`, or the files given.
std::optional<std::vector<WorkloadFile>> getWorkloads(const std::string &dir) {
  std::vector<WorkloadFile> files;
  if (!suiteOption.empty()) {
    std::optional<std::vector<SuiteWorkload>> suite = getSuite(suiteOption);
    if (!suite) {
      fail("unknown suite '" + suiteOption +
           "' (see `tessera-tune suites`)");
      return std::nullopt;
    }
    for (const SuiteWorkload &w : *suite) {
      std::string path = dir + "/" + w.name + ".mlir";
      std::ofstream(path) << w.mlir;
      files.push_back({w.name, w.suite, path});
    }
  }
  for (const std::string &path : workloadFiles) {
    if (!llvm::sys::fs::exists(path)) {
      fail("no workload file '" + path + "'");
      return std::nullopt;
    }
    files.push_back({llvm::sys::path::stem(path).str(), "file", path});
  }
  if (files.empty()) {
    fail("no workloads: give --suite NAME or workload .mlir files");
    return std::nullopt;
  }
  return files;
}

/// Faults to inject, by measurement index.
std::map<int, Fault> parseFaults(const std::string &text, bool &ok) {
  std::map<int, Fault> faults;
  ok = true;
  llvm::SmallVector<llvm::StringRef> items;
  llvm::StringRef(text).split(items, ',', -1, false);
  for (llvm::StringRef item : items) {
    auto [kind, index] = item.split(':');
    int i;
    if ((kind != "crash" && kind != "hang") || index.getAsInteger(10, i)) {
      ok = false;
      return faults;
    }
    faults[i] = kind == "crash" ? Fault::Crash : Fault::Hang;
  }
  return faults;
}

/// A one-line progress bar with an ETA on stderr.
class Progress {
public:
  explicit Progress(size_t total)
      : total(total), start(std::chrono::steady_clock::now()),
        tty(isatty(2)) {}

  void update(size_t done, const std::string &what) {
    double elapsed = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    double eta = done ? elapsed / done * (total - std::min(done, total)) : 0;
    const int width = 30;
    int filled = total ? static_cast<int>(width * done / total) : width;
    std::string bar(filled, '#');
    bar += std::string(width - filled, '.');
    llvm::errs() << (tty ? "\r" : "") << "[" << bar << "] " << done << "/"
                 << total << llvm::formatv(" eta {0}m{1:d2}s ",
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

  /// Measures candidate `index` and commits the record.
  bool measureAndRecord(const WorkloadFile &file, const Analysis &analysis,
                        size_t index, Measurement &m) {
    Fault fault = faults.count(measured) ? faults[measured] : Fault::None;
    ++measured;
    m = measureCandidate(file.path, index, measure, fault);
    cm::TuningRecord record;
    record.workloadKey = analysis.workload.key();
    record.workloadJSON = analysis.workload.toJSON();
    record.config = analysis.candidates[index].toString();
    record.target = targetOption;
    record.machine = hw.machineId();
    record.source = file.source + "/" + file.name;
    record.status = m.status;
    record.latencyUs = m.latencyUs;
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
std::string findTool(const char *name) {
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable("tessera-tune", &anchor);
  llvm::SmallString<256> path(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(path, name);
  return std::string(path);
}

std::optional<Session> openSession(mlir::MLIRContext &context,
                                   const std::string &workDir) {
  if (targetOption != "cpu") {
    fail("target '" + targetOption +
         "' cannot be measured by tessera-tune yet (available: cpu)");
    return std::nullopt;
  }
  Session s;
  s.context = &context;
  std::optional<cm::HardwareProfile> hw = getProfile();
  if (!hw)
    return std::nullopt;
  s.hw = *hw;
  std::string error;
  s.db = cm::TuningDatabase::open(dbOption, &error);
  if (!s.db) {
    fail(error);
    return std::nullopt;
  }
  s.measure.compiler = findTool("tessera-compile");
  s.measure.runner = findTool("tessera-run");
  s.measure.workDir = workDir;
  s.measure.repeat = std::max(1, repeatOption.getValue());
  s.measure.threads = threadsOption;
  s.measure.runTimeoutS = timeoutOption;
  for (const std::string &tool : {s.measure.compiler, s.measure.runner})
    if (!llvm::sys::fs::can_execute(tool)) {
      fail("cannot find '" + tool + "' next to tessera-tune");
      return std::nullopt;
    }
  bool ok;
  s.faults = parseFaults(injectOption, ok);
  if (!ok) {
    fail("--inject-fault expects crash:N or hang:N items");
    return std::nullopt;
  }
  return s;
}

std::string makeWorkDir() {
  llvm::SmallString<128> dir;
  if (llvm::sys::fs::createUniqueDirectory("tessera-tune", dir))
    return "/tmp";
  return std::string(dir);
}

std::string describe(const cm::Workload &w) {
  std::string text = std::string(cm::toString(w.opClass)) + " ";
  for (size_t i = 0; i < w.loopSizes.size(); ++i)
    text += (i ? "x" : "") + std::to_string(w.loopSizes[i]);
  return text;
}

//===----------------------------------------------------------------------===//
// collect
//===----------------------------------------------------------------------===//

int runCollect(mlir::MLIRContext &context) {
  std::string workDir = makeWorkDir();
  std::optional<std::vector<WorkloadFile>> files = getWorkloads(workDir);
  if (!files)
    return 1;
  std::optional<Session> session = openSession(context, workDir);
  if (!session)
    return 1;
  std::mt19937 rng(seedOption);
  Progress progress(files->size() * std::max(1, trialsOption.getValue()));
  size_t done = 0, skipped = 0;
  for (const WorkloadFile &file : *files) {
    Analysis analysis;
    std::string error;
    if (!analyzeWorkload(context, file.path, session->hw.vectorWidth,
                         analysis, error)) {
      llvm::errs() << "warning: skipping " << file.name << ": " << error
                   << "\n";
      done += trialsOption;
      continue;
    }
    // The heuristic's config, then a random sample of the others.
    std::vector<size_t> order(analysis.candidates.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin() + 1, order.end(), rng);
    order.resize(std::min<size_t>(order.size(), trialsOption));
    for (size_t index : order) {
      std::string config = analysis.candidates[index].toString();
      progress.update(done, file.name + " #" + std::to_string(index));
      ++done;
      if (session->db->contains(analysis.workload.key(), config, targetOption,
                                session->hw.machineId())) {
        ++skipped;
        continue;
      }
      Measurement m;
      if (!session->measureAndRecord(file, analysis, index, m))
        return 1;
      if (m.status != "ok")
        llvm::errs() << (isatty(2) ? "\n" : "") << "note: " << file.name
                     << " #" << index << " " << config << ": " << m.status
                     << " (" << m.detail << ")\n";
    }
  }
  progress.update(done, "done");
  progress.finish();
  llvm::outs() << "collected " << session->measured << " measurements ("
               << session->failures << " failed, " << skipped
               << " already in the database) into " << dbOption << "\n";
  llvm::sys::fs::remove_directories(workDir);
  return 0;
}

//===----------------------------------------------------------------------===//
// train and eval
//===----------------------------------------------------------------------===//

/// Records of this target, split by workload.
struct Split {
  std::vector<cm::TuningRecord> train, heldOut;
};

std::optional<Split> loadSplit() {
  std::string error;
  if (!llvm::sys::fs::exists(dbOption)) {
    fail("no tuning database '" + dbOption + "' (run `tessera-tune collect`)");
    return std::nullopt;
  }
  auto db = cm::TuningDatabase::open(dbOption, &error);
  if (!db) {
    fail(error);
    return std::nullopt;
  }
  cm::RecordFilter filter;
  filter.target = targetOption;
  filter.okOnly = true;
  Split split;
  for (cm::TuningRecord &r : db->query(filter, &error)) {
    bool heldOut =
        heldOutSuiteOption.empty()
            ? cm::isHeldOut(r.workloadKey, heldOutOption)
            : llvm::StringRef(r.source).starts_with(heldOutSuiteOption + "/");
    (heldOut ? split.heldOut : split.train).push_back(std::move(r));
  }
  return split;
}

cm::TrainOptions getTrainOptions() {
  cm::TrainOptions options;
  options.objective = objectiveOption;
  options.rounds = roundsOption;
  options.maxDepth = depthOption;
  options.learningRate = etaOption;
  options.seed = seedOption;
  return options;
}

int runTrain() {
  if (outputOption.empty() && modelOption.empty())
    return fail("train needs -o MODEL.json");
  std::string output = outputOption.empty() ? modelOption : outputOption;
  std::optional<Split> split = loadSplit();
  std::optional<cm::HardwareProfile> hw = getProfile();
  if (!split || !hw)
    return 1;
  cm::Dataset data = cm::buildDataset(split->train, *hw, relativeOption);
  if (data.features.rows == 0)
    return fail("no successful measurements to train on in '" + dbOption +
                "'");
  std::string error;
  std::unique_ptr<cm::XGBoostModel> model =
      cm::trainModel(data, getTrainOptions(), &error);
  if (!model)
    return fail(error);
  if (!model->save(output, &error))
    return fail(error);
  llvm::outs() << "trained on " << data.features.rows << " measurements of "
               << data.groups.size() << " workloads ("
               << (heldOutSuiteOption.empty()
                       ? llvm::formatv("{0:f2} of workloads",
                                       heldOutOption.getValue())
                             .str()
                       : "suite " + heldOutSuiteOption.getValue())
               << " held out); wrote " << output << "\n";
  return 0;
}

/// Ranking metrics of `model` on `records`.
cm::RankingMetrics evaluate(const cm::XGBoostModel &model,
                            const std::vector<cm::TuningRecord> &records,
                            const cm::HardwareProfile &hw) {
  cm::Dataset data = cm::buildDataset(records, hw);
  if (data.features.rows == 0)
    return {};
  std::vector<float> raw = model.predict(data.features);
  std::vector<double> predicted(raw.begin(), raw.end());
  if (perWorkloadOption) {
    size_t start = 0;
    for (size_t g = 0; g < data.groups.size(); ++g) {
      unsigned size = data.groups[g];
      std::vector<double> l(data.latencies.begin() + start,
                            data.latencies.begin() + start + size);
      std::vector<double> p(predicted.begin() + start,
                            predicted.begin() + start + size);
      cm::RankingMetrics m = cm::evaluateRanking(l, p, {size});
      std::optional<cm::Workload> w =
          cm::Workload::fromJSON(records.empty() ? "" : [&] {
            for (const cm::TuningRecord &r : records)
              if (r.workloadKey == data.groupKeys[g])
                return r.workloadJSON;
            return std::string();
          }());
      llvm::outs() << llvm::formatv(
          "  {0,-34} configs {1,3}  pairwise {2:f3}  peak@1 {3:f3}  peak@5 "
          "{4:f3}  spread {5:f2}x\n",
          w ? describe(*w) : "?", size, m.pairwiseAccuracy, m.peakAt1,
          m.peakAt5,
          *std::max_element(l.begin(), l.end()) /
              *std::min_element(l.begin(), l.end()));
      start += size;
    }
  }
  return cm::evaluateRanking(data.latencies, predicted, data.groups);
}

int runEval() {
  std::optional<Split> split = loadSplit();
  std::optional<cm::HardwareProfile> hw = getProfile();
  if (!split || !hw)
    return 1;
  std::string path = modelOption.empty() ? cm::CostModel::getDefaultModelPath()
                                         : modelOption.getValue();
  std::string error;
  std::unique_ptr<cm::CostModel> check = cm::CostModel::load(path, *hw, &error);
  if (!check)
    return fail(error);
  std::unique_ptr<cm::XGBoostModel> model = cm::XGBoostModel::load(path, &error);
  auto print = [&](const char *name, const cm::RankingMetrics &m) {
    llvm::outs() << llvm::formatv(
        "{0,-9} workloads {1,3}  pairs {2,6}  pairwise {3:f3}  peak@1 "
        "{4:f3}  peak@5 {5:f3}  (pairwise beyond 5% noise {6:f3} on {7} "
        "pairs)\n",
        name, m.workloads, m.pairs, m.pairwiseAccuracy, m.peakAt1, m.peakAt5,
        m.pairwiseAccuracyBeyondNoise, m.pairsBeyondNoise);
  };
  llvm::outs() << "model " << path << ", database " << dbOption
               << ", held out: "
               << (heldOutSuiteOption.empty()
                       ? llvm::formatv("{0:f2} of workloads",
                                       heldOutOption.getValue())
                             .str()
                       : "suite " + heldOutSuiteOption.getValue())
               << "\n";
  cm::RankingMetrics heldOut = evaluate(*model, split->heldOut, *hw);
  print("held-out", heldOut);
  print("train", evaluate(*model, split->train, *hw));
  // The baseline the model must beat: always the heuristic (candidate 0 of
  // each workload is not known here, so use the roofline estimate).
  if (heldOut.workloads == 0)
    llvm::outs() << "note: no held-out workloads; collect more workloads or "
                    "raise --held-out\n";
  return 0;
}

//===----------------------------------------------------------------------===//
// show
//===----------------------------------------------------------------------===//

int runShow() {
  if (!llvm::sys::fs::exists(dbOption))
    return fail("no tuning database '" + dbOption + "'");
  std::string error;
  auto db = cm::TuningDatabase::open(dbOption, &error);
  if (!db)
    return fail(error);
  cm::RecordFilter filter;
  filter.target = targetOption == "cpu" ? "" : targetOption.getValue();
  std::vector<cm::TuningRecord> records = db->query(filter, &error);
  std::map<std::string, size_t> byStatus;
  std::map<std::string, double> best;
  for (const cm::TuningRecord &r : records) {
    ++byStatus[r.status];
    if (r.ok() && (!best.count(r.workloadKey) || r.latencyUs < best[r.workloadKey]))
      best[r.workloadKey] = r.latencyUs;
  }
  llvm::outs() << records.size() << " records in " << dbOption << " (";
  bool first = true;
  for (const auto &[status, count] : byStatus) {
    llvm::outs() << (first ? "" : ", ") << count << " " << status;
    first = false;
  }
  llvm::outs() << "), " << best.size() << " workloads measured\n";
  llvm::outs() << llvm::formatv("{0,-36} {1,-28} {2,-13} {3,11} {4,6}  {5}\n",
                                "source", "workload", "status", "latency_us",
                                "vs_best", "config");
  size_t shown = 0;
  for (const cm::TuningRecord &r : records) {
    if (limitOption > 0 && shown++ >= static_cast<size_t>(limitOption.getValue()))
      break;
    std::optional<cm::Workload> w = cm::Workload::fromJSON(r.workloadJSON);
    std::string latency = r.ok() ? llvm::formatv("{0:f1}", r.latencyUs).str()
                                 : std::string("-");
    std::string ratio =
        r.ok() ? llvm::formatv("{0:f2}", r.latencyUs / best[r.workloadKey]).str()
               : std::string("-");
    llvm::outs() << llvm::formatv("{0,-36} {1,-28} {2,-13} {3,11} {4,6}  {5}\n",
                                  r.source, w ? describe(*w) : "?", r.status,
                                  latency, ratio, r.config);
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// tune
//===----------------------------------------------------------------------===//

/// Model-guided search per workload: each step measures the unmeasured
/// candidate with the best predicted latency or, with probability
/// --explore, a random one (an epsilon-greedy bandit: the measured latency
/// is the reward). After each workload the model is retrained on the whole
/// database, so later workloads and later compiles use what was measured.
int runTune(mlir::MLIRContext &context) {
  std::string workDir = makeWorkDir();
  std::optional<std::vector<WorkloadFile>> files = getWorkloads(workDir);
  if (!files)
    return 1;
  std::optional<Session> session = openSession(context, workDir);
  if (!session)
    return 1;
  std::string modelPath = modelOption.empty()
                              ? cm::CostModel::getDefaultModelPath()
                              : modelOption.getValue();
  std::string output = outputOption.empty() ? modelPath : outputOption.getValue();
  std::string error;
  std::unique_ptr<cm::CostModel> model =
      cm::CostModel::load(modelPath, session->hw, &error);
  if (!model)
    return fail(error);
  std::mt19937 rng(seedOption);
  std::uniform_real_distribution<double> coin(0, 1);
  Progress progress(files->size() * std::max(1, budgetOption.getValue()));
  size_t done = 0;
  for (const WorkloadFile &file : *files) {
    Analysis analysis;
    if (!analyzeWorkload(context, file.path, session->hw.vectorWidth,
                         analysis, error)) {
      llvm::errs() << "warning: skipping " << file.name << ": " << error
                   << "\n";
      continue;
    }
    std::vector<double> predicted =
        model->predictMicros(analysis.workload, analysis.candidates, &error);
    if (predicted.empty())
      return fail(error);
    // Candidates measured before (by collect or an earlier tune) are known:
    // the budget goes to new ones.
    std::vector<bool> measured(analysis.candidates.size(), false);
    {
      cm::RecordFilter known;
      known.workloadKey = analysis.workload.key();
      known.machine = session->hw.machineId();
      std::set<std::string> configs;
      for (const cm::TuningRecord &r : session->db->query(known))
        configs.insert(r.config);
      for (size_t i = 0; i < measured.size(); ++i)
        measured[i] = configs.count(analysis.candidates[i].toString()) > 0;
    }
    double best = INFINITY, heuristicUs = -1;
    size_t bestIndex = 0;
    for (int step = 0; step < budgetOption; ++step) {
      std::vector<size_t> open;
      for (size_t i = 0; i < measured.size(); ++i)
        if (!measured[i])
          open.push_back(i);
      if (open.empty())
        break;
      size_t pick = *std::min_element(
          open.begin(), open.end(),
          [&](size_t a, size_t b) { return predicted[a] < predicted[b]; });
      if (step > 0 && coin(rng) < exploreOption)
        pick = open[std::uniform_int_distribution<size_t>(0, open.size() - 1)(rng)];
      measured[pick] = true;
      progress.update(done++, file.name + " #" + std::to_string(pick));
      Measurement m;
      if (!session->measureAndRecord(file, analysis, pick, m))
        return 1;
      if (m.status == "ok" && m.latencyUs < best) {
        best = m.latencyUs;
        bestIndex = pick;
      }
    }
    // The heuristic's latency, for the report (measured if known).
    cm::RecordFilter filter;
    filter.workloadKey = analysis.workload.key();
    filter.machine = session->hw.machineId();
    filter.okOnly = true;
    for (const cm::TuningRecord &r : session->db->query(filter)) {
      if (r.config == analysis.candidates[0].toString())
        heuristicUs = r.latencyUs;
      if (r.latencyUs < best) {
        best = r.latencyUs;
        for (size_t i = 0; i < analysis.candidates.size(); ++i)
          if (analysis.candidates[i].toString() == r.config)
            bestIndex = i;
      }
    }
    progress.finish();
    llvm::outs() << llvm::formatv("{0,-28} best {1:f1} us (#{2})", file.name,
                                  best, bestIndex);
    if (heuristicUs > 0)
      llvm::outs() << llvm::formatv(", heuristic {0:f1} us, speedup {1:f2}x",
                                    heuristicUs, heuristicUs / best);
    llvm::outs() << "\n";
    // Learn from the new measurements before the next workload.
    cm::RecordFilter all;
    all.target = targetOption;
    all.okOnly = true;
    cm::Dataset data = cm::buildDataset(session->db->query(all), session->hw);
    if (data.features.rows > 0) {
      std::unique_ptr<cm::XGBoostModel> updated =
          cm::trainModel(data, getTrainOptions(), &error);
      if (!updated)
        return fail(error);
      model = std::make_unique<cm::CostModel>(std::move(updated), session->hw);
    }
  }
  // The updated model is saved only where -o asks (never over the shipped
  // model by accident).
  if (!outputOption.empty()) {
    cm::RecordFilter all;
    all.target = targetOption;
    all.okOnly = true;
    cm::Dataset data = cm::buildDataset(session->db->query(all), session->hw);
    std::unique_ptr<cm::XGBoostModel> updated =
        cm::trainModel(data, getTrainOptions(), &error);
    if (!updated || !updated->save(output, &error))
      return fail(error);
    llvm::outs() << "wrote the updated model to " << output << "\n";
  }
  llvm::sys::fs::remove_directories(workDir);
  return 0;
}

const char *const kUsage =
    "usage: tessera-tune COMMAND [options]\n"
    "commands:\n"
    "  collect [--suite NAME | W.mlir...] --db FILE [--trials N] [--repeat R]\n"
    "          [--timeout S] [--run-threads N]   measure candidate configs\n"
    "  train   --db FILE -o MODEL.json [--held-out F] [--rounds N]\n"
    "  eval    --db FILE --model MODEL.json [--held-out F]\n"
    "  show    --db FILE [--limit N]\n"
    "  tune    [--suite NAME | W.mlir...] --db FILE [--model M] [--budget B]\n"
    "          [--explore P] [-o UPDATED.json]\n"
    "  profile [--hardware-profile FILE]     print the hardware profile\n"
    "  suites                                list the workload suites\n"
    "run `tessera-tune COMMAND --help` for all options\n";

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  if (argc < 2 || llvm::StringRef(argv[1]).starts_with("-")) {
    llvm::errs() << kUsage;
    return argc < 2 ? 1 : (llvm::StringRef(argv[1]) == "--help" ? 0 : 1);
  }
  std::string command = argv[1];
  // The command is argv[1]; the options follow it.
  std::vector<char *> args = {argv[0]};
  args.insert(args.end(), argv + 2, argv + argc);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(),
                              "tessera-tune " + command + "\n");

  if (command == "suites") {
    for (const std::string &name : getSuiteNames()) {
      std::optional<std::vector<SuiteWorkload>> suite = getSuite(name);
      llvm::outs() << name << " (" << suite->size() << " workloads):";
      for (const SuiteWorkload &w : *suite)
        llvm::outs() << " " << w.name;
      llvm::outs() << "\n";
    }
    return 0;
  }
  if (command == "profile") {
    std::optional<cm::HardwareProfile> hw = getProfile();
    if (!hw)
      return 1;
    llvm::outs() << hw->toJSON() << "\nmachine id: " << hw->machineId()
                 << "\n";
    return 0;
  }
  if (command == "train")
    return runTrain();
  if (command == "eval")
    return runEval();
  if (command == "show")
    return runShow();
  if (command != "collect" && command != "tune")
    return fail("unknown command '" + command + "'\n" + kUsage);

  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  registerAllPasses();
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  return command == "collect" ? runCollect(context) : runTune(context);
}
