//===- tessera-run.cpp - Run a compiled Tessera artifact ------------------===//
//
// tessera-run MODEL.so [--input [NAME=]FILE.npy|FILE.pb ...] [--random-inputs]
//             [--seed N] [--output-dir DIR] [--benchmark N] [--threads=N]
//             [--fallback=OTHER.so] [--compare=OTHER.so]
//
// Loads an artifact through the runtime's C API, fills its inputs from .npy
// or TensorProto .pb files (or deterministic random data), runs it, prints a
// one-line summary per output, optionally writes DIR/output_<i>.npy, and
// optionally times N runs, or times N pairs of runs of MODEL.so and
// OTHER.so alternating in one process (--compare). Every error is reported as
// `error: ...` on stderr with exit status 1. Options are parsed by hand: this
// tool must stay free of LLVM.
//
//===----------------------------------------------------------------------===//

#include "TensorProtoReader.h"

#include "runtime/Float16.h"
#include "runtime/Npy.h"
#include "runtime/Runtime.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace tessera::runtime;
namespace fs = std::filesystem;

namespace {

/// Command-line options.
struct Options {
  std::string modelPath;
  std::vector<std::string> inputs; ///< "[NAME=]FILE", in command-line order.
  bool randomInputs = false;
  uint64_t seed = 0;
  std::string outputDir;
  int64_t benchmarkRuns = 0; ///< 0: no benchmark.
  std::optional<int64_t> threads;
  std::string device; ///< "KIND[:SELECTOR]", e.g. cuda:0 or vulkan:llvmpipe.
  bool listDevices = false;
  std::string deviceProfile; ///< KIND whose profile to print, or "".
  /// An artifact of the same model (e.g. compiled with --target=cpu) that
  /// runs when MODEL.so cannot load or its run fails; "" for none.
  std::string fallbackPath;
  /// An artifact with the same inputs timed against the model, run by run
  /// (--compare); "" for none.
  std::string comparePath;
};

} // namespace

static const char kUsage[] =
    "usage: tessera-run MODEL.so [options]\n"
    "\n"
    "Runs a model compiled by tessera-compile.\n"
    "\n"
    "options:\n"
    "  --input [NAME=]FILE   an input as .npy or ONNX TensorProto .pb; by "
    "name,\n"
    "                        or else the next unfilled input (repeatable)\n"
    "  --random-inputs       fill inputs not given with seeded random data\n"
    "  --seed N              seed for --random-inputs (default 0)\n"
    "  --output-dir DIR      write DIR/output_<i>.npy for every output\n"
    "  --benchmark N         one warm-up run, then N timed runs\n"
    "  --threads=N           threads of the runtime pool (0 = all cores)\n"
    "  --device=KIND[:SEL]   the GPU a cuda or vulkan model runs on: an index\n"
    "                        or part of its name (default: the first)\n"
    "  --list-devices        print the devices of this machine and exit\n"
    "  --device-profile=KIND print the profile (JSON) of the cuda or vulkan\n"
    "                        device --device selects, and exit\n"
    "  --fallback=FILE       the same model compiled for another device\n"
    "                        (e.g. --target=cpu): runs it, with a warning,\n"
    "                        when MODEL.so fails to load or to run\n"
    "  --compare=FILE        with --benchmark N: time N pairs of runs of\n"
    "                        MODEL.so (A) and FILE (B), same inputs, in the\n"
    "                        order A B, B A, A B, ...; prints both and the\n"
    "                        median of the pairs' ratios B/A\n"
    "  -h, --help            show this help\n";

