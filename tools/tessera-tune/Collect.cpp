//===- Collect.cpp - tessera-tune collect ---------------------------------===//
//
// Measures the heuristic's config and --trials - 1 random candidates of
// each workload into the tuning database.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "llvm/Support/FileSystem.h"

#include <algorithm>
#include <numeric>
#include <random>

using namespace tessera;
using namespace tessera::tune;

int tessera::tune::runCollect(mlir::MLIRContext &context) {
  std::optional<MeasuringRun> run = startMeasuringRun(context);
  if (!run)
    return 1;
  Session &session = run->session;
  const std::vector<WorkloadFile> &files = run->files;
  std::mt19937 rng(seedOption);
  Progress progress(files.size() * std::max(1, trialsOption.getValue()));
  size_t done = 0, skipped = 0;
  for (const WorkloadFile &file : files) {
    Analysis analysis;
    std::string error;
    if (!analyzeWorkload(context, file.path, session.hw.vectorWidth, analysis,
                         error)) {
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
      if (session.db->contains(analysis.workload.key(), config, targetOption,
                                session.hw.machineId())) {
        ++skipped;
        continue;
      }
      Measurement m;
      if (!session.measureAndRecord(file, analysis, index, m))
        return 1;
      if (m.status != "ok")
        llvm::errs() << (isatty(2) ? "\n" : "") << "note: " << file.name << " #"
                     << index << " " << config << ": " << m.status << " ("
                     << m.detail << ")\n";
    }
  }
  progress.update(done, "done");
  progress.finish();
  llvm::outs() << "collected " << session.measured << " measurements ("
               << session.failures << " failed, " << skipped
               << " already in the database) into " << dbOption << "\n";
  llvm::sys::fs::remove_directories(run->workDir);
  return 0;
}
