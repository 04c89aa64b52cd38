//===- TuningDatabaseTest.cpp - The SQLite tuning database ----------------===//

#include "cost-model/TuningDatabase.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace tessera::costmodel;

static std::string freshPath(const std::string &name) {
  std::string path = std::string(TEST_TMP_DIR) + "/" + name;
  for (const char *suffix : {"", "-wal", "-shm"})
    std::remove((path + suffix).c_str());
  return path;
}

/// Runs `sql` on the SQLite file at `path` directly, as an older or newer
/// Tessera (or another tool) would have written it.
static bool execRaw(const std::string &path, const char *sql) {
  sqlite3 *raw = nullptr;
  bool ok = sqlite3_open(path.c_str(), &raw) == SQLITE_OK &&
            sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(raw);
  return ok;
}

static TuningRecord makeRecord(const std::string &config, double latency) {
  TuningRecord r;
  r.workloadKey = "w1";
  r.workloadJSON = "{}";
  r.config = config;
  r.machine = "test-machine";
  r.latencyUs = latency;
  return r;
}

TEST(TuningDatabase, AddQueryReplace) {
  std::string error;
  auto db = TuningDatabase::open(freshPath("db-basic.sqlite"), &error);
  ASSERT_TRUE(db) << error;
  ASSERT_TRUE(db->add(makeRecord("a", 10), &error)) << error;
  ASSERT_TRUE(db->add(makeRecord("b", 20), &error)) << error;
  TuningRecord failed = makeRecord("c", 0);
  failed.status = "crash";
  ASSERT_TRUE(db->add(failed, &error)) << error;
  EXPECT_EQ(db->query({}).size(), 3u);
  RecordFilter okOnly;
  okOnly.okOnly = true;
  EXPECT_EQ(db->query(okOnly).size(), 2u);
  // Same key: the latest measurement replaces the old one.
  ASSERT_TRUE(db->add(makeRecord("a", 5), &error));
  std::vector<TuningRecord> all = db->query({});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_TRUE(db->contains("w1", "a", "cpu", "test-machine"));
  EXPECT_FALSE(db->contains("w1", "a", "cpu", "other"));
  bool found = false;
  for (const TuningRecord &r : all)
    if (r.config == "a") {
      EXPECT_DOUBLE_EQ(r.latencyUs, 5);
      found = true;
    }
  EXPECT_TRUE(found);
}

TEST(TuningDatabase, RejectsOtherFilesAndNewerSchemas) {
  std::string path = freshPath("db-garbage.sqlite");
  {
    std::ofstream out(path);
    out << "this is not a database, just some text that is long enough";
  }
  std::string error;
  EXPECT_FALSE(TuningDatabase::open(path, &error));
  EXPECT_NE(error.find("not a tuning database"), std::string::npos) << error;

  std::string newer = freshPath("db-newer.sqlite");
  {
    auto db = TuningDatabase::open(newer, &error);
    ASSERT_TRUE(db);
  }
  ASSERT_TRUE(execRaw(newer, "PRAGMA user_version=99"));
  EXPECT_FALSE(TuningDatabase::open(newer, &error));
  EXPECT_NE(error.find("schema version 99"), std::string::npos) << error;
}

