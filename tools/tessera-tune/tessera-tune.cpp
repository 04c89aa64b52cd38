//===- tessera-tune.cpp - Measure, learn and evaluate tile configs --------===//
//
// tessera-tune COMMAND [options]
//   collect  measure candidate tile configs of workloads into the database
//   train    fit the XGBoost cost model from the database
//   eval     ranking metrics of a model on held-out workloads
//   show     list the records of the database
//   tune     model-guided search: measure the most promising candidates
//            (with exploration), write them and update the model
//   efficiency  model-guided search with budget B against random search
//            with 10 x B (the issue's tuning-efficiency experiment)
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
static cl::opt<bool> pairedOption(
    "paired",
    cl::desc("Time each candidate interleaved with the workload's heuristic "
             "config and store both (cancels the machine's load; default "
             "on)"),
    cl::init(true), cl::cat(category));
static cl::opt<double> targetMsOption(
    "target-ms",
    cl::desc("Paired: timed milliseconds per process (short kernels run "
             "more times)"),
    cl::init(20), cl::cat(category));
static cl::opt<int> pairRoundsOption(
    "pair-rounds",
    cl::desc("Paired: interleaved rounds per measurement (the median ratio "
             "is kept)"),
    cl::init(3), cl::cat(category));
static cl::opt<Pairing> pairingOption(
    "pairing", cl::desc("Paired: how candidate and heuristic alternate"),
    cl::values(clEnumValN(Pairing::InProcess, "in-process",
                          "run by run in one tessera-run --compare process "
                          "(default)"),
               clEnumValN(Pairing::Processes, "processes",
                          "in separate tessera-run processes, --pair-rounds "
                          "of each")),
    cl::init(Pairing::InProcess), cl::cat(category));
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
static cl::opt<std::string> labelOption(
    "label",
    cl::desc("train/tune: what the model learns: roofline (log2 latency / "
             "the workload's roofline: absolute microseconds, default), "
             "heuristic (log2 latency / the heuristic config's), best or "
             "median"),
    cl::init("roofline"), cl::cat(category));
static cl::list<std::string> dropFeaturesOption(
    "drop-features",
    cl::desc("train: ablation, zero the features whose names start with "
             "these prefixes"),
    cl::CommaSeparated, cl::Hidden, cl::cat(category));
static cl::opt<bool> perWorkloadOption(
    "per-workload", cl::desc("eval: also print the metrics of each workload"),
    cl::init(false), cl::cat(category));
static cl::opt<int> randomFactorOption(
    "random-factor",
    cl::desc("efficiency: random search measures this many times --budget "
             "candidates per workload"),
    cl::init(10), cl::cat(category));
