//===- PlanTest.cpp - Tests of partitioned models (runtime/Plan.h) --------===//
//
// Plans over the hand-written test artifacts: a first stage (a, b -> sum,
// a*b, total), a second that reads its results (-> sum2, prod2, total2)
// and a side stage on the "vulkan" device that reads the model inputs
// (-> side_sum, ...). The second and side stages sleep 100 ms per run, so
// running the side stage next to the others shows in the wall time.
//
//===----------------------------------------------------------------------===//

#include "tessera-c/Runtime.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>

namespace {

/// Writes `text` to a plan file in the test artifacts' folder.
std::string writePlan(const std::string &name, const std::string &text) {
  std::string path = std::string(TEST_TMP_DIR) + "/" + name;
  std::ofstream(path) << text;
  return path;
}

const char *kHeader = "tessera-plan 1\n"
                      "input a float32 2x3\n"
                      "input b float32 2x3\n";

/// Loads `path`, expecting failure; returns the error message.
std::string loadError(const std::string &path) {
  tessera_model *model = nullptr;
  EXPECT_EQ(tessera_model_load(path.c_str(), &model), TESSERA_ERROR_LOAD);
  EXPECT_EQ(model, nullptr);
  return tessera_last_error();
}

TEST(Plan, ChainsSegmentsAndRunsIndependentOnesTogether) {
  std::string path = writePlan(
      "three_stages.plan",
      std::string(kHeader) + "output sum2 float32 2x3\n"
                             "output side_total float64 scalar\n"
                             "output total float64 scalar\n"
                             "segment cpu test_artifact.so\n"
                             "segment vulkan test_artifact_side.so\n"
                             "segment cpu test_artifact_chain.so\n");
  tessera_model *model = nullptr;
  ASSERT_EQ(tessera_model_load(path.c_str(), &model), TESSERA_OK)
      << tessera_last_error();
  ASSERT_EQ(tessera_model_num_inputs(model), 2);
  ASSERT_EQ(tessera_model_num_outputs(model), 3);
  const char *device, *cpu, *features;
  ASSERT_EQ(tessera_model_target(model, &device, &cpu, &features), TESSERA_OK);
  EXPECT_STREQ(device, "plan");

  alignas(64) float a[6], b[6], sum2[6];
  double sideTotal = 0, total = 0;
  for (int i = 0; i < 6; ++i) {
    a[i] = static_cast<float>(i);
    b[i] = static_cast<float>(2 * i + 1);
  }
  const void *inputs[] = {a, b};
  void *outputs[] = {sum2, &sideTotal, &total};
  // The first run pays for thread start-up; time the second.
  ASSERT_EQ(tessera_model_run(model, inputs, outputs), TESSERA_OK)
      << tessera_last_error();
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(tessera_model_run(model, inputs, outputs), TESSERA_OK)
      << tessera_last_error();
  double ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - start)
                  .count();

  double expectedTotal = 0;
  for (int i = 0; i < 6; ++i) {
    float sum = a[i] + b[i], product = a[i] * b[i];
    EXPECT_EQ(sum2[i], sum + product) << i;
    expectedTotal += sum;
  }
  EXPECT_DOUBLE_EQ(total, expectedTotal);
  EXPECT_DOUBLE_EQ(sideTotal, expectedTotal);
  // Chain and side sleep 100 ms each: one after the other takes >= 200 ms.
  EXPECT_LT(ms, 190) << "the side segment did not run next to the chain";
  tessera_model_free(model);
}

TEST(Plan, ReportsAFailingSegment) {
  std::string path = writePlan("failing.plan",
                               std::string(kHeader) +
                                   "output total float64 scalar\n"
                                   "segment cpu test_artifact.so\n");
  tessera_model *model = nullptr;
  ASSERT_EQ(tessera_model_load(path.c_str(), &model), TESSERA_OK)
      << tessera_last_error();
  alignas(64) float a[6] = {-12345}, b[6] = {};
  double total;
  const void *inputs[] = {a, b};
  void *outputs[] = {&total};
  EXPECT_NE(tessera_model_run(model, inputs, outputs), TESSERA_OK);
  std::string message = tessera_last_error();
  EXPECT_NE(message.find("segment 0 (cpu)"), std::string::npos) << message;
  EXPECT_NE(message.find("status 42"), std::string::npos) << message;
  tessera_model_free(model);
}

TEST(Plan, LoadErrorsNameTheProblem) {
  struct Case {
    const char *name, *body, *expected;
  } cases[] = {
      {"header.plan", "tessera-plan 2\n", "expected 'tessera-plan 1'"},
      {"missing.plan", "segment cpu no_such_artifact.so\n",
       "segment 0 ('"},
      {"device.plan", "segment vulkan test_artifact.so\n",
       "was compiled for 'cpu', the plan says 'vulkan'"},
      {"unknown_value.plan", "segment cpu test_artifact_chain.so\n",
       "reads 'sum', which no model input or earlier segment provides"},
      {"twice.plan",
       "segment cpu test_artifact.so\nsegment cpu test_artifact.so\n",
       "writes 'sum', which is already defined"},
      {"no_output.plan", "output nothing float32 2x3\n"
                         "segment cpu test_artifact.so\n",
       "no segment writes the model output 'nothing'"},
      {"shape.plan", "output sum float32 3x2\nsegment cpu test_artifact.so\n",
       "model output 'sum' is float32 3x2 in the plan but float32 2x3"},
      {"empty.plan", "", "the plan has no segments"},
  };
  for (const Case &c : cases) {
    std::string text = std::string(c.name) == "header.plan"
                           ? c.body
                           : std::string(kHeader) + c.body;
    std::string message = loadError(writePlan(c.name, text));
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << c.name << ": " << message;
    EXPECT_NE(message.find(c.name), std::string::npos)
        << c.name << ": " << message;
  }
}

} // namespace