// A tuner killed in the middle of a transaction keeps the records it
// committed before, loses the uncommitted ones, and leaves a database that
// opens and accepts new records.
TEST(TuningDatabase, SurvivesAKilledWriter) {
  std::string path = freshPath("db-killed.sqlite");
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string error;
    auto db = TuningDatabase::open(path, &error);
    if (!db)
      _exit(2);
    for (int i = 0; i < 10; ++i)
      db->add(makeRecord("committed" + std::to_string(i), i + 1));
    db->begin();
    for (int i = 0; i < 10; ++i)
      db->add(makeRecord("pending" + std::to_string(i), i + 1));
    raise(SIGKILL);
    _exit(3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  std::string error;
  auto db = TuningDatabase::open(path, &error);
  ASSERT_TRUE(db) << error;
  std::vector<TuningRecord> records = db->query({});
  EXPECT_EQ(records.size(), 10u);
  for (const TuningRecord &r : records)
    EXPECT_EQ(r.config.rfind("committed", 0), 0u) << r.config;
  EXPECT_TRUE(db->add(makeRecord("after", 1), &error)) << error;
  EXPECT_EQ(db->query({}).size(), 11u);
}

// Paired measurements keep the heuristic flag and the reference latency;
// a version-1 file (no such columns) is upgraded in place and keeps its
// records.
TEST(TuningDatabase, PairedRecordsAndVersion1Upgrade) {
  std::string error;
  std::string path = freshPath("db-paired.sqlite");
  {
    auto db = TuningDatabase::open(path, &error);
    ASSERT_TRUE(db) << error;
    TuningRecord heuristic = makeRecord("h", 100);
    heuristic.heuristic = true;
    TuningRecord paired = makeRecord("p", 90);
    paired.referenceUs = 120;
    ASSERT_TRUE(db->add(heuristic, &error)) << error;
    ASSERT_TRUE(db->add(paired, &error)) << error;
    std::vector<TuningRecord> all = db->query({});
    ASSERT_EQ(all.size(), 2u);
    EXPECT_TRUE(all[0].heuristic);
    EXPECT_DOUBLE_EQ(all[0].referenceUs, 0);
    EXPECT_FALSE(all[1].heuristic);
    EXPECT_DOUBLE_EQ(all[1].referenceUs, 120);
  }
  std::string old = freshPath("db-version1.sqlite");
  const char *v1 =
      "CREATE TABLE records (id INTEGER PRIMARY KEY, workload_key TEXT NOT "
      "NULL, workload TEXT NOT NULL, config TEXT NOT NULL, target TEXT NOT "
      "NULL, machine TEXT NOT NULL, source TEXT NOT NULL DEFAULT '', status "
      "TEXT NOT NULL, latency_us REAL, timestamp INTEGER NOT NULL, UNIQUE "
      "(workload_key, config, target, machine) ON CONFLICT REPLACE);"
      "INSERT INTO records (workload_key, workload, config, target, machine, "
      "status, latency_us, timestamp) VALUES ('w1', '{}', 'a', 'cpu', 'm', "
      "'ok', 7, 1);"
      "PRAGMA user_version=1;";
  ASSERT_TRUE(execRaw(old, v1));
  auto db = TuningDatabase::open(old, &error);
  ASSERT_TRUE(db) << error;
  std::vector<TuningRecord> all = db->query({});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_DOUBLE_EQ(all[0].latencyUs, 7);
  EXPECT_FALSE(all[0].heuristic);
  TuningRecord paired = makeRecord("b", 3);
  paired.referenceUs = 6;
  ASSERT_TRUE(db->add(paired, &error)) << error;
  EXPECT_DOUBLE_EQ(db->query({}).back().referenceUs, 6);
}

// A version-2 file keyed depthwise workloads without their stride: opening
// it upgrades it to version 3, setting its depthwise records aside (another
// key, status ambiguous-key) so that they train nothing and block no new
// measurement; the other records keep their keys.
TEST(TuningDatabase, Version2UpgradeSetsDepthwiseRecordsAside) {
  std::string error;
  std::string path = freshPath("db-version2.sqlite");
  {
    auto db = TuningDatabase::open(path, &error);
    ASSERT_TRUE(db) << error;
    TuningRecord conv = makeRecord("a", 10);
    conv.workloadKey = "contraction:1,2,3";
    TuningRecord dw = makeRecord("a", 20);
    dw.workloadKey = "depthwise:1,96,28,28";
    ASSERT_TRUE(db->add(conv, &error)) << error;
    ASSERT_TRUE(db->add(dw, &error)) << error;
  }
  ASSERT_TRUE(execRaw(path, "PRAGMA user_version=2"));
  for (int reopen = 0; reopen < 2; ++reopen) {
    auto db = TuningDatabase::open(path, &error);
    ASSERT_TRUE(db) << error;
    RecordFilter okOnly;
    okOnly.okOnly = true;
    std::vector<TuningRecord> ok = db->query(okOnly);
    ASSERT_EQ(ok.size(), 1u);
    EXPECT_EQ(ok[0].workloadKey, "contraction:1,2,3");
    std::vector<TuningRecord> all = db->query({});
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[1].workloadKey, "depthwise:1,96,28,28:stride?");
    EXPECT_EQ(all[1].status, kAmbiguousKeyStatus);
    EXPECT_FALSE(db->contains("depthwise:1,96,28,28", "a", "cpu",
                              "test-machine"));
  }
}

// A measured candidate counts as fast as the slower of its two witnesses:
// the heuristic's config timed beside it and the heuristic's own record.
TEST(TuningDatabase, RatioToHeuristicTakesTheSlowerWitness) {
  TuningRecord r = makeRecord("p=1", 120);
  EXPECT_LT(r.ratioToHeuristic(0), 0); // Nothing to compare with.
  EXPECT_DOUBLE_EQ(r.ratioToHeuristic(100), 1.2);
  // A burst of load inflated the reference beside it (333 us): paired it
  // looks 2.8x faster, the heuristic's own record says 1.09x slower.
  r.referenceUs = 333;
  EXPECT_DOUBLE_EQ(r.ratioToHeuristic(110), 120.0 / 110);
  EXPECT_DOUBLE_EQ(r.ratioToHeuristic(0), 120.0 / 333);
  // The machine was slower during the pair: the reference says 1.0.
  r.referenceUs = 120;
  EXPECT_DOUBLE_EQ(r.ratioToHeuristic(60), 2.0);
  EXPECT_DOUBLE_EQ(r.ratioToHeuristic(240), 1.0);
}