static int reportError(const std::string &message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

/// Parses a whole decimal integer in [minValue, maxValue].
static bool parseInteger(const std::string &text, int64_t minValue,
                         int64_t maxValue, int64_t &value) {
  if (text.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  long long parsed = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || parsed < minValue || parsed > maxValue)
    return false;
  value = parsed;
  return true;
}

/// Parses argv into `options`. Returns std::nullopt to continue, or an exit
/// status (0 after --help).
static std::optional<int> parseArguments(int argc, char **argv,
                                         Options &options) {
  bool onlyPositional = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (onlyPositional || arg.empty() || arg[0] != '-' || arg == "-") {
      if (!options.modelPath.empty())
        return reportError("unexpected argument '" + arg +
                           "' (give inputs with --input)");
      options.modelPath = arg;
      continue;
    }
    if (arg == "--") {
      onlyPositional = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--random-inputs") {
      options.randomInputs = true;
      continue;
    }
    if (arg == "--list-devices") {
      options.listDevices = true;
      continue;
    }

    // Options with a value: "--name=value" or "--name value".
    std::string name = arg, value;
    bool hasValue = false;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      hasValue = true;
    }
    if (name != "--input" && name != "--seed" && name != "--output-dir" &&
        name != "--benchmark" && name != "--threads" && name != "--device" &&
        name != "--device-profile" && name != "--fallback" &&
        name != "--compare")
      return reportError("unknown option '" + arg +
                         "' (see tessera-run --help)");
    if (!hasValue) {
      if (i + 1 >= argc)
        return reportError("option '" + name + "' needs a value");
      value = argv[++i];
    }
    if (name == "--input") {
      if (value.empty())
        return reportError("--input needs a file");
      options.inputs.push_back(value);
    } else if (name == "--output-dir") {
      if (value.empty())
        return reportError("--output-dir needs a directory");
      options.outputDir = value;
    } else if (name == "--seed") {
      int64_t seed;
      if (!parseInteger(value, 0, INT64_MAX, seed))
        return reportError("invalid --seed '" + value +
                           "' (expected a non-negative integer)");
      options.seed = static_cast<uint64_t>(seed);
    } else if (name == "--benchmark") {
      int64_t runs;
      if (!parseInteger(value, 1, 1000000000, runs))
        return reportError("invalid --benchmark '" + value +
                           "' (expected a positive number of runs)");
      options.benchmarkRuns = runs;
    } else if (name == "--device") {
      if (value.empty())
        return reportError("--device needs KIND[:SELECTOR]");
      options.device = value;
    } else if (name == "--device-profile") {
      options.deviceProfile = value;
    } else if (name == "--fallback") {
      if (value.empty())
        return reportError("--fallback needs an artifact");
      options.fallbackPath = value;
    } else if (name == "--compare") {
      if (value.empty())
        return reportError("--compare needs an artifact");
      options.comparePath = value;
    } else { // --threads
      int64_t threads;
      if (!parseInteger(value, 0, 1024, threads))
        return reportError("invalid --threads '" + value +
                           "' (expected 0..1024; 0 = all cores)");
      options.threads = threads;
    }
  }
  if (options.modelPath.empty() && !options.listDevices &&
      options.deviceProfile.empty())
    return reportError("no model given (usage: tessera-run MODEL.so "
                       "[--input [NAME=]FILE ...]; see --help)");
  if (!options.comparePath.empty() && options.benchmarkRuns == 0)
    return reportError("--compare needs --benchmark N (the number of pairs "
                       "of runs to time)");
  if (!options.comparePath.empty() && !options.fallbackPath.empty())
    return reportError("--compare and --fallback cannot be combined: a "
                       "comparison times exactly the two artifacts given");
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

/// "'a' (float32 2x3), 'b' (float32 2x3)" -- used in error messages.
static std::string describeInputs(const std::vector<TensorInfo> &inputs) {
  if (inputs.empty())
    return "none";
  std::string text;
  for (const TensorInfo &info : inputs) {
    if (!text.empty())
      text += ", ";
    text += "'" + info.name + "' (" + std::string(dtypeName(info.dtype)) + " " +
            formatShape(info.shape) + ")";
  }
  return text;
}

