//===- HostCpu.cpp - Does this CPU run an artifact's code? ----------------===//
//
// Compares the LLVM feature names an artifact records with the flags Linux
// reports in /proc/cpuinfo, through a table of the features that matter for
// generated code (LLVM and the kernel spell several differently).
//
//===----------------------------------------------------------------------===//

#include "runtime/HostCpu.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>

namespace tessera::runtime {

namespace {
struct FeatureName {
  std::string_view llvm;    ///< As in the artifact, e.g. "sse4.2".
  std::string_view cpuinfo; ///< As in /proc/cpuinfo, e.g. "sse4_2".
};
} // namespace

/// x86 features whose absence makes generated code fault. Others (cx8,
/// 64bit, xsave, ...) are present on every CPU the compiler targets or do
/// not appear in generated kernels.
static constexpr FeatureName kCheckedFeatures[] = {
    {"sse3", "pni"},
    {"ssse3", "ssse3"},
    {"sse4.1", "sse4_1"},
    {"sse4.2", "sse4_2"},
    {"avx", "avx"},
    {"avx2", "avx2"},
    {"fma", "fma"},
    {"f16c", "f16c"},
    {"bmi", "bmi1"},
    {"bmi2", "bmi2"},
    {"lzcnt", "abm"},
    {"popcnt", "popcnt"},
    {"movbe", "movbe"},
    {"avx512f", "avx512f"},
    {"avx512bw", "avx512bw"},
    {"avx512cd", "avx512cd"},
    {"avx512dq", "avx512dq"},
    {"avx512vl", "avx512vl"},
    {"avx512ifma", "avx512ifma"},
    {"avx512vbmi", "avx512vbmi"},
    {"avx512vbmi2", "avx512_vbmi2"},
    {"avx512vnni", "avx512_vnni"},
    {"avx512bf16", "avx512_bf16"},
    {"avx512fp16", "avx512_fp16"},
    {"avx512bitalg", "avx512_bitalg"},
    {"avx512vpopcntdq", "avx512_vpopcntdq"},
    {"avxvnni", "avx_vnni"},
    {"amx-tile", "amx_tile"},
    {"amx-int8", "amx_int8"},
    {"amx-bf16", "amx_bf16"},
};

static std::vector<std::string> splitList(std::string_view text) {
  std::vector<std::string> items;
  std::string item;
  std::istringstream in{std::string(text)};
  while (std::getline(in, item, ','))
    if (!item.empty())
      items.push_back(item);
  return items;
}

/// The host's features in cpuinfo spelling; empty when unknown.
static std::set<std::string> hostFeatures() {
  std::set<std::string> flags;
  if (const char *env = std::getenv("TESSERA_HOST_CPU_FEATURES")) {
    for (const std::string &name : splitList(env))
      for (const FeatureName &feature : kCheckedFeatures)
        if (feature.llvm == name)
          flags.insert(std::string(feature.cpuinfo));
    flags.insert("<override>"); // Known, even when it names nothing.
    return flags;
  }
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) != 0)
      continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    std::string word;
    while (words >> word)
      flags.insert(word);
    break; // All cores of a machine report the same flags.
  }
  return flags;
}

Status checkHostCpuFeatures(const TargetInfo &target) {
  if (target.features.empty())
    return Status::success();
  if (const char *ignore = std::getenv("TESSERA_IGNORE_CPU_FEATURES");
      ignore && std::string_view(ignore) == "1")
    return Status::success();
  std::set<std::string> host = hostFeatures();
  if (host.empty())
    return Status::success(); // Not Linux/x86, or cpuinfo hidden: no check.
  std::string missing;
  for (std::string name : splitList(target.features)) {
    if (name[0] == '-')
      continue; // A disabled feature is no requirement.
    if (name[0] == '+')
      name.erase(0, 1);
    for (const FeatureName &feature : kCheckedFeatures)
      if (feature.llvm == name && !host.count(std::string(feature.cpuinfo)))
        missing += (missing.empty() ? "" : ",") + name;
  }
  if (missing.empty())
    return Status::success();
  return Status::error(
      "it was compiled for a CPU with features this CPU lacks (" + missing +
      "; compiled for '" + target.cpu +
      "'); running it would stop with an illegal instruction. Compile the "
      "model on this machine (tessera-compile targets the CPU it runs on), "
      "or set TESSERA_IGNORE_CPU_FEATURES=1 if this CPU hides its features");
}

} // namespace tessera::runtime