static cl::opt<std::string> onlyOption(
    "only",
    cl::desc("collect/tune/efficiency: only the suite's workloads whose "
             "name starts with this (e.g. conv)"),
    cl::init(""), cl::cat(category));
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
      if (!llvm::StringRef(w.name).starts_with(onlyOption))
        continue;
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
      timerWorkload = analysis.workload.key();
      timer = std::make_unique<PairedTimer>(file.path, measure);
      Measurement heuristic = timer->prepare();
      if (index == 0 || heuristic.status == "ok")
        if (!record(file, analysis, 0, heuristic))
          return false;
      if (index == 0) {
        m = heuristic;
        return true;
      }
    }
    m = timer->measure(index, fault);
    return record(file, analysis, index, m);
  }

  bool record(const WorkloadFile &file, const Analysis &analysis,
              size_t index, const Measurement &m) {
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
  s.measure.targetMs = targetMsOption;
  s.measure.pairRounds = std::max(1, pairRoundsOption.getValue());
  s.measure.pairing = pairingOption;
  s.paired = pairedOption;
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

/// Trains a model with the command line's options on `records`; the number
/// of rows and workloads it saw in `data`.
std::unique_ptr<cm::XGBoostModel>
trainOn(const std::vector<cm::TuningRecord> &records,
        const cm::HardwareProfile &hw, cm::Dataset &data, std::string *error) {
  std::optional<cm::Label> label = cm::parseLabel(labelOption);
  if (!label) {
    *error = "unknown --label '" + labelOption +
             "' (expected roofline, heuristic, best or median)";
    return nullptr;
  }
  data = cm::buildDataset(records, hw, *label);
  if (data.features.rows == 0) {
    *error = "no successful measurements to train on in '" + dbOption + "'";
    return nullptr;
  }
  const std::vector<std::string> &names = cm::getFeatureNames();
  for (size_t c = 0; c < names.size(); ++c)
    for (const std::string &prefix : dropFeaturesOption)
      if (llvm::StringRef(names[c]).starts_with(prefix))
        for (size_t r = 0; r < data.features.rows; ++r)
          data.features.values[r * data.features.cols + c] = 0;
  return cm::trainModel(data, getTrainOptions(), *label, error);
}

int runTrain() {
  if (outputOption.empty() && modelOption.empty())
    return fail("train needs -o MODEL.json");
  std::string output = outputOption.empty() ? modelOption : outputOption;
  std::optional<Split> split = loadSplit();
  std::optional<cm::HardwareProfile> hw = getProfile();
  if (!split || !hw)
    return 1;
  std::string error;
  cm::Dataset data;
  std::unique_ptr<cm::XGBoostModel> model =
      trainOn(split->train, *hw, data, &error);
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

/// What the model/tune policies would gain on these workloads: the
/// predicted-fastest config replaces the heuristic's when its predicted
/// ratio (2^(prediction difference), log2 labels) is below 1 - guard.
std::string describeGuardedPolicy(const cm::Dataset &data,
                                  const std::vector<double> &predicted) {
  std::string line = "          policy with guard:";
  for (double guard : {0.0, 0.02, 0.05, 0.10}) {
    double logSpeedup = 0;
    size_t changed = 0, worse = 0, compared = 0, start = 0;
    for (size_t g = 0; g < data.groups.size(); ++g) {
      size_t end = start + data.groups[g];
      long h = data.heuristicRows[g];
      if (h >= 0) {
        size_t top = std::min_element(predicted.begin() + start,
                                      predicted.begin() + end) -
                     predicted.begin();
        size_t chosen = h;
        if (std::exp2(predicted[top] - predicted[h]) < 1 - guard)
          chosen = top;
        changed += chosen != static_cast<size_t>(h);
        worse += data.latencies[chosen] > data.latencies[h] * 1.05;
        logSpeedup += std::log(data.latencies[h] / data.latencies[chosen]);
        ++compared;
      }
      start = end;
    }
    if (compared)
      line += llvm::formatv(" {0:f0}%: {1:f3}x ({2} changed, {3} worse)",
                            guard * 100, std::exp(logSpeedup / compared),
                            changed, worse)
                  .str();
  }
  return line + "\n";
}

/// Ranking metrics of `model` on `records`; `policy` gets the guarded
/// policy's line.
cm::RankingMetrics evaluate(const cm::XGBoostModel &model,
                            const std::vector<cm::TuningRecord> &records,
                            const cm::HardwareProfile &hw,
                            std::string &policy) {
  cm::Dataset data = cm::buildDataset(records, hw);
  if (data.features.rows == 0)
    return {};
  std::vector<float> raw = model.predict(data.features);
  std::vector<double> predicted(raw.begin(), raw.end());
  policy = describeGuardedPolicy(data, predicted);
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
  return cm::evaluateRanking(data.latencies, predicted, data.groups,
                             data.heuristicRows);
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
    if (m.workloads)
      llvm::outs() << llvm::formatv(
          "{0,-9} heuristic's peak {1:f3}; the model's top-1 is {2:f3}x as "
          "fast as the heuristic (geomean), worse on {3} workloads\n",
          "", m.heuristicPeak, m.top1Speedup, m.top1SlowerThanHeuristic);
  };
  llvm::outs() << "model " << path << ", database " << dbOption
               << ", held out: "
               << (heldOutSuiteOption.empty()
                       ? llvm::formatv("{0:f2} of workloads",
                                       heldOutOption.getValue())
                             .str()
                       : "suite " + heldOutSuiteOption.getValue())
               << "\n";
  std::string policy;
  cm::RankingMetrics heldOut = evaluate(*model, split->heldOut, *hw, policy);
  print("held-out", heldOut);
  llvm::outs() << policy;
  cm::RankingMetrics train = evaluate(*model, split->train, *hw, policy);
  print("train", train);
  llvm::outs() << policy;
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
  llvm::outs() << llvm::formatv(
      "{0,-36} {1,-28} {2,-13} {3,11} {4,6} {5,9}  {6}\n", "source",
      "workload", "status", "latency_us", "vs_best", "vs_heur", "config");
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
    // The paired ratio to the heuristic's config timed next to it.
    std::string paired = r.heuristic ? std::string("heuristic")
                         : r.ok() && r.referenceUs > 0
                             ? llvm::formatv("{0:f2}", r.latencyUs / r.referenceUs)
                                   .str()
                             : std::string("-");
    llvm::outs() << llvm::formatv(
        "{0,-36} {1,-28} {2,-13} {3,11} {4,6} {5,9}  {6}\n", r.source,
        w ? describe(*w) : "?", r.status, latency, ratio, paired, r.config);
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
        model->predictRaw(analysis.workload, analysis.candidates, &error);
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
    cm::Dataset data;
    std::unique_ptr<cm::XGBoostModel> updated =
        trainOn(session->db->query(all), session->hw, data, &error);
    if (updated)
      model = std::make_unique<cm::CostModel>(std::move(updated), session->hw);
    else if (data.features.rows > 0)
      return fail(error);
  }
  // The updated model is saved only where -o asks (never over the shipped
  // model by accident).
  if (!outputOption.empty()) {
    cm::RecordFilter all;
    all.target = targetOption;
    all.okOnly = true;
    cm::Dataset data;
    std::unique_ptr<cm::XGBoostModel> updated =
        trainOn(session->db->query(all), session->hw, data, &error);
    if (!updated || !updated->save(output, &error))
      return fail(error);
    llvm::outs() << "wrote the updated model to " << output << "\n";
  }
  llvm::sys::fs::remove_directories(workDir);
  return 0;
}

