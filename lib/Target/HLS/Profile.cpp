//===- Profile.cpp - FPGA hardware profiles -------------------------------===//
//
// Reads FPGA profiles from JSON; the shipped ones are compiled in
// (ProfilesData.inc is generated from profiles/*.json by CMake).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/HLS/Profile.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace tessera::hls;

namespace {
#include "lib/Target/HLS/ProfilesData.inc"
} // namespace

llvm::Expected<FPGAProfile>
tessera::hls::parseFPGAProfile(llvm::StringRef json, llvm::StringRef origin) {
  auto fail = [&](const llvm::Twine &why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "FPGA profile '" + origin + "': " + why);
  };
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(json);
  if (!value)
    return fail(llvm::toString(value.takeError()));
  const llvm::json::Object *object = value->getAsObject();
  if (!object)
    return fail("expected a JSON object");
  FPGAProfile profile;
  if (auto name = object->getString("name"))
    profile.name = name->str();
  auto number = [&](llvm::StringRef key, double &out) -> bool {
    std::optional<double> v = object->getNumber(key);
    if (!v || *v <= 0)
      return false;
    out = *v;
    return true;
  };
  auto integer = [&](llvm::StringRef key, int64_t &out) -> bool {
    double v = 0;
    if (!number(key, v))
      return false;
    out = static_cast<int64_t>(v);
    return true;
  };
  for (auto [key, field] :
       {std::pair<const char *, int64_t *>{"dsp", &profile.dsp},
        {"bram18k", &profile.bram18k},
        {"lut", &profile.lut},
        {"ff", &profile.ff},
        {"maxi_width_bits", &profile.maxiWidthBits},
        {"maxi_latency_cycles", &profile.maxiLatencyCycles}})
    if (!integer(key, *field))
      return fail(llvm::Twine("missing or non-positive '") + key + "'");
  if (!number("clock_mhz", profile.clockMHz))
    return fail("missing or non-positive 'clock_mhz'");
  if (!number("offchip_gbps", profile.offchipGBps))
    return fail("missing or non-positive 'offchip_gbps'");
  if (object->get("usable_fraction") &&
      (!number("usable_fraction", profile.usableFraction) ||
       profile.usableFraction > 1))
    return fail("'usable_fraction' must be in (0, 1]");
  return profile;
}

llvm::Expected<FPGAProfile>
tessera::hls::loadFPGAProfile(llvm::StringRef nameOrPath) {
  if (nameOrPath == "u250")
    return parseFPGAProfile(kU250Profile, "u250");
  if (nameOrPath == "zcu102")
    return parseFPGAProfile(kZCU102Profile, "zcu102");
  auto buffer = llvm::MemoryBuffer::getFile(nameOrPath);
  if (!buffer)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "FPGA profile '" + nameOrPath +
            "' is neither a built-in profile (u250, zcu102) nor a readable "
            "file: " +
            buffer.getError().message());
  return parseFPGAProfile((*buffer)->getBuffer(), nameOrPath);
}
