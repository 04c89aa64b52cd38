//===- Common.cpp - tessera-tune's options and shared pieces --------------===//
//
// See Common.h.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fstream>
#include <map>
#include <set>

using namespace tessera;
using namespace tessera::tune;
namespace cl = llvm::cl;

namespace tessera::tune {

cl::OptionCategory category("tessera-tune options");
cl::list<std::string> workloadFiles(cl::Positional,
                                    cl::desc("[workload.mlir ...]"),
                                    cl::cat(category));
cl::opt<std::string>
    suiteOption("suite",
                cl::desc("Named workload suite (see `tessera-tune suites`)"),
                cl::init(""), cl::cat(category));
cl::opt<unsigned> suiteSizeOption(
    "suite-size",
    cl::desc("--suite generated: number of workloads (drawn with --seed)"),
    cl::init(200), cl::cat(category));
cl::opt<std::string> dbOption("db", cl::desc("Tuning database"),
                              cl::value_desc("FILE"),
                              cl::init("tessera-tuning.sqlite"),
                              cl::cat(category));
cl::opt<std::string> targetOption("target", cl::desc("Target to measure (cpu)"),
                                  cl::init("cpu"), cl::cat(category));
cl::opt<int> trialsOption(
    "trials",
    cl::desc("collect: candidates measured per workload (the heuristic's "
             "and random others)"),
    cl::init(8), cl::cat(category));
cl::opt<int> budgetOption("budget", cl::desc("tune: measurements per workload"),
                          cl::init(8), cl::cat(category));
cl::opt<int> confirmOption(
    "confirm",
    cl::desc("tune: measure a workload's best candidate this many more "
             "times when it beats the heuristic's config; its record keeps "
             "the median"),
    cl::init(2), cl::cat(category));
cl::opt<double> confirmBelowOption(
    "confirm-below",
    cl::desc("tune: confirm the best candidate when its ratio to the "
             "heuristic's config is below this"),
    cl::init(1.0), cl::cat(category));
cl::opt<double> exploreOption(
    "explore",
    cl::desc("tune: probability of measuring a random candidate instead of "
             "the predicted best (exploration)"),
    cl::init(0.25), cl::cat(category));
cl::opt<int>
    repeatOption("repeat",
                 cl::desc("Timed runs per measurement (the median is kept)"),
                 cl::init(5), cl::cat(category));
cl::opt<bool> pairedOption(
    "paired",
    cl::desc("Time each candidate interleaved with the workload's heuristic "
             "config and store both (cancels the machine's load; default "
             "on)"),
    cl::init(true), cl::cat(category));
cl::opt<double> targetMsOption(
    "target-ms",
    cl::desc("Paired: timed milliseconds per process (short kernels run "
             "more times)"),
    cl::init(20), cl::cat(category));
cl::opt<int> pairRoundsOption(
    "pair-rounds",
    cl::desc("Paired: interleaved rounds per measurement (the median ratio "
             "is kept)"),
    cl::init(3), cl::cat(category));
cl::opt<Pairing> pairingOption(
    "pairing", cl::desc("Paired: how candidate and heuristic alternate"),
    cl::values(clEnumValN(Pairing::InProcess, "in-process",
                          "run by run in one tessera-run --compare process "
                          "(default)"),
               clEnumValN(Pairing::Processes, "processes",
                          "in separate tessera-run processes, --pair-rounds "
                          "of each")),
    cl::init(Pairing::InProcess), cl::cat(category));
cl::opt<int>
    threadsOption("run-threads",
                  cl::desc("Threads of the measured kernels (0: all cores)"),
                  cl::init(0), cl::cat(category));
cl::opt<double>
    timeoutOption("timeout",
                  cl::desc("Seconds one run may take before it counts as hung"),
                  cl::init(30), cl::cat(category));
cl::opt<unsigned> seedOption("seed", cl::desc("Random seed"), cl::init(0),
                             cl::cat(category));
cl::opt<std::string> modelOption(
    "model",
    cl::desc("Cost model file (train: output; eval/tune: input; default "
             "for eval/tune: the shipped CPU model)"),
    cl::value_desc("FILE"), cl::init(""), cl::cat(category));
cl::opt<std::string> outputOption("o", cl::desc("train: model file to write"),
                                  cl::value_desc("FILE"), cl::init(""),
                                  cl::cat(category));
cl::opt<double> heldOutOption(
    "held-out",
    cl::desc("Fraction of WORKLOADS held out of training and used by eval "
             "(0 trains on everything)"),
    cl::init(0.25), cl::cat(category));
cl::opt<std::string> heldOutSuiteOption(
    "held-out-suite",
    cl::desc("train/eval: hold out the workloads of this suite (e.g. "
             "resnet18: a model never seen) instead of a hashed fraction"),
    cl::init(""), cl::cat(category));
cl::opt<int> roundsOption("rounds", cl::desc("Boosting rounds"), cl::init(100),
                          cl::cat(category));
// Shallow trees generalize best to unseen workloads (depth 3 beat 2, 4, 6
// and 8 on held-out workloads; see docs/cost-model.md).
cl::opt<int> depthOption("max-depth", cl::desc("Depth of the trees"),
                         cl::init(3), cl::cat(category));
cl::opt<double> etaOption("learning-rate", cl::desc("Boosting learning rate"),
                          cl::init(0.1), cl::cat(category));
cl::opt<std::string> objectiveOption(
    "objective",
    cl::desc("reg:squarederror (log-latency, default) or rank:pairwise"),
    cl::init("reg:squarederror"), cl::cat(category));
cl::opt<int> pairsOption(
    "pairs-per-config",
    cl::desc("train with rank:pairwise: pairs sampled per measured config "
             "and boosting round (XGBoost's num_pairsample)"),
    cl::init(1), cl::cat(category));
cl::list<std::string> xgboostParamsOption(
    "xgboost-param",
    cl::desc("train: further XGBoost parameters, NAME=VALUE (experiments)"),
    cl::CommaSeparated, cl::Hidden, cl::cat(category));
cl::list<std::string> classWeightsOption(
    "class-weights",
    cl::desc("train: weight of each op class's workloads, CLASS=WEIGHT "
             "(experiments; default 1)"),
    cl::CommaSeparated, cl::Hidden, cl::cat(category));
cl::opt<std::string> profileOption(
    "hardware-profile",
    cl::desc("Hardware profile JSON (default: probe this machine)"),
    cl::value_desc("FILE"), cl::init(""), cl::cat(category));
cl::opt<std::string> labelOption(
    "label",
    cl::desc("train/tune: what the model learns: roofline (log2 latency / "
             "the workload's roofline: absolute microseconds, default), "
             "heuristic (log2 latency / the heuristic config's), best or "
             "median"),
    cl::init("roofline"), cl::cat(category));
cl::list<std::string> dropFeaturesOption(
    "drop-features",
    cl::desc("train: ablation, zero the features whose names start with "
             "these prefixes"),
    cl::CommaSeparated, cl::Hidden, cl::cat(category));
cl::opt<bool>
    perWorkloadOption("per-workload",
                      cl::desc("eval: also print the metrics of each workload"),
                      cl::init(false), cl::cat(category));
cl::opt<int> randomFactorOption(
    "random-factor",
    cl::desc("efficiency: random search measures this many times --budget "
             "candidates per workload"),
    cl::init(10), cl::cat(category));
cl::opt<std::string> onlyOption(
    "only",
    cl::desc("collect/tune/efficiency: only the suite's workloads whose "
             "name starts with this (e.g. conv)"),
    cl::init(""), cl::cat(category));
cl::opt<int> limitOption("limit", cl::desc("show: at most N records (0: all)"),
                         cl::init(0), cl::cat(category));
cl::opt<std::string> injectOption(
    "inject-fault",
    cl::desc("Testing: make measurement I crash or hang, e.g. "
             "crash:1,hang:2 (indices count measurements of this run)"),
    cl::init(""), cl::Hidden, cl::cat(category));

} // namespace tessera::tune