//===----------------------------------------------------------------------===//
// efficiency
//===----------------------------------------------------------------------===//

/// Each record's latency relative to the workload's heuristic config: a
/// paired record's own ratio, else latency / the heuristic record's.
std::map<std::string, double>
getRatiosToHeuristic(const std::vector<cm::TuningRecord> &records,
                     const std::string &heuristicConfig) {
  double heuristicUs = -1;
  for (const cm::TuningRecord &r : records)
    if (r.ok() && r.config == heuristicConfig)
      heuristicUs = r.latencyUs;
  std::map<std::string, double> ratios;
  for (const cm::TuningRecord &r : records) {
    if (!r.ok() || r.latencyUs <= 0)
      continue;
    if (r.referenceUs > 0)
      ratios[r.config] = r.latencyUs / r.referenceUs;
    else if (heuristicUs > 0)
      ratios[r.config] = r.latencyUs / heuristicUs;
  }
  if (heuristicUs > 0)
    ratios[heuristicConfig] = 1;
  return ratios;
}

/// The issue's tuning-efficiency experiment: per workload, the model's B
/// most promising candidates (what `tune --explore 0` measures with budget
/// B) against B x --random-factor candidates drawn at random. Both sets are
/// measured in one shuffled sequence, each paired with the heuristic's
/// config, so load drift cannot favour either; configs measured before on
/// this machine are reused. Reports, per workload, the best latency random
/// search found / the best the model-guided search found (1 = as good) and
/// the mean. The model must not have seen these workloads (train it with
/// --held-out-suite).
int runEfficiency(mlir::MLIRContext &context) {
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
  std::string error;
  std::unique_ptr<cm::CostModel> model =
      cm::CostModel::load(modelPath, session->hw, &error);
  if (!model)
    return fail(error);
  int budget = std::max(1, budgetOption.getValue());
  int randomCount = budget * std::max(1, randomFactorOption.getValue());
  llvm::outs() << llvm::formatv(
      "model-guided search with {0} measurements vs random search with {1}, "
      "model {2}\n",
      budget, randomCount, modelPath);
  llvm::outs() << llvm::formatv("{0,-28} {1,10} {2,10} {3,10} {4,8}\n",
                                "workload", "candidates", "tune best",
                                "random best", "ratio");
  double sum = 0, sumCapped = 0;
  int count = 0;
  for (const WorkloadFile &file : *files) {
    Analysis analysis;
    if (!analyzeWorkload(context, file.path, session->hw.vectorWidth,
                         analysis, error)) {
      llvm::errs() << "warning: skipping " << file.name << ": " << error
                   << "\n";
      continue;
    }
    size_t n = analysis.candidates.size();
    // The random draw depends only on the seed and the workload (not on
    // what the database holds), so a rerun draws the same candidates and
    // reuses their measurements.
    std::string key = analysis.workload.key();
    std::seed_seq seeds(key.begin(), key.end());
    std::mt19937 rng(seeds);
    rng.discard(seedOption);
    std::vector<double> predicted =
        model->predictRaw(analysis.workload, analysis.candidates, &error);
    if (predicted.size() != n)
      return fail(error);
    std::vector<size_t> byPrediction(n), shuffled(n);
    std::iota(byPrediction.begin(), byPrediction.end(), 0);
    std::stable_sort(byPrediction.begin(), byPrediction.end(),
                     [&](size_t a, size_t b) {
                       return predicted[a] < predicted[b];
                     });
    std::iota(shuffled.begin(), shuffled.end(), 0);
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    cm::RecordFilter known;
    known.workloadKey = analysis.workload.key();
    known.machine = session->hw.machineId();
    known.target = targetOption;
    std::set<std::string> measured, failed;
    for (const cm::TuningRecord &r : session->db->query(known)) {
      measured.insert(r.config);
      if (!r.ok())
        failed.insert(r.config);
    }
    // The guided search skips configs known to fail here, as `tune` and
    // the tune policy do.
    std::vector<size_t> guided;
    for (size_t i : byPrediction)
      if (guided.size() < static_cast<size_t>(budget) &&
          !failed.count(analysis.candidates[i].toString()))
        guided.push_back(i);
    std::vector<size_t> random(shuffled.begin(),
                               shuffled.begin() + std::min<size_t>(randomCount, n));
    // One sequence, in random order, of what is not measured yet.
    std::set<size_t> todo;
    for (size_t i : guided)
      todo.insert(i);
    for (size_t i : random)
      todo.insert(i);
    std::vector<size_t> sequence;
    for (size_t i : todo)
      if (!measured.count(analysis.candidates[i].toString()))
        sequence.push_back(i);
    std::shuffle(sequence.begin(), sequence.end(), rng);
    Progress progress(sequence.size());
    size_t done = 0;
    for (size_t i : sequence) {
      progress.update(done++, file.name + " #" + std::to_string(i));
      Measurement m;
      if (!session->measureAndRecord(file, analysis, i, m))
        return 1;
    }
    progress.update(done, "done");
    progress.finish();
    std::map<std::string, double> ratios = getRatiosToHeuristic(
        session->db->query(known), analysis.candidates[0].toString());
    auto best = [&](const std::vector<size_t> &set) {
      double b = INFINITY;
      for (size_t i : set) {
        auto it = ratios.find(analysis.candidates[i].toString());
        if (it != ratios.end())
          b = std::min(b, it->second);
      }
      return b;
    };
    double tuneBest = best(guided), randomBest = best(random);
    if (!std::isfinite(tuneBest) || !std::isfinite(randomBest)) {
      llvm::outs() << llvm::formatv("{0,-28} no successful measurement\n",
                                    file.name);
      continue;
    }
    double ratio = randomBest / tuneBest;
    sum += ratio;
    // Where the guided search beats random search by more than 1x, the
    // capped mean does not let it make up for workloads where it lost.
    sumCapped += std::min(ratio, 1.0);
    ++count;
    llvm::outs() << llvm::formatv("{0,-28} {1,10} {2,9:f3}x {3,10:f3}x {4,8:f3}\n",
                                  file.name, n, tuneBest, randomBest, ratio);
  }
  if (count)
    llvm::outs() << llvm::formatv(
        "mean best(random, {0}) / best(model-guided, {1}) over {2} "
        "workloads: {3:f3}, each capped at 1: {4:f3} (the issue's bar: at "
        "least 0.95)\n",
        randomCount, budget, count, sum / count, sumCapped / count);
  llvm::sys::fs::remove_directories(workDir);
  return 0;
}

