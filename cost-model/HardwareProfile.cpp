//===- HardwareProfile.cpp - Probe and serialize hardware profiles --------===//
//
// Probing reads text files only (no cpuid): /proc/cpuinfo for the model
// name, the clock and the vector extensions, sysfs for the cache sizes.
// Anything missing keeps the defaults of HardwareProfile.
//
//===----------------------------------------------------------------------===//

#include "cost-model/HardwareProfile.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include <fstream>
#include <sched.h>
#include <sstream>
#include <thread>

using namespace tessera::costmodel;
namespace json = llvm::json;

int64_t tessera::costmodel::defaultVectorRegisters(int64_t vectorWidth) {
  return vectorWidth >= 16 ? 32 : 16;
}

std::string HardwareProfile::machineId() const {
  std::string id = target + ":" + name + ":" + std::to_string(cores) + "c:" +
                   std::to_string(l2Bytes >> 10) + "K:" +
                   std::to_string(l3Bytes >> 10) + "K";
  for (char &c : id)
    if (c == ' ')
      c = '_';
  return id;
}

std::string HardwareProfile::toJSON() const {
  json::Object object{{"target", target},
                      {"name", name},
                      {"vector_width", vectorWidth},
                      {"vector_registers", vectorRegisters},
                      {"cores", cores},
                      {"peak_gflops_per_core", peakGflopsPerCore},
                      {"dram_gbps", dramGBps},
                      {"l1_bytes", l1Bytes},
                      {"l2_bytes", l2Bytes},
                      {"l3_bytes", l3Bytes}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", json::Value(std::move(object)));
  return text;
}

std::optional<HardwareProfile>
HardwareProfile::fromJSON(const std::string &text, std::string *error) {
  llvm::Expected<json::Value> value = json::parse(text);
  if (!value || !value->getAsObject()) {
    if (error)
      *error = value ? "a hardware profile must be a JSON object"
                     : llvm::toString(value.takeError());
    return std::nullopt;
  }
  const json::Object &o = *value->getAsObject();
  HardwareProfile p;
  if (auto s = o.getString("target"))
    p.target = s->str();
  if (auto s = o.getString("name"))
    p.name = s->str();
  p.vectorWidth = o.getInteger("vector_width").value_or(p.vectorWidth);
  // Profiles written before the field: the registers that go with the width.
  p.vectorRegisters = o.getInteger("vector_registers")
                          .value_or(defaultVectorRegisters(p.vectorWidth));
  p.cores = o.getInteger("cores").value_or(p.cores);
  p.peakGflopsPerCore =
      o.getNumber("peak_gflops_per_core").value_or(p.peakGflopsPerCore);
  p.dramGBps = o.getNumber("dram_gbps").value_or(p.dramGBps);
  p.l1Bytes = o.getInteger("l1_bytes").value_or(p.l1Bytes);
  p.l2Bytes = o.getInteger("l2_bytes").value_or(p.l2Bytes);
  p.l3Bytes = o.getInteger("l3_bytes").value_or(p.l3Bytes);
  if (p.vectorWidth <= 0 || p.vectorRegisters <= 0 || p.cores <= 0 ||
      p.peakGflopsPerCore <= 0 || p.dramGBps <= 0 || p.l1Bytes <= 0 ||
      p.l2Bytes <= 0 || p.l3Bytes <= 0) {
    if (error)
      *error = "hardware profile numbers must be positive";
    return std::nullopt;
  }
  return p;
}

std::optional<HardwareProfile> HardwareProfile::load(const std::string &path,
                                                     std::string *error) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    if (error)
      *error = "cannot read '" + path + "': " + buffer.getError().message();
    return std::nullopt;
  }
  return fromJSON((*buffer)->getBuffer().str(), error);
}

/// `64K`, `2048K`, `30M` as bytes; 0 if unreadable.
static int64_t readCacheSize(const std::string &path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text.empty())
    return 0;
  int64_t scale = 1;
  if (text.back() == 'K')
    scale = 1 << 10;
  else if (text.back() == 'M')
    scale = 1 << 20;
  return std::atoll(text.c_str()) * scale;
}

HardwareProfile HardwareProfile::probeHost() {
  HardwareProfile p;
  double mhz = 0;
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  bool avx512 = false, avx = false;
  while (std::getline(cpuinfo, line)) {
    auto value = [&]() {
      size_t colon = line.find(':');
      std::string v = colon == std::string::npos ? "" : line.substr(colon + 1);
      size_t start = v.find_first_not_of(" \t");
      return start == std::string::npos ? std::string() : v.substr(start);
    };
    if (line.rfind("model name", 0) == 0 && p.name == "unknown")
      p.name = value();
    else if (line.rfind("cpu MHz", 0) == 0 && mhz == 0)
      mhz = std::atof(value().c_str());
    else if (line.rfind("flags", 0) == 0 && !avx) {
      std::string flags = " " + value() + " ";
      avx512 = flags.find(" avx512f ") != std::string::npos;
      avx = flags.find(" avx ") != std::string::npos || avx512;
    }
  }
  p.vectorWidth = avx512 ? 16 : avx ? 8 : 4;
  p.vectorRegisters = defaultVectorRegisters(p.vectorWidth);
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    p.cores = std::max(1, CPU_COUNT(&set));
  else
    p.cores = std::max(1u, std::thread::hardware_concurrency());
  for (int index = 0; index < 8; ++index) {
    std::string dir =
        "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index);
    std::ifstream levelFile(dir + "/level"), typeFile(dir + "/type");
    int level = 0;
    std::string type;
    if (!(levelFile >> level) || !(typeFile >> type) || type == "Instruction")
      continue;
    int64_t size = readCacheSize(dir + "/size");
    if (size <= 0)
      continue;
    if (level == 1)
      p.l1Bytes = size;
    else if (level == 2)
      p.l2Bytes = size;
    else if (level == 3)
      p.l3Bytes = size;
  }
  // Two FMA units, each 2 flops per lane per cycle.
  if (mhz > 0)
    p.peakGflopsPerCore = 2 * 2 * p.vectorWidth * mhz / 1000;
  if (const char *peak = std::getenv("TESSERA_PEAK_GFLOPS"))
    if (double v = std::atof(peak); v > 0)
      p.peakGflopsPerCore = v;
  return p;
}
