//===- GpuConstantTest.cpp - Tests of the device copies of constants ------===//
//
// tessera_rt_gpu_constant, the runtime's cache of the weights of GPU
// models, through the hand-written artifacts of TestGpuArtifact.c built
// with TEST_GPU_CONSTANT (c = a + b, b a constant of the artifact): a
// loaded model uploads each constant once, however many runs and threads;
// two loaded models have their own copies; freeing a model frees its
// copies. Runs on the Vulkan device (lavapipe here) and, where present, on
// a CUDA GPU; skips, saying so, otherwise.
//
//===----------------------------------------------------------------------===//

#include "runtime/gpu/GpuDevice.h"

#include "tessera-c/Runtime.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <thread>
#include <vector>

using tessera::runtime::getGpuConstantStats;
using tessera::runtime::GpuConstantStats;

namespace {

constexpr int kNumElements = 256;
constexpr uint64_t kConstantBytes = kNumElements * sizeof(float);

bool hasDevice(const std::string &kind) {
  std::string list = std::string("\n") + tessera_runtime_list_devices();
  return list.find("\n" + kind + " ") != std::string::npos;
}

/// Runs `model` once on a = seed + i; "" or the error (c must be a + 3 i).
std::string runOnce(tessera_model *model, float seed) {
  std::vector<float> a(kNumElements), c(kNumElements, -1.f);
  for (int i = 0; i < kNumElements; ++i)
    a[i] = seed + static_cast<float>(i);
  const void *inputs[] = {a.data()};
  void *outputs[] = {c.data()};
  if (tessera_model_run(model, inputs, outputs) != TESSERA_OK)
    return tessera_last_error();
  for (int i = 0; i < kNumElements; ++i)
    if (c[i] != a[i] + 3.0f * static_cast<float>(i))
      return "wrong result at " + std::to_string(i) + ": " +
             std::to_string(c[i]);
  return "";
}

struct Artifact {
  const char *kind;
  const char *path;
};

/// Names the parameter in test listings (ctest shows it).
void PrintTo(const Artifact &artifact, std::ostream *os) {
  *os << artifact.kind;
}

class GpuConstant : public ::testing::TestWithParam<Artifact> {
protected:
  void SetUp() override {
    if (!GetParam().path)
      GTEST_SKIP() << "no " << GetParam().kind << " test artifact was built";
    if (!hasDevice(GetParam().kind))
      GTEST_SKIP() << "no " << GetParam().kind << " device on this machine";
  }

  tessera_model *load() {
    tessera_model *model = nullptr;
    EXPECT_EQ(tessera_model_load(GetParam().path, &model), TESSERA_OK)
        << tessera_last_error();
    return model;
  }
};

TEST_P(GpuConstant, UploadedOncePerLoadedModel) {
  GpuConstantStats before = getGpuConstantStats();
  tessera_model *model = load();
  ASSERT_NE(model, nullptr);
  for (int run = 0; run < 3; ++run)
    EXPECT_EQ(runOnce(model, 10.0f * run), "") << "run " << run;
  GpuConstantStats during = getGpuConstantStats();
  EXPECT_EQ(during.uploads - before.uploads, 1u);
  EXPECT_EQ(during.buffers - before.buffers, 1u);
  EXPECT_EQ(during.bytesHeld - before.bytesHeld, kConstantBytes);

  tessera_model_free(model);
  GpuConstantStats after = getGpuConstantStats();
  EXPECT_EQ(after.buffers, before.buffers);
  EXPECT_EQ(after.bytesHeld, before.bytesHeld);

  // Loaded again: uploaded again, same answers.
  model = load();
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(runOnce(model, 1.0f), "");
  EXPECT_EQ(runOnce(model, 2.0f), "");
  EXPECT_EQ(getGpuConstantStats().uploads - after.uploads, 1u);
  tessera_model_free(model);
}

TEST_P(GpuConstant, TwoLoadedModelsHaveTheirOwnCopies) {
  GpuConstantStats before = getGpuConstantStats();
  tessera_model *first = load();
  tessera_model *second = load();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(runOnce(first, 1.0f), "");
  EXPECT_EQ(runOnce(second, 2.0f), "");
  EXPECT_EQ(runOnce(first, 3.0f), "");
  EXPECT_EQ(getGpuConstantStats().uploads - before.uploads, 2u);
  EXPECT_EQ(getGpuConstantStats().buffers - before.buffers, 2u);
  // Freeing one leaves the other's copy alone.
  tessera_model_free(first);
  EXPECT_EQ(getGpuConstantStats().buffers - before.buffers, 1u);
  EXPECT_EQ(runOnce(second, 4.0f), "");
  EXPECT_EQ(getGpuConstantStats().uploads - before.uploads, 2u);
  tessera_model_free(second);
  EXPECT_EQ(getGpuConstantStats().buffers, before.buffers);
}

TEST_P(GpuConstant, ConcurrentFirstRunsUploadOnce) {
  GpuConstantStats before = getGpuConstantStats();
  tessera_model *model = load();
  ASSERT_NE(model, nullptr);
  constexpr int kThreads = 4, kRuns = 5;
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int run = 0; run < kRuns && errors[t].empty(); ++run)
        errors[t] = runOnce(model, 100.0f * t + run);
    });
  for (std::thread &thread : threads)
    thread.join();
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(errors[t], "") << "thread " << t;
  EXPECT_EQ(getGpuConstantStats().uploads - before.uploads, 1u);
  tessera_model_free(model);
  EXPECT_EQ(getGpuConstantStats().buffers, before.buffers);
}

#ifdef TEST_GPU_ARTIFACT_VULKAN_CONSTANT
constexpr const char *kVulkanArtifact = TEST_GPU_ARTIFACT_VULKAN_CONSTANT;
#else
constexpr const char *kVulkanArtifact = nullptr; // spirv-as was not found
#endif

INSTANTIATE_TEST_SUITE_P(
    Devices, GpuConstant,
    ::testing::Values(Artifact{"vulkan", kVulkanArtifact},
                      Artifact{"cuda", TEST_GPU_ARTIFACT_CUDA_CONSTANT}),
    [](const ::testing::TestParamInfo<Artifact> &info) {
      return std::string(info.param.kind);
    });

} // namespace
