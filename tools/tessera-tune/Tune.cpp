//===- Tune.cpp - tessera-tune tune ---------------------------------------===//
//
// Model-guided search that measures, records and retrains.
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

/// The ok records of `analysis`'s workload on this machine.
static std::vector<cm::TuningRecord> queryOkRecords(Session &session,
                                                    const Analysis &analysis) {
  cm::RecordFilter filter;
  filter.workloadKey = analysis.workload.key();
  filter.machine = session.hw.machineId();
  filter.okOnly = true;
  return session.db->query(filter);
}

/// The latency of the heuristic's config (candidate 0) among `records`, or
/// -1 when it was not measured.
static double heuristicLatency(const std::vector<cm::TuningRecord> &records,
                               const Analysis &analysis) {
  const std::string config = analysis.candidates[0].toString();
  for (const cm::TuningRecord &r : records)
    if (r.config == config)
      return r.latencyUs;
  return -1;
}

/// The winner's curse: the best of a workload's noisy measurements is
/// biased low, and `--tile-policy=tune` takes a candidate measured 10%
/// faster than the heuristic's config. So the best measured candidate, when
/// it beats the heuristic's config (TuningRecord::ratioToHeuristic below
/// --confirm-below, 1 by default), is
/// measured --confirm more times and its record keeps the measurement of
/// median ratio. Returns false on a database error.
static bool confirmBest(Session &session, const WorkloadFile &file,
                        const Analysis &analysis) {
  const std::string heuristicConfig = analysis.candidates[0].toString();
  std::vector<cm::TuningRecord> records = queryOkRecords(session, analysis);
  double heuristicUs = heuristicLatency(records, analysis);
  const cm::TuningRecord *best = nullptr;
  for (const cm::TuningRecord &r : records) {
    double ratio = r.ratioToHeuristic(heuristicUs);
    if (r.config != heuristicConfig && ratio > 0 && ratio < confirmBelowOption &&
        (!best || ratio < best->ratioToHeuristic(heuristicUs)))
      best = &r;
  }
  if (!best)
    return true;
  auto it = llvm::find_if(analysis.candidates, [&](const cm::TileSizes &c) {
    return c.toString() == best->config;
  });
  if (it == analysis.candidates.end())
    return true; // Measured with an older candidate space.
  size_t index = it - analysis.candidates.begin();
  Measurement first;
  first.latencyUs = best->latencyUs;
  first.referenceUs = best->referenceUs;
  std::vector<Measurement> runs = {first};
  for (int i = 0; i < confirmOption; ++i) {
    Measurement m;
    if (!session.remeasure(file, analysis, index, m))
      return false;
    if (m.status != "ok")
      return session.record(file, analysis, index, m); // Flaky: failed.
    runs.push_back(m);
  }
  // The heuristic's record may have been timed afresh for the pairing.
  heuristicUs = heuristicLatency(queryOkRecords(session, analysis), analysis);
  auto ratio = [&](const Measurement &m) {
    cm::TuningRecord r;
    r.latencyUs = m.latencyUs;
    r.referenceUs = m.referenceUs;
    return r.ratioToHeuristic(heuristicUs);
  };
  double before = ratio(first);
  std::sort(runs.begin(), runs.end(),
            [&](const Measurement &a, const Measurement &b) {
              return ratio(a) < ratio(b);
            });
  const Measurement &median = runs[runs.size() / 2];
  llvm::outs() << llvm::formatv("{0,-28} confirmed #{1}: {2:f2}x -> {3:f2}x "
                                "the heuristic's ({4} measurements)\n",
                                file.name, index, before, ratio(median),
                                runs.size());
  return session.record(file, analysis, index, median);
}

