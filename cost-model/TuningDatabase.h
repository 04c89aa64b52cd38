//===- TuningDatabase.h - Measured latencies in SQLite ----------*- C++ -*-===//
//
// The tuning records: one row per (workload, config, target, machine) with
// the measured latency or the reason the measurement failed. The file is a
// SQLite database in WAL mode with a versioned schema (PRAGMA user_version);
// every record is committed on its own, so a tuner that is killed keeps
// everything it measured before.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_COST_MODEL_TUNINGDATABASE_H
#define TESSERA_COST_MODEL_TUNINGDATABASE_H

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace tessera::costmodel {

/// Schema version written to PRAGMA user_version.
/// Version 2 added `heuristic` and `reference_us` (paired measurements).
/// Version 3 keys strided depthwise workloads apart from unstrided ones
/// (Workload::inputStride); before, stride 1 and 2 shared a key and
/// overwrote each other's configs. Older files are upgraded in place when
/// opened: their depthwise records get status `ambiguous-key` and the key
/// suffix `:stride?`, so they neither train a model nor block a new
/// measurement; every other record keeps its key.
inline constexpr int kTuningSchemaVersion = 3;

/// Status of the records that an upgrade to version 3 set aside.
inline constexpr const char *kAmbiguousKeyStatus = "ambiguous-key";

struct TuningRecord {
  std::string workloadKey;
  /// Workload::toJSON(), so records can be featurized again later.
  std::string workloadJSON;
  /// TileSizes::toString().
  std::string config;
  std::string target = "cpu";
  std::string machine;
  /// Which suite or model the workload came from (e.g. `resnet18`).
  std::string source;
  /// `ok`, or why it failed: `crash`, `timeout`, `compile-error`,
  /// `run-error`; `ambiguous-key` for the depthwise records of databases
  /// older than version 3.
  std::string status = "ok";
  /// Median latency in microseconds; meaningful when status is `ok`.
  double latencyUs = 0;
  /// Whether `config` was the heuristic's config of the workload when it
  /// was measured (the baseline of relative labels and of the policies).
  bool heuristic = false;
  /// The heuristic config's latency timed in the same interleaved rounds as
  /// this record (paired measurement), or 0 when it was timed alone. The
  /// ratio latencyUs / referenceUs cancels the machine's load.
  double referenceUs = 0;
  /// Seconds since the epoch.
  int64_t timestamp = 0;

  bool ok() const { return status == "ok"; }

  /// This record's latency relative to the heuristic's config, judged
  /// conservatively (negative when unknown): two witnesses, of which the
  /// slower counts. The reference timed in the same rounds cancels the
  /// machine's drift; the heuristic's own record (`heuristicUs`, timed once
  /// per workload; <= 0 when unknown) cannot be inflated by a burst of load
  /// during this pair. Either alone let the best of a workload's noisy
  /// measurements look 10% faster than it was.
  double ratioToHeuristic(double heuristicUs) const;
};

/// What `query` selects; empty fields match everything.
struct RecordFilter {
  std::string workloadKey, target, machine, source;
  bool okOnly = false;
};

class TuningDatabase {
public:
  ~TuningDatabase();
  TuningDatabase(const TuningDatabase &) = delete;
  TuningDatabase &operator=(const TuningDatabase &) = delete;

  /// Opens or creates the database at `path`. Fails with a clear `error`
  /// if the file is not a Tessera tuning database or has a newer schema.
  static std::unique_ptr<TuningDatabase> open(const std::string &path,
                                              std::string *error);

  /// Inserts or replaces the record of the same key, committed at once.
  bool add(const TuningRecord &record, std::string *error = nullptr);
  /// Groups several `add`s into one transaction (faster; all or nothing).
  bool begin(std::string *error = nullptr);
  bool commit(std::string *error = nullptr);

  std::vector<TuningRecord> query(const RecordFilter &filter,
                                  std::string *error = nullptr) const;
  /// True if a record (any status) exists for this key.
  bool contains(const std::string &workloadKey, const std::string &config,
                const std::string &target, const std::string &machine) const;

private:
  explicit TuningDatabase(sqlite3 *db) : db(db) {}
  bool exec(const char *sql, std::string *error) const;
  sqlite3 *db;
};

} // namespace tessera::costmodel

#endif // TESSERA_COST_MODEL_TUNINGDATABASE_H