/// Reads an input file, choosing the reader from the content (.npy magic)
/// or the extension (.pb).
static Status readInputFile(const std::string &path, HostTensor &tensor) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    return Status::error("input file '" + path + "' does not exist");
  if (fs::is_directory(path, ec))
    return Status::error("input file '" + path + "' is a directory");
  char magic[6] = {};
  {
    std::ifstream file(path, std::ios::binary);
    if (!file)
      return Status::error("cannot open input file '" + path + "'");
    file.read(magic, sizeof(magic));
  }
  std::string extension = fs::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (std::string_view(magic, sizeof(magic)) == kNpyMagic ||
      extension == ".npy")
    return readNpyFile(path, tensor);
  if (extension == ".pb")
    return tessera::tools::readTensorProtoFile(path, tensor);
  return Status::error("input file '" + path +
                       "' is neither a .npy file nor an ONNX TensorProto "
                       ".pb file");
}

/// Fills `tensor` with deterministic pseudo-random data: floats uniform in
/// [-1, 1), integers in [0, 10), booleans 0/1.
static void fillRandom(HostTensor &tensor, std::mt19937_64 &rng) {
  int64_t count = tensor.numElements();
  auto uniform = [&] {
    // 24 random bits -> [0, 1) exactly representable in float.
    return static_cast<float>(rng() >> 40) * (1.0f / 16777216.0f) * 2.0f - 1.0f;
  };
  void *data = tensor.data();
  for (int64_t i = 0; i < count; ++i) {
    switch (tensor.dtype) {
    case DType::Float32:
      static_cast<float *>(data)[i] = uniform();
      break;
    case DType::Float64:
      static_cast<double *>(data)[i] = uniform();
      break;
    case DType::Float16:
      static_cast<uint16_t *>(data)[i] = floatToHalf(uniform());
      break;
    case DType::Bool:
      static_cast<uint8_t *>(data)[i] = rng() & 1;
      break;
    case DType::Int8:
    case DType::UInt8:
      static_cast<uint8_t *>(data)[i] = rng() % 10;
      break;
    case DType::Int16:
    case DType::UInt16:
      static_cast<uint16_t *>(data)[i] = rng() % 10;
      break;
    case DType::Int32:
    case DType::UInt32:
      static_cast<uint32_t *>(data)[i] = rng() % 10;
      break;
    case DType::Int64:
    case DType::UInt64:
      static_cast<uint64_t *>(data)[i] = rng() % 10;
      break;
    }
  }
}

/// Assigns the --input arguments to model inputs, reads and checks them, and
/// fills the rest (randomly, or fails). Returns an error message or "".
static std::string prepareInputs(const Options &options,
                                 const std::vector<TensorInfo> &specs,
                                 std::vector<HostTensor> &tensors) {
  size_t numInputs = specs.size();
  tensors.resize(numInputs);
  std::vector<bool> filled(numInputs, false);
  auto findByName = [&](const std::string &name) -> int {
    for (size_t i = 0; i < numInputs; ++i)
      if (specs[i].name == name)
        return static_cast<int>(i);
    return -1;
  };

  for (const std::string &arg : options.inputs) {
    int index = -1;
    std::string file = arg;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      // Input names may contain '=' themselves: try every split point.
      for (size_t split = eq; split != std::string::npos && index < 0;
           split = arg.find('=', split + 1)) {
        index = findByName(arg.substr(0, split));
        if (index >= 0)
          file = arg.substr(split + 1);
      }
      std::error_code ec;
      // A path that merely contains '=' is still a positional input.
      if (index < 0 && !fs::exists(arg, ec))
        return "unknown input name '" + arg.substr(0, eq) +
               "'; the model's inputs are " + describeInputs(specs);
    }
    if (index < 0) {
      auto next = std::find(filled.begin(), filled.end(), false);
      if (next == filled.end())
        return "too many inputs: the model has " + std::to_string(numInputs) +
               " input(s), all given before '" + arg +
               "': " + describeInputs(specs);
      index = static_cast<int>(next - filled.begin());
    }
    const TensorInfo &spec = specs[index];
    if (filled[index])
      return "input '" + spec.name + "' is given more than once";
    if (file.empty())
      return "no file given for input '" + spec.name + "'";
    HostTensor &tensor = tensors[index];
    if (Status status = readInputFile(file, tensor); !status)
      return "input '" + spec.name + "': " + status.message();
    if (tensor.dtype != spec.dtype || tensor.shape != spec.shape)
      return "input '" + spec.name + "' expects shape " +
             formatShape(spec.shape) + " " +
             std::string(dtypeName(spec.dtype)) + ", got " +
             formatShape(tensor.shape) + " " +
             std::string(dtypeName(tensor.dtype)) + " from " + file;
    filled[index] = true;
  }

  std::mt19937_64 rng(options.seed);
  for (size_t i = 0; i < numInputs; ++i) {
    if (filled[i])
      continue;
    if (!options.randomInputs)
      return "input '" + specs[i].name + "' (" +
             std::string(dtypeName(specs[i].dtype)) + " " +
             formatShape(specs[i].shape) + ") is not given; use --input " +
             specs[i].name + "=FILE or --random-inputs";
    HostTensor &tensor = tensors[i];
    tensor.dtype = specs[i].dtype;
    tensor.shape = specs[i].shape;
    if (!tensor.allocate())
      return "out of memory allocating input '" + specs[i].name + "'";
    fillRandom(tensor, rng);
  }
  return "";
}

