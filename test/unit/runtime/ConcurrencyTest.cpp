//===- ConcurrencyTest.cpp - Loads and runs from several threads ----------===//
//
// The runtime's multi-threaded paths under contention, for ThreadSanitizer
// (scripts/sanitize.sh tsan) as much as for correctness: four threads load
// the test artifact at the same time, run their own and one shared model
// while the runtime's pool splits each run's parallel loop, and compare every
// output with the expected values.
//
//===----------------------------------------------------------------------===//

#include "tessera-c/Runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 4;
constexpr int kRunsPerThread = 50;

/// Runs `model` once with inputs derived from `seed`; returns an empty
/// string on success or what went wrong.
std::string runOnce(tessera_model *model, int seed) {
  alignas(64) float a[16], b[16], sum[16], product[16];
  alignas(64) double total = 0;
  for (int i = 0; i < 6; ++i) {
    a[i] = static_cast<float>(seed + i);
    b[i] = static_cast<float>(2 * i - seed);
  }
  const void *inputs[] = {a, b};
  void *outputs[] = {sum, product, &total};
  if (tessera_model_run(model, inputs, outputs) != TESSERA_OK)
    return tessera_last_error();
  double expectedTotal = 0;
  for (int i = 0; i < 6; ++i) {
    if (sum[i] != a[i] + b[i] || product[i] != a[i] * b[i])
      return "wrong output at " + std::to_string(i);
    expectedTotal += a[i] + b[i];
  }
  if (total != expectedTotal)
    return "wrong total";
  return "";
}

TEST(Concurrency, LoadAndRunFromFourThreads) {
  ASSERT_EQ(tessera_runtime_set_num_threads(kThreads), TESSERA_OK);
  tessera_model *shared = nullptr;
  ASSERT_EQ(tessera_model_load(TEST_ARTIFACT, &shared), TESSERA_OK)
      << tessera_last_error();

  std::atomic<int> failures{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Concurrent dlopen of one artifact: each thread holds its own model.
      tessera_model *own = nullptr;
      if (tessera_model_load(TEST_ARTIFACT, &own) != TESSERA_OK) {
        errors[t] = tessera_last_error();
        ++failures;
        return;
      }
      for (int i = 0; i < kRunsPerThread && errors[t].empty(); ++i) {
        errors[t] = runOnce(i % 2 ? own : shared, t * 100 + i);
        if (errors[t].empty() && tessera_model_num_outputs(own) != 3)
          errors[t] = "wrong output count";
      }
      if (!errors[t].empty())
        ++failures;
      tessera_model_free(own);
    });
  }
  for (std::thread &thread : threads)
    thread.join();
  tessera_model_free(shared);
  ASSERT_EQ(tessera_runtime_set_num_threads(1), TESSERA_OK);
  for (int t = 0; t < kThreads; ++t)
    EXPECT_TRUE(errors[t].empty()) << "thread " << t << ": " << errors[t];
  EXPECT_EQ(failures.load(), 0);
}

TEST(Concurrency, ErrorsStayInTheirThread) {
  // A failing load in one thread while others run must not leak its error
  // text into the others' tessera_last_error().
  std::vector<std::thread> threads;
  std::vector<std::string> messages(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      tessera_model *model = nullptr;
      std::string path = t % 2 ? "/nonexistent/model.so" : TEST_ARTIFACT;
      tessera_status status = tessera_model_load(path.c_str(), &model);
      messages[t] = status == TESSERA_OK ? "" : tessera_last_error();
      if (model) {
        std::string error = runOnce(model, t);
        if (!error.empty())
          messages[t] = error;
        tessera_model_free(model);
      }
    });
  }
  for (std::thread &thread : threads)
    thread.join();
  for (int t = 0; t < kThreads; ++t) {
    if (t % 2)
      EXPECT_NE(messages[t].find("/nonexistent/model.so"), std::string::npos)
          << messages[t];
    else
      EXPECT_EQ(messages[t], "") << "thread " << t;
  }
}

} // namespace
