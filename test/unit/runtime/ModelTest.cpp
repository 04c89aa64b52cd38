//===- ModelTest.cpp - Tests of loading and running artifacts -------------===//
//
// Drives the hand-written TestArtifact.c through the C API (and the C++
// wrapper): metadata queries, runs on aligned and misaligned memory, and the
// error paths of loading.
//
//===----------------------------------------------------------------------===//

#include "runtime/Runtime.h"
#include "tessera-c/Runtime.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <dlfcn.h>
#include <fstream>
#include <thread>

using namespace tessera::runtime;

namespace {

/// Loads `path`, expecting failure; returns the error message.
std::string loadError(const std::string &path) {
  tessera_model *model = reinterpret_cast<tessera_model *>(0x1);
  EXPECT_EQ(tessera_model_load(path.c_str(), &model), TESSERA_ERROR_LOAD);
  EXPECT_EQ(model, nullptr);
  return tessera_last_error();
}

/// Test fixture holding the loaded test artifact.
class TestArtifactTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(tessera_model_load(TEST_ARTIFACT, &model), TESSERA_OK)
        << tessera_last_error();
  }
  void TearDown() override { tessera_model_free(model); }

  /// Runs with inputs/outputs placed `offset` bytes past 64-byte alignment
  /// and checks the results.
  void runAndCheck(size_t offset) {
    alignas(64) unsigned char storage[5][128] = {};
    float *a = reinterpret_cast<float *>(storage[0] + offset);
    float *b = reinterpret_cast<float *>(storage[1] + offset);
    float *sum = reinterpret_cast<float *>(storage[2] + offset);
    float *product = reinterpret_cast<float *>(storage[3] + offset);
    // Possibly misaligned for a double: read it with memcpy.
    void *total = storage[4] + offset;
    for (int i = 0; i < 6; ++i) {
      a[i] = static_cast<float>(i) + 0.5f;
      b[i] = static_cast<float>(10 - i);
    }
    const void *inputs[] = {a, b};
    void *outputs[] = {sum, product, total};
    ASSERT_EQ(tessera_model_run(model, inputs, outputs), TESSERA_OK)
        << tessera_last_error();
    double expectedTotal = 0;
    for (int i = 0; i < 6; ++i) {
      EXPECT_EQ(sum[i], a[i] + b[i]) << i;
      EXPECT_EQ(product[i], a[i] * b[i]) << i;
      expectedTotal += a[i] + b[i];
    }
    double totalValue;
    std::memcpy(&totalValue, total, sizeof(totalValue));
    EXPECT_DOUBLE_EQ(totalValue, expectedTotal);
    // Inputs are not modified.
    EXPECT_EQ(a[0], 0.5f);
    EXPECT_EQ(b[5], 5.0f);
  }

  tessera_model *model = nullptr;
};

TEST_F(TestArtifactTest, DescribesInputsAndOutputs) {
  ASSERT_EQ(tessera_model_num_inputs(model), 2);
  ASSERT_EQ(tessera_model_num_outputs(model), 3);
  EXPECT_STREQ(tessera_model_path(model), TEST_ARTIFACT);

  tessera_tensor_info info;
  ASSERT_EQ(tessera_model_input_info(model, 1, &info), TESSERA_OK);
  EXPECT_STREQ(info.name, "b");
  EXPECT_EQ(info.dtype, TESSERA_DTYPE_FLOAT32);
  ASSERT_EQ(info.rank, 2);
  EXPECT_EQ(info.dims[0], 2);
  EXPECT_EQ(info.dims[1], 3);
  EXPECT_EQ(info.num_elements, 6);
  EXPECT_EQ(info.size_bytes, 24u);

  ASSERT_EQ(tessera_model_output_info(model, 1, &info), TESSERA_OK);
  EXPECT_STREQ(info.name, "a*b"); // Percent-decoded from "a%2Ab".
  ASSERT_EQ(tessera_model_output_info(model, 2, &info), TESSERA_OK);
  EXPECT_STREQ(info.name, "total");
  EXPECT_EQ(info.dtype, TESSERA_DTYPE_FLOAT64);
  EXPECT_EQ(info.rank, 0);
  EXPECT_EQ(info.dims, nullptr);
  EXPECT_EQ(info.num_elements, 1);

  EXPECT_EQ(tessera_model_output_info(model, 3, &info),
            TESSERA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tessera_last_error()).find("out of range"),
            std::string::npos);
  EXPECT_EQ(tessera_model_input_info(model, -1, &info),
            TESSERA_ERROR_INVALID_ARGUMENT);

  const char *device, *cpu, *features;
  ASSERT_EQ(tessera_model_target(model, &device, &cpu, &features), TESSERA_OK);
  EXPECT_STREQ(device, "cpu");
  EXPECT_STREQ(cpu, "generic");
  EXPECT_STREQ(features, "+sse2");
}

TEST_F(TestArtifactTest, RunsOnAlignedMemory) { runAndCheck(0); }

TEST_F(TestArtifactTest, StagesMisalignedMemory) {
  // The artifact returns an error for any misaligned buffer, so success
  // proves that the runtime staged them.
  runAndCheck(4);
  runAndCheck(8);
}