//===----------------------------------------------------------------------===//
// Outputs
//===----------------------------------------------------------------------===//

/// Element `i` of `tensor` as a double.
static double elementAsDouble(const HostTensor &tensor, int64_t i) {
  const void *data = tensor.data();
  switch (tensor.dtype) {
  case DType::Float32:
    return static_cast<const float *>(data)[i];
  case DType::Float64:
    return static_cast<const double *>(data)[i];
  case DType::Float16:
    return halfToFloat(static_cast<const uint16_t *>(data)[i]);
  case DType::Int8:
    return static_cast<const int8_t *>(data)[i];
  case DType::Int16:
    return static_cast<const int16_t *>(data)[i];
  case DType::Int32:
    return static_cast<const int32_t *>(data)[i];
  case DType::Int64:
    return static_cast<double>(static_cast<const int64_t *>(data)[i]);
  case DType::UInt8:
  case DType::Bool:
    return static_cast<const uint8_t *>(data)[i];
  case DType::UInt16:
    return static_cast<const uint16_t *>(data)[i];
  case DType::UInt32:
    return static_cast<const uint32_t *>(data)[i];
  case DType::UInt64:
    return static_cast<double>(static_cast<const uint64_t *>(data)[i]);
  }
  return 0;
}

/// Formats one value in the style of its dtype.
static std::string formatValue(DType dtype, double value) {
  char text[64];
  if (isFloatingPoint(dtype))
    std::snprintf(text, sizeof(text), "%.6g", value);
  else
    std::snprintf(text, sizeof(text), "%.0f", value);
  return text;
}

/// Prints "output 0 'name': float32 1x1000 min=... max=... mean=... [...]".
static void printSummary(int index, const TensorInfo &info,
                         const HostTensor &tensor) {
  int64_t count = tensor.numElements();
  std::string line = "output " + std::to_string(index) + " '" + info.name +
                     "': " + std::string(dtypeName(info.dtype)) + " " +
                     formatShape(info.shape);
  double minValue = INFINITY, maxValue = -INFINITY, sum = 0;
  int64_t nanCount = 0;
  for (int64_t i = 0; i < count; ++i) {
    double value = elementAsDouble(tensor, i);
    if (std::isnan(value)) {
      ++nanCount;
      continue;
    }
    minValue = std::min(minValue, value);
    maxValue = std::max(maxValue, value);
    sum += value;
  }
  if (count == nanCount) {
    line += count == 0 ? " (empty)" : " min=nan max=nan mean=nan";
  } else {
    char mean[64];
    std::snprintf(mean, sizeof(mean), "%.6g",
                  sum / static_cast<double>(count - nanCount));
    line += " min=" + formatValue(info.dtype, minValue) +
            " max=" + formatValue(info.dtype, maxValue) + " mean=" + mean;
  }
  if (nanCount)
    line += " nan=" + std::to_string(nanCount);
  if (count > 0) {
    constexpr int64_t kShown = 8;
    line += " [";
    for (int64_t i = 0; i < std::min(count, kShown); ++i) {
      if (i)
        line += ", ";
      line += formatValue(info.dtype, elementAsDouble(tensor, i));
    }
    line += count > kShown ? ", ...]" : "]";
  }
  std::printf("%s\n", line.c_str());
}

