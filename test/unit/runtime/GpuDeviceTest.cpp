//===- GpuDeviceTest.cpp - Tests of the GPU devices and services ----------===//
//
// The device C API (listing, selection, profiles), the mgpu services on a
// Vulkan device (lavapipe here) with a hand-assembled SPIR-V kernel, the
// hand-written GPU artifacts of TestGpuArtifact.c, and the CUDA path without
// a driver (TESSERA_CUDA_LIBRARY pointed at a missing file). Tests that need
// a device skip, saying so, when the machine has none.
//
//===----------------------------------------------------------------------===//

#include "tessera-c/Artifact.h"
#include "tessera-c/Runtime.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kNumElements = 256;

/// Whether tessera_runtime_list_devices() names a device of `kind` (a probe
/// that creates no device, so selections stay possible).
bool hasDevice(const std::string &kind) {
  std::string list = std::string("\n") + tessera_runtime_list_devices();
  return list.find("\n" + kind + " ") != std::string::npos;
}

#define REQUIRE_DEVICE(kind)                                                   \
  if (!hasDevice(kind))                                                        \
  GTEST_SKIP() << "no " kind " device on this machine"

/// Loads `path` and runs it on c = a + b; returns "" or the error.
std::string runAddArtifact(const char *path) {
  tessera_model *model = nullptr;
  if (tessera_model_load(path, &model) != TESSERA_OK)
    return tessera_last_error();
  std::vector<float> a(kNumElements), b(kNumElements), c(kNumElements, -1.f);
  for (int i = 0; i < kNumElements; ++i) {
    a[i] = 0.5f * i;
    b[i] = 1000.f - i;
  }
  std::string error;
  // Twice: the second run reuses the cached pipeline and handles.
  for (int run = 0; run < 2 && error.empty(); ++run) {
    const void *inputs[] = {a.data(), b.data()};
    void *outputs[] = {c.data()};
    if (tessera_model_run(model, inputs, outputs) != TESSERA_OK)
      error = tessera_last_error();
    for (int i = 0; i < kNumElements && error.empty(); ++i)
      if (c[i] != a[i] + b[i])
        error = "wrong result at " + std::to_string(i) + ": " +
                std::to_string(c[i]);
  }
  tessera_model_free(model);
  return error;
}

/// Runs the artifact at `path` from several threads at once (one model,
/// shared device); returns "" or the first error.
std::string runAddArtifactOnThreads(const char *path) {
  tessera_model *model = nullptr;
  if (tessera_model_load(path, &model) != TESSERA_OK)
    return tessera_last_error();
  constexpr int kThreads = 4, kRuns = 5;
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::vector<float> a(kNumElements), b(kNumElements), c(kNumElements);
      for (int run = 0; run < kRuns && errors[t].empty(); ++run) {
        for (int i = 0; i < kNumElements; ++i) {
          a[i] = static_cast<float>(t * 1000 + run * 100 + i);
          b[i] = static_cast<float>(i);
        }
        const void *inputs[] = {a.data(), b.data()};
        void *outputs[] = {c.data()};
        if (tessera_model_run(model, inputs, outputs) != TESSERA_OK)
          errors[t] = tessera_last_error();
        for (int i = 0; i < kNumElements && errors[t].empty(); ++i)
          if (c[i] != a[i] + b[i])
            errors[t] = "thread " + std::to_string(t) + ": wrong result";
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  tessera_model_free(model);
  for (const std::string &error : errors)
    if (!error.empty())
      return error;
  return "";
}

/// Sets TESSERA_CUDA_LIBRARY for the life of the object and forgets the
/// CUDA failure it caused afterwards (reselecting clears it).
class MissingCudaDriver {
public:
  explicit MissingCudaDriver(
      const char *library = "/nonexistent/libcuda.so.1") {
    setenv("TESSERA_CUDA_LIBRARY", library, 1);
  }
  ~MissingCudaDriver() {
    unsetenv("TESSERA_CUDA_LIBRARY");
    tessera_runtime_select_device("cuda", nullptr);
  }
};

TEST(GpuDevice, ListStartsWithTheCPU) {
  std::string list = tessera_runtime_list_devices();
  EXPECT_EQ(list.rfind("cpu 0 ", 0), 0u) << list;
  EXPECT_EQ(list.back(), '\n');
}

TEST(GpuDevice, SelectRejectsUnknownKinds) {
  EXPECT_EQ(tessera_runtime_select_device("tpu", "0"),
            TESSERA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tessera_last_error()).find("unknown device kind"),
            std::string::npos);
  EXPECT_EQ(tessera_runtime_select_device(nullptr, "0"),
            TESSERA_ERROR_INVALID_ARGUMENT);
}

