//===- RunErrors.cpp - Failed run-time checks of generated code -----------===//
//
// Per-thread storage of the first failed run-time check and the
// tessera_rt_set_error service exported to artifacts.
//
//===----------------------------------------------------------------------===//

#include "runtime/RunErrors.h"

#include "tessera-c/Artifact.h"
#include "tessera-c/Runtime.h"

namespace tessera::runtime {

static thread_local std::string pendingRunError;

void setRunError(const std::string &message) {
  if (pendingRunError.empty())
    pendingRunError = message.empty() ? "run-time check failed" : message;
}

std::string takeRunError() {
  std::string message;
  message.swap(pendingRunError);
  return message;
}

bool hasRunError() { return !pendingRunError.empty(); }

} // namespace tessera::runtime

extern "C" TESSERA_RT_EXPORT void tessera_rt_set_error(const char *message) {
  tessera::runtime::setRunError(message ? message : "");
}
