//===- Profiles.cpp - Device profiles for the partitioner -----------------===//
//
// JSON reading and writing of DeviceProfile, and the probes: host CPU from
// the cost model's HardwareProfile, GPUs from libtessera_runtime's
// tessera_runtime_device_profile, FPGAs from the HLS target's profiles.
//
//===----------------------------------------------------------------------===//

#include "lib/Partition/Profiles.h"

#include "cost-model/HardwareProfile.h"
#include "lib/Target/HLS/Profile.h"
#include "tessera-c/Runtime.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

using namespace tessera::partition;

std::string DeviceProfile::toJSON() const {
  llvm::json::Object object{{"kind", kind},
                            {"name", name},
                            {"peak_gflops", peakGflops},
                            {"memory_gbps", memoryGBps},
                            {"compute_efficiency", computeEfficiency},
                            {"launch_us", launchUs},
                            {"link_gbps", linkGBps},
                            {"link_latency_us", linkLatencyUs}};
  if (sharesHostCores)
    object["shares_host_cores"] = true;
  if (!note.empty())
    object["note"] = note;
  return llvm::formatv("{0:2}", llvm::json::Value(std::move(object))).str();
}

std::optional<DeviceProfile> DeviceProfile::fromJSON(const std::string &text,
                                                     std::string *error) {
  auto fail = [&](const llvm::Twine &why) -> std::optional<DeviceProfile> {
    if (error)
      *error = why.str();
    return std::nullopt;
  };
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed)
    return fail("not JSON: " + llvm::toString(parsed.takeError()));
  const llvm::json::Object *object = parsed->getAsObject();
  if (!object)
    return fail("a profile is a JSON object");
  DeviceProfile profile;
  std::optional<llvm::StringRef> kind = object->getString("kind");
  if (!kind)
    return fail("missing string field 'kind' (cpu, vulkan, cuda or fpga)");
  profile.kind = kind->str();
  if (!llvm::is_contained({"cpu", "vulkan", "cuda", "fpga"}, profile.kind))
    return fail("unknown kind '" + profile.kind +
                "' (expected cpu, vulkan, cuda or fpga)");
  profile.name = object->getString("name").value_or(profile.kind).str();
  profile.note = object->getString("note").value_or("").str();
  profile.sharesHostCores =
      object->getBoolean("shares_host_cores").value_or(false);
  struct Field {
    const char *key;
    double *value;
    bool required;
  };
  Field fields[] = {{"peak_gflops", &profile.peakGflops, true},
                    {"memory_gbps", &profile.memoryGBps, true},
                    {"compute_efficiency", &profile.computeEfficiency, false},
                    {"launch_us", &profile.launchUs, false},
                    {"link_gbps", &profile.linkGBps, false},
                    {"link_latency_us", &profile.linkLatencyUs, false}};
  for (const Field &field : fields) {
    const llvm::json::Value *value = object->get(field.key);
    if (!value) {
      if (field.required)
        return fail(llvm::Twine("missing number field '") + field.key + "'");
      continue;
    }
    std::optional<double> number = value->getAsNumber();
    if (!number || *number < 0)
      return fail(llvm::Twine("field '") + field.key +
                  "' must be a non-negative number");
    *field.value = *number;
  }
  if (profile.peakGflops <= 0 || profile.memoryGBps <= 0)
    return fail("peak_gflops and memory_gbps must be positive");
  if (profile.computeEfficiency <= 0 || profile.computeEfficiency > 1)
    return fail("compute_efficiency must be in (0, 1]");
  if (profile.kind != "cpu" && profile.linkGBps <= 0)
    return fail("a " + profile.kind +
                " profile needs link_gbps (bandwidth to the host)");
  return profile;
}

std::optional<DeviceProfile> DeviceProfile::load(const std::string &path,
                                                 std::string *error) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    if (error)
      *error = "cannot read '" + path + "': " + buffer.getError().message();
    return std::nullopt;
  }
  std::string why;
  std::optional<DeviceProfile> profile =
      fromJSON((*buffer)->getBuffer().str(), &why);
  if (!profile) {
    if (error)
      *error = "profile '" + path + "': " + why;
    return std::nullopt;
  }
  profile->source = "file " + path;
  return profile;
}

DeviceProfile tessera::partition::probeCPU() {
  costmodel::HardwareProfile hw = costmodel::HardwareProfile::probeHost();
  DeviceProfile profile;
  profile.kind = "cpu";
  profile.name = hw.name;
  profile.source = "probed";
  profile.peakGflops = hw.peakGflopsPerCore * hw.cores;
  profile.memoryGBps = hw.dramGBps * hw.cores;
  // Tessera's CPU kernels reach about half of peak on convolutions
  // (docs/perf.md); the learned model replaces this where it applies.
  profile.computeEfficiency = 0.5;
  // Handing a dispatch to the thread pool.
  profile.launchUs = 2;
  return profile;
}

