//===- TuningDatabase.cpp - Measured latencies in SQLite ------------------===//
//
// WAL mode lets `show` and `train` read while `collect` writes; a busy
// timeout makes concurrent writers wait instead of failing. The unique key
// (workload, config, target, machine) keeps the latest measurement.
//
//===----------------------------------------------------------------------===//

#include "cost-model/TuningDatabase.h"

#include <sqlite3.h>

#include <algorithm>
#include <ctime>

using namespace tessera::costmodel;

static const char *const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY,
  workload_key TEXT NOT NULL,
  workload TEXT NOT NULL,
  config TEXT NOT NULL,
  target TEXT NOT NULL,
  machine TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  latency_us REAL,
  timestamp INTEGER NOT NULL,
  heuristic INTEGER NOT NULL DEFAULT 0,
  reference_us REAL,
  UNIQUE (workload_key, config, target, machine) ON CONFLICT REPLACE
);
CREATE INDEX IF NOT EXISTS records_by_workload ON records (workload_key);
)sql";

namespace {
/// A prepared statement, finalized at scope exit.
struct Statement {
  sqlite3_stmt *stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};
} // namespace

TuningDatabase::~TuningDatabase() { sqlite3_close(db); }

bool TuningDatabase::exec(const char *sql, std::string *error) const {
  char *message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK)
    return true;
  if (error)
    *error = std::string("tuning database: ") +
             (message ? message : sqlite3_errmsg(db));
  sqlite3_free(message);
  return false;
}

std::unique_ptr<TuningDatabase> TuningDatabase::open(const std::string &path,
                                                     std::string *error) {
  sqlite3 *handle = nullptr;
  if (sqlite3_open(path.c_str(), &handle) != SQLITE_OK) {
    if (error)
      *error = "cannot open the tuning database '" + path +
               "': " + (handle ? sqlite3_errmsg(handle) : "out of memory");
    sqlite3_close(handle);
    return nullptr;
  }
  std::unique_ptr<TuningDatabase> db(new TuningDatabase(handle));
  sqlite3_busy_timeout(handle, 10000);
  // Reading user_version also tells a SQLite file from anything else.
  int version = -1;
  {
    Statement s;
    if (sqlite3_prepare_v2(handle, "PRAGMA user_version", -1, &s.stmt,
                           nullptr) != SQLITE_OK ||
        sqlite3_step(s.stmt) != SQLITE_ROW) {
      if (error)
        *error = "'" + path + "' is not a tuning database: " +
                 sqlite3_errmsg(handle);
      return nullptr;
    }
    version = sqlite3_column_int(s.stmt, 0);
  }
  if (version > kTuningSchemaVersion) {
    if (error)
      *error = "'" + path + "' has tuning schema version " +
               std::to_string(version) + "; this build reads version " +
               std::to_string(kTuningSchemaVersion) + " (use a newer tessera)";
    return nullptr;
  }
  std::string why;
  // Version 1 lacks the columns of paired measurements; its records keep
  // heuristic = 0 (buildDataset then takes a workload's first record, which
  // collect always measured first, as the heuristic's).
  bool upgrade = version == 1;
  if (upgrade &&
      (!db->exec("ALTER TABLE records ADD COLUMN heuristic INTEGER NOT NULL "
                 "DEFAULT 0",
                 &why) ||
       !db->exec("ALTER TABLE records ADD COLUMN reference_us REAL", &why))) {
    if (error)
      *error = "'" + path + "': cannot upgrade schema version 1: " + why;
    return nullptr;
  }
  // Versions 1 and 2 keyed depthwise workloads without their stride: set
  // their records aside (they stay readable with `show`).
  if (version >= 1 && version < 3 &&
      !db->exec(("UPDATE records SET status = '" +
                 std::string(kAmbiguousKeyStatus) +
                 "', workload_key = workload_key || ':stride?' WHERE "
                 "workload_key LIKE 'depthwise:%' AND workload_key NOT LIKE "
                 "'%:stride?'")
                    .c_str(),
                &why)) {
    if (error)
      *error = "'" + path + "': cannot upgrade schema version " +
               std::to_string(version) + ": " + why;
    return nullptr;
  }
  if (!db->exec("PRAGMA journal_mode=WAL", &why) ||
      !db->exec("PRAGMA synchronous=NORMAL", &why) || !db->exec(kSchema, &why) ||
      !db->exec(("PRAGMA user_version=" + std::to_string(kTuningSchemaVersion))
                    .c_str(),
                &why)) {
    if (error)
      *error = "'" + path + "': " + why;
    return nullptr;
  }
  return db;
}

bool TuningDatabase::begin(std::string *error) {
  return exec("BEGIN IMMEDIATE", error);
}

bool TuningDatabase::commit(std::string *error) {
  return exec("COMMIT", error);
}