const char *const kUsage =
    "usage: tessera-tune COMMAND [options]\n"
    "commands:\n"
    "  collect [--suite NAME | W.mlir...] --db FILE [--trials N] [--repeat R]\n"
    "          [--timeout S] [--run-threads N] [--paired=false]\n"
    "          [--target-ms MS] [--pair-rounds N]   measure candidate configs\n"
    "          [--pairing=in-process|processes]\n"
    "  train   --db FILE -o MODEL.json [--held-out F] [--rounds N]\n"
    "          [--label roofline|heuristic|best|median] [--objective O]\n"
    "  eval    --db FILE --model MODEL.json [--held-out F]\n"
    "  show    --db FILE [--limit N]\n"
    "  tune    [--suite NAME | W.mlir...] --db FILE [--model M] [--budget B]\n"
    "          [--explore P] [-o UPDATED.json]\n"
    "  efficiency [--suite NAME | W.mlir...] --db FILE --model M [--budget B]\n"
    "          [--random-factor F] [--only PREFIX]   model-guided vs random\n"
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
  if (command != "collect" && command != "tune" && command != "efficiency")
    return fail("unknown command '" + command + "'\n" + kUsage);

  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  registerAllPasses();
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  if (command == "efficiency")
    return runEfficiency(context);
  return command == "collect" ? runCollect(context) : runTune(context);
}