int tessera::tune::fail(const std::string &message) {
  llvm::errs() << "error: " << message << "\n";
  return 1;
}

std::optional<cm::HardwareProfile> tessera::tune::getProfile() {
  if (profileOption.empty())
    return cm::HardwareProfile::probeHost();
  std::string error;
  std::optional<cm::HardwareProfile> p =
      cm::HardwareProfile::load(profileOption, &error);
  if (!p)
    llvm::errs() << "error: " << error << "\n";
  return p;
}

/// The generated suite of the command line (--suite-size, --seed).
GeneratedSuiteOptions tessera::tune::getGeneratedOptions() {
  GeneratedSuiteOptions options;
  options.size = suiteSizeOption;
  options.seed = seedOption;
  return options;
}

/// The suite's workloads written to `dir`, or the files given.
std::optional<std::vector<WorkloadFile>>
tessera::tune::getWorkloads(const std::string &dir) {
  std::vector<WorkloadFile> files;
  if (!suiteOption.empty()) {
    std::optional<std::vector<SuiteWorkload>> suite =
        getSuite(suiteOption, getGeneratedOptions());
    if (!suite) {
      fail("unknown suite '" + suiteOption + "' (see `tessera-tune suites`)");
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
std::map<int, Fault> tessera::tune::parseFaults(const std::string &text,
                                                bool &ok) {
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

/// Tools next to this executable.
std::string tessera::tune::findTool(const char *name) {
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable("tessera-tune", &anchor);
  llvm::SmallString<256> path(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(path, name);
  return std::string(path);
}

std::optional<Session> tessera::tune::openSession(mlir::MLIRContext &context,
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

std::string tessera::tune::makeWorkDir() {
  llvm::SmallString<128> dir;
  if (llvm::sys::fs::createUniqueDirectory("tessera-tune", dir))
    return "/tmp";
  return std::string(dir);
}

std::string tessera::tune::describe(const cm::Workload &w) {
  std::string text = std::string(cm::toString(w.opClass)) + " ";
  for (size_t i = 0; i < w.loopSizes.size(); ++i)
    text += (i ? "x" : "") + std::to_string(w.loopSizes[i]);
  if (w.inputStride != 1)
    text += " stride " + std::to_string(w.inputStride);
  return text;
}

std::optional<Split> tessera::tune::loadSplit() {
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
  std::vector<cm::TuningRecord> records = db->query(filter, &error);
  // A suite is held out by its workloads' KEYS: another suite (the
  // generated one, a 1x1 convolution that is also a matmul) may hold the
  // same kernel under another name, and must not train on it.
  std::set<std::string> suiteKeys;
  if (!heldOutSuiteOption.empty())
    for (const cm::TuningRecord &r : records)
      if (llvm::StringRef(r.source).starts_with(heldOutSuiteOption + "/"))
        suiteKeys.insert(r.workloadKey);
  for (cm::TuningRecord &r : records) {
    bool heldOut = heldOutSuiteOption.empty()
                       ? cm::isHeldOut(r.workloadKey, heldOutOption)
                       : suiteKeys.count(r.workloadKey) > 0;
    (heldOut ? split.heldOut : split.train).push_back(std::move(r));
  }
  return split;
}

cm::TrainOptions tessera::tune::getTrainOptions() {
  cm::TrainOptions options;
  options.objective = objectiveOption;
  options.rounds = roundsOption;
  options.maxDepth = depthOption;
  options.learningRate = etaOption;
  options.seed = seedOption;
  options.pairsPerRow = std::max(1, pairsOption.getValue());
  for (const std::string &param : xgboostParamsOption) {
    auto [name, value] = llvm::StringRef(param).split('=');
    options.extraParams.emplace_back(name.str(), value.str());
  }
  return options;
}

/// Trains a model with the command line's options on `records`; the number
/// of rows and workloads it saw in `data`.
std::unique_ptr<cm::XGBoostModel>
tessera::tune::trainOn(const std::vector<cm::TuningRecord> &records,
                       const cm::HardwareProfile &hw, cm::Dataset &data,
                       std::string *error) {
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
  cm::TrainOptions options = getTrainOptions();
  if (!classWeightsOption.empty()) {
    // The op class is one-hot in the features named op_<class>: each
    // weight goes to its class's column.
    std::map<size_t, float> weightByColumn;
    for (const std::string &item : classWeightsOption) {
      auto [name, value] = llvm::StringRef(item).split('=');
      std::optional<cm::OpClass> opClass = cm::parseOpClass(name.str());
      double weight;
      if (value.getAsDouble(weight) || weight < 0 || !opClass) {
        *error = "bad --class-weights item '" + item +
                 "' (expected CLASS=WEIGHT, WEIGHT >= 0, CLASS one of "
                 "contraction, depthwise, elementwise, reduction)";
        return nullptr;
      }
      size_t column =
          llvm::find(names, "op_" + std::string(cm::toString(*opClass))) -
          names.begin();
      if (column < names.size())
        weightByColumn[column] = static_cast<float>(weight);
    }
    bool ranking = llvm::StringRef(options.objective).starts_with("rank:");
    size_t row = 0;
    for (unsigned size : data.groups) {
      float weight = 1;
      for (auto [column, classWeight] : weightByColumn)
        if (data.features.row(row)[column] > 0.5f)
          weight = classWeight;
      if (ranking)
        options.weights.push_back(weight);
      else
        options.weights.insert(options.weights.end(), size, weight);
      row += size;
    }
  }
  return cm::trainModel(data, options, *label, error);
}

std::unique_ptr<cm::XGBoostModel>
tessera::tune::trainOnDatabase(Session &session, cm::Dataset &data,
                               std::string *error) {
  cm::RecordFilter all;
  all.target = targetOption;
  all.okOnly = true;
  return trainOn(session.db->query(all), session.hw, data, error);
}

std::string tessera::tune::getModelPath() {
  return modelOption.empty() ? cm::CostModel::getDefaultModelPath()
                             : modelOption.getValue();
}

std::unique_ptr<cm::CostModel>
tessera::tune::loadCostModel(const cm::HardwareProfile &hw) {
  std::string error;
  std::unique_ptr<cm::CostModel> model =
      cm::CostModel::load(getModelPath(), hw, &error);
  if (!model)
    fail(error);
  return model;
}

std::optional<MeasuringRun>
tessera::tune::startMeasuringRun(mlir::MLIRContext &context) {
  std::string workDir = makeWorkDir();
  std::optional<std::vector<WorkloadFile>> files = getWorkloads(workDir);
  if (!files)
    return std::nullopt;
  std::optional<Session> session = openSession(context, workDir);
  if (!session)
    return std::nullopt;
  return MeasuringRun{workDir, std::move(*files), std::move(*session)};
}