TEST(GpuDevice, CudaWithoutDriverFailsClearly) {
  MissingCudaDriver missing;
  const char *json = nullptr;
  EXPECT_EQ(tessera_runtime_device_profile("cuda", &json), TESSERA_ERROR_LOAD);
  std::string error = tessera_last_error();
  EXPECT_NE(error.find("no CUDA driver was found (dlopen "
                       "/nonexistent/libcuda.so.1"),
            std::string::npos)
      << error;
  EXPECT_EQ(std::string(tessera_runtime_list_devices()).find("\ncuda "),
            std::string::npos);
}

TEST(GpuDevice, CudaLibraryWithoutTheDriverAPIFailsClearly) {
  MissingCudaDriver missing("libm.so.6");
  const char *json = nullptr;
  EXPECT_EQ(tessera_runtime_device_profile("cuda", &json), TESSERA_ERROR_LOAD);
  std::string error = tessera_last_error();
  EXPECT_NE(error.find("libm.so.6 is not a usable CUDA driver: it lacks"),
            std::string::npos)
      << error;
}

TEST(GpuDevice, CudaArtifactWithoutDriverDoesNotLoad) {
  MissingCudaDriver missing;
  tessera_model *model = reinterpret_cast<tessera_model *>(0x1);
  EXPECT_EQ(tessera_model_load(TEST_GPU_ARTIFACT_CUDA, &model),
            TESSERA_ERROR_LOAD);
  EXPECT_EQ(model, nullptr);
  std::string error = tessera_last_error();
  EXPECT_NE(error.find("this model runs on cuda, but no CUDA driver was "
                       "found"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("--target=cpu"), std::string::npos) << error;
  // The failure is remembered, not retried or crashed on.
  EXPECT_EQ(tessera_model_load(TEST_GPU_ARTIFACT_CUDA, &model),
            TESSERA_ERROR_LOAD);
}

TEST(GpuDevice, CudaArtifactRuns) {
  REQUIRE_DEVICE("cuda");
  EXPECT_EQ(runAddArtifact(TEST_GPU_ARTIFACT_CUDA), "");
}

TEST(GpuDevice, CudaArtifactRunsOnManyThreads) {
  REQUIRE_DEVICE("cuda");
  EXPECT_EQ(runAddArtifactOnThreads(TEST_GPU_ARTIFACT_CUDA), "");
}

TEST(GpuDevice, CudaRejectedPTXShowsTheCompileLog) {
  REQUIRE_DEVICE("cuda");
  tessera_model *model = nullptr;
  EXPECT_EQ(tessera_model_load(TEST_GPU_ARTIFACT_BADPTX, &model),
            TESSERA_ERROR_LOAD);
  std::string error = tessera_last_error();
  EXPECT_NE(error.find("cuda: compiling PTX failed: "), std::string::npos)
      << error;
  EXPECT_NE(error.find("bogus"), std::string::npos) << error;
}

TEST(GpuDevice, CudaProfile) {
  REQUIRE_DEVICE("cuda");
  const char *json = nullptr;
  ASSERT_EQ(tessera_runtime_device_profile("cuda", &json), TESSERA_OK)
      << tessera_last_error();
  std::string text = json;
  EXPECT_NE(text.find("\"sm_count\": "), std::string::npos) << text;
  EXPECT_NE(text.find("\"compute_capability\": "), std::string::npos) << text;
}

TEST(GpuDevice, VulkanProfileIsJSON) {
  REQUIRE_DEVICE("vulkan");
  const char *json = nullptr;
  ASSERT_EQ(tessera_runtime_device_profile("vulkan", &json), TESSERA_OK)
      << tessera_last_error();
  std::string text = json;
  EXPECT_EQ(text.front(), '{');
  EXPECT_EQ(text.back(), '}');
  for (const char *key :
       {"\"kind\": \"vulkan\"", "\"name\": ", "\"max_workgroup_invocations\": ",
        "\"max_workgroup_size\": [", "\"max_workgroup_count\": [",
        "\"max_shared_memory_bytes\": ", "\"subgroup_size\": ",
        "\"shader_int64\": ", "\"shader_float16\": ",
        "\"storage_buffer_8bit\": "})
    EXPECT_NE(text.find(key), std::string::npos) << key << " in " << text;
}

TEST(GpuDevice, VulkanUnknownSelectorFailsClearly) {
  REQUIRE_DEVICE("vulkan");
  // In a fresh process (re-executed, not forked): the selection must
  // precede the device's creation, which earlier tests may have done.
  ::testing::GTEST_FLAG(death_test_style) = "threadsafe";
  EXPECT_EXIT(
      {
        if (tessera_runtime_select_device("vulkan", "no-such-gpu") !=
            TESSERA_OK)
          std::exit(2);
        const char *json = nullptr;
        bool failed = tessera_runtime_device_profile("vulkan", &json) ==
                          TESSERA_ERROR_LOAD &&
                      std::string(tessera_last_error())
                              .find("no Vulkan device matches 'no-such-gpu'") !=
                          std::string::npos;
        std::exit(failed ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

#ifdef TEST_GPU_ARTIFACT_VULKAN

TEST(GpuDevice, VulkanArtifactRuns) {
  REQUIRE_DEVICE("vulkan");
  EXPECT_EQ(runAddArtifact(TEST_GPU_ARTIFACT_VULKAN), "");
}

TEST(GpuDevice, VulkanArtifactRunsOnManyThreads) {
  REQUIRE_DEVICE("vulkan");
  EXPECT_EQ(runAddArtifactOnThreads(TEST_GPU_ARTIFACT_VULKAN), "");
}

TEST(GpuDevice, VulkanBlockMustMatchTheWorkgroupSize) {
  REQUIRE_DEVICE("vulkan");
  std::string error = runAddArtifact(TEST_GPU_ARTIFACT_BADBLOCK);
  EXPECT_NE(error.find("kernel 'add' launched with block (32, 1, 1) but its "
                       "SPIR-V workgroup size is (64, 1, 1)"),
            std::string::npos)
      << error;
}

/// The services called directly, as generated code does: device-to-device
/// copies, fills and two dependent launches on one stream.
TEST(GpuDevice, VulkanServicesRunDependentKernels) {
  REQUIRE_DEVICE("vulkan");
  std::ifstream file(TEST_SPIRV_KERNEL, std::ios::binary);
  std::vector<char> spirv((std::istreambuf_iterator<char>(file)),
                          std::istreambuf_iterator<char>());
  ASSERT_FALSE(spirv.empty());
  void *module = mgpuModuleLoad(spirv.data(), spirv.size());
  ASSERT_NE(module, nullptr);
  void *add = mgpuModuleGetFunction(module, "add");
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(mgpuModuleGetFunction(module, "add"), add);

  const size_t bytes = kNumElements * sizeof(float);
  void *stream = mgpuStreamCreate();
  void *a = mgpuMemAlloc(bytes, stream, false);
  void *b = mgpuMemAlloc(bytes, stream, false);
  void *c = mgpuMemAlloc(bytes, stream, false);
  void *d = mgpuMemAlloc(bytes, stream, false);
  ASSERT_TRUE(a && b && c && d);
  float one = 1.0f;
  unsigned bits;
  std::memcpy(&bits, &one, sizeof(bits));
  mgpuMemset32(a, bits, kNumElements, stream); // a = 1
  std::vector<float> host(kNumElements);
  for (int i = 0; i < kNumElements; ++i)
    host[i] = static_cast<float>(i);
  mgpuMemcpy(b, host.data(), bytes, stream); // b = i
  void *first[] = {&a, &b, &c};              // c = a + b
  mgpuLaunchKernel(add, kNumElements / 64, 1, 1, 64, 1, 1, 0, stream, first,
                   nullptr, 3);
  void *second[] = {&c, &c, &d}; // d = 2c, reads the first launch's result
  mgpuLaunchKernel(add, kNumElements / 64, 1, 1, 64, 1, 1, 0, stream, second,
                   nullptr, 3);
  mgpuMemcpy(a, d, bytes, stream); // device to device
  std::vector<float> result(kNumElements, -1.f);
  mgpuMemcpy(result.data(), a, bytes, stream);
  mgpuStreamSynchronize(stream);
  for (void *buffer : {a, b, c, d})
    mgpuMemFree(buffer, stream);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);
  for (int i = 0; i < kNumElements; ++i)
    ASSERT_EQ(result[i], 2.0f * (1.0f + i)) << "at " << i;
}

#endif // TEST_GPU_ARTIFACT_VULKAN

} // namespace