/// Model-guided search per workload: each step measures the unmeasured
/// candidate with the best predicted latency or, with probability
/// --explore, a random one (an epsilon-greedy bandit: the measured latency
/// is the reward). After each workload the model is retrained on the whole
/// database, so later workloads and later compiles use what was measured.
int tessera::tune::runTune(mlir::MLIRContext &context) {
  std::optional<MeasuringRun> run = startMeasuringRun(context);
  if (!run)
    return 1;
  Session &session = run->session;
  const std::vector<WorkloadFile> &files = run->files;
  std::unique_ptr<cm::CostModel> model = loadCostModel(session.hw);
  if (!model)
    return 1;
  std::string error;
  std::mt19937 rng(seedOption);
  std::uniform_real_distribution<double> coin(0, 1);
  Progress progress(files.size() * std::max(1, budgetOption.getValue()));
  size_t done = 0;
  for (const WorkloadFile &file : files) {
    Analysis analysis;
    if (!analyzeWorkload(context, file.path, session.hw.vectorWidth, analysis,
                         error)) {
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
      known.machine = session.hw.machineId();
      std::set<std::string> configs;
      for (const cm::TuningRecord &r : session.db->query(known))
        configs.insert(r.config);
      for (size_t i = 0; i < measured.size(); ++i)
        measured[i] = configs.count(analysis.candidates[i].toString()) > 0;
    }
    double best = INFINITY;
    size_t bestIndex = 0;
    for (int step = 0; step < budgetOption; ++step) {
      std::vector<size_t> open;
      for (size_t i = 0; i < measured.size(); ++i)
        if (!measured[i])
          open.push_back(i);
      if (open.empty())
        break;
      size_t pick =
          *std::min_element(open.begin(), open.end(), [&](size_t a, size_t b) {
            return predicted[a] < predicted[b];
          });
      if (step > 0 && coin(rng) < exploreOption)
        pick = open[std::uniform_int_distribution<size_t>(0, open.size() -
                                                                 1)(rng)];
      measured[pick] = true;
      progress.update(done++, file.name + " #" + std::to_string(pick));
      Measurement m;
      if (!session.measureAndRecord(file, analysis, pick, m))
        return 1;
      if (m.status == "ok" && m.latencyUs < best) {
        best = m.latencyUs;
        bestIndex = pick;
      }
    }
    progress.finish();
    if (confirmOption > 0 && !confirmBest(session, file, analysis))
      return 1;
    // The heuristic's latency, for the report (measured if known).
    std::vector<cm::TuningRecord> records = queryOkRecords(session, analysis);
    double heuristicUs = heuristicLatency(records, analysis);
    for (const cm::TuningRecord &r : records) {
      if (r.latencyUs < best) {
        best = r.latencyUs;
        for (size_t i = 0; i < analysis.candidates.size(); ++i)
          if (analysis.candidates[i].toString() == r.config)
            bestIndex = i;
      }
    }
    llvm::outs() << llvm::formatv("{0,-28} best {1:f1} us (#{2})", file.name,
                                  best, bestIndex);
    if (heuristicUs > 0)
      llvm::outs() << llvm::formatv(", heuristic {0:f1} us, speedup {1:f2}x",
                                    heuristicUs, heuristicUs / best);
    llvm::outs() << "\n";
    // Learn from the new measurements before the next workload.
    cm::Dataset data;
    std::unique_ptr<cm::XGBoostModel> updated =
        trainOnDatabase(session, data, &error);
    if (updated)
      model = std::make_unique<cm::CostModel>(std::move(updated), session.hw);
    else if (data.features.rows > 0)
      return fail(error);
  }
  // The updated model is saved only where -o asks (never over the shipped
  // model by accident).
  if (!outputOption.empty()) {
    cm::Dataset data;
    std::unique_ptr<cm::XGBoostModel> updated =
        trainOnDatabase(session, data, &error);
    if (!updated || !updated->save(outputOption, &error))
      return fail(error);
    llvm::outs() << "wrote the updated model to " << outputOption.getValue()
                 << "\n";
  }
  llvm::sys::fs::remove_directories(run->workDir);
  return 0;
}