/// Writes every output to DIR/output_<i>.npy.
static std::string writeOutputs(const std::string &dir,
                                const std::vector<HostTensor> &outputs) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    return "cannot create output directory '" + dir + "'" +
           (ec ? ": " + ec.message() : "");
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::string path =
        (fs::path(dir) / ("output_" + std::to_string(i) + ".npy")).string();
    if (Status status = writeNpyFile(path, outputs[i]); !status)
      return status.message();
  }
  return "";
}

/// Runs the model `runs` more times and prints timing statistics.
static std::string benchmark(const ModelHandle &model, int64_t runs,
                             const std::vector<const void *> &inputs,
                             const std::vector<void *> &outputs) {
  std::vector<double> times;
  times.reserve(runs);
  for (int64_t i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (Status status = model.run(inputs.data(), outputs.data()); !status)
      return status.message();
    auto end = std::chrono::steady_clock::now();
    times.push_back(
        std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(times.begin(), times.end());
  double mean = 0;
  for (double t : times)
    mean += t;
  mean /= static_cast<double>(runs);
  double median =
      runs % 2 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
  // Nearest-rank 90th percentile.
  size_t p90Index =
      static_cast<size_t>(std::ceil(0.9 * static_cast<double>(runs))) - 1;
  std::printf("benchmark: %lld runs, %d thread(s)\n",
              static_cast<long long>(runs), tessera_runtime_get_num_threads());
  std::printf("min: %.3f ms\n", times.front());
  std::printf("mean: %.3f ms\n", mean);
  std::printf("median: %.3f ms\n", median);
  std::printf("p90: %.3f ms\n", times[p90Index]);
  std::printf("max: %.3f ms\n", times.back());
  return "";
}

/// The median of `values`, which must not be empty.
static double medianOf(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// Runs `model` once and adds its time in milliseconds to `times`.
static Status timeRun(const ModelHandle &model,
                      const std::vector<const void *> &inputs,
                      const std::vector<void *> &outputs,
                      std::vector<double> &times) {
  auto start = std::chrono::steady_clock::now();
  Status status = model.run(inputs.data(), outputs.data());
  auto end = std::chrono::steady_clock::now();
  times.push_back(
      std::chrono::duration<double, std::milli>(end - start).count());
  return status;
}

/// Times `pairs` pairs of runs of `a` and `b` (both warmed up) on the same
/// inputs, the first of each pair alternating (A B, B A, A B, ...) so that
/// each artifact runs as often after itself as after the other. Prints the
/// min and median of each and the median of the pairs' ratios B/A: the two
/// runs of a pair see the same machine load, so their ratio is far steadier
/// on a busy machine than that of two separately timed artifacts.
static std::string comparePaired(const ModelHandle &a, const ModelHandle &b,
                                 int64_t pairs,
                                 const std::vector<const void *> &inputs,
                                 const std::vector<void *> &outputsA,
                                 const std::vector<void *> &outputsB) {
  std::vector<double> timesA, timesB, ratios;
  timesA.reserve(pairs);
  timesB.reserve(pairs);
  ratios.reserve(pairs);
  for (int64_t i = 0; i < pairs; ++i) {
    bool bFirst = i % 2;
    for (int step = 0; step < 2; ++step) {
      bool runB = (step == 0) == bFirst;
      if (Status status =
              timeRun(runB ? b : a, inputs, runB ? outputsB : outputsA,
                      runB ? timesB : timesA);
          !status)
        return std::string(runB ? "B" : "A") + ": " + status.message();
    }
    ratios.push_back(timesB.back() / std::max(timesA.back(), 1e-9));
  }
  std::printf("compare: %lld pairs (A B, B A, ...), %d thread(s)\n",
              static_cast<long long>(pairs), tessera_runtime_get_num_threads());
  auto print = [](const char *label, const std::vector<double> &times) {
    std::printf("%s min: %.4f ms\n", label,
                *std::min_element(times.begin(), times.end()));
    std::printf("%s median: %.4f ms\n", label, medianOf(times));
  };
  print("A", timesA);
  print("B", timesB);
  std::printf("ratio median: %.4f (B/A per pair; min %.4f, max %.4f)\n",
              medianOf(ratios), *std::min_element(ratios.begin(), ratios.end()),
              *std::max_element(ratios.begin(), ratios.end()));
  return "";
}

/// Whether two artifacts take inputs of the same names, dtypes and shapes,
/// so that the same input buffers feed both.
static bool sameInputs(const ModelHandle &a, const ModelHandle &b) {
  if (a.numInputs() != b.numInputs())
    return false;
  for (int i = 0; i < a.numInputs(); ++i) {
    const TensorInfo &x = a.input(i), &y = b.input(i);
    if (x.name != y.name || x.dtype != y.dtype || x.shape != y.shape)
      return false;
  }
  return true;
}

/// The input descriptions of `model`, for error messages.
static std::vector<TensorInfo> getInputSpecs(const ModelHandle &model) {
  std::vector<TensorInfo> specs;
  for (int i = 0; i < model.numInputs(); ++i)
    specs.push_back(model.input(i));
  return specs;
}

/// Allocates a buffer for every output of `model`; returns an error message
/// or "".
static std::string allocateOutputs(const ModelHandle &model,
                                   std::vector<HostTensor> &outputs,
                                   std::vector<void *> &pointers) {
  outputs.resize(model.numOutputs());
  for (int i = 0; i < model.numOutputs(); ++i) {
    outputs[i].dtype = model.output(i).dtype;
    outputs[i].shape = model.output(i).shape;
    if (!outputs[i].allocate())
      return "out of memory allocating output '" + model.output(i).name + "'";
  }
  for (HostTensor &tensor : outputs)
    pointers.push_back(tensor.data());
  return "";
}

/// Whether two artifacts take and give tensors of the same names, dtypes and
/// shapes, so one can stand in for the other.
static bool sameInterface(const ModelHandle &a, const ModelHandle &b) {
  auto same = [](const TensorInfo &x, const TensorInfo &y) {
    return x.name == y.name && x.dtype == y.dtype && x.shape == y.shape;
  };
  if (a.numInputs() != b.numInputs() || a.numOutputs() != b.numOutputs())
    return false;
  for (int i = 0; i < a.numInputs(); ++i)
    if (!same(a.input(i), b.input(i)))
      return false;
  for (int i = 0; i < a.numOutputs(); ++i)
    if (!same(a.output(i), b.output(i)))
      return false;
  return true;
}

/// Replaces `model` by the --fallback artifact after `reason` (the primary's
/// load or run error), warning on stderr. When the primary loaded, it is
/// `primary`, and the fallback must have its inputs and outputs.
static std::string switchToFallback(const Options &options,
                                    const std::string &reason,
                                    ModelHandle &model,
                                    const ModelHandle *primary = nullptr) {
  std::fprintf(stderr, "warning: %s\nwarning: running the fallback '%s'\n",
               reason.c_str(), options.fallbackPath.c_str());
  if (Status status = model.load(options.fallbackPath); !status)
    return "the fallback failed too: " + status.message();
  if (primary && !sameInterface(*primary, model))
    return "the fallback '" + options.fallbackPath +
           "' has other inputs or outputs than '" + options.modelPath +
           "'; compile both from the same model";
  return "";
}

int main(int argc, char **argv) {
  Options options;
  if (std::optional<int> exitCode = parseArguments(argc, argv, options))
    return *exitCode;

  if (options.listDevices) {
    std::fputs(tessera_runtime_list_devices(), stdout);
    return 0;
  }
  if (options.threads)
    if (Status status = setNumThreads(static_cast<int>(*options.threads));
        !status)
      return reportError(status.message());
  if (!options.device.empty()) {
    size_t colon = options.device.find(':');
    std::string kind = options.device.substr(0, colon);
    std::string selector =
        colon == std::string::npos ? "" : options.device.substr(colon + 1);
    if (tessera_runtime_select_device(kind.c_str(), selector.c_str()) !=
        TESSERA_OK)
      return reportError(tessera_last_error());
  }
  if (!options.deviceProfile.empty()) {
    const char *json = nullptr;
    if (tessera_runtime_device_profile(options.deviceProfile.c_str(), &json) !=
        TESSERA_OK)
      return reportError(tessera_last_error());
    std::printf("%s\n", json);
    return 0;
  }

  ModelHandle model;
  bool usingFallback = false;
  if (Status status = model.load(options.modelPath); !status) {
    if (options.fallbackPath.empty())
      return reportError(status.message());
    usingFallback = true;
    if (std::string error = switchToFallback(options, status.message(), model);
        !error.empty())
      return reportError(error);
  }

  std::vector<TensorInfo> inputSpecs = getInputSpecs(model), outputSpecs;
  for (int i = 0; i < model.numOutputs(); ++i)
    outputSpecs.push_back(model.output(i));

  std::vector<HostTensor> inputs;
  if (std::string error = prepareInputs(options, inputSpecs, inputs);
      !error.empty())
    return reportError(error);

  std::vector<HostTensor> outputs;
  std::vector<void *> outputPtrs;
  if (std::string error = allocateOutputs(model, outputs, outputPtrs);
      !error.empty())
    return reportError(error);
  std::vector<const void *> inputPtrs;
  for (const HostTensor &tensor : inputs)
    inputPtrs.push_back(tensor.data());

  // --compare: the other artifact runs on the same input buffers.
  ModelHandle other;
  std::vector<HostTensor> otherOutputs;
  std::vector<void *> otherOutputPtrs;
  if (!options.comparePath.empty()) {
    if (Status status = other.load(options.comparePath); !status)
      return reportError(status.message());
    if (!sameInputs(model, other))
      return reportError("cannot compare '" + options.comparePath + "' with '" +
                         options.modelPath + "': they take different inputs (" +
                         describeInputs(getInputSpecs(other)) + " against " +
                         describeInputs(inputSpecs) +
                         "); compare artifacts of one model");
    if (std::string error =
            allocateOutputs(other, otherOutputs, otherOutputPtrs);
        !error.empty())
      return reportError(error);
  }

  // The first run produces the printed outputs and warms up a benchmark.
  if (Status status = model.run(inputPtrs.data(), outputPtrs.data()); !status) {
    if (options.fallbackPath.empty() || usingFallback)
      return reportError(status.message());
    ModelHandle primary = std::move(model);
    if (std::string error =
            switchToFallback(options, status.message(), model, &primary);
        !error.empty())
      return reportError(error);
    if (Status retry = model.run(inputPtrs.data(), outputPtrs.data()); !retry)
      return reportError(retry.message());
  }
  for (size_t i = 0; i < outputs.size(); ++i)
    printSummary(static_cast<int>(i), outputSpecs[i], outputs[i]);
  if (!options.outputDir.empty())
    if (std::string error = writeOutputs(options.outputDir, outputs);
        !error.empty())
      return reportError(error);

  if (!options.comparePath.empty()) {
    // The first run above warmed up A; this one warms up B.
    if (Status status = other.run(inputPtrs.data(), otherOutputPtrs.data());
        !status)
      return reportError("B: " + status.message());
    if (std::string error =
            comparePaired(model, other, options.benchmarkRuns, inputPtrs,
                          outputPtrs, otherOutputPtrs);
        !error.empty())
      return reportError(error);
  } else if (options.benchmarkRuns > 0) {
    if (std::string error =
            benchmark(model, options.benchmarkRuns, inputPtrs, outputPtrs);
        !error.empty())
      return reportError(error);
  }
  std::fflush(stdout);
  return 0;
}