namespace {

double number(const llvm::json::Object &object, llvm::StringRef key,
              double fallback) {
  if (const llvm::json::Value *value = object.get(key))
    if (std::optional<double> n = value->getAsNumber())
      return *n;
  return fallback;
}

/// Completes a runtime profile (names, limits) with the partitioner's
/// numbers: the runtime does not measure FLOP/s, so they are estimated
/// from what it reports, and said so in `note`.
DeviceProfile fromRuntimeProfile(const std::string &kind,
                                 const llvm::json::Object &object,
                                 const DeviceProfile &host) {
  DeviceProfile profile;
  profile.kind = kind;
  profile.name = object.getString("name").value_or(kind).str();
  profile.source = "probed";
  if (kind == "vulkan" && object.getString("device_type") == "cpu") {
    // A software rasterizer (Mesa's lavapipe): it shares the host's cores
    // and memory, and measured 5-20x slower than Tessera's CPU code on
    // the benchmark models; transfers are memcpys.
    profile.peakGflops = host.peakGflops * 0.1;
    profile.memoryGBps = host.memoryGBps * 0.5;
    profile.computeEfficiency = 0.5;
    profile.launchUs = 50;
    profile.linkGBps = std::max(1.0, host.memoryGBps);
    profile.linkLatencyUs = 5;
    profile.sharesHostCores = true;
    profile.note = "software Vulkan on the host CPU: 10% of the CPU's peak";
    return profile;
  }
  if (kind == "cuda") {
    // 128 f32 lanes per SM (Ampere/Hopper), one FMA each per clock.
    double sms = number(object, "sm_count", 80);
    double ghz = number(object, "clock_khz", 1.5e6) / 1e6;
    profile.peakGflops = sms * 128 * 2 * ghz;
    profile.memoryGBps =
        number(object, "memory_bandwidth_bytes_per_s", 900e9) / 1e9;
    profile.computeEfficiency = 0.3;
    profile.launchUs = 5;
    profile.linkGBps = 12; // PCIe 3.0 x16, sustained.
    profile.linkLatencyUs = 10;
    profile.note = "peak from SMs x 128 lanes x clock; PCIe link assumed";
    return profile;
  }
  // A hardware Vulkan GPU: the runtime reports no throughput numbers.
  profile.peakGflops = 5000;
  profile.memoryGBps = 300;
  profile.computeEfficiency = 0.3;
  profile.launchUs = 20;
  profile.linkGBps = 12;
  profile.linkLatencyUs = 10;
  profile.note = "throughput not reported by the device: generic GPU numbers";
  return profile;
}

} // namespace

std::optional<DeviceProfile>
tessera::partition::probeGPU(const std::string &kind, const DeviceProfile &host,
                             std::string *error) {
  const char *json = nullptr;
  if (tessera_runtime_device_profile(kind.c_str(), &json) != TESSERA_OK) {
    if (error)
      *error = "no " + kind + " device: " + std::string(tessera_last_error());
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(json);
  if (!parsed)
    llvm::consumeError(parsed.takeError());
  if (!parsed || !parsed->getAsObject()) {
    if (error)
      *error = "the runtime's " + kind + " profile is not a JSON object";
    return std::nullopt;
  }
  return fromRuntimeProfile(kind, *parsed->getAsObject(), host);
}

std::optional<DeviceProfile>
tessera::partition::loadFPGA(const std::string &nameOrPath,
                             std::string *error) {
  llvm::Expected<hls::FPGAProfile> fpga = hls::loadFPGAProfile(nameOrPath);
  if (!fpga) {
    if (error)
      *error = llvm::toString(fpga.takeError());
    return std::nullopt;
  }
  DeviceProfile profile;
  profile.kind = "fpga";
  profile.name = fpga->name;
  profile.source = "HLS profile " + nameOrPath;
  // One f32 multiply-add costs 5 DSP slices (3 for the multiplier, 2 for
  // the adder) and does 2 FLOPs per clock when pipelined at II=1.
  profile.peakGflops =
      fpga->dsp * fpga->usableFraction / 5 * 2 * fpga->clockMHz / 1e3;
  profile.memoryGBps = fpga->offchipGBps;
  // Dataflow designs from the HLS target keep a fraction of the DSPs busy.
  profile.computeEfficiency = 0.3;
  profile.launchUs = 20; // A kernel start through the platform's driver.
  profile.linkGBps = 12; // PCIe 3.0 x16 (Alveo) or the SoC's DDR port.
  profile.linkLatencyUs = 10;
  profile.note = "peak from DSPs / 5 per f32 MAC x clock";
  return profile;
}

std::vector<std::string> tessera::partition::listAvailableKinds() {
  std::vector<std::string> kinds = {"cpu"};
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(tessera_runtime_list_devices()).split(lines, '\n');
  for (llvm::StringRef line : lines) {
    llvm::StringRef kind = line.split(' ').first.trim();
    if ((kind == "vulkan" || kind == "cuda") &&
        !llvm::is_contained(kinds, kind.str()))
      kinds.push_back(kind.str());
  }
  return kinds;
}