bool TuningDatabase::add(const TuningRecord &r, std::string *error) {
  Statement s;
  const char *sql =
      "INSERT INTO records (workload_key, workload, config, target, machine, "
      "source, status, latency_us, timestamp, heuristic, reference_us) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?)";
  if (sqlite3_prepare_v2(db, sql, -1, &s.stmt, nullptr) != SQLITE_OK) {
    if (error)
      *error = std::string("tuning database: ") + sqlite3_errmsg(db);
    return false;
  }
  const std::string *texts[] = {&r.workloadKey, &r.workloadJSON, &r.config,
                                &r.target,      &r.machine,      &r.source,
                                &r.status};
  for (int i = 0; i < 7; ++i)
    sqlite3_bind_text(s.stmt, i + 1, texts[i]->c_str(), -1, SQLITE_TRANSIENT);
  if (r.ok())
    sqlite3_bind_double(s.stmt, 8, r.latencyUs);
  else
    sqlite3_bind_null(s.stmt, 8);
  sqlite3_bind_int64(s.stmt, 9,
                     r.timestamp ? r.timestamp
                                 : static_cast<int64_t>(std::time(nullptr)));
  sqlite3_bind_int(s.stmt, 10, r.heuristic);
  if (r.ok() && r.referenceUs > 0)
    sqlite3_bind_double(s.stmt, 11, r.referenceUs);
  else
    sqlite3_bind_null(s.stmt, 11);
  if (sqlite3_step(s.stmt) != SQLITE_DONE) {
    if (error)
      *error = std::string("tuning database: ") + sqlite3_errmsg(db);
    return false;
  }
  return true;
}

std::vector<TuningRecord>
TuningDatabase::query(const RecordFilter &filter, std::string *error) const {
  std::vector<TuningRecord> records;
  Statement s;
  const char *sql =
      "SELECT workload_key, workload, config, target, machine, source, "
      "status, latency_us, timestamp, heuristic, reference_us FROM records "
      "WHERE "
      "(?1 = '' OR workload_key = ?1) AND (?2 = '' OR target = ?2) AND "
      "(?3 = '' OR machine = ?3) AND (?4 = '' OR source = ?4) AND "
      "(?5 = 0 OR status = 'ok') ORDER BY id";
  if (sqlite3_prepare_v2(db, sql, -1, &s.stmt, nullptr) != SQLITE_OK) {
    if (error)
      *error = std::string("tuning database: ") + sqlite3_errmsg(db);
    return records;
  }
  sqlite3_bind_text(s.stmt, 1, filter.workloadKey.c_str(), -1,
                    SQLITE_TRANSIENT);
  sqlite3_bind_text(s.stmt, 2, filter.target.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.stmt, 3, filter.machine.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.stmt, 4, filter.source.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(s.stmt, 5, filter.okOnly);
  auto text = [&](int column) {
    const unsigned char *value = sqlite3_column_text(s.stmt, column);
    return value ? std::string(reinterpret_cast<const char *>(value))
                 : std::string();
  };
  while (sqlite3_step(s.stmt) == SQLITE_ROW) {
    TuningRecord r;
    r.workloadKey = text(0);
    r.workloadJSON = text(1);
    r.config = text(2);
    r.target = text(3);
    r.machine = text(4);
    r.source = text(5);
    r.status = text(6);
    r.latencyUs = sqlite3_column_double(s.stmt, 7);
    r.timestamp = sqlite3_column_int64(s.stmt, 8);
    r.heuristic = sqlite3_column_int(s.stmt, 9) != 0;
    r.referenceUs = sqlite3_column_double(s.stmt, 10);
    records.push_back(std::move(r));
  }
  return records;
}

bool TuningDatabase::contains(const std::string &workloadKey,
                              const std::string &config,
                              const std::string &target,
                              const std::string &machine) const {
  Statement s;
  if (sqlite3_prepare_v2(db,
                         "SELECT 1 FROM records WHERE workload_key = ? AND "
                         "config = ? AND target = ? AND machine = ?",
                         -1, &s.stmt, nullptr) != SQLITE_OK)
    return false;
  const std::string *values[] = {&workloadKey, &config, &target, &machine};
  for (int i = 0; i < 4; ++i)
    sqlite3_bind_text(s.stmt, i + 1, values[i]->c_str(), -1, SQLITE_TRANSIENT);
  return sqlite3_step(s.stmt) == SQLITE_ROW;
}

double TuningRecord::ratioToHeuristic(double heuristicUs) const {
  double ratio = -1;
  if (referenceUs > 0)
    ratio = latencyUs / referenceUs;
  if (heuristicUs > 0)
    ratio = std::max(ratio, latencyUs / heuristicUs);
  return ratio;
}