TEST_F(TestArtifactTest, RunsWithSeveralThreads) {
  ASSERT_EQ(tessera_runtime_set_num_threads(4), TESSERA_OK);
  runAndCheck(0);
  runAndCheck(4);
  ASSERT_EQ(tessera_runtime_set_num_threads(1), TESSERA_OK);
}

TEST_F(TestArtifactTest, ConcurrentRunsOnOneModel) {
  ASSERT_EQ(tessera_runtime_set_num_threads(2), TESSERA_OK);
  std::thread other([&] {
    for (int i = 0; i < 100; ++i)
      runAndCheck(i % 2 ? 4 : 0);
  });
  for (int i = 0; i < 100; ++i)
    runAndCheck(i % 2 ? 0 : 4);
  other.join();
}

TEST_F(TestArtifactTest, ReportsArtifactFailure) {
  alignas(64) float a[6] = {-12345.0f}, b[6] = {}, sum[6], product[6];
  alignas(64) double total;
  const void *inputs[] = {a, b};
  void *outputs[] = {sum, product, &total};
  EXPECT_EQ(tessera_model_run(model, inputs, outputs), TESSERA_ERROR_RUN);
  std::string message = tessera_last_error();
  EXPECT_NE(message.find("failed with status 42"), std::string::npos)
      << message;
  EXPECT_NE(message.find(TEST_ARTIFACT), std::string::npos) << message;
}

TEST_F(TestArtifactTest, RejectsNullBuffers) {
  alignas(64) float a[6] = {}, sum[6], product[6];
  alignas(64) double total;
  const void *inputs[] = {a, nullptr};
  void *outputs[] = {sum, product, &total};
  EXPECT_EQ(tessera_model_run(model, inputs, outputs), TESSERA_ERROR_RUN);
  EXPECT_NE(std::string(tessera_last_error()).find("input 'b' has a NULL"),
            std::string::npos)
      << tessera_last_error();
  EXPECT_EQ(tessera_model_run(model, nullptr, outputs), TESSERA_ERROR_RUN);
  EXPECT_EQ(tessera_model_run(nullptr, inputs, outputs),
            TESSERA_ERROR_INVALID_ARGUMENT);
}

TEST_F(TestArtifactTest, LastErrorIsPerThread) {
  tessera_tensor_info info;
  EXPECT_NE(tessera_model_input_info(model, 7, &info), TESSERA_OK);
  std::string otherThreadError = "unset";
  std::thread([&] { otherThreadError = tessera_last_error(); }).join();
  EXPECT_EQ(otherThreadError, "");
  EXPECT_NE(std::string(tessera_last_error()), "");
}

TEST(ModelLoad, CppWrapper) {
  ModelHandle model;
  Status status = model.load(TEST_ARTIFACT);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(model.numInputs(), 2);
  TensorInfo info = model.output(0);
  EXPECT_EQ(info.name, "sum");
  EXPECT_EQ(info.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(info.sizeInBytes, 24u);
  EXPECT_FALSE(model.load("/nonexistent.so").ok());
}

TEST(ModelLoad, NonArtifactLibrary) {
  // Find libm's path from a symbol it defines.
  Dl_info info;
  ASSERT_NE(
      dladdr(reinterpret_cast<void *>(static_cast<double (*)(double)>(&::cos)),
             &info),
      0);
  std::string libm = info.dli_fname;
  std::string message = loadError(libm);
  EXPECT_NE(message.find("cannot load artifact '" + libm + "'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("not a Tessera artifact"), std::string::npos)
      << message;
  EXPECT_NE(message.find("tessera_artifact_metadata"), std::string::npos);
}

TEST(ModelLoad, MissingRunSymbol) {
  std::string message = loadError(TEST_ARTIFACT_NORUN);
  EXPECT_NE(message.find(TEST_ARTIFACT_NORUN), std::string::npos) << message;
  EXPECT_NE(message.find("'tessera_artifact_run'"), std::string::npos)
      << message;
}

TEST(ModelLoad, VersionMismatch) {
  std::string message = loadError(TEST_ARTIFACT_V2);
  EXPECT_NE(message.find(TEST_ARTIFACT_V2), std::string::npos) << message;
  EXPECT_NE(message.find("version 2 is not supported"), std::string::npos)
      << message;
}

TEST(ModelLoad, BadMetadata) {
  std::string message = loadError(TEST_ARTIFACT_BADMETA);
  EXPECT_NE(message.find("unknown dtype 'complex64'"), std::string::npos)
      << message;
}

TEST(ModelLoad, MissingAndBadFiles) {
  std::string message = loadError("/nonexistent/model.so");
  EXPECT_EQ(message,
            "cannot load artifact '/nonexistent/model.so': No such file or "
            "directory");
  std::string text = std::string(TEST_TMP_DIR) + "/not_a_library.so";
  std::ofstream(text) << "this is not an ELF file\n";
  message = loadError(text);
  EXPECT_NE(message.find("cannot load artifact '" + text + "'"),
            std::string::npos)
      << message;
  message = loadError(TEST_TMP_DIR);
  EXPECT_NE(message.find("not a regular file"), std::string::npos) << message;
  tessera_model *model = nullptr;
  EXPECT_EQ(tessera_model_load(nullptr, &model),
            TESSERA_ERROR_INVALID_ARGUMENT);
  tessera_model_free(nullptr);
}

} // namespace
