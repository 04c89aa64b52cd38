//===- Show.cpp - tessera-tune show ---------------------------------------===//
//
// Lists the records of a tuning database.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "llvm/Support/FileSystem.h"

#include <map>

using namespace tessera;
using namespace tessera::tune;

int tessera::tune::runShow() {
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
    if (r.ok() &&
        (!best.count(r.workloadKey) || r.latencyUs < best[r.workloadKey]))
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
      "{0,-36} {1,-28} {2,-13} {3,11} {4,6} {5,9}  {6}\n", "source", "workload",
      "status", "latency_us", "vs_best", "vs_heur", "config");
  size_t shown = 0;
  for (const cm::TuningRecord &r : records) {
    if (limitOption > 0 &&
        shown++ >= static_cast<size_t>(limitOption.getValue()))
      break;
    std::optional<cm::Workload> w = cm::Workload::fromJSON(r.workloadJSON);
    std::string latency =
        r.ok() ? llvm::formatv("{0:f1}", r.latencyUs).str() : std::string("-");
    std::string ratio =
        r.ok()
            ? llvm::formatv("{0:f2}", r.latencyUs / best[r.workloadKey]).str()
            : std::string("-");
    // The paired ratio to the heuristic's config timed next to it.
    std::string paired =
        r.heuristic ? std::string("heuristic")
        : r.ok() && r.referenceUs > 0
            ? llvm::formatv("{0:f2}", r.latencyUs / r.referenceUs).str()
            : std::string("-");
    llvm::outs() << llvm::formatv(
        "{0,-36} {1,-28} {2,-13} {3,11} {4,6} {5,9}  {6}\n", r.source,
        w ? describe(*w) : "?", r.status, latency, ratio, paired, r.config);
  }
  return 0;
}
