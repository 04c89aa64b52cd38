//===- Efficiency.cpp - tessera-tune efficiency ---------------------------===//
//
// The issue's tuning-efficiency experiment: model-guided search with
// budget B against random search with --random-factor x B.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "llvm/Support/FileSystem.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>

using namespace tessera;
using namespace tessera::tune;

namespace {

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

} // namespace

/// The issue's tuning-efficiency experiment: per workload, the model's B
/// most promising candidates (what `tune --explore 0` measures with budget
/// B) against B x --random-factor candidates drawn at random. Both sets are
/// measured in one shuffled sequence, each paired with the heuristic's
/// config, so load drift cannot favour either; configs measured before on
/// this machine are reused. Reports, per workload, the best latency random
/// search found / the best the model-guided search found (1 = as good) and
/// the mean. The model must not have seen these workloads (train it with
/// --held-out-suite).
int tessera::tune::runEfficiency(mlir::MLIRContext &context) {
  std::optional<MeasuringRun> run = startMeasuringRun(context);
  if (!run)
    return 1;
  Session &session = run->session;
  const std::vector<WorkloadFile> &files = run->files;
  std::string modelPath = getModelPath();
  std::unique_ptr<cm::CostModel> model = loadCostModel(session.hw);
  if (!model)
    return 1;
  std::string error;
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
  for (const WorkloadFile &file : files) {
    Analysis analysis;
    if (!analyzeWorkload(context, file.path, session.hw.vectorWidth, analysis,
                         error)) {
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
    std::stable_sort(
        byPrediction.begin(), byPrediction.end(),
        [&](size_t a, size_t b) { return predicted[a] < predicted[b]; });
    std::iota(shuffled.begin(), shuffled.end(), 0);
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    cm::RecordFilter known;
    known.workloadKey = analysis.workload.key();
    known.machine = session.hw.machineId();
    known.target = targetOption;
    std::set<std::string> measured, failed;
    for (const cm::TuningRecord &r : session.db->query(known)) {
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
    std::vector<size_t> random(
        shuffled.begin(), shuffled.begin() + std::min<size_t>(randomCount, n));
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
      if (!session.measureAndRecord(file, analysis, i, m))
        return 1;
    }
    progress.update(done, "done");
    progress.finish();
    std::map<std::string, double> ratios = getRatiosToHeuristic(
        session.db->query(known), analysis.candidates[0].toString());
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
    llvm::outs() << llvm::formatv(
        "{0,-28} {1,10} {2,9:f3}x {3,10:f3}x {4,8:f3}\n", file.name, n,
        tuneBest, randomBest, ratio);
  }
  if (count)
    llvm::outs() << llvm::formatv(
        "mean best(random, {0}) / best(model-guided, {1}) over {2} "
        "workloads: {3:f3}, each capped at 1: {4:f3} (the issue's bar: at "
        "least 0.95)\n",
        randomCount, budget, count, sum / count, sumCapped / count);
  llvm::sys::fs::remove_directories(run->workDir);
  return 0;
}
